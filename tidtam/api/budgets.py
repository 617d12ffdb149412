"""Budget lines and their monthly figures: read, and the month grid saved through the budget's
service (its rules, the closed months, the version of the months as read)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from tidtam.api.auth import require_write
from tidtam.api.common import filtered, one, row_id
from tidtam.api.errors import WRITES, responses
from tidtam.api.schemas import (
    BudgetLineOut,
    BudgetMonthsIn,
    BudgetMonthsOut,
    ListPaging,
    page,
    page_schema,
)
from tidtam.budgets.models import BudgetLine, BudgetMonth
from tidtam.budgets.services import MonthRow, budget_months_save, months_version
from tidtam.orgs import policy
from tidtam.ui.permissions import require

router = Router(tags=["งบประมาณ / budget lines and months"])

BudgetLinePage = page_schema("BudgetLinePage", BudgetLineOut)


def _lines(request: HttpRequest) -> Any:
    return policy.readable(request.user, BudgetLine).select_related("organization", "fiscal_year")


@router.get("/budget-lines", response=responses(BudgetLinePage))
def budget_lines(
    request: HttpRequest,
    paging: Query[ListPaging],
    org: str | None = Query(None, max_length=64, description="รหัสหน่วยงาน / organisation"),
    fy: int | None = Query(None, ge=2400, le=2700, description="ปีงบประมาณ พ.ศ. / fiscal year"),
    key: str | None = Query(None, max_length=32, description="รหัสอ้างอิง / stable key"),
) -> Any:
    """รายการงบประมาณที่อ่านได้ / budget lines the person reads."""
    rows = filtered(_lines(request), organization__code=org, fiscal_year__year=fy, key=key)
    return page(rows.order_by("pk"), paging)


@router.get("/budget-lines/{line_id}", response=responses(BudgetLineOut))
def budget_line(request: HttpRequest, line_id: int) -> Any:
    """รายการงบประมาณหนึ่ง / one budget line."""
    return one(_lines(request), "รายการงบประมาณ", pk=row_id(line_id))


def _months(line: BudgetLine) -> dict[str, Any]:
    stored = {m.month: m for m in BudgetMonth.objects.filter(line=line)}
    months = []
    for month in range(1, 13):
        row = stored.get(month)
        months.append(
            {
                "month": month,
                "planned_baht": row.planned_baht if row else 0,
                "disbursed_baht": row.disbursed_baht if row else None,
                "committed_baht": row.committed_baht if row else None,
            }
        )
    return {"line": line, "version": months_version(line), "months": months}


@router.get("/budget-lines/{line_id}/months", response=responses(BudgetMonthsOut))
def budget_months(request: HttpRequest, line_id: int) -> Any:
    """แผนและผลการเบิกจ่ายรายเดือน / the line's twelve months (plan, disbursed, committed)."""
    return _months(one(_lines(request), "รายการงบประมาณ", pk=row_id(line_id)))


@router.put("/budget-lines/{line_id}/months", response=responses(BudgetMonthsOut, errors=WRITES))
def save_budget_months(request: HttpRequest, line_id: int, data: BudgetMonthsIn) -> Any:
    """บันทึกแผนและผลรายเดือน / save the twelve months at once (the month page's save): planners
    of the line's organisation; a change made since `version` was read is refused (409)."""
    require_write(request)
    line = one(_lines(request), "รายการงบประมาณ", pk=row_id(line_id))
    require(request.user, policy.may_plan(request.user, line.organization_id))
    budget_months_save(
        line=line,
        rows=[
            MonthRow(m.month, m.planned_baht, m.disbursed_baht, m.committed_baht)
            for m in data.months
        ],
        expected_version=data.version,
    )
    return _months(line)
