"""Reading budget lines and their figures as of a day: one way for the documents, the
dashboard and the API (the same figure is the same number everywhere)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Literal

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Sum

from tidtam.budgets.models import OF_THE_YEAR, BudgetLine, BudgetMonth, BudgetSpending
from tidtam.domain.budget import BudgetFigures, sum_figures
from tidtam.domain.disbursement import (
    MONTHS_IN_YEAR,
    MonthlyPlan,
    cumulative,
    planned_by_date,
    planned_by_month,
)
from tidtam.domain.fiscal import fiscal_month_window
from tidtam.domain.rollup import CurvePoint
from tidtam.periods.models import FiscalYear


def lines_of(organization_ids: Collection[int], fiscal_year: FiscalYear) -> list[BudgetLine]:
    """The organisations' lines of the year, each marked `of_the_year` (carry-over: False) by
    the database from the one rule (budgets.models.OF_THE_YEAR)."""
    return list(
        BudgetLine.objects.filter(organization_id__in=organization_ids, fiscal_year=fiscal_year)
        .annotate(of_the_year=ExpressionWrapper(OF_THE_YEAR, output_field=BooleanField()))
        .select_related("category", "fund_source")
        .prefetch_related(Prefetch("months", queryset=BudgetMonth.objects.order_by("month")))
        .order_by("number")
    )


def figures_as_of(
    line: BudgetLine,
    spending: list[BudgetSpending],
    fiscal_year: int,
    as_of: date,
    plan: MonthlyPlan | Literal["read"] | None = "read",
) -> tuple[BudgetFigures, date]:
    """A line's figures as of a day: for a line reported by month, its months ended by then
    (committed as at the last of them); for a line reported by round, the latest round's
    figures drawn by then. The day returned is the one they are really as of. `plan`: the
    line's monthly plan when the caller has read it already."""
    reported = [m for m in line.months.all() if m.disbursed_baht is not None]
    nothing = Decimal("0.00")
    disbursed = committed = nothing
    day = as_of
    if reported:
        ended = [m for m in reported if fiscal_month_window(fiscal_year, m.month)[1] <= as_of]
        if ended:
            disbursed = sum((m.disbursed_baht or nothing for m in ended), nothing)
            committed = ended[-1].committed_baht or nothing
            day = fiscal_month_window(fiscal_year, ended[-1].month)[1]
    else:
        drawn = sorted(
            (
                (s.as_of or s.round.end_date, s)
                for s in spending
                if (s.as_of or s.round.end_date) <= as_of
            ),
            key=lambda pair: pair[0],
        )
        if drawn:
            day, latest = drawn[-1]
            disbursed, committed = latest.disbursed_baht, latest.committed_baht
    monthly = line.monthly_plan() if plan == "read" else plan
    due = planned_by_date(line.annual_plan_baht, monthly, fiscal_year, day)
    return BudgetFigures(line.annual_plan_baht, disbursed, committed, planned_to_date=due), day


def spending_by_line(lines: Collection[BudgetLine]) -> dict[int, list[BudgetSpending]]:
    """Every round's figures of these lines (lines reported by round), by line."""
    by_line: dict[int, list[BudgetSpending]] = {}
    for drawn in BudgetSpending.objects.filter(line__in=lines).select_related("round__fiscal_year"):
        by_line.setdefault(drawn.line_id, []).append(drawn)
    return by_line


def _year_lines(
    organization_ids: Collection[int], fiscal_year: FiscalYear
) -> tuple[list[BudgetLine], dict[int, list[BudgetSpending]], dict[int, MonthlyPlan | None]]:
    """The organisations' lines of the year (carry-over left out), their rounds' figures and
    their monthly plans, each read once."""
    # Only what a line's figures are read from: its plan, its months and its rounds' figures.
    lines = list(
        BudgetLine.objects.filter(
            OF_THE_YEAR, organization_id__in=organization_ids, fiscal_year=fiscal_year
        )
        .only("organization_id", "annual_plan_baht")
        .prefetch_related(
            Prefetch(
                "months",
                queryset=BudgetMonth.objects.order_by("month").only(
                    "line_id", "month", "planned_baht", "disbursed_baht", "committed_baht"
                ),
            )
        )
        .order_by("number")
    )
    return lines, spending_by_line(lines), {line.pk: line.monthly_plan() for line in lines}


