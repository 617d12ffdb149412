"""Documents of an organisation with the units below it (`tidtam report … --subtree`).

A generated ministry with departments and bureaus, each with its own plan: the quarterly report
and the ITA plan, 6-month and annual reports made for the ministry with its subtree are the units'
own documents put together. Every item is counted in the band its own plan gives it, so the
band table's total row is the units' totals added up, and equals the national band tables (the
database's count of the stored bands); the budget is every unit's lines; each row says whose it
is. Every format renders it; a document that cannot be made that way says so in Thai.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from tests.app.readback import docx_text, xlsx_text
from tests.app.test_generated_documents import xlsx_band_totals
from tidtam.budgets.models import OF_THE_YEAR, BudgetLine
from tidtam.domain.errors import DomainError
from tidtam.domain.progress import Band
from tidtam.messages import message_for
from tidtam.orgs import access
from tidtam.orgs.models import Organization
from tidtam.plans.models import OperatingPlan
from tidtam.progress.selectors import band_tables
from tidtam.reports.documents import document
from tidtam.reports.render import render
from tidtam.seeds.generate import Scale, generate

pytestmark = pytest.mark.django_db

YEAR = 2567


@pytest.fixture(scope="module")
def ministry(seeded: None, django_db_blocker: Any) -> Iterator[str]:
    """Generated once for the module (read only), in a transaction rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        generate(
            fiscal_year=YEAR,
            scale=Scale(organizations=7, work_items=300, kpis=30, budget_lines=25),
            seed=29,
        )
        yield (
            Organization.objects.filter(code__startswith="gen-", parent__isnull=True)
            .order_by("code")
            .values_list("code", flat=True)
            .first()
        )
        transaction.set_rollback(True)


def planned_units(code: str) -> list[OperatingPlan]:
    """The plans of the ministry's subtree, in the tree's order (a unit before its units)."""
    org = Organization.objects.get(code=code)
    children = access.descendants_map()
    codes = dict(Organization.objects.values_list("pk", "code"))
    order: list[int] = []

    def walk(pk: int) -> None:
        order.append(pk)
        for child in sorted(children.get(pk, ()), key=lambda c: codes[c]):
            walk(child)

    walk(org.pk)
    plans = {
        p.organization_id: p
        for p in OperatingPlan.objects.filter(
            organization_id__in=order, fiscal_year__year=YEAR
        ).select_related("organization")
    }
    return [plans[pk] for pk in order if pk in plans]


def test_the_quarterly_report_of_a_ministry_is_its_units_reports_put_together(
    ministry: str,
) -> None:
    units = planned_units(ministry)
    assert len(units) >= 3
    whole = document("quarterly").data(ministry, YEAR, 6, subtree=True)
    assert whole["units"] == [p.organization.label for p in units]
    assert whole["title"]["organization"].endswith("และหน่วยงานในสังกัด")
    parts = [document("quarterly").data(p.organization.code, YEAR, 6) for p in units]

    # The total row: each unit's counted as its own report counts it, added up; and the same
    # as the database's count of the stored bands.
    totals = whole["band_table"]["totals"]
    for band in Band:
        assert totals[band.value]["count"] == sum(
            part["band_table"]["totals"][band.value]["count"] for part in parts
        )
    tables = band_tables(
        fiscal_year=YEAR,
        round_months=6,
        organization_codes=[p.organization.code for p in units],
    )
    for band in Band:
        assert totals[band.value]["count"] == sum(t.band_totals[band] for t in tables.values())
    assert whole["band_table"]["total"]["count"] == sum(
        part["band_table"]["total"]["count"] for part in parts
    )
    # Each unit's outputs, named by the unit, in the units' order.
    outputs = whole["band_table"]["outputs"]
    assert len(outputs) == sum(len(part["band_table"]["outputs"]) for part in parts)
    expected = [
        f"{p.organization.label}: {output['label']}"
        for p, part in zip(units, parts, strict=True)
        for output in part["band_table"]["outputs"]
    ]
    assert [output["label"] for output in outputs] == expected
    # The lists: every unit's lagging items and groups, each named by its unit.
    assert len(whole["lagging_projects"]) == sum(len(part["lagging_projects"]) for part in parts)
    assert [row["number"] for row in whole["lagging_projects"]] == list(
        range(1, len(whole["lagging_projects"]) + 1)
    )
    assert sum(len(part["lagging_projects"]) for part in parts) > 0
    labels = tuple(f"{p.organization.label}: " for p in units)
    assert all(row["name"].startswith(labels) for row in whole["lagging_projects"])
    assert len(whole["lagging_budget_items"]) == sum(
        len(part["lagging_budget_items"]) for part in parts
    )
    assert len(whole["strategic"]["strategies"]) == sum(
        len(part["strategic"]["strategies"]) for part in parts
    )
    # The budget: every line of the subtree's organisations, added up once.
    ids = access.with_descendants(
        {Organization.objects.get(code=ministry).pk}, access.descendants_map()
    )
    plan_total = sum(
        (
            line.annual_plan_baht
            for line in BudgetLine.objects.filter(
                OF_THE_YEAR, organization_id__in=ids, fiscal_year__year=YEAR
            )
        ),
        Decimal(0),
    )
    assert whole["budget"]["total"]["plan_baht"] == plan_total > 0
    assert len(whole["budget"]["lines"]) == sum(len(part["budget"]["lines"]) for part in parts)


