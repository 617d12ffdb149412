"""The reporting calendar through the web pages: fiscal years, B.E. deadlines, the open round."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests.app.conftest import signed_in
from tidtam.periods.models import FiscalYear, Round

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def round_of(year: int, months: int) -> Round:
    return Round.objects.get(fiscal_year__year=year, months=months)


def as_user(username: str) -> Client:
    client: Client = signed_in(Client(), username)
    return client


def test_the_planner_sees_the_years_and_their_rounds_with_b_e_dates() -> None:
    response = as_user("planner").get(reverse("periods:round_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ปีงบประมาณ พ.ศ. 2567" in page
    assert "รอบ 6 เดือน (ไตรมาสที่ 2)" in page
    # The 6-month round reports October to March and is due 15 days after: 15 April 2567.
    assert "1 ตุลาคม 2566 – 31 มีนาคม 2567" in page
    assert "15 เมษายน 2567" in page
    assert page.index("ปีงบประมาณ พ.ศ. 2567") < page.index("ปีงบประมาณ พ.ศ. 2564")


def test_a_deadline_typed_in_b_e_is_stored_once_converted_and_shown_back_in_b_e() -> None:
    client = as_user("planner")
    round_6 = round_of(2567, 6)
    url = reverse("periods:round_edit", kwargs={"round_id": round_6.pk})
    response = client.post(url, {"deadline": "15/07/2567"})
    assert response.status_code == 302
    round_6.refresh_from_db()
    assert round_6.deadline == date(2024, 7, 15)
    page = client.get(url).content.decode()
    assert 'value="15/07/2567"' in page
    assert "15 กรกฎาคม 2567" in client.get(reverse("periods:round_list")).content.decode()
    # Saving the form unchanged does not add 543 again.
    client.post(url, {"deadline": "15/07/2567"})
    round_6.refresh_from_db()
    assert round_6.deadline == date(2024, 7, 15)
    assert round_6.history.count() == 3  # seeded, then two saves


def test_a_deadline_typed_in_c_e_is_refused_with_the_b_e_year_to_type() -> None:
    client = as_user("planner")
    round_6 = round_of(2567, 6)
    response = client.post(
        reverse("periods:round_edit", kwargs={"round_id": round_6.pk}), {"deadline": "15/07/2024"}
    )
    assert response.status_code == 400
    error = response.context["form"].errors["deadline"][0]
    assert error == 'ปี 2024 ในช่อง "กำหนดส่งผล" ดูเหมือนเป็นปี ค.ศ. — ให้กรอกเป็นปี พ.ศ. เช่น 2567'
    page = response.content.decode()
    assert 'value="15/07/2024"' in page  # what was typed stays, to be corrected
    assert 'id="id_deadline_error"' in page
    round_6.refresh_from_db()
    assert round_6.deadline == date(2024, 4, 15)


def test_a_new_fiscal_year_comes_with_four_rounds_due_15_days_after_each_quarter() -> None:
    client = as_user("planner")
    response = client.post(reverse("periods:fiscal_year_add"), {"year": "๒๕๖๘"})
    assert response.status_code == 302
    fy = FiscalYear.objects.get(year=2568)
    assert (fy.start_date, fy.end_date) == (date(2024, 10, 1), date(2025, 9, 30))
    assert list(fy.rounds.order_by("months").values_list("months", "deadline", "is_open")) == [
        (3, date(2025, 1, 15), False),
        (6, date(2025, 4, 15), False),
        (9, date(2025, 7, 15), False),
        (12, date(2025, 10, 15), False),
    ]

    response = client.post(reverse("periods:fiscal_year_add"), {"year": "2025"})
    assert response.status_code == 400
    assert "ค.ศ." in response.context["form"].errors["year"][0]
    assert "2568" in response.context["form"].errors["year"][0]

    response = client.post(reverse("periods:fiscal_year_add"), {"year": "2567"})
    assert response.status_code == 400
    assert response.context["form"].errors["year"] == [
        "มีปีงบประมาณ 2567 พร้อมรอบรายงานอยู่แล้ว — แก้กำหนดส่งผลของรอบในปีนั้นแทนการเพิ่มใหม่"
    ]
    assert FiscalYear.objects.filter(year__in=(2025, 2567)).count() == 1


def test_opening_a_round_closes_the_years_other_open_round() -> None:
    client = as_user("planner")
    round_6, round_9 = round_of(2567, 6), round_of(2567, 9)
    other_year = round_of(2566, 12)
    client.post(reverse("periods:round_open", kwargs={"round_id": other_year.pk}))
    client.post(reverse("periods:round_open", kwargs={"round_id": round_6.pk}))
    response = client.post(
        reverse("periods:round_open", kwargs={"round_id": round_9.pk}), follow=True
    )
    assert "เปิดรับรายงานรอบ 9 เดือน (ไตรมาสที่ 3) ปีงบประมาณ 2567แล้ว และปิดรอบ 6 เดือน" in (
        response.content.decode()
    )
    assert list(Round.objects.filter(is_open=True).values_list("fiscal_year__year", "months")) == [
        (2566, 12),
        (2567, 9),
    ]

    client.post(reverse("periods:round_close", kwargs={"round_id": round_9.pk}))
    round_9.refresh_from_db()
    assert not round_9.is_open
    # Opening and closing are changes: a GET does neither.
    assert (
        client.get(reverse("periods:round_open", kwargs={"round_id": round_9.pk})).status_code
        == 405
    )


@pytest.mark.parametrize("username", ["auditor", "executive"])
def test_read_only_roles_read_the_calendar_and_are_refused_changes(username: str) -> None:
    client = as_user(username)
    round_6 = round_of(2567, 6)
    url = reverse("periods:round_edit", kwargs={"round_id": round_6.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "<fieldset disabled>" in page.content.decode()
    for target, data in (
        (url, {"deadline": "01/05/2567"}),
        (reverse("periods:round_open", kwargs={"round_id": round_6.pk}), {}),
        (reverse("periods:fiscal_year_add"), {"year": "2568"}),
    ):
        response = client.post(target, data)
        assert response.status_code == 403, target
        assert "อ่านอย่างเดียว" in response.content.decode()
    round_6.refresh_from_db()
    assert (round_6.deadline, round_6.is_open) == (date(2024, 4, 15), False)
    assert not FiscalYear.objects.filter(year=2568).exists()


def test_a_reporter_is_refused_and_any_planner_may_keep_the_calendar() -> None:
    """Rounds are one calendar for every organisation: a planner of another organisation
    (bic-planner of สต.) keeps it too; a reporter does not."""
    round_6 = round_of(2567, 6)
    url = reverse("periods:round_edit", kwargs={"round_id": round_6.pk})
    response = as_user("reporter").post(url, {"deadline": "01/05/2567"})
    assert response.status_code == 403
    assert "ไม่มีบทบาทที่ทำขั้นตอนนี้ได้" in response.content.decode()
    assert as_user("bic-planner").post(url, {"deadline": "01/05/2567"}).status_code == 302
    round_6.refresh_from_db()
    assert round_6.deadline == date(2024, 5, 1)
