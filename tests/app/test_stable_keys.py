"""Stable keys (รหัสอ้างอิง): every plan, output, activity, work item, KPI, budget line and
person gets one when it is made; it stays when the row moves and when the year is copied (the
copy is the same item or KPI a year on); two rows of one scope never share one; the display
numbers stay apart; an organisation may carry the Budget Bureau's and GFMIS's codes."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from tests.app.conftest import signed_in
from tidtam import keys
from tidtam.agreements.models import Indicator
from tidtam.agreements.services import indicators_copy_year
from tidtam.budgets.models import BudgetLine
from tidtam.orgs.models import Organization, Person
from tidtam.periods.models import FiscalYear
from tidtam.plans.models import Activity, OperatingPlan, Output, WorkItem
from tidtam.plans.services import plan_copy_year, work_item_create, work_item_move

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

KEY = re.compile(r"^(PLAN|OUT|ACT|ITEM|KPI|LINE|PER)-[0-9A-HJKMNP-TV-Z]{10}$")


def onesqa_plan() -> OperatingPlan:
    return OperatingPlan.objects.get(organization__code="onesqa", fiscal_year__year=2567)


def test_every_row_people_name_has_a_key_of_its_kind_and_no_two_share_one() -> None:
    for model in (OperatingPlan, Output, Activity, WorkItem, Indicator, BudgetLine, Person):
        found = list(model.objects.values_list("key", flat=True))  # type: ignore[attr-defined]
        assert found, model.__name__
        assert all(KEY.match(key) for key in found), (model.__name__, found[:3])
        assert len(set(found)) == len(found), model.__name__
    assert keys.new_key("ITEM") != keys.new_key("ITEM")


def test_a_new_item_gets_a_key_and_keeps_it_when_it_moves() -> None:
    plan = onesqa_plan()
    activity = Activity.objects.filter(output__plan=plan).order_by("pk").first()
    assert activity is not None
    item = work_item_create(plan=plan, activity=activity, name="โครงการใหม่", kind="project")
    assert item.key.startswith("ITEM-")
    before = (item.key, item.number)
    work_item_move(work_item=item, direction="up", user=None)
    item.refresh_from_db()
    assert item.key == before[0] and item.number != before[1]


def test_a_plan_copied_into_a_new_year_keeps_its_outputs_activities_and_items_keys() -> None:
    plan = onesqa_plan()
    copy = plan_copy_year(plan=plan, fiscal_year=FiscalYear.objects.create(year=2568), user=None)
    assert copy.key != plan.key  # a plan is of its year

    def keyed(model: type, **where: object) -> dict[str, object]:
        return {row.key: row for row in model.objects.filter(**where)}  # type: ignore[attr-defined]

    for model, scope in ((Output, "plan"), (Activity, "output__plan"), (WorkItem, "plan")):
        old, new = keyed(model, **{scope: plan}), keyed(model, **{scope: copy})
        assert old.keys() == new.keys(), model.__name__
        for key, row in new.items():
            assert (row.number, row.name) == (old[key].number, old[key].name)  # type: ignore[attr-defined]


def test_a_kpi_copied_into_a_new_year_is_the_same_kpi() -> None:
    ops_bic = Organization.objects.get(code="ops-bic")
    indicators_copy_year(organization=ops_bic, from_year=2564, to_year=2565)
    old = {i.key: i for i in Indicator.objects.filter(organization=ops_bic, fiscal_year__year=2564)}
    new = {i.key: i for i in Indicator.objects.filter(organization=ops_bic, fiscal_year__year=2565)}
    assert new and set(new) <= set(old)
    for key, kpi in new.items():
        assert kpi.name == old[key].name


def test_two_rows_of_one_scope_cannot_share_a_key() -> None:
    plan = onesqa_plan()
    first, second = WorkItem.objects.filter(plan=plan).order_by("pk")[:2]
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkItem.objects.filter(pk=second.pk).update(key=first.key)
    people = list(Person.objects.order_by("pk")[:2])
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=people[1].pk).update(key=people[0].key)


def test_an_organisations_official_codes_are_its_own() -> None:
    onesqa, bic = Organization.objects.get(code="onesqa"), Organization.objects.get(code="ops-bic")
    Organization.objects.filter(pk=onesqa.pk).update(budget_bureau_code="20004", gfmis_code="")
    Organization.objects.filter(pk=bic.pk).update(gfmis_code="")  # blank codes are many
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=bic.pk).update(budget_bureau_code="20004")


def test_the_item_page_shows_its_key_beside_its_number() -> None:
    item = WorkItem.objects.filter(plan=onesqa_plan()).order_by("pk").first()
    assert item is not None
    page = signed_in(Client(), "planner").get(reverse("plans:work_item_edit", args=[item.pk]))
    assert f"รหัสอ้างอิง <code>{item.key}</code>" in page.content.decode()
