"""Saving progress entries: percentages computed where the data allow, rules checked, one transaction."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, prefetch_related_objects

from tidtam import bulk, concurrency
from tidtam.budgets.models import BudgetLine, BudgetSpending
from tidtam.columns import require_amount
from tidtam.domain import progress as core_progress
from tidtam.domain.errors import DomainError
from tidtam.domain.money import percent, round_half_up
from tidtam.domain.progress import BandThresholds
from tidtam.domain.thai import has_text
from tidtam.periods.models import Round
from tidtam.plans.models import OperatingPlan, PlannedMilestone, WorkItem
from tidtam.progress.models import PercentMethod, ProgressEntry
from tidtam.reporting import require_editable, require_round_open, stored_percent


@dataclass(frozen=True)
class Percentages:
    round: Decimal | None
    annual: Decimal | None


def compute_percentages(
    *,
    work_item: WorkItem,
    round_: Round,
    method: str,
    result_quantity: Decimal | None,
    entered_round: Decimal | None = None,
    entered_annual: Decimal | None = None,
    milestone: PlannedMilestone | Planned | None = None,
    spending: BudgetSpending | None = None,
) -> Percentages:
    """The two percentages of an entry, unrounded, by the entry's method.

    computed: result ÷ the round's planned quantity, and result ÷ the annual target.
    budget_line: what the item's budget line spent (paid + committed) ÷ its plan due by the
    round (its monthly plan's, or the annual plan × months/12) and ÷ the annual plan: seed 000's
    lines have no monthly plan, so its 6-month percent for budget items is twice the annual one.
    entered: the reporter's own figures, kept as typed.
    """
    if method == PercentMethod.ENTERED:
        return Percentages(entered_round, entered_annual)
    if method == PercentMethod.BUDGET_LINE:
        line = work_item.budget_line
        if line is None:
            raise DomainError("budget_line_missing", item=work_item.name)
        figures = line.figures(spending, months=round_.months)
        return Percentages(figures.percent_spent_to_date, figures.percent_spent)
    if result_quantity is None or work_item.target_quantity is None:
        raise DomainError("percent_missing_data", item=work_item.name)
    planned = milestone.planned_quantity if milestone is not None else None
    return Percentages(
        percent(result_quantity, planned) if planned is not None else None,
        percent(result_quantity, work_item.target_quantity),
    )


def percent_inputs(
    work_item: WorkItem, round_: Round
) -> tuple[PlannedMilestone | None, BudgetSpending | None]:
    """What an item's percentages are computed against in a round: its milestone, and its
    budget line's spending (one or two queries)."""
    milestone = PlannedMilestone.objects.filter(
        work_item=work_item, round_months=round_.months
    ).first()
    spending = (
        BudgetSpending.objects.filter(line=work_item.budget_line, round=round_).first()
        if work_item.budget_line_id
        else None
    )
    return milestone, spending


def entry_percentages(entry: ProgressEntry) -> Percentages:
    """The percentages of a saved entry, recomputed from its raw data (one or two queries)."""
    milestone, spending = percent_inputs(entry.work_item, entry.round)
    return _computed(entry, milestone, spending)


def _computed(
    entry: ProgressEntry,
    milestone: PlannedMilestone | Planned | None,
    spending: BudgetSpending | None,
) -> Percentages:
    """The entry's percentages from its raw data and the plan and spending it is measured by."""
    return compute_percentages(
        work_item=entry.work_item,
        round_=entry.round,
        method=entry.percent_method,
        result_quantity=entry.result_quantity,
        entered_round=entry.percent_round,
        entered_annual=entry.percent_annual,
        milestone=milestone,
        spending=spending,
    )


def percent_method_for(item: WorkItem, *, entered: bool) -> str:
    """How an entry's percentages are obtained: typed by the reporter (with a reason), the
    item's budget line's spending for a budget item on a line, else computed from quantities."""
    if entered:
        return PercentMethod.ENTERED
    if item.budget_line_id and item.kind == WorkItem.Kind.BUDGET_ITEM:
        return PercentMethod.BUDGET_LINE
    return PercentMethod.COMPUTED


def follows_line(work_item: WorkItem, percent_method: str) -> bool:
    """Whether an entry's percent follows its item's budget line (compute_percentages): the
    line and its spending are then read, and held while the entry is saved."""
    return percent_method == PercentMethod.BUDGET_LINE and work_item.budget_line_id is not None


@transaction.atomic
def progress_entry_save(
    *,
    work_item: WorkItem,
    round_: Round,
    result_text: str = "",
    result_text_annual: str = "",
    result_quantity: Decimal | None = None,
    percent_method: str = PercentMethod.COMPUTED,
    percent_round: Decimal | None = None,
    percent_annual: Decimal | None = None,
    percent_note: str = "",
    explanation: str = "",
    expected_version: int | None = None,
    user: object | None = None,
    in_closed_round: bool = False,
) -> ProgressEntry:
    """Create or update the entry of a work item for a round, all of it or nothing.

    The row is locked while it changes, so a save never undoes a review step taken at the same
    moment; status is never written here (only the review moves it). A form's
    `expected_version` guards against overwriting what another person saved since it was
    opened; saving what is already stored changes nothing (a resent form). A closed round
    refuses the save; `in_closed_round` is for loading results of rounds long past (the seeds,
    an agency's earlier years), never for a person's form.
    """
    # What the entry is measured by, held (and read again) while it is saved: the plan's
    # thresholds, the item's target and its budget line's spending cannot change under it
    # (tidtam.concurrency.held). The plan, the item, the line, then the entry: the order every
    # writer of them keeps (a spending save locks the line before its spending and entries).
    concurrency.held(work_item.plan)
    concurrency.held(work_item)
    line = work_item.budget_line if follows_line(work_item, percent_method) else None
    if line is not None:
        concurrency.held(line)
    typed = _typed(
        EntryInput(
            work_item=work_item,
            result_text=result_text,
            result_text_annual=result_text_annual,
            result_quantity=result_quantity,
            percent_method=percent_method,
            percent_round=percent_round,
            percent_annual=percent_annual,
            percent_note=percent_note,
            explanation=explanation,
        )
    )
    entry = concurrency.locked(ProgressEntry, work_item=work_item, round=round_)
    if entry is None:
        entry = ProgressEntry(work_item=work_item, round=round_)
        _prepare_new(entry, typed, user, in_closed_round)
        existing = concurrency.insert_first(entry, work_item=work_item, round=round_)
        if existing is None:
            return entry
        entry = existing
        expected_version = 0 if expected_version is None else expected_version
    # The item and round the caller holds (with their plan and fiscal year): not read again.
    entry.work_item, entry.round = work_item, round_
    if _prepare_change(entry, typed, expected_version, user, in_closed_round):
        entry.save(update_fields=[*typed, *_DERIVED, "version", "updated_by"])
    return entry


@dataclass(frozen=True)
class EntryInput:
    """What a person typed for a work item's entry of a round (a form, or a row of a file)."""

    work_item: WorkItem
    result_text: str = ""
    result_text_annual: str = ""
    result_quantity: Decimal | None = None
    percent_method: str = PercentMethod.COMPUTED
    percent_round: Decimal | None = None
    percent_annual: Decimal | None = None
    percent_note: str = ""
    explanation: str = ""
    expected_version: int | None = None


class EntriesRefused(Exception):
    """A batch of entries refused as a whole: each refused row's index and its error."""

    def __init__(self, errors: list[tuple[int, DomainError]]) -> None:
        super().__init__(f"{len(errors)} entries refused")
        self.errors = errors


# What a save's refusals call the typed figures (an import finds their columns by these).
RESULT_QUANTITY_FIELD = "ผล (จำนวน)"
PERCENT_ROUND_FIELD = "ร้อยละเทียบแผนรอบนี้ (กรอกเอง)"
PERCENT_ANNUAL_FIELD = "ร้อยละเทียบเป้าหมายทั้งปี (กรอกเอง)"


def _typed(row: EntryInput) -> dict[str, object]:
    """The fields a save writes, from what was typed, each checked."""
    entered = row.percent_method == PercentMethod.ENTERED
    if entered and not has_text(row.percent_note):
        raise DomainError("percent_note_required", item=row.work_item.name)
    for value, field in (
        (row.result_quantity, RESULT_QUANTITY_FIELD),
        (row.percent_round if entered else None, PERCENT_ROUND_FIELD),
        (row.percent_annual if entered else None, PERCENT_ANNUAL_FIELD),
    ):
        if value is not None:
            require_amount(ProgressEntry, "result_quantity", value, field=field)
    typed: dict[str, object] = {
        "result_text": row.result_text,
        "result_text_annual": row.result_text_annual,
        "result_quantity": row.result_quantity,
        "percent_method": row.percent_method,
        "percent_note": row.percent_note,
        "explanation": row.explanation,
    }
    if entered:
        typed.update(percent_round=row.percent_round, percent_annual=row.percent_annual)
    return typed


class Planned(NamedTuple):
    """What a percent reads of an item's milestone of the round (compute_percentages)."""

    planned_quantity: Decimal | None


_Inputs = tuple[PlannedMilestone | Planned | None, BudgetSpending | None]


def _prepare_new(
    entry: ProgressEntry,
    typed: dict[str, object],
    user: object | None,
    in_closed_round: bool,
    inputs: _Inputs | None = None,
    require_open: Callable[[ProgressEntry], None] = require_round_open,
) -> None:
    """A first save: the round must be open; the entry filled at version 1."""
    if not in_closed_round:
        require_open(entry)
    _fill(entry, typed, user, inputs)
    entry.version = 1


def _prepare_change(
    entry: ProgressEntry,
    typed: dict[str, object],
    expected_version: int | None,
    user: object | None,
    in_closed_round: bool,
    inputs: _Inputs | None = None,
    require_open: Callable[[ProgressEntry], None] = require_round_open,
) -> bool:
    """A later save of a locked entry: False when it changes nothing (a resent form); else
    the version is checked, the entry must be editable in an open round, and it is filled."""
    concurrency.check_version(entry, expected_version, typed)
    if concurrency.unchanged(entry, typed):
        return False
    require_editable(entry)
    if not in_closed_round:
        require_open(entry)
    _fill(entry, typed, user, inputs)
    entry.version += 1
    return True


@transaction.atomic
def progress_entries_save(
    *,
    round_: Round,
    rows: Sequence[EntryInput],
    user: object | None = None,
    retry: bool = True,
    known: Mapping[int, ProgressEntry] | None = None,
) -> list[ProgressEntry]:
    """Save many entries of one round, all or none: every row meets the rules of
    `progress_entry_save` (the same steps: typed values checked, the version, editable, the
    round open for its organisation, percentages and band as the core computes them), read and
    written in a constant number of statements. Refused rows raise `EntriesRefused` with each
    row's error, and nothing is written. History records name `user`.

    `known` holds entries the caller has just read (by work item): each is used as it is when
    its locked row still has the same version and status (every save and review step raises
    the version), and read again otherwise."""
    items = [row.work_item for row in rows]
    concurrency.held_all(list({item.plan_id: item.plan for item in items}.values()))
    concurrency.held_all(items)
    # The lines whose spending a percent follows (a budget item's, as its item now says): held,
    # and read once with their months.
    lines = list(
        {
            line.pk: line
            for row in rows
            if follows_line(row.work_item, row.percent_method)
            and (line := row.work_item.budget_line) is not None
        }.values()
    )
    concurrency.held_all(lines)
    existing = _locked_entries(round_, [item.pk for item in items], known or {})
    prefetch_related_objects(lines, "months")
    inputs = _inputs_of(items, round_, lines)
    require_open = _open_check(round_, items)
    errors: list[tuple[int, DomainError]] = []
    new: list[ProgressEntry] = []
    changed: list[ProgressEntry] = []
    saved: list[ProgressEntry] = []
    for index, row in enumerate(rows):
        item = row.work_item
        try:
            typed = _typed(row)
            entry = existing.get(item.pk)
            if entry is None:
                entry = ProgressEntry(work_item=item, round=round_)
                _prepare_new(entry, typed, user, False, inputs[item.pk], require_open)
                new.append(entry)
            else:
                bulk.attach(entry, "work_item", item)
                bulk.attach(entry, "round", round_)
                if _prepare_change(
                    entry, typed, row.expected_version, user, False, inputs[item.pk], require_open
                ):
                    changed.append(entry)
            saved.append(entry)
        except DomainError as error:
            errors.append((index, error))
    if errors:
        raise EntriesRefused(errors)
    try:
        with transaction.atomic():
            bulk.create_with_history(ProgressEntry, new, user)
    except IntegrityError:
        if not retry:
            raise
        # Another save made one of these entries a moment before (two first saves at once):
        # read again, each such row checked, as a single save is, against what that save wrote.
        made = {entry.work_item_id for entry in new}
        again = [
            dataclasses.replace(row, expected_version=0) if row.work_item.pk in made else row
            for row in rows
        ]
        return progress_entries_save(round_=round_, rows=again, user=user, retry=False)
    bulk.update_with_history(
        ProgressEntry,
        changed,
        [
            "result_text",
            "result_text_annual",
            "result_quantity",
            "percent_method",
            "percent_note",
            "explanation",
            *_DERIVED,
            "version",
            "updated_by",
        ],
        user,
    )
    return saved


def _locked_entries(
    round_: Round, item_ids: list[int], known: Mapping[int, ProgressEntry]
) -> dict[int, ProgressEntry]:
    """The round's entries of these items, locked: the caller's copy where it is still the
    row's, the row read again where not."""
    locked = ProgressEntry.objects.select_for_update(of=("self",)).filter(
        round=round_, work_item_id__in=bulk.ids(item_ids)
    )
    entries: dict[int, ProgressEntry] = {}
    stale: list[int] = []
    for item_id, version, status in locked.order_by().values_list(
        "work_item_id", "version", "status"
    ):
        copy = known.get(item_id)
        if copy is not None and (copy.version, copy.status) == (version, status):
            entries[item_id] = copy
        else:
            stale.append(item_id)
    if stale:
        entries.update(
            (entry.work_item_id, entry)
            for entry in ProgressEntry.objects.filter(
                round=round_, work_item_id__in=bulk.ids(stale)
            ).order_by()
        )
    return entries


def _inputs_of(
    items: Sequence[WorkItem], round_: Round, lines: Sequence[BudgetLine]
) -> dict[int, _Inputs]:
    """Each item's milestone of the round and the spending of its line where its percent follows
    it (`lines`): two queries."""
    # A percent reads a milestone's planned quantity only (compute_percentages): read as
    # values, not model objects (thousands of them in an import).
    milestones = {
        item_id: Planned(planned)
        for item_id, planned in PlannedMilestone.objects.filter(
            work_item_id__in=bulk.ids(i.pk for i in items), round_months=round_.months
        ).values_list("work_item_id", "planned_quantity")
    }
    line_ids = {line.pk for line in lines}
    spending = {
        s.line_id: s
        for s in BudgetSpending.objects.filter(line_id__in=bulk.ids(line_ids), round=round_)
    }
    return {
        i.pk: (milestones.get(i.pk), spending.get(i.budget_line_id) if i.budget_line_id else None)
        for i in items
    }


def _open_check(round_: Round, items: Sequence[WorkItem]) -> Callable[[ProgressEntry], None]:
    """The closed-round rule for entries of many organisations, their schedules read once."""
    from tidtam.periods import calendar

    schedules = calendar.schedules_for([round_], {i.plan.organization_id for i in items})
    return functools.partial(require_round_open, schedules=schedules)


# Written with every save: they follow from what was typed.
_DERIVED = ("percent_round", "percent_annual", "band")


def _fill(
    entry: ProgressEntry,
    typed: dict[str, object],
    user: object | None,
    inputs: _Inputs | None = None,
) -> None:
    """Put what was typed on the entry and store its percentages as the core computes them."""
    # What was stored was checked when it was written: only the typed texts that change are
    # checked again (an import of thousands of rows changes a figure and keeps the texts).
    checked = [n for n in _TYPED_TEXT if entry.pk is None or getattr(entry, n) != typed[n]]
    for name, value in typed.items():
        setattr(entry, name, value)
    if entry.percent_method != PercentMethod.ENTERED:
        entry.percent_round = entry.percent_annual = None
    item, round_ = entry.work_item, entry.round
    computed = entry_percentages(entry) if inputs is None else _computed(entry, *inputs)
    thresholds = item.plan.thresholds
    if explanation_required(item, round_):
        core_progress.require_explanation(
            computed.annual, entry.explanation, item=item.name, thresholds=thresholds
        )
    for value in (computed.round, computed.annual):
        if value is not None and abs(value) >= _PERCENT_LIMIT:
            raise DomainError(
                "percent_out_of_range", item=item.name, percent=round_half_up(value, 2)
            )
    entry.percent_round = stored_percent(computed.round)
    entry.percent_annual = stored_percent(computed.annual)
    entry.band = stored_band(computed.annual, thresholds)
    if user is not None:
        entry.updated_by = user  # type: ignore[assignment]
    # The typed texts' lengths and the method's choices by the model's own validators. The
    # figures are the core's, checked above with their Thai messages (require_fits, the
    # percent limit; the band is the core's own); the table's check constraints stay the
    # database's; the keys, the round and the status are not typed here.
    if checked:
        try:
            entry.clean_fields(exclude=_ALL_FIELDS.difference(checked))
        except ValidationError as error:
            # A refusal of this row like the others (a batch lists each row's), in the
            # validators' own Thai words.
            raise DomainError(
                "entry_field_refused", item=item.name, problems=" ".join(error.messages)
            ) from None


# The fields a save takes as typed and checks with the model's validators; the others are
# checked by the core or not written by a save.
_TYPED_TEXT = ("result_text", "result_text_annual", "percent_method", "percent_note", "explanation")
_ALL_FIELDS = frozenset(f.name for f in ProgressEntry._meta.fields)

# The stored percent's column keeps 9 digits, 4 after the point.
_PERCENT_LIMIT = Decimal(100_000)


def refresh_entries(entries: QuerySet[ProgressEntry]) -> int:
    """Store the entries' percentages and bands as their raw data now give them; returns how
    many changed. Reads in four queries whatever the number of entries (the entries, their
    milestones, their lines' months and spending); writes only the entries that changed.

    Locked (submitted or approved) entries are refreshed too: the stored percent is a copy
    of what the raw data give, not something the reporter typed (entered percentages are
    kept as typed by compute_percentages itself).
    """
    # Locked, in one order: an entry saved at this moment is refreshed after its save, from what
    # it saved, never from the row as it was before.
    rows = list(
        entries.select_related("work_item__budget_line", "work_item__plan", "round")
        .prefetch_related("work_item__budget_line__months")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if not rows:
        return 0
    milestones = {
        (m.work_item_id, m.round_months): m
        for m in PlannedMilestone.objects.filter(work_item_id__in={e.work_item_id for e in rows})
    }
    line_ids = {e.work_item.budget_line_id for e in rows if e.work_item.budget_line_id}
    spending: dict[tuple[int | None, int], BudgetSpending] = {
        (s.line_id, s.round_id): s for s in BudgetSpending.objects.filter(line_id__in=line_ids)
    }
    changed = 0
    for entry in rows:
        item = entry.work_item
        computed = _computed(
            entry,
            milestones.get((item.pk, entry.round.months)),
            spending.get((item.budget_line_id, entry.round_id)),
        )
        changed += _store_derived(entry, computed)
    return changed


def entry_refresh_percentages(entry: ProgressEntry) -> bool:
    """Store the entry's percentages as its raw data now give them; True when they changed."""
    return _store_derived(entry, entry_percentages(entry))


def _store_derived(entry: ProgressEntry, computed: Percentages) -> bool:
    new = (
        stored_percent(computed.round),
        stored_percent(computed.annual),
        stored_band(computed.annual, entry.work_item.plan.thresholds),
    )
    if new == (entry.percent_round, entry.percent_annual, entry.band):
        return False
    entry.percent_round, entry.percent_annual, entry.band = new
    entry.save(update_fields=list(_DERIVED))
    return True


def stored_band(annual: Decimal | None, thresholds: BandThresholds) -> str:
    """The band an entry stores: the core's, from the exact annual percent; empty without one."""
    return "" if annual is None else thresholds.percent_band(annual).value


def explanation_required(work_item: WorkItem, round_: Round) -> bool:
    """Whether a low percent must be explained: projects and programmes being evaluated.

    Seed 000 explains every lagging project but lists lagging budget items (whose progress is
    their budget line's disbursement) without one, so budget items are not held to it.
    """
    return (
        work_item.kind != WorkItem.Kind.BUDGET_ITEM
        and not work_item.excluded
        and not work_item.is_later_quarter(round_)
    )


# --- kept from what the plan and the budget say changed (tidtam.progress.apps connects these) --


def on_figures_changed(
    sender: object,
    *,
    work_item: WorkItem | None = None,
    plan: OperatingPlan | None = None,
    round_months: int | None = None,
    **kwargs: object,
) -> int:
    """Recompute the stored percentages and bands of the entries in scope; how many changed."""
    entries = ProgressEntry.objects.all()
    if work_item is not None:
        entries = entries.filter(work_item=work_item)
    elif plan is not None:
        entries = entries.filter(work_item__plan=plan)
    if round_months is not None:
        entries = entries.filter(round__months=round_months)
    return refresh_entries(entries)


def on_spending_changed(
    sender: object, *, line: BudgetLine, round_: Round | None = None, **kwargs: object
) -> int:
    """Recompute the entries that follow a line's spending, in one round or in all."""
    entries = ProgressEntry.objects.filter(
        work_item__budget_line=line, percent_method=PercentMethod.BUDGET_LINE
    )
    if round_ is not None:
        entries = entries.filter(round=round_)
    return refresh_entries(entries)
