"""Pages for getting documents: ask for one, watch it being made, download it, or print it."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tidtam.audit.services import record_print_read, record_read
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.orgs import policy
from tidtam.reports.documents import DOCUMENTS, MEDIA_TYPES
from tidtam.reports.forms import DocumentRequestForm
from tidtam.reports.models import RenderJob
from tidtam.reports.services import (
    FORMAT_LABELS,
    document_print,
    recent_render_jobs,
    render_job_may_retry,
    render_job_request,
    render_job_retry,
    render_jobs_expire_stale,
)
from tidtam.ui.errors import SAVE_ERRORS, add_save_error
from tidtam.web.http import allow_own_style_blocks

# While a job waits or runs, its page reloads itself this often (seconds).
REFRESH_SECONDS = 2


@login_required
@require_http_methods(["GET", "POST"])
def document_list(request: HttpRequest) -> HttpResponse:
    assert request.user.is_authenticated
    form = DocumentRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = render_job_request(
                user=request.user,
                document=form.cleaned_data["document"],
                org_code=form.cleaned_data["organization"].code,
                fiscal_year=form.cleaned_data["fiscal_year"],
                round_months=form.cleaned_data["round_months"],
                fmt=form.cleaned_data["fmt"],
                subtree=form.cleaned_data["subtree"],
            )
        except SAVE_ERRORS as error:
            add_save_error(form, error)
        else:
            return redirect("reports:job", job_id=job.pk)
    # A job whose worker died is shown as failed (with a retry), not as running forever.
    render_jobs_expire_stale()
    return render(
        request,
        "reports/web/documents.html",
        {
            "form": form,
            "documents": list(DOCUMENTS.values()),
            "jobs": [
                (job, DOCUMENTS[job.document].title if job.document in DOCUMENTS else job.document)
                for job in recent_render_jobs(user=request.user)
            ],
            "format_labels": FORMAT_LABELS,
        },
        status=400 if form.errors else 200,
    )


def _job_or_404(request: HttpRequest, job_id: UUID) -> RenderJob:
    # A job's page and file go to whoever may read its document (policy), not to whoever once
    # asked for it: a person who lost their role loses the files with it.
    job = (
        policy.readable(request.user, RenderJob)
        .select_related("organization", "requested_by")
        .filter(pk=job_id)
        .first()
    )
    if job is None:
        # The same answer for a job that does not exist and one the person may not see.
        raise Http404("ไม่พบงานจัดทำเอกสารนี้")
    return job


@login_required
def job_detail(request: HttpRequest, job_id: UUID) -> HttpResponse:
    render_jobs_expire_stale()  # before reading the job: it may be one whose worker died
    job = _job_or_404(request, job_id)
    pending = job.status in (RenderJob.Status.QUEUED, RenderJob.Status.RUNNING)
    return render(
        request,
        "reports/web/job.html",
        {
            "job": job,
            "title": DOCUMENTS[job.document].title if job.document in DOCUMENTS else job.document,
            "format_label": FORMAT_LABELS.get(job.format, job.format),
            "pending": pending,
            "refresh_seconds": REFRESH_SECONDS,
            "may_retry": render_job_may_retry(user=request.user, job=job),
        },
    )


@login_required
@require_http_methods(["POST"])
def job_retry(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """Ask again for a failed job: the same permission as asking for the document."""
    assert request.user.is_authenticated
    job = _job_or_404(request, job_id)
    try:
        render_job_retry(user=request.user, job=job)
    except DomainError as error:
        status = 404 if error.code == "organization_unknown" else 409
        return render(
            request, "reports/web/error.html", {"message": message_for(error)}, status=status
        )
    return redirect("reports:job", job_id=job.pk)


@login_required
def job_download(request: HttpRequest, job_id: UUID) -> FileResponse:
    job = _job_or_404(request, job_id)
    if job.status != RenderJob.Status.DONE or not job.file:
        raise Http404("เอกสารนี้ยังไม่พร้อมให้ดาวน์โหลด")
    record_read(user=request.user, kind="document", obj=job)
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=MEDIA_TYPES.get(job.format, "application/octet-stream"),
    )


@login_required
def document_print_view(
    request: HttpRequest, document: str, org: str, fy: int, round_months: int | None = None
) -> HttpResponse:
    try:
        html = document_print(
            user=request.user,
            document=document,
            org_code=org,
            fiscal_year=fy,
            round_months=round_months,
        )
    except DomainError as error:
        # An organisation the person may not see is reported as not found.
        status = 404 if error.code == "organization_unknown" else 400
        return render(
            request, "reports/web/error.html", {"message": message_for(error)}, status=status
        )
    record_print_read(
        user=request.user,
        document=document,
        org_code=org,
        fiscal_year=fy,
        round_months=round_months,
    )
    # Its fonts and layout are one inline <style> (the page must work saved as a file).
    return allow_own_style_blocks(HttpResponse(html, content_type=MEDIA_TYPES["html"]), html)
