"""Reading a workbook a person uploads, safely: what kind of file it is (an encrypted or an old
.xls file, a zip bomb, macros), which cells hold formulas or are merged, and each sheet's values
read by python-calamine (docs/decisions: design.md, "Excel in"). Every refusal is a DomainError
whose Thai message names the sheet and the cell and says how to fix the file."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from python_calamine import CalamineWorkbook

from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import fiscal_month_of, fiscal_year_of
from tidtam.domain.thai import (
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    normalize_paragraphs,
    normalize_text,
    parse_be_date,
    parse_thai_number,
)

# An upload larger than this is not a plan or a round's results (20,000 rows are ~2 MB).
MAX_BYTES = 20 * 1024 * 1024
# What the workbook's parts may unpack to, and how many times their packed size each may be:
# an XLSX packs text about 5-20 times; a zip bomb packs thousands of times.
MAX_UNPACKED = 400 * 1024 * 1024
MAX_RATIO = 200
# Rows a sheet may have below its header (a national round's results are ~20,000).
MAX_ROWS = 50_000
# Problems listed per file before the rest are summed up.
MAX_LISTED = 200

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_SHEET = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_SHEET_ID_FIRST = re.compile(rb'<sheet\b[^>]*?r:id="([^"]*)"[^>]*?name="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"')
_REL_TARGET_FIRST = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')
_FORMULA = re.compile(rb'<c\b[^>]*?r="([A-Z]+[0-9]+)"[^>]*>(?:(?!</c>).)*?<f[ >/]', re.S)
_ANY_FORMULA = re.compile(rb"<f[ >/]")
_MERGED = re.compile(rb'<mergeCell\b[^>]*?ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


@dataclass(frozen=True)
class Sheet:
    """A sheet's rows as read: values are str, int, float, bool, date, datetime or None."""

    name: str
    rows: list[list[object]]


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xml_text(raw: bytes) -> str:
    return (
        raw.decode("utf-8", "replace")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
    )


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name → the part holding its cells (xl/worksheets/sheetN.xml)."""
    book = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    targets = {rid: target for rid, target in _REL.findall(rels)}
    targets.update({rid: target for target, rid in _REL_TARGET_FIRST.findall(rels)})
    sheets = [(name, rid) for name, rid in _SHEET.findall(book)]
    sheets += [(name, rid) for rid, name in _SHEET_ID_FIRST.findall(book)]
    parts = {}
    for name, rid in sheets:
        target = targets.get(rid, b"").decode()
        parts[_xml_text(name)] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def open_checked(data: bytes, *, file_name: str = "") -> zipfile.ZipFile:
    """The workbook's archive, once it is known to be an XLSX file that is safe to unpack."""
    if len(data) > MAX_BYTES:
        raise DomainError(
            "import_too_big", size=len(data) // 1024 // 1024, limit=MAX_BYTES // 1024 // 1024
        )
    if data.startswith(_OLE):
        raise DomainError(
            "import_encrypted" if _ENCRYPTED in data else "import_old_xls", file=file_name
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise DomainError("import_not_xlsx", file=file_name) from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        raise DomainError("import_not_xlsx", file=file_name)
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED or any(
        info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1024 * 1024
        for info in infos
    ):
        raise DomainError("import_zip_bomb", file=file_name)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise DomainError("import_macros", file=file_name)
    return archive


def check_cells(archive: zipfile.ZipFile, sheet_names: Iterable[str]) -> list[DomainError]:
    """Formulas and merged cells in the sheets read: each a problem naming its cell or range."""
    parts = _sheet_parts(archive)
    problems: list[DomainError] = []
    for name in sheet_names:
        part = parts.get(name)
        if part is None or part not in archive.namelist():
            continue
        xml = archive.read(part)
        formulas = _FORMULA.findall(xml)[:MAX_LISTED] if _ANY_FORMULA.search(xml) else []
        for ref in formulas:
            problems.append(DomainError("import_formula", sheet=name, cell=ref.decode()))
        for ref in _MERGED.findall(xml)[:MAX_LISTED]:
            problems.append(DomainError("import_merged", sheet=name, cells=ref.decode()))
    return problems


def read_sheets(data: bytes, *, file_name: str = "") -> dict[str, Sheet]:
    """Every sheet of a checked workbook, read by calamine (at most MAX_ROWS + 2 rows each)."""
    archive = open_checked(data, file_name=file_name)
    archive.close()
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {}
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=MAX_ROWS + 2)
            # An empty cell is None, as openpyxl reads it (calamine gives ""): every reader
            # below passes it by at once.
            sheets[name] = Sheet(name, [[None if v == "" else v for v in row] for row in rows])
    except DomainError:
        raise
    except Exception:  # calamine's own errors: a damaged or foreign file
        raise DomainError("import_not_xlsx", file=file_name) from None
    for sheet in sheets.values():
        if len(sheet.rows) > MAX_ROWS + 1:
            raise DomainError("import_too_many_rows", sheet=sheet.name, limit=MAX_ROWS)
    return sheets


# --- one cell's value ---------------------------------------------------------------------


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not normalize_text(value))


def cell_text(value: object, *, paragraphs: bool = False) -> str:
    """A cell as text: numbers without a trailing ".0", spaces and Thai vowels normalised."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return normalize_paragraphs(text) if paragraphs else normalize_text(text)


_DASHES = {"-", "–", "—"}


def cell_number(value: object, *, field: str) -> Decimal | None:
    """A cell as a number: a number cell, or text typed as a number ("1,345", Thai digits, stray
    spaces); blank or a dash is no value. A date or a word is refused naming the field."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise DomainError("import_not_a_number", field=field, value=str(value))
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        try:
            return Decimal(repr(value))
        except InvalidOperation:
            raise DomainError("import_not_a_number", field=field, value=str(value)) from None
    if isinstance(value, date | datetime):
        raise DomainError("import_not_a_number", field=field, value=value.isoformat())
    text = normalize_text(str(value))
    if not text or text in _DASHES:
        return None
    try:
        return parse_thai_number(text)
    except DomainError:
        raise DomainError("import_not_a_number", field=field, value=text) from None


def cell_fiscal_month(value: object, *, field: str, year: int) -> int:
    """A month of fiscal year `year` (B.E.) as 1 (October) … 12 (September): a date cell, a
    B.E. date typed as text ("1/10/2566"), or a month's name and B.E. year ("ต.ค. 2566");
    a C.E. year is refused with its hint, a month outside the year named."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        day = value
    else:
        text = normalize_text(str(value or ""))
        match = re.fullmatch(r"([^\d\s]+)\s*(\S+)", text)
        month_number = None
        if match:
            word = match[1].replace(".", "")
            for number, (name, short) in enumerate(
                zip(MONTH_NAMES, MONTH_ABBREVIATIONS, strict=True), 1
            ):
                if word in (name, short.replace(".", "")):
                    month_number = number
        day = parse_be_date(
            f"1/{month_number}/{match[2]}" if match and month_number else text, field=field
        )
    if fiscal_year_of(day) != year:
        raise DomainError("import_month_outside_year", field=field, value=str(value), year=year)
    return fiscal_month_of(day)
