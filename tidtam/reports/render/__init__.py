"""Lay a document's data out as a file. Renderers take the data dict that the builders in
tidtam.reports make and never touch the database (an import-linter contract keeps it so)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from tidtam.domain.errors import DomainError


def _json_default(value: object) -> object:
    # Decimals as strings keep every digit; a float would not.
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)


def render(data: dict[str, Any], fmt: str) -> bytes:
    """The document as the bytes of a file in `fmt` (docx, xlsx, pdf, html or json)."""
    if fmt == "json":
        return (to_json(data) + "\n").encode()
    if fmt == "docx":
        from tidtam.reports.render.docx import render_docx

        return render_docx(data)
    if fmt == "pdf":
        from tidtam.reports.render.docx import render_docx
        from tidtam.reports.render.pdf import docx_to_pdf

        return docx_to_pdf(render_docx(data))
    if fmt == "xlsx":
        from tidtam.reports.render.xlsx import render_xlsx

        return render_xlsx(data)
    if fmt == "html":
        from tidtam.reports.render.html import render_html

        return render_html(data).encode()
    raise DomainError(
        "format_unsupported",
        document=data.get("document", ""),
        format=fmt,
        choices="docx, xlsx, pdf, html, json",
    )
