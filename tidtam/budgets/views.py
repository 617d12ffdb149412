"""Budget line pages: a plan's organisation's lines for its year, added and edited by its planners.

Lines are read by those who read the organisation (`policy.readable`); outside that reach, 404.
Changes need `policy.may_plan` on the line's organisation (403 in Thai otherwise).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from tidtam.budgets.forms import (
    AllocationForm,
    BudgetLineForm,
    BudgetMonthsForm,
    RoundSpendingForm,
)
from tidtam.budgets.models import (
    OF_THE_YEAR,
    BudgetAllocation,
    BudgetCategory,
    BudgetLine,
    BudgetSpending,
    FundSource,
)
from tidtam.budgets.services import (
    budget_allocations_save,
    budget_line_create,
    budget_line_save,
    budget_months_save,
    budget_round_save,
    lines_reported_by_month,
    months_version,
)
from tidtam.concurrency import EntryConflict, history_version
from tidtam.domain.errors import DomainError
from tidtam.domain.thai import format_million
from tidtam.orgs import policy
from tidtam.paging import paginate
from tidtam.periods.models import Round
from tidtam.plans.models import OperatingPlan
from tidtam.ui.errors import SAVE_ERRORS, add_conflict, add_save_error
from tidtam.ui.permissions import require

# Where a refused line save shows its message.
LINE_ERROR_FIELDS = {"budget_line_code_taken": "code", "monthly_plan_total": "annual_plan_baht"}


def _lines_readable(request: HttpRequest) -> QuerySet[BudgetLine]:
    lines = policy.readable(request.user, BudgetLine)
    return lines.select_related("organization", "fiscal_year", "category")


def _plan(request: HttpRequest, plan_id: int) -> OperatingPlan:
    plans = policy.readable(request.user, OperatingPlan)
    return get_object_or_404(plans.select_related("organization", "fiscal_year"), pk=plan_id)


@login_required
def line_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    lines = (
        BudgetLine.objects.filter(
            organization_id=plan.organization_id, fiscal_year_id=plan.fiscal_year_id
        )
        .select_related("category", "fund_source")
        .order_by("number", "pk")
    )
    # The total is of every line of the year's budget (carry-over apart); the table shows a
    # page of them.
    total = lines.filter(OF_THE_YEAR).aggregate(total=Sum("annual_plan_baht"))["total"] or Decimal(
        0
    )
    allocated = BudgetAllocation.objects.filter(
        organization_id=plan.organization_id, fiscal_year_id=plan.fiscal_year_id
    ).aggregate(total=Sum("amount_baht"))["total"]
    pager = paginate(request, lines)
    return render(
        request,
        "budgets/line_list.html",
        {
            "plan": plan,
            "pager": pager,
            "lines": [(line, format_million(line.annual_plan_baht)) for line in pager.rows],
            "total": total,
            "total_million": format_million(total),
            "allocated": allocated,
            "difference": None if allocated is None else total - allocated,
            "can_edit": policy.may_plan(request.user, plan.organization_id),
        },
    )


@login_required
def allocations(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The allotment the plan's organisation received for the year, per source of funds."""
    plan = _plan(request, plan_id)
    funds = list(FundSource.choices_for(plan.organization_id))
    existing = {
        a.fund_source_id: a
        for a in BudgetAllocation.objects.filter(
            organization_id=plan.organization_id, fiscal_year_id=plan.fiscal_year_id
        )
    }
    can_edit = policy.may_plan(request.user, plan.organization_id)
    if request.method == "POST":
        require(request.user, can_edit)
        form = AllocationForm(request.POST, funds=funds)
        if form.is_valid():
            try:
                budget_allocations_save(
                    organization=plan.organization,
                    fiscal_year=plan.fiscal_year,
                    amounts=form.amounts(),
                )
            except SAVE_ERRORS as error:
                add_save_error(form, error)
            else:
                messages.success(request, "บันทึกงบประมาณที่ได้รับจัดสรรแล้ว")
                return redirect("budgets:line_list", plan_id=plan.pk)
    else:
        form = AllocationForm(
            funds=funds,
            initial={f"amount_{pk}": a.amount_baht for pk, a in existing.items()},
        )
    return render(
        request,
        "budgets/allocations.html",
        {
            "plan": plan,
            "form": form,
            "title": f"งบประมาณที่ได้รับจัดสรร {plan.organization.label} ปีงบประมาณ {plan.fiscal_year.year}",
            "can_edit": can_edit,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def line_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan: OperatingPlan = _plan(request, plan_id)
    categories = BudgetCategory.choices_for(plan.organization_id)
    funds = FundSource.choices_for(plan.organization_id)
    if request.method == "POST":
        require(request.user, policy.may_plan(request.user, plan.organization_id))
        form = BudgetLineForm(request.POST, categories=categories, fund_sources=funds)
        if form.is_valid():
            try:
                line = budget_line_create(
                    organization=plan.organization,
                    fiscal_year=plan.fiscal_year,
                    category=form.cleaned_data["category"],
                    name=form.cleaned_data["name"],
                    annual_plan_baht=form.cleaned_data["annual_plan_baht"],
                    details=form.details(),
                )
            except SAVE_ERRORS as error:
                add_save_error(form, error, fields=LINE_ERROR_FIELDS, default="annual_plan_baht")
            else:
                messages.success(request, f"เพิ่มรายการงบประมาณที่ {line.number} {line.name} แล้ว")
                return redirect("budgets:line_list", plan_id=plan.pk)
    else:
        form = BudgetLineForm(
            categories=categories,
            fund_sources=funds,
            initial={"fund_source": FundSource.standard().pk},
        )
    return render(
        request,
        "budgets/line_form.html",
        {
            "plan": plan,
            "form": form,
            "title": "เพิ่มรายการงบประมาณ",
            "can_edit": policy.may_plan(request.user, plan.organization_id),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def line_edit(request: HttpRequest, line_id: int) -> HttpResponse:
    line = get_object_or_404(_lines_readable(request), pk=line_id)
    plan = OperatingPlan.objects.filter(
        organization_id=line.organization_id, fiscal_year_id=line.fiscal_year_id
    ).first()
    categories = BudgetCategory.choices_for(line.organization_id)
    funds = FundSource.choices_for(line.organization_id)
    if request.method == "POST":
        require(request.user, policy.may_plan(request.user, line.organization_id))
        form = BudgetLineForm(request.POST, categories=categories, fund_sources=funds)
        if form.is_valid():
            try:
                budget_line_save(
                    line=line,
                    category=form.cleaned_data["category"],
                    name=form.cleaned_data["name"],
                    annual_plan_baht=form.cleaned_data["annual_plan_baht"],
                    details=form.details(),
                    expected_version=form.cleaned_data["version"],
                )
            except EntryConflict as conflict:
                add_conflict(form, conflict, version=history_version(line))
            except SAVE_ERRORS as error:
                add_save_error(form, error, fields=LINE_ERROR_FIELDS, default="annual_plan_baht")
            else:
                messages.success(
                    request,
                    f"บันทึกรายการงบประมาณที่ {line.number} แล้ว"
                    " ร้อยละของรายการที่คิดจากผลเบิกจ่ายของรายการนี้คำนวณใหม่แล้ว",
                )
                if plan is not None:
                    return redirect("budgets:line_list", plan_id=plan.pk)
                return redirect("budgets:line_edit", line_id=line.pk)
    else:
        form = BudgetLineForm(
            categories=categories,
            fund_sources=funds,
            initial={**BudgetLineForm.initial_of(line), "version": history_version(line)},
        )
    return render(
        request,
        "budgets/line_form.html",
        {
            "plan": plan,
            "line": line,
            "form": form,
            "title": f"แก้ไขรายการงบประมาณที่ {line.number} ({line.organization.label} ปีงบประมาณ {line.fiscal_year.year})",
            "can_edit": policy.may_plan(request.user, line.organization_id),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _months_initial(line: BudgetLine) -> dict[str, object]:
    initial: dict[str, object] = {"version": months_version(line)}
    for month in line.months.all():
        initial[f"planned_{month.month}"] = month.planned_baht
        initial[f"disbursed_{month.month}"] = month.disbursed_baht
        initial[f"committed_{month.month}"] = month.committed_baht
    return initial


@login_required
def line_months(request: HttpRequest, line_id: int) -> HttpResponse:
    """A line's month grid: the planned disbursement of each month and, month by month, what was
    disbursed and committed; numbers typed in Thai digits or with commas, or pasted from Excel
    (tidtam/static/tidtam/paste-grid.js spreads a pasted column over the months)."""
    line = get_object_or_404(_lines_readable(request), pk=line_id)
    plan = OperatingPlan.objects.filter(
        organization_id=line.organization_id, fiscal_year_id=line.fiscal_year_id
    ).first()
    can_edit = policy.may_plan(request.user, line.organization_id)
    if request.method == "POST":
        require(request.user, can_edit)
        form = BudgetMonthsForm(request.POST)
        if form.is_valid():
            try:
                budget_months_save(
                    line=line, rows=form.rows(), expected_version=form.cleaned_data["version"]
                )
            except SAVE_ERRORS as error:
                if isinstance(error, DomainError) and error.code == "budget_months_changed":
                    # What was typed stays; saved again, it goes over the other person's change.
                    data = request.POST.copy()
                    data["version"] = str(months_version(line))
                    form = BudgetMonthsForm(data)
                    form.is_valid()
                add_save_error(form, error)
            else:
                messages.success(
                    request,
                    f"บันทึกแผนและผลรายเดือนของรายการงบประมาณที่ {line.number} แล้ว"
                    " ผลของแต่ละรอบคำนวณจากรายเดือนให้แล้ว",
                )
                return redirect("budgets:line_months", line_id=line.pk)
    else:
        form = BudgetMonthsForm(initial=_months_initial(line))
    monthly = line.monthly_plan()
    return render(
        request,
        "budgets/line_months.html",
        {
            "plan": plan,
            "line": line,
            "form": form,
            "grid": form.grid(),
            "has_monthly_plan": monthly is not None,
            "title": f"แผนและผลการเบิกจ่ายรายเดือน: รายการงบประมาณที่ {line.number} {line.name}",
            "can_edit": can_edit,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def round_spending(request: HttpRequest, plan_id: int, round_months: int) -> HttpResponse:
    """The figures of a round for every line of the plan's organisation and year: typed for the
    lines reported by round, shown (from their months) for those reported by month."""
    plan = _plan(request, plan_id)
    round_ = get_object_or_404(
        Round.objects.select_related("fiscal_year"),
        fiscal_year=plan.fiscal_year,
        months=round_months,
    )
    lines = list(
        BudgetLine.objects.filter(
            organization_id=plan.organization_id, fiscal_year_id=plan.fiscal_year_id
        )
        .select_related("fund_source")
        .order_by("number", "pk")
    )
    monthly = lines_reported_by_month(lines)
    spending = {s.line_id: s for s in BudgetSpending.objects.filter(round=round_, line__in=lines)}
    typed = [line for line in lines if line.pk not in monthly]
    can_edit = policy.may_plan(request.user, plan.organization_id)
    if request.method == "POST":
        require(request.user, can_edit)
        form = RoundSpendingForm(request.POST, lines=typed)
        if form.is_valid():
            try:
                changed = budget_round_save(round_=round_, rows=form.rows())
            except SAVE_ERRORS as error:
                add_save_error(form, error)
            else:
                messages.success(
                    request,
                    f"บันทึกผลการใช้จ่ายของ{round_} แล้ว ({changed} รายการที่เปลี่ยน)"
                    " ร้อยละของรายการที่คิดจากผลเบิกจ่ายคำนวณใหม่แล้ว",
                )
                return redirect(
                    "budgets:round_spending", plan_id=plan.pk, round_months=round_months
                )
    else:
        initial: dict[str, object] = {}
        for line in typed:
            if (row := spending.get(line.pk)) is not None:
                initial[f"disbursed_{line.number}"] = row.disbursed_baht
                initial[f"committed_{line.number}"] = row.committed_baht
                initial[f"as_of_{line.number}"] = row.as_of
        form = RoundSpendingForm(lines=typed, initial=initial)
    return render(
        request,
        "budgets/round_spending.html",
        {
            "plan": plan,
            "round": round_,
            "form": form,
            "by_month": [(line, spending.get(line.pk)) for line in lines if line.pk in monthly],
            "rounds": Round.objects.filter(fiscal_year=plan.fiscal_year).order_by("months"),
            "title": f"ผลการใช้จ่ายงบประมาณ {round_} ({plan.organization.label})",
            "can_edit": can_edit,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
