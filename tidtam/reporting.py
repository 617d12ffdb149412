"""What every reportable entry shares: a work item's progress entry and a KPI's result.

Both are reported per round, move through the same workflow (tidtam.domain.workflow), lock
when submitted, follow their organisation's round calendar and carry evidence. Each model says
how messages name it (`label`), whose calendar and rules it follows (`rules_organization_id`)
and whether it says anything yet (`is_empty`); the rules below are written once against that
(`Reportable`), not once per model.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_FLOOR, Decimal
from typing import Any, Protocol

from django.db import models

from tidtam.domain import workflow
from tidtam.domain.errors import DomainError
from tidtam.messages import LABELS, PERCENT_METHOD_LABELS


# The core's workflow, labelled from the one catalogue (tidtam.messages).
class EntryStatus(models.TextChoices):
    DRAFT = workflow.Status.DRAFT, LABELS[workflow.Status.DRAFT]
    SUBMITTED = workflow.Status.SUBMITTED, LABELS[workflow.Status.SUBMITTED]
    RETURNED = workflow.Status.RETURNED, LABELS[workflow.Status.RETURNED]
    APPROVED = workflow.Status.APPROVED, LABELS[workflow.Status.APPROVED]


class PercentMethod(models.TextChoices):
    COMPUTED = "computed", PERCENT_METHOD_LABELS["computed"]
    BUDGET_LINE = "budget_line", PERCENT_METHOD_LABELS["budget_line"]
    ENTERED = "entered", PERCENT_METHOD_LABELS["entered"]


class Reportable(Protocol):
    """A progress entry or a KPI result, as the shared rules see it."""

    pk: Any
    status: str
    late_edit_allowed: bool

    @property
    def round(self) -> Any: ...

    @property
    def label(self) -> str: ...

    @property
    def rules_organization_id(self) -> int: ...

    @property
    def is_empty(self) -> bool: ...


def status_label(status: str) -> str:
    return LABELS[workflow.Status(status)]


def require_editable(entry: Reportable) -> None:
    """Approved and submitted entries are locked until returned or reopened."""
    if entry.pk and not workflow.is_editable(entry.status):
        raise DomainError("entry_locked", item=entry.label, status=status_label(entry.status))


def require_result(entry: Reportable) -> None:
    """A submitted entry says something: a result text, a quantity, a value or a level."""
    if entry.is_empty:
        raise DomainError("entry_empty", item=entry.label)


def require_round_open(entry: Reportable, schedules: Mapping[Any, Any] | None = None) -> None:
    """Saves and submits only while the round is open for the entry's organisation, or where a
    planner has let this one entry be changed late (a stamped review step). `schedules`: the
    calendar's schedules read at once for many entries (periods.calendar.schedules_for)."""
    from tidtam.periods import calendar

    if not entry.late_edit_allowed:
        calendar.require_round_open(
            round_=entry.round,
            organization_id=entry.rules_organization_id,
            item=entry.label,
            schedules=schedules,
        )


STORED_PLACES = Decimal("0.0001")


def stored_percent(value: Decimal | None) -> Decimal | None:
    """A percent as the database keeps it (4 decimals), cut down rather than rounded.

    The stored copy serves lists and filters; reports recompute from raw data and bands are
    stored as the core decides them, so this never feeds a displayed figure or a band.
    """
    return None if value is None else value.quantize(STORED_PLACES, rounding=ROUND_FLOOR)
