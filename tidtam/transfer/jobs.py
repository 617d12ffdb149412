"""Imports from the upload page, run by the worker (tidtam.transfer.tasks): the upload is kept,
checked into its preview, and applied once its person confirms, all or nothing.

Progress is written to a small file beside the database, not to the job's row: the rows are
checked inside a transaction that is rolled back, and what it writes no one else can see."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.transfer import services
from tidtam.transfer.engine import ImportPlan, Meta, Problem
from tidtam.transfer.models import ImportJob

log = logging.getLogger(__name__)

# Changes listed on the preview page (the counts cover every row).
LISTED_CHANGES = 2_000


def _progress_path(job_id: Any) -> Path:
    return Path(settings.VAR_DIR) / "imports" / f"{job_id}.json"


def write_progress(job_id: Any, stage: str, done: int, total: int) -> None:
    path = _progress_path(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"stage": stage, "done": done, "total": total}))
    temporary.replace(path)


def read_progress(job_id: Any) -> dict[str, Any]:
    try:
        return dict(json.loads(_progress_path(job_id).read_text()))
    except (OSError, ValueError):
        return {"stage": "", "done": 0, "total": 0}


def _clear_progress(job_id: Any) -> None:
    _progress_path(job_id).unlink(missing_ok=True)


@transaction.atomic
def job_create(
    *,
    person: Any,
    file_name: str,
    content: bytes,
    org_code: str = "",
    fiscal_year: int | None = None,
    round_months: int | None = None,
) -> ImportJob:
    """Keep an upload and queue its check."""
    job = ImportJob.objects.create(
        person=person,
        file_name=file_name[:255],
        content=content,
        org_code=org_code,
        fiscal_year=fiscal_year,
        round_months=round_months,
    )
    transaction.on_commit(lambda: _enqueue("check", job.pk))
    return job


def _enqueue(what: str, job_id: Any) -> None:
    from tidtam.transfer.tasks import import_apply, import_check

    (import_check if what == "check" else import_apply).enqueue(str(job_id))


def _read(job: ImportJob) -> ImportPlan:
    given = None
    if job.org_code and job.fiscal_year:
        given = Meta("", job.org_code, job.fiscal_year, job.round_months)
    write_progress(job.pk, "read", 0, 0)
    return services.read(bytes(job.content), file_name=job.file_name, user=job.person, given=given)


def _problems_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return [
        {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message} for p in problems
    ]


def _changes_json(imported: ImportPlan) -> list[dict[str, Any]]:
    listed = [c for c in imported.changes if c.action != "same"][:LISTED_CHANGES]
    return [
        {
            "sheet": c.sheet,
            "row": c.row,
            "label": c.label,
            "action": c.action,
            "fields": [list(f) for f in c.fields],
        }
        for c in listed
    ]


def _run(job: ImportJob, *, commit: bool) -> None:
    try:
        imported = _read(job)

        def progress(done: int, total: int) -> None:
            write_progress(job.pk, "apply" if commit else "check", done, total)

        problems = (services.apply if commit else services.preview)(imported, progress)
    except DomainError as error:
        job.status = ImportJob.Status.PROBLEMS
        job.problems = _problems_json([Problem("", None, "", message_for(error))])
        job.checked_at = job.checked_at or timezone.now()
        job.save()
        return
    except Exception:
        log.exception("import %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
        job.problems = _problems_json(
            [Problem("", None, "", message_for(DomainError("import_failed", file=job.file_name)))]
        )
        job.save()
        return
    finally:
        _clear_progress(job.pk)
    job.title = imported.title[:255]
    job.counts = imported.counts()
    job.changes = _changes_json(imported)
    job.problems = _problems_json(problems)
    if problems:
        job.status = ImportJob.Status.PROBLEMS
    elif commit:
        job.status = ImportJob.Status.APPLIED
        job.applied_at = timezone.now()
    else:
        job.status = ImportJob.Status.READY
    job.checked_at = job.checked_at or timezone.now()
    job.save()


def job_check(job_id: str) -> str:
    """Read and check a queued upload: its preview, written and rolled back."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ImportJob.Status.QUEUED:
            return "skipped"
        job.status = ImportJob.Status.READING
        job.save(update_fields=["status"])
    _run(job, commit=False)
    return job.status


def job_apply_request(job: ImportJob) -> bool:
    """Queue the apply of a checked upload; False when it is not ready (already applied,
    applying, or with problems). Two confirmations at once apply it once."""
    with transaction.atomic():
        claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
            status=ImportJob.Status.APPLYING
        )
        if claimed:
            transaction.on_commit(lambda: _enqueue("apply", job.pk))
    return bool(claimed)


def job_apply(job_id: str) -> str:
    """Apply a confirmed upload, all or nothing; the rows are checked again as they are written
    (another person may have changed them since the preview)."""
    # The job's row stays locked while it is applied: a second worker given the same job
    # waits, then finds it applied.
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ImportJob.Status.APPLYING:
            return "skipped"
        _run(job, commit=True)
    return job.status
