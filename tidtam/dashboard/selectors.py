"""The dashboard's figures: an organisation with the units below it, round by round.

Every figure is the documents' own: the bands the core stored with each entry, counted by the
database as in the national band tables (`progress.selectors.round_counts`); the budget read
line by line as the quarterly report reads it (`budgets.selectors.figures_as_of`); the units'
figures added up by the core (`domain.rollup`, `domain.budget.sum_figures`), never averaged.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404

from tidtam import bulk
from tidtam.agreements.models import IN_A_DOCUMENT, AgreementKPI, Indicator, IndicatorResult
from tidtam.agreements.services import result_measure
from tidtam.budgets.models import BudgetLine, CabinetTarget
from tidtam.budgets.selectors import monthly_curve_remembered, past_years
from tidtam.domain.budget import BudgetFigures, sum_figures
from tidtam.domain.disbursement import Measure, MonthlyPlan
from tidtam.domain.forecast import Forecast, forecast_disbursement
from tidtam.domain.progress import DEFAULT_THRESHOLDS, Band
from tidtam.domain.rollup import (
    COUNTED_BANDS,
    BandCounts,
    CurvePoint,
    sum_band_counts,
    sum_counts,
)
from tidtam.domain.scoring import KpiMeasure
from tidtam.messages import (
    FORECAST_METHODS,
    LABELS,
    band_label,
    measure_label,
    passed_label,
)
from tidtam.orgs import access
from tidtam.orgs.models import Organization
from tidtam.periods.models import FiscalYear, Round
from tidtam.plans.models import OperatingPlan, WorkItem
from tidtam.progress.selectors import (
    STATUS_LABELS,
    OrganizationRound,
    lagging_items,
    round_counts,
)
from tidtam.reporting import EntryStatus


@dataclass(frozen=True)
class UnitRow:
    """A row of the drill-down table: the organisation's own plan, or a unit below it with
    its own units summed in."""

    organization: Organization
    own: bool  # the organisation's own plan (not a unit below it)
    drillable: bool  # a unit below: its own dashboard opens from here
    bands: BandCounts
    statuses: dict[str, int]
    budget: BudgetFigures | None
    # The organisations the row adds up (the unit and those below it, or the one alone).
    organizations: frozenset[int]


@dataclass(frozen=True)
class KpiRow:
    """A KPI of the subtree: its figure in each round of the year (the trend) and whether the
    chosen round's result reaches its target (the core's reading: `result_measure`)."""

    indicator: Indicator
    by_round: list[tuple[int, KpiMeasure | None]]
    measure: KpiMeasure | None
    # The same KPI (its organisation and key) in each past year of `Dashboard.past_years`: its
    # reading at the last round of that year with a result (None: no result, or not a KPI then).
    by_year: list[tuple[int, KpiMeasure | None]]

    @property
    def past_cells(self) -> list[str]:
        """What the table prints for the past years (up to 200 rows of seven cells: written
        here once, not by a template included for every cell)."""
        return [measure_label(m) for _, m in self.by_year]

    @property
    def round_cells(self) -> list[str]:
        """What the table prints for this year's rounds, after the past years."""
        return [measure_label(m) for _, m in self.by_round]

    @property
    def passed_text(self) -> str:
        return passed_label(self.measure.passed if self.measure is not None else None)


@dataclass(frozen=True)
class Target:
    quarter: int
    percent: Decimal
    measure: str


@dataclass(frozen=True)
class Dashboard:
    organization: Organization
    path: list[Organization]
    fiscal_year: FiscalYear
    round: Round
    rounds: list[Round]
    years: list[int]
    approved_only: bool
    today: date
    # The day the budget figures are as of: the chosen round's end, or today before it.
    budget_day: date
    # The year asked for when the subtree has no plan, budget line or KPI in it (another shown).
    year_without_data: int | None
    bands: BandCounts
    statuses: dict[str, int]
    units: list[UnitRow]
    curve: list[CurvePoint]
    budget: BudgetFigures | None
    targets: list[Target]
    lagging: list[WorkItem]
    lagging_total: int
    band_labels: dict[Band, str]
    kpis: list[KpiRow]
    kpi_total: int
    # Every KPI's (not only the shown rows'): reaching its target, not, no result to compare yet.
    kpi_counts: dict[bool | None, int]
    # The past years the KPIs' trend reaches back to (oldest first): those in which at least one
    # of the shown KPIs has a result.
    past_years: list[int]
    forecast: Forecast | None
    missed: list[Target]

    @property
    def forecast_method(self) -> str:
        return FORECAST_METHODS[self.forecast.method] if self.forecast is not None else ""

    @property
    def status_labels(self) -> dict[str, str]:
        return STATUS_LABELS

    @property
    def counted_bands(self) -> tuple[Band, ...]:
        return COUNTED_BANDS if self.round.months < 12 else COUNTED_BANDS[1:]


