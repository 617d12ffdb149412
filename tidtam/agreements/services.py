"""Agreement rules: weights that add up, each KPI's scheme, scores and the scorecard per round."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q, QuerySet

from tidtam import bulk, concurrency
from tidtam.agreements.models import (
    Agreement,
    AgreementClause,
    AgreementKPI,
    Indicator,
    IndicatorOwner,
    IndicatorResponsibility,
    IndicatorResult,
    IndicatorSeriesValue,
    KPIGroup,
    ScoringLevel,
)
from tidtam.domain import fiscal, scoring
from tidtam.domain.errors import DomainError
from tidtam.domain.money import ZERO, require_fits
from tidtam.domain.thai import format_number, has_text, normalize_paragraphs, normalize_text
from tidtam.messages import message_for, met_label
from tidtam.orgs.access import descendants_map, with_descendants
from tidtam.orgs.models import Organization, Person
from tidtam.periods.models import FiscalYear, Round
from tidtam.periods.services import fiscal_year_with_rounds
from tidtam.policies.models import PolicyNode
from tidtam.reporting import EntryStatus, require_editable, require_round_open, stored_percent


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
    label = f"ตัวชี้วัดที่ {kpi.number}"
    measured = result_measure(indicator, result, reviewed=reviewed, kpi=label)
    scheme = kpi_scheme(kpi)
    score = _computed_score(kpi, kind, measured, scheme, label)
    if not reviewed:
        return score
    review = scoring.Review(
        score=result.reviewed_score,
        reason=result.reviewed_score_reason,
        deduction=result.deduction,
        rule=result.deduction_rule,
    )
    return scoring.reviewed_score(score, review, max_points=scheme.max_points, kpi=label)


def _computed_score(
    kpi: AgreementKPI,
    kind: scoring.MeasureKind,
    measured: scoring.KpiMeasure,
    scheme: scoring.ScoringScheme,
    label: str,
) -> Decimal | None:
    if kind == scoring.MeasureKind.MILESTONE:
        # None: not assessed yet; 0: assessed, and no level was fully met.
        if measured.level is None:
            return None
        return scoring.score_milestone(scheme, measured.level or None, kpi=label)
    if kind == scoring.MeasureKind.YES_NO:
        return None if measured.met is None else scoring.score_yes_no(scheme, measured.met)
    if measured.figure is None:
        return None
    return scoring.score_value(
        scheme, measured.figure, direction=scoring.Direction(kpi.indicator.direction), kpi=label
    )


def kpi_spec(indicator: Indicator) -> scoring.KpiSpec:
    """The indicator as the core's KPI: kind, direction, target and (for a change) its base."""
    return scoring.KpiSpec(
        kind=scoring.MeasureKind(indicator.measure_kind),
        direction=scoring.Direction(indicator.direction),
        target=indicator.target_value,
        base=indicator.base_value,
    )


def result_measure(
    indicator: Indicator, result: IndicatorResult, *, reviewed: bool = False, kpi: str = ""
) -> scoring.KpiMeasure:
    """A result as the core reads it (`scoring.measure`): the one place a KPI's figure, percent
    and pass / fail come from, for the entry page, every report and the scorecard.

    A ratio's figure is A / B × 100 at full precision from its parts (for a KPI reported by
    units, the agency's row holds ΣA and ΣB); its stored value is a 4-decimal copy for lists
    and SQL. `reviewed`: the committee's value, level or yes / no, read the same way.
    """
    if reviewed:
        entry = scoring.KpiEntry(
            value=result.reviewed_value,
            level=result.reviewed_level_reached,
            met=result.reviewed_met,
        )
    else:
        parts: tuple[tuple[Decimal, Decimal], ...] = ()
        if (
            indicator.measure_kind == scoring.MeasureKind.RATIO
            and result.numerator is not None
            and result.denominator is not None
        ):
            parts = ((result.numerator, result.denominator),)
        entry = scoring.KpiEntry(
            value=None if parts else result.value,
            parts=parts,
            level=result.level_reached,
            met=result.met,
        )
    return scoring.measure(kpi_spec(indicator), entry, kpi=kpi or indicator.name)


def result_value(
    indicator: Indicator, result: IndicatorResult, *, reviewed: bool = False
) -> Decimal | None:
    """The figure a result is scored on (`result_measure`): a quantity as typed, a ratio's
    A / B × 100, a change's (result − base) / |base| × 100."""
    return result_measure(indicator, result, reviewed=reviewed).figure


def indicator_result_percent(indicator: Indicator, result: IndicatorResult) -> Decimal | None:
    """A result's percent by its method: computed by the core from the result, or as entered."""
    if result.percent_method != "computed":
        return result.percent
    return result_measure(indicator, result).percent


# What a result's refusals call its typed figures (an import finds their columns by these).
RESULT_VALUE_FIELD = "ผล (ค่า)"
NUMERATOR_FIELD = "ตัวตั้ง (A)"
DENOMINATOR_FIELD = "ตัวหาร (B)"


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
    expected_version: int | None = None,
) -> IndicatorResult:
    """Create or update a KPI's self-assessed result for a round (the whole agency's), all or nothing.

    A ratio KPI's value is A / B × 100 from its parts. The percent is computed against the
    target where the kind allows; a typed percent replaces it only with a reason. As with a work
    item's entry, the row is locked, the status is never written here, a form opened at an older
    version does not overwrite another person's change, and a closed round refuses the save.
    """
    for amount, field in (
        (value, RESULT_VALUE_FIELD),
        (numerator, NUMERATOR_FIELD),
        (denominator, DENOMINATOR_FIELD),
    ):
        if amount is not None:
            require_fits(amount, field=field, max_digits=18, places=4)
    if numerator is not None or denominator is not None:
        # A and B are a ratio's, read together (the core refuses either below zero).
        if indicator.measure_kind != scoring.MeasureKind.RATIO:
            raise DomainError("ratio_parts_not_read", kpi=indicator.name)
        if numerator is None or denominator is None:
            raise DomainError("ratio_parts_both", kpi=indicator.name)
    typed: dict[str, object] = {
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "level_reached": level_reached,
        "met": met,
        "narrative": narrative,
    }
    lookup = {"indicator": indicator, "round": round_, "unit__isnull": True}
    result = concurrency.locked(IndicatorResult, **lookup)
    if result is None:
        result = IndicatorResult(indicator=indicator, round=round_)
        require_round_open(result)
        _fill_result(result, indicator, typed, percent, percent_note)
        existing = concurrency.insert_first(result, **lookup)
        if existing is None:
            return result
        result = existing
        expected_version = 0 if expected_version is None else expected_version
    concurrency.check_version(result, expected_version, typed)
    if percent is None and concurrency.unchanged(result, typed):
        return result
    require_editable(result)
    require_round_open(result)
    _fill_result(result, indicator, typed, percent, percent_note)
    result.version += 1
    result.save(update_fields=[*typed, "percent", "percent_method", "version"])
    return result


