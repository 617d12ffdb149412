"""The public portal in a real browser: สมศ.'s planner has published its plan (`tidtam
publish`, as `make demo` does); a citizen, not signed in, opens /public/, finds the agency's
year, reads the ITA item beside the document and downloads the CSV. Screenshots in
test-artifacts/browser/."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import LiveApp, PageAs, run_tidtam

Shot = Callable[..., Path]


def test_a_citizen_opens_the_portal_and_downloads_the_csv(
    page_as: PageAs, live_app: LiveApp, shot: Shot
) -> None:
    run_tidtam(
        live_app,
        "publish",
        "--org",
        "onesqa",
        "--fy",
        "2567",
        "--as",
        "planner",
        "--document",
        "ita-plan",
    )
    page = page_as(None, phone=True)
    page.goto("/public/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ข้อมูลเปิดเผยต่อสาธารณะ")
    page.get_by_role("link", name="พ.ศ. 2567").first.click()
    expect(page).to_have_url(re.compile(r"/public/onesqa/2567/$"))
    expect(page.locator("main")).to_contain_text("ITA O")
    shot(page, "portal-agency-year-phone", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="ดาวน์โหลด CSV").first.click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert rows[0][:4] == ["ผลผลิต / กิจกรรม", "ลำดับ", "ประเภท", "โครงการ / รายการ"]
    assert len(rows) > 40
    page.get_by_role("link", name="อ่านเอกสาร").first.click()
    expect(page.locator("body")).to_contain_text("แผนการดำเนินงาน")
    # On a phone the page is as wide as the screen; its wide tables scroll sideways inside it.
    # (A phone's browser widens its layout to fit a page too wide: measured against the screen.)
    wide = page.evaluate("document.documentElement.scrollWidth")
    screen = (page.viewport_size or {"width": 0})["width"]
    assert 0 < wide <= screen, f"the page is {wide} px wide on a {screen} px screen"
    table = page.locator("table").first
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")  # it scrolls, it is not cut
    shot(page, "portal-document-phone", full_page=True)
