"""Percent bands, seed 000's band table, explanations and round plans."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidtam.domain.errors import DomainError
from tidtam.domain.money import rounding_difference
from tidtam.domain.progress import (
    Band,
    BandItem,
    BandThresholds,
    ItemKind,
    PercentSource,
    ResolvedPercent,
    average_percent,
    band_of,
    band_table,
    require_exclusion_reason,
    require_explanation,
    resolve_percent,
)
from tidtam.domain.thai import format_percent

P, G, R = ItemKind.PROJECT, ItemKind.PROGRAMME, ItemKind.BUDGET_ITEM
L, B50, F50, F80 = Band.LATER_QUARTER, Band.BELOW_50, Band.FROM_50, Band.FROM_80

# A percent against the annual target that lands in each band; boundary values on purpose.
PERCENT_IN = {B50: Decimal("49.99"), F50: Decimal("50"), F80: Decimal("80")}

# Seed 000, table 1: (output, activity) -> {band: {kind: count}}.
SEED_000_ROWS: list[tuple[str, str, dict[Band, dict[ItemKind, int]]]] = [
    ("ผลผลิตที่ 1", "กิจกรรมที่ 1", {F50: {P: 4}}),
    ("ผลผลิตที่ 1", "กิจกรรมที่ 2", {B50: {P: 1}, F50: {P: 1}}),
    ("ผลผลิตที่ 2", "กิจกรรมที่ 1", {L: {P: 3}, F50: {P: 2}}),
    ("ผลผลิตที่ 2", "กิจกรรมที่ 2", {F50: {P: 1}, F80: {P: 1}}),
    ("ผลผลิตที่ 2", "กิจกรรมที่ 3", {B50: {P: 6, R: 9}, F50: {P: 2, G: 2}, F80: {P: 1}}),
    ("ผลผลิตที่ 2", "กิจกรรมที่ 4", {F50: {P: 1}}),
    ("ผลผลิตที่ 2", "กิจกรรมที่ 5", {B50: {P: 1}, F50: {P: 5}, F80: {P: 1}}),
    ("ผลผลิตที่ 2", "กิจกรรมที่ 6", {F50: {P: 1}}),
    ("ผลผลิตที่ 3", "กิจกรรมที่ 1", {B50: {P: 3}}),
    ("ผลผลิตที่ 4", "กิจกรรมที่ 1", {B50: {R: 1}}),
    ("ผลผลิตที่ 5", "กิจกรรมที่ 1", {B50: {R: 7}, F80: {R: 2}}),
]
SEED_000_EXCLUDED = [
    BandItem(
        "ผลผลิตที่ 4",
        "กิจกรรมที่ 1",
        R,
        None,
        excluded=True,
        name=name,
        exclusion_reason="อยู่ระหว่างสรรหากรรมการ สมศ.",
    )
    for name in ("เงินตอบแทนของผู้อำนวยการ", "เงินตอบแทนผันแปร")
]


def seed_000_items() -> list[BandItem]:
    items: list[BandItem] = []
    for output, activity, counts in SEED_000_ROWS:
        for band, by_kind in counts.items():
            for kind, count in by_kind.items():
                for number in range(count):
                    items.append(
                        BandItem(
                            output,
                            activity,
                            kind,
                            PERCENT_IN.get(band),
                            later_quarter=band is L,
                            name=f"{activity} {kind} {number}",
                        )
                    )
        if output == "ผลผลิตที่ 4":
            items.extend(SEED_000_EXCLUDED)
    return items


def test_band_table_reproduces_seed_000_shares() -> None:
    table = band_table(seed_000_items())

    assert table.band_totals == {L: 3, B50: 28, F50: 19, F80: 5}
    assert table.total == 55
    shares = {band: format_percent(table.share(band)) for band in Band}
    assert shares == {L: "5.45", B50: "50.91", F50: "34.55", F80: "9.09"}


def test_band_table_reproduces_seed_000_totals_row_by_kind() -> None:
    table = band_table(seed_000_items())

    assert table.totals == {
        L: {P: 3, G: 0, R: 0},
        B50: {P: 11, G: 0, R: 17},
        F50: {P: 17, G: 2, R: 0},
        F80: {P: 3, G: 0, R: 2},
    }
    assert table.kind_totals == {P: 34, G: 2, R: 19}


def test_band_table_keeps_rows_in_first_seen_order_with_every_band_and_kind() -> None:
    table = band_table(seed_000_items())

    assert list(table.rows) == [(output, activity) for output, activity, _ in SEED_000_ROWS]
    row = table.rows[("ผลผลิตที่ 2", "กิจกรรมที่ 3")]
    assert row.counts[B50] == {P: 6, G: 0, R: 9}
    assert row.counts[L] == {P: 0, G: 0, R: 0}
    assert row.kind_totals == {P: 9, G: 2, R: 9}
    assert row.band_totals == {L: 0, B50: 15, F50: 4, F80: 1}
    assert row.total == 20


def test_excluded_items_leave_numerator_and_denominator_but_stay_on_their_row() -> None:
    table = band_table(seed_000_items())

    row = table.rows[("ผลผลิตที่ 4", "กิจกรรมที่ 1")]
    assert row.total == 1
    assert row.excluded == 2
    assert [item.name for item in row.excluded_items] == [
        "เงินตอบแทนของผู้อำนวยการ",
        "เงินตอบแทนผันแปร",
    ]
    assert table.excluded == 2
    assert table.total == 55


def test_rows_by_output_groups_activities_under_outputs_in_order() -> None:
    grouped = band_table(seed_000_items()).rows_by_output()

    assert list(grouped) == ["ผลผลิตที่ 1", "ผลผลิตที่ 2", "ผลผลิตที่ 3", "ผลผลิตที่ 4", "ผลผลิตที่ 5"]
    assert [row.activity for row in grouped["ผลผลิตที่ 2"]] == [f"กิจกรรมที่ {n}" for n in range(1, 7)]


def test_band_table_as_dict_is_json_ready() -> None:
    data = band_table(seed_000_items()).as_dict()

    decoded = json.loads(json.dumps(data, ensure_ascii=False))
    assert decoded["band_totals"] == {
        "later_quarter": 3,
        "below_50": 28,
        "from_50": 19,
        "from_80": 5,
    }
    assert decoded["kind_totals"] == {"project": 34, "programme": 2, "budget_item": 19}
    assert decoded["total"] == 55
    assert decoded["excluded"] == 2
    assert decoded["thresholds"] == {"low": "50", "high": "80"}
    assert decoded["shares"]["below_50"].startswith("50.909090")
    assert decoded["totals"]["from_50"] == {"project": 17, "programme": 2, "budget_item": 0}
    output_4 = decoded["rows"][9]
    assert output_4["output"] == "ผลผลิตที่ 4"
    assert output_4["counts"]["below_50"] == {"project": 0, "programme": 0, "budget_item": 1}
    assert output_4["excluded_items"][0] == {
        "name": "เงินตอบแทนของผู้อำนวยการ",
        "kind": "budget_item",
        "reason": "อยู่ระหว่างสรรหากรรมการ สมศ.",
    }


def test_seed_000_rounded_shares_add_up_to_100() -> None:
    table = band_table(seed_000_items())
    shares = [share for share in table.shares().values() if share is not None]

    assert rounding_difference(shares, Decimal(100), 2) == 0


def test_share_of_an_empty_table_is_none() -> None:
    table = band_table(SEED_000_EXCLUDED)

    assert table.total == 0
    assert table.share(B50) is None
    assert table.as_dict()["shares"] == dict.fromkeys(
        ["later_quarter", "below_50", "from_50", "from_80"]
    )


@pytest.mark.parametrize(
    ("annual_percent", "band"),
    [
        (Decimal(0), B50),
        (Decimal("49.99"), B50),
        (Decimal(50), F50),
        (Decimal("79.99"), F50),
        (Decimal(80), F80),
        (Decimal("171.52"), F80),
    ],
)
def test_band_of_uses_the_annual_percent_bands(annual_percent: Decimal, band: Band) -> None:
    assert band_of(annual_percent, later_quarter=False) is band


def test_later_quarter_wins_over_any_percent() -> None:
    assert band_of(Decimal(95), later_quarter=True) is L
    assert band_of(None, later_quarter=True) is L


def test_band_of_follows_other_thresholds() -> None:
    thresholds = BandThresholds(low=Decimal(60), high=Decimal(90))

    assert band_of(Decimal(59), later_quarter=False, thresholds=thresholds) is B50
    assert band_of(Decimal(89), later_quarter=False, thresholds=thresholds) is F50
    assert band_of(Decimal(90), later_quarter=False, thresholds=thresholds) is F80


def test_band_of_a_missing_percent_names_the_item() -> None:
    with pytest.raises(DomainError) as caught:
        band_of(None, later_quarter=False, item="โครงการพัฒนาระบบ GIS")

    assert caught.value.code == "percent_missing"
    assert caught.value.params == {"item": "โครงการพัฒนาระบบ GIS"}


def test_band_table_reports_the_item_without_a_percent() -> None:
    items = [BandItem("ผลผลิตที่ 3", "กิจกรรมที่ 1", P, None, name="โครงการ GIS")]

    with pytest.raises(DomainError) as caught:
        band_table(items)

    assert caught.value.params == {"item": "โครงการ GIS"}


@pytest.mark.parametrize(("low", "high"), [(Decimal(80), Decimal(50)), (Decimal(50), Decimal(50))])
def test_band_thresholds_must_rise(low: Decimal, high: Decimal) -> None:
    with pytest.raises(DomainError) as caught:
        BandThresholds(low=low, high=high)

    assert caught.value.code == "band_thresholds_out_of_order"
    assert caught.value.params == {"low": low, "high": high}


def test_band_thresholds_cannot_be_negative() -> None:
    with pytest.raises(DomainError):
        BandThresholds(low=Decimal(-1), high=Decimal(80))


def test_band_table_uses_its_thresholds() -> None:
    thresholds = BandThresholds(low=Decimal(60), high=Decimal(90))
    items = [BandItem("o", "a", P, Decimal(55))]

    table = band_table(items, thresholds)

    assert table.band_totals[B50] == 1
    assert table.thresholds == thresholds


def test_an_item_below_50_without_explanation_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        require_explanation(Decimal(5) * 100 / Decimal(11), " \u200b ", item="โครงการบำรุงรักษาระบบ")

    assert caught.value.code == "explanation_required"
    assert caught.value.params["item"] == "โครงการบำรุงรักษาระบบ"
    assert format_percent(caught.value.params["percent"]) == "45.45"  # type: ignore[arg-type]
    assert caught.value.params["threshold"] == Decimal(50)


@pytest.mark.parametrize(
    ("annual_percent", "explanation", "later_quarter"),
    [
        (Decimal("45.45"), "อยู่ระหว่างลงนามสัญญาการจัดจ้าง", False),
        (Decimal(50), "", False),
        (None, "", False),
        (Decimal(0), "", True),
    ],
)
def test_explanation_is_not_required_when_explained_on_track_unmeasured_or_later(
    annual_percent: Decimal | None, explanation: str, later_quarter: bool
) -> None:
    require_explanation(annual_percent, explanation, item="x", later_quarter=later_quarter)


def test_explanation_threshold_is_a_setting() -> None:
    with pytest.raises(DomainError):
        require_explanation(
            Decimal(55), "", item="x", thresholds=BandThresholds(explanation=Decimal(60))
        )


def test_an_excluded_item_needs_a_reason() -> None:
    require_exclusion_reason("อยู่ระหว่างสรรหากรรมการ สมศ.", item="เงินตอบแทนผันแปร")
    with pytest.raises(DomainError) as caught:
        require_exclusion_reason("  ", item="เงินตอบแทนผันแปร")

    assert caught.value.code == "exclusion_reason_required"
    assert caught.value.params == {"item": "เงินตอบแทนผันแปร"}


def test_average_percent_is_the_plain_mean_of_activity_percents() -> None:
    mean = average_percent([Decimal(100), Decimal(100), Decimal(50)])

    assert format_percent(mean) == "83.33"
    assert average_percent([]) is None


def test_computed_percent_is_shown_as_computed() -> None:
    computed = Decimal(5) * 100 / Decimal(9)

    resolved = resolve_percent(computed)

    assert resolved == ResolvedPercent(computed, PercentSource.COMPUTED)
    # Half up gives 55.56 where seed 000 printed a truncated 55.55.
    assert format_percent(resolved.value) == "55.56"


def test_reporters_override_keeps_the_value_and_the_note() -> None:
    resolved = resolve_percent(
        Decimal(80), override=Decimal("83.34"), note="  เฉลี่ยจากร้อยละของกิจกรรม  ", item="x"
    )

    assert resolved == ResolvedPercent(
        Decimal("83.34"), PercentSource.OVERRIDDEN, "เฉลี่ยจากร้อยละของกิจกรรม"
    )


def test_an_override_without_a_note_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        resolve_percent(Decimal(80), override=Decimal("83.34"), item="โครงการสนับสนุนบริการ IT")

    assert caught.value.code == "override_note_required"
    assert caught.value.params == {"item": "โครงการสนับสนุนบริการ IT", "percent": Decimal("83.34")}


band_items = st.builds(
    BandItem,
    output=st.sampled_from(["ผลผลิตที่ 1", "ผลผลิตที่ 2"]),
    activity=st.sampled_from(["กิจกรรมที่ 1", "กิจกรรมที่ 2", "กิจกรรมที่ 3"]),
    kind=st.sampled_from(ItemKind),
    annual_percent=st.decimals(min_value=0, max_value=300, places=2),
    later_quarter=st.booleans(),
    excluded=st.booleans(),
)


@given(st.lists(band_items, max_size=60))
def test_band_shares_sum_to_100_when_anything_is_counted(items: list[BandItem]) -> None:
    table = band_table(items)
    shares = [table.share(band) for band in Band]

    if table.total == 0:
        assert shares == [None, None, None, None]
    else:
        total = sum((share for share in shares if share is not None), Decimal(0))
        assert abs(total - 100) <= Decimal("1e-24")


@given(st.lists(band_items, max_size=60))
def test_every_counted_item_is_counted_once_and_excluded_ones_never(
    items: list[BandItem],
) -> None:
    table = band_table(items)

    assert table.total == sum(1 for item in items if not item.excluded)
    assert table.excluded == sum(1 for item in items if item.excluded)
    assert sum(table.kind_totals.values()) == table.total
    assert sum(row.total for row in table.rows.values()) == table.total
    assert table.band_totals[L] == sum(
        1 for item in items if item.later_quarter and not item.excluded
    )


@given(st.decimals(min_value=0, max_value=500, places=4), st.decimals(0, 500, places=4))
def test_a_higher_percent_never_lands_in_a_lower_band(first: Decimal, second: Decimal) -> None:
    order = list(Band)
    low, high = sorted([first, second])

    assert order.index(band_of(low, later_quarter=False)) <= order.index(
        band_of(high, later_quarter=False)
    )


def test_bands_use_the_exact_percent_even_where_its_display_rounds_up_to_80() -> None:
    # Rounding is for display only: 79.995 shows as 80.00 but is still below 80.
    assert band_of(Decimal("79.995"), later_quarter=False) is F50
    assert format_percent(Decimal("79.995")) == "80.00"