@dataclass(frozen=True)
class ReviewDraft:
    """The committee's review of one KPI as typed on the review page."""

    kpi_id: int
    value: Decimal | None = None
    level: int | None = None
    met: bool | None = None
    score: Decimal | None = None
    reason: str = ""
    deduction: Decimal | None = None
    rule: str = ""
    note: str = ""
    version: int | None = None


@transaction.atomic
def agreement_review_save(
    *, agreement: Agreement, round_: Round, drafts: Sequence[ReviewDraft]
) -> int:
    """Save the committee's review of the agreement's KPIs for a round, all or nothing; returns
    how many KPIs changed.

    Per KPI: the reviewed value, level or yes / no (read as the KPI's kind reads a result), a
    score of the committee's own between levels with its reason, a deduction with its rule, and
    a note. The committee reviews after the round closes, so the round's calendar does not
    apply; a form opened at an older version of a KPI's result is refused as on every page.
    """
    kpis = {
        k.pk: k
        for k in AgreementKPI.objects.filter(group__agreement=agreement)
        .select_related("indicator", "group__agreement")
        .prefetch_related("levels")
    }
    changed = 0
    for draft in drafts:
        kpi = kpis.get(draft.kpi_id)
        if kpi is None:
            raise DomainError("kpi_not_in_agreement", agreement=agreement.title)
        typed: dict[str, object] = {
            "reviewed_value": draft.value,
            "reviewed_level_reached": draft.level,
            "reviewed_met": draft.met,
            "reviewed_score": draft.score,
            "reviewed_score_reason": normalize_paragraphs(draft.reason),
            "deduction": draft.deduction,
            "deduction_rule": normalize_paragraphs(draft.rule),
            "review_note": normalize_paragraphs(draft.note),
        }
        lookup = {"indicator": kpi.indicator, "round": round_, "unit__isnull": True}
        result = concurrency.locked(IndicatorResult, **lookup)
        new = result is None
        if result is None:
            if not any(v not in (None, "") for v in typed.values()):
                continue
            result = IndicatorResult(indicator=kpi.indicator, round=round_)
        else:
            concurrency.check_version(result, draft.version, typed)
            if concurrency.unchanged(result, typed):
                continue
        for name, value in typed.items():
            setattr(result, name, value)
        # The core reads the reviewed result and its score: a wrong kind, a score without its
        # reason or a deduction without its rule is refused here, naming the KPI.
        kpi_score(kpi, result, reviewed=True)
        result.full_clean(exclude=["indicator", "round", "unit"], validate_unique=False)
        if new:
            existing = concurrency.insert_first(result, **lookup)
            if existing is not None:
                raise concurrency_conflict(existing, typed, kpi.indicator.name)
        else:
            result.version += 1
            result.save(update_fields=[*typed, "version"])
        changed += 1
    return changed


def concurrency_conflict(
    existing: IndicatorResult, typed: dict[str, object], item: str
) -> DomainError:
    """Two first reviews at once: the second is refused as a stale form would be."""
    try:
        concurrency.check_version(existing, 0, typed)
    except concurrency.EntryConflict as conflict:
        return conflict
    return DomainError("entry_changed_meanwhile", item=item)


@dataclass(frozen=True)
class UnitPart:
    """One reporting unit's A and B of a ratio KPI."""

    unit: Organization
    numerator: Decimal
    denominator: Decimal


@transaction.atomic
def indicator_unit_results_save(
    *,
    indicator: Indicator,
    round_: Round,
    parts: Sequence[UnitPart],
    expected_version: int | None = None,
) -> IndicatorResult:
    """Save a ratio KPI's results per reporting unit; the agency's result becomes ΣA / ΣB.

    The agency's row holds ΣA and ΣB and goes through `indicator_result_save` (the round's
    calendar, the workflow and the version check are the same); the units' rows are then made
    to be exactly `parts`. Units are the KPI's organisation and the organisations under it.
    """
    if indicator.measure_kind != scoring.MeasureKind.RATIO:
        raise DomainError("unit_results_need_ratio", kpi=indicator.name)
    allowed = with_descendants({indicator.organization_id}, descendants_map())
    seen: set[int] = set()
    for part in parts:
        if part.unit.pk not in allowed:
            raise DomainError("unit_outside_organization", kpi=indicator.name, unit=part.unit.label)
        if part.unit.pk in seen:
            raise DomainError("unit_twice", kpi=indicator.name, unit=part.unit.label)
        seen.add(part.unit.pk)
        for amount, field in (
            (part.numerator, NUMERATOR_FIELD),
            (part.denominator, DENOMINATOR_FIELD),
        ):
            require_fits(amount, field=f"{field} ของ{part.unit.label}", max_digits=18, places=4)
        scoring.measure(
            kpi_spec(indicator),
            scoring.KpiEntry(parts=((part.numerator, part.denominator),)),
            kpi=f"{indicator.name} ({part.unit.label})",
        )
    current = IndicatorResult.objects.filter(
        indicator=indicator, round=round_, unit__isnull=True
    ).first()
    total = indicator_result_save(
        indicator=indicator,
        round_=round_,
        numerator=sum((p.numerator for p in parts), ZERO) if parts else None,
        denominator=sum((p.denominator for p in parts), ZERO) if parts else None,
        narrative=current.narrative if current else "",
        expected_version=expected_version,
    )
    IndicatorResult.objects.filter(indicator=indicator, round=round_, unit__isnull=False).exclude(
        unit__in=[p.unit for p in parts]
    ).delete()
    for part in parts:
        row = IndicatorResult.objects.filter(
            indicator=indicator, round=round_, unit=part.unit
        ).first() or IndicatorResult(indicator=indicator, round=round_, unit=part.unit)
        before = (row.numerator, row.denominator)
        row.numerator, row.denominator = part.numerator, part.denominator
        _store_measure(row, indicator)
        if row.pk is None or before != (part.numerator, part.denominator):
            row.save()
    return total


def unit_results(indicator: Indicator, round_: Round) -> list[IndicatorResult]:
    """A ratio KPI's results per unit in the round, in the organisation tree's order."""
    return list(
        IndicatorResult.objects.filter(indicator=indicator, round=round_, unit__isnull=False)
        .select_related("unit")
        .order_by("unit__code")
    )


