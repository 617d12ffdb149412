"""Agreement pages: the list, an agreement, its editor with live weight sums, each KPI's sheet,
levels, owners and policy links, and copying a year's KPIs into the next."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from tidtam.agreements import selectors
from tidtam.agreements.forms import (
    AgreementHeaderForm,
    AgreementStartForm,
    GroupAddForm,
    KpiAddForm,
    KpiForm,
    LevelFormSet,
    OwnerFormSet,
    PolicyLinkForm,
    ReviewForm,
    StrategicProjectForm,
    WeightsForm,
    YearCopyForm,
    level_initial,
    owner_initial,
)
from tidtam.agreements.models import Agreement, AgreementKPI, Indicator, IndicatorResult, KPIGroup
from tidtam.agreements.services import (
    agreement_create,
    agreement_group_add,
    agreement_kpi_add,
    agreement_kpi_update,
    agreement_review_save,
    agreement_update,
    agreement_weight_problems,
    agreement_weights_preview,
    agreement_weights_save,
    indicator_owners_set,
    indicator_policy_set,
    indicators_copy_year,
    kpi_levels_save,
    levels_version,
    owners_version,
    strategic_project_remove,
    strategic_project_save,
    strategic_projects_of,
    units_version_of,
    weights_version,
)
from tidtam.concurrency import EntryConflict, history_version
from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.orgs import policy
from tidtam.orgs.models import Organization, Person
from tidtam.paging import paginate
from tidtam.periods.models import Round
from tidtam.plans.models import OperatingPlan
from tidtam.plans.selectors import responsible_organizations
from tidtam.reports.scorecard import scorecard_report
from tidtam.ui.errors import (
    SAVE_ERRORS,
    add_conflict,
    add_save_error,
    keep_typed,
    save_error_message,
)
from tidtam.ui.permissions import require

NOT_FOUND = "ไม่พบรายการนี้ หรือรายการนี้อยู่นอกหน่วยงานที่บัญชีนี้ดูได้"


def _agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    agreement = selectors.agreement_with_kpis(user=request.user, agreement_id=agreement_id)
    if agreement is None:
        raise Http404(NOT_FOUND)
    return agreement


def _posted_version(request: HttpRequest, name: str) -> int | None:
    """The version of a set (levels, owners) the posted form was opened at, if it carries one."""
    posted = request.POST.get(name, "")
    return int(posted) if posted.isdigit() else None


def _post_only(request: HttpRequest) -> HttpResponse | None:
    # Checked after the object is found, so that an object out of reach is a 404 for any method.
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


# --- the list and one agreement ----------------------------------------------------------------


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    pager = paginate(request, selectors.agreement_list(user=request.user))
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "agreements": pager.rows,
            "pager": pager,
            "can_copy": policy.may_plan_somewhere(request.user),
        },
    )


@login_required
def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "problems": agreement_weight_problems(agreement),
            "can_edit": policy.may_plan(request.user, agreement.organization_id),
        },
    )


@login_required
def agreement_review(request: HttpRequest, agreement_id: int, round_id: int) -> HttpResponse:
    """The committee's review of a round, KPI by KPI, beside the self-assessment."""
    agreement = _agreement(request, agreement_id)
    round_ = get_object_or_404(Round.objects.filter(fiscal_year=agreement.fiscal_year), pk=round_id)
    can_edit = policy.may_plan(request.user, agreement.organization_id)
    kpis = list(
        AgreementKPI.objects.filter(group__agreement=agreement)
        .select_related("indicator", "group")
        .prefetch_related("levels")
        .order_by("group__order", "number")
    )
    results = {
        r.indicator_id: r
        for r in IndicatorResult.objects.filter(
            indicator__in=[k.indicator for k in kpis], round=round_, unit__isnull=True
        )
    }
    data = request.POST if request.method == "POST" else None
    forms_ = [ReviewForm(data, kpi=k, result=results.get(k.indicator_id)) for k in kpis]
    error = ""
    status = 200
    if request.method == "POST":
        require(request.user, can_edit)
        if all(f.is_valid() for f in forms_):
            try:
                changed = agreement_review_save(
                    agreement=agreement, round_=round_, drafts=[f.draft() for f in forms_]
                )
            except SAVE_ERRORS as caught:
                error = save_error_message(caught)
            else:
                messages.success(request, f"บันทึกผลการทบทวนของคณะกรรมการแล้ว ({changed} ตัวชี้วัด)")
                return redirect(request.path)
        status = 400
    card = scorecard_report(agreement.organization.code, agreement.fiscal_year.year, round_.months)
    sides = {k.number: k for g in card.groups for k in g.kpis}
    return render(
        request,
        "agreements/agreement_review.html",
        {
            "agreement": agreement,
            "round": round_,
            "rounds": Round.objects.filter(fiscal_year=agreement.fiscal_year),
            "rows": [(k, f, sides.get(k.number)) for k, f in zip(kpis, forms_, strict=True)],
            "card": card,
            "can_edit": can_edit,
            "error": error,
        },
        status=status,
    )


