"""The ITA publication set: the annual plan, the 6-month report and the annual report, each headed
by the item it answers in that year's assessment (the codes are data: ITAItem)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from tidtam.agreements.services import strategic_projects_of
from tidtam.budgets.models import BudgetLine
from tidtam.domain import fiscal
from tidtam.domain.errors import DomainError
from tidtam.domain.money import to_million
from tidtam.domain.progress import ItemKind
from tidtam.domain.thai import format_million, format_number, format_period
from tidtam.messages import STRATEGIC_PROJECT, WITH_UNITS, unit_named
from tidtam.orgs.models import Organization
from tidtam.periods.models import FiscalYear
from tidtam.plans.models import Activity, OperatingPlan, PlannedMilestone, WorkItem
from tidtam.reports.content import ItaPlanReport, ItaRoundReport
from tidtam.reports.models import ITAItem
from tidtam.reports.quarterly import KIND_WORDS, plans_in_scope, quarterly_content

QUARTERS = (1, 2, 3, 4)
ROUND_MONTHS = (3, 6, 9, 12)
# The tick Thai plans print under a quarter (√: Sarabun has no ✓, which a PDF draws as a box).
TICK = "√"


def ita_item(year: int, publication: str) -> dict[str, Any]:
    """The item this publication answers in the year's assessment; a clear error if not set up."""
    item = ITAItem.objects.filter(year=year, publication=publication).first()
    if item is None:
        raise DomainError(
            "ita_item_missing", year=year, publication=ITAItem.Publication(publication).label
        )
    return {"year": item.year, "code": item.code, "title": item.title, "asks": item.asks}


def _baht_text(value: Decimal | None) -> str:
    return "-" if value is None else format_number(value, 2)


def _plan_row(
    *,
    number: int,
    kind: str,
    name: str,
    target: str,
    units: Iterable[Organization],
    budget_baht: Decimal | None,
    start_quarter: int,
    plans: dict[int, str],
) -> dict[str, Any]:
    """One row of the annual plan: a work item, or a strategic-plan project."""
    quarters = [q >= start_quarter for q in QUARTERS]
    return {
        "number": number,
        "kind": kind,
        "name": name,
        "target": target,
        "units": "/".join(unit.short_name or unit.name for unit in units),
        "budget_baht": budget_baht,
        "budget_text": _baht_text(budget_baht),
        "quarters": quarters,
        "quarter_marks": [TICK if on else "" for on in quarters],
        "timing_text": (
            "ตลอดปีงบประมาณ (ไตรมาส 1-4)" if start_quarter == 1 else f"ไตรมาส {start_quarter}-4"
        ),
        "plans": [plans.get(months, "") for months in ROUND_MONTHS],
        "plan_texts": [
            {"months": months, "text": plans[months]}
            for months in ROUND_MONTHS
            if plans.get(months)
        ],
    }