def default_organization(user: Any) -> Organization | None:
    """The highest organisation the person reads (a ministry's executive sees the ministry)."""
    visible = access.organizations_visible(user)
    ids = set(visible.values_list("pk", flat=True))
    tops = [org for org in visible.order_by("code") if org.parent_id not in ids]
    return tops[0] if tops else None


def years_by_organization(organization_ids: Collection[int] | None = None) -> dict[int, set[int]]:
    """The years each organisation (of these, or every one) has a plan, a budget line or a KPI
    in: three queries."""
    found: dict[int, set[int]] = {}
    for model in (OperatingPlan, BudgetLine, Indicator):
        rows = model.objects.all()
        if organization_ids is not None:
            rows = rows.filter(organization_id__in=organization_ids)
        pairs = rows.values_list("organization_id", "fiscal_year__year").distinct().order_by()
        for organization_id, year in pairs:
            found.setdefault(organization_id, set()).add(year)
    return found


@dataclass(frozen=True)
class Calendar:
    """Every fiscal year with its rounds in order, and the years begun by a day: two queries of
    small tables, read once for a page or for every organisation's dashboard."""

    years: dict[int, FiscalYear]
    rounds: dict[int, list[Round]]  # by year
    begun: set[int]

    @classmethod
    def read(cls, today: date) -> Calendar:
        years = {fy.year: fy for fy in FiscalYear.objects.all()}
        rounds: dict[int, list[Round]] = {}
        for round_ in Round.objects.select_related("fiscal_year").order_by("months"):
            rounds.setdefault(round_.fiscal_year.year, []).append(round_)
        return cls(years, rounds, {y for y, fy in years.items() if fy.start_date <= today})


@dataclass(frozen=True)
class View:
    """The year and round a dashboard shows, and the day its budget is read as of."""

    years: list[int]  # the years the subtree has a plan, a budget line or a KPI in, latest first
    fiscal_year: FiscalYear
    rounds: list[Round]
    round: Round
    budget_day: date


def shown(
    subtree: Collection[int],
    today: date,
    year: int | None = None,
    round_months: int | None = None,
    *,
    by_organization: dict[int, set[int]] | None = None,
    calendar: Calendar | None = None,
) -> View | None:
    """What a subtree's dashboard shows: the year asked for when the subtree has data in it,
    else the latest of its years begun by today (else its latest; a subtree without data: every
    year there is); the round asked for, else the last one ended (else the year's first); the
    budget as of that round's end, as its documents read it (today while it has not ended).
    None without such a year or its rounds. `by_organization` (years_by_organization) and
    `calendar`: read once for many subtrees."""
    if by_organization is None:
        by_organization = years_by_organization(subtree)
    if calendar is None:
        calendar = Calendar.read(today)
    years = sorted(
        set().union(*(by_organization.get(pk, set()) for pk in subtree)) or set(calendar.years),
        reverse=True,
    )
    if year not in years:
        year = next((y for y in years if y in calendar.begun), years[0] if years else None)
    fiscal_year = calendar.years.get(year) if year is not None else None
    rounds = calendar.rounds.get(year, []) if year is not None else []
    if fiscal_year is None or not rounds:
        return None
    ended = [r for r in rounds if r.end_date <= today]
    chosen = next((r for r in rounds if r.months == round_months), None) or (
        ended[-1] if ended else rounds[0]
    )
    return View(years, fiscal_year, rounds, chosen, min(chosen.end_date, today))


KpiTable = tuple[list[KpiRow], int, list[int], dict[bool | None, int], frozenset[int]]


def kpi_table(
    subtree: frozenset[int],
    view: View,
    approved_only: bool,
    *,
    keep: int = bulk.REMEMBERED_SECONDS,
) -> KpiTable:
    """The subtree's KPI table (`_kpis`), kept in the shared cache until a KPI or a result is
    written."""
    fiscal_year, chosen, rounds = view.fiscal_year, view.round, view.rounds
    return bulk.remembered(
        "kpis",
        (sorted(subtree), fiscal_year.pk, chosen.pk, [r.pk for r in rounds], approved_only),
        KPI_TABLE_READS,
        lambda: _kpis(subtree, fiscal_year, chosen, rounds, approved_only),
        keep=keep,
    )


