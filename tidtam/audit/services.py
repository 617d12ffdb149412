"""Recording reads that matter: one function, called by the views that hand the data out."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from tidtam.audit.models import ReadAudit
from tidtam.messages import DOCUMENT_TITLES
from tidtam.orgs.models import Organization

Kind = ReadAudit.Kind


def _owner_org_id(obj: Any) -> int | None:
    """The organisation whose data the object is: an auditor of it (or above it) reads the row."""
    entry = getattr(obj, "entry", None)  # evidence: the entry it backs
    if entry is not None:
        obj = entry
    work_item = getattr(obj, "work_item", None)
    if work_item is not None:
        return int(work_item.plan.organization_id)
    indicator = getattr(obj, "indicator", None)
    if indicator is not None:
        return int(indicator.organization_id)
    org_id = getattr(obj, "organization_id", None)
    return int(org_id) if org_id is not None else None


def _describe(obj: Any, kind: str) -> str:
    """A Thai line an auditor reads without opening anything."""
    from tidtam.progress.review import entry_label

    if kind == Kind.EVIDENCE:
        return f'ไฟล์หลักฐาน "{obj.original_name}" ของ "{entry_label(obj.entry)}"'
    if kind == Kind.PHONE:
        return f"เบอร์โทรศัพท์ของ {obj.full_name} ({obj.office_phone or '-'})"
    if kind == Kind.DOCUMENT and hasattr(obj, "document"):
        return document_description(
            obj.document, obj.organization.name, obj.fiscal_year, obj.round_months, obj.format
        )
    return str(obj)


def document_description(
    document: str, org_name: str, fiscal_year: int, round_months: int | None, fmt: str
) -> str:
    title = DOCUMENT_TITLES.get(document, document)
    period = f" รอบ {round_months} เดือน" if round_months else ""
    return f"{title} {org_name} ปีงบประมาณ {fiscal_year}{period} ({fmt.upper()})"


def record_read(
    *,
    user: Any,
    kind: str,
    obj: models.Model | None = None,
    description: str = "",
    organization: Organization | None = None,
) -> ReadAudit:
    """Log that `user` read `obj` (or, for a read with no single object, `description` of
    `organization`). The description and organisation are taken from the object when not given."""
    return ReadAudit.objects.create(**_row(user, kind, obj, description, organization))


def record_reads(*, user: Any, kind: str, objects: list[Any]) -> int:
    """Log one read per object in one query (a list page that shows many phone numbers)."""
    rows = [ReadAudit(**_row(user, kind, obj, "", None)) for obj in objects]
    ReadAudit.objects.bulk_create(rows)
    return len(rows)


def _row(
    user: Any, kind: str, obj: Any, description: str, organization: Organization | None
) -> dict[str, Any]:
    authenticated = getattr(user, "is_authenticated", False)
    return {
        "user": user if authenticated else None,
        "username": user.get_username() if authenticated else "(ไม่ได้เข้าสู่ระบบ)",
        "kind": Kind(kind),
        "content_type": ContentType.objects.get_for_model(obj) if obj is not None else None,
        "object_id": str(obj.pk) if obj is not None else "",
        "description": (description or _describe(obj, kind))[:500],
        "organization_id": organization.pk
        if organization is not None
        else (_owner_org_id(obj) if obj is not None else None),
    }


def record_print_read(
    *, user: Any, document: str, org_code: str, fiscal_year: int, round_months: int | None
) -> ReadAudit:
    """Log a document opened as a print page (no file, so no object: the organisation and the
    document's name say what was read)."""
    organization = Organization.objects.filter(code=org_code).first()
    name = organization.name if organization is not None else org_code
    return record_read(
        user=user,
        kind=Kind.DOCUMENT,
        description=document_description(document, name, fiscal_year, round_months, "พิมพ์"),
        organization=organization,
    )
