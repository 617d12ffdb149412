"""The data of the agreement's scorecard for a round: results, levels, scores and weighted scores,
self-assessed and reviewed, per group and in total (to 4 decimals)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from tidtam.agreements.models import Agreement, AgreementKPI, IndicatorResult, KPIGroup
from tidtam.agreements.services import kpi_score, result_value
from tidtam.domain import fiscal, scoring
from tidtam.domain.errors import DomainError
from tidtam.domain.money import round_half_up
from tidtam.domain.thai import format_date_long, format_number, format_period
from tidtam.messages import met_label
from tidtam.orgs.models import Organization
from tidtam.periods.models import Round

PLACES = 4
NOT_ASSESSED = "ยังไม่ประเมิน"


def _text(value: Decimal | None) -> str:
    return "-" if value is None else format_number(round_half_up(value, PLACES), PLACES)


def _result_text(kpi: AgreementKPI, result: IndicatorResult | None, *, reviewed: bool) -> str:
    """The result as the sheet shows it: a value with its unit, a level, or met / not met."""
    if result is None:
        return NOT_ASSESSED
    kind = scoring.MeasureKind(kpi.indicator.measure_kind)
    if kind == scoring.MeasureKind.MILESTONE:
        level = result.reviewed_level_reached if reviewed else result.level_reached
        if level is None:
            return NOT_ASSESSED
        return "ไม่ผ่านระดับใด" if level == 0 else f"ระดับ {level}"
    if kind == scoring.MeasureKind.YES_NO:
        met = result.reviewed_met if reviewed else result.met
        return NOT_ASSESSED if met is None else met_label(met)
    value = result_value(kpi.indicator, result, reviewed=reviewed)
    if value is None:
        return NOT_ASSESSED
    places = 0 if value == value.to_integral_value() else 2
    return f"{format_number(value, places)} {kpi.indicator.unit}".strip()


def _level_reached(kpi: AgreementKPI, score: Decimal | None) -> str:
    """The highest level whose points the score reaches (an interpolated score sits between)."""
    if score is None:
        return "-"
    reached = [level for level in kpi.levels.all() if level.points <= score]
    if not reached:
        return "ต่ำกว่าระดับ 1"
    best = max(reached, key=lambda level: level.points)
    return f"ระดับ {best.rank}"


def _total_text(card: scoring.Scorecard) -> str:
    assessed = any(kpi.weighted is not None for group in card.groups for kpi in group.kpis)
    return _text(card.total) if assessed else "-"


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


def scorecard_report(org_code: str, year: int, months: int) -> dict[str, Any]:
    fiscal.check_be_year(year, field="ปีงบประมาณ")
    fiscal.check_round(months)
    org = Organization.objects.filter(code=org_code).select_related("parent").first()
    if org is None:
        raise DomainError("organization_unknown", code=org_code)
    agreement = (
        Agreement.objects.select_related("fiscal_year", "receiver", "maker")
        .filter(organization=org, fiscal_year__year=year)
        .first()
    )
    if agreement is None:
        raise DomainError("agreement_missing", org=org.label, year=year)
    round_ = Round.objects.filter(fiscal_year=agreement.fiscal_year, months=months).first()
    if round_ is None:
        raise DomainError("round_missing", year=year, months=months)
    groups = list(
        KPIGroup.objects.filter(agreement=agreement)
        .order_by("order")
        .prefetch_related(
            Prefetch(
                "kpis",
                AgreementKPI.objects.select_related("indicator", "group__agreement")
                .prefetch_related("levels")
                .order_by("number"),
            )
        )
    )
    results = {
        r.indicator_id: r
        for r in IndicatorResult.objects.filter(
            indicator__agreement_kpi__group__agreement=agreement, round=round_, unit__isnull=True
        )
    }
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
            self_kpis.append(scoring.KpiScore(label, kpi.weight, self_score, max_points))
            reviewed_kpis.append(scoring.KpiScore(label, kpi.weight, reviewed_score, max_points))
            group_rows.append(
                {
                    "number": kpi.number,
                    "name": kpi.indicator.name,
                    "weight": kpi.weight,
                    "weight_text": format_number(kpi.weight, 0 if kpi.weight % 1 == 0 else 2),
                    "max_points": max_points,
                    "self": {
                        "result_text": _result_text(kpi, result, reviewed=False),
                        "level_text": _level_reached(kpi, self_score),
                        "score": self_score,
                        "score_text": _text(self_score),
                    },
                    "reviewed": {
                        "result_text": _result_text(kpi, result, reviewed=True),
                        "level_text": _level_reached(kpi, reviewed_score),
                        "score": reviewed_score,
                        "score_text": _text(reviewed_score),
                    },
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
                "weight_text": format_number(group.weight, 0 if group.weight % 1 == 0 else 2),
                "kpis": group_rows,
            }
        )
    self_card = scoring.scorecard(self_groups)
    reviewed_card = scoring.scorecard(reviewed_groups)
    for side, card in (("self", self_card), ("reviewed", reviewed_card)):
        for row, group_result in zip(rows, card.groups, strict=True):
            row[f"{side}_subtotal"] = group_result.subtotal
            # Nothing assessed yet is "-", not a score of 0.0000.
            assessed = any(kpi.weighted is not None for kpi in group_result.kpis)
            row[f"{side}_subtotal_text"] = _text(group_result.subtotal) if assessed else "-"
            for kpi_row, kpi_result in zip(row["kpis"], group_result.kpis, strict=True):
                kpi_row[side]["weighted"] = kpi_result.weighted
                kpi_row[side]["weighted_text"] = _text(kpi_result.weighted)
    start, end = fiscal.round_window(year, months)
    total_weight = sum((g.weight for g in groups), Decimal(0))
    return {
        "document": "scorecard",
        "organization": {"code": org.code, "name": org.name, "short_name": org.short_name},
        "fiscal_year": year,
        "round_months": months,
        "title": f"ผลการประเมินตามคำรับรองการปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. {year}",
        "subtitle": f"{org.name} รอบ {months} เดือน ({format_period(start, end)})",
        "as_of_text": f"ข้อมูล ณ วันที่ {format_date_long(end)}",
        "groups": rows,
        "total_weight": total_weight,
        "total_weight_text": format_number(total_weight, 0 if total_weight % 1 == 0 else 2),
        "completeness_note": _completeness_note(self_card, reviewed_card),
        "self_total": self_card.total,
        "self_total_text": _total_text(self_card),
        "self_complete": self_card.complete,
        "reviewed_total": reviewed_card.total,
        "reviewed_total_text": _total_text(reviewed_card),
        "reviewed_complete": reviewed_card.complete,
        "assessed": sum(1 for r in results.values() if r is not None),
        "kpi_count": sum(len(g["kpis"]) for g in rows),
    }
