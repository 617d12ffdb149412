"""Who changed what, when, and the value before: an object's history as people read it.

The rows come from django-simple-history (every model people edit keeps it); an entry's page
adds its review trail and the evidence added and removed. Values are shown as the forms show
them: choices by their Thai label, numbers with separators, related rows by name, dates in B.E.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tidtam.agreements.models import Indicator, IndicatorResult
from tidtam.domain import thai
from tidtam.orgs import policy
from tidtam.plans.models import Activity, OperatingPlan, Output, WorkItem
from tidtam.progress.models import EntryStatus, Evidence, ProgressEntry, ReviewStep

NOTHING = "-"
# Who made a change that no signed-in person made: the seed loader, an import, a command.
NOBODY = "ระบบ (ไม่ระบุผู้ใช้)"
# Long texts are shown whole on the page, but a JSON cell is cut: it is a table, not prose.
MAX_JSON_CHARS = 500


@dataclass(frozen=True)
class Kind:
    label: str
    readable: Callable[[Any], QuerySet[Any]]


# What a history page shows is exactly what the object's own page shows: both ask the policy.
KINDS: dict[str, Kind] = {
    "entry": Kind(
        "ผลการดำเนินงานรายรอบ",
        lambda user: policy.readable(user, ProgressEntry).select_related(
            "work_item", "round__fiscal_year"
        ),
    ),
    "result": Kind(
        "ผลตัวชี้วัดรายรอบ",
        lambda user: policy.readable(user, IndicatorResult).select_related(
            "indicator", "round__fiscal_year"
        ),
    ),
    "work_item": Kind("โครงการ / แผนงาน / รายการ", lambda user: policy.readable(user, WorkItem)),
    "indicator": Kind("ตัวชี้วัด", lambda user: policy.readable(user, Indicator)),
    "output": Kind("ผลผลิต", lambda user: policy.readable(user, Output)),
    "activity": Kind(
        "กิจกรรม", lambda user: policy.readable(user, Activity).select_related("output")
    ),
    "plan": Kind(
        "แผนปฏิบัติราชการประจำปี",
        lambda user: policy.readable(user, OperatingPlan).select_related(
            "organization", "fiscal_year"
        ),
    ),
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Event:
    at: datetime
    who: str
    what: str  # Thai: สร้างรายการ, แก้ไข, ส่งผล, แนบหลักฐาน …
    kind: str  # created, changed, deleted, review, evidence_added, evidence_removed
    changes: tuple[Change, ...] = ()
    comment: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass
class ObjectHistory:
    kind: str
    kind_label: str
    title: str
    obj: Any
    events: list[Event]
    links: list[Link] = field(default_factory=list)


def readable_object(user: Any, kind: str, object_id: int) -> Any:
    """The object if it is in the person's reach; otherwise 404, as for an object that does not exist."""
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404
    obj = spec.readable(user).filter(pk=object_id).first()
    if obj is None:
        raise Http404
    return obj


# --- values as people read them ----------------------------------------------------------------


def person_name(user: Any) -> str:
    if user is None:
        return NOBODY
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    return person.full_name if person is not None else user.get_username()


def _decimal(value: Decimal, field_: models.Field[Any, Any]) -> str:
    # Money keeps its satang; other numbers show the digits they have (171.5200 -> 171.52).
    places = getattr(field_, "decimal_places", None) or 0
    if places != 2:
        exponent = value.normalize().as_tuple().exponent
        places = min(places, max(0, -exponent)) if isinstance(exponent, int) else places
    return thai.format_number(value, places)


def _datetime(value: datetime) -> str:
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{thai.format_date_short(local.date())} {local:%H:%M} น."


