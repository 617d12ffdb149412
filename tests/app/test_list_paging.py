"""Long lists are read a page at a time, with the Thai pager: an object's history."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.app.conftest import signed_in
from tidtam.plans.models import WorkItem

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
