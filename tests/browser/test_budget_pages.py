"""The budget in a real browser: a planner types a round's spending in Thai digits and pastes a
line's monthly plan from Excel into the month grid. Screenshots in test-artifacts/browser/."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import PageAs

Shot = Callable[..., Path]

# งบกองทุน สมศ. (seed 000's fourth line, 11,165,700 baht) spread evenly: twelve cells of a
# column copied from Excel, as the clipboard carries them.
EXCEL_COLUMN = "930,475.00\r\n" * 12


def open_budget_lines(page: object) -> None:
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role(  # type: ignore[attr-defined]
        "link", name="แผนปฏิบัติราชการ", exact=True
    ).click()
    page.get_by_role("link", name=re.compile("2567")).first.click()  # type: ignore[attr-defined]
    page.get_by_role("link", name="รายการงบประมาณ").first.click()  # type: ignore[attr-defined]


def test_a_planner_types_a_rounds_spending_in_thai_digits(page_as: PageAs, shot: Shot) -> None:
    page = page_as("planner")
    open_budget_lines(page)
    page.get_by_role("link", name="ผลการใช้จ่ายรายรอบ").click()
    page.get_by_role("link", name=re.compile("รอบ 3 เดือน")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("รอบ 3 เดือน")
    page.get_by_label("เบิกจ่ายสะสม (บาท) — 1. งบตามแผนยุทธศาสตร์").fill("๕,๐๐๐,๐๐๐.๕๐")
    page.get_by_label("ข้อมูล ณ วันที่ — 1. งบตามแผนยุทธศาสตร์").fill("20/12/2566")
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_text(re.compile("บันทึกผลการใช้จ่ายของรอบ 3 เดือน"))).to_be_visible()
    expect(page.get_by_label("เบิกจ่ายสะสม (บาท) — 1. งบตามแผนยุทธศาสตร์")).to_have_value("5000000.50")
    expect(page.get_by_label("ข้อมูล ณ วันที่ — 1. งบตามแผนยุทธศาสตร์")).to_have_value("20/12/2566")
    # A day outside the round is refused in Thai, and what was typed stays.
    page.get_by_label("ข้อมูล ณ วันที่ — 1. งบตามแผนยุทธศาสตร์").fill("05/01/2567")
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_role("alert")).to_contain_text("ไม่อยู่ใน")
    expect(page.get_by_label("ข้อมูล ณ วันที่ — 1. งบตามแผนยุทธศาสตร์")).to_have_value("05/01/2567")
    shot(page, "round-spending-refused", full_page=True)


def test_a_planner_pastes_a_monthly_plan_from_excel(page_as: PageAs, shot: Shot) -> None:
    page = page_as("planner")
    open_budget_lines(page)
    # The grid's paste handler is a deferred script: paste once the page has loaded, as a
    # person does (the inputs are there, without it, while the page is still being read).
    with page.expect_navigation():
        page.get_by_role("row", name=re.compile("งบกองทุน")).get_by_role(
            "link", name="แผนและผลรายเดือน"
        ).click()
    october = page.get_by_label("แผนการเบิกจ่าย เดือนตุลาคม")
    october.focus()
    october.evaluate(
        """(input, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            input.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        EXCEL_COLUMN,
    )
    expect(page.get_by_label("แผนการเบิกจ่าย เดือนกันยายน")).to_have_value("930,475.00")
    expect(page.get_by_label("เบิกจ่ายในเดือน เดือนตุลาคม")).to_have_value("")
    shot(page, "month-grid-pasted", full_page=True)
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_text(re.compile("บันทึกแผนและผลรายเดือน"))).to_be_visible()
    expect(page.get_by_label("แผนการเบิกจ่าย เดือนมีนาคม")).to_have_value("930475.00")
