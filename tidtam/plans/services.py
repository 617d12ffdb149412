"""Setting up the year's plan: outputs, activities, work items, milestones, responsibilities.

Every service is one transaction. Saving what a progress entry's percent is computed from (a
work item's target or budget line, a milestone's planned quantity) recomputes the entries'
stored percentages in the same transaction, so the SQL band counts never disagree with the
figures the reports recompute.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal, TypeVar

from django.db import models, transaction
from django.db.models import Max

from tidtam import bulk, concurrency
from tidtam.budgets.models import BudgetCategory, BudgetLine, FundSource
from tidtam.budgets.services import LineDetails, budget_line_create
from tidtam.columns import require_amount
from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import FISCAL_MONTHS
from tidtam.domain.progress import BandThresholds
from tidtam.domain.thai import fiscal_month_name, format_amount
from tidtam.orgs.access import descendants_map, with_descendants
from tidtam.orgs.models import Organization, Person
from tidtam.periods.models import FiscalYear, Round
from tidtam.periods.months import check_month_count, check_reported_months, require_months_open
from tidtam.plans.models import (
    Activity,
    OperatingPlan,
    Output,
    PlannedMilestone,
    WorkItem,
    WorkItemMonth,
    WorkItemResponsibility,
)
from tidtam.plans.signals import send_figures_changed

Direction = Literal["up", "down"]
Numbered = TypeVar("Numbered", Output, Activity, WorkItem)


@dataclass(frozen=True)
class MilestoneInput:
    """What a work item plans to have done by the end of a round."""

    text: str = ""
    planned_quantity: Decimal | None = None


def _lock_plan(plan_id: int) -> None:
    """Serialise numbering within a plan: two planners adding at once get 4 and 5, not 4 twice."""
    list(OperatingPlan.objects.select_for_update().filter(pk=plan_id).values_list("pk"))


def _next_number(queryset: models.QuerySet[Any]) -> int:
    return int(queryset.aggregate(top=Max("number"))["top"] or 0) + 1


# --- plans ---------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, organization: Organization, fiscal_year: FiscalYear, title: str, user: Any = None
) -> OperatingPlan:
    """An empty plan for an organisation's fiscal year; refused when one exists."""
    _refuse_existing_plan(organization, fiscal_year)
    plan = OperatingPlan(organization=organization, fiscal_year=fiscal_year, title=title.strip())
    bulk.stamp_author(plan, user)
    plan.save()
    return plan


@transaction.atomic
def plan_settings_save(
    *,
    plan: OperatingPlan,
    title: str,
    band_low: Decimal,
    band_high: Decimal,
    explanation_threshold: Decimal,
    expected_version: int | None = None,
    user: Any = None,
) -> int:
    """Rename the plan and set its thresholds; returns how many entries changed band.

    The core checks the thresholds (`BandThresholds`); every entry of the plan then has its
    band decided again from its exact percent, so the reports, the round status and the
    national tables count the new bands at once.
    """
    BandThresholds(band_low, band_high, explanation_threshold)
    typed = {
        "title": title.strip(),
        "band_low": band_low,
        "band_high": band_high,
        "explanation_threshold": explanation_threshold,
    }
    concurrency.check_history_version(
        OperatingPlan.objects.select_for_update().get(pk=plan.pk),
        expected_version,
        typed,
        item=plan.title,
    )
    before = plan.thresholds
    for name, value in typed.items():
        setattr(plan, name, value)
    bulk.stamp_author(plan, user)
    plan.save(update_fields=list(typed))
    if plan.thresholds == before:
        return 0
    return send_figures_changed(plan=plan)


def _refuse_existing_plan(organization: Organization, fiscal_year: FiscalYear) -> None:
    if OperatingPlan.objects.filter(organization=organization, fiscal_year=fiscal_year).exists():
        raise DomainError("plan_exists", org=organization.label, year=fiscal_year.year)


# --- outputs and activities ----------------------------------------------------------------


@transaction.atomic
def output_create(*, plan: OperatingPlan, name: str, user: Any = None) -> Output:
    """A new output, numbered after the plan's last one."""
    _lock_plan(plan.pk)
    output = Output(
        plan=plan, number=_next_number(Output.objects.filter(plan=plan)), name=name.strip()
    )
    bulk.stamp_author(output, user)
    output.save()
    return output


