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

_ZERO_KINDS = dict.fromkeys(ItemKind, 0)


class ActivityCounts(NamedTuple):
    """One activity's row as a query grouped it: (band, kind, count) cells, and single items.

    A GROUP BY cannot carry the names and reasons of excluded items, which the table lists on
    their row, so those come whole, as BandItems.
    """

    output: str
    activity: str
    counts: Iterable[tuple[Band, ItemKind, int]] = ()
    items: Iterable[BandItem] = ()


def band_table_from_counts(
    rows: Iterable[ActivityCounts], thresholds: BandThresholds = DEFAULT_THRESHOLDS
) -> BandTable:
    """The same table as `band_table`, from each activity's grouped counts.

    Rows keep the order given (band_table's follow the items, so the caller passes the
    activities in the plan's order). Cells for the same band and kind add up. A single item is
    listed when excluded and otherwise counted as band_table counts it.
    """
    table: dict[tuple[str, str], BandRow] = {}
    zero = _ZERO_KINDS
    for output, activity, cells, items in rows:
        key = (output, activity)
        row = table.get(key)
        if row is None:
            # A ready row of zeros, copied, is several times faster than BandRow's default,
            # which walks both enums: a national dashboard makes thousands of rows at once.
            counts = {
                Band.LATER_QUARTER: zero.copy(),
                Band.BELOW_50: zero.copy(),
                Band.FROM_50: zero.copy(),
                Band.FROM_80: zero.copy(),
            }
            row = table[key] = BandRow(output, activity, counts)
        else:
            counts = row.counts
        for band, kind, n in cells:
            counts[band][kind] += n
        for item in items:
            if item.excluded:
                row.excluded_items.append(item)
            else:
                band = band_of(
                    item.annual_percent,
                    later_quarter=item.later_quarter,
                    thresholds=thresholds,
                    item=item.name,
                )
                row.counts[band][item.kind] += 1
    return BandTable(rows=table, thresholds=thresholds)
