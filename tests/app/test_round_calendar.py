"""A reporting calendar per organisation, through the rounds pages as planners use them.

The seeds' tree: สมศ. (onesqa) is a root with its units สนย. and ภนย.; ศธ. (moe) is a root above
สป. (ops) above สต. (ops-bic). planner plans สมศ., bic-planner plans สต., moe-planner plans ศธ.
and everything below it. Round 6 of 2567 is due on 15 April 2567 by the Budget Bureau's rule.
"""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.app.conftest import open_round_for, signed_in
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.orgs.models import Organization
from tidtam.periods.calendar import (
    open_rounds_for,
    require_round_open,
    schedule_for,
    schedules_for,
)
from tidtam.periods.models import Round, RoundSchedule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

MAINTENANCE = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"


def org(code: str) -> int:
    return Organization.objects.get(code=code).pk


def round_of(months: int, year: int = 2567) -> Round:
    return Round.objects.select_related("fiscal_year").get(fiscal_year__year=year, months=months)


def as_user(username: str) -> Client:
    client: Client = signed_in(Client(), username)
    return client


def url(name: str, code: str, round_: Round | None = None) -> str:
    if round_ is None:
        return reverse(f"periods:{name}", kwargs={"org_id": org(code)})
    return reverse(f"periods:{name}", kwargs={"org_id": org(code), "round_id": round_.pk})


def calendar_of(code: str, months: int = 6) -> tuple[date | None, bool, str | None]:
    """(deadline, open?, whose schedule) of a 2567 round for an organisation, by code."""
    deadline, is_open, set_by = schedule_for(round_of(months), org(code))
    by = Organization.objects.get(pk=set_by).code if set_by is not None else None
    return deadline, is_open, by


def test_another_organisations_planner_changes_only_its_own_calendar() -> None:
    """bic-planner closing, re-dating and opening rounds for สต. leaves สมศ.'s calendar as it
    was, and สมศ.'s reporter still finds the open round and its items in "my work"."""
    round_6, round_9 = round_of(6), round_of(9)
    assert as_user("planner").post(url("round_open", "onesqa", round_6)).status_code == 302
    open_round_for(2567, 6, "moe")  # สต. inherits its ministry's open round
    assert calendar_of("ops-bic") == (date(2024, 4, 15), True, "moe")

    bic = as_user("bic-planner")
    assert bic.post(url("round_close", "ops-bic", round_6)).status_code == 302
    assert (
        bic.post(url("round_edit", "ops-bic", round_6), {"deadline": "01/04/2567"}).status_code
        == 302
    )
    assert calendar_of("ops-bic") == (date(2024, 4, 1), False, "ops-bic")
    response = bic.post(url("round_open", "ops-bic", round_9), follow=True)
    assert "เปิดรับรายงานรอบ 9 เดือน (ไตรมาสที่ 3) ปีงบประมาณ 2567ของ สต. แล้ว" in (
        response.content.decode()
    )

    # Nobody else's calendar moved: สมศ. and its units, the ministry and สป. between.
    for code in ("onesqa", "onesqa-sny", "onesqa-phny"):
        assert calendar_of(code) == (date(2024, 4, 15), True, "onesqa"), code
        assert calendar_of(code, 9) == (date(2024, 7, 15), False, None), code
    assert calendar_of("moe") == (date(2024, 4, 15), True, "moe")
    assert calendar_of("ops") == (date(2024, 4, 15), True, "moe")
    assert calendar_of("ops-bic", 9) == (date(2024, 7, 15), True, "ops-bic")
    assert set(
        RoundSchedule.objects.filter(organization__code="onesqa").values_list(
            "round__months", "is_open"
        )
    ) == {(6, True)}

    # Its buttons on สมศ.'s calendar are not even found.
    assert bic.post(url("round_close", "onesqa", round_6)).status_code == 404
    assert calendar_of("onesqa") == (date(2024, 4, 15), True, "onesqa")

    with override_settings(DEMO_TODAY="2024-04-08"):
        page = as_user("reporter").get(reverse("progress:my_work")).content.decode()
    assert "รอบ 6 เดือน (ไตรมาสที่ 2) ปีงบประมาณ 2567" in page
    assert "15 เมษายน 2567" in page
    assert "เหลืออีก 7 วัน" in page
    assert MAINTENANCE in page


