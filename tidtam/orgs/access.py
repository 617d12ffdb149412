"""Who may see and change what: roles per organisation, inherited down the organisation tree.

A role held on an organisation reaches that organisation and every one below it: a planner of a
ministry plans for its departments; a reporter of a bureau reports its bureau's items. Pages ask
through these selectors, so an object outside a person's reach is simply not found (404), never
"forbidden", which would tell them it exists.

Reading follows the same-organisation rule (see tidtam/orgs/policy.py, which every page asks):
a role anywhere in an agency (the nearest ministry, department or public organisation at or above
the organisation the role is held on) lets the person read the whole agency, so a reporter of a
division reads the plan, results and documents its division's work sits in. Roles decide only
what a person may change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save

from tidtam.orgs.models import Organization, RoleAssignment
from tidtam.periods import clock

Role = RoleAssignment.Role

# Roles that read everything of the organisations they hold them on.
READERS = (Role.PLANNER, Role.APPROVER, Role.EXECUTIVE, Role.AUDITOR, Role.ADMINISTRATOR)


@dataclass(frozen=True)
class Reach:
    """The organisations (ids, descendants included) a person holds each role on."""

    user_id: int | None
    person_id: int | None
    everything: bool
    by_role: dict[str, frozenset[int]]
    # Organisations whose objects the person reads (the same-organisation rule); unused when
    # `everything`.
    reads: frozenset[int] = frozenset()
    # Lists asked on behalf of the querysets below (plans of the reach, items and KPIs assigned
    # across organisations), kept for the request the reach lives in (on the user object) and
    # asked again after any change to what they are made of (`_changed`).
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def remembered(self, key: tuple[Any, ...], ask: Callable[[], list[int]]) -> list[int]:
        if self.memo.get("generation") != _generation:
            self.memo.clear()
            self.memo["generation"] = _generation
        if key not in self.memo:
            self.memo[key] = ask()
        return self.memo[key]

    def orgs(self, *roles: str) -> frozenset[int]:
        return frozenset().union(*(self.by_role.get(role, frozenset()) for role in roles))

    def has(self, role: str, org_id: int | None) -> bool:
        return self.everything or (org_id is not None and org_id in self.by_role.get(role, ()))

    def sees_org(self, org_id: int) -> bool:
        return self.everything or org_id in self.reads

    @property
    def roles(self) -> set[str]:
        return (
            set(Role.values) if self.everything else {r for r, ids in self.by_role.items() if ids}
        )

    @property
    def read_only(self) -> bool:
        """Auditors and executives read; they change nothing."""
        return not self.everything and not (
            self.roles & {Role.PLANNER, Role.REPORTER, Role.APPROVER}
        )


# Bumped when anything the remembered lists are made of changes in this process, so that a
# request that changes a plan, an item's plan or units, or a KPI's owners reads them anew.
_generation = 0
_LIST_SOURCES = (
    "plans.OperatingPlan",
    "plans.WorkItem",
    "plans.WorkItemResponsibility",
    "agreements.Indicator",
    "agreements.IndicatorOwner",
)


def _changed(**kwargs: Any) -> None:
    global _generation
    _generation += 1


for _source in _LIST_SOURCES:
    post_save.connect(_changed, sender=_source, dispatch_uid=f"tidtam-reach-{_source}")
    post_delete.connect(_changed, sender=_source, dispatch_uid=f"tidtam-reach-del-{_source}")


def descendants_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for org_id, parent_id in Organization.objects.values_list("id", "parent_id"):
        if parent_id is not None:
            children[parent_id].append(org_id)
    return children


# Organisations that make their own plan: a role below one of them is a role in it.
AGENCY_KINDS = frozenset(
    {
        Organization.Kind.MINISTRY,
        Organization.Kind.DEPARTMENT,
        Organization.Kind.PUBLIC_ORGANIZATION,
    }
)


def agency_of(org_id: int, parents: dict[int, tuple[int | None, str]]) -> int:
    """The nearest agency at or above the organisation (the organisation itself at the top)."""
    node: int | None = org_id
    seen: set[int] = set()
    while node is not None and node not in seen:
        seen.add(node)
        parent_id, kind = parents.get(node, (None, ""))
        if kind in AGENCY_KINDS:
            return node
        if parent_id is None:
            return node
        node = parent_id
    return org_id


def with_descendants(org_ids: set[int], children: dict[int, list[int]]) -> frozenset[int]:
    seen: set[int] = set()
    stack = list(org_ids)
    while stack:
        org_id = stack.pop()
        if org_id not in seen:
            seen.add(org_id)
            stack.extend(children.get(org_id, ()))
    return frozenset(seen)


def tree_order(root_id: int) -> list[int]:
    """The organisation and every unit below it in the order documents list them: a unit
    before its own units, the units of one parent by code."""
    children = descendants_map()
    codes = dict(Organization.objects.values_list("pk", "code"))
    order: list[int] = []
    stack = [root_id]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(sorted(children.get(node, ()), key=lambda pk: codes[pk], reverse=True))
    return order


def reach_of(user: Any) -> Reach:
    """The person's reach, computed once per request (two queries) and kept on the user object."""
    cached = getattr(user, "_tidtam_reach", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        reach = Reach(None, None, False, {})
    elif user.is_superuser:
        reach = Reach(user.pk, _person_id(user), True, {})
    else:
        person_id = _person_id(user)
        held: dict[str, set[int]] = defaultdict(set)
        in_force = RoleAssignment.in_force(clock.today())
        # Roles are a person's (the person comes with the user: tidtam.orgs.backends).
        assignments = (
            RoleAssignment.objects.filter(person_id=person_id)
            .filter(in_force)
            .values_list("role", "organization_id")
            if person_id is not None
            else ()
        )
        for role, org_id in assignments:
            held[role].add(org_id)
        children: dict[int, list[int]] = defaultdict(list)
        parents: dict[int, tuple[int | None, str]] = {}
        if held:
            for org_id, parent_id, kind in Organization.objects.values_list(
                "id", "parent_id", "kind"
            ):
                parents[org_id] = (parent_id, kind)
                if parent_id is not None:
                    children[parent_id].append(org_id)
        by_role = {role: with_descendants(ids, children) for role, ids in held.items()}
        agencies = {agency_of(org_id, parents) for ids in held.values() for org_id in ids}
        reads = with_descendants(agencies, children).union(*by_role.values())
        reach = Reach(user.pk, person_id, False, by_role, reads)
    user._tidtam_reach = reach
    return reach


def _person_id(user: Any) -> int | None:
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    return person.pk if person is not None else None


# --- organisations -------------------------------------------------------------------------


def organizations_visible(user: Any) -> QuerySet[Organization]:
    """Organisations whose objects the person reads (the same-organisation rule)."""
    reach = reach_of(user)
    if reach.everything:
        return Organization.objects.all()
    return Organization.objects.filter(id__in=reach.reads)


def organizations_planned(user: Any) -> QuerySet[Organization]:
    reach = reach_of(user)
    if reach.everything:
        return Organization.objects.all()
    return Organization.objects.filter(id__in=reach.orgs(Role.PLANNER))


# --- work items ----------------------------------------------------------------------------


def _plan_ids(reach: Reach, orgs: frozenset[int]) -> list[int]:
    """The plans of the organisations, asked once per request and kept on the reach."""
    from tidtam.plans.models import OperatingPlan

    return reach.remembered(
        ("plans", orgs),
        lambda: sorted(
            OperatingPlan.objects.filter(organization_id__in=orgs)
            .order_by()
            .values_list("id", flat=True)
        ),
    )


def _items_of(reach: Reach, orgs: frozenset[int], *, own: bool) -> QuerySet[Any]:
    """Items of the plans of `orgs`, items a unit of `orgs` is responsible for, and (own) items
    assigned to the person.

    Written so that PostgreSQL answers it from two indexes (a bitmap OR on the item's own table):
    the plans and the few items assigned across organisations are read first, as short lists.
    An OR across a join, or over a subquery, made PostgreSQL read every item of the country for
    one reporter (100,000 rows for each of the 7 queries of "my work").
    """
    from tidtam.plans.models import WorkItem

    plan_ids, assigned = _item_lists(reach, orgs, own=own)
    return WorkItem.objects.filter(Q(plan_id__in=plan_ids) | Q(id__in=assigned))


def _item_lists(reach: Reach, orgs: frozenset[int], *, own: bool) -> tuple[list[int], list[int]]:
    """What `_items_of` is made of: the plans of `orgs`, and the items outside them assigned to
    a unit of `orgs` (or, own, to the person)."""
    from tidtam.plans.models import WorkItemResponsibility

    plan_ids = _plan_ids(reach, orgs)
    responsible = Q(organization_id__in=orgs)
    if own and reach.person_id is not None:
        responsible |= Q(person_id=reach.person_id)
    # Only the items outside those plans: the rest are already in by their plan.
    assigned = reach.remembered(
        ("assigned", orgs, own),
        lambda: sorted(
            set(
                WorkItemResponsibility.objects.filter(responsible)
                .exclude(work_item__plan_id__in=plan_ids)
                .order_by()
                .values_list("work_item_id", flat=True)
            )
        ),
    )
    return plan_ids, assigned


def _item_within(reach: Reach, item: Any, orgs: frozenset[int], *, own: bool) -> bool:
    """Whether `_items_of(reach, orgs, own=own)` holds the item, from the same lists, without
    asking the database again."""
    plan_ids, assigned = _item_lists(reach, orgs, own=own)
    return item.plan_id in plan_ids or item.pk in assigned


def _work_items(user: Any, roles: tuple[str, ...], *, own: bool) -> QuerySet[Any]:
    from tidtam.plans.models import WorkItem

    reach = reach_of(user)
    if reach.everything:
        return WorkItem.objects.all()
    return _items_of(reach, reach.orgs(*roles), own=own)


def work_items_readable(user: Any) -> QuerySet[Any]:
    """Items of the plans of organisations the person reads, items a unit they read is
    responsible for, and items assigned to them."""
    from tidtam.plans.models import WorkItem

    reach = reach_of(user)
    if reach.everything:
        return WorkItem.objects.all()
    return _items_of(reach, reach.reads, own=True)


def work_items_reportable(user: Any) -> QuerySet[Any]:
    """Items the person enters results for: assigned to them or their unit (planners key in for all)."""
    return _work_items(user, (Role.REPORTER, Role.PLANNER), own=True)


def work_items_approvable(user: Any) -> QuerySet[Any]:
    return _work_items(user, (Role.APPROVER,), own=False)


def work_items_assigned(user: Any) -> QuerySet[Any]:
    """Items in the person's own queue ("my work"): assigned to them or to a unit they report
    for. A planner may key in results for every item they plan, but that is reach, not a queue."""
    return _work_items(user, (Role.REPORTER,), own=True)


# --- KPIs (indicators) ---------------------------------------------------------------------


def _indicators_of(reach: Reach, orgs: frozenset[int], *, own: bool) -> QuerySet[Any]:
    """KPIs of `orgs` and (own) the KPIs the person owns: an OR on the KPI's own table, the
    owned ones read first as a short list (see `_items_of`)."""
    from tidtam.agreements.models import Indicator

    return Indicator.objects.filter(
        Q(organization_id__in=orgs) | Q(id__in=_owned(reach, orgs, own=own))
    )


def _owned(reach: Reach, orgs: frozenset[int], *, own: bool) -> list[int]:
    """The KPIs outside `orgs` that are the person's all the same, for `_indicators_of`: the
    KPIs of strategic-plan projects whose responsible units are in `orgs` (a project is
    reported once, through its KPI, by its units), and (own) the KPIs they own."""
    from tidtam.agreements.models import Indicator, IndicatorOwner

    def load() -> list[int]:
        ids = set(
            Indicator.objects.filter(responsibilities__organization_id__in=orgs)
            .exclude(organization_id__in=orgs)
            .order_by()
            .values_list("id", flat=True)
        )
        if own and reach.person_id is not None:
            ids |= set(
                IndicatorOwner.objects.filter(person_id=reach.person_id)
                .exclude(indicator__organization_id__in=orgs)
                .order_by()
                .values_list("indicator_id", flat=True)
            )
        return sorted(ids)

    return reach.remembered(("owned", orgs, own), load)


def _indicator_within(reach: Reach, indicator: Any, orgs: frozenset[int], *, own: bool) -> bool:
    return indicator.organization_id in orgs or indicator.pk in _owned(reach, orgs, own=own)


def may_report_object(user: Any, obj: Any) -> bool | None:
    """Whether the person enters results for the work item or KPI (as `work_items_reportable`
    and `indicators_reportable` hold it), from the request's lists; None for other kinds."""
    return _within(user, obj, (Role.REPORTER, Role.PLANNER), own=True)


def may_approve_object(user: Any, obj: Any) -> bool | None:
    """As `may_report_object`, for approving (`work_items_approvable`, `indicators_approvable`)."""
    return _within(user, obj, (Role.APPROVER,), own=False)


def _within(user: Any, obj: Any, roles: tuple[str, ...], *, own: bool) -> bool | None:
    from tidtam.agreements.models import Indicator
    from tidtam.plans.models import WorkItem

    reach = reach_of(user)
    if isinstance(obj, WorkItem):
        return reach.everything or _item_within(reach, obj, reach.orgs(*roles), own=own)
    if isinstance(obj, Indicator):
        return reach.everything or _indicator_within(reach, obj, reach.orgs(*roles), own=own)
    return None


def _indicators(user: Any, roles: tuple[str, ...], *, own: bool) -> QuerySet[Any]:
    from tidtam.agreements.models import Indicator

    reach = reach_of(user)
    if reach.everything:
        return Indicator.objects.all()
    return _indicators_of(reach, reach.orgs(*roles), own=own)


def indicators_readable(user: Any) -> QuerySet[Any]:
    """KPIs of the organisations the person reads, and KPIs they own."""
    from tidtam.agreements.models import Indicator

    reach = reach_of(user)
    if reach.everything:
        return Indicator.objects.all()
    return _indicators_of(reach, reach.reads, own=True)


def indicators_reportable(user: Any) -> QuerySet[Any]:
    return _indicators(user, (Role.REPORTER, Role.PLANNER), own=True)


def indicators_approvable(user: Any) -> QuerySet[Any]:
    return _indicators(user, (Role.APPROVER,), own=False)


def indicators_assigned(user: Any) -> QuerySet[Any]:
    """KPIs in the person's own queue: they own it, or they report for its organisation."""
    return _indicators(user, (Role.REPORTER,), own=True)
