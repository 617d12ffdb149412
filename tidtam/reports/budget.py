"""The budget section of a report: every line's figures as of a day, subtotals, the allocation,
the Cabinet's targets on their measure, and the sentences that name them.

เบิกจ่าย (disbursed: paid out) and ใช้จ่าย (spent: disbursed and committed) are different
figures with different percents; every figure here carries its own name, and the sentences are
templates (tidtam/reports/prose) that say which one they print.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from tidtam.budgets.models import (
    BudgetAllocation,
    BudgetCategory,
    BudgetLine,
    BudgetSpending,
    CabinetTarget,
)
from tidtam.budgets.selectors import figures_as_of, lines_of, past_years, spending_by_line
from tidtam.domain.budget import BudgetFigures, sum_figures
from tidtam.domain.disbursement import (
    MONTHS_IN_YEAR,
    Measure,
    MonthlyPlan,
    compare_target,
    group_figures,
)
from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import (
    fiscal_month_of,
    fiscal_month_window,
    fiscal_year_start,
    round_last_month,
)
from tidtam.domain.forecast import Forecast, forecast_disbursement
from tidtam.domain.money import percent, rounding_difference, to_million
from tidtam.domain.thai import format_date_long, format_date_short, format_million, format_number
from tidtam.domain.thai import format_percent as pct
from tidtam.messages import FORECAST_METHODS, LABELS, MEASURE_WORDS, WITH_UNITS, unit_named
from tidtam.orgs.access import descendants_map, with_descendants
from tidtam.orgs.models import Organization
from tidtam.periods.models import Round
from tidtam.reports.prose import sentence

NATURE_LABELS = dict(BudgetCategory.Nature.choices)
TYPE_LABELS = dict(BudgetCategory.StandardType.choices)
UNSET = "ไม่ระบุ"

# The subtotals every budget section carries: (key, Thai name, the line's group and its label).
SUBTOTALS: tuple[tuple[str, str, Callable[[BudgetLine], tuple[str, str]]], ...] = (
    (
        "expense_type",
        "งบรายจ่าย",
        lambda x: (x.expense_type, TYPE_LABELS.get(x.expense_type, UNSET)),
    ),
    ("nature", "ลักษณะรายจ่าย", lambda x: (x.nature, NATURE_LABELS.get(x.nature, UNSET))),
    ("fund_source", "แหล่งเงิน", lambda x: (str(x.fund_source_id), x.fund_source.name)),
    ("category", "หมวดงบ", lambda x: (str(x.category_id), x.category.name)),
)


def figures_row(figures: BudgetFigures, total: BudgetFigures) -> dict[str, Any]:
    """Every figure people compare, exact and as shown."""
    return {
        "plan_baht": figures.plan,
        "disbursed_baht": figures.disbursed,
        "committed_baht": figures.committed,
        "spent_baht": figures.spent,
        "remaining_baht": figures.remaining,
        "planned_to_date_baht": figures.planned_to_date,
        "plan_million": format_million(figures.plan),
        "disbursed_million": format_million(figures.disbursed),
        "committed_million": format_million(figures.committed),
        "spent_million": format_million(figures.spent),
        "remaining_million": format_million(figures.remaining),
        "plan_million_value": to_million(figures.plan),
        "spent_million_value": to_million(figures.spent),
        "disbursed_million_value": to_million(figures.disbursed),
        # ใช้จ่าย ÷ plan: the figure seed 000 prints as its percent.
        "percent": figures.percent_spent,
        "percent_text": pct(figures.percent_spent),
        "percent_disbursed": figures.percent_disbursed,
        "percent_disbursed_text": pct(figures.percent_disbursed),
        "percent_disbursed_to_date": figures.percent_disbursed_to_date,
        "percent_disbursed_to_date_text": pct(figures.percent_disbursed_to_date),
        "percent_spent_to_date": figures.percent_spent_to_date,
        "percent_spent_to_date_text": pct(figures.percent_spent_to_date),
        "share_percent": figures.share_of(total),
        "share_percent_text": pct(figures.share_of(total)),
    }


def _rounding_note(parts: list[BudgetFigures], total: BudgetFigures) -> str:
    """Say so when the rounded lines do not add up to the rounded total (never hide it)."""
    notes = []
    for label, values, whole in (
        ("แผนการใช้จ่าย", [to_million(f.plan) for f in parts], to_million(total.plan)),
        ("ผลการใช้จ่าย", [to_million(f.spent) for f in parts], to_million(total.spent)),
    ):
        difference = rounding_difference(values, whole, 4)
        if difference:
            notes.append(
                f"{label}รายรายการที่ปัดเศษแล้วรวมกันต่างจากยอดรวม {format_number(abs(difference), 4)} ล้านบาท"
            )
    if not notes:
        return ""
    return "หมายเหตุ: " + " และ".join(notes) + " เนื่องจากการปัดเศษ (ยอดรวมคำนวณจากตัวเลขเต็มก่อนปัด)"


def _allocation(
    organizations: frozenset[int], round_: Round, total: BudgetFigures
) -> dict[str, Any] | None:
    """The allotment the organisations received, as its own figure, beside the lines' total:
    a difference in baht, or one the rounding of the shown parts makes, is said."""
    amount = BudgetAllocation.objects.filter(
        organization_id__in=organizations, fiscal_year=round_.fiscal_year
    ).aggregate(total=Sum("amount_baht"))["total"]
    if amount is None:
        return None
    difference = total.plan - amount
    shown = rounding_difference([to_million(total.plan)], to_million(amount), 4)
    if difference:
        note = (
            f"หมายเหตุ: รายการงบประมาณรวม {format_number(total.plan, 2)} บาท "
            f"{'มากกว่า' if difference > 0 else 'น้อยกว่า'}งบประมาณที่ได้รับจัดสรร "
            f"{format_number(amount, 2)} บาท อยู่ {format_number(abs(difference), 2)} บาท"
        )
    elif shown:
        note = (
            "หมายเหตุ: รายการงบประมาณรวมเท่ากับงบประมาณที่ได้รับจัดสรรพอดี "
            "ตัวเลขล้านบาทที่แสดงอาจต่างกันเล็กน้อยเนื่องจากการปัดเศษ"
        )
    else:
        note = ""
    return {
        "amount_baht": amount,
        "amount_million": format_million(amount),
        "difference_baht": difference,
        "note": note,
        # Disbursed and spent as percents of the allotment received.
        "percent_disbursed": percent(total.disbursed, amount),
        "percent_disbursed_text": pct(percent(total.disbursed, amount)),
        "percent_spent": percent(total.spent, amount),
        "percent_spent_text": pct(percent(total.spent, amount)),
    }


def _targets(
    round_: Round, total: BudgetFigures, by_nature: dict[str, BudgetFigures]
) -> list[dict[str, Any]]:
    """The Cabinet's targets for the round's quarter, each compared on its measure (disbursement
    unless the target says otherwise): overall with the total, recurrent and investment with
    the lines of that nature."""
    target = CabinetTarget.objects.filter(
        fiscal_year=round_.fiscal_year, quarter=round_.quarter
    ).first()
    if target is None:
        return []
    measure = Measure(target.measure)
    scopes = [
        ("overall", "ภาพรวม", target.overall_percent, total),
        (
            "recurrent",
            "รายจ่ายประจำ",
            target.recurrent_percent,
            by_nature.get(BudgetCategory.Nature.RECURRENT),
        ),
        (
            "investment",
            "รายจ่ายลงทุน",
            target.investment_percent,
            by_nature.get(BudgetCategory.Nature.INVESTMENT),
        ),
    ]
    rows = []
    for scope, label, target_percent, figures in scopes:
        if target_percent is None or figures is None:
            continue
        comparison = compare_target(figures, target_percent, measure)
        gap = comparison.gap
        if gap is None:
            standing = f"ยังคำนวณ{MEASURE_WORDS[measure]}ไม่ได้"
        elif gap >= 0:
            standing = f"สูงกว่าเป้าหมายร้อยละ {pct(gap)}"
        else:
            standing = f"ต่ำกว่าเป้าหมายร้อยละ {pct(-gap)}"
        rows.append(
            {
                "scope": scope,
                "label": label,
                "quarter": round_.quarter,
                "measure": measure.value,
                "measure_label": LABELS[measure],
                "target_percent": target_percent,
                "actual_percent": comparison.actual,
                "difference": gap,
                "met": comparison.met,
                "text": (
                    f"เป้าหมายการเบิกจ่ายตามมติคณะรัฐมนตรี ไตรมาสที่ {round_.quarter} {label} "
                    f"ร้อยละ {pct(target_percent)} {MEASURE_WORDS[measure]}ร้อยละ "
                    f"{pct(comparison.actual)} {standing}"
                ),
            }
        )
    return rows


def _reported_month(round_: Round, day: date) -> int:
    """The last whole month the figures cover: the round's last, or the month before the day's
    when they were drawn before its end."""
    if day >= round_.end_date:
        return round_last_month(round_.months)
    month = fiscal_month_of(day)
    return month if day == fiscal_month_window(round_.fiscal_year.year, month)[1] else month - 1


def _plan_of(line: BudgetLine) -> MonthlyPlan:
    """A line's monthly plan; a line without one is planned evenly over the year."""
    plan = line.monthly_plan()
    if plan is not None:
        return plan
    return MonthlyPlan((line.annual_plan_baht / MONTHS_IN_YEAR,) * MONTHS_IN_YEAR)


