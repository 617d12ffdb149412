"""What each document says, as typed structures: one model per document, built once by its builder.

The builders (quarterly.py, scorecard.py, agreement.py, ita.py) make every decision here: the
figures and their Thai texts, every label of a code, the columns of a table and their order, how
many level columns the summary form has, which rows a table shows, the page title. The renderers
(tidtam/reports/render) lay a structure out as DOCX, XLSX, HTML or PDF without computing a figure
or mapping a code (an import-linter contract keeps tidtam.messages and the core's rules out of
them); the JSON of a document is its structure, and `tidtam report DOC --schema` prints the JSON
Schema a client (or the API) reads it with.

Decimals stay Decimals (as strings in JSON, every digit kept); dates are dates (ISO in JSON).
`extra="forbid"`: a builder that adds a key the model does not declare fails at once, so the
schema cannot drift from what the documents carry.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from tidtam.domain.errors import DomainError


class Content(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- shared ---------------------------------------------------------------------------------


class Organization(Content):
    code: str
    name: str
    short_name: str


class Period(Content):
    start: date
    end: date
    text: str


class ItaItem(Content):
    """The item of the year's ITA assessment a publication answers (codes change yearly)."""

    year: int
    code: str
    title: str
    asks: str


# --- the quarterly report (and the ITA 6-month and annual reports) --------------------------


class Title(Content):
    heading: str
    organization: str
    round: str
    fiscal_year: str


class Thresholds(Content):
    """The plan's thresholds as the texts print them (50, 80, 79.99, 50)."""

    low: str
    high: str
    below_high: str
    explanation: str


class BandColumn(Content):
    """A column of ตารางที่ 1, in the document's order: its band code and its heading."""

    key: str
    heading: str


class KindColumn(Content):
    """A kind of item counted in each band (project, programme, budget item) and its Thai word."""

    key: str
    label: str


class BandHeadings(Content):
    later_quarter: str
    below_50: str
    from_50: str
    from_80: str


class KindCounts(Content):
    project: int
    programme: int
    budget_item: int


class ExcludedItem(Content):
    name: str
    kind: str
    reason: str


class BandCell(Content):
    counts: KindCounts
    count: int
    text: str


class BandCells(Content):
    later_quarter: BandCell
    below_50: BandCell
    from_50: BandCell
    from_80: BandCell


class BandActivity(Content):
    number: int
    name: str
    label: str
    listed: KindCounts
    excluded: list[ExcludedItem]
    cells: BandCells
    # The cells' texts in the order of `columns`.
    cell_texts: list[str]
    total: BandCell


class BandOutput(Content):
    number: int
    name: str
    label: str
    activities: list[BandActivity]


class BandTotal(Content):
    counts: KindCounts
    count: int
    share: Decimal
    share_text: str
    text: str


class BandTotals(Content):
    later_quarter: BandTotal
    below_50: BandTotal
    from_50: BandTotal
    from_80: BandTotal


class GrandTotal(Content):
    counts: KindCounts
    count: int
    text: str


class BandTable(Content):
    title: str
    headings: BandHeadings
    columns: list[BandColumn]
    kinds: list[KindColumn]
    outputs: list[BandOutput]
    totals: BandTotals
    # The totals' texts in the order of `columns`.
    total_texts: list[str]
    total: GrandTotal
    excluded_count: int


class QuarterlyTexts(Content):
    intro: str
    band_caption: str
    later_note: str
    later_intro: str
    lagging_intro: str
    lagging_budget_intro: str
    chart_caption: str
    budget_detail_heading: str
    budget_detail_intro: str
    strategic_intro: str
    strategic_closing: str
    strategic_target_heading: str
    round_heading: str


class LaggingProject(Content):
    number: int
    name: str
    target: str
    plan_round: str
    plan_annual: str
    result_round: str
    result_annual: str
    percent_round: Decimal | None
    percent_round_text: str
    percent_annual: Decimal | None
    percent_annual_text: str
    percent_method: str
    percent_method_label: str
    percent_note: str
    explanation: str
    is_placeholder: bool


class LaggingBudgetGroup(Content):
    number: int
    name: str
    label: str
    count: int
    percent_annual: Decimal | None
    percent_annual_text: str
    percent_round: Decimal | None
    percent_round_text: str


