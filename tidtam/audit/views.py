"""The read log page for auditors: who read what, filtered by person, kind and date, paged."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tidtam.audit.models import ReadAudit
from tidtam.orgs.access import reach_of
from tidtam.orgs.models import RoleAssignment
from tidtam.ui.fields import BEDateField

PAGE_SIZE = 50
NOT_AUDITOR_MESSAGE = (
    "บันทึกการเข้าถึงข้อมูลเปิดได้เฉพาะผู้ตรวจสอบและผู้ดูแลระบบ"
    " — ถ้าต้องตรวจสอบการเข้าถึงข้อมูล ให้ผู้ดูแลระบบของหน่วยงานมอบบทบาทผู้ตรวจสอบให้"
)


class ReadAuditFilter(forms.Form):
    person = forms.CharField(
        label="ผู้อ่าน", required=False, max_length=150, help_text="ชื่อผู้ใช้ ชื่อ หรือนามสกุล"
    )
    kind = forms.ChoiceField(
        label="ประเภท", required=False, choices=[("", "ทุกประเภท"), *ReadAudit.Kind.choices]
    )
    date_from = BEDateField(label="ตั้งแต่วันที่", required=False)
    date_to = BEDateField(label="ถึงวันที่", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to", "วันที่สิ้นสุดอยู่ก่อนวันที่เริ่มต้น — ให้กรอกวันที่สิ้นสุดเป็นวันเดียวกันหรือหลังวันที่เริ่มต้น"
            )
        return data


def reads_visible(user: Any) -> QuerySet[ReadAudit]:
    """The rows an auditor may read: those of the organisations they audit (and below them)."""
    reach = reach_of(user)
    rows = ReadAudit.objects.select_related("organization", "user__person")
    if reach.everything:
        return rows
    audited = reach.orgs(RoleAssignment.Role.AUDITOR)
    if not audited:
        raise PermissionDenied(NOT_AUDITOR_MESSAGE)
    return rows.filter(organization_id__in=audited)


def _filtered(rows: QuerySet[ReadAudit], data: dict[str, Any]) -> QuerySet[ReadAudit]:
    person = (data.get("person") or "").strip()
    if person:
        rows = rows.filter(
            Q(username__icontains=person)
            | Q(user__person__first_name__icontains=person)
            | Q(user__person__last_name__icontains=person)
        )
    if data.get("kind"):
        rows = rows.filter(kind=data["kind"])
    zone = timezone.get_current_timezone()
    if data.get("date_from"):
        rows = rows.filter(at__gte=datetime.combine(data["date_from"], time.min, tzinfo=zone))
    if data.get("date_to"):
        end = datetime.combine(data["date_to"] + timedelta(days=1), time.min, tzinfo=zone)
        rows = rows.filter(at__lt=end)
    return rows


@login_required
@require_GET
def read_log(request: HttpRequest) -> HttpResponse:
    rows = reads_visible(request.user)
    form = ReadAuditFilter(request.GET or None)
    if form.is_bound and form.is_valid():
        rows = _filtered(rows, form.cleaned_data)
    elif form.is_bound:
        rows = rows.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/read_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )
