"""The quarterly / 6-month / annual performance report (seed 000's shape), as its typed
structure (tidtam.reports.content.QuarterlyReport).

Everything here is computed from raw quantities and amounts at read time, in a constant number
of queries, and every label and column is decided here; the renderers (Word, Excel, PDF, HTML)
only lay it out.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from tidtam.agreements.models import Indicator, IndicatorResponsibility, IndicatorResult
from tidtam.agreements.services import indicator_result_percent, result_measure
from tidtam.budgets.models import BudgetSpending
from tidtam.domain import fiscal
from tidtam.domain.budget import sum_figures
from tidtam.domain.errors import DomainError
from tidtam.domain.money import round_half_up
from tidtam.domain.progress import (
    Band,
    BandTable,
    BandThresholds,
    ItemKind,
    average_percent,
    band_table,
)
from tidtam.domain.thai import (
    format_date_long,
    format_number,
    format_percent,
    format_period,
)
from tidtam.messages import (
    LABELS,
    PERCENT_METHOD_LABELS,
    band_label,
    passed_label,
    threshold_words,
)
from tidtam.orgs.models import Organization
from tidtam.periods.models import Round
from tidtam.plans.models import OperatingPlan, PlannedMilestone, WorkItem
from tidtam.progress.selectors import ItemProgress, round_items
from tidtam.reports.budget import budget_section
from tidtam.reports.content import QuarterlyReport
from tidtam.reports.prose import sentence, sentences

KIND_WORDS = {kind: LABELS[kind] for kind in ItemKind}
# The report's sentences that are templates (tidtam/reports/prose/quarterly/), in `texts`.
TEXT_KEYS = (
    "intro",
    "band_caption",
    "later_note",
    "later_intro",
    "lagging_intro",
    "lagging_budget_intro",
    "chart_caption",
    "budget_detail_heading",
    "budget_detail_intro",
    "strategic_intro",
    "strategic_closing",
    "strategic_target_heading",
    "round_heading",
)


def load_context(
    org_code: str, year: int, months: int
) -> tuple[Organization, OperatingPlan, Round]:
    fiscal.check_be_year(year, field="ปีงบประมาณ")
    fiscal.check_round(months)
    org = Organization.objects.filter(code=org_code).first()
    if org is None:
        raise DomainError("organization_unknown", code=org_code)
    plan = (
        OperatingPlan.objects.filter(organization=org, fiscal_year__year=year)
        .select_related("fiscal_year")
        .first()
    )
    if plan is None:
        raise DomainError("plan_missing", org=org.label, year=year)
    round_ = (
        Round.objects.select_related("fiscal_year")
        .filter(fiscal_year=plan.fiscal_year, months=months)
        .first()
    )
    if round_ is None:
        raise DomainError("round_missing", year=year, months=months)
    return org, plan, round_


def item_progress(plan: OperatingPlan, round_: Round) -> list[ItemProgress]:
    """Every work item of the plan with its entry and percentages; a document needs them all."""
    result = round_items(plan, round_)
    for p in result:
        if p.entry is None and not p.later_quarter and not p.item.excluded:
            raise DomainError("progress_missing", item=p.item.name, round=round_.months)
    return result


def percent_text(value: Decimal | None) -> str:
    """A percent as seed 000 prints its tables: "40", "83.34" (whole numbers without decimals)."""
    if value is not None and round_half_up(value, 2) == round_half_up(value, 0):
        return format_number(value, 0)
    return format_percent(value)


def _kinds_phrase(counts: dict[ItemKind, int], *, dash_zero: bool = False, prefix: str = "") -> str:
    parts = []
    for kind in ItemKind:
        n = counts.get(kind, 0)
        if n:
            parts.append(f"{prefix}{n} {KIND_WORDS[kind]}")
        elif dash_zero:
            parts.append(f"- {KIND_WORDS[kind]}")
    return " ".join(parts)


def _later_label(progress: list[ItemProgress]) -> str:
    starts = sorted(
        {
            p.item.later_quarter_from
            for p in progress
            if p.later_quarter and p.item.later_quarter_from
        }
    )
    return f"{starts[0]}-4" if starts else "3-4"


def band_section(
    plan: OperatingPlan, progress: list[ItemProgress], round_: Round, later: str
) -> dict[str, Any]:
    thresholds = plan.thresholds
    table = band_table((p.band_item for p in progress), thresholds)
    outputs = {}
    activities = {}
    for p in progress:
        activity = p.item.activity
        assert activity is not None
        outputs[str(activity.output.number)] = activity.output
        activities[(str(activity.output.number), str(activity.number))] = activity
    listed: dict[tuple[str, str], dict[ItemKind, int]] = defaultdict(
        lambda: dict.fromkeys(ItemKind, 0)
    )
    for p in progress:
        activity = p.item.activity
        assert activity is not None
        listed[(str(activity.output.number), str(activity.number))][ItemKind(p.item.kind)] += 1

    rows_out = []
    for output_key, rows in table.rows_by_output().items():
        output = outputs[output_key]
        activity_rows = []
        for row in rows:
            activity = activities[(row.output, row.activity)]
            kinds_in_row = [k for k in ItemKind if listed[(row.output, row.activity)][k]]
            label = f"กิจกรรมที่ {activity.number} " + " ".join(
                f"จำนวน {listed[(row.output, row.activity)][k]} {KIND_WORDS[k]}"
                for k in kinds_in_row
            )
            if row.excluded_items:
                names = " และ".join(i.name for i in row.excluded_items)
                reasons = {i.exclusion_reason for i in row.excluded_items}
                kinds = {KIND_WORDS[i.kind] for i in row.excluded_items}
                label += f" ({row.excluded} {' '.join(sorted(kinds))} ได้แก่ {names} {' '.join(sorted(reasons))})"
            cells = {}
            for band in Band:
                counts = row.counts[band]
                if sum(counts.values()) == 0 and len(kinds_in_row) == 1:
                    text = "" if band == Band.LATER_QUARTER else "-"
                elif band == Band.LATER_QUARTER and sum(counts.values()) == 0:
                    text = ""
                elif len(kinds_in_row) == 1:
                    text = f"{counts[kinds_in_row[0]]} {KIND_WORDS[kinds_in_row[0]]}"
                else:
                    text = " ".join(
                        f"{counts[k]} {KIND_WORDS[k]}"
                        if counts[k]
                        else ("-" if k != kinds_in_row[0] else f"- {KIND_WORDS[k]}")
                        for k in kinds_in_row
                    )
                cells[band.value] = {
                    "counts": {k.value: counts[k] for k in ItemKind},
                    "count": sum(counts.values()),
                    "text": text,
                }
            activity_rows.append(
                {
                    "number": activity.number,
                    "name": activity.name,
                    "label": label,
                    "cell_texts": [cells[band.value]["text"] for band in Band],
                    "listed": {k.value: listed[(row.output, row.activity)][k] for k in ItemKind},
                    "excluded": [
                        {"name": i.name, "kind": i.kind.value, "reason": i.exclusion_reason}
                        for i in row.excluded_items
                    ],
                    "cells": cells,
                    "total": {
                        "counts": {k.value: n for k, n in row.kind_totals.items()},
                        "count": sum(row.kind_totals.values()),
                        "text": _kinds_phrase(row.kind_totals),
                    },
                }
            )
        rows_out.append(
            {
                "number": output.number,
                "name": output.name,
                "label": f"ผลผลิตที่ {output.number} {output.name}",
                "activities": activity_rows,
            }
        )

    totals = table.totals
    shares = table.shares()
    total_cells = {
        band.value: {
            "counts": {k.value: totals[band][k] for k in ItemKind},
            "count": table.band_totals[band],
            "share": shares[band],
            "share_text": format_percent(shares[band]),
            "text": f"{_kinds_phrase(totals[band], dash_zero=True)} (ร้อยละ {format_percent(shares[band])})",
        }
        for band in Band
    }
    kind_totals = table.kind_totals
    headings = {band.value: band_label(band, thresholds, later=later) for band in Band}
    return {
        "title": "ตารางที่ 1",
        "headings": headings,
        # The document's column order, and the kinds counted in each column.
        "columns": [{"key": band.value, "heading": headings[band.value]} for band in Band],
        "kinds": [{"key": kind.value, "label": KIND_WORDS[kind]} for kind in ItemKind],
        "outputs": rows_out,
        "totals": total_cells,
        "total_texts": [total_cells[band.value]["text"] for band in Band],
        "total": {
            "counts": {k.value: n for k, n in kind_totals.items()},
            "count": table.total,
            "text": f"{_kinds_phrase(kind_totals)} (ภาพรวม {table.total} รายการ)",
        },
        "excluded_count": table.excluded,
        "_table": table,
    }


def _band_counts_phrases(table: BandTable) -> dict[str, str]:
    """How many of each kind, in words ("34 โครงการ 2 แผนงาน 19 รายการ"): in all and per band."""
    return {
        "all": _kinds_phrase(table.kind_totals),
        **{band.value: _kinds_phrase(table.totals[band]) for band in Band},
    }


def is_lagging(p: ItemProgress, thresholds: BandThresholds) -> bool:
    """Whether an item is listed as lagging: counted (not excluded, due by the round) and below
    the plan's lower threshold (the core's rule)."""
    return (
        not p.item.excluded and not p.later_quarter and thresholds.is_lagging(p.percentages.annual)
    )


def lagging_projects(
    progress: list[ItemProgress], round_: Round, thresholds: BandThresholds
) -> list[dict[str, Any]]:
    rows = []
    lagging = [
        p
        for p in progress
        if p.item.kind != WorkItem.Kind.BUDGET_ITEM and is_lagging(p, thresholds)
    ]
    milestones = {
        (m.work_item_id, m.round_months): m
        for m in PlannedMilestone.objects.filter(
            work_item__in=[p.item for p in lagging], round_months__in=[round_.months, 12]
        )
    }
    for number, p in enumerate(lagging, start=1):
        entry = p.entry
        assert entry is not None
        round_plan = milestones.get((p.item.pk, round_.months))
        annual_plan = milestones.get((p.item.pk, 12))
        rows.append(
            {
                "number": number,
                "name": p.item.name,
                "target": p.item.target_text,
                "plan_round": round_plan.text if round_plan else "",
                "plan_annual": annual_plan.text if annual_plan else "",
                "result_round": entry.result_text,
                "result_annual": entry.result_text_annual or entry.result_text,
                "percent_round": p.percentages.round,
                "percent_round_text": percent_text(p.percentages.round),
                "percent_annual": p.percentages.annual,
                "percent_annual_text": percent_text(p.percentages.annual),
                "percent_method": entry.percent_method,
                "percent_method_label": PERCENT_METHOD_LABELS.get(entry.percent_method, ""),
                "percent_note": entry.percent_note,
                "explanation": entry.explanation,
                "is_placeholder": p.item.is_placeholder,
            }
        )
    return rows


def lagging_budget_groups(
    progress: list[ItemProgress], round_: Round, thresholds: BandThresholds
) -> list[dict[str, Any]]:
    """Lagging budget items by their group, with the group's percent from its budget lines."""
    groups: dict[str, list[ItemProgress]] = {}
    for p in progress:
        if p.item.kind == WorkItem.Kind.BUDGET_ITEM and is_lagging(p, thresholds):
            groups.setdefault(p.item.group_name or p.item.name, []).append(p)
    spending = {
        s.line_id: s
        for s in BudgetSpending.objects.filter(
            round=round_, line__work_items__in=[p.item for ps in groups.values() for p in ps]
        ).distinct()
    }
    rows = []
    for number, (name, members) in enumerate(groups.items(), start=1):
        lines = {line.pk: line for p in members if (line := p.item.budget_line) is not None}
        if lines:
            reported = [(line, spending.get(line_id)) for line_id, line in lines.items()]
            figures = sum_figures(
                line.figures(spent, months=round_.months) for line, spent in reported
            )
            annual = figures.percent_spent
            round_percent = figures.percent_spent_to_date
        else:
            # Items with their own amounts: the group's percent is the mean of the items'.
            annual = average_percent(
                p.percentages.annual for p in members if p.percentages.annual is not None
            )
            round_percent = average_percent(
                p.percentages.round for p in members if p.percentages.round is not None
            )
        rows.append(
            {
                "number": number,
                "name": name,
                "label": f"{name} ({len(members)} รายการ)",
                "count": len(members),
                "percent_annual": annual,
                "percent_annual_text": format_percent(annual),
                "percent_round": round_percent,
                "percent_round_text": format_percent(round_percent),
            }
        )
    return rows