class BudgetFigures(Content):
    """เบิกจ่าย (disbursed, paid out) and ใช้จ่าย (spent: disbursed + committed) kept apart, each
    as a percent of the plan (`percent` is ใช้จ่าย's, as seed 000 prints it) and of the plan due
    by the day the figures are as of, and the share of the total plan."""

    plan_baht: Decimal
    disbursed_baht: Decimal
    committed_baht: Decimal
    spent_baht: Decimal
    remaining_baht: Decimal
    planned_to_date_baht: Decimal | None
    plan_million: str
    disbursed_million: str
    committed_million: str
    spent_million: str
    remaining_million: str
    # The same in millions, as numbers (a spreadsheet's cells), rounded as the texts are.
    plan_million_value: Decimal
    spent_million_value: Decimal
    disbursed_million_value: Decimal
    percent: Decimal | None
    percent_text: str
    percent_disbursed: Decimal | None
    percent_disbursed_text: str
    percent_disbursed_to_date: Decimal | None
    percent_disbursed_to_date_text: str
    percent_spent_to_date: Decimal | None
    percent_spent_to_date_text: str
    share_percent: Decimal | None
    share_percent_text: str


class LineForecast(Content):
    """Disbursement expected by the year end (baht and percent of the plan), with its range."""

    method: str  # past_years or plan
    reported_month: int
    expected_baht: Decimal
    low_baht: Decimal
    high_baht: Decimal
    expected_percent: Decimal | None
    expected_percent_text: str
    low_percent_text: str
    high_percent_text: str


class QuarterForecast(Content):
    quarter: int
    expected_percent: Decimal | None
    expected_percent_text: str
    target_percent: Decimal
    misses: bool | None


class BudgetForecast(LineForecast):
    quarters: list[QuarterForecast]
    likely_missed: bool
    text: str


class SubtreeForecast(BudgetForecast):
    organizations: int
    plan_baht: Decimal
    disbursed_baht: Decimal


class BudgetLine(BudgetFigures):
    number: int
    name: str
    code: str
    expense_type: str
    expense_type_label: str
    nature: str
    nature_label: str
    fund_source: str
    category: str
    as_of: date
    text: str
    forecast: LineForecast


class BudgetGroup(BudgetFigures):
    key: str
    label: str


class BudgetSubtotals(Content):
    by: str  # expense_type, nature, fund_source or category
    label: str
    groups: list[BudgetGroup]


class CarriedOverLine(BudgetFigures):
    number: int
    name: str


class CarriedOver(Content):
    """Money of the year before, kept to be paid this year: shown apart, never in the total."""

    lines: list[CarriedOverLine]
    total: BudgetFigures


class Allocation(Content):
    amount_baht: Decimal
    amount_million: str
    difference_baht: Decimal
    note: str
    percent_disbursed: Decimal | None
    percent_disbursed_text: str
    percent_spent: Decimal | None
    percent_spent_text: str


class TargetComparison(Content):
    scope: str  # overall, recurrent or investment
    label: str
    quarter: int
    measure: str
    measure_label: str
    target_percent: Decimal
    actual_percent: Decimal | None
    difference: Decimal | None
    met: bool | None
    text: str


class RoundingDifference(Content):
    plan: Decimal
    spent: Decimal


class BudgetChart(Content):
    title: str
    subtitle: str
    categories: list[str]
    plan_million: list[Decimal]
    spent_million: list[Decimal]
    # Drawn as a bar of its own where it differs from spent (something committed, not paid).
    disbursed_million: list[Decimal]
    disbursed_label: str


class CabinetTarget(Content):
    quarter: int
    overall_percent: Decimal
    difference: Decimal | None
    text: str


class Budget(Content):
    as_of: date
    as_of_text: str
    lines: list[BudgetLine]
    total: BudgetFigures
    subtotals: list[BudgetSubtotals]
    carried_over: CarriedOver
    allocation: Allocation | None
    targets: list[TargetComparison]
    forecast: BudgetForecast
    # The organisation with the units below it that keep budget lines of their own (a ministry
    # with its departments); None when none below has one.
    forecast_with_units: SubtreeForecast | None = None
    # Sentences under the budget table: subtotals, targets by nature, the allotment, carry-over.
    notes: list[str]
    rounding_note: str
    rounding_difference_million: RoundingDifference
    paragraph: str
    chart: BudgetChart
    analysis_box: list[str]
    cabinet_target: CabinetTarget | None


