"""Reads of progress: my work, the round's items and status per unit, and the band table of every
plan in a round (counted in the database)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from tidtam.agreements.models import IN_A_DOCUMENT, SHOWN_NAME, Indicator, IndicatorResult
from tidtam.budgets.models import BudgetSpending
from tidtam.domain import fiscal
from tidtam.domain.errors import DomainError
from tidtam.domain.progress import (
    ActivityCounts,
    Band,
    BandItem,
    BandTable,
    BandThresholds,
    ItemKind,
    band_table_from_counts,
    is_later_quarter,
)
from tidtam.domain.rollup import COUNTED_BANDS, BandCounts
from tidtam.domain.thai import thai_sort_key
from tidtam.messages import STRATEGIC_PROJECT
from tidtam.orgs import access
from tidtam.orgs.models import Organization
from tidtam.paging import Pager, paginate, thai, thai_order
from tidtam.periods.calendar import Schedule, open_rounds_for, schedule_for, schedules_for
from tidtam.periods.models import Round
from tidtam.plans.models import (
    OperatingPlan,
    PlannedMilestone,
    WorkItem,
    WorkItemResponsibility,
)
from tidtam.progress.models import EntryStatus, ProgressEntry, ReviewStep
from tidtam.progress.services import Percentages, compute_percentages

# Labels the query gives items that are not counted in a band. Excluded items are listed by
# name, fetched by id; the other two are errors the item-by-item report raises too.
EXCLUDED = "excluded"
NO_ENTRY = "no_entry"
NO_PERCENT = "no_percent"

_BANDS = {band.value: band for band in Band}
_KINDS = {kind.value: kind for kind in ItemKind}
# The order of the per-kind counts in the grouped query's rows.
_KIND_ORDER = (ItemKind.PROJECT, ItemKind.PROGRAMME, ItemKind.BUDGET_ITEM)
_IDS_PER_QUERY = 10_000


def band_tables(
    *,
    fiscal_year: int,
    round_months: int,
    organization_codes: list[str] | None = None,
) -> dict[str, BandTable]:
    """The band table (seed 000's ตารางที่ 1) of every organisation's plan, by organisation code.

    The database does the counting: one grouped query returns how many items each activity has
    per band and kind, so Python handles one row per activity, band and kind, not one per work
    item. Bands are the ones the core decided when each entry was saved (`ProgressEntry.band`,
    from the exact percent under its plan's thresholds, refreshed when the figures or the
    thresholds change); each table carries its plan's thresholds. Four queries whatever the number of
    plans (one more per 10,000 excluded items). An item is counted on its activity's row, under the plan the activity belongs to;
    a plan without work items gets an empty table.
    """
    fiscal.check_be_year(fiscal_year, field="ปีงบประมาณ")
    fiscal.check_round(round_months)
    round_id = (
        Round.objects.filter(fiscal_year__year=fiscal_year, months=round_months)
        .values_list("pk", flat=True)
        .first()
    )
    if round_id is None:
        raise DomainError("round_missing", year=fiscal_year, months=round_months)

    plans = OperatingPlan.objects.filter(fiscal_year__year=fiscal_year)
    items = WorkItem.objects.filter(plan__fiscal_year__year=fiscal_year)
    if organization_codes is not None:
        plans = plans.filter(organization__code__in=organization_codes)
        items = items.filter(plan__organization__code__in=organization_codes)
    tables, _ = _band_tables(plans, items, round_id=round_id, round_months=round_months)
    return tables


def _band_tables(
    plans: QuerySet[OperatingPlan],
    items: QuerySet[WorkItem],
    *,
    round_id: int,
    round_months: int,
    missing_allowed: bool = False,
    approved_only: bool = False,
) -> tuple[dict[str, BandTable], dict[str, int]]:
    """The band tables of `plans` from their `items`, counted in the database; and how many
    items of each plan have no result yet (refused with the report's error unless
    `missing_allowed`: the round status page shows the table so far). With `approved_only`,
    a result counts once approved (the dashboard's switch); until then it is missing."""
    # Every plan with its activities in the report's order: the rows' order and labels, and
    # an entry for a plan that has no activity yet (LEFT JOINs).
    activities: dict[str, list[int]] = {}
    labels: dict[int, tuple[str, str]] = {}
    plan_of: dict[int, str] = {}
    thresholds: dict[str, BandThresholds] = {}
    for code, output, activity, activity_id, low, high, explanation in plans.values_list(
        "organization__code",
        "outputs__number",
        "outputs__activities__number",
        "outputs__activities__pk",
        "band_low",
        "band_high",
        "explanation_threshold",
    ).order_by("organization__code", "outputs__number", "outputs__activities__number"):
        if code not in thresholds:
            thresholds[code] = BandThresholds(low, high, explanation)
        in_plan = activities.setdefault(code, [])
        if activity_id is not None:
            in_plan.append(activity_id)
            labels[activity_id] = (str(output), str(activity))
            plan_of[activity_id] = code

    # Grouped by activity and band, one count per kind: the activity tells the plan and the
    # labels, so the database neither joins organisations and outputs for every item nor sorts
    # the groups, and a count per kind halves the rows Python reads. An excluded item is its
    # own group (its key is its id): its name and reason are then fetched by id rather than by
    # scanning every item of the year again.
    quarter = round_months // 3
    banded = _with_band(items, round_id=round_id, quarter=quarter, approved_only=approved_only)
    grouped = (
        banded.values_list(
            "activity_id",
            "band",
            # The id's own field type: Django then has no converter to run on every row.
            Case(When(excluded=True, then=F("pk"))),
        )
        .annotate(**{f"n_{kind.value}": Count("pk", filter=Q(kind=kind)) for kind in _KIND_ORDER})
        .order_by()
    )
    cells: dict[int, list[tuple[Band, ItemKind, int]]] = {}
    excluded_ids = []
    missing: dict[str, int] = {}
    project, programme, budget_item = _KIND_ORDER
    # Written out rather than looped over the kinds: this runs once per row of a national
    # query, and a generator per row costs more than the counting itself.
    for activity_id, band, item_id, n_project, n_programme, n_budget_item in grouped:
        if band in _BANDS:
            in_activity = cells.get(activity_id)
            if in_activity is None:
                in_activity = cells[activity_id] = []
            band_ = _BANDS[band]
            if n_project:
                in_activity.append((band_, project, n_project))
            if n_programme:
                in_activity.append((band_, programme, n_programme))
            if n_budget_item:
                in_activity.append((band_, budget_item, n_budget_item))
        elif band == EXCLUDED:
            excluded_ids.append(item_id)
        elif missing_allowed:
            code = plan_of[activity_id]
            missing[code] = missing.get(code, 0) + n_project + n_programme + n_budget_item
        else:
            _raise_missing(banded, band, round_months)

    numbered: dict[int, list[tuple[int, BandItem]]] = {}
    # In chunks: SQLite refuses more than 32,766 parameters in one statement.
    for start in range(0, len(excluded_ids), _IDS_PER_QUERY):
        for activity_id, number, kind, name, reason, later_from in (
            WorkItem.objects.filter(pk__in=excluded_ids[start : start + _IDS_PER_QUERY])
            .values_list(
                "activity_id", "number", "kind", "name", "exclusion_reason", "later_quarter_from"
            )
            .order_by()
        ):
            output_label, activity_label = labels[activity_id]
            # The same BandItem the report builds: it shows excluded items without a percent.
            item = BandItem(
                output=output_label,
                activity=activity_label,
                kind=_KINDS[kind],
                annual_percent=None,
                later_quarter=is_later_quarter(later_from, quarter),
                excluded=True,
                name=name,
                exclusion_reason=reason,
            )
            numbered.setdefault(activity_id, []).append((number, item))
    # Listed in the plan's order, as the report lists them.
    excluded = {
        activity_id: [item for _, item in sorted(pairs, key=_first)]
        for activity_id, pairs in numbered.items()
    }

    tables = {
        code: band_table_from_counts(
            (
                ActivityCounts(*labels[a], cells.get(a, ()), excluded.get(a, ()))
                for a in in_plan
                if a in cells or a in excluded
            ),
            thresholds[code],
        )
        for code, in_plan in activities.items()
    }
    return tables, missing


def _first(pair: tuple[int, BandItem]) -> int:
    return pair[0]


def _with_band(
    items: QuerySet[WorkItem], *, round_id: int, quarter: int, approved_only: bool = False
) -> QuerySet[WorkItem]:
    """The work items, each with its band label for the round (with `approved_only`, an entry
    not yet approved is as if there were none).

    The order of the When clauses is the core's: excluded first, then later quarters
    (`is_later_quarter`), then the band the core stored with the entry (band_table and
    band_of). No threshold is compared here.
    """
    condition = Q(progress__round_id=round_id)
    if approved_only:
        condition &= Q(progress__status=EntryStatus.APPROVED)
    return items.annotate(
        # A LEFT JOIN on the round's entry: an item without one must still be seen (later
        # quarters and excluded items need none).
        entry=FilteredRelation("progress", condition=condition),
        band=Case(
            When(excluded=True, then=Value(EXCLUDED)),
            When(later_quarter_from__gt=quarter, then=Value(Band.LATER_QUARTER.value)),
            When(entry__id__isnull=True, then=Value(NO_ENTRY)),
            When(entry__band="", then=Value(NO_PERCENT)),
            default=F("entry__band"),
            output_field=CharField(),
        ),
    )


def _raise_missing(items: QuerySet[WorkItem], band: str, round_months: int) -> None:
    """Raise the report's own error for the first item it could not place in a band."""
    # A Q object: the type checker knows the model's fields, not this query's annotations.
    item = items.filter(Q(band=band)).order_by("plan__organization__code", "pk").first()
    assert item is not None  # the grouped query has just counted it
    if band == NO_ENTRY:
        raise DomainError("progress_missing", item=item.name, round=round_months)
    raise DomainError("percent_missing", item=item.name)


# --- one plan's round: items, my work, status per unit ----------------------------------------


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
    """Every work item of the plan's activities with its entry and percentages (5 queries,
    however many items and budget lines)."""
    items = (
        WorkItem.objects.filter(plan=plan)
        .select_related("activity__output", "budget_line")
        .prefetch_related(
            # A budget item's percent reads its line's monthly plan (BudgetLine.figures).
            "budget_line__months",
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
        for s in BudgetSpending.objects.filter(
            line__organization_id=plan.organization_id, round=round_
        )
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


def open_round(organization_ids: Iterable[int] | None = None) -> Round | None:
    """The round people report now: the latest one open for any of the organisations, each by
    its own calendar (`tidtam.periods.calendar`); without organisations, open for anybody."""
    if organization_ids is None:
        return (
            Round.objects.filter(schedules__is_open=True)
            .select_related("fiscal_year")
            .order_by("-fiscal_year__year", "-months")
            .first()
        )
    found = [o.round for opened in open_rounds_for(organization_ids).values() for o in opened]
    return max(found, key=lambda r: (r.fiscal_year.year, r.months), default=None)


@dataclass(frozen=True)
class WorkCalendar:
    """The round a person's work is in, their deadline for it, and the organisations whose
    items and KPIs it lists (those for which the round is open)."""

    round: Round | None
    deadline: date | None
    organization_ids: frozenset[int]
    # Every round open for some of these organisations, with the earliest deadline among them,
    # latest round first: where organisations' calendars differ, the page lets one choose.
    choices: tuple[tuple[Round, date | None], ...] = ()


def work_calendar(
    sources: list[tuple[QuerySet[Any], str]],
    round_: Round | None = None,
    *,
    chosen: int | None = None,
) -> WorkCalendar:
    """The latest round open for the organisations of these items and KPIs (or the open round
    whose id is `chosen`): `sources` are (queryset, the field naming the organisation whose
    calendar governs each row): a work item follows its plan's organisation
    (`plan__organization_id`), a KPI its own (`organization_id`). The deadline is the earliest
    of those organisations' for that round. With `round_`, that round for every organisation,
    open or not. A constant number of queries.
    """
    org_ids: set[int] = set()
    for queryset, org_field in sources:
        org_ids.update(queryset.order_by().values_list(org_field, flat=True).distinct())
    org_ids.discard(None)  # type: ignore[arg-type]
    if round_ is not None:
        schedules = schedules_for([round_], org_ids)
        deadlines = [schedules[(round_.pk, o)].deadline for o in org_ids]
        return WorkCalendar(
            round_, min((d for d in deadlines if d), default=None), frozenset(org_ids)
        )
    by_org = open_rounds_for(org_ids)
    opened = [o for found in by_org.values() for o in found]
    if not opened:
        return WorkCalendar(None, None, frozenset())
    due: dict[int, list[date]] = defaultdict(list)
    rounds: dict[int, Round] = {}
    for o in opened:
        rounds[o.round.pk] = o.round
        if o.deadline is not None:
            due[o.round.pk].append(o.deadline)
    choices = tuple(
        (r, min(due[r.pk], default=None))
        for r in sorted(rounds.values(), key=lambda r: (-r.fiscal_year.year, -r.months))
    )
    picked = rounds.get(chosen) if chosen is not None else None
    picked = picked or choices[0][0]
    mine = {org_id: o for org_id, found in by_org.items() for o in found if o.round.pk == picked.pk}
    return WorkCalendar(
        picked,
        min((o.deadline for o in mine.values() if o.deadline), default=None),
        frozenset(mine),
        choices,
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
        """A strategic-plan project's KPI is named by its project, as its units know it."""
        return str(self.obj.name if self.kind == "work_item" else self.obj.shown_name)

    @property
    def kind_label(self) -> str:
        if self.kind == "work_item":
            return str(self.obj.get_kind_display())
        return STRATEGIC_PROJECT if self.obj.project_name else "ตัวชี้วัด"


def _no_rows() -> Pager:
    return paginate(None, [])


@dataclass
class MyWork:
    """The person's own queue, each list one page of rows fetched by the database."""

    round: Round | None
    today: date
    # The person's deadline for the round: the earliest their organisations' calendars set.
    deadline: date | None = None
    # The rounds open for the person's organisations (more than one where calendars differ).
    open_rounds: tuple[tuple[Round, date | None], ...] = ()
    to_report: Pager = field(default_factory=_no_rows)
    returned: Pager = field(default_factory=_no_rows)
    to_approve: Pager = field(default_factory=_no_rows)
    # Entries and KPI results of closed rounds a planner let in late, not yet approved: they
    # wait for me whatever round is open (each links to its own round).
    late_entries: Pager = field(default_factory=_no_rows)
    late_results: Pager = field(default_factory=_no_rows)
    # How many of what I report are at each status (every page, not only this one).
    counts: Counter[str] = field(default_factory=Counter)

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
    def report_total(self) -> int:
        return sum(self.counts.values())

    @property
    def pending_count(self) -> int:
        """What is still mine to finish: not started, draft or returned."""
        return sum(self.counts[status] for status in (NOT_STARTED, "draft", "returned"))


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


def _items_in_round(items: QuerySet[WorkItem], round_: Round) -> QuerySet[WorkItem]:
    """The items reported this round, each with its entry's status (a LEFT JOIN, no rows read)."""
    return (
        items.filter(plan__fiscal_year=round_.fiscal_year, excluded=False)
        .exclude(later_quarter_from__gt=round_.quarter)
        .annotate(
            entry=FilteredRelation("progress", condition=Q(progress__round=round_)),
            state=Coalesce(F("entry__status"), Value(NOT_STARTED)),
            kind_of=Value("work_item"),
        )
    )


def _indicators_in_round(indicators: QuerySet[Indicator], round_: Round) -> QuerySet[Indicator]:
    return indicators.filter(IN_A_DOCUMENT, fiscal_year=round_.fiscal_year).annotate(
        result=FilteredRelation(
            "results", condition=Q(results__round=round_, results__unit__isnull=True)
        ),
        state=Coalesce(F("result__status"), Value(NOT_STARTED)),
        kind_of=Value("indicator"),
    )


# The items and KPIs reported in a round (the Excel template of a round's results lists them).
items_in_round = _items_in_round
indicators_in_round = _indicators_in_round


def _queue(
    items: QuerySet[WorkItem], indicators: QuerySet[Indicator], *states: str
) -> QuerySet[Any]:
    """Items and KPIs as one list in Thai order by name, for the database to page."""
    if states and NOT_STARTED not in states:
        # Only rows that have an entry: asked on the entry's own columns (round, status), so
        # the database starts from the few entries in those states, not from every item.
        items = items.filter(Q(entry__status__in=states))
        indicators = indicators.filter(Q(result__status__in=states))
    elif states:
        items = items.filter(Q(state__in=states))
        indicators = indicators.filter(Q(state__in=states))
    columns = ("kind_of", "pk", "sort_name")
    # The collated name goes into the union's column, so ORDER BY sorts in Thai order.
    return (
        items.annotate(sort_name=thai("name"))
        .values_list(*columns)
        .order_by()
        .union(
            indicators.annotate(sort_name=thai(SHOWN_NAME)).values_list(*columns).order_by(),
            all=True,
        )
        .order_by("sort_name", "kind_of", "pk")
    )


def _rows(page: Pager, round_: Round, *, comments: bool = False) -> Pager:
    """Turn a page of (kind, id, name) into WorkRows: two queries per kind, whatever the page."""
    keys = list(page.page.object_list)
    item_ids = [pk for kind, pk, _ in keys if kind == "work_item"]
    indicator_ids = [pk for kind, pk, _ in keys if kind == "indicator"]
    objects: dict[tuple[str, int], WorkRow] = {}
    if item_ids:
        for item in (
            WorkItem.objects.filter(pk__in=item_ids)
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
        ):
            entry = item.round_entries[0] if item.round_entries else None
            label = _org_label(item) or item.plan.organization.label
            objects["work_item", item.pk] = WorkRow("work_item", item, entry, label)
    if indicator_ids:
        for indicator in (
            Indicator.objects.filter(pk__in=indicator_ids)
            .select_related("organization")
            .prefetch_related(
                Prefetch(
                    "results",
                    queryset=IndicatorResult.objects.filter(round=round_, unit__isnull=True),
                    to_attr="round_results",
                )
            )
        ):
            result = indicator.round_results[0] if indicator.round_results else None
            objects["indicator", indicator.pk] = WorkRow(
                "indicator", indicator, result, indicator.organization.label
            )
    rows = [objects[kind, pk] for kind, pk, _ in keys if (kind, pk) in objects]
    if comments:
        for kind, model in (("work_item", ProgressEntry), ("indicator", IndicatorResult)):
            with_entry = [(r, r.entry.pk) for r in rows if r.kind == kind and r.entry is not None]
            found = _latest_comments(model, [pk for _, pk in with_entry])
            for row, pk in with_entry:
                row.comment = found.get(pk, "")
    page.page.object_list = rows
    return page


def _status_counts(items: QuerySet[WorkItem], indicators: QuerySet[Indicator]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for queryset in (items, indicators):
        # F(): the type checker knows the model's fields, not this query's annotations.
        for state, n in queryset.order_by().values_list(F("state")).annotate(n=Count("pk")):
            counts[state] += n
    return counts


def _calendar_sources(user: Any, *, approver: bool) -> list[tuple[QuerySet[Any], str]]:
    """My items and KPIs, to report or to approve, with the field naming their calendar's
    organisation (see `work_calendar`)."""
    sources: list[tuple[QuerySet[Any], str]] = [
        (access.work_items_assigned(user), "plan__organization_id"),
        (access.indicators_assigned(user), "organization_id"),
    ]
    if approver:
        sources += [
            (access.work_items_approvable(user), "plan__organization_id"),
            (access.indicators_approvable(user), "organization_id"),
        ]
    return sources


def _late(user: Any, params: Mapping[str, str]) -> tuple[Pager, Pager]:
    """My entries and KPI results a planner let in after their round closed (an `unlock`
    review step), until they are approved: a page of each, in Thai order of the name."""
    entries = (
        ProgressEntry.objects.filter(
            late_edit_allowed=True, work_item__in=access.work_items_assigned(user).values("id")
        )
        .exclude(status=EntryStatus.APPROVED)
        .select_related("work_item", "round__fiscal_year")
        .order_by(*thai_order("work_item__name", "round__months", "pk"))
    )
    results = (
        IndicatorResult.objects.filter(
            late_edit_allowed=True,
            unit__isnull=True,
            indicator__in=access.indicators_assigned(user).values("id"),
        )
        .exclude(status=EntryStatus.APPROVED)
        .select_related("indicator", "round__fiscal_year")
        .order_by(*thai_order("indicator__name", "round__months", "pk"))
    )
    return (
        paginate(params, entries, param="late_page"),
        paginate(params, results, param="late_kpi_page"),
    )


def my_work(
    user: Any,
    *,
    today: date,
    round_: Round | None = None,
    params: Mapping[str, str] | None = None,
) -> MyWork:
    """The first page after sign-in: what I report this round, what came back, what I approve.

    Only the person's own queue: items and KPIs assigned to them or to a unit they report for
    (a planner's reach over a ministry is not a queue), and entries waiting for their approval.
    Each list is a page read from the database, so a national planner's page costs what a
    reporter's does; an administrator, nobody's reporter or approver, gets an empty queue
    without reading any item.
    """
    reach = access.reach_of(user)
    if reach.everything:
        return MyWork(round=round_ or open_round(), today=today)
    params = params or {}
    approver = bool(reach.orgs(access.Role.APPROVER))
    late_entries, late_results = _late(user, params)
    # The round and the deadline follow the calendars of my items' and KPIs' organisations;
    # items of an organisation whose calendar has the round closed are not asked for.
    chosen = str(params.get("round", ""))
    mine = work_calendar(
        _calendar_sources(user, approver=approver),
        round_,
        chosen=int(chosen) if chosen.isdigit() else None,
    )
    work = MyWork(
        round=mine.round,
        today=today,
        deadline=mine.deadline,
        open_rounds=mine.choices,
        late_entries=late_entries,
        late_results=late_results,
    )
    if mine.round is None:
        return work
    round_, orgs = mine.round, mine.organization_ids
    items = _items_in_round(
        access.work_items_assigned(user).filter(plan__organization_id__in=orgs),
        round_,
    )
    indicators = _indicators_in_round(
        access.indicators_assigned(user).filter(organization_id__in=orgs), round_
    )
    work.counts = _status_counts(items, indicators)
    work.to_report = _rows(paginate(params, _queue(items, indicators)), round_)
    work.returned = _rows(
        paginate(params, _queue(items, indicators, "returned"), param="returned_page"),
        round_,
        comments=True,
    )
    if approver:
        waiting = _queue(
            _items_in_round(
                access.work_items_approvable(user).filter(plan__organization_id__in=orgs), round_
            ),
            _indicators_in_round(
                access.indicators_approvable(user).filter(organization_id__in=orgs), round_
            ),
            "submitted",
        )
        work.to_approve = _rows(paginate(params, waiting, param="approve_page"), round_)
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
    units: Pager  # of UnitStatus, in Thai order of the unit's name
    table: BandTable
    missing: int
    status_totals: Counter[str]

    @cached_property
    def schedule(self) -> Schedule:
        """The round's deadline and open state in the plan's organisation's calendar."""
        return schedule_for(self.round, self.plan.organization_id)


def round_status(
    plan: OperatingPlan, round_: Round, params: Mapping[str, str] | None = None
) -> RoundStatus:
    """Per responsible unit, how many items are at each status; and the band table so far.

    Counted by the database (a plan of 600 items costs what one of 6 does): the band table
    from the same grouped query as the national band tables, items without a result yet left
    out of it and counted as missing, so the table grows as units report. An item with no
    responsible unit counts for the plan's organisation. Excluded items and items planned from
    a later quarter wait for nobody's report and are not in the status counts.
    """
    items = WorkItem.objects.filter(plan=plan)
    tables, missing = _band_tables(
        OperatingPlan.objects.filter(pk=plan.pk),
        items,
        round_id=round_.pk,
        round_months=round_.months,
        missing_allowed=True,
    )
    in_round = _items_in_round(items, round_)
    totals: Counter[str] = Counter()
    for state, n in in_round.order_by().values_list(F("state")).annotate(n=Count("pk")):
        totals[state] += n
    by_unit: dict[int, Counter[str]] = defaultdict(Counter)
    for unit_id, state, n in (
        in_round.annotate(
            unit=Coalesce(F("responsibilities__organization_id"), Value(plan.organization_id))
        )
        .order_by()
        .values_list(F("unit"), F("state"))
        .annotate(n=Count("pk"))
    ):
        by_unit[unit_id][state] += n
    units = Organization.objects.in_bulk(list(by_unit))
    rows = sorted(
        (UnitStatus(units[pk], counts) for pk, counts in by_unit.items()),
        key=lambda u: thai_sort_key(u.organization.label),
    )
    return RoundStatus(
        plan=plan,
        round=round_,
        units=paginate(params, rows),
        table=tables[plan.organization.code],
        missing=sum(missing.values()),
        status_totals=totals,
    )


# --- a KPI's own past: the same KPI (its key) in the years before --------------------------


def kpi_past_years(indicator: Indicator) -> list[IndicatorResult]:
    """The KPI's result of each earlier year: the same KPI is the one with its key in its
    organisation (a year's copy keeps it), and a year's result is the agency's latest sent in
    or approved, the committee's review included. Oldest year first; two queries."""
    earlier = Indicator.objects.filter(
        organization_id=indicator.organization_id,
        key=indicator.key,
        fiscal_year__year__lt=indicator.fiscal_year.year,
    )
    results = (
        IndicatorResult.objects.filter(
            indicator__in=earlier,
            unit__isnull=True,
            status__in=(EntryStatus.SUBMITTED, EntryStatus.APPROVED),
        )
        .select_related("indicator__fiscal_year", "round")
        .order_by("indicator__fiscal_year__year", "round__months")
    )
    latest: dict[int, IndicatorResult] = {}
    for result in results:
        latest[result.indicator.fiscal_year.year] = result  # the later round wins
    return [latest[year] for year in sorted(latest)]


# --- a round's counts per organisation, for the dashboard -------------------------------------


@dataclass(frozen=True)
class OrganizationRound:
    """One organisation's own plan in a round (units below it are theirs): its items by band
    and by reporting status."""

    bands: BandCounts
    statuses: dict[str, int]


def round_counts(
    round_: Round, organization_ids: Collection[int], *, approved_only: bool = False
) -> dict[int, OrganizationRound]:
    """Per organisation (by id), its plan's items by band (the stored bands, counted by the
    database as in the national tables; with `approved_only`, a result counts once approved)
    and by reporting status (not started / draft / submitted / returned / approved). Three
    queries whatever the number of organisations; one without a plan of the year is left out.

    Only the totals are wanted here, so the items are counted per organisation and band
    (`_with_band`, the band tables' own reading), not per activity with the tables' labels:
    `tests/app/test_dashboard.py` checks them against the band tables and the documents."""
    year = round_.fiscal_year_id
    orgs = list(
        OperatingPlan.objects.filter(fiscal_year_id=year, organization_id__in=organization_ids)
        .order_by()
        .values_list("organization_id", flat=True)
    )
    items = WorkItem.objects.filter(plan__fiscal_year_id=year, plan__organization_id__in=orgs)
    bands: dict[int, dict[Band, int]] = {org: dict.fromkeys(COUNTED_BANDS, 0) for org in orgs}
    excluded: dict[int, int] = dict.fromkeys(orgs, 0)
    not_counted: dict[int, int] = dict.fromkeys(orgs, 0)
    for org_id, band, n in (
        _with_band(items, round_id=round_.pk, quarter=round_.quarter, approved_only=approved_only)
        .order_by()
        .values_list("plan__organization_id", F("band"))
        .annotate(n=Count("pk"))
    ):
        if band in _BANDS:
            bands[org_id][_BANDS[band]] += n
        elif band == EXCLUDED:
            excluded[org_id] += n
        else:  # no entry, or an entry without a percent: no result counted yet
            not_counted[org_id] += n
    statuses: dict[int, dict[str, int]] = defaultdict(dict)
    for org_id, state, n in (
        _items_in_round(items, round_)
        .order_by()
        .values_list("plan__organization_id", F("state"))
        .annotate(n=Count("pk"))
    ):
        statuses[org_id][state] = n
    return {
        org: OrganizationRound(
            BandCounts(bands[org], excluded[org], not_counted[org]), statuses.get(org, {})
        )
        for org in orgs
    }


def lagging_items(
    round_: Round,
    organization_ids: Collection[int],
    *,
    approved_only: bool = False,
    limit: int = 50,
) -> list[WorkItem]:
    """The items in the lowest band this round (the band table's own reading: excluded and
    later-quarter items are not), lowest percent first, at most `limit` (how many there are is
    the band table's count: `round_counts`)."""
    banded = _with_band(
        WorkItem.objects.filter(
            plan__fiscal_year=round_.fiscal_year, plan__organization_id__in=organization_ids
        ),
        round_id=round_.pk,
        quarter=round_.quarter,
        approved_only=approved_only,
    ).filter(Q(band=Band.BELOW_50.value))
    rows: list[WorkItem] = list(
        banded.select_related("plan__organization")
        .annotate(annual=F("entry__percent_annual"))
        .order_by("annual", "plan__organization__code", "pk")[:limit]
    )
    return rows
