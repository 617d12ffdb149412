"""Project-wide promises: history on every model people edit, a Thai admin for all of it,
model choices that match the core, and the `tidtam` command as a newcomer runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.app.conftest import admin_signed_in
from tests.app.scratch_project import ROOT, Project, tidtam_command
from tidtam.agreements.models import Agreement, Indicator
from tidtam.cli import GC_THRESHOLD
from tidtam.domain import progress, scoring
from tidtam.plans.models import WorkItem

TIDTAM_APPS = ["orgs", "periods", "policies", "budgets", "plans", "progress", "agreements"]


def tidtam_models() -> list[type]:
    return [
        model
        for label in TIDTAM_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    ]


def test_every_model_people_edit_keeps_its_history() -> None:
    missing = [m.__name__ for m in tidtam_models() if not hasattr(m, "history")]
    assert missing == []


def test_every_model_has_a_thai_admin_page() -> None:
    registered = set(admin.site._registry)
    # Rows edited inside their parent's page (inlines) need no page of their own.
    inline_only = {"WorkItemResponsibility", "PlannedMilestone", "RoleAssignment", "AgreementClause",
                   "ScoringLevel", "IndicatorSeriesValue", "IndicatorOwner", "IndicatorResult", "IndicatorResponsibility",
                   "BudgetSpending", "BudgetMonth", "WorkItemMonth", "Activity", "Output", "Round", "PolicyNode", "KPIGroup"}  # fmt: skip
    missing = [
        m.__name__ for m in tidtam_models() if m not in registered and m.__name__ not in inline_only
    ]
    assert missing == []
    for model in tidtam_models():
        name = str(model._meta.verbose_name)
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in name), model.__name__


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
def test_admin_pages_open_in_thai_for_a_staff_member() -> None:
    user = get_user_model().objects.create_superuser("admin-pages", password="x")
    client = admin_signed_in(Client(), user)
    for model in admin.site._registry:
        if model._meta.app_label not in TIDTAM_APPS:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        first = model.objects.first()
        if first is not None:
            change = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[first.pk]
            )
            response = client.get(change)
            assert response.status_code == 200, change
            # Django's Thai "Save", or "Close" on the pages that are read-only by design.
            editable = admin.site._registry[model].has_change_permission(response.wsgi_request)
            assert ("บันทึก" if editable else "ปิด") in response.content.decode(), change
    agreement = Agreement.objects.get(organization__code="ops-bic")
    page = client.get(
        reverse("admin:agreements_agreement_change", args=[agreement.pk])
    ).content.decode()
    assert "น้ำหนักรวมถูกต้อง" in page


def test_model_choices_are_the_cores_values() -> None:
    assert {c.value for c in WorkItem.Kind} == {k.value for k in progress.ItemKind}
    assert {c.value for c in Indicator.MeasureKind} == {k.value for k in scoring.MeasureKind}
    assert {c.value for c in Indicator.Direction} == {d.value for d in scoring.Direction}
    assert {c.value for c in Agreement.Interpolation} == {i.value for i in scoring.Interpolation}


def test_the_tidtam_command_reports_from_an_installation(installation: Project) -> None:
    # `installation` (tests/conftest.py) is a folder set up by commands in subprocesses, and
    # `tidtam load_seeds`; the report is asked of the same command.
    tidtam = Path(sys.executable).parent / "tidtam"
    assert tidtam.exists(), "pip install -e . installs the tidtam console command"
    assert tidtam_command() == [str(tidtam)]
    if installation.database_url is None:
        assert installation.sqlite_file.exists()
    out = installation.run(
        "report", "quarterly", "--org", "onesqa", "--fy", "2567", "--round", "6", "--format", "json"
    ).stdout
    data = json.loads(out)
    assert data["budget"]["total"]["percent_text"] == "22.01"
    failed = installation.run(
        "report", "agreement", "--org", "ops-bic", "--fy", "2021", check=False
    )
    assert failed.returncode != 0
    assert "ค.ศ." in failed.stderr and "2564" in failed.stderr


def test_a_command_that_serves_nothing_does_not_load_the_api(installation: Project) -> None:
    """The REST API's library (django-ninja, with pydantic) is 0.15 s of each command's start:
    only the web app loads it (config/settings.py keeps it out of INSTALLED_APPS)."""
    loaded = installation.shell(
        "import sys; print(sorted({'ninja', 'pydantic'} & set(sys.modules)))"
    )
    assert loaded.strip() == "[]"


def test_every_tidtam_process_collects_garbage_at_the_threshold_set_once(
    installation: Project,
) -> None:
    """tidtam/cli.py: GC_THRESHOLD, not Python's default (bench/gc_threshold.py): a command, and
    the web app as gunicorn loads it. (Python 3.14's collector reports no third value.)"""
    read = "import gc; print(gc.get_threshold()[:2])"
    assert installation.shell(read).strip() == str(GC_THRESHOLD[:2]) == "(10000, 10)"
    web = subprocess.run(
        [sys.executable, "-c", f"import config.wsgi; {read}"],
        env=installation.env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert web.stdout.strip() == "(10000, 10)"


def test_every_data_command_skips_the_system_checks_that_serving_runs() -> None:
    """tidtam's own commands (reports, backups, imports, cron jobs) start without Django's
    system checks (tidtam/commands.py); the checks run where the app starts to serve."""
    from django.core.management import get_commands, load_command_class

    from tidtam.commands import DataCommand

    ours = {name: app for name, app in get_commands().items() if app.startswith("tidtam.")}
    assert {"report", "backup", "restore", "cleanup", "import", "export", "serve"} <= set(ours)
    for name, app in ours.items():
        command = load_command_class(app, name)
        if name == "serve":
            assert not isinstance(command, DataCommand)
            assert command.requires_system_checks == "__all__"
        else:
            assert isinstance(command, DataCommand), name
            assert command.requires_system_checks == [], name


def test_every_app_of_tidtam_runs_with_its_own_config() -> None:
    """Django picks an app's config from its apps.py only when it is the one AppConfig there (or
    the one marked default): a second one there, imported or not, silently gives a plain config
    whose ready() connects nothing (the shared cache's table, the session stamp)."""
    from django.apps import apps

    from tidtam.web.apps import WebConfig

    assert type(apps.get_app_config("web")) is WebConfig
    assert type(apps.get_app_config("staticfiles")).__module__ == "tidtam.web.staticfiles"
    for config in apps.get_app_configs():
        if config.name.startswith("tidtam."):
            assert type(config).__module__.startswith(config.name), config.name
