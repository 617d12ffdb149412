"""The quarterly / 6-month / annual performance report (seed 000's shape), as its typed
structure (tidtam.reports.content.QuarterlyReport).

Everything here is computed from raw quantities and amounts at read time, in a constant number
of queries, and every label and column is decided here; the renderers (Word, Excel, PDF, HTML)
only lay it out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
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
from tidtam.domain.rollup import merge_band_tables
from tidtam.domain.thai import (
    format_date_long,
    format_number,
    format_percent,
    format_period,
)
from tidtam.messages import (
    LABELS,
    PERCENT_METHOD_LABELS,
    WITH_UNITS,
    band_label,
    passed_label,
    threshold_words,
    unit_named,
)
from tidtam.orgs.access import descendants_map, tree_order, with_descendants
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
    org_code: str, year: int, months: int, *, subtree: bool = False
) -> tuple[Organization, OperatingPlan | None, Round]:
    """The organisation, its plan of the year and the round; with `subtree` the organisation
    may have no plan of its own (a ministry whose departments plan)."""
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
    if plan is None and not subtree:
        raise DomainError("plan_missing", org=org.label, year=year)
    round_ = (
        Round.objects.select_related("fiscal_year")
        .filter(fiscal_year__year=year, months=months)
        .first()
    )
    if round_ is None:
        raise DomainError("round_missing", year=year, months=months)
    if (
        subtree
        and not OperatingPlan.objects.filter(
            organization_id__in=with_descendants({org.pk}, descendants_map()),
            fiscal_year=round_.fiscal_year,
        ).exists()
    ):
        raise DomainError("plan_missing_subtree", org=org.label, year=year)
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


@dataclass(frozen=True)
class Unit:
    """One organisation's plan in a report: the report's own organisation's, or (a report with
    its units) one of the plans below it, named in the report's rows by `label`."""

    organization: Organization
    plan: OperatingPlan
    progress: list[ItemProgress]
    label: str | None  # None: the report's own plan, its rows unprefixed

    def named(self, text: str) -> str:
        return unit_named(self.label, text)


def band_section(
    units: list[Unit], round_: Round, later: str, thresholds: BandThresholds
) -> dict[str, Any]:
    """Table 1 of the units' items: each unit's rows (its outputs and activities), every item
    in the band its own plan's thresholds give it; the total row adds the units up
    (`domain.rollup.merge_band_tables`); `thresholds` name the columns."""
    table = merge_band_tables(
        (
            (
                str(unit.plan.pk),
                band_table((p.band_item for p in unit.progress), unit.plan.thresholds),
            )
            for unit in units
        ),
        thresholds,
    )
    outputs: dict[str, tuple[Unit, Any]] = {}
    activities = {}
    listed: dict[tuple[str, str], dict[ItemKind, int]] = defaultdict(
        lambda: dict.fromkeys(ItemKind, 0)
    )
    for unit in units:
        for p in unit.progress:
            activity = p.item.activity
            assert activity is not None
            output_key = f"{unit.plan.pk}/{activity.output.number}"
            outputs[output_key] = (unit, activity.output)
            activities[(output_key, str(activity.number))] = activity
            listed[(output_key, str(activity.number))][ItemKind(p.item.kind)] += 1

    rows_out = []
    for output_key, rows in table.rows_by_output().items():
        unit, output = outputs[output_key]
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
                "name": unit.named(output.name),
                "label": unit.named(f"ผลผลิตที่ {output.number} {output.name}"),
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


