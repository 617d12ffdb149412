"""A plan's budget lines through the web pages: read, added and edited by สมศ.'s planner only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.app.conftest import signed_in
from tidtam.budgets.models import BudgetAllocation, BudgetCategory, BudgetLine, FundSource
from tidtam.periods.models import Round
from tidtam.plans.models import OperatingPlan
from tidtam.progress.models import PercentMethod, ProgressEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def onesqa_plan() -> OperatingPlan:
    return OperatingPlan.objects.get(organization__code="onesqa", fiscal_year__year=2567)


def line(number: int) -> BudgetLine:
    return BudgetLine.objects.get(
        organization__code="onesqa", fiscal_year__year=2567, number=number
    )


def as_user(username: str) -> Client:
    client: Client = signed_in(Client(), username)
    return client


def test_the_planner_sees_the_four_lines_of_seed_000_and_their_total() -> None:
    response = as_user("planner").get(
        reverse("budgets:line_list", kwargs={"plan_id": onesqa_plan().pk})
    )
    assert response.status_code == 200
    page = response.content.decode()
    for name in (
        "งบตามแผนยุทธศาสตร์",
        "งบสนับสนุนการดำเนินงาน",
        "งบประมาณแผนงานบุคลากรภาครัฐ",
        "งบกองทุน สมศ.",
    ):
        assert name in page
    assert "231,332,300.00" in page
    assert response.context["total"] == Decimal("364857600.00")
    assert "364.8576" in page  # million baht, as seed 000 prints it


def test_the_planner_adds_a_line_typed_with_commas() -> None:
    client = as_user("planner")
    plan = onesqa_plan()
    investment = BudgetCategory.objects.get(organization=None, code="investment")
    response = client.post(
        reverse("budgets:line_add", kwargs={"plan_id": plan.pk}),
        {"category": investment.pk, "name": "ครุภัณฑ์คอมพิวเตอร์", "annual_plan_baht": "1,500,000.50"},
    )
    assert response.status_code == 302
    added = line(5)
    assert (added.name, added.category_id, added.annual_plan_baht) == (
        "ครุภัณฑ์คอมพิวเตอร์",
        investment.pk,
        Decimal("1500000.50"),
    )
    assert added.history.count() == 1


def test_editing_the_annual_plan_recomputes_the_budget_items_that_follow_the_line() -> None:
    support = line(2)  # 25,035,700 of 53,665,000 paid by the 6-month round
    round_6 = Round.objects.get(fiscal_year__year=2567, months=6)
    entries = ProgressEntry.objects.filter(
        work_item__budget_line=support, round=round_6, percent_method=PercentMethod.BUDGET_LINE
    )
    assert entries.count() == 9
    assert {e.percent_annual for e in entries} == {Decimal("46.6518")}

    response = as_user("planner").post(
        reverse("budgets:line_edit", kwargs={"line_id": support.pk}),
        {"category": support.category_id, "name": support.name, "annual_plan_baht": "50,071,400"},
    )
    assert response.status_code == 302
    support.refresh_from_db()
    assert support.annual_plan_baht == Decimal("50071400.00")
    # Half the year's plan is the 6-month plan: 50 % of the year is 100 % of the round.
    assert {(e.percent_round, e.percent_annual) for e in entries.all()} == {
        (Decimal("100.0000"), Decimal("50.0000"))
    }


def test_a_wrong_amount_is_reshown_with_a_thai_error_and_nothing_changes() -> None:
    client = as_user("planner")
    support = line(2)
    url = reverse("budgets:line_edit", kwargs={"line_id": support.pk})
    response = client.post(
        url, {"category": support.category_id, "name": "ชื่อที่พิมพ์ไว้", "annual_plan_baht": "-1"}
    )
    assert response.status_code == 400
    assert "ติดลบไม่ได้" in response.context["form"].errors["annual_plan_baht"][0]
    assert "ชื่อที่พิมพ์ไว้" in response.content.decode()
    response = client.post(
        url, {"category": support.category_id, "name": support.name, "annual_plan_baht": "1.234"}
    )
    assert "ทศนิยมได้ไม่เกิน 2 ตำแหน่ง" in response.context["form"].errors["annual_plan_baht"][0]
    support.refresh_from_db()
    assert support.annual_plan_baht == Decimal("53665000.00")


def test_the_auditor_reads_the_lines_and_is_refused_changes() -> None:
    client = as_user("auditor")
    support = line(2)
    assert (
        client.get(reverse("budgets:line_edit", kwargs={"line_id": support.pk})).status_code == 200
    )
    response = client.post(
        reverse("budgets:line_edit", kwargs={"line_id": support.pk}),
        {"category": support.category_id, "name": "x", "annual_plan_baht": "1"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("budgets:line_add", kwargs={"plan_id": onesqa_plan().pk}),
        {"category": support.category_id, "name": "x", "annual_plan_baht": "1"},
    )
    assert response.status_code == 403
    assert BudgetLine.objects.filter(organization__code="onesqa").count() == 4


@pytest.mark.parametrize("username", ["bic-planner", "moe-planner"])
def test_people_outside_the_plans_reach_get_404(username: str) -> None:
    """Another agency (สต., and the ministry above it) does not read สมศ.'s budget. (สนย.'s
    reporter does: any role in the agency reads it, tidtam/orgs/policy.py.)"""
    client = as_user(username)
    plan = onesqa_plan()
    support = line(2)
    for url in (
        reverse("budgets:line_list", kwargs={"plan_id": plan.pk}),
        reverse("budgets:line_add", kwargs={"plan_id": plan.pk}),
        reverse("budgets:line_edit", kwargs={"line_id": support.pk}),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "x"}).status_code == 404, url


def test_a_line_carries_its_place_in_the_budget_structure_its_source_and_a_code_once() -> None:
    client = as_user("planner")
    plan = onesqa_plan()
    investment = BudgetCategory.objects.get(organization=None, code="investment")
    revenue = FundSource.standard("revenue")
    form = {
        "category": investment.pk,
        "name": "ครุภัณฑ์คอมพิวเตอร์",
        "annual_plan_baht": "1,500,000",
        "fund_source": revenue.pk,
        "code": "2000800001110001",
        "programme": "แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์",
        "output": "ผลผลิตที่ 1 การประเมินคุณภาพภายนอก",
        "activity": "ประเมินคุณภาพภายนอกสถานศึกษา",
        "expense_type": "investment",
        "expense_item": "ค่าครุภัณฑ์",
        "nature": "",
        "carried_over": "on",
    }
    response = client.post(reverse("budgets:line_add", kwargs={"plan_id": plan.pk}), form)
    assert response.status_code == 302
    made = BudgetLine.objects.get(organization__code="onesqa", code="2000800001110001")
    assert made.fund_source == revenue
    assert (made.expense_type, made.nature, made.carried_over) == ("investment", "investment", True)
    assert made.output == "ผลผลิตที่ 1 การประเมินคุณภาพภายนอก"
    again = client.post(reverse("budgets:line_add", kwargs={"plan_id": plan.pk}), form)
    assert again.status_code == 400
    assert "ซ้ำกับรายการ" in again.context["form"].errors["code"][0]
    assert BudgetLine.objects.filter(code="2000800001110001").count() == 1
    edit = client.get(reverse("budgets:line_edit", kwargs={"line_id": made.pk}))
    assert edit.context["form"].initial["code"] == "2000800001110001"


def test_the_planner_records_the_allotment_and_the_lines_total_is_compared_with_it() -> None:
    client = as_user("planner")
    plan = onesqa_plan()
    budget_money = FundSource.standard()
    url = reverse("budgets:allocations", kwargs={"plan_id": plan.pk})
    assert client.get(url).status_code == 200
    bad = client.post(url, {f"amount_{budget_money.pk}": "-5"})
    assert bad.status_code == 400
    assert not BudgetAllocation.objects.filter(organization__code="onesqa").exists()
    response = client.post(url, {f"amount_{budget_money.pk}": "๓๖๔,๘๕๗,๖๐๐.๐๑"})
    assert response.status_code == 302
    saved = BudgetAllocation.objects.get(organization__code="onesqa", fiscal_year__year=2567)
    assert (saved.fund_source, saved.amount_baht) == (budget_money, Decimal("364857600.01"))
    listing = client.get(reverse("budgets:line_list", kwargs={"plan_id": plan.pk}))
    page = listing.content.decode()
    assert "งบที่ได้รับจัดสรร 364,857,600.01 บาท" in page
    assert "น้อยกว่างบที่ได้รับจัดสรร 0.01 บาท" in page
    # The quarterly report says so too, as seed 000 itself could not.
    from tests.app.conftest import report_data

    note = report_data("quarterly", "onesqa", 2567, 6)["budget"]["allocation"]["note"]
    assert "น้อยกว่างบประมาณที่ได้รับจัดสรร" in note and "0.01 บาท" in note
    assert as_user("reporter").post(url, {f"amount_{budget_money.pk}": "1"}).status_code == 403
    # Left blank: nothing received from that source any more.
    assert client.post(url, {f"amount_{budget_money.pk}": ""}).status_code == 302
    assert not BudgetAllocation.objects.filter(organization__code="onesqa").exists()
