"""No page template carries what the Content Security Policy blocks: inline scripts, inline
event handlers (hx-on too), style attributes or <style> blocks. The browser would block them
silently for every user; this finds them in the source first."""

from __future__ import annotations

import re
from pathlib import Path

# Django's own comments are never sent to the browser.
COMMENTS = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL)


INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "an inline event handler": re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "a <style> block": re.compile(r"<style[\s>]", re.IGNORECASE),
}
# Mails are not shown under the site's CSP; the print page's one <style> is allowed by its hash.
NOT_UNDER_CSP = ("/email/",)
STYLE_BLOCK_ALLOWED = ("reports/print/base.html",)


def test_no_page_template_has_inline_script_handlers_or_styles_that_the_csp_would_block() -> None:
    root = Path(__file__).resolve().parents[2] / "tidtam"
    found = []
    for template in sorted(root.glob("**/templates/**/*.html")):
        path = template.as_posix()
        if any(part in path for part in NOT_UNDER_CSP):
            continue
        text = COMMENTS.sub(
            lambda m: "\n" * m.group().count("\n"), template.read_text(encoding="utf-8")
        )
        for what, pattern in INLINE.items():
            if what == "a <style> block" and path.endswith(STYLE_BLOCK_ALLOWED):
                continue
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(root)}:{line}: {what}")
    # Move scripts to tidtam/static/tidtam/*.js (data- attributes select the elements) and styles
    # to site.css classes.
    assert found == []
