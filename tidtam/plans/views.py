"""Plan set-up pages: the plans by year, a plan as a tree, and the forms that change it.

Who may read and change what is decided in `tidtam.orgs.policy`: objects are found through
`policy.readable` (outside it every URL answers 404), and changes need `policy.may_plan` on the
plan's organisation (`require`: 403 in Thai, read-only roles told so). The object is looked up
before the method is checked, so a person outside the reach gets 404 whatever the method.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from tidtam.concurrency import EntryConflict, history_version
from tidtam.domain.errors import DomainError
from tidtam.orgs import policy
from tidtam.orgs.models import Organization
from tidtam.paging import paginate
from tidtam.periods.models import FiscalYear, Round
from tidtam.plans import selectors, services
from tidtam.plans.forms import (
    ActivityForm,
    CopyYearForm,
    ExcludeForm,
    MilestoneForm,
    MoveForm,
    MoveToForm,
    OutputForm,
    PlanForm,
    PlanSettingsForm,
    RemoveResponsibilityForm,
    ResponsibilityForm,
    WorkItemAddForm,
    WorkItemForm,
    WorkItemLineForm,
    WorkItemMonthsForm,
    milestone_forms,
)
from tidtam.plans.models import Activity, OperatingPlan, Output, PlannedMilestone, WorkItem
from tidtam.ui.errors import SAVE_ERRORS, add_conflict, add_save_error
from tidtam.ui.permissions import require

# Which form field a service's error is shown next to (None: at the top of the form).
ERROR_FIELDS: dict[str, str | None] = {
    "percent_missing_data": "target_quantity",
    "budget_line_missing": "budget_line",
    "exclusion_reason_required": "reason",
    "person_not_in_unit": "person",
    "plan_exists": "fiscal_year",
    "band_thresholds_out_of_order": "band_high",
    "explanation_threshold_negative": "explanation_threshold",
}


def _add_error(form: Form, error: Exception) -> None:
    add_save_error(form, error, fields=ERROR_FIELDS)


def _post_only(request: HttpRequest) -> HttpResponse | None:
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _tree_url(plan_id: int, anchor: str = "") -> str:
    """The plan's tree at the page that shows the anchor (an item, an activity's first item)."""
    url = reverse("plans:plan_detail", kwargs={"plan_id": plan_id})
    kind, _, pk = anchor.partition("-")
    page = 1
    if kind == "item":
        page = selectors.tree_page(plan_id, item=int(pk))
    elif kind == "activity":
        page = selectors.tree_page(plan_id, activity=int(pk))
    if page > 1:
        url = f"{url}?page={page}"
    return f"{url}#{anchor}" if anchor else url


def _keep_typed(form: Form, obj: Any, conflict: EntryConflict) -> None:
    """A refused save keeps what was typed, now against the newer version: the next save
    knowingly goes over the other change, which the form's error shows."""
    add_conflict(form, conflict, version=history_version(obj))


def _plan(request: HttpRequest, plan_id: int) -> OperatingPlan:
    plans = policy.readable(request.user, OperatingPlan)
    return get_object_or_404(plans.select_related("organization", "fiscal_year"), pk=plan_id)


def _output(request: HttpRequest, output_id: int) -> Output:
    outputs = policy.readable(request.user, Output).select_related(
        "plan__organization", "plan__fiscal_year"
    )
    return get_object_or_404(outputs, pk=output_id)


def _activity(request: HttpRequest, activity_id: int) -> Activity:
    activities = policy.readable(request.user, Activity).select_related(
        "output__plan__organization", "output__plan__fiscal_year"
    )
    return get_object_or_404(activities, pk=activity_id)


def _work_item(request: HttpRequest, work_item_id: int) -> WorkItem:
    items = policy.readable(request.user, WorkItem).select_related(
        "plan__organization", "plan__fiscal_year", "activity__output", "budget_line"
    )
    return get_object_or_404(items, pk=work_item_id)