# --- the editor: cover, weights with live sums, groups ------------------------------------------


def _editor(
    request: HttpRequest,
    agreement: Agreement,
    *,
    header_form: AgreementHeaderForm | None = None,
    weights_form: WeightsForm | None = None,
    group_form: GroupAddForm | None = None,
    save_failed: bool = False,
    weights_conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    header_form = header_form or AgreementHeaderForm(
        agreement=agreement, people=selectors.signatories_for(agreement.organization)
    )
    weights_form = weights_form or WeightsForm(agreement=agreement)
    return render(
        request,
        "agreements/agreement_edit.html",
        {
            "agreement": agreement,
            "header_form": header_form,
            "weights_form": weights_form,
            "group_form": group_form or GroupAddForm(),
            "preview": agreement_weights_preview(groups=weights_form.drafts()),
            "field_problems": weights_form.field_problems() if weights_form.is_bound else [],
            "save_failed": save_failed,
            "weights_conflict": weights_conflict,
        },
        status=status,
    )


@login_required
def agreement_edit(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """The editor page; a POST saves the cover (parties, period, signing date, scoring)."""
    agreement = _agreement(request, agreement_id)
    require(request.user, policy.may_plan(request.user, agreement.organization_id))
    if request.method != "POST":
        return _editor(request, agreement)
    form = AgreementHeaderForm(
        request.POST,
        agreement=agreement,
        people=selectors.signatories_for(agreement.organization),
    )
    if form.is_valid():
        try:
            agreement_update(agreement=agreement, **form.cleaned_data)
        except EntryConflict as conflict:
            add_conflict(form, conflict, version=history_version(agreement))
        except SAVE_ERRORS as error:
            add_save_error(form, error)
        else:
            messages.success(request, "บันทึกข้อมูลคำรับรองแล้ว")
            return redirect("agreements:agreement_edit", agreement_id=agreement.pk)
    return _editor(request, agreement, header_form=form, status=400)


@login_required
def agreement_weights(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Save the weights (and removals) of every group and KPI at once, or nothing."""
    agreement = _agreement(request, agreement_id)
    require(request.user, policy.may_plan(request.user, agreement.organization_id))
    if request.method != "POST":
        return redirect("agreements:agreement_edit", agreement_id=agreement.pk)
    form = WeightsForm(request.POST, agreement=agreement)
    if form.is_valid():
        try:
            agreement_weights_save(
                agreement=agreement,
                groups=form.drafts(),
                expected_version=form.cleaned_data["weights_version"],
            )
        except DomainError as error:
            if error.code == "weights_changed":
                # What was typed stays, against the newer weights: the next save goes over them.
                keep_typed(form, weights_version=weights_version(agreement))
                return _editor(
                    request,
                    agreement,
                    weights_form=form,
                    weights_conflict=message_for(error),
                    status=400,
                )
            # The summary beside the table lists every problem, the group named in each.
            return _editor(request, agreement, weights_form=form, save_failed=True, status=400)
        messages.success(request, "บันทึกน้ำหนักแล้ว — น้ำหนักรวมกันได้ครบทุกกลุ่ม")
        return redirect("agreements:agreement_edit", agreement_id=agreement.pk)
    return _editor(request, agreement, weights_form=form, save_failed=True, status=400)


@login_required
def agreement_weights_preview_view(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """The sums while the planner types (htmx): per group, in total, and what does not add up."""
    agreement = _agreement(request, agreement_id)
    require(request.user, policy.may_plan(request.user, agreement.organization_id))
    if refused := _post_only(request):
        return refused
    form = WeightsForm(request.POST, agreement=agreement)
    form.is_valid()
    return render(
        request,
        "agreements/_weight_summary.html",
        {
            "preview": agreement_weights_preview(groups=form.drafts()),
            "field_problems": form.field_problems(),
        },
    )


@login_required
def group_add(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    require(request.user, policy.may_plan(request.user, agreement.organization_id))
    if refused := _post_only(request):
        return refused
    form = GroupAddForm(request.POST)
    if not form.is_valid():
        return _editor(request, agreement, group_form=form, status=400)
    group = agreement_group_add(agreement=agreement, name=form.cleaned_data["name"])
    messages.success(request, f"เพิ่มองค์ประกอบ {group.name} แล้ว — เพิ่มตัวชี้วัดแล้วกำหนดน้ำหนักให้รวมกันได้ครบ")
    return redirect(
        reverse("agreements:agreement_edit", args=[agreement.pk]) + f"#group-{group.pk}"
    )


# --- a KPI: its sheet, levels, owners and policy links --------------------------------------


@login_required
def kpi_add(request: HttpRequest, group_id: int) -> HttpResponse:
    group = get_object_or_404(
        policy.readable(request.user, KPIGroup).select_related(
            "agreement__organization", "agreement__fiscal_year"
        ),
        pk=group_id,
    )
    require(request.user, policy.may_plan(request.user, group.agreement.organization_id))
    form = KpiAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kpi = agreement_kpi_add(group=group, **form.cleaned_data)
        except SAVE_ERRORS as error:
            add_save_error(form, error, fields=KPI_ERROR_FIELDS)
        else:
            messages.success(
                request,
                f"เพิ่มตัวชี้วัดที่ {kpi.number} แล้ว (น้ำหนักเริ่มที่ 0) — กำหนดเกณฑ์การให้คะแนนด้านล่าง"
                " แล้วกำหนดน้ำหนักในหน้าแก้ไขคำรับรอง",
            )
            return redirect("agreements:kpi_levels", kpi_id=kpi.pk)
    return render(
        request,
        "agreements/kpi_add.html",
        {"group": group, "agreement": group.agreement, "form": form},
        status=400 if form.errors else 200,
    )


KPI_ERROR_FIELDS: dict[str, str | None] = {
    "kpi_number_taken": "number",
    "change_base_missing": "base_value",
    "change_base_zero": "base_value",
    "kind_change_conflicts_results": "measure_kind",
}


def _kpi(request: HttpRequest, kpi_id: int) -> AgreementKPI:
    kpi = get_object_or_404(
        policy.readable(request.user, AgreementKPI).select_related(
            "indicator", "group__agreement__organization", "group__agreement__fiscal_year"
        ),
        pk=kpi_id,
    )
    require(request.user, policy.may_plan(request.user, kpi.group.agreement.organization_id))
    return kpi


@login_required
def kpi_edit(request: HttpRequest, kpi_id: int) -> HttpResponse:
    kpi = _kpi(request, kpi_id)
    form = KpiForm(request.POST or None, initial=KpiForm.initial_for(kpi))
    if request.method == "POST" and form.is_valid():
        try:
            agreement_kpi_update(kpi=kpi, **form.cleaned_data)
        except EntryConflict as conflict:
            add_conflict(
                form,
                conflict,
                version=history_version(kpi.indicator),
                kpi_version=history_version(kpi),
            )
        except SAVE_ERRORS as error:
            add_save_error(form, error, fields=KPI_ERROR_FIELDS)
        else:
            messages.success(request, f"บันทึกตัวชี้วัดที่ {kpi.number} แล้ว")
            return redirect("agreements:kpi_edit", kpi_id=kpi.pk)
    return render(
        request,
        "agreements/kpi_edit.html",
        {"kpi": kpi, "indicator": kpi.indicator, "agreement": kpi.group.agreement, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def kpi_levels(request: HttpRequest, kpi_id: int) -> HttpResponse:
    kpi = _kpi(request, kpi_id)
    formset = LevelFormSet(request.POST or None, initial=level_initial(kpi), prefix="levels")
    problem = ""
    # The levels as they were when the page was opened; a refused save carries the newer ones.
    expected = _posted_version(request, "levels_version")
    version = expected if expected is not None else levels_version(kpi)
    if request.method == "POST" and formset.is_valid():
        try:
            kpi_levels_save(kpi=kpi, levels=formset.drafts(), expected_version=expected)
        except SAVE_ERRORS as error:
            problem = save_error_message(error)
            if isinstance(error, DomainError) and error.code == "levels_changed":
                version = levels_version(kpi)
        else:
            messages.success(request, f"บันทึกเกณฑ์การให้คะแนนของตัวชี้วัดที่ {kpi.number} แล้ว")
            return redirect("agreements:kpi_levels", kpi_id=kpi.pk)
    failed = request.method == "POST"
    return render(
        request,
        "agreements/kpi_levels.html",
        {
            "kpi": kpi,
            "indicator": kpi.indicator,
            "agreement": kpi.group.agreement,
            "formset": formset,
            "problem": problem,
            "levels_version": version,
        },
        status=400 if failed else 200,
    )


def _indicator(request: HttpRequest, indicator_id: int) -> tuple[Indicator, AgreementKPI | None]:
    indicator = get_object_or_404(
        policy.readable(request.user, Indicator).select_related("organization", "fiscal_year"),
        pk=indicator_id,
    )
    require(request.user, policy.may_plan(request.user, indicator.organization_id))
    kpi = (
        AgreementKPI.objects.filter(indicator=indicator)
        .select_related("group__agreement__organization", "group__agreement__fiscal_year")
        .first()
    )
    return indicator, kpi


def _indicator_context(indicator: Indicator, kpi: AgreementKPI | None) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "kpi": kpi,
        "agreement": kpi.group.agreement if kpi else None,
    }


@login_required
def indicator_owners(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator, kpi = _indicator(request, indicator_id)
    formset = OwnerFormSet(
        request.POST or None,
        initial=owner_initial(indicator),
        prefix="owners",
        form_kwargs={"people": selectors.people_of(indicator.organization)},
    )
    problem = ""
    # The list as it was when the page was opened; a refused save carries the newer one.
    expected = _posted_version(request, "owners_version")
    version = expected if expected is not None else owners_version(indicator)
    if request.method == "POST" and formset.is_valid():
        try:
            indicator_owners_set(
                indicator=indicator, people=formset.people(), expected_version=expected
            )
        except SAVE_ERRORS as error:
            problem = save_error_message(error)
            if isinstance(error, DomainError) and error.code == "owners_changed":
                version = owners_version(indicator)
        else:
            messages.success(request, "บันทึกผู้รับผิดชอบตัวชี้วัดแล้ว")
            return redirect("agreements:indicator_owners", indicator_id=indicator.pk)
    return render(
        request,
        "agreements/indicator_owners.html",
        {
            **_indicator_context(indicator, kpi),
            "formset": formset,
            "problem": problem,
            "owners_version": version,
        },
        status=400 if request.method == "POST" else 200,
    )


def _checked(values: list[str]) -> set[int]:
    return {int(value) for value in values if value.isdigit()}


@login_required
def indicator_policy(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator, kpi = _indicator(request, indicator_id)
    org = indicator.organization
    form = PolicyLinkForm(
        request.POST or None,
        initial={"strategy": indicator.strategy_id},
        nodes=selectors.policy_nodes_for(org),
        strategies=selectors.strategy_nodes_for(org),
    )
    if request.method == "POST" and form.is_valid():
        indicator_policy_set(
            indicator=indicator,
            nodes=list(form.cleaned_data["nodes"]),
            strategy=form.cleaned_data["strategy"],
        )
        messages.success(request, "บันทึกความเชื่อมโยงกับนโยบายแล้ว")
        return redirect("agreements:indicator_policy", indicator_id=indicator.pk)
    checked = (
        _checked(request.POST.getlist("nodes"))
        if request.method == "POST"
        else set(indicator.policy_nodes.values_list("pk", flat=True))
    )
    return render(
        request,
        "agreements/indicator_policy.html",
        {
            **_indicator_context(indicator, kpi),
            "form": form,
            "tree": selectors.policy_tree(organization=org, query="", checked=checked),
        },
        status=400 if form.errors else 200,
    )


@login_required
def indicator_policy_search(request: HttpRequest, indicator_id: int) -> HttpResponse:
    """The tree filtered by what was typed (htmx), keeping the boxes ticked so far."""
    indicator, _ = _indicator(request, indicator_id)
    checked = (
        _checked(request.GET.getlist("nodes"))
        if "nodes" in request.GET or "q" in request.GET
        else set(indicator.policy_nodes.values_list("pk", flat=True))
    )
    return render(
        request,
        "agreements/_policy_tree.html",
        {
            "tree": selectors.policy_tree(
                organization=indicator.organization,
                query=request.GET.get("q", ""),
                checked=checked,
            )
        },
    )


# --- a new year from the last ---------------------------------------------------------------


def _int_or_none(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


@login_required
def agreement_copy(request: HttpRequest) -> HttpResponse:
    require(request.user, policy.may_plan_somewhere(request.user))
    organizations = policy.plannable(request.user, Organization)
    from_year = _int_or_none(request.GET.get("from_year"))
    form = YearCopyForm(
        request.POST or None,
        organizations=organizations,
        initial={
            "organization": _int_or_none(request.GET.get("organization")),
            "from_year": from_year,
            "to_year": from_year + 1 if from_year else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = indicators_copy_year(
                organization=form.cleaned_data["organization"],
                from_year=form.cleaned_data["from_year"],
                to_year=form.cleaned_data["to_year"],
            )
        except SAVE_ERRORS as error:
            add_save_error(form, error)
        else:
            count = len(copy.indicators)
            messages.success(
                request,
                f"คัดลอกตัวชี้วัด {count} ตัวไปปีงบประมาณ {form.cleaned_data['to_year']} แล้ว"
                " พร้อมข้อมูลพื้นฐานจากผลของปีที่ผ่านมา — ตรวจค่าเป้าหมายและเกณฑ์ของปีใหม่",
            )
            if copy.agreement is not None:
                return redirect("agreements:agreement_detail", agreement_id=copy.agreement.pk)
            return redirect("agreements:agreement_list")
    return render(
        request,
        "agreements/agreement_copy.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


# --- strategic-plan projects ----------------------------------------------------------------

STRATEGIC_ERROR_FIELDS: dict[str, str | None] = {
    "strategic_project_name_required": "project_name",
    "strategic_project_strategy_required": "strategy",
    "strategic_project_unit_outside": "units",
    "strategic_project_units_changed": "units",
    "change_base_missing": "base_value",
    "change_base_zero": "base_value",
    "kind_change_conflicts_results": "measure_kind",
}


def _strategic_form(
    request: HttpRequest, plan: OperatingPlan, **kwargs: Any
) -> StrategicProjectForm:
    return StrategicProjectForm(
        request.POST if request.method == "POST" else None,
        strategies=selectors.strategy_nodes_for(plan.organization),
        organizations=responsible_organizations(plan),
        **kwargs,
    )


def _strategic_save(
    request: HttpRequest, plan: OperatingPlan, form: StrategicProjectForm, project: Indicator | None
) -> Indicator | None:
    """Save the form through the service; None (with the problem on the form) when refused."""
    data = dict(form.cleaned_data)
    try:
        return strategic_project_save(
            organization=plan.organization,
            fiscal_year=plan.fiscal_year,
            project=project,
            units=list(data.pop("units")),
            **data,
        )
    except EntryConflict as conflict:
        assert project is not None  # only a change can meet another person's
        add_conflict(form, conflict, version=history_version(project))
    except DomainError as error:
        if error.code == "strategic_project_units_changed" and project is not None:
            # What was typed stays, now against the newer units: the next save goes over them.
            keep_typed(form, units_version=units_version_of(project))
        add_save_error(form, error, fields=STRATEGIC_ERROR_FIELDS)
    except SAVE_ERRORS as error:
        add_save_error(form, error, fields=STRATEGIC_ERROR_FIELDS)
    return None


@login_required
def strategic_projects(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The projects of the agency's strategic plan for the plan's year: each is its KPI, with
    its strategy and units; planners add them here."""
    plan = get_object_or_404(
        policy.readable(request.user, OperatingPlan).select_related("organization", "fiscal_year"),
        pk=plan_id,
    )
    can_edit = policy.may_plan(request.user, plan.organization_id)
    form = _strategic_form(request, plan)
    if request.method == "POST":
        require(request.user, can_edit)
        if form.is_valid():
            project = _strategic_save(request, plan, form, None)
            if project is not None:
                messages.success(
                    request, f"เพิ่มโครงการที่ {project.number} {project.project_name} แล้ว"
                )
                return redirect("agreements:strategic_projects", plan_id=plan.pk)
    projects = strategic_projects_of(plan.organization, plan.fiscal_year).prefetch_related(
        "responsibilities__organization"
    )
    return render(
        request,
        "agreements/strategic_projects.html",
        {"plan": plan, "projects": projects, "form": form, "can_edit": can_edit},
        status=400 if form.errors else 200,
    )


@login_required
def strategic_project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_object_or_404(
        policy.readable(request.user, Indicator)
        .exclude(project_name="")
        .select_related("organization", "fiscal_year"),
        pk=project_id,
    )
    plan = get_object_or_404(
        policy.readable(request.user, OperatingPlan).select_related("organization", "fiscal_year"),
        organization_id=project.organization_id,
        fiscal_year_id=project.fiscal_year_id,
    )
    can_edit = policy.may_plan(request.user, plan.organization_id)
    if request.method == "POST":
        require(request.user, can_edit)
        if "remove" in request.POST:
            try:
                strategic_project_remove(project=project)
            except DomainError as error:
                messages.error(request, message_for(error))
                return redirect("agreements:strategic_project_edit", project_id=project.pk)
            messages.success(request, f"ลบ {project.project_name} แล้ว")
            return redirect("agreements:strategic_projects", plan_id=plan.pk)
    form = _strategic_form(
        request,
        plan,
        initial={
            **StrategicProjectForm.initial_for(project),
            "version": history_version(project),
            "units_version": units_version_of(project),
        },
    )
    if request.method == "POST" and form.is_valid():
        saved = _strategic_save(request, plan, form, project)
        if saved is not None:
            messages.success(request, f"บันทึก {saved.project_name} แล้ว")
            return redirect("agreements:strategic_projects", plan_id=plan.pk)
    return render(
        request,
        "agreements/strategic_project_edit.html",
        {"plan": plan, "project": project, "form": form, "can_edit": can_edit},
        status=400 if form.errors else 200,
    )


@login_required
def agreement_add(request: HttpRequest) -> HttpResponse:
    """Start an agreement from scratch: the organisation first (its people sign), then the
    year, title, parties and scheme; the editor then takes the groups, KPIs and levels."""
    require(request.user, policy.may_plan_somewhere(request.user))
    organizations = policy.plannable(request.user, Organization).order_by("code")
    chosen_id = _int_or_none(request.POST.get("organization") or request.GET.get("organization"))
    chosen = organizations.filter(pk=chosen_id).first() if chosen_id else None
    people = selectors.signatories_for(chosen) if chosen else Person.objects.none()
    form = AgreementStartForm(
        request.POST or None,
        organizations=organizations,
        people=people,
        initial={"organization": chosen.pk if chosen else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = agreement_create(
                organization=data["organization"],
                year=data["fiscal_year"],
                title=data["title"],
                maker=data["maker"],
                maker_position=data["maker_position"],
                receiver=data["receiver"],
                receiver_position=data["receiver_position"],
                scheme=data["scheme"],
            )
        except SAVE_ERRORS as error:
            add_save_error(form, error, fields={"agreement_exists": "fiscal_year"})
        else:
            messages.success(
                request,
                f"เริ่ม{agreement.title}แล้ว — เพิ่มองค์ประกอบ ตัวชี้วัด น้ำหนัก และเกณฑ์ได้ในหน้านี้",
            )
            return redirect("agreements:agreement_edit", agreement_id=agreement.pk)
    return render(
        request,
        "agreements/agreement_add.html",
        {"form": form, "chosen": chosen, "organizations": organizations},
        status=400 if form.errors else 200,
    )
