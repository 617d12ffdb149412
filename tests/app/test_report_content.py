"""Typed report data (issue 10, point 4): each document is a typed structure its builder makes
once; the JSON is that structure and has a schema; the renderers follow the structure's columns
and labels instead of deciding their own."""

from __future__ import annotations

import io
import json
from copy import deepcopy
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pydantic import ValidationError

from tests.app.readback import docx_text, xlsx_text
from tidtam.reports.content import (
    MODELS,
    AgreementReport,
    ItaPlanReport,
    ItaRoundReport,
    QuarterlyReport,
    ScorecardReport,
    content_of,
)
from tidtam.reports.documents import DOCUMENTS
from tidtam.reports.render import render, to_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]

# Every document of the seed agencies, as the command and the web app make them.
CASES = [
    ("quarterly", "onesqa", 2567, 6, QuarterlyReport),
    ("ita-plan", "onesqa", 2567, None, ItaPlanReport),
    ("ita-progress", "onesqa", 2567, None, ItaRoundReport),
    ("agreement", "ops-bic", 2564, None, AgreementReport),
    ("scorecard", "ops-bic", 2564, 12, ScorecardReport),
]


@pytest.mark.parametrize(("code", "org", "year", "months", "model"), CASES)
def test_the_builder_makes_its_typed_structure_and_the_json_is_that_structure(
    code: str, org: str, year: int, months: int | None, model: type
) -> None:
    report = DOCUMENTS[code].content(org, year, months)
    assert type(report) is model
    assert MODELS[code] is model
    text = render(report, "json").decode()
    # The JSON read back is the same structure, Decimals and dates included.
    assert model.model_validate_json(text) == report
    assert content_of(json.loads(text)) == report
    # Decimals keep every digit as strings, dates are ISO.
    data = json.loads(text)
    assert data["document"] == code
    assert data["organization"]["code"] == org


@pytest.mark.parametrize("code", list(MODELS))
def test_the_command_prints_each_documents_json_schema(code: str) -> None:
    out = StringIO()
    call_command("report", code, "--schema", stdout=out)
    schema = json.loads(out.getvalue())
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert {"document", "organization", "fiscal_year", "page_title"} <= set(schema["required"])
    # Decimals are strings in the JSON, so that no digit is lost to a float.
    text = json.dumps(schema)
    assert '"format": "date"' in text


def test_a_structure_with_a_key_its_model_does_not_declare_is_refused() -> None:
    data = DOCUMENTS["scorecard"].data("ops-bic", 2564, 12)
    with pytest.raises(ValidationError, match="extra_forbidden"):
        content_of({**data, "colour": "red"})
    broken = deepcopy(data)
    del broken["groups"][0]["kpis"][0]["self"]["passed_text"]
    with pytest.raises(ValidationError, match="passed_text"):
        content_of(broken)


def test_the_builders_decide_the_layout_the_renderers_used_to() -> None:
    quarterly = DOCUMENTS["quarterly"].content("onesqa", 2567, 6)
    assert isinstance(quarterly, QuarterlyReport)
    table = quarterly.band_table
    assert [c.key for c in table.columns] == ["later_quarter", "below_50", "from_50", "from_80"]
    assert [c.heading for c in table.columns] == [
        "มีแผนดำเนินงานในไตรมาส 3-4",
        "ต่ำกว่าร้อยละ 50",
        "ร้อยละ 50-79.99",
        "ร้อยละ 80 ขึ้นไป",
    ]
    assert [k.label for k in table.kinds] == ["โครงการ", "แผนงาน", "รายการ"]
    first = table.outputs[0].activities[0]
    assert first.cell_texts == [getattr(first.cells, c.key).text for c in table.columns]
    assert quarterly.budget.total.plan_million_value == Decimal(quarterly.budget.total.plan_million)
    assert quarterly.round_words == "รอบ 6 เดือน"

    agreement = DOCUMENTS["agreement"].content("ops-bic", 2564)
    assert isinstance(agreement, AgreementReport)
    form = agreement.summary_form
    assert form.level_columns == 3
    assert len(form.level_headings) == 3
    assert all(len(k.level_texts) == 3 for g in form.groups for k in g.kpis)
    assert agreement.kpi_sheets[0].measure_kind_label
    assert agreement.scoring.scheme_label.startswith("3 ระดับ")

    plan = DOCUMENTS["ita-plan"].content("onesqa", 2567)
    assert isinstance(plan, ItaPlanReport)
    item = plan.groups[0].items[0]
    assert item.quarter_marks == ["√" if q else "" for q in item.quarters]
    assert [p.text for p in item.plan_texts] == [text for text in item.plans if text]


