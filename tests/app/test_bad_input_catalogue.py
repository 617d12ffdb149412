"""A catalogue of bad input, as people (and scripts) send it, through HTTP and the console command.

Each row is one bad input on one form, upload, search or command. For every row the answer is
never a 500 and never a traceback; the Thai message says what is wrong and how to fix it, by the
field it concerns (or naming the field or argument); and nothing was written: every table of the
project's apps (history included) has the same rows, and the evidence folder the same files.

Rows marked owner="lead" are the round entry and KPI result forms, whose views and services the
lead owns (they make those rows pass); the rest are bad-input's.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client, override_settings
from django.urls import reverse

from tests.app.conftest import open_round_for, signed_in
from tidtam.agreements.models import Agreement, AgreementKPI, Indicator
from tidtam.budgets.models import BudgetLine
from tidtam.limits import NAME_MAX, TEXT_MAX
from tidtam.orgs.models import Organization
from tidtam.periods.models import Round
from tidtam.plans.models import Activity, OperatingPlan, Output, PlannedMilestone, WorkItem

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

# What the checksums cover: every table of these apps, their history tables included.
CHECKED_APPS = {
    "orgs",
    "policies",
    "periods",
    "plans",
    "budgets",
    "progress",
    "agreements",
    "reports",
    "auth",
}

HUGE = "ก" * 20_000  # a 20,000-character paste: longer than any limit
DIGITS_30 = "1" * 30
NUL = "โครงการ\x00ทดลอง"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
MAINTENANCE = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"
JOURNAL = "โครงการจัดทำ วารสารวิชาการ นานาชาติ อิเล็กทรอนิกส์"


# --- the forms, each as (URL, what the page posts when nothing is wrong) ------------------------


def onesqa_plan() -> OperatingPlan:
    return OperatingPlan.objects.get(organization__code="onesqa", fiscal_year__year=2567)


def journal() -> WorkItem:
    return WorkItem.objects.get(plan=onesqa_plan(), name__startswith=JOURNAL)


def item_edit() -> tuple[str, dict[str, Any]]:
    item = journal()
    data: dict[str, Any] = {
        "name": item.name,
        "kind": item.kind,
        "target_quantity": "" if item.target_quantity is None else str(item.target_quantity),
        "target_unit": item.target_unit,
        "target_text": item.target_text,
        "budget_baht": "" if item.budget_baht is None else str(item.budget_baht),
        "budget_line": str(item.budget_line_id or ""),
        "later_quarter_from": str(item.later_quarter_from or ""),
        "group_name": item.group_name,
    }
    milestones = {m.round_months: m for m in item.milestones.all()}
    for months in (3, 6, 9, 12):
        m = milestones.get(months)
        data[f"m{months}-text"] = m.text if m else ""
        quantity = m.planned_quantity if m else None
        data[f"m{months}-planned_quantity"] = "" if quantity is None else str(quantity)
    return reverse("plans:work_item_edit", kwargs={"work_item_id": item.pk}), data


def item_add() -> tuple[str, dict[str, Any]]:
    activity = Activity.objects.filter(output__plan=onesqa_plan()).order_by("pk").first()
    assert activity is not None
    url = reverse("plans:work_item_add", kwargs={"activity_id": activity.pk})
    return url, {"kind": "project", "name": "โครงการทดลอง"}


def output_add() -> tuple[str, dict[str, Any]]:
    return reverse("plans:output_add", kwargs={"plan_id": onesqa_plan().pk}), {"name": "ผลผลิต"}


def activity_add() -> tuple[str, dict[str, Any]]:
    output = Output.objects.filter(plan=onesqa_plan()).order_by("number").first()
    assert output is not None
    url = reverse("plans:activity_add", kwargs={"output_id": output.pk})
    return url, {"name": "กิจกรรมทดลอง", "name_note": ""}


def plan_add() -> tuple[str, dict[str, Any]]:
    onesqa = Organization.objects.get(code="onesqa")
    return reverse("plans:plan_add"), {"organization": onesqa.pk, "fiscal_year": "", "title": "แผน"}


def milestone_edit() -> tuple[str, dict[str, Any]]:
    milestone = PlannedMilestone.objects.filter(work_item__plan=onesqa_plan()).order_by("pk")[0]
    url = reverse("plans:milestone_edit", kwargs={"milestone_id": milestone.pk})
    quantity = milestone.planned_quantity
    prefix = f"m{milestone.round_months}"
    return url, {
        f"{prefix}-text": milestone.text,
        f"{prefix}-planned_quantity": "" if quantity is None else str(quantity),
        "text": milestone.text,
        "planned_quantity": "" if quantity is None else str(quantity),
    }


def exclude() -> tuple[str, dict[str, Any]]:
    url = reverse("plans:work_item_exclude", kwargs={"work_item_id": journal().pk})
    return url, {"reason": "ยกเลิกตามมติ"}


def responsibilities() -> tuple[str, dict[str, Any]]:
    url = reverse("plans:responsibilities", kwargs={"work_item_id": journal().pk})
    return url, {"organization": "", "person": ""}


def budget_line() -> tuple[str, dict[str, Any]]:
    line = BudgetLine.objects.filter(organization__code="onesqa").order_by("number")[0]
    url = reverse("budgets:line_edit", kwargs={"line_id": line.pk})
    return url, {
        "category": line.category_id,
        "name": line.name,
        "annual_plan_baht": str(line.annual_plan_baht),
    }


def budget_line_add() -> tuple[str, dict[str, Any]]:
    line = BudgetLine.objects.filter(organization__code="onesqa").order_by("number")[0]
    url = reverse("budgets:line_add", kwargs={"plan_id": onesqa_plan().pk})
    return url, {"category": line.category_id, "name": "รายการใหม่", "annual_plan_baht": "1000"}


def first_line() -> BudgetLine:
    return BudgetLine.objects.filter(organization__code="onesqa", fiscal_year__year=2567).order_by(
        "number"
    )[0]


def line_months() -> tuple[str, dict[str, Any]]:
    """The first line's month grid, nothing typed (no monthly plan, no results)."""
    url = reverse("budgets:line_months", kwargs={"line_id": first_line().pk})
    data = {"version": ""}
    for month in range(1, 13):
        data.update({f"planned_{month}": "", f"disbursed_{month}": "", f"committed_{month}": ""})
    return url, data


