"""Builds the starting .docx templates (python -m tidtam.reports.render.docx_templates).

The templates in tidtam/reports/templates/docx/ are the source an office edits in Word or
LibreOffice (placeholders: docs/templates.md); this builder made their first version and can make
them again. Everything that Word needs to show Thai right is set here once, in the styles:
the complex-script font (w:rFonts w:cs) and size (w:szCs) and bold (w:bCs), the complex-script
language, A4 with the margins of official letters, and table column widths in w:tblGrid
(LibreOffice ignores cell widths).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell

from tidtam.reports.render.fonts import DOCUMENT_FONT

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "docx"

# A4 portrait; margins as the ระเบียบงานสารบรรณ's letters: left 3 cm, right 2 cm.
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGINS = {"top": Cm(2.5), "bottom": Cm(2.0), "left": Cm(3.0), "right": Cm(2.0)}
TEXT_WIDTH_CM = 21.0 - 3.0 - 2.0
LANDSCAPE_TEXT_WIDTH_CM = 29.7 - 2.5 - 2.0

BODY_PT = 16
TABLE_PT = 14


# --- styles ---------------------------------------------------------------------------------


def _set_run_fonts(rpr: Any, *, size_pt: float | None, bold: bool | None) -> None:
    """Font, size and bold for Latin *and* complex script (Thai), which Word keeps apart."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), DOCUMENT_FONT)
    for tag in ("w:b", "w:bCs", "w:sz", "w:szCs", "w:lang"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            element = OxmlElement(tag)
            if not bold:
                element.set(qn("w:val"), "0")
            rpr.append(element)
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            element = OxmlElement(tag)
            element.set(qn("w:val"), str(round(size_pt * 2)))
            rpr.append(element)
    # Only the complex-script language: w:val="th-TH" made LibreOffice break "83.34" inside the number.
    lang = OxmlElement("w:lang")
    lang.set(qn("w:bidi"), "th-TH")
    rpr.append(lang)


def _style_rpr(style: BaseStyle) -> Any:
    return style.element.get_or_add_rPr()


def _paragraph_style(
    document: DocumentObject,
    name: str,
    *,
    size_pt: float = BODY_PT,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    first_line_cm: float | None = None,
    space_before_pt: float = 0,
    space_after_pt: float = 0,
    page_break_before: bool = False,
    keep_with_next: bool = False,
) -> None:
    styles = document.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    if name != "Normal":
        style.base_style = styles["Normal"]
    rpr = _style_rpr(style)
    _set_run_fonts(rpr, size_pt=size_pt, bold=bold)
    # Word's built-in headings are blue with a rule under the title; official documents are black.
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.font.italic = False
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Cm(first_line_cm) if first_line_cm else None
    fmt.space_before = Pt(space_before_pt)
    fmt.space_after = Pt(space_after_pt)
    fmt.line_spacing = 1.0
    fmt.page_break_before = page_break_before
    fmt.keep_with_next = keep_with_next
    fmt.widow_control = True


def new_document(*, landscape: bool = False) -> DocumentObject:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    # Default run properties (docDefaults) too, so text outside our styles is Thai-ready.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_run_fonts(rpr, size_pt=BODY_PT, bold=None)
    _paragraph_style(document, "Normal")
    _paragraph_style(document, "Title", size_pt=20, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(document, "Heading 1", bold=True, space_before_pt=6, keep_with_next=True)
    _paragraph_style(document, "Heading 2", bold=True, keep_with_next=True)
    _paragraph_style(
        document, "Body Text", align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY, first_line_cm=1.25
    )
    _paragraph_style(document, "Centered", align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(document, "Centered Bold", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(document, "Caption", bold=True, keep_with_next=True, space_before_pt=6)
    _paragraph_style(document, "List Item", first_line_cm=None)
    _paragraph_style(document, "Table Text", size_pt=TABLE_PT)
    _paragraph_style(
        document, "Table Heading", size_pt=TABLE_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _paragraph_style(document, "Table Number", size_pt=TABLE_PT, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph_style(document, "Table Center", size_pt=TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(document, "Table Total", size_pt=TABLE_PT, bold=True)
    _paragraph_style(
        document, "Table Total Number", size_pt=TABLE_PT, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT
    )
    _paragraph_style(
        document, "Sheet Heading", bold=True, page_break_before=True, keep_with_next=True
    )
    _paragraph_style(document, "Signature", align=WD_ALIGN_PARAGRAPH.CENTER)
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    return document


# --- content helpers --------------------------------------------------------------------------


def para(document: DocumentObject | _Cell, text: str = "", style: str = "Normal") -> None:
    document.add_paragraph(text, style=style)


def tag(document: DocumentObject, text: str) -> None:
    """A paragraph holding only a docxtpl tag ({%p …%}); docxtpl removes it when rendering."""
    document.add_paragraph(text, style="Normal")


def _set_cell(cell: _Cell, text: str, style: str) -> None:
    cell.paragraphs[0].text = text
    cell.paragraphs[0].style = style


def _repeat_header(row_element: Any) -> None:
    trpr = row_element.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    trpr.append(header)


def _cant_split(row_element: Any) -> None:
    trpr = row_element.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def table(
    document: DocumentObject,
    widths_cm: Sequence[float],
    header_rows: Sequence[Sequence[str]],
    body_rows: Sequence[Sequence[str]],
    *,
    styles: Sequence[str] | None = None,
    row_styles: dict[int, Sequence[str]] | None = None,
    merges: Sequence[tuple[int, int, int, int]] = (),
    header_merges: Sequence[tuple[int, int, int, int]] = (),
) -> Table:
    """A bordered table: header rows repeated on every page, then body rows (templated).

    `merges` are (row, col, row2, col2) in body-row coordinates; docxtpl repeats merged
    template rows as a unit, so a merge inside one loop body stays inside each repetition.
    """
    columns = len(widths_cm)
    grid = document.add_table(rows=len(header_rows) + len(body_rows), cols=columns)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for index, width in enumerate(widths_cm):
        grid.columns[index].width = Cm(width)
        for cell in grid.columns[index].cells:
            cell.width = Cm(width)
    for r, texts in enumerate(header_rows):
        row = grid.rows[r]
        _repeat_header(row._tr)
        for c, text in enumerate(texts):
            _set_cell(row.cells[c], text, "Table Heading")
    offset = len(header_rows)
    for r, texts in enumerate(body_rows):
        row = grid.rows[offset + r]
        _cant_split(row._tr)
        cell_styles = (row_styles or {}).get(r) or styles or ["Table Text"] * columns
        for c, text in enumerate(texts):
            _set_cell(row.cells[c], text, cell_styles[c])
    for r1, c1, r2, c2 in header_merges:
        keep = grid.cell(r1, c1).paragraphs[0].text
        merged = grid.cell(r1, c1).merge(grid.cell(r2, c2))
        for extra in merged.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        _set_cell(merged, keep, "Table Heading")
    for r1, c1, r2, c2 in merges:
        first = grid.cell(offset + r1, c1)
        keep, keep_style = first.paragraphs[0].text, first.paragraphs[0].style.name
        merged = first.merge(grid.cell(offset + r2, c2))
        for extra in merged.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        _set_cell(merged, keep, keep_style)
    return grid


def loop_row(text: str, columns: int) -> list[str]:
    """A row that holds only a {%tr …%} tag: docxtpl replaces the whole row with the tag."""
    return [text] + [""] * (columns - 1)


# --- the templates --------------------------------------------------------------------------


def quarterly() -> DocumentObject:
    d = new_document()
    tag(d, "{%p if ita %}")
    para(d, "{{ ita.code }} {{ ita.title }} (การประเมิน ITA ปี {{ ita.year }})", "Centered Bold")
    tag(d, "{%p endif %}")
    para(d, "{{ title.heading }}", "Title")
    para(d, "{{ title.organization }}", "Title")
    para(d, "{{ title.round }}", "Centered Bold")
    para(d, "{{ title.fiscal_year }}", "Centered Bold")
    para(d, "{{ texts.intro }}", "Body Text")
    para(d, "{{ section_1_heading }}", "Heading 1")
    para(d, "{{ summary_sentence }}", "Body Text")
    para(d, "{{ texts.band_caption }}", "Caption")
    w = [4.4, 2.3, 2.3, 2.3, 2.3, 2.4]
    n, c = "Table Number", "Table Center"
    table(
        d,
        w,
        [
            ["ผลผลิต จำนวนโครงการ/รายการ", "ดำเนินการบรรลุเป้าหมายตามแผนปฏิบัติงาน", "", "", "", "รวม"],
            ["", "{{ band_table.headings.later_quarter }}", "{{ band_table.headings.below_50 }}",
             "{{ band_table.headings.from_50 }}", "{{ band_table.headings.from_80 }}", ""],
        ],
        [
            loop_row("{%tr for output in band_table.outputs %}", 6),
            ["{{ output.label }}", "", "", "", "", ""],
            loop_row("{%tr for activity in output.activities %}", 6),
            ["{{ activity.label }}", "{{ activity.cells.later_quarter.text }}", "{{ activity.cells.below_50.text }}",
             "{{ activity.cells.from_50.text }}", "{{ activity.cells.from_80.text }}", "{{ activity.total.text }}"],
            loop_row("{%tr endfor %}", 6),
            loop_row("{%tr endfor %}", 6),
            ["รวมทั้งสิ้น", "{{ band_table.totals.later_quarter.text }}", "{{ band_table.totals.below_50.text }}",
             "{{ band_table.totals.from_50.text }}", "{{ band_table.totals.from_80.text }}", "{{ band_table.total.text }}"],
        ],
        styles=["Table Text", c, c, c, c, c],
        row_styles={1: ["Table Total"] * 6, 6: ["Table Total"] + ["Table Heading"] * 5},
        merges=[(1, 0, 1, 5)],
        header_merges=[(0, 1, 0, 4), (0, 0, 1, 0), (0, 5, 1, 5)],
    )  # fmt: skip
    tag(d, "{%p if later_quarter_projects %}")
    para(d, "{{ texts.later_intro }}", "Heading 2")
    tag(d, "{%p for name in later_quarter_projects %}")
    para(d, "- {{ loop.index }}) {{ name }}", "List Item")
    tag(d, "{%p endfor %}")
    tag(d, "{%p endif %}")
    tag(d, "{%p if lagging_projects %}")
    para(d, "{{ texts.lagging_intro }}", "Heading 2")
    w = [1.0, 3.5, 1.8, 1.5, 2.6, 2.6, 3.0]
    table(
        d,
        w,
        [
            ["ที่", "รายการ", "เป้าหมาย", "แผน/ ผล", "ผลการดำเนินงานเมื่อเทียบเป้าหมาย", "", "คำอธิบายกรณีผลการดำเนินงานต่ำกว่าร้อยละ {{ thresholds.explanation }}"],
            ["", "", "", "", "{{ texts.round_heading }}", "รอบ 12 เดือน", ""],
        ],
        [
            loop_row("{%tr for row in lagging_projects %}", 7),
            ["{{ row.number }}.", "{{ row.name }}", "{{ row.target }}", "แผน", "{{ row.plan_round }}", "{{ row.plan_annual }}", "{{ row.explanation }}"],
            ["", "", "", "ผล", "{{ row.result_round }}", "{{ row.result_annual }}", ""],
            ["", "", "", "ร้อยละ", "{{ row.percent_round_text }}", "{{ row.percent_annual_text }}", ""],
            loop_row("{%tr endfor %}", 7),
        ],
        row_styles={3: ["Table Text", "Table Text", "Table Text", "Table Text", "Table Number", "Table Number", "Table Text"]},
        merges=[(1, 0, 3, 0), (1, 1, 3, 1), (1, 2, 3, 2), (1, 6, 3, 6)],
        header_merges=[(0, 4, 0, 5), (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 1, 3), (0, 6, 1, 6)],
    )  # fmt: skip
    tag(d, "{%p endif %}")
    tag(d, "{%p if lagging_budget_items %}")
    para(d, "{{ texts.lagging_budget_intro }}", "Heading 2")
    table(
        d,
        [1.0, 9.0, 3.0, 3.0],
        [
            ["ที่", "รายการ", "ผลการดำเนินงาน", ""],
            ["", "", "รอบ 12 เดือน (ร้อยละ)", "{{ texts.round_heading }} (ร้อยละ)"],
        ],
        [
            loop_row("{%tr for row in lagging_budget_items %}", 4),
            ["{{ row.number }}.", "{{ row.label }}", "{{ row.percent_annual_text }}", "{{ row.percent_round_text }}"],
            loop_row("{%tr endfor %}", 4),
        ],
        styles=["Table Text", "Table Text", n, n],
        header_merges=[(0, 2, 0, 3), (0, 0, 1, 0), (0, 1, 1, 1)],
    )  # fmt: skip
    tag(d, "{%p endif %}")
    para(d, "{{ as_of_line }}", "Body Text")
    para(d, "{{ section_2_heading }}", "Heading 1")
    para(d, "{{ budget.paragraph }}", "Body Text")
    para(d, "{{ texts.chart_caption }}", "Caption")
    para(d, "{{ chart }}", "Centered")
    tag(d, "{%p for line in budget.analysis_box %}")
    para(d, "{{ line }}", "Centered")
    tag(d, "{%p endfor %}")
    para(d, "{{ texts.budget_detail_heading }}", "Heading 2")
    para(d, "{{ texts.budget_detail_intro }}", "Body Text")
    tag(d, "{%p for line in budget.lines %}")
    para(d, "{{ line.text }}", "Body Text")
    tag(d, "{%p endfor %}")
    table(
        d,
        [6.0, 3.4, 3.4, 3.2],
        [["รายการงบประมาณ", "แผนการใช้จ่ายทั้งปี (ล้านบาท)", "ผลการใช้จ่าย (ล้านบาท)", "ร้อยละ"]],
        [
            loop_row("{%tr for line in budget.lines %}", 4),
            ["{{ line.number }}. {{ line.name }}", "{{ line.plan_million }}", "{{ line.spent_million }}", "{{ line.percent_text }}"],
            loop_row("{%tr endfor %}", 4),
            ["รวม", "{{ budget.total.plan_million }}", "{{ budget.total.spent_million }}", "{{ budget.total.percent_text }}"],
        ],
        styles=["Table Text", n, n, n],
        row_styles={3: ["Table Total"] + ["Table Total Number"] * 3},
    )  # fmt: skip
    tag(d, "{%p if rounding_note %}")
    para(d, "{{ rounding_note }}", "Normal")
    tag(d, "{%p endif %}")
    tag(d, "{%p if budget.cabinet_target %}")
    para(d, "{{ budget.cabinet_target.text }}", "Body Text")
    tag(d, "{%p endif %}")
    tag(d, "{%p for note in budget.notes %}")
    para(d, "{{ note }}", "Body Text")
    tag(d, "{%p endfor %}")
    tag(d, "{%p if strategic.strategies %}")
    para(d, "{{ strategic_heading }}", "Sheet Heading")
    para(d, "{{ texts.strategic_intro }}", "Body Text")
    tag(d, "{%p for strategy in strategic.strategies %}")
    para(d, "{{ strategy.label }}", "List Item")
    tag(d, "{%p endfor %}")
    para(d, "{{ texts.strategic_closing }}", "Body Text")
    table(
        d,
        [0.9, 4.6, 3.4, 2.6, 4.5],
        [["ที่", "โครงการ", "ตัวชี้วัด", "{{ texts.strategic_target_heading }}", "ผลการดำเนินงาน"]],
        [
            loop_row("{%tr for strategy in strategic.strategies %}", 5),
            ["{{ strategy.label }}", "", "", "", ""],
            loop_row("{%tr for project in strategy.projects %}", 5),
            ["{{ project.number }}", "{{ project.label }}", "{{ project.indicator }}", "{{ project.target }}", "{{ project.result_text }}"],
            loop_row("{%tr endfor %}", 5),
            loop_row("{%tr endfor %}", 5),
        ],
        row_styles={1: ["Table Total"] * 5},
        merges=[(1, 0, 1, 4)],
    )  # fmt: skip
    tag(d, "{%p endif %}")
    return d


def summary_form_table(d: DocumentObject, levels: int) -> None:
    """The summary form (แบบฟอร์มสรุป) with `levels` level columns, 16 cm wide either way."""
    level_width = 7.8 / levels
    first = [5.2, 1.4, 1.6] if levels == 3 else [4.6, 1.4, 2.2]
    heads = [f"{{{{ level_headings[{i}] }}}}" for i in range(levels)]
    texts = [f"{{{{ kpi.level_texts[{i}] }}}}" for i in range(levels)]
    columns = 3 + levels
    blank = [""] * levels
    table(
        d,
        first + [level_width] * levels,
        [
            ["ตัวชี้วัด", "น้ำหนัก (ร้อยละ)", "{{ summary_form.previous_year_heading }}", "เกณฑ์การให้คะแนน", *blank[1:]],
            ["", "", "", *heads],
        ],
        [
            loop_row("{%tr for group in summary_form.groups %}", columns),
            ["{{ group.label }}", "{{ group.weight_text }}", "", *blank],
            loop_row("{%tr for kpi in group.kpis %}", columns),
            ["{{ kpi.label }}", "{{ kpi.weight_text }}", "{{ kpi.previous_result }}", *texts],
            loop_row("{%tr endfor %}", columns),
            loop_row("{%tr endfor %}", columns),
            ["รวม", "{{ summary_form.total_weight_text }}", "", *blank],
        ],
        row_styles={1: ["Table Total", "Table Total Number"] + ["Table Total"] * (columns - 2),
                    3: ["Table Text", "Table Number"] + ["Table Text"] * (columns - 2),
                    6: ["Table Total", "Table Total Number"] + ["Table Total"] * (columns - 2)},
        merges=[(1, 2, 1, columns - 1), (6, 2, 6, columns - 1)],
        header_merges=[(0, 3, 0, columns - 1), (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2)],
    )  # fmt: skip


def agreement() -> DocumentObject:
    d = new_document()
    para(d, "{{ cover.title }}", "Title")
    para(d, "{{ cover.subtitle }}", "Centered Bold")
    para(d, "")
    tag(d, "{%p for clause in clauses %}")
    para(d, "{{ loop.index }}. {{ clause }}", "Body Text")
    tag(d, "{%p endfor %}")
    para(d, "")
    table(
        d,
        [TEXT_WIDTH_CM / 2, TEXT_WIDTH_CM / 2],
        [],
        [
            [
                "ลงชื่อ ..........................................",
                "ลงชื่อ ..........................................",
            ],
            ["({{ signatures[0].name }})", "({{ signatures[1].name }})"],
            ["{{ signatures[0].position }}", "{{ signatures[1].position }}"],
            ["{{ signatures[0].role }}", "{{ signatures[1].role }}"],
            ["{{ signatures[0].date_text }}", "{{ signatures[1].date_text }}"],
        ],
        styles=["Signature", "Signature"],
    )
    tag(d, "{%p if linkage_rows %}")
    para(d, "{{ linkage_table.title }}", "Sheet Heading")
    linkage_widths = [3.2] + [2.56] * 5
    table(
        d,
        linkage_widths,
        [["{{ linkage_columns[0] }}", "{{ linkage_columns[1] }}", "{{ linkage_columns[2] }}",
          "{{ linkage_columns[3] }}", "{{ linkage_columns[4] }}", "{{ linkage_columns[5] }}"]],
        [
            loop_row("{%tr for row in linkage_rows %}", 6),
            ["{{ row.label }}", "{{ row.cells[0] }}", "{{ row.cells[1] }}", "{{ row.cells[2] }}",
             "{{ row.cells[3] }}", "{{ row.cells[4] }}"],
            loop_row("{%tr endfor %}", 6),
        ],
    )  # fmt: skip
    tag(d, "{%p endif %}")
    para(d, "{{ summary_form.title }}", "Sheet Heading")
    para(d, "{{ summary_form.unit }}", "Centered Bold")
    # As many level columns as the agreement's scheme: 3 (50 / 75 / 100) or 5 (1–5).
    for n, test in ((3, "{%p if level_columns == 3 %}"), (5, "{%p else %}")):
        tag(d, test)
        summary_form_table(d, n)
    tag(d, "{%p endif %}")
    tag(d, "{%p for sheet in kpi_sheets %}")
    para(d, "{{ sheet.heading }}", "Sheet Heading")
    para(d, "{{ sheet.label }}", "Heading 2")
    para(d, "น้ำหนัก: ร้อยละ {{ sheet.weight_text }} ({{ sheet.group }})", "Normal")
    para(d, "คำอธิบาย", "Heading 2")
    tag(d, "{%p for line in sheet.description %}")
    para(d, "{{ line }}", "Body Text")
    tag(d, "{%p endfor %}")
    tag(d, "{%p if sheet.definitions %}")
    para(d, "นิยาม", "Heading 2")
    tag(d, "{%p for line in sheet.definitions %}")
    para(d, "{{ line }}", "Body Text")
    tag(d, "{%p endfor %}")
    tag(d, "{%p endif %}")
    tag(d, "{%p if sheet.data_sources %}")
    para(d, "แหล่งข้อมูล", "Heading 2")
    tag(d, "{%p for line in sheet.data_sources %}")
    para(d, "{{ line }}", "Body Text")
    tag(d, "{%p endfor %}")
    tag(d, "{%p endif %}")
    for series, heading in (("baseline", "ข้อมูลพื้นฐาน"), ("roadmap", "ค่าเป้าหมาย (Roadmap)")):
        tag(d, f"{{%p if sheet.{series}_table %}}")
        para(d, heading, "Heading 2")
        table(
            d,
            [4.0] + [2.4] * 5,
            [["ข้อมูลพื้นฐาน"] + [f"{{{{ sheet.{series}_table.years[{i}] }}}}" for i in range(5)]],
            [
                loop_row(f"{{%tr for row in sheet.{series}_table.rows %}}", 6),
                ["{{ row.label }}"] + [f"{{{{ row.cells[{i}] }}}}" for i in range(5)],
                loop_row("{%tr endfor %}", 6),
            ],
            styles=["Table Text"] + ["Table Number"] * 5,
        )
        tag(d, "{%p endif %}")
    para(d, "เกณฑ์การให้คะแนน", "Heading 2")
    table(
        d,
        [4.0, 12.0],
        [["ระดับ", "เกณฑ์"]],
        [
            loop_row("{%tr for level in sheet.levels %}", 2),
            ["{{ level.heading }}", "{{ level.description }}"],
            loop_row("{%tr endfor %}", 2),
        ],
    )
    for field, heading in (
        ("conditions", "เงื่อนไข"),
        ("steps", "ขั้นตอนการดำเนินงาน"),
    ):
        tag(d, f"{{%p if sheet.{field} %}}")
        para(d, heading, "Heading 2")
        tag(d, f"{{%p for line in sheet.{field} %}}")
        para(d, "{{ line }}", "Body Text")
        tag(d, "{%p endfor %}")
        tag(d, "{%p endif %}")
    tag(d, "{%p for section in sheet.other_sections %}")
    para(d, "{{ section.heading }}", "Heading 2")
    para(d, "{{ section.text }}", "Body Text")
    tag(d, "{%p endfor %}")
    tag(d, "{%p if sheet.benefit %}")
    para(d, "ประโยชน์ที่ประชาชนจะได้รับ", "Heading 2")
    para(d, "{{ sheet.benefit }}", "Body Text")
    tag(d, "{%p endif %}")
    para(d, "ผู้รับผิดชอบตัวชี้วัด", "Heading 2")
    table(
        d,
        [8.0, 8.0],
        [["ชื่อ-สกุล", "โทรศัพท์"]],
        [
            loop_row("{%tr for owner in sheet.owners %}", 2),
            ["{{ owner.name }}", "{{ owner.office_phone }}"],
            loop_row("{%tr endfor %}", 2),
        ],
    )
    tag(d, "{%p endfor %}")
    return d


def scorecard() -> DocumentObject:
    d = new_document(landscape=True)
    para(d, "{{ title }}", "Title")
    para(d, "{{ subtitle }}", "Centered Bold")
    para(d, "{{ as_of_text }}", "Centered")
    tag(d, "{%p if own %}")
    _score_card(d, "")
    tag(d, "{%p endif %}")
    tag(d, "{%p for unit in units %}")
    para(d, "{{ unit.heading }}", "Heading 2")
    _score_card(d, "unit.")
    tag(d, "{%p endfor %}")
    tag(d, "{%p if units_note %}")
    para(d, "{{ units_note }}", "Normal")
    tag(d, "{%p endif %}")
    return d


def _score_card(d: DocumentObject, card: str) -> None:
    """One agreement's scores: the scorecard's own (`card` ""), or a unit's ("unit.")."""
    n, t = "Table Number", "Table Text"
    table(
        d,
        [6.2, 1.5, 2.6, 1.7, 1.6, 1.7, 2.6, 1.7, 1.6, 1.7],
        [
            ["ตัวชี้วัด", "น้ำหนัก", "ผลการประเมินตนเอง", "", "", "", "ผลการประเมินของคณะกรรมการ", "", "", ""],
            ["", "", "ผล", "ระดับ", "คะแนน", "คะแนนถ่วงน้ำหนัก", "ผล", "ระดับ", "คะแนน", "คะแนนถ่วงน้ำหนัก"],
        ],
        [
            loop_row(f"{{%tr for group in {card}groups %}}", 10),
            ["{{ group.name }} (ร้อยละ {{ group.weight_text }})", "", "", "", "", "", "", "", "", ""],
            loop_row("{%tr for kpi in group.kpis %}", 10),
            ["{{ kpi.number }}. {{ kpi.name }}", "{{ kpi.weight_text }}",
             "{{ kpi.self.result_text }}", "{{ kpi.self.level_text }}", "{{ kpi.self.score_text }}", "{{ kpi.self.weighted_text }}",
             "{{ kpi.reviewed.result_text }}", "{{ kpi.reviewed.level_text }}", "{{ kpi.reviewed.score_text }}", "{{ kpi.reviewed.weighted_text }}"],
            loop_row("{%tr endfor %}", 10),
            ["รวม{{ group.name }}", "{{ group.weight_text }}", "", "", "", "{{ group.self_subtotal_text }}", "", "", "", "{{ group.reviewed_subtotal_text }}"],
            loop_row("{%tr endfor %}", 10),
            ["คะแนนรวม", f"{{{{ {card}total_weight_text }}}}", "", "", "", f"{{{{ {card}self_total_text }}}}", "", "", "", f"{{{{ {card}reviewed_total_text }}}}"],
        ],
        styles=[t, n, t, t, n, n, t, t, n, n],
        row_styles={1: ["Table Total"] * 10, 5: ["Table Total"] + ["Table Total Number"] * 9,
                    7: ["Table Total"] + ["Table Total Number"] * 9},
        merges=[(1, 0, 1, 9)],
        header_merges=[(0, 2, 0, 5), (0, 6, 0, 9), (0, 0, 1, 0), (0, 1, 1, 1)],
    )  # fmt: skip
    tag(d, f"{{%p if not {card}self_complete or not {card}reviewed_complete %}}")
    para(d, f"{{{{ {card}completeness_note }}}}", "Normal")
    tag(d, "{%p endif %}")
    tag(d, f"{{%p for note in {card}rounding_notes %}}")
    para(d, "{{ note }}", "Normal")
    tag(d, "{%p endfor %}")
    tag(d, f"{{%p for note in {card}review_notes %}}")
    para(d, "{{ note }}", "Normal")
    tag(d, "{%p endfor %}")


def ita_plan() -> DocumentObject:
    d = new_document(landscape=True)
    para(d, "{{ ita.code }} {{ ita.title }} (การประเมิน ITA ปี {{ ita.year }})", "Centered Bold")
    para(d, "{{ title }}", "Title")
    para(d, "{{ subtitle }}", "Centered Bold")
    para(d, "ระยะเวลา {{ period_text }}", "Centered")
    n, t = "Table Number", "Table Text"
    table(
        d,
        [1.0, 7.2, 2.8, 2.2, 3.0, 0.9, 0.9, 0.9, 0.9, 3.4],
        [
            ["ที่", "โครงการ / รายการ", "เป้าหมาย", "ผู้รับผิดชอบ", "งบประมาณ (บาท)", "ระยะเวลาดำเนินการ", "", "", "", "แผนรอบ 12 เดือน"],
            ["", "", "", "", "", "ไตรมาส 1", "ไตรมาส 2", "ไตรมาส 3", "ไตรมาส 4", ""],
        ],
        [
            loop_row("{%tr for group in groups %}", 10),
            ["{{ group.label }}", "", "", "", "{{ group.budget_text }}", "", "", "", "", ""],
            loop_row("{%tr for item in group['items'] %}", 10),
            ["{{ item.number }}", "{{ item.kind }} {{ item.name }}", "{{ item.target }}", "{{ item.units }}", "{{ item.budget_text }}",
             "{{ item.quarter_marks[0] }}", "{{ item.quarter_marks[1] }}", "{{ item.quarter_marks[2] }}", "{{ item.quarter_marks[3] }}",
             "{{ item.plans[3] }}"],
            loop_row("{%tr endfor %}", 10),
            loop_row("{%tr endfor %}", 10),
        ],
        styles=[t, t, t, t, n, "Table Heading", "Table Heading", "Table Heading", "Table Heading", t],
        row_styles={1: ["Table Total", "Table Total", "Table Total", "Table Total", "Table Total Number",
                        "Table Total", "Table Total", "Table Total", "Table Total", "Table Total"]},
        merges=[(1, 0, 1, 3), (1, 5, 1, 9)],
        header_merges=[(0, 5, 0, 8), (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 1, 3), (0, 4, 1, 4), (0, 9, 1, 9)],
    )  # fmt: skip
    para(d, "งบประมาณประจำปีจำแนกตามรายการ", "Caption")
    table(
        d,
        [1.2, 10.0, 6.0, 4.0, 3.0],
        [["ที่", "รายการงบประมาณ", "หมวด", "งบประมาณ (บาท)", "ล้านบาท"]],
        [
            loop_row("{%tr for line in budget_lines %}", 5),
            ["{{ line.number }}", "{{ line.name }}", "{{ line.category }}", "{{ line.plan_text }}", "{{ line.plan_million_text }}"],
            loop_row("{%tr endfor %}", 5),
            ["", "รวม", "", "{{ budget_total_text }}", "{{ budget_total_million_text }}"],
        ],
        styles=[t, t, t, n, n],
        row_styles={3: ["Table Total"] * 3 + ["Table Total Number"] * 2},
    )  # fmt: skip
    return d


TEMPLATES: dict[str, Callable[[], DocumentObject]] = {
    "quarterly": quarterly,
    "agreement": agreement,
    "scorecard": scorecard,
    "ita-plan": ita_plan,
}


def build(directory: Path = TEMPLATE_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in TEMPLATES.items():
        document = make()
        core = document.core_properties
        core.title = name
        core.author = "tidtam"
        path = directory / f"{name}.docx"
        document.save(str(path))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE_DIR):
        print(path)