def _fill_result(
    result: IndicatorResult,
    indicator: Indicator,
    typed: dict[str, object],
    percent: Decimal | None,
    percent_note: str,
) -> None:
    for name, value in typed.items():
        setattr(result, name, value)
    if percent is not None:
        if not has_text(percent_note):
            raise DomainError("percent_note_required", item=indicator.name)
        result.percent_method, result.percent = "entered", percent
    _store_measure(result, indicator, keep_entered=percent is not None)
    result.full_clean(exclude=["indicator", "round", "unit"], validate_unique=False)


def _store_measure(
    result: IndicatorResult, indicator: Indicator, *, keep_entered: bool = True
) -> None:
    """Store what the core reads from the result: a ratio's rate from its parts (a 4-decimal
    copy, cut down: 1 / 3 has no end) and the percent, unless the reporter typed one."""
    measured = result_measure(indicator, result)
    if measured.numerator is not None:
        result.value = stored_percent(measured.figure)
    if keep_entered and result.percent_method == "entered":
        return
    if measured.percent is None:
        result.percent_method, result.percent = "", None
    else:
        result.percent_method, result.percent = "computed", stored_percent(measured.percent)


def _kind_fits(kind: scoring.MeasureKind, result: IndicatorResult) -> bool:
    try:
        scoring.check_value_kind(
            kind,
            kpi="",
            value=result.value if result.numerator is None else None,
            level=result.level_reached,
            met=result.met,
        )
        scoring.check_value_kind(
            kind,
            kpi="",
            value=result.reviewed_value,
            level=result.reviewed_level_reached,
            met=result.reviewed_met,
        )
    except DomainError:
        return False
    return kind == scoring.MeasureKind.RATIO or result.numerator is None


def indicator_results_refresh(indicator: Indicator) -> int:
    """Read every result of the indicator again after its kind, direction, target or base
    changed; returns how many changed. A result entered in another kind's form (a number
    where the KPI now takes a level) refuses the change, naming how many rounds hold one."""
    kind = scoring.MeasureKind(indicator.measure_kind)
    results = list(IndicatorResult.objects.select_for_update().filter(indicator=indicator))
    misfits = [r for r in results if not _kind_fits(kind, r)]
    if misfits:
        raise DomainError(
            "kind_change_conflicts_results", kpi=indicator.name, kind=kind, count=len(misfits)
        )
    changed = 0
    for result in results:
        before = (result.value, result.percent, result.percent_method)
        _store_measure(result, indicator)
        if (result.value, result.percent, result.percent_method) != before:
            result.save(update_fields=["value", "percent", "percent_method"])
            changed += 1
    return changed


# --- The agreement editor: header, weights, groups, KPIs, levels, owners and policy links -----


@dataclass(frozen=True)
class KpiDraft:
    """A KPI's weight as typed in the editor, or its removal."""

    kpi_id: int
    weight: Decimal
    delete: bool = False


@dataclass(frozen=True)
class GroupDraft:
    """A KPI group as typed in the editor: name, share, its KPIs, or its removal."""

    group_id: int
    name: str
    weight: Decimal
    kpis: tuple[KpiDraft, ...] = ()
    delete: bool = False


@dataclass(frozen=True)
class GroupWeights:
    name: str
    weight: Decimal
    kpi_sum: Decimal
    kpi_count: int

    @property
    def adds_up(self) -> bool:
        return self.kpi_sum == self.weight


@dataclass(frozen=True)
class WeightPreview:
    """The sums a planner sees while typing weights, and every problem in Thai."""

    groups: tuple[GroupWeights, ...]
    total: Decimal
    problems: tuple[str, ...]

    @property
    def adds_up(self) -> bool:
        return not self.problems


def _draft_specs(groups: Sequence[GroupDraft]) -> list[scoring.GroupSpec]:
    return [
        scoring.GroupSpec(
            name=group.name,
            weight=group.weight,
            kpi_weights=tuple(kpi.weight for kpi in group.kpis if not kpi.delete),
        )
        for group in groups
        if not group.delete
    ]


def agreement_weights_preview(*, groups: Sequence[GroupDraft]) -> WeightPreview:
    """Sums per group and in total of the weights as typed, with the core's weight problems."""
    specs = _draft_specs(groups)
    return WeightPreview(
        groups=tuple(
            GroupWeights(
                name=spec.name,
                weight=spec.weight,
                kpi_sum=sum(spec.kpi_weights, ZERO),
                kpi_count=len(spec.kpi_weights),
            )
            for spec in specs
        ),
        total=sum((spec.weight for spec in specs), ZERO),
        problems=tuple(message_for(error) for error in scoring.weight_errors(specs)),
    )


def _kpi_remove(kpi: AgreementKPI) -> None:
    """Take a KPI out of its agreement; its indicator goes too unless results were reported on it
    (nothing a report has used is deleted: the indicator stays, with its results)."""
    indicator = kpi.indicator
    kpi.delete()
    if not indicator.results.exists():
        indicator.delete()


def weights_version(agreement: Agreement) -> str:
    """The agreement's groups and KPI weights as last saved: the latest history record of its
    groups and of their KPIs (removed ones included). The weights form carries it."""
    groups = KPIGroup.history.filter(agreement_id=agreement.pk)
    kpis = AgreementKPI.history.filter(group_id__in=groups.values("id"))
    return f"{concurrency.set_version(groups)}-{concurrency.set_version(kpis)}"


def _weights_changed_by(agreement: Agreement) -> DomainError:
    groups = KPIGroup.history.filter(agreement_id=agreement.pk)
    records = [
        groups.order_by("-history_date").first(),
        AgreementKPI.history.filter(group_id__in=groups.values("id"))
        .order_by("-history_date")
        .first(),
    ]
    latest = max((r for r in records if r is not None), key=lambda r: r.history_date)
    return DomainError(
        "weights_changed",
        by=concurrency.person_label(latest.history_user),
        at=concurrency.when_label(latest.history_date),
    )


