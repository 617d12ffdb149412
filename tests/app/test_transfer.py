"""The Excel round trip (issue 12, point 3), through `tidtam export` / `tidtam import` and the
upload page: an unchanged export imports as nothing to change; changed rows go through the same
services as the pages (numbers, milestones, units, new outputs and items, results with their
percents and bands, KPI results, monthly spending); one refused row writes nothing; a row
changed by another person since the export is refused naming who; the seed documents' own
table layout loads; a person imports only what they may change."""

from __future__ import annotations

import html
import io
import json
from collections.abc import Callable
from contextlib import redirect_stderr
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.app.conftest import open_round_for, signed_in
from tests.app.test_bad_input_catalogue import snapshot
from tidtam.agreements.models import Indicator, IndicatorResult
from tidtam.budgets.models import BudgetLine, BudgetMonth
from tidtam.orgs.models import Organization
from tidtam.periods.models import FiscalYear, Round
from tidtam.plans.models import Activity, OperatingPlan, Output, PlannedMilestone, WorkItem
from tidtam.plans.services import plan_create
from tidtam.progress.models import ProgressEntry
from tidtam.progress.services import progress_entry_save
from tidtam.transfer import services
from tidtam.transfer.models import ImportJob

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

SEED_000 = Path(__file__).resolve().parents[2] / "tidtam" / "seeds" / "data" / "onesqa_2567.json"
MAINTENANCE_KEY_NAME = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"


@pytest.fixture(autouse=True)
def _demo_day() -> Any:
    with override_settings(DEMO_TODAY="2024-04-08"):
        yield


def export(
    tmp_path: Path, kind: str, org: str = "onesqa", fy: int = 2567, months: int | None = None
) -> Path:
    path = tmp_path / f"{kind}-{org}.xlsx"
    args = [kind, "--org", org, "--fy", str(fy), "-o", str(path)]
    if months:
        args += ["--round", str(months)]
    call_command("export", *args)
    return path


