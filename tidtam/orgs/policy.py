"""One access policy: who may read, report, approve, plan, audit or administer each object.

Every page, selector, history page, search, document request and download asks here (and the
API will), so that the same person gets the same answer for the same object everywhere. The
rules are built on the person's reach (`access.reach_of`: roles per organisation, inherited down
the tree, computed once per request).

The rules, decided once:

- Read (the same-organisation rule): a role anywhere in an agency (the nearest ministry,
  department or public organisation at or above where the role is held) lets the person read the
  whole agency: its plans and their outputs, activities, items and milestones, budget lines,
  agreements and KPIs, entries and KPI results, evidence, their history, and its documents.
  A reporter of a division therefore reads the plan their division's work sits in, and can make
  the quarterly report of it; there is nothing in that report they could not open. A role on a
  ministry reads the departments below it; nobody reads a sibling agency. Items assigned to a unit
  or person elsewhere, and KPIs a person owns, are read by them too.
- Report: reporters (and planners, who key in for everyone) of the item's plan organisation or of
  a unit responsible for it, and the person named on the item; KPIs the same through their owners.
- Approve: approvers of the item's plan organisation or of a responsible unit.
- Plan: planners of the object's organisation (or above it).
- Audit / administer: auditors / administrators of the organisation (or above it).
- A superuser may do everything.

Outside what a person reads, an object is not found (404, the same as an object that does not
exist); an object they read but may not change is refused with a Thai 403
(`tidtam.ui.permissions.require`). Plain functions rather than django-rules: every rule needs a
matching queryset (lists, search, history, documents page through the database), which rules'
per-object predicates cannot give, and the reach is already computed once per request.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from tidtam.agreements.models import Agreement, AgreementKPI, Indicator, IndicatorResult, KPIGroup
from tidtam.budgets.models import BudgetLine
from tidtam.orgs import access
from tidtam.orgs.access import reach_of
from tidtam.orgs.models import Organization, RoleAssignment
from tidtam.plans.models import Activity, OperatingPlan, Output, PlannedMilestone, WorkItem
from tidtam.progress.models import Evidence, ProgressEntry
from tidtam.reports.models import RenderJob

Role = RoleAssignment.Role
M = TypeVar("M", bound=Model)

# The organisation each kind of object belongs to, as a lookup from the object's table.
OWNER: dict[type[Model], str] = {
    Organization: "id",
    OperatingPlan: "organization_id",
    Output: "plan__organization_id",
    Activity: "output__plan__organization_id",
    WorkItem: "plan__organization_id",
    PlannedMilestone: "work_item__plan__organization_id",
    BudgetLine: "organization_id",
    Agreement: "organization_id",
    KPIGroup: "agreement__organization_id",
    AgreementKPI: "group__agreement__organization_id",
    Indicator: "organization_id",
    ProgressEntry: "work_item__plan__organization_id",
    IndicatorResult: "indicator__organization_id",
    RenderJob: "organization_id",
}

# The history page's kinds and the model each names.
HISTORY_MODELS: dict[str, type[Model]] = {
    "entry": ProgressEntry,
    "result": IndicatorResult,
    "work_item": WorkItem,
    "indicator": Indicator,
    "output": Output,
    "activity": Activity,
    "plan": OperatingPlan,
}


def _owned_by(model: type[M], org_ids: frozenset[int]) -> QuerySet[M]:
    lookup = OWNER[model]
    field = "id" if lookup == "id" else lookup.removesuffix("_id")
    return model._default_manager.filter(**{f"{field}__in": org_ids})


def _evidence_of(entries: QuerySet[Any], results: QuerySet[Any]) -> QuerySet[Evidence]:
    types = ContentType.objects.get_for_models(ProgressEntry, IndicatorResult)
    return Evidence.objects.filter(
        Q(content_type=types[ProgressEntry], object_id__in=entries.values("id"))
        | Q(content_type=types[IndicatorResult], object_id__in=results.values("id"))
    )


# --- querysets ---------------------------------------------------------------------------------


def readable(user: Any, model: type[M]) -> QuerySet[M]:
    """Every object of the kind the person may read (the same-organisation rule)."""
    reach = reach_of(user)
    if model is WorkItem:
        return access.work_items_readable(user)
    if model is Indicator:
        return access.indicators_readable(user)
    if reach.everything and model is not Evidence:
        # Not `work_item IN (every item)`: at national scale that subquery cost more than the
        # page it filtered (400,000 entries joined to 100,000 items for a page of 50).
        return model._default_manager.all()
    if model is PlannedMilestone or model is ProgressEntry:
        items = access.work_items_readable(user)
        return model._default_manager.filter(work_item__in=items.values("id"))
    if model is IndicatorResult:
        indicators = access.indicators_readable(user)
        return model._default_manager.filter(indicator__in=indicators.values("id"))
    if model is Evidence:
        evidence = _evidence_of(readable(user, ProgressEntry), readable(user, IndicatorResult))
        return evidence  # type: ignore[return-value]
    if reach.everything:
        return model._default_manager.all()
    return _owned_by(model, reach.reads)


def reportable(user: Any, model: type[M]) -> QuerySet[M]:
    """Items, KPIs, entries, results and evidence the person enters results for."""
    if model is WorkItem:
        return access.work_items_reportable(user)
    if model is Indicator:
        return access.indicators_reportable(user)
    if model is ProgressEntry:
        items = access.work_items_reportable(user)
        return model._default_manager.filter(work_item__in=items.values("id"))
    if model is IndicatorResult:
        indicators = access.indicators_reportable(user)
        return model._default_manager.filter(indicator__in=indicators.values("id"))
    if model is Evidence:
        evidence = _evidence_of(reportable(user, ProgressEntry), reportable(user, IndicatorResult))
        return evidence  # type: ignore[return-value]
    raise TypeError(f"nothing is reported on {model.__name__}")


def approvable(user: Any, model: type[M]) -> QuerySet[M]:
    """Items, KPIs, entries and results the person approves."""
    if model is WorkItem:
        return access.work_items_approvable(user)
    if model is Indicator:
        return access.indicators_approvable(user)
    if model is ProgressEntry:
        items = access.work_items_approvable(user)
        return model._default_manager.filter(work_item__in=items.values("id"))
    if model is IndicatorResult:
        indicators = access.indicators_approvable(user)
        return model._default_manager.filter(indicator__in=indicators.values("id"))
    raise TypeError(f"nothing is approved on {model.__name__}")


def _by_role(user: Any, model: type[M], role: str) -> QuerySet[M]:
    reach = reach_of(user)
    if reach.everything:
        return model._default_manager.all()
    return _owned_by(model, reach.orgs(role))


def plannable(user: Any, model: type[M]) -> QuerySet[M]:
    """Objects the person may change as a planner (organisations: those they plan for)."""
    return _by_role(user, model, Role.PLANNER)


def auditable(user: Any, model: type[M]) -> QuerySet[M]:
    return _by_role(user, model, Role.AUDITOR)


def administrable(user: Any, model: type[M]) -> QuerySet[M]:
    return _by_role(user, model, Role.ADMINISTRATOR)


# --- predicates on one object ------------------------------------------------------------------


def organization_of(obj: Any) -> int | None:
    """The id of the organisation an object belongs to (an organisation: itself)."""
    if isinstance(obj, Organization):
        return obj.pk
    if isinstance(obj, int):
        return obj
    if isinstance(obj, OperatingPlan | BudgetLine | Agreement | Indicator | RenderJob):
        return obj.organization_id
    if isinstance(obj, Output):
        return obj.plan.organization_id
    if isinstance(obj, Activity):
        return obj.output.plan.organization_id
    if isinstance(obj, WorkItem):
        return obj.plan.organization_id
    if isinstance(obj, PlannedMilestone | ProgressEntry):
        return obj.work_item.plan.organization_id
    if isinstance(obj, KPIGroup):
        return obj.agreement.organization_id
    if isinstance(obj, AgreementKPI):
        return obj.group.agreement.organization_id
    if isinstance(obj, IndicatorResult):
        return obj.indicator.organization_id
    if isinstance(obj, Evidence):
        return organization_of(obj.entry)
    raise TypeError(f"no organisation for {type(obj).__name__}")


def _in(queryset: QuerySet[Any], obj: Any) -> bool:
    return queryset.filter(pk=obj.pk).exists()


def may_read(user: Any, obj: Any) -> bool:
    """Whether the person may open the object (an organisation: read everything of it)."""
    reach = reach_of(user)
    if reach.everything:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    org_id = organization_of(obj)
    if org_id is not None and org_id in reach.reads:
        return True
    # Items and KPIs are also read through a responsible unit or an owner elsewhere.
    if isinstance(obj, Organization | int):
        return False
    return _in(readable(user, type(obj)), obj)


def may_plan(user: Any, obj: Any) -> bool:
    """Whether the person plans for the object's organisation (and so may change it)."""
    return reach_of(user).has(Role.PLANNER, organization_of(obj))


