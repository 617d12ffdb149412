"""The bad-input catalogue's files: workbooks people (and scripts) upload that tidtam must refuse
or read right. Each bad file goes through `tidtam import FILE --apply` as a person runs it: the
exit is non-zero, the answer is Thai and says what is wrong, where (sheet, row, column) and how
to fix it, there is no traceback, and nothing was written (every table of the project's apps
has the same rows). A few go through the upload page too, which answers with the same words.
The files that must be read right (Thai digits, stray spaces, B.E. dates typed as text) apply."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connections
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.app.conftest import open_round_for, signed_in
from tests.app.test_bad_input_catalogue import snapshot
from tidtam.budgets.models import BudgetLine, BudgetMonth
from tidtam.plans.models import WorkItem
from tidtam.progress.models import ProgressEntry
from tidtam.transfer import jobs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

MAINTENANCE = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"


@pytest.fixture(autouse=True)
def _demo_day() -> Any:
    with override_settings(DEMO_TODAY="2024-04-08"):
        yield


def exported(
    tmp_path: Path, kind: str, org: str = "onesqa", fy: int = 2567, months: int | None = None
) -> Path:
    path = tmp_path / f"{kind}.xlsx"
    args = [kind, "--org", org, "--fy", str(fy), "-o", str(path)]
    if months:
        args += ["--round", str(months)]
    call_command("export", *args, stdout=io.StringIO())
    return path


def edited(path: Path, sheet: str, change: Callable[[Any, dict[str, int]], None]) -> Path:
    book = load_workbook(path)
    data = book[sheet]
    change(data, {cell.value: cell.column for cell in data[1]})
    book.save(path)
    return path


def row_of(sheet: Any, key: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == key)


def maintenance_key() -> str:
    return WorkItem.objects.get(plan__organization__code="onesqa", name=MAINTENANCE).key


def first_line() -> BudgetLine:
    return BudgetLine.objects.filter(organization__code="onesqa", fiscal_year__year=2567).order_by(
        "number"
    )[0]


# --- the bad files -----------------------------------------------------------------------------


def not_a_workbook(tmp_path: Path) -> Path:
    path = tmp_path / "รายงาน.xlsx"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
    return path


def empty_file(tmp_path: Path) -> Path:
    path = tmp_path / "ว่าง.xlsx"
    path.write_bytes(b"")
    return path


def encrypted(tmp_path: Path) -> Path:
    """A real password-protected workbook (Excel's "Encrypt with password")."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = exported(tmp_path, "plan")
    path = tmp_path / "มีรหัสผ่าน.xlsx"
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("1234", target)
    return path


def old_xls(tmp_path: Path) -> Path:
    """An Excel 97-2003 file: a compound document with a Workbook stream, not a zip."""
    path = tmp_path / "แผน.xls"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    path.write_bytes(header + b"\x00" * 482 + "Workbook".encode("utf-16-le") + b"\x00" * 1024)
    return path


def with_macros(tmp_path: Path) -> Path:
    """The template saved as a macro-enabled workbook: a VBA project inside."""
    source = exported(tmp_path, "plan")
    path = tmp_path / "แผน.xlsm"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        new.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"Attribute VB_Name" * 10)
    return path


def zip_bomb(tmp_path: Path) -> Path:
    """A sheet part that unpacks to 60 MB from a few dozen KB."""
    source = exported(tmp_path, "plan")
    path = tmp_path / "ใหญ่.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        new.writestr("xl/media/padding.bin", b"\x00" * 60_000_000)
    return path


