"""The data of the agreement's scorecard for a round: results, levels, scores and weighted scores,
self-assessed and reviewed, per group and in total (to 4 decimals)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from tidtam.agreements.models import Agreement, AgreementKPI, IndicatorResult, KPIGroup
from tidtam.agreements.services import kpi_score, result_measure
from tidtam.domain import fiscal, scoring
from tidtam.domain.errors import DomainError
from tidtam.domain.money import round_half_up, rounding_difference
from tidtam.domain.thai import format_amount, format_date_long, format_number, format_period
from tidtam.messages import (
    LABELS,
    NOT_ASSESSED,
    WITH_UNITS,
    level_label,
    met_label,
    passed_label,
)
from tidtam.orgs.access import tree_order
from tidtam.orgs.models import Organization
from tidtam.periods.models import Round
from tidtam.reports.content import ScorecardReport

PLACES = 4


def _text(value: Decimal | None, places: int = PLACES) -> str:
    return "-" if value is None else format_number(round_half_up(value, places), places)


def _rounding_note(side: str, card: scoring.Scorecard, places: int) -> str:
    """Say so when the weighted scores as shown do not add up to the total as shown: the
    total is computed from unrounded scores, and no part is adjusted to hide the difference."""
    parts = [
        kpi.weighted for group in card.groups for kpi in group.kpis if kpi.weighted is not None
    ]
    if not parts:
        return ""
    difference = rounding_difference(parts, card.total, places)
    if difference == 0:
        return ""
    shown = sum((round_half_up(part, places) for part in parts), Decimal(0))
    return (
        f"หมายเหตุ: คะแนนถ่วงน้ำหนัก{side}ที่แสดงรวมกันได้ {format_number(shown, places)} "
        f"แต่คะแนนรวมคือ {_text(card.total, places)} เนื่องจากปัดเศษทีละรายการ "
        "(คะแนนรวมคำนวณจากคะแนนที่ไม่ปัดเศษ)"
    )


def _review_note(kpi: AgreementKPI, result: IndicatorResult | None, places: int) -> str:
    """The committee's own score and its deduction, each with what it rests on."""
    if result is None:
        return ""
    parts = []
    if result.reviewed_score is not None:
        parts.append(
            f"คณะกรรมการให้คะแนน {_text(result.reviewed_score, places)} "
            f"เหตุผล: {result.reviewed_score_reason}"
        )
    if result.deduction is not None:
        parts.append(
            f"หักคะแนน {_text(result.deduction, places)} ตามหลักเกณฑ์: {result.deduction_rule}"
        )
    if not parts:
        return ""
    return f"ตัวชี้วัดที่ {kpi.number}: " + "; ".join(parts)


def _side(kpi: AgreementKPI, result: IndicatorResult | None, *, reviewed: bool) -> dict[str, Any]:
    """One side (self-assessed or reviewed) of a KPI's row: what the core reads from the result
    (`result_measure`: the figure, ΣA and ΣB of a ratio, pass / fail against the target) and the
    text the sheet shows: a value with its unit, a level, or met / not met, then the status."""
    indicator = kpi.indicator
    kind = scoring.MeasureKind(indicator.measure_kind)
    measured = (
        None
        if result is None
        else result_measure(indicator, result, reviewed=reviewed, kpi=f"ตัวชี้วัดที่ {kpi.number}")
    )
    side: dict[str, Any] = {
        # The value of every kind: the figure scored (a quantity, a rate, a change), the level
        # reached, or yes / no.
        "value": None
        if measured is None
        else measured.level
        if kind == scoring.MeasureKind.MILESTONE
        else measured.met
        if kind == scoring.MeasureKind.YES_NO
        else measured.figure,
        "figure": measured.figure if measured else None,
        "numerator": measured.numerator if measured else None,
        "denominator": measured.denominator if measured else None,
        "passed": measured.passed if measured else None,
        "passed_text": passed_label(measured.passed if measured else None),
    }
    side["numerator_text"] = format_amount(side["numerator"])
    side["denominator_text"] = format_amount(side["denominator"])
    if measured is None:
        text = NOT_ASSESSED
    elif kind == scoring.MeasureKind.MILESTONE:
        level = measured.level
        text = NOT_ASSESSED if level is None else level_label(level)
    elif kind == scoring.MeasureKind.YES_NO:
        text = NOT_ASSESSED if measured.met is None else met_label(measured.met)
    elif measured.figure is None:
        text = NOT_ASSESSED if measured.denominator is None else "ไม่มีตัวหาร (B = 0)"
    else:
        unit = "ร้อยละ" if kind != scoring.MeasureKind.QUANTITY else indicator.unit
        text = f"{format_amount(measured.figure)} {unit}".strip()
        if kind == scoring.MeasureKind.CHANGE:
            text = f"เปลี่ยนแปลง {text} จากค่าฐาน"
        if measured.numerator is not None:
            # In words, not "ΣA": Sarabun, the documents' font, has no Greek letters.
            text += f" (ผลรวม A {side['numerator_text']} / ผลรวม B {side['denominator_text']})"
    if measured is not None and measured.passed is not None:
        text += f" — {side['passed_text']}"
    side["result_text"] = text
    return side


