"""Deadline reminders: who still has entries to send for a round that is due soon, and the mail.

`reminders_due` only reads (a selector: a constant number of queries per round due);
`reminders_send` sends one Thai e-mail per person. The `send_reminders` command, run daily by a
scheduler, calls the two.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse

from tidtam.agreements.models import (
    IN_A_DOCUMENT,
    Indicator,
    IndicatorResponsibility,
    IndicatorResult,
)
from tidtam.domain.progress import ItemKind
from tidtam.domain.thai import thai_sort_key
from tidtam.messages import LABELS
from tidtam.orgs.models import Person, RoleAssignment
from tidtam.periods import clock
from tidtam.periods.calendar import schedules_for
from tidtam.periods.models import Round
from tidtam.plans.models import OperatingPlan, WorkItem, WorkItemResponsibility
from tidtam.progress.models import EntryStatus, ProgressEntry
from tidtam.progress.selectors import NOT_STARTED, STATUS_LABELS

# What is still the reporter's to finish: nothing entered yet, a draft, or returned to them.
PENDING = frozenset({NOT_STARTED, EntryStatus.DRAFT, EntryStatus.RETURNED})


@dataclass(frozen=True)
class PendingItem:
    name: str
    kind_label: str
    status: str
    organization: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class RoundDue:
    """A round open and due soon for some organisations (those whose calendars give it this
    deadline): only their items and KPIs are reminded of."""

    round: Round
    days_left: int
    deadline: date
    organization_ids: frozenset[int] = frozenset()

    @property
    def due_today(self) -> bool:
        return self.days_left == 0

    @property
    def days_text(self) -> str:
        return days_left_text(self.days_left)


@dataclass(frozen=True)
class Section:
    due: RoundDue
    items: list[PendingItem]


@dataclass
class Reminder:
    """One person's e-mail: for each round due, what they have not sent yet."""

    person: Person
    sections: list[Section] = field(default_factory=list)

    @property
    def email(self) -> str:
        user = self.person.user
        return self.person.email or (user.email if user is not None else "")

    @property
    def item_count(self) -> int:
        return sum(len(section.items) for section in self.sections)

    @property
    def nearest(self) -> RoundDue:
        return min((section.due for section in self.sections), key=lambda due: due.days_left)


@dataclass
class ReminderPlan:
    today: date
    days_before: tuple[int, ...]
    rounds: list[RoundDue]
    reminders: list[Reminder]
    # Items not sent yet that nobody would be told about: no responsible unit, or a unit without
    # a reporter. The command says how many, so that a planner can assign them.
    unassigned: int = 0


def days_left_text(days: int) -> str:
    if days == 0:
        return "ครบกำหนดวันนี้"
    if days == 1:
        return "อีก 1 วัน (พรุ่งนี้)"
    return f"อีก {days} วัน"


def reminder_days() -> tuple[int, ...]:
    """The days before a deadline on which reminders go out (settings.REMINDER_DAYS_BEFORE)."""
    return tuple(
        sorted({int(d) for d in getattr(settings, "REMINDER_DAYS_BEFORE", [7, 3])}, reverse=True)
    )


def rounds_due(*, today: date, days_before: Iterable[int]) -> list[RoundDue]:
    """Rounds open for some organisations whose deadline there is one of the reminder days away,
    or today; each organisation by its own calendar (`tidtam.periods.calendar`).

    The organisations asked about are those with a plan or KPIs in the round's fiscal year;
    only rounds open somewhere are candidates, so a constant number of queries per such round.
    """
    days = {*days_before, 0}
    deadlines = {today + timedelta(days=d) for d in days if d >= 0}
    candidates = Round.objects.filter(schedules__is_open=True).select_related("fiscal_year")
    due: list[RoundDue] = []
    for round_ in candidates.distinct().order_by("fiscal_year__year", "months"):
        org_ids = set(
            OperatingPlan.objects.filter(fiscal_year_id=round_.fiscal_year_id).values_list(
                "organization_id", flat=True
            )
        ) | set(
            Indicator.objects.filter(fiscal_year_id=round_.fiscal_year_id)
            .order_by()
            .values_list("organization_id", flat=True)
            .distinct()
        )
        by_deadline: dict[date, set[int]] = defaultdict(set)
        for (_, org_id), schedule in schedules_for([round_], org_ids).items():
            if schedule.is_open and schedule.deadline in deadlines:
                by_deadline[schedule.deadline].add(org_id)
        due += [
            RoundDue(round_, (deadline - today).days, deadline, frozenset(orgs))
            for deadline, orgs in sorted(by_deadline.items())
        ]
    return due