class Labels:
    """Names of the rows that foreign keys point to, fetched in one query per related model."""

    def __init__(self) -> None:
        self._wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self._names: dict[tuple[type[models.Model], Any], str] = {}

    def want(self, model: type[models.Model], pk: Any) -> None:
        if pk is not None:
            self._wanted[model].add(pk)

    def fetch(self) -> None:
        user_model = get_user_model()
        for model, pks in self._wanted.items():
            pending = pks - {pk for (m, pk) in self._names if m is model}
            if not pending:
                continue
            names: dict[Any, str]
            if model is user_model:
                users = user_model._default_manager.select_related("person").in_bulk(pending)
                names = {pk: person_name(row) for pk, row in users.items()}
            else:
                # select_related() follows the non-null keys that __str__ usually reads
                # (a round's fiscal year, a plan's organisation).
                rows = model._base_manager.select_related().in_bulk(pending)
                names = {pk: str(row) for pk, row in rows.items()}
            for pk in pending:
                self._names[(model, pk)] = names.get(pk, f"#{pk} (ถูกลบแล้ว)")

    def name(self, model: type[models.Model], pk: Any) -> str:
        return self._names.get((model, pk), f"#{pk}")


def display(field_: models.Field[Any, Any], value: Any, labels: Labels) -> str:
    """A stored value as the page shows it."""
    if value is None or value == "":
        return NOTHING
    if field_.is_relation and field_.related_model is not None:
        return labels.name(field_.related_model, value)  # type: ignore[arg-type]
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, Decimal):
        return _decimal(value, field_)
    if isinstance(value, datetime):
        return _datetime(value)
    if isinstance(value, date):
        return thai.format_date_long(value)
    if isinstance(field_, models.JSONField):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= MAX_JSON_CHARS else text[:MAX_JSON_CHARS] + " …"
    return str(value)


# --- the rows of one object's history -------------------------------------------------------------


def _tracked(record: Any) -> list[models.Field[Any, Any]]:
    """The fields a person edits, in the form's order (not the diff's alphabetical one)."""
    model = record.instance_type
    m2m = {f.name for f in record._history_m2m_fields}
    names = {f.name for f in record.tracked_fields if f.editable} - m2m
    return [f for f in model._meta.concrete_fields if f.name in names and not f.primary_key]


def _worth_showing_at_creation(field_: models.Field[Any, Any], value: Any) -> bool:
    # An empty field, or a flag left at its default ("ไม่นำมาคิดผล: ไม่ใช่"), tells nobody anything.
    if value in (None, "", [], {}):
        return False
    return not (isinstance(value, bool) and value == field_.get_default())


def _m2m_values(records: list[Any]) -> dict[str, dict[int, frozenset[Any]]]:
    """Per many-to-many field, the related ids each history row had (one query per field)."""
    if not records:
        return {}
    history_model = type(records[0])
    values: dict[str, dict[int, frozenset[Any]]] = {}
    ids = [r.history_id for r in records]
    for m2m in records[0]._history_m2m_fields:
        through = getattr(history_model, m2m.name).model
        target = f"{m2m.m2m_reverse_field_name()}_id"
        per_row: dict[int, set[Any]] = defaultdict(set)
        for history_id, related_id in through.objects.filter(history_id__in=ids).values_list(
            "history_id", target
        ):
            per_row[history_id].add(related_id)
        values[m2m.name] = {hid: frozenset(per_row.get(hid, ())) for hid in ids}
    return values


def _who(record: Any) -> str:
    return person_name(record.history_user) if record.history_user_id else NOBODY