class StrategicProject(Content):
    number: int
    name: str
    responsible_units: str
    label: str
    indicator: str
    target: str
    target_value: Decimal | None
    result_value: Decimal | None
    percent: Decimal | None
    percent_text: str
    percent_method: str
    passed: bool | None
    passed_text: str
    narrative: str
    result_text: str


class Strategy(Content):
    number: str
    name: str
    label: str
    projects: list[StrategicProject]


class Strategic(Content):
    framework: str
    strategies: list[Strategy]


class QuarterlyReport(Content):
    document: Literal["quarterly"]
    organization: Organization
    fiscal_year: int
    round_months: int
    round_words: str
    quarter: int
    period: Period
    page_title: str
    title: Title
    section_1_heading: str
    summary_sentence: str
    thresholds: Thresholds
    band_table: BandTable
    texts: QuarterlyTexts
    later_quarter_projects: list[str]
    lagging_projects: list[LaggingProject]
    lagging_budget_items: list[LaggingBudgetGroup]
    as_of_line: str
    section_2_heading: str
    budget: Budget
    strategic_heading: str
    strategic: Strategic
    placeholders: int
    placeholder_note: str
    ita: ItaItem | None = None
    # Made for the organisation with the units below it (`tidtam report … --subtree`): the
    # units whose plans it covers, in its rows' order (empty: the organisation's own plan).
    units: list[str] = []


class ItaRoundReport(QuarterlyReport):
    """The ITA 6-month (O12-style) or annual (O13-style) report: the quarterly report of that
    round, headed by the item it answers."""

    document: Literal["ita-progress", "ita-annual"]  # type: ignore[assignment]
    ita: ItaItem


# --- the scorecard --------------------------------------------------------------------------


class ScoreSide(Content):
    """One side of a KPI's row: self-assessed or reviewed by the committee."""

    # The value of every kind: the figure scored (a quantity, a rate, a change), the level
    # reached (an int), or yes / no (a bool).
    value: bool | int | Decimal | None
    figure: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    passed: bool | None
    passed_text: str
    numerator_text: str
    denominator_text: str
    result_text: str
    level_text: str
    score: Decimal | None
    score_text: str
    weighted: Decimal | None
    weighted_text: str


class ReviewedSide(ScoreSide):
    committee_score: Decimal | None
    committee_score_reason: str
    deduction: Decimal | None
    deduction_rule: str


class UnitResult(Content):
    unit: str
    numerator: Decimal | None
    denominator: Decimal | None
    rate: Decimal | None
    numerator_text: str
    denominator_text: str
    rate_text: str


class ScoredKpi(Content):
    number: int
    name: str
    weight: Decimal
    weight_text: str
    max_points: Decimal
    kind: str
    kind_label: str
    direction: str
    direction_label: str
    target_value: Decimal | None
    target_text: str
    self: ScoreSide
    reviewed: ReviewedSide
    units: list[UnitResult]
    review_note: str


class ScoredGroup(Content):
    code: str
    name: str
    weight: Decimal
    weight_text: str
    kpis: list[ScoredKpi]
    self_subtotal: Decimal | None
    self_subtotal_text: str
    reviewed_subtotal: Decimal | None
    reviewed_subtotal_text: str


class ScoreCard(Content):
    """One agreement's scores for a round: its groups, totals and notes."""

    organization: Organization
    groups: list[ScoredGroup]
    total_weight: Decimal
    total_weight_text: str
    completeness_note: str
    self_total: Decimal | None
    self_total_text: str
    self_complete: bool
    reviewed_total: Decimal | None
    reviewed_total_text: str
    weighting: str
    weighting_text: str
    score_places: int
    review_notes: list[str]
    rounding_notes: list[str]
    reviewed_complete: bool
    assessed: int
    kpi_count: int


class UnitScorecard(ScoreCard):
    """A unit's own agreement in the scorecard of an organisation with its units."""

    heading: str


