"""Monthly plans, the plan due by a month or a day, subtotals, and targets on their measure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidtam.domain.budget import BudgetFigures, sum_figures
from tidtam.domain.disbursement import (
    Measure,
    MonthlyPlan,
    compare_target,
    cumulative,
    group_figures,
    measured,
    planned_by_date,
    planned_by_month,
)
from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import (
    check_fiscal_month,
    fiscal_month_of,
    fiscal_month_window,
    round_last_month,
    round_of_fiscal_month,
)
from tidtam.domain.thai import fiscal_month_name, format_percent

D = Decimal
# An investment line, back-loaded: little in the first half, most after April (baht).
BACK_LOADED = MonthlyPlan(
    tuple(
        D(x)
        for x in (
            "0",
            "0",
            "100000",
            "0",
            "0",
            "200000",
            "0",
            "300000",
            "0",
            "0",
            "400000",
            "1000000",
        )
    )
)


def test_fiscal_months_run_from_october_to_september() -> None:
    assert fiscal_month_of(date(2023, 10, 1)) == 1
    assert fiscal_month_of(date(2024, 3, 31)) == 6
    assert fiscal_month_of(date(2024, 9, 30)) == 12
    assert fiscal_month_window(2567, 5) == (date(2024, 2, 1), date(2024, 2, 29))
    assert round_last_month(9) == 9
    assert [round_of_fiscal_month(m) for m in (1, 3, 4, 12)] == [3, 3, 6, 12]
    assert [fiscal_month_name(m) for m in (1, 3, 4, 12)] == ["ตุลาคม", "ธันวาคม", "มกราคม", "กันยายน"]
    assert fiscal_month_name(6, short=True) == "มี.ค."
    with pytest.raises(DomainError) as error:
        check_fiscal_month(13)
    assert error.value.code == "invalid_fiscal_month"


def test_a_monthly_plan_has_twelve_amounts_none_negative() -> None:
    with pytest.raises(DomainError) as error:
        MonthlyPlan((D(1),) * 11)
    assert error.value.params == {"count": 11}
    with pytest.raises(DomainError) as negative:
        MonthlyPlan((D(0),) * 4 + (D(-1),) + (D(0),) * 7)
    assert negative.value.code == "negative_amount"
    assert negative.value.params["field"] == "แผนเดือนที่ 5"


def test_the_plan_due_by_a_round_is_the_monthly_plans_not_a_linear_share() -> None:
    annual = BACK_LOADED.total
    assert annual == D("2000000")
    assert planned_by_month(annual, BACK_LOADED, 0) == 0
    assert planned_by_month(annual, BACK_LOADED, 6) == D("300000")  # 15 %, not 50 %
    assert planned_by_month(annual, BACK_LOADED, 12) == annual
    assert BACK_LOADED.quarter(4) == D("1400000")
    # Without a monthly plan, the linear share the seeds use (round_plan).
    for months in (3, 6, 9, 12):
        assert planned_by_month(annual, None, months) == annual * months / 12
    assert planned_by_month(annual, None, 0) == 0
    assert planned_by_month(D("1000"), None, 1) == D("1000") / 12


def test_a_report_as_of_a_day_counts_the_days_of_its_month_gone_by() -> None:
    annual = BACK_LOADED.total
    # 15 March 2024 (FY 2567, month 6 has 31 days): October … February in full, 15/31 of March.
    due = planned_by_date(annual, BACK_LOADED, 2567, date(2024, 3, 15))
    assert due == D("100000") + D("200000") * 15 / 31
    assert planned_by_date(annual, BACK_LOADED, 2567, date(2024, 3, 31)) == D("300000")
    assert planned_by_date(annual, BACK_LOADED, 2567, date(2023, 9, 30)) == 0
    assert planned_by_date(annual, BACK_LOADED, 2567, date(2024, 10, 1)) == annual
    assert planned_by_date(D("1200"), None, 2567, date(2024, 10, 1)) == D("1200")
    # Linear: 29 February 2024 ends month 5 of 12.
    assert planned_by_date(D("1200"), None, 2567, date(2024, 2, 29)) == D("500")


def test_figures_measure_against_the_plan_due_to_date_and_the_total() -> None:
    line = BudgetFigures(
        plan=D("2000000"), disbursed=D("150000"), committed=D("90000"), planned_to_date=D("300000")
    )
    other = BudgetFigures(plan=D("6000000"), disbursed=D("3000000"), planned_to_date=D("3000000"))
    total = sum_figures([line, other])
    assert format_percent(line.percent_disbursed_to_date) == "50.00"
    assert format_percent(line.percent_spent_to_date) == "80.00"
    assert format_percent(line.share_of(total)) == "25.00"
    assert total.planned_to_date == D("3300000")
    assert measured(line, Measure.DISBURSED) == D("150000")
    assert measured(line, Measure.SPENT) == D("240000")
    without = BudgetFigures(plan=D("100"), disbursed=D("1"))
    assert without.percent_disbursed_to_date is None
    assert without.percent_spent_to_date is None
    assert sum_figures([line, without]).planned_to_date is None
    assert sum_figures([]).planned_to_date is None
    with pytest.raises(DomainError):
        BudgetFigures(plan=D(1), disbursed=D(0), planned_to_date=D(-1))


def test_subtotals_keep_the_order_the_groups_first_appear_in() -> None:
    rows = [
        ("investment", BudgetFigures(plan=D("100.26"), disbursed=D("10"))),
        ("recurrent", BudgetFigures(plan=D("200.42"), disbursed=D("20"))),
        ("investment", BudgetFigures(plan=D("0.005"), disbursed=D("0.004"))),
    ]
    groups = group_figures(rows)
    assert list(groups) == ["investment", "recurrent"]
    assert groups["investment"].plan == D("100.265")
    assert groups["investment"].disbursed == D("10.004")


def test_a_year_above_its_target_on_spending_can_be_below_it_on_disbursement() -> None:
    figures = BudgetFigures(plan=D("1000"), disbursed=D("300"), committed=D("100"))
    on_disbursement = compare_target(figures, D("32"), Measure.DISBURSED)
    on_spending = compare_target(figures, D("32"), Measure.SPENT)
    assert (on_disbursement.actual, on_disbursement.gap, on_disbursement.met) == (
        D(30),
        D(-2),
        False,
    )
    assert (on_spending.gap, on_spending.met) == (D(8), True)
    empty = compare_target(BudgetFigures(plan=D(0), disbursed=D(0)), D("32"), Measure.SPENT)
    assert (empty.actual, empty.gap, empty.met) == (None, None, None)


def test_cumulative_amounts() -> None:
    assert cumulative([D(1), D(2), D("0.5")]) == [D(1), D(3), D("3.5")]


@given(
    st.lists(
        st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
        min_size=12,
        max_size=12,
    ),
    st.dates(min_value=date(2023, 10, 1), max_value=date(2024, 9, 30)),
)
def test_the_plan_due_by_a_day_lies_between_the_month_ends_around_it(
    amounts: list[Decimal], day: date
) -> None:
    plan = MonthlyPlan(tuple(amounts))
    month = fiscal_month_of(day)
    due = planned_by_date(plan.total, plan, 2567, day)
    assert plan.through(month - 1) <= due <= plan.through(month)
    if day == fiscal_month_window(2567, month)[1]:
        assert due == plan.through(month)
