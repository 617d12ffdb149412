"""Races on the strategic-plan projects page (PostgreSQL): two planners of สมศ. add projects at
the same moment, or save one project from the same opened page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from tests.concurrency.conftest import at_once, client_of
from tests.concurrency.test_races import TRIES, statuses
from tidtam.agreements.models import Indicator
from tidtam.orgs.models import Organization, Person, RoleAssignment
from tidtam.plans.models import OperatingPlan

pytestmark = pytest.mark.django_db(transaction=True)


def _plan() -> OperatingPlan:
    return OperatingPlan.objects.select_related("strategic_framework").get(
        organization__code="onesqa", fiscal_year__year=2567
    )


def _form(plan: OperatingPlan, name: str, *units: str, **changes: str) -> dict[str, Any]:
    assert plan.strategic_framework is not None
    strategy = plan.strategic_framework.nodes.order_by("order").first()
    assert strategy is not None
    return {
        "project_name": name,
        "strategy": str(strategy.pk),
        "units": [str(Organization.objects.get(code=code).pk) for code in units],
        "name": f"ตัวชี้วัดของ{name}",
        "measure_kind": "quantity",
        "direction": "higher",
        "unit": "ครั้ง",
        "target_value": "10",
        "target_text": "10 ครั้ง",
        "base_year": "",
        "base_value": "",
        **changes,
    }


def _two_planners(world: Any) -> tuple[Any, Any]:
    """สมศ.'s planner, and สต.'s planner made a planner of สมศ. too."""
    RoleAssignment.objects.get_or_create(
        person=Person.objects.get(user__username="bic-planner"),
        organization=Organization.objects.get(code="onesqa"),
        role="planner",
    )
    return client_of(world, "planner"), client_of(world, "bic-planner")


def _units(project: Indicator) -> list[str]:
    return [r.organization.code for r in project.responsibilities.order_by("order")]


def test_two_planners_adding_projects_at_once_get_two_numbers(world: Any) -> None:
    plan = _plan()
    first, second = _two_planners(world)
    url = reverse("agreements:strategic_projects", args=[plan.pk])
    for index in range(TRIES):
        names = (f"โครงการของคนที่หนึ่ง {index}", f"โครงการของคนที่สอง {index}")
        one = _form(plan, names[0], "onesqa-sny")
        two = _form(plan, names[1], "onesqa-phny", "onesqa-sny")
        responses = at_once(
            lambda data=one: first.post(url, data), lambda data=two: second.post(url, data)
        )
        assert statuses(responses) == [302, 302], index
        added = {p.project_name: p for p in Indicator.objects.filter(project_name__in=names)}
        assert len(added) == 2
        assert added[names[0]].number != added[names[1]].number, index
        assert _units(added[names[0]]) == ["onesqa-sny"]
        assert _units(added[names[1]]) == ["onesqa-phny", "onesqa-sny"]
    numbers = list(
        Indicator.objects.filter(organization__code="onesqa", fiscal_year__year=2567)
        .exclude(project_name="")
        .values_list("number", flat=True)
    )
    assert sorted(numbers) == list(range(1, 20 + 2 * TRIES))


def test_two_planners_saving_one_project_at_once_keep_one_whole_project(world: Any) -> None:
    plan = _plan()
    project = Indicator.objects.filter(organization__code="onesqa").exclude(project_name="").first()
    assert project is not None
    first, second = _two_planners(world)
    url = reverse("agreements:strategic_project_edit", args=[project.pk])
    for index in range(TRIES):
        forms = []
        for who, client, units in (
            ("ก", first, ("onesqa-sny",)),
            ("ข", second, ("onesqa-phny", "onesqa-sny")),
        ):
            page = client.get(url).content.decode()
            version = re.search(r'name="version" value="(\d+)"', page)
            assert version, page[:2000]
            data = _form(plan, f"โครงการฉบับ{who} {index}", *units, version=version[1])
            forms.append(data)
        responses = at_once(
            lambda data=forms[0]: first.post(url, data),
            lambda data=forms[1]: second.post(url, data),
        )
        codes = statuses(responses)
        assert 500 not in codes, codes
        assert codes.count(302) == 1, (index, codes)
        refused = next(r for r in responses if r.status_code != 302).content.decode()
        assert "หลังจากที่คุณเปิด" in refused or "ในช่วงเวลาเดียวกัน" in refused
        project.refresh_from_db()
        who = "ก" if project.project_name == f"โครงการฉบับก {index}" else "ข"
        assert project.project_name == f"โครงการฉบับ{who} {index}"
        assert project.name == f"ตัวชี้วัดของโครงการฉบับ{who} {index}"
        # The units are the same person's as the name: never one person's name with the
        # other's units.
        # (A unit kept keeps its place, so compare the sets.)
        assert sorted(_units(project)) == (
            ["onesqa-sny"] if who == "ก" else ["onesqa-phny", "onesqa-sny"]
        )
