"""What round pages read: the round's items with entries and percentages, my work, the status per unit."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet

from tidtam.agreements.models import Indicator, IndicatorResult
from tidtam.budgets.models import BudgetSpending
from tidtam.domain.progress import BandItem, BandTable, ItemKind, band_table
from tidtam.domain.thai import thai_sort_key
from tidtam.orgs import access
from tidtam.orgs.models import Organization
from tidtam.periods.models import Round
from tidtam.plans.models import OperatingPlan, PlannedMilestone, WorkItem
from tidtam.progress.models import EntryStatus, ProgressEntry, ReviewStep
from tidtam.progress.services import Percentages, compute_percentages

NOT_STARTED = "not_started"
STATUS_LABELS = {NOT_STARTED: "ยังไม่เริ่ม", **dict(EntryStatus.choices)}


@dataclass(frozen=True)
class ItemProgress:
    item: WorkItem
    entry: ProgressEntry | None
    percentages: Percentages
    later_quarter: bool

    @property
    def band_item(self) -> BandItem:
        activity = self.item.activity
        assert activity is not None
        return BandItem(
            output=str(activity.output.number),
            activity=str(activity.number),
            kind=ItemKind(self.item.kind),
            annual_percent=self.percentages.annual,
            later_quarter=self.later_quarter,
            excluded=self.item.excluded,
            name=self.item.name,
            exclusion_reason=self.item.exclusion_reason,
        )

    @property
    def status(self) -> str:
        return self.entry.status if self.entry is not None else NOT_STARTED

    @property
    def counted(self) -> bool:
        """Whether the item has what the band table needs (an entry, or no entry needed)."""
        return self.entry is not None or self.later_quarter or self.item.excluded


def round_items(plan: OperatingPlan, round_: Round) -> list[ItemProgress]:
    """Every work item of the plan's activities with its entry and percentages (4 queries)."""
    items = (
        WorkItem.objects.filter(plan=plan, activity__isnull=False)
        .select_related("activity__output", "budget_line")
        .prefetch_related(
            Prefetch(
                "progress",
                queryset=ProgressEntry.objects.filter(round=round_),
                to_attr="round_entries",
            ),
            Prefetch(
                "milestones",
                queryset=PlannedMilestone.objects.filter(round_months=round_.months),
                to_attr="round_milestones",
            ),
        )
        .order_by("activity__output__number", "activity__number", "number")
    )
    spending = {
        s.line_id: s
        for s in BudgetSpending.objects.filter(line__organization=plan.organization, round=round_)
    }
    result = []
    for item in items:
        entry = item.round_entries[0] if item.round_entries else None
        milestone = item.round_milestones[0] if item.round_milestones else None
        later = item.is_later_quarter(round_)
        if entry is None or later or item.excluded:
            percentages = Percentages(None, None)
        else:
            percentages = compute_percentages(
                work_item=item,
                round_=round_,
                method=entry.percent_method,
                result_quantity=entry.result_quantity,
                entered_round=entry.percent_round,
                entered_annual=entry.percent_annual,
                milestone=milestone,
                spending=spending.get(item.budget_line_id) if item.budget_line_id else None,
            )
        result.append(ItemProgress(item, entry, percentages, later))
    return result


def open_round() -> Round | None:
    """The round people report now: the latest one open."""
    return (
        Round.objects.filter(is_open=True)
        .select_related("fiscal_year")
        .order_by("-fiscal_year__year", "-months")
        .first()
    )


@dataclass
class WorkRow:
    """One thing a person must do this round: a work item's or a KPI's entry."""

    kind: str  # "work_item" or "indicator"
    obj: Any
    entry: Any | None
    organization: str
    comment: str = ""

    @property
    def status(self) -> str:
        return self.entry.status if self.entry is not None else NOT_STARTED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def name(self) -> str:
        return str(self.obj.name)


@dataclass
class MyWork:
    round: Round | None
    today: date
    to_report: list[WorkRow] = field(default_factory=list)
    returned: list[WorkRow] = field(default_factory=list)
    to_approve: list[WorkRow] = field(default_factory=list)

    @property
    def deadline(self) -> date | None:
        return self.round.deadline if self.round is not None else None

    @property
    def days_left(self) -> int | None:
        return None if self.deadline is None else (self.deadline - self.today).days

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -(self.days_left or 0)

    @property
    def pending(self) -> list[WorkRow]:
        """What is still mine to finish: not started, draft or returned."""
        return [r for r in self.to_report if r.status in (NOT_STARTED, "draft", "returned")]


def _latest_comments(model: type, ids: list[int]) -> dict[int, str]:
    """The last return/reopen comment of each entry (one query)."""
    if not ids:
        return {}
    steps = ReviewStep.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=ids,
        action__in=("return", "reopen"),
    ).order_by("at", "id")
    return {step.object_id: step.comment for step in steps}


