from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tidtam.reports"
    verbose_name = "รายงาน"
