"""Making documents for people: who may see which organisation, render jobs and the print view."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tidtam.domain import fiscal
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.orgs.access import organizations_visible
from tidtam.orgs.models import Organization
from tidtam.reports import documents as registry
from tidtam.reports.models import RenderJob
from tidtam.reports.render import render

logger = logging.getLogger(__name__)

# What people see for each format, in the form and in the stage "จัดทำไฟล์ …".
FORMAT_LABELS = {
    "docx": "DOCX",
    "xlsx": "XLSX",
    "pdf": "PDF",
    "html": "HTML พิมพ์",
    "json": "JSON",
}

# An exception nobody foresaw: the person gets this and the class name for the administrator,
# the traceback goes to the log.
UNEXPECTED_FAILURE = (
    "จัดทำเอกสารไม่สำเร็จเพราะเกิดข้อผิดพลาดในระบบ ({kind}) — ลองสั่งใหม่อีกครั้ง"
    " ถ้ายังไม่สำเร็จให้แจ้งผู้ดูแลระบบพร้อมข้อความนี้"
)

# Who asks: request.user, signed in or not.
Viewer = User | AnonymousUser


def organization_visible(*, user: Viewer, organization: Organization) -> bool:
    return organizations_visible(user).filter(pk=organization.pk).exists()


def _checked_request(
    *,
    user: Viewer,
    document_code: str,
    org_code: str,
    fiscal_year: int,
    round_months: int | None,
    fmt: str,
) -> tuple[registry.Document, Organization, int | None]:
    """The document, organisation and round a request names, in a format the document is made
    in, or the DomainError that says why not.

    An organisation the person may not see is reported as unknown, so that nobody learns
    which organisations exist by guessing codes.
    """
    doc = registry.document(document_code)
    doc.check_format(fmt)
    fiscal.check_be_year(fiscal_year, field="fiscal_year")
    if doc.needs_round:
        round_months = fiscal.check_round(round_months if round_months is not None else 12)
    else:
        round_months = doc.fixed_round
    organization = organizations_visible(user).filter(code=org_code).first()
    if organization is None:
        raise DomainError("organization_unknown", code=org_code)
    return doc, organization, round_months


@transaction.atomic
def render_job_request(
    *,
    user: User,
    document: str,
    org_code: str,
    fiscal_year: int,
    round_months: int | None,
    fmt: str,
    subtree: bool = False,
) -> RenderJob:
    """Queue the rendering of a document (of the organisation with its units: `subtree`); the
    task starts once the job is committed."""
    doc, organization, round_months = _checked_request(
        user=user,
        document_code=document,
        org_code=org_code,
        fiscal_year=fiscal_year,
        round_months=round_months,
        fmt=fmt,
    )
    doc.check_subtree(subtree)
    job = RenderJob.objects.create(
        document=document,
        organization=organization,
        fiscal_year=fiscal_year,
        round_months=round_months,
        subtree=subtree,
        format=fmt,
        requested_by=user,
        stage=RenderJob.Status.QUEUED.label,
    )
    # A worker that picked the task up before the commit would not find the job.
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: Any) -> None:
    from tidtam.reports.tasks import render_document

    result = render_document.enqueue(str(job_id))
    RenderJob.objects.filter(pk=job_id).update(task_result_id=str(result.id))


class _Superseded(Exception):
    """This run no longer owns its job: it was marked failed as stale, or retried."""


def _owned(job: RenderJob) -> QuerySet[RenderJob]:
    # Every write of a run is fenced by its attempt number, so a run given up for dead that
    # wakes up again changes nothing.
    return RenderJob.objects.filter(
        pk=job.pk, attempts=job.attempts, status=RenderJob.Status.RUNNING
    )


def _advance(job: RenderJob, progress: int, stage: str) -> None:
    # Committed at once so that the status page sees each stage; a stage is a heartbeat too.
    if not _owned(job).update(progress=progress, stage=stage, heartbeat_at=timezone.now()):
        raise _Superseded
    job.progress = progress
    job.stage = stage


class _Heartbeat:
    """Stamps the job every few seconds while a long stage (LibreOffice) runs, in a thread.

    The stages alone can be minutes apart; without the stamps a slow conversion would look like
    a dead worker.
    """

    def __init__(self, job: RenderJob) -> None:
        self._job = job
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{job.pk}", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(settings.RENDER_JOB_HEARTBEAT_SECONDS):
                if not _owned(self._job).update(heartbeat_at=timezone.now()):
                    return
        except DatabaseError:
            # A busy database skips a beat; the stale limit is several beats long.
            logger.warning("heartbeat of render job %s failed", self._job.pk, exc_info=True)
        finally:
            connection.close()  # this thread's own connection


def _claim(job_id: str) -> RenderJob | None:
    """Take a queued job for this run (compare and set, so two workers never both run it)."""
    job = RenderJob.objects.select_related("organization").filter(pk=job_id).first()
    if job is None or job.status != RenderJob.Status.QUEUED:
        return None
    now = timezone.now()
    claimed = RenderJob.objects.filter(
        pk=job.pk, status=RenderJob.Status.QUEUED, attempts=job.attempts
    ).update(
        status=RenderJob.Status.RUNNING,
        attempts=job.attempts + 1,
        heartbeat_at=now,
        progress=0,
        stage=RenderJob.Status.RUNNING.label,
    )
    if not claimed:
        return None
    job.status = RenderJob.Status.RUNNING
    job.attempts += 1
    job.heartbeat_at = now
    return job


def render_job_run(job_id: str) -> str:
    """Render a queued job's document and keep the file; returns the job's final status.

    Every failure ends with the job marked failed, a Thai message, and no file.
    """
    job = _claim(job_id)
    if job is None:
        # A task run twice (a retried worker, a second worker) must not render again or undo
        # a result.
        current = RenderJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
        return current or RenderJob.Status.FAILED
    try:
        with _Heartbeat(job):
            content, name = _render(job)
        job.file.save(name, ContentFile(content), save=False)
        done = _owned(job).update(
            status=RenderJob.Status.DONE,
            progress=100,
            stage=RenderJob.Status.DONE.label,
            file=job.file.name,
            filename=name,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        if not done:
            job.file.delete(save=False)
            raise _Superseded
        job.status = RenderJob.Status.DONE
    except _Superseded:
        logger.warning("render job %s was given up or retried while this run went on", job_id)
        job.refresh_from_db()
    except DomainError as error:
        _fail(job, message_for(error))
    except Exception as error:
        logger.exception("render job %s failed", job_id)
        _fail(job, UNEXPECTED_FAILURE.format(kind=type(error).__name__))
    return job.status


def _render(job: RenderJob) -> tuple[bytes, str]:
    _advance(job, 10, "รวบรวมข้อมูล")
    report = registry.document(job.document).content(
        job.organization.code, job.fiscal_year, job.round_months, subtree=job.subtree
    )
    _advance(job, 40, f"จัดทำไฟล์ {FORMAT_LABELS.get(job.format, job.format)}")
    if job.format == "pdf":
        # The PDF is the DOCX converted by LibreOffice: two stages people wait for.
        from tidtam.reports.render.pdf import docx_to_pdf

        docx = render(report, "docx")
        _advance(job, 70, "แปลงเป็น PDF")
        content = docx_to_pdf(docx)
    else:
        content = render(report, job.format)
    _advance(job, 90, "บันทึกไฟล์")
    return content, registry.filename(report, job.format)


def _fail(job: RenderJob, message: str) -> None:
    if job.file:
        job.file.delete(save=False)
    _owned(job).update(
        status=RenderJob.Status.FAILED,
        stage=RenderJob.Status.FAILED.label,
        file="",
        error=message,
        filename="",
        finished_at=timezone.now(),
    )
    job.refresh_from_db()


def render_jobs_expire_stale(*, now: datetime | None = None) -> int:
    """Mark failed every running job whose worker has been silent too long; returns how many.

    Called when the documents page is read and by `tidtam cleanup`, so a job whose worker was
    killed does not stay "running at 70 %" forever.
    """
    now = now or timezone.now()
    limit = settings.RENDER_JOB_STALE_SECONDS
    cutoff = now - timedelta(seconds=limit)
    stale = RenderJob.objects.filter(status=RenderJob.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    expired = 0
    for job in stale.only("pk", "attempts", "progress", "stage", "task_result_id"):
        message = message_for(
            DomainError(
                "render_job_stale", progress=job.progress, stage=job.stage, seconds=int(limit)
            )
        )
        # Fenced like a run's own writes: a beat that came in meanwhile keeps the job alive.
        updated = (
            RenderJob.objects.filter(
                pk=job.pk, attempts=job.attempts, status=RenderJob.Status.RUNNING
            )
            .filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True))
            .update(
                status=RenderJob.Status.FAILED,
                stage=RenderJob.Status.FAILED.label,
                error=message,
                finished_at=now,
            )
        )
        if updated and job.task_result_id:
            # The queue's own record of the task also stays "running" after a kill -9.
            DBTaskResult.objects.filter(
                pk=job.task_result_id, status=TaskResultStatus.RUNNING
            ).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="tidtam.reports.services.WorkerLost",
                traceback=message,
            )
        expired += updated
    return expired


def render_job_may_retry(*, user: Viewer, job: RenderJob) -> bool:
    """Who may ask again: whoever may ask for this organisation's documents in the first place."""
    return (
        job.status == RenderJob.Status.FAILED
        and user.is_authenticated
        and organization_visible(user=user, organization=job.organization)
    )


