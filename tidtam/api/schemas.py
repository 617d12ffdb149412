"""What the API answers and accepts: typed schemas beside the resources (Thai labels from the
one catalogue, stable keys beside ids, Decimals as strings so no figure is rounded by a float)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Schema
from pydantic import AfterValidator, Field, create_model

from tidtam.limits import NAME_MAX, TEXT_MAX

# Paths name rows by their integer id; beyond the database's integers is simply not found.
MAX_ID = 2**31 - 1
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
# Deeper than this, a list is walked by `after` (keyset): an offset costs what it skips.
MAX_OFFSET = 10_000


def _no_nul(text: str) -> str:
    # PostgreSQL refuses NUL in text; the pages refuse it in Thai (BadInputMiddleware) too.
    if "\x00" in text:
        raise ValueError("มีอักขระ NUL")
    return text


Text = Annotated[str, Field(max_length=TEXT_MAX), AfterValidator(_no_nul)]
Name = Annotated[str, Field(max_length=NAME_MAX), AfterValidator(_no_nul)]
# Amounts the API accepts: at most 18 digits, 4 after the point (the widest column).
Amount = Annotated[Decimal, Field(max_digits=18, decimal_places=4, allow_inf_nan=False)]
Baht = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2, allow_inf_nan=False)]


class Paging(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="กี่แถวต่อหน้า / rows per page")
    offset: int = Field(
        0,
        ge=0,
        le=MAX_OFFSET,
        description="ข้ามกี่แถว (ไม่เกิน 10,000; ลึกกว่านั้นใช้ after) / rows to skip (at most 10,000)",
    )


class ListPaging(Paging):
    after: int | None = Field(
        None,
        ge=0,
        le=MAX_ID,
        description=(
            "แถวถัดจาก id นี้ (id ของแถวสุดท้ายของหน้าก่อน) สำหรับไล่ทั้งรายการ / rows after this id "
            "(the last id of the previous page): walks a whole list at a constant cost per page"
        ),
    )


def page_schema(name: str, item: type[Schema]) -> type[Schema]:
    """The schema of one page of a list: how many in all, the window, the rows."""
    return create_model(
        name,
        __base__=Schema,
        count=(int, ...),
        limit=(int, ...),
        offset=(int, ...),
        items=(list[item], ...),  # type: ignore[valid-type]
    )


def page(
    rows: QuerySet[Any], paging: Paging, columns: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One page of a queryset in id order (counted and sliced by the database); `count` is the
    whole list's, `after` (a list's keyset) starts the page past an id. `columns` (annotations
    the rows show) are added to the page only: counted with them, the joins they need stayed in
    the COUNT (a hash join of 100,000 items for a national count of entries, 90 ms).
    """
    after = getattr(paging, "after", None)
    window = rows.filter(pk__gt=after) if after is not None else rows
    if columns:
        window = window.annotate(**columns)
    return {
        "count": rows.count(),
        "limit": paging.limit,
        "offset": paging.offset,
        "items": list(window[paging.offset : paging.offset + paging.limit]),
    }


# --- organisations and periods -----------------------------------------------------------------


class OrganizationOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_code: str | None
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_parent_code(obj: Any) -> str | None:
        return obj.parent.code if obj.parent_id else None


class RoundOut(Schema):
    id: int
    fiscal_year: int
    months: int
    label: str
    end_date: date
    # For the organisation asked about (?org=): whether it takes results now, and by when.
    is_open: bool | None = None
    deadline: date | None = None

    @staticmethod
    def resolve_fiscal_year(obj: Any) -> int:
        return int(obj.fiscal_year.year)

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(obj)


class FiscalYearOut(Schema):
    id: int
    year: int
    start_date: date
    end_date: date
    rounds: list[RoundOut]


# --- plans -------------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    key: str
    title: str
    organization: str
    fiscal_year: int
    band_low: Decimal
    band_high: Decimal
    explanation_threshold: Decimal

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization.code)

    @staticmethod
    def resolve_fiscal_year(obj: Any) -> int:
        return int(obj.fiscal_year.year)


