"""Fiscal years, quarters, reporting rounds and B.E. years."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import (
    ROUND_MONTHS,
    be_to_ce,
    ce_to_be,
    check_be_year,
    check_round,
    fiscal_year_end,
    fiscal_year_of,
    fiscal_year_start,
    quarter_of,
    quarter_report_due,
    quarter_window,
    round_of_date,
    round_window,
)

# The dates whose fiscal years are plausible B.E. years (2401..2700).
plausible_dates = st.dates(min_value=date(1857, 10, 1), max_value=date(2157, 9, 30))
plausible_fiscal_years = st.integers(min_value=2401, max_value=2700)


def test_fiscal_year_2567_runs_from_1_october_2023_to_30_september_2024() -> None:
    assert fiscal_year_start(2567) == date(2023, 10, 1)
    assert fiscal_year_end(2567) == date(2024, 9, 30)


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (date(2023, 9, 30), 2566),
        (date(2023, 10, 1), 2567),
        (date(2023, 12, 31), 2567),
        (date(2024, 1, 1), 2567),
        (date(2024, 3, 31), 2567),
        (date(2024, 9, 30), 2567),
        (date(2021, 2, 10), 2564),
    ],
)
def test_october_to_december_belong_to_the_next_fiscal_year(day: date, fiscal_year: int) -> None:
    assert fiscal_year_of(day) == fiscal_year


def test_be_is_ce_plus_543() -> None:
    assert ce_to_be(2024) == 2567
    assert be_to_ce(2567) == 2024


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2023, 10, 1), 1),
        (date(2023, 12, 31), 1),
        (date(2024, 1, 1), 2),
        (date(2024, 3, 31), 2),
        (date(2024, 4, 1), 3),
        (date(2024, 6, 30), 3),
        (date(2024, 7, 1), 4),
        (date(2024, 9, 30), 4),
    ],
)
def test_quarter_of_counts_from_october(day: date, quarter: int) -> None:
    assert quarter_of(day) == quarter


@pytest.mark.parametrize(
    ("quarter", "window"),
    [
        (1, (date(2023, 10, 1), date(2023, 12, 31))),
        (2, (date(2024, 1, 1), date(2024, 3, 31))),
        (3, (date(2024, 4, 1), date(2024, 6, 30))),
        (4, (date(2024, 7, 1), date(2024, 9, 30))),
    ],
)
def test_quarter_window_of_fiscal_year_2567(quarter: int, window: tuple[date, date]) -> None:
    assert quarter_window(2567, quarter) == window


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_quarter_window_rejects_a_quarter_outside_1_to_4(quarter: int) -> None:
    with pytest.raises(DomainError) as caught:
        quarter_window(2567, quarter)

    assert caught.value.code == "invalid_quarter"
    assert caught.value.params == {"quarter": quarter}


def test_six_month_round_of_2567_is_october_2023_to_march_2024_as_in_seed_000() -> None:
    assert round_window(2567, 6) == (date(2023, 10, 1), date(2024, 3, 31))


def test_quarter_only_six_month_round_is_january_to_march() -> None:
    assert round_window(2567, 6, cumulative=False) == (date(2024, 1, 1), date(2024, 3, 31))


def test_twelve_month_round_is_the_whole_fiscal_year() -> None:
    assert round_window(2567, 12) == (fiscal_year_start(2567), fiscal_year_end(2567))


def test_three_month_round_is_the_first_quarter_either_way() -> None:
    assert (
        round_window(2567, 3) == round_window(2567, 3, cumulative=False) == quarter_window(2567, 1)
    )


@pytest.mark.parametrize("months", [0, 1, 4, 24])
def test_round_window_rejects_months_that_are_not_a_round(months: int) -> None:
    with pytest.raises(DomainError) as caught:
        round_window(2567, months)

    assert caught.value.code == "invalid_round"
    assert caught.value.params == {"months": months}


def test_check_round_accepts_the_four_rounds() -> None:
    assert [check_round(months) for months in ROUND_MONTHS] == [3, 6, 9, 12]


def test_round_of_date_is_the_round_whose_quarter_holds_the_date() -> None:
    assert round_of_date(date(2023, 11, 15)) == 3
    assert round_of_date(date(2024, 3, 31)) == 6
    assert round_of_date(date(2024, 5, 1)) == 9
    assert round_of_date(date(2024, 9, 30)) == 12


def test_quarter_report_is_due_15_days_after_the_quarter() -> None:
    assert quarter_report_due(2567, 2) == date(2024, 4, 15)
    assert quarter_report_due(2567, 1, days=30) == date(2024, 1, 30)


@pytest.mark.parametrize("year", [2400, 2567, 2700])
def test_check_be_year_accepts_plausible_be_years(year: int) -> None:
    assert check_be_year(year, field="fiscal_year") == year


@pytest.mark.parametrize(("year", "suggestion"), [(2024, 2567), (1900, 2443), (2157, 2700)])
def test_check_be_year_spots_a_ce_year_and_suggests_the_be_year(year: int, suggestion: int) -> None:
    with pytest.raises(DomainError) as caught:
        check_be_year(year, field="fiscal_year")

    assert caught.value.code == "year_looks_ce"
    assert caught.value.params == {"field": "fiscal_year", "value": year, "suggestion": suggestion}


@pytest.mark.parametrize("year", [0, 67, 1899, 2158, 2200, 2399, 2701, 25670])
def test_check_be_year_rejects_years_that_are_neither(year: int) -> None:
    with pytest.raises(DomainError) as caught:
        check_be_year(year, field="signed_year")

    assert caught.value.code == "year_out_of_range"
    assert caught.value.params == {
        "field": "signed_year",
        "value": year,
        "minimum": 2400,
        "maximum": 2700,
    }


def test_fiscal_functions_refuse_a_ce_year_instead_of_going_back_five_centuries() -> None:
    with pytest.raises(DomainError) as caught:
        fiscal_year_start(2024)

    assert caught.value.code == "year_looks_ce"
    assert caught.value.params["suggestion"] == 2567


@given(plausible_fiscal_years)
def test_fiscal_year_start_and_end_belong_to_their_fiscal_year(fiscal_year: int) -> None:
    assert fiscal_year_of(fiscal_year_start(fiscal_year)) == fiscal_year
    assert fiscal_year_of(fiscal_year_end(fiscal_year)) == fiscal_year
    assert fiscal_year_of(fiscal_year_start(fiscal_year) - timedelta(days=1)) == fiscal_year - 1
    assert fiscal_year_of(fiscal_year_end(fiscal_year) + timedelta(days=1)) == fiscal_year + 1


@given(plausible_dates)
def test_every_date_lies_inside_its_fiscal_year_window(day: date) -> None:
    fiscal_year = fiscal_year_of(day)

    assert fiscal_year_start(fiscal_year) <= day <= fiscal_year_end(fiscal_year)


@given(plausible_dates)
def test_every_date_lies_inside_its_quarter_and_its_round(day: date) -> None:
    fiscal_year = fiscal_year_of(day)
    start, end = quarter_window(fiscal_year, quarter_of(day))
    round_start, round_end = round_window(fiscal_year, round_of_date(day))

    assert start <= day <= end
    assert round_start == fiscal_year_start(fiscal_year)
    assert round_end == end


@given(plausible_fiscal_years)
def test_quarters_tile_the_fiscal_year_without_gaps(fiscal_year: int) -> None:
    windows = [quarter_window(fiscal_year, quarter) for quarter in (1, 2, 3, 4)]

    assert windows[0][0] == fiscal_year_start(fiscal_year)
    assert windows[-1][1] == fiscal_year_end(fiscal_year)
    for (_, end), (next_start, _) in pairwise(windows):
        assert end + timedelta(days=1) == next_start


@given(st.integers(min_value=-10_000, max_value=10_000))
def test_be_and_ce_round_trip(year: int) -> None:
    assert be_to_ce(ce_to_be(year)) == year
    assert ce_to_be(be_to_ce(year)) == year
