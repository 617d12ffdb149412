"""The band table built from counts a database has already grouped, not item by item."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from tidtam.domain.progress import (
    DEFAULT_THRESHOLDS,
    Band,
    BandItem,
    BandRow,
    BandTable,
    BandThresholds,
    ItemKind,
    band_of,
)


# A NamedTuple rather than a frozen dataclass: a national dashboard builds tens of thousands
# of these per request, and a tuple is several times cheaper to create.
class BandCount(NamedTuple):
    """How many counted work items of one kind one activity has in one band."""

    output: str
    activity: str
    band: Band
    kind: ItemKind
    count: int


def band_table_from_counts(
    entries: Iterable[BandCount | BandItem], thresholds: BandThresholds = DEFAULT_THRESHOLDS
) -> BandTable:
    """The same table as `band_table`, from grouped counts and, where needed, single items.

    A query that groups by band and kind cannot carry the names and reasons of excluded items,
    which the table lists on their row, so those come as BandItems; a BandItem that is not
    excluded is counted as `band_table` counts it. Rows keep the order in which they first
    appear, as `band_table`'s do, so the caller passes entries in the plan's order.
    """
    rows: dict[tuple[str, str], BandRow] = {}
    for entry in entries:
        key = (entry.output, entry.activity)
        row = rows.get(key)
        if row is None:
            row = rows[key] = BandRow(output=entry.output, activity=entry.activity)
        if isinstance(entry, BandCount):
            row.counts[entry.band][entry.kind] += entry.count
        elif entry.excluded:
            row.excluded_items.append(entry)
        else:
            band = band_of(
                entry.annual_percent,
                later_quarter=entry.later_quarter,
                thresholds=thresholds,
                item=entry.name,
            )
            row.counts[band][entry.kind] += 1
    return BandTable(rows=rows, thresholds=thresholds)
