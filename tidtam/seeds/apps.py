from django.apps import AppConfig


class SeedsConfig(AppConfig):
    name = "tidtam.seeds"
    verbose_name = "ข้อมูลตั้งต้น"
