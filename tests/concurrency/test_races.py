"""Deadline day on PostgreSQL: saves, submits and approvals of one entry at the same moment.

Each race is run many times; every run must end in a state the review trail explains: the
entry's status is the last step's, nothing approved differs from what was submitted, one submit
makes one step, one entry per item and round, and no request answers 500.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.concurrency.conftest import at_once, client_of
from tidtam import keys
from tidtam.plans.models import WorkItem
from tidtam.progress.models import ProgressEntry, ReviewStep

pytestmark = pytest.mark.postgres

MAINTENANCE = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"
TRIES = 12


def typed(text: str, **more: object) -> dict[str, object]:
    return {
        "result_text": text,
        "result_text_annual": "",
        "result_quantity": "9",
        "percent_round": "",
        "percent_annual": "",
        "percent_note": "",
        "explanation": "",
        "submit": "0",
        **more,
    }


def steps_of(entry: ProgressEntry) -> list[ReviewStep]:
    kind = ContentType.objects.get_for_model(ProgressEntry)
    return list(ReviewStep.objects.filter(content_type=kind, object_id=entry.pk).order_by("id"))


def statuses(responses: list[Any]) -> list[int]:
    for response in responses:
        if isinstance(response, BaseException):
            raise response
    return [response.status_code for response in responses]


def fresh_item(index: int) -> WorkItem:
    """A copy of the seed's maintenance project per try, so each try starts with no entry."""
    item = WorkItem.objects.get(name=MAINTENANCE)
    responsibilities = list(item.responsibilities.all())
    item.pk = None
    item.key = keys.work_item_key()  # another item: a key of its own
    item.number = 1000 + index
    item.name = f"{MAINTENANCE} (ทดลองที่ {index})"
    item.save()
    for responsibility in responsibilities:
        responsibility.pk = None
        responsibility.work_item = item
        responsibility.save()
    return item


def test_a_submit_a_colleagues_draft_and_an_approval_at_once_never_undo_each_other(
    world: Any,
) -> None:
    reporter, planner = client_of(world, "reporter"), client_of(world, "planner")
    approver = client_of(world, "approver")
    for index in range(TRIES):
        item = fresh_item(index)
        url = reverse("progress:entry", args=[item.pk, world.round.pk])
        assert reporter.post(url, typed("ร่างแรก", version="0")).status_code == 302
        entry = ProgressEntry.objects.get(work_item=item, round=world.round)
        assert (
            reporter.post(
                reverse("progress:entry_review", args=[entry.pk]), {"action": "submit"}
            ).status_code
            == 302
        )
        submitted = ProgressEntry.objects.get(pk=entry.pk)
        review = reverse("progress:entry_review", args=[entry.pk])
        # The colleague's form was opened before the submit; the approver approves.
        codes = statuses(
            at_once(
                lambda url=url: planner.post(url, typed("ข้อความของเพื่อนร่วมงาน", version="1")),
                lambda review=review: approver.post(review, {"action": "approve"}),
            )
        )
        assert 500 not in codes, codes
        final = ProgressEntry.objects.get(pk=entry.pk)
        trail = steps_of(final)
        assert final.status == trail[-1].to_status, (index, final.status, trail)
        assert final.status == "approved"
        # What was approved is what was submitted: the late draft changed nothing.
        assert final.result_text == submitted.result_text == "ร่างแรก"


def test_two_identical_submits_at_once_make_one_submit_step(world: Any) -> None:
    reporter_a, reporter_b = client_of(world, "reporter"), client_of(world, "reporter")
    for index in range(TRIES):
        item = fresh_item(index)
        url = reverse("progress:entry", args=[item.pk, world.round.pk])
        data = typed("ส่งพร้อมกันสองครั้ง", submit="1", version="0")
        codes = statuses(
            at_once(
                lambda url=url, data=data: reporter_a.post(url, data),
                lambda url=url, data=data: reporter_b.post(url, data),
            )
        )
        assert 500 not in codes, codes
        entry = ProgressEntry.objects.get(work_item=item, round=world.round)
        submits = [s for s in steps_of(entry) if s.action == "submit"]
        assert len(submits) == 1, (index, codes, submits)
        assert entry.status == "submitted"


def test_two_first_saves_of_one_entry_at_once_make_one_row_and_no_500(world: Any) -> None:
    reporter, planner = client_of(world, "reporter"), client_of(world, "planner")
    for index in range(TRIES):
        item = fresh_item(index)
        url = reverse("progress:entry", args=[item.pk, world.round.pk])
        responses = at_once(
            lambda url=url: reporter.post(url, typed("ของผู้รายงาน", version="0")),
            lambda url=url: planner.post(url, typed("ของผู้วางแผน", version="0")),
        )
        codes = statuses(responses)
        assert 500 not in codes, codes
        assert ProgressEntry.objects.filter(work_item=item, round=world.round).count() == 1
        stored = ProgressEntry.objects.get(work_item=item, round=world.round).result_text
        # One save went in; the other was told someone else saved first, and kept its text.
        assert sorted(codes) == [200, 302], codes
        refused = next(r for r in responses if r.status_code == 200).content.decode()
        assert "หลังจากที่คุณเปิดแบบฟอร์มนี้" in refused
        other = "ของผู้วางแผน" if stored == "ของผู้รายงาน" else "ของผู้รายงาน"
        assert other in refused


def test_two_approvers_at_once_make_one_approval(world: Any) -> None:
    from tidtam.orgs.models import Organization, Person, RoleAssignment

    approver = Person.objects.get(user__username="approver")
    second = Person.objects.get(user__username="planner")
    for organization in Organization.objects.filter(
        pk__in=approver.roles.filter(role="approver").values("organization")
    ):
        RoleAssignment.objects.get_or_create(
            person=second, organization=organization, role="approver"
        )
    reporter = client_of(world, "reporter")
    a, b = client_of(world, "approver"), client_of(world, "planner")
    for index in range(TRIES):
        item = fresh_item(index)
        url = reverse("progress:entry", args=[item.pk, world.round.pk])
        assert reporter.post(url, typed("ส่งแล้ว", submit="1", version="0")).status_code == 302
        entry = ProgressEntry.objects.get(work_item=item, round=world.round)
        review = reverse("progress:entry_review", args=[entry.pk])
        codes = statuses(
            at_once(
                lambda review=review: a.post(review, {"action": "approve"}),
                lambda review=review: b.post(review, {"action": "approve"}),
            )
        )
        assert 500 not in codes, codes
        approvals = [s for s in steps_of(entry) if s.action == "approve"]
        assert len(approvals) == 1, (index, approvals)
