"""The band table from grouped counts equals the one counted item by item."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidtam.domain.errors import DomainError
from tidtam.domain.progress import (
    ActivityCounts,
    Band,
    BandItem,
    BandThresholds,
    ItemKind,
    band_of,
    band_table,
    band_table_from_counts,
    is_later_quarter,
)

P, G, R = ItemKind.PROJECT, ItemKind.PROGRAMME, ItemKind.BUDGET_ITEM
L, B50, F50, F80 = Band.LATER_QUARTER, Band.BELOW_50, Band.FROM_50, Band.FROM_80


def as_grouped(items: list[BandItem], thresholds: BandThresholds) -> list[ActivityCounts]:
    """What a GROUP BY gives back: counts per activity, band and kind; excluded items whole."""
    cells: dict[tuple[str, str], Counter[tuple[Band, ItemKind]]] = {}
    excluded: dict[tuple[str, str], list[BandItem]] = {}
    for item in items:
        key = (item.output, item.activity)
        cells.setdefault(key, Counter())
        if item.excluded:
            excluded.setdefault(key, []).append(item)
            continue
        band = band_of(item.annual_percent, later_quarter=item.later_quarter, thresholds=thresholds)
        cells[key][(band, item.kind)] += 1
    return [
        ActivityCounts(
            output,
            activity,
            [(band, kind, n) for (band, kind), n in counted.items()],
            excluded.get((output, activity), []),
        )
        for (output, activity), counted in cells.items()
    ]


def test_counts_give_seed_000_totals_3_28_19_5_of_55() -> None:
    table = band_table_from_counts(
        [
            ActivityCounts("2", "1", [(L, P, 3)]),
            ActivityCounts("2", "3", [(B50, P, 6), (B50, R, 9), (F50, P, 19), (F80, G, 5)]),
            # The same activity again, and the same cell twice: the counts add up.
            ActivityCounts("2", "3", [(B50, R, 1), (B50, P, 0), (B50, P, 12)]),
        ]
    )
    assert table.band_totals == {L: 3, B50: 28, F50: 19, F80: 5}
    assert table.total == 55
    assert list(table.rows) == [("2", "1"), ("2", "3")]
    assert table.rows[("2", "3")].counts[B50] == {P: 18, G: 0, R: 10}


def test_an_excluded_item_is_listed_on_its_row_and_counted_nowhere() -> None:
    dropped = BandItem(
        "4", "1", R, None, excluded=True, name="ค่าเช่ารถ", exclusion_reason="โอนงบประมาณ"
    )
    table = band_table_from_counts([ActivityCounts("4", "1", [(B50, R, 1)], [dropped])])
    row = table.rows[("4", "1")]
    assert row.excluded_items == [dropped]
    assert row.total == 1
    assert table.excluded == 1


def test_an_activity_with_only_excluded_items_keeps_its_row() -> None:
    dropped = BandItem("4", "1", R, None, excluded=True, name="ก", exclusion_reason="ข")
    table = band_table_from_counts([ActivityCounts("4", "1", items=[dropped])])
    assert table.rows[("4", "1")].total == 0
    assert table.excluded == 1


def test_a_single_item_that_is_not_excluded_is_counted_in_its_band() -> None:
    table = band_table_from_counts(
        [
            ActivityCounts(
                "1",
                "1",
                items=[
                    BandItem("1", "1", P, Decimal("79.99")),
                    BandItem("1", "1", P, None, later_quarter=True),
                ],
            )
        ],
        BandThresholds(low=Decimal(40), high=Decimal(70)),
    )
    assert table.rows[("1", "1")].counts[F80][P] == 1
    assert table.rows[("1", "1")].counts[L][P] == 1
    assert table.thresholds.high == Decimal(70)


def test_a_single_item_without_a_percent_is_refused_by_name() -> None:
    with pytest.raises(DomainError) as caught:
        band_table_from_counts(
            [ActivityCounts("1", "1", items=[BandItem("1", "1", P, None, name="โครงการ ก")])]
        )
    assert caught.value.code == "percent_missing"
    assert caught.value.params == {"item": "โครงการ ก"}


def test_no_rows_give_an_empty_table() -> None:
    table = band_table_from_counts([])
    assert table.rows == {}
    assert table.share(B50) is None


items_strategy = st.lists(
    st.builds(
        BandItem,
        output=st.sampled_from(["1", "2", "3"]),
        activity=st.sampled_from(["1", "2"]),
        kind=st.sampled_from(list(ItemKind)),
        annual_percent=st.decimals(min_value=0, max_value=200, places=2),
        later_quarter=st.booleans(),
        excluded=st.booleans(),
        name=st.text(max_size=5),
        exclusion_reason=st.text(max_size=5),
    ),
    max_size=40,
)


@given(
    items_strategy, st.sampled_from([BandThresholds(), BandThresholds(Decimal(60), Decimal(90))])
)
def test_grouped_counts_give_the_table_counted_item_by_item(
    items: list[BandItem], thresholds: BandThresholds
) -> None:
    expected = band_table(items, thresholds)
    table = band_table_from_counts(as_grouped(items, thresholds), thresholds)
    assert table == expected
    # Equal dicts may differ in order; the rendered table follows the rows' order.
    assert list(table.rows) == list(expected.rows)


@given(
    st.decimals(min_value=-1, max_value=200, allow_nan=False, allow_infinity=False),
    st.sampled_from([BandThresholds(), BandThresholds(Decimal("49.99995"), Decimal("79.99995"))]),
)
def test_one_rule_decides_band_lagging_and_explanation(
    annual: Decimal, thresholds: BandThresholds
) -> None:
    """The band, the lagging list and the explanation all read the plan's thresholds."""
    band = thresholds.percent_band(annual)
    assert (band == B50) == thresholds.is_lagging(annual) == (annual < thresholds.low)
    assert thresholds.needs_explanation(annual) == (annual < thresholds.explanation)
    assert band_of(annual, later_quarter=False, thresholds=thresholds) == band


def test_a_percent_with_no_value_is_neither_lagging_nor_explained() -> None:
    assert not DEFAULT.is_lagging(None)
    assert not DEFAULT.needs_explanation(None)


def test_the_explanation_threshold_may_not_be_negative() -> None:
    with pytest.raises(DomainError) as caught:
        BandThresholds(explanation=Decimal(-1))
    assert caught.value.code == "explanation_threshold_negative"


@pytest.mark.parametrize(
    ("later_from", "quarter", "later"),
    [(None, 1, False), (3, 2, True), (3, 3, False), (4, 3, True), (2, 4, False)],
)
def test_an_item_starting_in_a_later_quarter(
    later_from: int | None, quarter: int, later: bool
) -> None:
    assert is_later_quarter(later_from, quarter) is later


DEFAULT = BandThresholds()
