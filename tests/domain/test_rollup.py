"""A subtree's figures are its units' counts and amounts added up, never their shares averaged."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidtam.domain.budget import BudgetFigures
from tidtam.domain.progress import (
    DEFAULT_THRESHOLDS,
    Band,
    BandItem,
    BandThresholds,
    ItemKind,
    band_table,
)
from tidtam.domain.rollup import (
    COUNTED_BANDS,
    BandCounts,
    CurvePoint,
    band_counts,
    merge_band_tables,
    sum_band_counts,
    sum_counts,
)


def item(percent: str | None, *, later: bool = False, excluded: bool = False) -> BandItem:
    return BandItem(
        "1",
        "1",
        ItemKind.PROJECT,
        None if percent is None else Decimal(percent),
        later_quarter=later,
        excluded=excluded,
        name="โครงการ",
        exclusion_reason="ยกเลิก" if excluded else "",
    )


def test_a_band_tables_totals_are_its_counts() -> None:
    table = band_table(
        [
            item("49.9999"),
            item("50"),
            item("80"),
            item("12"),
            item(None, later=True),
            item(None, excluded=True),
        ]
    )
    counts = band_counts(table, not_counted=2)
    assert counts.bands == {
        Band.LATER_QUARTER: 1,
        Band.BELOW_50: 2,
        Band.FROM_50: 1,
        Band.FROM_80: 1,
    }
    assert (counts.total, counts.excluded, counts.not_counted) == (5, 1, 2)
    assert counts.share(Band.BELOW_50) == Decimal(40)


def test_units_add_up_by_counts_not_by_shares() -> None:
    # 1 of 1 below 50 in one unit and 0 of 99 in another: 1 %, not the mean 50 %.
    small = BandCounts({**dict.fromkeys(COUNTED_BANDS, 0), Band.BELOW_50: 1})
    large = BandCounts({**dict.fromkeys(COUNTED_BANDS, 0), Band.FROM_80: 99}, 3, 4)
    total = sum_band_counts([small, large])
    assert total.share(Band.BELOW_50) == Decimal(1)
    assert (total.total, total.excluded, total.not_counted) == (100, 3, 4)


def test_nothing_counted_has_no_share() -> None:
    empty = sum_band_counts([])
    assert empty.total == 0 and empty.share(Band.FROM_80) is None
    assert BandCounts().bands == dict.fromkeys(COUNTED_BANDS, 0)


@given(st.lists(st.dictionaries(st.sampled_from(["draft", "approved", "x"]), st.integers(0, 50))))
def test_status_counts_add_up_key_by_key(parts: list[dict[str, int]]) -> None:
    total = sum_counts(parts)
    for key in {"draft", "approved", "x"}:
        assert total.get(key, 0) == sum(p.get(key, 0) for p in parts)


def test_a_curve_point_is_a_percent_of_the_allocation() -> None:
    figures = BudgetFigures(Decimal(300), Decimal("100.00"), Decimal("50.00"))
    point = CurvePoint(6, Decimal(150), figures)
    assert point.planned_percent(Decimal(300)) == Decimal(50)
    assert point.disbursed_percent(Decimal(300)) == Decimal(100) / Decimal(3)
    assert point.spent_percent(Decimal(300)) == Decimal(50)
    later = CurvePoint(7, Decimal(175), None)
    assert later.disbursed_percent(Decimal(300)) is None
    assert later.spent_percent(Decimal(300)) is None
    assert later.planned_percent(Decimal(0)) is None


def test_units_band_tables_merge_with_each_item_in_its_own_plans_band() -> None:
    """Two units, each with an output 1 and its own thresholds: the merged table keeps both
    rows apart and every item in the band its own plan gave it (62 is below 70 for one unit
    and between 50 and 80 for the other)."""
    strict = BandThresholds(Decimal(70), Decimal(90))
    first = band_table([item("62"), item("95"), item(None, excluded=True)], strict)
    second = band_table([item("62"), item(None, later=True)])
    merged = merge_band_tables([("a", first), ("b", second)], DEFAULT_THRESHOLDS)
    assert [key for key in merged.rows] == [("a/1", "1"), ("b/1", "1")]
    assert list(merged.rows_by_output()) == ["a/1", "b/1"]
    assert merged.band_totals == {
        Band.LATER_QUARTER: 1,
        Band.BELOW_50: 1,  # the first unit's 62, below its 70
        Band.FROM_50: 1,  # the second unit's 62
        Band.FROM_80: 1,
    }
    assert (merged.total, merged.excluded) == (first.total + second.total, 1)
    assert band_counts(merged) == sum_band_counts([band_counts(first), band_counts(second)])
    assert merged.thresholds == DEFAULT_THRESHOLDS
    with pytest.raises(ValueError, match="given twice"):
        merge_band_tables([("a", first), ("a", first)], DEFAULT_THRESHOLDS)
