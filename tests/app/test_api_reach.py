"""The API reads through the pages' reach: another agency's objects are not found (404, the same
answer as an object that does not exist), lists hold only what the person reads, and lists are
paged and filtered by organisation, year and round."""

from __future__ import annotations

import pytest

from tests.app.api_helpers import as_
from tidtam.agreements.models import Agreement, Indicator
from tidtam.budgets.models import BudgetLine
from tidtam.plans.models import OperatingPlan, WorkItem
from tidtam.progress.models import ProgressEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def onesqa_objects() -> dict[str, str]:
    plan = OperatingPlan.objects.get(organization__code="onesqa")
    item = WorkItem.objects.filter(plan=plan).order_by("pk").first()
    assert item is not None
    entry = ProgressEntry.objects.filter(work_item=item).first()
    assert entry is not None
    kpi = Indicator.objects.filter(organization__code="onesqa").order_by("pk").first()
    line = BudgetLine.objects.filter(organization__code="onesqa").order_by("pk").first()
    assert kpi is not None and line is not None
    return {
        "/organizations/onesqa": "หน่วยงาน",
        f"/plans/{plan.pk}": "แผน",
        f"/plans/{plan.pk}/tree": "แผน",
        f"/work-items/{item.pk}": "โครงการหรือรายการ",
        f"/entries/{entry.pk}": "ผลการดำเนินงาน",
        f"/work-items/{item.pk}/rounds/{entry.round_id}/entry": "โครงการหรือรายการ",
        f"/indicators/{kpi.pk}": "ตัวชี้วัด",
        f"/budget-lines/{line.pk}": "รายการงบประมาณ",
        f"/budget-lines/{line.pk}/months": "รายการงบประมาณ",
        "/documents/quarterly/content?org=onesqa&fy=2567&round=6": "หน่วยงาน",
    }


def test_another_agencys_objects_are_not_found_and_its_own_people_read_them() -> None:
    outsider, insider = as_("bic-planner"), as_("reporter")
    for path, what in onesqa_objects().items():
        refused = outsider.get(path)
        assert refused.status_code == 404, path
        assert refused.json() == {
            "code": "api_not_found",
            "message": f"ไม่พบ{what}ที่ขอ หรือบัญชีนี้ไม่มีสิทธิ์เห็น — ตรวจรหัสที่ส่งมา "
            "และดูรายการที่เห็นได้จากรายการของ API",
        }, path
        assert insider.get(path).status_code == 200, path


def test_another_agency_cannot_write_what_it_cannot_see() -> None:
    objects = onesqa_objects()
    entry_path = next(p for p in objects if p.endswith("/entry"))
    outsider = as_("bic-planner")
    refused = outsider.put(entry_path, {"version": 0, "result_text": "ไม่ใช่ของเรา"})
    assert refused.status_code == 404
    entry = ProgressEntry.objects.filter(work_item__plan__organization__code="onesqa").first()
    assert entry is not None
    assert outsider.post(f"/entries/{entry.pk}/review", {"action": "approve"}).status_code == 404
    line = BudgetLine.objects.filter(organization__code="onesqa").first()
    assert line is not None
    months = [{"month": m, "planned_baht": "0"} for m in range(1, 13)]
    answer = outsider.put(f"/budget-lines/{line.pk}/months", {"version": 0, "months": months})
    assert answer.status_code == 404


def test_lists_hold_only_what_the_person_reads() -> None:
    bic = as_("bic-planner")
    # สต.'s seed is its agreement and KPIs: it has no operating plan, and sees none of สมศ.'s.
    assert bic.get("/plans").json()["count"] == 0
    assert bic.get("/work-items", limit=200).json()["count"] == 0
    kpis = bic.get("/indicators", limit=200).json()
    assert {k["organization"] for k in kpis["items"]} == {"ops-bic"}
    assert kpis["count"] == Indicator.objects.filter(organization__code="ops-bic").count() > 0
    assert bic.get("/indicators", org="onesqa").json() == {
        "count": 0,
        "limit": 50,
        "offset": 0,
        "items": [],
    }
    orgs = {o["code"] for o in bic.get("/organizations", limit=200).json()["items"]}
    assert "ops-bic" in orgs and "onesqa" not in orgs
    agreements = bic.get("/agreements").json()["items"]
    assert [a["organization"] for a in agreements] == ["ops-bic"]
    assert as_("reporter").get("/agreements").json()["count"] == 0


def test_a_list_is_paged_by_limit_and_offset_in_a_stable_order() -> None:
    api = as_("planner")
    everything = api.get("/work-items", limit=200).json()
    ids = [row["id"] for row in everything["items"]]
    assert everything["count"] == len(ids) == 57
    assert ids == sorted(ids)
    second = api.get("/work-items", limit=10, offset=10).json()
    assert (second["count"], second["limit"], second["offset"]) == (57, 10, 10)
    assert [row["id"] for row in second["items"]] == ids[10:20]
    last = api.get("/work-items", limit=10, offset=50).json()
    assert [row["id"] for row in last["items"]] == ids[50:]
    # A whole list is walked by `after` (the last id of the page before): the same rows.
    walked = api.get("/work-items", limit=10, after=ids[9]).json()
    assert (walked["count"], [row["id"] for row in walked["items"]]) == (57, ids[10:20])
    too_deep = api.get("/work-items", offset=10_001)
    assert too_deep.status_code == 422
    assert too_deep.json()["details"][0]["message"] == "ต้องไม่เกิน 10000"
    too_many = api.get("/work-items", limit=201)
    assert too_many.status_code == 422
    assert too_many.json()["code"] == "api_invalid_input"
    assert too_many.json()["details"] == [
        {"field": "query.limit", "type": "less_than_equal", "message": "ต้องไม่เกิน 200"}
    ]


def test_lists_are_filtered_by_organisation_year_and_round() -> None:
    api = as_("demo-api-superuser")
    plans = api.get("/plans", fy=2567).json()["items"]
    assert {(p["organization"], p["fiscal_year"]) for p in plans} == {("onesqa", 2567)}
    entries = api.get("/entries", org="onesqa", fy=2567, round=6, limit=200).json()
    stored = ProgressEntry.objects.filter(
        work_item__plan__organization__code="onesqa",
        round__fiscal_year__year=2567,
        round__months=6,
    )
    assert entries["count"] == stored.count() > 0
    assert {(e["fiscal_year"], e["round_months"]) for e in entries["items"]} == {(2567, 6)}
    assert api.get("/entries", org="onesqa", round=9).json()["count"] == 0
    kpis = api.get("/indicators", org="ops-bic", fy=2564, limit=200).json()
    assert (
        kpis["count"]
        == Indicator.objects.filter(organization__code="ops-bic", fiscal_year__year=2564).count()
    )
    lines = api.get("/budget-lines", org="onesqa", fy=2567).json()
    assert lines["count"] == BudgetLine.objects.filter(organization__code="onesqa").count() > 0
    item = WorkItem.objects.filter(plan__organization__code="onesqa").order_by("pk").last()
    assert item is not None
    by_key = api.get("/work-items", key=item.key, fy=2567).json()["items"]
    assert [(i["id"], i["key"]) for i in by_key] == [(item.pk, item.key)]
    assert Agreement.objects.count() >= 1


@pytest.fixture(autouse=True)
def _superuser() -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("demo-api-superuser", password="x")
