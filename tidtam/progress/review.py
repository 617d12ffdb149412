"""The review of a round's entries (work items' and KPIs'): submit, return, approve, reopen; evidence."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from tidtam.domain import workflow
from tidtam.domain.errors import DomainError
from tidtam.domain.evidence import check_evidence, file_name
from tidtam.domain.thai import has_text
from tidtam.progress.evidence_files import discard_rolled_back_evidence, track_written
from tidtam.progress.models import Evidence, ReviewStep
from tidtam.reporting import require_editable, require_result, require_round_open


def entry_label(entry: Any) -> str:
    """How messages name an entry: its work item's or KPI's name."""
    return str(entry.label)


def entry_organization_id(entry: Any) -> int:
    """The organisation whose calendar and rules an entry follows: its plan's, or its KPI's."""
    return int(entry.rules_organization_id)


def _segregates_duties(entry: Any) -> bool:
    from tidtam.orgs.models import Organization

    return bool(
        Organization.objects.filter(pk=entry_organization_id(entry))
        .values_list("segregate_duties", flat=True)
        .first()
    )


def last_step(entry: Any) -> ReviewStep | None:
    return review_steps(entry).exclude(action=workflow.Action.UNLOCK).last()


def submitted_by(entry: Any) -> int | None:
    """Who submitted the entry as it stands (the actor of its latest submit)."""
    step = review_steps(entry).filter(action=workflow.Action.SUBMIT).last()
    return step.actor_id if step is not None else None


def may_approve_own(entry: Any, user: Any) -> bool:
    """False when segregation of duties keeps this person from approving this entry."""
    try:
        workflow.check_segregation(
            action=workflow.Action.APPROVE,
            actor_submitted=user.pk is not None and submitted_by(entry) == user.pk,
            segregate=_segregates_duties(entry),
            item=entry_label(entry),
        )
    except DomainError:
        return False
    return True


@transaction.atomic
def entry_review(
    *,
    entry: Any,
    action: str,
    user: Any,
    comment: str = "",
    expected_version: int | None = None,
) -> ReviewStep:
    """Move an entry one step along the workflow and stamp the step with who, when and why.

    The row is locked while it changes, so two approvers clicking at once make one step, and a
    person's repeated click is answered with the step it already made. `expected_version` (the
    API's clients send the version they read) refuses a step over a change made since.
    """
    locked = type(entry).objects.select_for_update().get(pk=entry.pk)
    previous = last_step(locked)
    if previous is not None and workflow.is_repeat(
        locked.status,
        action,
        last_action=previous.action,
        same_actor=previous.actor_id is not None and previous.actor_id == user.pk,
    ):
        entry.status = locked.status
        return previous
    if expected_version is not None and expected_version != locked.version:
        raise DomainError(
            "entry_version_stale",
            item=entry_label(locked),
            expected=expected_version,
            current=locked.version,
        )
    if action == workflow.Action.SUBMIT:
        require_result(locked)
        require_round_open(locked)
    workflow.check_segregation(
        action=action,
        actor_submitted=user.pk is not None and submitted_by(locked) == user.pk,
        segregate=action == workflow.Action.APPROVE and _segregates_duties(locked),
        item=entry_label(locked),
    )
    new_status = workflow.next_status(
        locked.status, action, comment=comment, item=entry_label(locked)
    )
    step = _stamp(locked, action, new_status, user, comment)
    locked.status = new_status
    locked.version += 1
    fields = ["status", "version"]
    if new_status == workflow.Status.APPROVED and locked.late_edit_allowed:
        # The late change it was allowed for is done.
        locked.late_edit_allowed = False
        fields.append("late_edit_allowed")
    locked.save(update_fields=fields)
    entry.status, entry.version = new_status, locked.version
    entry.late_edit_allowed = locked.late_edit_allowed
    return step


def _stamp(entry: Any, action: str, to_status: str, user: Any, comment: str) -> ReviewStep:
    return ReviewStep.objects.create(
        content_type=ContentType.objects.get_for_model(entry),
        object_id=entry.pk,
        action=action,
        from_status=entry.status,
        to_status=to_status,
        comment=comment.strip(),
        actor=user,
    )


@transaction.atomic
def entry_unlock(*, entry: Any, user: Any, reason: str) -> ReviewStep:
    """Let one entry be saved and submitted after its organisation's round closed, with a reason
    that is stamped as a review step (the planner's decision, readable in the entry's trail)."""
    from tidtam.periods import calendar

    locked = type(entry).objects.select_for_update().get(pk=entry.pk)
    if not has_text(reason):
        raise DomainError(
            "comment_required", item=entry_label(locked), action=workflow.Action.UNLOCK
        )
    if calendar.round_is_open(locked.round, entry_organization_id(locked)):
        raise DomainError("unlock_round_open", item=entry_label(locked))
    step = _stamp(locked, workflow.Action.UNLOCK, locked.status, user, reason)
    if not locked.late_edit_allowed:
        locked.late_edit_allowed = True
        locked.version += 1
        locked.save(update_fields=["late_edit_allowed", "version"])
    entry.late_edit_allowed, entry.version = True, locked.version
    return step


def review_steps(entry: Any) -> models.QuerySet[ReviewStep]:
    return ReviewStep.objects.filter(
        content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
    ).select_related("actor__person")


def evidence_of(entry: Any) -> models.QuerySet[Evidence]:
    return Evidence.objects.filter(
        content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
    ).select_related("uploaded_by__person")


def _kept_name(upload: UploadedFile) -> str:
    """The name an evidence file keeps (Evidence.original_name): its end, if it is long."""
    return file_name(upload.name)[-255:]


def attached_already(entry: Any, uploads: list[UploadedFile], user: Any) -> bool:
    """Whether each upload is an evidence file this person attached to the entry already (the
    same name and size): a resent form's files, not new ones."""
    if not uploads:
        return True
    attached = set(
        evidence_of(entry).filter(uploaded_by_id=user.pk).values_list("original_name", "size")
    )
    return all((_kept_name(f), f.size or 0) in attached for f in uploads)


