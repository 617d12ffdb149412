"""Word documents: a document's structure laid into the office-editable .docx templates with
docxtpl. The builders decided the columns and rows; this pads them to the templates' fixed table
widths (the summary form has a 3- and a 5-level variant, the series tables five year columns)."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from tidtam.reports.content import Report
from tidtam.reports.render import plain
from tidtam.reports.render.chart import budget_chart_png

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "docx"
SERIES_COLUMNS = 5  # the baseline and the roadmap tables show five fiscal years each


def template_path(document: str) -> Path:
    """The template a document uses; ITA's 6-month and annual reports are quarterly reports."""
    name = "quarterly" if document in ("ita-progress", "ita-annual") else document
    return TEMPLATE_DIR / f"{name}.docx"


def _pad(values: list[Any], size: int, fill: Any = "") -> list[Any]:
    return (values + [fill] * size)[:size]


def _series_table(series: dict[str, Any] | None) -> dict[str, Any] | None:
    if not series:
        return None
    # The last five years, the table's fixed five columns.
    return {
        "years": _pad([str(year) for year in series["years"]][-SERIES_COLUMNS:], SERIES_COLUMNS),
        "rows": [
            {"label": row["label"], "cells": _pad(row["cells"][-SERIES_COLUMNS:], SERIES_COLUMNS)}
            for row in series["rows"]
        ],
    }


def _quarterly(data: dict[str, Any], template: DocxTemplate) -> dict[str, Any]:
    png = budget_chart_png(data["budget"]["chart"])
    return {
        **data,
        "ita": data.get("ita"),
        "chart": InlineImage(template, io.BytesIO(png), width=Mm(150)),
        "rounding_note": data["budget"].get("rounding_note", ""),
    }


def _agreement(data: dict[str, Any], template: DocxTemplate) -> dict[str, Any]:
    linkage = data["linkage_table"]
    form = data["summary_form"]
    return {
        **data,
        "level_columns": form["level_columns"],
        "level_headings": form["level_headings"],
        "linkage_columns": _pad(list(linkage["columns"]), 6),
        "linkage_rows": [
            {"label": row["label"], "cells": _pad(list(row["cells"]), 5)} for row in linkage["rows"]
        ],
        "kpi_sheets": [
            {
                **sheet,
                "baseline_table": _series_table(sheet["baseline"]),
                "roadmap_table": _series_table(sheet["roadmap"]),
            }
            for sheet in data["kpi_sheets"]
        ],
    }


def _plain(data: dict[str, Any], template: DocxTemplate) -> dict[str, Any]:
    return data


CONTEXTS: dict[str, Callable[[dict[str, Any], DocxTemplate], dict[str, Any]]] = {
    "quarterly": _quarterly,
    "ita-progress": _quarterly,
    "ita-annual": _quarterly,
    "agreement": _agreement,
    "scorecard": _plain,
    "ita-plan": _plain,
}


def prepare(report: Report | Mapping[str, Any]) -> tuple[DocxTemplate, dict[str, Any]]:
    """The template and the context docxtpl needs (the chart drawn, tables padded)."""
    data = plain(report)
    template = DocxTemplate(str(template_path(data["document"])))
    return template, CONTEXTS[data["document"]](data, template)


def save(template: DocxTemplate) -> bytes:
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def render_docx(report: Report | Mapping[str, Any]) -> bytes:
    template, context = prepare(report)
    # autoescape: names like "R&D" must not break the XML.
    template.render(context, autoescape=True)
    return save(template)
