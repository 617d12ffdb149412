"""Deadline-day speed of "my work": the page makes the same number of queries for N and 3N
items, shows the person's own queue only, and pages in the database in Thai order."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.app.conftest import open_round_for, signed_in
from tidtam.agreements.models import Indicator
from tidtam.domain.thai import thai_sort_key
from tidtam.orgs.models import Organization
from tidtam.plans.models import Activity, OperatingPlan, WorkItem, WorkItemResponsibility

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def _org(code: str) -> Organization:
    return Organization.objects.get(code=code)


# First words in an order that code points get wrong (leading vowels, tone marks).
WORDS = ("ไก่", "กา", "ขา", "เข้า", "โค", "งู", "จาน", "ฉิ่ง", "ใบ", "แมว", "ม้า", "ยา", "ลิง")


def assign_items(
    count: int, *, unit: str = "onesqa-sny", start: int = 0, words: tuple[str, ...] = WORDS
) -> list[WorkItem]:
    """`count` projects of สมศ.'s 2567 plan, under one new activity, for the unit to report."""
    plan = OperatingPlan.objects.get(organization__code="onesqa", fiscal_year__year=2567)
    activity = Activity.objects.filter(output__plan=plan).order_by("pk").first()
    assert activity is not None
    top = WorkItem.objects.filter(activity=activity).order_by("-number").first()
    first = (top.number if top else 0) + 1
    items = WorkItem.objects.bulk_create(
        WorkItem(
            plan=plan,
            activity=activity,
            number=first + i,
            kind=WorkItem.Kind.PROJECT,
            name=f"{words[(start + i) % len(words)]}ทดสอบหน้า {start + i:04d}",
        )
        for i in range(count)
    )
    WorkItemResponsibility.objects.bulk_create(
        WorkItemResponsibility(work_item=item, organization=_org(unit)) for item in items
    )
    return items


def work_page(client: Client, query: str = "") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("progress:my_work") + query)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def report_rows(page: str) -> list[str]:
    """The names in the "to report" table, in the order the page shows them."""
    table = page[page.index('id="report-heading"') :]
    return [
        unescape(name)
        for name in re.findall(r'<td data-label="รายการ"><a href="[^"]*">([^<]*)</a>', table)
    ]


@pytest.fixture
def round_open() -> Any:
    round_ = open_round_for(2567, 6)
    with override_settings(DEMO_TODAY="2024-04-08"):
        yield round_


def test_my_work_makes_the_same_number_of_queries_for_n_and_3n_items(round_open: Any) -> None:
    reporter = signed_in(Client(), "reporter")
    # Named to sort after the seed's rows, so both pages show the same first rows: any query
    # that grows with the items would show in the count.
    assign_items(40, words=("ฮ",))
    work_page(reporter)  # the first request of a session refreshes it (a write): not counted
    _, small = work_page(reporter)
    assign_items(80, start=40, words=("ฮ",))
    page, large = work_page(reporter)
    assert large == small
    assert "หน้า 1 จาก 3" in page


def test_page_two_of_my_work_shows_the_next_rows_in_thai_order(round_open: Any) -> None:
    reporter = signed_in(Client(), "reporter")
    assign_items(120)
    first, _ = work_page(reporter)
    second, _ = work_page(reporter, "?page=2")
    assert "หน้า 2 จาก 3" in second and "ก่อนหน้า" in second and "ถัดไป" in second
    one, two = report_rows(first), report_rows(second)
    assert len(one) == len(two) == 50
    # The test's rows in Thai dictionary order across the pages (leading vowels and tone marks
    # do not lead). The seed's own names mix Latin words and spaces, where PostgreSQL's ICU
    # and the core's key may differ: they are left out of the comparison.
    ours = [name for name in one + two if "ทดสอบหน้า" in name]
    assert len(ours) > 50
    assert ours == sorted(ours, key=thai_sort_key)
    assert ours[0].startswith("กา")
    assert not set(one) & set(two)
    # The counts cover every page, not just the one shown.
    # The unit's plan items, and the KPIs of the strategic-plan projects it is responsible
    # for (each reported once, through its KPI).
    unit = "onesqa-sny"
    items = WorkItem.objects.filter(responsibilities__organization__code=unit).count()
    kpis = Indicator.objects.filter(responsibilities__organization__code=unit).count()
    assert kpis > 0
    assert f"รายการที่ต้องรายงานรอบนี้ ({items + kpis})" in first
    # A page past the end shows the last page, not an error.
    last, _ = work_page(reporter, "?page=99")
    assert "หน้า 3 จาก 3" in last


def test_a_ministry_planner_sees_their_own_queue_not_every_item_in_reach(round_open: Any) -> None:
    assign_items(60, unit="onesqa-sny")
    planner = signed_in(Client(), "planner")
    page, queries = work_page(planner)
    # The planner of สมศ. plans these items but is not their reporter: none is in their queue.
    assert "ทดสอบหน้า" not in page
    assert queries <= 30


def test_a_superuser_gets_an_empty_queue_without_reading_items(round_open: Any) -> None:
    from django.contrib.auth import get_user_model

    assign_items(60)
    admin = get_user_model().objects.create_superuser("root-perf", "root@x.invalid", "pw-12345678")
    client = Client()
    client.force_login(admin)
    page, queries = work_page(client)
    assert "ทดสอบหน้า" not in page
    assert queries <= 12