def test_my_work_offers_each_round_open_for_my_organisations_with_its_deadline() -> None:
    """The reporter of สนย. also reports สต.'s KPIs: สมศ. has round 6 of 2567 open, สต. round 12
    of 2564. The page starts at the latest and links the other, each with its calendar's day."""
    from tidtam.orgs.models import Person, RoleAssignment

    RoleAssignment.objects.create(
        person=Person.objects.get(user__username="reporter"),
        organization_id=org("ops-bic"),
        role=RoleAssignment.Role.REPORTER,
    )
    round_6 = open_round_for(2567, 6, "onesqa")
    round_12 = open_round_for(2564, 12, "ops-bic")
    client = as_user("reporter")
    with override_settings(DEMO_TODAY="2024-04-08"):
        page = client.get(reverse("progress:my_work")).content.decode()
        assert f'<strong aria-current="page">{round_6}</strong>' in page
        assert f'<a href="?round={round_12.pk}">{round_12}</a> (กำหนดส่ง 15 ตุลาคม 2564)' in page
        assert MAINTENANCE in page
        other = client.get(reverse("progress:my_work"), {"round": round_12.pk})
    work = other.context["work"]
    assert (work.round, work.deadline) == (round_12, date(2021, 10, 15))
    assert work.report_total > 0
    assert MAINTENANCE not in other.content.decode()  # สมศ.'s item is not in สต.'s round


def test_a_round_closed_for_สต_is_refused_there_and_open_for_สมศ() -> None:
    """The rule the save and submit services ask (require_round_open), per organisation."""
    round_6 = round_of(6)
    open_round_for(2567, 6, "onesqa", "moe")
    as_user("bic-planner").post(url("round_close", "ops-bic", round_6))
    require_round_open(round_=round_6, organization_id=org("onesqa-sny"), item="ก")
    require_round_open(round_=round_6, organization_id=org("ops"), item="ก")
    with pytest.raises(DomainError) as refused:
        require_round_open(round_=round_6, organization_id=org("ops-bic"), item="โครงการ ข")
    assert message_for(refused.value) == (
        'รอบ 6 เดือน (ไตรมาสที่ 2) ปีงบประมาณ 2567 ปิดรับรายงานแล้ว จึงบันทึกหรือส่งผลของ "โครงการ ข" ไม่ได้'
        " — ขอให้ผู้วางแผนของหน่วยงานเปิดรอบนี้อีกครั้ง หรือเปิดรายการนี้ให้แก้ไขพร้อมระบุเหตุผล"
    )


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("bic-planner", "onesqa"),
        ("planner", "moe"),
        ("planner", "ops-bic"),
        ("reporter", "ops-bic"),
    ],
)
def test_a_person_without_reach_over_an_organisation_does_not_find_its_calendar(
    username: str, code: str
) -> None:
    client = as_user(username)
    round_6 = round_of(6)
    assert client.get(url("calendar", code)).status_code == 404
    assert client.get(url("round_edit", code, round_6)).status_code == 404
    assert client.get(reverse("periods:round_list"), {"org": org(code)}).status_code == 404
    for name in ("round_open", "round_close", "round_inherit"):
        assert client.post(url(name, code, round_6)).status_code == 404, name
    assert (
        client.post(url("round_edit", code, round_6), {"deadline": "01/04/2567"}).status_code == 404
    )
    assert not RoundSchedule.objects.exists()


def test_who_sees_an_organisation_but_does_not_plan_it_is_refused_with_403() -> None:
    """The reporter of สนย. reads สนย.'s calendar; changing it is the planners' (403, in Thai)."""
    client = as_user("reporter")
    round_6 = round_of(6)
    page = client.get(url("calendar", "onesqa-sny"))
    assert page.status_code == 200
    assert "ตามเกณฑ์สำนักงบประมาณ" in page.content.decode()
    for name in ("round_open", "round_close", "round_inherit"):
        response = client.post(url(name, "onesqa-sny", round_6))
        assert response.status_code == 403, name
        assert "ไม่มีบทบาทที่ทำขั้นตอนนี้ได้" in response.content.decode()
    assert not RoundSchedule.objects.exists()


