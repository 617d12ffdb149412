"""The dashboard in a real browser: an executive lands on it, sees the charts drawn beside
their tables, and switches to approved results only; a ministry's dashboard (a generated
ministry, made by `tidtam generate` on the app's database) drills down to a department and on
to a lagging item's entry page. Screenshots in test-artifacts/browser/."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import LiveApp, PageAs, run_tidtam

Shot = Callable[..., Path]


def test_an_executive_lands_on_the_dashboard_and_counts_approved_results_only(
    page_as: PageAs, shot: Shot
) -> None:
    page = page_as("executive")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("ภาพรวมสำนักงานรับรองมาตรฐาน")
    expect(page.locator("body")).to_have_attribute("data-charts", "drawn")
    for chart in ("#chart-bands", "#chart-status", "#chart-budget"):
        expect(page.locator(f"{chart} svg")).to_have_count(1)
    # The table beside the chart: seed 000's table 1 at 6 months.
    expect(page.locator('#bands-table td[data-band="below_50"]')).to_have_text("28 (50.91)")
    expect(page.locator("#bands-total")).to_have_text("55")
    shot(page, "dashboard-executive", full_page=True)

    switch = page.get_by_role("switch", name="นับเฉพาะผลที่อนุมัติแล้ว")
    expect(switch).to_have_attribute("aria-checked", "false")
    switch.click()
    expect(page).to_have_url(re.compile(r"approved=1"))
    expect(page.get_by_role("switch", name="นับเฉพาะผลที่อนุมัติแล้ว")).to_have_attribute(
        "aria-checked", "true"
    )
    expect(page.locator("#counting-note")).to_contain_text("นับเฉพาะผลที่ผู้อนุมัติอนุมัติแล้ว")
    # Nothing is approved yet in the demo: every reported item waits, the later quarters stay.
    expect(page.locator('#bands-table td[data-band="below_50"]')).to_have_text("0 (0.00)")
    expect(page.locator("#bands-not-counted")).to_have_text("52")
    shot(page, "dashboard-approved-only", full_page=True)


def generate_ministry(app: LiveApp) -> None:
    run_tidtam(
        app,
        *("generate", "--organizations", "4", "--work-items", "120", "--kpis", "12"),
        *("--budget-lines", "8", "--fy", "2567", "--seed", "5"),
    )


def test_a_ministry_drills_down_to_a_department_and_to_an_item(
    page_as: PageAs, live_app: LiveApp, shot: Shot
) -> None:
    generate_ministry(live_app)
    page = page_as("demo")
    page.goto("/dashboard/?org=gen-m01&fy=2567&round=6")
    expect(page.get_by_role("heading", level=1)).to_contain_text("และหน่วยงานในสังกัด")
    expect(page.locator("body")).to_have_attribute("data-charts", "drawn")
    shot(page, "dashboard-ministry", full_page=True)
    ministry_total = int(page.locator("#bands-total").inner_text())

    units = page.locator("#bands-table tbody th a")
    expect(units.first).to_be_visible()
    unit_name = units.first.inner_text()
    units.first.click()
    expect(page).to_have_url(re.compile(r"org=gen-m01-"))
    expect(page.get_by_role("navigation", name="หน่วยงานที่สูงกว่า")).to_be_visible()
    assert int(page.locator("#bands-total").inner_text()) <= ministry_total
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shot(page, "dashboard-department", full_page=True)
    assert unit_name

    lagging = page.locator("#lagging + ol a")
    expect(lagging.first).to_be_visible()
    name = lagging.first.inner_text()
    lagging.first.click()
    expect(page).to_have_url(re.compile(r"/work/items/\d+/rounds/\d+/"))
    expect(page.locator("main")).to_contain_text(name[:20])
    shot(page, "dashboard-item", full_page=True)
