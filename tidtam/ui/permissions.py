"""What views call before they change anything: read-only roles are told so, in Thai."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from tidtam.orgs.access import reach_of

READ_ONLY_MESSAGE = (
    "บัญชีนี้มีสิทธิ์อ่านอย่างเดียว (ผู้ตรวจสอบ / ผู้บริหาร) จึงแก้ไขข้อมูลไม่ได้"
    " — ถ้าต้องแก้ไข ให้ผู้รับผิดชอบหรือผู้วางแผนของหน่วยงานดำเนินการ"
)
NOT_ALLOWED_MESSAGE = (
    "บัญชีนี้เห็นรายการนี้ได้ แต่ไม่มีบทบาทที่ทำขั้นตอนนี้ได้ — ติดต่อผู้ดูแลระบบของหน่วยงานถ้าต้องได้รับบทบาทเพิ่ม"
)


def refuse_read_only(user: Any) -> None:
    """Raise 403 for auditors and executives on any change (they can see the object)."""
    if reach_of(user).read_only:
        raise PermissionDenied(READ_ONLY_MESSAGE)


def refuse(allowed: bool) -> None:
    """Raise 403 when a person who may read an object tries a step their roles do not give."""
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED_MESSAGE)


def require(user: Any, allowed: bool) -> None:
    """Raise 403 unless the step is allowed (a policy predicate's answer), saying why in Thai:
    read-only roles are told they only read, others which role they lack. Call it after the
    object was found through `policy.readable`, so that what the person cannot read stays 404."""
    if not allowed:
        refuse_read_only(user)
        raise PermissionDenied(NOT_ALLOWED_MESSAGE)
