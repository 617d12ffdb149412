"""The new set-up and review pages in a real browser: a planner sets the plan's thresholds; the
committee reviews a KPI with a score between levels and a deduction. Screenshots are kept in
test-artifacts/browser/."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import PageAs

Shot = Callable[..., Path]


def test_a_planner_sets_the_plans_thresholds(page_as: PageAs, shot: Shot) -> None:
    page = page_as("planner")
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role(
        "link", name="แผนปฏิบัติราชการ", exact=True
    ).click()
    page.get_by_role("link", name=re.compile("2567")).first.click()
    page.get_by_role("link", name="ตั้งค่าแผนและเกณฑ์").click()
    expect(page.get_by_label("ช่วงกลางเริ่มที่ร้อยละ")).to_have_value("50")
    page.get_by_label("ช่วงกลางเริ่มที่ร้อยละ").fill("๙๐")  # Thai digits, above the top band
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_text("น้อยกว่าค่าช่วงบน")).to_be_visible()
    shot(page, "plan-thresholds-refused")
    page.get_by_label("ช่วงกลางเริ่มที่ร้อยละ").fill("50")
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_text(re.compile("บันทึกการตั้งค่า"))).to_be_visible()


def test_the_committee_reviews_a_kpi_beside_the_self_assessment(
    page_as: PageAs, shot: Shot
) -> None:
    page = page_as("bic-planner")
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role(
        "link", name="คำรับรองการปฏิบัติราชการ", exact=True
    ).click()
    page.get_by_role("link", name=re.compile("2564")).first.click()
    page.get_by_role("link", name="รอบ 12 เดือน").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ผลการประเมินของคณะกรรมการ")
    section = page.get_by_role("region", name=re.compile("ตัวชี้วัดที่ 4"))
    section.get_by_label("คะแนนที่คณะกรรมการให้ (ถ้าให้ระหว่างระดับ)").fill("62.5")
    section.get_by_label("คะแนนที่หัก").fill("5")
    page.get_by_role("button", name="บันทึกผลการทบทวนของคณะกรรมการ").click()
    # Without the reason and the rule the save is refused in Thai, naming what is missing.
    expect(page.get_by_role("alert")).to_contain_text("ไม่ได้ระบุเหตุผล")
    section = page.get_by_role("region", name=re.compile("ตัวชี้วัดที่ 4"))
    section.get_by_label("เหตุผลของคะแนน").fill("ผลอยู่ระหว่างระดับ 1 และ 2")
    section.get_by_label("หลักเกณฑ์การหักคะแนน").fill("ส่งรายงานล่าช้า หัก 5 คะแนน")
    page.get_by_role("button", name="บันทึกผลการทบทวนของคณะกรรมการ").click()
    expect(page.get_by_text(re.compile("บันทึกผลการทบทวนของคณะกรรมการแล้ว"))).to_be_visible()
    expect(page.get_by_test_id("reviewed-score-4")).to_have_text("57.5000")
    shot(page, "committee-review", full_page=True)
