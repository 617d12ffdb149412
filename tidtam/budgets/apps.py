from typing import Any

from django.apps import AppConfig
from django.apps.registry import Apps
from django.db.models.signals import post_migrate

# (code, name), in the order they are listed.
STANDARD_FUND_SOURCES = (
    ("budget", "เงินงบประมาณ"),
    ("off_budget", "เงินนอกงบประมาณ"),
    ("revenue", "เงินรายได้"),
    ("fund", "เงินกองทุน"),
)


def standard_fund_sources(apps: Apps | None = None, using: str = "default", **_: Any) -> None:
    """The standard sources of funds, made by every `tidtam migrate` (as Django makes its
    permissions; `flush` sends the signal too): a new installation has them before its first
    budget line. Read from the migrated state, so that a database migrated only part of the way
    is left alone."""
    if apps is None:
        from django.apps import apps as installed

        apps = installed
    try:
        FundSource = apps.get_model("budgets", "FundSource")
    except LookupError:
        return
    for order, (code, name) in enumerate(STANDARD_FUND_SOURCES, start=1):
        FundSource.objects.using(using).get_or_create(
            organization=None, code=code, defaults={"name": name, "order": order}
        )


class BudgetsConfig(AppConfig):
    name = "tidtam.budgets"
    verbose_name = "งบประมาณ"

    def ready(self) -> None:
        post_migrate.connect(standard_fund_sources, sender=self)
