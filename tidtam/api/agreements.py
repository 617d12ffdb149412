"""KPIs and their results (read, save, review), agreements and their scorecards (the
scorecard's own typed content, `tidtam.reports.content.ScorecardReport`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from ninja import Query, Router

from tidtam.agreements.models import Agreement, Indicator, IndicatorResult
from tidtam.agreements.services import indicator_result_save
from tidtam.api.auth import require_write
from tidtam.api.common import filtered, one, row_id
from tidtam.api.errors import WRITES, responses
from tidtam.api.schemas import (
    AgreementDetailOut,
    AgreementOut,
    EntryReviewedOut,
    IndicatorOut,
    ListPaging,
    ResultIn,
    ResultOut,
    ReviewIn,
    page,
    page_schema,
)
from tidtam.orgs import policy
from tidtam.periods.models import Round
from tidtam.progress import review
from tidtam.reports.content import ScorecardReport
from tidtam.reports.scorecard import scorecard_report
from tidtam.ui.permissions import require

router = Router(tags=["ตัวชี้วัดและคำรับรอง / KPIs, results, agreements"])

IndicatorPage = page_schema("IndicatorPage", IndicatorOut)
ResultPage = page_schema("ResultPage", ResultOut)
AgreementPage = page_schema("AgreementPage", AgreementOut)

Org = Query(None, max_length=64, description="รหัสหน่วยงาน / organisation code")
Fy = Query(None, ge=2400, le=2700, description="ปีงบประมาณ พ.ศ. / fiscal year (B.E.)")


def _indicators(request: HttpRequest) -> Any:
    return policy.readable(request.user, Indicator).select_related("organization", "fiscal_year")


# What ResultOut shows of the result's KPI, round and unit: columns of the result's query.
RESULT_COLUMNS = {
    "indicator_key": F("indicator__key"),
    "fiscal_year": F("round__fiscal_year__year"),
    "round_months": F("round__months"),
    "unit_code": F("unit__code"),
}


def _results(request: HttpRequest, *, columns: bool = True) -> Any:
    rows = policy.readable(request.user, IndicatorResult)
    return rows.annotate(**RESULT_COLUMNS) if columns else rows


@router.get("/indicators", response=responses(IndicatorPage))
def indicators(
    request: HttpRequest,
    paging: Query[ListPaging],
    org: str | None = Org,
    fy: int | None = Fy,
    key: str | None = Query(None, max_length=32, description="รหัสอ้างอิง / stable key"),
) -> Any:
    """ตัวชี้วัดที่อ่านได้ / KPIs the person reads."""
    rows = filtered(_indicators(request), organization__code=org, fiscal_year__year=fy, key=key)
    return page(rows.order_by("pk"), paging)


@router.get("/indicators/{indicator_id}", response=responses(IndicatorOut))
def indicator(request: HttpRequest, indicator_id: int) -> Any:
    """ตัวชี้วัดหนึ่ง / one KPI."""
    return one(_indicators(request), "ตัวชี้วัด", pk=row_id(indicator_id))


@router.get("/results", response=responses(ResultPage))
def results(
    request: HttpRequest,
    paging: Query[ListPaging],
    org: str | None = Org,
    fy: int | None = Fy,
    round: int | None = Query(None, ge=3, le=12, description="รอบ (เดือน) / round in months"),
    indicator: int | None = Query(None, ge=1, le=2**31 - 1),
) -> Any:
    """ผลตัวชี้วัดรายรอบที่อ่านได้ / KPI results the person reads."""
    rows = filtered(
        _results(request, columns=False),
        indicator__organization__code=org,
        round__fiscal_year__year=fy,
        round__months=round,
        indicator_id=indicator,
    )
    return page(rows.order_by("pk"), paging, RESULT_COLUMNS)


def _subject(request: HttpRequest, indicator_id: int, round_id: int) -> tuple[Indicator, Round]:
    round_ = one(Round.objects.select_related("fiscal_year"), "รอบรายงาน", pk=row_id(round_id))
    rows = _indicators(request).filter(fiscal_year=round_.fiscal_year)
    return one(rows, "ตัวชี้วัด", pk=row_id(indicator_id)), round_


@router.get("/indicators/{indicator_id}/rounds/{round_id}/result", response=responses(ResultOut))
def indicator_result(request: HttpRequest, indicator_id: int, round_id: int) -> Any:
    """ผลของตัวชี้วัดในรอบ (ทั้งหน่วยงาน) / a KPI's result for a round (404 before its first save)."""
    found, round_ = _subject(request, indicator_id, round_id)
    return one(
        _results(request), "ผลตัวชี้วัดของรอบนี้", indicator=found, round=round_, unit__isnull=True
    )