def _sum_plans(plans: list[MonthlyPlan]) -> MonthlyPlan:
    return MonthlyPlan(
        tuple(sum((p.amounts[i] for p in plans), Decimal(0)) for i in range(MONTHS_IN_YEAR))
    )


def _forecast_row(forecast: Forecast, allocation: Decimal) -> dict[str, Any]:
    year_end = forecast.year_end
    expected, low, high = year_end.percents(allocation)
    return {
        "method": forecast.method,
        "reported_month": forecast.reported_month,
        "expected_baht": year_end.expected,
        "low_baht": year_end.low,
        "high_baht": year_end.high,
        "expected_percent": expected,
        "expected_percent_text": pct(expected),
        "low_percent_text": pct(low),
        "high_percent_text": pct(high),
    }


def _forecast(
    organizations: frozenset[int],
    round_: Round,
    day: date,
    lines: list[tuple[BudgetLine, BudgetFigures, date]],
    total: BudgetFigures,
) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    """The year-end disbursement forecast of the organisation and of each line, with the
    Cabinet's quarter targets it will likely miss."""
    reported = _reported_month(round_, day)
    plans = {line.pk: _plan_of(line) for line, _, _ in lines}
    per_line = {
        line.pk: _forecast_row(
            forecast_disbursement(
                allocation=figures.plan,
                plan=plans[line.pk],
                reported_month=reported,
                disbursed=figures.disbursed,
            ),
            figures.plan,
        )
        for line, figures, _ in lines
    }
    forecast = forecast_disbursement(
        allocation=total.plan,
        plan=_sum_plans(list(plans.values())),
        reported_month=reported,
        disbursed=total.disbursed,
        past_years=past_years(organizations, round_.fiscal_year.year),
    )
    return _forecast_summary(forecast, total.plan, round_, ""), per_line


