"""The plan as an Excel workbook keyed by stable keys (issue 12's round trip, its export half):
one row per work item under its output and activity, with Thai headers, a list to choose the
kind from, numbers checked as numbers, the key columns locked and an instructions sheet."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from tidtam.domain.errors import DomainError
from tidtam.plans.models import OperatingPlan, PlannedMilestone, WorkItem

ROUNDS = (3, 6, 9, 12)
# (header, width, locked): the key columns are the rows' identity and stay as exported.
COLUMNS = (
    ("รหัสอ้างอิงโครงการ", 18, True),
    ("รหัสอ้างอิงผลผลิต", 16, True),
    ("ผลผลิตที่", 9, False),
    ("ชื่อผลผลิต", 30, False),
    ("รหัสอ้างอิงกิจกรรม", 16, True),
    ("กิจกรรมที่", 9, False),
    ("ชื่อกิจกรรม", 30, False),
    ("ลำดับ", 7, False),
    ("ประเภท", 16, False),
    ("ชื่อโครงการ / รายการ", 40, False),
    ("ค่าเป้าหมาย (จำนวน)", 14, False),
    ("หน่วยนับ", 12, False),
    ("เป้าหมาย (ข้อความ)", 24, False),
    ("งบประมาณ (บาท)", 16, False),
    ("หน่วยงานรับผิดชอบ (รหัส)", 20, False),
    *((f"แผนสะสม {months} เดือน (จำนวน)", 14, False) for months in ROUNDS),
)
INSTRUCTIONS = (
    "แบบฟอร์มแผนปฏิบัติราชการของ tidtam (ติดตาม)",
    "หนึ่งแถวคือหนึ่งโครงการ / แผนงาน / รายการ ภายใต้ผลผลิตและกิจกรรมของแถวนั้น",
    "คอลัมน์ รหัสอ้างอิง ถูกล็อกไว้: เป็นตัวตนของแต่ละแถว ห้ามแก้ ถ้าเพิ่มแถวใหม่ให้เว้นว่าง",
    "ประเภทเลือกจากรายการในช่อง ตัวเลขพิมพ์เป็นตัวเลข (ไม่ต้องมีจุลภาค) แผนรายรอบเป็นจำนวนสะสมตั้งแต่ต้นปีงบประมาณ",
    "หน่วยงานรับผิดชอบให้ใส่รหัสหน่วยงาน คั่นด้วยจุลภาคถ้ามีหลายหน่วยงาน",
)


def plan_workbook(org_code: str, year: int) -> bytes:
    """The organisation's plan of the year as an XLSX workbook (bytes)."""
    plan = (
        OperatingPlan.objects.filter(organization__code=org_code, fiscal_year__year=year)
        .select_related("organization")
        .first()
    )
    if plan is None:
        raise DomainError("plan_missing", org=org_code, year=year)
    items = (
        WorkItem.objects.filter(plan=plan)
        .select_related("activity__output")
        .prefetch_related("responsible_units")
        .order_by("activity__output__number", "activity__number", "number")
    )
    milestones: dict[int, dict[int, object]] = {}
    for milestone in PlannedMilestone.objects.filter(work_item__plan=plan):
        milestones.setdefault(milestone.work_item_id, {})[milestone.round_months] = (
            milestone.planned_quantity
        )
    kinds = dict(WorkItem.Kind.choices)
    book = Workbook()
    guide = book.active
    guide.title = "คำอธิบาย"
    guide.append([f"{plan.title} ({plan.organization.label} ปีงบประมาณ {year})"])
    for line in INSTRUCTIONS:
        guide.append([line])
    guide["A1"].font = Font(bold=True)
    sheet = book.create_sheet("แผน")
    sheet.append([header for header, _, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_, width, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    for item in items:
        activity = item.activity
        output = activity.output
        planned = milestones.get(item.pk, {})
        sheet.append(
            [
                item.key,
                output.key,
                output.number,
                output.name,
                activity.key,
                activity.number,
                activity.name,
                item.number,
                kinds.get(item.kind, item.kind),
                item.name,
                item.target_quantity,
                item.target_unit,
                item.target_text,
                item.budget_baht,
                ", ".join(unit.code for unit in item.responsible_units.all()),
                *(planned.get(months) for months in ROUNDS),
            ]
        )
    last = max(sheet.max_row, 2)
    kind_list = DataValidation(
        type="list",
        formula1='"' + ",".join(kinds.values()) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="ประเภทไม่ถูกต้อง",
        error="เลือกประเภทจากรายการ",
    )
    kind_list.add(f"I2:I{last + 500}")
    numbers = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="ต้องเป็นตัวเลข",
        error="พิมพ์ตัวเลขตั้งแต่ 0 ขึ้นไป",
    )
    for column in ("K", "N", "P", "Q", "R", "S"):
        numbers.add(f"{column}2:{column}{last + 500}")
    sheet.add_data_validation(kind_list)
    sheet.add_data_validation(numbers)
    # Every cell may change but the keys: the sheet is protected, its other cells unlocked.
    for row in sheet.iter_rows(min_row=2, max_row=last + 500, max_col=len(COLUMNS)):
        for cell, (_, _, locked) in zip(row, COLUMNS, strict=True):
            cell.protection = Protection(locked=locked)
    sheet.protection.sheet = True
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
