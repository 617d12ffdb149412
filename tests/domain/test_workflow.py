"""The review workflow: which step is allowed from which status, and which steps need a reason."""

import pytest

from tidtam.domain.errors import DomainError
from tidtam.domain.workflow import Action, Status, is_editable, next_status
from tidtam.messages import message_for


def test_an_entry_goes_from_draft_through_a_return_to_approval() -> None:
    status = next_status("draft", "submit")
    assert status is Status.SUBMITTED
    status = next_status(status, "return", comment="ใส่จำนวนผู้เข้าร่วมให้ครบ")
    assert status is Status.RETURNED
    status = next_status(status, "submit")
    assert status is Status.SUBMITTED
    assert next_status(status, "approve") is Status.APPROVED


def test_reopening_an_approved_entry_returns_it_to_its_reporter_with_the_reason() -> None:
    assert next_status("approved", "reopen", comment="ตัวเลขผิด") is Status.RETURNED


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "approve"),
        ("draft", "return"),
        ("approved", "submit"),
        ("approved", "approve"),
        ("submitted", "submit"),
        ("returned", "approve"),
        ("submitted", "reopen"),
    ],
)
def test_a_step_that_does_not_follow_from_the_status_is_refused(status: str, action: str) -> None:
    with pytest.raises(DomainError) as caught:
        next_status(status, action, comment="x", item="โครงการ ก")
    assert caught.value.code == "transition_not_allowed"
    assert message_for(caught.value).startswith('"โครงการ ก" อยู่ในสถานะ')


@pytest.mark.parametrize("action", ["return", "reopen"])
def test_returning_and_reopening_need_a_reason(action: str) -> None:
    status = "submitted" if action == "return" else "approved"
    with pytest.raises(DomainError) as caught:
        next_status(status, action, comment="   ", item="โครงการ ก")
    assert caught.value.code == "comment_required"
    label = "ส่งกลับให้แก้ไข" if action == "return" else "เปิดใหม่"
    assert message_for(caught.value).startswith(f'การ{label} "โครงการ ก" ต้องระบุเหตุผล')


def test_the_refusal_names_the_status_and_the_step_in_thai() -> None:
    with pytest.raises(DomainError) as caught:
        next_status("approved", "submit", item="โครงการ ก")
    assert message_for(caught.value) == (
        '"โครงการ ก" อยู่ในสถานะ "อนุมัติแล้ว" จึงส่งไม่ได้'
        " — ดูสถานะล่าสุดในหน้ารายการ แล้วเลือกขั้นตอนที่ทำได้ในสถานะนั้น"
    )


def test_only_drafts_and_returned_entries_are_editable() -> None:
    assert [s.value for s in Status if is_editable(s)] == ["draft", "returned"]
    assert not is_editable(Action.SUBMIT.value.replace("submit", "submitted"))
