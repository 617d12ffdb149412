"""Races on the budget pages (PostgreSQL): two planners save one line's month grid from the same
opened page, or a round's spending at the same moment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tests.concurrency.conftest import at_once, client_of
from tests.concurrency.test_races import TRIES, statuses
from tidtam.budgets.models import BudgetLine, BudgetSpending
from tidtam.budgets.services import months_version
from tidtam.orgs.models import Organization, Person, RoleAssignment
from tidtam.plans.models import OperatingPlan
from tidtam.progress.models import PercentMethod, ProgressEntry
from tidtam.progress.services import entry_percentages
from tidtam.reporting import stored_percent

pytestmark = pytest.mark.django_db(transaction=True)

D = Decimal


def _two_planners(world: Any) -> tuple[Any, Any]:
    """สมศ.'s planner, and สต.'s planner made a planner of สมศ. too."""
    RoleAssignment.objects.get_or_create(
        person=Person.objects.get(user__username="bic-planner"),
        organization=Organization.objects.get(code="onesqa"),
        role="planner",
    )
    return client_of(world, "planner"), client_of(world, "bic-planner")


def _line(number: int) -> BudgetLine:
    return BudgetLine.objects.get(
        organization__code="onesqa", fiscal_year__year=2567, number=number
    )


def _grid(planned: list[str], version: int) -> dict[str, str]:
    data = {"version": str(version)}
    for month in range(1, 13):
        data.update(
            {
                f"planned_{month}": planned[month - 1],
                f"disbursed_{month}": "",
                f"committed_{month}": "",
            }
        )
    return data


def test_two_saves_of_one_month_grid_from_one_page_keep_one_whole_plan(world: Any) -> None:
    first, second = _two_planners(world)
    line = _line(4)  # งบกองทุน สมศ., 11,165,700 baht
    url = reverse("budgets:line_months", args=[line.pk])
    for index in range(TRIES):
        # Two plans that add up to the line's and differ from every plan saved before.
        even = [str(930475 + index), str(930475 - index)] + ["930475"] * 10
        front = [str(11165700 - index - 1)] + ["0"] * 10 + [str(index + 1)]
        version = months_version(line)
        a, b = _grid(even, version), _grid(front, version)
        responses = at_once(lambda a=a: first.post(url, a), lambda b=b: second.post(url, b))
        codes = statuses(responses)
        # One save wins; the other is told someone saved first: never two plans mixed.
        assert sorted(codes) == [302, 400], (index, codes)
        loser = responses[codes.index(400)]
        assert "หลังจากที่คุณเปิดหน้านี้" in loser.content.decode()
        plan = BudgetLine.objects.get(pk=line.pk).monthly_plan()
        assert plan is not None
        assert list(plan.amounts) in ([D(v) for v in even], [D(v) for v in front]), index


def test_two_saves_of_a_rounds_spending_at_once_leave_one_whole_figure(world: Any) -> None:
    first, second = _two_planners(world)
    plan = OperatingPlan.objects.get(organization__code="onesqa", fiscal_year__year=2567)
    url = reverse("budgets:round_spending", args=[plan.pk, 6])
    line = _line(1)
    for index in range(TRIES):
        one = {"disbursed_1": f"{20_000_000 + index}", "committed_1": "1000"}
        two = {"disbursed_1": f"{30_000_000 + index}", "committed_1": "2000"}
        responses = at_once(
            lambda one=one: first.post(url, one), lambda two=two: second.post(url, two)
        )
        assert statuses(responses) == [302, 302], index
        spending = BudgetSpending.objects.get(line=line, round__months=6)
        assert (spending.disbursed_baht, spending.committed_baht) in (
            (D(one["disbursed_1"]), D("1000")),
            (D(two["disbursed_1"]), D("2000")),
        ), index
        # The budget items that follow the line store the percent of the figures that stayed.
        for entry in ProgressEntry.objects.filter(
            work_item__budget_line=line, round__months=6, percent_method=PercentMethod.BUDGET_LINE
        ).select_related("work_item__budget_line", "round"):
            assert entry.percent_annual == stored_percent(entry_percentages(entry).annual), index


def test_two_saves_of_one_work_items_months_from_one_page_keep_one_whole_plan(world: Any) -> None:
    from tidtam.plans.models import PlannedMilestone, WorkItem, WorkItemMonth
    from tidtam.plans.services import item_months_version

    first, second = _two_planners(world)
    item = (
        WorkItem.objects.filter(
            plan__organization__code="onesqa",
            plan__fiscal_year__year=2567,
            target_quantity__isnull=False,
        )
        .order_by("pk")
        .first()
    )
    assert item is not None
    WorkItem.objects.filter(pk=item.pk).update(target_quantity=D(1200))
    url = reverse("plans:work_item_months", args=[item.pk])
    for index in range(TRIES):
        # Two monthly plans of 1,200 that differ from each other and from every plan before.
        even = [str(100 + index), str(100 - index)] + ["100"] * 10
        front = [str(1200 - index - 1)] + ["0"] * 10 + [str(index + 1)]
        version = item_months_version(item)
        a = {"version": str(version)} | {f"planned_{m}": even[m - 1] for m in range(1, 13)}
        b = {"version": str(version)} | {f"planned_{m}": front[m - 1] for m in range(1, 13)}
        responses = at_once(lambda a=a: first.post(url, a), lambda b=b: second.post(url, b))
        codes = statuses(responses)
        assert sorted(codes) == [302, 400], (index, codes)
        assert "หลังจากที่คุณเปิดหน้านี้" in responses[codes.index(400)].content.decode()
        saved = [
            m.planned_quantity
            for m in WorkItemMonth.objects.filter(work_item=item).order_by("month")
        ]
        assert saved in ([D(v) for v in even], [D(v) for v in front]), index
        # The rounds' plans are the winner's months, never a mix.
        by_march = PlannedMilestone.objects.get(work_item=item, round_months=6).planned_quantity
        assert by_march == sum(saved[:6], D(0)), index