@transaction.atomic
def agreement_weights_save(
    *, agreement: Agreement, groups: Sequence[GroupDraft], expected_version: str | None = None
) -> None:
    """Save group names and weights, KPI weights and removals together, or nothing.

    The weights are checked as typed before anything is written, and again from the database
    afterwards, so that a group added meanwhile cannot slip through unchecked. With the
    `expected_version` the form was opened at (`weights_version`), a save over another
    person's newer change is refused (the agreement's row is locked while it is compared).
    """
    list(Agreement.objects.select_for_update().filter(pk=agreement.pk).values_list("pk"))
    if expected_version and expected_version != weights_version(agreement):
        raise _weights_changed_by(agreement)
    scoring.check_weights(_draft_specs(groups))
    existing = {group.pk: group for group in agreement.groups.prefetch_related("kpis__indicator")}
    for draft in groups:
        group = existing.get(draft.group_id)
        if group is None:
            continue
        kpis = {kpi.pk: kpi for kpi in group.kpis.all()}
        if draft.delete:
            for removed in kpis.values():
                _kpi_remove(removed)
            group.delete()
            continue
        if (group.name, group.weight) != (draft.name, draft.weight):
            group.name, group.weight = draft.name, draft.weight
            group.save(update_fields=["name", "weight"])
        for kpi_draft in draft.kpis:
            kpi = kpis.get(kpi_draft.kpi_id)
            if kpi is None:
                continue
            if kpi_draft.delete:
                _kpi_remove(kpi)
            elif kpi.weight != kpi_draft.weight:
                kpi.weight = kpi_draft.weight
                kpi.save(update_fields=["weight"])
    agreement_check_weights(agreement)


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    title: str,
    subtitle: str,
    receiver: Person,
    receiver_position: str,
    maker: Person,
    maker_position: str,
    period_start: date,
    period_end: date,
    signed_on: date | None,
    scheme: str,
    interpolation: str,
    below_lowest_points: Decimal,
    weighting: str = scoring.Weighting.OF_MAX,
    score_places: int = 4,
    version: int | None = None,
) -> Agreement:
    """Change the agreement's cover: parties, period, signing date and scoring settings.
    Refused with what changed when someone saved the cover after the form was opened at
    `version` (a history record id)."""
    if period_end <= period_start:
        raise DomainError("period_reversed", start=period_start, end=period_end)
    concurrency.check_history_version(
        Agreement.objects.select_for_update().get(pk=agreement.pk),
        version,
        {
            "title": normalize_text(title),
            "subtitle": normalize_text(subtitle),
            "receiver": receiver,
            "receiver_position": normalize_text(receiver_position),
            "maker": maker,
            "maker_position": normalize_text(maker_position),
            "period_start": period_start,
            "period_end": period_end,
            "signed_on": signed_on,
            "scheme": scheme,
            "interpolation": interpolation,
            "below_lowest_points": below_lowest_points,
            "weighting": weighting,
            "score_places": score_places,
        },
        item=agreement.title,
    )
    agreement.title, agreement.subtitle = normalize_text(title), normalize_text(subtitle)
    agreement.receiver, agreement.receiver_position = receiver, normalize_text(receiver_position)
    agreement.maker, agreement.maker_position = maker, normalize_text(maker_position)
    agreement.period_start, agreement.period_end = period_start, period_end
    agreement.signed_on = signed_on
    agreement.scheme, agreement.interpolation = scheme, interpolation
    agreement.below_lowest_points = below_lowest_points
    agreement.weighting, agreement.score_places = weighting, score_places
    agreement.save()
    return agreement


@transaction.atomic
def agreement_create(
    *,
    organization: Organization,
    year: int,
    title: str,
    maker: Person,
    maker_position: str,
    receiver: Person,
    receiver_position: str,
    scheme: str,
) -> Agreement:
    """A new agreement from scratch for the organisation's fiscal year (made with its rounds
    when new): the whole year as its period, no groups or KPIs yet (the editor adds them).
    Refused when the organisation has one for that year; two planners starting it at once make
    one (the organisation's row is locked while it is checked)."""
    fiscal.check_be_year(year, field="ปีงบประมาณ")
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    if Agreement.objects.filter(organization=organization, fiscal_year__year=year).exists():
        raise DomainError("agreement_exists", org=organization.label, year=year)
    fiscal_year, _ = fiscal_year_with_rounds(year)
    return Agreement.objects.create(
        organization=organization,
        fiscal_year=fiscal_year,
        title=normalize_text(title)
        or f"คำรับรองการปฏิบัติราชการ {organization.name} ประจำปีงบประมาณ พ.ศ. {year}",
        maker=maker,
        maker_position=normalize_text(maker_position),
        receiver=receiver,
        receiver_position=normalize_text(receiver_position),
        period_start=fiscal.fiscal_year_start(year),
        period_end=fiscal.fiscal_year_end(year),
        scheme=scheme,
    )


@transaction.atomic
def agreement_group_add(*, agreement: Agreement, name: str) -> KPIGroup:
    """A new, empty KPI group. It starts at weight 0 so that the agreement still adds up; the
    planner gives it its share while moving weight from the other groups, in one save."""
    groups = list(agreement.groups.all())
    codes = {group.code for group in groups}
    number = len(groups) + 1
    while f"group-{number}" in codes:
        number += 1
    return KPIGroup.objects.create(
        agreement=agreement,
        code=f"group-{number}",
        name=normalize_text(name),
        weight=ZERO,
        order=max((group.order for group in groups), default=-1) + 1,
    )


def _default_levels(agreement: Agreement) -> list[tuple[int, str, Decimal]]:
    """New KPIs score like the agreement's others; the scheme's points when it has none yet."""
    first = (
        ScoringLevel.objects.filter(kpi__group__agreement=agreement)
        .order_by("kpi__group__order", "kpi__number", "rank")
        .values_list("kpi_id", flat=True)
        .first()
    )
    if first is not None:
        return [
            (level.rank, level.name, level.points)
            for level in ScoringLevel.objects.filter(kpi_id=first).order_by("rank")
        ]
    if agreement.scheme == Agreement.Scheme.FIVE_LEVEL:
        return [(rank, "", Decimal(rank)) for rank in range(1, 6)]
    return [
        (1, "ขั้นต้น", Decimal(50)),
        (2, "มาตรฐาน", Decimal(75)),
        (3, "ขั้นสูง", Decimal(100)),
    ]


@transaction.atomic
def agreement_kpi_add(
    *,
    group: KPIGroup,
    name: str,
    measure_kind: str,
    direction: str,
    unit: str,
    target_value: Decimal | None,
    target_text: str,
    base_year: int | None = None,
    base_value: Decimal | None = None,
) -> AgreementKPI:
    """A new KPI in a group, with its indicator and the agreement's levels (thresholds to set).

    It takes the next number in the agreement and weight 0, so the agreement still adds up
    until the planner moves weight to it in the editor.
    """
    agreement = group.agreement
    numbers = AgreementKPI.objects.filter(group__agreement=agreement).values_list(
        "number", flat=True
    )
    number = max(numbers, default=0) + 1
    indicator = Indicator(
        organization=agreement.organization,
        fiscal_year=agreement.fiscal_year,
        number=number,
        name=normalize_text(name),
        measure_kind=measure_kind,
        direction=direction,
        unit=normalize_text(unit),
        target_value=target_value,
        target_text=normalize_text(target_text),
        base_year=base_year,
        base_value=base_value,
    )
    scoring.check_kpi_spec(kpi_spec(indicator), kpi=indicator.name)
    indicator.save()
    kpi = AgreementKPI.objects.create(group=group, indicator=indicator, number=number, weight=ZERO)
    for rank, level_name, points in _default_levels(agreement):
        ScoringLevel.objects.create(kpi=kpi, rank=rank, name=level_name, points=points)
    return kpi


