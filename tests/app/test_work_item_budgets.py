"""A work item's own budget beside its line's money: a line of its own made from the item (its
monthly plan and results then entered on the line's month grid), the comparison page with its
notes (a shared line, a budget unlike the line's plan, spending past the budget), and who may
do what."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.app.conftest import signed_in
from tests.app.test_budget_months import rows
from tidtam.budgets.models import BudgetCategory, BudgetLine
from tidtam.budgets.services import budget_line_create, budget_months_save
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.orgs.models import Organization
from tidtam.periods.models import FiscalYear, Round
from tidtam.plans.models import OperatingPlan, WorkItem
from tidtam.plans.services import work_item_budget_line_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

D = Decimal
APRIL_8 = date(2024, 4, 8)


def plan() -> OperatingPlan:
    return OperatingPlan.objects.get(organization__code="onesqa", fiscal_year__year=2567)


def items(count: int) -> list[WorkItem]:
    found = list(WorkItem.objects.filter(plan=plan(), excluded=False).order_by("pk")[:count])
    assert len(found) == count
    return found


def with_budget(item: WorkItem, baht: str | None) -> WorkItem:
    WorkItem.objects.filter(pk=item.pk).update(
        budget_baht=None if baht is None else D(baht), budget_line=None
    )
    item.refresh_from_db()
    return item


def investment() -> BudgetCategory:
    return BudgetCategory.objects.get(organization=None, code="investment")


def page_text(client: Client, months: int = 6) -> str:
    response = client.get(reverse("plans:work_item_budgets", args=[plan().pk, months]))
    assert response.status_code == 200
    page = response.content.decode()
    table = page[page.index("<table") : page.index("</table>")] if "<table" in page else page
    text = re.sub(r"<[^>]+>", " ", html.unescape(table))
    return re.sub(r"\s+", " ", text)


def row_of(text: str, name: str) -> str:
    """The page's text from an item's name to the next row's number."""
    start = text.index(name)
    return text[start : start + 600]


def test_a_planner_makes_an_items_own_line_and_its_months_are_the_items_money() -> None:
    (item,) = items(1)
    with_budget(item, "1000000.00")
    planner = signed_in(Client(), "planner")
    response = planner.post(
        reverse("plans:work_item_budget_line", args=[item.pk]),
        {"category": investment().pk, "expense_type": "investment"},
    )
    item.refresh_from_db()
    line = item.budget_line
    assert line is not None
    assert response.status_code == 302
    assert response["Location"] == reverse("budgets:line_months", args=[line.pk])
    # The line is the item's: its name, plan, output and activity; money from เงินงบประมาณ.
    assert line.name == item.name[:255]
    assert line.annual_plan_baht == D("1000000.00")
    assert (line.output, line.activity) == (item.activity.output.name, item.activity.name)
    assert (line.expense_type, line.nature, line.fund_source.code) == (
        "investment",
        "investment",
        "budget",
    )
    # Its monthly plan and the months reported so far, on the line's grid (the service).
    budget_months_save(
        line=line,
        rows=rows(
            disbursed=["0", "0", "50000", "0", "0", "100000"], committed=[None] * 5 + ["50000"]
        ),
        today=APRIL_8,
    )
    text = row_of(page_text(planner), item.name[:40])
    # Budget 1,000,000; disbursed 150,000 (15.00 %); spent 200,000 (20.00 %); 800,000 left.
    assert "1,000,000.00" in text
    assert "150,000.00 15.00 200,000.00 20.00 800,000.00" in text
    assert "ข้อมูล ณ 31 มี.ค. 2567" in text or "ข้อมูล ณ 31 มีนาคม 2567" in text
    assert "ใช้จ่ายเกิน" not in text and "แผนการใช้จ่ายของรายการงบประมาณ" not in text


def test_items_sharing_a_line_are_compared_together_and_differences_are_told() -> None:
    first, second, third = items(3)
    with_budget(first, "300000.00")
    with_budget(second, "200000.00")
    with_budget(third, "100000.00")
    line = budget_line_create(
        organization=Organization.objects.get(code="onesqa"),
        fiscal_year=FiscalYear.objects.get(year=2567),
        category=investment(),
        name="งบลงทุนรวม",
        annual_plan_baht=D("600000.00"),
    )
    WorkItem.objects.filter(pk__in=[first.pk, second.pk]).update(budget_line=line)
    budget_months_save(
        line=line, rows=rows(planned=["50000"] * 12, disbursed=["0"] * 6), today=APRIL_8
    )
    # The third draws on a line of its own whose plan is below its budget, and overspends it.
    own = budget_line_create(
        organization=Organization.objects.get(code="onesqa"),
        fiscal_year=FiscalYear.objects.get(year=2567),
        category=investment(),
        name="งบของโครงการที่สาม",
        annual_plan_baht=D("120000.00"),
    )
    WorkItem.objects.filter(pk=third.pk).update(budget_line=own)
    budget_months_save(
        line=own,
        rows=rows(planned=["10000"] * 12, disbursed=["20000"] * 6),
        today=APRIL_8,
    )
    text = page_text(signed_in(Client(), "executive"))
    shared = row_of(text, first.name[:40])
    # Two items on the line: their budgets together (500,000) against the line's plan (600,000).
    assert "500,000.00" in shared
    assert "ใช้รายการงบประมาณร่วมกับโครงการอื่นอีก 1 โครงการ" in shared
    assert "น้อยกว่าแผนการใช้จ่ายของรายการงบประมาณ 100,000.00 บาท" in shared
    third_row = row_of(text, third.name[:40])
    assert "น้อยกว่าแผนการใช้จ่ายของรายการงบประมาณ 20,000.00 บาท" in third_row
    # 120,000 disbursed of a budget of 100,000: 120.00 %, 20,000 past it.
    assert "120,000.00 120.00" in third_row
    assert "ใช้จ่ายเกินงบประมาณ 20,000.00 บาท" in third_row
    assert "-20,000.00" in third_row