# How long what `prepare_day` makes is kept at most: until the next day's run, and some.
PREPARED_SECONDS = 26 * 60 * 60


@dataclass(frozen=True)
class Prepared:
    organizations: int
    kpi_tables: int
    rounds: list[str]  # the rounds shown (each with its year)


def prepare_day(today: date) -> Prepared:
    """What a first visit to any organisation's dashboard would read longest, made ahead for the
    day (`tidtam prepare_dashboards`, nightly): for every organisation with its units, in what
    its dashboard shows unless asked (`shown`, as the page chooses it), the budget curve of each
    of them and the KPI table, drafts counted and approved only. Kept until a budget figure, or
    a KPI or a result, is written (then the first visit reads it again). A person's dashboard
    reads the subtree below the organisation, which the person reads whole (a person's reach is
    closed under the units below)."""
    children_of = access.descendants_map()
    by_organization = years_by_organization()
    calendar = Calendar.read(today)
    views: list[tuple[frozenset[int], View]] = []
    for organization in sorted(Organization.objects.values_list("pk", flat=True)):
        subtree = access.with_descendants({organization}, children_of)
        view = shown(subtree, today, by_organization=by_organization, calendar=calendar)
        if view is not None:
            views.append((subtree, view))
    # Each organisation's curve once for every dashboard showing the same year and day.
    days: dict[tuple[int, date], set[int]] = {}
    for subtree, view in views:
        days.setdefault((view.fiscal_year.year, view.budget_day), set()).update(subtree)
    for (year, day), organizations in days.items():
        monthly_curve_remembered(organizations, calendar.years[year], day, keep=PREPARED_SECONDS)
    for subtree, view in views:
        for approved_only in (False, True):
            kpi_table(subtree, view, approved_only, keep=PREPARED_SECONDS)
    return Prepared(len(views), 2 * len(views), sorted({str(view.round) for _, view in views}))


def later_words(round_: Round) -> str:
    """The quarters of the later-quarter band in this round ("3-4" at 6 months)."""
    first = round_.quarter + 1
    return "4" if first >= 4 else f"{first}-4"


def dashboard(
    user: Any,
    *,
    org_code: str | None,
    year: int | None,
    round_months: int | None,
    approved_only: bool,
    today: date,
) -> Dashboard:
    """The dashboard of an organisation the person reads (404 otherwise) and its subtree."""
    visible = access.organizations_visible(user)
    organization = visible.filter(code=org_code).first() if org_code else default_organization(user)
    if organization is None:
        raise Http404
    children_of = access.descendants_map()
    readable = set(visible.values_list("pk", flat=True))
    subtree = access.with_descendants({organization.pk}, children_of) & readable

    view = shown(subtree, today, year, round_months)
    if view is None:
        raise Http404
    years, fiscal_year, rounds, chosen = view.years, view.fiscal_year, view.rounds, view.round
    # A year asked for that the subtree has nothing in is said so, beside the year shown.
    year_without_data = year if year is not None and year not in years else None

    counts = round_counts(chosen, subtree, approved_only=approved_only)
    day = view.budget_day
    curve, budget_by_org = monthly_curve_remembered(subtree, fiscal_year, day)
    kpis, kpi_total, kpi_years, kpi_counts, kpi_organizations = kpi_table(
        subtree, view, approved_only
    )
    # A unit with KPIs and no plan or budget line has its row too (as the summary document's).
    units = unit_rows(
        organization, subtree, children_of, counts, budget_by_org, others=kpi_organizations
    )

    everything: list[OrganizationRound] = list(counts.values())
    bands = sum_band_counts(p.bands for p in everything)
    targets = [
        Target(t.quarter, t.overall_percent, LABELS[Measure(t.measure)])
        for t in CabinetTarget.objects.filter(fiscal_year=fiscal_year).order_by("quarter")
    ]
    allocation = sum((b.plan for b in budget_by_org.values()), Decimal(0))
    forecast = _forecast(curve, allocation, past_years(subtree, fiscal_year.year))
    own_plan = OperatingPlan.objects.filter(
        organization=organization, fiscal_year=fiscal_year
    ).first()
    thresholds = own_plan.thresholds if own_plan is not None else DEFAULT_THRESHOLDS
    later = later_words(chosen)
    return Dashboard(
        organization=organization,
        path=_path(organization, readable),
        fiscal_year=fiscal_year,
        round=chosen,
        rounds=rounds,
        years=years,
        approved_only=approved_only,
        today=today,
        year_without_data=year_without_data,
        budget_day=day,
        bands=bands,
        statuses=sum_counts(p.statuses for p in everything),
        units=units,
        curve=curve,
        budget=sum_figures(budget_by_org.values()) if budget_by_org else None,
        targets=targets,
        lagging=lagging_items(chosen, subtree, approved_only=approved_only),
        lagging_total=bands.bands[Band.BELOW_50],
        band_labels={band: band_label(band, thresholds, later=later) for band in COUNTED_BANDS},
        kpis=kpis,
        kpi_total=kpi_total,
        kpi_counts=kpi_counts,
        past_years=kpi_years,
        forecast=forecast,
        missed=[
            t
            for t in targets
            if forecast is not None
            and t.quarter * 3 > forecast.reported_month
            and forecast.misses(t.quarter * 3, t.percent)
        ],
    )


