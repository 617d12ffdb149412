"""The round's work in a real browser, on the seed data: report with evidence, return, correct,
approve; the planner watches the band table and the status per unit change; another
organisation's person is refused.

One test, in order, because each step builds on the one before (as the people do).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import PageAs

Shot = Callable[..., Path]

ITEM = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"
COMMENT = "แนบรายงานผลการบำรุงรักษาฉบับที่ผู้อำนวยการลงนามด้วย"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def band_count(page: Any, band: str) -> int:
    return int(page.locator(f'[data-band="{band}"] [data-count]').inner_text())


def unit_status(page: Any, unit: str, status: str) -> int:
    return int(page.locator(f'tr[data-unit="{unit}"] td[data-status="{status}"]').inner_text())


def open_item(page: Any) -> None:
    page.goto("/work/")
    # Until the page has loaded, its deferred scripts (htmx: the live percentages) have not run:
    # typing then would not be sent for the preview, as it would not for a person so quick.
    with page.expect_navigation():
        page.get_by_role("link", name=ITEM).first.click()
    expect(page.get_by_role("heading", level=1, name=ITEM)).to_be_visible()


def evidence_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(PDF)
    return path


def test_report_return_correct_approve_while_the_planner_watches(
    page_as: PageAs, shot: Shot, tmp_path: Path
) -> None:
    # The planner's view before: seed 000's table 1 (3 / 28 / 19 / 5 of 55).
    planner = page_as("planner")
    planner.goto("/work/status/")
    expect(planner.get_by_role("heading", name="สถานะการรายงาน")).to_be_visible()
    assert band_count(planner, "below_50") == 28
    assert band_count(planner, "from_80") == 5
    drafts_before = unit_status(planner, "สนย.", "draft")
    shot(planner, "flow-1-planner-before", full_page=True)

    # The reporter of สนย. enters 9 of the 9 activities planned, in Thai digits, with evidence.
    reporter = page_as("reporter")
    expect(reporter.get_by_text("เหลืออีก 7 วัน")).to_be_visible()
    open_item(reporter)
    reporter.get_by_label("กรอกร้อยละเอง (แทนค่าที่คำนวณ)").uncheck()
    reporter.get_by_label("ผล (จำนวน)", exact=True).fill("๙")
    # The percentages are computed live, by the server's rules: 9 / 11 of the year.
    expect(reporter.get_by_test_id("percent-annual")).to_have_text("81.82")
    expect(reporter.get_by_test_id("percent-round")).to_have_text("100.00")
    reporter.get_by_label("หลักฐาน", exact=True).set_input_files(
        str(evidence_file(tmp_path, "รายงานการบำรุงรักษา.pdf"))
    )
    shot(reporter, "flow-2-reporter-entry", full_page=True)
    reporter.get_by_role("button", name="บันทึกและส่งผล").click()
    expect(reporter.get_by_text("ส่งผลแล้ว รอผู้อนุมัติตรวจ")).to_be_visible()
    expect(reporter.get_by_role("link", name="รายงานการบำรุงรักษา.pdf")).to_be_visible()

    # The approver finds it waiting, downloads the evidence and returns it with a comment.
    approver = page_as("approver")
    expect(approver.get_by_role("heading", name=re.compile("รอการอนุมัติจากฉัน"))).to_be_visible()
    approver.get_by_role("link", name=ITEM).first.click()
    with approver.expect_download() as download:
        approver.get_by_role("link", name="รายงานการบำรุงรักษา.pdf").click()
    assert download.value.suggested_filename == "รายงานการบำรุงรักษา.pdf"
    approver.get_by_label("ความเห็น (จำเป็นเมื่อส่งกลับให้แก้ไข)").fill(COMMENT)
    approver.get_by_role("button", name="ส่งกลับให้แก้ไข").click()
    expect(approver.get_by_text("ส่งกลับให้ผู้รายงานแก้ไขแล้ว")).to_be_visible()
    shot(approver, "flow-3-approver-returned", full_page=True)

    # The reporter sees it returned, with the comment, adds the signed report and resubmits.
    reporter.goto("/work/")
    expect(reporter.get_by_role("heading", name="ส่งกลับให้แก้ไข (1)")).to_be_visible()
    expect(reporter.get_by_text(COMMENT)).to_be_visible()
    shot(reporter, "flow-4-reporter-returned", full_page=True)
    open_item(reporter)
    reporter.get_by_label("หลักฐาน", exact=True).set_input_files(
        str(evidence_file(tmp_path, "รายงานฉบับลงนาม.pdf"))
    )
    reporter.get_by_role("button", name="บันทึกและส่งผล").click()
    expect(reporter.get_by_text("ส่งผลแล้ว รอผู้อนุมัติตรวจ")).to_be_visible()
    expect(reporter.get_by_role("link", name="รายงานฉบับลงนาม.pdf")).to_be_visible()

    # The approver approves; the entry is locked.
    open_item(approver)
    approver.get_by_role("button", name="อนุมัติ", exact=True).click()
    expect(approver.get_by_text("อนุมัติแล้ว รายการนี้ถูกล็อกไม่ให้แก้ไข")).to_be_visible()
    open_item(reporter)
    expect(reporter.get_by_role("button", name="บันทึกและส่งผล")).to_have_count(0)
    expect(reporter.get_by_text("อนุมัติแล้ว — รายการถูกล็อก")).to_be_visible()

    # The planner's view after: one project moved from below 50 % to 80 % and over.
    planner.reload()
    assert band_count(planner, "below_50") == 27
    assert band_count(planner, "from_80") == 6
    assert unit_status(planner, "สนย.", "draft") == drafts_before - 1
    assert unit_status(planner, "สนย.", "approved") == 1
    shot(planner, "flow-5-planner-after", full_page=True)

    # A person of another organisation gets "not found" for the same entry and its evidence.
    entry_url = reporter.url
    outsider = page_as("bic-planner")
    response = outsider.goto(entry_url)
    assert response is not None and response.status == 404
    shot(outsider, "flow-6-outsider-refused")

    # The same entry on a phone.
    phone = page_as("reporter", phone=True)
    phone.goto(entry_url)
    expect(phone.get_by_role("heading", level=1, name=ITEM)).to_be_visible()
    shot(phone, "flow-7-entry-on-a-phone", full_page=True)
