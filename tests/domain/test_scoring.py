"""KPI measurements, scoring schemes, weights and seed 004's scorecard."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tidtam.domain.errors import DomainError
from tidtam.domain.money import percent, round_half_up
from tidtam.domain.scoring import (
    Direction,
    GroupSpec,
    Interpolation,
    KpiScore,
    Level,
    MeasureKind,
    ResultField,
    ScoreGroup,
    ScoringScheme,
    change_percent,
    check_value_kind,
    check_weights,
    five_level_scheme,
    quantity_percent,
    ratio_total,
    score_milestone,
    score_value,
    score_yes_no,
    scorecard,
    three_level_scheme,
    validate_levels,
    weight_errors,
    weighted_score,
)
from tidtam.domain.thai import format_number, format_percent

D = Decimal
HIGHER, LOWER = Direction.HIGHER, Direction.LOWER
# Seed 004 KPI 4: 6 / 8 / 10 cooperation projects for 50 / 75 / 100 points.
KPI_4_THRESHOLDS = (D(6), D(8), D(10))

SEED_004_GROUPS = [
    GroupSpec("Performance Base", D(60), (D(15),) * 4),
    GroupSpec("Potential Base", D(40), (D(10),) + (D(5),) * 6),
]


def test_quantity_percent_may_exceed_100_as_in_seed_000() -> None:
    assert format_percent(quantity_percent(D(3866), D(2254))) == "171.52"
    assert format_percent(quantity_percent(D(1345), D(2254))) == "59.67"


def test_quantity_percent_of_a_zero_target_is_none() -> None:
    assert quantity_percent(D(3), D(0)) is None


def test_ratio_of_one_unit_is_a_over_b() -> None:
    assert format_percent(ratio_total([(D(5), D(11))])) == "45.45"


def test_ratio_of_combined_units_is_the_sum_ratio_not_the_mean_of_rates() -> None:
    pairs = [(D(1), D(2)), (D(9), D(10))]  # 50 % and 90 %: the mean would be 70

    assert format_percent(ratio_total(pairs)) == "83.33"


def test_ratio_without_a_denominator_is_none_not_an_error() -> None:
    assert ratio_total([(D(3), D(0)), (D(2), D(0))]) is None
    assert ratio_total([]) is None


def test_change_percent_is_the_difference_over_the_base() -> None:
    assert change_percent(D(110), D(100)) == D(10)
    assert change_percent(D(90), D(100)) == D(-10)
    assert change_percent(D(5), D(0)) is None


def test_change_from_a_negative_base_keeps_the_sign_of_the_difference() -> None:
    assert change_percent(D(-5), D(-10)) == D(50)


def test_three_level_scheme_is_worth_50_75_100() -> None:
    scheme = three_level_scheme()

    assert [level.points for level in scheme.levels] == [D(50), D(75), D(100)]
    assert [level.rank for level in scheme.levels] == [1, 2, 3]
    assert scheme.max_points == D(100)
    assert scheme.interpolation == Interpolation.STEP
    assert scheme.below_lowest == D(0)


def test_five_level_scheme_scores_1_to_5() -> None:
    scheme = five_level_scheme([D(n) for n in (60, 70, 80, 90, 100)])

    assert [level.points for level in scheme.levels] == [D(n) for n in range(1, 6)]
    assert scheme.max_points == D(5)
    assert score_value(scheme, D(85), direction=HIGHER) == D(3)


def test_a_scheme_needs_one_threshold_per_level() -> None:
    with pytest.raises(DomainError) as caught:
        three_level_scheme([D(6), D(8)])

    assert caught.value.code == "thresholds_count_mismatch"
    assert caught.value.params == {"expected": 3, "actual": 2}


@pytest.mark.parametrize(
    ("projects", "points"),
    [
        (0, D(0)),
        (5, D(0)),
        (6, D(50)),
        (7, D(50)),
        (8, D(75)),
        (9, D(75)),
        (10, D(100)),
        (12, D(100)),
    ],
)
def test_seed_004_kpi_4_step_scores(projects: int, points: Decimal) -> None:
    scheme = three_level_scheme(KPI_4_THRESHOLDS)

    assert score_value(scheme, D(projects), direction=HIGHER) == points


@pytest.mark.parametrize(
    ("projects", "points"),
    [(5, D(0)), (6, D(50)), (7, D("62.5")), (8, D(75)), (9, D("87.5")), (10, D(100)), (11, D(100))],
)
def test_seed_004_kpi_4_linear_scores_7_projects_as_62_5(projects: int, points: Decimal) -> None:
    scheme = three_level_scheme(KPI_4_THRESHOLDS, interpolation=Interpolation.LINEAR)

    assert score_value(scheme, D(projects), direction=HIGHER) == points


@pytest.mark.parametrize(
    ("days", "points"), [(11, D(0)), (10, D(50)), (9, D("62.5")), (7, D("87.5")), (5, D(100))]
)
def test_lower_is_better_kpis_reach_levels_by_going_down(days: int, points: Decimal) -> None:
    scheme = three_level_scheme([D(10), D(8), D(6)], interpolation=Interpolation.LINEAR)

    assert score_value(scheme, D(days), direction=LOWER) == points


def test_score_below_the_lowest_level_is_a_setting() -> None:
    scheme = three_level_scheme(KPI_4_THRESHOLDS, below_lowest=D(25))

    assert score_value(scheme, D(5), direction=HIGHER) == D(25)


def test_milestone_kpi_scores_the_highest_fully_met_level() -> None:
    scheme = three_level_scheme()

    assert score_milestone(scheme, 2) == D(75)
    assert score_milestone(scheme, 3) == D(100)
    assert score_milestone(scheme, None) == D(0)


def test_milestone_level_that_the_scheme_lacks_is_an_error() -> None:
    with pytest.raises(DomainError) as caught:
        score_milestone(three_level_scheme(), 4, kpi="ตัวชี้วัดที่ 1")

    assert caught.value.code == "level_unknown"
    assert caught.value.params == {"kpi": "ตัวชี้วัดที่ 1", "level": 4}


def test_yes_no_kpi_scores_full_points_or_the_floor() -> None:
    assert score_yes_no(five_level_scheme(), True) == D(5)
    assert score_yes_no(five_level_scheme(), False) == D(0)


def test_numeric_scoring_needs_thresholds() -> None:
    with pytest.raises(DomainError) as caught:
        score_value(three_level_scheme(), D(7), direction=HIGHER, kpi="ตัวชี้วัดที่ 4")

    assert caught.value.code == "level_threshold_missing"
    assert caught.value.params == {"kpi": "ตัวชี้วัดที่ 4", "level": 1}


def test_numeric_scoring_checks_thresholds_against_the_direction() -> None:
    scheme = three_level_scheme(KPI_4_THRESHOLDS)

    with pytest.raises(DomainError) as caught:
        score_value(scheme, D(7), direction=LOWER, kpi="ตัวชี้วัดที่ 4")

    assert caught.value.code == "levels_out_of_order"
    assert caught.value.params == {"kpi": "ตัวชี้วัดที่ 4", "level": 2}


@pytest.mark.parametrize(
    ("levels", "direction", "bad_level"),
    [
        ((Level(1, D(50), D(6)), Level(2, D(75), D(10)), Level(3, D(100), D(8))), HIGHER, 3),
        ((Level(1, D(50), D(6)), Level(2, D(75), D(8))), LOWER, 2),
        ((Level(1, D(50), D(6)), Level(2, D(75), D(6))), HIGHER, 2),
        ((Level(1, D(75)), Level(2, D(50))), None, 2),
        ((Level(2, D(50)), Level(1, D(75))), None, 1),
    ],
)
def test_levels_out_of_order_name_the_first_bad_level(
    levels: tuple[Level, ...], direction: Direction | None, bad_level: int
) -> None:
    with pytest.raises(DomainError) as caught:
        validate_levels(levels, kpi="ตัวชี้วัดที่ 4", direction=direction)

    assert caught.value.code == "levels_out_of_order"
    assert caught.value.params == {"kpi": "ตัวชี้วัดที่ 4", "level": bad_level}


def test_levels_in_order_pass_validation_for_either_direction() -> None:
    rising = (Level(1, D(50), D(6)), Level(2, D(75), D(8)))
    falling = (Level(1, D(50), D(8)), Level(2, D(75), D(6)))

    validate_levels(rising, kpi="k", direction=HIGHER)
    validate_levels(falling, kpi="k", direction=LOWER)
    validate_levels(rising, kpi="k", direction=None)


def test_a_scheme_without_levels_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        ScoringScheme(())

    assert caught.value.code == "levels_missing"


def test_levels_with_only_some_thresholds_are_refused() -> None:
    with pytest.raises(DomainError) as caught:
        validate_levels((Level(1, D(50), D(6)), Level(2, D(75))), kpi="ตัวชี้วัดที่ 4", direction=HIGHER)

    assert caught.value.code == "level_threshold_missing"
    assert caught.value.params == {"kpi": "ตัวชี้วัดที่ 4", "level": 2}


def test_a_scheme_whose_top_level_is_worth_nothing_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        ScoringScheme((Level(1, D(-5)), Level(2, D(0))))

    assert caught.value.code == "max_points_not_positive"
    assert caught.value.params == {"max_points": D(0)}


@pytest.mark.parametrize(
    ("kind", "entered", "got"),
    [
        (MeasureKind.MILESTONE, {"value": D(7)}, ResultField.VALUE),
        (MeasureKind.QUANTITY, {"level": 2}, ResultField.LEVEL),
        (MeasureKind.RATIO, {"met": True}, ResultField.MET),
        (MeasureKind.YES_NO, {"value": D(1)}, ResultField.VALUE),
        (MeasureKind.CHANGE, {"value": D(1), "met": False}, ResultField.MET),
    ],
)
def test_a_result_of_the_wrong_kind_is_refused(
    kind: MeasureKind, entered: dict[str, object], got: ResultField
) -> None:
    with pytest.raises(DomainError) as caught:
        check_value_kind(kind, kpi="ตัวชี้วัดที่ 5", **entered)  # type: ignore[arg-type]

    assert caught.value.code == "kpi_value_wrong_kind"
    assert caught.value.params == {"kpi": "ตัวชี้วัดที่ 5", "kind": kind, "got": got}


def test_results_of_the_right_kind_or_none_yet_are_accepted() -> None:
    check_value_kind(MeasureKind.QUANTITY, kpi="k", value=D(3866))
    check_value_kind(MeasureKind.MILESTONE, kpi="k", level=3)
    check_value_kind(MeasureKind.YES_NO, kpi="k", met=False)
    check_value_kind(MeasureKind.RATIO, kpi="k")


def test_weighted_score_of_seed_004_kpi_4_at_7_projects() -> None:
    weighted = weighted_score(D("62.5"), D(15), D(100))

    assert weighted == D("9.375")
    assert format_number(weighted, 4) == "9.3750"


def test_weighted_score_on_a_five_level_scheme_divides_by_5() -> None:
    assert weighted_score(D(4), D(10), D(5)) == D(8)


def test_weighted_score_needs_a_positive_maximum() -> None:
    with pytest.raises(DomainError) as caught:
        weighted_score(D(1), D(10), D(0))

    assert caught.value.code == "max_points_not_positive"


def test_seed_004_weights_add_up_60_plus_40() -> None:
    check_weights(SEED_004_GROUPS)

    assert weight_errors(SEED_004_GROUPS) == []


def test_a_70_30_split_also_passes() -> None:
    check_weights([GroupSpec("PB", D(70), (D(35), D(35))), GroupSpec("PT", D(30), (D(30),))])


def test_a_group_whose_kpis_do_not_add_up_is_named() -> None:
    groups = [SEED_004_GROUPS[0], GroupSpec("Potential Base", D(40), (D(10),) + (D(5),) * 5)]

    with pytest.raises(DomainError) as caught:
        check_weights(groups)

    assert caught.value.code == "group_weights_mismatch"
    assert caught.value.params == {"group": "Potential Base", "expected": D(40), "actual": D(35)}


def test_groups_that_do_not_add_up_to_100_are_refused() -> None:
    groups = [SEED_004_GROUPS[0], GroupSpec("Potential Base", D(30), (D(10), D(20)))]

    with pytest.raises(DomainError) as caught:
        check_weights(groups)

    assert caught.value.code == "total_weight_mismatch"
    assert caught.value.params == {"expected": D(100), "actual": D(90)}


def test_weight_errors_lists_every_problem_at_once() -> None:
    groups = [
        GroupSpec("Performance Base", D(60), (D(15), D(15), D(15), D(-5))),
        GroupSpec("Potential Base", D(30), (D(30),)),
    ]

    codes = [(error.code, error.params) for error in weight_errors(groups)]

    assert codes == [
        ("weight_negative", {"group": "Performance Base", "value": D(-5)}),
        (
            "group_weights_mismatch",
            {"group": "Performance Base", "expected": D(60), "actual": D(40)},
        ),
        ("total_weight_mismatch", {"expected": D(100), "actual": D(90)}),
    ]


def seed_004_scores(kpi_4_projects: Decimal) -> list[ScoreGroup]:
    kpi_4 = score_value(
        three_level_scheme(KPI_4_THRESHOLDS, interpolation=Interpolation.LINEAR),
        kpi_4_projects,
        direction=HIGHER,
    )
    milestones = three_level_scheme()
    top, standard, basic = (score_milestone(milestones, level) for level in (3, 2, 1))
    performance = [KpiScore(f"ตัวชี้วัดที่ {n}", D(15), top) for n in (1, 2, 3)]
    performance.append(KpiScore("ตัวชี้วัดที่ 4", D(15), kpi_4))
    potential = [KpiScore("ตัวชี้วัดที่ 5", D(10), standard)]
    potential.extend(KpiScore(f"ตัวชี้วัดที่ {n}", D(5), basic) for n in range(6, 12))
    return [
        ScoreGroup("Performance Base", D(60), tuple(performance)),
        ScoreGroup("Potential Base", D(40), tuple(potential)),
    ]


def test_seed_004_scorecard_adds_weighted_scores_per_group_and_in_total() -> None:
    card = scorecard(seed_004_scores(D(7)))

    performance, potential = card.groups
    assert [kpi.weighted for kpi in performance.kpis] == [D(15), D(15), D(15), D("9.375")]
    assert performance.subtotal == D("54.375")
    assert potential.kpis[0].weighted == D("7.5")
    assert potential.kpis[1].weighted == D("2.5")
    assert potential.subtotal == D("22.5")
    assert card.total == D("76.875")
    assert round_half_up(card.total, 4) == D("76.8750")
    assert card.complete


def test_a_kpi_not_yet_assessed_leaves_the_scorecard_incomplete() -> None:
    groups = [
        ScoreGroup("PB", D(60), (KpiScore("k1", D(30), D(100)), KpiScore("k2", D(30), None))),
        ScoreGroup("PT", D(40), (KpiScore("k3", D(40), D(3), max_points=D(5)),)),
    ]

    card = scorecard(groups)

    assert card.groups[0].kpis[1].weighted is None
    assert card.groups[0].subtotal == D(30)
    assert not card.groups[0].complete
    assert card.groups[1].complete
    assert card.groups[1].subtotal == D(24)
    assert card.total == D(54)
    assert not card.complete


def test_a_score_above_the_maximum_is_refused() -> None:
    groups = [ScoreGroup("PB", D(100), (KpiScore("ตัวชี้วัดที่ 1", D(100), D(120)),))]

    with pytest.raises(DomainError) as caught:
        scorecard(groups)

    assert caught.value.code == "score_out_of_range"
    assert caught.value.params == {"kpi": "ตัวชี้วัดที่ 1", "score": D(120), "max_points": D(100)}


def test_a_scorecard_on_weights_that_do_not_add_up_is_refused() -> None:
    groups = [ScoreGroup("PB", D(60), (KpiScore("k1", D(50), D(100)),))]

    with pytest.raises(DomainError) as caught:
        scorecard(groups, total_weight=D(60))

    assert caught.value.code == "group_weights_mismatch"


values = st.decimals(min_value=-50, max_value=50, places=3)
threshold_sets = st.lists(
    st.decimals(min_value=-40, max_value=40, places=2), min_size=1, max_size=5, unique=True
)


def _scheme(
    thresholds: list[Decimal], direction: Direction, interpolation: Interpolation
) -> ScoringScheme:
    ordered = sorted(thresholds, reverse=direction == LOWER)
    levels = tuple(
        Level(rank, D(10) * rank, threshold) for rank, threshold in enumerate(ordered, start=1)
    )
    return ScoringScheme(levels, interpolation)


@given(threshold_sets, values, values, st.sampled_from(Direction), st.sampled_from(Interpolation))
def test_a_better_value_never_scores_less(
    thresholds: list[Decimal],
    first: Decimal,
    second: Decimal,
    direction: Direction,
    interpolation: Interpolation,
) -> None:
    scheme = _scheme(thresholds, direction, interpolation)
    worse, better = sorted([first, second], reverse=direction == LOWER)

    assert score_value(scheme, worse, direction=direction) <= score_value(
        scheme, better, direction=direction
    )


@given(threshold_sets, values, st.sampled_from(Direction), st.sampled_from(Interpolation))
def test_a_score_lies_between_the_points_of_the_levels_around_the_value(
    thresholds: list[Decimal], value: Decimal, direction: Direction, interpolation: Interpolation
) -> None:
    scheme = _scheme(thresholds, direction, interpolation)
    score = score_value(scheme, value, direction=direction)
    reached = [
        level
        for level in scheme.levels
        if level.threshold is not None
        and (value >= level.threshold if direction == HIGHER else value <= level.threshold)
    ]

    if not reached:
        assert score == scheme.below_lowest
        return
    level = reached[-1]
    if level is scheme.levels[-1] or interpolation == Interpolation.STEP:
        assert score == level.points
    else:
        following = scheme.levels[level.rank]
        assert level.points <= score < following.points


weights = st.decimals(min_value=0, max_value=100, places=2)


@given(
    st.lists(
        st.tuples(weights, st.decimals(min_value=0, max_value=100, places=4)),
        min_size=1,
        max_size=12,
    )
)
def test_weighted_total_never_exceeds_the_total_weight(kpis: list[tuple[Decimal, Decimal]]) -> None:
    total_weight = sum((weight for weight, _ in kpis), D(0))
    assume(total_weight > 0)
    group = ScoreGroup(
        "g", total_weight, tuple(KpiScore(f"k{i}", w, s) for i, (w, s) in enumerate(kpis))
    )

    card = scorecard([group], total_weight=total_weight)

    assert D(0) <= card.total <= total_weight
    assert card.total == card.groups[0].subtotal


pairs = st.lists(
    st.tuples(
        st.decimals(min_value=0, max_value=10_000, places=2),
        st.decimals(min_value=0, max_value=10_000, places=2),
    ),
    max_size=15,
)


@given(pairs)
def test_ratio_total_is_sum_a_over_sum_b(units: list[tuple[Decimal, Decimal]]) -> None:
    sum_a = sum((a for a, _ in units), D(0))
    sum_b = sum((b for _, b in units), D(0))

    assert ratio_total(units) == percent(sum_a, sum_b)


@given(pairs)
def test_ratio_total_lies_between_the_lowest_and_highest_unit_rate(
    units: list[tuple[Decimal, Decimal]],
) -> None:
    rates = [percent(a, b) for a, b in units if b > 0]
    assume(rates and all(b > 0 for _, b in units))
    total = ratio_total(units)

    assert total is not None
    tolerance = D("1e-20")
    assert min(r for r in rates if r is not None) - tolerance <= total
    assert total <= max(r for r in rates if r is not None) + tolerance