def run_import(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import", str(path), *args, stdout=out)
    return out.getvalue()


def refused(path: Path, *args: str) -> str:
    err = io.StringIO()
    with redirect_stderr(err), pytest.raises(CommandError) as raised:
        call_command("import", str(path), *args, stderr=err)
    return err.getvalue() + str(raised.value)


def edit(path: Path, sheet: str, change: Callable[[Any, dict[str, int]], None]) -> Path:
    """Open the workbook as a person would in Excel, change cells by header, save it."""
    book = load_workbook(path)
    data = book[sheet]
    headers = {cell.value: cell.column for cell in data[1]}
    change(data, headers)
    book.save(path)
    return path


def row_of(sheet: Any, key: str) -> int:
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == key:
            return row
    raise AssertionError(f"{key} not in the sheet")


@pytest.mark.parametrize(
    "kind,org,fy,months",
    [
        ("plan", "onesqa", 2567, None),
        ("results", "onesqa", 2567, 6),
        ("spending", "onesqa", 2567, None),
        ("results", "ops-bic", 2564, 12),
        ("agreement", "ops-bic", 2564, None),
    ],
)
def test_an_unchanged_export_imports_as_nothing_to_change(
    tmp_path: Path, kind: str, org: str, fy: int, months: int | None
) -> None:
    open_round_for(2567, 6)
    path = export(tmp_path, kind, org, fy, months)
    before = snapshot()
    out = run_import(path, "--apply")
    assert "เพิ่ม 0 แก้ไข 0 คงเดิม" in out
    assert "บันทึกแล้วทั้งหมด" in out
    assert snapshot() == before


def test_plan_rows_change_add_and_move_through_the_plan_services(tmp_path: Path) -> None:
    plan = OperatingPlan.objects.get(organization__code="onesqa", fiscal_year__year=2567)
    item = WorkItem.objects.get(plan=plan, name=MAINTENANCE_KEY_NAME)
    first_activity = Activity.objects.filter(output__plan=plan).order_by(
        "output__number", "number"
    )[0]
    outputs_before = Output.objects.filter(plan=plan).count()
    path = export(tmp_path, "plan")

    def change(sheet: Any, col: dict[str, int]) -> None:
        row = row_of(sheet, item.key)
        sheet.cell(
            row=row, column=col["ชื่อโครงการ / รายการ"]
        ).value = "  โครงการบำรุงรักษาระบบ (ปรับชื่อ)  "
        sheet.cell(row=row, column=col["ค่าเป้าหมาย (จำนวน)"]).value = "๑๒"  # Thai digits, as text
        sheet.cell(row=row, column=col["แผนสะสม 12 เดือน (จำนวน)"]).value = 12
        # A unit named twice is responsible once (it showed as a change on every import).
        sheet.cell(
            row=row, column=col["หน่วยงานรับผิดชอบ (รหัส)"]
        ).value = "onesqa-ssph, onesqa-phths, onesqa-ssph"
        # Moved to the first activity: its key typed over the item's.
        sheet.cell(row=row, column=col["รหัสอ้างอิงกิจกรรม"]).value = first_activity.key
        sheet.cell(row=row, column=col["รหัสอ้างอิงผลผลิต"]).value = first_activity.output.key
        new = sheet.max_row + 1
        for header, value in {
            "รหัสอ้างอิงผลผลิต": first_activity.output.key,
            "รหัสอ้างอิงกิจกรรม": first_activity.key,
            "ประเภท": "โครงการ",
            "ชื่อโครงการ / รายการ": "โครงการใหม่จาก Excel",
            "ค่าเป้าหมาย (จำนวน)": "1,500",
            "หน่วยนับ": "คน",
            "งบประมาณ (บาท)": 250000.5,
        }.items():
            sheet.cell(row=new, column=col[header]).value = value
        for header, value in {
            "ชื่อผลผลิต": "ผลผลิตใหม่",
            "ชื่อกิจกรรม": "กิจกรรมใหม่",
            "ประเภท": "แผนงาน",
            "ชื่อโครงการ / รายการ": "แผนงานใต้ผลผลิตใหม่",
        }.items():
            sheet.cell(row=new + 1, column=col[header]).value = value

    edit(path, "แผน", change)
    preview = run_import(path)
    assert "เพิ่ม 2 แก้ไข 1" in preview
    assert "ค่าเป้าหมาย (จำนวน): - → 12" not in preview  # the item had 11
    assert "ค่าเป้าหมาย (จำนวน): 11 → 12" in preview
    item.refresh_from_db()
    assert item.name == MAINTENANCE_KEY_NAME  # the preview wrote nothing

    names = (first_activity.output.name, first_activity.name)
    run_import(path, "--apply")
    item.refresh_from_db()
    assert item.name == "โครงการบำรุงรักษาระบบ (ปรับชื่อ)"
    # The moved row keeps the names of where it was: they do not rename where it went.
    first_activity.refresh_from_db()
    assert (first_activity.output.name, first_activity.name) == names
    assert item.target_quantity == 12
    assert item.activity_id == first_activity.pk
    assert PlannedMilestone.objects.get(work_item=item, round_months=12).planned_quantity == 12
    assert [r.organization.code for r in item.responsibilities.order_by("order")] == [
        "onesqa-ssph",
        "onesqa-phths",
    ]
    added = WorkItem.objects.get(plan=plan, name="โครงการใหม่จาก Excel")
    assert (added.kind, added.target_quantity, added.target_unit, added.budget_baht) == (
        "project",
        Decimal(1500),
        "คน",
        Decimal("250000.50"),
    )
    assert added.activity_id == first_activity.pk and added.key.startswith("ITEM-")
    assert Output.objects.filter(plan=plan).count() == outputs_before + 1
    programme = WorkItem.objects.get(plan=plan, name="แผนงานใต้ผลผลิตใหม่")
    assert programme.kind == "programme"
    assert programme.activity.name == "กิจกรรมใหม่" and programme.activity.output.name == "ผลผลิตใหม่"
    # What was written exports and imports again as nothing to change.
    assert "เพิ่ม 0 แก้ไข 0" in run_import(export(tmp_path, "plan"))


def _round6() -> Round:
    return open_round_for(2567, 6)


def saved_on_its_page(item: WorkItem, round_: Round) -> None:
    """Someone saves the item's entry on its page (after the file was exported)."""
    entry = ProgressEntry.objects.get(work_item=item, round=round_)
    progress_entry_save(
        work_item=item,
        round_=round_,
        result_text="บันทึกจากหน้าเว็บ",
        result_quantity=Decimal(4),
        percent_method=entry.percent_method,
        percent_round=entry.percent_round,
        percent_annual=entry.percent_annual,
        percent_note=entry.percent_note,
        explanation="รอผู้รับจ้าง",
        expected_version=entry.version,
    )


def test_results_are_saved_with_their_percents_bands_and_kpi_values(tmp_path: Path) -> None:
    round_ = _round6()
    item = WorkItem.objects.get(plan__organization__code="onesqa", name=MAINTENANCE_KEY_NAME)
    kpi = Indicator.objects.filter(organization__code="onesqa", measure_kind="quantity").order_by(
        "number"
    )[0]
    path = export(tmp_path, "results", months=6)

    def change(sheet: Any, col: dict[str, int]) -> None:
        row = row_of(sheet, item.key)
        sheet.cell(row=row, column=col["ผล (จำนวน / ค่า)"]).value = " 5 "
        sheet.cell(row=row, column=col["ผลการดำเนินงาน (ข้อความ)"]).value = "ดำเนินการได้ 5 กิจกรรม"
        sheet.cell(row=row, column=col["คำอธิบายกรณีผลต่ำกว่าเกณฑ์"]).value = "รอผู้รับจ้าง"
        # The seed typed its percents; emptied, they are computed from the quantity.
        sheet.cell(row=row, column=col["ร้อยละรอบนี้ (กรอกเอง)"]).value = None
        sheet.cell(row=row, column=col["ร้อยละทั้งปี (กรอกเอง)"]).value = None
        kpi_row = row_of(sheet, kpi.key)
        sheet.cell(row=kpi_row, column=col["ผล (จำนวน / ค่า)"]).value = 3

    edit(path, "ผลการดำเนินงาน", change)
    out = run_import(path, "--apply")
    assert "แก้ไข" in out
    entry = ProgressEntry.objects.get(work_item=item, round=round_)
    assert entry.result_quantity == 5
    assert entry.result_text == "ดำเนินการได้ 5 กิจกรรม"
    # 5 of a target of 11: 45.45 % of the year, below 50: the low band, as the page would store.
    assert entry.percent_annual == Decimal("45.4545")
    assert entry.band == "below_50" and entry.percent_method == "computed"
    # Its history holds the change, as a save on the page leaves it.
    record = entry.history.order_by("-history_id").first()
    assert record is not None and record.history_type == "~"
    assert (record.result_quantity, record.version, record.band) == (5, entry.version, "below_50")
    assert record.history_date is not None
    result = IndicatorResult.objects.get(indicator=kpi, round=round_, unit__isnull=True)
    assert result.value == 3


def test_a_row_changed_by_another_person_since_the_export_is_refused_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    round_ = _round6()
    item = WorkItem.objects.get(plan__organization__code="onesqa", name=MAINTENANCE_KEY_NAME)
    journal = WorkItem.objects.filter(
        plan__organization__code="onesqa", name__startswith="โครงการจัดทำ วารสาร"
    ).get()
    path = export(tmp_path, "results", months=6)
    saved_on_its_page(item, round_)

    rows: dict[str, int] = {}

    def change(sheet: Any, col: dict[str, int]) -> None:
        rows["item"] = row_of(sheet, item.key)
        sheet.cell(row=rows["item"], column=col["ผลการดำเนินงาน (ข้อความ)"]).value = "จาก Excel"
        sheet.cell(
            row=row_of(sheet, journal.key), column=col["ผลการดำเนินงาน (ข้อความ)"]
        ).value = "เปลี่ยนด้วย"

    edit(path, "ผลการดำเนินงาน", change)
    before = snapshot()
    text = refused(path, "--apply")
    assert "ไม่ได้บันทึกอะไรเลย" in text
    assert f'แผ่นงาน ผลการดำเนินงาน แถว {rows["item"]}: "{MAINTENANCE_KEY_NAME}" ถูกแก้ไขโดย' in text
    assert snapshot() == before
    assert ProgressEntry.objects.get(work_item=item, round=round_).result_text == "บันทึกจากหน้าเว็บ"


def test_a_save_made_between_the_read_and_the_apply_is_not_overwritten(tmp_path: Path) -> None:
    """The apply uses the entries the read compared the rows with only while they are still the
    rows' (same version and status): one saved in between is read again, and its row refused."""
    round_ = _round6()
    item = WorkItem.objects.get(plan__organization__code="onesqa", name=MAINTENANCE_KEY_NAME)
    path = export(tmp_path, "results", months=6)

    def change(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(
            row=row_of(sheet, item.key), column=col["ผลการดำเนินงาน (ข้อความ)"]
        ).value = "จาก Excel"

    edit(path, "ผลการดำเนินงาน", change)
    imported = services.read(path.read_bytes(), file_name=path.name)
    assert imported.counts()["change"] == 1 and not imported.problems
    entry = ProgressEntry.objects.get(work_item=item, round=round_)
    progress_entry_save(
        work_item=item,
        round_=round_,
        result_text="บันทึกจากหน้าเว็บระหว่างนั้น",
        result_quantity=entry.result_quantity,
        percent_method=entry.percent_method,
        percent_round=entry.percent_round,
        percent_annual=entry.percent_annual,
        percent_note=entry.percent_note,
        explanation=entry.explanation,
        expected_version=entry.version,
    )
    problems = services.apply(imported)
    assert [p.row for p in problems] == [row_of(load_workbook(path)["ผลการดำเนินงาน"], item.key)]
    assert "ถูกแก้ไขโดย" in problems[0].message
    assert (
        ProgressEntry.objects.get(work_item=item, round=round_).result_text
        == "บันทึกจากหน้าเว็บระหว่างนั้น"
    )


def test_budget_items_follow_their_lines_spending_and_each_line_is_read_once(
    tmp_path: Path,
) -> None:
    """A budget item's percent is its line's spending (as on its page): an import that changes
    its row stores the line's percents again, and reads the lines in the same number of queries
    for one such row as for all of them."""
    round_ = _round6()
    entries = ProgressEntry.objects.filter(
        round=round_, work_item__plan__organization__code="onesqa", percent_method="budget_line"
    ).select_related("work_item")
    before = {e.work_item.key: (e.percent_round, e.percent_annual, e.version) for e in entries}
    assert len(before) > 10 and all(p is not None for p, _, _ in before.values())

    def queries_to_import(keys: list[str]) -> int:
        """Queries to read and apply a fresh export with these rows changed."""

        def change(sheet: Any, col: dict[str, int]) -> None:
            for key in keys:
                sheet.cell(
                    row=row_of(sheet, key), column=col["ผลการดำเนินงาน (ข้อความ)"]
                ).value = f"เบิกจ่ายตามแผน {key}"

        path = edit(export(tmp_path, "results", months=6), "ผลการดำเนินงาน", change)
        with CaptureQueriesContext(connection) as queries:
            imported = services.read(path.read_bytes(), file_name=path.name)
            assert imported.counts()["change"] == len(keys) and not imported.problems
            assert services.apply(imported) == []
        return len(queries)

    keys = sorted(before)
    one = queries_to_import(keys[:1])
    assert queries_to_import(keys[1:]) == one
    for entry in entries.all():
        percent_round, percent_annual, version = before[entry.work_item.key]
        assert entry.result_text == f"เบิกจ่ายตามแผน {entry.work_item.key}"
        assert (entry.percent_round, entry.percent_annual) == (percent_round, percent_annual)
        assert entry.percent_method == "budget_line" and entry.version == version + 1


def test_one_bad_row_lists_its_sheet_row_and_column_and_writes_nothing(tmp_path: Path) -> None:
    _round6()
    item = WorkItem.objects.get(plan__organization__code="onesqa", name=MAINTENANCE_KEY_NAME)
    journal = WorkItem.objects.filter(
        plan__organization__code="onesqa", name__startswith="โครงการจัดทำ วารสาร"
    ).get()
    path = export(tmp_path, "results", months=6)
    rows: dict[str, int] = {}

    def change(sheet: Any, col: dict[str, int]) -> None:
        rows["item"] = row_of(sheet, item.key)
        sheet.cell(row=rows["item"], column=col["ผล (จำนวน / ค่า)"]).value = 6
        rows["journal"] = row_of(sheet, journal.key)
        sheet.cell(row=rows["journal"], column=col["ร้อยละรอบนี้ (กรอกเอง)"]).value = "ครึ่งหนึ่ง"

    edit(path, "ผลการดำเนินงาน", change)
    before = snapshot()
    text = refused(path, "--apply")
    assert f"แผ่นงาน ผลการดำเนินงาน แถว {rows['journal']} คอลัมน์ N" in text
    assert '"ครึ่งหนึ่ง" ซึ่งไม่ใช่ตัวเลข' in text
    assert snapshot() == before


def test_monthly_spending_is_saved_through_the_month_grid_rules(tmp_path: Path) -> None:
    _round6()  # the line's figures of the round are written from its months
    line = BudgetLine.objects.filter(organization__code="onesqa", fiscal_year__year=2567).order_by(
        "number"
    )[0]
    annual = line.annual_plan_baht
    share = (annual / 12).quantize(Decimal("0.01"))
    path = export(tmp_path, "spending")

    def plan_months(sheet: Any, col: dict[str, int], last: Decimal) -> None:
        rows = [
            r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == line.key
        ]
        assert len(rows) == 12
        for index, row in enumerate(rows):
            sheet.cell(row=row, column=col["แผนการเบิกจ่าย (บาท)"]).value = float(
                share if index < 11 else last
            )
        sheet.cell(row=rows[0], column=col["เบิกจ่ายในเดือน (บาท)"]).value = "1,000.50"

    # A plan that does not add up to the line's is refused with both figures.
    edit(path, "เบิกจ่ายรายเดือน", lambda s, c: plan_months(s, c, share))
    if share * 12 != annual:
        assert "ไม่ได้บันทึกอะไรเลย" in refused(path, "--apply")
        assert not BudgetMonth.objects.filter(line=line).exists()
    edit(path, "เบิกจ่ายรายเดือน", lambda s, c: plan_months(s, c, annual - share * 11))
    run_import(path, "--apply")
    months = {m.month: m for m in BudgetMonth.objects.filter(line=line)}
    assert sum(m.planned_baht for m in months.values()) == annual
    assert months[1].disbursed_baht == Decimal("1000.50")
    assert months[2].disbursed_baht is None
    assert "เพิ่ม 0 แก้ไข 0" in run_import(export(tmp_path, "spending"))


def test_an_export_of_what_the_person_may_not_change_is_refused_in_thai(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="ส่งออกได้: plan, results, spending, agreement"):
        call_command(
            "export", "budget", "--org", "onesqa", "--fy", "2567", "-o", str(tmp_path / "x.xlsx")
        )
    with pytest.raises(CommandError, match="ระบุรอบ"):
        call_command(
            "export", "results", "--org", "onesqa", "--fy", "2567", "-o", str(tmp_path / "x.xlsx")
        )
    with pytest.raises(CommandError, match="ยังไม่มีแผนปฏิบัติราชการ"):
        call_command(
            "export", "plan", "--org", "onesqa", "--fy", "2570", "-o", str(tmp_path / "x.xlsx")
        )
    with pytest.raises(CommandError, match=r"พ\.ศ\."):
        call_command(
            "export", "plan", "--org", "onesqa", "--fy", "2024", "-o", str(tmp_path / "x.xlsx")
        )
    assert not (tmp_path / "x.xlsx").exists()


# --- the seed documents' own layout ----------------------------------------------------------


def _seed() -> dict[str, Any]:
    return dict(json.loads(SEED_000.read_text()))


def plan_table(seed: dict[str, Any]) -> Workbook:
    """Seed 000's plan as agencies keep it: ผลผลิตที่ / กิจกรรมที่ rows, then the items."""
    book = Workbook()
    sheet = book.active
    sheet.title = "แผนปฏิบัติราชการ 2567"
    sheet.append(["แผนปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. 2567"])
    sheet.append(["ที่", "รายการ", "เป้าหมาย", "แผน รอบ 6 เดือน", "แผน รอบ 12 เดือน"])
    for output in seed["outputs"]:
        sheet.append([f"ผลผลิตที่ {output['number']} {output['name']}"])
        for activity in output["activities"]:
            name = "" if activity["name"] == f"กิจกรรมที่ {activity['number']}" else activity["name"]
            sheet.append([f"กิจกรรมที่ {activity['number']} {name}".strip()])
            for number, item in enumerate(activity["items"], start=1):
                milestones = item["milestones"]
                sheet.append(
                    [
                        f"{number}.",
                        item["name"],
                        item["target"]["text"],
                        milestones.get("6", {}).get("text", ""),
                        milestones.get("12", {}).get("text", ""),
                    ]
                )
    return book


def lagging_table(seed: dict[str, Any]) -> Workbook:
    """Seed 000's table of projects below 50 %: three rows an item (แผน, ผล, ร้อยละ)."""
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "ที่",
            "รายการ",
            "เป้าหมาย",
            "แผน/ ผล",
            "ผลการดำเนินงานเมื่อเทียบเป้าหมาย",
            "",
            "คำอธิบายกรณีผลการดำเนินงานต่ำกว่าเป้าหมาย",
        ]
    )
    sheet.append(["", "", "", "", "รอบ 6 เดือน", "รอบ 12 เดือน", ""])
    number = 0
    for output in seed["outputs"]:
        for activity in output["activities"]:
            for item in activity["items"]:
                entry = item["progress"].get("6", {})
                if item["kind"] != "project" or not entry.get("result_text"):
                    continue
                number += 1
                plan = item["milestones"]
                sheet.append(
                    [
                        f"{number}.",
                        item["name"],
                        item["target"]["text"],
                        "แผน",
                        plan["6"]["text"],
                        plan["12"]["text"],
                        entry["explanation"],
                    ]
                )
                sheet.append(
                    ["", "", "", "ผล", entry["result_text"], entry["result_text_annual"], ""]
                )
                sheet.append(
                    ["", "", "", "ร้อยละ", entry["percent_round"], entry["percent_annual"], ""]
                )
    assert number >= 5
    return book


