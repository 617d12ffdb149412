"""A document as an Excel workbook: real numbers and dates in Thai formats, one sheet per table.

The figures, labels, columns and rows are the builders' (tidtam.reports.content); this chooses
cell formats, widths and fills."""

from __future__ import annotations

import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import (
    Alignment,
    Border,
    Font,
    PatternFill,
    Side,
)
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.writer.excel import ExcelWriter

from tidtam.reports.content import Report
from tidtam.reports.render import plain
from tidtam.reports.render.fonts import DOCUMENT_FONT

# Number formats. Percentages are stored as 0–100 (as the documents print them), so they take
# a plain format and the header says ร้อยละ; Excel's "%" format would multiply by 100.
BAHT = "#,##0.00"
MILLION = "#,##0.0000"
PERCENT = "0.00"
SCORE = "0.0000"
COUNT = "#,##0"
QUANTITY = "#,##0.00"
YEAR = "0"
# Buddhist-era long date: "31 มีนาคม 2567" in Excel with the Thai locale and calendar.
BE_DATE = "[$-107041E]d mmmm yyyy;@"

BODY_SIZE = 14
TITLE_SIZE = 16
# Points per line of TH Sarabun New at 14 pt (16 pt for titles), and Thai characters per unit
# of column width, to size rows for wrapped text.
LINE_HEIGHT = 21
TITLE_HEIGHT = 24
CHARS_PER_WIDTH = 1.0
DEFAULT_WIDTH = 10.0