def _forecast(
    curve: list[CurvePoint], allocation: Decimal, past: list[list[Decimal]]
) -> Forecast | None:
    """The year-end disbursement forecast of the subtree (the core's, as the quarterly report
    makes it): from its monthly plan (the curve's planned amounts, month by month), its
    disbursement by the last month ended, and its past years' shape; None without a budget."""
    if allocation <= 0 or not curve:
        return None
    ended = [p for p in curve if p.figures is not None]
    reported = ended[-1].month if ended else 0
    planned = [p.planned for p in curve]
    amounts = tuple(planned[i] - (planned[i - 1] if i else Decimal(0)) for i in range(len(planned)))
    return forecast_disbursement(
        allocation=allocation,
        plan=MonthlyPlan(amounts),
        reported_month=reported,
        disbursed=ended[-1].figures.disbursed if ended and ended[-1].figures else Decimal(0),
        past_years=past,
    )


KPI_ROWS = 200
# How many past years the KPIs' trend reaches back.
KPI_YEARS = 3


def _year_end(
    indicators: list[Indicator], approved_only: bool
) -> dict[tuple[int, str, int], KpiMeasure]:
    """(organisation, key, year) → the KPI's reading at the last round of that year with a
    result."""
    results = (
        IndicatorResult.objects.filter(indicator__in=indicators, unit__isnull=True)
        .select_related("round")
        .defer(*_RESULT_TEXTS)
        .order_by("round__months")
    )
    if approved_only:
        results = results.filter(status=EntryStatus.APPROVED)
    by_id = {i.pk: i for i in indicators}
    found: dict[tuple[int, str, int], KpiMeasure] = {}
    for result in results:  # later rounds last: each year ends at its last round read
        indicator = by_id[result.indicator_id]
        key = (indicator.organization_id, indicator.key, indicator.fiscal_year.year)
        found[key] = result_measure(indicator, result)
    return found


# What the KPI table reads (`_kpis`): it is kept until one of them is written. The KPIs of a
# ministry and their results change far less often than its entries on a deadline day.
KPI_TABLE_READS = (Indicator, IndicatorResult, AgreementKPI, Organization)

# What the KPI table never prints: a KPI's long texts and a result's narrative and review
# notes (hundreds of KPIs and their results are read for a ministry's dashboard).
_KPI_TEXTS = (
    *("description", "definitions", "data_sources", "conditions", "steps", "benefit"),
    *("other_sections", "previous_result"),
)
_RESULT_TEXTS = ("narrative", "review_note", "reviewed_score_reason", "deduction_rule")