def test_the_ministrys_reports_render_in_every_format_with_each_units_rows(
    ministry: str, office: None
) -> None:
    units = planned_units(ministry)
    report = document("quarterly").content(ministry, YEAR, 6, subtree=True)
    data = report.model_dump()
    total = data["band_table"]["total"]["text"]
    first_output = data["band_table"]["outputs"][0]["label"]
    workbook = render(report, "xlsx")
    texts = {
        "json": render(report, "json").decode(),
        "html": render(report, "html").decode(),
        "docx": docx_text(render(report, "docx")),
        "xlsx": xlsx_text(workbook),
    }
    for fmt, text in texts.items():
        # The spreadsheet prints the total row's counts as numbers, each in its cell.
        assert total in text or fmt == "xlsx", fmt
        assert first_output in text, fmt
        assert units[-1].organization.label in text, fmt
    totals = {band: data["band_table"]["totals"][band.value]["count"] for band in Band}
    assert xlsx_band_totals(workbook, data) == totals
    pdf = render(report, "pdf")
    assert pdf.startswith(b"%PDF")

    for code in ("ita-plan", "ita-progress", "ita-annual"):
        ita = document(code).content(ministry, YEAR, subtree=True)
        dumped = ita.model_dump()
        assert dumped["units"] == [p.organization.label for p in units], code
        for fmt in ("html", "docx", "xlsx", "json"):
            content = render(ita, fmt)
            text = {"docx": docx_text, "xlsx": xlsx_text}.get(fmt, bytes.decode)(content)
            assert "และหน่วยงานในสังกัด" in text, (code, fmt)


def test_the_ita_plan_of_a_ministry_lists_every_units_items_and_lines(ministry: str) -> None:
    units = planned_units(ministry)
    whole = document("ita-plan").data(ministry, YEAR, subtree=True)
    parts = [document("ita-plan").data(p.organization.code, YEAR) for p in units]
    assert whole["item_count"] == sum(part["item_count"] for part in parts) > 0
    assert len(whole["groups"]) == sum(len(part["groups"]) for part in parts)
    assert whole["budget_total_baht"] == sum(part["budget_total_baht"] for part in parts)
    assert [g["label"] for g in whole["groups"]] == [
        f"{p.organization.label}: {g['label']}"
        for p, part in zip(units, parts, strict=True)
        for g in part["groups"]
    ]


