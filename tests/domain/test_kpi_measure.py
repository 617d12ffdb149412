"""Every KPI kind read the same way: its figure, its percent, and whether it passed its target."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidtam.domain.errors import DomainError
from tidtam.domain.scoring import (
    Direction,
    KpiEntry,
    KpiSpec,
    MeasureKind,
    Review,
    Weighting,
    check_kpi_spec,
    measure,
    reaches,
    reviewed_score,
    weighted_score,
)

D = Decimal
HIGHER, LOWER = Direction.HIGHER, Direction.LOWER


def test_a_quantity_is_shown_against_its_target_and_passes_at_the_target() -> None:
    spec = KpiSpec(MeasureKind.QUANTITY, HIGHER, target=D(2254))
    got = measure(spec, KpiEntry(value=D(3866)))
    assert got.figure == D(3866)
    assert round(got.percent, 2) == D("171.52")  # type: ignore[arg-type]
    assert got.passed is True
    assert measure(spec, KpiEntry(value=D(2253))).passed is False
    assert measure(spec, KpiEntry(value=D(2254))).passed is True


def test_lower_is_better_passes_at_or_below_the_target() -> None:
    spec = KpiSpec(MeasureKind.QUANTITY, LOWER, target=D(3))  # at most 3 days
    assert measure(spec, KpiEntry(value=D(3))).passed is True
    assert measure(spec, KpiEntry(value=D("3.0001"))).passed is False
    assert measure(spec, KpiEntry(value=D(0))).passed is True


def test_a_quantity_without_a_target_has_no_percent_and_no_status() -> None:
    got = measure(KpiSpec(MeasureKind.QUANTITY), KpiEntry(value=D(5)))
    assert (got.figure, got.percent, got.passed) == (D(5), None, None)


def test_a_ratio_sums_its_units_as_sum_a_over_sum_b() -> None:
    spec = KpiSpec(MeasureKind.RATIO, HIGHER, target=D(80))
    got = measure(spec, KpiEntry(parts=((D(9), D(10)), (D(1), D(10)))))
    # ΣA / ΣB = 10 / 20 = 50 %, where the mean of the rates (90 % and 10 %) is also 50; and
    assert (got.numerator, got.denominator, got.figure) == (D(10), D(20), D(50))
    uneven = measure(spec, KpiEntry(parts=((D(90), D(100)), (D(1), D(10)))))
    # 91 / 110 = 82.72… %, never the mean of 90 % and 10 % (50 %).
    assert round(uneven.figure, 2) == D("82.73")  # type: ignore[arg-type]
    assert uneven.passed is True
    assert uneven.percent == uneven.figure


def test_one_third_keeps_full_precision() -> None:
    got = measure(KpiSpec(MeasureKind.RATIO), KpiEntry(parts=((D(1), D(3)),)))
    assert got.figure == D(100) / D(3)


@pytest.mark.parametrize("parts", [((D(0), D(0)),), ((D(5), D(0)),), ((D(0), D(0)), (D(0), D(0)))])
def test_a_ratio_with_no_denominator_has_no_rate_and_no_status(
    parts: tuple[tuple[Decimal, Decimal], ...],
) -> None:
    got = measure(KpiSpec(MeasureKind.RATIO, target=D(80)), KpiEntry(parts=parts))
    assert (got.figure, got.percent, got.passed) == (None, None, None)
    assert got.denominator == 0


def test_a_ratio_typed_as_a_rate_is_that_rate() -> None:
    got = measure(KpiSpec(MeasureKind.RATIO, target=D(80)), KpiEntry(value=D("79.99995")))
    assert got.figure == D("79.99995")
    assert got.passed is False


def test_a_negative_part_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        measure(KpiSpec(MeasureKind.RATIO), KpiEntry(parts=((D(-1), D(4)),)), kpi="k")
    assert caught.value.code == "ratio_part_negative"


def test_a_change_is_the_growth_over_its_base() -> None:
    spec = KpiSpec(MeasureKind.CHANGE, HIGHER, target=D(5), base=D(200))
    got = measure(spec, KpiEntry(value=D(300)))
    assert (got.figure, got.percent, got.passed) == (D(50), D(50), True)
    fell = measure(
        KpiSpec(MeasureKind.CHANGE, LOWER, target=D(-10), base=D(200)), KpiEntry(value=D(170))
    )
    assert (fell.figure, fell.passed) == (D(-15), True)


@pytest.mark.parametrize(
    ("base", "code"), [(None, "change_base_missing"), (D(0), "change_base_zero")]
)
def test_a_change_needs_a_base_other_than_zero(base: Decimal | None, code: str) -> None:
    spec = KpiSpec(MeasureKind.CHANGE, base=base)
    with pytest.raises(DomainError) as caught:
        measure(spec, KpiEntry(value=D(1)), kpi="k")
    assert caught.value.code == code
    # Without a result there is nothing to compute yet.
    assert measure(spec, KpiEntry()).figure is None
    check_kpi_spec(KpiSpec(MeasureKind.QUANTITY), kpi="k")


def test_a_milestone_passes_when_it_reaches_its_target_level() -> None:
    spec = KpiSpec(MeasureKind.MILESTONE, target=D(4))
    assert measure(spec, KpiEntry(level=4)).passed is True
    assert measure(spec, KpiEntry(level=3)).passed is False
    assert measure(spec, KpiEntry(level=3)).level == 3
    assert measure(spec, KpiEntry()).passed is None
    assert measure(KpiSpec(MeasureKind.MILESTONE), KpiEntry(level=5)).passed is None


def test_yes_no_passes_when_met() -> None:
    spec = KpiSpec(MeasureKind.YES_NO)
    assert measure(spec, KpiEntry(met=True)).passed is True
    assert measure(spec, KpiEntry(met=False)).passed is False
    assert measure(spec, KpiEntry()).passed is None


def test_a_result_of_another_kind_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        measure(KpiSpec(MeasureKind.YES_NO), KpiEntry(value=D(1)))
    assert caught.value.code == "kpi_value_wrong_kind"


@given(
    st.decimals(min_value=-1000, max_value=1000, places=4),
    st.decimals(min_value=-1000, max_value=1000, places=4),
    st.sampled_from(list(Direction)),
)
def test_passing_is_reaching_the_target_in_the_kpis_direction(
    figure: Decimal, target: Decimal, direction: Direction
) -> None:
    spec = KpiSpec(MeasureKind.RATIO, direction, target=target)
    got = measure(spec, KpiEntry(value=figure))
    assert got.passed is reaches(figure, target, direction)
    assert got.passed is ((figure - target) * (1 if direction == HIGHER else -1) >= 0)


def test_a_committee_scores_between_levels_with_a_reason_and_deducts_by_a_rule() -> None:
    top = D(5)
    assert reviewed_score(D(3), Review(), max_points=top) == D(3)
    assert reviewed_score(None, Review(), max_points=top) is None
    between = Review(score=D("3.5"), reason="ผลอยู่ระหว่างระดับ 3 และ 4")
    assert reviewed_score(D(3), between, max_points=top) == D("3.5")
    late = Review(deduction=D("0.5"), rule="ส่งรายงานล่าช้า หัก 0.5 คะแนน")
    assert reviewed_score(D(4), late, max_points=top) == D("3.5")
    # Never below 0.
    assert reviewed_score(D("0.2"), late, max_points=top) == 0
    both = Review(score=D("4.5"), reason="เหตุผล", deduction=D(1), rule="หลักเกณฑ์")
    assert reviewed_score(None, both, max_points=top) == D("3.5")
    with pytest.raises(DomainError) as caught:
        reviewed_score(D(3), Review(score=D(6), reason="เกิน"), max_points=top, kpi="k")
    assert caught.value.code == "score_out_of_range"


def test_the_weighting_convention_is_a_setting() -> None:
    # Seed 004: score × weight ÷ top points (75 of 100, weight 15: 11.25).
    assert weighted_score(D(75), D(15), D(100)) == D("11.25")
    # ก.พ.ร.: weight % × score on the 1–5 scale (4 at weight 15: 0.60).
    assert weighted_score(D(4), D(15), D(5), Weighting.WEIGHT_PERCENT) == D("0.6")
    assert weighted_score(D(4), D(15), D(5)) == D(12)
