"""Making documents for people: who may see which organisation, render jobs and the print view."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

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
    *, user: Viewer, document_code: str, org_code: str, fiscal_year: int, round_months: int | None
) -> tuple[registry.Document, Organization, int | None]:
    """The document, organisation and round a request names, or the DomainError that says why not.

    An organisation the person may not see is reported as unknown, so that nobody learns
    which organisations exist by guessing codes.
    """
    doc = registry.document(document_code)
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
) -> RenderJob:
    """Queue the rendering of a document; the task starts once the job is committed."""
    _, organization, round_months = _checked_request(
        user=user,
        document_code=document,
        org_code=org_code,
        fiscal_year=fiscal_year,
        round_months=round_months,
    )
    if fmt not in registry.FORMATS:
        raise DomainError(
            "format_unsupported", document=document, format=fmt, choices=", ".join(registry.FORMATS)
        )
    job = RenderJob.objects.create(
        document=document,
        organization=organization,
        fiscal_year=fiscal_year,
        round_months=round_months,
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


def _advance(job: RenderJob, progress: int, stage: str) -> None:
    # Saved (and committed) at once so that the status page sees each stage.
    job.status = RenderJob.Status.RUNNING
    job.progress = progress
    job.stage = stage
    job.save(update_fields=["status", "progress", "stage"])


def render_job_run(job_id: str) -> str:
    """Render a queued job's document and keep the file; returns the job's final status.

    Every failure ends with the job marked failed, a Thai message, and no file.
    """
    job = RenderJob.objects.select_related("organization").get(pk=job_id)
    if job.status != RenderJob.Status.QUEUED:
        # A task run twice (a retried worker) must not render again or undo a result.
        return job.status
    try:
        _advance(job, 10, "รวบรวมข้อมูล")
        data = registry.document(job.document).data(
            job.organization.code, job.fiscal_year, job.round_months
        )
        _advance(job, 40, f"จัดทำไฟล์ {FORMAT_LABELS.get(job.format, job.format)}")
        if job.format == "pdf":
            # The PDF is the DOCX converted by LibreOffice: two stages people wait for.
            from tidtam.reports.render.pdf import docx_to_pdf

            docx = render(data, "docx")
            _advance(job, 70, "แปลงเป็น PDF")
            content = docx_to_pdf(docx)
        else:
            content = render(data, job.format)
        _advance(job, 90, "บันทึกไฟล์")
        name = registry.filename(data, job.format)
        job.file.save(name, ContentFile(content), save=False)
        with transaction.atomic():
            job.status = RenderJob.Status.DONE
            job.progress = 100
            job.stage = RenderJob.Status.DONE.label
            job.filename = name
            job.finished_at = timezone.now()
            job.save(
                update_fields=["status", "progress", "stage", "file", "filename", "finished_at"]
            )
    except DomainError as error:
        _fail(job, message_for(error))
    except Exception as error:
        logger.exception("render job %s failed", job_id)
        _fail(job, UNEXPECTED_FAILURE.format(kind=type(error).__name__))
    return job.status


def _fail(job: RenderJob, message: str) -> None:
    if job.file:
        job.file.delete(save=False)
    job.status = RenderJob.Status.FAILED
    job.stage = RenderJob.Status.FAILED.label
    job.error = message
    job.filename = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "stage", "file", "filename", "error", "finished_at"])


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
    """The HTML print view of a document, made on the request (it takes well under a second)."""
    doc, organization, round_months = _checked_request(
        user=user,
        document_code=document,
        org_code=org_code,
        fiscal_year=fiscal_year,
        round_months=round_months,
    )
    data = doc.data(organization.code, fiscal_year, round_months)
    return render(data, "html").decode()