def test_an_item_without_a_line_says_so_and_offers_its_own_line_to_a_planner() -> None:
    (item,) = items(1)
    with_budget(item, "50000.00")
    text = row_of(page_text(signed_in(Client(), "planner")), item.name[:40])
    assert "ยังไม่ได้ใช้รายการงบประมาณ จึงยังไม่มีผลการใช้จ่าย" in text
    assert "สร้างรายการงบประมาณของโครงการนี้" in text
    assert "สร้างรายการงบประมาณของโครงการนี้" not in row_of(
        page_text(signed_in(Client(), "auditor")), item.name[:40]
    )


def test_an_item_without_a_budget_or_with_a_line_is_refused_in_thai_and_nothing_is_made() -> None:
    first, second = items(2)
    with_budget(first, None)
    before = BudgetLine.objects.count()
    planner = signed_in(Client(), "planner")
    response = planner.post(
        reverse("plans:work_item_budget_line", args=[first.pk]), {"category": investment().pk}
    )
    assert response.status_code == 400
    assert html.escape(message_for(DomainError("work_item_budget_missing", item=first.name))) in (
        response.content.decode()
    )
    with_budget(second, "1000.00")
    line = work_item_budget_line_create(work_item=second, category=investment())
    with pytest.raises(DomainError) as refused:
        work_item_budget_line_create(work_item=second, category=investment())
    assert refused.value.code == "work_item_has_line"
    assert line.name in message_for(refused.value)
    assert BudgetLine.objects.count() == before + 1


def test_only_the_agencys_planners_make_the_line_and_outsiders_see_nothing() -> None:
    (item,) = items(1)
    with_budget(item, "1000.00")
    url = reverse("plans:work_item_budget_line", args=[item.pk])
    data = {"category": investment().pk}
    assert signed_in(Client(), "reporter").post(url, data).status_code == 403
    assert signed_in(Client(), "bic-planner").post(url, data).status_code == 404
    page = reverse("plans:work_item_budgets", args=[plan().pk, 6])
    assert signed_in(Client(), "bic-planner").get(page).status_code == 404
    item.refresh_from_db()
    assert item.budget_line is None


def test_the_comparison_page_reads_a_few_queries_however_many_items(
    django_assert_max_num_queries: object,
) -> None:
    from tidtam.plans.selectors import work_item_budgets

    for item in items(12):
        with_budget(item, "1000.00")
        work_item_budget_line_create(work_item=item, category=investment())
    round_ = Round.objects.select_related("fiscal_year").get(fiscal_year__year=2567, months=6)
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        found = work_item_budgets(plan(), round_)
    assert len([row for row in found if row.line is not None]) >= 12


def test_a_round_without_figures_says_so_and_a_zero_budget_makes_no_line() -> None:
    first, second = items(2)
    with_budget(first, "1000000.00")
    line = work_item_budget_line_create(work_item=first, category=investment())
    budget_months_save(line=line, rows=rows(disbursed=["0", "0", "50000"]), today=APRIL_8)
    # December is reported: the 3-month round has figures; the 9-month one has none yet.
    assert "50,000.00 5.00" in row_of(page_text(signed_in(Client(), "planner"), 3), first.name[:40])
    later = row_of(page_text(signed_in(Client(), "planner"), 9), first.name[:40])
    assert "ยังไม่มีผลการใช้จ่ายของรอบ 9 เดือน" in later and " 0.00 " not in later
    with_budget(second, "0.00")
    with pytest.raises(DomainError) as refused:
        work_item_budget_line_create(work_item=second, category=investment())
    assert refused.value.code == "work_item_budget_missing"
    # The page of an item that has its line points to the line's months instead of a form.
    page = signed_in(Client(), "planner").get(
        reverse("plans:work_item_budget_line", args=[first.pk])
    )
    assert reverse("budgets:line_months", args=[line.pk]) in page.content.decode()
    assert 'name="category"' not in page.content.decode()
