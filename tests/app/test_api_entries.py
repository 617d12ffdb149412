"""Progress entries through the API: the entry page's save (percentages computed the same way),
the version check (a stale write is refused with 409 and what changed), the closed round, and
the review workflow (submit → return → submit → approve) with its roles and stamps."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings

from tests.app.api_helpers import as_
from tests.app.conftest import open_round_for
from tidtam.periods.models import Round
from tidtam.plans.models import WorkItem
from tidtam.progress.models import ProgressEntry, ReviewStep

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

MAINTENANCE = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"


@pytest.fixture(autouse=True)
def open_round(tmp_path: Path) -> Iterator[Round]:
    round_ = open_round_for(2567, 6)
    with override_settings(DEMO_TODAY="2024-04-08", EVIDENCE_ROOT=tmp_path / "evidence"):
        yield round_


@pytest.fixture
def item() -> WorkItem:
    return WorkItem.objects.get(name=MAINTENANCE)


def entry_path(item: WorkItem, round_: Round) -> str:
    return f"/work-items/{item.pk}/rounds/{round_.pk}/entry"


def body(version: int, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {"version": version, "result_text": "ดำเนินการได้ 9 กิจกรรม"}
    data["result_quantity"] = "9"
    data.update(changes)
    return data


def current(item: WorkItem, round_: Round) -> ProgressEntry:
    return ProgressEntry.objects.get(work_item=item, round=round_)


def test_a_save_is_the_entry_pages_save_with_its_percentages(
    item: WorkItem, open_round: Round
) -> None:
    version = current(item, open_round).version
    answer = as_("reporter").put(entry_path(item, open_round), body(version))
    assert answer.status_code == 200
    saved = answer.json()
    entry = current(item, open_round)
    assert (entry.result_quantity, entry.percent_method) == (Decimal("9"), "computed")
    # 9 of 9 planned by the sixth month, 9 of 11 in the year (stored cut to 4 places).
    assert (entry.percent_round, entry.percent_annual) == (Decimal("100.0000"), Decimal("81.8181"))
    assert saved["version"] == entry.version == version + 1
    assert (saved["percent_round"], saved["percent_annual"]) == ("100.0000", "81.8181")
    assert (saved["status"], saved["status_label"], saved["band"]) == ("draft", "ร่าง", entry.band)
    assert saved["work_item_key"] == item.key
    assert (saved["fiscal_year"], saved["round_months"]) == (2567, 6)
    assert entry.updated_by is not None and entry.updated_by.username == "reporter"
    assert entry.history.first().history_user.username == "reporter"

    read = as_("approver").get(entry_path(item, open_round)).json()
    assert read == saved


def test_a_stale_write_is_refused_with_409_and_what_the_other_person_changed(
    item: WorkItem, open_round: Round
) -> None:
    version = current(item, open_round).version
    first = as_("reporter").put(entry_path(item, open_round), body(version))
    assert first.status_code == 200
    stale = as_("planner").put(
        entry_path(item, open_round),
        body(version, result_text="ดำเนินการได้ 8 กิจกรรม", result_quantity="8"),
    )
    assert stale.status_code == 409
    refusal = stale.json()
    assert refusal["code"] == "entry_conflict"
    assert refusal["message"].startswith(f'"{MAINTENANCE}" ถูกแก้ไขโดย')
    # In the API's words: no form keeps what was typed, so read again and send the version.
    assert "หลังจากรุ่นที่คุณอ่าน" in refusal["message"]
    assert refusal["message"].endswith("แล้วส่งอีกครั้งพร้อม version ล่าสุดถ้ายังต้องการ")
    assert "แบบฟอร์ม" not in refusal["message"]
    assert {d["field"] for d in refusal["details"]} == {"result_text", "result_quantity"}
    detail = next(d for d in refusal["details"] if d["field"] == "result_quantity")
    assert Decimal(detail["now"]) == Decimal("9")
    entry = current(item, open_round)
    assert (entry.result_quantity, entry.version) == (Decimal("9"), version + 1)

    # Read again, the same change goes over it knowingly.
    again = as_("planner").put(
        entry_path(item, open_round), body(entry.version, result_quantity="8")
    )
    assert again.status_code == 200
    assert current(item, open_round).result_quantity == Decimal("8")


def test_a_closed_round_and_one_not_opened_yet_refuse_the_save_each_saying_which(
    item: WorkItem, open_round: Round
) -> None:
    from tidtam.orgs.models import Organization
    from tidtam.periods.services import round_close

    later = Round.objects.get(fiscal_year__year=2567, months=9)  # no one has opened it
    answer = as_("reporter").put(entry_path(item, later), body(0))
    assert answer.status_code == 409
    assert answer.json()["code"] == "round_not_opened"
    assert answer.json()["message"].startswith(
        f'รอบ 9 เดือน (ไตรมาสที่ 3) ปีงบประมาณ 2567 ยังไม่เปิดรับรายงาน จึงบันทึกหรือส่งผลของ "{MAINTENANCE}" ไม่ได้'
    )
    assert not ProgressEntry.objects.filter(work_item=item, round=later).exists()
    round_close(round_=open_round, organization=Organization.objects.get(code="onesqa"))
    version = current(item, open_round).version
    answer = as_("reporter").put(entry_path(item, open_round), body(version, result_quantity="9"))
    assert answer.status_code == 409
    assert answer.json()["code"] == "round_closed"
    assert answer.json()["message"].startswith(
        f'รอบ 6 เดือน (ไตรมาสที่ 2) ปีงบประมาณ 2567 ปิดรับรายงานแล้ว จึงบันทึกหรือส่งผลของ "{MAINTENANCE}" ไม่ได้'
    )
    assert current(item, open_round).version == version


def test_submit_return_resubmit_approve_with_every_step_stamped(
    item: WorkItem, open_round: Round
) -> None:
    reporter, approver = as_("reporter"), as_("approver")
    saved = reporter.put(entry_path(item, open_round), body(current(item, open_round).version))
    entry_id = saved.json()["id"]
    review = f"/entries/{entry_id}/review"

    submitted = reporter.post(review, {"action": "submit", "version": saved.json()["version"]})
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["step"]["actor"] == "reporter"

    # The reporter may not approve; a return needs its comment.
    refused = reporter.post(review, {"action": "approve"})
    assert (refused.status_code, refused.json()["code"]) == (403, "api_forbidden")
    no_comment = approver.post(review, {"action": "return", "comment": "  "})
    assert (no_comment.status_code, no_comment.json()["code"]) == (422, "comment_required")
    returned = approver.post(review, {"action": "return", "comment": "แนบรายงานด้วย"})
    assert returned.json()["status"] == "returned"

    # A locked entry is not saved over; a step over a newer version is refused.
    stale = reporter.post(review, {"action": "submit", "version": submitted.json()["version"]})
    assert (stale.status_code, stale.json()["code"]) == (409, "entry_version_stale")
    resubmitted = reporter.post(review, {"action": "submit"})
    assert resubmitted.json()["status"] == "submitted"
    locked = reporter.put(
        entry_path(item, open_round), body(resubmitted.json()["version"], result_quantity="10")
    )
    assert (locked.status_code, locked.json()["code"]) == (409, "entry_locked")

    approved = approver.post(review, {"action": "approve", "comment": ""})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    steps = ReviewStep.objects.filter(object_id=entry_id).order_by("id")
    assert [(s.action, s.from_status, s.to_status, s.actor.username) for s in steps] == [
        ("submit", "draft", "submitted", "reporter"),
        ("return", "submitted", "returned", "approver"),
        ("submit", "returned", "submitted", "reporter"),
        ("approve", "submitted", "approved", "approver"),
    ]
    assert as_("reporter").get(f"/entries/{entry_id}").json()["status_label"] == "อนุมัติแล้ว"


def test_an_auditor_with_a_write_token_changes_nothing(item: WorkItem, open_round: Round) -> None:
    auditor = as_("auditor")
    assert auditor.get(entry_path(item, open_round)).status_code == 200
    refused = auditor.put(entry_path(item, open_round), body(current(item, open_round).version))
    assert refused.status_code == 403
    assert refused.json()["code"] == "api_read_only"
    assert "อ่านอย่างเดียว" in refused.json()["message"]
    assert current(item, open_round).result_quantity != Decimal("9")


def test_a_rule_of_the_core_is_answered_in_thai_with_422(item: WorkItem, open_round: Round) -> None:
    # 2 of 11 in the year is below the explanation threshold: the page asks for a reason too.
    answer = as_("reporter").put(
        entry_path(item, open_round), body(current(item, open_round).version, result_quantity="2")
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "explanation_required"
    assert "คำอธิบาย" in answer.json()["message"]
