"""A five-level agreement (1–5) prints all five levels in Word, as HTML and Excel do; a
three-level one keeps its three columns."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from docx import Document

from tidtam.agreements.models import Agreement, ScoringLevel
from tidtam.reports.agreement import agreement_report
from tidtam.reports.render import render

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def _summary_table(data: bytes) -> list[list[str]]:
    """The Word summary form: the table whose first heading is ตัวชี้วัด and that has a
    เกณฑ์การให้คะแนน heading."""
    document = Document(io.BytesIO(data))
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == "ตัวชี้วัด" and "เกณฑ์การให้คะแนน" in rows[0]:
            return rows
    raise AssertionError("no summary form in the document")


def test_five_levels_print_five_level_columns_in_word() -> None:
    agreement = Agreement.objects.get(organization__code="ops-bic", fiscal_year__year=2564)
    three = _summary_table(render(agreement_report("ops-bic", 2564).model_dump(), "docx"))
    assert len(three[1]) == 6  # ตัวชี้วัด, น้ำหนัก, ผลปีก่อน, three levels

    agreement.scheme = Agreement.Scheme.FIVE_LEVEL
    agreement.save()
    for kpi in agreement.groups.first().kpis.all():  # type: ignore[union-attr]
        for rank in (4, 5):
            ScoringLevel.objects.create(
                kpi=kpi,
                rank=rank,
                name=f"ระดับ {rank}",
                points=Decimal(rank * 25),
                description=f"เกณฑ์ระดับที่ {rank} ของตัวชี้วัดที่ {kpi.number}",
            )
    data = agreement_report("ops-bic", 2564).model_dump()
    html = render(data, "html").decode()
    rows = _summary_table(render(data, "docx"))
    assert len(rows[1]) == 8  # five level columns
    text = "\n".join("\t".join(row) for row in rows)
    for group in data["summary_form"]["groups"]:
        for kpi in group["kpis"]:
            for level in kpi["levels"]:
                assert level["description"] in text
                assert level["description"] in html
    assert "ระดับ 5 (125 คะแนน)" in text
