"""Reads for the plan set-up pages: which plans a person sees, and a plan as a tree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from tidtam.budgets.models import BudgetLine, BudgetSpending
from tidtam.domain.budget import ItemBudget
from tidtam.orgs.access import (
    descendants_map,
    organizations_planned,
    reach_of,
    with_descendants,
    work_items_readable,
)
from tidtam.orgs.models import Organization, Person
from tidtam.paging import Pager, paginate
from tidtam.periods.models import Round
from tidtam.plans.models import (
    Activity,
    OperatingPlan,
    Output,
    PlannedMilestone,
    WorkItem,
    WorkItemResponsibility,
)

# --- reach ---------------------------------------------------------------------------------


def reader_organization_ids(user: Any) -> frozenset[int] | None:
    """Organisations whose plans and budget the person reads (None: every organisation).

    The same-organisation rule of `tidtam.orgs.policy` (any role in the agency reads its plan),
    so that these selectors and the pages that ask the policy agree.
    """
    reach = reach_of(user)
    return None if reach.everything else reach.reads


def plans_readable(user: Any) -> QuerySet[OperatingPlan]:
    plans = OperatingPlan.objects.select_related("organization", "fiscal_year")
    orgs = reader_organization_ids(user)
    return plans if orgs is None else plans.filter(organization_id__in=orgs)


def outputs_readable(user: Any) -> QuerySet[Output]:
    outputs = Output.objects.select_related("plan__organization", "plan__fiscal_year")
    orgs = reader_organization_ids(user)
    return outputs if orgs is None else outputs.filter(plan__organization_id__in=orgs)


def activities_readable(user: Any) -> QuerySet[Activity]:
    activities = Activity.objects.select_related(
        "output__plan__organization", "output__plan__fiscal_year"
    )
    orgs = reader_organization_ids(user)
    return activities if orgs is None else activities.filter(output__plan__organization_id__in=orgs)


def work_items_for_setup(user: Any) -> QuerySet[WorkItem]:
    """Work items the person reads (their unit's items included), with what the page shows."""
    return work_items_readable(user).select_related(
        "plan__organization", "plan__fiscal_year", "activity__output", "budget_line"
    )


def milestones_readable(user: Any) -> QuerySet[PlannedMilestone]:
    return PlannedMilestone.objects.filter(work_item__in=work_items_readable(user)).select_related(
        "work_item__plan__organization", "work_item__plan__fiscal_year"
    )


def may_plan(user: Any, organization_id: int) -> bool:
    """Whether the person holds the planner role on the organisation (or above it)."""
    return organizations_planned(user).filter(pk=organization_id).exists()


def plannable_organizations(user: Any) -> QuerySet[Organization]:
    return organizations_planned(user).order_by("code")


# --- the tree ------------------------------------------------------------------------------


# A plan of 600 items is one long page no one reads at once: the tree shows every output and
# activity, and the items a page at a time, in the tree's order.
TREE_PER_PAGE = 100


@dataclass
class ActivityNode:
    activity: Activity
    items: list[WorkItem] = field(default_factory=list)  # those on this page
    count: int = 0  # all of the activity's items
    page: int = 1  # the page its first item is on

    @property
    def elsewhere(self) -> bool:
        """Its items are all on other pages (the page shows a link to them)."""
        return self.count > 0 and not self.items


@dataclass
class OutputNode:
    output: Output
    activities: list[ActivityNode] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(node.count for node in self.activities)


@dataclass
class PlanTree:
    plan: OperatingPlan
    outputs: list[OutputNode]
    pager: Pager
    excluded_count: int = 0

    @property
    def activity_item_count(self) -> int:
        return sum(node.item_count for node in self.outputs)


def _tree_order(plan: OperatingPlan) -> QuerySet[WorkItem]:
    """The plan's items in the tree's order: by output, activity and number."""
    return WorkItem.objects.filter(plan=plan).order_by(
        "activity__output__number",
        "activity__output_id",
        "activity__number",
        "activity_id",
        "number",
        "pk",
    )


def _page_of(position: int) -> int:
    return position // TREE_PER_PAGE + 1


def _skeleton(
    plan: OperatingPlan,
) -> tuple[dict[int, OutputNode], dict[int, ActivityNode], int]:
    """The plan's outputs and activities in tree order, each activity with its item count and
    the page its first item is on; and how many items the activities hold (two queries)."""
    outputs = {
        o.pk: OutputNode(o) for o in Output.objects.filter(plan=plan).order_by("number", "pk")
    }
    activities: dict[int, ActivityNode] = {}
    position = 0
    for activity in (
        Activity.objects.filter(output__plan=plan)
        .annotate(n=Count("work_items"))
        .order_by("output__number", "output_id", "number", "pk")
    ):
        parent = outputs[activity.output_id]
        activity.output = parent.output  # labels name the output: no query per activity
        node = ActivityNode(activity, count=activity.n, page=_page_of(position))
        position += activity.n
        activities[activity.pk] = node
        parent.activities.append(node)
    return outputs, activities, position


def plan_tree(plan: OperatingPlan, params: Mapping[str, Any] | None = None) -> PlanTree:
    """Outputs → activities (with their item counts) → the items of one page: six queries,
    whatever the plan's size."""
    outputs, activities, _ = _skeleton(plan)
    excluded = WorkItem.objects.filter(plan=plan, excluded=True).count()
    pager = paginate(
        params,
        _tree_order(plan)
        .select_related("budget_line")
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=WorkItemResponsibility.objects.select_related(
                    "organization", "person"
                ).order_by("order", "pk"),
            )
        ),
        per_page=TREE_PER_PAGE,
    )
    for item in pager:
        activities[item.activity_id].items.append(item)
    return PlanTree(plan=plan, outputs=list(outputs.values()), pager=pager, excluded_count=excluded)