@pytest.fixture
def empty_plan() -> OperatingPlan:
    organization = Organization.objects.create(
        code="new-agency", name="หน่วยงานใหม่", short_name="หม."
    )
    return plan_create(
        organization=organization,
        fiscal_year=FiscalYear.objects.get(year=2567),
        title="แผนปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. 2567",
    )


def test_seed_000s_plan_loads_from_a_sheet_in_its_own_layout(
    tmp_path: Path, empty_plan: OperatingPlan
) -> None:
    seed = _seed()
    path = tmp_path / "แผน 2567.xlsx"
    plan_table(seed).save(path)
    given = ["--org", "new-agency", "--fy", "2567"]
    out = run_import(path, *given, "--apply")
    expected = [
        (
            o["name"],
            a["name"],
            i["name"],
            i["kind"],
            i["target"]["text"],
            i["milestones"]["6"]["text"],
            i["milestones"]["12"]["text"],
        )
        for o in seed["outputs"]
        for a in o["activities"]
        for i in a["items"]
    ]
    assert f"เพิ่ม {len(expected)} แก้ไข 0" in out
    loaded = [
        (
            i.activity.output.name,
            i.activity.name,
            i.name,
            i.kind,
            i.target_text,
            *(
                next((m.text for m in i.milestones.all() if m.round_months == months), "")
                for months in (6, 12)
            ),
        )
        for i in WorkItem.objects.filter(plan=empty_plan)
        .select_related("activity__output")
        .prefetch_related("milestones")
        .order_by("activity__output__number", "activity__number", "number")
    ]
    assert loaded == expected
    # The same sheet again: nothing to change.
    assert "เพิ่ม 0 แก้ไข 0" in run_import(path, *given)

    # And its lagging table as the round's results, by the items' names.
    open_round_for(2567, 6, "new-agency")
    lagging = tmp_path / "โครงการต่ำกว่าร้อยละ 50.xlsx"
    lagging_table(seed).save(lagging)
    run_import(lagging, *given, "--round", "6", "--apply")
    onesqa = {
        e.work_item.name: e
        for e in ProgressEntry.objects.filter(
            work_item__plan__organization__code="onesqa", round__months=6
        )
        .exclude(result_text="")
        .filter(work_item__kind="project")
        .select_related("work_item")
    }
    new = {
        e.work_item.name: e
        for e in ProgressEntry.objects.filter(work_item__plan=empty_plan).select_related(
            "work_item"
        )
    }
    assert set(new) == set(onesqa)
    for name, entry in new.items():
        seeded = onesqa[name]
        assert (entry.result_text, entry.result_text_annual, entry.explanation) == (
            seeded.result_text,
            seeded.result_text_annual,
            seeded.explanation,
        )
        assert (entry.percent_round, entry.percent_annual) == (
            seeded.percent_round,
            seeded.percent_annual,
        )
    assert "เพิ่ม 0 แก้ไข 0" in run_import(lagging, *given, "--round", "6")


