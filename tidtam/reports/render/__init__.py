"""Lay a document out as a file. Renderers take a document's typed structure
(tidtam.reports.content), which its builder made with every figure, label and column decided, and
never touch the database, compute a figure or map a code (import-linter contracts keep it so)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tidtam.domain.errors import DomainError
from tidtam.reports.content import Report, content_of


def plain(report: Report | Mapping[str, Any]) -> dict[str, Any]:
    """The structure as Python values (Decimals, dates) for the templates; a mapping (a document
    read back from its JSON, a test's variant of one) is validated into its model first."""
    return content_of(report).model_dump()


def to_json(report: Report | Mapping[str, Any]) -> str:
    """The document's JSON: its structure, Decimals as strings (every digit kept)."""
    return content_of(report).model_dump_json(indent=2)


def render(report: Report | Mapping[str, Any], fmt: str) -> bytes:
    """The document as the bytes of a file in `fmt` (docx, xlsx, pdf, html or json)."""
    report = content_of(report)
    if fmt == "json":
        return (to_json(report) + "\n").encode()
    if fmt == "docx":
        from tidtam.reports.render.docx import render_docx

        return render_docx(report)
    if fmt == "pdf":
        from tidtam.reports.render.docx import render_docx
        from tidtam.reports.render.pdf import docx_to_pdf

        return docx_to_pdf(render_docx(report))
    if fmt == "xlsx":
        from tidtam.reports.render.xlsx import render_xlsx

        return render_xlsx(report)
    if fmt == "html":
        from tidtam.reports.render.html import render_html

        return render_html(report).encode()
    raise DomainError(
        "format_unsupported",
        document=report.document,
        format=fmt,
        choices="docx, xlsx, pdf, html, json",
    )