def _forecast_summary(
    forecast: Forecast, allocation: Decimal, round_: Round, whose: str
) -> dict[str, Any]:
    """A forecast's year end and range, the Cabinet's quarter targets it will likely miss, and
    its sentence (`whose`: what it is of, when not the organisation's own budget)."""
    reported = forecast.reported_month
    row = _forecast_row(forecast, allocation)
    quarters: list[dict[str, Any]] = []
    targets = CabinetTarget.objects.filter(fiscal_year=round_.fiscal_year).order_by("quarter")
    for target in targets:
        month = target.quarter * 3
        if month <= reported:
            continue
        expected = forecast.at(month).percents(allocation)[0]
        quarters.append(
            {
                "quarter": target.quarter,
                "expected_percent": expected,
                "expected_percent_text": pct(expected),
                "target_percent": target.overall_percent,
                "misses": forecast.misses(month, target.overall_percent),
            }
        )
    missed = [q for q in quarters if q["misses"]]
    method = FORECAST_METHODS[forecast.method]
    text = (
        f"{whose}คาดการณ์ผลการเบิกจ่าย ณ สิ้นปีงบประมาณ ร้อยละ {row['expected_percent_text']} "
        f"(ช่วง {row['low_percent_text']}–{row['high_percent_text']}) จาก{method}"
    )
    if missed:
        text += " มีแนวโน้มต่ำกว่าเป้าหมายการเบิกจ่ายตามมติคณะรัฐมนตรี ไตรมาสที่ " + ", ".join(
            f"{q['quarter']} (เป้าหมายร้อยละ {pct(q['target_percent'])})" for q in missed
        )
    row.update({"quarters": quarters, "likely_missed": bool(missed), "text": text})
    return row