def strategic_section(plan: OperatingPlan, round_: Round) -> dict[str, Any]:
    framework = plan.strategic_framework
    indicators = (
        Indicator.objects.filter(
            organization=plan.organization, fiscal_year=plan.fiscal_year, strategy__isnull=False
        )
        .select_related("strategy")
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=IndicatorResponsibility.objects.select_related("organization"),
            ),
            Prefetch(
                "results",
                queryset=IndicatorResult.objects.filter(round=round_, unit__isnull=True),
                to_attr="round_results",
            ),
        )
        .order_by("strategy__order", "number")
    )
    strategies: dict[int, dict[str, Any]] = {}
    for indicator in indicators:
        node = indicator.strategy
        assert node is not None
        group = strategies.setdefault(
            node.pk,
            {
                "number": node.code,
                "name": node.name,
                "label": f"กลยุทธ์ที่ {node.code} {node.name}",
                "projects": [],
            },
        )
        result = indicator.round_results[0] if indicator.round_results else None
        pct = indicator_result_percent(indicator, result) if result else None
        passed = result_measure(indicator, result).passed if result else None
        units = indicator.units_label
        name = indicator.project_name
        group["projects"].append(
            {
                "number": indicator.number,
                "name": name,
                "responsible_units": units,
                "label": f"{name} ({units})" if units else name,
                "indicator": indicator.name,
                "target": indicator.target_text,
                "target_value": indicator.target_value,
                "result_value": result.value if result else None,
                "percent": pct,
                "percent_text": percent_text(pct),
                "percent_method": result.percent_method if result else "",
                "passed": passed,
                "passed_text": passed_label(passed),
                "narrative": result.narrative if result else "",
                "result_text": f"(ร้อยละ {percent_text(pct)}) {result.narrative if result else ''}".strip(),
            }
        )
    return {
        "framework": framework.name if framework else "",
        "strategies": list(strategies.values()),
    }


