"""The Word documents, opened again the way an office opens them and checked against the seeds.

Every file is made by `tidtam report … --format docx -o FILE`, as a planner would make it, then
read back with python-docx: the figures and Thai texts of seed 000 and seed 004 must be there,
and the page and fonts must be what Thai official documents use.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.shared import Cm

from tests.app.conftest import report_data, squash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def make(tmp_path: Path, *args: str) -> Path:
    path = tmp_path / "out.docx"
    call_command("report", *args, "--format", "docx", "-o", str(path))
    return path


def all_text(document: DocumentObject) -> list[str]:
    """Every paragraph, in body order, including those inside tables (cells once, not per merge)."""
    body = document.element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def table_rows(document: DocumentObject, index: int) -> list[list[str]]:
    rows = []
    for row in document.tables[index].rows:
        cells: list[str] = []
        for cell in row.cells:
            cells.append(cell.text.strip())
        rows.append(cells)
    return rows


@pytest.fixture
def quarterly(tmp_path: Path) -> Iterator[DocumentObject]:
    yield Document(
        str(make(tmp_path, "quarterly", "--org", "onesqa", "--fy", "2567", "--round", "6"))
    )


@pytest.fixture
def agreement(tmp_path: Path) -> Iterator[DocumentObject]:
    yield Document(str(make(tmp_path, "agreement", "--org", "ops-bic", "--fy", "2564")))


def test_quarterly_docx_has_the_seeds_title_summary_and_as_of_line(
    quarterly: DocumentObject, seed_000_text: str
) -> None:
    text = all_text(quarterly)
    assert text[:4] == [
        "รายงานผลการดำเนินงาน",
        "สำนักงานรับรองมาตรฐานและประเมินคุณภาพการศึกษา (องค์การมหาชน)",
        "ไตรมาสที่ 2/2567 (ตุลาคม 2566 - มีนาคม 2567)",
        "ประจำปีงบประมาณ พ.ศ.2567",
    ]
    summary = next(t for t in text if t.startswith("ผลการดำเนินงาน สมศ. จำนวนทั้งสิ้น"))
    assert "34 โครงการ 2 แผนงาน 19 รายการ" in summary
    assert squash(summary) in seed_000_text
    as_of = next(t for t in text if t.startswith("ทั้งนี้ รายละเอียดผลการดำเนินงาน"))
    assert as_of.endswith("สิ้นสุด ณ วันที่ 31 มีนาคม 2567")
    for heading in ("1. ผลการดำเนินงานประจำปีงบประมาณ", "2. ผลการใช้จ่ายงบประมาณประจำปีงบประมาณ"):
        line = next(t for t in text if t.startswith(heading))
        assert squash(line) in seed_000_text
    # No template tag may survive rendering.
    assert not [t for t in text if "{{" in t or "{%" in t]


def test_quarterly_docx_band_table_totals_are_3_28_19_5_of_55(
    quarterly: DocumentObject, seed_000_text: str
) -> None:
    rows = table_rows(quarterly, 0)
    totals = next(r for r in rows if r[0] == "รวมทั้งสิ้น")
    assert totals[1:] == [
        "3 โครงการ - แผนงาน - รายการ (ร้อยละ 5.45)",
        "11 โครงการ - แผนงาน 17 รายการ (ร้อยละ 50.91)",
        "17 โครงการ 2 แผนงาน - รายการ (ร้อยละ 34.55)",
        "3 โครงการ - แผนงาน 2 รายการ (ร้อยละ 9.09)",
        "34 โครงการ 2 แผนงาน 19 รายการ (ภาพรวม 55 รายการ)",
    ]
    outputs = [r[0] for r in rows if r[0].startswith("ผลผลิตที่")]
    assert len(outputs) == 5
    activities = [r for r in rows if r[0].startswith("กิจกรรมที่")]
    assert len(activities) == 11
    assert activities[0][1:] == ["", "-", "4 โครงการ", "-", "4 โครงการ"]
    for row in activities:
        assert squash(row[0]) in seed_000_text


def test_quarterly_docx_lagging_tables_hold_both_rounds_and_explanations(
    quarterly: DocumentObject, seed_000_text: str
) -> None:
    rows = table_rows(quarterly, 1)
    percent_rows = [r for r in rows if r[3] == "ร้อยละ"]
    assert len(percent_rows) == 11
    assert sorted((r[4], r[5]) for r in percent_rows)[:3] == [
        ("10", "5"),
        ("100", "25"),
        ("100", "40"),
    ]
    first = next(r for r in rows if r[0] == "1.")
    assert first[1] == "โครงการจัดทำ วารสารวิชาการ นานาชาติ อิเล็กทรอนิกส์"
    assert first[3:6] == ["แผน", "จัดทำแผน ประชาสัมพันธ์", "จัดทำวารสาร วิชาการฯ ได้ 1 ฉบับ"]
    assert squash(first[6]) in seed_000_text
    budget_rows = table_rows(quarterly, 2)
    assert [r[1:] for r in budget_rows[2:]] == [
        ["งบบริหารจัดการสำนักงาน (9 รายการ)", "46.65", "93.30"],
        ["เงินตอบแทนของผู้อำนวยการและเงินตอบแทน (1 รายการ)", "47.95", "95.91"],
        ["เงินสวัสดิการและค่าจัดกิจกรรมสำนักงาน (7 รายการ)", "33.98", "67.96"],
    ]


def test_quarterly_docx_budget_section_has_80_3213_of_364_8576_and_the_chart(
    quarterly: DocumentObject, seed_000_text: str
) -> None:
    rows = table_rows(quarterly, 3)
    assert [r[1:] for r in rows[1:]] == [
        ["231.3323", "18.5500", "8.02"],
        ["53.6650", "25.0357", "46.65"],
        ["68.6946", "32.9414", "47.95"],
        ["11.1657", "3.7942", "33.98"],
        ["364.8576", "80.3213", "22.01"],
    ]
    text = all_text(quarterly)
    paragraph = next(t for t in text if t.startswith("สำหรับการใช้จ่ายงบประมาณปี พ.ศ. 2567"))
    assert "80.3213 ล้านบาท" in paragraph and "364.8576 ล้านบาท" in paragraph
    assert "ร้อยละ 22.01" in paragraph
    lines = [t for t in text if "มีผลการเบิกจ่าย" in t and t[:2] in {"1.", "2.", "3.", "4."}]
    assert len(lines) == 4
    for line in lines:
        assert squash(line) in seed_000_text
    # แผนภาพที่ 1 is a real picture: one inline PNG, drawn from the same figures.
    assert len(quarterly.inline_shapes) == 1
    blip = quarterly.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip
    image = quarterly.part.related_parts[blip.embed].blob
    assert image[:8] == b"\x89PNG\r\n\x1a\n"


def test_quarterly_docx_strategic_table_has_59_67_and_171_52(quarterly: DocumentObject) -> None:
    rows = table_rows(quarterly, 4)
    strategies = [r[0] for r in rows if r[0].startswith("กลยุทธ์ที่")]
    assert len(strategies) == 4
    results = " ".join(r[4] for r in rows)
    assert "(ร้อยละ 59.67)" in results
    assert "(ร้อยละ 171.52)" in results
    assert len([r for r in rows if r[0].isdigit()]) == 19


def test_agreement_docx_has_both_parties_the_period_and_the_signature_dates(
    agreement: DocumentObject, seed_004_text: str
) -> None:
    text = all_text(agreement)
    assert text[0] == "คำรับรองการปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. 2564"
    joined = "\n".join(text)
    assert "นายสุภัทร จำปาทอง" in joined and "นายสมทรง งามวงษ์" in joined
    assert "เริ่มตั้งแต่วันที่ 1 ตุลาคม 2563 ถึงวันที่ 30 กันยายน 2564" in joined
    signatures = table_rows(agreement, 0)
    assert signatures[1] == ["(นายสุภัทร จำปาทอง)", "(นายสมทรง งามวงษ์)"]
    assert signatures[4] == ["วันที่ 10 เดือน กุมภาพันธ์ พ.ศ. 2564"] * 2
    clauses = [t for t in text if t[:2] in {f"{n}." for n in range(1, 7)}]
    assert len(clauses) >= 6
    assert clauses[0].startswith("1. คำรับรองระหว่าง นายสุภัทร จำปาทอง ปลัดกระทรวงศึกษาธิการ")
    # Clause 1 is laid out over several lines in the seed; the others read as one paragraph.
    for clause in clauses[1:6]:
        assert squash(clause.split(". ", 1)[1])[:40] in seed_004_text


def test_agreement_docx_summary_form_weights_add_up_60_and_40(agreement: DocumentObject) -> None:
    summary = next(
        table_rows(agreement, i)
        for i in range(len(agreement.tables))
        if table_rows(agreement, i)[0][0] == "ตัวชี้วัด"
    )
    groups = [r for r in summary if "(ร้อยละ" in r[0] and r[0].startswith("การประเมิน")]
    assert [r[1] for r in groups] == ["60", "40"]
    kpis = [r for r in summary if re.match(r"\d+\. ", r[0])]
    assert [r[1] for r in kpis] == ["15"] * 4 + ["10"] + ["5"] * 6
    assert summary[-1][:2] == ["รวม", "100"]
    assert summary[1][3:6] == ["ขั้นต้น (50 คะแนน)", "มาตรฐาน (75 คะแนน)", "ขั้นสูง (100 คะแนน)"]


def test_agreement_docx_has_one_sheet_per_kpi_with_tables_and_owners(
    agreement: DocumentObject, seed_004_text: str
) -> None:
    text = all_text(agreement)
    headings = [p.text for p in agreement.paragraphs if p.style.name == "Sheet Heading"]
    assert headings.count("ตัวชี้วัด สต. ตามคำรับรองการปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. 2564") == 11
    sheets = [p.text for p in agreement.paragraphs if p.text.startswith("ตัวชี้วัดที่ ")]
    assert len(sheets) == 11
    for label in sheets:
        assert squash(label)[:50] in seed_004_text
    assert "02-6285646 ต่อ 116" in "\n".join(text)
    baseline = next(
        table_rows(agreement, i)
        for i in range(len(agreement.tables))
        if table_rows(agreement, i)[0][1:] == ["2559", "2560", "2561", "2562", "2563"]
    )
    assert baseline[1] == ["ผลการดำเนินงาน", "-", "-", "-", "-", "30 แห่ง"]
    # Each KPI sheet starts on a new page (its heading's style breaks the page).
    style = agreement.styles["Sheet Heading"]
    assert style.paragraph_format.page_break_before is True


def test_documents_are_a4_with_official_margins_and_thai_ready_fonts(tmp_path: Path) -> None:
    for args in (
        ("quarterly", "--org", "onesqa", "--fy", "2567", "--round", "6"),
        ("agreement", "--org", "ops-bic", "--fy", "2564"),
        ("scorecard", "--org", "ops-bic", "--fy", "2564", "--round", "12"),
    ):
        document = Document(str(make(tmp_path, *args)))
        section = document.sections[0]
        assert {round(section.page_width.cm, 1), round(section.page_height.cm, 1)} == {21.0, 29.7}
        assert abs(section.left_margin - Cm(3)) < Cm(0.01)
        assert abs(section.right_margin - Cm(2)) < Cm(0.01)
        styles = zipfile.ZipFile(make(tmp_path, *args)).read("word/styles.xml").decode()
        # Word treats Thai as a complex script: its font, size and bold live in cs/szCs/bCs.
        assert 'w:cs="TH Sarabun New"' in styles
        assert '<w:szCs w:val="32"/>' in styles  # 16 pt body text
        assert "<w:bCs/>" in styles
        # w:lang w:val="th-TH" made LibreOffice break numbers; only the complex-script language.
        assert 'w:bidi="th-TH"' in styles and 'w:val="th-TH"' not in styles


def test_scorecard_docx_shows_weighted_scores_to_four_decimals(tmp_path: Path) -> None:
    from tidtam.agreements.models import AgreementKPI, IndicatorResult
    from tidtam.periods.models import Round

    kpis = {
        k.number: k
        for k in AgreementKPI.objects.filter(group__agreement__organization__code="ops-bic")
    }
    round_ = Round.objects.get(fiscal_year__year=2564, months=12)
    # KPI 1 (milestone, weight 15): self level 2 = 75 points, reviewed level 3 = 100.
    IndicatorResult.objects.create(
        indicator=kpis[1].indicator, round=round_, level_reached=2, reviewed_level_reached=3
    )
    # KPI 5 (milestone, weight 10): level 1 = 50 points both ways.
    IndicatorResult.objects.create(
        indicator=kpis[5].indicator, round=round_, level_reached=1, reviewed_level_reached=1
    )
    data = report_data("scorecard", "ops-bic", 2564, 12)
    document = Document(
        str(make(tmp_path, "scorecard", "--org", "ops-bic", "--fy", "2564", "--round", "12"))
    )
    rows = table_rows(document, 0)
    kpi_1 = next(r for r in rows if r[0].startswith("1. "))
    # 75 × 15 / 100 = 11.25; 100 × 15 / 100 = 15
    assert kpi_1[1:] == [
        "15",
        "ระดับ 2",
        "ระดับ 2",
        "75.0000",
        "11.2500",
        "ระดับ 3",
        "ระดับ 3",
        "100.0000",
        "15.0000",
    ]
    kpi_5 = next(r for r in rows if r[0].startswith("5. "))
    assert kpi_5[5] == "5.0000" and kpi_5[9] == "5.0000"  # 50 × 10 / 100
    total = rows[-1]
    assert total[0] == "คะแนนรวม" and total[1] == "100"
    assert total[5] == "16.2500" and total[9] == "20.0000"
    assert data["self_total_text"] == "16.2500"
    not_assessed = next(r for r in rows if r[0].startswith("2. "))
    assert not_assessed[2] == "ยังไม่ประเมิน" and not_assessed[5] == "-"
    assert any("ยังไม่ครบทุกตัวชี้วัด" in t for t in all_text(document))


def test_ita_plan_docx_is_headed_by_its_item_code(tmp_path: Path) -> None:
    document = Document(str(make(tmp_path, "ita-plan", "--org", "onesqa", "--fy", "2567")))
    text = all_text(document)
    assert text[0] == "O11 แผนการดำเนินงานและการใช้จ่ายงบประมาณประจำปี (การประเมิน ITA ปี 2567)"
    data: dict[str, Any] = report_data("ita-plan", "onesqa", 2567)
    rows = table_rows(document, 0)
    assert len([r for r in rows if r[0].isdigit()]) == data["item_count"]
    budget = table_rows(document, 1)
    assert budget[-1][3:] == ["364,857,600.00", "364.8576"]


def test_same_data_gives_a_docx_word_can_open_twice(tmp_path: Path) -> None:
    """Rendering is repeatable: the document part does not depend on time or order."""
    first = zipfile.ZipFile(make(tmp_path, "agreement", "--org", "ops-bic", "--fy", "2564"))
    part = first.read("word/document.xml")
    second = zipfile.ZipFile(
        io.BytesIO(make(tmp_path, "agreement", "--org", "ops-bic", "--fy", "2564").read_bytes())
    )
    assert second.read("word/document.xml") == part


def test_scorecard_before_any_assessment_shows_dashes_not_zero_scores() -> None:
    data = report_data("scorecard", "ops-bic", 2564, 12)
    assert data["assessed"] == 0 and data["kpi_count"] == 11
    assert data["self_total_text"] == "-" and data["reviewed_total_text"] == "-"
    assert [g["self_subtotal_text"] for g in data["groups"]] == ["-", "-"]
    assert data["completeness_note"].startswith("หมายเหตุ: การประเมินตนเอง และการประเมินของคณะกรรมการ")


def test_ita_annual_report_is_the_12_month_report_headed_o13(tmp_path: Path) -> None:
    """The seeds stop at 6 months, so the annual report is made from a generated year."""
    from tidtam.seeds.generate import Scale, generate

    generate(fiscal_year=2567, scale=Scale(organizations=1, work_items=60, kpis=6, budget_lines=4))
    from tidtam.orgs.models import Organization

    org = Organization.objects.filter(
        plans__fiscal_year__year=2567, code__startswith="gen-"
    ).first()
    assert org is not None
    data = report_data("ita-annual", org.code, 2567)
    assert data["round_months"] == 12 and data["ita"]["code"] == "O13"
    document = Document(str(make(tmp_path, "ita-annual", "--org", org.code, "--fy", "2567")))
    text = all_text(document)
    assert text[0] == "O13 รายงานผลการดำเนินงานประจำปี (การประเมิน ITA ปี 2567)"
    assert data["title"]["round"] in text
    assert data["summary_sentence"] in text
    totals = next(r for r in table_rows(document, 0) if r[0] == "รวมทั้งสิ้น")
    assert totals[5] == data["band_table"]["total"]["text"]
