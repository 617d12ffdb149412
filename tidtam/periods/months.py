"""Results reported month by month, the rules a budget line's months and a work item's months
share: from October without a gap, none for a month not begun, none changed once its quarter
has ended and its round is closed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import FISCAL_MONTHS, fiscal_month_window, round_of_fiscal_month
from tidtam.domain.thai import fiscal_month_name
from tidtam.periods.models import Round


def check_month_count(months: Sequence[int]) -> None:
    """A month grid has the twelve months of the fiscal year, October first."""
    if list(months) == list(FISCAL_MONTHS):
        return
    twice = sorted(m for m, n in Counter(months).items() if n > 1)
    if twice:
        raise DomainError("monthly_plan_months_twice", months=_month_names(twice))
    missing = [m for m in FISCAL_MONTHS if m not in months]
    if len(months) == len(FISCAL_MONTHS) and not missing:
        raise DomainError("monthly_plan_months_order")
    if not missing:  # more than twelve, none twice: months that are not of the year
        raise DomainError("monthly_plan_months", count=len(months))
    raise DomainError(
        "monthly_plan_months_missing", count=len(months), missing=_month_names(missing)
    )


def _month_names(months: Sequence[int]) -> str:
    return ", ".join(fiscal_month_name(m) if m in FISCAL_MONTHS else str(m) for m in months)


def check_reported_months(label: str, reported: Sequence[bool], year: int, today: date) -> None:
    """`reported[i]`: whether fiscal month i + 1 has a result. Results run from October without
    a gap (a month with nothing is 0, not blank) and stop at a month that has begun."""
    last = max(
        (month for month, done in zip(FISCAL_MONTHS, reported, strict=True) if done), default=None
    )
    if last is None:
        return
    missing = next(
        (m for m, done in zip(FISCAL_MONTHS, reported, strict=True) if m < last and not done), None
    )
    if missing is not None:
        raise DomainError(
            "month_result_gap",
            line=label,
            month=fiscal_month_name(last),
            missing=fiscal_month_name(missing),
        )
    if fiscal_month_window(year, last)[0] > today:
        raise DomainError("month_not_started", line=label, month=fiscal_month_name(last))


def require_months_open(
    label: str,
    months: Iterable[int],
    fiscal_year_id: int,
    organization_id: int,
    today: date,
) -> None:
    """Refuse changed results in a month whose quarter has ended while its round is closed for
    the organisation. A month of a quarter still running may change (its round opens when the
    quarter ends); once the quarter is over, only while its round is open."""
    from tidtam.periods.calendar import require_round_open

    changed = sorted(months)
    if not changed:
        return
    rounds = {
        r.months: r
        for r in Round.objects.filter(fiscal_year_id=fiscal_year_id).select_related("fiscal_year")
    }
    for month in changed:
        round_ = rounds.get(round_of_fiscal_month(month))
        if round_ is not None and round_.end_date < today:
            require_round_open(
                round_=round_,
                organization_id=organization_id,
                item=f"{label} เดือน{fiscal_month_name(month)}",
            )