def _units(kpi: AgreementKPI, units: list[IndicatorResult]) -> list[dict[str, Any]]:
    rows = []
    for unit_result in units:
        measured = result_measure(kpi.indicator, unit_result)
        rows.append(
            {
                "unit": unit_result.unit.label if unit_result.unit else "",
                "numerator": measured.numerator,
                "denominator": measured.denominator,
                "rate": measured.figure,
                "numerator_text": format_amount(measured.numerator),
                "denominator_text": format_amount(measured.denominator),
                "rate_text": _text(measured.figure, 2),
            }
        )
    return rows


def _level_reached(kpi: AgreementKPI, score: Decimal | None) -> str:
    """The highest level whose points the score reaches (an interpolated score sits between)."""
    if score is None:
        return "-"
    reached = [level for level in kpi.levels.all() if level.points <= score]
    if not reached:
        return "ต่ำกว่าระดับ 1"
    best = max(reached, key=lambda level: level.points)
    return f"ระดับ {best.rank}"


def _total_text(card: scoring.Scorecard, places: int) -> str:
    assessed = any(kpi.weighted is not None for group in card.groups for kpi in group.kpis)
    return _text(card.total, places) if assessed else "-"


def _completeness_note(self_card: scoring.Scorecard, reviewed_card: scoring.Scorecard) -> str:
    """A total over KPIs not yet assessed is not the agreement's score: say which side is partial."""
    sides = [
        name
        for name, card in (("การประเมินตนเอง", self_card), ("การประเมินของคณะกรรมการ", reviewed_card))
        if not card.complete
    ]
    if not sides:
        return ""
    return "หมายเหตุ: " + " และ".join(sides) + " ยังไม่ครบทุกตัวชี้วัด คะแนนรวมจึงรวมเฉพาะตัวชี้วัดที่ประเมินแล้ว"


def scorecard_report(
    org_code: str, year: int, months: int, *, subtree: bool = False
) -> ScorecardReport:
    """The organisation's agreement scored for the round; with `subtree`, also each agreement
    of the units below it, in the tree's order (an organisation with units may have none of
    its own)."""
    fiscal.check_be_year(year, field="ปีงบประมาณ")
    fiscal.check_round(months)
    org = Organization.objects.filter(code=org_code).select_related("parent").first()
    if org is None:
        raise DomainError("organization_unknown", code=org_code)
    round_ = Round.objects.filter(fiscal_year__year=year, months=months).first()
    order = tree_order(org.pk) if subtree else [org.pk]
    agreements = {
        a.organization_id: a
        for a in Agreement.objects.select_related("fiscal_year", "organization").filter(
            organization_id__in=order, fiscal_year__year=year
        )
    }
    own = agreements.get(org.pk)
    if not agreements:
        code = "agreement_missing_subtree" if subtree else "agreement_missing"
        raise DomainError(code, org=org.label, year=year)
    if round_ is None:
        raise DomainError("round_missing", year=year, months=months)
    start, end = fiscal.round_window(year, months)
    with_units = WITH_UNITS if subtree else ""
    title = f"ผลการประเมินตามคำรับรองการปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. {year}"
    cards = _cards(list(agreements.values()), round_)
    units = [
        {**cards[agreements[pk].pk], "heading": agreements[pk].organization.name}
        for pk in order[1:]
        if pk in agreements
    ]
    named = Organization.objects.in_bulk(order[1:])
    without = [named[pk].label for pk in order[1:] if pk not in agreements]
    content = {
        **(cards[own.pk] if own is not None else _empty_card(org)),
        "document": "scorecard",
        "fiscal_year": year,
        "round_months": months,
        "page_title": f"{title} {org.short_name}{with_units} รอบ {months} เดือน",
        "title": title,
        "subtitle": f"{org.name}{with_units} รอบ {months} เดือน ({format_period(start, end)})",
        "as_of": end,
        "as_of_text": f"ข้อมูล ณ วันที่ {format_date_long(end)}",
        "own": own is not None,
        "units": units,
        "units_note": (
            f"หน่วยงานในสังกัดที่ยังไม่มีคำรับรองของปีงบประมาณ {year}: {', '.join(without)}"
            if without
            else ""
        ),
    }
    return ScorecardReport.model_validate(content)