@transaction.atomic
def output_save(
    *, output: Output, name: str, expected_version: int | None = None, user: Any = None
) -> Output:
    """Rename the output; refused with what changed when someone saved it after the form was
    opened at `expected_version` (a history record id)."""
    concurrency.check_history_version(
        Output.objects.select_for_update().get(pk=output.pk),
        expected_version,
        {"name": name.strip()},
        item=f"ผลผลิตที่ {output.number}",
    )
    output.name = name.strip()
    bulk.stamp_author(output, user)
    output.save(update_fields=["name"])
    return output


@transaction.atomic
def output_move(*, output: Output, direction: Direction, user: Any = None) -> Output:
    """Swap the output with its neighbour: the numbers the documents print follow."""
    siblings = Output.objects.select_for_update().filter(plan_id=output.plan_id)
    return _swap_with_neighbour(output, siblings, direction, user)


@transaction.atomic
def activity_create(
    *, output: Output, name: str, name_note: str = "", user: Any = None
) -> Activity:
    _lock_plan(output.plan_id)
    activity = Activity(
        output=output,
        number=_next_number(Activity.objects.filter(output=output)),
        name=name.strip(),
        name_note=name_note.strip(),
    )
    bulk.stamp_author(activity, user)
    activity.save()
    return activity


@transaction.atomic
def activity_save(
    *,
    activity: Activity,
    name: str,
    name_note: str = "",
    expected_version: int | None = None,
    user: Any = None,
) -> Activity:
    """As `output_save`, for an activity's name and note."""
    concurrency.check_history_version(
        Activity.objects.select_for_update().get(pk=activity.pk),
        expected_version,
        {"name": name.strip(), "name_note": name_note.strip()},
        item=f"กิจกรรมที่ {activity.number}",
    )
    activity.name = name.strip()
    activity.name_note = name_note.strip()
    bulk.stamp_author(activity, user)
    activity.save(update_fields=["name", "name_note"])
    return activity


@transaction.atomic
def activity_move(*, activity: Activity, direction: Direction, user: Any = None) -> Activity:
    siblings = Activity.objects.select_for_update().filter(output_id=activity.output_id)
    return _swap_with_neighbour(activity, siblings, direction, user)


# --- work items ----------------------------------------------------------------------------


def _siblings(plan_id: int, activity_id: int) -> models.QuerySet[WorkItem]:
    """The items numbered together: an activity's."""
    return WorkItem.objects.filter(plan_id=plan_id, activity_id=activity_id)


@transaction.atomic
def work_item_create(
    *,
    plan: OperatingPlan,
    activity: Activity,
    kind: str,
    name: str,
    user: Any = None,
) -> WorkItem:
    """A new work item at the end of its activity."""
    if activity.output.plan_id != plan.pk:
        raise ValueError("the activity belongs to another plan")
    _lock_plan(plan.pk)
    item = WorkItem(
        plan=plan,
        activity=activity,
        number=_next_number(_siblings(plan.pk, activity.pk)),
        kind=kind,
        name=name.strip(),
    )
    bulk.stamp_author(item, user)
    item.save()
    return item


@transaction.atomic
def work_item_save(
    *,
    work_item: WorkItem,
    name: str,
    kind: str,
    target_quantity: Decimal | None,
    target_unit: str = "",
    target_text: str = "",
    budget_baht: Decimal | None = None,
    budget_line: BudgetLine | None = None,
    later_quarter_from: int | None = None,
    group_name: str = "",
    milestones: Mapping[int, MilestoneInput] | None = None,
    expected_version: int | None = None,
    user: Any = None,
) -> WorkItem:
    """Save a work item and its milestones; its entries' stored percentages follow.

    The row is locked while it changes; a form opened at an older version (`expected_version`,
    see concurrency.history_version) does not overwrite what another planner saved since.

    Raises the entry's own error (e.g. percent_missing_data) when a saved entry could no
    longer be computed, for instance when the target of an item whose entries are computed
    from it is cleared: then nothing is saved.
    """
    if target_quantity is not None:
        require_amount(WorkItem, "target_quantity", target_quantity, field="ค่าเป้าหมาย (จำนวน)")
    if budget_baht is not None:
        require_amount(WorkItem, "budget_baht", budget_baht, field="งบประมาณ (บาท)")
    if budget_line is not None and (
        budget_line.organization_id != work_item.plan.organization_id
        or budget_line.fiscal_year_id != work_item.plan.fiscal_year_id
    ):
        raise ValueError("the budget line belongs to another organisation or year")
    concurrency.check_history_version(
        WorkItem.objects.select_for_update(of=("self",)).get(pk=work_item.pk),
        expected_version,
        {
            "name": name.strip(),
            "kind": kind,
            "target_quantity": target_quantity,
            "target_unit": target_unit.strip(),
            "target_text": target_text.strip(),
            "budget_baht": budget_baht,
            "group_name": group_name.strip(),
        },
        item=work_item.name,
    )
    work_item.name = name.strip()
    work_item.kind = kind
    work_item.target_quantity = target_quantity
    work_item.target_unit = target_unit.strip()
    work_item.target_text = target_text.strip()
    work_item.budget_baht = budget_baht
    work_item.budget_line = budget_line
    work_item.later_quarter_from = later_quarter_from
    work_item.group_name = group_name.strip()
    _require_agrees_with_months(
        work_item,
        target_quantity,
        {months: planned.planned_quantity for months, planned in (milestones or {}).items()},
    )
    bulk.stamp_author(work_item, user)
    work_item.save()
    for months, planned in (milestones or {}).items():
        _milestone_put(work_item, months, planned, user)
    refresh_work_item_entries(work_item=work_item)
    return work_item