def history_events(obj: Any) -> list[Event]:
    """The object's own history: its creation with its first values, then each change."""
    records = list(
        obj.history.all()
        .select_related("history_user__person")
        .order_by("history_date", "history_id")
    )
    if not records:
        return []
    fields = _tracked(records[0])
    m2m_fields = list(records[0]._history_m2m_fields)
    m2m = _m2m_values(records)
    labels = Labels()
    raw: list[tuple[Any, list[tuple[models.Field[Any, Any], Any, Any]], list[tuple[Any, ...]]]] = []
    previous = None
    for record in records:
        changed: list[tuple[models.Field[Any, Any], Any, Any]] = []
        m2m_changed: list[tuple[Any, ...]] = []
        if previous is None or record.history_type == "+":
            changed = [
                (f, None, f.value_from_object(record))
                for f in fields
                if _worth_showing_at_creation(f, f.value_from_object(record))
            ]
            m2m_changed = [
                (f, frozenset(), m2m[f.name][record.history_id])
                for f in m2m_fields
                if m2m[f.name][record.history_id]
            ]
        elif record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=[f.name for f in m2m_fields])
            by_name = {c.field: c for c in delta.changes}
            changed = [
                (f, by_name[f.name].old, by_name[f.name].new) for f in fields if f.name in by_name
            ]
            m2m_changed = [
                (f, m2m[f.name][previous.history_id], m2m[f.name][record.history_id])
                for f in m2m_fields
                if m2m[f.name][previous.history_id] != m2m[f.name][record.history_id]
            ]
        for f, before, after in changed:
            if f.is_relation and f.related_model is not None:
                labels.want(f.related_model, before)  # type: ignore[arg-type]
                labels.want(f.related_model, after)  # type: ignore[arg-type]
        for f, before, after in m2m_changed:
            for pk in before | after:
                labels.want(f.related_model, pk)
        raw.append((record, changed, m2m_changed))
        previous = record
    labels.fetch()

    events = []
    for record, changed, m2m_changed in raw:
        changes = [
            Change(str(f.verbose_name), display(f, before, labels), display(f, after, labels))
            for f, before, after in changed
        ]
        changes += [
            Change(
                str(f.verbose_name),
                _names(f.related_model, before, labels),
                _names(f.related_model, after, labels),
            )
            for f, before, after in m2m_changed
        ]
        if record.history_type == "-":
            what, kind = "ลบรายการ", "deleted"
        elif record.history_type == "+":
            what, kind = "สร้างรายการ", "created"
        elif record is raw[0][0]:
            # History began after the row was made: its first row is where the record starts.
            what, kind = "ข้อมูลเมื่อเริ่มเก็บประวัติ", "created"
        else:
            what, kind = "แก้ไข", "changed"
            if not changes:
                continue  # a save that changed nothing says nothing
        events.append(
            Event(
                at=record.history_date,
                who=_who(record),
                what=what,
                kind=kind,
                changes=tuple(changes),
                comment=record.history_change_reason or "",
            )
        )
    return events


def _names(model: Any, pks: Iterable[Any], labels: Labels) -> str:
    names = sorted(labels.name(model, pk) for pk in pks)
    return ", ".join(names) if names else NOTHING


_STATUS_LABELS = dict(EntryStatus.choices)


def review_events(obj: Any, content_type: ContentType) -> list[Event]:
    """An entry's review trail: submitted, returned with the reason, approved, reopened."""
    steps = ReviewStep.objects.filter(content_type=content_type, object_id=obj.pk).select_related(
        "actor__person"
    )
    return [
        Event(
            at=step.at,
            who=person_name(step.actor),
            what=step.get_action_display(),
            kind="review",
            comment=step.comment,
            detail=(
                f"สถานะ: {_STATUS_LABELS.get(step.from_status, step.from_status)}"
                f" → {_STATUS_LABELS.get(step.to_status, step.to_status)}"
            ),
        )
        for step in steps
    ]


def file_size(size: int) -> str:
    if size < 1024:
        return f"{size} ไบต์"
    if size < 1024 * 1024:
        return f"{thai.format_number(Decimal(size) / 1024, 0)} KB"
    return f"{thai.format_number(Decimal(size) / (1024 * 1024), 1)} MB"


def evidence_events(obj: Any, content_type: ContentType) -> list[Event]:
    """Evidence attached to an entry and taken off it (the files' own history rows)."""
    rows = (
        Evidence.history.filter(content_type=content_type, object_id=obj.pk)
        .select_related("history_user__person", "uploaded_by__person")
        .order_by("history_date", "history_id")
    )
    events = []
    for row in rows:
        detail = f"{row.original_name} ({file_size(row.size)})"
        if row.description:
            detail += f" — {row.description}"
        if row.history_type == "+":
            who = _who(row) if row.history_user_id else person_name(row.uploaded_by)
            events.append(
                Event(row.history_date, who, "แนบหลักฐาน", "evidence_added", detail=detail)
            )
        elif row.history_type == "-":
            events.append(
                Event(
                    row.history_date,
                    _who(row),
                    "นำหลักฐานออก",
                    "evidence_removed",
                    detail=detail,
                    comment=row.history_change_reason or "",
                )
            )
        else:
            events.append(
                Event(row.history_date, _who(row), "แก้ไขข้อมูลหลักฐาน", "changed", detail=detail)
            )
    return events