class WorkItemOut(Schema):
    """Read from `tidtam.api.plans.ITEM_COLUMNS` (annotated, no joined rows built)."""

    id: int
    key: str
    plan_id: int
    plan_key: str
    organization: str
    fiscal_year: int
    activity_id: int
    activity_key: str
    number: int
    kind: str
    kind_label: str
    name: str
    target_quantity: Decimal | None
    target_unit: str
    target_text: str
    budget_baht: Decimal | None
    budget_line_id: int | None
    excluded: bool
    exclusion_reason: str

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())


class ActivityNodeOut(Schema):
    id: int
    key: str
    number: int
    name: str
    items: list[WorkItemOut]


class OutputNodeOut(Schema):
    id: int
    key: str
    number: int
    name: str
    activities: list[ActivityNodeOut]


class PlanTreeOut(Schema):
    """Every output and activity of the plan; the items of this page (tree order) under theirs."""

    plan: PlanOut
    items_count: int
    limit: int
    offset: int
    outputs: list[OutputNodeOut]


# --- progress entries --------------------------------------------------------------------------


class EntryOut(Schema):
    """Read from `tidtam.api.entries.ENTRY_COLUMNS` (annotated, no joined rows built)."""

    id: int
    work_item_id: int
    work_item_key: str
    round_id: int
    fiscal_year: int
    round_months: int
    status: str
    status_label: str
    version: int
    result_text: str
    result_text_annual: str
    result_quantity: Decimal | None
    percent_method: str
    percent_round: Decimal | None
    percent_annual: Decimal | None
    band: str
    percent_note: str
    explanation: str
    late_edit_allowed: bool

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class EntryIn(Schema):
    """A work item's result for a round. `version`: the entry's version as read (0 before its
    first save); a save over a newer change by another person is refused (409)."""

    version: int = Field(ge=0, le=MAX_ID)
    result_text: Text = ""
    result_text_annual: Text = ""
    result_quantity: Amount | None = Field(None, ge=0)
    # Typed percentages replace the computed ones only with a note (percent_method "entered").
    entered: bool = False
    percent_round: Amount | None = Field(None, ge=0)
    percent_annual: Amount | None = Field(None, ge=0)
    percent_note: Text = ""
    explanation: Text = ""


class ReviewIn(Schema):
    """One review step: submit (the reporter), approve / return (the approver, return with a
    comment), reopen (an approved entry, with a reason). `version` as read, when given, refuses
    a step over a change made since (409)."""

    action: str = Field(pattern="^(submit|approve|return|reopen)$")
    comment: Text = ""
    version: int | None = Field(None, ge=0, le=MAX_ID)


class ReviewOut(Schema):
    action: str
    from_status: str
    to_status: str
    comment: str
    actor: str
    at: datetime

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return str(obj.actor.get_username()) if obj.actor_id else ""


class EntryReviewedOut(Schema):
    step: ReviewOut
    status: str
    version: int


# --- KPIs and agreements -----------------------------------------------------------------------


class IndicatorOut(Schema):
    id: int
    key: str
    organization: str
    fiscal_year: int
    number: int
    name: str
    measure_kind: str
    measure_kind_label: str
    direction: str
    unit: str
    target_value: Decimal | None
    target_text: str
    base_year: int | None
    base_value: Decimal | None
    project_name: str

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization.code)

    @staticmethod
    def resolve_fiscal_year(obj: Any) -> int:
        return int(obj.fiscal_year.year)

    @staticmethod
    def resolve_measure_kind_label(obj: Any) -> str:
        return str(obj.get_measure_kind_display())


class ResultOut(Schema):
    """Read from `tidtam.api.agreements.RESULT_COLUMNS` (annotated, no joined rows built)."""

    id: int
    indicator_id: int
    indicator_key: str
    round_id: int
    fiscal_year: int
    round_months: int
    unit: str | None = Field(None, validation_alias="unit_code")
    status: str
    status_label: str
    version: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    level_reached: int | None
    met: bool | None
    percent: Decimal | None
    narrative: str
    late_edit_allowed: bool

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class ResultIn(Schema):
    """A KPI's result for a round (the whole agency's): the fields its kind reads."""

    version: int = Field(ge=0, le=MAX_ID)
    value: Amount | None = None
    numerator: Amount | None = None
    denominator: Amount | None = None
    level_reached: int | None = Field(None, ge=0, le=100)
    met: bool | None = None
    narrative: Text = ""