def _plannable_organizations(request: HttpRequest) -> Any:
    return policy.plannable(request.user, Organization).order_by("code")


def _form_page(
    request: HttpRequest,
    *,
    form: Form,
    title: str,
    plan: OperatingPlan,
    can_edit: bool,
    submit: str = "บันทึก",
    intro: str = "",
) -> HttpResponse:
    return render(
        request,
        "plans/form.html",
        {
            "form": form,
            "title": title,
            "plan": plan,
            "can_edit": can_edit,
            "submit": submit,
            "intro": intro,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- plans ---------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        policy.readable(request.user, OperatingPlan)
        .select_related("organization", "fiscal_year")
        .order_by("-fiscal_year__year", "organization__code", "pk")
    )
    can_add = policy.may_plan_somewhere(request.user)
    # A page at a time: at national scale a superuser reads hundreds of plans a year.
    pager = paginate(request, plans)
    return render(
        request, "plans/plan_list.html", {"plans": pager.rows, "pager": pager, "can_add": can_add}
    )


@login_required
def plan_add(request: HttpRequest) -> HttpResponse:
    organizations = _plannable_organizations(request)
    if request.method == "POST":
        require(request.user, policy.may_plan_somewhere(request.user))
        form = PlanForm(request.POST, organizations=organizations)
        if form.is_valid():
            try:
                plan = services.plan_create(
                    organization=form.cleaned_data["organization"],
                    fiscal_year=form.cleaned_data["fiscal_year"],
                    title=form.cleaned_data["title"],
                    user=request.user,
                )
            except SAVE_ERRORS as error:
                _add_error(form, error)
            else:
                messages.success(request, f"สร้าง{plan.title}แล้ว")
                return redirect(_tree_url(plan.pk))
    else:
        form = PlanForm(organizations=organizations)
    return render(
        request,
        "plans/plan_add.html",
        {"form": form, "can_edit": policy.may_plan_somewhere(request.user)},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "tree": selectors.plan_tree(plan, request.GET),
            "budget_round": selectors.latest_spending_round(plan),
            "can_edit": policy.may_plan(request.user, plan.organization_id),
            "output_form": OutputForm(),
        },
    )


