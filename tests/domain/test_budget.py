"""Budget figures of seed 000: disbursed, committed, spent, and percentages of plan."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidtam.domain.budget import BudgetFigures, compare_with_target, sum_figures
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
