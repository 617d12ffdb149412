from django.apps import AppConfig


class UiConfig(AppConfig):
    """The UI kit every page uses: form fields for Thai numbers and B.E. dates, the Thai answer
    to a refused save, permission refusals, the menu by role, template tags and the partial
    templates (a field, a pager, a conflict table)."""

    name = "tidtam.ui"
    label = "ui"
    verbose_name = "ส่วนประกอบหน้าจอ"