def _kpis(
    subtree: frozenset[int],
    fiscal_year: FiscalYear,
    chosen: Round,
    rounds: list[Round],
    approved_only: bool,
) -> tuple[list[KpiRow], int, list[int], dict[bool | None, int], frozenset[int]]:
    """The subtree's KPIs in a document of the year (an agreement or the strategic plan), each
    read in every round of the year and at the end of each of the KPI_YEARS years before (the
    same KPI: its organisation and key); at most KPI_ROWS, in the organisations' and KPIs'
    order. With them, how many of all the KPIs reach their target in the chosen round, do not,
    and have no result to compare yet; and the organisations those KPIs are of."""
    indicators = (
        Indicator.objects.filter(
            IN_A_DOCUMENT, organization_id__in=subtree, fiscal_year=fiscal_year
        )
        .select_related("organization")
        .defer(*_KPI_TEXTS)
        .order_by("organization__code", "number", "pk")
        .distinct()
    )
    # Every KPI is counted (below), the first KPI_ROWS shown: all read once.
    every = list(indicators)
    total, shown, rest = len(every), every[:KPI_ROWS], every[KPI_ROWS:]
    results = (
        IndicatorResult.objects.filter(
            indicator__in=shown, unit__isnull=True, round__fiscal_year=fiscal_year
        )
        .select_related("round")
        .defer(*_RESULT_TEXTS)
    )
    if approved_only:
        results = results.filter(status=EntryStatus.APPROVED)
    by_key = {(r.indicator_id, r.round.months): r for r in results}
    years = range(fiscal_year.year - KPI_YEARS, fiscal_year.year)
    earlier = list(
        Indicator.objects.filter(
            organization_id__in={i.organization_id for i in shown},
            key__in={i.key for i in shown},
            fiscal_year__year__in=years,
        )
        .select_related("fiscal_year")
        .defer(*_KPI_TEXTS)
    )
    year_end = _year_end(earlier, approved_only)
    past = [y for y in years if any(k[2] == y for k in year_end)]
    rows = []
    for indicator in shown:
        measures = []
        for r in rounds:
            result = by_key.get((indicator.pk, r.months))
            measures.append((r.months, result_measure(indicator, result) if result else None))
        rows.append(
            KpiRow(
                indicator,
                measures,
                next(m for months, m in measures if months == chosen.months),
                [(y, year_end.get((indicator.organization_id, indicator.key, y))) for y in past],
            )
        )
    counts: dict[bool | None, int] = {True: 0, False: 0, None: 0}
    for row in rows:
        counts[row.measure.passed if row.measure is not None else None] += 1
    if rest:
        # The KPIs beyond the table's rows are counted too, read in the chosen round only.
        chosen_results = IndicatorResult.objects.filter(
            indicator_id__in=bulk.ids(i.pk for i in rest), unit__isnull=True, round=chosen
        ).defer(*_RESULT_TEXTS)
        if approved_only:
            chosen_results = chosen_results.filter(status=EntryStatus.APPROVED)
        found = {r.indicator_id: r for r in chosen_results}
        for indicator in rest:
            result = found.get(indicator.pk)
            counts[result_measure(indicator, result).passed if result else None] += 1
    return rows, total, past, counts, frozenset(i.organization_id for i in every)


def unit_rows(
    organization: Organization | None,
    subtree: frozenset[int],
    children_of: dict[int, list[int]],
    counts: dict[int, OrganizationRound],
    budget_by_org: dict[int, BudgetFigures],
    others: Collection[int] = (),
) -> list[UnitRow]:
    """The organisation's own plan, then each unit right below it with its own units added up
    (None: every organisation, by the tops of its trees)
    (`domain.rollup`: counts and amounts, never shares), in the units' code order; a unit with
    no plan, no budget line of the year and none of `others` in its subtree is left out."""

    def row(org: Organization, ids: frozenset[int], own: bool) -> UnitRow:
        parts = [counts[i] for i in ids if i in counts]
        budgets = [budget_by_org[i] for i in ids if i in budget_by_org]
        return UnitRow(
            organization=org,
            own=own,
            drillable=not own,
            bands=sum_band_counts(p.bands for p in parts),
            statuses=sum_counts(p.statuses for p in parts),
            budget=sum_figures(budgets) if budgets else None,
            organizations=ids,
        )

    units: list[UnitRow] = []
    if organization is None:
        # Every organisation: the units are the tops of the trees (the ministries).
        children = Organization.objects.filter(pk__in=subtree, parent__isnull=True).order_by("code")
    else:
        pk = organization.pk
        if pk in counts or pk in budget_by_org or pk in others:
            units.append(row(organization, frozenset({pk}), own=True))
        children = Organization.objects.filter(
            pk__in=[c for c in children_of.get(pk, ()) if c in subtree]
        ).order_by("code")
    for child in children:
        ids = access.with_descendants({child.pk}, children_of) & subtree
        if any(i in counts or i in budget_by_org or i in others for i in ids):
            units.append(row(child, ids, own=False))
    return units


def _path(organization: Organization, readable: set[int]) -> list[Organization]:
    """The organisations above it that the person reads, top first (the drill-up links)."""
    path = []
    current = organization.parent
    while current is not None and current.pk in readable:
        path.append(current)
        current = current.parent
    return list(reversed(path))