def item_months() -> tuple[str, dict[str, Any]]:
    """The month grid of สมศ.'s first work item with a quantity target, nothing typed."""
    item = (
        WorkItem.objects.filter(
            plan__organization__code="onesqa",
            plan__fiscal_year__year=2567,
            target_quantity__isnull=False,
        )
        .order_by("pk")
        .first()
    )
    assert item is not None
    url = reverse("plans:work_item_months", kwargs={"work_item_id": item.pk})
    data = {"version": ""}
    for month in range(1, 13):
        data.update({f"planned_{month}": "", f"result_{month}": ""})
    return url, data


def round_spending() -> tuple[str, dict[str, Any]]:
    """สมศ.'s figures of the 12-month round (none reported yet), each line left as it is."""
    url = reverse(
        "budgets:round_spending", kwargs={"plan_id": onesqa_plan().pk, "round_months": 12}
    )
    return url, {}


def bic_agreement() -> Agreement:
    return Agreement.objects.get(organization__code="ops-bic", fiscal_year__year=2564)


def kpi_four() -> AgreementKPI:
    return AgreementKPI.objects.select_related("indicator").get(
        group__agreement=bic_agreement(), number=4
    )


def agreement_cover() -> tuple[str, dict[str, Any]]:
    agreement = bic_agreement()
    return reverse("agreements:agreement_edit", args=[agreement.pk]), {
        "title": agreement.title,
        "subtitle": agreement.subtitle,
        "receiver": agreement.receiver_id,
        "receiver_position": agreement.receiver_position,
        "maker": agreement.maker_id,
        "maker_position": agreement.maker_position,
        "period_start": "1/10/2563",
        "period_end": "30/09/2564",
        "signed_on": "",
        "scheme": agreement.scheme,
        "interpolation": agreement.interpolation,
        "below_lowest_points": "0",
        "weighting": "of_max",
        "score_places": "4",
    }


def group_add() -> tuple[str, dict[str, Any]]:
    return reverse("agreements:group_add", args=[bic_agreement().pk]), {"name": "องค์ประกอบ"}


def kpi_add() -> tuple[str, dict[str, Any]]:
    group = bic_agreement().groups.order_by("order")[0]
    return reverse("agreements:kpi_add", args=[group.pk]), {
        "name": "ตัวชี้วัดทดลอง",
        "measure_kind": "quantity",
        "direction": "higher",
        "unit": "เรื่อง",
        "target_value": "3",
        "target_text": "3 เรื่อง",
    }


def kpi_edit() -> tuple[str, dict[str, Any]]:
    four = kpi_four()
    indicator = four.indicator
    return reverse("agreements:kpi_edit", args=[four.pk]), {
        "number": "4",
        "name": indicator.name,
        "measure_kind": indicator.measure_kind,
        "direction": indicator.direction,
        "unit": indicator.unit,
        "target_value": "10",
        "target_text": indicator.target_text,
        "previous_result": indicator.previous_result,
        "linkage_text": four.linkage_text,
        "description": indicator.description,
        "definitions": indicator.definitions,
        "data_sources": indicator.data_sources,
        "conditions": indicator.conditions,
        "steps": indicator.steps,
        "benefit": indicator.benefit,
    }


def kpi_levels() -> tuple[str, dict[str, Any]]:
    four = kpi_four()
    levels = list(four.levels.order_by("rank"))
    data: dict[str, Any] = {
        "levels-TOTAL_FORMS": str(len(levels)),
        "levels-INITIAL_FORMS": str(len(levels)),
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "1000",
    }
    for index, level in enumerate(levels):
        data |= {
            f"levels-{index}-level_id": str(level.pk),
            f"levels-{index}-name": level.name,
            f"levels-{index}-points": f"{level.points:f}",
            f"levels-{index}-threshold": "" if level.threshold is None else f"{level.threshold:f}",
            f"levels-{index}-description": level.description,
        }
    return reverse("agreements:kpi_levels", args=[four.pk]), data


def round_deadline() -> tuple[str, dict[str, Any]]:
    onesqa = Organization.objects.get(code="onesqa")
    round_ = Round.objects.get(fiscal_year__year=2567, months=6)
    url = reverse("periods:round_edit", kwargs={"org_id": onesqa.pk, "round_id": round_.pk})
    return url, {"deadline": "15/04/2567"}


def fiscal_year_add() -> tuple[str, dict[str, Any]]:
    return reverse("periods:fiscal_year_add"), {"organization": "", "year": "2570"}


def document_request() -> tuple[str, dict[str, Any]]:
    return reverse("reports:documents"), {
        "document": "quarterly",
        "organization": "onesqa",
        "fiscal_year": "2567",
        "round_months": "6",
        "fmt": "xlsx",
    }


def sign_in() -> tuple[str, dict[str, Any]]:
    return reverse("login"), {"username": "reporter", "password": "not-the-password"}


def password_reset() -> tuple[str, dict[str, Any]]:
    return reverse("password_reset"), {"email": "nobody@example.org"}


