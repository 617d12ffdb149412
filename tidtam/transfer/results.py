"""A round's results template: one row per work item and KPI reported in the round (those the
person may report, when a person asks), keyed by stable keys, with the entry's version; and its
import through the same saves as the result pages (progress_entry_save, indicator_result_save):
the closed round, an entry already sent, a form opened before another person's change and every
figure's rule refuse the row as they refuse the page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from tidtam import bulk
from tidtam.agreements.models import Indicator, IndicatorResult
from tidtam.agreements.services import (
    DENOMINATOR_FIELD,
    NUMERATOR_FIELD,
    RESULT_VALUE_FIELD,
    indicator_result_save,
)
from tidtam.budgets.models import BudgetLine
from tidtam.domain.errors import DomainError
from tidtam.domain.scoring import MeasureKind
from tidtam.messages import MET_LABELS, message_for
from tidtam.orgs import access
from tidtam.orgs.models import Organization
from tidtam.periods.models import Round
from tidtam.plans.models import OperatingPlan, PlannedMilestone, WorkItem
from tidtam.progress.models import PercentMethod, ProgressEntry
from tidtam.progress.selectors import STATUS_LABELS, indicators_in_round, items_in_round
from tidtam.progress.services import (
    PERCENT_ANNUAL_FIELD,
    PERCENT_ROUND_FIELD,
    RESULT_QUANTITY_FIELD,
    EntriesRefused,
    EntryInput,
    follows_line,
    percent_method_for,
    progress_entries_save,
)
from tidtam.transfer.engine import (
    Batch,
    Column,
    ImportPlan,
    Meta,
    Problem,
    RowChange,
    Rows,
    RowsRefused,
    build_workbook,
    cell_problem,
)
from tidtam.transfer.plan import shown
from tidtam.transfer.workbook import Sheet, cell_number, cell_text

KIND = "results"
SHEET = "ผลการดำเนินงาน"
ITEM = "โครงการ"
KPI = "ตัวชี้วัด"

KEY = "รหัสอ้างอิง"
ROW_KIND = "ชนิด"
ORG = "หน่วยงาน"
NUMBER = "ลำดับ"
NAME = "ชื่อ"
UNIT = "หน่วยนับ"
PLANNED = "แผนสะสมถึงรอบนี้"
TARGET = "เป้าหมายทั้งปี"
RESULT = "ผล (จำนวน / ค่า)"
NUMERATOR = "ตัวตั้ง (A)"
DENOMINATOR = "ตัวหาร (B)"
TEXT = "ผลการดำเนินงาน (ข้อความ)"
EXPLANATION = "คำอธิบายกรณีผลต่ำกว่าเกณฑ์"
PERCENT_ROUND = "ร้อยละรอบนี้ (กรอกเอง)"
PERCENT_ANNUAL = "ร้อยละทั้งปี (กรอกเอง)"
PERCENT_NOTE = "เหตุผลที่กรอกร้อยละเอง"
STATUS = "สถานะ"
VERSION = "รุ่นของข้อมูล"

COLUMNS = (
    Column(KEY, 16, locked=True),
    Column(ROW_KIND, 10, locked=True),
    Column(ORG, 12, locked=True),
    Column(NUMBER, 8, locked=True),
    Column(NAME, 40, locked=True),
    Column(UNIT, 10, locked=True),
    Column(PLANNED, 12, locked=True),
    Column(TARGET, 12, locked=True),
    Column(RESULT, 12),
    Column(NUMERATOR, 12, number=True),
    Column(DENOMINATOR, 12, number=True),
    Column(TEXT, 40),
    Column(EXPLANATION, 30),
    Column(PERCENT_ROUND, 12, number=True),
    Column(PERCENT_ANNUAL, 12, number=True),
    Column(PERCENT_NOTE, 24),
    Column(STATUS, 12, locked=True),
    Column(VERSION, 8, locked=True),
)


def instructions(round_: Round) -> tuple[str, ...]:
    return (
        f"ผลการดำเนินงาน{round_.get_months_display()} ปีงบประมาณ {round_.fiscal_year.year}: หนึ่งแถวคือหนึ่งโครงการหรือตัวชี้วัด",
        "คอลัมน์สีเทา (รหัสอ้างอิง ชื่อ แผน เป้าหมาย สถานะ รุ่น) ถูกล็อกไว้ กรอกเฉพาะผล ข้อความ และคำอธิบาย",
        "ผล: จำนวนที่ทำได้สะสมตั้งแต่ต้นปี ตัวชี้วัดแบบอัตราส่วนกรอกตัวตั้ง (A) และตัวหาร (B)"
        f" ตัวชี้วัดแบบผ่าน / ไม่ผ่านพิมพ์ {MET_LABELS[True]} หรือ {MET_LABELS[False]}"
        " ตัวชี้วัดแบบขั้นความสำเร็จพิมพ์ขั้นที่ทำได้ (1-5)",
        "ร้อยละกรอกเองเฉพาะเมื่อคำนวณจากจำนวนไม่ได้ และต้องมีเหตุผล",
        "รุ่นของข้อมูลบอกว่าไฟล์นี้ส่งออกเมื่อข้อมูลเป็นแบบใด:"
        " ถ้ามีคนแก้รายการเดียวกันหลังจากนั้น ระบบจะไม่เขียนทับและจะแจ้งว่าใครแก้เมื่อใด",
        "รายการที่ส่งหรืออนุมัติแล้ว หรือรอบที่ปิดแล้ว แก้ไม่ได้ ระบบจะแจ้งเป็นรายแถว",
    )


def find_round(meta: Meta) -> Round:
    if meta.round_months is None:
        raise DomainError("import_round_missing")
    round_ = (
        Round.objects.filter(fiscal_year__year=meta.year, months=meta.round_months)
        .select_related("fiscal_year")
        .first()
    )
    if round_ is None:
        raise DomainError("round_missing", year=meta.year, months=meta.round_months)
    return round_


def _subjects(
    meta: Meta, round_: Round, user: Any, *, for_export: bool = True
) -> tuple[QuerySet[WorkItem], QuerySet[Indicator]]:
    """The items and KPIs of the organisation reported in the round (a person's: those they
    may report)."""
    # The organisation and the units below it: a ministry's planning office collects its
    # departments' results in one file; each row keeps its own organisation's rules.
    tree = access.with_descendants({organization_of(meta).pk}, access.descendants_map())
    items = WorkItem.objects.filter(
        plan__organization__in=tree, plan__fiscal_year__year=meta.year, activity__isnull=False
    )
    indicators = Indicator.objects.filter(organization__in=tree)
    if user is not None:
        items = items.filter(pk__in=access.work_items_reportable(user).values("pk"))
        indicators = indicators.filter(pk__in=access.indicators_reportable(user).values("pk"))
    reported = items_in_round(items, round_)
    if not for_export:
        # What a save reads of an item: its plan and its line (each shared by many items and
        # read once by read_import).
        return reported.order_by(), indicators_in_round(indicators, round_).order_by()
    return (
        reported.select_related(
            "plan__fiscal_year", "plan__organization", "activity__output", "budget_line"
        ).order_by(
            "plan__organization__code", "activity__output__number", "activity__number", "number"
        ),
        indicators_in_round(indicators, round_)
        .select_related("organization")
        .order_by("organization__code", "number", "pk"),
    )


def organization_of(meta: Meta) -> Organization:
    organization = Organization.objects.filter(code=meta.org).first()
    if organization is None:
        raise DomainError("import_unknown_org", org=meta.org)
    return organization


def _item_number(item: WorkItem) -> str:
    activity = item.activity
    assert activity is not None
    return f"{activity.output.number}.{activity.number}.{item.number}"


def export(org_code: str, year: int, round_months: int | None = None, user: Any = None) -> bytes:
    meta = Meta(KIND, org_code, year, round_months)
    round_ = find_round(meta)
    items, indicators = _subjects(meta, round_, user)
    entries = {
        e.work_item_id: e for e in ProgressEntry.objects.filter(round=round_, work_item__in=items)
    }
    planned = dict(
        PlannedMilestone.objects.filter(
            work_item__in=items, round_months=round_.months
        ).values_list("work_item_id", "planned_quantity")
    )
    results = {
        r.indicator_id: r
        for r in IndicatorResult.objects.filter(
            round=round_, indicator__in=indicators, unit__isnull=True
        )
    }
    rows: list[list[object]] = []
    for item in items:
        entry = entries.get(item.pk)
        entered = entry is not None and entry.percent_method == PercentMethod.ENTERED
        rows.append(
            [
                item.key,
                ITEM,
                item.plan.organization.label,
                _item_number(item),
                item.name,
                item.target_unit,
                planned.get(item.pk),
                item.target_quantity,
                entry.result_quantity if entry else None,
                None,
                None,
                entry.result_text if entry else "",
                entry.explanation if entry else "",
                entry.percent_round if entered and entry else None,
                entry.percent_annual if entered and entry else None,
                entry.percent_note if entry else "",
                STATUS_LABELS[entry.status if entry else "not_started"],
                entry.version if entry else 0,
            ]
        )
    for indicator in indicators:
        result = results.get(indicator.pk)
        typed = result is not None and result.percent_method == PercentMethod.ENTERED
        rows.append(
            [
                indicator.key,
                KPI,
                indicator.organization.label,
                indicator.number,
                indicator.name,
                indicator.unit,
                None,
                indicator.target_text or indicator.target_value,
                _kpi_result(indicator, result),
                result.numerator if result else None,
                result.denominator if result else None,
                result.narrative if result else "",
                "",
                result.percent if typed and result else None,
                None,
                "",
                STATUS_LABELS[result.status if result else "not_started"],
                result.version if result else 0,
            ]
        )
    return build_workbook(
        meta=meta,
        title=f"ผลการดำเนินงาน {organization_of(meta).label} {round_.get_months_display()} ปีงบประมาณ {year}",
        instructions=instructions(round_),
        sheet_name=SHEET,
        columns=COLUMNS,
        rows=rows,
    )


def _kpi_result(indicator: Indicator, result: IndicatorResult | None) -> object:
    if result is None:
        return None
    if indicator.measure_kind == MeasureKind.YES_NO:
        return None if result.met is None else MET_LABELS[result.met]
    if indicator.measure_kind == MeasureKind.MILESTONE:
        return result.level_reached
    if indicator.measure_kind == MeasureKind.RATIO:
        return None  # A and B are typed; the value is A / B × 100
    return result.value


# --- import -------------------------------------------------------------------------------


@dataclass
class Typed:
    """What one row says, read and checked."""

    result: object
    numerator: Decimal | None
    denominator: Decimal | None
    text: str
    explanation: str
    percent_round: Decimal | None
    percent_annual: Decimal | None
    percent_note: str
    version: int | None
    text_annual: str | None = None  # None: kept as it is (the template has no column for it)


# Work item fields that comparing a row and saving its entry do not read.
_NOT_READ = (
    "number",
    "target_text",
    "group_name",
    "exclusion_reason",
    "is_placeholder",
    "source_note",
    "target_unit",
    "budget_baht",
)


def read_import(sheets: dict[str, Sheet], meta: Meta, user: Any) -> ImportPlan:
    round_ = find_round(meta)
    organization = organization_of(meta)
    result = ImportPlan(
        meta,
        f"ผลการดำเนินงาน {organization.label} {round_.get_months_display()} ปีงบประมาณ {meta.year}",
    )
    sheet = sheets.get(SHEET)
    if sheet is None:
        raise DomainError("import_sheet_missing", sheet=SHEET)
    rows = Rows(sheet, COLUMNS, result.problems)
    if rows.missing:
        return result
    items_qs, indicators_qs = _subjects(meta, round_, user, for_export=False)
    # Thousands of items: what a result's row and its save never read stays in the database.
    items = {i.key: i for i in bulk.instances(items_qs, leave=_NOT_READ)}
    # A few plans for thousands of items: each read once, and shared.
    plans = OperatingPlan.objects.in_bulk({i.plan_id for i in items.values()})
    for item in items.values():
        bulk.attach(item, "plan", plans[item.plan_id])
    indicators = {i.key: i for i in indicators_qs}
    entries = {
        e.work_item_id: e
        for e in bulk.instances(
            ProgressEntry.objects.filter(
                round=round_, work_item__in=items_qs.values("pk")
            ).order_by()
        )
    }
    results = {
        r.indicator_id: r
        for r in IndicatorResult.objects.filter(
            round=round_, indicator__in=indicators_qs, unit__isnull=True
        )
    }
    seen: set[str] = set()
    # Where a refusal at the save points: the column of the figure it names, or of its reason.
    columns = {
        RESULT_QUANTITY_FIELD: rows.letter(RESULT),
        RESULT_VALUE_FIELD: rows.letter(RESULT),
        NUMERATOR_FIELD: rows.letter(NUMERATOR),
        DENOMINATOR_FIELD: rows.letter(DENOMINATOR),
        PERCENT_ROUND_FIELD: rows.letter(PERCENT_ROUND),
        PERCENT_ANNUAL_FIELD: rows.letter(PERCENT_ANNUAL),
        "percent_out_of_range": rows.letter(RESULT),
        "explanation_required": rows.letter(EXPLANATION),
        "percent_note_required": rows.letter(PERCENT_NOTE),
    }
    for number, values in rows:
        typed = _read(rows, number, values, result.problems)
        key = cell_text(rows.get(values, KEY))
        if typed is None:
            continue
        if key in seen:
            result.problems.append(
                Problem(
                    sheet.name,
                    number,
                    rows.letter(KEY),
                    message_for(DomainError("import_key_twice", key=key)),
                )
            )
            continue
        seen.add(key)
        if key in items or key in indicators:
            try:
                if key in items:
                    item = items[key]
                    change = item_change(item, entries.get(item.pk), round_, typed, user)
                else:
                    indicator = indicators[key]
                    change = _kpi_change(indicator, results.get(indicator.pk), round_, typed)
            except DomainError as error:
                result.problems.append(cell_problem(rows, number, RESULT, error))
                continue
        else:
            result.problems.append(
                cell_problem(
                    rows, number, KEY, DomainError("import_not_reportable", key=key or "-")
                )
            )
            continue
        change.sheet, change.row, change.columns = sheet.name, number, columns
        result.changes.append(change)
    # Keys of no reportable row (refused above) are not among what was left alone.
    result.left_alone += len((set(items) | set(indicators)) - seen)
    result.batches.append(entries_batch(result.changes, round_, user, known=entries))
    return result


def _attach_lines(inputs: list[EntryInput]) -> None:
    """The budget lines the saves read: those whose spending an entry's percent follows (a
    budget item's, progress.services.percent_method_for), each read once and shared."""
    items = [row.work_item for row in inputs if follows_line(row.work_item, row.percent_method)]
    lines = BudgetLine.objects.in_bulk({item.budget_line_id for item in items})
    for item in items:
        bulk.attach(item, "budget_line", lines[item.budget_line_id])