def _org_label(item: WorkItem) -> str:
    return "/".join(r.organization.label for r in item.responsibilities.all())


def _work_item_rows(items: QuerySet[WorkItem], round_: Round) -> list[WorkRow]:
    items = (
        items.filter(plan__fiscal_year=round_.fiscal_year, excluded=False)
        .select_related("plan__organization", "activity__output")
        .prefetch_related(
            Prefetch(
                "progress",
                queryset=ProgressEntry.objects.filter(round=round_),
                to_attr="round_entries",
            ),
            "responsibilities__organization",
        )
    )
    rows = [
        WorkRow(
            "work_item",
            item,
            item.round_entries[0] if item.round_entries else None,
            _org_label(item) or item.plan.organization.label,
        )
        for item in items
        if not item.is_later_quarter(round_)
    ]
    rows.sort(key=lambda r: thai_sort_key(r.name))
    return rows


def _indicator_rows(indicators: QuerySet[Indicator], round_: Round) -> list[WorkRow]:
    indicators = (
        indicators.filter(fiscal_year=round_.fiscal_year)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "results",
                queryset=IndicatorResult.objects.filter(round=round_, unit__isnull=True),
                to_attr="round_results",
            )
        )
    )
    return sorted(
        (
            WorkRow(
                "indicator",
                indicator,
                indicator.round_results[0] if indicator.round_results else None,
                indicator.organization.label,
            )
            for indicator in indicators
        ),
        key=lambda r: (r.obj.number, thai_sort_key(r.name)),
    )


def my_work(user: Any, *, today: date, round_: Round | None = None) -> MyWork:
    """The first page after sign-in: what I report this round, what came back, what I approve."""
    round_ = round_ or open_round()
    work = MyWork(round=round_, today=today)
    if round_ is None:
        return work
    reach = access.reach_of(user)
    if reach.everything:
        # An administrator is not anybody's reporter; they see the approvals queue only.
        reportable: list[WorkRow] = []
    else:
        reportable = _work_item_rows(access.work_items_reportable(user), round_) + _indicator_rows(
            access.indicators_reportable(user), round_
        )
    approvable = _work_item_rows(access.work_items_approvable(user), round_) + _indicator_rows(
        access.indicators_approvable(user), round_
    )
    for model, rows in ((ProgressEntry, reportable), (IndicatorResult, reportable)):
        kind = "work_item" if model is ProgressEntry else "indicator"
        returned = [r for r in rows if r.kind == kind and r.status == "returned"]
        comments = _latest_comments(model, [r.entry.pk for r in returned])
        for row in returned:
            row.comment = comments.get(row.entry.pk, "")
    work.to_report = reportable
    work.returned = [r for r in reportable if r.status == "returned"]
    work.to_approve = [r for r in approvable if r.status == "submitted"]
    return work


# --- the round's status, per unit, for planners and approvers ----------------------------------


@dataclass
class UnitStatus:
    organization: Organization
    counts: Counter[str]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[tuple[str, str, int]]:
        return [(key, label, self.counts.get(key, 0)) for key, label in STATUS_LABELS.items()]


@dataclass
class RoundStatus:
    plan: OperatingPlan
    round: Round
    items: list[ItemProgress]
    units: list[UnitStatus]
    table: BandTable
    missing: int

    @property
    def status_totals(self) -> Counter[str]:
        return Counter(p.status for p in self.items if not p.item.excluded and not p.later_quarter)


def round_status(plan: OperatingPlan, round_: Round) -> RoundStatus:
    """Per responsible unit, how many items are at each status; and the band table so far.

    Items without an entry yet are left out of the band table and counted as missing, so the
    table grows as units report.
    """
    items = round_items(plan, round_)
    by_unit: dict[int, Counter[str]] = defaultdict(Counter)
    units: dict[int, Organization] = {}
    responsibilities = plan.work_items.filter(activity__isnull=False).prefetch_related(
        "responsibilities__organization"
    )
    unit_of = {
        item.pk: [r.organization for r in item.responsibilities.all()] for item in responsibilities
    }
    for p in items:
        if p.item.excluded or p.later_quarter:
            continue
        for org in unit_of.get(p.item.pk) or [plan.organization]:
            units[org.pk] = org
            by_unit[org.pk][p.status] += 1
    table = band_table(p.band_item for p in items if p.counted)
    return RoundStatus(
        plan=plan,
        round=round_,
        items=items,
        units=sorted(
            (UnitStatus(units[pk], counts) for pk, counts in by_unit.items()),
            key=lambda u: thai_sort_key(u.organization.label),
        ),
        table=table,
        missing=sum(1 for p in items if not p.counted),
    )
