"""The Excel round trip in the browser: download a template of a plan, a round's results or the
monthly spending; upload a filled one, see its preview (added, changed, left alone, every problem
by sheet, row and column) while the worker checks it, and confirm to apply it, all or nothing.
A person sees only their own uploads (another's: 404)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.orgs import policy
from tidtam.orgs.models import Organization
from tidtam.transfer import jobs, services
from tidtam.transfer.forms import ExportForm, UploadForm
from tidtam.transfer.models import ImportJob

RECENT_JOBS = 10


def _organizations(request: HttpRequest) -> QuerySet[Organization]:
    return policy.readable(request.user, Organization).order_by("code")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    organizations = _organizations(request)
    export_form = ExportForm(organizations=organizations, prefix="export")
    upload = UploadForm(organizations=organizations)
    status = 200
    if request.method == "POST":
        upload = UploadForm(request.POST, request.FILES, organizations=organizations)
        if upload.is_valid():
            data = upload.cleaned_data
            org = data.get("organization")
            job = jobs.job_create(
                person=request.user,
                file_name=data["file"].name,
                content=data["file"].read(),
                org_code=org.code if org else "",
                fiscal_year=data.get("fiscal_year"),
                round_months=data.get("round_months"),
            )
            return redirect("transfer:job", import_id=job.pk)
        status = 400
    recent = ImportJob.objects.filter(person_id=request.user.pk).defer("content")[:RECENT_JOBS]
    return render(
        request,
        "transfer/home.html",
        {"export_form": export_form, "upload": upload, "recent": recent, "titles": services.TITLES},
        status=status,
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    organizations = _organizations(request)
    form = ExportForm(request.GET, organizations=organizations, prefix="export")
    if form.is_valid():
        data = form.cleaned_data
        org = data["organization"]
        try:
            content = services.export(
                data["kind"], org.code, data["fiscal_year"], data.get("round_months"), request.user
            )
        except DomainError as error:
            form.add_error(None, message_for(error))
        else:
            suffix = f"-{data['round_months']}m" if data.get("round_months") else ""
            name = f"tidtam-{data['kind']}-{org.code}-{data['fiscal_year']}{suffix}.xlsx"
            response = HttpResponse(
                content,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    upload = UploadForm(organizations=organizations)
    recent = ImportJob.objects.filter(person_id=request.user.pk).defer("content")[:RECENT_JOBS]
    return render(
        request,
        "transfer/home.html",
        {"export_form": form, "upload": upload, "recent": recent, "titles": services.TITLES},
        status=400,
    )


def _own_job(request: HttpRequest, import_id: uuid.UUID) -> ImportJob:
    return get_object_or_404(
        ImportJob.objects.defer("content"), pk=import_id, person_id=request.user.pk
    )


@login_required
@require_GET
def job(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    item = _own_job(request, import_id)
    progress = jobs.read_progress(item.pk) if item.running else {}
    percent = round(100 * progress["done"] / progress["total"]) if progress.get("total") else 0
    return render(
        request,
        "transfer/job.html",
        {"job": item, "progress": progress, "percent": percent, "refresh_seconds": 2},
    )


@login_required
@require_POST
def job_apply(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    item = _own_job(request, import_id)
    if jobs.job_apply_request(item):
        messages.info(request, "กำลังบันทึกข้อมูลจากไฟล์ — หน้านี้จะแสดงผลเมื่อเสร็จ")
    else:
        messages.warning(request, "ไฟล์นี้บันทึกไปแล้ว กำลังบันทึก หรือมีปัญหาที่ต้องแก้ก่อน — ดูสถานะด้านล่าง")
    return redirect("transfer:job", import_id=item.pk)