def _read(rows: Rows, number: int, values: list[object], problems: list[Problem]) -> Typed | None:
    before = len(problems)

    def number_of(header: str) -> Decimal | None:
        return rows.number(values, number, header, problems)

    version = rows.version(values, number, VERSION, problems)
    typed = Typed(
        result=rows.get(values, RESULT),
        numerator=number_of(NUMERATOR),
        denominator=number_of(DENOMINATOR),
        text=cell_text(rows.get(values, TEXT), paragraphs=True),
        explanation=cell_text(rows.get(values, EXPLANATION), paragraphs=True),
        percent_round=number_of(PERCENT_ROUND),
        percent_annual=number_of(PERCENT_ANNUAL),
        percent_note=cell_text(rows.get(values, PERCENT_NOTE), paragraphs=True),
        version=version,
    )
    return typed if len(problems) == before else None


def item_change(
    item: WorkItem, entry: ProgressEntry | None, round_: Round, typed: Typed, user: Any
) -> RowChange:
    quantity = cell_number(typed.result, field=RESULT)
    entered = typed.percent_round is not None or typed.percent_annual is not None
    method = percent_method_for(item, entered=entered)
    if entry is not None and not entered and entry.percent_method != PercentMethod.ENTERED:
        method = entry.percent_method  # as stored: an unchanged row changes nothing
    now = {
        "result_quantity": quantity,
        "result_text": typed.text,
        "explanation": typed.explanation,
        "percent_method": method,
        "percent_note": typed.percent_note,
    }
    if typed.text_annual is not None:
        now["result_text_annual"] = typed.text_annual
    if entered:
        now.update(percent_round=typed.percent_round, percent_annual=typed.percent_annual)
    labels = {
        "result_quantity": RESULT,
        "result_text": TEXT,
        "result_text_annual": "ผลการดำเนินงาน (เทียบเป้าหมายทั้งปี)",
        "explanation": EXPLANATION,
        "percent_round": PERCENT_ROUND,
        "percent_annual": PERCENT_ANNUAL,
        "percent_note": PERCENT_NOTE,
    }
    if entry is None:
        if quantity is None and not typed.text and not typed.explanation and not entered:
            return RowChange("", 0, item.name, "same")
        fields = [
            (labels[k], "-", shown(v))
            for k, v in now.items()
            if k in labels and v not in (None, "")
        ]
        action = "add"
    else:
        fields = [
            (labels[k], shown(getattr(entry, k)), shown(v))
            for k, v in now.items()
            if k in labels and getattr(entry, k) != v
        ]
        if not fields and entry.percent_method == method:
            return RowChange("", 0, item.name, "same")
        action = "change"
    change = RowChange("", 0, item.name, action, fields)
    change.payload = EntryInput(
        work_item=item,
        result_text=typed.text,
        result_text_annual=(
            typed.text_annual
            if typed.text_annual is not None
            else (entry.result_text_annual if entry is not None else "")
        ),
        result_quantity=quantity,
        percent_method=method,
        percent_round=typed.percent_round,
        percent_annual=typed.percent_annual,
        percent_note=typed.percent_note,
        explanation=typed.explanation,
        expected_version=typed.version if entry is not None else None,
    )
    return change


