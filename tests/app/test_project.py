"""Project-wide promises: history on every model people edit, a Thai admin for all of it,
model choices that match the core, and the `tidtam` command as a newcomer runs it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.app.conftest import admin_signed_in
from tests.app.scratch_project import Project, tidtam_command
from tidtam.agreements.models import Agreement, Indicator
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
                   "BudgetSpending", "Activity", "Output", "Round", "PolicyNode", "KPIGroup"}  # fmt: skip
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


def test_the_tidtam_command_sets_up_and_reports_from_a_fresh_database(
    installation: Project,
) -> None:
    # `installation` (tests/conftest.py) is an empty folder set up by `tidtam migrate` and
    # `tidtam load_seeds`, run as commands; the report is asked of the same command.
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
