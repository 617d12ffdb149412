"""The reporting calendar of an organisation: fiscal years, their rounds, deadlines, the open round.

Rounds are shared; each organisation keeps its own schedule of them, or follows its parent's
(see `tidtam.periods.calendar`). The pages show one organisation's calendar at a time: anyone
who may see the organisation reads it (an organisation out of reach is not found, 404); only a
planner with reach over it changes it. Auditors and executives are refused first (read-only,
403), then anyone who is not a planner of that organisation (403).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from tidtam.domain import fiscal
from tidtam.domain.thai import format_date_long
from tidtam.orgs import policy
from tidtam.orgs.models import Organization
from tidtam.periods.calendar import Schedule, ancestry, schedules_for
from tidtam.periods.forms import FiscalYearForm, RoundDeadlineForm
from tidtam.periods.models import FiscalYear, Round
from tidtam.periods.services import (
    fiscal_year_create,
    round_close,
    round_deadline_save,
    round_open,
    round_schedule_inherit,
)
from tidtam.ui.errors import SAVE_ERRORS, add_save_error
from tidtam.ui.permissions import require

# Who reads and who changes a calendar is the access policy's (tidtam/orgs/policy.py).


def _can_edit(request: HttpRequest, organization: Organization | None) -> bool:
    return organization is not None and policy.may_plan(request.user, organization)


def _require_calendar_keeper(request: HttpRequest, organization: Organization) -> None:
    require(request.user, policy.may_plan(request.user, organization))


def _organization(request: HttpRequest, org_id: int) -> Organization:
    return get_object_or_404(policy.readable(request.user, Organization), pk=org_id)


def _choices(request: HttpRequest) -> QuerySet[Organization]:
    """The organisations to choose among: those the person plans, else those they see."""
    planned = policy.plannable(request.user, Organization)
    chosen = planned if planned.exists() else policy.readable(request.user, Organization)
    return chosen.order_by("code")


def _default_organization(request: HttpRequest) -> Organization | None:
    """The person's own organisation when they may see it, else the first they plan or see
    (roots first, so that a ministry planner starts at the ministry)."""
    person = getattr(request.user, "person", None) if hasattr(request.user, "person") else None
    visible = policy.readable(request.user, Organization)
    if person is not None and visible.filter(pk=person.organization_id).exists():
        return person.organization
    return _choices(request).order_by("parent_id", "code").first()


def _round(round_id: int) -> Round:
    return get_object_or_404(Round.objects.select_related("fiscal_year"), pk=round_id)


def _calendar_url(organization: Organization) -> str:
    return reverse("periods:calendar", kwargs={"org_id": organization.pk})


def _source_label(schedule: Schedule, organization: Organization, names: dict[int, str]) -> str:
    if schedule.set_by_org_id is None:
        return "ตามเกณฑ์สำนักงบประมาณ (15 วันหลังสิ้นไตรมาส)"
    if schedule.set_by_org_id == organization.pk:
        return "กำหนดเอง"
    return f"ตามกำหนดของ {names.get(schedule.set_by_org_id, '')}"


def _names(org_ids: set[int]) -> dict[int, str]:
    return {org.pk: org.label for org in Organization.objects.filter(pk__in=org_ids)}


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    """The chosen organisation's calendar (?org=), else the person's own."""
    choice = request.GET.get("org", "")
    if choice.isdigit():
        return redirect(_calendar_url(_organization(request, int(choice))))
    organization = _default_organization(request)
    if organization is None:
        return render(request, "periods/round_list.html", {"organization": None, "years": []})
    return redirect(_calendar_url(organization))


@login_required
def calendar(request: HttpRequest, org_id: int) -> HttpResponse:
    organization = _organization(request, org_id)
    years = list(
        FiscalYear.objects.order_by("-year").prefetch_related(
            Prefetch(
                "rounds", queryset=Round.objects.select_related("fiscal_year").order_by("months")
            )
        )
    )
    rounds = [round_ for year in years for round_ in year.rounds.all()]
    schedules = schedules_for(rounds, [organization.pk])
    chain = ancestry([organization.pk])[organization.pk]
    names = _names(set(chain))
    rows = [
        (
            year,
            [
                (
                    round_,
                    fiscal.round_window(year.year, round_.months),
                    schedules[(round_.pk, organization.pk)],
                    _source_label(schedules[(round_.pk, organization.pk)], organization, names),
                )
                for round_ in year.rounds.all()
            ],
        )
        for year in years
    ]
    return render(
        request,
        "periods/round_list.html",
        {
            "organization": organization,
            "parents": [names[org_id] for org_id in chain[1:] if org_id in names],
            "choices": _choices(request),
            "years": rows,
            "can_edit": _can_edit(request, organization),
        },
    )


@login_required
def fiscal_year_add(request: HttpRequest) -> HttpResponse:
    """A new fiscal year for an organisation the person plans (by default their own)."""
    planned = policy.plannable(request.user, Organization).order_by("code")
    default = _default_organization(request)
    initial_org = (
        default if default is not None and planned.filter(pk=default.pk).exists() else None
    )
    can_edit = policy.may_plan_somewhere(request.user)
    if request.method == "POST":
        require(request.user, can_edit)
        form = FiscalYearForm(request.POST, organizations=planned, default=initial_org)
        if form.is_valid():
            organization = form.cleaned_data["organization"]
            try:
                fy = fiscal_year_create(
                    year=form.cleaned_data["year"], organization=organization, user=request.user
                )
            except SAVE_ERRORS as error:
                add_save_error(form, error, default="year")
            else:
                messages.success(
                    request,
                    f"เพิ่มปีงบประมาณ {fy.year} พร้อมรอบรายงาน 4 รอบของ {organization.label} แล้ว"
                    " — ตรวจกำหนดส่งผลของแต่ละรอบ แล้วเปิดรอบเมื่อพร้อมรับรายงาน",
                )
                return redirect(_calendar_url(organization))
    else:
        form = FiscalYearForm(organizations=planned, default=initial_org)
    return render(
        request,
        "periods/fiscal_year_add.html",
        {"form": form, "can_edit": can_edit, "organization": initial_org},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def round_edit(request: HttpRequest, org_id: int, round_id: int) -> HttpResponse:
    """A round's deadline for one organisation, typed and shown in B.E. (the form converts it)."""
    organization = _organization(request, org_id)
    round_ = _round(round_id)
    schedule = schedules_for([round_], [organization.pk])[(round_.pk, organization.pk)]
    if request.method == "POST":
        _require_calendar_keeper(request, organization)
        form = RoundDeadlineForm(request.POST)
        if form.is_valid():
            saved = round_deadline_save(
                round_=round_,
                organization=organization,
                deadline=form.cleaned_data["deadline"],
                user=request.user,
            )
            due = format_date_long(saved.deadline) if saved.deadline else "ไม่กำหนด"
            messages.success(request, f"บันทึกกำหนดส่งผล{round_}ของ {organization.label}: {due} แล้ว")
            return redirect("periods:round_edit", org_id=organization.pk, round_id=round_.pk)
    else:
        form = RoundDeadlineForm(initial={"deadline": schedule.deadline})
    chain = ancestry([organization.pk])[organization.pk]
    return render(
        request,
        "periods/round_edit.html",
        {
            "round": round_,
            "organization": organization,
            "schedule": schedule,
            "source": _source_label(schedule, organization, _names(set(chain))),
            "form": form,
            "can_edit": _can_edit(request, organization),
            "default_deadline": fiscal.quarter_report_due(round_.fiscal_year.year, round_.quarter),
            "window": fiscal.round_window(round_.fiscal_year.year, round_.months),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _post_only(view: Any) -> Any:
    """An open / close / inherit button: 404 out of reach, 405 unless POST, 403 unless a planner
    of the organisation; the view gets the organisation and the round."""

    def wrapped(request: HttpRequest, org_id: int, round_id: int) -> HttpResponse:
        organization = _organization(request, org_id)
        round_ = _round(round_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        _require_calendar_keeper(request, organization)
        response: HttpResponse = view(request, organization, round_)
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_required(wrapped)


@_post_only
def round_open_view(
    request: HttpRequest, organization: Organization, round_: Round
) -> HttpResponse:
    closed = round_open(round_=round_, organization=organization, user=request.user)
    note = "".join(f" และปิด{other}" for other in closed)
    messages.success(request, f"เปิดรับรายงาน{round_}ของ {organization.label} แล้ว{note}")
    return redirect(_calendar_url(organization))


@_post_only
def round_close_view(
    request: HttpRequest, organization: Organization, round_: Round
) -> HttpResponse:
    round_close(round_=round_, organization=organization, user=request.user)
    messages.success(request, f"ปิดรับรายงาน{round_}ของ {organization.label} แล้ว")
    return redirect(_calendar_url(organization))


@_post_only
def round_inherit_view(
    request: HttpRequest, organization: Organization, round_: Round
) -> HttpResponse:
    """Drop the organisation's own schedule of the round: it follows its parent's again (a root,
    the Budget Bureau's default)."""
    round_schedule_inherit(round_=round_, organization=organization, user=request.user)
    source = (
        "ตามหน่วยงานต้นสังกัด"
        if organization.parent_id
        else "ตามเกณฑ์สำนักงบประมาณ (15 วันหลังสิ้นไตรมาส ปิดรับรายงาน)"
    )
    messages.success(request, f"{organization.label} ใช้กำหนดการ{round_}{source}แล้ว")
    return redirect(_calendar_url(organization))
