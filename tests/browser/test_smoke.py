"""Smoke tests in a real browser: sign-in, the landing page, the documents page, the phone menu.

Each test leaves a screenshot in test-artifacts/browser/: look at them after a change to the
templates or the CSS.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import PageAs, sign_in

Shot = Callable[..., Path]

THAI_SAMPLE = "ติดตามเข้าสู่ระบบ"


def sarabun_is_used(page: Any) -> bool:
    """The vendored Sarabun has loaded and draws Thai: the machine may have no Thai font at all,
    so without it Thai would be boxes."""
    page.evaluate("document.fonts.ready.then(() => true)")
    return bool(
        page.evaluate(
            """(sample) => document.fonts.check('16px Sarabun', sample)
                && [...document.fonts].some(f => f.family.replace(/"/g, '') === 'Sarabun'
                                                 && f.status === 'loaded')""",
            THAI_SAMPLE,
        )
    )


def test_the_login_page_is_in_thai(page_as: PageAs, shot: Shot) -> None:
    page = page_as(None)
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page).to_have_title(re.compile("เข้าสู่ระบบ.*ติดตาม"))
    expect(page.get_by_role("heading", level=1, name="เข้าสู่ระบบ")).to_be_visible()
    expect(page.get_by_label("ชื่อผู้ใช้")).to_be_visible()
    expect(page.get_by_label("รหัสผ่าน")).to_have_attribute("type", "password")
    assert sarabun_is_used(page), "the Sarabun web font did not load for Thai text"
    shot(page, "login")


def test_a_wrong_password_is_refused_in_thai(page_as: PageAs, shot: Shot) -> None:
    page = page_as(None)
    sign_in(page, "auditor", "not-the-password")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_text("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")).to_be_visible()
    # The name stays filled in; the password does not.
    expect(page.get_by_label("ชื่อผู้ใช้")).to_have_value("auditor")
    expect(page.get_by_label("รหัสผ่าน")).to_have_value("")
    shot(page, "login-wrong-password")


def test_the_planner_signs_in_and_lands_on_my_work(page_as: PageAs, shot: Shot) -> None:
    page = page_as("planner")
    expect(page).to_have_url(re.compile(r"/work/$"))
    expect(page.get_by_role("heading", level=1, name="งานของฉัน")).to_be_visible()
    expect(page).to_have_title(re.compile("งานของฉัน"))
    menu = page.get_by_role("navigation", name="เมนูหลัก")
    # The signed-in person by name (tidtam/seeds/cast.py), and the way out.
    expect(menu.get_by_text("วิภาวรรณ")).to_be_visible()
    expect(menu.get_by_role("button", name="ออกจากระบบ")).to_be_visible()
    expect(menu.get_by_role("link", name="งานของฉัน", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(menu.get_by_role("button", name="เปิดเมนู")).to_be_hidden()
    shot(page, "my-work-planner")


def test_the_documents_page_lists_the_documents(page_as: PageAs, shot: Shot) -> None:
    page = page_as("planner")
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role(
        "link", name="เอกสาร", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"/documents/$"))
    expect(page.get_by_role("heading", level=1, name="เอกสาร")).to_be_visible()
    documents = page.get_by_role("table").first.locator("tbody tr")
    expect(documents.first).to_be_visible()
    assert documents.count() >= 4
    expect(documents.filter(has_text="รายงานผลการดำเนินงานรายไตรมาส")).to_have_count(1)
    expect(page.get_by_role("button", name="จัดทำเอกสาร")).to_be_visible()
    shot(page, "documents-planner", full_page=True)


def test_a_phone_gets_the_menu_behind_a_toggler(page_as: PageAs, shot: Shot) -> None:
    page = page_as("planner", phone=True)
    expect(page).to_have_url(re.compile(r"/work/$"))
    toggler = page.get_by_role("button", name="เปิดเมนู")
    documents_link = page.get_by_role("navigation", name="เมนูหลัก").get_by_role(
        "link", name="เอกสาร", exact=True
    )
    expect(toggler).to_be_visible()
    expect(documents_link).to_be_hidden()
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "my-work-phone")

    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    # Bootstrap's collapse is done when the menu has "show" (not "collapsing") on it.
    expect(page.locator("#menu")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(documents_link).to_be_visible()
    shot(page, "my-work-phone-menu-open")