def entry() -> tuple[str, dict[str, Any]]:
    item = WorkItem.objects.get(name=MAINTENANCE)
    round_ = open_round_for(2567, 6)
    return reverse("progress:entry", args=[item.pk, round_.pk]), {
        "result_text": "ดำเนินการได้ 9 กิจกรรม",
        "result_text_annual": "",
        "result_quantity": "9",
        "percent_round": "",
        "percent_annual": "",
        "percent_note": "",
        "explanation": "",
        "submit": "0",
    }


def kpi_result() -> tuple[str, dict[str, Any]]:
    indicator = Indicator.objects.get(pk=kpi_four().indicator_id)
    round_ = open_round_for(2564, 12, "ops-bic")
    url = reverse("progress:result", args=[indicator.pk, round_.pk])
    return url, {"value": "7", "narrative": "ผลตามรายงาน", "submit": "0"}


# --- the catalogue -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One bad input: who sends it, to which form, what they change, and what they must read.

    `field`: the form field under which the message must stand (None: anywhere on the page);
    `says`: words of the Thai message that must appear (what is wrong, the limit, the fix).
    """

    id: str
    who: str
    form: Callable[[], tuple[str, dict[str, Any]]]
    changes: dict[str, Any]
    says: tuple[str, ...]
    field: str | None = None
    statuses: frozenset[int] = frozenset({400})
    owner: str = "bad-input"
    raw: str | None = None  # a urlencoded fragment appended as is (bytes a browser would not send)


TOO_LONG = ("เกินที่รับได้", "ตัวอักษร", "ให้ย่อ")
NOT_A_NUMBER = ("ไม่ใช่ตัวเลข", "ให้กรอก")
TOO_MANY_DIGITS = ("ยาวเกิน", "ไม่เกิน")
TOO_MANY_PLACES = ("ทศนิยม", "4 ตำแหน่ง")
MONEY_PLACES = ("ทศนิยม", "2 ตำแหน่ง")
NEGATIVE = ("ตั้งแต่ 0",)
NOT_IN_LIST = ("เลือก", "จากรายการ")
NUL_REFUSED = ("อักขระ NUL", "พิมพ์หรือวางใหม่")
INVALID_TEXT = ("ไม่ใช่ข้อความที่อ่านได้", "พิมพ์หรือวางใหม่")
SURROGATE = "%ED%A0%80"  # a lone surrogate, UTF-8 encoded: not valid UTF-8
BAD_BYTES = "%FF%FE"


def text_cases(
    prefix: str, who: str, form: Callable[[], tuple[str, dict[str, Any]]], name: str, limit: int
) -> list[Case]:
    """A text box: a 20,000-character paste (says the limit and the length typed), a NUL byte
    (named by the field), and bytes that are not UTF-8."""
    return [
        Case(
            f"{prefix}-{name}-too-long",
            who,
            form,
            {name: HUGE},
            (*TOO_LONG, f"{limit}", "20000"),
            field=name,
        ),
        Case(f"{prefix}-{name}-nul", who, form, {name: NUL}, (*NUL_REFUSED, f'"{name}"')),
        Case(
            f"{prefix}-{name}-not-utf8",
            who,
            form,
            {name: None},
            (*INVALID_TEXT, f'"{name}"'),
            raw=f"{name}=ab{BAD_BYTES}",
        ),
    ]


def number_cases(
    prefix: str,
    who: str,
    form: Callable[[], tuple[str, dict[str, Any]]],
    name: str,
    *,
    places: tuple[str, ...] = TOO_MANY_PLACES,
    places_value: str = "1.23456",
    negative: bool = True,
    statuses: frozenset[int] = frozenset({400}),
    owner: str = "bad-input",
) -> list[Case]:
    """A number box: 30 digits, too many decimals, a word, NaN, and (where refused) −1."""
    cases = [
        Case(f"{prefix}-{name}-30-digits", who, form, {name: DIGITS_30}, TOO_MANY_DIGITS, name),
        Case(f"{prefix}-{name}-decimals", who, form, {name: places_value}, places, name),
        Case(f"{prefix}-{name}-word", who, form, {name: "สิบสอง"}, NOT_A_NUMBER, name),
        Case(f"{prefix}-{name}-nan", who, form, {name: "NaN"}, NOT_A_NUMBER, name),
        Case(f"{prefix}-{name}-exponent", who, form, {name: "1e400"}, NOT_A_NUMBER, name),
    ]
    if negative:
        cases.append(Case(f"{prefix}-{name}-negative", who, form, {name: "-1"}, NEGATIVE, name))
    return [Case(c.id, c.who, c.form, c.changes, c.says, c.field, statuses, owner) for c in cases]


ENTRY_STATUSES = frozenset({200, 400})

CASES: list[Case] = [
    # plans: the work item page (name, texts, numbers, lists, milestones)
    *text_cases("item", "planner", item_edit, "name", NAME_MAX),
    *text_cases("item", "planner", item_edit, "target_text", 255),
    *text_cases("item", "planner", item_edit, "group_name", 255),
    Case(
        "item-target_unit-too-long",
        "planner",
        item_edit,
        {"target_unit": HUGE},
        TOO_LONG,
        "target_unit",
    ),
    Case(
        "item-m6-text-too-long",
        "planner",
        item_edit,
        {"m6-text": HUGE},
        (*TOO_LONG, f"{TEXT_MAX}"),
        "m6-text",
    ),
    *number_cases("item", "planner", item_edit, "target_quantity"),
    *number_cases(
        "item", "planner", item_edit, "budget_baht", places=MONEY_PLACES, places_value="1.234"
    ),
    *number_cases("item", "planner", item_edit, "m12-planned_quantity"),
    Case("item-kind-unknown", "planner", item_edit, {"kind": "rocket"}, NOT_IN_LIST, "kind"),
    Case(
        "item-budget-line-unknown",
        "planner",
        item_edit,
        {"budget_line": "999999"},
        NOT_IN_LIST,
        "budget_line",
    ),
    Case(
        "item-budget-line-word",
        "planner",
        item_edit,
        {"budget_line": "abc"},
        NOT_IN_LIST,
        "budget_line",
    ),
    Case(
        "item-later-quarter-9",
        "planner",
        item_edit,
        {"later_quarter_from": "9"},
        NOT_IN_LIST,
        "later_quarter_from",
    ),
    Case("item-name-blank", "planner", item_edit, {"name": ""}, ("ต้องกรอก",), "name"),
    # plans: adding things
    *text_cases("item-add", "planner", item_add, "name", NAME_MAX),
    Case("item-add-kind-unknown", "planner", item_add, {"kind": "x"}, NOT_IN_LIST, "kind"),
    *text_cases("output-add", "planner", output_add, "name", 255),
    *text_cases("activity-add", "planner", activity_add, "name", 255),
    Case(
        "activity-add-note-too-long",
        "planner",
        activity_add,
        {"name_note": HUGE},
        TOO_LONG,
        "name_note",
    ),
    Case("plan-add-title-too-long", "planner", plan_add, {"title": HUGE}, TOO_LONG, "title"),
    Case(
        "plan-add-year-unknown",
        "planner",
        plan_add,
        {"fiscal_year": "999999"},
        NOT_IN_LIST,
        "fiscal_year",
    ),
    Case(
        "plan-add-organisation-word",
        "planner",
        plan_add,
        {"organization": "x\u0e01"},
        NOT_IN_LIST,
        "organization",
    ),
    *text_cases("exclude", "planner", exclude, "reason", TEXT_MAX),
    Case(
        "responsibility-unit-unknown",
        "planner",
        responsibilities,
        {"organization": "999999"},
        NOT_IN_LIST,
        "organization",
    ),
    Case(
        "responsibility-person-word",
        "planner",
        responsibilities,
        {"organization": "", "person": "abc"},
        NOT_IN_LIST,
        "person",
    ),
    # budgets
    *text_cases("budget-line", "planner", budget_line, "name", 255),
    *number_cases(
        "budget-line",
        "planner",
        budget_line,
        "annual_plan_baht",
        places=MONEY_PLACES,
        places_value="1.234",
    ),
    Case(
        "budget-line-category-unknown",
        "planner",
        budget_line,
        {"category": "999999"},
        NOT_IN_LIST,
        "category",
    ),
    Case(
        "budget-line-add-name-too-long",
        "planner",
        budget_line_add,
        {"name": HUGE},
        TOO_LONG,
        "name",
    ),
    Case(
        "budget-line-add-30-digits",
        "planner",
        budget_line_add,
        {"annual_plan_baht": DIGITS_30},
        TOO_MANY_DIGITS,
        "annual_plan_baht",
    ),
    # budgets: a line's months (plan and results) and a round's figures
    *number_cases(
        "months", "planner", line_months, "planned_1", places=MONEY_PLACES, places_value="1.234"
    ),
    *number_cases(
        "months", "planner", line_months, "disbursed_3", places=MONEY_PLACES, places_value="1.234"
    ),
    Case(
        "months-plan-not-the-years",
        "planner",
        line_months,
        {"planned_1": "1,000"},
        ("ไม่เท่ากับแผนการใช้จ่ายทั้งปี", "231,332,300", "ต่างกัน"),
    ),
    Case(
        "months-result-gap",
        "planner",
        line_months,
        {"disbursed_3": "100"},
        ("มีผลเดือนธันวาคม", "ยังไม่มีผลเดือนตุลาคม", "กรอก 0"),
    ),
    Case(
        "months-past-the-plan",
        "planner",
        line_months,
        {"disbursed_1": "231,332,300", "disbursed_2": "0.01"},
        ("เกินแผนการใช้จ่ายทั้งปี", "พฤศจิกายน", "231,332,300.01"),
    ),
    Case(
        "months-not-begun",
        "planner",
        line_months,
        {f"disbursed_{m}": "0" for m in range(1, 9)},
        ("เดือนพฤษภาคม ยังไม่เริ่ม", "เฉพาะเดือนที่เริ่มแล้ว"),
    ),
    Case(
        "months-committed-without-disbursed",
        "planner",
        line_months,
        {"committed_1": "5"},
        ("มีก่อหนี้ผูกพันเดือนตุลาคม", "ยังไม่มีผลเบิกจ่ายเดือนตุลาคม", "กรอก 0"),
    ),
    # plans: a work item's months (quantities planned and done)
    *number_cases("item-months", "planner", item_months, "planned_1"),
    *number_cases("item-months", "planner", item_months, "result_2"),
    Case(
        "item-months-plan-not-the-target",
        "planner",
        item_months,
        {"planned_1": "1,000"},
        ("ไม่เท่ากับค่าเป้าหมาย 11 กิจกรรม", "รวม 1,000 กิจกรรม"),
    ),
    Case(
        "item-months-result-gap",
        "planner",
        item_months,
        {"result_3": "5"},
        ("มีผลเดือนธันวาคม", "ยังไม่มีผลเดือนตุลาคม", "กรอก 0"),
    ),
    Case(
        "item-months-not-begun",
        "planner",
        item_months,
        {f"result_{m}": "0" for m in range(1, 9)},
        ("เดือนพฤษภาคม ยังไม่เริ่ม", "เฉพาะเดือนที่เริ่มแล้ว"),
    ),
    *number_cases(
        "spending",
        "planner",
        round_spending,
        "disbursed_1",
        places=MONEY_PLACES,
        places_value="1.234",
    ),
    Case(
        "spending-past-the-plan",
        "planner",
        round_spending,
        {"disbursed_1": "231,332,300.01"},
        ("เกินแผนการใช้จ่ายทั้งปี", "231,332,300"),
    ),
    Case(
        "spending-as-of-ce-year",
        "planner",
        round_spending,
        {"disbursed_1": "1", "as_of_1": "15/03/2024"},
        ("ค.ศ.", "พ.ศ."),
        "as_of_1",
    ),
    Case(
        "spending-as-of-outside-round",
        "planner",
        round_spending,
        {"disbursed_1": "1", "as_of_1": "01/04/2567"},
        ("ไม่อยู่ใน", "1 เมษายน 2567", "เลือกวันที่ภายในรอบ"),
    ),
    # agreements
    *text_cases("cover", "bic-planner", agreement_cover, "title", 255),
    Case(
        "cover-position-too-long",
        "bic-planner",
        agreement_cover,
        {"maker_position": HUGE},
        TOO_LONG,
        "maker_position",
    ),
    Case(
        "cover-date-impossible",
        "bic-planner",
        agreement_cover,
        {"period_end": "31/02/2564"},
        ("วันที่",),
        "period_end",
    ),
    Case(
        "cover-date-word",
        "bic-planner",
        agreement_cover,
        {"period_start": "เมื่อวาน"},
        ("วันที่", "พ.ศ."),
        "period_start",
    ),
    Case(
        "cover-scheme-unknown",
        "bic-planner",
        agreement_cover,
        {"scheme": "x"},
        NOT_IN_LIST,
        "scheme",
    ),
    Case(
        "cover-points-30-digits",
        "bic-planner",
        agreement_cover,
        {"below_lowest_points": DIGITS_30},
        TOO_MANY_DIGITS,
        "below_lowest_points",
    ),
    Case(
        "cover-points-decimals",
        "bic-planner",
        agreement_cover,
        {"below_lowest_points": "1.23456"},
        ("ทศนิยม",),
        "below_lowest_points",
    ),
    Case(
        "cover-receiver-unknown",
        "bic-planner",
        agreement_cover,
        {"receiver": "999999"},
        NOT_IN_LIST,
        "receiver",
    ),
    *text_cases("group-add", "bic-planner", group_add, "name", 255),
    *text_cases("kpi-add", "bic-planner", kpi_add, "name", NAME_MAX),
    Case("kpi-add-unit-too-long", "bic-planner", kpi_add, {"unit": HUGE}, TOO_LONG, "unit"),
    Case(
        "kpi-add-kind-unknown",
        "bic-planner",
        kpi_add,
        {"measure_kind": "x"},
        NOT_IN_LIST,
        "measure_kind",
    ),
    Case(
        "kpi-add-target-30-digits",
        "bic-planner",
        kpi_add,
        {"target_value": DIGITS_30},
        TOO_MANY_DIGITS,
        "target_value",
    ),
    Case(
        "kpi-add-target-negative",
        "bic-planner",
        kpi_add,
        {"target_value": "-1"},
        NEGATIVE,
        "target_value",
    ),
    *text_cases("kpi-edit", "bic-planner", kpi_edit, "description", TEXT_MAX),
    Case(
        "kpi-edit-definitions-too-long",
        "bic-planner",
        kpi_edit,
        {"definitions": HUGE},
        (*TOO_LONG, f"{TEXT_MAX}"),
        "definitions",
    ),
    Case(
        "kpi-edit-benefit-too-long", "bic-planner", kpi_edit, {"benefit": HUGE}, TOO_LONG, "benefit"
    ),
    Case("kpi-edit-steps-too-long", "bic-planner", kpi_edit, {"steps": HUGE}, TOO_LONG, "steps"),
    Case(
        "kpi-edit-previous-too-long",
        "bic-planner",
        kpi_edit,
        {"previous_result": HUGE},
        TOO_LONG,
        "previous_result",
    ),
    Case(
        "kpi-edit-number-huge",
        "bic-planner",
        kpi_edit,
        {"number": "99999999999999999999"},
        ("ไม่เกิน",),
        "number",
    ),
    Case("kpi-edit-number-zero", "bic-planner", kpi_edit, {"number": "0"}, ("ตั้งแต่ 1",), "number"),
    Case("kpi-edit-number-word", "bic-planner", kpi_edit, {"number": "สี่"}, ("จำนวนเต็ม",), "number"),
    Case(
        "kpi-levels-points-30-digits",
        "bic-planner",
        kpi_levels,
        {"levels-0-points": DIGITS_30},
        TOO_MANY_DIGITS,
        "levels-0-points",
    ),
    Case(
        "kpi-levels-threshold-decimals",
        "bic-planner",
        kpi_levels,
        {"levels-0-threshold": "1.23456"},
        ("ทศนิยม",),
        "levels-0-threshold",
    ),
    Case(
        "kpi-levels-description-too-long",
        "bic-planner",
        kpi_levels,
        {"levels-0-description": HUGE},
        TOO_LONG,
        "levels-0-description",
    ),
    Case(
        "kpi-levels-name-too-long",
        "bic-planner",
        kpi_levels,
        {"levels-0-name": HUGE},
        TOO_LONG,
        "levels-0-name",
    ),
    # periods and documents
    Case(
        "deadline-impossible",
        "planner",
        round_deadline,
        {"deadline": "31/02/2567"},
        ("วันที่", "พ.ศ."),
        "deadline",
    ),
    Case(
        "deadline-ce-year",
        "planner",
        round_deadline,
        {"deadline": "15/04/2024"},
        ("ค.ศ.", "พ.ศ."),
        "deadline",
    ),
    Case(
        "deadline-huge-year",
        "planner",
        round_deadline,
        {"deadline": "15/04/99999"},
        ("พ.ศ.",),
        "deadline",
    ),
    Case(
        "deadline-nul",
        "planner",
        round_deadline,
        {"deadline": "15/04\x00/2567"},
        (*NUL_REFUSED, '"deadline"'),
    ),
    Case("fiscal-year-word", "planner", fiscal_year_add, {"year": "สองพัน"}, NOT_A_NUMBER, "year"),
    Case("fiscal-year-ce", "planner", fiscal_year_add, {"year": "2024"}, ("ค.ศ.", "พ.ศ."), "year"),
    Case(
        "fiscal-year-fraction",
        "planner",
        fiscal_year_add,
        {"year": "2568.5"},
        ("จำนวนเต็ม",),
        "year",
    ),
    Case(
        "fiscal-year-nul",
        "planner",
        fiscal_year_add,
        {"year": "25\x0070"},
        (*NUL_REFUSED, '"year"'),
    ),
    Case(
        "document-unknown",
        "planner",
        document_request,
        {"document": "x"},
        ("ไม่มีเอกสารนี้",),
        "document",
    ),
    Case(
        "document-round-5",
        "planner",
        document_request,
        {"round_months": "5"},
        ("3, 6, 9 หรือ 12",),
        "round_months",
    ),
    Case(
        "document-year-word",
        "planner",
        document_request,
        {"fiscal_year": "abc"},
        ("ปีงบประมาณ",),
        "fiscal_year",
    ),
    Case(
        "document-org-unknown",
        "planner",
        document_request,
        {"organization": "nope"},
        ("ไม่พบหน่วยงานนี้",),
        "organization",
    ),
    Case(
        "document-format-unknown", "planner", document_request, {"fmt": "exe"}, ("รูปแบบไฟล์",), "fmt"
    ),
    # signing in and password reset (no one signed in)
    Case(
        "sign-in-name-too-long",
        "",
        sign_in,
        {"username": HUGE},
        TOO_LONG,
        "username",
        frozenset({200, 400}),
    ),
    Case(
        "sign-in-name-nul", "", sign_in, {"username": "reporter\x00"}, (*NUL_REFUSED, '"username"')
    ),
    Case(
        "sign-in-password-not-utf8",
        "",
        sign_in,
        {"password": None},
        INVALID_TEXT,
        raw=f"password={SURROGATE}",
    ),
    Case(
        "password-reset-email-nul", "", password_reset, {"email": "a\x00@example.org"}, NUL_REFUSED
    ),
    # a name field whose own name is not valid text
    Case(
        "item-field-name-not-utf8", "planner", item_edit, {}, INVALID_TEXT, raw=f"na{BAD_BYTES}me=x"
    ),
    # the round entry form and the KPI result form: the lead's views and services
    *number_cases(
        "entry", "reporter", entry, "result_quantity", statuses=ENTRY_STATUSES, owner="lead"
    ),
    *number_cases(
        "entry", "reporter", entry, "percent_annual", statuses=ENTRY_STATUSES, owner="lead"
    ),
    Case(
        "entry-percent-round-negative",
        "reporter",
        entry,
        {"override": "on", "percent_round": "-1", "percent_annual": "10", "percent_note": "ตามจริง"},
        NEGATIVE,
        "percent_round",
        ENTRY_STATUSES,
        "lead",
    ),
    Case(
        "entry-result-text-too-long",
        "reporter",
        entry,
        {"result_text": HUGE},
        (*TOO_LONG, f"{TEXT_MAX}"),
        "result_text",
        ENTRY_STATUSES,
        "lead",
    ),
    Case(
        "entry-explanation-too-long",
        "reporter",
        entry,
        {"explanation": HUGE},
        TOO_LONG,
        "explanation",
        ENTRY_STATUSES,
        "lead",
    ),
    Case(
        "entry-note-too-long",
        "reporter",
        entry,
        {"percent_note": HUGE},
        TOO_LONG,
        "percent_note",
        ENTRY_STATUSES,
        "lead",
    ),
    Case(
        "entry-quantity-far-over-target",
        "reporter",
        entry,
        {"result_quantity": "100,000,000"},
        ("ร้อยละ",),
        None,
        ENTRY_STATUSES,
        "lead",
    ),
    Case(
        "entry-result-text-nul",
        "reporter",
        entry,
        {"result_text": NUL},
        (*NUL_REFUSED, '"result_text"'),
        owner="lead",
    ),
    Case(
        "kpi-result-value-30-digits",
        "bic-planner",
        kpi_result,
        {"value": DIGITS_30},
        TOO_MANY_DIGITS,
        "value",
        ENTRY_STATUSES,
        "lead",
    ),
    Case(
        "kpi-result-value-decimals",
        "bic-planner",
        kpi_result,
        {"value": "1.23456"},
        TOO_MANY_PLACES,
        "value",
        ENTRY_STATUSES,
        "lead",
    ),
    Case(
        "kpi-result-narrative-too-long",
        "bic-planner",
        kpi_result,
        {"narrative": HUGE},
        TOO_LONG,
        "narrative",
        ENTRY_STATUSES,
        "lead",
    ),
]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every checked table's rows, as the database stores them, to compare with ==. Read with SQL
    and kept as they are: the ORM's reading took most of this module's time, and a checksum of
    the rows (repr and sha256) 40 % of what was left."""
    tables = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.app_label not in CHECKED_APPS:
                continue
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")
            tables[model._meta.label] = cursor.fetchall()
    return tables


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def evidence_root(tmp_path: Path) -> Any:
    root = tmp_path / "evidence"
    root.mkdir()
    (root / "kept.pdf").write_bytes(PDF)  # a file already there must stay
    with override_settings(DEMO_TODAY="2024-04-08", EVIDENCE_ROOT=root):
        yield root


