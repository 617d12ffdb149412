"""The Content Security Policy in a real browser: pages load their scripts, styles and fonts with
DEBUG off, and Chromium reports no violation (an inline script, style or handler that slipped in
would be blocked here, silently, for every user)."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import PageAs

# Collected in the page before any of its own scripts run: Playwright's init script is not
# subject to the page's CSP.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""

PAGES = ["/", "/plans/", "/rounds/", "/documents/", "/search/?q=%E0%B9%81%E0%B8%9C%E0%B8%99"]


def violations(page: Any) -> list[str]:
    page.wait_for_load_state("load")
    found: list[str] = page.evaluate("window.__cspViolations")
    return found


def test_pages_load_under_the_csp_without_a_single_violation(page_as: PageAs) -> None:
    page = page_as("planner")
    page.context.add_init_script(WATCH_VIOLATIONS)
    for path in PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert violations(page) == [], path
        # htmx and Bootstrap ran (their scripts are files, allowed by 'self').
        assert page.evaluate("typeof htmx === 'object' && typeof bootstrap === 'object'"), path


def test_the_phone_menu_opens_under_the_csp(page_as: PageAs) -> None:
    """Bootstrap's collapse sets heights from script: allowed, since it is not a style attribute
    in the markup."""
    page = page_as("reporter", phone=True)
    page.context.add_init_script(WATCH_VIOLATIONS)
    page.goto("/")
    page.get_by_role("button", name="เปิดเมนู").click()
    page.get_by_role("link", name="งานของฉัน").first.wait_for(state="visible")
    assert violations(page) == []
