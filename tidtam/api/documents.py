"""Documents: each document's content as its typed structure (issue 6's document JSON, one
schema per document), and render jobs: ask for a file, follow its progress, download it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import FileResponse, HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from tidtam.api.auth import require_write
from tidtam.api.common import one
from tidtam.api.errors import WRITES, ApiError, ErrorOut, responses
from tidtam.api.schemas import DocumentOut, JobIn, JobOut
from tidtam.audit.services import record_read
from tidtam.domain.errors import DomainError
from tidtam.orgs import policy
from tidtam.reports.content import MODELS
from tidtam.reports.documents import DOCUMENTS, MEDIA_TYPES
from tidtam.reports.models import RenderJob
from tidtam.reports.services import render_job_request, render_jobs_expire_stale

router = Router(tags=["เอกสาร / documents"])


@router.get("/documents", response=responses(list[DocumentOut]))
def documents(request: HttpRequest) -> Any:
    """เอกสารที่จัดทำได้ / the documents tidtam makes, with their formats."""
    return [
        {"code": d.code, "title": d.title, "needs_round": d.needs_round, "formats": list(d.formats)}
        for d in DOCUMENTS.values()
    ]


def _content_endpoint(code: str) -> None:
    doc = DOCUMENTS[code]

    def content(
        request: HttpRequest,
        org: str = Query(..., max_length=64, description="รหัสหน่วยงาน / organisation code"),
        fy: int = Query(..., ge=2400, le=2700, description="ปีงบประมาณ พ.ศ. / fiscal year"),
        round: int = Query(12, ge=3, le=12, description="รอบ (เดือน) / round in months"),
        subtree: bool = Query(
            False,
            description=(
                "รวมหน่วยงานในสังกัด (รายงานรายไตรมาสและเอกสาร ITA) / with the units below"
                " the organisation (the quarterly and ITA documents)"
            ),
        ),
    ) -> Any:
        organization = one(policy.document_organizations(request.user), "หน่วยงาน", code=org)
        return doc.content(organization.code, fy, round, subtree=subtree)

    content.__doc__ = f"{doc.title}: เนื้อหาเอกสาร / the document's content (JSON) — {code}"
    router.get(
        f"/documents/{code}/content",
        response=responses(MODELS[code]),
        operation_id=f"document_content_{code.replace('-', '_')}",
        summary=doc.title,
    )(content)


for _code in DOCUMENTS:
    _content_endpoint(_code)


def _jobs(request: HttpRequest) -> Any:
    return policy.readable(request.user, RenderJob).select_related("organization")


@router.post("/document-jobs", response=responses(JobOut, status=202, errors=WRITES))
def request_job(request: HttpRequest, data: JobIn) -> Any:
    """สั่งจัดทำเอกสาร / ask for a document file; it is made in the background (poll the job)."""
    require_write(request)
    # An organisation out of reach is not found, as for the document's content.
    organization = one(policy.document_organizations(request.user), "หน่วยงาน", code=data.org)
    job = render_job_request(
        user=request.user,  # type: ignore[arg-type]
        document=data.document,
        org_code=organization.code,
        fiscal_year=data.fy,
        round_months=data.round,
        fmt=data.format,
        subtree=data.subtree,
    )
    return Status(202, one(_jobs(request), "งานจัดทำเอกสาร", pk=job.pk))


@router.get("/document-jobs/{job_id}", response=responses(JobOut))
def job(request: HttpRequest, job_id: UUID) -> Any:
    """สถานะงานจัดทำเอกสาร / a render job's status and, when done, where to download it."""
    render_jobs_expire_stale()
    return one(_jobs(request), "งานจัดทำเอกสาร", pk=job_id)


@router.get(
    "/document-jobs/{job_id}/file",
    response={code: ErrorOut for code in (401, 404, 409, 422, 429)},
    openapi_extra={
        "responses": {
            200: {
                "description": "ไฟล์เอกสาร / the document file",
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}}
                    for t in set(MEDIA_TYPES.values())
                },
            }
        }
    },
)
def job_file(request: HttpRequest, job_id: UUID) -> Any:
    """ดาวน์โหลดไฟล์ / the finished file (409 while it is still being made)."""
    found = one(_jobs(request), "งานจัดทำเอกสาร", pk=job_id)
    if found.status != RenderJob.Status.DONE or not found.file:
        raise ApiError(409, DomainError("document_not_ready", status=found.get_status_display()))
    record_read(user=request.user, kind="document", obj=found)
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.filename,
        content_type=MEDIA_TYPES.get(found.format, "application/octet-stream"),
    )