def post(client: Client, url: str, data: dict[str, Any], raw: str | None) -> Any:
    if raw is None:
        return client.post(url, {k: v for k, v in data.items() if v is not None})
    body = urlencode([(k, v) for k, v in data.items() if v is not None]) + "&" + raw
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def error_under(page: str, name: str) -> str:
    # Our field template writes a <div>, Django's own error list a <ul>; both carry this id.
    match = re.search(rf'id="id_{re.escape(name)}_error"[^>]*>(.*?)</(?:div|ul)>', page, re.S)
    return html.unescape(match.group(1)) if match else ""


def param(case: Case) -> Any:
    # The lead's rows say so in their test id: "entry-…[lead]".
    return pytest.param(case, id=f"{case.id}[lead]" if case.owner == "lead" else case.id)


def test_the_catalogue_has_at_least_a_hundred_distinct_bad_inputs() -> None:
    ids = [case.id for case in CASES]
    assert len(set(ids)) == len(ids)
    assert len(ids) + len(COMMANDS) + len(REQUESTS) >= 100


@pytest.mark.parametrize("case", [param(case) for case in CASES])
def test_a_bad_input_gets_a_thai_answer_by_its_field_and_nothing_is_written(
    case: Case, evidence_root: Path
) -> None:
    url, data = case.form()
    client = signed_in(Client(), case.who) if case.who else Client()
    before, files_before = snapshot(), files_in(evidence_root)

    response = post(client, url, {**data, **case.changes}, case.raw)

    assert response.status_code != 500
    assert response.status_code in case.statuses, response.status_code
    page = html.unescape(response.content.decode())
    for words in case.says:
        assert words in page, f"{words!r} not on the page"
    if case.field is not None:
        message = error_under(response.content.decode(), case.field)
        assert message, f"no message under the field {case.field}"
        assert any(words in message for words in case.says), message
    assert snapshot() == before
    assert files_in(evidence_root) == files_before


