"""Two planners of one agency start its agreement for a year at the same moment: one agreement
is made, the other planner is told in Thai that the year has one; never two, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.concurrency.conftest import at_once
from tests.concurrency.test_budget_races import _two_planners
from tests.concurrency.test_races import statuses
from tidtam.agreements.models import Agreement
from tidtam.orgs.models import Organization, Person

pytestmark = pytest.mark.django_db(transaction=True)

YEARS = range(2570, 2574)


def test_two_planners_starting_one_years_agreement_at_once_make_one(world: Any) -> None:
    first, second = _two_planners(world)
    onesqa = Organization.objects.get(code="onesqa")
    people = Person.objects.filter(organization=onesqa).order_by("pk")
    url = reverse("agreements:agreement_add")
    for year in YEARS:
        data = {
            "organization": str(onesqa.pk),
            "fiscal_year": str(year),
            "maker": str(people[0].pk),
            "maker_position": "ผู้อำนวยการ",
            "receiver": str(people[1].pk),
            "receiver_position": "ประธานกรรมการ",
            "scheme": "three_level",
        }
        a, b = data | {"title": "ฉบับ ก"}, data | {"title": "ฉบับ ข"}
        responses = at_once(lambda a=a: first.post(url, a), lambda b=b: second.post(url, b))
        codes = statuses(responses)
        assert sorted(codes) == [302, 400], (year, codes)
        assert "อยู่แล้ว" in responses[codes.index(400)].content.decode()
        made = Agreement.objects.filter(organization=onesqa, fiscal_year__year=year)
        assert made.count() == 1, year
        assert made.get().title in ("ฉบับ ก", "ฉบับ ข")