def _empty_card(org: Organization) -> dict[str, Any]:
    """The card of an organisation without an agreement of its own (its units have theirs)."""
    return {
        "organization": {"code": org.code, "name": org.name, "short_name": org.short_name},
        "groups": [],
        "total_weight": Decimal(0),
        "total_weight_text": "-",
        "completeness_note": "",
        "self_total": None,
        "self_total_text": "-",
        "self_complete": False,
        "reviewed_total": None,
        "reviewed_total_text": "-",
        "weighting": scoring.Weighting.OF_MAX.value,
        "weighting_text": LABELS[scoring.Weighting.OF_MAX],
        "score_places": PLACES,
        "review_notes": [],
        "rounding_notes": [],
        "reviewed_complete": False,
        "assessed": 0,
        "kpi_count": 0,
    }


def _cards(agreements: list[Agreement], round_: Round) -> dict[int, dict[str, Any]]:
    """Each agreement's card for the round (by agreement id): the groups, KPIs, levels and
    results of all of them read at once, whatever the number of units."""
    groups: dict[int, list[KPIGroup]] = {a.pk: [] for a in agreements}
    for group in (
        KPIGroup.objects.filter(agreement__in=agreements)
        .order_by("order")
        .prefetch_related(
            Prefetch(
                "kpis",
                AgreementKPI.objects.select_related("indicator", "group__agreement")
                .prefetch_related("levels")
                .order_by("number"),
            )
        )
    ):
        groups[group.agreement_id].append(group)
    # A KPI's indicator is its own: the results of all the agreements, by indicator.
    results: dict[int, IndicatorResult] = {}
    by_unit: dict[int, list[IndicatorResult]] = {}
    for r in (
        IndicatorResult.objects.filter(
            indicator__agreement_kpi__group__agreement__in=agreements, round=round_
        )
        .select_related("unit")
        .order_by("unit__code")
    ):
        if r.unit_id is None:
            results[r.indicator_id] = r
        else:
            by_unit.setdefault(r.indicator_id, []).append(r)
    return {a.pk: _card(a, groups[a.pk], results, by_unit) for a in agreements}