# --- requests no form sees: too big, too many fields, files too large, NUL in a search ---------


@dataclass(frozen=True)
class Request:
    id: str
    settings: dict[str, Any]
    send: Callable[[Client], Any]
    status: int
    says: tuple[str, ...]


def big_form(client: Client) -> Any:
    url, data = item_edit()
    return client.post(url, {**data, "name": "ก" * 5_000})


def many_fields(client: Client) -> Any:
    url, data = item_edit()
    return client.post(url, {**data, **{f"extra{i}": "x" for i in range(50)}})


def many_files(client: Client) -> Any:
    url, data = entry()
    files = [SimpleUploadedFile(f"{i}.pdf", PDF, "application/pdf") for i in range(5)]
    return client.post(url, {**data, "evidence": files})


def huge_upload(client: Client) -> Any:
    url, data = entry()
    big = SimpleUploadedFile("ใหญ่.pdf", PDF + b"0" * 40_000, "application/pdf")
    return client.post(url, {**data, "evidence": [big]})


def search_nul(client: Client) -> Any:
    return client.get(reverse("web:search"), {"q": "โครงการ\x00"})


def search_not_utf8(client: Client) -> Any:
    return client.get(reverse("web:search") + f"?q=ab{BAD_BYTES}")


def search_surrogate(client: Client) -> Any:
    return client.get(reverse("web:search") + f"?q={SURROGATE}")


