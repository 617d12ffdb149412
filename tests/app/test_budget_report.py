"""The quarterly report's budget figures, read through `tidtam report … --format json` as an
agency's planner would, checked against the rows themselves: for generated agencies (monthly
plans, several sources of funds, carry-over, allocations a satang off, targets by nature) and
for seed 000, whose golden figures stay exact."""

from __future__ import annotations

import html
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError
from django.db import transaction
from docx import Document as WordDocument
from openpyxl import load_workbook

from tests.app.conftest import report_data, run_report
from tidtam.budgets.models import BudgetAllocation, BudgetLine, BudgetMonth, BudgetSpending
from tidtam.domain.money import percent
from tidtam.domain.thai import format_million, format_percent
from tidtam.reports.render import render
from tidtam.seeds.generate import Scale, generate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

D = Decimal
YEAR = 2567
SCALE = Scale(organizations=6, work_items=200, kpis=30, budget_lines=40)


@pytest.fixture(scope="module")
def generated(seeded: None, django_db_blocker: Any) -> Iterator[None]:
    """A generated agency's budget, made once for the module in a transaction rolled back after
    it (each test still runs in its own rolled-back transaction inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        generate(fiscal_year=YEAR, scale=SCALE, seed=21)
        yield
        transaction.set_rollback(True)


def quarterly(org: str, months: int = 6) -> dict[str, Any]:
    data = run_report(
        "quarterly", "--org", org, "--fy", str(YEAR), "--round", str(months), "--format", "json"
    )
    budget: dict[str, Any] = data["budget"]
    return budget


def close(a: Decimal | None, b: Decimal | None) -> bool:
    return a is not None and b is not None and abs(D(a) - D(b)) < D("1e-12")


@pytest.mark.usefixtures("generated")
def test_every_figure_of_a_generated_agencys_budget_is_the_rows_own() -> None:
    orgs = (
        BudgetLine.objects.filter(fiscal_year__year=YEAR, organization__code__startswith="gen-")
        .values_list("organization__code", flat=True)
        .distinct()
    )
    seen_monthly = seen_carried = seen_off = 0
    for org in sorted(set(orgs)):
        budget = quarterly(org)
        lines = {
            line.number: line
            for line in BudgetLine.objects.filter(organization__code=org, fiscal_year__year=YEAR)
        }
        spending = {
            s.line.number: s
            for s in BudgetSpending.objects.filter(
                line__in=lines.values(), round__months=6
            ).select_related("line")
        }
        year_lines = [n for n, line in lines.items() if not line.carried_over]
        assert [row["number"] for row in budget["lines"]] == sorted(year_lines)
        carried = [row["number"] for row in budget["carried_over"]["lines"]]
        assert carried == sorted(n for n, line in lines.items() if line.carried_over)
        seen_carried += len(carried)
        plan = sum((lines[n].annual_plan_baht for n in year_lines), D(0))
        disbursed = sum((spending[n].disbursed_baht for n in year_lines), D(0))
        committed = sum((spending[n].committed_baht for n in year_lines), D(0))
        total = budget["total"]
        assert (D(total["plan_baht"]), D(total["disbursed_baht"])) == (plan, disbursed)
        assert D(total["spent_baht"]) == disbursed + committed
        assert D(total["remaining_baht"]) == plan - disbursed - committed
        # เบิกจ่าย and ใช้จ่าย are two figures with two percents.
        assert total["percent_disbursed_text"] == format_percent(percent(disbursed, plan))
        assert total["percent_text"] == format_percent(percent(disbursed + committed, plan))
        assert total["disbursed_million"] == format_million(disbursed)
        for row in budget["lines"]:
            line = lines[row["number"]]
            months = list(BudgetMonth.objects.filter(line=line).order_by("month"))
            if months:
                seen_monthly += 1
                due = sum((m.planned_baht for m in months[:6]), D(0))
            else:
                due = line.annual_plan_baht / 2
            assert close(row["planned_to_date_baht"], due), (org, row["number"])
            assert close(row["share_percent"], percent(line.annual_plan_baht, plan))
            assert "ผลการเบิกจ่าย" in row["text"] and "ผลการใช้จ่าย" in row["text"]
            assert row["disbursed_million"] in row["text"] and row["spent_million"] in row["text"]
        for subtotal in budget["subtotals"]:
            groups = subtotal["groups"]
            assert sum(D(g["plan_baht"]) for g in groups) == plan, subtotal["by"]
            assert sum(D(g["disbursed_baht"]) for g in groups) == disbursed, subtotal["by"]
        assert {s["by"] for s in budget["subtotals"]} == {
            "expense_type",
            "nature",
            "fund_source",
            "category",
        }
        fund_groups = next(s for s in budget["subtotals"] if s["by"] == "fund_source")["groups"]
        seen_off += sum(1 for g in fund_groups if g["label"] != "เงินงบประมาณ")
        allocation = BudgetAllocation.objects.get(organization__code=org, fiscal_year__year=YEAR)
        shown = budget["allocation"]
        assert D(shown["amount_baht"]) == allocation.amount_baht
        assert D(shown["difference_baht"]) == plan - allocation.amount_baht
        assert bool(shown["note"]) == (plan != allocation.amount_baht)
        # The Cabinet's Q2 targets, on disbursement: overall, recurrent and investment.
        targets = {t["scope"]: t for t in budget["targets"]}
        assert targets["overall"]["measure"] == "disbursed"
        assert close(targets["overall"]["actual_percent"], percent(disbursed, plan))
        assert D(targets["overall"]["target_percent"]) == 54
        natures = next(s for s in budget["subtotals"] if s["by"] == "nature")["groups"]
        for group in natures:
            scope = {"recurrent": "recurrent", "investment": "investment"}[group["key"]]
            assert close(targets[scope]["actual_percent"], group["percent_disbursed"])
            assert targets[scope]["met"] == (
                D(group["percent_disbursed"]) >= D(targets[scope]["target_percent"])
            )
    assert seen_monthly and seen_carried and seen_off  # the shapes this test is for were there


def test_seed_000_keeps_its_figures_and_its_wording_and_says_both_percents() -> None:
    budget = quarterly("onesqa")
    assert budget["total"]["spent_million"] == "80.3213"
    assert budget["total"]["plan_million"] == "364.8576"
    assert budget["total"]["percent_text"] == "22.01"
    # Nothing committed in seed 000: disbursed is all it spent.
    assert budget["total"]["percent_disbursed_text"] == "22.01"
    assert [row["percent_text"] for row in budget["lines"]] == ["8.02", "46.65", "47.95", "33.98"]
    assert budget["lines"][0]["text"].startswith("1. งบตามแผนยุทธศาสตร์ มีผลการเบิกจ่าย 18.5500")
    # No monthly plan: half the year is due by March.
    assert budget["lines"][2]["percent_spent_to_date_text"] == "95.91"
    assert budget["allocation"] is None and budget["carried_over"]["lines"] == []


@pytest.mark.usefixtures("generated")
def test_the_documents_print_the_subtotals_targets_and_carry_over_of_a_generated_agency() -> None:
    org = next(
        code
        for code in BudgetLine.objects.filter(
            fiscal_year__year=YEAR, organization__code__startswith="gen-", carried_over=True
        ).values_list("organization__code", flat=True)
    )
    data = report_data("quarterly", org, YEAR, 6)
    notes = data["budget"]["notes"]
    recurrent = next(t["text"] for t in data["budget"]["targets"] if t["scope"] == "recurrent")
    assert recurrent in notes and "รายจ่ายประจำ" in recurrent and "ผลการเบิกจ่ายร้อยละ" in recurrent
    assert any(note.startswith("เงินกันไว้เบิกเหลื่อมปี") for note in notes)
    paragraphs = [p.text for p in WordDocument(io.BytesIO(render(data, "docx"))).paragraphs]
    assert recurrent in paragraphs
    assert recurrent in html.unescape(render(data, "html").decode())
    book = load_workbook(io.BytesIO(render(data, "xlsx")))
    sheet = book["ผลการใช้จ่ายงบประมาณ"]
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "สรุปตามงบรายจ่าย" in cells and "สรุปตามแหล่งเงิน" in cells
    group = data["budget"]["subtotals"][0]["groups"][0]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == group["label"])
    assert row[2] == D(group["plan_baht"]) or row[2] == float(D(group["plan_baht"]))


@pytest.mark.usefixtures("generated")
def test_the_year_end_forecast_follows_the_monthly_plan_and_flags_the_targets_it_misses() -> None:
    org = (
        BudgetLine.objects.filter(fiscal_year__year=YEAR, organization__code__startswith="gen-")
        .order_by("organization__code")
        .values_list("organization__code", flat=True)
        .first()
    )
    assert org is not None
    budget = quarterly(org, months=6)
    forecast = budget["forecast"]
    assert forecast["reported_month"] == 6 and forecast["method"] == "plan"
    # By the plan's pace: what is paid, and the rest of the plan at this year's pace so far.
    lines = [row for row in budget["lines"]]
    for row in lines:
        line = BudgetLine.objects.get(
            organization__code=org, fiscal_year__year=YEAR, number=row["number"]
        )
        plan = line.monthly_plan()
        due = plan.through(6) if plan else line.annual_plan_baht / 2
        paid = D(row["disbursed_baht"])
        pace = paid / due
        expected = min(paid + (line.annual_plan_baht - due) * pace, line.annual_plan_baht)
        assert close(row["forecast"]["expected_baht"], max(expected, paid)), row["number"]
    assert D(forecast["low_baht"]) <= D(forecast["expected_baht"]) <= D(forecast["high_baht"])
    assert [q["quarter"] for q in forecast["quarters"]] == [3, 4]
    for quarter in forecast["quarters"]:
        assert quarter["misses"] == (D(quarter["expected_percent"]) < D(quarter["target_percent"]))
    assert forecast["likely_missed"] == any(q["misses"] for q in forecast["quarters"])
    assert forecast["text"] in budget["notes"]
    assert forecast["text"].startswith("คาดการณ์ผลการเบิกจ่าย ณ สิ้นปีงบประมาณ ร้อยละ")


def _has_colour(png: bytes, colour: tuple[int, int, int]) -> bool:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 24) or []
    return any(found == colour for _, found in colours)


@pytest.mark.usefixtures("generated")
def test_the_chart_draws_disbursement_apart_once_something_is_committed() -> None:
    from tidtam.reports.render.chart import DISBURSED_COLOUR, SPENT_COLOUR, budget_chart_png

    seed = report_data("quarterly", "onesqa", YEAR, 6)["budget"]["chart"]
    assert not _has_colour(budget_chart_png(seed), DISBURSED_COLOUR)  # seed 000: nothing committed
    org = (
        BudgetSpending.objects.filter(
            line__organization__code__startswith="gen-", round__months=6, committed_baht__gt=0
        )
        .values_list("line__organization__code", flat=True)
        .first()
    )
    assert org is not None
    chart = report_data("quarterly", org, YEAR, 6)["budget"]["chart"]
    png = budget_chart_png(chart)
    assert _has_colour(png, DISBURSED_COLOUR) and _has_colour(png, SPENT_COLOUR)


@pytest.mark.usefixtures("generated")
def test_a_report_as_of_a_day_counts_what_was_reported_by_then() -> None:
    monthly = (
        BudgetLine.objects.filter(
            fiscal_year__year=YEAR,
            organization__code__startswith="gen-",
            carried_over=False,
            months__disbursed_baht__isnull=False,
        )
        .distinct()
        .order_by("organization__code", "number")
        .first()
    )
    assert monthly is not None
    org = monthly.organization.code
    data = run_report(
        "quarterly", "--org", org, "--fy", str(YEAR), "--round", "6",
        "--as-of", "15/02/2567", "--format", "json",
    )  # fmt: skip
    budget = data["budget"]
    assert budget["as_of"] == "2024-02-15"
    rows = {row["number"]: row for row in budget["lines"]}
    # By month: October … January, the months ended by 15 February; committed as at January.
    months = list(monthly.months.order_by("month"))
    row = rows[monthly.number]
    assert D(row["disbursed_baht"]) == sum((m.disbursed_baht for m in months[:4]), D(0))
    assert D(row["committed_baht"]) == months[3].committed_baht
    assert row["as_of"] == "2024-01-31"
    assert close(row["planned_to_date_baht"], sum((m.planned_baht for m in months[:4]), D(0)))
    # By round: the 3-month round's figures, drawn on 31 December.
    by_round = next(
        line
        for line in BudgetLine.objects.filter(
            organization__code=org, fiscal_year__year=YEAR, carried_over=False
        )
        if not line.months.exists()
    )
    spent = BudgetSpending.objects.get(line=by_round, round__months=3)
    assert D(rows[by_round.number]["disbursed_baht"]) == spent.disbursed_baht
    assert rows[by_round.number]["as_of"] == "2023-12-31"
    with pytest.raises(CommandError) as outside:
        run_report(
            "quarterly", "--org", org, "--fy", str(YEAR), "--round", "6", "--as-of", "01/04/2567"
        )
    assert "อยู่นอกช่วงของรายงาน" in str(outside.value) and "31 มีนาคม 2567" in str(outside.value)
    with pytest.raises(CommandError) as other:
        run_report("scorecard", "--org", "ops-bic", "--fy", "2564", "--as-of", "01/04/2564")
    assert "ทำตามวันที่ข้อมูลไม่ได้" in str(other.value)


@pytest.mark.usefixtures("generated")
def test_an_organisation_above_others_forecasts_with_its_units_and_one_below_alone() -> None:
    from tidtam.orgs.access import descendants_map, with_descendants
    from tidtam.orgs.models import Organization
    from tidtam.plans.models import OperatingPlan

    with_lines = set(
        BudgetLine.objects.filter(fiscal_year__year=YEAR, carried_over=False).values_list(
            "organization_id", flat=True
        )
    )
    tree = descendants_map()
    planned = OperatingPlan.objects.filter(fiscal_year__year=YEAR).values_list(
        "organization_id", flat=True
    )
    above = [
        org
        for org in Organization.objects.filter(code__startswith="gen-", pk__in=planned).order_by(
            "code"
        )
        if (with_descendants({org.pk}, tree) - {org.pk}) & with_lines
    ]
    assert above, "the generator made no organisation above another with budget lines"
    org = above[0]
    units = with_descendants({org.pk}, tree) & with_lines
    budget = quarterly(org.code, months=6)
    overall = budget["forecast_with_units"]
    assert overall is not None and overall["organizations"] == len(units)
    # Summed from every unit's lines of the year: their plans and what they disbursed by March.
    lines = BudgetLine.objects.filter(
        organization_id__in=units, fiscal_year__year=YEAR, carried_over=False
    )
    assert D(overall["plan_baht"]) == sum((line.annual_plan_baht for line in lines), D(0))
    paid = BudgetSpending.objects.filter(line__in=lines, round__months=6)
    assert D(overall["disbursed_baht"]) == sum((s.disbursed_baht for s in paid), D(0))
    assert D(overall["low_baht"]) <= D(overall["expected_baht"]) <= D(overall["high_baht"])
    assert D(overall["disbursed_baht"]) <= D(overall["expected_baht"]) <= D(overall["plan_baht"])
    assert overall["text"] in budget["notes"] and overall["text"].startswith(f"ภาพรวม{org.label}")
    # A unit with nothing below it forecasts its own budget only.
    alone = next(
        o
        for o in Organization.objects.filter(pk__in=units & set(planned)).exclude(pk=org.pk)
        if not (with_descendants({o.pk}, tree) - {o.pk}) & with_lines
    )
    assert quarterly(alone.code, months=6)["forecast_with_units"] is None
