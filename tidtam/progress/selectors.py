"""Reads of progress for many organisations at once: the band table of every plan in a round."""

from __future__ import annotations

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Value,
    When,
)

from tidtam.domain import fiscal
from tidtam.domain.band_counts import ActivityCounts, band_table_from_counts
from tidtam.domain.errors import DomainError
from tidtam.domain.progress import (
    DEFAULT_THRESHOLDS,
    Band,
    BandItem,
    BandTable,
    BandThresholds,
    ItemKind,
)
from tidtam.periods.models import Round
from tidtam.plans.models import OperatingPlan, WorkItem

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
    thresholds: BandThresholds = DEFAULT_THRESHOLDS,
) -> dict[str, BandTable]:
    """The band table (seed 000's ตารางที่ 1) of every organisation's plan, by organisation code.

    The database does the counting: one grouped query returns how many items each activity has
    per band and kind, so Python handles one row per activity, band and kind, not one per work
    item. Bands come from the stored percent_annual (4 decimals), which `progress_entry_save`
    keeps from the same computation the report makes. Four queries whatever the number of
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
    items = WorkItem.objects.filter(plan__fiscal_year__year=fiscal_year, activity__isnull=False)
    if organization_codes is not None:
        plans = plans.filter(organization__code__in=organization_codes)
        items = items.filter(plan__organization__code__in=organization_codes)

    # Every plan with its activities in the report's order: the rows' order and labels, and
    # an entry for a plan that has no activity yet (LEFT JOINs).
    activities: dict[str, list[int]] = {}
    labels: dict[int, tuple[str, str]] = {}
    for code, output, activity, activity_id in plans.values_list(
        "organization__code",
        "outputs__number",
        "outputs__activities__number",
        "outputs__activities__pk",
    ).order_by("organization__code", "outputs__number", "outputs__activities__number"):
        in_plan = activities.setdefault(code, [])
        if activity_id is not None:
            in_plan.append(activity_id)
            labels[activity_id] = (str(output), str(activity))

    # Grouped by activity and band, one count per kind: the activity tells the plan and the
    # labels, so the database neither joins organisations and outputs for every item nor sorts
    # the groups, and a count per kind halves the rows Python reads. An excluded item is its
    # own group (its key is its id): its name and reason are then fetched by id rather than by
    # scanning every item of the year again.
    quarter = round_months // 3
    banded = _with_band(items, round_id=round_id, quarter=quarter, thresholds=thresholds)
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
                later_quarter=later_from is not None and later_from > quarter,
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

    return {
        code: band_table_from_counts(
            (
                ActivityCounts(*labels[a], cells.get(a, ()), excluded.get(a, ()))
                for a in in_plan
                if a in cells or a in excluded
            ),
            thresholds,
        )
        for code, in_plan in activities.items()
    }


def _first(pair: tuple[int, BandItem]) -> int:
    return pair[0]


def _with_band(
    items: QuerySet[WorkItem], *, round_id: int, quarter: int, thresholds: BandThresholds
) -> QuerySet[WorkItem]:
    """The work items, each with its band label for the round.

    The order of the When clauses is the core's: excluded first, then later quarters, then the
    percent (band_table and band_of).
    """
    return items.annotate(
        # A LEFT JOIN on the round's entry: an item without one must still be seen (later
        # quarters and excluded items need none).
        entry=FilteredRelation("progress", condition=Q(progress__round_id=round_id)),
        band=Case(
            When(excluded=True, then=Value(EXCLUDED)),
            When(later_quarter_from__gt=quarter, then=Value(Band.LATER_QUARTER.value)),
            When(entry__id__isnull=True, then=Value(NO_ENTRY)),
            When(entry__percent_annual__isnull=True, then=Value(NO_PERCENT)),
            When(entry__percent_annual__lt=thresholds.low, then=Value(Band.BELOW_50.value)),
            When(entry__percent_annual__lt=thresholds.high, then=Value(Band.FROM_50.value)),
            default=Value(Band.FROM_80.value),
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