class AgreementKpiOut(Schema):
    id: int
    number: int
    weight: Decimal
    indicator_id: int
    indicator_key: str
    name: str

    @staticmethod
    def resolve_indicator_key(obj: Any) -> str:
        return str(obj.indicator.key)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.indicator.name)


class KpiGroupOut(Schema):
    id: int
    code: str
    name: str
    weight: Decimal
    kpis: list[AgreementKpiOut]

    @staticmethod
    def resolve_kpis(obj: Any) -> list[Any]:
        return list(obj.kpis.all())


class AgreementOut(Schema):
    id: int
    organization: str
    fiscal_year: int
    title: str
    subtitle: str
    period_start: date
    period_end: date
    signed_on: date | None
    scheme: str
    weighting: str
    score_places: int

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization.code)

    @staticmethod
    def resolve_fiscal_year(obj: Any) -> int:
        return int(obj.fiscal_year.year)


class AgreementDetailOut(AgreementOut):
    groups: list[KpiGroupOut]

    @staticmethod
    def resolve_groups(obj: Any) -> list[Any]:
        return list(obj.groups.all())


# --- budgets -----------------------------------------------------------------------------------


class BudgetLineOut(Schema):
    id: int
    key: str
    organization: str
    fiscal_year: int
    number: int
    code: str
    name: str
    programme: str
    output: str
    activity: str
    expense_type: str
    expense_item: str
    annual_plan_baht: Decimal

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization.code)

    @staticmethod
    def resolve_fiscal_year(obj: Any) -> int:
        return int(obj.fiscal_year.year)


class BudgetMonthOut(Schema):
    month: int
    planned_baht: Decimal
    disbursed_baht: Decimal | None
    committed_baht: Decimal | None


class BudgetMonthsOut(Schema):
    line: BudgetLineOut
    # The months' version: send it back with a save (a change made since is refused, 409).
    version: int
    months: list[BudgetMonthOut]


class BudgetMonthIn(Schema):
    month: int = Field(ge=1, le=12, description="เดือนของปีงบประมาณ 1 = ตุลาคม / 1 = October")
    planned_baht: Baht = Decimal(0)
    disbursed_baht: Baht | None = None
    committed_baht: Baht | None = None


class BudgetMonthsIn(Schema):
    version: int = Field(ge=0, le=2**63 - 1)
    months: list[BudgetMonthIn] = Field(min_length=12, max_length=12)


# --- documents ---------------------------------------------------------------------------------


class DocumentOut(Schema):
    code: str
    title: str
    needs_round: bool
    formats: list[str]


class JobIn(Schema):
    document: str = Field(max_length=32)
    org: str = Field(max_length=64)
    fy: int = Field(ge=2400, le=2700)
    round: int | None = Field(None, description="รอบ 3, 6, 9, 12 เดือน / round (months)")
    format: str = Field(max_length=8)
    subtree: bool = Field(
        False,
        description=(
            "รวมหน่วยงานในสังกัด (รายงานรายไตรมาสและเอกสาร ITA) / with the units below the"
            " organisation (the quarterly and ITA documents)"
        ),
    )


class JobOut(Schema):
    id: str
    document: str
    organization: str
    fiscal_year: int
    round_months: int | None
    subtree: bool
    format: str
    status: str
    status_label: str
    progress: int
    stage: str
    error: str
    created_at: datetime
    finished_at: datetime | None
    # Where the file is fetched when the job is done (this API, with the same token).
    download_url: str | None

    @staticmethod
    def resolve_id(obj: Any) -> str:
        return str(obj.pk)

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization.code)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_download_url(obj: Any) -> str | None:
        if obj.status != "done" or not obj.file:
            return None
        return f"/api/v1/document-jobs/{obj.pk}/file"
