"""Seed 004 (the Bureau of International Cooperation's agreement, FY2564) is complete in tidtam."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from tests.app.conftest import run_report, squash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


@pytest.fixture(scope="module")
def report(django_db_setup: None, django_db_blocker: Any, seeded: None) -> dict[str, Any]:
    with django_db_blocker.unblock():
        return run_report("agreement", "--org", "ops-bic", "--fy", "2564", "--format", "json")


def test_weights_are_60_plus_40_with_15_each_then_10_and_six_5s(report: dict[str, Any]) -> None:
    form = report["summary_form"]
    assert [(g["code"], g["weight"]) for g in form["groups"]] == [
        ("performance", "60.0000"),
        ("potential", "40.0000"),
    ]
    assert [[Decimal(k["weight"]) for k in g["kpis"]] for g in form["groups"]] == [
        [15, 15, 15, 15],
        [10, 5, 5, 5, 5, 5, 5],
    ]
    assert [Decimal(g["kpi_weight_sum"]) for g in form["groups"]] == [60, 40]
    assert form["total_weight_text"] == "100"
    assert form["weight_problems"] == []
    assert [k["weight_text"] for g in form["groups"] for k in g["kpis"]] == [
        "15", "15", "15", "15", "10", "5", "5", "5", "5", "5", "5",
    ]  # fmt: skip


def test_parties_period_and_signature_dates(report: dict[str, Any], seed_004_text: str) -> None:
    assert report["parties"]["receiver"] == {
        "name": "นายสุภัทร จำปาทอง",
        "position": "ปลัดกระทรวงศึกษาธิการ",
        "role": "ผู้รับคำรับรอง",
    }
    assert report["parties"]["maker"]["name"] == "นายสมทรง งามวงษ์"
    assert report["period"]["text"] == "เริ่มตั้งแต่วันที่ 1 ตุลาคม 2563 ถึงวันที่ 30 กันยายน 2564"
    assert squash(report["period"]["text"]) in seed_004_text
    assert [s["date_text"] for s in report["signatures"]] == [
        "วันที่ 10 เดือน กุมภาพันธ์ พ.ศ. 2564",
        "วันที่ 10 เดือน กุมภาพันธ์ พ.ศ. 2564",
    ]
    assert squash(report["signatures"][0]["date_text"]) in seed_004_text
    assert len(report["clauses"]) == 6
    assert squash(report["cover"]["title"]) in seed_004_text


def test_every_kpi_sheet_has_every_field_of_the_seed(
    report: dict[str, Any], seed_004_text: str
) -> None:
    sheets = report["kpi_sheets"]
    assert [s["number"] for s in sheets] == list(range(1, 12))
    for sheet in sheets:
        number = sheet["number"]
        assert squash(sheet["name"]) in seed_004_text, number
        assert sheet["description"], number
        assert [level["points"] for level in sheet["levels"]] == ["50.0000", "75.0000", "100.0000"]
        for level in sheet["levels"]:
            assert level["description"] and squash(level["description"]) in seed_004_text, number
        assert sheet["owners"], number
        for owner in sheet["owners"]:
            assert squash(owner["name"]) in seed_004_text
        # The seed prints one office number several ways ("02-6285646", "02 628 5646").
        phones = [re.sub(r"\D", "", o["office_phone"]) for o in sheet["owners"]]
        assert any(p.startswith("026285646") for p in phones), number
        assert sheet["baseline"] is not None, number
        # The seed gives no benefit to citizens for KPIs 7, 8 and 10.
        assert bool(sheet["benefit"]) == (number not in (7, 8, 10)), number
        assert sheet["policy_links"], number
    kpi_4 = sheets[3]
    assert kpi_4["measure_kind"] == "quantity"
    assert [level["threshold"] for level in kpi_4["levels"]] == ["6.0000", "8.0000", "10.0000"]
    # KPIs 1-3 carry a 5-year roadmap, KPIs 6-11 are PMQA sub-issues linked to their category.
    assert all(sheets[i]["roadmap"] for i in range(4))
    assert [len(sheets[i]["steps"]) for i in range(4)] == [5, 4, 6, 5]
    baseline_4 = kpi_4["baseline"]["rows"][0]["values"]
    assert baseline_4 == {"2559": "10", "2560": "10", "2561": "12", "2562": "15", "2563": "8"}
    pmqa = {
        s["number"]: [p["code"] for p in s["policy_links"] if "PMQA" in p["framework"]]
        for s in sheets
    }
    assert pmqa[6] and "1.1" in pmqa[6] and "4.4" in pmqa[11]


def test_summary_form_levels_are_the_three_targets(report: dict[str, Any]) -> None:
    kpi_4 = report["summary_form"]["groups"][0]["kpis"][3]
    assert [level["heading"] for level in kpi_4["levels"]] == [
        "ขั้นต้น (50 คะแนน)",
        "มาตรฐาน (75 คะแนน)",
        "ขั้นสูง (100 คะแนน)",
    ]
    assert kpi_4["previous_result"] == "-"
    assert report["summary_form"]["previous_year_heading"] == "ผลการดำเนินงาน ปี 63"


def test_linkage_table_cites_master_plans_11_12_20(report: dict[str, Any]) -> None:
    cells = " ".join(" ".join(row["cells"]) for row in report["linkage_table"]["rows"])
    for text in ("แผนแม่บท 11.", "แผนแม่บท 12.", "แผนแม่บท 20.", "PMQA 4.0"):
        assert text in cells
