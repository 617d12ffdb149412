"""Figures of an organisation with its units added up: counts and amounts, never shares."""

# An organisation with the units below it (a ministry and its departments): budget figures add
# up with `budget.sum_figures` and ratio KPIs with `scoring.ratio_total` (ΣA / ΣB); this module
# adds the band counts and the reporting status counts, and holds a point of the monthly budget
# curve (planned, disbursed and spent by the end of a month).

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from tidtam.domain.budget import BudgetFigures
from tidtam.domain.money import percent
from tidtam.domain.progress import Band, BandRow, BandTable, BandThresholds

# The bands a round's items are counted in, as the band table orders them.
COUNTED_BANDS = (Band.LATER_QUARTER, Band.BELOW_50, Band.FROM_50, Band.FROM_80)


@dataclass(frozen=True)
class BandCounts:
    """How many items are in each band, how many are excluded, and how many have no result
    counted yet (not reported, or not approved when only approved results count)."""

    bands: Mapping[Band, int] = field(default_factory=lambda: dict.fromkeys(COUNTED_BANDS, 0))
    excluded: int = 0
    not_counted: int = 0

    @property
    def total(self) -> int:
        """The items counted in a band: the denominator of the shares."""
        return sum(self.bands.values())

    def share(self, band: Band) -> Decimal | None:
        """The band's share of the counted items, in percent, unrounded."""
        return percent(Decimal(self.bands.get(band, 0)), Decimal(self.total))


def band_counts(table: BandTable, not_counted: int = 0) -> BandCounts:
    """A band table's totals (seed 000's ตารางที่ 1, the "รวมทั้งสิ้น" row)."""
    totals = table.band_totals
    return BandCounts({band: totals[band] for band in COUNTED_BANDS}, table.excluded, not_counted)


def sum_band_counts(parts: Iterable[BandCounts]) -> BandCounts:
    """Units' band counts added up: counts, not shares (a unit of 3 items weighs 3)."""
    bands = dict.fromkeys(COUNTED_BANDS, 0)
    excluded = not_counted = 0
    for part in parts:
        for band in COUNTED_BANDS:
            bands[band] += part.bands.get(band, 0)
        excluded += part.excluded
        not_counted += part.not_counted
    return BandCounts(bands, excluded, not_counted)


def merge_band_tables(
    parts: Iterable[tuple[str, BandTable]], thresholds: BandThresholds
) -> BandTable:
    """Units' band tables as one (an organisation with its units): each unit's rows, their
    output keys prefixed with the unit's key so that two units' output 1 stay two rows, in the
    order given. Every item stays in the band its own plan put it in; `thresholds` only name
    the merged table's columns."""
    rows: dict[tuple[str, str], BandRow] = {}
    for unit, table in parts:
        for (output, activity), row in table.rows.items():
            key = (f"{unit}/{output}", activity)
            if key in rows:
                raise ValueError(f"unit {unit!r} given twice")
            rows[key] = replace(row, output=key[0])
    return BandTable(rows, thresholds)


def sum_counts(parts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """Units' counts by key (a reporting status) added up."""
    total: dict[str, int] = {}
    for part in parts:
        for key, n in part.items():
            total[key] = total.get(key, 0) + n
    return total


@dataclass(frozen=True)
class CurvePoint:
    """The budget by the end of a fiscal month (1 = October): planned, and what was disbursed
    and committed as of that day (None for a month not ended yet)."""

    month: int
    planned: Decimal
    figures: BudgetFigures | None

    def planned_percent(self, allocation: Decimal) -> Decimal | None:
        return percent(self.planned, allocation)

    def disbursed_percent(self, allocation: Decimal) -> Decimal | None:
        return None if self.figures is None else percent(self.figures.disbursed, allocation)

    def spent_percent(self, allocation: Decimal) -> Decimal | None:
        return None if self.figures is None else percent(self.figures.spent, allocation)
