"""Reads of progress for many organisations at once: the band table of every plan in a round."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, FilteredRelation, Q, QuerySet, Value, When

from tidtam.domain import fiscal
from tidtam.domain.band_counts import BandCount, band_table_from_counts
from tidtam.domain.errors import DomainError
from tidtam.domain.progress import DEFAULT_THRESHOLDS, Band, BandItem, BandTable, BandThresholds, ItemKind
from tidtam.periods.models import Round
from tidtam.plans.models import OperatingPlan, WorkItem

# Labels the query gives items that are not counted in a band. Excluded items are listed by
# name in a second query; the other two are errors the item-by-item report raises too.
EXCLUDED = "excluded"
NO_ENTRY = "no_entry"
NO_PERCENT = "no_percent"

_BANDS = {band.value: band for band in Band}
_KINDS = {kind.value: kind for kind in ItemKind}


def band_tables(
    *,
    fiscal_year: int,
    round_months: int,
    organization_codes: list[str] | None = None,
    thresholds: BandThresholds = DEFAULT_THRESHOLDS,
) -> dict[str, BandTable]:
    """The band table (seed 000's ตารางที่ 1) of every organisation's plan, by organisation code.

    The database does the counting: one grouped query returns how many items each activity has
    per band and kind, so the cost grows with the number of activities, not of work items.
    Bands come from the stored percent_annual (4 decimals), which `progress_entry_save` keeps
    from the same computation the report makes. Four queries whatever the number of plans.
    An organisation whose plan has no work items gets an empty table.
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
    if organization_codes is not None:
        plans = plans.filter(organization__code__in=organization_codes)
    entries: dict[str, list[tuple[int, int, BandCount | BandItem]]] = {
        code: [] for code in plans.values_list("organization__code", flat=True)
    }

    quarter = round_months // 3
    base = WorkItem.objects.filter(plan__fiscal_year__year=fiscal_year, activity__isnull=False)
    if organization_codes is not None:
        base = base.filter(plan__organization__code__in=organization_codes)
    items = _with_band(base, round_id=round_id, quarter=quarter, thresholds=thresholds)
    grouped = (
        items.values_list(
            "plan__organization__code", "activity__output__number", "activity__number", "band", "kind"
        )
        .annotate(n=Count("pk"))
        .order_by("plan__organization__code", "activity__output__number", "activity__number")
    )
    has_excluded = False
    for code, output, activity, band, kind, n in grouped:
        if band == EXCLUDED:
            has_excluded = True
        elif band in (NO_ENTRY, NO_PERCENT):
            _raise_missing(items, band, round_months)
        else:
            count = BandCount(str(output), str(activity), _BANDS[band], _KINDS[kind], n)
            entries[code].append((output, activity, count))

    if has_excluded:
        # From the plain query: the round's entry (the LEFT JOIN) says nothing about these.
        excluded = base.filter(excluded=True).values_list(
            "plan__organization__code",
            "activity__output__number",
            "activity__number",
            "kind",
            "name",
            "exclusion_reason",
            "later_quarter_from",
        )
        for code, output, activity, kind, name, reason, later_from in excluded.order_by(
            "plan__organization__code", "activity__output__number", "activity__number", "number"
        ):
            # The same BandItem the report builds: it shows excluded items without a percent.
            item = BandItem(
                output=str(output),
                activity=str(activity),
                kind=_KINDS[kind],
                annual_percent=None,
                later_quarter=later_from is not None and later_from > quarter,
                excluded=True,
                name=name,
                exclusion_reason=reason,
            )
            entries[code].append((output, activity, item))
        for rows in entries.values():
            # Stable: counts keep their place before the excluded items of the same activity.
            rows.sort(key=_activity_order)

    return {
        code: band_table_from_counts((entry for _, _, entry in rows), thresholds)
        for code, rows in entries.items()
    }


def _activity_order(row: tuple[int, int, Any]) -> tuple[int, int]:
    return row[0], row[1]


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
            When(entry__percent_annual__lt=_decimal(thresholds.low), then=Value(Band.BELOW_50.value)),
            When(entry__percent_annual__lt=_decimal(thresholds.high), then=Value(Band.FROM_50.value)),
            default=Value(Band.FROM_80.value),
            output_field=CharField(),
        ),
    )


def _decimal(value: Decimal) -> Decimal:
    # Normalised so that SQLite, which compares the bound text numerically against the column,
    # and PostgreSQL see the same number ("50" rather than "5E+1" from some Decimal inputs).
    return Decimal(format(value, "f"))


def _raise_missing(items: QuerySet[WorkItem], band: str, round_months: int) -> None:
    """Raise the report's own error for the first item it could not place in a band."""
    item = items.filter(band=band).order_by("plan__organization__code", "pk").first()
    assert item is not None  # the grouped query has just counted it
    if band == NO_ENTRY:
        raise DomainError("progress_missing", item=item.name, round=round_months)
    raise DomainError("percent_missing", item=item.name)
