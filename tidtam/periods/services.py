"""Setting up the reporting calendar: fiscal years with their four rounds, and each organisation's
schedule of them (deadlines, the open round).

Rounds are shared; schedules are per organisation (see `tidtam.periods.calendar` for which
applies). Every change here writes the organisation's own schedule and nobody else's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from tidtam.bulk import stamp_author
from tidtam.domain import fiscal
from tidtam.domain.errors import DomainError
from tidtam.orgs.models import Organization
from tidtam.periods.calendar import ancestry, schedule_for, schedules_for
from tidtam.periods.models import FiscalYear, Round, RoundSchedule


def _lock(organization: Organization) -> None:
    # Changes to one organisation's calendar run one at a time: opening a round reads the
    # other open rounds of the year and closes them, and two planners at once must not both
    # leave theirs open (nor both create the same schedule row).
    Organization.objects.select_for_update().filter(pk=organization.pk).first()


def _own(round_: Round, organization: Organization) -> RoundSchedule:
    """The organisation's own schedule of the round, made from what applied to it until now
    (an ancestor's or the default), so that a change to one field keeps the other."""
    own = RoundSchedule.objects.filter(round=round_, organization=organization).first()
    if own is None:
        applied = schedule_for(round_, organization.pk)
        own = RoundSchedule(
            round=round_,
            organization=organization,
            deadline=applied.deadline,
            is_open=applied.is_open,
        )
    return own


def _save(schedule: RoundSchedule, user: Any) -> RoundSchedule:
    stamp_author(schedule, user)
    schedule.save()
    return schedule


@transaction.atomic
def fiscal_year_with_rounds(year: int, *, user: Any = None) -> tuple[FiscalYear, dict[int, Round]]:
    """The fiscal year (B.E.) and its four rounds (3, 6, 9 and 12 months), made where missing:
    the one way a year comes to be, whether a planner adds it, a KPI or plan copy starts it, or
    the seeds load it. No organisation's schedule is made here: without one, a round is closed
    and due on the Budget Bureau's default day (tidtam.periods.calendar)."""
    fiscal.check_be_year(year, field="ปีงบประมาณ")
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        fiscal_year = FiscalYear(year=year)
        stamp_author(fiscal_year, user)
        fiscal_year.save()
    rounds = {r.months: r for r in fiscal_year.rounds.select_related("fiscal_year")}
    for months in fiscal.ROUND_MONTHS:
        if months not in rounds:
            round_ = Round(fiscal_year=fiscal_year, months=months)
            stamp_author(round_, user)
            round_.save()
            rounds[months] = round_
    return fiscal_year, rounds


@transaction.atomic
def fiscal_year_create(*, year: int, organization: Organization, user: Any = None) -> FiscalYear:
    """A fiscal year (B.E.) with its rounds of 3, 6, 9 and 12 months, and the organisation's
    schedule of them: each round closed and due on the Budget Bureau's default day (15 days
    after its quarter ends).

    The rounds are made once for everybody; a year that exists is refused only when the
    organisation already has a schedule for it, its own or an ancestor's.
    """
    fiscal.check_be_year(year, field="ปีงบประมาณ")
    _lock(organization)
    fiscal_year, rounds = fiscal_year_with_rounds(year, user=user)
    chain = ancestry([organization.pk])[organization.pk]
    if RoundSchedule.objects.filter(
        round__fiscal_year=fiscal_year, organization_id__in=chain
    ).exists():
        raise DomainError("fiscal_year_exists", year=year)
    for months in fiscal.ROUND_MONTHS:
        _save(
            RoundSchedule(
                round=rounds[months],
                organization=organization,
                deadline=fiscal.quarter_report_due(year, months // 3),
                is_open=False,
            ),
            user,
        )
    return fiscal_year


@transaction.atomic
def round_deadline_save(
    *, round_: Round, organization: Organization, deadline: date | None, user: Any = None
) -> RoundSchedule:
    """Set the day a round's results are due for an organisation (and those below it that have
    no schedule of their own). A C.E. date: B.E. is only typed and shown."""
    _lock(organization)
    own = _own(round_, organization)
    own.deadline = deadline
    return _save(own, user)


@transaction.atomic
def round_open(*, round_: Round, organization: Organization, user: Any = None) -> list[Round]:
    """Open a round for an organisation; its other open round of the fiscal year closes.

    One open round per fiscal year per calendar: "my work" and the reminders follow the open
    round, and two open at once would ask reporters for two rounds without saying which is due.
    A round open for the organisation through an ancestor is closed by an own closed schedule;
    the ancestor's calendar is not touched. Returns the rounds it closed so the page can say so.
    """
    _lock(organization)
    others = [
        other
        for other in Round.objects.filter(fiscal_year_id=round_.fiscal_year_id)
        .exclude(pk=round_.pk)
        .select_related("fiscal_year")
    ]
    applied = schedules_for(others, [organization.pk])
    closed = []
    for other in others:
        if applied[(other.pk, organization.pk)].is_open:
            own = _own(other, organization)
            own.is_open = False
            _save(own, user)
            closed.append(other)
    own = _own(round_, organization)
    if not own.is_open:
        own.is_open = True
        _save(own, user)
    return closed


@transaction.atomic
def round_close(*, round_: Round, organization: Organization, user: Any = None) -> RoundSchedule:
    """Close a round for an organisation (and those below it without a schedule of their own)."""
    _lock(organization)
    own = _own(round_, organization)
    if own.is_open:
        own.is_open = False
        _save(own, user)
    return own


@transaction.atomic
def round_schedule_inherit(*, round_: Round, organization: Organization, user: Any = None) -> bool:
    """Drop the organisation's own schedule of a round: it follows its parent's again (or the
    default). The dropped schedule stays in its history. Returns whether there was one."""
    _lock(organization)
    own = RoundSchedule.objects.filter(round=round_, organization=organization).first()
    if own is None:
        return False
    stamp_author(own, user)
    own.delete()
    return True