def list_nul(client: Client) -> Any:
    return client.get(reverse("plans:plan_list") + "?year=%00")


REQUESTS = [
    Request(
        "form-over-memory-limit",
        {"DATA_UPLOAD_MAX_MEMORY_SIZE": 4_000},
        big_form,
        413,
        ("เกินขนาดที่รับได้", "4 KB", "ย้อนกลับ", "ข้อความที่พิมพ์ไว้ยังอยู่"),
    ),
    Request(
        "too-many-fields",
        {"DATA_UPLOAD_MAX_NUMBER_FIELDS": 30},
        many_fields,
        413,
        ("จำนวนช่องเกินที่รับได้", "30 ช่อง"),
    ),
    Request(
        "too-many-files",
        {"DATA_UPLOAD_MAX_NUMBER_FILES": 3},
        many_files,
        413,
        ("เกินที่รับได้ (3 ไฟล์)", "ZIP"),
    ),
    Request(
        "upload-over-request-limit",
        {"REQUEST_MAX_BYTES": 20_000},
        huge_upload,
        413,
        ("เกินขนาดที่รับได้", "20 KB", "ย่อขนาดไฟล์", "ไฟล์ที่แนบต้องเลือกใหม่"),
    ),
    Request("search-nul", {}, search_nul, 400, (*NUL_REFUSED, '"q"')),
    Request("search-not-utf8", {}, search_not_utf8, 400, (*INVALID_TEXT, '"q"')),
    Request("search-surrogate", {}, search_surrogate, 400, (*INVALID_TEXT, '"q"')),
    Request("list-filter-nul", {}, list_nul, 400, (*NUL_REFUSED, '"year"')),
]


