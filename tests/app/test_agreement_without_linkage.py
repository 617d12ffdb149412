"""An agreement made in tidtam rather than copied from the seed has no linkage table: every
format renders it, leaving the linkage section out, and the seed's table is still there."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.app.readback import docx_text
from tidtam.agreements.models import Agreement
from tidtam.reports.agreement import LINKAGE_TITLE, agreement_report, linkage_table
from tidtam.reports.render import render

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

SHEET = "ความเชื่อมโยง"


def _formats(data: dict) -> tuple[str, list[str], str]:  # type: ignore[type-arg]
    docx = docx_text(render(data, "docx"))
    sheets = load_workbook(io.BytesIO(render(data, "xlsx"))).sheetnames
    html = render(data, "html").decode()
    return docx, sheets, html


def test_an_agreement_without_a_linkage_table_renders_in_every_format() -> None:
    agreement = Agreement.objects.get(organization__code="ops-bic", fiscal_year__year=2564)
    seed_table = agreement.linkage_table
    title = seed_table["title"]
    docx, sheets, html = _formats(agreement_report("ops-bic", 2564).model_dump())
    assert title in docx and SHEET in sheets and title in html

    for empty in ({}, {"title": "ตาราง"}, {"columns": ["ก", "ข"], "rows": []}):
        agreement.linkage_table = empty
        agreement.save()
        data = agreement_report("ops-bic", 2564).model_dump()
        assert data["linkage_table"]["rows"] == []
        docx, sheets, html = _formats(data)
        assert title not in docx and "ตาราง\n" not in docx and SHEET not in sheets
        assert "linkage-table" not in html
        # The rest of the agreement is all there.
        summary = data["summary_form"]["title"]
        assert summary in docx and summary in html and "แบบฟอร์มสรุป" in sheets


def test_the_linkage_table_is_always_the_same_shape() -> None:
    assert linkage_table(None) == {"title": LINKAGE_TITLE, "columns": [], "rows": []}
    assert linkage_table({"rows": [{"label": "ก", "cells": [1, "ข"]}, "bad"]}) == {
        "title": LINKAGE_TITLE,
        "columns": [],
        "rows": [{"label": "ก", "cells": ["1", "ข"]}],
    }
