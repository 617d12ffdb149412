from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "tidtam.progress"
    verbose_name = "ผลการดำเนินงาน"

    def ready(self) -> None:
        # The plan and the budget say what changed; progress keeps its stored percents and
        # bands from it (they do not import progress).
        from tidtam.budgets.signals import spending_changed
        from tidtam.plans.signals import figures_changed
        from tidtam.progress.services import on_figures_changed, on_spending_changed

        figures_changed.connect(on_figures_changed, dispatch_uid="progress-figures")
        spending_changed.connect(on_spending_changed, dispatch_uid="progress-spending")