def quarterly_report(
    org_code: str, year: int, months: int, as_of: date | None = None
) -> QuarterlyReport:
    return QuarterlyReport.model_validate(quarterly_content(org_code, year, months, as_of))


def quarterly_content(
    org_code: str, year: int, months: int, as_of: date | None = None
) -> dict[str, Any]:
    """The quarterly report's fields (the ITA 6-month and annual reports add their item); its
    budget as of a day when one is given (tidtam.reports.budget)."""
    org, plan, round_ = load_context(org_code, year, months)
    start, end = fiscal.round_window(year, months)
    period = format_period(start, end)
    quarter_label = f"ไตรมาสที่ {round_.quarter}/{year}"
    progress = item_progress(plan, round_)
    later = _later_label(progress)
    bands = band_section(plan, progress, round_, later)
    table: BandTable = bands.pop("_table")
    strategic = strategic_section(plan, round_)
    budget = budget_section(org, round_, as_of)
    lagging = lagging_projects(progress, round_, plan.thresholds)
    lagging_budget = lagging_budget_groups(progress, round_, plan.thresholds)
    later_projects = [p.item.name for p in progress if p.later_quarter and not p.item.excluded]
    framework = strategic["framework"]
    round_words = f"รอบ {months} เดือน"
    words = threshold_words(plan.thresholds)
    # The sentences are templates an agency can reword (tidtam/reports/prose.py), filled with
    # the figures computed here.
    context = {
        "org": {"label": org.label, "name": org.name, "short_name": org.short_name},
        "year": year,
        "months": months,
        "quarter_label": quarter_label,
        "period": period,
        "end_text": format_date_long(end),
        "framework": framework,
        "later": later,
        "later_count": len(later_projects),
        "round_words": round_words,
        "lagging_budget_count": sum(g["count"] for g in lagging_budget),
        "strategy_count": len(strategic["strategies"]),
        "budget": budget,
        "counts": _band_counts_phrases(table),
        **words,
    }
    texts = sentences("quarterly", TEXT_KEYS, org.code, context)
    placeholders = sum(1 for p in progress if p.item.is_placeholder)
    return {
        "document": "quarterly",
        "organization": {"code": org.code, "name": org.name, "short_name": org.short_name},
        "fiscal_year": year,
        "round_months": months,
        "round_words": round_words,
        "quarter": round_.quarter,
        "period": {"start": start, "end": end, "text": period},
        "page_title": f"รายงานผลการดำเนินงาน {org.short_name} {quarter_label} ({period})",
        "title": {
            "heading": "รายงานผลการดำเนินงาน",
            "organization": org.name,
            "round": f"{quarter_label} ({period})",
            "fiscal_year": f"ประจำปีงบประมาณ พ.ศ.{year}",
        },
        "section_1_heading": f"1. ผลการดำเนินงานประจำปีงบประมาณ พ.ศ. {year} {quarter_label}",
        "summary_sentence": sentence("quarterly", "summary_sentence", org.code, context),
        "thresholds": words,
        "band_table": bands,
        "texts": texts,
        "later_quarter_projects": later_projects,
        "lagging_projects": lagging,
        "lagging_budget_items": lagging_budget,
        "as_of_line": sentence("quarterly", "as_of_line", org.code, context),
        "section_2_heading": f"2. ผลการใช้จ่ายงบประมาณประจำปีงบประมาณ พ.ศ. {year} {quarter_label}",
        "budget": budget,
        "strategic_heading": sentence("quarterly", "strategic_heading", org.code, context),
        "strategic": strategic,
        "placeholders": placeholders,
        "placeholder_note": (
            f"มีรายการที่เอกสารต้นฉบับไม่ระบุชื่อ {placeholders} รายการ ชื่อที่แสดงเป็นชื่อที่ระบบตั้งไว้แทน"
            if placeholders
            else ""
        ),
    }
