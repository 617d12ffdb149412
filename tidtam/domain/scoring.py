"""KPI measurement kinds, scoring schemes, weights and the agreement's weighted scorecard."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from tidtam.domain.errors import DomainError
from tidtam.domain.money import HUNDRED, ZERO, percent
from tidtam.domain.thai import has_text


class MeasureKind(enum.StrEnum):
    QUANTITY = "quantity"
    RATIO = "ratio"
    CHANGE = "change"
    MILESTONE = "milestone"
    YES_NO = "yes_no"


class Direction(enum.StrEnum):
    """Whether a higher or a lower value is better."""

    HIGHER = "higher"
    LOWER = "lower"


class Interpolation(enum.StrEnum):
    """How a value between two levels' thresholds scores (a setting per agreement)."""

    STEP = "step"
    LINEAR = "linear"


class Weighting(enum.StrEnum):
    """How a KPI's score becomes its weighted score (a setting per agreement).

    OF_MAX: score × weight ÷ the scheme's top points, so the total is out of 100 (seed 004).
    WEIGHT_PERCENT: weight % × score, so the total is on the scheme's scale, e.g. 4.2150 of 5
    (as ก.พ.ร. score tables print).
    """

    OF_MAX = "of_max"
    WEIGHT_PERCENT = "weight_percent"


class ResultField(enum.StrEnum):
    """The ways a result can be entered: a number, a level reached, or met / not met."""

    VALUE = "value"
    LEVEL = "level"
    MET = "met"


_FIELD_OF_KIND = {
    MeasureKind.QUANTITY: ResultField.VALUE,
    MeasureKind.RATIO: ResultField.VALUE,
    MeasureKind.CHANGE: ResultField.VALUE,
    MeasureKind.MILESTONE: ResultField.LEVEL,
    MeasureKind.YES_NO: ResultField.MET,
}


def quantity_percent(actual: Decimal, target: Decimal) -> Decimal | None:
    """Actual against target in percent, unrounded; may exceed 100 (3,866 / 2,254 = 171.52)."""
    return percent(actual, target)


