"""Thai fiscal years, quarters and reporting rounds, and Buddhist-era (B.E.) years."""

from __future__ import annotations

import calendar
import functools
from datetime import date, timedelta

from tidtam.domain.errors import DomainError

# Reporting rounds are cumulative months from the start of the fiscal year.
ROUND_MONTHS = (3, 6, 9, 12)
QUARTERS = (1, 2, 3, 4)
BE_OFFSET = 543
FISCAL_YEAR_FIRST_MONTH = 10

# Plausible B.E. years for a planning system. A C.E. year typed by mistake falls in
# the look-alike range, which lets us suggest the intended year instead of a bare
# error; the range stops where the suggestion itself would stop being plausible.
BE_YEAR_MIN = 2400
BE_YEAR_MAX = 2700
CE_LOOKALIKE_MIN = 1900
CE_LOOKALIKE_MAX = BE_YEAR_MAX - BE_OFFSET  # 2157

# The Budget Bureau expects quarterly reports within this many days of a quarter's end.
QUARTER_REPORT_DAYS = 15


def ce_to_be(year: int) -> int:
    """Convert a Common Era year to a Buddhist Era year."""
    return year + BE_OFFSET


def be_to_ce(year: int) -> int:
    """Convert a Buddhist Era year to a Common Era year."""
    return year - BE_OFFSET


def check_be_year(year: int, *, field: str) -> int:
    """Return a plausible B.E. year, or raise, suggesting the B.E. year when it looks C.E."""
    if BE_YEAR_MIN <= year <= BE_YEAR_MAX:
        return year
    if CE_LOOKALIKE_MIN <= year <= CE_LOOKALIKE_MAX:
        raise DomainError("year_looks_ce", field=field, value=year, suggestion=ce_to_be(year))
    raise DomainError(
        "year_out_of_range",
        field=field,
        value=year,
        minimum=BE_YEAR_MIN,
        maximum=BE_YEAR_MAX,
    )


def fiscal_year_of(day: date) -> int:
    """Return the B.E. fiscal year of a date; October to December belong to the next one."""
    ce_year = day.year + 1 if day.month >= FISCAL_YEAR_FIRST_MONTH else day.year
    return ce_to_be(ce_year)


def _month_of_fiscal_year(fiscal_year: int, index: int) -> tuple[int, int]:
    """Return (C.E. year, month) of the index-th month (0 = October) of a fiscal year."""
    # Fiscal years are checked here so that a C.E. year passed by mistake cannot
    # silently produce a window five centuries away.
    check_be_year(fiscal_year, field="fiscal_year")
    months_since_year_zero = (be_to_ce(fiscal_year) - 1) * 12 + (
        FISCAL_YEAR_FIRST_MONTH - 1 + index
    )
    return months_since_year_zero // 12, months_since_year_zero % 12 + 1


def _first_day(fiscal_year: int, index: int) -> date:
    year, month = _month_of_fiscal_year(fiscal_year, index)
    return date(year, month, 1)


def _last_day(fiscal_year: int, index: int) -> date:
    year, month = _month_of_fiscal_year(fiscal_year, index)
    return date(year, month, calendar.monthrange(year, month)[1])


@functools.lru_cache(maxsize=256)
def fiscal_year_start(fiscal_year: int) -> date:
    """Return 1 October of the C.E. year before the fiscal year's own C.E. year."""
    return _first_day(fiscal_year, 0)


@functools.lru_cache(maxsize=256)
def fiscal_year_end(fiscal_year: int) -> date:
    """Return 30 September that closes the fiscal year."""
    return _last_day(fiscal_year, 11)


def quarter_of(day: date) -> int:
    """Return the fiscal quarter (1 = October to December ... 4 = July to September)."""
    return (day.month - FISCAL_YEAR_FIRST_MONTH) % 12 // 3 + 1


def _check_quarter(quarter: int) -> int:
    if quarter not in QUARTERS:
        raise DomainError("invalid_quarter", quarter=quarter)
    return quarter


def quarter_window(fiscal_year: int, quarter: int) -> tuple[date, date]:
    """Return the first and last day of a fiscal quarter."""
    first_month = (_check_quarter(quarter) - 1) * 3
    return _first_day(fiscal_year, first_month), _last_day(fiscal_year, first_month + 2)


def check_round(months: int) -> int:
    """Return the round's months, or raise when they are not one of ROUND_MONTHS."""
    if months not in ROUND_MONTHS:
        raise DomainError("invalid_round", months=months)
    return months


# Pure and asked for thousands of times by a national reading (a budget line's figures each
# month): remembered. An error is raised again every time (a cache keeps no exception).
@functools.lru_cache(maxsize=4096)
def round_window(fiscal_year: int, months: int, *, cumulative: bool = True) -> tuple[date, date]:
    """Return the window a round reports on.

    Reports are usually cumulative from the start of the fiscal year ("รอบ 6
    เดือน" is October to March); some are for the round's quarter alone.
    """
    quarter = check_round(months) // 3
    start, end = quarter_window(fiscal_year, quarter)
    if cumulative:
        start = fiscal_year_start(fiscal_year)
    return start, end


FISCAL_MONTHS = tuple(range(1, 13))  # 1 = October … 12 = September


def check_fiscal_month(month: int) -> int:
    """Return the month of the fiscal year (1 = October … 12 = September), or raise."""
    if month not in FISCAL_MONTHS:
        raise DomainError("invalid_fiscal_month", month=month)
    return month


def fiscal_month_of(day: date) -> int:
    """Return the month of its fiscal year a date falls in (1 = October … 12 = September)."""
    return (day.month - FISCAL_YEAR_FIRST_MONTH) % 12 + 1


@functools.lru_cache(maxsize=4096)
def fiscal_month_window(fiscal_year: int, month: int) -> tuple[date, date]:
    """Return the first and last day of a month of the fiscal year (1 = October)."""
    index = check_fiscal_month(month) - 1
    return _first_day(fiscal_year, index), _last_day(fiscal_year, index)


def round_last_month(months: int) -> int:
    """The last fiscal month a round covers: its months counted from October."""
    return check_round(months)


def round_of_fiscal_month(month: int) -> int:
    """The round whose quarter holds a fiscal month (December: the 3-month round)."""
    return ((check_fiscal_month(month) - 1) // 3 + 1) * 3


def round_of_date(day: date) -> int:
    """Return the months of the round whose quarter contains the date."""
    return quarter_of(day) * 3


def quarter_report_due(fiscal_year: int, quarter: int, *, days: int = QUARTER_REPORT_DAYS) -> date:
    """Return the day a quarter's report is due, counted from the quarter's last day."""
    return quarter_window(fiscal_year, quarter)[1] + timedelta(days=days)