@login_required
def plan_settings(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    can_edit = policy.may_plan(request.user, plan.organization_id)
    if request.method == "POST":
        require(request.user, can_edit)
        form = PlanSettingsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = services.plan_settings_save(
                    plan=plan,
                    title=data["title"],
                    band_low=data["band_low"],
                    band_high=data["band_high"],
                    explanation_threshold=data["explanation_threshold"],
                    expected_version=data["version"],
                    user=request.user,
                )
            except EntryConflict as conflict:
                _keep_typed(form, plan, conflict)
            except SAVE_ERRORS as error:
                _add_error(form, error)
            else:
                note = f" — ผลการดำเนินงาน {changed:,} รายการเปลี่ยนช่วง" if changed else ""
                messages.success(request, f"บันทึกการตั้งค่า{plan.title}แล้ว{note}")
                return redirect(_tree_url(plan.pk))
    else:
        form = PlanSettingsForm(
            initial={
                "version": history_version(plan),
                "title": plan.title,
                "band_low": _plain(plan.band_low),
                "band_high": _plain(plan.band_high),
                "explanation_threshold": _plain(plan.explanation_threshold),
            }
        )
    return _form_page(
        request,
        form=form,
        title=f"ตั้งค่า{plan.title}",
        plan=plan,
        can_edit=can_edit,
        intro=(
            "เกณฑ์แบ่งช่วงผลการดำเนินงาน (ตารางที่ 1) และเกณฑ์ที่ต้องชี้แจงเหตุผล ใช้กับทุกรอบของแผนนี้"
            " เมื่อเปลี่ยนเกณฑ์ ระบบจัดช่วงผลการดำเนินงานที่บันทึกไว้แล้วใหม่ทันที"
            " และรายงานทุกฉบับใช้เกณฑ์ใหม่"
        ),
    )


@login_required
def plan_copy(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    years = FiscalYear.objects.exclude(pk=plan.fiscal_year_id).order_by("-year")
    planned = set(
        OperatingPlan.objects.filter(organization_id=plan.organization_id).values_list(
            "fiscal_year_id", flat=True
        )
    )
    if request.method == "POST":
        require(request.user, policy.may_plan(request.user, plan.organization_id))
        form = CopyYearForm(request.POST, years=years, planned=planned)
        if form.is_valid():
            try:
                new_plan = services.plan_copy_year(
                    plan=plan, fiscal_year=form.cleaned_data["fiscal_year"], user=request.user
                )
            except SAVE_ERRORS as error:
                _add_error(form, error)
            else:
                messages.success(
                    request,
                    f"คัดลอกแผนปีงบประมาณ {plan.fiscal_year.year} เป็น{new_plan.title}แล้ว"
                    " — ตรวจเป้าหมาย งบประมาณ และแผนรายรอบของปีใหม่ก่อนเปิดรอบรายงาน",
                )
                return redirect(_tree_url(new_plan.pk))
    else:
        form = CopyYearForm(years=years, planned=planned)
    return _form_page(
        request,
        form=form,
        title=f"คัดลอกแผนปีงบประมาณ {plan.fiscal_year.year} ไปปีใหม่",
        plan=plan,
        can_edit=policy.may_plan(request.user, plan.organization_id),
        submit="คัดลอกแผน",
        intro=(
            "คัดลอกผลผลิต กิจกรรม โครงการ/แผนงาน/รายการ พร้อมเป้าหมาย หน่วยนับ หน่วยงานรับผิดชอบ"
            " และแผนรายรอบ ไม่คัดลอกผลการดำเนินงาน รายการงบประมาณจะเชื่อมให้เฉพาะเมื่อปีใหม่"
            " มีรายการงบประมาณหมวดและชื่อเดียวกันแล้ว"
        ),
    )


# --- outputs and activities ----------------------------------------------------------------


@login_required
def output_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    if request.method == "POST":
        require(request.user, policy.may_plan(request.user, plan.organization_id))
        form = OutputForm(request.POST)
        if form.is_valid():
            output = services.output_create(
                plan=plan, name=form.cleaned_data["name"], user=request.user
            )
            messages.success(request, f"เพิ่มผลผลิตที่ {output.number} แล้ว")
            return redirect(_tree_url(plan.pk, f"output-{output.pk}"))
    else:
        form = OutputForm()
    return _form_page(
        request,
        form=form,
        title="เพิ่มผลผลิต",
        plan=plan,
        can_edit=policy.may_plan(request.user, plan.organization_id),
    )


@login_required
def output_edit(request: HttpRequest, output_id: int) -> HttpResponse:
    output = _output(request, output_id)
    plan = output.plan
    if request.method == "POST":
        require(request.user, policy.may_plan(request.user, plan.organization_id))
        form = OutputForm(request.POST)
        if form.is_valid():
            try:
                services.output_save(
                    output=output,
                    name=form.cleaned_data["name"],
                    expected_version=form.cleaned_data["version"],
                    user=request.user,
                )
            except EntryConflict as conflict:
                _keep_typed(form, output, conflict)
            else:
                messages.success(request, f"บันทึกผลผลิตที่ {output.number} แล้ว")
                return redirect(_tree_url(plan.pk, f"output-{output.pk}"))
    else:
        form = OutputForm(initial={"name": output.name, "version": history_version(output)})
    return _form_page(
        request,
        form=form,
        title=f"แก้ไขผลผลิตที่ {output.number}",
        plan=plan,
        can_edit=policy.may_plan(request.user, plan.organization_id),
    )


@login_required
def output_move(request: HttpRequest, output_id: int) -> HttpResponse:
    output = _output(request, output_id)
    if (refused := _post_only(request)) is not None:
        return refused
    require(request.user, policy.may_plan(request.user, output.plan.organization_id))
    form = MoveForm(request.POST)
    if form.is_valid():
        services.output_move(
            output=output, direction=form.cleaned_data["direction"], user=request.user
        )
    return redirect(_tree_url(output.plan_id, f"output-{output.pk}"))


@login_required
def activity_add(request: HttpRequest, output_id: int) -> HttpResponse:
    output = _output(request, output_id)
    plan = output.plan
    if request.method == "POST":
        require(request.user, policy.may_plan(request.user, plan.organization_id))
        form = ActivityForm(request.POST)
        if form.is_valid():
            activity = services.activity_create(
                output=output,
                name=form.cleaned_data["name"],
                name_note=form.cleaned_data["name_note"],
                user=request.user,
            )
            messages.success(request, f"เพิ่มกิจกรรมที่ {activity.number} ในผลผลิตที่ {output.number} แล้ว")
            return redirect(_tree_url(plan.pk, f"activity-{activity.pk}"))
    else:
        form = ActivityForm()
    return _form_page(
        request,
        form=form,
        title=f"เพิ่มกิจกรรมในผลผลิตที่ {output.number}",
        plan=plan,
        can_edit=policy.may_plan(request.user, plan.organization_id),
    )


@login_required
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    plan = activity.output.plan
    if request.method == "POST":
        require(request.user, policy.may_plan(request.user, plan.organization_id))
        form = ActivityForm(request.POST)
        if form.is_valid():
            try:
                services.activity_save(
                    activity=activity,
                    name=form.cleaned_data["name"],
                    name_note=form.cleaned_data["name_note"],
                    expected_version=form.cleaned_data["version"],
                    user=request.user,
                )
            except EntryConflict as conflict:
                _keep_typed(form, activity, conflict)
            else:
                messages.success(request, f"บันทึก{activity}แล้ว")
                return redirect(_tree_url(plan.pk, f"activity-{activity.pk}"))
    else:
        form = ActivityForm(
            initial={
                "name": activity.name,
                "name_note": activity.name_note,
                "version": history_version(activity),
            }
        )
    return _form_page(
        request,
        form=form,
        title=f"แก้ไข{activity}",
        plan=plan,
        can_edit=policy.may_plan(request.user, plan.organization_id),
    )


@login_required
def activity_move(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    if (refused := _post_only(request)) is not None:
        return refused
    plan = activity.output.plan
    require(request.user, policy.may_plan(request.user, plan.organization_id))
    form = MoveForm(request.POST)
    if form.is_valid():
        services.activity_move(
            activity=activity, direction=form.cleaned_data["direction"], user=request.user
        )
    return redirect(_tree_url(plan.pk, f"activity-{activity.pk}"))


# --- work items ----------------------------------------------------------------------------


def _work_item_add(
    request: HttpRequest, plan: OperatingPlan, activity: Activity, title: str
) -> HttpResponse:
    if request.method == "POST":
        require(request.user, policy.may_plan(request.user, plan.organization_id))
        form = WorkItemAddForm(request.POST)
        if form.is_valid():
            item = services.work_item_create(
                plan=plan,
                activity=activity,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                user=request.user,
            )
            messages.success(
                request, f"เพิ่ม {item.name} แล้ว — กรอกเป้าหมาย งบประมาณ และแผนรายรอบต่อได้ในหน้านี้"
            )
            return redirect("plans:work_item_edit", work_item_id=item.pk)
    else:
        form = WorkItemAddForm()
    return _form_page(
        request,
        form=form,
        title=title,
        plan=plan,
        can_edit=policy.may_plan(request.user, plan.organization_id),
        submit="เพิ่ม",
    )


@login_required
def work_item_add(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    return _work_item_add(
        request, activity.output.plan, activity, f"เพิ่มโครงการ / แผนงาน / รายการใน{activity}"
    )


def _plain(value: Decimal | None) -> str | None:
    """A stored quantity as a person would type it: 11, not 11.0000."""
    return None if value is None else format(value.normalize(), "f")


def _milestone_initial(milestones: dict[int, PlannedMilestone]) -> dict[int, dict[str, Any]]:
    return {
        months: {"text": m.text, "planned_quantity": _plain(m.planned_quantity)}
        for months, m in milestones.items()
    }


def _work_item_initial(item: WorkItem) -> dict[str, Any]:
    return {
        "name": item.name,
        "kind": item.kind,
        "target_quantity": _plain(item.target_quantity),
        "target_unit": item.target_unit,
        "target_text": item.target_text,
        "budget_baht": item.budget_baht,
        "budget_line": item.budget_line_id,
        "later_quarter_from": item.later_quarter_from,
        "group_name": item.group_name,
        "version": history_version(item),
    }


def _work_item_context(request: HttpRequest, item: WorkItem, **forms: Any) -> dict[str, Any]:
    plan = item.plan
    return {
        "item": item,
        "plan": plan,
        "can_edit": policy.may_plan(request.user, plan.organization_id),
        "entries": item.progress.all().select_related("round").order_by("round__months"),
        "responsibilities": selectors.item_responsibilities(item),
        "move_form": MoveToForm(
            initial={"target": str(item.activity_id)},
            activities=selectors.plan_activities(plan),
        ),
        "exclude_form": ExcludeForm(initial={"reason": item.exclusion_reason}),
        **forms,
    }


@login_required
def work_item_edit(request: HttpRequest, work_item_id: int) -> HttpResponse:
    """Name, kind, target, budget, quarters, group and the four rounds' milestones, one save."""
    item = _work_item(request, work_item_id)
    plan = item.plan
    lines = selectors.plan_budget_lines(plan)
    current = selectors.item_milestones(item)
    if request.method == "POST":
        require(request.user, policy.may_plan(request.user, plan.organization_id))
        form = WorkItemForm(request.POST, budget_lines=lines)
        rounds = milestone_forms(request.POST, {})
        if form.is_valid() and all(f.is_valid() for f in rounds.values()):
            data = form.cleaned_data
            try:
                services.work_item_save(
                    work_item=item,
                    name=data["name"],
                    kind=data["kind"],
                    target_quantity=data["target_quantity"],
                    target_unit=data["target_unit"],
                    target_text=data["target_text"],
                    budget_baht=data["budget_baht"],
                    budget_line=data["budget_line"],
                    later_quarter_from=data["later_quarter_from"],
                    group_name=data["group_name"],
                    milestones={
                        months: services.MilestoneInput(
                            text=f.cleaned_data["text"],
                            planned_quantity=f.cleaned_data["planned_quantity"],
                        )
                        for months, f in rounds.items()
                    },
                    expected_version=data.get("version"),
                    user=request.user,
                )
            except EntryConflict as conflict:
                # What was typed stays; the next save knowingly goes over the other change.
                _keep_typed(form, item, conflict)
            except SAVE_ERRORS as error:
                _add_error(form, error)
            else:
                messages.success(request, "บันทึกแล้ว ร้อยละของผลที่บันทึกไว้คำนวณใหม่ตามเป้าหมายและแผนรายรอบ")
                return redirect("plans:work_item_edit", work_item_id=item.pk)
    else:
        form = WorkItemForm(initial=_work_item_initial(item), budget_lines=lines)
        rounds = milestone_forms(None, _milestone_initial(current))
    bound_errors = form.is_bound and (bool(form.errors) or any(f.errors for f in rounds.values()))
    return render(
        request,
        "plans/work_item_edit.html",
        _work_item_context(
            request,
            item,
            form=form,
            rounds=[
                (Round.Months(months).label, f, current.get(months)) for months, f in rounds.items()
            ],
        ),
        status=400 if bound_errors else 200,
    )


@login_required
def milestone_edit(request: HttpRequest, milestone_id: int) -> HttpResponse:
    """One round's milestone on its own (the work item page edits all four at once)."""
    milestones = policy.readable(request.user, PlannedMilestone).select_related(
        "work_item__plan__organization", "work_item__plan__fiscal_year"
    )
    milestone = get_object_or_404(milestones, pk=milestone_id)
    item = milestone.work_item
    plan = item.plan
    if request.method == "POST":
        require(request.user, policy.may_plan(request.user, plan.organization_id))
        form = MilestoneForm(request.POST)
        if form.is_valid():
            try:
                services.milestone_save(
                    milestone=milestone,
                    text=form.cleaned_data["text"],
                    planned_quantity=form.cleaned_data["planned_quantity"],
                    expected_version=form.cleaned_data["version"],
                    user=request.user,
                )
            except EntryConflict as conflict:
                _keep_typed(form, milestone, conflict)
            except SAVE_ERRORS as error:
                _add_error(form, error)
            else:
                messages.success(request, f"บันทึกแผน{milestone.get_round_months_display()}แล้ว")
                return redirect("plans:work_item_edit", work_item_id=item.pk)
    else:
        form = MilestoneForm(
            initial={
                "text": milestone.text,
                "planned_quantity": _plain(milestone.planned_quantity),
                "version": history_version(milestone),
            }
        )
    return _form_page(
        request,
        form=form,
        title=f"แผน{milestone.get_round_months_display()} — {item.name}",
        plan=plan,
        can_edit=policy.may_plan(request.user, plan.organization_id),
    )


@login_required
def work_item_move(request: HttpRequest, work_item_id: int) -> HttpResponse:
    item = _work_item(request, work_item_id)
    if (refused := _post_only(request)) is not None:
        return refused
    require(request.user, policy.may_plan(request.user, item.plan.organization_id))
    form = MoveForm(request.POST)
    if form.is_valid():
        services.work_item_move(
            work_item=item, direction=form.cleaned_data["direction"], user=request.user
        )
    return redirect(_tree_url(item.plan_id, f"item-{item.pk}"))


@login_required
def work_item_move_to(request: HttpRequest, work_item_id: int) -> HttpResponse:
    item = _work_item(request, work_item_id)
    if (refused := _post_only(request)) is not None:
        return refused
    require(request.user, policy.may_plan(request.user, item.plan.organization_id))
    form = MoveToForm(request.POST, activities=selectors.plan_activities(item.plan))
    if form.is_valid():
        services.work_item_move_to(work_item=item, activity=form.activity(), user=request.user)
        where = item.activity or "โครงการตามแผนยุทธศาสตร์"
        messages.success(request, f"ย้าย {item.name} ไปที่{where} ลำดับที่ {item.number} แล้ว")
        return redirect(_tree_url(item.plan_id, f"item-{item.pk}"))
    return render(
        request,
        "plans/work_item_edit.html",
        _work_item_context(request, item, move_form=form, **_readonly_item_forms(item)),
        status=400,
    )


def _readonly_item_forms(item: WorkItem) -> dict[str, Any]:
    """The item page's main forms as saved, when another form on the page is re-shown."""
    current = selectors.item_milestones(item)
    rounds = milestone_forms(None, _milestone_initial(current))
    return {
        "form": WorkItemForm(
            initial=_work_item_initial(item), budget_lines=selectors.plan_budget_lines(item.plan)
        ),
        "rounds": [
            (Round.Months(months).label, f, current.get(months)) for months, f in rounds.items()
        ],
    }


@login_required
def work_item_exclude(request: HttpRequest, work_item_id: int) -> HttpResponse:
    """Leave an item out of the evaluation; the reason is required and printed in reports."""
    item = _work_item(request, work_item_id)
    plan = item.plan
    if request.method == "POST":
        require(request.user, policy.may_plan(request.user, plan.organization_id))
        form = ExcludeForm(request.POST)
        if form.is_valid():
            try:
                services.work_item_exclude(
                    work_item=item, reason=form.cleaned_data["reason"], user=request.user
                )
            except SAVE_ERRORS as error:
                _add_error(form, error)
            else:
                messages.success(request, f"{item.name} ไม่นำมาคิดผลแล้ว")
                return redirect(_tree_url(plan.pk, f"item-{item.pk}"))
    else:
        form = ExcludeForm(initial={"reason": item.exclusion_reason})
    return _form_page(
        request,
        form=form,
        title=f"ไม่นำมาคิดผล: {item.name}",
        plan=plan,
        can_edit=policy.may_plan(request.user, plan.organization_id),
        submit="ไม่นำมาคิดผล",
        intro=(
            "รายการที่ไม่นำมาคิดผลจะไม่นับทั้งตัวตั้งและตัวหารในตารางที่ 1 และรายงานจะแสดงชื่อพร้อมเหตุผลในหมายเหตุ"
        ),
    )


@login_required
def work_item_include(request: HttpRequest, work_item_id: int) -> HttpResponse:
    item = _work_item(request, work_item_id)
    if (refused := _post_only(request)) is not None:
        return refused
    require(request.user, policy.may_plan(request.user, item.plan.organization_id))
    services.work_item_include(work_item=item, user=request.user)
    messages.success(request, f"{item.name} กลับมานำมาคิดผลแล้ว")
    return redirect(_tree_url(item.plan_id, f"item-{item.pk}"))


# --- responsibilities ----------------------------------------------------------------------


@login_required
def responsibilities(request: HttpRequest, work_item_id: int) -> HttpResponse:
    """The units responsible for an item, in print order, and who reports for each."""
    item = _work_item(request, work_item_id)
    plan = item.plan
    organizations = selectors.responsible_organizations(plan)
    people = selectors.responsible_people(plan)
    if request.method == "POST":
        require(request.user, policy.may_plan(request.user, plan.organization_id))
        form = ResponsibilityForm(request.POST, organizations=organizations, people=people)
        if form.is_valid():
            try:
                done = services.work_item_responsibility_assign(
                    work_item=item,
                    organization=form.cleaned_data["organization"],
                    person=form.cleaned_data["person"],
                    user=request.user,
                )
            except SAVE_ERRORS as error:
                _add_error(form, error)
            else:
                who = f" ผู้รายงานผล {done.person.full_name}" if done.person else ""
                messages.success(request, f"มอบหมาย {done.organization.label}{who} แล้ว")
                return redirect("plans:responsibilities", work_item_id=item.pk)
    else:
        form = ResponsibilityForm(organizations=organizations, people=people)
    return render(
        request,
        "plans/responsibilities.html",
        {
            "item": item,
            "plan": plan,
            "form": form,
            "responsibilities": selectors.item_responsibilities(item),
            "can_edit": policy.may_plan(request.user, plan.organization_id),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def responsibility_remove(request: HttpRequest, work_item_id: int) -> HttpResponse:
    item = _work_item(request, work_item_id)
    if (refused := _post_only(request)) is not None:
        return refused
    require(request.user, policy.may_plan(request.user, item.plan.organization_id))
    form = RemoveResponsibilityForm(request.POST, organizations=item.responsible_units.all())
    if form.is_valid():
        organization = form.cleaned_data["organization"]
        services.work_item_responsibility_remove(
            work_item=item, organization=organization, user=request.user
        )
        messages.success(request, f"{organization.label} ไม่ได้รับผิดชอบรายการนี้แล้ว")
    return redirect("plans:responsibilities", work_item_id=item.pk)


@login_required
def work_item_budgets(request: HttpRequest, plan_id: int, round_months: int) -> HttpResponse:
    """Each work item's own budget beside its budget line's money as of a round."""
    plan = _plan(request, plan_id)
    round_ = get_object_or_404(
        Round.objects.select_related("fiscal_year"),
        fiscal_year_id=plan.fiscal_year_id,
        months=round_months,
    )
    rounds = Round.objects.filter(fiscal_year_id=plan.fiscal_year_id).order_by("months")
    return render(
        request,
        "plans/work_item_budgets.html",
        {
            "plan": plan,
            "round": round_,
            "rounds": rounds,
            "rows": selectors.work_item_budgets(plan, round_),
            "can_edit": policy.may_plan(request.user, plan.organization_id),
        },
    )


@login_required
def work_item_budget_line(request: HttpRequest, work_item_id: int) -> HttpResponse:
    """Make a budget line of the work item's own from its budget, then open its month grid."""
    item = _work_item(request, work_item_id)
    organization_id = item.plan.organization_id
    can_edit = policy.may_plan(request.user, organization_id)
    if request.method == "POST":
        require(request.user, can_edit)
        form = WorkItemLineForm(request.POST, organization_id=organization_id)
        if form.is_valid():
            try:
                line = services.work_item_budget_line_create(
                    work_item=item,
                    category=form.cleaned_data["category"],
                    fund_source=form.cleaned_data["fund_source"],
                    expense_type=form.cleaned_data["expense_type"],
                    user=request.user,
                )
            except SAVE_ERRORS as error:
                add_save_error(form, error, default="category")
            else:
                messages.success(
                    request,
                    f"สร้างรายการงบประมาณที่ {line.number} ของ {item.name} แล้ว"
                    " — กรอกแผนและผลการเบิกจ่ายรายเดือนได้ที่นี่",
                )
                return redirect("budgets:line_months", line_id=line.pk)
    else:
        form = WorkItemLineForm(organization_id=organization_id)
    return render(
        request,
        "plans/work_item_budget_line.html",
        {"item": item, "plan": item.plan, "form": form, "can_edit": can_edit},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def work_item_months(request: HttpRequest, work_item_id: int) -> HttpResponse:
    """A work item's month grid: the quantity planned for each month (adding up to its target,
    giving the rounds' plans) and the quantity done in each; Thai digits, commas and pasting
    from Excel accepted (tidtam/static/tidtam/paste-grid.js)."""
    item = _work_item(request, work_item_id)
    can_edit = policy.may_plan(request.user, item.plan.organization_id)
    if request.method == "POST":
        require(request.user, can_edit)
        form = WorkItemMonthsForm(request.POST)
        if form.is_valid():
            try:
                services.work_item_months_save(
                    work_item=item,
                    rows=form.rows(),
                    expected_version=form.cleaned_data["version"],
                    user=request.user,
                )
            except SAVE_ERRORS as error:
                if isinstance(error, DomainError) and error.code == "work_item_months_changed":
                    data = request.POST.copy()
                    data["version"] = str(services.item_months_version(item))
                    form = WorkItemMonthsForm(data)
                    form.is_valid()
                add_save_error(form, error)
            else:
                messages.success(
                    request,
                    f"บันทึกแผนและผลรายเดือนของ {item.name} แล้ว แผนของแต่ละรอบคำนวณจากแผนรายเดือนให้แล้ว",
                )
                return redirect("plans:work_item_months", work_item_id=item.pk)
    else:
        initial: dict[str, object] = {"version": services.item_months_version(item)}
        for month in item.months.all():
            # As typed: 12, not the stored 12.0000.
            for name, value in (
                (f"planned_{month.month}", month.planned_quantity),
                (f"result_{month.month}", month.result_quantity),
            ):
                initial[name] = None if value is None else format(value.normalize(), "f")
        form = WorkItemMonthsForm(initial=initial)
    return render(
        request,
        "plans/work_item_months.html",
        {
            "item": item,
            "plan": item.plan,
            "form": form,
            "grid": form.grid(),
            "can_edit": can_edit,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
