"""A subtree's figures are its units' counts and amounts added up, never their shares averaged."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tidtam.domain.budget import BudgetFigures
from tidtam.domain.progress import Band, BandItem, ItemKind, band_table
from tidtam.domain.rollup import (
    COUNTED_BANDS,
    BandCounts,
    CurvePoint,
    band_counts,
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