def _milestone_put(work_item: WorkItem, months: int, planned: MilestoneInput, user: Any) -> None:
    milestone = PlannedMilestone.objects.filter(work_item=work_item, round_months=months).first()
    text = planned.text.strip()
    if milestone is None:
        if not text and planned.planned_quantity is None:
            return  # nothing planned for the round: no empty row
        milestone = PlannedMilestone(work_item=work_item, round_months=months)
    elif milestone.text == text and milestone.planned_quantity == planned.planned_quantity:
        return
    if planned.planned_quantity is not None:
        require_amount(
            PlannedMilestone, "planned_quantity", planned.planned_quantity, field="จำนวนตามแผน"
        )
    milestone.text = text
    milestone.planned_quantity = planned.planned_quantity
    bulk.stamp_author(milestone, user)
    milestone.save()


@transaction.atomic
def milestone_save(
    *,
    milestone: PlannedMilestone,
    text: str,
    planned_quantity: Decimal | None,
    expected_version: int | None = None,
    user: Any = None,
) -> PlannedMilestone:
    """Save one round's milestone; the round's entry of the item recomputes its percent.
    Refused with what changed when someone saved it after the form was opened."""
    if planned_quantity is not None:
        require_amount(PlannedMilestone, "planned_quantity", planned_quantity, field="จำนวนตามแผน")
    item = milestone.work_item
    _require_agrees_with_months(
        item, item.target_quantity, {milestone.round_months: planned_quantity}
    )
    concurrency.check_history_version(
        PlannedMilestone.objects.select_for_update().get(pk=milestone.pk),
        expected_version,
        {"text": text.strip(), "planned_quantity": planned_quantity},
        item=f"แผน{milestone.get_round_months_display()}",
    )
    milestone.text = text.strip()
    milestone.planned_quantity = planned_quantity
    bulk.stamp_author(milestone, user)
    milestone.save()
    refresh_work_item_entries(work_item=milestone.work_item, round_months=milestone.round_months)
    return milestone


def refresh_work_item_entries(*, work_item: WorkItem, round_months: int | None = None) -> int:
    """Have the entries of a work item (of one round, or all) recomputed from its figures;
    returns how many changed (`figures_changed`: the progress app does it)."""
    return send_figures_changed(work_item=work_item, round_months=round_months)


@transaction.atomic
def work_item_move(*, work_item: WorkItem, direction: Direction, user: Any = None) -> WorkItem:
    """Swap the item with its neighbour in its activity."""
    siblings = _siblings(work_item.plan_id, work_item.activity_id).select_for_update()
    return _swap_with_neighbour(work_item, siblings, direction, user)


@transaction.atomic
def work_item_move_to(*, work_item: WorkItem, activity: Activity, user: Any = None) -> WorkItem:
    """Move the item to the end of another activity of the same plan; the activity it leaves
    is renumbered without a gap."""
    if activity.output.plan_id != work_item.plan_id:
        raise ValueError("the activity belongs to another plan")
    new_activity_id = activity.pk
    if new_activity_id == work_item.activity_id:
        return work_item
    _lock_plan(work_item.plan_id)
    old_activity_id = work_item.activity_id
    work_item.number = _next_number(_siblings(work_item.plan_id, new_activity_id))
    work_item.activity = activity
    bulk.stamp_author(work_item, user)
    work_item.save(update_fields=["activity", "number"])
    _renumber(_siblings(work_item.plan_id, old_activity_id), user)
    return work_item


