"""Reading a rendered Word or Excel file back as text, for tests that look for figures in it.

The Word file is read from its own XML (word/document.xml): every paragraph of the body, those
in table cells (nested tables too), insertions (w:ins) and content controls (w:sdt) included, one
per line, with the text of its runs (a tab as a tab, a line or carriage break as a new line; an
absolute tab, w:ptab, is dropped). That is a superset of what python-docx's object model gives
(which skips w:ins, content controls and nested tables): on every seed document the two give the
same lines. python-docx walks every table cell with XPath: ten times slower on a 50-page report,
a fifth of the document tests' time.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree
from openpyxl import load_workbook

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BREAKS = {f"{W}br": "\n", f"{W}cr": "\n", f"{W}tab": "\t", f"{W}noBreakHyphen": "-"}


def _paragraph_text(paragraph: etree._Element) -> str:
    parts: list[str] = []
    for node in paragraph.iter(f"{W}t", *_BREAKS):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.getparent() is not None and node.getparent().tag == f"{W}r":
            # A tab inside a run; a tab stop of the paragraph's properties (w:tabs) is no text.
            parts.append(_BREAKS[node.tag])
    return "".join(parts)


def docx_paragraphs(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return [_paragraph_text(p) for p in root.iter(f"{W}p")]


def docx_text(data: bytes) -> str:
    return "\n".join(docx_paragraphs(data))


def xlsx_text(data: bytes) -> str:
    """Every non-empty cell's value of every sheet, one per line."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value
        )
    finally:
        book.close()