@transaction.atomic
def evidence_add(*, entry: Any, upload: UploadedFile, user: Any, description: str = "") -> Evidence:
    """Keep a file as evidence of an entry that is still editable, after checking type and size."""
    require_editable(entry)
    require_round_open(entry)
    name = file_name(upload.name)
    head = next(upload.chunks(chunk_size=16), b"") if upload.size else b""
    upload.seek(0)
    check_evidence(name, upload.size or 0, head, max_bytes=settings.EVIDENCE_MAX_BYTES)
    evidence = Evidence(
        content_type=ContentType.objects.get_for_model(entry),
        object_id=entry.pk,
        original_name=_kept_name(upload),
        size=upload.size or 0,
        description=description,
        uploaded_by=user,
    )
    # Files of earlier saves in this thread that rolled back go first (normally at request end).
    discard_rolled_back_evidence()
    evidence.file.save(name, upload, save=False)
    try:
        evidence.save()
    except BaseException:
        evidence.file.storage.delete(evidence.file.name)
        raise
    # If the caller's transaction rolls back (another file of the same save was refused),
    # this file is removed too: a rolled-back save leaves no file behind.
    track_written(evidence.file.name, evidence.file.storage)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: Any) -> None:
    """Take a file off an entry that is still editable; the history keeps that it was there."""
    entry = evidence.entry
    assert entry is not None  # evidence always belongs to an entry or a result
    require_editable(entry)
    require_round_open(entry)
    stored = evidence.file.name
    evidence._change_reason = f"ลบโดย {user}"  # type: ignore[attr-defined]
    evidence.delete()
    # Only once the row is gone for good; a crash between the two leaves a file no row names,
    # which `tidtam cleanup` removes.
    transaction.on_commit(lambda: evidence.file.storage.delete(stored))