def _subtree_forecast(
    org: Organization, round_: Round, as_of: date | None, reported: int
) -> dict[str, Any] | None:
    """The year-end forecast of the organisation with every unit below it that keeps budget
    lines of its own (a ministry with its departments), summed from their lines' plans and
    disbursement as of the same day; None when no unit below has a line this year."""
    ids = with_descendants({org.pk}, descendants_map())
    lines = [line for line in lines_of(ids, round_.fiscal_year) if line.of_the_year]  # type: ignore[attr-defined]
    units = {line.organization_id for line in lines}
    if not units - {org.pk}:
        return None
    measured = _measure(lines, round_, as_of)
    total = sum_figures([figures for _, figures, _ in measured])
    forecast = forecast_disbursement(
        allocation=total.plan,
        plan=_sum_plans([_plan_of(line) for line, _, _ in measured]),
        reported_month=reported,
        disbursed=total.disbursed,
        past_years=past_years(ids, round_.fiscal_year.year),
    )
    whose = f"ภาพรวม{org.label}และหน่วยงานในสังกัด ({len(units)} หน่วยงานที่มีรายการงบประมาณ): "
    return {
        **_forecast_summary(forecast, total.plan, round_, whose),
        "organizations": len(units),
        "plan_baht": total.plan,
        "disbursed_baht": total.disbursed,
    }


def _measure(
    lines: list[BudgetLine], round_: Round, as_of: date | None
) -> list[tuple[BudgetLine, BudgetFigures, date]]:
    """Each line's figures and the day they are as of: the round's (the day each was drawn),
    or as of a day of the year."""
    if as_of is None:
        spending = {
            s.line_id: s for s in BudgetSpending.objects.filter(line__in=lines, round=round_)
        }
        return [(line, *line.figures_in_round(spending.get(line.pk), round_)) for line in lines]
    by_line = spending_by_line(lines)
    year = round_.fiscal_year.year
    return [(line, *figures_as_of(line, by_line.get(line.pk, []), year, as_of)) for line in lines]


