"""Agreement rules: weights that add up, each KPI's scheme, scores and the scorecard per round."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from tidtam.agreements.models import Agreement, AgreementKPI, Indicator, IndicatorResult
from tidtam.domain import scoring
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.periods.models import Round
from tidtam.progress.review import require_editable
from tidtam.progress.services import stored_percent


def _group_specs(agreement: Agreement) -> list[scoring.GroupSpec]:
    return [
        scoring.GroupSpec(
            name=group.name,
            weight=group.weight,
            kpi_weights=tuple(kpi.weight for kpi in group.kpis.all()),
        )
        for group in agreement.groups.prefetch_related("kpis")
    ]


def agreement_check_weights(agreement: Agreement) -> None:
    """Raise the first weight problem (naming the group), as a save or an import must."""
    scoring.check_weights(_group_specs(agreement))


def agreement_weight_problems(agreement: Agreement) -> list[str]:
    """Every weight problem, in Thai, for a page that shows them all at once."""
    return [message_for(error) for error in scoring.weight_errors(_group_specs(agreement))]


def kpi_scheme(kpi: AgreementKPI) -> scoring.ScoringScheme:
    """The KPI's levels as the core's scheme, checked for order in the KPI's direction."""
    agreement = kpi.group.agreement
    levels = tuple(
        scoring.Level(rank=level.rank, points=level.points, threshold=level.threshold)
        for level in kpi.levels.all()
    )
    label = f"ตัวชี้วัดที่ {kpi.number}"
    scoring.validate_levels(levels, kpi=label, direction=scoring.Direction(kpi.indicator.direction))
    return scoring.ScoringScheme(
        levels=levels,
        interpolation=scoring.Interpolation(agreement.interpolation),
        below_lowest=agreement.below_lowest_points,
    )


def kpi_score(
    kpi: AgreementKPI, result: IndicatorResult | None, *, reviewed: bool = False
) -> Decimal | None:
    """The KPI's score from its self-assessed (or reviewed) result; None while not assessed."""
    if result is None:
        return None
    indicator = kpi.indicator
    kind = scoring.MeasureKind(indicator.measure_kind)
    value = result.reviewed_value if reviewed else result.value
    level = result.reviewed_level_reached if reviewed else result.level_reached
    met = result.reviewed_met if reviewed else result.met
    label = f"ตัวชี้วัดที่ {kpi.number}"
    scoring.check_value_kind(kind, kpi=label, value=value, level=level, met=met)
    scheme = kpi_scheme(kpi)
    if kind == scoring.MeasureKind.MILESTONE:
        # None: not assessed yet; 0: assessed, and no level was fully met.
        if level is None:
            return None
        return scoring.score_milestone(scheme, level or None, kpi=label)
    if kind == scoring.MeasureKind.YES_NO:
        return None if met is None else scoring.score_yes_no(scheme, met)
    if value is None:
        return None
    return scoring.score_value(
        scheme, value, direction=scoring.Direction(indicator.direction), kpi=label
    )


def indicator_result_percent(indicator: Indicator, result: IndicatorResult) -> Decimal | None:
    """A result's percent by its method: computed from value and target, or as entered."""
    if result.percent_method != "computed":
        return result.percent
    if result.value is None or indicator.target_value is None:
        raise DomainError("percent_missing_data", item=indicator.name)
    kind = scoring.MeasureKind(indicator.measure_kind)
    if kind == scoring.MeasureKind.RATIO:
        if result.numerator is None or result.denominator is None:
            raise DomainError("percent_missing_data", item=indicator.name)
        return scoring.ratio_total([(result.numerator, result.denominator)])
    return scoring.quantity_percent(result.value, indicator.target_value)


@transaction.atomic
def indicator_result_save(
    *,
    indicator: Indicator,
    round_: Round,
    value: Decimal | None = None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    level_reached: int | None = None,
    met: bool | None = None,
    narrative: str = "",
    percent: Decimal | None = None,
    percent_note: str = "",
) -> IndicatorResult:
    """Create or update a KPI's self-assessed result for a round (the whole agency's), all or nothing.

    A ratio KPI's value is A / B × 100 from its parts. The percent is computed against the
    target where the kind allows; a typed percent replaces it only with a reason.
    """
    result = IndicatorResult.objects.filter(
        indicator=indicator, round=round_, unit__isnull=True
    ).first() or IndicatorResult(indicator=indicator, round=round_)
    require_editable(result)
    kind = scoring.MeasureKind(indicator.measure_kind)
    if kind == scoring.MeasureKind.RATIO and numerator is not None and denominator is not None:
        value = scoring.ratio_total([(numerator, denominator)])
    scoring.check_value_kind(kind, kpi=indicator.name, value=value, level=level_reached, met=met)
    result.value, result.numerator, result.denominator = value, numerator, denominator
    result.level_reached, result.met, result.narrative = level_reached, met, narrative
    if percent is not None:
        if not percent_note.strip():
            raise DomainError("percent_note_required", item=indicator.name)
        result.percent_method, result.percent = "entered", percent
        result.narrative = f"{narrative}".strip()
    elif (
        kind in (scoring.MeasureKind.QUANTITY, scoring.MeasureKind.RATIO)
        and value is not None
        and indicator.target_value
    ):
        result.percent_method = "computed"
        result.percent = stored_percent(indicator_result_percent(indicator, result))
    else:
        result.percent_method, result.percent = "", None
    result.full_clean()
    result.save()
    return result
