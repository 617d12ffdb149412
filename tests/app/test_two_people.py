"""Two people on one entry, a closed round, and one person in two roles, through HTTP.

The races themselves (the same moment on PostgreSQL) are in tests/concurrency; here each step
happens in turn, the way two people's browsers meet on deadline day: both open the form, one
saves, then the other.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from tests.app.conftest import open_round_for, signed_in
from tidtam.orgs.models import Organization, Person, RoleAssignment
from tidtam.periods.models import Round
from tidtam.periods.services import round_close
from tidtam.plans.models import WorkItem
from tidtam.progress.models import Evidence, ProgressEntry, ReviewStep

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

MAINTENANCE = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def round_(tmp_path: Path) -> Any:
    opened = open_round_for(2567, 6)
    with override_settings(DEMO_TODAY="2024-04-08", EVIDENCE_ROOT=tmp_path / "evidence"):
        yield opened


@pytest.fixture
def item() -> WorkItem:
    return WorkItem.objects.get(name=MAINTENANCE)


def url(item: WorkItem, round_: Round) -> str:
    return reverse("progress:entry", args=[item.pk, round_.pk])


def typed(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "result_text": "ดำเนินการได้ 9 กิจกรรม",
        "result_text_annual": "",
        "result_quantity": "9",
        "percent_round": "",
        "percent_annual": "",
        "percent_note": "",
        "explanation": "",
        "submit": "0",
    }
    data.update(changes)
    return data


def version_on_page(client: Client, item: WorkItem, round_: Round) -> str:
    page = client.get(url(item, round_)).content.decode()
    marker = 'name="version" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


CLOSED = "ปิดรับรายงานแล้ว จึงบันทึกหรือส่งผลของ"
UNSAVED = "ยังไม่ได้บันทึกสิ่งที่คุณกรอก"


def unsaved_on(page: str) -> list[tuple[str, str]]:
    """What the page shows as typed but not saved (web/_unsaved.html): (field label, value)."""
    assert page.count(UNSAVED) == 1, "no box of what was typed"
    box = page[page.index(UNSAVED) : page.index("</section>", page.index(UNSAVED))]
    pairs = re.findall(
        r"<label[^>]*>([^<]*)</label>\s*<textarea[^>]*readonly>([^<]*)</textarea>", box
    )
    return [(html.unescape(label), html.unescape(value)) for label, value in pairs]


def entry_of(item: WorkItem, round_: Round) -> ProgressEntry:
    return ProgressEntry.objects.get(work_item=item, round=round_)


def test_the_second_of_two_people_who_opened_one_entry_does_not_wipe_the_firsts_text(
    item: WorkItem, round_: Round, tmp_path: Path
) -> None:
    reporter = signed_in(Client(), "reporter")
    planner = signed_in(Client(), "planner")
    opened_by_reporter = version_on_page(reporter, item, round_)
    opened_by_planner = version_on_page(planner, item, round_)
    assert opened_by_reporter == opened_by_planner

    first = reporter.post(
        url(item, round_), typed(result_text="ข้อความของผู้รายงาน", version=opened_by_reporter)
    )
    assert first.status_code == 302
    evidence = SimpleUploadedFile("บันทึกการประชุม.pdf", PDF, "application/pdf")
    second = planner.post(
        url(item, round_),
        typed(
            result_text="ข้อความของผู้วางแผน",
            result_quantity="10",
            version=opened_by_planner,
            evidence=[evidence],
        ),
    )
    page = second.content.decode()
    assert second.status_code == 200
    # The first person's text is what is stored; nothing of the second's was written.
    stored = entry_of(item, round_)
    assert stored.result_text == "ข้อความของผู้รายงาน"
    assert not Evidence.objects.exists()
    # The page says who changed what, and keeps everything the second person typed, files too.
    assert "ถูกแก้ไขโดย" in page and "หลังจากที่คุณเปิดแบบฟอร์มนี้" in page
    assert "ข้อความของผู้รายงาน" in page  # what is stored now, in the table of changes
    assert "ข้อความของผู้วางแผน" in page and 'value="10"' in page
    assert "บันทึกการประชุม.pdf" in page and "ไม่ต้องเลือกใหม่" in page

    # Saving again, having seen the change, goes over it and attaches the kept file.
    fields = {name: _hidden(page, name) for name in ("version", "kept_files")}
    assert fields["version"] == str(stored.version)
    third = planner.post(
        url(item, round_),
        typed(result_text="ข้อความของผู้วางแผน", result_quantity="10", **fields),
    )
    assert third.status_code == 302
    stored = entry_of(item, round_)
    assert stored.result_text == "ข้อความของผู้วางแผน"
    assert [e.original_name for e in Evidence.objects.all()] == ["บันทึกการประชุม.pdf"]
    assert Evidence.objects.get().file.read() == PDF
    assert not list((tmp_path / "evidence" / "kept").iterdir())


def test_a_file_kept_from_a_conflict_is_named_when_the_entry_was_sent_meanwhile(
    item: WorkItem, round_: Round
) -> None:
    """The planner's save met the reporter's change and kept the planner's file; the reporter
    then sent the entry. The planner's next save is refused whole, and the page names the kept
    file among what was not kept, even when the text equals what is stored."""
    reporter = signed_in(Client(), "reporter")
    planner = signed_in(Client(), "planner")
    opened = version_on_page(planner, item, round_)
    assert reporter.post(url(item, round_), typed(version=opened)).status_code == 302
    evidence = SimpleUploadedFile("minutes.pdf", PDF, "application/pdf")
    met = planner.post(
        url(item, round_), typed(result_text="อื่น", version=opened, evidence=[evidence])
    )
    assert "ไม่ต้องเลือกใหม่" in met.content.decode()
    fields = {name: _hidden(met.content.decode(), name) for name in ("version", "kept_files")}
    version = version_on_page(reporter, item, round_)
    assert reporter.post(url(item, round_), typed(submit="1", version=version)).status_code == 302
    refused = planner.post(url(item, round_), typed(**fields))  # the text as stored
    assert refused.status_code == 409
    assert "ไฟล์ที่เลือกแนบไว้ไม่ได้ถูกเก็บ ต้องเลือกใหม่เมื่อรายการเปิดให้แก้ไข: minutes.pdf" in (
        refused.content.decode()
    )
    assert not Evidence.objects.filter(original_name="minutes.pdf").exists()


def _hidden(page: str, name: str) -> str:
    marker = f'name="{name}" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_a_stale_form_that_changes_nothing_someone_else_changed_is_saved(
    item: WorkItem, round_: Round
) -> None:
    reporter = signed_in(Client(), "reporter")
    version = version_on_page(reporter, item, round_)
    stored = entry_of(item, round_)
    as_stored = typed(
        result_text=stored.result_text,
        result_text_annual=stored.result_text_annual,
        explanation=stored.explanation,
        version=version,
    )
    planner = signed_in(Client(), "planner")
    assert planner.post(url(item, round_), {**as_stored, "result_text": "ก"}).status_code == 302
    # The reporter typed the same text the planner saved, and a new explanation.
    response = reporter.post(
        url(item, round_), {**as_stored, "result_text": "ก", "explanation": "เพิ่มเติม"}
    )
    assert response.status_code == 302
    assert (entry_of(item, round_).result_text, entry_of(item, round_).explanation) == (
        "ก",
        "เพิ่มเติม",
    )


def test_a_double_submit_is_one_step(item: WorkItem, round_: Round) -> None:
    """The second request of a double-click asks what the first did: it is taken as done, a
    file it carries included (attached once)."""
    reporter = signed_in(Client(), "reporter")
    version = version_on_page(reporter, item, round_)
    for _ in range(2):
        sent = typed(submit="1", version=version)
        sent["evidence"] = SimpleUploadedFile("photo.pdf", PDF, content_type="application/pdf")
        response = reporter.post(url(item, round_), sent)
        assert response.status_code == 302
    entry = entry_of(item, round_)
    assert entry.status == "submitted"
    assert ReviewStep.objects.filter(object_id=entry.pk, action="submit").count() == 1
    assert Evidence.objects.filter(object_id=entry.pk, original_name="photo.pdf").count() == 1
    # Another file is not what was done: the page shows it back (409).
    other = typed(submit="1", version=version)
    other["evidence"] = SimpleUploadedFile("other.pdf", PDF, content_type="application/pdf")
    assert reporter.post(url(item, round_), other).status_code == 409


def test_a_draft_sent_after_the_round_closed_is_not_taken_as_sent(
    item: WorkItem, round_: Round
) -> None:
    """The same values sent with "บันทึกและส่งผล" after the round closed: the draft was saved
    but it was not sent, so the page says why (409) instead of a silent redirect."""
    reporter = signed_in(Client(), "reporter")
    version = version_on_page(reporter, item, round_)
    assert reporter.post(url(item, round_), typed(version=version)).status_code == 302
    version = version_on_page(reporter, item, round_)
    round_close(round_=round_, organization=item.plan.organization)
    refused = reporter.post(url(item, round_), typed(submit="1", version=version))
    assert refused.status_code == 409
    assert refused.content.decode().count(CLOSED) == 1
    assert entry_of(item, round_).status == "draft"


def test_whoever_submitted_an_entry_cannot_approve_it_and_the_page_says_why(
    item: WorkItem, round_: Round
) -> None:
    approver = Person.objects.get(user__username="approver")
    unit = Organization.objects.get(pk=item.responsibilities.first().organization_id)
    RoleAssignment.objects.create(person=approver, organization=unit, role="reporter")
    client = signed_in(Client(), "approver")
    assert client.post(url(item, round_), typed(submit="1")).status_code == 302
    entry = entry_of(item, round_)

    page = client.get(url(item, round_)).content.decode()
    assert "คุณเป็นผู้ส่งผลรายการนี้ จึงอนุมัติหรือส่งกลับเองไม่ได้" in page
    assert 'value="approve"' not in page
    review = reverse("progress:entry_review", args=[entry.pk])
    answer = client.post(review, {"action": "approve"}, follow=True).content.decode()
    assert "จึงอนุมัติรายการเดียวกันเองไม่ได้" in answer
    assert entry_of(item, round_).status == "submitted"

    # Another approver may; and an organisation that switches the rule off lets one person do both.
    Organization.objects.filter(pk=item.plan.organization_id).update(segregate_duties=False)
    client.post(review, {"action": "approve"})
    assert entry_of(item, round_).status == "approved"


def test_a_closed_round_refuses_saves_and_submits_until_a_planner_lets_one_entry_in(
    item: WorkItem, round_: Round
) -> None:
    reporter = signed_in(Client(), "reporter")
    reporter.post(url(item, round_), typed(result_text="ก่อนปิดรอบ"))
    version = version_on_page(reporter, item, round_)
    round_close(round_=round_, organization=item.plan.organization)

    page = reporter.get(url(item, round_)).content.decode()
    assert "ปิดรับรายงาน" in page or "ปิดแล้ว" in page
    assert 'name="result_text"' not in page
    refused = reporter.post(url(item, round_), typed(result_text="หลังปิดรอบ", version=version))
    # Nothing is saved, nothing typed is lost: the page says why once and shows what was typed.
    assert refused.status_code == 409
    assert entry_of(item, round_).result_text == "ก่อนปิดรอบ"
    answer = refused.content.decode()
    assert answer.count(CLOSED) == 1  # the page's own notice; no second copy above it
    assert unsaved_on(answer) == [
        ("ผลการดำเนินงาน (เทียบแผนรอบนี้)", "หลังปิดรอบ"),
        ("ผล (จำนวน)", "9"),
    ]
    assert 'name="result_text"' not in answer
    assert reporter.get(url(item, round_)).content.decode().count(CLOSED) == 1  # no flash left

    # A reporter may not unlock; the planner does, with a reason that becomes a review step.
    unlock = reverse("progress:entry_unlock", args=[item.pk, round_.pk])
    assert reporter.post(unlock, {"reason": "ขอส่งช้า"}).status_code == 403
    planner = signed_in(Client(), "planner")
    no_reason = planner.post(unlock, {"reason": " "}, follow=True).content.decode()
    assert "ระบุเหตุผล" in no_reason
    planner.post(unlock, {"reason": "ผู้รายงานลาป่วยช่วงกำหนดส่ง"})
    step = ReviewStep.objects.get(action="unlock")
    assert step.comment == "ผู้รายงานลาป่วยช่วงกำหนดส่ง"
    # The reporter's own work page lists it, linking to its round, though the round is closed.
    work = reporter.get(reverse("progress:my_work")).content.decode()
    late = work[work.index('id="late-heading"') :]
    assert url(item, round_) in late and item.name in late

    version = version_on_page(reporter, item, round_)
    saved = reporter.post(
        url(item, round_), typed(result_text="หลังปิดรอบ", submit="1", version=version)
    )
    assert saved.status_code == 302
    entry = entry_of(item, round_)
    assert (entry.result_text, entry.status) == ("หลังปิดรอบ", "submitted")
    # Approved, the leave ends and the entry leaves the page.
    approver = signed_in(Client(), "approver")
    review = reverse("progress:entry_review", args=[entry.pk])
    assert approver.post(review, {"action": "approve", "comment": ""}).status_code == 302
    assert entry_of(item, round_).status == "approved"
    assert 'id="late-heading"' not in reporter.get(reverse("progress:my_work")).content.decode()
    # Other entries of the closed round stay locked.
    other = WorkItem.objects.filter(plan=item.plan).exclude(pk=item.pk).first()
    assert other is not None
    assert "ปิด" in reporter.get(url(other, round_)).content.decode()


def test_a_change_typed_while_the_entry_was_sent_is_shown_back_with_why_and_saves_nothing(
    item: WorkItem, round_: Round
) -> None:
    """One tab sends the entry while another still holds the form: the other tab's save is
    refused whole (the entry waits for its approver), and its page shows what it typed and the
    file it chose was not kept."""
    reporter = signed_in(Client(), "reporter")
    version = version_on_page(reporter, item, round_)
    assert reporter.post(url(item, round_), typed(submit="1", version=version)).status_code == 302
    late = typed(result_text="แก้ข้อความหลังส่ง", explanation="เพิ่มคำอธิบาย", version=version)
    late["evidence"] = SimpleUploadedFile("photo.pdf", PDF, content_type="application/pdf")
    refused = reporter.post(url(item, round_), late)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert page.count("อยู่ในสถานะ &quot;ส่งแล้ว") + page.count('อยู่ในสถานะ "ส่งแล้ว') == 1
    assert unsaved_on(page) == [
        ("ผลการดำเนินงาน (เทียบแผนรอบนี้)", "แก้ข้อความหลังส่ง"),
        ("ผล (จำนวน)", "9"),
        ("คำอธิบายกรณีผลต่ำกว่าเกณฑ์", "เพิ่มคำอธิบาย"),
    ]
    assert "ไฟล์ที่เลือกแนบไว้ไม่ได้ถูกเก็บ ต้องเลือกใหม่เมื่อรายการเปิดให้แก้ไข: photo.pdf" in page
    entry = entry_of(item, round_)
    assert (entry.result_text, entry.explanation, entry.status) == (
        "ดำเนินการได้ 9 กิจกรรม",
        "",
        "submitted",
    )
    assert not Evidence.objects.filter(object_id=entry.pk, original_name="photo.pdf").exists()


@pytest.mark.parametrize(
    ("quantity", "where"),
    [
        ("1" + "0" * 29, "ยาวเกินกว่าที่บันทึกได้"),
        ("1.23456", "ทศนิยมเกิน 4 ตำแหน่ง"),
        ("100000000", "เกินกว่าที่บันทึกได้"),
    ],
)
def test_a_quantity_the_database_cannot_keep_is_refused_next_to_its_field(
    item: WorkItem, round_: Round, quantity: str, where: str
) -> None:
    before = ProgressEntry.objects.filter(work_item=item, round=round_).first()
    response = signed_in(Client(), "reporter").post(
        url(item, round_), typed(result_quantity=quantity)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert where in page and 'id="id_result_quantity_error"' in page
    after = ProgressEntry.objects.filter(work_item=item, round=round_).first()
    assert (after and after.result_quantity) == (before and before.result_quantity)


def test_a_negative_manual_percent_is_refused_next_to_its_field(
    item: WorkItem, round_: Round
) -> None:
    response = signed_in(Client(), "reporter").post(
        url(item, round_),
        typed(override="on", percent_round="10", percent_annual="-1", percent_note="ประเมินเอง"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "ติดลบไม่ได้" in page and 'id="id_percent_annual_error"' in page
    assert "ยังไม่ได้กรอกร้อยละเทียบเป้าหมายทั้งปี" not in page


def test_two_planners_on_one_work_item_the_second_is_told_what_changed(item: WorkItem) -> None:
    from tests.app.test_plan_setup import item_form

    edit = reverse("plans:work_item_edit", kwargs={"work_item_id": item.pk})
    from django.contrib.auth import get_user_model

    chief = get_user_model().objects.create_superuser("chief", "chief@example.invalid", "x")
    planner, admin = signed_in(Client(), "planner"), Client()
    admin.force_login(chief)
    version = _hidden(planner.get(edit).content.decode(), "version")
    first = admin.post(edit, {**item_form(item, target_text="12 กิจกรรม"), "version": version})
    assert first.status_code == 302
    second = planner.post(edit, {**item_form(item, name="ชื่อที่ผู้วางแผนพิมพ์"), "version": version})
    page = second.content.decode()
    assert second.status_code == 400
    assert "หลังจากที่คุณเปิดแบบฟอร์มนี้" in page and "เป้าหมาย (ข้อความ)" in page
    assert "ชื่อที่ผู้วางแผนพิมพ์" in page
    item.refresh_from_db()
    assert (item.name, item.target_text) == (MAINTENANCE, "12 กิจกรรม")
    # Having seen it, the planner saves again over the change.
    again = planner.post(
        edit,
        {
            **item_form(item, name="ชื่อที่ผู้วางแผนพิมพ์"),
            "version": _hidden(page, "version"),
        },
    )
    assert again.status_code == 302
    item.refresh_from_db()
    assert (item.name, item.target_text) == ("ชื่อที่ผู้วางแผนพิมพ์", "12 กิจกรรม")


@pytest.mark.parametrize("kind", ["output", "activity"])
def test_two_planners_on_one_output_or_activity_the_second_is_told_and_keeps_the_text(
    item: WorkItem, kind: str
) -> None:
    from django.contrib.auth import get_user_model

    activity = item.activity
    assert activity is not None
    obj: Any = activity if kind == "activity" else activity.output
    edit = reverse(f"plans:{kind}_edit", kwargs={f"{kind}_id": obj.pk})
    chief = get_user_model().objects.create_superuser("chief", "chief@example.invalid", "x")
    planner, admin = signed_in(Client(), "planner"), Client()
    admin.force_login(chief)
    version = _hidden(planner.get(edit).content.decode(), "version")
    first = admin.post(edit, {"name": "ชื่อที่หัวหน้าแก้", "name_note": "", "version": version})
    assert first.status_code == 302
    second = planner.post(edit, {"name": "ชื่อที่ผู้วางแผนพิมพ์", "name_note": "", "version": version})
    page = second.content.decode()
    assert second.status_code == 400
    assert "หลังจากที่คุณเปิดแบบฟอร์มนี้" in page and "ชื่อที่หัวหน้าแก้" in page
    assert "ชื่อที่ผู้วางแผนพิมพ์" in page  # what the planner typed is still in the form
    obj.refresh_from_db()
    assert obj.name == "ชื่อที่หัวหน้าแก้"
    # Having seen it, the planner saves again over the change.
    again = planner.post(
        edit,
        {"name": "ชื่อที่ผู้วางแผนพิมพ์", "name_note": "", "version": _hidden(page, "version")},
    )
    assert again.status_code == 302
    obj.refresh_from_db()
    assert obj.name == "ชื่อที่ผู้วางแผนพิมพ์"


def test_two_planners_on_one_budget_line_or_milestone_the_second_is_told(item: WorkItem) -> None:
    from django.contrib.auth import get_user_model

    from tidtam.budgets.models import BudgetLine
    from tidtam.plans.models import PlannedMilestone

    chief = get_user_model().objects.create_superuser("chief", "chief@example.invalid", "x")
    planner, admin = signed_in(Client(), "planner"), Client()
    admin.force_login(chief)
    line = BudgetLine.objects.filter(organization__code="onesqa").order_by("pk")[0]
    milestone = PlannedMilestone.objects.filter(work_item=item).order_by("round_months")[0]
    cases: list[tuple[Any, str, dict[str, str], dict[str, str], str]] = [
        (
            line,
            reverse("budgets:line_edit", kwargs={"line_id": line.pk}),
            # Plans above what the line has disbursed (a plan below it is refused).
            {
                "category": str(line.category_id),
                "name": "ชื่อที่หัวหน้าแก้",
                "annual_plan_baht": "300000000",
            },
            {
                "category": str(line.category_id),
                "name": "ชื่อที่ผู้วางแผนพิมพ์",
                "annual_plan_baht": "300000001",
            },
            "name",
        ),
        (
            milestone,
            reverse("plans:milestone_edit", kwargs={"milestone_id": milestone.pk}),
            {"text": "แผนที่หัวหน้าแก้", "planned_quantity": "3"},
            {"text": "แผนที่ผู้วางแผนพิมพ์", "planned_quantity": "4"},
            "text",
        ),
    ]
    for obj, edit, theirs, mine, field in cases:
        version = _hidden(planner.get(edit).content.decode(), "version")
        assert admin.post(edit, {**theirs, "version": version}).status_code == 302
        second = planner.post(edit, {**mine, "version": version})
        page = second.content.decode()
        assert second.status_code == 400, edit
        assert "หลังจากที่คุณเปิดแบบฟอร์มนี้" in page and theirs[field] in page  # the table
        assert mine[field] in page  # what the planner typed is still in the form
        obj.refresh_from_db()
        assert getattr(obj, field) == theirs[field]
        again = planner.post(edit, {**mine, "version": _hidden(page, "version")})
        assert again.status_code == 302, edit
        obj.refresh_from_db()
        assert getattr(obj, field) == mine[field]


def test_a_tampered_version_is_refused_with_a_thai_message_saying_to_reopen(item: WorkItem) -> None:
    activity = item.activity
    assert activity is not None
    edit = reverse("plans:output_edit", kwargs={"output_id": activity.output_id})
    response = signed_in(Client(), "planner").post(edit, {"name": "ชื่อใหม่", "version": "abc"})
    assert response.status_code == 400
    assert "เปิดหน้านี้ใหม่ แล้วกรอกและบันทึกอีกครั้ง" in response.content.decode()
    activity.output.refresh_from_db()
    assert activity.output.name != "ชื่อใหม่"