def ratio_total(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Combine units' A / B as ΣA / ΣB × 100, never the mean of their rates.

    No denominator gives no value (None), not an error.
    """
    numerator = ZERO
    denominator = ZERO
    for a, b in pairs:
        numerator += a
        denominator += b
    return percent(numerator, denominator)


def change_percent(result: Decimal, base: Decimal) -> Decimal | None:
    """(result − base) / |base| × 100, unrounded; None when the base is 0.

    Dividing by the magnitude keeps the sign of the change equal to the sign of
    the difference when a baseline is negative.
    """
    return percent(result - base, abs(base))


@dataclass(frozen=True)
class KpiSpec:
    """What a KPI measures and what it aims at.

    `target` is the figure to reach: a quantity, a rate in percent (ratio), a change in percent
    (change), or the level to reach (milestone); none for yes / no, whose target is "yes".
    `base` is a change KPI's value in its base year.
    """

    kind: MeasureKind
    direction: Direction = Direction.HIGHER
    target: Decimal | None = None
    base: Decimal | None = None


@dataclass(frozen=True)
class KpiEntry:
    """A result as entered: a value; a ratio's parts (A, B), one pair per reporting unit or one
    for the whole; a level reached; or met / not met."""

    value: Decimal | None = None
    parts: tuple[tuple[Decimal, Decimal], ...] = ()
    level: int | None = None
    met: bool | None = None


@dataclass(frozen=True)
class KpiMeasure:
    """A result as the core reads it, unrounded.

    `figure` is the number scored and compared with the target: the quantity, the rate
    ΣA / ΣB × 100, the change (result − base) / |base| × 100. `percent` is the figure shown as a
    percent: the quantity against its target; the rate; the change. `passed` is whether the
    target is reached in the KPI's direction (None: no result, or nothing to compare with).
    """

    figure: Decimal | None
    percent: Decimal | None
    passed: bool | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    level: int | None = None
    met: bool | None = None


VALUE_KINDS = frozenset({MeasureKind.QUANTITY, MeasureKind.RATIO, MeasureKind.CHANGE})


def check_kpi_spec(spec: KpiSpec, *, kpi: str) -> None:
    """Raise when a KPI cannot be measured as set: a change KPI needs a base other than 0."""
    if spec.kind == MeasureKind.CHANGE:
        if spec.base is None:
            raise DomainError("change_base_missing", kpi=kpi)
        if spec.base == 0:
            raise DomainError("change_base_zero", kpi=kpi)


def reaches(figure: Decimal, target: Decimal, direction: Direction) -> bool:
    """Whether a figure reaches a target: at least it when higher is better, at most when lower."""
    return figure >= target if direction == Direction.HIGHER else figure <= target


def measure(spec: KpiSpec, entry: KpiEntry, *, kpi: str = "") -> KpiMeasure:
    """Read a result by its KPI's kind: its figure, its percent and whether it passed.

    A ratio's figure is ΣA / ΣB × 100 over its parts (never the mean of the units' rates),
    none while ΣB is 0 (0 / 0 has no rate); without parts, the value typed is the rate.
    """
    check_value_kind(spec.kind, kpi=kpi, value=entry.value, level=entry.level, met=entry.met)
    if spec.kind == MeasureKind.MILESTONE:
        passed = None
        if entry.level is not None and spec.target is not None:
            passed = entry.level >= spec.target
        return KpiMeasure(None, None, passed, level=entry.level)
    if spec.kind == MeasureKind.YES_NO:
        return KpiMeasure(None, None, entry.met, met=entry.met)
    numerator = denominator = None
    figure = entry.value
    if spec.kind == MeasureKind.RATIO and entry.parts:
        for a, b in entry.parts:
            if a < 0 or b < 0:
                raise DomainError("ratio_part_negative", kpi=kpi, numerator=a, denominator=b)
        numerator = sum((a for a, _ in entry.parts), ZERO)
        denominator = sum((b for _, b in entry.parts), ZERO)
        figure = ratio_total(entry.parts)
    elif spec.kind == MeasureKind.CHANGE and figure is not None:
        check_kpi_spec(spec, kpi=kpi)
        assert spec.base is not None  # checked just above
        figure = change_percent(figure, spec.base)
    if figure is None:
        return KpiMeasure(None, None, None, numerator, denominator)
    shown: Decimal | None = figure
    if spec.kind == MeasureKind.QUANTITY:
        shown = None if spec.target is None else quantity_percent(figure, spec.target)
    passed = None if spec.target is None else reaches(figure, spec.target, spec.direction)
    return KpiMeasure(figure, shown, passed, numerator, denominator)


@dataclass(frozen=True)
class Level:
    """A scoring level: its rank (1 = lowest), its points, and for numeric KPIs the
    value that reaches it (None for milestone levels, which are described in text)."""

    rank: int
    points: Decimal
    threshold: Decimal | None = None


def validate_levels(levels: Sequence[Level], *, kpi: str, direction: Direction | None) -> None:
    """Raise unless ranks and points rise strictly and thresholds follow the direction.

    Thresholds must all be given or all be absent. With direction None only ranks,
    points and the presence of thresholds are checked.
    """
    if not levels:
        raise DomainError("levels_missing", kpi=kpi)
    with_threshold = [level.threshold is not None for level in levels]
    if any(with_threshold) and not all(with_threshold):
        missing = levels[with_threshold.index(False)]
        raise DomainError("level_threshold_missing", kpi=kpi, level=missing.rank)
    for lower, upper in pairwise(levels):
        in_order = upper.rank > lower.rank and upper.points > lower.points
        # Thresholds are all given or all absent (checked above), so testing both
        # only narrows the types.
        if (
            in_order
            and direction is not None
            and upper.threshold is not None
            and lower.threshold is not None
        ):
            in_order = (
                upper.threshold > lower.threshold
                if direction == Direction.HIGHER
                else upper.threshold < lower.threshold
            )
        if not in_order:
            raise DomainError("levels_out_of_order", kpi=kpi, level=upper.rank)
    # Weighted scores divide by the top points, which ordering makes the maximum.
    if levels[-1].points <= 0:
        raise DomainError("max_points_not_positive", max_points=levels[-1].points)


@dataclass(frozen=True)
class ScoringScheme:
    """Levels from lowest to highest, how values between them score, and the score
    below the lowest level (0 by rule, a setting)."""

    levels: tuple[Level, ...]
    interpolation: Interpolation = Interpolation.STEP
    below_lowest: Decimal = ZERO

    def __post_init__(self) -> None:
        validate_levels(self.levels, kpi="", direction=None)

    @property
    def max_points(self) -> Decimal:
        return self.levels[-1].points


def _scheme(
    points: Sequence[Decimal],
    thresholds: Sequence[Decimal] | None,
    interpolation: Interpolation,
    below_lowest: Decimal,
) -> ScoringScheme:
    if thresholds is not None and len(thresholds) != len(points):
        raise DomainError("thresholds_count_mismatch", expected=len(points), actual=len(thresholds))
    levels = tuple(
        Level(
            rank=rank,
            points=value,
            threshold=None if thresholds is None else thresholds[rank - 1],
        )
        for rank, value in enumerate(points, start=1)
    )
    return ScoringScheme(levels, interpolation, below_lowest)


def three_level_scheme(
    thresholds: Sequence[Decimal] | None = None,
    *,
    interpolation: Interpolation = Interpolation.STEP,
    below_lowest: Decimal = ZERO,
) -> ScoringScheme:
    """ขั้นต้น / มาตรฐาน / ขั้นสูง worth 50 / 75 / 100 points (seed 004)."""
    points = (Decimal(50), Decimal(75), Decimal(100))
    return _scheme(points, thresholds, interpolation, below_lowest)


def five_level_scheme(
    thresholds: Sequence[Decimal] | None = None,
    *,
    interpolation: Interpolation = Interpolation.STEP,
    below_lowest: Decimal = ZERO,
) -> ScoringScheme:
    """Five levels scored 1 to 5 (the ก.พ.ร. style)."""
    points = tuple(Decimal(n) for n in range(1, 6))
    return _scheme(points, thresholds, interpolation, below_lowest)


def score_value(
    scheme: ScoringScheme, value: Decimal, *, direction: Direction, kpi: str = ""
) -> Decimal:
    """Score a numeric result against the scheme's thresholds.

    Step: the points of the highest level reached. Linear: interpolated between
    the level reached and the next (seed 004 KPI 4: 7 projects between 6 and 8
    scores 62.5). Above the top level: the top points. Below the lowest: the
    scheme's below_lowest.
    """
    validate_levels(scheme.levels, kpi=kpi, direction=direction)
    thresholds: list[Decimal] = []
    for level in scheme.levels:
        if level.threshold is None:
            raise DomainError("level_threshold_missing", kpi=kpi, level=level.rank)
        thresholds.append(level.threshold)
    reached = [
        index for index, threshold in enumerate(thresholds) if reaches(value, threshold, direction)
    ]
    if not reached:
        return scheme.below_lowest
    index = reached[-1]
    level = scheme.levels[index]
    if scheme.interpolation == Interpolation.STEP or index == len(thresholds) - 1:
        return level.points
    upper = scheme.levels[index + 1]
    # The same formula serves both directions: numerator and denominator change
    # sign together when lower values are better.
    fraction = (value - thresholds[index]) / (thresholds[index + 1] - thresholds[index])
    return level.points + (upper.points - level.points) * fraction


def score_milestone(scheme: ScoringScheme, level_reached: int | None, *, kpi: str = "") -> Decimal:
    """Score a milestone KPI: the points of the highest fully met level (None: none met)."""
    if level_reached is None:
        return scheme.below_lowest
    for level in scheme.levels:
        if level.rank == level_reached:
            return level.points
    raise DomainError("level_unknown", kpi=kpi, level=level_reached)


def score_yes_no(scheme: ScoringScheme, met: bool) -> Decimal:
    """Met scores the top points; not met scores as below the lowest level."""
    return scheme.max_points if met else scheme.below_lowest


def check_value_kind(
    kind: MeasureKind,
    *,
    kpi: str,
    value: Decimal | None = None,
    level: int | None = None,
    met: bool | None = None,
) -> None:
    """Raise when a result is entered in a form the KPI's kind does not take.

    Giving nothing is allowed: a KPI may have no result yet in a round.
    """
    given = {ResultField.VALUE: value, ResultField.LEVEL: level, ResultField.MET: met}
    expected = _FIELD_OF_KIND[kind]
    for result_field, entered in given.items():
        if entered is not None and result_field is not expected:
            raise DomainError("kpi_value_wrong_kind", kpi=kpi, kind=kind, got=result_field)


def weighted_score(
    score: Decimal,
    weight: Decimal,
    max_points: Decimal,
    weighting: Weighting = Weighting.OF_MAX,
) -> Decimal:
    """The weighted score, unrounded: score × weight ÷ the scheme's maximum, or weight % × score."""
    if max_points <= 0:
        raise DomainError("max_points_not_positive", max_points=max_points)
    if weighting == Weighting.WEIGHT_PERCENT:
        return score * weight / HUNDRED
    return score * weight / max_points


