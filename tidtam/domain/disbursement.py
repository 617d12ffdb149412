"""Money over the months of a fiscal year: plans per month, plan due by a day, targets."""

# Thai agencies plan disbursement per month (the Budget Bureau's forms สงป. 301 / 302 are grids
# of October … September), and investment budgets are back-loaded: the part of a line's plan due by
# a round is its monthly plan's, and only a line without one is taken as linear (plan × months /
# 12). Results are cumulative: what was disbursed from 1 October to a day, and what is committed
# (contracts and orders not yet paid) on that day.

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from tidtam.domain.budget import BudgetFigures, sum_figures
from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import (
    FISCAL_MONTHS,
    check_fiscal_month,
    fiscal_month_of,
    fiscal_month_window,
    fiscal_year_end,
    fiscal_year_start,
)
from tidtam.domain.money import ZERO, require_non_negative

MONTHS_IN_YEAR = len(FISCAL_MONTHS)


class Measure(enum.StrEnum):
    """What a percent of the budget counts: money paid out (เบิกจ่าย), or paid out and
    committed (ใช้จ่าย). The Cabinet's targets are set on disbursement."""

    DISBURSED = "disbursed"
    SPENT = "spent"


# Each month's name in the refusal of a negative amount (made once: a national reading checks
# thousands of plans).
_MONTH_FIELDS = tuple(f"แผนเดือนที่ {month}" for month in FISCAL_MONTHS)


@dataclass(frozen=True)
class MonthlyPlan:
    """The planned disbursement of each month of a fiscal year, October first (twelve amounts,
    in baht, none negative)."""

    amounts: tuple[Decimal, ...]

    def __post_init__(self) -> None:
        if len(self.amounts) != MONTHS_IN_YEAR:
            raise DomainError("monthly_plan_months", count=len(self.amounts))
        for field, amount in zip(_MONTH_FIELDS, self.amounts, strict=True):
            require_non_negative(amount, field=field)

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, ZERO)

    def through(self, month: int) -> Decimal:
        """The plan of October up to and including the month (0: nothing yet)."""
        if month == 0:
            return ZERO
        return sum(self.amounts[: check_fiscal_month(month)], ZERO)

    def quarter(self, quarter: int) -> Decimal:
        """The plan of the three months of a quarter (1 = October … December)."""
        return self.through(quarter * 3) - self.through(quarter * 3 - 3)


def _month_fraction(fiscal_year: int, day: date) -> tuple[int, Decimal]:
    """(months wholly before the day's month, the part of the day's month gone by the end of
    the day), for a day inside the fiscal year."""
    month = fiscal_month_of(day)
    last = fiscal_month_window(fiscal_year, month)[1]
    return month - 1, Decimal(day.day) / Decimal(last.day)


def _inside(fiscal_year: int, day: date) -> bool | None:
    """True inside the year; False after it; None before it."""
    if day < fiscal_year_start(fiscal_year):
        return None
    return day <= fiscal_year_end(fiscal_year)


def planned_by_month(annual: Decimal, plan: MonthlyPlan | None, month: int) -> Decimal:
    """The part of a line's annual plan due by the end of a fiscal month: its monthly plan's
    when it has one, else a linear share (annual × month / 12, unrounded)."""
    if plan is not None:
        return plan.through(month)
    if month == 0:
        return ZERO
    return annual * Decimal(check_fiscal_month(month)) / MONTHS_IN_YEAR


def planned_by_date(
    annual: Decimal, plan: MonthlyPlan | None, fiscal_year: int, day: date
) -> Decimal:
    """The part of a line's plan due by the end of a day: the months before it in full, and of
    the day's own month the share of its days gone by (a report as of 15 March counts half of
    March's plan). Before the year nothing is due; after it, all of it."""
    inside = _inside(fiscal_year, day)
    if inside is None:
        return ZERO
    if not inside:
        return plan.total if plan is not None else annual
    before, fraction = _month_fraction(fiscal_year, day)
    done = planned_by_month(annual, plan, before)
    this_month = planned_by_month(annual, plan, before + 1) - done
    return done + this_month * fraction


def measured(figures: BudgetFigures, measure: Measure) -> Decimal:
    """The amount a measure counts."""
    return figures.disbursed if measure is Measure.DISBURSED else figures.spent


K = TypeVar("K", bound=Hashable)


def group_figures(rows: Iterable[tuple[K, BudgetFigures]]) -> dict[K, BudgetFigures]:
    """Subtotals by a key (a budget type, a nature, a fund, a category), in the order the keys
    first appear; each is added up from the lines' unrounded amounts."""
    groups: dict[K, list[BudgetFigures]] = {}
    for key, figures in rows:
        groups.setdefault(key, []).append(figures)
    return {key: sum_figures(members) for key, members in groups.items()}


@dataclass(frozen=True)
class TargetComparison:
    """A budget's percent on a target's measure against the target: the gap in percentage
    points (positive above it) and whether it is met; None where there is no plan to measure."""

    measure: Measure
    target: Decimal
    actual: Decimal | None

    @property
    def gap(self) -> Decimal | None:
        return None if self.actual is None else self.actual - self.target

    @property
    def met(self) -> bool | None:
        gap = self.gap
        return None if gap is None else gap >= 0


def compare_target(figures: BudgetFigures, target: Decimal, measure: Measure) -> TargetComparison:
    """Compare a budget's disbursement (or spending) as a percent of its plan with a target."""
    actual = figures.percent_disbursed if measure is Measure.DISBURSED else figures.percent_spent
    return TargetComparison(measure=measure, target=target, actual=actual)


def cumulative(amounts: Sequence[Decimal]) -> list[Decimal]:
    """Running totals of monthly amounts (the disbursement by the end of each month)."""
    total = ZERO
    out = []
    for amount in amounts:
        total += amount
        out.append(total)
    return out
