"""The Budget Bureau's monthly grids, from tidtam's own data (no retyping): สงป. 301, the plan
and result of each output, activity and work item in its unit; สงป. 302, the plan and result of
money by budget type (งบรายจ่าย) and expense item. Columns: docs/budget-forms.md."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from tidtam.budgets.models import BudgetCategory, BudgetLine, BudgetMonth, BudgetSpending
from tidtam.domain import fiscal
from tidtam.domain.errors import DomainError
from tidtam.domain.thai import fiscal_month_name, format_amount
from tidtam.orgs.models import Organization
from tidtam.plans.models import OperatingPlan, PlannedMilestone, WorkItem, WorkItemMonth
from tidtam.progress.models import ProgressEntry
from tidtam.reporting import EntryStatus
from tidtam.reports.content import BudgetFormReport

MONTH_LABELS = [fiscal_month_name(m, short=True) for m in fiscal.FISCAL_MONTHS]
KIND_LABELS = {"plan": "แผน", "result": "ผล"}
TYPE_LABELS = dict(BudgetCategory.StandardType.choices)
# Results a report counts: those sent in and those approved (drafts are the reporter's own).
COUNTED = (EntryStatus.SUBMITTED, EntryStatus.APPROVED)


def _organization(org_code: str, year: int) -> Organization:
    fiscal.check_be_year(year, field="ปีงบประมาณ")
    org = Organization.objects.filter(code=org_code).first()
    if org is None:
        raise DomainError("organization_unknown", code=org_code)
    return org


def _quarters_of_months(months: Sequence[Decimal | None]) -> list[Decimal | None]:
    """Each quarter's own amount: the sum of its months (None when none of them has one)."""
    out: list[Decimal | None] = []
    for quarter in fiscal.QUARTERS:
        values = [v for v in months[(quarter - 1) * 3 : quarter * 3] if v is not None]
        out.append(sum(values, Decimal(0)) if values else None)
    return out


def _quarters_of_cumulative(by_round: dict[int, Decimal]) -> list[Decimal | None]:
    """Each quarter's own amount from figures cumulative to the end of each round."""
    out: list[Decimal | None] = []
    before = Decimal(0)
    for quarter in fiscal.QUARTERS:
        value = by_round.get(quarter * 3)
        out.append(None if value is None else value - before)
        if value is not None:
            before = value
    return out


def _row(
    number: str,
    name: str,
    unit: str,
    kind: str,
    months: list[Decimal | None],
    quarters: list[Decimal | None],
) -> dict[str, Any]:
    known = [q for q in quarters if q is not None]
    return {
        "number": number,
        "name": name,
        "unit": unit,
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "months": months,
        "quarters": quarters,
        "total": sum(known, Decimal(0)) if known else None,
    }


def _report(
    document: str,
    org: Organization,
    year: int,
    heading: str,
    value_label: str,
    sections: list[dict[str, Any]],
    notes: list[str],
) -> BudgetFormReport:
    form = "แบบ สงป. " + document.removeprefix("form-")
    return BudgetFormReport.model_validate(
        {
            "document": document,
            "organization": {"code": org.code, "name": org.name, "short_name": org.short_name},
            "fiscal_year": year,
            "dated": fiscal.fiscal_year_start(year),
            "page_title": f"{form} {org.label} ปีงบประมาณ {year}",
            "title": f"{form} {heading} ปีงบประมาณ พ.ศ. {year}",
            "subtitle": f"{org.name} ({org.label})",
            "month_labels": MONTH_LABELS,
            "value_label": value_label,
            "sections": sections,
            "notes": notes,
        }
    )


def _cumulative_to(months: Sequence[Decimal | None], count: int) -> Decimal | None:
    """The months' sum to the end of the `count`-th month (None when none of them has one)."""
    values = [v for v in months[:count] if v is not None]
    return sum(values, Decimal(0)) if values else None