@dataclass(frozen=True)
class Review:
    """A committee's word on a KPI: the score it gives between levels (with its reason), and a
    deduction by a stated rule (e.g. "late report: 0.5 point")."""

    score: Decimal | None = None
    reason: str = ""
    deduction: Decimal | None = None
    rule: str = ""


def reviewed_score(
    computed: Decimal | None, review: Review, *, max_points: Decimal, kpi: str = ""
) -> Decimal | None:
    """The committee's score: its own score where it gave one (a reason is required), else the
    score of the reviewed result; less the deduction (a rule is required), never below 0.
    None while there is neither."""
    if review.score is not None:
        if not has_text(review.reason):
            raise DomainError("review_score_reason_missing", kpi=kpi)
        if not 0 <= review.score <= max_points:
            raise DomainError(
                "score_out_of_range", kpi=kpi, score=review.score, max_points=max_points
            )
    if review.deduction is not None:
        if review.deduction < 0:
            raise DomainError("deduction_negative", kpi=kpi, deduction=review.deduction)
        if not has_text(review.rule):
            raise DomainError("deduction_rule_missing", kpi=kpi)
    score = review.score if review.score is not None else computed
    if score is None:
        return None
    return max(ZERO, score - (review.deduction or ZERO))


@dataclass(frozen=True)
class GroupSpec:
    """A KPI group (e.g. Performance Base 60) and the weights of its KPIs."""

    name: str
    weight: Decimal
    kpi_weights: tuple[Decimal, ...]


