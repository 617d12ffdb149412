"""A document as one print-friendly HTML page (A4, Sarabun embedded), from its data dict only.

The page works served by Django and saved as a standalone file: fonts and the chart are data:
URIs. Figures are the *_text strings the builders prepared, and the columns and rows are theirs;
nothing here rounds, counts or chooses.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string

from tidtam.reports.content import Report
from tidtam.reports.render import plain
from tidtam.reports.render.fonts import DOCUMENT_FONT, RENDER_FONT, font_file

TEMPLATES = {
    "quarterly": "reports/print/quarterly.html",
    "ita-progress": "reports/print/quarterly.html",
    "ita-annual": "reports/print/quarterly.html",
    "agreement": "reports/print/agreement.html",
    "scorecard": "reports/print/scorecard.html",
    "ita-plan": "reports/print/ita_plan.html",
}


@functools.cache
def font_base64(weight: str) -> str:
    """The Sarabun TTF as base64, read once per process (about 120 KB each)."""
    return base64.b64encode(font_file(weight).read_bytes()).decode("ascii")


def _chart_src(data: dict[str, Any]) -> str:
    from tidtam.reports.render.chart import budget_chart_png

    png = budget_chart_png(data["budget"]["chart"])
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_html(report: Report | Mapping[str, Any]) -> str:
    """The document as a standalone HTML page, laid out for printing on A4."""
    data = plain(report)
    document = data["document"]
    context = {
        **data,
        # The document as one value, for templates that print a part of it the same way as
        # its units' (the scorecard's own card and each unit's).
        "report": data,
        "chart_src": _chart_src(data) if "budget" in data else "",
        "document_font": DOCUMENT_FONT,
        "render_font": RENDER_FONT,
        "font_regular": font_base64("Regular"),
        "font_bold": font_base64("Bold"),
    }
    return render_to_string(TEMPLATES[document], context)