@transaction.atomic
def agreement_kpi_update(
    *,
    kpi: AgreementKPI,
    number: int,
    name: str,
    measure_kind: str,
    direction: str,
    unit: str,
    target_value: Decimal | None,
    target_text: str,
    previous_result: str,
    linkage_text: str,
    description: str,
    definitions: str,
    data_sources: str,
    conditions: str,
    steps: str,
    benefit: str,
    base_year: int | None = None,
    base_value: Decimal | None = None,
    version: int | None = None,
    kpi_version: int | None = None,
) -> AgreementKPI:
    """Change a KPI's number and its indicator's sheet; its levels must still fit the direction.
    Refused with what changed when someone saved the indicator (`version`) or its place in the
    agreement (`kpi_version`) after the form was opened."""
    concurrency.check_history_version(
        AgreementKPI.objects.select_for_update().get(pk=kpi.pk),
        kpi_version,
        {"number": number, "linkage_text": normalize_paragraphs(linkage_text)},
        item=kpi.indicator.name,
    )
    concurrency.check_history_version(
        Indicator.objects.select_for_update().get(pk=kpi.indicator_id),
        version,
        {
            "name": normalize_text(name),
            "measure_kind": measure_kind,
            "direction": direction,
            "unit": normalize_text(unit),
            "target_value": target_value,
            "target_text": normalize_text(target_text),
            "base_year": base_year,
            "base_value": base_value,
            "previous_result": normalize_text(previous_result),
            "description": normalize_paragraphs(description),
            "definitions": normalize_paragraphs(definitions),
            "data_sources": normalize_paragraphs(data_sources),
            "conditions": normalize_paragraphs(conditions),
            "steps": normalize_paragraphs(steps),
            "benefit": normalize_paragraphs(benefit),
        },
        item=kpi.indicator.name,
    )
    agreement = kpi.group.agreement
    other = (
        AgreementKPI.objects.filter(group__agreement=agreement, number=number)
        .exclude(pk=kpi.pk)
        .select_related("indicator")
        .first()
    )
    if other is not None:
        raise DomainError("kpi_number_taken", number=number, other=other.indicator.name)
    kpi.number, kpi.linkage_text = number, normalize_paragraphs(linkage_text)
    kpi.save(update_fields=["number", "linkage_text"])
    indicator = kpi.indicator
    measured_by = kpi_spec(indicator)
    indicator.number = number
    indicator.name = normalize_text(name)
    indicator.measure_kind, indicator.direction = measure_kind, direction
    indicator.unit = normalize_text(unit)
    indicator.target_value, indicator.target_text = target_value, normalize_text(target_text)
    indicator.base_year, indicator.base_value = base_year, base_value
    scoring.check_kpi_spec(kpi_spec(indicator), kpi=indicator.name)
    indicator.previous_result = normalize_text(previous_result)
    indicator.description = normalize_paragraphs(description)
    indicator.definitions = normalize_paragraphs(definitions)
    indicator.data_sources = normalize_paragraphs(data_sources)
    indicator.conditions = normalize_paragraphs(conditions)
    indicator.steps = normalize_paragraphs(steps)
    indicator.benefit = normalize_paragraphs(benefit)
    indicator.save()
    if kpi_spec(indicator) != measured_by:
        # Its results are read again by the new kind, direction, target or base.
        indicator_results_refresh(indicator)
    if kpi.levels.exists():
        kpi_scheme(
            AgreementKPI.objects.select_related("group__agreement", "indicator").get(pk=kpi.pk)
        )
    return kpi


@dataclass(frozen=True)
class LevelDraft:
    """A scoring level as typed: None for a new one. Its rank is its place in the list."""

    level_id: int | None
    name: str
    points: Decimal
    threshold: Decimal | None
    description: str = ""


NUMERIC_KINDS = (
    scoring.MeasureKind.QUANTITY,
    scoring.MeasureKind.RATIO,
    scoring.MeasureKind.CHANGE,
)


def levels_version(kpi: AgreementKPI) -> int:
    """The KPI's levels as last saved (`concurrency.set_version`): the levels form carries it."""
    return concurrency.set_version(ScoringLevel.history.filter(kpi_id=kpi.pk))


def owners_version(indicator: Indicator) -> int:
    """The KPI's responsible officials as last saved: the owners form carries it."""
    return concurrency.set_version(IndicatorOwner.history.filter(indicator_id=indicator.pk))


@transaction.atomic
def kpi_levels_save(
    *, kpi: AgreementKPI, levels: Sequence[LevelDraft], expected_version: int | None = None
) -> list[ScoringLevel]:
    """Replace a KPI's levels with those typed, ranked 1, 2, 3… in order, or change nothing.

    The saved levels are read back through kpi_scheme, the one check scoring itself uses;
    a numeric KPI also needs a threshold on every level, or it could not be scored. With the
    `expected_version` the form was opened at (`levels_version`), a save over another person's
    newer levels is refused (the KPI's row is locked while it is compared).
    """
    list(AgreementKPI.objects.select_for_update().filter(pk=kpi.pk).values_list("pk"))
    concurrency.check_set_version(
        ScoringLevel.history.filter(kpi_id=kpi.pk), expected_version, code="levels_changed"
    )
    existing = {level.pk: level for level in kpi.levels.all()}
    kept = {draft.level_id for draft in levels if draft.level_id in existing}
    for level_id, level in existing.items():
        if level_id not in kept:
            level.delete()
    moving = [
        draft.level_id
        for rank, draft in enumerate(levels, start=1)
        if draft.level_id in existing and existing[draft.level_id].rank != rank
    ]
    # Levels changing rank step aside first, so that no save lands on a rank another level
    # still holds (one rank per KPI); each then gets its final rank through save(), with history.
    ScoringLevel.objects.filter(pk__in=moving).update(rank=F("rank") + 1000)
    saved: list[ScoringLevel] = []
    for rank, draft in enumerate(levels, start=1):
        old = existing.get(draft.level_id) if draft.level_id is not None else None
        level = old or ScoringLevel(kpi=kpi)
        values = (rank, normalize_text(draft.name), draft.points, draft.threshold)
        description = normalize_paragraphs(draft.description)
        if (
            old is None
            or values != (old.rank, old.name, old.points, old.threshold)
            or (description != old.description)
        ):
            level.rank, level.name, level.points, level.threshold = values
            level.description = description
            level.save()
        saved.append(level)
    fresh = AgreementKPI.objects.select_related("group__agreement", "indicator").get(pk=kpi.pk)
    kpi_scheme(fresh)
    if scoring.MeasureKind(fresh.indicator.measure_kind) in NUMERIC_KINDS:
        for level in saved:
            if level.threshold is None:
                raise DomainError(
                    "level_threshold_missing", kpi=f"ตัวชี้วัดที่ {fresh.number}", level=level.rank
                )
    return saved