def test_a_plain_sheet_without_its_organisation_is_asked_for_it(tmp_path: Path) -> None:
    path = tmp_path / "แผน.xlsx"
    plan_table(_seed()).save(path)
    assert "ระบุหน่วยงาน ปีงบประมาณ" in refused(path)


# --- the upload page --------------------------------------------------------------------------


def run_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def upload(client: Client, path: Path, capture: Any, **given: Any) -> Any:
    with capture(execute=True):
        return client.post(
            reverse("transfer:home"),
            {"file": SimpleUploadedFile(path.name, path.read_bytes()), **given},
        )


def test_a_planner_uploads_sees_the_preview_confirms_and_the_plan_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(Client(), "planner")
    page = client.get(reverse("transfer:home"))
    assert page.status_code == 200 and "ดาวน์โหลดแบบฟอร์ม" in page.content.decode()
    organization = Organization.objects.get(code="onesqa")
    downloaded = client.get(
        reverse("transfer:export"),
        {
            "export-kind": "plan",
            "export-organization": organization.pk,
            "export-fiscal_year": "2567",
        },
    )
    assert downloaded.status_code == 200
    assert downloaded["Content-Disposition"].endswith('tidtam-plan-onesqa-2567.xlsx"')
    path = tmp_path / "plan.xlsx"
    path.write_bytes(downloaded.content)
    item = WorkItem.objects.get(plan__organization=organization, name=MAINTENANCE_KEY_NAME)

    def rename(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(row=row_of(sheet, item.key), column=col["หน่วยนับ"]).value = "ระบบงาน"

    edit(path, "แผน", rename)
    response = upload(client, path, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("transfer:job", kwargs={"import_id": job.pk})
    waiting = client.get(response["Location"]).content.decode()
    assert "รอคิว" in waiting and 'http-equiv="refresh"' in waiting
    run_worker(monkeypatch)
    page = client.get(response["Location"]).content.decode()
    assert "ตรวจแล้ว รอยืนยัน" in page, page
    assert "หน่วยนับ: กิจกรรม → ระบบงาน" in html.unescape(page)
    item.refresh_from_db()
    assert item.target_unit == "กิจกรรม"  # not yet: the preview wrote nothing
    # Another person cannot see the upload.
    assert signed_in(Client(), "reporter").get(response["Location"]).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("transfer:job_apply", kwargs={"import_id": job.pk}))
    run_worker(monkeypatch)
    item.refresh_from_db()
    assert item.target_unit == "ระบบงาน"
    assert "บันทึกแล้วทั้งหมด" in client.get(response["Location"]).content.decode()
    # A second confirmation applies nothing again.
    again = client.post(reverse("transfer:job_apply", kwargs={"import_id": job.pk}), follow=True)
    assert "บันทึกไปแล้ว" in again.content.decode()


def test_a_planner_of_another_organisation_cannot_import_its_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    path = export(tmp_path, "plan")
    client = signed_in(Client(), "bic-planner")
    before = snapshot()
    response = upload(client, path, django_capture_on_commit_callbacks)
    run_worker(monkeypatch)
    page = client.get(response["Location"]).content.decode()
    assert "คุณไม่มีสิทธิ์นำเข้าหรือส่งออกข้อมูลนี้ของ สมศ." in page
    assert snapshot() == before
    organization = Organization.objects.get(code="onesqa")
    refused_export = client.get(
        reverse("transfer:export"),
        {
            "export-kind": "plan",
            "export-organization": organization.pk,
            "export-fiscal_year": "2567",
        },
    )
    assert refused_export.status_code == 400  # สมศ. is not among the organisations offered


# --- the agreement ---------------------------------------------------------------------------


def test_an_agreements_kpis_weights_levels_and_a_new_kpi_import_through_its_editor(
    tmp_path: Path,
) -> None:
    from tidtam.agreements.models import AgreementKPI, KPIGroup, ScoringLevel

    kpis = {
        k.number: k
        for k in AgreementKPI.objects.filter(
            group__agreement__organization__code="ops-bic"
        ).select_related("indicator", "group")
    }
    path = export(tmp_path, "agreement", "ops-bic", 2564)

    def change(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(row=row_of(sheet, kpis[1].indicator.key), column=col["น้ำหนัก (ร้อยละ)"]).value = 20
        sheet.cell(row=row_of(sheet, kpis[2].indicator.key), column=col["น้ำหนัก (ร้อยละ)"]).value = 10
        sheet.cell(row=row_of(sheet, kpis[4].indicator.key), column=col["เกณฑ์ระดับ 3"]).value = 12
        sheet.cell(
            row=row_of(sheet, kpis[5].indicator.key), column=col["ชื่อตัวชี้วัด"]
        ).value = "ระดับความสำเร็จของบริการอิเล็กทรอนิกส์"
        new = sheet.max_row + 1
        for header, value in {
            "องค์ประกอบ": "องค์ประกอบใหม่",
            "น้ำหนักองค์ประกอบ (ร้อยละ)": 0,
            "ชื่อตัวชี้วัด": "จำนวนผู้รับบริการออนไลน์",
            "ลักษณะการวัด": "เชิงปริมาณ (ผลเทียบค่าเป้าหมาย)",
            "ทิศทาง": "ยิ่งมากยิ่งดี",
            "หน่วยนับ": "คน",
            "ค่าเป้าหมาย": "1,000",
            "น้ำหนัก (ร้อยละ)": 0,
            "เกณฑ์ระดับ 1": 500,
            "เกณฑ์ระดับ 2": 750,
            "เกณฑ์ระดับ 3": 1000,
        }.items():
            sheet.cell(row=new, column=col[header]).value = value

    edit(path, "ตัวชี้วัด", change)
    out = run_import(path, "--apply")
    assert "เพิ่ม 1" in out
    weights = dict(
        AgreementKPI.objects.filter(pk__in=[kpis[1].pk, kpis[2].pk]).values_list("number", "weight")
    )
    assert weights == {1: Decimal(20), 2: Decimal(10)}
    assert ScoringLevel.objects.get(kpi=kpis[4], rank=3).threshold == 12
    kpis[5].indicator.refresh_from_db()
    assert kpis[5].indicator.name == "ระดับความสำเร็จของบริการอิเล็กทรอนิกส์"
    added = AgreementKPI.objects.select_related("indicator", "group").get(
        indicator__name="จำนวนผู้รับบริการออนไลน์"
    )
    assert added.group.name == "องค์ประกอบใหม่" and added.indicator.key.startswith("KPI-")
    assert added.indicator.target_value == 1000 and added.indicator.unit == "คน"
    assert [lv.threshold for lv in added.levels.order_by("rank")] == [500, 750, 1000]
    assert KPIGroup.objects.filter(agreement=added.group.agreement).count() == 3
    assert "เพิ่ม 0 แก้ไข 0" in run_import(export(tmp_path, "agreement", "ops-bic", 2564))

    # Weights that no longer add up: refused naming the group, nothing written.
    def unbalanced(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(row=row_of(sheet, kpis[1].indicator.key), column=col["น้ำหนัก (ร้อยละ)"]).value = 25

    again = edit(export(tmp_path, "agreement", "ops-bic", 2564), "ตัวชี้วัด", unbalanced)
    before = snapshot()
    text = refused(again, "--apply")
    assert "การประเมินประสิทธิผลการดำเนินงาน" in text and "ไม่ได้บันทึกอะไรเลย" in text
    assert snapshot() == before


@pytest.mark.parametrize(
    ("column", "value", "said"),
    [
        ("งบประมาณ (บาท)", 1e20, 'ช่อง "งบประมาณ (บาท)"'),
        ("ค่าเป้าหมาย (จำนวน)", "1" * 30, 'ช่อง "ค่าเป้าหมาย (จำนวน)"'),
        ("งบประมาณ (บาท)", 49.99995, "ทศนิยมเกิน 2 ตำแหน่ง"),
        ("ค่าเป้าหมาย (จำนวน)", 49.99995, "ทศนิยมเกิน 4 ตำแหน่ง"),
    ],
)
def test_a_plan_figure_the_column_cannot_keep_is_refused_in_thai_not_rounded_or_crashed(
    tmp_path: Path, column: str, value: object, said: str
) -> None:
    """A figure past the column's digits ended the import in a traceback (the database's
    decimal conversion); 49.99995 was kept as 50.00 without a word, where the results import
    refused it: every service checks a typed amount against its column now."""
    item = WorkItem.objects.get(plan__organization__code="onesqa", name=MAINTENANCE_KEY_NAME)
    path = export(tmp_path, "plan")
    rows: dict[str, int] = {}

    def change(sheet: Any, col: dict[str, int]) -> None:
        rows["item"] = row_of(sheet, item.key)
        sheet.cell(row=rows["item"], column=col[column]).value = value

    edit(path, "แผน", change)
    before = snapshot()
    text = refused(path, "--apply")
    assert f"แผ่นงาน แผน แถว {rows['item']}" in text
    assert said in text, text
    assert "Traceback" not in text
    assert snapshot() == before


def test_a_result_text_past_its_length_and_unknown_keys_are_refused_rows_not_a_crash(
    tmp_path: Path,
) -> None:
    """A 6,000-character result text ended the import in a traceback (the batch save's field
    check); unknown keys made the count of rows left alone negative."""
    _round6()
    item = WorkItem.objects.get(plan__organization__code="onesqa", name=MAINTENANCE_KEY_NAME)
    path = export(tmp_path, "results", months=6)
    rows: dict[str, int] = {}

    def long_text(sheet: Any, col: dict[str, int]) -> None:
        rows["item"] = row_of(sheet, item.key)
        sheet.cell(row=rows["item"], column=col["ผลการดำเนินงาน (ข้อความ)"]).value = "ก" * 6000

    edit(path, "ผลการดำเนินงาน", long_text)
    before = snapshot()
    text = refused(path, "--apply")
    assert f"แผ่นงาน ผลการดำเนินงาน แถว {rows['item']}" in text
    assert "6000 ตัวอักษร" in text or "6,000 ตัวอักษร" in text, text
    assert "Traceback" not in text
    assert snapshot() == before

    def unknown_keys(sheet: Any, col: dict[str, int]) -> None:
        for number in range(3):
            row = sheet.max_row + 1
            sheet.cell(row=row, column=col["รหัสอ้างอิง"]).value = f"ไม่มีรหัสนี้-{number}"
            sheet.cell(row=row, column=col["ชนิด"]).value = "โครงการ"
            sheet.cell(row=row, column=col["ผล (จำนวน / ค่า)"]).value = 1

    unchanged = services.read(export(tmp_path, "results", months=6).read_bytes()).counts()
    path = edit(export(tmp_path, "results", months=6), "ผลการดำเนินงาน", unknown_keys)
    preview = services.read(path.read_bytes(), file_name="r.xlsx")
    assert len(preview.problems) == 3
    assert preview.counts() == unchanged  # every known row left alone, as before
    assert min(unchanged.values()) >= 0 and sum(unchanged.values()) > 0


@pytest.mark.parametrize("typed", [None, "ไม่รู้", 2.5])
def test_a_version_cell_cleared_or_typed_over_is_never_taken_as_no_check(
    tmp_path: Path, typed: object
) -> None:
    """A row's version cell cleared, or typed over with text, let the row overwrite another
    person's save made since the export (the version was taken as "not tracked"). A blank
    cell now reads as a row exported before anything was saved; anything else not a version
    is refused at its cell."""
    round_ = _round6()
    item = WorkItem.objects.get(plan__organization__code="onesqa", name=MAINTENANCE_KEY_NAME)
    path = export(tmp_path, "results", months=6)
    saved_on_its_page(item, round_)
    rows: dict[str, int] = {}

    def change(sheet: Any, col: dict[str, int]) -> None:
        rows["item"] = row_of(sheet, item.key)
        sheet.cell(row=rows["item"], column=col["ผลการดำเนินงาน (ข้อความ)"]).value = "จาก Excel"
        sheet.cell(row=rows["item"], column=col["รุ่นของข้อมูล"]).value = typed

    edit(path, "ผลการดำเนินงาน", change)
    before = snapshot()
    text = refused(path, "--apply")
    assert f"แผ่นงาน ผลการดำเนินงาน แถว {rows['item']}" in text
    if typed is None:
        assert f'"{MAINTENANCE_KEY_NAME}" ถูกแก้ไขโดย' in text
    else:
        assert "คอลัมน์" in text and "รุ่นของข้อมูล" in text, text
    assert snapshot() == before
    assert ProgressEntry.objects.get(work_item=item, round=round_).result_text == "บันทึกจากหน้าเว็บ"


def test_two_rows_naming_one_output_two_ways_are_refused_naming_both_rows(tmp_path: Path) -> None:
    """It was taken as another person's change ("edited by another user"), naming no row."""
    path = export(tmp_path, "plan")
    rows: list[int] = []

    def rename(first: str, second: str) -> Callable[[Any, dict[str, int]], None]:
        def change(sheet: Any, col: dict[str, int]) -> None:
            key_column = col["รหัสอ้างอิงผลผลิต"]
            by_output: dict[str, list[int]] = {}
            for row in range(2, sheet.max_row + 1):
                key = sheet.cell(row=row, column=key_column).value
                if key:
                    by_output.setdefault(key, []).append(row)
            rows[:] = next(r for r in by_output.values() if len(r) >= 2)[:2]
            sheet.cell(row=rows[0], column=col["ชื่อผลผลิต"]).value = first
            sheet.cell(row=rows[1], column=col["ชื่อผลผลิต"]).value = second

        return change

    edit(path, "แผน", rename("ชื่อใหม่ ก", "ชื่อใหม่ ข"))
    before = snapshot()
    text = refused(path, "--apply")
    assert f"แผ่นงาน แผน แถว {rows[1]}" in text
    assert f'เป็น "ชื่อใหม่ ข" ในแถวนี้ แต่เป็น "ชื่อใหม่ ก" ในแถว {rows[0]}' in text
    assert "ถูกแก้ไขโดย" not in text
    assert snapshot() == before
    # The same new name in both rows (the output's other rows as they were) renames it once.
    edit(path, "แผน", rename("ชื่อใหม่ ก", "ชื่อใหม่ ก"))
    run_import(path, "--apply")
    assert Output.objects.filter(plan__organization__code="onesqa", name="ชื่อใหม่ ก").count() == 1


def test_a_refusal_at_the_save_points_to_the_column_of_what_it_names(tmp_path: Path) -> None:
    """The rules the save applies (the figure's decimals, a typed percent's reason) pointed to
    the row only: the person could not find the cell."""
    _round6()
    item = WorkItem.objects.get(plan__organization__code="onesqa", name=MAINTENANCE_KEY_NAME)
    path = export(tmp_path, "results", months=6)
    letters: dict[str, str] = {}
    rows: dict[str, int] = {}

    def change(sheet: Any, col: dict[str, int]) -> None:
        from openpyxl.utils import get_column_letter

        rows["item"] = row_of(sheet, item.key)
        for header in ("ผล (จำนวน / ค่า)", "ร้อยละรอบนี้ (กรอกเอง)", "เหตุผลที่กรอกร้อยละเอง"):
            letters[header] = get_column_letter(col[header])
        sheet.cell(row=rows["item"], column=col["ผล (จำนวน / ค่า)"]).value = 49.99995

    edit(path, "ผลการดำเนินงาน", change)
    text = refused(path, "--apply")
    where = f"แผ่นงาน ผลการดำเนินงาน แถว {rows['item']} คอลัมน์ {letters['ผล (จำนวน / ค่า)']}:"
    assert where in text, text

    def typed_percent(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(row=rows["item"], column=col["ผล (จำนวน / ค่า)"]).value = 5
        sheet.cell(row=rows["item"], column=col["ร้อยละรอบนี้ (กรอกเอง)"]).value = 40
        sheet.cell(row=rows["item"], column=col["เหตุผลที่กรอกร้อยละเอง"]).value = None

    edit(path, "ผลการดำเนินงาน", typed_percent)
    text = refused(path, "--apply")
    where = f"แผ่นงาน ผลการดำเนินงาน แถว {rows['item']} คอลัมน์ {letters['เหตุผลที่กรอกร้อยละเอง']}:"
    assert where in text, text


def test_spending_refusals_point_to_the_months_row_and_a_cleared_version_still_checks(
    tmp_path: Path,
) -> None:
    """A result typed for a month not begun was reported at the line's first row; a version
    cell cleared let the grid overwrite another person's months saved since the export."""
    from tidtam.budgets.services import MonthRow, budget_months_save

    line = BudgetLine.objects.filter(organization__code="onesqa", fiscal_year__year=2567).order_by(
        "number"
    )[0]
    path = export(tmp_path, "spending")
    rows: dict[int, int] = {}

    def may(sheet: Any, col: dict[str, int]) -> None:
        line_rows = [
            r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == line.key
        ]
        rows.update(enumerate(line_rows, start=1))
        for month in range(1, 8):
            sheet.cell(row=rows[month], column=col["เบิกจ่ายในเดือน (บาท)"]).value = 0
        sheet.cell(row=rows[8], column=col["เบิกจ่ายในเดือน (บาท)"]).value = 10  # May: not begun

    edit(path, "เบิกจ่ายรายเดือน", may)
    text = refused(path, "--apply")
    assert f"แผ่นงาน เบิกจ่ายรายเดือน แถว {rows[8]}" in text, text
    assert f"แผ่นงาน เบิกจ่ายรายเดือน แถว {rows[1]}" not in text

    path = export(tmp_path, "spending")
    annual = line.annual_plan_baht
    budget_months_save(  # another planner's months, after the export
        line=line,
        rows=[
            MonthRow(
                month=m,
                planned_baht=annual if m == 12 else Decimal(0),
                disbursed_baht=None,
                committed_baht=None,
            )
            for m in range(1, 13)
        ],
        expected_version=None,
        today=date(2024, 4, 8),
    )

    def cleared(sheet: Any, col: dict[str, int]) -> None:
        for row in rows.values():
            sheet.cell(row=row, column=col["รุ่นของข้อมูล"]).value = None
        sheet.cell(row=rows[1], column=col["แผนการเบิกจ่าย (บาท)"]).value = float(annual)
        sheet.cell(row=rows[12], column=col["แผนการเบิกจ่าย (บาท)"]).value = 0

    edit(path, "เบิกจ่ายรายเดือน", cleared)
    before = snapshot()
    text = refused(path, "--apply")
    assert "ถูกแก้โดย" in text, text
    assert snapshot() == before


def test_a_unit_named_twice_is_no_change(tmp_path: Path) -> None:
    """ "onesqa-sny, onesqa-sny" showed as a change on every import, and changed nothing."""
    item = WorkItem.objects.filter(
        plan__organization__code="onesqa", responsibilities__isnull=False
    ).first()
    assert item is not None
    codes = [r.organization.code for r in item.responsibilities.order_by("order")]
    path = export(tmp_path, "plan")

    def twice(sheet: Any, col: dict[str, int]) -> None:
        cell = sheet.cell(row=row_of(sheet, item.key), column=col["หน่วยงานรับผิดชอบ (รหัส)"])
        cell.value = ", ".join([*codes, codes[0]])

    edit(path, "แผน", twice)
    assert "เพิ่ม 0 แก้ไข 0" in run_import(path)


def test_an_empty_kind_or_month_cell_is_said_to_be_empty(tmp_path: Path) -> None:
    """It said '"(ไม่ระบุชื่อ)" is not in the list' (or not a date) for a cell left empty."""
    item = WorkItem.objects.get(plan__organization__code="onesqa", name=MAINTENANCE_KEY_NAME)

    def no_kind(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(row=row_of(sheet, item.key), column=col["ประเภท"]).value = None

    text = refused(edit(export(tmp_path, "plan"), "แผน", no_kind))
    assert 'ช่อง "ประเภท" ว่าง — กรอกค่าในช่องนี้' in text
    assert "ไม่ระบุชื่อ" not in text

    def no_month(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(row=2, column=col["เดือน"]).value = None

    text = refused(edit(export(tmp_path, "spending"), "เบิกจ่ายรายเดือน", no_month))
    assert "แผ่นงาน เบิกจ่ายรายเดือน แถว 2 คอลัมน์" in text
    assert 'ช่อง "เดือน" ว่าง — กรอกค่าในช่องนี้' in text