def test_the_command_makes_a_subtree_document_and_refuses_one_that_cannot_be(
    ministry: str,
) -> None:
    out = io.StringIO()
    call_command(
        "report",
        "quarterly",
        "--org",
        ministry,
        "--fy",
        str(YEAR),
        "--round",
        "6",
        "--subtree",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["units"] and data["organization"]["name"].endswith("และหน่วยงานในสังกัด")
    with pytest.raises(CommandError, match="ออกได้ทีละหน่วยงาน"):
        call_command(
            "report", "agreement", "--org", ministry, "--fy", str(YEAR), "--subtree", stdout=out
        )
    # An organisation whose subtree has no plan of the year (the ministry above สต.): said in
    # Thai, with the fix.
    assert not OperatingPlan.objects.filter(
        organization__parent__code="moe", fiscal_year__year=YEAR
    ).exists()
    with pytest.raises(CommandError, match="ยังไม่มีแผนปฏิบัติราชการของปีงบประมาณ 2567 เลย"):
        call_command("report", "quarterly", "--org", "moe", "--fy", "2567", "--subtree", stdout=out)


def test_a_ministry_planner_asks_for_the_report_with_its_units_on_the_documents_page(
    ministry: str, django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Any
) -> None:
    from django.test import Client
    from django.urls import reverse

    from tests.app.test_documents_web import person_with_role
    from tidtam.orgs.models import RoleAssignment
    from tidtam.reports.models import RenderJob
    from tidtam.reports.services import render_job_run

    settings.MEDIA_ROOT = tmp_path / "media"
    planner = person_with_role("ministry-planner", ministry, RoleAssignment.Role.PLANNER)
    client = Client()
    client.force_login(planner)
    form = {
        "document": "quarterly",
        "organization": ministry,
        "fiscal_year": YEAR,
        "round_months": 6,
        "fmt": "json",
        "subtree": "on",
    }
    page = client.get(reverse("reports:documents")).content.decode()
    assert "รวมหน่วยงานในสังกัด" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:documents"), form)
    assert response.status_code == 302, response.content.decode()
    job = RenderJob.objects.get(requested_by=planner)
    assert job.subtree
    assert render_job_run(str(job.pk)) == "done"
    job.refresh_from_db()
    assert job.filename.endswith("-with-units.json")
    data = json.loads(job.file.read())
    assert data["units"] == [p.organization.label for p in planned_units(ministry)]
    status = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "และหน่วยงานในสังกัด" in status

    # The agreement is the organisation's own: the form says so where the box is ticked.
    refused = client.post(reverse("reports:documents"), {**form, "document": "agreement"})
    assert refused.status_code == 400
    assert "ออกได้ทีละหน่วยงาน" in refused.content.decode()
    assert RenderJob.objects.filter(requested_by=planner).count() == 1


def test_the_scorecard_of_a_ministry_is_each_units_own_scorecard_in_the_trees_order(
    ministry: str,
) -> None:
    from tidtam.agreements.models import Agreement

    agreed = dict(
        Agreement.objects.filter(fiscal_year__year=YEAR).values_list("organization_id", "pk")
    )
    order = [
        org
        for pk in access.tree_order(Organization.objects.get(code=ministry).pk)
        if pk in agreed and (org := Organization.objects.get(pk=pk)).code != ministry
    ]
    assert len(order) >= 2
    doc = document("scorecard")
    whole = doc.content(ministry, YEAR, 6, subtree=True)
    assert whole.subtitle.startswith(
        Organization.objects.get(code=ministry).name + " และหน่วยงานในสังกัด"
    )
    # Each unit's card is its own scorecard's, figure for figure, in the tree's order.
    assert [unit.organization.code for unit in whole.units] == [org.code for org in order]
    for unit, org in zip(whole.units, order, strict=True):
        alone = doc.content(org.code, YEAR, 6)
        assert unit.heading == org.name
        for field in ("groups", "self_total", "self_total_text", "reviewed_total", "kpi_count"):
            assert getattr(unit, field) == getattr(alone, field), (org.code, field)
    # The ministry's own card is its own agreement's, when it has one.
    own = doc.content(ministry, YEAR, 6)
    assert whole.own and whole.groups == own.groups and whole.self_total == own.self_total
    assert doc.content(ministry, YEAR, 6).units == []

    data = whole.model_dump(mode="json")
    texts = {
        "docx": docx_text(render(data, "docx")),
        "xlsx": xlsx_text(render(data, "xlsx")),
        "html": render(data, "html").decode(),
    }
    for fmt, text in texts.items():
        for unit in whole.units:
            assert unit.heading in text, (fmt, unit.heading)
            if fmt != "xlsx":  # the workbook's scores are numbers, not text
                assert unit.self_total_text in text, (fmt, unit.heading)
            for group in unit.groups:
                assert group.kpis[0].name in text, (fmt, unit.heading)
    printed = json.loads(render(data, "json"))
    assert [(u["heading"], u["self_total_text"], u["kpi_count"]) for u in printed["units"]] == [
        (u.heading, u.self_total_text, u.kpi_count) for u in whole.units
    ]


def test_an_organisation_without_an_agreement_of_its_own_prints_its_units_and_names_the_others(
    ministry: str,
) -> None:
    from tidtam.agreements.models import Agreement

    root = Organization.objects.get(code=ministry)
    units = access.tree_order(root.pk)[1:]
    kept = Agreement.objects.filter(organization_id=units[0], fiscal_year__year=YEAR)
    assert kept.exists()
    with transaction.atomic():
        gone = Agreement.objects.filter(
            fiscal_year__year=YEAR, organization_id__in=[root.pk, *units[1:]]
        )
        gone.delete()
        whole = document("scorecard").content(ministry, YEAR, 6, subtree=True)
        assert not whole.own and whole.groups == [] and whole.self_total is None
        assert [u.organization.code for u in whole.units] == [
            Organization.objects.get(pk=units[0]).code
        ]
        for pk in units[1:]:
            assert Organization.objects.get(pk=pk).label in whole.units_note
        data = whole.model_dump(mode="json")
        text = docx_text(render(data, "docx"))
        assert whole.units_note in text and whole.units[0].heading in text
        # The unit's table only: the ministry's empty one is left out.
        assert text.count("\nคะแนนรวม\n") == 1
        xlsx = xlsx_text(render(data, "xlsx"))
        assert whole.units_note in xlsx and xlsx.count("รวมทั้งสิ้น") == 1
        kept.delete()
        with pytest.raises(DomainError) as refused:
            document("scorecard").content(ministry, YEAR, 6, subtree=True)
        assert "ยังไม่มีคำรับรองการปฏิบัติราชการของปีงบประมาณ 2567 เลย" in message_for(refused.value)
        transaction.set_rollback(True)