def entries_batch(
    changes: list[RowChange],
    round_: Round,
    user: Any,
    known: Mapping[int, ProgressEntry] | None = None,
) -> Batch:
    """The rows of work items, saved at once through the entries' batch save (`known`: the
    entries read to compare the rows with, used again where still current)."""
    rows = [c for c in changes if isinstance(c.payload, EntryInput)]
    inputs = [c.payload for c in rows if isinstance(c.payload, EntryInput)]
    _attach_lines(inputs)

    def write() -> None:
        try:
            progress_entries_save(round_=round_, rows=inputs, user=user, known=known)
        except EntriesRefused as refused:
            raise RowsRefused(refused.errors) from None

    return Batch(rows, write)


def _kpi_change(
    indicator: Indicator, result: IndicatorResult | None, round_: Round, typed: Typed
) -> RowChange:
    kind = indicator.measure_kind
    now: dict[str, Any] = {
        "value": None,
        "numerator": typed.numerator,
        "denominator": typed.denominator,
        "level_reached": None,
        "met": None,
        "narrative": typed.text,
    }
    if kind == MeasureKind.YES_NO:
        word = cell_text(typed.result)
        met = {label: flag for flag, label in MET_LABELS.items()}
        if word and word not in met:
            raise DomainError(
                "import_choice", field=RESULT, value=word, choices=" / ".join(MET_LABELS.values())
            )
        now["met"] = met.get(word)
    elif kind == MeasureKind.MILESTONE:
        level = cell_number(typed.result, field=RESULT)
        if level is not None and (level != level.to_integral_value() or not 0 <= level <= 5):
            raise DomainError("import_level", field=RESULT, value=shown(level))
        now["level_reached"] = int(level) if level is not None else None
    elif kind != MeasureKind.RATIO:
        now["value"] = cell_number(typed.result, field=RESULT)
    labels = {
        "value": RESULT,
        "numerator": NUMERATOR,
        "denominator": DENOMINATOR,
        "level_reached": RESULT,
        "met": RESULT,
        "narrative": TEXT,
    }
    # What the kind reads: a ratio's value is A / B × 100 from its parts, not typed.
    compared = (
        *{
            MeasureKind.RATIO: ("numerator", "denominator"),
            MeasureKind.YES_NO: ("met",),
            MeasureKind.MILESTONE: ("level_reached",),
        }.get(MeasureKind(kind), ("value",)),
        "narrative",
    )
    percent = typed.percent_round
    if result is None:
        if all(v in (None, "") for v in now.values()) and percent is None:
            return RowChange("", 0, indicator.name, "same")
        fields = [(labels[k], "-", shown(v)) for k, v in now.items() if v not in (None, "")]
        action = "add"
    else:
        fields = [
            (labels[k], shown(getattr(result, k)), shown(v))
            for k, v in now.items()
            if k in compared and getattr(result, k) != v
        ]
        typed_before = result.percent if result.percent_method == PercentMethod.ENTERED else None
        if percent != typed_before:
            fields.append((PERCENT_ROUND, shown(typed_before), shown(percent)))
        if not fields:
            return RowChange("", 0, indicator.name, "same")
        action = "change"
    version = typed.version if result is not None else None

    def write() -> None:
        indicator_result_save(
            indicator=indicator,
            round_=round_,
            percent=percent,
            percent_note=typed.percent_note,
            expected_version=version,
            **now,
        )

    return RowChange("", 0, indicator.name, action, fields, write)
