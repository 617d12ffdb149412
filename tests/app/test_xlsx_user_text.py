"""Text people typed stays text in the Excel workbooks: never a live formula, an error or a broken file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tidtam.periods.models import Round
from tidtam.plans.models import WorkItem
from tidtam.progress.models import ProgressEntry
from tidtam.reports.documents import DOCUMENTS
from tidtam.reports.render.xlsx import render_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

MAINTENANCE = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"
FORMULA = '=HYPERLINK("http://x","y")'


def workbook_with_result_text(text: str, tmp_path: Path) -> dict[str, object]:
    """Write `text` as a project's result, render the quarterly workbook, save it, read it back:
    the cells (by value) as openpyxl reads them from the file."""
    item = WorkItem.objects.get(name=MAINTENANCE)
    round_ = Round.objects.get(fiscal_year__year=2567, months=6)
    ProgressEntry.objects.filter(work_item=item, round=round_).update(result_text=text)
    data = DOCUMENTS["quarterly"].data("onesqa", 2567, 6)
    saved = tmp_path / "quarterly.xlsx"
    saved.write_bytes(render_xlsx(data))
    book = load_workbook(io.BytesIO(saved.read_bytes()))
    return {
        cell.value: cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


def test_a_result_text_that_looks_like_a_formula_reads_back_as_that_text(tmp_path: Path) -> None:
    cells = workbook_with_result_text(FORMULA, tmp_path)
    cell = cells[FORMULA]
    assert cell.data_type == "s"  # a shared string, not "f" (formula)
    assert cell.quotePrefix  # Excel keeps it text when someone edits the cell, too


@pytest.mark.parametrize("text", ["+66 2 123 4567", "-ยกเลิก", "@ผู้อำนวยการ", "\t=1+1"])
def test_text_starting_with_what_starts_a_formula_is_quoted(text: str, tmp_path: Path) -> None:
    cells = workbook_with_result_text(text, tmp_path)
    assert cells[text].data_type == "s"
    assert cells[text].quotePrefix


def test_an_error_code_typed_as_text_stays_text(tmp_path: Path) -> None:
    cells = workbook_with_result_text("#N/A", tmp_path)
    assert cells["#N/A"].data_type == "s"


def test_control_characters_pasted_from_other_programs_do_not_break_the_workbook(
    tmp_path: Path,
) -> None:
    cells = workbook_with_result_text("ผลงาน\x0bจากเอกสาร\x01 Word", tmp_path)
    assert "ผลงานจากเอกสาร Word" in cells


def test_ordinary_thai_text_is_not_quoted(tmp_path: Path) -> None:
    cells = workbook_with_result_text("ดำเนินการได้ 9 กิจกรรม", tmp_path)
    assert cells["ดำเนินการได้ 9 กิจกรรม"].data_type == "s"
    assert not cells["ดำเนินการได้ 9 กิจกรรม"].quotePrefix
