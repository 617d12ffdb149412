"""KPI results, agreements and their scorecards, budget months and documents through the API:
the same services as the pages, and each document's content as its own typed schema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.test import override_settings

from tests.app.api_helpers import as_
from tests.app.conftest import open_round_for
from tidtam.agreements.models import Agreement, Indicator, IndicatorResult
from tidtam.budgets.models import BudgetLine, BudgetMonth, BudgetSpending
from tidtam.periods.models import Round
from tidtam.reports import services
from tidtam.reports.content import QuarterlyReport, ScorecardReport
from tidtam.reports.documents import DOCUMENTS
from tidtam.reports.models import RenderJob
from tidtam.reports.scorecard import scorecard_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


@pytest.fixture(autouse=True)
def open_round() -> Iterator[Round]:
    round_ = open_round_for(2567, 6)
    with override_settings(DEMO_TODAY="2024-04-08"):
        yield round_


def test_a_kpi_result_is_saved_measured_and_refused_when_stale(open_round: Round) -> None:
    kpi = Indicator.objects.get(organization__code="onesqa", fiscal_year__year=2567, number=2)
    path = f"/indicators/{kpi.pk}/rounds/{open_round.pk}/result"
    planner = as_("planner")
    before = planner.get(path).json()
    # The seed's result of the round (1,345), not yet changed by anyone.
    assert (before["version"], before["value"], before["status"]) == (0, "1345.0000", "draft")

    saved = planner.put(path, {"version": 0, "value": "1500", "narrative": "อบรมแล้ว 1,500 คน"})
    assert saved.status_code == 200
    result = IndicatorResult.objects.get(indicator=kpi, round=open_round, unit=None)
    assert (result.value, result.narrative, result.version) == (
        Decimal("1500"),
        "อบรมแล้ว 1,500 คน",
        1,
    )
    # 1,500 of the target 2,254, as the result page measures it.
    assert Decimal(saved.json()["percent"]) == result.percent == Decimal("66.5483")
    assert saved.json()["indicator_key"] == kpi.key

    stale = planner.put(path, {"version": 0, "value": "1600", "narrative": "อบรมแล้ว 1,500 คน"})
    assert (stale.status_code, stale.json()["code"]) == (409, "entry_conflict")
    assert [d["field"] for d in stale.json()["details"]] == ["value"]
    result.refresh_from_db()
    assert result.value == Decimal("1500")

    submitted = planner.post(f"/results/{result.pk}/review", {"action": "submit", "version": 1})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    listed = planner.get("/results", org="onesqa", fy=2567, round=6, indicator=kpi.pk).json()
    assert [(r["id"], r["status"]) for r in listed["items"]] == [(result.pk, "submitted")]


def test_an_agreement_and_its_scorecard_are_the_documents_own_content() -> None:
    agreement = Agreement.objects.get(organization__code="ops-bic")
    bic = as_("bic-planner")
    detail = bic.get(f"/agreements/{agreement.pk}").json()
    assert (detail["organization"], detail["fiscal_year"]) == ("ops-bic", 2564)
    weights = [Decimal(g["weight"]) for g in detail["groups"]]
    assert sum(weights) == Decimal(100)
    kpis = [k for g in detail["groups"] for k in g["kpis"]]
    assert len(kpis) == Indicator.objects.filter(agreement_kpi__group__agreement=agreement).count()

    answer = bic.get(f"/agreements/{agreement.pk}/scorecard", round=12)
    assert answer.status_code == 200
    card = ScorecardReport.model_validate(answer.json())
    assert card == scorecard_report("ops-bic", 2564, 12)
    assert card.document == "scorecard"

    wrong_round = bic.get(f"/agreements/{agreement.pk}/scorecard", round=4)
    assert (wrong_round.status_code, wrong_round.json()["code"]) == (422, "invalid_round")
    assert as_("planner").get(f"/agreements/{agreement.pk}/scorecard").status_code == 404


def test_a_documents_content_is_its_typed_json_for_those_who_read_its_organisation() -> None:
    answer = as_("reporter").get("/documents/quarterly/content", org="onesqa", fy=2567, round=6)
    assert answer.status_code == 200
    content = QuarterlyReport.model_validate(answer.json())
    assert content == DOCUMENTS["quarterly"].content("onesqa", 2567, 6)
    schema = as_("reporter").client.get("/api/v1/openapi.json").json()
    ok = schema["paths"]["/api/v1/documents/quarterly/content"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/QuarterlyReport"
    }
    refused = as_("bic-planner").get("/documents/quarterly/content", org="onesqa", fy=2567)
    assert refused.status_code == 404


def test_a_document_with_the_units_below_is_asked_for_by_the_same_endpoints() -> None:
    planner = as_("planner")
    whole = planner.get(
        "/documents/quarterly/content", org="onesqa", fy=2567, round=6, subtree="true"
    )
    assert whole.status_code == 200
    content = QuarterlyReport.model_validate(whole.json())
    assert content == DOCUMENTS["quarterly"].content("onesqa", 2567, 6, subtree=True)
    assert content.units == ["สมศ."]  # its divisions report in its plan: no plan of their own
    assert content.organization.name.endswith("และหน่วยงานในสังกัด")
    # The scorecard with its units is the organisation's agreement and each unit's.
    card = as_("bic-planner").get(
        "/documents/scorecard/content", org="ops-bic", fy=2564, subtree="true"
    )
    assert card.status_code == 200, card.json()
    assert (card.json()["own"], card.json()["units"]) == (True, [])
    # The agreement is the organisation's own, made one organisation at a time.
    agreement = as_("bic-planner").get(
        "/documents/agreement/content", org="ops-bic", fy=2564, subtree="true"
    )
    assert (agreement.status_code, agreement.json()["code"]) == (422, "subtree_unsupported")
    asked = planner.post(
        "/document-jobs",
        {"document": "ita-plan", "org": "onesqa", "fy": 2567, "format": "json", "subtree": True},
    )
    assert asked.status_code == 202 and asked.json()["subtree"] is True
    assert services.render_job_run(asked.json()["id"]) == "done"
    refused = planner.post(
        "/document-jobs",
        {"document": "agreement", "org": "onesqa", "fy": 2567, "format": "json", "subtree": True},
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "subtree_unsupported")


def test_a_render_job_is_asked_for_followed_and_its_file_downloaded() -> None:
    bic = as_("bic-planner")
    asked = bic.post(
        "/document-jobs", {"document": "agreement", "org": "ops-bic", "fy": 2564, "format": "json"}
    )
    assert asked.status_code == 202
    job = asked.json()
    assert (job["status"], job["status_label"], job["download_url"]) == ("queued", "รอคิว", None)
    early = bic.get(f"/document-jobs/{job['id']}/file")
    assert (early.status_code, early.json()["code"]) == (409, "document_not_ready")

    assert services.render_job_run(job["id"]) == "done"
    done = bic.get(f"/document-jobs/{job['id']}").json()
    assert (done["status"], done["progress"]) == ("done", 100)
    assert done["download_url"] == f"/api/v1/document-jobs/{job['id']}/file"
    file = bic.client.get(done["download_url"], **bic.headers)
    assert file.status_code == 200
    assert 'filename="agreement-ops-bic-2564.json"' in file["Content-Disposition"]
    data = json.loads(b"".join(file.streaming_content))
    assert (data["document"], data["organization"]["code"]) == ("agreement", "ops-bic")

    assert as_("planner").get(f"/document-jobs/{job['id']}").status_code == 404
    # Another organisation's document is not found, as its content is (it was a 422 saying
    # the code was unknown, with that very code as the example of a right one).
    outside = bic.post(
        "/document-jobs", {"document": "agreement", "org": "onesqa", "fy": 2564, "format": "json"}
    )
    assert (outside.status_code, outside.json()["code"]) == (404, "api_not_found")
    assert RenderJob.objects.count() == 1


def months_body(version: int, first_disbursed: str | None) -> dict[str, object]:
    """The whole year planned in October; October to December reported (the first quarter)."""
    months: list[dict[str, object]] = [
        {"month": m, "planned_baht": "231332300.00" if m == 1 else "0"} for m in range(1, 13)
    ]
    if first_disbursed is not None:
        for month, paid in ((0, first_disbursed), (1, "500000"), (2, "0")):
            months[month]["disbursed_baht"] = paid
    return {"version": version, "months": months}


def test_budget_months_are_saved_by_the_lines_planner_and_a_stale_grid_is_refused() -> None:
    line = BudgetLine.objects.get(organization__code="onesqa", number=1)
    path = f"/budget-lines/{line.pk}/months"
    planner = as_("planner")
    grid = planner.get(path).json()
    assert [m["planned_baht"] for m in grid["months"]] == ["0"] * 12
    assert grid["line"]["key"] == line.key

    refused = as_("reporter").put(path, months_body(grid["version"], "1000000"))
    assert (refused.status_code, refused.json()["code"]) == (403, "api_forbidden")

    saved = planner.put(path, months_body(grid["version"], "1000000"))
    assert saved.status_code == 200, saved.json()
    stored = BudgetMonth.objects.get(line=line, month=1)
    assert (stored.planned_baht, stored.disbursed_baht) == (
        Decimal("231332300"),
        Decimal("1000000"),
    )
    assert saved.json()["months"][0]["disbursed_baht"] == "1000000.00"
    assert saved.json()["version"] != grid["version"]
    # The first round's figure is written from the months, as the month page does.
    first_round = BudgetSpending.objects.get(
        line=line, round__months=3, round__fiscal_year__year=2567
    )
    assert first_round.disbursed_baht == Decimal("1500000")

    stale = planner.put(path, months_body(grid["version"], "2000000"))
    assert (stale.status_code, stale.json()["code"]) == (409, "budget_months_changed")
    assert "แท็บใหม่" not in stale.json()["message"]  # the page's advice, not the API's
    assert stale.json()["message"].endswith("ส่งอีกครั้งพร้อม version ล่าสุดถ้ายังต้องการ")
    # A version the grid never had names no one (it said "changed by another user at -").
    unknown = planner.put(path, months_body(saved.json()["version"] + 1000, "2000000"))
    assert (unknown.status_code, unknown.json()["code"]) == (409, "version_unknown")
    assert unknown.json()["message"].startswith(
        f"รุ่นของข้อมูลที่ส่งมา ({saved.json()['version'] + 1000}) ไม่ใช่รุ่นที่ข้อมูลนี้เคยมี"
    )
    off_total = planner.put(
        path,
        {
            **months_body(saved.json()["version"], None),
            "months": [{"month": m, "planned_baht": "1"} for m in range(1, 13)],
        },
    )
    assert (off_total.status_code, off_total.json()["code"]) == (422, "monthly_plan_total")
