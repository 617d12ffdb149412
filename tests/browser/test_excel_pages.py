"""The Excel round trip in a real browser: a planner downloads the round's results template from
the menu's import and export page, types a result in Excel (openpyxl here), uploads it, waits
for the worker's check (a real `tidtam db_worker` on the app's database), reads the preview and
confirms; the entry page then shows the result. Screenshots in test-artifacts/browser/."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import LiveApp, PageAs, run_tidtam

Shot = Callable[..., Path]
MAINTENANCE = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"


def run_worker(app: LiveApp) -> None:
    """What the operator's worker does: every queued task, then stop."""
    run_tidtam(app, "db_worker", "--batch", "--no-startup-delay", timeout=120)


def test_a_planner_round_trips_a_rounds_results_through_excel(
    page_as: PageAs, live_app: LiveApp, shot: Shot, tmp_path: Path
) -> None:
    page = page_as("planner")
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role(
        "link", name="นำเข้า / ส่งออก Excel"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("นำเข้าและส่งออก Excel")
    export = page.get_by_role("region", name="ดาวน์โหลดแบบฟอร์ม")
    export.get_by_role("combobox", name="แบบฟอร์ม").select_option(label="ผลการดำเนินงานรายรอบ")
    organisations = export.get_by_role("combobox", name="หน่วยงาน")
    onesqa = organisations.locator("option", has_text=re.compile("^สมศ. —")).get_attribute("value")
    organisations.select_option(value=onesqa)
    export.get_by_role("spinbutton", name="ปีงบประมาณ").fill("2567")
    export.get_by_role("combobox", name="รอบ").select_option(label="6 เดือน")
    with page.expect_download() as download:
        export.get_by_role("button", name="ดาวน์โหลดแบบฟอร์ม (.xlsx)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "tidtam-results-onesqa-2567-6m.xlsx"

    book = load_workbook(path)
    sheet = book["ผลการดำเนินงาน"]
    headers = {cell.value: cell.column for cell in sheet[1]}
    row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(row=r, column=headers["ชื่อ"]).value == MAINTENANCE
    )
    sheet.cell(
        row=row, column=headers["ผลการดำเนินงาน (ข้อความ)"]
    ).value = "ดำเนินการได้ 6 กิจกรรม (จาก Excel)"
    book.save(path)

    upload = page.get_by_role("region", name="อัปโหลดไฟล์ที่กรอกแล้ว")
    upload.get_by_label("ไฟล์ Excel (.xlsx)").set_input_files(str(path))
    upload.get_by_role("button", name="อัปโหลดและตรวจ").click()
    expect(page.get_by_text("รอคิว")).to_be_visible()
    run_worker(live_app)
    # The page follows the job by itself (it reloads every 2 seconds while the job runs).
    expect(page.get_by_text("ตรวจแล้ว รอยืนยัน")).to_be_visible(timeout=20_000)
    expect(page.locator("#changes")).to_contain_text("ดำเนินการได้ 6 กิจกรรม (จาก Excel)")
    shot(page, "excel-import-preview", full_page=True)
    page.get_by_role("button", name="ยืนยันและบันทึกทั้งหมด").click()
    run_worker(live_app)
    expect(page.get_by_text(re.compile("^บันทึกแล้วทั้งหมดเมื่อ"))).to_be_visible(timeout=20_000)
    shot(page, "excel-import-applied", full_page=True)
