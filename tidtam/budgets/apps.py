from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "tidtam.budgets"
    verbose_name = "งบประมาณ"
