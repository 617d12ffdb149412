"""Progress of work items: percent bands, the band table, explanations and round plans."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from tidtam.domain.errors import DomainError
from tidtam.domain.money import percent
from tidtam.domain.thai import has_text, normalize_text


class Band(enum.StrEnum):
    """Where a work item stands against its annual target (the table's columns, in order)."""

    LATER_QUARTER = "later_quarter"
    BELOW_50 = "below_50"
    FROM_50 = "from_50"
    FROM_80 = "from_80"


class ItemKind(enum.StrEnum):
    """The kinds of work item the plan holds under an activity."""

    PROJECT = "project"
    PROGRAMME = "programme"
    BUDGET_ITEM = "budget_item"


class PercentSource(enum.StrEnum):
    """Whether a shown percent was computed from data or entered by the reporter."""

    COMPUTED = "computed"
    OVERRIDDEN = "overridden"


@dataclass(frozen=True)
class BandThresholds:
    """A plan's limits (a setting: agencies and years differ), and every rule that reads them.

    `low` and `high` are the lower bounds of the middle and top bands; an item below `low`
    is lagging (listed in the report's lagging tables); a project or programme below
    `explanation` must say why.
    """

    low: Decimal = Decimal(50)
    high: Decimal = Decimal(80)
    explanation: Decimal = Decimal(50)

    def __post_init__(self) -> None:
        if not 0 <= self.low < self.high:
            raise DomainError("band_thresholds_out_of_order", low=self.low, high=self.high)
        if self.explanation < 0:
            raise DomainError("explanation_threshold_negative", threshold=self.explanation)

    def percent_band(self, annual_percent: Decimal) -> Band:
        """The band of an annual percent (exact, never a rounded copy)."""
        if annual_percent < self.low:
            return Band.BELOW_50
        if annual_percent < self.high:
            return Band.FROM_50
        return Band.FROM_80

    def is_lagging(self, annual_percent: Decimal | None) -> bool:
        """Whether an item with this annual percent is listed as lagging (below `low`)."""
        return annual_percent is not None and annual_percent < self.low

    def needs_explanation(self, annual_percent: Decimal | None) -> bool:
        """Whether this annual percent must be explained (below `explanation`)."""
        return annual_percent is not None and annual_percent < self.explanation


DEFAULT_THRESHOLDS = BandThresholds()


def is_later_quarter(later_quarter_from: int | None, quarter: int) -> bool:
    """Whether an item planned to start in quarter `later_quarter_from` is not due by `quarter`."""
    return later_quarter_from is not None and later_quarter_from > quarter


def band_of(
    annual_percent: Decimal | None,
    *,
    later_quarter: bool,
    thresholds: BandThresholds = DEFAULT_THRESHOLDS,
    item: str = "",
) -> Band:
    """Return the band of a work item from its percent against the annual target.

    Work planned only for later quarters has its own band whatever its percent.
    """
    if later_quarter:
        return Band.LATER_QUARTER
    if annual_percent is None:
        raise DomainError("percent_missing", item=item)
    return thresholds.percent_band(annual_percent)


@dataclass(frozen=True)
class BandItem:
    """One work item as the band table sees it."""

    output: str
    activity: str
    kind: ItemKind
    annual_percent: Decimal | None
    later_quarter: bool = False
    excluded: bool = False
    name: str = ""
    exclusion_reason: str = ""


def _zero_counts() -> dict[Band, dict[ItemKind, int]]:
    return {band: dict.fromkeys(ItemKind, 0) for band in Band}


@dataclass(frozen=True)
class BandRow:
    """Counts for one activity of one output; every band and kind is present (0 if none)."""

    output: str
    activity: str
    counts: dict[Band, dict[ItemKind, int]] = field(default_factory=_zero_counts)
    excluded_items: list[BandItem] = field(default_factory=list)

    @property
    def kind_totals(self) -> dict[ItemKind, int]:
        """The row's "รวม" column: items per kind over all bands."""
        return {kind: sum(self.counts[band][kind] for band in Band) for kind in ItemKind}

    @property
    def band_totals(self) -> dict[Band, int]:
        return {band: sum(self.counts[band].values()) for band in Band}

    @property
    def total(self) -> int:
        return sum(self.band_totals.values())

    @property
    def excluded(self) -> int:
        return len(self.excluded_items)

    def as_dict(self) -> dict[str, object]:
        return {
            "output": self.output,
            "activity": self.activity,
            "counts": _counts_as_dict(self.counts),
            "kind_totals": {kind.value: n for kind, n in self.kind_totals.items()},
            "band_totals": {band.value: n for band, n in self.band_totals.items()},
            "total": self.total,
            "excluded": self.excluded,
            "excluded_items": [
                {"name": item.name, "kind": item.kind.value, "reason": item.exclusion_reason}
                for item in self.excluded_items
            ],
        }


def _counts_as_dict(counts: dict[Band, dict[ItemKind, int]]) -> dict[str, dict[str, int]]:
    return {
        band.value: {kind.value: n for kind, n in by_kind.items()}
        for band, by_kind in counts.items()
    }


@dataclass(frozen=True)
class BandTable:
    """Seed 000's table 1: work items per output and activity, per band and kind.

    Excluded items are listed on their row but leave both the counts and the
    denominator of the shares; later-quarter items stay in the denominator.
    """

    rows: dict[tuple[str, str], BandRow]
    thresholds: BandThresholds = DEFAULT_THRESHOLDS

    @property
    def totals(self) -> dict[Band, dict[ItemKind, int]]:
        """The "รวมทั้งสิ้น" row: items per band and kind over all rows."""
        totals = _zero_counts()
        for row in self.rows.values():
            for band in Band:
                for kind in ItemKind:
                    totals[band][kind] += row.counts[band][kind]
        return totals

    @property
    def band_totals(self) -> dict[Band, int]:
        return {band: sum(by_kind.values()) for band, by_kind in self.totals.items()}

    @property
    def kind_totals(self) -> dict[ItemKind, int]:
        totals = self.totals
        return {kind: sum(totals[band][kind] for band in Band) for kind in ItemKind}

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows.values())

    @property
    def excluded(self) -> int:
        return sum(row.excluded for row in self.rows.values())

    def share(self, band: Band) -> Decimal | None:
        """The band's share of all counted items, in percent, unrounded."""
        return percent(Decimal(self.band_totals[band]), Decimal(self.total))

    def shares(self) -> dict[Band, Decimal | None]:
        return {band: self.share(band) for band in Band}

    def rows_by_output(self) -> dict[str, list[BandRow]]:
        """Rows grouped under their output, both in first-seen order (for rendering)."""
        grouped: dict[str, list[BandRow]] = {}
        for row in self.rows.values():
            grouped.setdefault(row.output, []).append(row)
        return grouped

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form: enum values as keys, Decimals as strings."""
        return {
            "thresholds": {"low": str(self.thresholds.low), "high": str(self.thresholds.high)},
            "rows": [row.as_dict() for row in self.rows.values()],
            "totals": _counts_as_dict(self.totals),
            "band_totals": {band.value: n for band, n in self.band_totals.items()},
            "kind_totals": {kind.value: n for kind, n in self.kind_totals.items()},
            "total": self.total,
            "excluded": self.excluded,
            "shares": {
                band.value: None if share is None else str(share)
                for band, share in self.shares().items()
            },
        }


def band_table(
    items: Iterable[BandItem], thresholds: BandThresholds = DEFAULT_THRESHOLDS
) -> BandTable:
    """Count every work item once, whatever its kind, in the band of its annual percent.

    Rows follow the items' first appearance. The one counter is `band_table_from_counts`:
    this groups the items by activity and hands them to it.
    """
    grouped: dict[tuple[str, str], list[BandItem]] = {}
    for item in items:
        grouped.setdefault((item.output, item.activity), []).append(item)
    return band_table_from_counts(
        (
            ActivityCounts(output, activity, (), listed)
            for (output, activity), listed in grouped.items()
        ),
        thresholds,
    )


class ActivityCounts(NamedTuple):
    """One activity's row as a query grouped it: (band, kind, count) cells, and single items.

    A GROUP BY cannot carry the names and reasons of excluded items, which the table lists on
    their row, so those come whole, as BandItems.
    """

    output: str
    activity: str
    counts: Iterable[tuple[Band, ItemKind, int]] = ()
    items: Iterable[BandItem] = ()


_ZERO_KINDS = dict.fromkeys(ItemKind, 0)


def band_table_from_counts(
    rows: Iterable[ActivityCounts], thresholds: BandThresholds = DEFAULT_THRESHOLDS
) -> BandTable:
    """The band table from each activity's grouped counts and single items.

    Rows keep the order given. Cells for the same band and kind add up. A single item is
    listed when excluded and otherwise counted in its band (`band_of`).
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
                counts[band][item.kind] += 1
    return BandTable(rows=table, thresholds=thresholds)