def may_plan_somewhere(user: Any) -> bool:
    """Whether the person plans for any organisation (may add plans, copy years)."""
    reach = reach_of(user)
    return reach.everything or bool(reach.orgs(Role.PLANNER))


def may_report(user: Any, obj: Any) -> bool:
    """Whether the person enters results for the item, KPI, entry, result or evidence."""
    if reach_of(user).everything:
        return True
    if isinstance(obj, Evidence):
        obj = obj.entry
    if obj is None:
        return False
    found = access.may_report_object(user, _subject(obj))
    return found if found is not None else _in(reportable(user, type(obj)), obj)


def may_approve(user: Any, obj: Any) -> bool:
    """Whether the person approves results of the item, KPI, entry or result."""
    if reach_of(user).everything:
        return True
    found = access.may_approve_object(user, _subject(obj))
    return found if found is not None else _in(approvable(user, type(obj)), obj)


def _subject(obj: Any) -> Any:
    """The item or KPI an entry or KPI result is of (the object itself otherwise)."""
    if isinstance(obj, ProgressEntry):
        return obj.work_item
    if isinstance(obj, IndicatorResult):
        return obj.indicator
    return obj


def may_audit(user: Any, obj: Any) -> bool:
    """Whether the person audits the object's organisation (reads its audit records)."""
    return reach_of(user).has(Role.AUDITOR, organization_of(obj))