def _reporters_by_unit() -> dict[int, set[int]]:
    held: dict[int, set[int]] = defaultdict(set)
    in_force = RoleAssignment.in_force(clock.today())
    for org_id, person_id in (
        RoleAssignment.objects.filter(role=RoleAssignment.Role.REPORTER)
        .filter(in_force)
        .values_list("organization_id", "person_id")
    ):
        held[org_id].add(person_id)
    return held


def _pending_work_items(
    round_: Round, reporters: dict[int, set[int]], organization_ids: frozenset[int]
) -> tuple[dict[int, list[PendingItem]], int]:
    items = (
        WorkItem.objects.filter(
            plan__fiscal_year=round_.fiscal_year,
            plan__organization_id__in=organization_ids,
            excluded=False,
        )
        .select_related("plan__organization")
        .prefetch_related(
            Prefetch(
                "progress",
                queryset=ProgressEntry.objects.filter(round=round_),
                to_attr="round_entries",
            ),
            Prefetch(
                "responsibilities",
                queryset=WorkItemResponsibility.objects.select_related("organization"),
            ),
        )
    )
    by_person: dict[int, list[PendingItem]] = defaultdict(list)
    unassigned = 0
    for item in items:
        if item.is_later_quarter(round_):
            continue  # its work starts in a later quarter: nothing to report yet
        entries = item.round_entries
        status = entries[0].status if entries else NOT_STARTED
        if status not in PENDING:
            continue
        responsibilities = list(item.responsibilities.all())
        people = _reporters_of(responsibilities, reporters)
        if not people:
            unassigned += 1
            continue
        units = "/".join(r.organization.label for r in responsibilities)
        pending = PendingItem(item.name, item.get_kind_display(), status, units)
        for person_id in people:
            by_person[person_id].append(pending)
    return by_person, unassigned


def _reporters_of(
    responsibilities: Iterable[WorkItemResponsibility], reporters: dict[int, set[int]]
) -> set[int]:
    """Who reports for these responsible units: the person named on a unit, or else every
    reporter of that unit."""
    people: set[int] = set()
    for responsibility in responsibilities:
        if responsibility.person_id is not None:
            people.add(responsibility.person_id)
        else:
            people |= reporters.get(responsibility.organization_id, set())
    return people


def _pending_indicators(
    round_: Round, organization_ids: frozenset[int], reporters: dict[int, set[int]]
) -> dict[int, list[PendingItem]]:
    indicators = (
        Indicator.objects.filter(
            IN_A_DOCUMENT, fiscal_year=round_.fiscal_year, organization_id__in=organization_ids
        )
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "results",
                queryset=IndicatorResult.objects.filter(round=round_, unit__isnull=True),
                to_attr="round_results",
            ),
            "owners",
            Prefetch(
                "responsibilities",
                queryset=IndicatorResponsibility.objects.select_related("organization"),
            ),
        )
    )
    by_person: dict[int, list[PendingItem]] = defaultdict(list)
    for indicator in indicators:
        results = indicator.round_results
        status = results[0].status if results else NOT_STARTED
        if status not in PENDING:
            continue
        owners = {owner.person_id for owner in indicator.owners.all()}
        pending = PendingItem(indicator.name, "ตัวชี้วัด", status, indicator.organization.label)
        for person_id in owners:
            by_person[person_id].append(pending)
        responsibilities = list(indicator.responsibilities.all())
        if indicator.project_name and responsibilities:
            # A strategic-plan project is its KPI, reported by the project's units: they are
            # told of the project by its name.
            as_project = PendingItem(
                indicator.project_name, LABELS[ItemKind.PROJECT], status, indicator.units_label
            )
            people = set().union(
                *(reporters.get(r.organization_id, set()) for r in responsibilities)
            )
            for person_id in people - owners:
                by_person[person_id].append(as_project)
    return by_person


