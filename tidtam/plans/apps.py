from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "tidtam.plans"
    verbose_name = "แผนปฏิบัติราชการ"