def test_the_renderers_print_the_labels_and_columns_the_structure_carries() -> None:
    """A label or a column order changed in the structure is what every format shows: no
    renderer maps a code or orders the bands itself."""
    data: dict[str, Any] = DOCUMENTS["agreement"].data("ops-bic", 2564)
    data["kpi_sheets"][0]["measure_kind_label"] = "ลักษณะการวัดที่ผู้สร้างกำหนด"
    data["scoring"]["scheme_label"] = "เกณฑ์ที่ผู้สร้างกำหนด"
    data["summary_form"]["level_headings"][0] = "ระดับแรกที่ผู้สร้างกำหนด"
    workbook = xlsx_text(render(data, "xlsx"))
    assert "ลักษณะการวัดที่ผู้สร้างกำหนด" in workbook
    assert "เกณฑ์ที่ผู้สร้างกำหนด" in workbook
    assert "ระดับแรกที่ผู้สร้างกำหนด" in workbook
    assert "ระดับแรกที่ผู้สร้างกำหนด" in docx_text(render(data, "docx"))
    assert "ระดับแรกที่ผู้สร้างกำหนด" in render(data, "html").decode()

    quarterly: dict[str, Any] = DOCUMENTS["quarterly"].data("onesqa", 2567, 6)
    table = quarterly["band_table"]
    table["columns"].reverse()
    for output in table["outputs"]:
        for activity in output["activities"]:
            activity["cell_texts"].reverse()
    table["total_texts"].reverse()
    html = render(quarterly, "html").decode()
    headings = [column["heading"] for column in table["columns"]]
    positions = [html.index(f"<th>{heading}</th>") for heading in headings]
    assert positions == sorted(positions), "the HTML follows the structure's column order"
    book = load_workbook(io.BytesIO(render(quarterly, "xlsx")))
    sheet = book[table["title"]]
    row = next(
        r for r in sheet.iter_rows(values_only=True) if headings[0] in [str(v) for v in r if v]
    )
    shown = [v for v in row if v in headings]
    assert shown == headings, "the workbook follows the structure's column order"


def test_the_json_is_the_old_dicts_keys_and_values_unchanged() -> None:
    """The structure's JSON keeps what the documents' JSON carried: the golden figures of the
    seeds read the same (tests/app/test_seed_000_golden.py reads the rest)."""
    data = json.loads(to_json(DOCUMENTS["quarterly"].content("onesqa", 2567, 6)))
    assert data["budget"]["total"]["percent_text"] == "22.01"
    assert data["period"] == {
        "start": "2023-10-01",
        "end": "2024-03-31",
        "text": "ตุลาคม 2566 - มีนาคม 2567",
    }
    assert isinstance(data["budget"]["total"]["plan_baht"], str)


def test_a_rounds_items_cost_the_same_queries_however_many_follow_a_budget_line(
    django_assert_num_queries: Any,
) -> None:
    """Every report reads a round through round_items: a budget item's percent needs its line's
    monthly plan, which is fetched with the rest, not once per item."""
    from tidtam.periods.models import Round
    from tidtam.plans.models import OperatingPlan
    from tidtam.progress.selectors import round_items
    from tidtam.reporting import PercentMethod

    plan = OperatingPlan.objects.get(organization__code="onesqa", fiscal_year__year=2567)
    round_ = Round.objects.get(fiscal_year__year=2567, months=6)
    with django_assert_num_queries(5):
        items = round_items(plan, round_)
    by_line = [
        p
        for p in items
        if p.entry is not None
        and p.entry.percent_method == PercentMethod.BUDGET_LINE
        and p.percentages.annual is not None
    ]
    assert len(by_line) >= 10
