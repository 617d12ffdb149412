"""A lagging budget item whose percent was typed, on a budget line with no spending reported for
the round: the quarterly report counts the line as nothing spent yet, in every format."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tidtam.budgets.models import BudgetLine, BudgetSpending
from tidtam.periods.models import Round
from tidtam.plans.models import WorkItem
from tidtam.progress.models import ProgressEntry
from tidtam.progress.services import progress_entry_save
from tidtam.reports.quarterly import quarterly_report
from tidtam.reports.render import render

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def item_on_a_line_without_spending() -> tuple[WorkItem, Round]:
    """สมศ.'s first budget item, moved onto its own new line with nothing reported for round 6."""
    round_ = Round.objects.get(fiscal_year__year=2567, months=6)
    item = (
        WorkItem.objects.filter(
            plan__organization__code="onesqa",
            plan__fiscal_year__year=2567,
            kind=WorkItem.Kind.BUDGET_ITEM,
            budget_line__isnull=False,
            excluded=False,
            later_quarter_from__isnull=True,
        )
        .select_related("budget_line")
        .order_by("pk")
        .first()
    )
    assert item is not None and item.budget_line is not None
    # Its own new line, with nothing reported for the round yet.
    old = item.budget_line
    line = BudgetLine.objects.create(
        organization=old.organization,
        fiscal_year=old.fiscal_year,
        category=old.category,
        number=BudgetLine.objects.filter(organization=old.organization).count() + 100,
        name="รายการใหม่ยังไม่มีผลเบิกจ่าย",
        fund_source=old.fund_source,
        annual_plan_baht=Decimal("120000.00"),
    )
    item.budget_line = line
    item.save()
    return item, round_


def test_a_line_without_spending_counts_as_nothing_spent() -> None:
    item, round_ = item_on_a_line_without_spending()
    assert not BudgetSpending.objects.filter(line=item.budget_line, round=round_).exists()
    entry, _ = ProgressEntry.objects.get_or_create(work_item=item, round=round_)
    entry.percent_method = "entered"
    entry.percent_annual = Decimal("10")
    entry.percent_round = Decimal("10")
    entry.percent_note = "ตามรายงานของหน่วยงาน"
    entry.save()

    report = quarterly_report("onesqa", 2567, 6).model_dump()
    group = next(
        g for g in report["lagging_budget_items"] if g["name"] == (item.group_name or item.name)
    )
    assert group["count"] >= 1
    # The group's percent is still a percent of its lines' plans (this line adding 0 spent).
    assert group["percent_annual"] is not None and group["percent_annual"] >= 0
    for fmt in ("docx", "xlsx", "html", "json"):
        assert render(report, fmt)


def test_a_budget_item_following_a_line_without_spending_is_at_zero() -> None:
    """Its percent follows its line's spending (budget_line): none reported yet is 0 %, counted
    below 50 and listed as lagging, where the report used to refuse itself."""
    item, round_ = item_on_a_line_without_spending()
    ProgressEntry.objects.filter(work_item=item, round=round_).delete()
    entry = progress_entry_save(
        work_item=item,
        round_=round_,
        result_text="อยู่ระหว่างเบิกจ่าย",
        percent_method="budget_line",
        in_closed_round=True,
    )
    assert (entry.percent_round, entry.percent_annual, entry.band) == (0, 0, "below_50")

    report = quarterly_report("onesqa", 2567, 6).model_dump()
    names = {m["name"] for g in report["lagging_budget_items"] for m in g.get("items", [])} | {
        g["name"] for g in report["lagging_budget_items"]
    }
    assert (item.group_name or item.name) in names
    for fmt in ("docx", "xlsx", "html", "json"):
        assert render(report, fmt)