@transaction.atomic
def indicator_owners_set(
    *, indicator: Indicator, people: Sequence[Person], expected_version: int | None = None
) -> list[IndicatorOwner]:
    """The indicator's responsible officials, in this order; others are removed. With the
    `expected_version` the form was opened at (`owners_version`), a save over another person's
    newer list is refused (the indicator's row is locked while it is compared)."""
    list(Indicator.objects.select_for_update().filter(pk=indicator.pk).values_list("pk"))
    concurrency.check_set_version(
        IndicatorOwner.history.filter(indicator_id=indicator.pk),
        expected_version,
        code="owners_changed",
    )
    units = set(with_descendants({indicator.organization_id}, descendants_map()))
    seen: set[int] = set()
    for person in people:
        if person.pk in seen:
            raise DomainError("owner_duplicate", person=person.full_name, kpi=indicator.name)
        if person.organization_id not in units:
            raise DomainError(
                "owner_not_in_organization",
                person=person.full_name,
                org=indicator.organization.label,
            )
        seen.add(person.pk)
    existing = {owner.person_id: owner for owner in indicator.owners.all()}
    for person_id, gone in existing.items():
        if person_id not in seen:
            gone.delete()
    owners: list[IndicatorOwner] = []
    for order, person in enumerate(people):
        owner = existing.get(person.pk)
        if owner is None:
            owner = IndicatorOwner.objects.create(indicator=indicator, person=person, order=order)
        elif owner.order != order:
            owner.order = order
            owner.save(update_fields=["order"])
        owners.append(owner)
    return owners


# --- strategic-plan projects: a project and its KPI are one row -----------------------------


def strategic_projects_of(
    organization: Organization, fiscal_year: FiscalYear
) -> QuerySet[Indicator]:
    """The organisation's strategic-plan projects of the year, in the strategic table's order."""
    return (
        Indicator.objects.filter(organization=organization, fiscal_year=fiscal_year)
        .exclude(project_name="")
        .select_related("strategy")
        .order_by(F("strategy__order").asc(nulls_last=True), "number", "pk")
    )


@transaction.atomic
def strategic_project_save(
    *,
    organization: Organization,
    fiscal_year: FiscalYear,
    project: Indicator | None,
    project_name: str,
    strategy: PolicyNode | None,
    units: Sequence[Organization],
    name: str,
    measure_kind: str,
    direction: str,
    unit: str,
    target_value: Decimal | None,
    target_text: str,
    base_year: int | None = None,
    base_value: Decimal | None = None,
    version: int | None = None,
    units_version: int | None = None,
) -> Indicator:
    """Add a project of the agency's strategic plan (`project` None: at the end of the
    projects' numbers) or change one: the project's name, strategy and responsible units with
    its KPI, one row. The units' reporters report the KPI; a changed kind, direction, target or
    base reads its results again. Refused with what changed when someone saved the project
    after the form was opened (`version`), or changed its units (`units_version`,
    `units_version_of`) to other than these."""
    project_name = normalize_text(project_name)
    if not project_name:
        raise DomainError("strategic_project_name_required")
    if strategy is None:
        raise DomainError("strategic_project_strategy_required", project=project_name)
    allowed = with_descendants({organization.pk}, descendants_map())
    outside = [u.label for u in units if u.pk not in allowed]
    if outside:
        raise DomainError(
            "strategic_project_unit_outside", units=", ".join(outside), org=organization.label
        )
    fields = {
        "project_name": project_name,
        "strategy": strategy,
        "name": normalize_text(name),
        "measure_kind": measure_kind,
        "direction": direction,
        "unit": normalize_text(unit),
        "target_value": target_value,
        "target_text": normalize_text(target_text),
        "base_year": base_year,
        "base_value": base_value,
    }
    if project is None:
        # The organisation's row is held while the next number is taken: two planners adding
        # at once get two numbers.
        Organization.objects.select_for_update().get(pk=organization.pk)
        numbers = strategic_projects_of(organization, fiscal_year).values_list("number", flat=True)
        indicator = Indicator(
            organization=organization,
            fiscal_year=fiscal_year,
            number=max(numbers, default=0) + 1,
            **fields,
        )
        scoring.check_kpi_spec(kpi_spec(indicator), kpi=indicator.name)
        indicator.save()
        measured_by = kpi_spec(indicator)
    else:
        indicator = Indicator.objects.select_for_update().get(pk=project.pk)
        concurrency.check_history_version(
            indicator,
            version,
            {**{k: v for k, v in fields.items() if k != "strategy"}, "strategy_id": strategy.pk},
            item=indicator.project_name or indicator.name,
        )
        current_units = list(
            indicator.responsibilities.order_by("order").values_list("organization_id", flat=True)
        )
        if sorted(current_units) != sorted(u.pk for u in units):
            concurrency.check_set_version(
                IndicatorResponsibility.history.filter(indicator_id=indicator.pk),
                units_version,
                code="strategic_project_units_changed",
            )
        measured_by = kpi_spec(indicator)
        for field, value in fields.items():
            setattr(indicator, field, value)
        scoring.check_kpi_spec(kpi_spec(indicator), kpi=indicator.name)
        indicator.save()
    _units_set(indicator, units)
    if project is not None and kpi_spec(indicator) != measured_by:
        # Its results are read again by the new kind, direction, target or base.
        indicator_results_refresh(indicator)
    return indicator


def units_version_of(project: Indicator) -> int:
    """The project's units as last saved: the project's form carries it."""
    return concurrency.set_version(IndicatorResponsibility.history.filter(indicator_id=project.pk))