@pytest.mark.parametrize("request_", REQUESTS, ids=[r.id for r in REQUESTS])
def test_a_request_no_form_can_take_gets_a_thai_page_and_nothing_is_written(
    request_: Request, evidence_root: Path
) -> None:
    client = signed_in(
        Client(), "reporter" if "upload" in request_.id or "files" in request_.id else "planner"
    )
    if "upload" in request_.id or "files" in request_.id:
        entry()  # opens the round before the snapshot
    before, files_before = snapshot(), files_in(evidence_root)
    with override_settings(**request_.settings):
        response = request_.send(client)
    assert response.status_code == request_.status
    page = html.unescape(response.content.decode())
    for words in request_.says:
        assert words in page, f"{words!r} not on the page"
    assert "Bad Request" not in page
    assert snapshot() == before
    assert files_in(evidence_root) == files_before


# --- the console command: Thai, a non-zero exit, no traceback ---------------------------------


COMMANDS: list[tuple[str, list[str], tuple[str, ...]]] = [
    ("report-nothing", ["report"], ("ยังไม่ได้ระบุ", "document", "--help")),
    ("report-no-org", ["report", "quarterly"], ("ต้องระบุ", "--org", "--fy", "--schema")),
    (
        "report-year-word",
        ["report", "quarterly", "--org", "onesqa", "--fy", "abc"],
        ("--fy", "จำนวนเต็ม"),
    ),
    (
        "report-unknown-document",
        ["report", "nope", "--org", "onesqa", "--fy", "2567"],
        ("nope", "quarterly"),
    ),
    (
        "report-round-5",
        ["report", "quarterly", "--org", "onesqa", "--fy", "2567", "--round", "5"],
        ("5 เดือน", "3, 6, 9 หรือ 12"),
    ),
    (
        "report-ce-year",
        ["report", "quarterly", "--org", "onesqa", "--fy", "2024", "--round", "6"],
        ("ค.ศ.", "2567"),
    ),
    (
        "report-unknown-org",
        ["report", "quarterly", "--org", "nope", "--fy", "2567", "--round", "6"],
        ("nope",),
    ),
    ("report-org-missing-value", ["report", "quarterly", "--org"], ("--org", "ต้องตามด้วยค่า")),
    (
        "report-as-of-ce-year",
        ["report", "quarterly", "--org", "onesqa", "--fy", "2567", "--as-of", "15/02/2024"],
        ("ค.ศ.", "--as-of", "พ.ศ."),
    ),
    (
        "report-as-of-outside",
        [
            "report",
            "quarterly",
            "--org",
            "onesqa",
            "--fy",
            "2567",
            "--round",
            "6",
            "--as-of",
            "1/4/2567",
        ],
        ("อยู่นอกช่วงของรายงาน", "31 มีนาคม 2567"),
    ),
    (
        "report-as-of-not-a-date",
        ["report", "quarterly", "--org", "onesqa", "--fy", "2567", "--as-of", "กลางเดือน"],
        ("--as-of", "วันที่"),
    ),
    (
        "report-grid-as-word",
        ["report", "form-302", "--org", "onesqa", "--fy", "2567", "--format", "docx"],
        ("docx", "xlsx"),
    ),
    ("load-seeds-unknown-option", ["load_seeds", "--bogus"], ("ไม่รู้จัก", "--bogus")),
    ("generate-count-word", ["generate", "--organizations", "many"], ("--organizations",)),
    ("generate-year-word", ["generate", "--fy", "สองพัน"], ("--fy", "จำนวนเต็ม")),
    ("send-reminders-unknown-option", ["send_reminders", "--today", "x"], ("ไม่รู้จัก", "--today")),
    ("restore-missing-file", ["restore", "/nonexistent/backup.tar"], ("/nonexistent/backup.tar",)),
    ("backup-no-output", ["backup"], ("ยังไม่ได้ระบุ", "--output")),
    ("cleanup-minutes-word", ["cleanup", "--minutes", "สิบ"], ("--minutes", "จำนวนเต็ม")),
    # The Excel round trip (its bad files: tests/app/test_import_bad_files.py).
    ("import-missing-file", ["import", "/nonexistent/แผน.xlsx"], ("ไม่พบไฟล์", "แผน.xlsx")),
    (
        "export-unknown-template",
        ["export", "budget", "--org", "onesqa", "--fy", "2567", "-o", "/tmp/x.xlsx"],
        ('ส่งออก "budget" ไม่ได้', "plan"),
    ),
    (
        "export-results-without-round",
        ["export", "results", "--org", "onesqa", "--fy", "2567", "-o", "/tmp/x.xlsx"],
        ("ระบุรอบ",),
    ),
    (
        "export-unknown-org",
        ["export", "spending", "--org", "nowhere", "--fy", "2567", "-o", "/tmp/x.xlsx"],
        ('ไม่พบหน่วยงานรหัส "nowhere"',),
    ),
    (
        "export-no-agreement",
        ["export", "agreement", "--org", "onesqa", "--fy", "2567", "-o", "/tmp/x.xlsx"],
        ("ยังไม่มีคำรับรอง",),
    ),
]