@transaction.atomic
def work_item_exclude(*, work_item: WorkItem, reason: str, user: Any = None) -> WorkItem:
    """Leave the item out of the band table's numerator and denominator, saying why."""
    reason = reason.strip()
    if not reason:
        raise DomainError("exclusion_reason_required", item=work_item.name)
    work_item.excluded = True
    work_item.exclusion_reason = reason
    bulk.stamp_author(work_item, user)
    work_item.save(update_fields=["excluded", "exclusion_reason"])
    return work_item


@transaction.atomic
def work_item_include(*, work_item: WorkItem, user: Any = None) -> WorkItem:
    """Count the item again; the old reason stays in the item's history."""
    work_item.excluded = False
    work_item.exclusion_reason = ""
    bulk.stamp_author(work_item, user)
    work_item.save(update_fields=["excluded", "exclusion_reason"])
    return work_item


# --- responsibilities ----------------------------------------------------------------------


@transaction.atomic
def work_item_responsibility_assign(
    *,
    work_item: WorkItem,
    organization: Organization,
    person: Person | None = None,
    user: Any = None,
) -> WorkItemResponsibility:
    """Make a unit responsible for the item (last in order), or change its reporting person.

    The person must belong to the unit or a unit below it; without one, every reporter of
    the unit may report the item.
    """
    if person is not None:
        unit_ids = with_descendants({organization.pk}, descendants_map())
        if person.organization_id not in unit_ids:
            raise DomainError(
                "person_not_in_unit", person=person.full_name, unit=organization.label
            )
    responsibility = WorkItemResponsibility.objects.filter(
        work_item=work_item, organization=organization
    ).first()
    if responsibility is None:
        top = WorkItemResponsibility.objects.filter(work_item=work_item).aggregate(
            top=Max("order")
        )["top"]
        responsibility = WorkItemResponsibility(
            work_item=work_item,
            organization=organization,
            order=0 if top is None else top + 1,
        )
    responsibility.person = person
    bulk.stamp_author(responsibility, user)
    responsibility.save()
    return responsibility


@transaction.atomic
def work_item_responsibility_remove(
    *, work_item: WorkItem, organization: Organization, user: Any = None
) -> None:
    """The unit is no longer responsible (the row's history keeps that it was)."""
    for responsibility in WorkItemResponsibility.objects.filter(
        work_item=work_item, organization=organization
    ):
        bulk.stamp_author(responsibility, user)
        responsibility.delete()


# --- copying a year ------------------------------------------------------------------------