# A review step and the status save it makes land within moments of each other.
_SAME_MOMENT_SECONDS = 5


def _without_review_saves(events: list[Event], steps: list[Event]) -> list[Event]:
    """Drop the history rows that only record a review step's status change: the step says it,
    with who and why, and the page would otherwise say it twice."""
    status_field = str(ProgressEntry._meta.get_field("status").verbose_name)

    def made_by_a_step(event: Event) -> bool:
        if event.kind != "changed" or [c.field for c in event.changes] != [status_field]:
            return False
        return any(
            abs((step.at - event.at).total_seconds()) <= _SAME_MOMENT_SECONDS
            and step.detail.endswith(f"→ {event.changes[0].after}")
            for step in steps
        )

    return [event for event in events if not made_by_a_step(event)]


def _url(name: str, **kwargs: int) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # a page this deployment does not have
        return None


def _history_link(label: str, kind: str, object_id: int) -> Link:
    return Link(label, reverse("web:history", kwargs={"kind": kind, "object_id": object_id}))


def _links(kind: str, obj: Any) -> list[Link]:
    """Where a reader goes from here: the entry page, the parent's history, the rounds' histories."""
    links: list[Link] = []
    if kind == "entry":
        if url := _url("progress:entry", work_item_id=obj.work_item_id, round_id=obj.round_id):
            links.append(Link("หน้ารายงานผลรอบนี้", url))
        links.append(_history_link("ประวัติของโครงการ", "work_item", obj.work_item_id))
    elif kind == "result":
        if url := _url("progress:result", indicator_id=obj.indicator_id, round_id=obj.round_id):
            links.append(Link("หน้ารายงานผลรอบนี้", url))
        links.append(_history_link("ประวัติของตัวชี้วัด", "indicator", obj.indicator_id))
    elif kind == "work_item":
        for entry in ProgressEntry.objects.filter(work_item=obj).select_related("round"):
            links.append(
                _history_link(f"ประวัติผล{entry.round.get_months_display()}", "entry", entry.pk)
            )
    elif kind == "indicator":
        for result in IndicatorResult.objects.filter(indicator=obj).select_related("round", "unit"):
            unit = f" ({result.unit.label})" if result.unit else ""
            links.append(
                _history_link(
                    f"ประวัติผล{result.round.get_months_display()}{unit}", "result", result.pk
                )
            )
    return links


def _title(kind: str, obj: Any) -> str:
    if kind == "entry":
        return f"{obj.work_item.name} — {obj.round}"
    if kind == "result":
        return f"{obj.indicator.name} — {obj.round}"
    if kind == "activity":
        return f"ผลผลิตที่ {obj.output.number} กิจกรรมที่ {obj.number} {obj.name}"
    return str(obj)


def object_history(user: Any, kind: str, object_id: int) -> ObjectHistory:
    """Everything the history page shows, newest first; 404 outside the reader's reach.

    A constant number of queries whatever the number of changes: the records, one per related
    model named in them, one per many-to-many field, and for entries the review trail and evidence.
    """
    obj = readable_object(user, kind, object_id)
    events = history_events(obj)
    if kind in ("entry", "result"):
        content_type = ContentType.objects.get_for_model(obj)
        steps = review_events(obj, content_type)
        events = _without_review_saves(events, steps) + steps + evidence_events(obj, content_type)
    events.sort(key=lambda event: event.at, reverse=True)
    return ObjectHistory(
        kind=kind,
        kind_label=KINDS[kind].label,
        title=_title(kind, obj),
        obj=obj,
        events=events,
        links=_links(kind, obj),
    )