def weight_errors(groups: Sequence[GroupSpec], total: Decimal = HUNDRED) -> list[DomainError]:
    """Every weight problem at once, for a form that shows them all."""
    errors: list[DomainError] = []
    for group in groups:
        for value in (group.weight, *group.kpi_weights):
            if value < 0:
                errors.append(DomainError("weight_negative", group=group.name, value=value))
        actual = sum(group.kpi_weights, ZERO)
        if actual != group.weight:
            errors.append(
                DomainError(
                    "group_weights_mismatch",
                    group=group.name,
                    expected=group.weight,
                    actual=actual,
                )
            )
    actual_total = sum((group.weight for group in groups), ZERO)
    if actual_total != total:
        errors.append(DomainError("total_weight_mismatch", expected=total, actual=actual_total))
    return errors


def check_weights(groups: Sequence[GroupSpec], total: Decimal = HUNDRED) -> None:
    """Raise the first weight problem: a group whose KPIs do not add up to its share,
    or groups that do not add up to the total."""
    errors = weight_errors(groups, total)
    if errors:
        raise errors[0]


@dataclass(frozen=True)
class KpiScore:
    """A KPI's weight and its score (None while not yet assessed) on its scheme."""

    name: str
    weight: Decimal
    score: Decimal | None
    max_points: Decimal = HUNDRED


@dataclass(frozen=True)
class ScoreGroup:
    name: str
    weight: Decimal
    kpis: tuple[KpiScore, ...]


@dataclass(frozen=True)
class KpiResult:
    name: str
    weight: Decimal
    score: Decimal | None
    max_points: Decimal
    weighted: Decimal | None


@dataclass(frozen=True)
class GroupResult:
    name: str
    weight: Decimal
    kpis: tuple[KpiResult, ...]

    @property
    def subtotal(self) -> Decimal:
        """Sum of the assessed KPIs' unrounded weighted scores."""
        return sum((kpi.weighted for kpi in self.kpis if kpi.weighted is not None), ZERO)

    @property
    def complete(self) -> bool:
        return all(kpi.weighted is not None for kpi in self.kpis)


@dataclass(frozen=True)
class Scorecard:
    groups: tuple[GroupResult, ...]

    @property
    def total(self) -> Decimal:
        return sum((group.subtotal for group in self.groups), ZERO)

    @property
    def complete(self) -> bool:
        return all(group.complete for group in self.groups)


def scorecard(
    groups: Sequence[ScoreGroup],
    *,
    total_weight: Decimal = HUNDRED,
    weighting: Weighting = Weighting.OF_MAX,
) -> Scorecard:
    """Weigh every KPI's score and add them up per group and in total, unrounded.

    The weights are checked first: a score built on weights that do not add up
    would be signed as if it were out of 100.
    """
    check_weights(
        [
            GroupSpec(group.name, group.weight, tuple(kpi.weight for kpi in group.kpis))
            for group in groups
        ],
        total_weight,
    )
    results: list[GroupResult] = []
    for group in groups:
        kpi_results: list[KpiResult] = []
        for kpi in group.kpis:
            weighted = None
            if kpi.score is not None:
                if not 0 <= kpi.score <= kpi.max_points:
                    raise DomainError(
                        "score_out_of_range",
                        kpi=kpi.name,
                        score=kpi.score,
                        max_points=kpi.max_points,
                    )
                weighted = weighted_score(kpi.score, kpi.weight, kpi.max_points, weighting)
            kpi_results.append(KpiResult(kpi.name, kpi.weight, kpi.score, kpi.max_points, weighted))
        results.append(GroupResult(group.name, group.weight, tuple(kpi_results)))
    return Scorecard(tuple(results))