def reminders_due(*, today: date, days_before: Iterable[int] | None = None) -> ReminderPlan:
    """Who gets a reminder today and what it lists; reads only.

    A work item's reporter is the person named on its responsible unit, or else every person
    holding the reporter role on that unit; a KPI's are its owners.
    """
    days = tuple(days_before) if days_before is not None else reminder_days()
    due = rounds_due(today=today, days_before=days)
    plan = ReminderPlan(today=today, days_before=days, rounds=due, reminders=[])
    if not due:
        return plan
    reporters = _reporters_by_unit()
    sections: dict[int, list[Section]] = defaultdict(list)
    for round_due in sorted(
        due, key=lambda d: (d.days_left, d.round.fiscal_year.year, d.round.months)
    ):
        orgs = round_due.organization_ids
        work, unassigned = _pending_work_items(round_due.round, reporters, orgs)
        kpis = _pending_indicators(round_due.round, orgs, reporters)
        plan.unassigned += unassigned
        for person_id in work.keys() | kpis.keys():
            items = sorted(work.get(person_id, []), key=lambda i: thai_sort_key(i.name)) + sorted(
                kpis.get(person_id, []), key=lambda i: thai_sort_key(i.name)
            )
            sections[person_id].append(Section(round_due, items))
    people = Person.objects.filter(pk__in=sections).select_related("user")
    plan.reminders = sorted(
        (Reminder(person, sections[person.pk]) for person in people),
        key=lambda r: thai_sort_key(r.person.full_name),
    )
    return plan


# --- sending -----------------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: list[Reminder] = field(default_factory=list)
    no_email: list[Reminder] = field(default_factory=list)
    failed: list[tuple[Reminder, str]] = field(default_factory=list)

    @property
    def items_sent(self) -> int:
        return sum(r.item_count for r in self.sent)


def work_url() -> str:
    return f"{str(settings.SITE_URL).rstrip('/')}{reverse('progress:my_work')}"


def reminder_message(reminder: Reminder, *, connection: Any = None) -> EmailMultiAlternatives:
    context = {
        "reminder": reminder,
        "person": reminder.person,
        "sections": reminder.sections,
        "nearest": reminder.nearest,
        "link": work_url(),
    }
    subject = " ".join(render_to_string("progress/email/reminder_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("progress/email/reminder.txt", context),
        to=[reminder.email],
        connection=connection,
    )
    message.attach_alternative(
        render_to_string("progress/email/reminder.html", context), "text/html"
    )
    return message


def reminders_send(plan: ReminderPlan, *, dry_run: bool = False) -> SendResult:
    """One e-mail per person; people without an address are listed, not mailed. With dry_run,
    nothing is sent: the result says who would have been."""
    result = SendResult()
    to_mail: list[Reminder] = []
    for reminder in plan.reminders:
        (to_mail if reminder.email else result.no_email).append(reminder)
    if dry_run:
        result.sent = to_mail
        return result
    connection = get_connection()
    for reminder in to_mail:
        try:
            reminder_message(reminder, connection=connection).send()
        except Exception as error:  # one bad address must not stop the others
            result.failed.append((reminder, str(error)))
        else:
            result.sent.append(reminder)
    return result
