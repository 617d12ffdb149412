"""Deadline reminders, run as the scheduler runs them: `tidtam send_reminders [--dry-run]`.

Seed 000's round 6 of FY2567 is due 15 April 2567 (2024-04-15). The reporter of สนย. reports
the สนย. projects (activity 2.3's are assigned to them by name, the strategic projects to every
reporter of สนย.); reporter2 reports ภนย.'s. Reminders go out 7 and 3 days before the deadline and
on the day itself, only for open rounds.
"""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from tests.app.conftest import open_round_for
from tidtam.agreements.models import Indicator, IndicatorOwner, IndicatorResult
from tidtam.orgs.models import Organization, Person
from tidtam.periods.calendar import round_is_open, schedule_for
from tidtam.periods.models import Round
from tidtam.plans.models import WorkItem
from tidtam.progress.models import ProgressEntry
from tidtam.progress.reminders import reminders_due

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

REPORTER = "reporter@demo.tidtam.invalid"
REPORTER2 = "reporter2@demo.tidtam.invalid"
MAINTENANCE = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"
FOLLOW_UP = "โครงการติดตาม ประเมิน ผลการปฏิบัติงานของ ผู้ประเมินภายนอก สมศ."
INQAAHE = "โครงการรับการประเมินจาก INQAAHE"
GIS = "โครงการพัฒนาระบบสารสนเทศภูมิศาสตร์ (GIS)"  # ภนย.'s, reporter2's


@pytest.fixture
def round_6() -> Round:
    round_ = open_round_for(2567, 6)
    assert schedule_for(round_, onesqa_id()).deadline == date(2024, 4, 15)
    return round_


def onesqa_id() -> int:
    return Organization.objects.get(code="onesqa").pk


def entry_of(name: str, round_: Round) -> ProgressEntry:
    return ProgressEntry.objects.get(work_item__name=name, round=round_)