def require_explanation(
    annual_percent: Decimal | None,
    explanation: str,
    *,
    item: str,
    thresholds: BandThresholds = DEFAULT_THRESHOLDS,
    later_quarter: bool = False,
) -> None:
    """Raise when a lagging item (annual percent below the threshold) has no explanation.

    Items planned for later quarters are listed without one, as seed 000 does.
    """
    if later_quarter or not thresholds.needs_explanation(annual_percent):
        return
    if not has_text(explanation):
        raise DomainError(
            "explanation_required",
            item=item,
            percent=annual_percent,
            threshold=thresholds.explanation,
        )


def require_exclusion_reason(reason: str, *, item: str) -> None:
    """Raise when an item is left out of the evaluation without saying why."""
    if not has_text(reason):
        raise DomainError("exclusion_reason_required", item=item)


def average_percent(percents: Iterable[Decimal]) -> Decimal | None:
    """The mean of activity percentages (seed 000's 83.34); None when there are none."""
    values = list(percents)
    if not values:
        return None
    return sum(values, Decimal(0)) / len(values)


@dataclass(frozen=True)
class ResolvedPercent:
    """The percent to show, where it came from, and the reporter's note if overridden."""

    value: Decimal | None
    source: PercentSource
    note: str = ""


def resolve_percent(
    computed: Decimal | None,
    *,
    override: Decimal | None = None,
    note: str = "",
    item: str = "",
) -> ResolvedPercent:
    """Prefer the reporter's override, which must carry a note; otherwise the computed one."""
    if override is None:
        return ResolvedPercent(computed, PercentSource.COMPUTED)
    cleaned = normalize_text(note)
    if not cleaned:
        raise DomainError("override_note_required", item=item, percent=override)
    return ResolvedPercent(override, PercentSource.OVERRIDDEN, cleaned)
