"""Progress entries: read, save, and the review (submit, approve, return, reopen), through the
same services and policy as the entry page: 404 outside the reach, 403 without the role, 409 on
a stale version, a closed round or a step the entry is not ready for."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from ninja import Query, Router

from tidtam.api.auth import require_write
from tidtam.api.common import filtered, one, row_id
from tidtam.api.errors import WRITES, responses
from tidtam.api.schemas import (
    EntryIn,
    EntryOut,
    EntryReviewedOut,
    ListPaging,
    ReviewIn,
    page,
    page_schema,
)
from tidtam.orgs import policy
from tidtam.periods.models import Round
from tidtam.plans.models import WorkItem
from tidtam.progress import review
from tidtam.progress.models import PercentMethod, ProgressEntry
from tidtam.progress.services import progress_entry_save
from tidtam.ui.permissions import require

router = Router(tags=["ผลการดำเนินงานรายรอบ / progress entries"])

EntryPage = page_schema("EntryPage", EntryOut)

STATUSES = "^(draft|submitted|returned|approved)$"


# What EntryOut shows of the entry's item and round: read as columns of the entry's query.
ENTRY_COLUMNS = {
    "work_item_key": F("work_item__key"),
    "fiscal_year": F("round__fiscal_year__year"),
    "round_months": F("round__months"),
}


def _entries(request: HttpRequest, *, columns: bool = True) -> Any:
    rows = policy.readable(request.user, ProgressEntry)
    return rows.annotate(**ENTRY_COLUMNS) if columns else rows


@router.get("/entries", response=responses(EntryPage))
def entries(
    request: HttpRequest,
    paging: Query[ListPaging],
    org: str | None = Query(None, max_length=64, description="รหัสหน่วยงาน / organisation"),
    fy: int | None = Query(None, ge=2400, le=2700, description="ปีงบประมาณ พ.ศ. / fiscal year"),
    round: int | None = Query(None, ge=3, le=12, description="รอบ (เดือน) / round in months"),
    status: str | None = Query(None, pattern=STATUSES, description="สถานะ / status"),
    work_item: int | None = Query(None, ge=1, le=2**31 - 1),
) -> Any:
    """ผลรายรอบที่อ่านได้ / entries the person reads."""
    rows = filtered(
        _entries(request, columns=False),
        work_item__plan__organization__code=org,
        round__fiscal_year__year=fy,
        round__months=round,
        status=status,
        work_item_id=work_item,
    )
    return page(rows.order_by("pk"), paging, ENTRY_COLUMNS)


@router.get("/entries/{entry_id}", response=responses(EntryOut))
def entry(request: HttpRequest, entry_id: int) -> Any:
    """ผลรายรอบหนึ่ง / one entry."""
    return one(_entries(request), "ผลการดำเนินงาน", pk=row_id(entry_id))


def _subject(request: HttpRequest, item_id: int, round_id: int) -> tuple[WorkItem, Round]:
    """The item and round a path names, as the entry page finds them (404 outside the reach,
    or a round of another year than the item's plan)."""
    round_ = one(Round.objects.select_related("fiscal_year"), "รอบรายงาน", pk=row_id(round_id))
    items = (
        policy.readable(request.user, WorkItem)
        .filter(plan__fiscal_year=round_.fiscal_year)
        .select_related("plan__organization", "plan__fiscal_year", "activity", "budget_line")
    )
    return one(items, "โครงการหรือรายการ", pk=row_id(item_id)), round_


@router.get("/work-items/{item_id}/rounds/{round_id}/entry", response=responses(EntryOut))
def item_entry(request: HttpRequest, item_id: int, round_id: int) -> Any:
    """ผลของโครงการในรอบ / a work item's entry for a round (404 before its first save)."""
    item, round_ = _subject(request, item_id, round_id)
    return one(_entries(request), "ผลการดำเนินงานของรอบนี้", work_item=item, round=round_)


def _method(item: WorkItem, entered: bool) -> str:
    """As the entry page decides it: typed, the budget line's, or computed."""
    if entered:
        return PercentMethod.ENTERED
    if item.budget_line_id and item.kind == WorkItem.Kind.BUDGET_ITEM:
        return PercentMethod.BUDGET_LINE
    return PercentMethod.COMPUTED


@router.put(
    "/work-items/{item_id}/rounds/{round_id}/entry", response=responses(EntryOut, errors=WRITES)
)
def save_entry(request: HttpRequest, item_id: int, round_id: int, data: EntryIn) -> Any:
    """บันทึกผล (ร่าง) / save the entry as a draft: the entry page's save, with its rules, the
    closed-round check and the version check (409 over another person's newer change)."""
    require_write(request)
    item, round_ = _subject(request, item_id, round_id)
    require(request.user, policy.may_report(request.user, item))
    saved = progress_entry_save(
        work_item=item,
        round_=round_,
        result_text=data.result_text,
        result_text_annual=data.result_text_annual,
        result_quantity=data.result_quantity,
        percent_method=_method(item, data.entered),
        percent_round=data.percent_round if data.entered else None,
        percent_annual=data.percent_annual if data.entered else None,
        percent_note=data.percent_note if data.entered else "",
        explanation=data.explanation,
        expected_version=data.version,
        user=request.user,
    )
    # As stored (the columns' places), the same as a read of it gives.
    return one(_entries(request), "ผลการดำเนินงาน", pk=saved.pk)


@router.post("/entries/{entry_id}/review", response=responses(EntryReviewedOut, errors=WRITES))
def review_entry(request: HttpRequest, entry_id: int, data: ReviewIn) -> Any:
    """ขั้นตอนการตรวจ / a review step (submit, approve, return, reopen) with the same workflow,
    segregation of duties and closed-round check as the pages."""
    require_write(request)
    found = one(
        _entries(request).select_related("work_item__plan"), "ผลการดำเนินงาน", pk=row_id(entry_id)
    )
    allowed = (
        policy.may_report(request.user, found.work_item)
        if data.action == "submit"
        else policy.may_approve(request.user, found.work_item)
    )
    require(request.user, allowed)
    with transaction.atomic():
        step = review.entry_review(
            entry=found,
            action=data.action,
            user=request.user,
            comment=data.comment,
            expected_version=data.version,
        )
    return {"step": step, "status": found.status, "version": found.version}