def _units_set(indicator: Indicator, units: Sequence[Organization]) -> None:
    """The project's units: those kept keep their place, new ones follow in the given order."""
    current = list(indicator.responsibilities.order_by("order", "pk"))
    wanted = {u.pk for u in units}
    for gone in (r for r in current if r.organization_id not in wanted):
        gone.delete()
    kept = [r.organization_id for r in current if r.organization_id in wanted]
    order = kept + [u.pk for u in units if u.pk not in kept]
    for position, organization_id in enumerate(order):
        row = next((r for r in current if r.organization_id == organization_id), None)
        if row is None:
            IndicatorResponsibility.objects.create(
                indicator=indicator, organization_id=organization_id, order=position
            )
        elif row.order != position:
            row.order = position
            row.save(update_fields=["order"])


def strategic_project_remove(*, project: Indicator) -> None:
    """Remove a strategic-plan project that has no result yet and is in no agreement."""
    indicator = Indicator.objects.select_for_update().get(pk=project.pk)
    if indicator.results.exists() or AgreementKPI.objects.filter(indicator=indicator).exists():
        raise DomainError("strategic_project_has_results", project=indicator.project_name)
    indicator.delete()


@transaction.atomic
def indicator_policy_set(
    *, indicator: Indicator, nodes: Sequence[PolicyNode], strategy: PolicyNode | None
) -> Indicator:
    """Link the indicator to the policy nodes it serves, and to the agency strategy it follows."""
    indicator.policy_nodes.set(nodes)
    if indicator.strategy_id != (strategy.pk if strategy else None):
        indicator.strategy = strategy
        indicator.save(update_fields=["strategy"])
    return indicator


# --- Copying a year's KPIs into the next ------------------------------------------------------


@dataclass(frozen=True)
class YearCopy:
    """What indicators_copy_year made: the new agreement (if the old year had one) and indicators."""

    agreement: Agreement | None
    indicators: tuple[Indicator, ...]


def _last_result(indicator: Indicator) -> IndicatorResult | None:
    """The year's result to carry forward: the approved one of the latest round (round 12 where
    it exists), else the latest one entered. The agency's whole result, not a unit's share."""
    results = sorted(
        (result for result in indicator.results.all() if result.unit_id is None),
        key=lambda result: (result.status == EntryStatus.APPROVED, result.round.months),
    )
    return results[-1] if results else None


def _plain_number(value: Decimal) -> str:
    """8.0000 → "8", 62.5000 → "62.5", 1345 → "1,345": as people write a result."""
    exponent = value.normalize().as_tuple().exponent
    places = max(-exponent, 0) if isinstance(exponent, int) else 0
    return format_number(value, min(places, 4))


def _result_text(indicator: Indicator, result: IndicatorResult) -> tuple[Decimal | None, str]:
    """A result as a value and as text, the committee's where it reviewed the result."""
    value = result.reviewed_value if result.reviewed_value is not None else result.value
    level = (
        result.reviewed_level_reached
        if result.reviewed_level_reached is not None
        else result.level_reached
    )
    met = result.reviewed_met if result.reviewed_met is not None else result.met
    kind = scoring.MeasureKind(indicator.measure_kind)
    if kind == scoring.MeasureKind.MILESTONE and level is not None:
        return Decimal(level), f"ระดับ {level}"
    if kind == scoring.MeasureKind.YES_NO and met is not None:
        return None, met_label(met)
    if value is not None:
        return value, _plain_number(value)
    return None, normalize_text(result.narrative)[:255]


_BASELINE_ROW = "ผลการดำเนินงาน"


def _copied_series(
    source: Indicator, from_year: int, to_year: int
) -> tuple[list[IndicatorSeriesValue], str]:
    """The new year's baseline keeps as many past years as the old one, ending with the year just
    finished, whose cell (first row) comes from that year's result; the roadmap keeps the years
    still to come. The result also becomes the indicator's "previous year's result" (returned
    with the cells, which are not saved yet and have no indicator)."""
    copied: list[IndicatorSeriesValue] = []
    cells = list(source.series.all())
    baseline = [cell for cell in cells if cell.series == IndicatorSeriesValue.Series.BASELINE]
    first_row = min(baseline, key=lambda cell: cell.row_order, default=None)
    row_label = first_row.row_label if first_row else _BASELINE_ROW
    row_order = first_row.row_order if first_row else 0
    first_year = to_year - (len({cell.fiscal_year for cell in baseline}) or 1)
    last_cell: IndicatorSeriesValue | None = None
    for cell in cells:
        if cell.series == IndicatorSeriesValue.Series.BASELINE:
            if (cell.row_label, cell.fiscal_year) == (row_label, from_year):
                last_cell = cell
                continue
            keep = first_year <= cell.fiscal_year < to_year
        else:
            keep = cell.fiscal_year >= to_year
        if keep:
            copied.append(
                IndicatorSeriesValue(
                    series=cell.series,
                    row_label=cell.row_label,
                    row_order=cell.row_order,
                    fiscal_year=cell.fiscal_year,
                    value=cell.value,
                    text=cell.text,
                )
            )
    result = _last_result(source)
    if result is not None:
        value, text = _result_text(source, result)
    elif last_cell is not None:
        value, text = last_cell.value, last_cell.text
    else:
        value, text = None, ""
    if result is not None or baseline:
        copied.append(
            IndicatorSeriesValue(
                series=IndicatorSeriesValue.Series.BASELINE,
                row_label=row_label,
                row_order=row_order,
                fiscal_year=from_year,
                value=value,
                text=text or "-",
            )
        )
    previous = ""
    if result is not None and text:
        numeric = value is not None and source.measure_kind != Indicator.MeasureKind.MILESTONE
        unit = f" {source.unit}" if numeric and source.unit else ""
        previous = f"{text}{unit}"[:255]
    return copied, previous


def _shift_years(text: str, from_year: int, to_year: int) -> str:
    """Move the year numbers of the old period (e.g. 2563 and 2564) to the new one."""
    delta = to_year - from_year
    years = {str(from_year - 1), str(from_year)}
    return re.sub(
        r"(?<!\d)(\d{4})(?!\d)",
        lambda match: str(int(match[1]) + delta) if match[1] in years else match[1],
        text,
    )


