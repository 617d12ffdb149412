"""The monthly spending template: one row per budget line and month (October … September) with
the planned disbursement, what was disbursed in the month and what was committed at its end, and
the line's version; and its import, a line at a time through the month grid's own save
(budgets.services.budget_months_save): the plan adds up to the line's, results without a gap,
a closed round's months kept, a form opened before another person's change refused."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tidtam.budgets.models import BudgetLine, BudgetMonth
from tidtam.budgets.services import MonthRow, budget_months_save, months_version
from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import fiscal_month_window
from tidtam.domain.thai import fiscal_month_name, format_month_year
from tidtam.orgs.models import Organization
from tidtam.transfer.engine import (
    Column,
    ImportPlan,
    Meta,
    RowChange,
    Rows,
    build_workbook,
    cell_problem,
)
from tidtam.transfer.plan import shown
from tidtam.transfer.workbook import Sheet, cell_fiscal_month, cell_number, cell_text, is_blank

KIND = "spending"
SHEET = "เบิกจ่ายรายเดือน"
MONTHS = range(1, 13)

KEY = "รหัสอ้างอิงรายการงบประมาณ"
CODE = "รหัสงบประมาณ"
NAME = "ชื่อรายการงบประมาณ"
ANNUAL = "แผนทั้งปี (บาท)"
MONTH = "เดือน"
PLANNED = "แผนการเบิกจ่าย (บาท)"
DISBURSED = "เบิกจ่ายในเดือน (บาท)"
COMMITTED = "ก่อหนี้ผูกพัน ณ สิ้นเดือน (บาท)"
VERSION = "รุ่นของข้อมูล"

COLUMNS = (
    Column(KEY, 16, locked=True),
    Column(CODE, 18, locked=True),
    Column(NAME, 40, locked=True),
    Column(ANNUAL, 16, locked=True),
    Column(MONTH, 14, locked=True),
    Column(PLANNED, 16, number=True),
    Column(DISBURSED, 16, number=True),
    Column(COMMITTED, 18, number=True),
    Column(VERSION, 8, locked=True),
)
INSTRUCTIONS = (
    "หนึ่งแถวคือหนึ่งรายการงบประมาณในหนึ่งเดือน ตั้งแต่ตุลาคมถึงกันยายน",
    "แผนการเบิกจ่ายของ 12 เดือนต้องรวมเท่ากับแผนทั้งปีของรายการ (ถ้าไม่มีแผนรายเดือนให้เว้นว่างหรือใส่ 0 ทุกเดือน)",
    "เบิกจ่ายในเดือน: จำนวนที่เบิกจ่ายในเดือนนั้น (ไม่สะสม) ก่อหนี้ผูกพัน: ยอดคงค้าง ณ สิ้นเดือน"
    " เดือนที่ยังไม่รายงานให้เว้นว่าง (0 คือรายงานว่าไม่มีการเบิกจ่าย)",
    "ผลต้องรายงานต่อเนื่องตั้งแต่ตุลาคม และรายงานได้เฉพาะเดือนที่เริ่มแล้ว ผลของไตรมาสที่สิ้นสุดแล้วและปิดรอบแล้วแก้ไม่ได้",
    "ตัวเลขพิมพ์เป็นตัวเลข ใช้จุลภาคหรือเลขไทยได้ คอลัมน์สีเทาถูกล็อกไว้",
)


def _lines(meta: Meta) -> list[BudgetLine]:
    organization = Organization.objects.filter(code=meta.org).first()
    if organization is None:
        raise DomainError("import_unknown_org", org=meta.org)
    return list(
        BudgetLine.objects.filter(organization=organization, fiscal_year__year=meta.year)
        .select_related("fiscal_year", "organization")
        .order_by("number", "pk")
    )


def _months(lines: list[BudgetLine]) -> dict[int, dict[int, BudgetMonth]]:
    months: dict[int, dict[int, BudgetMonth]] = {}
    for month in BudgetMonth.objects.filter(line__in=lines):
        months.setdefault(month.line_id, {})[month.month] = month
    return months


def month_label(year: int, month: int) -> str:
    return format_month_year(fiscal_month_window(year, month)[0])


def export(org_code: str, year: int, round_months: int | None = None, user: Any = None) -> bytes:
    meta = Meta(KIND, org_code, year)
    lines = _lines(meta)
    if not lines:
        raise DomainError("import_no_lines", org=org_code, year=year)
    months = _months(lines)
    rows = []
    for line in lines:
        version = months_version(line)
        for number in MONTHS:
            month = months.get(line.pk, {}).get(number)
            rows.append(
                [
                    line.key,
                    line.code,
                    line.name,
                    line.annual_plan_baht,
                    month_label(year, number),
                    month.planned_baht if month else None,
                    month.disbursed_baht if month else None,
                    month.committed_baht if month else None,
                    version,
                ]
            )
    return build_workbook(
        meta=meta,
        title=f"แผนและผลการเบิกจ่ายรายเดือน {lines[0].organization.label} ปีงบประมาณ {year}",
        instructions=INSTRUCTIONS,
        sheet_name=SHEET,
        columns=COLUMNS,
        rows=rows,
    )


def read_import(sheets: dict[str, Sheet], meta: Meta, user: Any) -> ImportPlan:
    lines = {line.key: line for line in _lines(meta)}
    result = ImportPlan(meta, f"แผนและผลการเบิกจ่ายรายเดือน {meta.org} ปีงบประมาณ {meta.year}")
    sheet = sheets.get(SHEET)
    if sheet is None:
        raise DomainError("import_sheet_missing", sheet=SHEET)
    rows = Rows(sheet, COLUMNS, result.problems)
    if rows.missing:
        return result
    typed: dict[str, dict[int, tuple[int, MonthRow]]] = {}
    versions: dict[str, int | None] = {}
    for number, values in rows:
        key = cell_text(rows.get(values, KEY))
        if key not in lines:
            result.problems.append(
                cell_problem(
                    rows, number, KEY, DomainError("import_unknown_key", field=KEY, key=key or "-")
                )
            )
            continue
        try:
            if is_blank(rows.get(values, MONTH)):  # empty: say so, not "(no name) is no date"
                raise DomainError("import_required", field=MONTH)
            month = cell_fiscal_month(rows.get(values, MONTH), field=MONTH, year=meta.year)
        except DomainError as error:
            result.problems.append(cell_problem(rows, number, MONTH, error))
            continue
        amounts: dict[str, Decimal | None] = {}
        for header in (PLANNED, DISBURSED, COMMITTED):
            try:
                amounts[header] = cell_number(rows.get(values, header), field=header)
            except DomainError as error:
                result.problems.append(cell_problem(rows, number, header, error))
        if len(amounts) < 3:
            continue
        if month in typed.get(key, {}):
            result.problems.append(
                cell_problem(
                    rows,
                    number,
                    MONTH,
                    DomainError(
                        "import_month_twice", line=lines[key].name, month=fiscal_month_name(month)
                    ),
                )
            )
            continue
        typed.setdefault(key, {})[month] = (
            number,
            MonthRow(
                month=month,
                planned_baht=amounts[PLANNED] or Decimal(0),
                disbursed_baht=amounts[DISBURSED],
                committed_baht=amounts[COMMITTED],
            ),
        )
        # The version the line's months were exported at (Rows.version).
        version = rows.version(values, number, VERSION, result.problems)
        if version is not None:
            versions.setdefault(key, version)
    stored = _months(list(lines.values()))
    for key, months in typed.items():
        line = lines[key]
        result.changes.append(
            _line_change(line, months, stored.get(line.pk, {}), versions.get(key), sheet.name)
        )
    result.left_alone += len(set(lines) - set(typed))
    return result


def _line_change(
    line: BudgetLine,
    typed: dict[int, tuple[int, MonthRow]],
    stored: dict[int, BudgetMonth],
    version: int | None,
    sheet: str,
) -> RowChange:
    rows: list[MonthRow] = []
    fields: list[tuple[str, str, str]] = []
    for number in MONTHS:
        month = stored.get(number)
        before = MonthRow(
            month=number,
            planned_baht=month.planned_baht if month else Decimal(0),
            disbursed_baht=month.disbursed_baht if month else None,
            committed_baht=month.committed_baht if month else None,
        )
        now = typed[number][1] if number in typed else before
        rows.append(now)
        name = fiscal_month_name(number)
        for header, old, new in (
            (PLANNED, before.planned_baht, now.planned_baht),
            (DISBURSED, before.disbursed_baht, now.disbursed_baht),
            (COMMITTED, before.committed_baht, now.committed_baht),
        ):
            if old != new:
                fields.append((f"{header} {name}", shown(old), shown(new)))
    first_row = min(row for row, _ in typed.values())
    label = f"{line.code} {line.name}".strip()
    if not fields:
        return RowChange(sheet, first_row, label, "same")

    def write() -> None:
        budget_months_save(line=line, rows=rows, expected_version=version)

    # A refusal naming a month points to that month's row.
    month_rows = {fiscal_month_name(month): row for month, (row, _) in typed.items()}
    return RowChange(sheet, first_row, label, "change", fields, write, month_rows=month_rows)