def test_a_ministry_sets_its_departments_deadline_and_a_departments_own_schedule_wins() -> None:
    round_6 = round_of(6)
    moe = as_user("moe-planner")
    assert (
        moe.post(url("round_edit", "moe", round_6), {"deadline": "05/04/2567"}).status_code == 302
    )
    for code in ("moe", "ops", "ops-bic"):
        assert calendar_of(code)[::2] == (date(2024, 4, 5), "moe"), code
    page = as_user("bic-planner").get(url("calendar", "ops-bic")).content.decode()
    assert "ตามกำหนดของ ศธ." in page
    assert "5 เมษายน 2567" in page
    assert calendar_of("onesqa")[::2] == (date(2024, 4, 15), None)  # another tree

    # สต. sets its own; the ministry's next change reaches สป. but not สต.
    bic = as_user("bic-planner")
    assert (
        bic.post(url("round_edit", "ops-bic", round_6), {"deadline": "10/04/2567"}).status_code
        == 302
    )
    assert (
        moe.post(url("round_edit", "moe", round_6), {"deadline": "03/04/2567"}).status_code == 302
    )
    assert moe.post(url("round_open", "moe", round_6)).status_code == 302
    assert calendar_of("ops") == (date(2024, 4, 3), True, "moe")
    assert calendar_of("ops-bic") == (date(2024, 4, 10), False, "ops-bic")
    assert "กำหนดเอง" in bic.get(url("calendar", "ops-bic")).content.decode()

    # Back to the ministry's schedule: สต.'s own is dropped (its history stays).
    assert bic.post(url("round_inherit", "ops-bic", round_6)).status_code == 302
    assert calendar_of("ops-bic") == (date(2024, 4, 3), True, "moe")
    assert RoundSchedule.history.filter(organization_id=org("ops-bic"), history_type="-").exists()


def test_one_open_round_per_year_in_each_calendar() -> None:
    """Opening round 9 for สต. closes สต.'s round 6 (inherited from ศธ.) and nobody else's."""
    open_round_for(2567, 6, "moe", "onesqa")
    as_user("bic-planner").post(url("round_open", "ops-bic", round_of(9)))
    assert calendar_of("ops-bic", 6)[1:] == (False, "ops-bic")
    assert calendar_of("ops-bic", 9)[1:] == (True, "ops-bic")
    assert calendar_of("ops", 6)[1:] == (True, "moe")
    assert calendar_of("ops", 9)[1:] == (False, None)
    opened = open_rounds_for([org("ops-bic"), org("ops"), org("onesqa"), org("onesqa-sny")])
    assert {
        code: [o.round.months for o in opened[org(code)]]
        for code in ("ops-bic", "ops", "onesqa", "onesqa-sny")
    } == {
        "ops-bic": [9],
        "ops": [6],
        "onesqa": [6],
        "onesqa-sny": [6],
    }


def test_the_calendar_of_many_organisations_costs_a_few_queries(
    django_assert_max_num_queries: object,
) -> None:
    open_round_for(2567, 6, "moe", "onesqa")
    ids = list(Organization.objects.values_list("pk", flat=True))
    rounds = list(Round.objects.select_related("fiscal_year"))
    # The tree's depth (3 levels here) plus the schedules: not one query per organisation.
    with django_assert_max_num_queries(5):  # type: ignore[operator]
        schedules = schedules_for(rounds, ids)
    assert len(schedules) == len(ids) * len(rounds)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        opened = open_rounds_for(ids)
    assert all(len(found) == 1 for found in opened.values())


# --- the migration (tests/app/test_migrations.py runs it on an old database) ---------------------

MOVE = importlib.import_module("tidtam.periods.migrations.0003_move_round_dates_to_schedules")


def test_the_migrations_rows_give_every_organisation_what_the_global_round_gave() -> None:
    """What 0003 writes (a schedule per root organisation per round, no deadline included),
    read back through the calendar, for roots and organisations under them."""
    before = {
        round_of(3).pk: (date(2024, 1, 20), False),
        round_of(6).pk: (date(2024, 4, 15), True),
        round_of(9).pk: (None, False),
    }
    roots = list(Organization.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    rows = MOVE.schedule_rows([(pk, *values) for pk, values in before.items()], roots)
    RoundSchedule.objects.bulk_create(
        RoundSchedule(organization_id=o, round_id=r, deadline=d, is_open=i) for o, r, d, i in rows
    )
    everyone = list(Organization.objects.values_list("pk", flat=True))
    after = schedules_for(
        Round.objects.filter(pk__in=before).select_related("fiscal_year"), everyone
    )
    for (round_id, _), schedule in after.items():
        assert (schedule.deadline, schedule.is_open) == before[round_id]