class ScorecardReport(ScoreCard):
    """The organisation's agreement (`own`; with its units, an organisation may have none, and
    its card is then empty and not printed), and with its units each unit's agreement in the
    tree's order (`units`), the units without one named in `units_note`."""

    document: Literal["scorecard"]
    fiscal_year: int
    round_months: int
    page_title: str
    title: str
    subtitle: str
    as_of: date
    as_of_text: str
    own: bool = True
    units: list[UnitScorecard] = []
    units_note: str = ""


# --- the performance agreement --------------------------------------------------------------


class AgreementOrganization(Organization):
    parent: str
    parent_short_name: str


class Cover(Content):
    title: str
    subtitle: str
    of: str


class Party(Content):
    name: str
    position: str
    role: str


class Parties(Content):
    receiver: Party
    maker: Party


class Signature(Party):
    date_text: str


class LinkageRow(Content):
    label: str
    cells: list[str]


class LinkageTable(Content):
    """Present even when the agreement has none: no columns, no rows (the renderers then leave
    the section out)."""

    title: str
    columns: list[str]
    rows: list[LinkageRow]


class Scoring(Content):
    scheme: str
    scheme_label: str
    interpolation: str
    interpolation_label: str
    below_lowest_points: Decimal


class Level(Content):
    rank: int
    name: str
    points: Decimal
    heading: str
    description: str
    threshold: Decimal | None


class SummaryKpi(Content):
    number: int
    name: str
    label: str
    linkage: str
    benefit: str
    weight: Decimal
    weight_text: str
    previous_result: str
    levels: list[Level]
    # The level descriptions in the form's level columns (empty cells where it has fewer).
    level_texts: list[str]


class SummaryGroup(Content):
    code: str
    name: str
    weight: Decimal
    weight_text: str
    label: str
    kpi_weight_sum: Decimal
    kpis: list[SummaryKpi]


class SummaryForm(Content):
    title: str
    unit: str
    previous_year_heading: str
    # How many level columns the form has (3 as seed 004, 5 as ก.พ.ร.), and their headings.
    level_columns: int
    level_headings: list[str]
    groups: list[SummaryGroup]
    total_weight: Decimal
    total_weight_text: str
    weight_problems: list[str]


class SeriesRow(Content):
    label: str
    values: dict[str, str]
    cells: list[str]


class Series(Content):
    """A baseline or roadmap: its fiscal years and rows of cells in that order."""

    years: list[int]
    rows: list[SeriesRow]


class OtherSection(Content):
    model_config = ConfigDict(extra="allow", frozen=True)

    heading: str
    paragraphs: list[str]


class PolicyLink(Content):
    framework: str
    code: str
    name: str


class Owner(Content):
    name: str
    office_phone: str


class KpiSheet(Content):
    number: int
    heading: str
    name: str
    label: str
    group: str
    weight: Decimal
    weight_text: str
    measure_kind: str
    measure_kind_label: str
    unit: str
    direction: str
    direction_label: str
    description: list[str]
    definitions: list[str]
    data_sources: list[str]
    baseline: Series | None
    roadmap: Series | None
    levels: list[Level]
    conditions: list[str]
    steps: list[str]
    benefit: str
    other_sections: list[OtherSection]
    policy_links: list[PolicyLink]
    owners: list[Owner]


class AgreementReport(Content):
    document: Literal["agreement"]
    organization: AgreementOrganization
    fiscal_year: int
    page_title: str
    cover: Cover
    parties: Parties
    period: Period
    signed_on: date | None
    clauses: list[str]
    signatures: list[Signature]
    linkage_table: LinkageTable
    scoring: Scoring
    summary_form: SummaryForm
    kpi_sheets: list[KpiSheet]


# --- the ITA annual plan --------------------------------------------------------------------


class RoundPlan(Content):
    months: int
    text: str


class PlanItem(Content):
    number: int
    kind: str
    name: str
    target: str
    units: str
    budget_baht: Decimal | None
    budget_text: str
    quarters: list[bool]
    # A tick (√) under each quarter the item runs in.
    quarter_marks: list[str]
    timing_text: str
    plans: list[str]
    # The round plans that say something, with their round.
    plan_texts: list[RoundPlan]


class PlanGroup(Content):
    label: str
    items: list[PlanItem]
    budget_baht: Decimal
    budget_text: str


