"""The year-end disbursement forecast: from past years' shape, or from the monthly plan."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tidtam.domain.disbursement import MonthlyPlan, cumulative
from tidtam.domain.errors import DomainError
from tidtam.domain.forecast import forecast_disbursement

D = Decimal


FLAT = MonthlyPlan((D(100),) * 12)  # 1,200 a year, 100 a month


def test_without_past_years_the_rest_follows_the_plan_at_this_years_pace() -> None:
    # Six months planned 600, paid 300: half the plan's pace.
    forecast = forecast_disbursement(
        allocation=D(1200), plan=FLAT, reported_month=6, disbursed=D(300)
    )
    assert forecast.method == "plan"
    assert forecast.reported_month == 6
    year_end = forecast.year_end
    assert (year_end.expected, year_end.low, year_end.high) == (D(600), D(600), D(900))
    assert forecast.at(9).expected == D(450)
    assert forecast.at(3).expected == D(300)  # reported: the result itself
    assert forecast.misses(12, D(93)) is True
    assert year_end.percents(D(1200)) == (D(50), D(50), D(75))


def test_a_faster_pace_is_capped_at_the_allocation() -> None:
    forecast = forecast_disbursement(
        allocation=D(1200), plan=FLAT, reported_month=3, disbursed=D(600)
    )
    assert (forecast.year_end.low, forecast.year_end.expected, forecast.year_end.high) == (
        D(1200),
        D(1200),
        D(1200),
    )
    assert forecast.at(4).low == D(700)  # the plan's own pace from here
    assert forecast.at(4).expected == D(800)
    assert forecast.misses(12, D(93)) is False


def test_with_past_years_their_shape_carries_this_year_forward() -> None:
    # Two past years: one paid 25 % of its year by March, the other 50 %.
    slow = cumulative([D(0)] * 5 + [D(25)] + [D(0)] * 5 + [D(75)])
    fast = cumulative([D(0)] * 5 + [D(50)] + [D(0)] * 5 + [D(50)])
    idle = [D(0)] * 12  # paid nothing: tells nothing
    forecast = forecast_disbursement(
        allocation=D(1000),
        plan=FLAT,
        reported_month=6,
        disbursed=D(200),
        past_years=[slow, fast, idle],
    )
    assert forecast.method == "past_years"
    year_end = forecast.year_end
    assert (year_end.low, year_end.expected, year_end.high) == (D(400), D(600), D(800))


def test_past_years_that_had_paid_nothing_by_now_leave_the_plan_to_forecast() -> None:
    late = cumulative([D(0)] * 11 + [D(100)])
    forecast = forecast_disbursement(
        allocation=D(1200), plan=FLAT, reported_month=1, disbursed=D(100), past_years=[late]
    )
    assert forecast.method == "plan"


def test_nothing_reported_yet_forecasts_the_plan_and_a_full_year_forecasts_itself() -> None:
    empty = forecast_disbursement(allocation=D(1200), plan=FLAT, reported_month=0, disbursed=D(0))
    assert empty.method == "plan"
    assert empty.year_end.expected == D(1200)
    done = forecast_disbursement(allocation=D(0), plan=FLAT, reported_month=12, disbursed=D(120))
    assert done.projections == ()
    assert done.year_end.expected == D(120)  # paid above a zero allocation: kept, not cut
    assert done.misses(12, D(50)) is None


def test_a_plan_with_nothing_due_yet_keeps_the_plans_pace() -> None:
    back = MonthlyPlan((D(0),) * 6 + (D(200),) * 6)
    forecast = forecast_disbursement(
        allocation=D(1200), plan=back, reported_month=6, disbursed=D(0)
    )
    assert forecast.year_end.expected == D(1200)


def test_past_years_must_have_twelve_months() -> None:
    with pytest.raises(DomainError) as error:
        forecast_disbursement(
            allocation=D(1), plan=FLAT, reported_month=1, disbursed=D(0), past_years=[[D(1)] * 11]
        )
    assert error.value.code == "monthly_plan_months"
    with pytest.raises(DomainError):
        forecast_disbursement(allocation=D(1), plan=FLAT, reported_month=13, disbursed=D(0))
