from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "tidtam.periods"
    verbose_name = "ปีงบประมาณและรอบรายงาน"