def _copied_indicator(
    source: Indicator, fiscal_year: FiscalYear, from_year: int
) -> tuple[Indicator, list[IndicatorSeriesValue]]:
    """The new year's indicator (not saved yet) and its series cells."""
    roadmap_target = next(
        (
            cell
            for cell in sorted(source.series.all(), key=lambda cell: cell.row_order)
            if cell.series == IndicatorSeriesValue.Series.ROADMAP
            and cell.fiscal_year == fiscal_year.year
        ),
        None,
    )
    cells, previous = _copied_series(source, from_year, fiscal_year.year)
    # A change KPI is measured next year from this year's result: it becomes the base.
    base_year, base_value = source.base_year, source.base_value
    if source.measure_kind == scoring.MeasureKind.CHANGE:
        last = _last_result(source)
        if last is not None and last.value is not None:
            base_year, base_value = from_year, last.value
    target = Indicator(
        organization_id=source.organization_id,
        fiscal_year=fiscal_year,
        key=source.key,  # the same KPI, a year on
        number=source.number,
        name=source.name,
        measure_kind=source.measure_kind,
        direction=source.direction,
        unit=source.unit,
        target_value=roadmap_target.value if roadmap_target else source.target_value,
        target_text=roadmap_target.text if roadmap_target else source.target_text,
        base_year=base_year,
        base_value=base_value,
        strategy_id=source.strategy_id,
        project_name=source.project_name,
        description=source.description,
        definitions=source.definitions,
        data_sources=source.data_sources,
        conditions=source.conditions,
        steps=source.steps,
        benefit=source.benefit,
        other_sections=source.other_sections,
        previous_result=previous,
    )
    return target, cells


@transaction.atomic
def indicators_copy_year(*, organization: Organization, from_year: int, to_year: int) -> YearCopy:
    """Start a new fiscal year from the last: the organisation's indicators (and its agreement,
    groups, KPIs and levels, when the old year has one), with last year's results as baselines.

    The strategic-plan projects come too, each with its units (a project is its KPI). The KPIs
    of a plan's work item stay with the plan; a year that already has an agreement or
    indicators is refused rather than filled twice.
    """
    fiscal.check_be_year(from_year, field="ปีงบประมาณต้นทาง")
    fiscal.check_be_year(to_year, field="ปีงบประมาณปลายทาง")
    if to_year <= from_year:
        raise DomainError("copy_year_not_later", from_year=from_year, to_year=to_year)
    org = organization.label
    if Agreement.objects.filter(organization=organization, fiscal_year__year=to_year).exists():
        raise DomainError("agreement_exists", org=org, year=to_year)
    own = Indicator.objects.filter(organization=organization).filter(
        Q(work_item__isnull=True) | Q(agreement_kpi__isnull=False)
    )
    count = own.filter(fiscal_year__year=to_year).count()
    if count:
        raise DomainError("indicators_exist", org=org, year=to_year, count=count)
    sources = list(
        own.filter(fiscal_year__year=from_year).prefetch_related(
            "series", "owners__person", "policy_nodes", "results__round", "responsibilities"
        )
    )
    if not sources:
        raise DomainError("indicators_missing", org=org, year=from_year)
    # The new year comes with its rounds (the rounds page then adds the organisation's dates).
    fiscal_year, _ = fiscal_year_with_rounds(to_year)
    # In bulk, each row with its "created" history: a constant number of queries however many
    # KPIs, groups and levels the year has.
    made = [_copied_indicator(source, fiscal_year, from_year) for source in sources]
    targets = [target for target, _ in made]
    bulk.create_links_with_history(
        Indicator,
        "policy_nodes",
        targets,
        (
            (target.pk, node.pk)
            for source, target in zip(sources, targets, strict=True)
            for node in source.policy_nodes.all()
        ),
    )
    copies = {source.pk: target for source, target in zip(sources, targets, strict=True)}
    bulk.create_with_history(
        IndicatorOwner,
        [
            IndicatorOwner(indicator=target, person=owner.person, order=owner.order)
            for source, target in zip(sources, targets, strict=True)
            for owner in source.owners.all()
        ],
    )
    bulk.create_with_history(
        IndicatorResponsibility,
        [
            IndicatorResponsibility(
                indicator=target, organization_id=unit.organization_id, order=unit.order
            )
            for source, target in zip(sources, targets, strict=True)
            for unit in source.responsibilities.all()
        ],
    )
    for target, cells in made:
        for cell in cells:
            cell.indicator = target
    bulk.create_with_history(IndicatorSeriesValue, [cell for _, cells in made for cell in cells])
    old = (
        Agreement.objects.filter(organization=organization, fiscal_year__year=from_year)
        .prefetch_related("clauses", "groups__kpis__levels")
        .first()
    )
    agreement = None
    if old is not None:
        agreement = Agreement.objects.create(
            organization=organization,
            fiscal_year=fiscal_year,
            title=_shift_years(old.title, from_year, to_year),
            subtitle=_shift_years(old.subtitle, from_year, to_year),
            receiver=old.receiver,
            receiver_position=old.receiver_position,
            maker=old.maker,
            maker_position=old.maker_position,
            period_start=fiscal.fiscal_year_start(to_year),
            period_end=fiscal.fiscal_year_end(to_year),
            signed_on=None,
            scheme=old.scheme,
            interpolation=old.interpolation,
            below_lowest_points=old.below_lowest_points,
            linkage_table=old.linkage_table,
        )
        bulk.create_with_history(
            AgreementClause,
            [
                AgreementClause(
                    agreement=agreement,
                    number=clause.number,
                    text=_shift_years(clause.text, from_year, to_year),
                )
                for clause in old.clauses.all()
            ],
        )
        groups = list(old.groups.all())
        new_groups = bulk.create_with_history(
            KPIGroup,
            [
                KPIGroup(
                    agreement=agreement,
                    code=group.code,
                    name=group.name,
                    weight=group.weight,
                    order=group.order,
                )
                for group in groups
            ],
        )
        kpis = [
            (kpi, new_group)
            for group, new_group in zip(groups, new_groups, strict=True)
            for kpi in group.kpis.all()
        ]
        new_kpis = bulk.create_with_history(
            AgreementKPI,
            [
                AgreementKPI(
                    group=new_group,
                    indicator=copies[kpi.indicator_id],
                    number=kpi.number,
                    weight=kpi.weight,
                    linkage_text=kpi.linkage_text,
                )
                for kpi, new_group in kpis
            ],
        )
        bulk.create_with_history(
            ScoringLevel,
            [
                ScoringLevel(
                    kpi=new_kpi,
                    rank=level.rank,
                    name=level.name,
                    points=level.points,
                    description=level.description,
                    threshold=level.threshold,
                )
                for (kpi, _), new_kpi in zip(kpis, new_kpis, strict=True)
                for level in kpi.levels.all()
            ],
        )
        agreement_check_weights(agreement)
    return YearCopy(agreement=agreement, indicators=tuple(copies.values()))