@transaction.atomic
def plan_copy_year(*, plan: OperatingPlan, fiscal_year: FiscalYear, user: Any) -> OperatingPlan:
    """A new year's plan from this one: outputs, activities, work items with their targets,
    units, responsibilities, milestones and links to national plans; no results (the
    strategic-plan projects are KPIs: `agreements.services.indicators_copy_year` copies them).

    A work item keeps its budget line only when the new year has a line of the same category
    and name (lines are per year); otherwise it has none until the planner picks one.
    Refused when the organisation already has a plan for that year.

    Written in bulk, each row with its "created" history record: about twenty queries whatever
    the size of the plan (a 635-item plan took 7,020 queries one row at a time).
    """
    organization = plan.organization
    _refuse_existing_plan(organization, fiscal_year)
    old_year = str(plan.fiscal_year.year)
    new_plan = OperatingPlan(
        organization=organization,
        fiscal_year=fiscal_year,
        title=plan.title.replace(old_year, str(fiscal_year.year)),
        strategic_framework_id=plan.strategic_framework_id,
        band_low=plan.band_low,
        band_high=plan.band_high,
        explanation_threshold=plan.explanation_threshold,
    )
    bulk.stamp_author(new_plan, user)
    new_plan.save()

    new_lines = {
        (line.category_id, line.name): line
        for line in BudgetLine.objects.filter(organization=organization, fiscal_year=fiscal_year)
    }
    outputs = list(Output.objects.filter(plan=plan).order_by("number"))
    new_outputs = bulk.create_with_history(
        Output,
        # Each keeps its key: the same output, activity and item, a year on.
        [Output(plan=new_plan, key=o.key, number=o.number, name=o.name) for o in outputs],
        user,
    )
    output_map = {old.pk: new.pk for old, new in zip(outputs, new_outputs, strict=True)}
    activities = list(
        Activity.objects.filter(output__plan=plan).order_by("output__number", "number")
    )
    new_activities = bulk.create_with_history(
        Activity,
        [
            Activity(
                output_id=output_map[a.output_id],
                key=a.key,
                number=a.number,
                name=a.name,
                name_note=a.name_note,
            )
            for a in activities
        ],
        user,
    )
    activity_map = {old.pk: new.pk for old, new in zip(activities, new_activities, strict=True)}

    items = list(
        WorkItem.objects.filter(plan=plan)
        .select_related("budget_line")
        .order_by("activity_id", "number")
    )
    # The children as plain rows, grouped by item: no model instance per milestone or link.
    nodes_of = _by_item(
        WorkItem.policy_nodes.through.objects.filter(workitem__plan=plan)
        .order_by("pk")
        .values_list("workitem_id", "policynode_id")
    )
    units_of = _by_item(
        WorkItemResponsibility.objects.filter(work_item__plan=plan)
        .order_by("order", "pk")
        .values_list("work_item_id", "organization_id", "person_id", "order")
    )
    milestones_of = _by_item(
        PlannedMilestone.objects.filter(work_item__plan=plan)
        .order_by("round_months")
        .values_list("work_item_id", "round_months", "text", "planned_quantity", "planned_percent")
    )
    copies = []
    for item in items:
        old_line = item.budget_line
        copies.append(
            WorkItem(
                plan=new_plan,
                activity_id=activity_map[item.activity_id],
                key=item.key,
                number=item.number,
                kind=item.kind,
                name=item.name,
                target_quantity=item.target_quantity,
                target_unit=item.target_unit,
                target_text=item.target_text,
                budget_baht=item.budget_baht,
                budget_line=(
                    new_lines.get((old_line.category_id, old_line.name)) if old_line else None
                ),
                group_name=item.group_name,
                later_quarter_from=item.later_quarter_from,
                excluded=item.excluded,
                exclusion_reason=item.exclusion_reason,
                is_placeholder=item.is_placeholder,
                source_note=item.source_note,
            )
        )
    # The items, their policy links, then the history: each item's "created" record lists its
    # links, as `policy_nodes.set` one item at a time would leave it.
    bulk.create_links_with_history(
        WorkItem,
        "policy_nodes",
        copies,
        (
            (new.pk, node_id)
            for old, new in zip(items, copies, strict=True)
            for (node_id,) in nodes_of.get(old.pk, ())
        ),
        user,
    )
    bulk.create_with_history(
        WorkItemResponsibility,
        [
            WorkItemResponsibility(
                work_item_id=new.pk, organization_id=org_id, person_id=person_id, order=order
            )
            for old, new in zip(items, copies, strict=True)
            for org_id, person_id, order in units_of.get(old.pk, ())
        ],
        user,
    )
    bulk.create_with_history(
        PlannedMilestone,
        [
            PlannedMilestone(
                work_item_id=new.pk,
                round_months=months,
                text=text,
                planned_quantity=quantity,
                planned_percent=percent,
            )
            for old, new in zip(items, copies, strict=True)
            for months, text, quantity, percent in milestones_of.get(old.pk, ())
        ],
        user,
    )
    return new_plan


def _by_item(rows: models.QuerySet[Any, Any]) -> dict[int, list[tuple[Any, ...]]]:
    """{work item id: the rest of each row}, in the query's order."""
    grouped: dict[int, list[tuple[Any, ...]]] = {}
    for item_id, *rest in rows:
        grouped.setdefault(item_id, []).append(tuple(rest))
    return grouped


# --- numbering -----------------------------------------------------------------------------