def lagging_projects(units: list[Unit], round_: Round) -> list[dict[str, Any]]:
    """The items below their plan's lower threshold (budget items apart), unit by unit."""
    rows = []
    lagging = [
        (unit, p)
        for unit in units
        for p in unit.progress
        if p.item.kind != WorkItem.Kind.BUDGET_ITEM and is_lagging(p, unit.plan.thresholds)
    ]
    milestones = {
        (m.work_item_id, m.round_months): m
        for m in PlannedMilestone.objects.filter(
            work_item__in=[p.item for _, p in lagging], round_months__in=[round_.months, 12]
        )
    }
    for number, (unit, p) in enumerate(lagging, start=1):
        entry = p.entry
        assert entry is not None
        round_plan = milestones.get((p.item.pk, round_.months))
        annual_plan = milestones.get((p.item.pk, 12))
        rows.append(
            {
                "number": number,
                "name": unit.named(p.item.name),
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


def lagging_budget_groups(units: list[Unit], round_: Round) -> list[dict[str, Any]]:
    """Lagging budget items by their group, with the group's percent from its budget lines;
    each unit's groups its own."""
    groups: dict[str, list[ItemProgress]] = {}
    for unit in units:
        for p in unit.progress:
            if p.item.kind == WorkItem.Kind.BUDGET_ITEM and is_lagging(p, unit.plan.thresholds):
                groups.setdefault(unit.named(p.item.group_name or p.item.name), []).append(p)
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


def strategic_section(units: list[Unit], round_: Round) -> dict[str, Any]:
    """The strategic-plan projects (each a KPI) by strategy, unit by unit; the framework named
    is the first unit's (the report's own plan's)."""
    framework = units[0].plan.strategic_framework
    return {
        "framework": framework.name if framework else "",
        "strategies": [group for unit in units for group in _strategies(unit, round_)],
    }


def _strategies(unit: Unit, round_: Round) -> list[dict[str, Any]]:
    plan = unit.plan
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
                "name": unit.named(node.name),
                "label": unit.named(f"กลยุทธ์ที่ {node.code} {node.name}"),
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
    return list(strategies.values())


def quarterly_report(
    org_code: str, year: int, months: int, as_of: date | None = None, *, subtree: bool = False
) -> QuarterlyReport:
    return QuarterlyReport.model_validate(
        quarterly_content(org_code, year, months, as_of, subtree=subtree)
    )


def plans_in_scope(
    org: Organization, plan: OperatingPlan | None, fiscal_year: Any, subtree: bool
) -> list[tuple[OperatingPlan, str | None]]:
    """The plans a document covers, each with the label its rows are named by: the
    organisation's own (unnamed); with `subtree`, every plan of the year of the organisation
    and the units below it, in the tree's order (a unit before its own units, units by code),
    each named by its organisation."""
    if not subtree:
        assert plan is not None
        return [(plan, None)]
    order = tree_order(org.pk)
    plans = {
        p.organization_id: p
        for p in OperatingPlan.objects.filter(
            organization_id__in=order, fiscal_year=fiscal_year
        ).select_related("fiscal_year", "organization")
    }
    return [(p, p.organization.label) for pk in order if (p := plans.get(pk)) is not None]


def units_of(
    org: Organization, plan: OperatingPlan | None, round_: Round, subtree: bool
) -> list[Unit]:
    """Each plan in scope (`plans_in_scope`) with its items' progress in the round."""
    return [
        Unit(p.organization if label else org, p, item_progress(p, round_), label)
        for p, label in plans_in_scope(org, plan, round_.fiscal_year, subtree)
    ]


def quarterly_content(
    org_code: str, year: int, months: int, as_of: date | None = None, *, subtree: bool = False
) -> dict[str, Any]:
    """The quarterly report's fields (the ITA 6-month and annual reports add their item); its
    budget as of a day when one is given (tidtam.reports.budget). With `subtree`, of the
    organisation and every unit below it: each unit's items in the band its own plan gives
    them, its rows and lists named by the unit, the budget of all their lines together."""
    org, plan, round_ = load_context(org_code, year, months, subtree=subtree)
    start, end = fiscal.round_window(year, months)
    period = format_period(start, end)
    quarter_label = f"ไตรมาสที่ {round_.quarter}/{year}"
    units = units_of(org, plan, round_, subtree)
    own = plan or units[0].plan
    thresholds = own.thresholds
    progress = [p for unit in units for p in unit.progress]
    later = _later_label(progress)
    bands = band_section(units, round_, later, thresholds)
    table: BandTable = bands.pop("_table")
    differing = [u.organization.label for u in units if u.plan.thresholds != thresholds]
    strategic = strategic_section(units, round_)
    organizations = frozenset(u.organization.pk for u in units) | {org.pk} if subtree else None
    budget = budget_section(org, round_, as_of, organizations=organizations)
    lagging = lagging_projects(units, round_)
    lagging_budget = lagging_budget_groups(units, round_)
    later_projects = [
        unit.named(p.item.name)
        for unit in units
        for p in unit.progress
        if p.later_quarter and not p.item.excluded
    ]
    framework = strategic["framework"]
    round_words = f"รอบ {months} เดือน"
    words = threshold_words(thresholds)
    # The sentences are templates an agency can reword (tidtam/reports/prose.py), filled with
    # the figures computed here.
    # With its units, the report is of the organisation and the units below it.
    with_units = WITH_UNITS if subtree else ""
    name, short_name = org.name + with_units, org.short_name + with_units
    context = {
        "org": {"label": org.label + with_units, "name": name, "short_name": short_name},
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
    if differing:
        # Each item is counted in the band its own plan gives it; the columns are named by the
        # report's own plan, so the units that set theirs otherwise are named.
        texts["band_caption"] += f" (รายการของ{' '.join(differing)} นับตามเกณฑ์ในแผนของหน่วยงานนั้น)"
    placeholders = sum(1 for p in progress if p.item.is_placeholder)
    return {
        "document": "quarterly",
        "units": [u.label for u in units if u.label] if subtree else [],
        "organization": {"code": org.code, "name": name, "short_name": short_name},
        "fiscal_year": year,
        "round_months": months,
        "round_words": round_words,
        "quarter": round_.quarter,
        "period": {"start": start, "end": end, "text": period},
        "page_title": f"รายงานผลการดำเนินงาน {short_name} {quarter_label} ({period})",
        "title": {
            "heading": "รายงานผลการดำเนินงาน",
            "organization": name,
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