@router.put(
    "/indicators/{indicator_id}/rounds/{round_id}/result",
    response=responses(ResultOut, errors=WRITES),
)
def save_result(request: HttpRequest, indicator_id: int, round_id: int, data: ResultIn) -> Any:
    """บันทึกผลตัวชี้วัด / save a KPI's result: the result page's save and rules (version,
    closed round, the fields its kind reads)."""
    require_write(request)
    found, round_ = _subject(request, indicator_id, round_id)
    require(request.user, policy.may_report(request.user, found))
    saved = indicator_result_save(
        indicator=found,
        round_=round_,
        value=data.value,
        numerator=data.numerator,
        denominator=data.denominator,
        level_reached=data.level_reached,
        met=data.met,
        narrative=data.narrative,
        expected_version=data.version,
    )
    # As stored (the columns' places), the same as a read of it gives.
    return one(_results(request), "ผลตัวชี้วัด", pk=saved.pk)


@router.post("/results/{result_id}/review", response=responses(EntryReviewedOut, errors=WRITES))
def review_result(request: HttpRequest, result_id: int, data: ReviewIn) -> Any:
    """ขั้นตอนการตรวจผลตัวชี้วัด / a review step of a KPI's result, as on the pages."""
    require_write(request)
    found = one(_results(request), "ผลตัวชี้วัด", pk=row_id(result_id))
    allowed = (
        policy.may_report(request.user, found.indicator)
        if data.action == "submit"
        else policy.may_approve(request.user, found.indicator)
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


def _agreements(request: HttpRequest) -> Any:
    return policy.readable(request.user, Agreement).select_related("organization", "fiscal_year")


@router.get("/agreements", response=responses(AgreementPage))
def agreements(
    request: HttpRequest,
    paging: Query[ListPaging],
    org: str | None = Org,
    fy: int | None = Fy,
) -> Any:
    """คำรับรองที่อ่านได้ / agreements the person reads."""
    rows = filtered(_agreements(request), organization__code=org, fiscal_year__year=fy)
    return page(rows.order_by("pk"), paging)


@router.get("/agreements/{agreement_id}", response=responses(AgreementDetailOut))
def agreement(request: HttpRequest, agreement_id: int) -> Any:
    """คำรับรองพร้อมองค์ประกอบ ตัวชี้วัดและน้ำหนัก / an agreement with its groups, KPIs, weights."""
    rows = _agreements(request).prefetch_related("groups__kpis__indicator")
    return one(rows, "คำรับรอง", pk=row_id(agreement_id))


@router.get("/agreements/{agreement_id}/scorecard", response=responses(ScorecardReport))
def scorecard(
    request: HttpRequest,
    agreement_id: int,
    round: int = Query(12, ge=3, le=12, description="รอบ 3, 6, 9, 12 เดือน / round (months)"),
) -> Any:
    """ผลการประเมินตามคำรับรองรายรอบ: เนื้อหาเอกสาร (JSON ของเอกสาร) / the scorecard of a round,
    the document's own typed content (as `tidtam report scorecard` gives it)."""
    found = one(_agreements(request), "คำรับรอง", pk=row_id(agreement_id))
    return scorecard_report(found.organization.code, found.fiscal_year.year, round)