def form_301(org_code: str, year: int) -> BudgetFormReport:
    """สงป. 301: each work item of the plan with a quantity target, under its output and
    activity: planned and reported quantities per month with each quarter's own amount. An item
    with a monthly plan or monthly results (its month grid) is printed month by month; one
    planned and reported only by round has its quarters from its milestones and its round
    reports, and its months left empty."""
    org = _organization(org_code, year)
    plan = OperatingPlan.objects.filter(organization=org, fiscal_year__year=year).first()
    if plan is None:
        raise DomainError("plan_missing", org=org.label, year=year)
    items = (
        WorkItem.objects.filter(plan=plan, excluded=False, target_quantity__isnull=False)
        .select_related("activity__output")
        .prefetch_related(
            Prefetch("milestones", PlannedMilestone.objects.order_by("round_months")),
            Prefetch("months", WorkItemMonth.objects.order_by("month")),
            Prefetch(
                "progress",
                ProgressEntry.objects.filter(status__in=COUNTED).select_related("round"),
                to_attr="counted_entries",
            ),
        )
        .order_by("activity__output__number", "activity__number", "number")
    )
    sections: dict[int, dict[str, Any]] = {}
    disagreements: list[str] = []
    for item in items:
        activity = item.activity
        section = sections.setdefault(
            activity.pk,
            {
                "heading": (
                    f"ผลผลิตที่ {activity.output.number} {activity.output.name} / "
                    f"กิจกรรมที่ {activity.number} {activity.name}"
                ),
                "rows": [],
            },
        )
        by_month = {m.month: m for m in item.months.all()}
        planned_months = [
            by_month[m].planned_quantity if m in by_month else None for m in fiscal.FISCAL_MONTHS
        ]
        result_months = [
            by_month[m].result_quantity if m in by_month else None for m in fiscal.FISCAL_MONTHS
        ]
        planned = {
            m.round_months: m.planned_quantity
            for m in item.milestones.all()
            if m.planned_quantity is not None
        }
        results = {
            e.round.months: e.result_quantity
            for e in item.counted_entries
            if e.result_quantity is not None and e.round.fiscal_year_id == plan.fiscal_year_id
        }
        number = f"{activity.output.number}.{activity.number}.{item.number}"
        empty: list[Decimal | None] = [None] * len(MONTH_LABELS)
        if any(v is not None for v in planned_months):
            plan_row = (planned_months, _quarters_of_months(planned_months))
        else:
            plan_row = (empty, _quarters_of_cumulative(planned))
        if any(v is not None for v in result_months):
            result_row = (result_months, _quarters_of_months(result_months))
            # The round reports say the same, or the form says where they do not.
            for months, reported in sorted(results.items()):
                summed = _cumulative_to(result_months, fiscal.round_last_month(months))
                if summed is not None and summed != reported:
                    disagreements.append(
                        f"{number} {item.name}: ผลรายเดือนรวมถึงสิ้นรอบ {months} เดือน"
                        f" {format_amount(summed)} {item.target_unit} ไม่เท่ากับผลที่รายงานในรอบ"
                        f" {format_amount(reported)} {item.target_unit}"
                    )
        else:
            result_row = (empty, _quarters_of_cumulative(results))
        for kind, (months_values, quarters) in (("plan", plan_row), ("result", result_row)):
            section["rows"].append(
                _row(number, item.name, item.target_unit, kind, list(months_values), quarters)
            )
    return _report(
        "form-301",
        org,
        year,
        "แผน/ผลการปฏิบัติงาน",
        "จำนวน (ตามหน่วยนับ)",
        list(sections.values()),
        [
            "ช่องเดือนคือจำนวนของเดือนนั้น ช่องไตรมาสคือจำนวนของไตรมาสนั้น (ไม่ใช่ยอดสะสม)",
            "โครงการที่ไม่มีแผนหรือผลรายเดือนแสดงเป็นรายไตรมาส จากแผนรายรอบและผลที่รายงานในแต่ละรอบ",
            "ผลรายรอบนับเฉพาะรายงานที่ส่งแล้วหรืออนุมัติแล้ว",
            *disagreements,
        ],
    )


def form_302(org_code: str, year: int) -> BudgetFormReport:
    """สงป. 302: money by budget type and expense item (the year's lines; carry-over apart):
    the monthly plan and the disbursement of each month, with the quarters' own amounts; a line
    reported by round has its quarters from the rounds' figures."""
    org = _organization(org_code, year)
    lines = list(
        BudgetLine.objects.filter(organization=org, fiscal_year__year=year)
        .prefetch_related(
            Prefetch("months", BudgetMonth.objects.order_by("month")),
            Prefetch("spending", BudgetSpending.objects.select_related("round")),
        )
        .order_by("carried_over", "expense_type", "number")
    )
    sections: dict[tuple[bool, str], dict[str, Any]] = {}
    for line in lines:
        key = (line.carried_over, line.expense_type)
        heading = TYPE_LABELS.get(line.expense_type, "งบรายจ่ายไม่ระบุ")
        if line.carried_over:
            heading = f"เงินกันไว้เบิกเหลื่อมปี — {heading}"
        section = sections.setdefault(key, {"heading": heading, "rows": []})
        months = {m.month: m for m in line.months.all()}
        name = line.expense_item or line.name
        number = line.code or str(line.number)
        planned: list[Decimal | None]
        paid: list[Decimal | None]
        if any(m.planned_baht for m in months.values()):
            planned = [
                months[m].planned_baht if m in months else Decimal(0) for m in fiscal.FISCAL_MONTHS
            ]
            plan_quarters = _quarters_of_months(planned)
        else:
            planned = [None] * len(MONTH_LABELS)
            share = line.annual_plan_baht / 4
            plan_quarters = [share] * 4
        reported = [months[m].disbursed_baht if m in months else None for m in fiscal.FISCAL_MONTHS]
        if any(v is not None for v in reported):
            paid = reported
            paid_quarters = _quarters_of_months(paid)
        else:
            paid = [None] * len(MONTH_LABELS)
            paid_quarters = _quarters_of_cumulative(
                {s.round.months: s.disbursed_baht for s in line.spending.all()}
            )
        section["rows"].append(_row(number, name, "บาท", "plan", planned, plan_quarters))
        section["rows"].append(_row(number, name, "บาท", "result", paid, paid_quarters))
    return _report(
        "form-302",
        org,
        year,
        "แผน/ผลการใช้จ่ายงบประมาณ",
        "บาท",
        list(sections.values()),
        [
            "ผลคือผลการเบิกจ่าย (ไม่รวมก่อหนี้ผูกพัน)",
            "รายการที่ไม่มีแผนรายเดือน: แผนแต่ละไตรมาสคือหนึ่งในสี่ของแผนทั้งปี;"
            " รายการที่รายงานผลรายรอบ: ผลแต่ละไตรมาสคิดจากผลสะสมของรอบ",
        ],
    )
