"""The menu: each page's entry shows to the roles that use it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from tidtam.orgs.access import reach_of
from tidtam.orgs.models import RoleAssignment

Role = RoleAssignment.Role
EVERYONE: frozenset[str] = frozenset(Role.values)
OVERSEERS = frozenset({Role.PLANNER, Role.APPROVER, Role.EXECUTIVE, Role.AUDITOR})


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str
    roles: frozenset[str]


MENU: tuple[Entry, ...] = (
    Entry("dashboard:home", "ภาพรวม", OVERSEERS),
    Entry("progress:my_work", "งานของฉัน", EVERYONE),
    Entry("progress:round_status", "สถานะการรายงาน", OVERSEERS),
    Entry(
        "plans:plan_list", "แผนปฏิบัติราชการ", frozenset({Role.PLANNER, Role.EXECUTIVE, Role.AUDITOR})
    ),
    Entry(
        "agreements:agreement_list",
        "คำรับรองการปฏิบัติราชการ",
        frozenset({Role.PLANNER, Role.EXECUTIVE, Role.AUDITOR}),
    ),
    Entry("periods:round_list", "รอบรายงาน", frozenset({Role.PLANNER})),
    Entry(
        "transfer:home",
        "นำเข้า / ส่งออก Excel",
        frozenset({Role.PLANNER, Role.REPORTER}),
    ),
    Entry("portal:manage", "เผยแพร่ต่อสาธารณะ", frozenset({Role.PLANNER})),
    Entry("web:search", "ค้นหา", EVERYONE),
    Entry("reports:documents", "เอกสาร", EVERYONE),
    Entry("audit:read_log", "บันทึกการเข้าถึง", frozenset({Role.AUDITOR})),
    Entry("orgs:people_home", "บุคลากรและบทบาท", frozenset({Role.ADMINISTRATOR})),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    roles = reach_of(user).roles
    current = request.path
    menu = []
    for entry in MENU:
        if not roles & entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:  # a page not built in this deployment
            continue
        menu.append({"url": url, "label": entry.label, "active": current.startswith(url)})
    return {"menu": menu}
