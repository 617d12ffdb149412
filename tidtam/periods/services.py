"""Setting up the reporting calendar: fiscal years with their four rounds, deadlines, open rounds."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from tidtam.domain import fiscal
from tidtam.domain.errors import DomainError
from tidtam.periods.models import FiscalYear, Round


def _stamp(obj: Any, user: Any) -> None:
    # Outside a request (CLI, tests) the history middleware does not know who changed it.
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user


@transaction.atomic
def fiscal_year_create(*, year: int, user: Any = None) -> FiscalYear:
    """A fiscal year (B.E.) with its rounds of 3, 6, 9 and 12 months, each due on the Budget
    Bureau's default day (15 days after its quarter ends); refused when the year exists."""
    fiscal.check_be_year(year, field="ปีงบประมาณ")
    if FiscalYear.objects.filter(year=year).exists():
        raise DomainError("fiscal_year_exists", year=year)
    fiscal_year = FiscalYear(year=year)
    _stamp(fiscal_year, user)
    fiscal_year.save()
    for months in fiscal.ROUND_MONTHS:
        round_ = Round(
            fiscal_year=fiscal_year,
            months=months,
            deadline=fiscal.quarter_report_due(year, months // 3),
        )
        _stamp(round_, user)
        round_.save()
    return fiscal_year


@transaction.atomic
def round_deadline_save(*, round_: Round, deadline: date | None, user: Any = None) -> Round:
    """Set the day a round's results are due (a C.E. date: B.E. is only typed and shown)."""
    round_.deadline = deadline
    _stamp(round_, user)
    round_.save(update_fields=["deadline"])
    return round_


@transaction.atomic
def round_open(*, round_: Round, user: Any = None) -> list[Round]:
    """Open a round for reporting; the fiscal year's other open round closes.

    One open round per fiscal year: "my work" and the reminders follow the open round, and
    two open at once would ask reporters for two rounds without saying which is due. Returns
    the rounds it closed so the page can say so.
    """
    others = list(
        Round.objects.select_for_update()
        .filter(fiscal_year_id=round_.fiscal_year_id, is_open=True)
        .exclude(pk=round_.pk)
        .select_related("fiscal_year")
    )
    for other in others:
        other.is_open = False
        _stamp(other, user)
        other.save(update_fields=["is_open"])
    if not round_.is_open:
        round_.is_open = True
        _stamp(round_, user)
        round_.save(update_fields=["is_open"])
    return others


@transaction.atomic
def round_close(*, round_: Round, user: Any = None) -> Round:
    if round_.is_open:
        round_.is_open = False
        _stamp(round_, user)
        round_.save(update_fields=["is_open"])
    return round_