def budget_section(
    org: Organization,
    round_: Round,
    as_of: date | None = None,
    *,
    organizations: frozenset[int] | None = None,
) -> dict[str, Any]:
    """The organisation's budget for the year as of the round (the day its figures were drawn),
    or as of a day from 1 October to the round's end: the year's lines and, apart, the money
    carried over from the year before. With `organizations` (the organisation and its units),
    every line of theirs, each named by its organisation, added up as one budget."""
    year = round_.fiscal_year.year
    if as_of is not None:
        start = fiscal_year_start(year)
        if not start <= as_of <= round_.end_date:
            raise DomainError(
                "as_of_outside_report",
                as_of=format_date_long(as_of),
                start=format_date_long(start),
                end=format_date_long(round_.end_date),
                round=str(round_),
            )
    ids = organizations or frozenset({org.pk})
    measured = _measure(lines_of(ids, round_.fiscal_year), round_, as_of)
    # Each line named by its organisation when the budget is of more than one.
    owners = (
        dict(Organization.objects.filter(pk__in=ids).values_list("pk", "short_name"))
        if organizations is not None
        else {}
    )

    def named(line: BudgetLine) -> str:
        return unit_named(owners.get(line.organization_id), line.name)

    lines = [(line, f, day) for line, f, day in measured if line.of_the_year]  # type: ignore[attr-defined]
    carried = [(line, f, day) for line, f, day in measured if not line.of_the_year]  # type: ignore[attr-defined]
    figures_list = [f for _, f, _ in lines]
    total = sum_figures(figures_list)
    end = as_of or max((day for _, _, day in lines), default=round_.end_date)
    forecast, line_forecasts = _forecast(ids, round_, end, lines, total)
    # The organisation's own budget says where its units' budget takes it (a budget of them
    # all already is).
    with_units = (
        _subtree_forecast(org, round_, as_of, forecast["reported_month"])
        if organizations is None
        else None
    )
    rows = []
    for line, figures, day in lines:
        row = {
            "number": line.number,
            "name": named(line),
            "code": line.code,
            "expense_type": line.expense_type,
            "expense_type_label": TYPE_LABELS.get(line.expense_type, ""),
            "nature": line.nature,
            "nature_label": NATURE_LABELS.get(line.nature, ""),
            "fund_source": line.fund_source.name,
            "category": line.category.name,
            "as_of": day,
            **figures_row(figures, total),
            "forecast": line_forecasts[line.pk],
        }
        row["text"] = sentence("quarterly", "budget_line", org.code, {"line": row})
        rows.append(row)
    subtotals: list[dict[str, Any]] = []
    for key, label, group_of in SUBTOTALS:
        labels: dict[str, str] = {}
        pairs = []
        for line, figures, _ in lines:
            group, group_label = group_of(line)
            labels.setdefault(group, group_label)
            pairs.append((group, figures))
        subtotals.append(
            {
                "by": key,
                "label": label,
                "groups": [
                    {"key": group, "label": labels[group], **figures_row(figures, total)}
                    for group, figures in group_figures(pairs).items()
                ],
            }
        )
    notes: list[str] = [
        f"จำแนกตาม{subtotal['label']}: "
        + " ".join(
            f"{g['label']} แผน {g['plan_million']} ล้านบาท เบิกจ่าย {g['disbursed_million']} ล้านบาท"
            f" (ร้อยละ {g['percent_disbursed_text']}) ใช้จ่าย {g['spent_million']} ล้านบาท"
            f" (ร้อยละ {g['percent_text']})"
            for g in subtotal["groups"]
        )
        for subtotal in subtotals
        if subtotal["by"] != "category" and len(subtotal["groups"]) > 1
    ]
    by_nature = group_figures((line.nature, f) for line, f, _ in lines)
    carried_total = sum_figures(f for _, f, _ in carried)
    targets = _targets(round_, total, by_nature)
    as_of_text = format_date_long(end)
    total_row = figures_row(total, total)
    overall = next((t for t in targets if t["scope"] == "overall"), None)
    notes += [t["text"] for t in targets if t["scope"] != "overall"]
    notes.append(forecast["text"])
    if with_units is not None:
        notes.append(with_units["text"])
    allocation = _allocation(ids, round_, total)
    if allocation is not None and allocation["note"]:
        notes.append(allocation["note"])
    if carried:
        shown = figures_row(carried_total, carried_total)
        notes.append(
            f"เงินกันไว้เบิกเหลื่อมปี (แสดงแยก ไม่รวมในงบประมาณของปี) {len(carried)} รายการ"
            f" แผน {shown['plan_million']} ล้านบาท เบิกจ่าย {shown['disbursed_million']} ล้านบาท"
            f" (ร้อยละ {shown['percent_disbursed_text']})"
        )
    return {
        "as_of": end,
        "as_of_text": as_of_text,
        "lines": rows,
        "total": total_row,
        "subtotals": subtotals,
        "carried_over": {
            "lines": [
                {"number": line.number, "name": named(line), **figures_row(f, carried_total)}
                for line, f, _ in carried
            ],
            "total": figures_row(carried_total, carried_total),
        },
        "allocation": allocation,
        "forecast": forecast,
        "forecast_with_units": with_units,
        "notes": notes,
        "rounding_note": _rounding_note(figures_list, total),
        "rounding_difference_million": {
            "plan": rounding_difference(
                [to_million(f.plan) for f in figures_list], to_million(total.plan), 4
            ),
            "spent": rounding_difference(
                [to_million(f.spent) for f in figures_list], to_million(total.spent), 4
            ),
        },
        "paragraph": sentence(
            "quarterly",
            "budget_paragraph",
            org.code,
            {"year": year, "as_of_text": as_of_text, "total": total_row},
        ),
        "chart": {
            "title": (
                f"สรุปผลการใช้จ่ายงบประมาณ ({org.label}"
                f"{WITH_UNITS if organizations is not None else ''})"
                f" ประจำปีงบประมาณ พ.ศ. {year}"
            ),
            "subtitle": f"สิ้นสุด ณ วันที่ {as_of_text} ({round_.months} เดือน)",
            "categories": [named(line) for line, _, _ in lines],
            "plan_million": [to_million(f.plan) for f in figures_list],
            "spent_million": [to_million(f.spent) for f in figures_list],
            "disbursed_million": [to_million(f.disbursed) for f in figures_list],
            "disbursed_label": MEASURE_WORDS[Measure.DISBURSED],
        },
        "analysis_box": [
            "บทวิเคราะห์",
            "สิ้นสุด ณ วันที่",
            f"{format_date_short(end)} ({round_.months} เดือน)",
            "สำนักงานมีผลการใช้จ่าย",
            f"รวม {format_million(total.spent)} ล้านบาท",
            f"คิดเป็นร้อยละ {pct(total.percent_spent)}",
            "ของแผนการใช้จ่ายงบประมาณ",
            f"ประจำปี {year}",
            f"จำนวน {format_million(total.plan)} ล้านบาท",
        ],
        "targets": targets,
        "cabinet_target": (
            {
                "quarter": overall["quarter"],
                "overall_percent": overall["target_percent"],
                "difference": overall["difference"],
                "text": overall["text"],
            }
            if overall is not None
            else None
        ),
    }
