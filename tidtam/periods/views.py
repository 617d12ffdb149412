"""The reporting calendar: fiscal years, their rounds, deadlines, which round is open.

Rounds are global (one calendar for every organisation: the Budget Bureau's quarters and its
15-day rule), so there is nothing to hide: every signed-in person may read them. Who may
change them: any planner (of any organisation) and superusers. domain.md gives the year's
set-up, rounds included, to the planner (กลุ่มนโยบายและแผน), and an agency usually runs its own
tidtam, so its planners keep its calendar without waiting for an administrator; history
records who changed which deadline. Auditors and executives are refused first (read-only,
403), then anyone who is not a planner (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from tidtam.domain import fiscal
from tidtam.domain.thai import format_date_long
from tidtam.orgs.access import reach_of
from tidtam.orgs.models import RoleAssignment
from tidtam.periods.forms import FiscalYearForm, RoundDeadlineForm
from tidtam.periods.models import FiscalYear, Round
from tidtam.periods.services import (
    fiscal_year_create,
    round_close,
    round_deadline_save,
    round_open,
)
from tidtam.web.errors import SAVE_ERRORS, add_save_error
from tidtam.web.permissions import refuse, refuse_read_only


def _keeps_calendar(request: HttpRequest) -> bool:
    reach = reach_of(request.user)
    return reach.everything or bool(reach.orgs(RoleAssignment.Role.PLANNER))


def _can_edit(request: HttpRequest) -> bool:
    return not reach_of(request.user).read_only and _keeps_calendar(request)


def _require_calendar_keeper(request: HttpRequest) -> None:
    refuse_read_only(request.user)
    refuse(_keeps_calendar(request))


def _round(round_id: int) -> Round:
    return get_object_or_404(Round.objects.select_related("fiscal_year"), pk=round_id)


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    years = FiscalYear.objects.order_by("-year").prefetch_related(
        Prefetch("rounds", queryset=Round.objects.order_by("months"))
    )
    rows = [
        (
            year,
            [
                (round_, fiscal.round_window(year.year, round_.months))
                for round_ in year.rounds.all()
            ],
        )
        for year in years
    ]
    return render(
        request,
        "periods/round_list.html",
        {"years": rows, "can_edit": _can_edit(request), "year_form": FiscalYearForm()},
    )


@login_required
def fiscal_year_add(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        _require_calendar_keeper(request)
        form = FiscalYearForm(request.POST)
        if form.is_valid():
            try:
                fy = fiscal_year_create(year=form.cleaned_data["year"], user=request.user)
            except SAVE_ERRORS as error:
                add_save_error(form, error, default="year")
            else:
                messages.success(
                    request,
                    f"เพิ่มปีงบประมาณ {fy.year} พร้อมรอบรายงาน 4 รอบแล้ว"
                    " — ตรวจกำหนดส่งผลของแต่ละรอบ แล้วเปิดรอบเมื่อพร้อมรับรายงาน",
                )
                return redirect("periods:round_list")
    else:
        form = FiscalYearForm()
    return render(
        request,
        "periods/fiscal_year_add.html",
        {"form": form, "can_edit": _can_edit(request)},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def round_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    """A round's deadline, typed and shown in B.E. (the form converts it once)."""
    round_ = _round(round_id)
    if request.method == "POST":
        _require_calendar_keeper(request)
        form = RoundDeadlineForm(request.POST)
        if form.is_valid():
            round_deadline_save(
                round_=round_, deadline=form.cleaned_data["deadline"], user=request.user
            )
            due = format_date_long(round_.deadline) if round_.deadline else "ไม่กำหนด"
            messages.success(request, f"บันทึกกำหนดส่งผล{round_}: {due} แล้ว")
            return redirect("periods:round_edit", round_id=round_.pk)
    else:
        form = RoundDeadlineForm(initial={"deadline": round_.deadline})
    return render(
        request,
        "periods/round_edit.html",
        {
            "round": round_,
            "form": form,
            "can_edit": _can_edit(request),
            "default_deadline": fiscal.quarter_report_due(round_.fiscal_year.year, round_.quarter),
            "window": fiscal.round_window(round_.fiscal_year.year, round_.months),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def round_open_view(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(round_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require_calendar_keeper(request)
    closed = round_open(round_=round_, user=request.user)
    note = "".join(f" และปิด{other}" for other in closed)
    messages.success(request, f"เปิดรับรายงาน{round_}แล้ว{note}")
    return redirect("periods:round_list")


@login_required
def round_close_view(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round(round_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _require_calendar_keeper(request)
    round_close(round_=round_, user=request.user)
    messages.success(request, f"ปิดรับรายงาน{round_}แล้ว")
    return redirect("periods:round_list")
