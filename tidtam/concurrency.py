"""Two people on one entry at once: row locks, the version a form was opened at, what changed since.

A work item's entry and a KPI's result are both "entries": saved by reporters, moved along the
review by approvers, often at the same minute on deadline day. Every write locks the row first
(`locked`), so a save and an approval never interleave; a form carries the version it was opened
at, and a save against a newer version is refused with what the other person changed
(`check_version`), unless they changed it to what this person typed too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from tidtam.domain.errors import DomainError
from tidtam.domain.thai import format_date_short

M = TypeVar("M", bound=models.Model)

# The fields a person types, per kind of entry: what a conflict is about. Stored percentages
# follow from these (and from the plan), so they are not compared themselves.
CONTENT_FIELDS: dict[str, tuple[str, ...]] = {
    "progressentry": (
        "result_text",
        "result_text_annual",
        "result_quantity",
        "percent_method",
        # Compared only when typed (a percent entered by hand); computed ones follow the rest.
        "percent_round",
        "percent_annual",
        "percent_note",
        "explanation",
    ),
    "indicatorresult": (
        "value",
        "numerator",
        "denominator",
        "level_reached",
        "met",
        "narrative",
    ),
}


def content_fields(entry: models.Model) -> tuple[str, ...]:
    return CONTENT_FIELDS[entry._meta.model_name or ""]


def locked(model: type[M], **lookup: Any) -> M | None:
    """The row, locked until the transaction ends (a no-op on SQLite, whose writers queue).

    Unordered and locking only its own table: a model's default ordering may join nullable
    relations, which PostgreSQL cannot lock.
    """
    rows = model._default_manager.select_for_update(of=("self",)).filter(**lookup).order_by()
    return next(iter(rows[:1]), None)


def held(instance: M) -> M:
    """Hold the instance's row until the transaction ends, and read its fields again from it.

    PostgreSQL's FOR SHARE: others may read the row and hold it too, no one may change it
    meanwhile; a change waits for the holders to finish, and a holder arriving during a change
    waits for it and reads what it committed. What an entry is measured by (its plan's
    thresholds, its item's target) is held so while the entry is saved: a plan's thresholds
    changed at the same moment then re-band this entry after it is saved, or apply before.
    A no-op on SQLite, whose writers queue.
    """
    if connection.vendor != "postgresql":
        return instance
    model = type(instance)
    meta = model._meta
    quote = connection.ops.quote_name
    sql = f"SELECT * FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s FOR SHARE"
    row = next(iter(model._default_manager.raw(sql, [instance.pk])))
    for field in meta.concrete_fields:
        setattr(instance, field.attname, getattr(row, field.attname))
    return instance


def held_all(instances: Sequence[M]) -> None:
    """`held` for many rows of one model at once (one statement): each is held until the
    transaction ends and its fields are read again. A no-op on SQLite."""
    if connection.vendor != "postgresql" or not instances:
        return
    model = type(instances[0])
    meta = model._meta
    quote = connection.ops.quote_name
    sql = (
        f"SELECT * FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = ANY(%s)"
        f" ORDER BY {quote(meta.pk.column)} FOR SHARE"
    )
    fresh = {row.pk: row for row in model._default_manager.raw(sql, [[i.pk for i in instances]])}
    for instance in instances:
        row = fresh[instance.pk]
        for field in meta.concrete_fields:
            setattr(instance, field.attname, getattr(row, field.attname))


def insert_first(entry: M, **lookup: Any) -> M | None:
    """Insert a new entry at version 1; None when it went in. When another save inserted the same
    entry a moment before (two first saves at once), the unique constraint refuses this one in
    its savepoint and the other's row comes back locked, to be saved over as any later save is."""
    try:
        with transaction.atomic():
            entry.version = 1  # type: ignore[attr-defined]
            entry.save()
        return None
    except IntegrityError:
        existing = locked(type(entry), **lookup)
        if existing is None:
            raise
        return existing


@dataclass(frozen=True)
class Change:
    """One field another person changed after this person opened the form."""

    field: str
    label: str
    seen: object
    now: object
    typed: object


class EntryConflict(DomainError):
    """A save against an older version whose fields another person has changed since."""

    def __init__(self, *, item: str, by: str, at: datetime, changes: list[Change]) -> None:
        super().__init__(
            "entry_conflict",
            item=item,
            by=by,
            at=_when(at),
            fields=", ".join(change.label for change in changes),
        )
        self.changes = changes


def set_version(history: Any) -> int:
    """A set of rows' version (a KPI's levels, its owners): the latest of their history records,
    removed rows included. Forms over the whole set carry it."""
    latest = history.aggregate(n=models.Max("history_id"))["n"]
    return int(latest or 0)


def check_set_version(history: Any, expected: int | None, *, code: str) -> None:
    """Refuse (DomainError `code`, naming who changed the set and when) a save of a set whose
    form was opened at an older version. Call it with the set's parent row locked."""
    current = set_version(history)
    if expected is None or expected == current:
        return
    latest = history.order_by("-history_id").first()
    if latest is None or expected > current:
        # Not a version this set ever had: no one to name (a hand-made request, a stale copy
        # of another set's form).
        raise DomainError("version_unknown", expected=expected, current=current)
    raise DomainError(
        code, by=person_label(latest.history_user), at=when_label(latest.history_date)
    )


def when_label(at: datetime) -> str:
    """When a change was made, as the conflict messages say it (Thai date, local time)."""
    return _when(at)


def person_label(user: Any) -> str:
    """Who made a change, as the conflict messages name them."""
    return _person(user)


def _when(at: datetime) -> str:
    local = timezone.localtime(at)
    return f"{format_date_short(local.date())} {local:%H:%M} น."


def _person(user: Any) -> str:
    if user is None:
        return "ผู้ใช้อื่น"
    person = getattr(user, "person", None)
    return str(person) if person is not None else user.get_username()


def check_version(entry: models.Model, expected: int | None, typed: dict[str, Any]) -> None:
    """Refuse a save whose form was opened at an older version, where another person has changed
    a field since to something other than what this person typed.

    `expected` None means the caller does not track versions (the command line, the seed loader).
    A save that meets a change identical to its own (two people typing the same figure) passes.
    """
    current: int = getattr(entry, "version", 0)
    if expected is None or entry.pk is None or expected == current:
        return
    seen = (
        entry.history.filter(version=expected)  # type: ignore[attr-defined]
        .order_by("-history_date", "-history_id")
        .first()
    )
    # Every field this save writes counts, the committee's review fields of a result too (a
    # second member's review must not pass over the first's unseen).
    fields = tuple(dict.fromkeys((*content_fields(entry), *typed)))
    _refuse_changes(entry, seen, typed, fields, _label(entry))


def history_version(obj: models.Model) -> int:
    """A planner's object's version: the id of its latest history record, new at every save."""
    latest = obj.history.order_by("-history_id").values_list("history_id", flat=True).first()  # type: ignore[attr-defined]
    return int(latest or 0)


def check_history_version(
    obj: models.Model, expected: int | None, typed: dict[str, Any], *, item: str
) -> None:
    """As `check_version`, for objects without a version column (plans, work items): the form
    carries the history record it was opened at. Call it with the row locked."""
    if expected is None or obj.pk is None or expected == history_version(obj):
        return
    seen = obj.history.filter(history_id=expected).first()  # type: ignore[attr-defined]
    _refuse_changes(obj, seen, typed, tuple(typed), item)


def _refuse_changes(
    obj: models.Model, seen: Any, typed: dict[str, Any], fields: tuple[str, ...], item: str
) -> None:
    changes = []
    for name in fields:
        now = getattr(obj, name)
        was = getattr(seen, name) if seen is not None else None
        if name in typed and now != was and now != typed[name]:
            label = str(getattr(obj._meta.get_field(name), "verbose_name", name))
            changes.append(Change(name, label, was, now, typed[name]))
    if not changes:
        return
    latest = obj.history.order_by("-history_date", "-history_id").first()  # type: ignore[attr-defined]
    raise EntryConflict(
        item=item,
        by=_person(latest.history_user if latest else None),
        at=latest.history_date if latest else timezone.now(),
        changes=changes,
    )


def unchanged(entry: models.Model, typed: dict[str, Any]) -> bool:
    """Whether saving what was typed would change nothing (a resent form): every field the save
    writes already holds it (the committee's review fields of a result too: a second review of
    the same KPI is a change, not a resent form)."""
    return entry.pk is not None and all(
        getattr(entry, name) == value for name, value in typed.items()
    )


def _label(entry: Any) -> str:
    if hasattr(entry, "work_item"):
        return str(entry.work_item.name)
    return str(entry.indicator.name)