def _swap_with_neighbour(
    obj: Numbered, siblings: models.QuerySet[Numbered], direction: Direction, user: Any
) -> Numbered:
    """Swap numbers with the previous (up) or next (down) sibling; at either end, nothing.

    The siblings are locked (select_for_update) while they change. Numbers are unique among
    siblings, so the swap goes through a free number.
    """
    rows = list(siblings.order_by("number"))
    index = next(i for i, row in enumerate(rows) if row.pk == obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return obj
    current, neighbour = rows[index], rows[other]
    free = max(row.number for row in rows) + 1
    mine, theirs = current.number, neighbour.number
    for row, number in ((current, free), (neighbour, mine), (current, theirs)):
        row.number = number
        bulk.stamp_author(row, user)
        row.save(update_fields=["number"])
    obj.number = current.number
    return obj


def _renumber(siblings: models.QuerySet[Any], user: Any) -> None:
    """Close gaps: 1, 2, 3 … in the present order.

    Going up the sorted list, each row's new number is at most its old one and every number
    below it is already taken by the rows before it, so no two rows ever share a number.
    """
    for index, row in enumerate(siblings.order_by("number"), start=1):
        if row.number != index:
            row.number = index
            bulk.stamp_author(row, user)
            row.save(update_fields=["number"])


@transaction.atomic
def work_item_budget_line_create(
    *,
    work_item: WorkItem,
    category: BudgetCategory,
    fund_source: FundSource | None = None,
    expense_type: str = "",
    user: Any = None,
) -> BudgetLine:
    """A budget line of the work item's own, made from its budget (the line's annual plan),
    its output and activity, and drawn on by the item: its monthly plan and results are then
    entered on the line's month grid, and its money is the item's (ItemBudget, own line).
    Refused when the item has no budget, or already draws on a line."""
    locked = (
        WorkItem.objects.select_for_update(of=("self",))
        .select_related("plan", "activity__output", "budget_line")
        .get(pk=work_item.pk)
    )
    if locked.budget_line is not None:
        raise DomainError("work_item_has_line", item=locked.name, line=locked.budget_line.name)
    if not locked.budget_baht:  # none, or 0: nothing to plan or spend
        raise DomainError("work_item_budget_missing", item=locked.name)
    activity = locked.activity
    line = budget_line_create(
        organization=locked.plan.organization,
        fiscal_year=locked.plan.fiscal_year,
        category=category,
        name=locked.name[: BudgetLine._meta.get_field("name").max_length],
        annual_plan_baht=locked.budget_baht,
        details=LineDetails(
            fund_source=fund_source,
            output=activity.output.name,
            activity=activity.name,
            expense_type=expense_type,
        ),
    )
    locked.budget_line = line
    bulk.stamp_author(locked, user)
    locked.save(update_fields=["budget_line"])
    work_item.budget_line = line
    return line


# --- a work item's months: planned quantities, results, and the rounds' plans that follow ------


@dataclass(frozen=True)
class QuantityMonth:
    """What a person typed for one month of a work item (None: blank)."""

    month: int
    planned_quantity: Decimal | None
    result_quantity: Decimal | None


def item_months_version(work_item: WorkItem) -> int:
    """The version of a work item's months, which the month page carries."""
    return concurrency.set_version(WorkItemMonth.history.filter(work_item_id=work_item.pk))


def _check_item_months(item: WorkItem, rows: list[QuantityMonth], today: date) -> None:
    """The rules of a work item's months, each refused with the item, the month and the fix."""
    check_month_count([row.month for row in rows])
    for row in rows:
        field = f"{item.name} เดือน{fiscal_month_name(row.month)}"
        if row.planned_quantity is not None:
            require_amount(
                WorkItemMonth, "planned_quantity", row.planned_quantity, field=f"แผน — {field}"
            )
        if row.result_quantity is not None:
            require_amount(
                WorkItemMonth, "result_quantity", row.result_quantity, field=f"ผล — {field}"
            )
    planned = [row.planned_quantity for row in rows if row.planned_quantity is not None]
    results = [row.result_quantity for row in rows if row.result_quantity is not None]
    if (planned or results) and item.target_quantity is None:
        # สงป. 301 lists the items with a quantity target: months of another would go nowhere.
        raise DomainError("monthly_quantity_needs_target", item=item.name)
    if planned and item.target_quantity is not None:
        total = sum(planned, Decimal(0))
        if total != item.target_quantity:
            raise DomainError(
                "monthly_quantity_total",
                item=item.name,
                total=format_amount(total),
                target=format_amount(item.target_quantity),
                unit=item.target_unit or "หน่วย",
            )
    check_reported_months(
        item.name,
        [row.result_quantity is not None for row in rows],
        item.plan.fiscal_year.year,
        today,
    )


@transaction.atomic
def work_item_months_save(
    *,
    work_item: WorkItem,
    rows: list[QuantityMonth],
    expected_version: int | None = None,
    today: date | None = None,
    user: Any = None,
) -> list[WorkItemMonth]:
    """Save a work item's twelve months at once, or nothing: the quantity planned for each month
    (adding up to the item's target) and the quantity done in each month reported so far.
    A monthly plan gives each round's planned quantity (the months' sum to the round's end), so
    the entries' percents follow it; results already reported in a closed round's months are
    refused unless unchanged. Refused, naming who and when, over a change made after the page
    was opened at `expected_version`."""
    from tidtam.periods.clock import today as clock_today

    locked = (
        WorkItem.objects.select_for_update(of=("self",))
        .select_related("plan__fiscal_year")
        .get(pk=work_item.pk)
    )
    concurrency.check_set_version(
        WorkItemMonth.history.filter(work_item_id=locked.pk),
        expected_version,
        code="work_item_months_changed",
    )
    rows = sorted(rows, key=lambda row: row.month)
    day = today or clock_today()
    _check_item_months(locked, rows, day)
    existing = {m.month: m for m in WorkItemMonth.objects.filter(work_item=locked)}
    changed_results = {
        row.month
        for row in rows
        if (month := existing.get(row.month)) is not None
        and month.result_quantity is not None
        and row.result_quantity != month.result_quantity
    }
    require_months_open(
        locked.name,
        changed_results,
        locked.plan.fiscal_year_id,
        locked.plan.organization_id,
        day,
    )
    saved = []
    for row in rows:
        values = {"planned_quantity": row.planned_quantity, "result_quantity": row.result_quantity}
        month = existing.get(row.month)
        if row.planned_quantity is None and row.result_quantity is None:
            if month is not None:
                bulk.stamp_author(month, user)
                month.delete()
            continue
        if month is None:
            month = WorkItemMonth(work_item=locked, month=row.month, **values)
        elif all(getattr(month, k) == v for k, v in values.items()):
            saved.append(month)
            continue
        for key, value in values.items():
            setattr(month, key, value)
        bulk.stamp_author(month, user)
        month.save()
        saved.append(month)
    if any(row.planned_quantity is not None for row in rows):
        _milestones_from_months(locked, rows, user)
    return saved


def _monthly_plan(item: WorkItem) -> list[Decimal] | None:
    """The item's planned quantity for each month, or None when it has no monthly plan."""
    planned = WorkItemMonth.objects.filter(work_item=item, planned_quantity__isnull=False)
    if not planned:
        return None
    amounts = [Decimal(0)] * len(FISCAL_MONTHS)
    for month in planned:
        assert month.planned_quantity is not None
        amounts[month.month - 1] = month.planned_quantity
    return amounts


def _require_agrees_with_months(
    item: WorkItem, target: Decimal | None, planned_by_round: Mapping[int, Decimal | None]
) -> None:
    """An item with a monthly plan keeps the target its months add up to, and rounds' planned
    quantities that are its months' sums (they are written from the months): a change to
    either is made on the month page."""
    months = _monthly_plan(item)
    if months is None:
        return
    unit = item.target_unit or "หน่วย"
    total = sum(months, Decimal(0))
    if target != total:
        raise DomainError(
            "monthly_quantity_total",
            item=item.name,
            total=format_amount(total),
            target="-" if target is None else format_amount(target),
            unit=unit,
        )
    for round_months, planned in sorted(planned_by_round.items()):
        due = sum(months[:round_months], Decimal(0))
        if planned != due:
            raise DomainError(
                "milestone_from_months",
                item=item.name,
                round=Round.Months(round_months).label,
                planned=format_amount(due),
                unit=unit,
            )


def _milestones_from_months(item: WorkItem, rows: list[QuantityMonth], user: Any) -> None:
    """Each round's planned quantity from the monthly plan: its months' sum to the round's end
    (milestones are cumulative); their texts are left as they are."""
    milestones = {m.round_months: m for m in PlannedMilestone.objects.filter(work_item=item)}
    for months in Round.Months.values:
        cumulative = sum((row.planned_quantity or Decimal(0) for row in rows[:months]), Decimal(0))
        milestone = milestones.get(months)
        if milestone is not None and milestone.planned_quantity == cumulative:
            continue
        if milestone is None:
            milestone = PlannedMilestone(work_item=item, round_months=months)
        milestone.planned_quantity = cumulative
        bulk.stamp_author(milestone, user)
        milestone.save()
        refresh_work_item_entries(work_item=item, round_months=months)
