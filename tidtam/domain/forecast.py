"""A forecast of disbursement by the end of each remaining month of the fiscal year."""

# Two ways, both from what is known by the last month reported:
#
# - With past years of the same budget (their disbursement by the end of each month), each past
#   year's shape carries this year's disbursement forward: if by March a past year had paid 40 %
#   of what it paid by September, this year's March figure is 40 % of its year end. The expected
#   value is the median of the past years' projections; the range runs from the lowest to the
#   highest of them and of the plan's two paces below.
# - Without past years, the monthly plan: the rest of the year follows the plan at this year's
#   pace so far (disbursed ÷ planned to date). The range runs from that pace to the plan's own
#   pace (catching up, or falling back, to the plan from now on).
#
# Nothing is forecast above the budget's allocation, or below what is already disbursed.

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from tidtam.domain.disbursement import MONTHS_IN_YEAR, MonthlyPlan
from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import check_fiscal_month
from tidtam.domain.money import ZERO, percent

ONE = Decimal(1)


@dataclass(frozen=True)
class Projection:
    """Cumulative disbursement expected by the end of one month, with its range."""

    month: int
    expected: Decimal
    low: Decimal
    high: Decimal

    def percents(self, allocation: Decimal) -> tuple[Decimal | None, ...]:
        """(expected, low, high) as percents of an allocation."""
        return tuple(percent(v, allocation) for v in (self.expected, self.low, self.high))


@dataclass(frozen=True)
class Forecast:
    """Projections for each month after the last one reported, to September."""

    allocation: Decimal
    reported_month: int
    disbursed: Decimal  # by the end of the last month reported
    method: str  # "past_years" or "plan"
    projections: tuple[Projection, ...]

    def at(self, month: int) -> Projection:
        """The projection for the end of a month (a month already reported: its result)."""
        check_fiscal_month(month)
        if month <= self.reported_month:
            return Projection(month, self.disbursed, self.disbursed, self.disbursed)
        return self.projections[month - self.reported_month - 1]

    @property
    def year_end(self) -> Projection:
        return self.at(MONTHS_IN_YEAR)

    def misses(self, month: int, target_percent: Decimal) -> bool | None:
        """Whether the expected disbursement by the end of the month falls short of a target
        (a percent of the allocation); None when there is no allocation to measure."""
        expected = percent(self.at(month).expected, self.allocation)
        return None if expected is None else expected < target_percent


def _bounded(value: Decimal, floor: Decimal, ceiling: Decimal) -> Decimal:
    return min(max(value, floor), ceiling)


def _past_shares(past_years: Sequence[Sequence[Decimal]]) -> list[list[Decimal]]:
    """Each past year's disbursement by the end of each month as a share of its year end;
    years that paid nothing tell nothing and are left out."""
    shares = []
    for year in past_years:
        if len(year) != MONTHS_IN_YEAR:
            raise DomainError("monthly_plan_months", count=len(year))
        if year[-1] > 0:
            shares.append([amount / year[-1] for amount in year])
    return shares


def forecast_disbursement(
    *,
    allocation: Decimal,
    plan: MonthlyPlan,
    reported_month: int,
    disbursed: Decimal,
    past_years: Sequence[Sequence[Decimal]] = (),
) -> Forecast:
    """Forecast from the disbursement from 1 October to the end of the last month reported
    (0: none yet), the monthly plan and, when known, past years' cumulative disbursement by
    month (twelve amounts each)."""
    reported = reported_month
    if reported:
        check_fiscal_month(reported)
    now = disbursed if reported else ZERO
    shares = _past_shares(past_years)
    # A past year that had paid nothing by this month cannot carry this year forward.
    usable = [s for s in shares if reported and s[reported - 1] > 0]
    method = "past_years" if usable else "plan"
    ceiling = max(allocation, now)
    projections = []
    for month in range(reported + 1, MONTHS_IN_YEAR + 1):
        planned_now = plan.through(reported)
        pace = now / planned_now if planned_now > 0 else ONE
        still = plan.through(month) - planned_now
        expected = now + still * pace
        low, high = now + still * min(pace, ONE), now + still * max(pace, ONE)
        if usable:
            values = [now * s[month - 1] / s[reported - 1] for s in usable]
            # The past years' median; the range spans them and the plan's two paces (three
            # past years alone would leave a year end outside their range one time in two).
            expected = Decimal(median(values))
            low, high = min(*values, low), max(*values, high)
        projections.append(
            Projection(
                month,
                _bounded(expected, now, ceiling),
                _bounded(low, now, ceiling),
                _bounded(high, now, ceiling),
            )
        )
    return Forecast(
        allocation=allocation,
        reported_month=reported,
        disbursed=now,
        method=method,
        projections=tuple(projections),
    )