@pytest.mark.parametrize(
    "args,says", [(a, s) for _, a, s in COMMANDS], ids=[c[0] for c in COMMANDS]
)
def test_a_bad_command_line_gets_thai_a_non_zero_exit_and_no_traceback(
    args: list[str], says: tuple[str, ...], evidence_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tidtam.cli import main

    # The command runs in this process, inside the test's transaction; Django closes every
    # connection after a command, which would end that transaction on PostgreSQL.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    before, files_before = snapshot(), files_in(evidence_root)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), pytest.raises(SystemExit) as exited:
        main(args)
    text = out.getvalue() + err.getvalue()
    assert exited.value.code not in (0, None)
    assert "Traceback" not in text
    assert re.search("[\u0e00-\u0e7f]", text), text
    for words in says:
        assert words in text, f"{words!r} not in {text!r}"
    assert snapshot() == before
    assert files_in(evidence_root) == files_before


def test_the_entry_page_checks_file_sizes_before_sending(evidence_root: Path) -> None:
    """The browser is told each file's limit and the request's, and loads the static script that
    refuses an over-size file while what was typed is still on the page (no inline script)."""
    from django.conf import settings

    url, _ = entry()
    page = signed_in(Client(), "reporter").get(url).content.decode()
    assert f'data-max-bytes="{settings.EVIDENCE_MAX_BYTES}"' in page
    assert f'data-max-total-bytes="{settings.REQUEST_MAX_BYTES}"' in page
    assert "tidtam/upload-limit" in page and ".js" in page