@transaction.atomic
def render_job_retry(*, user: User, job: RenderJob) -> RenderJob:
    """Queue a failed job again (same document, organisation, year and format)."""
    # The same check as asking for the document: the organisation must still be in reach.
    _checked_request(
        user=user,
        document_code=job.document,
        org_code=job.organization.code,
        fiscal_year=job.fiscal_year,
        round_months=job.round_months,
        fmt=job.format,
    )
    requeued = RenderJob.objects.filter(
        pk=job.pk, status=RenderJob.Status.FAILED, attempts=job.attempts
    ).update(
        status=RenderJob.Status.QUEUED,
        progress=0,
        stage=RenderJob.Status.QUEUED.label,
        error="",
        file="",
        filename="",
        finished_at=None,
        heartbeat_at=None,
    )
    job.refresh_from_db()
    if not requeued:
        raise DomainError("render_job_not_retryable", status=job.get_status_display())
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def render_job_for_viewer(*, user: Viewer, job_id: Any) -> RenderJob | None:
    """The job if this person may see it: who asked for it, a superuser, or who sees the organisation."""
    job = RenderJob.objects.select_related("organization", "requested_by").filter(pk=job_id).first()
    if job is None or not user.is_authenticated:
        return None
    if job.requested_by_id == user.pk or user.is_superuser:
        return job
    return job if organization_visible(user=user, organization=job.organization) else None


def recent_render_jobs(*, user: User, limit: int = 20) -> list[RenderJob]:
    return list(
        RenderJob.objects.filter(requested_by=user)
        .select_related("organization")
        .order_by("-created_at")[:limit]
    )


def document_print(
    *, user: Viewer, document: str, org_code: str, fiscal_year: int, round_months: int | None
) -> str:
    """The HTML print view of a document, made on the request (it takes well under a second);
    refused in Thai for a document made only as a spreadsheet (the summary, forms 301 and 302)."""
    doc, organization, round_months = _checked_request(
        user=user,
        document_code=document,
        org_code=org_code,
        fiscal_year=fiscal_year,
        round_months=round_months,
        fmt="html",
    )
    return render(doc.content(organization.code, fiscal_year, round_months), "html").decode()
