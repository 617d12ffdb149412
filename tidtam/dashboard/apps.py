from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "tidtam.dashboard"
    label = "dashboard"
    verbose_name = "ภาพรวม"
