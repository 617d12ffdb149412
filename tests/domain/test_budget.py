"""Budget figures of seed 000: disbursed, committed, spent, and percentages of plan."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidtam.domain.budget import (
    BudgetFigures,
    ItemBudget,
    ItemBudgetSource,
    compare_with_target,
    sum_figures,
)
from tidtam.domain.disbursement import planned_by_month
from tidtam.domain.errors import DomainError
from tidtam.domain.thai import format_million, format_percent

D = Decimal

# Seed 000, section 2, in baht: (line, annual plan, disbursed by 31 March 2567).
SEED_000_LINES = {
    "งบตามแผนยุทธศาสตร์": BudgetFigures(plan=D("231332300"), disbursed=D("18550000")),
    "งบสนับสนุนการดำเนินงาน": BudgetFigures(plan=D("53665000"), disbursed=D("25035700")),
    "งบประมาณแผนงานบุคลากรภาครัฐ": BudgetFigures(plan=D("68694600"), disbursed=D("32941400")),
    "งบกองทุน สมศ.": BudgetFigures(plan=D("11165700"), disbursed=D("3794200")),
}


def six_months(line: BudgetFigures) -> BudgetFigures:
    """The line as of the 6-month round: seed 000's lines have no monthly plan."""
    due = planned_by_month(line.plan, None, 6)
    return BudgetFigures(line.plan, line.disbursed, line.committed, planned_to_date=due)


def test_seed_000_budget_lines_reproduce_their_percentages() -> None:
    shown = {name: format_percent(line.percent_disbursed) for name, line in SEED_000_LINES.items()}

    assert list(shown.values()) == ["8.02", "46.65", "47.95", "33.98"]


def test_seed_000_budget_total_is_80_3213_of_364_8576_million_or_22_01() -> None:
    total = sum_figures(SEED_000_LINES.values())

    assert format_million(total.disbursed) == "80.3213"
    assert format_million(total.plan) == "364.8576"
    assert format_percent(total.percent_disbursed) == "22.01"


def test_six_month_percent_is_against_half_the_annual_plan() -> None:
    shown = [
        format_percent(six_months(line).percent_disbursed_to_date)
        for line in SEED_000_LINES.values()
    ]

    # Seed 000 prints 95.90 for the third line: twice its rounded 47.95. Computed
    # from unrounded values the figure is 95.9068..., which rounds to 95.91.
    assert shown == ["16.04", "93.30", "95.91", "67.96"]


@given(st.sampled_from(list(SEED_000_LINES.values())))
def test_six_month_percent_is_twice_the_annual_percent(line: BudgetFigures) -> None:
    annual = line.percent_disbursed
    six_month = six_months(line).percent_disbursed_to_date

    assert annual is not None
    assert six_month is not None
    assert abs(six_month - 2 * annual) <= D("1e-24")


def test_spent_is_disbursed_plus_committed() -> None:
    line = BudgetFigures(plan=D("1000000"), disbursed=D("300000"), committed=D("200000.50"))

    assert line.spent == D("500000.50")
    assert line.remaining == D("499999.50")
    assert line.percent_disbursed == D(30)
    assert line.percent_spent == D("50.00005")
    assert six_months(line).percent_spent_to_date == D("100.0001")


def test_committed_defaults_to_nothing() -> None:
    line = BudgetFigures(plan=D(100), disbursed=D(40))

    assert line.committed == 0
    assert line.spent == D(40)


def test_overspending_shows_a_negative_remainder() -> None:
    assert BudgetFigures(plan=D(100), disbursed=D(90), committed=D(20)).remaining == D(-10)


def test_a_line_without_a_plan_has_no_percentages() -> None:
    line = BudgetFigures(plan=D(0), disbursed=D(0))

    assert line.percent_disbursed is None
    assert line.percent_spent is None
    assert six_months(line).percent_disbursed_to_date is None


@pytest.mark.parametrize("field", ["plan", "disbursed", "committed"])
def test_negative_money_is_refused_naming_the_field(field: str) -> None:
    amounts = {"plan": D(100), "disbursed": D(10), "committed": D(0)}
    amounts[field] = D("-0.01")

    with pytest.raises(DomainError) as caught:
        BudgetFigures(**amounts)

    assert caught.value.code == "negative_amount"
    assert caught.value.params == {"field": field, "value": D("-0.01")}


