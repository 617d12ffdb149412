"""The review of a round's entries (work items' and KPIs'): submit, return, approve, reopen; evidence."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from tidtam.domain import workflow
from tidtam.domain.errors import DomainError
from tidtam.domain.evidence import check_evidence
from tidtam.messages import LABELS
from tidtam.progress.evidence_files import discard_rolled_back_evidence, track_written
from tidtam.progress.models import Evidence, ProgressEntry, ReviewStep


def entry_label(entry: Any) -> str:
    """How messages name an entry: its work item's or KPI's name."""
    if isinstance(entry, ProgressEntry):
        return entry.work_item.name
    return str(entry.indicator.name)


def status_label(status: str) -> str:
    return LABELS[workflow.Status(status)]


def require_editable(entry: Any) -> None:
    """Approved and submitted entries are locked until returned or reopened."""
    if entry.pk and not workflow.is_editable(entry.status):
        raise DomainError(
            "entry_locked", item=entry_label(entry), status=status_label(entry.status)
        )


def require_result(entry: Any) -> None:
    """A submitted entry says something: a result text, a quantity or a level."""
    if isinstance(entry, ProgressEntry):
        empty = (
            not entry.result_text.strip()
            and entry.result_quantity is None
            and (entry.percent_annual is None)
        )
    else:
        empty = (
            not entry.narrative.strip()
            and entry.value is None
            and entry.level_reached is None
            and entry.met is None
        )
    if empty:
        raise DomainError("entry_empty", item=entry_label(entry))


@transaction.atomic
def entry_review(*, entry: Any, action: str, user: Any, comment: str = "") -> ReviewStep:
    """Move an entry one step along the workflow and stamp the step with who, when and why.

    The row is locked while it changes, so two approvers clicking at once make one step.
    """
    locked = type(entry).objects.select_for_update().get(pk=entry.pk)
    if action == workflow.Action.SUBMIT:
        require_result(locked)
    new_status = workflow.next_status(
        locked.status, action, comment=comment, item=entry_label(locked)
    )
    step = ReviewStep.objects.create(
        content_type=ContentType.objects.get_for_model(locked),
        object_id=locked.pk,
        action=action,
        from_status=locked.status,
        to_status=new_status,
        comment=comment.strip(),
        actor=user,
    )
    locked.status = new_status
    locked.save(update_fields=["status"])
    entry.status = new_status
    return step


def review_steps(entry: Any) -> models.QuerySet[ReviewStep]:
    return ReviewStep.objects.filter(
        content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
    ).select_related("actor__person")


def evidence_of(entry: Any) -> models.QuerySet[Evidence]:
    return Evidence.objects.filter(
        content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
    ).select_related("uploaded_by__person")


@transaction.atomic
def evidence_add(*, entry: Any, upload: UploadedFile, user: Any, description: str = "") -> Evidence:
    """Keep a file as evidence of an entry that is still editable, after checking type and size."""
    require_editable(entry)
    name = upload.name or "ไฟล์"
    head = next(upload.chunks(chunk_size=16), b"") if upload.size else b""
    upload.seek(0)
    check_evidence(name, upload.size or 0, head, max_bytes=settings.EVIDENCE_MAX_BYTES)
    evidence = Evidence(
        content_type=ContentType.objects.get_for_model(entry),
        object_id=entry.pk,
        original_name=name[-255:],
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
    require_editable(evidence.entry)
    stored = evidence.file.name
    evidence._change_reason = f"ลบโดย {user}"  # type: ignore[attr-defined]
    evidence.delete()
    # Only once the row is gone for good; a crash between the two leaves a file no row names,
    # which `tidtam cleanup` removes.
    transaction.on_commit(lambda: evidence.file.storage.delete(stored))
