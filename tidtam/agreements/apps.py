from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "tidtam.agreements"
    verbose_name = "คำรับรองและตัวชี้วัด"