def test_compare_with_the_cabinet_target_gives_points_above_or_below() -> None:
    total = sum_figures(SEED_000_LINES.values())

    gap = compare_with_target(total.percent_spent, D(32))

    assert format_percent(gap) == "-9.99"
    assert compare_with_target(D(40), D(35)) == D(5)
    assert compare_with_target(None, D(32)) is None


def test_the_plan_due_by_a_round_without_a_monthly_plan_is_the_months_share() -> None:
    assert planned_by_month(D("364857600"), None, 6) == D("182428800")
    assert planned_by_month(D("100"), None, 3) == D("25")
    assert planned_by_month(D("100"), None, 12) == D("100")


# --- a work item's budget beside its line's money ----------------------------------------------


def test_an_item_on_a_line_of_its_own_is_compared_with_the_lines_money() -> None:
    line = BudgetFigures(
        plan=Decimal("500000.00"),
        disbursed=Decimal("150000.00"),
        committed=Decimal("100000.00"),
        planned_to_date=Decimal("200000.00"),
    )
    item = ItemBudget(budget=Decimal("500000.00"), line=line)
    assert item.source is ItemBudgetSource.OWN_LINE
    figures = item.figures
    assert figures is not None
    assert (figures.plan, figures.spent, figures.remaining) == (
        Decimal("500000.00"),
        Decimal("250000.00"),
        Decimal("250000.00"),
    )
    assert figures.percent_disbursed == Decimal(30)
    assert figures.percent_disbursed_to_date == Decimal(75)
    assert item.plan_difference == Decimal(0)
    assert item.overspent == Decimal(0)


def test_an_items_budget_unlike_its_lines_plan_is_the_plan_compared_and_the_gap_is_told() -> None:
    line = BudgetFigures(
        plan=Decimal("400000.00"),
        disbursed=Decimal("380000.00"),
        committed=Decimal("20000.00"),
        planned_to_date=Decimal("400000.00"),
    )
    item = ItemBudget(budget=Decimal("350000.00"), line=line)
    figures = item.figures
    assert figures is not None
    assert figures.plan == Decimal("350000.00")
    # The line's schedule is of its own plan, not of the item's budget.
    assert figures.planned_to_date is None
    assert item.plan_difference == Decimal("-50000.00")
    assert item.overspent == Decimal("50000.00")


def test_items_sharing_a_line_are_compared_together() -> None:
    line = BudgetFigures(plan=Decimal(900), disbursed=Decimal(300))
    item = ItemBudget(budget=Decimal(200), line=line, items_on_line=3, budgets_on_line=Decimal(900))
    assert item.source is ItemBudgetSource.SHARED_LINE
    figures = item.figures
    assert figures is not None
    assert (figures.plan, figures.disbursed) == (Decimal(900), Decimal(300))
    assert item.plan_difference == Decimal(0)


def test_an_item_on_no_line_has_nothing_to_compare() -> None:
    item = ItemBudget(budget=Decimal(100))
    assert item.source is ItemBudgetSource.NO_LINE
    assert item.figures is None
    assert item.plan_difference is None
    assert item.overspent == Decimal(0)


def test_an_item_budget_refuses_what_cannot_be() -> None:
    with pytest.raises(DomainError):
        ItemBudget(budget=Decimal(-1))
    with pytest.raises(ValueError, match="at least 1"):
        ItemBudget(budget=Decimal(1), items_on_line=0)
    with pytest.raises(ValueError, match="includes"):
        ItemBudget(budget=Decimal(5), items_on_line=2, budgets_on_line=Decimal(4))


@given(
    budget=st.decimals(min_value=0, max_value=10**9, places=2),
    disbursed=st.decimals(min_value=0, max_value=10**9, places=2),
    committed=st.decimals(min_value=0, max_value=10**9, places=2),
)
def test_an_own_lines_figures_add_up_whatever_the_amounts(
    budget: Decimal, disbursed: Decimal, committed: Decimal
) -> None:
    line = BudgetFigures(plan=budget, disbursed=disbursed, committed=committed)
    figures = ItemBudget(budget=budget, line=line).figures
    assert figures is not None
    assert figures.remaining + figures.spent == budget
    assert ItemBudget(budget=budget, line=line).overspent == max(disbursed + committed - budget, 0)
