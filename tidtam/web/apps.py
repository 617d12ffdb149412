from typing import Any

from django.apps import AppConfig, apps
from django.contrib.auth.signals import user_logged_in
from django.core.management import call_command
from django.db.models.signals import post_migrate


class WebConfig(AppConfig):
    """Pages that span the other apps: the layout, search and the history of changes."""

    name = "tidtam.web"
    label = "web"
    verbose_name = "หน้าเว็บ"

    def ready(self) -> None:
        # This app has no models, so migrate sends it no post_migrate; the sessions app is
        # always there and migrated.
        sessions = apps.get_app_config("sessions")
        post_migrate.connect(_create_cache_table, sender=sessions, dispatch_uid="tidtam-cache")

        from tidtam.web.http import stamp_session_on_sign_in

        user_logged_in.connect(stamp_session_on_sign_in, dispatch_uid="tidtam-session-stamp")


def _create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """`migrate` also makes the shared cache's table, so no deployment can forget that step
    (Django keeps createcachetable apart from migrations). It skips a table that exists."""
    call_command("createcachetable", database=using, verbosity=0)