BODY_FONT = Font(name=DOCUMENT_FONT, size=BODY_SIZE)
BOLD_FONT = Font(name=DOCUMENT_FONT, size=BODY_SIZE, bold=True)
TITLE_FONT = Font(name=DOCUMENT_FONT, size=TITLE_SIZE, bold=True)
ITALIC_FONT = Font(name=DOCUMENT_FONT, size=BODY_SIZE, italic=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
TOTAL_FILL = PatternFill("solid", fgColor="FFF2CC")
MARK_FILL = PatternFill("solid", fgColor="C6E0B4")
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Num:
    """A number to write as a number, with its Excel format; None shows as "-"."""

    value: Any
    fmt: str


def _decimal(value: Any) -> Decimal | None:
    # Decimals when the dict is built in-process; strings when it was read back from JSON.
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _quantity_format(value: Any) -> str:
    number = _decimal(value)
    if number is not None and number != number.to_integral_value():
        return QUANTITY
    return COUNT


def baht(value: Any) -> Num:
    return Num(value, BAHT)


def million(value: Any) -> Num:
    """An amount in millions, as the builder rounded it."""
    return Num(value, MILLION)


def percent(value: Any) -> Num:
    return Num(value, PERCENT)


def score(value: Any) -> Num:
    return Num(value, SCORE)


def count(value: Any) -> Num:
    return Num(value, COUNT)


def quantity(value: Any) -> Num:
    return Num(value, _quantity_format(value))


# What makes Excel (or LibreOffice) read a typed cell as a formula; tab and CR are the
# spreadsheet-injection variants that some importers strip before looking at the first character.
FORMULA_STARTS = frozenset("=+-@\t\r")
# Control characters an XLSX file cannot hold (openpyxl refuses the whole workbook over one);
# they come in with text pasted from other programs. Tab and line breaks are kept.
_ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def plain_text(text: str) -> str:
    """Text as a worksheet can keep it: control characters a cell cannot hold are dropped."""
    return _ILLEGAL_IN_XLSX.sub("", text)


def _visible_length(text: str) -> int:
    # Thai vowels above and below and tone marks stack on their consonant: no width of their own.
    return sum(1 for ch in text if unicodedata.category(ch) != "Mn")


def _lines_needed(text: str, width: float) -> int:
    per_line = max(1.0, width * CHARS_PER_WIDTH)
    return sum(max(1, math.ceil(_visible_length(part) / per_line)) for part in text.split("\n"))


def sheet_name(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: none of []:*?/\\, at most 31 characters, unique in the book."""
    base = SHEET_NAME_FORBIDDEN.sub("-", name).strip().strip("'") or "แผ่นงาน"
    base = base[:SHEET_NAME_MAX].rstrip()
    candidate = base
    number = 2
    while candidate.casefold() in taken:
        suffix = f" ({number})"
        candidate = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(candidate.casefold())
    return candidate


class Sheet:
    """One worksheet written top to bottom: titles, a header, rows, notes."""

    def __init__(self, book: Book, name: str, widths: Sequence[float]) -> None:
        self.book = book
        self.ws = book.workbook.create_sheet(sheet_name(name, book.names))
        self.ws.sheet_format.defaultRowHeight = LINE_HEIGHT
        self.widths = list(widths)
        self.row = 1
        # The rows and width of the last header: table rows are bordered to its width.
        self.header_rows = (0, 0)
        self.table_width = len(self.widths)
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        setup = self.ws.page_setup
        setup.paperSize = self.ws.PAPERSIZE_A4
        setup.orientation = "landscape" if sum(widths) > 110 else "portrait"
        # Print every column on one page width, as many pages long as needed.
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True

    @property
    def columns(self) -> int:
        return len(self.widths)

    def cell(
        self,
        column: int,
        value: Any,
        *,
        font: Any = BODY_FONT,
        fill: Any = None,
        border: bool = False,
        wrap: bool = True,
        horizontal: str | None = None,
        indent: int = 0,
        fit_width: float | None = None,
        fit: bool = True,
    ) -> Any:
        """Write one cell of the current row: text, a Num, a date, or nothing.

        Wrapped text makes its row tall enough for it (`fit_width`: the width of merged cells).
        """
        cell = self.ws.cell(row=self.row, column=column)
        number_format: str | None = None
        quote = False
        if isinstance(value, Num):
            # openpyxl writes 16 significant digits: the full value, rounded only on screen.
            number = _decimal(value.value)
            if number is None:
                cell.value = "-"
                horizontal = horizontal or "center"
            else:
                cell.value = number
                number_format = value.fmt
        elif isinstance(value, date):
            cell.value = _as_date(value)
            number_format = BE_DATE
            horizontal = horizontal or "left"
        elif value is not None:
            text = plain_text(str(value))
            cell.value = text
            # Text from people stays text: openpyxl would store "=HYPERLINK(…)" as a live formula
            # and "#N/A" as an error value. The quote prefix keeps Excel from reading it as a
            # formula again when someone edits the cell (= + - @ start formulas in Excel).
            cell.data_type = "s"
            quote = text[:1] in FORMULA_STARTS
            if wrap and fit:
                self._fit(text, fit_width or self._width(column), indent)
        self.book.style(
            cell,
            CellStyle(font, fill, border, wrap, horizontal, indent, number_format, quote),
        )
        return cell

    def _width(self, column: int) -> float:
        return self.widths[column - 1] if column <= len(self.widths) else DEFAULT_WIDTH

    def _fit(self, text: str, width: float, indent: int = 0) -> None:
        # Excel does not always fit rows to wrapped text when it opens a file (never for merged
        # cells), so the row gets the height its longest text needs at the column's width.
        lines = _lines_needed(text, max(1.0, width - 2 * indent))
        if lines > 1:
            dimensions = self.ws.row_dimensions[self.row]
            dimensions.height = max(dimensions.height or 0, lines * LINE_HEIGHT)

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def title(self, text: str, *, font: Any = TITLE_FONT) -> None:
        # Not wrapped: a title runs on over the empty cells to its right.
        self.cell(1, text, font=font, wrap=False)
        if font is TITLE_FONT:
            self.ws.row_dimensions[self.row].height = TITLE_HEIGHT
        self.row += 1

    def line(self, text: str, *, font: Any = BODY_FONT) -> None:
        if text:
            self.cell(1, text, font=font, wrap=False)
            self.row += 1

    def paragraph(
        self, text: str, *, label: str = "", font: Any = BODY_FONT, first: int | None = None
    ) -> None:
        """A long text in cells merged to the sheet's width, with a label in column A if any."""
        if not text:
            return
        start = first or (2 if label else 1)
        if label:
            self.cell(1, label, font=BOLD_FONT)
        self.cell(start, text, font=font, fit_width=sum(self.widths[start - 1 :]))
        if start < self.columns:
            self.ws.merge_cells(
                start_row=self.row, start_column=start, end_row=self.row, end_column=self.columns
            )
        self.row += 1

    def field(self, label: str, value: Any, *, label_column: int = 1) -> None:
        """A label and its value (text, Num or date) on one row."""
        self.cell(label_column, label, font=BOLD_FONT)
        self.cell(label_column + 1, value)
        self.row += 1

    def header(self, labels: Sequence[str], *, first: int = 1) -> None:
        self.header_rows = (self.row, self.row)
        self.table_width = first + len(labels) - 1
        for offset, label in enumerate(labels):
            self.cell(
                first + offset,
                label,
                font=BOLD_FONT,
                fill=HEADER_FILL,
                border=True,
                horizontal="center",
            )
        self.row += 1

    def header_groups(self, groups: Sequence[tuple[str, Sequence[str]]]) -> None:
        """A two-row header: a group over its sub-columns, or one label over both rows."""
        column = 1
        top, bottom = self.row, self.row + 1
        self.header_rows = (top, bottom)
        self.table_width = sum(max(1, len(subs)) for _, subs in groups)
        for label, subs in groups:
            span = max(1, len(subs))
            for row in (top, bottom):
                for offset in range(span):
                    self.row = row
                    self.cell(
                        column + offset,
                        None,
                        font=BOLD_FONT,
                        fill=HEADER_FILL,
                        border=True,
                        horizontal="center",
                    )
            self.row = top
            # A label over both rows has two rows' height: leave its row to the sub-labels.
            self.cell(
                column,
                label,
                font=BOLD_FONT,
                fill=HEADER_FILL,
                border=True,
                horizontal="center",
                fit_width=sum(self.widths[column - 1 : column - 1 + span]),
                fit=bool(subs),
            )
            if subs:
                self.row = bottom
                for offset, sub in enumerate(subs):
                    self.cell(
                        column + offset,
                        sub,
                        font=BOLD_FONT,
                        fill=HEADER_FILL,
                        border=True,
                        horizontal="center",
                    )
                if span > 1:
                    self.ws.merge_cells(
                        start_row=top,
                        start_column=column,
                        end_row=top,
                        end_column=column + span - 1,
                    )
            else:
                self.ws.merge_cells(
                    start_row=top, start_column=column, end_row=bottom, end_column=column
                )
            column += span
        self.row = bottom + 1

    def freeze(self, columns: int = 0) -> None:
        """Keep the header rows (everything above the current row) and `columns` in view."""
        self.ws.freeze_panes = f"{get_column_letter(columns + 1)}{self.row}"
        # Repeat the header on every printed page too.
        start, end = self.header_rows
        self.ws.print_title_rows = f"{start}:{end}"

    def table_row(
        self,
        values: Sequence[Any],
        *,
        font: Any = BODY_FONT,
        fill: Any = None,
        indent: int = 0,
        first: int = 1,
    ) -> None:
        """One bordered row of a table, bordered to the width of the table's header."""
        for offset in range(max(len(values), self.table_width - first + 1)):
            value = values[offset] if offset < len(values) else None
            self.cell(
                first + offset,
                value,
                font=font,
                fill=fill,
                border=True,
                indent=indent if offset == 0 else 0,
            )
        self.row += 1


@dataclass(frozen=True)
class CellStyle:
    """How a cell looks: the font and fill (this module's constants), the border, the alignment,
    the number format and Excel's quote prefix."""

    font: Any
    fill: Any
    border: bool
    wrap: bool
    horizontal: str | None
    indent: int
    number_format: str | None
    quote: bool

    def key(self) -> tuple[Any, ...]:
        # The font and fill by identity: openpyxl compares its style objects attribute by
        # attribute (dict(self) == dict(other)), which was most of the time a workbook took.
        return (id(self.font), id(self.fill), self.border, self.wrap, self.horizontal,
                self.indent, self.number_format, self.quote)  # fmt: skip


class Book:
    """The workbook, its sheet names and a fixed timestamp so the same data gives the same bytes."""

    def __init__(self, data: dict[str, Any], title: str) -> None:
        self.stamp = _stamp(data)
        self.names: set[str] = set()
        # Each look's index in the workbook's style tables, found once and copied to every cell
        # that has it. The style objects stay referenced here, so no id in a key is reused.
        self._styles: dict[tuple[Any, ...], tuple[CellStyle, StyleArray]] = {}
        workbook = Workbook()
        workbook.remove(workbook.active)
        # The default font (empty cells, the unit of column widths) is TH Sarabun New too.
        # openpyxl has no public setting for it: font 0 and the Normal style are the default.
        workbook._fonts = IndexedList([BODY_FONT])
        workbook._named_styles["Normal"].font = BODY_FONT
        properties = workbook.properties
        properties.title = title
        properties.creator = "tidtam"
        properties.lastModifiedBy = "tidtam"
        properties.language = "th-TH"
        properties.created = self.stamp
        properties.modified = self.stamp
        self.workbook = workbook

    def sheet(self, name: str, widths: Sequence[float]) -> Sheet:
        return Sheet(self, name, widths)

    def style(self, cell: Any, look: CellStyle) -> None:
        """Give the cell its look: through openpyxl's style setters the first time, then the
        same indices copied (openpyxl's own way of copying a cell's style). A cell written
        before (a merged range's first cell) keeps what it had and goes through the setters."""
        key = look.key()
        fresh = cell._style is None or not any(cell._style)
        found = self._styles.get(key) if fresh else None
        if found is not None:
            cell._style = copy(found[1])
            return
        if look.number_format is not None:
            cell.number_format = look.number_format
        if look.quote:
            cell.quotePrefix = True
        cell.font = look.font
        if look.fill is not None:
            cell.fill = look.fill
        if look.border:
            cell.border = BORDER
        cell.alignment = Alignment(
            wrap_text=look.wrap, vertical="top", horizontal=look.horizontal, indent=look.indent
        )
        if fresh:
            self._styles[key] = (look, copy(cell._style))

    def to_bytes(self) -> bytes:
        raw = io.BytesIO()
        # Workbook.save() stamps "modified" with the clock; the writer itself does not.
        archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)
        ExcelWriter(self.workbook, archive).save()
        # Zip entries carry their own times: write them again with the document's timestamp.
        out = io.BytesIO()
        moment = self.stamp.timetuple()[:6]
        with (
            zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for info in source.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=moment)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o600 << 16
                target.writestr(entry, source.read(info))
        return out.getvalue()


def _stamp(data: dict[str, Any]) -> datetime:
    """The document's own date (the end of its period, the day a scorecard is as of, the start of
    a plan's year) as the workbook's created/modified time: the same data, the same bytes."""
    candidates = [(data.get("period") or {}).get("end"), data.get("as_of"), data.get("dated")]
    day = next(d for d in (_as_date(c) for c in candidates) if d is not None)
    return datetime.combine(day, time())


def _round_words(data: dict[str, Any]) -> str:
    return str(data["round_words"])


# --- the quarterly report (and the ITA 6-month and annual reports, which share its shape) ---


def _ita_heading(sheet: Sheet, data: dict[str, Any]) -> None:
    ita = data.get("ita")
    if ita:
        sheet.title(f"{ita['code']} {ita['title']}")
        sheet.line(ita.get("asks", ""), font=ITALIC_FONT)


def _quarterly_summary(book: Book, data: dict[str, Any]) -> None:
    sheet = book.sheet("สรุป", [36, 100])
    _ita_heading(sheet, data)
    title = data["title"]
    sheet.title(title["heading"])
    for text in (title["organization"], title["round"], title["fiscal_year"]):
        sheet.line(text, font=BOLD_FONT)
    sheet.skip()
    period = data["period"]
    sheet.field("หน่วยงาน", data["organization"]["name"])
    sheet.field("ปีงบประมาณ", Num(data["fiscal_year"], YEAR))
    sheet.field("รอบการรายงาน", f"{_round_words(data)} (ไตรมาสที่ {data.get('quarter', '-')})")
    sheet.field("วันเริ่มต้น", _as_date(period["start"]))
    sheet.field("วันสิ้นสุด", _as_date(period["end"]))
    sheet.field("ช่วงเวลา", period["text"])
    sheet.skip()
    sheet.line(data["section_1_heading"], font=BOLD_FONT)
    sheet.paragraph(data["summary_sentence"], label="สรุปผลการดำเนินงาน")
    later = data.get("later_quarter_projects") or []
    later_label = data["band_table"]["headings"].get("later_quarter", "")
    for index, name in enumerate(later):
        sheet.field(later_label if index == 0 else "", name)
    sheet.paragraph(data["as_of_line"], label="ข้อมูล ณ")
    sheet.skip()
    sheet.line(data["section_2_heading"], font=BOLD_FONT)
    budget = data["budget"]
    sheet.paragraph(budget.get("paragraph", ""), label="ผลการใช้จ่ายงบประมาณ")
    cabinet = budget.get("cabinet_target")
    if cabinet and cabinet.get("text"):
        sheet.paragraph(cabinet["text"], label="เป้าหมายตามมติคณะรัฐมนตรี")
    sheet.skip()
    sheet.paragraph(data.get("strategic_heading", ""), label="แผนกลยุทธ์")
    if data["placeholder_note"]:
        sheet.skip()
        sheet.paragraph(data["placeholder_note"], label="หมายเหตุ", font=ITALIC_FONT)


def _band_sheet(book: Book, data: dict[str, Any]) -> None:
    table = data["band_table"]
    bands = [column["key"] for column in table["columns"]]
    kinds = [kind["label"] for kind in table["kinds"]]
    kind_keys = [kind["key"] for kind in table["kinds"]]
    sheet = book.sheet(table["title"], [48] + [8.5] * ((len(kinds) + 1) * (len(bands) + 1)))
    caption = (data.get("texts") or {}).get("band_caption") or (
        f"{table['title']} {data['section_1_heading']}"
    )
    sheet.title(caption)
    sheet.line(data["title"]["organization"], font=BOLD_FONT)
    sheet.skip()
    sheet.header_groups(
        [("ผลผลิต / กิจกรรม", [])]
        + [(column["heading"], [*kinds, "รวม"]) for column in table["columns"]]
        + [("รวมทั้งสิ้น", [*kinds, "รวม"])]
    )
    sheet.freeze(columns=1)

    def counts(cell: dict[str, Any]) -> list[Num]:
        return [count(cell["counts"][kind]) for kind in kind_keys] + [count(cell["count"])]

    for output in table["outputs"]:
        sheet.table_row([output["label"]], font=BOLD_FONT, fill=GROUP_FILL)
        for activity in output["activities"]:
            row: list[Any] = [activity["label"]]
            for band in bands:
                row += counts(activity["cells"][band])
            row += counts(activity["total"])
            sheet.table_row(row, indent=1)
    totals = table["totals"]
    total_row: list[Any] = ["รวมทั้งสิ้น"]
    share_row: list[Any] = ["ร้อยละของจำนวนทั้งหมด"]
    for band in bands:
        total_row += counts(totals[band])
        share_row += [None] * len(kinds) + [percent(totals[band]["share"])]
    total_row += counts(table["total"])
    sheet.table_row(total_row, font=BOLD_FONT, fill=TOTAL_FILL)
    sheet.table_row(share_row, font=BOLD_FONT, fill=TOTAL_FILL)
    excluded = int(table.get("excluded_count") or 0)
    if excluded:
        sheet.skip()
        sheet.line(f"หมายเหตุ: ไม่นับรวมในการประเมิน {excluded} รายการ", font=ITALIC_FONT)


def _lagging_projects_sheet(book: Book, data: dict[str, Any]) -> None:
    words = _round_words(data)
    low = data["thresholds"]["low"]
    sheet = book.sheet("โครงการล่าช้า", [7, 40, 16, 26, 26, 28, 28, 13, 13, 40, 36])
    sheet.title(f"โครงการที่อยู่ระหว่างดำเนินการต่ำกว่าร้อยละ {low} ของเป้าหมายทั้งปี")
    intro = (data.get("texts") or {}).get("lagging_intro")
    sheet.line(intro or f"{data['organization']['name']} {words}", font=BOLD_FONT)
    sheet.skip()
    sheet.header(
        [
            "ลำดับ",
            "โครงการ",
            "เป้าหมาย",
            f"แผน{words}",
            "แผนทั้งปี",
            f"ผลการดำเนินงาน{words}",
            "ผลการดำเนินงานทั้งปี",
            f"ร้อยละ (เทียบแผน{words})",
            "ร้อยละ (เทียบเป้าหมายทั้งปี)",
            "คำอธิบาย",
            "ที่มาของร้อยละ",
        ]
    )
    sheet.freeze(columns=2)
    rows = data.get("lagging_projects") or []
    for item in rows:
        sheet.table_row(
            [
                count(item["number"]),
                item["name"],
                item["target"],
                item["plan_round"],
                item["plan_annual"],
                item["result_round"],
                item["result_annual"],
                percent(item["percent_round"]),
                percent(item["percent_annual"]),
                item["explanation"],
                item["percent_note"] or item["percent_method_label"],
            ]
        )
    if not rows:
        sheet.line(f"ไม่มีโครงการที่มีผลการดำเนินงานต่ำกว่าร้อยละ {low}")


def _lagging_budget_sheet(book: Book, data: dict[str, Any]) -> None:
    words = _round_words(data)
    low = data["thresholds"]["low"]
    sheet = book.sheet("รายการงบประมาณล่าช้า", [7, 50, 14, 18, 18])
    sheet.title(f"แผนงาน/รายการงบประมาณที่ดำเนินการได้ต่ำกว่าร้อยละ {low}")
    intro = (data.get("texts") or {}).get("lagging_budget_intro")
    sheet.line(intro or f"{data['organization']['name']} {words}", font=BOLD_FONT)
    sheet.skip()
    sheet.header(
        [
            "ลำดับ",
            "แผนงาน / รายการงบประมาณ",
            "จำนวนรายการ",
            f"ร้อยละ (เทียบแผน{words})",
            "ร้อยละ (เทียบแผนทั้งปี)",
        ]
    )
    sheet.freeze(columns=2)
    rows = data.get("lagging_budget_items") or []
    for group in rows:
        sheet.table_row(
            [
                count(group["number"]),
                group["name"],
                count(group["count"]),
                percent(group["percent_round"]),
                percent(group["percent_annual"]),
            ]
        )
    if not rows:
        sheet.line(f"ไม่มีรายการงบประมาณที่ดำเนินการได้ต่ำกว่าร้อยละ {low}")


def _budget_sheet(book: Book, data: dict[str, Any]) -> None:
    budget = data["budget"]
    sheet = book.sheet(
        "ผลการใช้จ่ายงบประมาณ", [7, 40, 20, 20, 20, 20, 18, 18, 14, 14, 20, 16, 16, 14]
    )
    sheet.title(data["section_2_heading"])
    sheet.line(data["title"]["organization"], font=BOLD_FONT)
    sheet.field("ข้อมูล ณ วันที่", _as_date(budget["as_of"]), label_column=2)
    sheet.skip()
    sheet.header(
        [
            "ลำดับ",
            "รายการงบประมาณ",
            "แผนการใช้จ่ายทั้งปี (บาท)",
            "เบิกจ่าย (บาท)",
            "ก่อหนี้ผูกพัน (บาท)",
            "ใช้จ่ายรวม (บาท)",
            "แผนการใช้จ่ายทั้งปี (ล้านบาท)",
            "ใช้จ่ายรวม (ล้านบาท)",
            "ร้อยละของแผนทั้งปี",
            "เบิกจ่าย ร้อยละของแผนทั้งปี",
            "แผนถึงวันที่รายงาน (บาท)",
            "เบิกจ่าย ร้อยละของแผนถึงวันที่",
            "ใช้จ่าย ร้อยละของแผนถึงวันที่",
            "สัดส่วนของงบรวม (ร้อยละ)",
        ]
    )
    sheet.freeze(columns=2)

    def figures(row: dict[str, Any]) -> list[Num]:
        # Older report data (before the budget's full figures) has only the first seven.
        planned = row.get("planned_to_date_baht")
        return [
            baht(row["plan_baht"]),
            baht(row["disbursed_baht"]),
            baht(row["committed_baht"]),
            baht(row["spent_baht"]),
            million(row["plan_million_value"]),
            million(row["spent_million_value"]),
            percent(row["percent"]),
            percent(row.get("percent_disbursed")),
            baht(planned),
            percent(row.get("percent_disbursed_to_date")),
            percent(row.get("percent_spent_to_date")),
            percent(row.get("share_percent")),
        ]

    for line in budget["lines"]:
        sheet.table_row([count(line["number"]), line["name"], *figures(line)])
    sheet.table_row([None, "รวมทั้งสิ้น", *figures(budget["total"])], font=BOLD_FONT, fill=TOTAL_FILL)
    note = budget["rounding_note"]
    if note:
        sheet.skip()
        sheet.paragraph(note, font=ITALIC_FONT)
        differences = budget["rounding_difference_million"]
        sheet.field(
            "ผลต่างจากการปัดเศษ แผน (ล้านบาท)", Num(differences["plan"], MILLION), label_column=2
        )
        sheet.field(
            "ผลต่างจากการปัดเศษ ผล (ล้านบาท)", Num(differences["spent"], MILLION), label_column=2
        )
    cabinet = budget.get("cabinet_target")
    if cabinet:
        sheet.skip()
        quarter = cabinet.get("quarter", "")
        sheet.field(
            f"เป้าหมายการเบิกจ่ายตามมติคณะรัฐมนตรี ไตรมาสที่ {quarter} (ร้อยละ)",
            percent(cabinet.get("overall_percent")),
            label_column=2,
        )
        sheet.field("ผลต่างจากเป้าหมาย (ร้อยละ)", percent(cabinet.get("difference")), label_column=2)
    for subtotal in budget.get("subtotals") or []:
        sheet.skip()
        sheet.line(f"สรุปตาม{subtotal['label']}", font=BOLD_FONT)
        for group in subtotal["groups"]:
            sheet.table_row([None, group["label"], *figures(group)])
    carried = (budget.get("carried_over") or {}).get("lines") or []
    if carried:
        sheet.skip()
        sheet.line("เงินกันไว้เบิกเหลื่อมปี (แสดงแยก ไม่รวมในงบประมาณของปี)", font=BOLD_FONT)
        for line in carried:
            sheet.table_row([count(line["number"]), line["name"], *figures(line)])
    allocation = budget.get("allocation")
    if allocation:
        sheet.skip()
        sheet.field("งบประมาณที่ได้รับจัดสรร (บาท)", baht(allocation["amount_baht"]), label_column=2)
        sheet.field(
            "เบิกจ่าย ร้อยละของงบที่ได้รับจัดสรร",
            percent(allocation["percent_disbursed"]),
            label_column=2,
        )
        if allocation["note"]:
            sheet.paragraph(allocation["note"], font=ITALIC_FONT)
    for target in budget.get("targets") or []:
        if target["scope"] != "overall":
            sheet.paragraph(target["text"])
    sheet.skip()
    sheet.paragraph(budget.get("paragraph", ""))
    box = budget.get("analysis_box") or []
    if box:
        sheet.paragraph(" ".join(box[1:]), label=box[0])


def _strategic_sheet(book: Book, data: dict[str, Any]) -> None:
    strategic = data["strategic"]
    texts = data.get("texts") or {}
    sheet = book.sheet("แผนกลยุทธ์", [7, 44, 36, 20, 14, 14, 12, 50])
    sheet.title(data.get("strategic_heading") or strategic["framework"])
    sheet.line(strategic["framework"], font=BOLD_FONT)
    sheet.skip()
    sheet.header(
        [
            "ลำดับ",
            "โครงการ (หน่วยงานรับผิดชอบ)",
            "ตัวชี้วัด",
            texts.get("strategic_target_heading") or "ค่าเป้าหมาย (หน่วยนับ)",
            "ค่าเป้าหมาย (จำนวน)",
            "ผล (จำนวน)",
            "ร้อยละ",
            "ผลการดำเนินงาน",
        ]
    )
    sheet.freeze(columns=2)
    for strategy in strategic["strategies"]:
        sheet.table_row([None, strategy["label"]], font=BOLD_FONT, fill=GROUP_FILL)
        for project in strategy["projects"]:
            sheet.table_row(
                [
                    count(project["number"]),
                    project["label"],
                    project["indicator"],
                    project["target"],
                    quantity(project["target_value"]),
                    quantity(project["result_value"]),
                    percent(project["percent"]),
                    project["narrative"],
                ]
            )


def _quarterly(book: Book, data: dict[str, Any]) -> None:
    _quarterly_summary(book, data)
    _band_sheet(book, data)
    _lagging_projects_sheet(book, data)
    _lagging_budget_sheet(book, data)
    _budget_sheet(book, data)
    _strategic_sheet(book, data)


# --- the performance agreement ---


def _agreement_cover(book: Book, data: dict[str, Any]) -> None:
    sheet = book.sheet("คำรับรอง", [24, 56, 44, 34])
    cover = data["cover"]
    sheet.title(cover["title"])
    sheet.line(cover["subtitle"], font=BOLD_FONT)
    sheet.line(cover["of"], font=BOLD_FONT)
    sheet.skip()
    sheet.header(["บทบาท", "ชื่อ", "ตำแหน่ง"])
    for key in ("receiver", "maker"):
        party = data["parties"][key]
        sheet.table_row([party["role"], party["name"], party["position"]], first=1)
    sheet.skip()
    period = data["period"]
    sheet.field("วันเริ่มต้น", _as_date(period["start"]))
    sheet.field("วันสิ้นสุด", _as_date(period["end"]))
    sheet.field("ระยะเวลา", period["text"])
    if data.get("signed_on"):
        sheet.field("วันที่ลงนาม", _as_date(data["signed_on"]))
    scoring = data.get("scoring") or {}
    if scoring:
        sheet.field("เกณฑ์การให้คะแนน", scoring["scheme_label"])
        sheet.field("ผลระหว่างระดับ", scoring["interpolation_label"])
        sheet.field("ต่ำกว่าระดับแรก (คะแนน)", Num(scoring["below_lowest_points"], SCORE))
    sheet.skip()
    sheet.header(["ข้อ", "รายละเอียด"])
    for number, clause in enumerate(data["clauses"], start=1):
        sheet.cell(1, Num(number, COUNT), border=True, horizontal="center")
        sheet.paragraph(clause, first=2)
    sheet.skip()
    sheet.header(["บทบาท", "ชื่อ", "ตำแหน่ง", "วันที่ลงนาม"])
    for signature in data["signatures"]:
        sheet.table_row(
            [signature["role"], signature["name"], signature["position"], signature["date_text"]]
        )


def _linkage_sheet(book: Book, data: dict[str, Any]) -> None:
    table = data["linkage_table"]
    columns = table["columns"]
    if not table["rows"]:
        return  # no linkage table in this agreement: no sheet, as no section in Word or HTML
    sheet = book.sheet("ความเชื่อมโยง", [26] + [34] * max(1, len(columns) - 1))
    sheet.title(table["title"])
    sheet.skip()
    if columns:
        sheet.header(columns)
        sheet.freeze(columns=1)
    for row in table["rows"]:
        sheet.table_row([row["label"], *row["cells"]])


def _summary_form(book: Book, data: dict[str, Any]) -> None:
    form = data["summary_form"]
    groups = form["groups"]
    headings = form["level_headings"]
    sheet = book.sheet("แบบฟอร์มสรุป", [46, 11, 14] + [30] * len(headings) + [34, 34])
    sheet.title(form["title"])
    sheet.line(form["unit"], font=BOLD_FONT)
    sheet.skip()
    sheet.header_groups(
        [
            ("ตัวชี้วัด", []),
            ("น้ำหนัก (ร้อยละ)", []),
            (form["previous_year_heading"], []),
            ("เกณฑ์การให้คะแนน", headings),
            ("ความเชื่อมโยง", []),
            ("ประโยชน์ที่ประชาชนจะได้รับ", []),
        ]
    )
    sheet.freeze(columns=1)
    for group in groups:
        sheet.table_row([group["label"], percent(group["weight"])], font=BOLD_FONT, fill=GROUP_FILL)
        for kpi in group["kpis"]:
            sheet.table_row(
                [
                    kpi["label"],
                    percent(kpi["weight"]),
                    kpi["previous_result"],
                    *kpi["level_texts"],
                    kpi["linkage"],
                    kpi["benefit"],
                ],
                indent=1,
            )
    sheet.table_row(["รวม", percent(form["total_weight"])], font=BOLD_FONT, fill=TOTAL_FILL)
    for problem in form.get("weight_problems") or []:
        sheet.paragraph(str(problem), font=ITALIC_FONT)


def _series_table(sheet: Sheet, heading: str, series: dict[str, Any] | None) -> None:
    if not series:
        return
    years = [str(year) for year in series["years"]]
    sheet.line(heading, font=BOLD_FONT)
    sheet.header(["รายการ", *[f"พ.ศ. {year}" for year in years]])
    for row in series["rows"]:
        sheet.table_row([row["label"], *row["cells"]])
    sheet.skip()


def _text_block(sheet: Sheet, label: str, lines: Sequence[str], *, numbered: bool = False) -> None:
    for index, text in enumerate(lines, start=1):
        sheet.paragraph(
            f"{index}. {text}" if numbered else text, label=label if index == 1 else "", first=2
        )


def _kpi_sheet(book: Book, kpi: dict[str, Any]) -> None:
    sheet = book.sheet(f"ตัวชี้วัดที่ {kpi['number']}", [30, 18, 18, 18, 18, 40])
    sheet.title(kpi["label"])
    sheet.line(kpi["heading"], font=BOLD_FONT)
    sheet.skip()
    sheet.field("กลุ่มตัวชี้วัด", kpi["group"])
    sheet.field("น้ำหนัก (ร้อยละ)", percent(kpi["weight"]))
    sheet.field("ลักษณะการวัด", kpi["measure_kind_label"])
    sheet.field("หน่วยนับ", kpi["unit"] or "-")
    sheet.field("ทิศทาง", kpi["direction_label"])
    sheet.skip()
    _text_block(sheet, "คำอธิบาย", kpi["description"])
    _text_block(sheet, "นิยาม", kpi["definitions"])
    _text_block(sheet, "แหล่งข้อมูล", kpi["data_sources"])
    sheet.skip()
    _series_table(sheet, "ข้อมูลพื้นฐาน", kpi.get("baseline"))
    _series_table(sheet, "ค่าเป้าหมายระยะยาว (Roadmap)", kpi.get("roadmap"))
    sheet.line("เกณฑ์การให้คะแนน", font=BOLD_FONT)
    sheet.header(["ระดับ", "ชื่อระดับ", "คะแนน", "ค่าเกณฑ์", "รายละเอียด"])
    for level in kpi["levels"]:
        sheet.table_row(
            [
                count(level["rank"]),
                level["name"],
                quantity(level["points"]),
                quantity(level["threshold"]) if level.get("threshold") is not None else "",
                level["description"],
            ]
        )
    sheet.skip()
    _text_block(sheet, "เงื่อนไข", kpi["conditions"])
    _text_block(sheet, "ขั้นตอนการดำเนินงาน", kpi["steps"], numbered=True)
    sheet.paragraph(kpi.get("benefit", ""), label="ประโยชน์ที่ประชาชนจะได้รับ")
    for section in kpi.get("other_sections") or []:
        _text_block(sheet, section.get("heading", ""), section.get("paragraphs") or [])
    links = kpi.get("policy_links") or []
    if links:
        sheet.skip()
        sheet.line("ความเชื่อมโยงกับนโยบายและแผน", font=BOLD_FONT)
        sheet.header(["แผน / นโยบาย", "ข้อ", "ชื่อ"])
        for link in links:
            sheet.table_row([link["framework"], link["code"], link["name"]])
    owners = kpi.get("owners") or []
    if owners:
        sheet.skip()
        sheet.line("ผู้รับผิดชอบตัวชี้วัด", font=BOLD_FONT)
        sheet.header(["ชื่อ", "โทรศัพท์ (ที่ทำงาน)"])
        for owner in owners:
            sheet.table_row([owner["name"], owner["office_phone"]])


def _agreement(book: Book, data: dict[str, Any]) -> None:
    _agreement_cover(book, data)
    _linkage_sheet(book, data)
    _summary_form(book, data)
    for kpi in data["kpi_sheets"]:
        _kpi_sheet(book, kpi)


# --- the agreement's scorecard for a round ---


def _scorecard(book: Book, data: dict[str, Any]) -> None:
    sheet = book.sheet("ผลการประเมิน", [46, 11, 10, 18, 12, 12, 14, 18, 12, 12, 14, 34])
    sheet.title(data["title"])
    sheet.line(data["subtitle"], font=BOLD_FONT)
    sheet.line(data["as_of_text"])
    sheet.skip()
    cards = [data] if data.get("own", True) else []
    for index, unit in enumerate([*cards, *data.get("units", [])]):
        if unit is not data:
            sheet.skip()
            sheet.line(unit["heading"], font=BOLD_FONT)
        _score_card(sheet, unit, first=index == 0)
    if data.get("units_note"):
        sheet.skip()
        sheet.paragraph(data["units_note"], font=ITALIC_FONT)


def _score_card(sheet: Sheet, card: dict[str, Any], *, first: bool) -> None:
    """One agreement's scores (the scorecard's own, or a unit's): its header, groups, total
    and notes. The first card's header stays in view and is printed on every page."""
    side_columns = ["ผล", "ระดับ", "คะแนน", "คะแนนถ่วงน้ำหนัก"]
    sheet.header_groups(
        [
            ("ตัวชี้วัด", []),
            ("น้ำหนัก (ร้อยละ)", []),
            ("คะแนนเต็ม", []),
            ("ผลการประเมินตนเอง", side_columns),
            ("ผลที่คณะกรรมการรับรอง", side_columns),
            ("ความเห็นคณะกรรมการ", []),
        ]
    )
    if first:
        sheet.freeze(columns=1)

    def side(values: dict[str, Any]) -> list[Any]:
        return [
            values["result_text"],
            values["level_text"],
            score(values["score"]),
            score(values.get("weighted")),
        ]

    for group in card["groups"]:
        sheet.table_row([group["name"], percent(group["weight"])], font=BOLD_FONT, fill=GROUP_FILL)
        for kpi in group["kpis"]:
            sheet.table_row(
                [
                    f"{kpi['number']}. {kpi['name']}",
                    percent(kpi["weight"]),
                    quantity(kpi["max_points"]),
                    *side(kpi["self"]),
                    *side(kpi["reviewed"]),
                    kpi.get("review_note", ""),
                ],
                indent=1,
            )
        sheet.table_row(
            [
                f"รวม {group['name']}",
                percent(group["weight"]),
                None,
                None,
                None,
                None,
                score(group["self_subtotal"]),
                None,
                None,
                None,
                score(group["reviewed_subtotal"]),
            ],
            font=BOLD_FONT,
            fill=GROUP_FILL,
        )
    sheet.table_row(
        [
            "รวมทั้งสิ้น",
            percent(card["total_weight"]),
            None,
            None,
            None,
            None,
            score(card["self_total"]),
            None,
            None,
            None,
            score(card["reviewed_total"]),
        ],
        font=BOLD_FONT,
        fill=TOTAL_FILL,
    )
    sheet.skip()
    sheet.field("ตัวชี้วัดที่มีผลการประเมิน", count(card.get("assessed")))
    sheet.field("ตัวชี้วัดทั้งหมด", count(card.get("kpi_count")))
    note = card["completeness_note"]
    if note:
        sheet.paragraph(note, font=ITALIC_FONT)
    for line in [*card.get("rounding_notes", []), *card.get("review_notes", [])]:
        sheet.paragraph(line, font=ITALIC_FONT)


# --- the ITA annual plan (O11 in 2567) ---


def _ita_plan(book: Book, data: dict[str, Any]) -> None:
    sheet = book.sheet("แผนการดำเนินงาน", [7, 10, 44, 20, 16, 18, 6, 6, 6, 6, 20, 26, 26, 26, 26])
    _ita_heading(sheet, data)
    sheet.title(data["title"])
    sheet.line(data["subtitle"], font=BOLD_FONT)
    sheet.line(data["period_text"])
    sheet.skip()
    sheet.header_groups(
        [
            ("ลำดับ", []),
            ("ประเภท", []),
            ("โครงการ / กิจกรรม", []),
            ("เป้าหมาย", []),
            ("หน่วยงานรับผิดชอบ", []),
            ("งบประมาณ (บาท)", []),
            ("ไตรมาส", ["1", "2", "3", "4"]),
            ("ระยะเวลา", []),
            ("แผนการดำเนินงาน (สะสม)", data["round_headings"]),
        ]
    )
    sheet.freeze(columns=3)
    for group in data["groups"]:
        sheet.table_row(
            [None, None, group["label"], None, None, baht(group["budget_baht"])],
            font=BOLD_FONT,
            fill=GROUP_FILL,
        )
        for item in group["items"]:
            sheet.table_row(
                [
                    count(item["number"]),
                    item["kind"],
                    item["name"],
                    item["target"],
                    item["units"],
                    baht(item["budget_baht"]),
                    *item["quarter_marks"],
                    item["timing_text"],
                    *item["plans"],
                ]
            )
            # Shade the planned quarters as a timeline, as the printed plans do.
            for offset, planned in enumerate(item["quarters"]):
                cell = sheet.ws.cell(row=sheet.row - 1, column=7 + offset)
                cell.alignment = Alignment(horizontal="center", vertical="top")
                if planned:
                    cell.fill = MARK_FILL
    sheet.skip()
    sheet.field("จำนวนโครงการ / รายการทั้งหมด", count(data["item_count"]), label_column=3)

    budget = book.sheet("งบประมาณ", [7, 44, 34, 22, 18])
    _ita_heading(budget, data)
    budget.title(f"งบประมาณรายจ่ายประจำปีงบประมาณ พ.ศ. {data['fiscal_year']}")
    budget.line(data["subtitle"], font=BOLD_FONT)
    budget.skip()
    budget.header(["ลำดับ", "รายการงบประมาณ", "หมวดงบประมาณ", "งบประมาณ (บาท)", "งบประมาณ (ล้านบาท)"])
    budget.freeze(columns=2)
    for line in data["budget_lines"]:
        budget.table_row(
            [
                count(line["number"]),
                line["name"],
                line["category"],
                baht(line["plan_baht"]),
                million(line["plan_million"]),
            ]
        )
    budget.table_row(
        [
            None,
            "รวมทั้งสิ้น",
            None,
            baht(data["budget_total_baht"]),
            million(data["budget_total_million"]),
        ],
        font=BOLD_FONT,
        fill=TOTAL_FILL,
    )


def _budget_form(book: Book, data: dict[str, Any]) -> None:
    """สงป. 301 / 302: two rows per item (plan, result), October … September with each quarter's
    own amount after its three months, and the year's; numbers, not text."""
    months: list[str] = data["month_labels"]
    columns: list[str] = []
    for quarter in range(4):
        columns += [*months[quarter * 3 : quarter * 3 + 3], f"ไตรมาส {quarter + 1}"]
    sheet = book.sheet("แบบฟอร์ม", [10, 44, 12, 8, *([13] * len(columns)), 15])
    sheet.title(data["title"])
    sheet.line(data["subtitle"], font=BOLD_FONT)
    sheet.line(f"หน่วย: {data['value_label']}")
    sheet.skip()
    sheet.header(["รหัส / ลำดับ", "รายการ", "หน่วยนับ", "แผน/ผล", *columns, "รวมทั้งปี"])
    sheet.freeze(columns=4)
    fmt = baht if data["document"] == "form-302" else quantity
    for section in data["sections"]:
        sheet.line(section["heading"], font=BOLD_FONT)
        for row in section["rows"]:
            cells: list[Any] = []
            for quarter in range(4):
                cells += [fmt(v) for v in row["months"][quarter * 3 : quarter * 3 + 3]]
                cells.append(fmt(row["quarters"][quarter]))
            is_plan = row["kind"] == "plan"
            sheet.table_row(
                [
                    row["number"] if is_plan else None,
                    row["name"] if is_plan else None,
                    row["unit"],
                    row["kind_label"],
                    *cells,
                    fmt(row["total"]),
                ],
                font=BODY_FONT if is_plan else BOLD_FONT,
            )
    sheet.skip()
    for note in data["notes"]:
        sheet.paragraph(f"หมายเหตุ: {note}", font=ITALIC_FONT)


def _summary(book: Book, data: dict[str, Any]) -> None:
    """The organisation and its units side by side: bands, statuses, budget, KPIs; numbers."""
    bands, statuses, kpis = data["band_labels"], data["status_labels"], data["kpi_labels"]
    columns = [
        "หน่วยงาน",
        *bands,
        "นับได้",
        "ยังไม่มีผล",
        "ไม่นำมาคิด",
        *statuses,
        "งบประมาณ (บาท)",
        "เบิกจ่าย (บาท)",
        "ร้อยละเบิกจ่าย",
        "ใช้จ่าย (บาท)",
        "ร้อยละใช้จ่าย",
        *(f"ตัวชี้วัด{label}" for label in kpis),
    ]
    sheet = book.sheet("สรุป", [40, *([12] * (len(columns) - 1))])
    sheet.title(data["title"])
    sheet.line(data["subtitle"], font=BOLD_FONT)
    sheet.skip()
    sheet.header(columns)
    sheet.freeze(columns=1)
    for row in [*data["rows"], data["total"]]:
        name = row["name"] + (" (แผนของหน่วยงานเอง)" if row["own"] else "")
        sheet.table_row(
            [
                name,
                *(quantity(n) for n in row["band_counts"]),
                quantity(row["counted"]),
                quantity(row["not_counted"]),
                quantity(row["excluded"]),
                *(quantity(n) for n in row["statuses"]),
                baht(row["plan_baht"]),
                baht(row["disbursed_baht"]),
                row["percent_disbursed_text"],
                baht(row["spent_baht"]),
                row["percent_spent_text"],
                quantity(row["kpis_passed"]),
                quantity(row["kpis_failed"]),
                quantity(row["kpis_pending"]),
            ],
            font=BOLD_FONT if row is data["total"] else BODY_FONT,
        )
    sheet.skip()
    for note in data["notes"]:
        sheet.paragraph(f"หมายเหตุ: {note}", font=ITALIC_FONT)


RENDERERS: dict[str, Callable[[Book, dict[str, Any]], None]] = {
    "summary": _summary,
    "form-301": _budget_form,
    "form-302": _budget_form,
    "quarterly": _quarterly,
    "ita-progress": _quarterly,
    "ita-annual": _quarterly,
    "agreement": _agreement,
    "scorecard": _scorecard,
    "ita-plan": _ita_plan,
}


def _book_title(data: dict[str, Any]) -> str:
    title = data.get("title")
    if isinstance(title, dict):
        return " ".join(str(title.get(key, "")) for key in ("heading", "round")).strip()
    if isinstance(title, str):
        return title
    return str((data.get("cover") or {}).get("title", ""))


def render_xlsx(report: Report | Mapping[str, Any]) -> bytes:
    """The document as the bytes of an .xlsx file; the same data gives the same bytes."""
    data = plain(report)
    book = Book(data, _book_title(data))
    RENDERERS[data["document"]](book, data)
    return book.to_bytes()
