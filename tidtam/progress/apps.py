from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "tidtam.progress"
    verbose_name = "ผลการดำเนินงาน"
