"""Plans, their tree (outputs → activities → items) and work items, through the person's reach."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import F
from django.http import HttpRequest
from ninja import Query, Router

from tidtam.api.common import filtered, one, row_id
from tidtam.api.errors import responses
from tidtam.api.schemas import (
    MAX_ID,
    ListPaging,
    Paging,
    PlanOut,
    PlanTreeOut,
    WorkItemOut,
    page,
    page_schema,
)
from tidtam.orgs import policy
from tidtam.plans.models import Activity, Output, WorkItem
from tidtam.plans.selectors import plans_readable

router = Router(tags=["แผนและโครงการ / plans and work items"])

PlanPage = page_schema("PlanPage", PlanOut)
WorkItemPage = page_schema("WorkItemPage", WorkItemOut)

Org = Query(None, max_length=64, description="รหัสหน่วยงาน / organisation code")
Fy = Query(None, ge=2400, le=2700, description="ปีงบประมาณ พ.ศ. / fiscal year (B.E.)")
Key = Query(None, max_length=32, description="รหัสอ้างอิงถาวร / stable key")
IdQuery = Query(None, ge=1, le=MAX_ID)


@router.get("/plans", response=responses(PlanPage))
def plans(
    request: HttpRequest,
    paging: Query[ListPaging],
    org: str | None = Org,
    fy: int | None = Fy,
    key: str | None = Key,
) -> Any:
    """แผนปฏิบัติราชการที่อ่านได้ / operating plans the person reads."""
    rows = filtered(
        plans_readable(request.user), organization__code=org, fiscal_year__year=fy, key=key
    )
    return page(rows.order_by("pk"), paging)


@router.get("/plans/{plan_id}", response=responses(PlanOut))
def plan(request: HttpRequest, plan_id: int) -> Any:
    """แผนหนึ่ง / one plan."""
    return one(plans_readable(request.user), "แผน", pk=row_id(plan_id))


# What WorkItemOut shows of the item's plan and activity: read as columns of the item's query.
ITEM_COLUMNS = {
    "plan_key": F("plan__key"),
    "organization": F("plan__organization__code"),
    "fiscal_year": F("plan__fiscal_year__year"),
    "activity_key": F("activity__key"),
}


@router.get("/plans/{plan_id}/tree", response=responses(PlanTreeOut))
def plan_tree(
    request: HttpRequest,
    plan_id: int,
    paging: Query[Paging],
) -> Any:
    """ผังของแผน: ผลผลิต → กิจกรรม → โครงการ/รายการ (รายการแบ่งหน้าตามลำดับในผัง) /
    the plan's tree: every output and activity, the items of this page in tree order."""
    found = one(plans_readable(request.user), "แผน", pk=row_id(plan_id))
    outputs = list(Output.objects.filter(plan=found).order_by("number", "pk"))
    activities = list(
        Activity.objects.filter(output__plan=found).order_by("output__number", "number", "pk")
    )
    items = WorkItem.objects.filter(plan=found).order_by(
        "activity__output__number", "activity__number", "number", "pk"
    )
    window = page(items, paging, ITEM_COLUMNS)
    by_activity: dict[int, list[WorkItem]] = defaultdict(list)
    for item in window["items"]:
        by_activity[item.activity_id].append(item)
    by_output: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for activity in activities:
        by_output[activity.output_id].append(
            {
                "id": activity.pk,
                "key": activity.key,
                "number": activity.number,
                "name": activity.name,
                "items": by_activity.get(activity.pk, []),
            }
        )
    return {
        "plan": found,
        "items_count": window["count"],
        "limit": paging.limit,
        "offset": paging.offset,
        "outputs": [
            {
                "id": output.pk,
                "key": output.key,
                "number": output.number,
                "name": output.name,
                "activities": by_output.get(output.pk, []),
            }
            for output in outputs
        ],
    }


@router.get("/work-items", response=responses(WorkItemPage))
def work_items(
    request: HttpRequest,
    paging: Query[ListPaging],
    org: str | None = Org,
    fy: int | None = Fy,
    plan: int | None = IdQuery,
    key: str | None = Key,
) -> Any:
    """โครงการ/รายการที่อ่านได้ / work items the person reads (their plans', their unit's)."""
    rows = filtered(
        policy.readable(request.user, WorkItem),
        plan__organization__code=org,
        plan__fiscal_year__year=fy,
        plan_id=plan,
        key=key,
    )
    return page(rows.order_by("pk"), paging, ITEM_COLUMNS)


@router.get("/work-items/{item_id}", response=responses(WorkItemOut))
def work_item(request: HttpRequest, item_id: int) -> Any:
    """โครงการ/รายการหนึ่ง / one work item."""
    rows = policy.readable(request.user, WorkItem).annotate(**ITEM_COLUMNS)
    return one(rows, "โครงการหรือรายการ", pk=row_id(item_id))