def with_formula(tmp_path: Path) -> Path:
    def change(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(
            row=row_of(sheet, maintenance_key()), column=col["ค่าเป้าหมาย (จำนวน)"]
        ).value = "=5+6"

    return edited(exported(tmp_path, "plan"), "แผน", change)


def with_merged_cells(tmp_path: Path) -> Path:
    def change(sheet: Any, col: dict[str, int]) -> None:
        sheet.merge_cells("D2:D4")

    return edited(exported(tmp_path, "plan"), "แผน", change)


def hundred_thousand_rows(tmp_path: Path) -> Path:
    source = load_workbook(exported(tmp_path, "results", months=6))
    book = Workbook(write_only=True)
    for name in source.sheetnames:
        sheet = book.create_sheet(name)
        for row in source[name].iter_rows(values_only=True):
            sheet.append(row)
        if name == "ผลการดำเนินงาน":
            for number in range(100_000):
                sheet.append([f"ITEM-{number:010d}"])
    path = tmp_path / "แสนแถว.xlsx"
    book.save(path)
    return path


def wrong_template(tmp_path: Path) -> Path:
    book = Workbook()
    book.active.append(["ชื่อ", "นามสกุล", "เบอร์โทร"])
    book.active.append(["สมชาย", "ใจดี", "02-000-0000"])
    path = tmp_path / "รายชื่อ.xlsx"
    book.save(path)
    return path


def renamed_header(tmp_path: Path) -> Path:
    def change(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(row=1, column=col["ชื่อโครงการ / รายการ"]).value = "ชื่อ"

    return edited(exported(tmp_path, "plan"), "แผน", change)


def renamed_sheet(tmp_path: Path) -> Path:
    path = exported(tmp_path, "plan")
    book = load_workbook(path)
    book["แผน"].title = "Sheet1"
    book.save(path)
    return path


def typed_key(tmp_path: Path) -> Path:
    def change(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(row=row_of(sheet, maintenance_key()), column=1).value = "ITEM-0000000000"

    return edited(exported(tmp_path, "plan"), "แผน", change)


def key_twice(tmp_path: Path) -> Path:
    def change(sheet: Any, col: dict[str, int]) -> None:
        row = row_of(sheet, maintenance_key())
        sheet.append([sheet.cell(row=row, column=c).value for c in range(1, sheet.max_column + 1)])

    return edited(exported(tmp_path, "plan"), "แผน", change)


def unknown_kind(tmp_path: Path) -> Path:
    def change(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(row=row_of(sheet, maintenance_key()), column=col["ประเภท"]).value = "งานประจำ"

    return edited(exported(tmp_path, "plan"), "แผน", change)


def unknown_unit(tmp_path: Path) -> Path:
    def change(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(
            row=row_of(sheet, maintenance_key()), column=col["หน่วยงานรับผิดชอบ (รหัส)"]
        ).value = "กองคลัง"

    return edited(exported(tmp_path, "plan"), "แผน", change)


def empty_name(tmp_path: Path) -> Path:
    def change(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(
            row=row_of(sheet, maintenance_key()), column=col["ชื่อโครงการ / รายการ"]
        ).value = "   "

    return edited(exported(tmp_path, "plan"), "แผน", change)


def negative_target(tmp_path: Path) -> Path:
    def change(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(row=row_of(sheet, maintenance_key()), column=col["ค่าเป้าหมาย (จำนวน)"]).value = -3

    return edited(exported(tmp_path, "plan"), "แผน", change)


def result_a_word(tmp_path: Path) -> Path:
    def change(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(row=row_of(sheet, maintenance_key()), column=col["ผล (จำนวน / ค่า)"]).value = "ห้า"

    return edited(exported(tmp_path, "results", months=6), "ผลการดำเนินงาน", change)


def result_a_date(tmp_path: Path) -> Path:
    """Excel turned "5/6" into a date."""
    from datetime import datetime

    def change(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(
            row=row_of(sheet, maintenance_key()), column=col["ผล (จำนวน / ค่า)"]
        ).value = datetime(2024, 6, 5)

    return edited(exported(tmp_path, "results", months=6), "ผลการดำเนินงาน", change)


def level_seven(tmp_path: Path) -> Path:
    from tidtam.agreements.models import Indicator

    indicator = Indicator.objects.filter(
        organization__code="ops-bic", measure_kind="milestone"
    ).order_by("number")[0]

    def change(sheet: Any, col: dict[str, int]) -> None:
        sheet.cell(row=row_of(sheet, indicator.key), column=col["ผล (จำนวน / ค่า)"]).value = 7

    return edited(exported(tmp_path, "results", "ops-bic", 2564, 12), "ผลการดำเนินงาน", change)


def _month_cell(label: object) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        key = first_line().key

        def change(sheet: Any, col: dict[str, int]) -> None:
            row = row_of(sheet, key)
            sheet.cell(row=row, column=col["เดือน"]).value = label
            sheet.cell(row=row, column=col["เบิกจ่ายในเดือน (บาท)"]).value = 100

        return edited(exported(tmp_path, "spending"), "เบิกจ่ายรายเดือน", change)

    return make


@dataclass(frozen=True)
class BadFile:
    id: str
    make: Callable[[Path], Path]
    says: tuple[str, ...]
    # Where the answer must point: "sheet row column" words that must appear.
    where: tuple[str, ...] = ()
    args: tuple[str, ...] = ()


BAD_FILES = [
    BadFile("not-a-workbook", not_a_workbook, ("ไม่ใช่ไฟล์ Excel (.xlsx)", "รายงาน.xlsx")),
    BadFile("empty-file", empty_file, ("ไม่ใช่ไฟล์ Excel (.xlsx)",)),
    BadFile("encrypted", encrypted, ("ถูกตั้งรหัสผ่าน", "เอารหัสผ่านออก")),
    BadFile("old-xls", old_xls, ("Excel รุ่นเก่า (.xls)", "บันทึกเป็น")),
    BadFile("macros", with_macros, ("มีมาโคร", ".xlsx")),
    BadFile("zip-bomb", zip_bomb, ("ใหญ่ผิดปกติ",)),
    BadFile("formula", with_formula, ("เป็นสูตร", "วางค่า"), ('แผ่นงาน "แผน" ช่อง K',)),
    BadFile("merged-cells", with_merged_cells, ("ผสานเซลล์ D2:D4", "ยกเลิกการผสานเซลล์")),
    BadFile("hundred-thousand-rows", hundred_thousand_rows, ("เกิน 50000 แถว", "แบ่งเป็นหลายไฟล์")),
    BadFile("wrong-template", wrong_template, ("ไม่ใช่แบบฟอร์มของ tidtam", "ส่งออกแบบฟอร์ม")),
    BadFile("renamed-header", renamed_header, ("ไม่มีคอลัมน์ ชื่อโครงการ / รายการ", "ไม่เปลี่ยนชื่อหัวคอลัมน์")),
    BadFile("renamed-sheet", renamed_sheet, ('ไม่มีแผ่นงาน "แผน"',)),
    BadFile("typed-key", typed_key, ('ไม่พบ "ITEM-0000000000"', "ห้ามแก้"), ("แผ่นงาน แผน แถว",)),
    BadFile("key-twice", key_twice, ("มากกว่าหนึ่งแถว",), ("แผ่นงาน แผน แถว",)),
    BadFile("unknown-kind", unknown_kind, ('"งานประจำ" ซึ่งไม่มีในรายการ', "โครงการ"), ("คอลัมน์ I",)),
    BadFile("unknown-unit", unknown_unit, ('ไม่พบหน่วยงานรหัส "กองคลัง"',), ("คอลัมน์ O",)),
    BadFile("empty-name", empty_name, ('"ชื่อโครงการ / รายการ" ว่าง',), ("คอลัมน์ J",)),
    BadFile("negative-target", negative_target, ("ติดลบ",), ("แผ่นงาน แผน แถว",)),
    BadFile("result-a-word", result_a_word, ('"ห้า" ซึ่งไม่ใช่ตัวเลข',), ("คอลัมน์ I",)),
    BadFile("result-a-date", result_a_date, ("ซึ่งไม่ใช่ตัวเลข", "2024-06-05"), ("คอลัมน์ I",)),
    BadFile("milestone-level-seven", level_seven, ("ต้องเป็นจำนวนเต็ม 0 ถึง 5",), ("คอลัมน์ I",)),
    BadFile(
        "month-ce-year-as-text",
        _month_cell("1/10/2023"),
        ("2023", "พ.ศ."),
        ("คอลัมน์ E",),
    ),
    BadFile(
        "month-outside-the-year",
        _month_cell("ตุลาคม 2567"),
        ("ไม่อยู่ในปีงบประมาณ 2567",),
        ("คอลัมน์ E",),
    ),
    BadFile("month-a-word", _month_cell("เดือนแรก"), ("ไม่ใช่วันที่",), ("คอลัมน์ E",)),
]


def run(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int | str | None, str]:
    from tidtam.cli import main

    monkeypatch.setattr(connections, "close_all", lambda: None)
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exited:
            code = exited.code
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("bad", BAD_FILES, ids=[b.id for b in BAD_FILES])
def test_a_bad_file_gets_a_thai_answer_where_it_is_and_nothing_is_written(
    bad: BadFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_round_for(2567, 6)
    path = bad.make(tmp_path)
    before = snapshot()
    code, text = run(["import", str(path), "--apply", *bad.args], monkeypatch)
    assert code not in (0, None)
    assert "Traceback" not in text
    assert re.search("[\u0e00-\u0e7f]", text)
    for words in (*bad.says, *bad.where):
        assert words in text, f"{words!r} not in {text!r}"
    assert snapshot() == before


def test_the_catalogue_of_files_covers_what_the_issue_names() -> None:
    ids = {b.id for b in BAD_FILES}
    assert {
        "wrong-template",
        "encrypted",
        "macros",
        "formula",
        "merged-cells",
        "hundred-thousand-rows",
        "zip-bomb",
        "month-ce-year-as-text",
    } <= ids


def test_thai_digits_stray_spaces_and_be_dates_typed_as_text_are_read_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    round_ = open_round_for(2567, 6)
    item = WorkItem.objects.get(plan__organization__code="onesqa", name=MAINTENANCE)
    results = exported(tmp_path, "results", months=6)

    def thai(sheet: Any, col: dict[str, int]) -> None:
        row = row_of(sheet, item.key)
        sheet.cell(row=row, column=col["ผล (จำนวน / ค่า)"]).value = "  ๗  "
        sheet.cell(
            row=row, column=col["ผลการดำเนินงาน (ข้อความ)"]
        ).value = "  ดำเนินการแล้ว   ๗   กิจกรรม "

    edited(results, "ผลการดำเนินงาน", thai)
    code, text = run(["import", str(results), "--apply"], monkeypatch)
    assert code in (0, None), text
    entry = ProgressEntry.objects.get(work_item=item, round=round_)
    assert entry.result_quantity == 7 and entry.result_text == "ดำเนินการแล้ว ๗ กิจกรรม"

    line = first_line()
    spending = exported(tmp_path, "spending")

    def months(sheet: Any, col: dict[str, int]) -> None:
        rows = [
            r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == line.key
        ]
        sheet.cell(row=rows[0], column=col["เดือน"]).value = "1/10/2566"  # B.E., typed as text
        sheet.cell(row=rows[0], column=col["เบิกจ่ายในเดือน (บาท)"]).value = " ๑,๒๓๔.๕๐ "
        sheet.cell(row=rows[1], column=col["เดือน"]).value = "พ.ย. ๒๕๖๖"
        sheet.cell(row=rows[1], column=col["เบิกจ่ายในเดือน (บาท)"]).value = "-"  # not reported

    edited(spending, "เบิกจ่ายรายเดือน", months)
    code, text = run(["import", str(spending), "--apply"], monkeypatch)
    assert code in (0, None), text
    october = BudgetMonth.objects.get(line=line, month=1)
    assert october.disbursed_baht == Decimal("1234.50")
    assert not BudgetMonth.objects.filter(line=line, month=2, disbursed_baht__isnull=False).exists()


def test_the_upload_page_gives_the_same_answer_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(Client(), "planner")
    before = snapshot()
    for make, says in ((encrypted, "ถูกตั้งรหัสผ่าน"), (with_formula, "เป็นสูตร")):
        path = make(tmp_path)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("transfer:home"), {"file": SimpleUploadedFile(path.name, path.read_bytes())}
            )
        monkeypatch.setattr(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        )
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        page = client.get(response["Location"]).content.decode()
        assert "มีปัญหา ยังไม่บันทึก" in page and says in page
        assert "ยืนยันและบันทึกทั้งหมด" not in page
    assert snapshot() == before
    # No file chosen: the form says so under its field.
    response = client.post(reverse("transfer:home"), {})
    assert response.status_code == 400 and "ยังไม่ได้เลือกไฟล์" in response.content.decode()
    assert jobs.read_progress("nothing") == {"stage": "", "done": 0, "total": 0}
