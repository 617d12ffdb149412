"""Long lists are read a page at a time, with the Thai pager: an object's history, a plan's tree."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.app.conftest import signed_in
from tidtam.domain.progress import ItemKind
from tidtam.plans import selectors
from tidtam.plans.models import Activity, OperatingPlan, WorkItem
from tidtam.plans.selectors import TREE_PER_PAGE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def test_a_long_history_is_paged_newest_first() -> None:
    item = WorkItem.objects.filter(plan__organization__code="onesqa").order_by("pk").first()
    assert item is not None
    for n in range(60):
        item.target_text = f"เป้าหมายฉบับที่ {n:02d}"
        item.save()
    client = signed_in(Client(), "planner")
    url = reverse("web:history", kwargs={"kind": "work_item", "object_id": item.pk})
    first = client.get(url).content.decode()
    assert "หน้า 1 จาก 2" in first and "ถัดไป" in first
    assert "เป้าหมายฉบับที่ 59" in first and "เป้าหมายฉบับที่ 05" not in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "หน้า 2 จาก 2" in second and "ก่อนหน้า" in second
    assert "เป้าหมายฉบับที่ 05" in second and "เป้าหมายฉบับที่ 59" not in second


def _grow_plan(extra: int) -> tuple[Any, list[WorkItem]]:
    """The onesqa plan with `extra` more items on its first activity (numbers after the rest)."""
    plan = OperatingPlan.objects.get(organization__code="onesqa", fiscal_year__year=2567)
    activity = Activity.objects.filter(output__plan=plan).order_by("output__number", "number")[0]
    start = WorkItem.objects.filter(activity=activity).count()
    added = WorkItem.objects.bulk_create(
        WorkItem(
            plan=plan,
            activity=activity,
            number=start + n + 1,
            kind=ItemKind.PROJECT,
            name=f"โครงการทดสอบหน้า {n:03d}",
        )
        for n in range(extra)
    )
    return plan, added


def test_a_long_plan_tree_is_paged_with_every_activity_on_every_page() -> None:
    plan, added = _grow_plan(230)
    total = WorkItem.objects.filter(plan=plan).count()
    pages = -(-total // TREE_PER_PAGE)
    client = signed_in(Client(), "planner")
    url = reverse("plans:plan_detail", kwargs={"plan_id": plan.pk})
    first = client.get(url).content.decode()
    assert f"หน้า 1 จาก {pages}" in first
    assert first.count('class="border-bottom pb-1"') == TREE_PER_PAGE
    # Every page shows the plan's figures whole, and every activity: those whose items are on
    # other pages as a link to the page they start on.
    last = client.get(url, {"page": pages}).content.decode()
    assert f"หน้า {pages} จาก {pages}" in last
    for html in (first, last):
        assert f"โครงการ/แผนงาน/รายการภายใต้กิจกรรม {total} รายการ" in html
        for activity_id in Activity.objects.filter(output__plan=plan).values_list("pk", flat=True):
            assert f'id="activity-{activity_id}"' in html
    assert f'id="item-{added[-1].pk}"' not in first


def test_after_a_change_the_planner_lands_on_the_page_of_what_changed() -> None:
    plan, added = _grow_plan(230)
    item = added[-1]
    client = signed_in(Client(), "planner")
    page = selectors.tree_page(plan.pk, item=item.pk)
    assert page > 1
    response = client.post(
        reverse("plans:work_item_move", kwargs={"work_item_id": item.pk}), {"direction": "up"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?page={page}#item-{item.pk}")
    html = client.get(response["Location"]).content.decode()
    assert f'id="item-{item.pk}"' in html


def test_an_empty_list_costs_its_count_only(django_assert_num_queries: Any) -> None:
    """My work asks for several lists that are empty most of the time (returned entries, late
    unlocks): the count says so, and no second query reads the page."""
    from tidtam.paging import paginate

    with django_assert_num_queries(1):
        pager = paginate({}, WorkItem.objects.filter(name="ไม่มีชื่อนี้").order_by("pk"))
        assert list(pager) == [] and pager.count == 0 and not pager
    with django_assert_num_queries(2):
        pager = paginate({}, WorkItem.objects.order_by("pk"), per_page=3)
        assert len(list(pager)) == 3 and pager.count > 3
