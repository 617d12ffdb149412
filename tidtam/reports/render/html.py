"""A document as one print-friendly HTML page (A4, Sarabun embedded), from its data dict only.

The page works served by Django and saved as a standalone file: fonts and the chart are data:
URIs. Figures are the *_text strings the builders prepared; nothing here rounds.
"""

from __future__ import annotations

import base64
import functools
from typing import Any

from django.template.loader import render_to_string

from tidtam.domain.errors import DomainError
from tidtam.reports.render.fonts import DOCUMENT_FONT, RENDER_FONT, font_file

TEMPLATES = {
    "quarterly": "reports/print/quarterly.html",
    "ita-progress": "reports/print/quarterly.html",
    "ita-annual": "reports/print/quarterly.html",
    "agreement": "reports/print/agreement.html",
    "scorecard": "reports/print/scorecard.html",
    "ita-plan": "reports/print/ita_plan.html",
}
# Column order of ตารางที่ 1 (the builder's band keys).
BANDS = ("later_quarter", "below_50", "from_50", "from_80")
# Plan texts of the ITA plan, per round in months.
PLAN_ROUNDS = (3, 6, 9, 12)


@functools.cache
def font_base64(weight: str) -> str:
    """The Sarabun TTF as base64, read once per process (about 120 KB each)."""
    return base64.b64encode(font_file(weight).read_bytes()).decode("ascii")


def _quarterly_context(data: dict[str, Any]) -> dict[str, Any]:
    from tidtam.reports.render.chart import budget_chart_png

    bands = data["band_table"]
    outputs = [
        {
            **output,
            "activity_rows": [
                {**activity, "band_texts": [activity["cells"][band]["text"] for band in BANDS]}
                for activity in output["activities"]
            ],
        }
        for output in bands["outputs"]
    ]
    png = budget_chart_png(data["budget"]["chart"])
    title = data["title"]
    return {
        "page_title": f"{title['heading']} {data['organization']['short_name']} {title['round']}",
        "texts": data["texts"],
        "band_headings": [bands["headings"][band] for band in BANDS],
        "band_outputs": outputs,
        "band_totals": [bands["totals"][band]["text"] for band in BANDS],
        "chart_src": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
        "rounding_note": data["budget"]["rounding_note"],
    }


def _series_rows(series: dict[str, Any] | None) -> dict[str, Any] | None:
    """A baseline or roadmap as a header of years and rows of cells in that order."""
    if not series:
        return None
    years = list(series["years"])
    return {
        "years": years,
        "first": years[0] if years else "",
        "last": years[-1] if years else "",
        "rows": [{"label": row["label"], "cells": row["cells"]} for row in series["rows"]],
    }


def _agreement_context(data: dict[str, Any]) -> dict[str, Any]:
    form = data["summary_form"]
    kpis = [kpi for group in form["groups"] for kpi in group["kpis"]]
    width = max((len(kpi["levels"]) for kpi in kpis), default=0)
    headings = next(
        (
            [level["heading"] for level in kpi["levels"]]
            for kpi in kpis
            if len(kpi["levels"]) == width
        ),
        [],
    )
    groups = [
        {
            **group,
            "rows": [
                {
                    **kpi,
                    "level_cells": [level["description"] for level in kpi["levels"]]
                    + [""] * (width - len(kpi["levels"])),
                }
                for kpi in group["kpis"]
            ],
        }
        for group in form["groups"]
    ]
    sheets = [
        {
            **sheet,
            "baseline_table": _series_rows(sheet["baseline"]),
            "roadmap_table": _series_rows(sheet["roadmap"]),
        }
        for sheet in data["kpi_sheets"]
    ]
    return {
        "page_title": data["cover"]["title"] + " " + data["cover"]["of"],
        "level_width": width,
        "level_headings": headings,
        "summary_groups": groups,
        "sheets": sheets,
    }


def _scorecard_context(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "page_title": f"{data['title']} {data['organization']['short_name']} รอบ {data['round_months']} เดือน",
    }


def _ita_plan_context(data: dict[str, Any]) -> dict[str, Any]:
    groups = [
        {
            **group,
            "rows": [
                {
                    **item,
                    "plan_texts": [
                        {"months": months, "text": text}
                        for months, text in zip(PLAN_ROUNDS, item["plans"], strict=False)
                        if text
                    ],
                }
                for item in group["items"]
            ],
        }
        for group in data["groups"]
    ]
    return {
        "page_title": f"{data['ita']['code']} {data['title']} {data['organization']['short_name']}",
        "plan_groups": groups,
    }


CONTEXTS = {
    "quarterly": _quarterly_context,
    "ita-progress": _quarterly_context,
    "ita-annual": _quarterly_context,
    "agreement": _agreement_context,
    "scorecard": _scorecard_context,
    "ita-plan": _ita_plan_context,
}


def render_html(data: dict[str, Any]) -> str:
    """The document as a standalone HTML page, laid out for printing on A4."""
    document = data.get("document", "")
    if document not in TEMPLATES:
        raise DomainError("document_unknown", document=document, choices=", ".join(TEMPLATES))
    context = {
        **data,
        **CONTEXTS[document](data),
        "document_font": DOCUMENT_FONT,
        "render_font": RENDER_FONT,
        "font_regular": font_base64("Regular"),
        "font_bold": font_base64("Bold"),
    }
    return render_to_string(TEMPLATES[document], context)
