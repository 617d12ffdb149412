from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "tidtam.ops"
    verbose_name = "การดูแลระบบ"
