from django.apps import AppConfig


class WebConfig(AppConfig):
    """Pages that span the other apps: the layout, search and the history of changes."""

    name = "tidtam.web"
    label = "web"
    verbose_name = "หน้าเว็บ"
