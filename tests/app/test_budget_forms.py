"""สงป. 301 and 302 from tidtam's own data: `tidtam report form-301|form-302 … --format xlsx`
writes the Budget Bureau's monthly grids, which openpyxl reads back as numbers equal to the rows
they came from; other formats are refused in Thai."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.app.conftest import signed_in
from tidtam.budgets.models import BudgetLine
from tidtam.plans.models import PlannedMilestone, WorkItem
from tidtam.seeds.generate import Scale, generate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

D = Decimal
YEAR = 2567
# Columns of a grid row: code, name, unit, plan/result, then (3 months + the quarter) × 4, total.
MONTH_COLUMNS = [4 + q * 4 + m for q in range(4) for m in range(3)]
QUARTER_COLUMNS = [4 + q * 4 + 3 for q in range(4)]
TOTAL_COLUMN = 20


def grid(tmp_path: Path, form: str, org: str) -> list[tuple[Any, ...]]:
    path = tmp_path / f"{form}.xlsx"
    call_command(
        "report", form, "--org", org, "--fy", str(YEAR), "--format", "xlsx", "-o", str(path)
    )
    sheet = load_workbook(path)["แบบฟอร์ม"]
    return list(sheet.iter_rows(values_only=True))


def number(value: Any) -> Decimal | None:
    assert value is None or isinstance(value, int | float), value  # a number, never text
    return None if value is None else D(str(value))


def test_form_302_holds_each_lines_months_and_quarters_as_numbers(tmp_path: Path) -> None:
    generate(
        fiscal_year=YEAR,
        scale=Scale(organizations=4, work_items=80, kpis=12, budget_lines=16),
        seed=5,
    )
    line = (
        BudgetLine.objects.filter(
            fiscal_year__year=YEAR, organization__code__startswith="gen-", months__isnull=False
        )
        .distinct()
        .order_by("organization__code", "number")
        .first()
    )
    assert line is not None
    rows = grid(tmp_path, "form-302", line.organization.code)
    assert rows[0][0].startswith("แบบ สงป. 302")
    header = next(r for r in rows if r[0] == "รหัส / ลำดับ")
    assert header[4:8] == ("ต.ค.", "พ.ย.", "ธ.ค.", "ไตรมาส 1")
    plan_row = next(i for i, r in enumerate(rows) if r[0] == line.code)
    plan, result = rows[plan_row], rows[plan_row + 1]
    assert plan[3] == "แผน" and result[3] == "ผล"
    months = {m.month: m for m in line.months.all()}
    for month, column in enumerate(MONTH_COLUMNS, start=1):
        assert number(plan[column]) == months[month].planned_baht
        assert number(result[column]) == months[month].disbursed_baht
    for quarter, column in enumerate(QUARTER_COLUMNS, start=1):
        own = [months[m].disbursed_baht for m in range(quarter * 3 - 2, quarter * 3 + 1)]
        assert number(result[column]) == sum(own, D(0))
    assert number(plan[TOTAL_COLUMN]) == line.annual_plan_baht


def test_form_301_holds_each_items_planned_and_reported_quantities(tmp_path: Path) -> None:
    rows = grid(tmp_path, "form-301", "onesqa")
    item = (
        WorkItem.objects.filter(
            plan__organization__code="onesqa",
            plan__fiscal_year__year=YEAR,
            excluded=False,
            target_quantity__isnull=False,
            milestones__planned_quantity__isnull=False,
        )
        .select_related("activity__output")
        .distinct()
        .order_by("activity__output__number", "activity__number", "number")
        .first()
    )
    assert item is not None
    code = f"{item.activity.output.number}.{item.activity.number}.{item.number}"
    plan = next(r for r in rows if r[0] == code)
    assert plan[1] == item.name and plan[2] == item.target_unit
    cumulative = {
        m.round_months: m.planned_quantity
        for m in PlannedMilestone.objects.filter(work_item=item, planned_quantity__isnull=False)
    }
    before = D(0)
    for quarter, column in enumerate(QUARTER_COLUMNS, start=1):
        if quarter * 3 in cumulative:
            assert number(plan[column]) == cumulative[quarter * 3] - before
            before = cumulative[quarter * 3]
    assert all(plan[c] == "-" for c in MONTH_COLUMNS)  # planned by round, not by month


def test_a_grid_in_another_format_is_refused_in_thai() -> None:
    with pytest.raises(CommandError) as error:
        call_command("report", "form-302", "--org", "onesqa", "--fy", str(YEAR), "--format", "docx")
    assert "ทำเป็นไฟล์ docx ไม่ได้" in str(error.value) and "xlsx" in str(error.value)


@pytest.mark.usefixtures("cast")
def test_the_documents_page_offers_the_grids_as_spreadsheets() -> None:
    client = signed_in(Client(), "planner")
    page = client.get(reverse("reports:documents"))
    assert "แบบ สงป. 302" in page.content.decode()
    refused = client.post(
        reverse("reports:documents"),
        {"document": "form-302", "organization": "", "fiscal_year": YEAR, "fmt": "pdf"},
    )
    assert refused.status_code == 400
    assert "ทำได้เป็น" in refused.content.decode()
