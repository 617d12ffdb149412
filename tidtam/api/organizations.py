"""Organisations the person reads, fiscal years and their rounds (with an organisation's calendar)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from tidtam.api.common import filtered, one
from tidtam.api.errors import responses
from tidtam.api.schemas import (
    FiscalYearOut,
    ListPaging,
    OrganizationOut,
    RoundOut,
    page,
    page_schema,
)
from tidtam.orgs import policy
from tidtam.orgs.models import Organization
from tidtam.periods import calendar
from tidtam.periods.models import FiscalYear, Round

router = Router(tags=["หน่วยงานและรอบ / organisations and periods"])

OrganizationPage = page_schema("OrganizationPage", OrganizationOut)


@router.get("/organizations", response=responses(OrganizationPage))
def organizations(
    request: HttpRequest,
    paging: Query[ListPaging],
    parent: str | None = Query(None, max_length=64, description="รหัสหน่วยงานแม่ / parent code"),
) -> Any:
    """หน่วยงานที่อ่านได้ / the organisations whose data the person reads."""
    rows = policy.readable(request.user, Organization).select_related("parent").order_by("pk")
    return page(filtered(rows, parent__code=parent), paging)


@router.get("/organizations/{code}", response=responses(OrganizationOut))
def organization(request: HttpRequest, code: str) -> Any:
    """หน่วยงานหนึ่ง / one organisation (404 outside the person's reach)."""
    rows = policy.readable(request.user, Organization).select_related("parent")
    return one(rows, "หน่วยงาน", code=code)


@router.get("/fiscal-years", response=responses(list[FiscalYearOut]))
def fiscal_years(request: HttpRequest) -> Any:
    """ปีงบประมาณและรอบรายงาน / fiscal years with their rounds."""
    return list(FiscalYear.objects.prefetch_related("rounds__fiscal_year").order_by("year"))


@router.get("/rounds", response=responses(list[RoundOut]))
def rounds(
    request: HttpRequest,
    fy: int | None = Query(None, ge=2400, le=2700, description="ปีงบประมาณ พ.ศ. / fiscal year"),
    org: str | None = Query(
        None, max_length=64, description="ปฏิทินของหน่วยงาน / whose calendar (open, deadline)"
    ),
) -> Any:
    """รอบรายงาน และ (เมื่อระบุหน่วยงาน) เปิดรับผลหรือไม่ / rounds, open or not for ?org."""
    found = list(
        filtered(Round.objects.select_related("fiscal_year"), fiscal_year__year=fy).order_by(
            "fiscal_year__year", "months"
        )
    )
    if org is not None:
        organization = one(policy.readable(request.user, Organization), "หน่วยงาน", code=org)
        schedules = calendar.schedules_for(found, [organization.pk])
        for round_ in found:
            schedule = schedules[(round_.pk, organization.pk)]
            round_.is_open, round_.deadline = schedule.is_open, schedule.deadline  # type: ignore[attr-defined]
    return found
