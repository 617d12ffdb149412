"""The Excel workbooks hold seed 000's and seed 004's figures as real numbers in Thai formats."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from tidtam.agreements.models import Agreement, AgreementKPI, IndicatorResult
from tidtam.domain.errors import DomainError
from tidtam.periods.models import Round
from tidtam.reports.documents import DOCUMENTS
from tidtam.reports.render import render, to_json
from tidtam.reports.render.xlsx import render_xlsx, sheet_name

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

BE_DATE = "[$-107041E]d mmmm yyyy;@"
THAI = re.compile(r"[\u0E00-\u0E7F]")
# (document, organisation, fiscal year, round) of every document the seeds can make.
CASES = [
    ("quarterly", "onesqa", 2567, 6),
    ("ita-progress", "onesqa", 2567, 6),
    ("ita-plan", "onesqa", 2567, 12),
    ("agreement", "ops-bic", 2564, 12),
    ("scorecard", "ops-bic", 2564, 12),
]


def build(code: str, org: str, year: int, months: int) -> dict[str, Any]:
    return DOCUMENTS[code].data(org, year, months)


def reopen(content: bytes, path: Path) -> Workbook:
    """Write the bytes as a file and read it back, as someone opening the download would."""
    path.write_bytes(content)
    return load_workbook(path)


@pytest.fixture(scope="module")
def workbook(
    django_db_setup: None,
    django_db_blocker: Any,
    seeded: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[str], Workbook]:
    """The rendered workbook of each seed document, rendered once per module."""
    books: dict[str, Workbook] = {}

    def get(code: str) -> Workbook:
        if code not in books:
            _, org, year, months = next(case for case in CASES if case[0] == code)
            with django_db_blocker.unblock():
                data = build(code, org, year, months)
            books[code] = reopen(render_xlsx(data), tmp_path_factory.mktemp(code) / "doc.xlsx")
        return books[code]

    return get


def find_row(ws: Worksheet, text: str, column: int = 1, *, startswith: bool = False) -> int:
    for (cell,) in ws.iter_rows(min_col=column, max_col=column):
        value = cell.value
        if isinstance(value, str) and (value.startswith(text) if startswith else value == text):
            return int(cell.row)
    raise AssertionError(f"no row with {text!r} in column {column} of {ws.title}")


def header_columns(ws: Worksheet, text: str) -> list[int]:
    """The columns whose header cell (bold, in the frozen rows) reads `text`."""
    last_header = ws.freeze_panes and int(re.sub(r"[A-Z]", "", ws.freeze_panes)) - 1
    assert last_header, f"{ws.title} has no frozen header"
    return [
        cell.column
        for row in ws.iter_rows(min_row=1, max_row=last_header)
        for cell in row
        if cell.value == text
    ]


def numbers_in_row(ws: Worksheet, row: int) -> list[Any]:
    return [cell.value for cell in ws[row][1:] if isinstance(cell.value, int | float)]


# --- the quarterly report (seed 000: ONESQA, FY2567, 6 months) ---


def test_band_table_totals_and_shares_are_numbers(workbook: Callable[[str], Workbook]) -> None:
    ws = workbook("quarterly")["ตารางที่ 1"]
    total = find_row(ws, "รวมทั้งสิ้น")
    # Per band: projects, programmes, budget items, all; then the same for the whole table.
    assert numbers_in_row(ws, total) == [
        3, 0, 0, 3,
        11, 0, 17, 28,
        17, 2, 0, 19,
        3, 0, 2, 5,
        34, 2, 19, 55,
    ]  # fmt: skip
    assert all(cell.number_format == "#,##0" for cell in ws[total][1:])
    shares = find_row(ws, "ร้อยละ", startswith=True)
    share_cells = [cell for cell in ws[shares][1:] if isinstance(cell.value, float)]
    assert [round(cell.value, 2) for cell in share_cells] == [5.45, 50.91, 34.55, 9.09]
    # The full value, not the rounded one: Excel rounds only for display.
    assert [cell.value for cell in share_cells] == pytest.approx(
        [3 / 55 * 100, 28 / 55 * 100, 19 / 55 * 100, 5 / 55 * 100], abs=1e-9
    )
    assert share_cells[0].value != 5.45
    assert {cell.number_format for cell in share_cells} == {"0.00"}
    header_row = min(int(ws.freeze_panes[1:]) - 2, total)
    assert ws.cell(row=header_row, column=6).value == "ต่ำกว่าร้อยละ 50"
    assert ws.cell(row=header_row + 1, column=2).value == "โครงการ"


def test_budget_sheet_has_baht_million_and_percent_formats(
    workbook: Callable[[str], Workbook],
) -> None:
    ws = workbook("quarterly")["ผลการใช้จ่ายงบประมาณ"]
    plan_million = header_columns(ws, "แผนการใช้จ่ายทั้งปี (ล้านบาท)")[0]
    spent_million = header_columns(ws, "ใช้จ่ายรวม (ล้านบาท)")[0]
    plan_baht = header_columns(ws, "แผนการใช้จ่ายทั้งปี (บาท)")[0]
    (percent,) = header_columns(ws, "ร้อยละของแผนทั้งปี")
    total = find_row(ws, "รวมทั้งสิ้น", column=2)
    assert ws.cell(total, plan_million).value == pytest.approx(364.8576, abs=1e-9)
    assert ws.cell(total, spent_million).value == pytest.approx(80.3213, abs=1e-9)
    assert ws.cell(total, plan_million).number_format == "#,##0.0000"
    assert ws.cell(total, plan_baht).value == 364_857_600
    assert ws.cell(total, plan_baht).number_format == "#,##0.00"
    assert round(ws.cell(total, percent).value, 2) == 22.01
    assert ws.cell(total, percent).value == pytest.approx(80.3213 / 364.8576 * 100, abs=1e-9)
    assert ws.cell(total, percent).number_format == "0.00"
    lines = range(total - 4, total)
    assert [ws.cell(row, 2).value for row in lines] == [
        "งบตามแผนยุทธศาสตร์",
        "งบสนับสนุนการดำเนินงาน",
        "งบประมาณแผนงานบุคลากรภาครัฐ",
        "งบกองทุน สมศ.",
    ]
    assert [round(ws.cell(row, percent).value, 2) for row in lines] == [8.02, 46.65, 47.95, 33.98]
    assert [ws.cell(row, plan_baht).value for row in lines] == [
        231_332_300,
        53_665_000,
        68_694_600,
        11_165_700,
    ]
    as_of = ws.cell(find_row(ws, "ข้อมูล ณ วันที่", column=2), 3)
    assert as_of.value == datetime(2024, 3, 31)
    assert as_of.number_format == BE_DATE
    # The seed's lines add up once rounded: no rounding note.
    assert not any(
        isinstance(cell.value, str) and "ปัดเศษ" in cell.value for row in ws for cell in row
    )


def test_a_rounding_difference_gets_a_note_and_its_figure(tmp_path: Path) -> None:
    data = build("quarterly", "onesqa", 2567, 6)
    budget = data["budget"]
    # The builder's note and figure (tidtam.reports.quarterly._rounding_note), as a budget whose
    # rounded lines miss the total by 0.0001 million would have them; the sheet shows both.
    budget["rounding_difference_million"]["spent"] = Decimal("0.0001")
    budget["rounding_note"] = (
        "หมายเหตุ: ผลการใช้จ่ายรายรายการที่ปัดเศษแล้วรวมกันต่างจากยอดรวม 0.0001 ล้านบาท "
        "เนื่องจากการปัดเศษ (ยอดรวมคำนวณจากตัวเลขเต็มก่อนปัด)"
    )
    ws = reopen(render_xlsx(data), tmp_path / "q.xlsx")["ผลการใช้จ่ายงบประมาณ"]
    notes = [
        cell.value
        for row in ws
        for cell in row
        if isinstance(cell.value, str) and "ปัดเศษ" in cell.value
    ]
    assert any(note.startswith("หมายเหตุ") and "0.0001" in note for note in notes)
    difference = ws.cell(find_row(ws, "ผลต่างจากการปัดเศษ ผล (ล้านบาท)", column=2), 3)
    assert difference.value == pytest.approx(0.0001)
    assert difference.number_format == "#,##0.0000"


def test_lagging_projects_and_budget_items(workbook: Callable[[str], Workbook]) -> None:
    book = workbook("quarterly")
    ws = book["โครงการล่าช้า"]
    first = int(ws.freeze_panes[1:])
    numbers = [ws.cell(row, 1).value for row in range(first, ws.max_row + 1)]
    assert numbers == list(range(1, 12))
    assert ws.cell(first, 2).value == "โครงการจัดทำ วารสารวิชาการ นานาชาติ อิเล็กทรอนิกส์"
    (annual,) = header_columns(ws, "ร้อยละ (เทียบเป้าหมายทั้งปี)")
    assert ws.cell(first, annual).value == 40
    assert ws.cell(first, annual).number_format == "0.00"
    budget = book["รายการงบประมาณล่าช้า"]
    first = int(budget.freeze_panes[1:])
    (annual,) = header_columns(budget, "ร้อยละ (เทียบแผนทั้งปี)")
    assert [round(budget.cell(row, annual).value, 2) for row in range(first, first + 3)] == [
        46.65,
        47.95,
        33.98,
    ]
    assert [budget.cell(row, 3).value for row in range(first, first + 3)] == [9, 1, 7]


def test_summary_sheet_leads_with_the_title_period_and_sentence(
    workbook: Callable[[str], Workbook],
) -> None:
    book = workbook("quarterly")
    assert book.sheetnames == [
        "สรุป",
        "ตารางที่ 1",
        "โครงการล่าช้า",
        "รายการงบประมาณล่าช้า",
        "ผลการใช้จ่ายงบประมาณ",
        "แผนกลยุทธ์",
    ]
    ws = book["สรุป"]
    assert ws["A1"].value == "รายงานผลการดำเนินงาน"
    assert ws["A1"].font.b and ws["A1"].font.sz == 16
    end = ws.cell(find_row(ws, "วันสิ้นสุด"), 2)
    assert end.value == datetime(2024, 3, 31)
    assert end.number_format == BE_DATE
    sentence = ws.cell(find_row(ws, "สรุปผลการดำเนินงาน"), 2).value
    assert sentence.startswith("ผลการดำเนินงาน สมศ. จำนวนทั้งสิ้น 34 โครงการ 2 แผนงาน 19 รายการ")
    as_of = ws.cell(find_row(ws, "ข้อมูล ณ"), 2).value
    assert as_of.endswith("สิ้นสุด ณ วันที่ 31 มีนาคม 2567")


def test_strategic_plan_percents_are_numbers_or_a_dash(
    workbook: Callable[[str], Workbook],
) -> None:
    ws = workbook("quarterly")["แผนกลยุทธ์"]
    (percent,) = header_columns(ws, "ร้อยละ")
    row = find_row(ws, "โครงการพัฒนาหลักสูตรและพัฒนาศักยภาพผู้ประเมิน", column=2, startswith=True)
    assert ws.cell(row, percent).value == pytest.approx(1345 / 2254 * 100, abs=1e-9)
    assert round(ws.cell(row, percent).value, 2) == 59.67
    row = find_row(ws, "โครงการจัดทำศูนย์ข้อมูลด้านการประกันคุณภาพ", column=2, startswith=True)
    assert ws.cell(row, percent).value == "-"  # "(ร้อยละ -)": not measurable yet


def test_ita_progress_names_its_item_first(workbook: Callable[[str], Workbook]) -> None:
    ws = workbook("ita-progress").worksheets[0]
    assert ws["A1"].value == (
        "O12 รายงานการกำกับติดตามการดำเนินงานและการใช้จ่ายงบประมาณ ประจำปี รอบ 6 เดือน"
    )
    assert ws["A3"].value == "รายงานผลการดำเนินงาน"


# --- the performance agreement (seed 004: ops-bic, FY2564) ---


def test_summary_form_weights_60_plus_40(workbook: Callable[[str], Workbook]) -> None:
    ws = workbook("agreement")["แบบฟอร์มสรุป"]
    (weight,) = header_columns(ws, "น้ำหนัก (ร้อยละ)")
    first = int(ws.freeze_panes[1:])
    rows = range(first, ws.max_row + 1)
    kpi_rows = [r for r in rows if re.match(r"\d+\. ", str(ws.cell(r, 1).value or ""))]
    assert len(kpi_rows) == 11
    assert [ws.cell(r, weight).value for r in kpi_rows] == [15] * 4 + [10] + [5] * 6
    group_rows = [r for r in rows if str(ws.cell(r, 1).value).startswith("การประเมิน")]
    assert [ws.cell(r, weight).value for r in group_rows] == [60, 40]
    assert ws.cell(find_row(ws, "รวม"), weight).value == 100
    assert {ws.cell(r, weight).number_format for r in kpi_rows + group_rows} == {"0.00"}
    assert ws.cell(first - 1, 4).value == "ขั้นต้น (50 คะแนน)"
    assert ws.cell(first - 1, 6).value == "ขั้นสูง (100 คะแนน)"


def test_cover_has_the_parties_and_real_dates(workbook: Callable[[str], Workbook]) -> None:
    book = workbook("agreement")
    assert book.sheetnames[:3] == ["คำรับรอง", "ความเชื่อมโยง", "แบบฟอร์มสรุป"]
    assert book.sheetnames[3:] == [f"ตัวชี้วัดที่ {n}" for n in range(1, 12)]
    ws = book["คำรับรอง"]
    names = {cell.value for row in ws for cell in row}
    assert {"นายสุภัทร จำปาทอง", "นายสมทรง งามวงษ์"} <= names
    signed = ws.cell(find_row(ws, "วันที่ลงนาม"), 2)
    assert signed.value == datetime(2021, 2, 10)
    assert signed.number_format == BE_DATE
    start = ws.cell(find_row(ws, "วันเริ่มต้น"), 2)
    assert (start.value, start.number_format) == (datetime(2020, 10, 1), BE_DATE)
    clauses = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert [n for n in clauses if isinstance(n, int)] == [1, 2, 3, 4, 5, 6]


def test_kpi_4_sheet_has_its_thresholds_as_numbers(workbook: Callable[[str], Workbook]) -> None:
    ws = workbook("agreement")["ตัวชี้วัดที่ 4"]
    header = find_row(ws, "ระดับ")
    assert [ws.cell(header, c).value for c in range(1, 5)] == [
        "ระดับ",
        "ชื่อระดับ",
        "คะแนน",
        "ค่าเกณฑ์",
    ]
    levels = [[ws.cell(r, c).value for c in range(1, 5)] for r in range(header + 1, header + 4)]
    assert levels == [[1, "ขั้นต้น", 50, 6], [2, "มาตรฐาน", 75, 8], [3, "ขั้นสูง", 100, 10]]
    assert ws.cell(find_row(ws, "น้ำหนัก (ร้อยละ)"), 2).value == 15


# --- the scorecard ---


def kpi(number: int) -> AgreementKPI:
    return AgreementKPI.objects.select_related("indicator").get(
        group__agreement__organization__code="ops-bic", number=number
    )


def test_scorecard_weighted_scores_subtotals_and_total(tmp_path: Path) -> None:
    round_12 = Round.objects.get(fiscal_year__year=2564, months=12)
    Agreement.objects.filter(organization__code="ops-bic").update(interpolation="linear")
    # KPI 1 (milestone, weight 15): self level 3 = 100 points, reviewed level 2 = 75.
    IndicatorResult.objects.create(
        indicator=kpi(1).indicator, round=round_12, level_reached=3, reviewed_level_reached=2
    )
    # KPI 4 (7 projects against thresholds 6 / 8 / 10, weight 15): 50 + (7 - 6) / (8 - 6) × 25
    # = 62.5 points self; reviewed 10 projects = 100.
    IndicatorResult.objects.create(
        indicator=kpi(4).indicator, round=round_12, value=Decimal(7), reviewed_value=Decimal(10)
    )
    # KPI 6 (milestone, weight 5): self level 2 = 75, reviewed level 1 = 50.
    IndicatorResult.objects.create(
        indicator=kpi(6).indicator, round=round_12, level_reached=2, reviewed_level_reached=1
    )
    ws = reopen(render(build("scorecard", "ops-bic", 2564, 12), "xlsx"), tmp_path / "s.xlsx")[
        "ผลการประเมิน"
    ]
    self_score, reviewed_score = header_columns(ws, "คะแนน")
    self_weighted, reviewed_weighted = header_columns(ws, "คะแนนถ่วงน้ำหนัก")

    def weighted(points: str, weight: int) -> float:  # score × weight / max points (100)
        return float(Decimal(points) * weight / 100)

    expected = {
        "1. ": (weighted("100", 15), weighted("75", 15)),  # 15.0000, 11.2500
        "4. ": (weighted("62.5", 15), weighted("100", 15)),  # 9.3750, 15.0000
        "6. ": (weighted("75", 5), weighted("50", 5)),  # 3.7500, 2.5000
    }
    for prefix, (self_value, reviewed_value) in expected.items():
        row = find_row(ws, prefix, startswith=True)
        assert ws.cell(row, self_weighted).value == pytest.approx(self_value, abs=1e-9)
        assert ws.cell(row, reviewed_weighted).value == pytest.approx(reviewed_value, abs=1e-9)
        assert ws.cell(row, self_weighted).number_format == "0.0000"
    row_4 = find_row(ws, "4. ", startswith=True)
    assert ws.cell(row_4, self_score).value == 62.5
    assert ws.cell(row_4, reviewed_score).value == 100
    assert ws.cell(row_4, self_score).number_format == "0.0000"
    # KPIs not yet assessed show a dash, not a zero.
    assert ws.cell(find_row(ws, "2. ", startswith=True), self_weighted).value == "-"

    performance = find_row(ws, "รวม การประเมินประสิทธิผล", startswith=True)
    potential = find_row(ws, "รวม การประเมินศักยภาพ", startswith=True)
    total = find_row(ws, "รวมทั้งสิ้น")
    assert ws.cell(performance, self_weighted).value == pytest.approx(15 + 9.375)  # 24.3750
    assert ws.cell(performance, reviewed_weighted).value == pytest.approx(11.25 + 15)  # 26.2500
    assert ws.cell(potential, self_weighted).value == pytest.approx(3.75)
    assert ws.cell(potential, reviewed_weighted).value == pytest.approx(2.5)
    assert ws.cell(total, self_weighted).value == pytest.approx(28.125)
    assert ws.cell(total, reviewed_weighted).value == pytest.approx(28.75)
    assert ws.cell(total, self_weighted).number_format == "0.0000"
    assert ws.cell(total, 2).value == 100
    assert ws.cell(find_row(ws, "ตัวชี้วัดที่มีผลการประเมิน"), 2).value == 3


# --- the ITA annual plan (O11) ---


def test_ita_plan_items_and_budget(workbook: Callable[[str], Workbook]) -> None:
    book = workbook("ita-plan")
    assert book.sheetnames == ["แผนการดำเนินงาน", "งบประมาณ"]
    ws = book["แผนการดำเนินงาน"]
    assert ws["A1"].value == "O11 แผนการดำเนินงานและการใช้จ่ายงบประมาณประจำปี"
    first = int(ws.freeze_panes[1:])
    item_rows = [r for r in range(first, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int)]
    # 55 work items of ตารางที่ 1 and 19 strategic-plan projects; the 2 excluded items are not.
    assert len(item_rows) == 74
    assert ws.cell(find_row(ws, "จำนวนโครงการ / รายการทั้งหมด", column=3), 4).value == 74
    later = find_row(ws, "โครงการประเมินคุณภาพภายนอก ศูนย์พัฒนาเด็กเล็ก", column=3)
    assert [ws.cell(later, c).value for c in range(7, 11)] == [None, None, "√", "√"]
    budget = book["งบประมาณ"]
    total = find_row(budget, "รวมทั้งสิ้น", column=2)
    (baht,) = header_columns(budget, "งบประมาณ (บาท)")
    (million,) = header_columns(budget, "งบประมาณ (ล้านบาท)")
    assert budget.cell(total, baht).value == 364_857_600
    assert budget.cell(total, baht).number_format == "#,##0.00"
    assert budget.cell(total, million).value == pytest.approx(364.8576, abs=1e-9)
    assert budget.cell(total, million).number_format == "#,##0.0000"


# --- every workbook ---


@pytest.mark.parametrize("code", [case[0] for case in CASES])
def test_sheets_are_thai_named_styled_and_without_formulas(
    code: str, workbook: Callable[[str], Workbook]
) -> None:
    book = workbook(code)
    for ws in book.worksheets:
        assert len(ws.title) <= 31
        assert THAI.search(ws.title), ws.title
        assert not re.search(r"[\[\]:*?/\\]", ws.title)
        assert ws.freeze_panes or ws.title in {"สรุป", "คำรับรอง"} or ws.title.startswith("ตัวชี้วัดที่")
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                assert cell.font.name == "TH Sarabun New", cell.coordinate
                assert 14 <= cell.font.sz <= 16, cell.coordinate
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert not cell.value.startswith("="), cell.coordinate
        if ws.freeze_panes:
            header = int(ws.freeze_panes[1:]) - 1
            assert all(cell.font.b for cell in ws[header] if cell.value is not None)
        assert ws["A1"].font.b
        assert ws.column_dimensions["A"].width > 5


def test_sheet_names_are_cut_cleaned_and_unique() -> None:
    taken: set[str] = set()
    long = "รายละเอียดตัวชี้วัดที่ 1 ระดับความสำเร็จในการเสริมสร้างบทบาท"
    first = sheet_name(long, taken)
    second = sheet_name(long, taken)
    assert len(first) <= 31 and len(second) <= 31
    assert first != second and second.endswith("(2)")
    assert sheet_name("แผน/ผล: ไตรมาส [1]?", taken) == "แผน-ผล- ไตรมาส -1--"


def test_same_data_gives_the_same_bytes_dated_by_the_period(tmp_path: Path) -> None:
    data = build("quarterly", "onesqa", 2567, 6)
    first = render_xlsx(data)
    assert render_xlsx(copy.deepcopy(data)) == first
    # From the JSON the web app and the command hand out, too: the renderer needs only the dict.
    assert render_xlsx(json.loads(to_json(data))) == first
    book = reopen(first, tmp_path / "q.xlsx")
    assert book.properties.created == datetime(2024, 3, 31)
    assert book.properties.modified == datetime(2024, 3, 31)


def test_an_unknown_document_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        render_xlsx({"document": "nope"})
    assert caught.value.code == "document_unknown"


def test_cells_of_one_look_share_its_style_and_every_other_look_keeps_its_own() -> None:
    """A workbook's styles are found once per look and copied to the cells that have it
    (`Book.style`): each cell, read back by openpyxl, still has exactly its own font, fill,
    border, alignment, number format and quote prefix, however many cells share a look."""
    import io

    from tidtam.reports.render.xlsx import BOLD_FONT, TOTAL_FILL, Book, Num

    book = Book({"dated": "2024-04-08"}, "ลักษณะเซลล์")
    sheet = book.sheet("ลักษณะ", [20, 20, 20, 20, 20, 20])
    for _ in range(3):
        sheet.cell(1, "ข้อความ")
        sheet.cell(2, "มีพื้น", fill=TOTAL_FILL)  # differs from column 1 by its fill only
        sheet.cell(3, "มีเส้น", fill=TOTAL_FILL, border=True)
        sheet.cell(4, "=HYPERLINK(1)", font=BOLD_FONT, horizontal="center")
        sheet.cell(5, Num(Decimal("1234.5"), "#,##0.00"))
        sheet.cell(6, "ตัวหนา", font=BOLD_FONT, horizontal="center")  # column 4 less the quote
        sheet.row += 1
    assert len(book._styles) == 6  # one entry per look, not per cell
    ws = load_workbook(io.BytesIO(book.to_bytes()))["ลักษณะ"]
    for row in (1, 2, 3):
        plain, filled, bordered, quoted, number = (ws.cell(row, c) for c in range(1, 6))
        assert plain.fill.fill_type is None and plain.border.left.style is None
        assert not plain.font.b and plain.alignment.wrap_text and not plain.quotePrefix
        assert filled.fill.fgColor.rgb == "00FFF2CC" and filled.border.left.style is None
        assert bordered.fill.fgColor.rgb == "00FFF2CC" and bordered.border.left.style == "thin"
        assert quoted.font.b and quoted.alignment.horizontal == "center" and quoted.quotePrefix
        assert quoted.value == "=HYPERLINK(1)" and quoted.data_type == "s"
        assert (number.value, number.number_format) == (1234.5, "#,##0.00")
        assert plain.number_format == "General" and not number.font.b
        bold = ws.cell(row, 6)
        assert bold.font.b and bold.alignment.horizontal == "center" and not bold.quotePrefix


def test_a_cell_written_again_keeps_its_earlier_style_and_lends_it_to_no_other_cell() -> None:
    """A look's style is copied only to cells not styled before: writing a cell a second time
    (without a fill) keeps the fill it had, as openpyxl's setters do, and a later fresh cell of
    that look gets no fill from it."""
    import io

    from tidtam.reports.render.xlsx import TOTAL_FILL, Book

    book = Book({"dated": "2024-04-08"}, "เขียนซ้ำ")
    sheet = book.sheet("เขียนซ้ำ", [20, 20, 20])
    sheet.cell(1, "ครั้งแรก", fill=TOTAL_FILL)
    sheet.cell(2, "เซลล์ใหม่")  # the plain look is known from here on
    sheet.cell(1, "ครั้งที่สอง")  # the plain look again, on a cell styled before
    sheet.cell(3, "เซลล์ใหม่อีก")
    ws = load_workbook(io.BytesIO(book.to_bytes()))["เขียนซ้ำ"]
    again, fresh, later = ws.cell(1, 1), ws.cell(1, 2), ws.cell(1, 3)
    assert again.value == "ครั้งที่สอง" and again.fill.fgColor.rgb == "00FFF2CC"
    assert fresh.fill.fill_type is None and later.fill.fill_type is None
