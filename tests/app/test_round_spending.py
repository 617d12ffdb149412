"""A round's spending typed on its page by the organisation's planner: every line at once or
none, as of a day inside the round, a closed round kept, figures past the plan refused."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.app.conftest import open_round_for, signed_in
from tidtam.budgets.models import BudgetLine, BudgetSpending
from tidtam.orgs.models import Organization
from tidtam.periods.models import Round
from tidtam.periods.services import round_close
from tidtam.plans.models import OperatingPlan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

D = Decimal


def url(months: int = 6) -> str:
    plan = OperatingPlan.objects.get(organization__code="onesqa", fiscal_year__year=2567)
    return reverse("budgets:round_spending", kwargs={"plan_id": plan.pk, "round_months": months})


def lines() -> list[BudgetLine]:
    return list(
        BudgetLine.objects.filter(organization__code="onesqa", fiscal_year__year=2567).order_by(
            "number"
        )
    )


def test_the_planner_types_a_rounds_figures_as_of_a_day_and_the_items_follow() -> None:
    open_round_for(2567, 6)
    first, second = lines()[:2]
    client = signed_in(Client(), "planner")
    page = client.get(url())
    assert page.status_code == 200
    assert "18550000.00" in page.content.decode()  # seed 000's first line, as reported
    response = client.post(
        url(),
        {
            f"disbursed_{first.number}": "๒๐,๐๐๐,๐๐๐",
            f"committed_{first.number}": "1,000,000.50",
            f"as_of_{first.number}": "15/03/2567",
            f"disbursed_{second.number}": "",
            f"committed_{second.number}": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = BudgetSpending.objects.get(line=first, round__months=6)
    assert (saved.disbursed_baht, saved.committed_baht) == (D("20000000"), D("1000000.50"))
    assert saved.as_of == date(2024, 3, 15)
    # Left blank: left as seed 000 reported it.
    kept = BudgetSpending.objects.get(line=second, round__months=6)
    assert kept.disbursed_baht == D("25035700.00")


def test_a_day_outside_the_round_or_an_amount_past_the_plan_is_refused_and_nothing_saved() -> None:
    open_round_for(2567, 6)
    first, second = lines()[:2]
    client = signed_in(Client(), "planner")
    before = list(BudgetSpending.objects.order_by("pk").values_list("disbursed_baht", flat=True))
    outside = client.post(
        url(),
        {
            f"disbursed_{first.number}": "1",
            f"disbursed_{second.number}": "2",
            f"as_of_{second.number}": "01/04/2567",
        },
    )
    assert outside.status_code == 400
    assert "1 เมษายน 2567" in html.unescape(outside.content.decode())
    past = client.post(url(), {f"disbursed_{first.number}": "231,332,300.01"})
    assert past.status_code == 400
    assert "เกินแผนการใช้จ่ายทั้งปี" in html.unescape(past.content.decode())
    bad = client.post(url(), {f"disbursed_{first.number}": "หนึ่งล้าน"})
    assert bad.status_code == 400
    assert f"disbursed_{first.number}" in bad.context["form"].errors
    after = list(BudgetSpending.objects.order_by("pk").values_list("disbursed_baht", flat=True))
    assert after == before


def test_a_closed_round_keeps_its_figures() -> None:
    round_6 = open_round_for(2567, 6)
    round_close(round_=round_6, organization=Organization.objects.get(code="onesqa"))
    first = lines()[0]
    client = signed_in(Client(), "planner")
    response = client.post(url(), {f"disbursed_{first.number}": "1"})
    assert response.status_code == 400
    assert "ปิด" in html.unescape(response.content.decode())
    assert BudgetSpending.objects.get(line=first, round=round_6).disbursed_baht == D("18550000")
    assert Round.objects.filter(pk=round_6.pk).exists()


def test_figures_of_a_day_still_to_come_are_refused() -> None:
    from django.test import override_settings

    first = lines()[0]
    client = signed_in(Client(), "planner")
    with override_settings(DEMO_TODAY="2024-04-08"):
        response = client.post(url(12), {f"disbursed_{first.number}": "1"})
    assert response.status_code == 400
    assert "ยังมาไม่ถึง" in html.unescape(response.content.decode())
    assert not BudgetSpending.objects.filter(line=first, round__months=12).exists()