def ita_plan_report(org_code: str, year: int, *, subtree: bool = False) -> ItaPlanReport:
    """O11-style annual plan: every project with its target, budget, units and quarters; with
    `subtree`, of the organisation and the units below it, each unit's rows named by it."""
    fiscal.check_be_year(year, field="ปีงบประมาณ")
    org = Organization.objects.filter(code=org_code).first()
    if org is None:
        raise DomainError("organization_unknown", code=org_code)
    plan = OperatingPlan.objects.filter(organization=org, fiscal_year__year=year).first()
    if plan is None and not subtree:
        raise DomainError("plan_missing", org=org.label, year=year)
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    scope = plans_in_scope(org, plan, fiscal_year, subtree) if fiscal_year else []
    if not scope:
        raise DomainError("plan_missing_subtree", org=org.label, year=year)
    item = ita_item(year, ITAItem.Publication.ANNUAL_PLAN)
    groups: dict[tuple[int, int | None], dict[str, Any]] = {}
    count = 0
    for unit_plan, unit in scope:
        items = list(
            WorkItem.objects.filter(plan=unit_plan, excluded=False)
            .select_related("activity__output")
            .prefetch_related(
                "responsible_units",
                Prefetch("milestones", PlannedMilestone.objects.order_by("round_months")),
            )
            .order_by("activity__output__number", "activity__number", "number")
        )
        for work_item in items:
            activity: Activity = work_item.activity
            key = (unit_plan.pk, activity.pk)
            if key not in groups:
                label = (
                    f"ผลผลิตที่ {activity.output.number} {activity.output.name} / "
                    f"กิจกรรมที่ {activity.number}"
                    + (f" {activity.name}" if activity.name != f"กิจกรรมที่ {activity.number}" else "")
                )
                groups[key] = {
                    "label": unit_named(unit, label),
                    "items": [],
                    "budget_baht": Decimal(0),
                }
            target = work_item.target_text or (
                f"{format_number(work_item.target_quantity)} {work_item.target_unit}".strip()
                if work_item.target_quantity is not None
                else "-"
            )
            plans = {m.round_months: m.text for m in work_item.milestones.all()}
            groups[key]["items"].append(
                _plan_row(
                    number=work_item.number,
                    kind=KIND_WORDS[work_item.kind],  # type: ignore[index]
                    name=work_item.name,
                    target=target,
                    units=work_item.responsible_units.all(),
                    budget_baht=work_item.budget_baht,
                    start_quarter=work_item.later_quarter_from or 1,
                    plans=plans,
                )
            )
            if work_item.budget_baht is not None:
                groups[key]["budget_baht"] += work_item.budget_baht
        # Then the strategic plan's own projects (each is its KPI), all year round.
        projects = list(
            strategic_projects_of(unit_plan.organization, unit_plan.fiscal_year).prefetch_related(
                "responsible_units"
            )
        )
        if projects:
            groups[(unit_plan.pk, None)] = {
                "label": unit_named(unit, STRATEGIC_PROJECT),
                "items": [
                    _plan_row(
                        number=project.number,
                        kind=KIND_WORDS[ItemKind.PROJECT],
                        name=project.project_name,
                        target=project.target_text or "-",
                        units=project.responsible_units.all(),
                        budget_baht=None,
                        start_quarter=1,
                        plans={},
                    )
                    for project in projects
                ],
                "budget_baht": Decimal(0),
            }
        count += len(items) + len(projects)
    for group in groups.values():
        group["budget_text"] = _baht_text(group["budget_baht"])
    owners = {unit_plan.organization_id: unit for unit_plan, unit in scope}
    lines = list(
        BudgetLine.objects.filter(organization_id__in=owners, fiscal_year__year=year)
        .select_related("category")
        .order_by("number")
    )
    if subtree:
        # The units' lines in the tree's order, each named by its organisation.
        order = list(owners)
        lines.sort(key=lambda line: order.index(line.organization_id))
    total = sum((line.annual_plan_baht for line in lines), Decimal(0))
    start, end = fiscal.fiscal_year_start(year), fiscal.fiscal_year_end(year)
    title = f"แผนการดำเนินงานและการใช้จ่ายงบประมาณประจำปีงบประมาณ พ.ศ. {year}"
    with_units = WITH_UNITS if subtree else ""
    name, short_name = org.name + with_units, org.short_name + with_units
    content = {
        "document": "ita-plan",
        "organization": {"code": org.code, "name": name, "short_name": short_name},
        "fiscal_year": year,
        "page_title": f"{item['code']} {title} {short_name}",
        "dated": start,
        "ita": item,
        "title": title,
        "subtitle": name,
        "units": [unit for _, unit in scope if unit] if subtree else [],
        "period_text": format_period(start, end),
        "groups": list(groups.values()),
        # The columns of the items' plans: one per round, the same rounds as `plans`.
        "round_headings": [f"{months} เดือน" for months in ROUND_MONTHS],
        "item_count": count,
        "budget_lines": [
            {
                "number": line.number,
                "name": unit_named(owners[line.organization_id], line.name),
                "category": line.category.name,
                "plan_baht": line.annual_plan_baht,
                "plan_text": _baht_text(line.annual_plan_baht),
                "plan_million": to_million(line.annual_plan_baht),
                "plan_million_text": format_million(line.annual_plan_baht),
            }
            for line in lines
        ],
        "budget_total_baht": total,
        "budget_total_million": to_million(total),
        "budget_total_text": _baht_text(total),
        "budget_total_million_text": format_million(total),
    }
    return ItaPlanReport.model_validate(content)


def ita_progress_report(org_code: str, year: int, *, subtree: bool = False) -> ItaRoundReport:
    """O12-style: the 6-month progress and budget report, headed by its ITA item."""
    data = quarterly_content(org_code, year, 6, subtree=subtree)
    data["document"] = "ita-progress"
    data["ita"] = ita_item(year, ITAItem.Publication.PROGRESS)
    return ItaRoundReport.model_validate(data)


def ita_annual_report(org_code: str, year: int, *, subtree: bool = False) -> ItaRoundReport:
    """O13-style: the annual (12-month) report, headed by its ITA item."""
    data = quarterly_content(org_code, year, 12, subtree=subtree)
    data["document"] = "ita-annual"
    data["ita"] = ita_item(year, ITAItem.Publication.ANNUAL_REPORT)
    return ItaRoundReport.model_validate(data)