def tree_page(plan_id: int, *, item: int | None = None, activity: int | None = None) -> int:
    """The page of the plan's tree that shows the item (or the activity's first item), for the
    pages that send the planner back to the tree after a change."""
    plan = OperatingPlan(pk=plan_id)
    if item is not None:
        ids = list(_tree_order(plan).values_list("pk", flat=True))
        return _page_of(ids.index(item)) if item in ids else 1
    if activity is not None:
        _, activities, _ = _skeleton(plan)
        return activities[activity].page if activity in activities else 1
    return 1


# --- choices for the forms -----------------------------------------------------------------


def plan_activities(plan: OperatingPlan) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(output__plan=plan)
        .select_related("output")
        .order_by("output__number", "number")
    )


def plan_budget_lines(plan: OperatingPlan) -> QuerySet[BudgetLine]:
    """The budget lines of the plan's organisation and fiscal year."""
    return BudgetLine.objects.filter(
        organization_id=plan.organization_id, fiscal_year_id=plan.fiscal_year_id
    ).order_by("number")


def responsible_organizations(plan: OperatingPlan) -> QuerySet[Organization]:
    """The plan's organisation and every unit below it: who can be made responsible."""
    ids = with_descendants({plan.organization_id}, descendants_map())
    return Organization.objects.filter(pk__in=ids, is_active=True).order_by("code")


def responsible_people(plan: OperatingPlan) -> QuerySet[Person]:
    ids = with_descendants({plan.organization_id}, descendants_map())
    return Person.objects.filter(organization_id__in=ids).select_related("organization")


def item_milestones(work_item: WorkItem) -> dict[int, PlannedMilestone]:
    return {m.round_months: m for m in PlannedMilestone.objects.filter(work_item=work_item)}


def item_responsibilities(work_item: WorkItem) -> list[WorkItemResponsibility]:
    return list(
        WorkItemResponsibility.objects.filter(work_item=work_item)
        .select_related("organization", "person")
        .order_by("order", "pk")
    )


# --- work items' budgets beside their lines' money ---------------------------------------------


def latest_spending_round(plan: OperatingPlan) -> Round | None:
    """The last round of the plan's year with spending reported on a line of its organisation,
    else its first round (None for a year without rounds)."""
    rounds = Round.objects.filter(fiscal_year_id=plan.fiscal_year_id)
    reported = rounds.filter(budgetspending__line__organization_id=plan.organization_id).order_by(
        "-months"
    )
    return reported.first() or rounds.order_by("months").first()


@dataclass(frozen=True)
class ItemBudgetRow:
    """A work item with a budget of its own, compared with its line's money as of a day."""

    item: WorkItem
    budget: ItemBudget
    line: BudgetLine | None
    as_of: date | None
    # Whether the line has figures for the round (none yet: nothing to compare, not zeros).
    reported: bool = True


def work_item_budgets(plan: OperatingPlan, round_: Round) -> list[ItemBudgetRow]:
    """Every work item of the plan with a budget, in the plan's order, beside its line's money
    for the round (tidtam.domain.budget.ItemBudget: a line several items draw on is compared
    with their budgets together). Four queries, however many items."""
    items = list(
        WorkItem.objects.filter(plan=plan)
        .filter(Q(budget_baht__isnull=False) | Q(budget_line__isnull=False))
        .select_related("activity__output", "budget_line")
        .prefetch_related("budget_line__months")
        .order_by("activity__output__number", "activity__number", "number")
    )
    sharing: dict[int, list[WorkItem]] = {}
    for item in items:
        if item.budget_line_id is not None:
            sharing.setdefault(item.budget_line_id, []).append(item)
    spending = {
        s.line_id: s for s in BudgetSpending.objects.filter(line_id__in=sharing, round=round_)
    }
    rows: list[ItemBudgetRow] = []
    for item in items:
        if item.budget_baht is None:
            continue
        line = item.budget_line
        if line is None:
            rows.append(ItemBudgetRow(item, ItemBudget(budget=item.budget_baht), None, None))
            continue
        drawn = spending.get(line.pk)
        if drawn is None:
            rows.append(ItemBudgetRow(item, ItemBudget(budget=item.budget_baht), line, None, False))
            continue
        figures, day = line.figures_in_round(drawn, round_)
        on_line = sharing[line.pk]
        together = sum((i.budget_baht for i in on_line if i.budget_baht is not None), Decimal(0))
        budget = ItemBudget(
            budget=item.budget_baht,
            line=figures,
            items_on_line=len(on_line),
            budgets_on_line=together,
        )
        rows.append(ItemBudgetRow(item, budget, line, day))
    return rows