def _by_organization(
    lines: list[BudgetLine],
    spending: dict[int, list[BudgetSpending]],
    plans: dict[int, MonthlyPlan | None],
    year: int,
    as_of: date,
) -> dict[int, BudgetFigures]:
    by_organization: dict[int, list[BudgetFigures]] = {}
    for line in lines:
        now = figures_as_of(line, spending.get(line.pk, []), year, as_of, plans[line.pk])[0]
        by_organization.setdefault(line.organization_id, []).append(now)
    return {org_id: sum_figures(parts) for org_id, parts in by_organization.items()}


def figures_by_organization(
    organization_ids: Collection[int], fiscal_year: FiscalYear, as_of: date
) -> dict[int, BudgetFigures]:
    """Each organisation's budget of the year (carry-over left out) as of a day, its lines
    read as the documents read them; one without a line is left out. Read a few organisations
    at a time: every organisation's lines and months at once would hold hundreds of thousands
    of rows in memory (the national roll-up: bench/rollup.py)."""
    ids = sorted(organization_ids)
    figures: dict[int, BudgetFigures] = {}
    for start in range(0, len(ids), _ORGANIZATIONS_AT_A_TIME):
        lines, spending, plans = _year_lines(
            ids[start : start + _ORGANIZATIONS_AT_A_TIME], fiscal_year
        )
        figures.update(_by_organization(lines, spending, plans, fiscal_year.year, as_of))
    return figures


_ORGANIZATIONS_AT_A_TIME = 20


def monthly_curve(
    organization_ids: Collection[int], fiscal_year: FiscalYear, today: date
) -> tuple[list[CurvePoint], dict[int, BudgetFigures]]:
    """The organisations' budget of the year (carry-over left out) by the end of each fiscal
    month: the plan due by then, and the figures as of then for the months ended by `today`
    (the documents' own reading of each line: `figures_as_of`); and each organisation's
    figures as of `today`, by organisation id (one without a line is left out)."""
    lines, spending, plans = _year_lines(organization_ids, fiscal_year)
    year = fiscal_year.year
    points = []
    latest = _by_organization(lines, spending, plans, year, today)
    for month in range(1, MONTHS_IN_YEAR + 1):
        end = fiscal_month_window(year, month)[1]
        planned = sum(
            (planned_by_month(line.annual_plan_baht, plans[line.pk], month) for line in lines),
            Decimal(0),
        )
        figures: BudgetFigures | None = (
            sum_figures(
                figures_as_of(line, spending.get(line.pk, []), year, end, plans[line.pk])[0]
                for line in lines
            )
            if end <= today
            else None
        )
        points.append(CurvePoint(month, planned, figures))
    return points, latest


def past_years(organization_ids: Collection[int], year: int, years: int = 3) -> list[list[Decimal]]:
    """The organisations' disbursement by the end of each month of the years before `year`,
    from the lines they reported by month (a year without a full twelve months tells nothing
    and is left out): what the year-end forecast learns the year's shape from."""
    past = []
    for earlier in range(year - years, year):
        lines = BudgetLine.objects.filter(
            OF_THE_YEAR, organization_id__in=organization_ids, fiscal_year__year=earlier
        )
        months = BudgetMonth.objects.filter(line__in=lines, disbursed_baht__isnull=False)
        flows = dict(
            months.values_list("month").annotate(total=Sum("disbursed_baht")).order_by("month")
        )
        if len(flows) == MONTHS_IN_YEAR:
            past.append(cumulative([flows[m] for m in range(1, MONTHS_IN_YEAR + 1)]))
    return past