def run(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def mails_to(address: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [address]]


@override_settings(DEMO_TODAY="2024-04-08")
def test_seven_days_before_the_reporter_gets_one_mail_of_what_is_not_submitted(
    round_6: Round,
) -> None:
    submitted = entry_of(FOLLOW_UP, round_6)
    submitted.status = "submitted"
    submitted.save()
    returned = entry_of(MAINTENANCE, round_6)
    returned.status = "returned"
    returned.save()

    output = run()

    [message] = mails_to(REPORTER)
    body = message.body
    assert message.subject == (
        f"[ติดตาม] อีก 7 วันครบกำหนดส่งผลการดำเนินงาน — ยังไม่ได้ส่ง {body.count('สถานะ:')} รายการ"
    )
    assert body.startswith("เรียน นายสมชาย รายงานผล")
    assert "รอบ 6 เดือน (ไตรมาสที่ 2) ปีงบประมาณ 2567" in body
    assert "กำหนดส่งผล: 15 เมษายน 2567 (อีก 7 วัน)" in body
    # Not submitted: returned, draft, and no entry yet, each with its status.
    assert f"{MAINTENANCE}\n   โครงการ · สนย. · สถานะ: ส่งกลับให้แก้ไข" in body
    assert "โครงการพัฒนาบุคลากร สมศ.\n   โครงการ · สนย. · สถานะ: ร่าง" in body
    # A strategic-plan project is reported through its KPI, whose result is a draft.
    assert f"{INQAAHE}\n   โครงการ · สนย./ภนย. · สถานะ: ร่าง" in body
    # Submitted items and other units' items are not listed.
    assert FOLLOW_UP not in body
    assert GIS not in body
    # The HTML part says the same.
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "15 เมษายน 2567" in html and INQAAHE in html and FOLLOW_UP not in html

    assert "รอบ 6 เดือน (ไตรมาสที่ 2) ปีงบประมาณ 2567: กำหนดส่งผล 15 เมษายน 2567 (อีก 7 วัน)" in output
    people = len(mail.outbox)
    items = sum(m.body.count("สถานะ:") for m in mail.outbox)
    assert f"ส่งอีเมลเตือนแล้ว {people} คน รวม {items} รายการที่ยังไม่ได้ส่งผล" in output
    assert f"นายสมชาย รายงานผล <{REPORTER}>: {body.count('สถานะ:')} รายการ" in output


@override_settings(DEMO_TODAY="2024-04-08", SITE_URL="https://tidtam.example.go.th/")
def test_the_mail_links_to_the_sites_work_page(round_6: Round) -> None:
    run()
    [message] = mails_to(REPORTER)
    assert "https://tidtam.example.go.th/work/" in message.body


@override_settings(DEMO_TODAY="2024-04-08")
def test_each_reporter_gets_their_own_units_items_only(round_6: Round) -> None:
    run()
    [theirs] = mails_to(REPORTER2)
    assert theirs.body.startswith("เรียน นางมาลี ส่งงานไว")
    assert GIS in theirs.body
    assert MAINTENANCE not in theirs.body
    # Shared projects (สนย./ภนย.) go to both units' reporters.
    assert INQAAHE in theirs.body
    assert INQAAHE in mails_to(REPORTER)[0].body
    # Nobody outside the reporters hears of it: planners, approvers, another agency.
    assert {tuple(m.to) for m in mail.outbox} == {(REPORTER,), (REPORTER2,)}


@override_settings(DEMO_TODAY="2024-04-08")
def test_kpi_owners_are_reminded_of_their_kpis(round_6: Round) -> None:
    indicator = Indicator.objects.get(fiscal_year__year=2567, name="มีระบบการประเมินคุณภาพภายนอก")
    IndicatorOwner.objects.create(
        indicator=indicator, person=Person.objects.get(user__username="reporter2")
    )
    result = IndicatorResult.objects.get(indicator=indicator, round=round_6)
    assert result.status == "draft"
    run()
    [message] = mails_to(REPORTER2)
    assert "มีระบบการประเมินคุณภาพภายนอก\n   ตัวชี้วัด · สมศ. · สถานะ: ร่าง" in message.body
    result.status = "approved"
    result.save()
    mail.outbox.clear()
    run()
    assert "มีระบบการประเมินคุณภาพภายนอก" not in mails_to(REPORTER2)[0].body


@override_settings(DEMO_TODAY="2024-04-10")
def test_on_a_day_that_is_not_a_reminder_day_nothing_is_sent(round_6: Round) -> None:
    output = run()
    assert mail.outbox == []
    assert "วันที่ 10 เมษายน 2567: ไม่มีรอบรายงานที่ต้องเตือนวันนี้" in output
    assert "เตือนก่อนกำหนดส่ง 7 และ 3 วัน และในวันกำหนดส่ง" in output


@override_settings(DEMO_TODAY="2024-04-12")
def test_three_days_before_is_a_reminder_day_too(round_6: Round) -> None:
    run()
    assert "กำหนดส่งผล: 15 เมษายน 2567 (อีก 3 วัน)" in mails_to(REPORTER)[0].body


@override_settings(DEMO_TODAY="2024-04-10", REMINDER_DAYS_BEFORE=[5])
def test_the_reminder_days_are_a_setting(round_6: Round) -> None:
    run()
    assert "(อีก 5 วัน)" in mails_to(REPORTER)[0].body


@override_settings(DEMO_TODAY="2024-04-15")
def test_on_the_deadline_day_the_mail_says_it_is_due_today(round_6: Round) -> None:
    output = run()
    [message] = mails_to(REPORTER)
    assert message.subject.startswith("[ติดตาม] วันนี้ครบกำหนดส่งผลการดำเนินงาน")
    assert "กำหนดส่งผล: 15 เมษายน 2567 (ครบกำหนดวันนี้)" in message.body
    assert "วันนี้เป็นวันสุดท้ายของการส่งผล" in message.body
    assert "(ครบกำหนดวันนี้)" in output


@override_settings(DEMO_TODAY="2024-04-16")
def test_after_the_deadline_the_command_does_not_nag(round_6: Round) -> None:
    run()
    assert mail.outbox == []


@override_settings(DEMO_TODAY="2024-04-08")
def test_dry_run_sends_nothing_but_prints_who_would_be_told(round_6: Round) -> None:
    output = run("--dry-run")
    assert mail.outbox == []
    assert "ทดลองเท่านั้น (--dry-run) ยังไม่ได้ส่งอีเมล: จะส่งถึง 2 คน" in output
    assert f"นายสมชาย รายงานผล <{REPORTER}>:" in output
    assert f"นางมาลี ส่งงานไว <{REPORTER2}>:" in output


@override_settings(DEMO_TODAY="2024-04-15")
def test_a_closed_round_sends_nothing_even_on_its_deadline() -> None:
    round_ = Round.objects.get(fiscal_year__year=2567, months=6)
    assert not round_is_open(round_, onesqa_id())
    output = run()
    assert mail.outbox == []
    assert "ไม่มีรอบรายงานที่ต้องเตือนวันนี้" in output


@override_settings(DEMO_TODAY="2024-04-08")
def test_people_without_an_email_are_skipped_and_named(round_6: Round) -> None:
    person = Person.objects.select_related("user").get(user__username="reporter2")
    person.email = ""
    person.save()
    assert person.user is not None
    person.user.email = ""
    person.user.save()
    output = run()
    assert mails_to(REPORTER2) == []
    assert len(mails_to(REPORTER)) == 1
    assert "ไม่ได้ส่ง 1 คน เพราะไม่มีอีเมล: นางมาลี ส่งงานไว" in output


@override_settings(DEMO_TODAY="2024-04-08")
def test_a_named_reporter_is_told_instead_of_the_whole_unit(round_6: Round) -> None:
    # The demo names the reporter on activity 2.3's projects; a second สนย. reporter would get
    # the strategic projects (no one named) but not those.
    from tidtam.orgs.models import Organization, RoleAssignment

    sny = Organization.objects.get(code="onesqa-sny")
    colleague = Person.objects.create(
        first_name="ใหม่", last_name="ช่วยงาน", organization=sny, email="new@demo.tidtam.invalid"
    )
    RoleAssignment.objects.create(person=colleague, organization=sny, role="reporter")
    run()
    [message] = mails_to("new@demo.tidtam.invalid")
    assert INQAAHE in message.body
    assert MAINTENANCE not in message.body


def mails_to_after_run(address: str) -> str:
    run()
    return mails_to(address)[0].body


@override_settings(DEMO_TODAY="2024-04-08")
def test_excluded_items_are_not_reminded(round_6: Round) -> None:
    staff = "โครงการพัฒนาบุคลากร สมศ."
    assert staff in mails_to_after_run(REPORTER)
    mail.outbox.clear()
    assert WorkItem.objects.filter(name=staff).update(
        excluded=True, exclusion_reason="ยกเลิกโครงการ"
    )
    run()
    assert staff not in mails_to(REPORTER)[0].body


@override_settings(DEMO_TODAY="2024-04-08", EMAIL_BACKEND="tests.app.test_reminders.FailingBackend")
def test_a_mail_server_failure_is_reported_and_fails_the_command(round_6: Round) -> None:
    err = StringIO()
    with pytest.raises(CommandError, match="ส่งอีเมลไม่สำเร็จ 2 คน"):
        call_command("send_reminders", stdout=StringIO(), stderr=err)
    assert "ไม่สำเร็จ: connection refused" in err.getvalue()


def test_the_selector_only_reads(round_6: Round) -> None:
    plan = reminders_due(today=date(2024, 4, 8))
    assert [due.days_left for due in plan.rounds] == [7]
    assert {r.email for r in plan.reminders} == {REPORTER, REPORTER2}
    assert mail.outbox == []


class FailingBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("connection refused")