def _card(
    agreement: Agreement,
    groups: list[KPIGroup],
    results: dict[int, IndicatorResult],
    by_unit: dict[int, list[IndicatorResult]],
) -> dict[str, Any]:
    """One agreement's groups, scores, totals and notes for the round."""
    org = agreement.organization
    places = agreement.score_places
    weighting = scoring.Weighting(agreement.weighting)
    review_notes: list[str] = []
    rows: list[dict[str, Any]] = []
    self_groups: list[scoring.ScoreGroup] = []
    reviewed_groups: list[scoring.ScoreGroup] = []
    for group in groups:
        self_kpis: list[scoring.KpiScore] = []
        reviewed_kpis: list[scoring.KpiScore] = []
        group_rows: list[dict[str, Any]] = []
        for kpi in group.kpis.all():
            result = results.get(kpi.indicator_id)
            max_points = max((level.points for level in kpi.levels.all()), default=Decimal(100))
            label = f"ตัวชี้วัดที่ {kpi.number}"
            self_score = kpi_score(kpi, result)
            reviewed_score = kpi_score(kpi, result, reviewed=True)
            if note := _review_note(kpi, result, places):
                review_notes.append(note)
            self_kpis.append(scoring.KpiScore(label, kpi.weight, self_score, max_points))
            reviewed_kpis.append(scoring.KpiScore(label, kpi.weight, reviewed_score, max_points))
            group_rows.append(
                {
                    "number": kpi.number,
                    "name": kpi.indicator.name,
                    "weight": kpi.weight,
                    "weight_text": format_amount(kpi.weight),
                    "max_points": max_points,
                    "kind": kpi.indicator.measure_kind,
                    "kind_label": kpi.indicator.get_measure_kind_display(),
                    "direction": kpi.indicator.direction,
                    "direction_label": kpi.indicator.get_direction_display(),
                    "target_value": kpi.indicator.target_value,
                    "target_text": kpi.indicator.target_text,
                    "self": {
                        **_side(kpi, result, reviewed=False),
                        "level_text": _level_reached(kpi, self_score),
                        "score": self_score,
                        "score_text": _text(self_score, places),
                    },
                    "reviewed": {
                        **_side(kpi, result, reviewed=True),
                        "level_text": _level_reached(kpi, reviewed_score),
                        "score": reviewed_score,
                        "score_text": _text(reviewed_score, places),
                        "committee_score": result.reviewed_score if result else None,
                        "committee_score_reason": result.reviewed_score_reason if result else "",
                        "deduction": result.deduction if result else None,
                        "deduction_rule": result.deduction_rule if result else "",
                    },
                    "units": _units(kpi, by_unit.get(kpi.indicator_id, [])),
                    "review_note": result.review_note if result else "",
                }
            )
        self_groups.append(scoring.ScoreGroup(group.name, group.weight, tuple(self_kpis)))
        reviewed_groups.append(scoring.ScoreGroup(group.name, group.weight, tuple(reviewed_kpis)))
        rows.append(
            {
                "code": group.code,
                "name": group.name,
                "weight": group.weight,
                "weight_text": format_amount(group.weight),
                "kpis": group_rows,
            }
        )
    self_card = scoring.scorecard(self_groups, weighting=weighting)
    reviewed_card = scoring.scorecard(reviewed_groups, weighting=weighting)
    for side, card in (("self", self_card), ("reviewed", reviewed_card)):
        for row, group_result in zip(rows, card.groups, strict=True):
            row[f"{side}_subtotal"] = group_result.subtotal
            # Nothing assessed yet is "-", not a score of 0.0000.
            assessed = any(kpi.weighted is not None for kpi in group_result.kpis)
            row[f"{side}_subtotal_text"] = _text(group_result.subtotal, places) if assessed else "-"
            for kpi_row, kpi_result in zip(row["kpis"], group_result.kpis, strict=True):
                kpi_row[side]["weighted"] = kpi_result.weighted
                kpi_row[side]["weighted_text"] = _text(kpi_result.weighted, places)
    total_weight = sum((g.weight for g in groups), Decimal(0))
    return {
        "organization": {"code": org.code, "name": org.name, "short_name": org.short_name},
        "groups": rows,
        "total_weight": total_weight,
        "total_weight_text": format_amount(total_weight),
        "completeness_note": _completeness_note(self_card, reviewed_card),
        "self_total": self_card.total,
        "self_total_text": _total_text(self_card, places),
        "self_complete": self_card.complete,
        "reviewed_total": reviewed_card.total,
        "reviewed_total_text": _total_text(reviewed_card, places),
        "weighting": weighting.value,
        "weighting_text": LABELS[weighting],
        "score_places": places,
        "review_notes": review_notes,
        "rounding_notes": [
            note
            for note in (
                _rounding_note("ของการประเมินตนเอง", self_card, places),
                _rounding_note("ของคณะกรรมการ", reviewed_card, places),
            )
            if note
        ],
        "reviewed_complete": reviewed_card.complete,
        "assessed": sum(
            1 for group in groups for kpi in group.kpis.all() if kpi.indicator_id in results
        ),
        "kpi_count": sum(len(g["kpis"]) for g in rows),
    }
