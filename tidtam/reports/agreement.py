"""The performance agreement (seed 004's shape) as its typed structure
(tidtam.reports.content.AgreementReport): cover, linkage, summary form, sheets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from tidtam.agreements.models import (
    Agreement,
    AgreementKPI,
    IndicatorOwner,
    IndicatorSeriesValue,
    KPIGroup,
)
from tidtam.agreements.services import agreement_weight_problems
from tidtam.domain import fiscal
from tidtam.domain.errors import DomainError
from tidtam.domain.scoring import Direction, Interpolation, MeasureKind
from tidtam.domain.thai import (
    format_amount,
    format_date_long,
    format_date_signature,
    format_number,
)
from tidtam.messages import SCHEME_LABELS, value_label
from tidtam.orgs.models import Organization
from tidtam.reports.content import AgreementReport

# The summary form's level columns: three (50 / 75 / 100, as seed 004) or five (1–5); a KPI with
# fewer levels leaves the rest of its row empty.
LEVEL_COLUMN_CHOICES = (3, 5)


def _weight_text(value: Decimal) -> str:
    return format_amount(value)


def _series(values: list[IndicatorSeriesValue], series: str) -> dict[str, Any] | None:
    cells = [v for v in values if v.series == series]
    if not cells:
        return None
    years = sorted({v.fiscal_year for v in cells})
    rows: dict[str, dict[str, str]] = {}
    for v in sorted(cells, key=lambda c: (c.row_order, c.fiscal_year)):
        rows.setdefault(v.row_label, {})[str(v.fiscal_year)] = v.text
    return {
        "years": years,
        # "values" by year for lookups; "cells" in the order of "years" for every renderer's table.
        "rows": [
            {
                "label": label,
                "values": vals,
                "cells": [vals.get(str(year), "") for year in years],
            }
            for label, vals in rows.items()
        ],
    }


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


LINKAGE_TITLE = "ความเชื่อมโยงนโยบาย/ยุทธศาสตร์/แผน กับตัวชี้วัด"


def linkage_table(stored: Any) -> dict[str, Any]:
    """The linkage table as every renderer reads it: a title, the column headings and the rows
    (a label and its cells), each present even when the agreement has no table (one typed by
    hand in the editor, or made without one): then there are no columns and no rows, and the
    renderers leave the section out."""
    table = stored if isinstance(stored, dict) else {}
    return {
        "title": str(table.get("title") or LINKAGE_TITLE),
        "columns": [str(column) for column in table.get("columns") or []],
        "rows": [
            {"label": str(row.get("label", "")), "cells": [str(c) for c in row.get("cells") or []]}
            for row in table.get("rows") or []
            if isinstance(row, dict)
        ],
    }


def _pad(values: list[str], size: int) -> list[str]:
    return (values + [""] * size)[:size]


def _level_columns(summary_groups: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """How many level columns the summary form has, and their headings: those of the KPI with
    the most levels (the scheme's names and points)."""
    kpis = [kpi for group in summary_groups for kpi in group["kpis"]]
    widest: list[dict[str, Any]] = max((kpi["levels"] for kpi in kpis), key=len, default=[])
    columns = next((n for n in LEVEL_COLUMN_CHOICES if len(widest) <= n), LEVEL_COLUMN_CHOICES[-1])
    return columns, _pad([level["heading"] for level in widest], columns)


def agreement_report(org_code: str, year: int) -> AgreementReport:
    fiscal.check_be_year(year, field="ปีงบประมาณ")
    org = Organization.objects.filter(code=org_code).first()
    if org is None:
        raise DomainError("organization_unknown", code=org_code)
    agreement = (
        Agreement.objects.select_related("receiver", "maker", "fiscal_year", "organization__parent")
        .prefetch_related("clauses")
        .filter(organization=org, fiscal_year__year=year)
        .first()
    )
    if agreement is None:
        raise DomainError("agreement_missing", org=org.label, year=year)
    groups = list(
        KPIGroup.objects.filter(agreement=agreement)
        .order_by("order")
        .prefetch_related(
            Prefetch(
                "kpis",
                queryset=AgreementKPI.objects.select_related("indicator")
                .order_by("number")
                .prefetch_related(
                    "levels",
                    "indicator__series",
                    "indicator__policy_nodes__framework",
                    Prefetch(
                        "indicator__owners",
                        queryset=IndicatorOwner.objects.select_related("person").order_by("order"),
                    ),
                ),
            )
        )
    )
    signed = agreement.signed_on
    parties = {
        "receiver": {
            "name": agreement.receiver.full_name,
            "position": agreement.receiver_position,
            "role": "ผู้รับคำรับรอง",
        },
        "maker": {
            "name": agreement.maker.full_name,
            "position": agreement.maker_position,
            "role": "ผู้ทำคำรับรอง",
        },
    }
    signature_date = format_date_signature(signed) if signed else ""
    summary_groups: list[dict[str, Any]] = []
    sheets = []
    total_weight = Decimal(0)
    for group in groups:
        kpis = list(group.kpis.all())
        kpi_weight_sum = sum((k.weight for k in kpis), Decimal(0))
        total_weight += group.weight
        summary_kpis = []
        for kpi in kpis:
            indicator = kpi.indicator
            levels = [
                {
                    "rank": level.rank,
                    "name": level.name,
                    "points": level.points,
                    "heading": f"{level.name} ({format_number(level.points)} คะแนน)",
                    "description": level.description,
                    "threshold": level.threshold,
                }
                for level in kpi.levels.all()
            ]
            summary_kpis.append(
                {
                    "number": kpi.number,
                    "name": indicator.name,
                    "label": f"{kpi.number}. {indicator.name}",
                    "linkage": kpi.linkage_text,
                    "benefit": indicator.benefit,
                    "weight": kpi.weight,
                    "weight_text": _weight_text(kpi.weight),
                    "previous_result": indicator.previous_result,
                    "levels": levels,
                }
            )
            series = list(indicator.series.all())
            sheets.append(
                {
                    "number": kpi.number,
                    "heading": f"ตัวชี้วัด {org.label} ตามคำรับรองการปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. {year}",
                    "name": indicator.name,
                    "label": f"ตัวชี้วัดที่ {kpi.number} {indicator.name}",
                    "group": group.name,
                    "weight": kpi.weight,
                    "weight_text": _weight_text(kpi.weight),
                    "measure_kind": indicator.measure_kind,
                    "measure_kind_label": value_label(MeasureKind, indicator.measure_kind),
                    "unit": indicator.unit,
                    "direction": indicator.direction,
                    "direction_label": value_label(Direction, indicator.direction),
                    "description": _lines(indicator.description),
                    "definitions": _lines(indicator.definitions),
                    "data_sources": _lines(indicator.data_sources),
                    "baseline": _series(series, IndicatorSeriesValue.Series.BASELINE),
                    "roadmap": _series(series, IndicatorSeriesValue.Series.ROADMAP),
                    "levels": levels,
                    "conditions": _lines(indicator.conditions),
                    "steps": _lines(indicator.steps),
                    "benefit": indicator.benefit,
                    "other_sections": indicator.other_sections,
                    "policy_links": [
                        {"framework": node.framework.name, "code": node.code, "name": node.name}
                        for node in indicator.policy_nodes.all()
                    ],
                    "owners": [
                        {"name": owner.person.full_name, "office_phone": owner.person.office_phone}
                        for owner in indicator.owners.all()
                    ],
                }
            )
        summary_groups.append(
            {
                "code": group.code,
                "name": group.name,
                "weight": group.weight,
                "weight_text": _weight_text(group.weight),
                "label": f"{group.name} (ร้อยละ {_weight_text(group.weight)})",
                "kpi_weight_sum": kpi_weight_sum,
                "kpis": summary_kpis,
            }
        )
    level_columns, level_headings = _level_columns(summary_groups)
    for summary in summary_groups:
        for kpi in summary["kpis"]:
            kpi["level_texts"] = _pad(
                [level["description"] for level in kpi["levels"]], level_columns
            )
    content = {
        "document": "agreement",
        "organization": {
            "code": org.code,
            "name": org.name,
            "short_name": org.short_name,
            "parent": org.parent.name if org.parent else "",
            "parent_short_name": org.parent.short_name if org.parent else "",
        },
        "fiscal_year": year,
        "page_title": (
            f"{agreement.title} ของ {org.name} {org.parent.short_name if org.parent else ''}"
        ).strip(),
        "cover": {
            "title": agreement.title,
            "subtitle": agreement.subtitle,
            "of": f"ของ {org.name} {org.parent.short_name if org.parent else ''}".strip(),
        },
        "parties": parties,
        "period": {
            "start": agreement.period_start,
            "end": agreement.period_end,
            "text": (
                f"เริ่มตั้งแต่วันที่ {format_date_long(agreement.period_start)} "
                f"ถึงวันที่ {format_date_long(agreement.period_end)}"
            ),
        },
        "signed_on": signed,
        "clauses": [clause.text for clause in agreement.clauses.all()],
        "signatures": [
            {**parties["receiver"], "date_text": signature_date},
            {**parties["maker"], "date_text": signature_date},
        ],
        "linkage_table": linkage_table(agreement.linkage_table),
        "scoring": {
            "scheme": agreement.scheme,
            "scheme_label": SCHEME_LABELS.get(agreement.scheme, agreement.scheme),
            "interpolation": agreement.interpolation,
            "interpolation_label": value_label(Interpolation, agreement.interpolation),
            "below_lowest_points": agreement.below_lowest_points,
        },
        "summary_form": {
            "title": f"แบบฟอร์มสรุปตัวชี้วัด ประจำปีงบประมาณ พ.ศ. {year}",
            "unit": f"หน่วยงาน {org.name} {org.parent.short_name if org.parent else ''}".strip(),
            "previous_year_heading": f"ผลการดำเนินงาน ปี {str(year - 1)[-2:]}",
            "level_columns": level_columns,
            "level_headings": level_headings,
            "groups": summary_groups,
            "total_weight": total_weight,
            "total_weight_text": _weight_text(total_weight),
            "weight_problems": agreement_weight_problems(agreement),
        },
        "kpi_sheets": sheets,
    }
    return AgreementReport.model_validate(content)
