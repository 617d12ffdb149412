"""The base of tidtam's own data commands (`tidtam report`, `backup`, `cleanup`, `import`, …)."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class DataCommand(BaseCommand):
    """A command that reads or writes tidtam's data, often from cron: reports, backups, seeds,
    transfers, reminders.

    Django's system checks (settings, models, every URL) run where the app starts to serve
    (`tidtam serve`, `runserver`), at `tidtam migrate` and at `tidtam check`. Run again before a
    data command they would load the whole web app (the API's schemas behind every URL) for a
    command that needs at most a URL or two (a reminder's link), loaded when asked: a third of such a command's start (measured: 0.35 of 1.0 s).
    """

    requires_system_checks: list[str] = []