class PlanBudgetLine(Content):
    number: int
    name: str
    category: str
    plan_baht: Decimal
    plan_text: str
    plan_million: Decimal
    plan_million_text: str


class ItaPlanReport(Content):
    document: Literal["ita-plan"]
    organization: Organization
    fiscal_year: int
    page_title: str
    # The first day of the fiscal year the plan is for.
    dated: date
    ita: ItaItem
    title: str
    subtitle: str
    period_text: str
    groups: list[PlanGroup]
    round_headings: list[str]
    item_count: int
    budget_lines: list[PlanBudgetLine]
    budget_total_baht: Decimal
    budget_total_million: Decimal
    budget_total_text: str
    budget_total_million_text: str
    # Made with the units below the organisation (`--subtree`): whose plans it covers.
    units: list[str] = []


class GridRow(Content):
    """One row of a Budget Bureau month grid: the plan or the result of an item, October …
    September, with the four quarters' own amounts and the year's."""

    number: str
    name: str
    unit: str
    kind: str  # plan or result
    kind_label: str
    months: list[Decimal | None]
    quarters: list[Decimal | None]
    total: Decimal | None


class GridSection(Content):
    heading: str
    rows: list[GridRow]


class BudgetFormReport(Content):
    """สงป. 301 (outputs and activities in their units) or 302 (money by budget type and expense
    item), as monthly grids of plan and result."""

    document: Literal["form-301", "form-302"]
    organization: Organization
    fiscal_year: int
    # The first day of the fiscal year (the workbook's own date: the same data, the same bytes).
    dated: date
    page_title: str
    title: str
    subtitle: str
    month_labels: list[str]
    value_label: str
    sections: list[GridSection]
    notes: list[str]


# --- an organisation with its units side by side ----------------------------------------------


class SummaryRow(Content):
    """One unit (its own units added up), the organisation's own plan, or the total."""

    code: str
    name: str
    own: bool
    band_counts: list[int]
    band_shares_text: list[str]
    counted: int
    not_counted: int
    excluded: int
    statuses: list[int]
    plan_baht: Decimal | None
    disbursed_baht: Decimal | None
    spent_baht: Decimal | None
    percent_disbursed_text: str
    percent_spent_text: str
    kpis_passed: int
    kpis_failed: int
    kpis_pending: int


class SummaryReport(Content):
    """An organisation and the units right below it, side by side, for a round: items by band
    and by reporting status, the budget as of the round, KPIs against target; each unit's row
    its own units added up (counts and amounts, never averaged shares), and the total."""

    document: Literal["summary"]
    organization: Organization
    fiscal_year: int
    round_months: int
    dated: date
    page_title: str
    title: str
    subtitle: str
    band_keys: list[str]
    band_labels: list[str]
    status_labels: list[str]
    kpi_labels: list[str]
    rows: list[SummaryRow]
    total: SummaryRow
    notes: list[str]


Report = (
    QuarterlyReport
    | ItaRoundReport
    | ScorecardReport
    | AgreementReport
    | ItaPlanReport
    | BudgetFormReport
    | SummaryReport
)

MODELS: dict[str, type[Content]] = {
    "quarterly": QuarterlyReport,
    "ita-progress": ItaRoundReport,
    "ita-annual": ItaRoundReport,
    "scorecard": ScorecardReport,
    "agreement": AgreementReport,
    "ita-plan": ItaPlanReport,
    "form-301": BudgetFormReport,
    "form-302": BudgetFormReport,
    "summary": SummaryReport,
}


def content_of(data: Report | Mapping[str, Any]) -> Report:
    """A document's structure; a mapping (a document's JSON read back, a test's variant of one)
    is validated into its document's model first."""
    if isinstance(data, Content):
        return data
    code = str(data.get("document", ""))
    if code not in MODELS:
        raise DomainError("document_unknown", document=code, choices=", ".join(MODELS))
    return MODELS[code].model_validate(dict(data))  # type: ignore[return-value]


def json_schema(code: str) -> dict[str, Any]:
    """The JSON Schema of a document's JSON (`tidtam report DOC --schema`)."""
    if code not in MODELS:
        raise DomainError("document_unknown", document=code, choices=", ".join(MODELS))
    return MODELS[code].model_json_schema(mode="serialization")