def may_administer(user: Any, obj: Any) -> bool:
    """Whether the person administers the object's organisation (people and roles)."""
    return reach_of(user).has(Role.ADMINISTRATOR, organization_of(obj))


def may_read_evidence(user: Any, evidence: Evidence) -> bool:
    """Evidence is read by whoever may read the entry or KPI result it is attached to."""
    entry = evidence.entry
    return entry is not None and may_read(user, entry)


# --- documents and rendered files --------------------------------------------------------------


def document_organizations(user: Any) -> QuerySet[Organization]:
    """Organisations whose documents the person may make: those whose objects they read.

    A document shows the objects of one organisation (its plan, results, agreement), all of which
    the same-organisation rule lets the person read, so there is nothing to cut out of it.
    """
    return readable(user, Organization)


def may_read_document(user: Any, organization: Organization | int) -> bool:
    return may_read(user, organization)


def may_read_job(user: Any, job: RenderJob) -> bool:
    """A job's page and file go to those who may read its document, whoever asked for it."""
    return may_read_document(user, job.organization_id)


def history_readable(user: Any, kind: str) -> QuerySet[Any] | None:
    """The objects of a history kind the person may read (None: no such kind)."""
    model = HISTORY_MODELS.get(kind)
    return None if model is None else readable(user, model)
