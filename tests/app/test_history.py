"""History pages: who changed what and when, the value before and after, an entry's review trail
and evidence — only for objects in the reader's reach, and read-only.

The cast (tests/app/conftest.py) on seed 000: the reporter of สนย. reports "โครงการบำรุงรักษา…"
(the demo assigns activity 2.3's projects to them), the approver reviews it, the auditor reads
everything of สมศ., bic-planner belongs to another agency.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tests.app.conftest import open_round_for, signed_in
from tidtam.agreements.models import Indicator, IndicatorResult
from tidtam.periods.models import Round
from tidtam.plans.models import Activity, OperatingPlan, Output, WorkItem
from tidtam.policies.models import PolicyNode
from tidtam.progress import review
from tidtam.progress.models import ProgressEntry
from tidtam.progress.services import progress_entry_save
from tidtam.ui.templatetags.tidtam import be_datetime

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

MAINTENANCE = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


@contextmanager
def acting_as(username: str) -> Iterator[Any]:
    """Changes made as if in that person's request (simple_history's middleware does this)."""
    request = RequestFactory().get("/")
    request.user = user(username)
    HistoricalRecords.context.request = request
    try:
        yield request.user
    finally:
        del HistoricalRecords.context.request


def maintenance_entry() -> ProgressEntry:
    round_ = Round.objects.get(fiscal_year__year=2567, months=6)
    return ProgressEntry.objects.select_related("work_item", "round").get(
        work_item__name=MAINTENANCE, round=round_
    )


def edit(entry: ProgressEntry, username: str, **changes: Any) -> ProgressEntry:
    fields = {
        "result_text": entry.result_text,
        "result_text_annual": entry.result_text_annual,
        "result_quantity": entry.result_quantity,
        "percent_method": entry.percent_method,
        "percent_round": entry.percent_round,
        "percent_annual": entry.percent_annual,
        "percent_note": entry.percent_note,
        "explanation": entry.explanation,
        **changes,
    }
    open_round_for(entry.round.fiscal_year.year, entry.round.months)
    with acting_as(username) as person:
        return progress_entry_save(
            work_item=entry.work_item, round_=entry.round, user=person, **fields
        )


def history_url(kind: str, object_id: int) -> str:
    return reverse("web:history", args=[kind, object_id])


def page(client: Any, username: str, kind: str, object_id: int) -> str:
    response = signed_in(client, username).get(history_url(kind, object_id))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def reviewed_entry(settings: Any, tmp_path: Any) -> ProgressEntry:
    """The reporter edits, attaches a file and submits; the approver returns it with a reason;
    the reporter takes the file off, corrects and resubmits; the approver approves."""
    settings.EVIDENCE_ROOT = tmp_path
    entry = edit(maintenance_entry(), "reporter", result_text="ดำเนินการได้ 6 กิจกรรม")
    with acting_as("reporter") as reporter:
        evidence = review.evidence_add(
            entry=entry,
            upload=SimpleUploadedFile("รายงานการประชุม.pdf", b"%PDF-1.4 test", "application/pdf"),
            user=reporter,
            description="รายงานการประชุมคณะทำงาน",
        )
        review.entry_review(entry=entry, action="submit", user=reporter)
    with acting_as("approver") as approver:
        review.entry_review(
            entry=entry, action="return", user=approver, comment="จำนวนกิจกรรมไม่ตรงกับหลักฐาน"
        )
    with acting_as("reporter") as reporter:
        review.evidence_remove(evidence=evidence, user=reporter)
    entry = edit(
        maintenance_entry(),
        "reporter",
        result_quantity=Decimal("6"),
        percent_annual=Decimal("54.5455"),
    )
    with acting_as("reporter") as reporter:
        review.entry_review(entry=entry, action="submit", user=reporter)
    with acting_as("approver") as approver:
        review.entry_review(entry=entry, action="approve", user=approver, comment="ถูกต้อง")
    return entry


def test_an_entry_history_shows_who_changed_which_field_from_what_to_what(
    client: Any, reviewed_entry: ProgressEntry
) -> None:
    history = signed_in(client, "auditor").get(history_url("entry", reviewed_entry.pk))
    assert history.status_code == 200
    events = history.context["history"].events
    changed = [e for e in events if e.kind == "changed"]
    text_change = next(
        c for e in changed for c in e.changes if c.field == "ผลการดำเนินงาน (เทียบแผนรอบนี้)"
    )
    assert text_change.before == "5 กิจกรรม ดำเนินการได้ 5 กิจกรรม"
    assert text_change.after == "ดำเนินการได้ 6 กิจกรรม"
    numbers = {c.field: (c.before, c.after) for e in changed for c in e.changes}
    assert numbers["ผล (จำนวน)"] == ("5", "6")
    assert numbers["ร้อยละเทียบเป้าหมายทั้งปี"] == ("45.45", "54.5455")
    # Choices by their Thai label: the status, walked through the workflow, is told once, by the
    # review steps (with who and why), not again by the saves those steps made.
    assert not [c for e in changed for c in e.changes if c.field == "สถานะ"]
    steps = [e.detail for e in reversed(events) if e.kind == "review"]
    assert steps == [
        "สถานะ: ร่าง → ส่งแล้ว",
        "สถานะ: ส่งแล้ว → ส่งกลับให้แก้ไข",
        "สถานะ: ส่งกลับให้แก้ไข → ส่งแล้ว",
        "สถานะ: ส่งแล้ว → อนุมัติแล้ว",
    ]
    # Who, by name; the last saver's account shown as the person it belongs to.
    assert {e.who for e in changed} == {"นายสมชาย รายงานผล"}
    assert numbers["บันทึกล่าสุดโดย"] == ("-", "นายสมชาย รายงานผล")

    body = history.content.decode()
    assert "ผลการดำเนินงาน (เทียบแผนรอบนี้)" in body
    assert "ดำเนินการได้ 6 กิจกรรม" in body
    when = be_datetime(events[0].at)  # "21 พ.ย. 2569 17:43 น.": the year in B.E.
    assert when in body
    assert f" {timezone.localtime(events[0].at).year + 543} " in when


def test_an_entry_history_has_its_review_trail_with_reasons(
    client: Any, reviewed_entry: ProgressEntry
) -> None:
    events = (
        signed_in(client, "auditor")
        .get(history_url("entry", reviewed_entry.pk))
        .context["history"]
        .events
    )
    trail = [(e.what, e.who, e.comment) for e in reversed(events) if e.kind == "review"]
    assert trail == [
        ("ส่งผล", "นายสมชาย รายงานผล", ""),
        ("ส่งกลับให้แก้ไข", "นางสุดารัตน์ ตรวจทาน", "จำนวนกิจกรรมไม่ตรงกับหลักฐาน"),
        ("ส่งผล", "นายสมชาย รายงานผล", ""),
        ("อนุมัติ", "นางสุดารัตน์ ตรวจทาน", "ถูกต้อง"),
    ]
    body = page(client, "auditor", "entry", reviewed_entry.pk)
    assert "จำนวนกิจกรรมไม่ตรงกับหลักฐาน" in body
    assert "สถานะ: ส่งแล้ว → ส่งกลับให้แก้ไข" in body


def test_an_entry_history_shows_evidence_added_and_removed(
    client: Any, reviewed_entry: ProgressEntry
) -> None:
    events = (
        signed_in(client, "auditor")
        .get(history_url("entry", reviewed_entry.pk))
        .context["history"]
        .events
    )
    files = [(e.what, e.who, e.detail) for e in reversed(events) if e.kind.startswith("evidence")]
    assert files == [
        ("แนบหลักฐาน", "นายสมชาย รายงานผล", "รายงานการประชุม.pdf (13 ไบต์) — รายงานการประชุมคณะทำงาน"),
        (
            "นำหลักฐานออก",
            "นายสมชาย รายงานผล",
            "รายงานการประชุม.pdf (13 ไบต์) — รายงานการประชุมคณะทำงาน",
        ),
    ]


def test_the_history_is_newest_first_and_ends_with_the_created_record(
    client: Any, reviewed_entry: ProgressEntry
) -> None:
    history = signed_in(client, "auditor").get(history_url("entry", reviewed_entry.pk))
    events = history.context["history"].events
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)
    created = events[-1]
    assert created.what == "สร้างรายการ"
    assert created.who == "ระบบ (ไม่ระบุผู้ใช้)"  # the seed loader
    first_values = {c.field: (c.before, c.after) for c in created.changes}
    assert first_values["ผลการดำเนินงาน (เทียบแผนรอบนี้)"] == ("-", "5 กิจกรรม ดำเนินการได้ 5 กิจกรรม")
    assert first_values["วิธีได้มาของร้อยละ"] == ("-", "กรอกโดยผู้รายงาน")
    assert first_values["รอบ"] == ("-", "รอบ 6 เดือน (ไตรมาสที่ 2) ปีงบประมาณ 2567")


def test_the_reporter_and_the_approver_read_their_entrys_history(
    client: Any, reviewed_entry: ProgressEntry
) -> None:
    for username in ("reporter", "approver", "planner", "executive"):
        assert "ถูกต้อง" in page(client, username, "entry", reviewed_entry.pk)


def test_a_work_item_history_shows_labels_related_names_and_linked_plans(client: Any) -> None:
    item = WorkItem.objects.get(name=MAINTENANCE)
    node = PolicyNode.objects.order_by("pk").first()
    assert node is not None
    other_activity = (
        Activity.objects.exclude(pk=item.activity_id)
        .filter(output__plan=item.plan)
        .order_by("pk")
        .first()
    )
    assert other_activity is not None
    with acting_as("planner"):
        item.kind = WorkItem.Kind.PROGRAMME
        item.activity = other_activity
        item.number = 99
        item.budget_baht = Decimal("1250000")
        item.save()
        item.policy_nodes.add(node)
    history = signed_in(client, "auditor").get(history_url("work_item", item.pk))
    events = history.context["history"].events
    changes = {
        c.field: (c.before, c.after) for e in events if e.kind == "changed" for c in e.changes
    }
    assert changes["ประเภท"] == ("โครงการ", "แผนงาน")
    assert changes["กิจกรรม"] == ("ผลผลิตที่ 2 กิจกรรมที่ 3", str(other_activity))
    assert changes["งบประมาณ (บาท)"] == ("-", "1,250,000.00")
    assert changes["ความเชื่อมโยงกับแผนระดับชาติ"] == ("-", str(node))
    assert {e.who for e in events if e.kind == "changed"} == {"นางสาววิภาวรรณ วางแผนดี"}
    # The item's page leads to its rounds' entries.
    entry = maintenance_entry()
    assert history_url("entry", entry.pk) in history.content.decode()


def test_an_auditor_reads_the_history_of_every_kind_of_object(client: Any) -> None:
    item = WorkItem.objects.get(name=MAINTENANCE)
    indicator = Indicator.objects.filter(organization__code="onesqa").order_by("pk").first()
    assert indicator is not None
    result = IndicatorResult.objects.filter(indicator=indicator).first()
    assert result is not None
    objects = {
        "entry": maintenance_entry().pk,
        "result": result.pk,
        "work_item": item.pk,
        "indicator": indicator.pk,
        "output": Output.objects.get(plan=item.plan, number=2).pk,
        "activity": item.activity_id,
        "plan": item.plan_id,
    }
    for kind, object_id in objects.items():
        body = page(client, "auditor", kind, object_id)
        assert "สร้างรายการ" in body, kind
        assert "<form" not in body.split('id="content"')[1], kind  # no forms: read only


@pytest.mark.parametrize(
    "kind", ["entry", "result", "work_item", "indicator", "output", "activity", "plan"]
)
def test_another_agencys_person_gets_404_for_every_kind(client: Any, kind: str) -> None:
    item = WorkItem.objects.get(name=MAINTENANCE)
    indicator = Indicator.objects.filter(organization__code="onesqa").order_by("pk").first()
    assert indicator is not None
    ids = {
        "entry": maintenance_entry().pk,
        "result": IndicatorResult.objects.filter(indicator=indicator).values_list("pk", flat=True)[
            0
        ],
        "work_item": item.pk,
        "indicator": indicator.pk,
        "output": item.activity.output_id if item.activity else 0,
        "activity": item.activity_id,
        "plan": item.plan_id,
    }
    response = signed_in(client, "bic-planner").get(history_url(kind, ids[kind]))
    assert response.status_code == 404


def test_a_reporter_reads_the_history_of_what_their_agency_reads(client: Any) -> None:
    """The same-organisation rule (tidtam/orgs/policy.py): a role anywhere in สมศ. reads all of
    สมศ., as the object pages do; another agency reads none of it."""
    item = WorkItem.objects.get(name=MAINTENANCE)
    entry = maintenance_entry()
    # ภนย.'s reporter does not report สนย.'s project, but reads it as สมศ.'s plan page shows it.
    assert signed_in(client, "reporter2").get(history_url("work_item", item.pk)).status_code == 200
    assert signed_in(client, "reporter2").get(history_url("entry", entry.pk)).status_code == 200
    assert signed_in(client, "reporter").get(history_url("entry", entry.pk)).status_code == 200
    assert signed_in(client, "reporter").get(history_url("plan", item.plan_id)).status_code == 200
    for kind, object_id in (("entry", entry.pk), ("plan", item.plan_id)):
        assert signed_in(client, "moe-planner").get(history_url(kind, object_id)).status_code == 404


def test_an_unknown_kind_or_object_is_not_found(client: Any) -> None:
    signed_in(client, "auditor")
    assert client.get(history_url("budget", 1)).status_code == 404
    assert client.get(history_url("work_item", 10_000_000)).status_code == 404


def test_history_pages_are_read_only(client: Any) -> None:
    url = history_url("entry", maintenance_entry().pk)
    signed_in(client, "auditor")
    assert client.post(url, {}).status_code == 405
    assert client.head(url).status_code == 200


def test_history_needs_a_sign_in(client: Any) -> None:
    response = client.get(history_url("plan", OperatingPlan.objects.first().pk))  # type: ignore[union-attr]
    assert response.status_code == 302


def test_a_longer_history_takes_no_more_queries(client: Any, settings: Any, tmp_path: Any) -> None:
    settings.EVIDENCE_ROOT = tmp_path
    url = history_url("entry", maintenance_entry().pk)
    signed_in(client, "auditor")
    edit(maintenance_entry(), "reporter", result_text="ครั้งที่ 1")
    client.get(url)  # warm the content-type cache
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for n in range(2, 8):
        edit(maintenance_entry(), "reporter" if n % 2 else "planner", result_text=f"ครั้งที่ {n}")
    with acting_as("reporter") as reporter:
        review.evidence_add(
            entry=maintenance_entry(),
            upload=SimpleUploadedFile("ภาพกิจกรรม.png", b"\x89PNG\r\n\x1a\n....", "image/png"),
            user=reporter,
        )
        review.entry_review(entry=maintenance_entry(), action="submit", user=reporter)
    with CaptureQueriesContext(connection) as long:
        response = client.get(url)
    assert len(response.context["history"].events) >= 10
    assert len(long) == len(short)
