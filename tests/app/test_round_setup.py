"""The reporting calendar through the web pages: fiscal years, B.E. deadlines, the open round,
each organisation's own schedule (see also test_round_calendar.py for the tree)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests.app.conftest import signed_in
from tidtam.orgs.models import Organization
from tidtam.periods.calendar import Schedule, schedule_for
from tidtam.periods.models import FiscalYear, Round, RoundSchedule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def round_of(year: int, months: int) -> Round:
    return Round.objects.select_related("fiscal_year").get(fiscal_year__year=year, months=months)


def org(code: str) -> Organization:
    return Organization.objects.get(code=code)


def as_user(username: str) -> Client:
    client: Client = signed_in(Client(), username)
    return client


def url(name: str, round_: Round, code: str = "onesqa") -> str:
    return reverse(f"periods:{name}", kwargs={"org_id": org(code).pk, "round_id": round_.pk})


def onesqa_schedule(round_: Round) -> Schedule:
    return schedule_for(round_, org("onesqa").pk)


def test_the_planner_sees_the_years_and_their_rounds_with_b_e_dates() -> None:
    response = as_user("planner").get(reverse("periods:round_list"), follow=True)
    assert response.redirect_chain == [
        (reverse("periods:calendar", kwargs={"org_id": org("onesqa").pk}), 302)
    ]
    page = response.content.decode()
    assert "ปีงบประมาณ พ.ศ. 2567" in page
    assert "รอบ 6 เดือน (ไตรมาสที่ 2)" in page
    # The 6-month round reports October to March and is due 15 days after: 15 April 2567.
    assert "1 ตุลาคม 2566 – 31 มีนาคม 2567" in page
    assert "15 เมษายน 2567" in page
    assert "ตามเกณฑ์สำนักงบประมาณ" in page  # nobody has set a schedule yet
    assert page.index("ปีงบประมาณ พ.ศ. 2567") < page.index("ปีงบประมาณ พ.ศ. 2564")


def test_a_deadline_typed_in_b_e_is_stored_once_converted_and_shown_back_in_b_e() -> None:
    client = as_user("planner")
    round_6 = round_of(2567, 6)
    edit = url("round_edit", round_6)
    response = client.post(edit, {"deadline": "15/07/2567"})
    assert response.status_code == 302
    assert onesqa_schedule(round_6) == (date(2024, 7, 15), False, org("onesqa").pk)
    page = client.get(edit).content.decode()
    assert 'value="15/07/2567"' in page
    assert "กำหนดเอง" in page
    calendar = client.get(reverse("periods:calendar", kwargs={"org_id": org("onesqa").pk}))
    assert "15 กรกฎาคม 2567" in calendar.content.decode()
    # Saving the form unchanged does not add 543 again.
    client.post(edit, {"deadline": "15/07/2567"})
    assert onesqa_schedule(round_6).deadline == date(2024, 7, 15)
    schedule = RoundSchedule.objects.get(round=round_6, organization__code="onesqa")
    assert schedule.history.count() == 2  # made by the first save, changed by the second
    assert {h.history_user.username for h in schedule.history.all()} == {"planner"}


def test_a_deadline_typed_in_c_e_is_refused_with_the_b_e_year_to_type() -> None:
    client = as_user("planner")
    round_6 = round_of(2567, 6)
    response = client.post(url("round_edit", round_6), {"deadline": "15/07/2024"})
    assert response.status_code == 400
    error = response.context["form"].errors["deadline"][0]
    assert error == 'ปี 2024 ในช่อง "กำหนดส่งผล" ดูเหมือนเป็นปี ค.ศ. — ให้กรอกเป็นปี พ.ศ. เช่น 2567'
    page = response.content.decode()
    assert 'value="15/07/2024"' in page  # what was typed stays, to be corrected
    assert 'id="id_deadline_error"' in page
    assert onesqa_schedule(round_6).deadline == date(2024, 4, 15)
    assert not RoundSchedule.objects.filter(round=round_6).exists()


def test_a_new_fiscal_year_comes_with_four_rounds_due_15_days_after_each_quarter() -> None:
    client = as_user("planner")
    response = client.post(reverse("periods:fiscal_year_add"), {"year": "๒๕๖๘"})
    assert response.status_code == 302
    fy = FiscalYear.objects.get(year=2568)
    assert (fy.start_date, fy.end_date) == (date(2024, 10, 1), date(2025, 9, 30))
    # The rounds are everybody's; the schedule is สมศ.'s own (the planner's organisation).
    schedules = RoundSchedule.objects.filter(round__fiscal_year=fy).order_by("round__months")
    assert list(
        schedules.values_list("organization__code", "round__months", "deadline", "is_open")
    ) == [
        ("onesqa", 3, date(2025, 1, 15), False),
        ("onesqa", 6, date(2025, 4, 15), False),
        ("onesqa", 9, date(2025, 7, 15), False),
        ("onesqa", 12, date(2025, 10, 15), False),
    ]

    response = client.post(reverse("periods:fiscal_year_add"), {"year": "2025"})
    assert response.status_code == 400
    assert "ค.ศ." in response.context["form"].errors["year"][0]
    assert "2568" in response.context["form"].errors["year"][0]

    response = client.post(reverse("periods:fiscal_year_add"), {"year": "2568"})
    assert response.status_code == 400
    assert response.context["form"].errors["year"] == [
        "มีปีงบประมาณ 2568 พร้อมรอบรายงานอยู่แล้ว — แก้กำหนดส่งผลของรอบในปีนั้นแทนการเพิ่มใหม่"
    ]
    assert FiscalYear.objects.filter(year__in=(2025, 2568)).count() == 1
    assert Round.objects.filter(fiscal_year=fy).count() == 4

    # Another organisation's planner adds the same year for theirs: same rounds, own schedule.
    moe = org("moe")
    response = as_user("moe-planner").post(
        reverse("periods:fiscal_year_add"), {"year": "2568", "organization": moe.pk}
    )
    assert response.status_code == 302
    assert Round.objects.filter(fiscal_year=fy).count() == 4
    assert RoundSchedule.objects.filter(round__fiscal_year=fy, organization=moe).count() == 4


def test_a_planner_cannot_add_a_year_for_an_organisation_they_do_not_plan() -> None:
    response = as_user("bic-planner").post(
        reverse("periods:fiscal_year_add"), {"year": "2568", "organization": org("onesqa").pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["organization"] == [
        "เลือกหน่วยงานไม่ได้ — เลือกหน่วยงานที่คุณเป็นผู้วางแผนจากรายการ"
    ]
    assert not FiscalYear.objects.filter(year=2568).exists()


def test_opening_a_round_closes_the_years_other_open_round() -> None:
    client = as_user("planner")
    round_6, round_9 = round_of(2567, 6), round_of(2567, 9)
    other_year = (
        round_of(2566, 12) if Round.objects.filter(fiscal_year__year=2566).exists() else None
    )
    if other_year is not None:
        client.post(url("round_open", other_year))
    client.post(url("round_open", round_6))
    response = client.post(url("round_open", round_9), follow=True)
    assert "เปิดรับรายงานรอบ 9 เดือน (ไตรมาสที่ 3) ปีงบประมาณ 2567ของ สมศ. แล้ว และปิดรอบ 6 เดือน" in (
        response.content.decode()
    )
    assert [
        (s.round.fiscal_year.year, s.round.months)
        for s in RoundSchedule.objects.filter(organization__code="onesqa", is_open=True)
    ] == ([(2566, 12)] if other_year else []) + [(2567, 9)]
    assert onesqa_schedule(round_6).is_open is False

    client.post(url("round_close", round_9))
    assert onesqa_schedule(round_9).is_open is False
    # Opening and closing are changes: a GET does neither.
    assert client.get(url("round_open", round_9)).status_code == 405


@pytest.mark.parametrize("username", ["auditor", "executive"])
def test_read_only_roles_read_the_calendar_and_are_refused_changes(username: str) -> None:
    client = as_user(username)
    round_6 = round_of(2567, 6)
    edit = url("round_edit", round_6)
    page = client.get(edit)
    assert page.status_code == 200
    assert "<fieldset disabled>" in page.content.decode()
    for target, data in (
        (edit, {"deadline": "01/05/2567"}),
        (url("round_open", round_6), {}),
        (reverse("periods:fiscal_year_add"), {"year": "2568"}),
    ):
        response = client.post(target, data)
        assert response.status_code == 403, target
        assert "อ่านอย่างเดียว" in response.content.decode()
    assert onesqa_schedule(round_6) == (date(2024, 4, 15), False, None)
    assert not FiscalYear.objects.filter(year=2568).exists()


def test_a_reporter_reads_their_units_calendar_and_is_refused_changes() -> None:
    """The reporter of สนย. starts at สนย.'s calendar (inherited from สมศ.) and changes neither
    it nor สมศ.'s (whether they may read สมศ.'s is the access policy's); the planner of สมศ.
    may set สนย.'s."""
    round_6 = round_of(2567, 6)
    reporter = as_user("reporter")
    page = reporter.get(reverse("periods:round_list"), follow=True).content.decode()
    assert "ของ สนย." in page
    assert reporter.post(url("round_open", round_6)).status_code in (403, 404)
    response = reporter.post(url("round_edit", round_6, "onesqa-sny"), {"deadline": "01/05/2567"})
    assert response.status_code == 403
    assert "ไม่มีบทบาทที่ทำขั้นตอนนี้ได้" in response.content.decode()
    assert schedule_for(round_6, org("onesqa-sny").pk) == (date(2024, 4, 15), False, None)
    planner = as_user("planner")
    assert (
        planner.post(
            url("round_edit", round_6, "onesqa-sny"), {"deadline": "01/04/2567"}
        ).status_code
        == 302
    )
    assert schedule_for(round_6, org("onesqa-sny").pk).deadline == date(2024, 4, 1)
    assert onesqa_schedule(round_6).deadline == date(2024, 4, 15)
