"""Reading budget lines and their figures as of a day: one way for the documents, the
dashboard and the API (the same figure is the same number everywhere)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Sum

from tidtam import bulk
from tidtam.budgets.models import (
    OF_THE_YEAR,
    BudgetLine,
    BudgetMonth,
    BudgetSpending,
    monthly_plan_of,
)
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
from tidtam.periods.models import FiscalYear, Round


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
    drawn = [(s.as_of or s.round.end_date, s.disbursed_baht, s.committed_baht) for s in spending]
    monthly = line.monthly_plan() if plan == "read" else plan
    readings = LineReadings(line.annual_plan_baht, list(line.months.all()), drawn, monthly)
    return figures_on_days(readings, fiscal_year, [as_of])[0]


@dataclass(frozen=True)
class LineReadings:
    """What a line's figures are read from: its plan of the year, its months (each with
    `month`, `disbursed_baht` and `committed_baht`), its rounds' figures as (the day they were
    drawn, disbursed, committed), and its monthly plan."""

    annual_plan_baht: Decimal
    months: Sequence[Any]
    drawn: Sequence[tuple[date, Decimal, Decimal]]
    plan: MonthlyPlan | None


def figures_on_days(
    line: LineReadings, fiscal_year: int, days: Sequence[date]
) -> list[tuple[BudgetFigures, date]]:
    """`figures_as_of` on each of the days (in any order), the line read once: a month's
    curve reads every line as of twelve days."""
    nothing = Decimal("0.00")
    # (the day the figures are as of, disbursed by then, committed then), in order of day.
    readings: list[tuple[date, Decimal, Decimal]] = []
    reported = [m for m in line.months if m.disbursed_baht is not None]
    if reported:
        disbursed = nothing
        for month in sorted(reported, key=lambda m: m.month):
            disbursed += month.disbursed_baht or nothing
            end = fiscal_month_window(fiscal_year, month.month)[1]
            readings.append((end, disbursed, month.committed_baht or nothing))
    else:
        readings = sorted(line.drawn, key=lambda reading: reading[0])
    found = []
    # Days after the same last reading read the same figures: each reading's read once.
    by_reading: dict[int, BudgetFigures] = {}
    for as_of in days:
        # The last reading by the day (for a line reported by month: the months ended by then).
        index = bisect_right(readings, as_of, key=lambda reading: reading[0])
        day, disbursed, committed = readings[index - 1] if index else (as_of, nothing, nothing)
        figures = by_reading.get(index) if index else None
        if figures is None:
            due = planned_by_date(line.annual_plan_baht, line.plan, fiscal_year, day)
            figures = BudgetFigures(line.annual_plan_baht, disbursed, committed, due)
            if index:
                by_reading[index] = figures
        found.append((figures, day))
    return found


def spending_by_line(lines: Collection[BudgetLine]) -> dict[int, list[BudgetSpending]]:
    """Every round's figures of these lines (lines reported by round), by line."""
    by_line: dict[int, list[BudgetSpending]] = {}
    drawn_all = list(BudgetSpending.objects.filter(line__in=lines))
    # A few rounds for thousands of figures: each read once, and shared.
    rounds = Round.objects.select_related("fiscal_year").in_bulk({d.round_id for d in drawn_all})
    for drawn in drawn_all:
        drawn.round = rounds[drawn.round_id]
        by_line.setdefault(drawn.line_id, []).append(drawn)
    return by_line


@dataclass(frozen=True)
class YearLine:
    """A line of the year as a roll-up reads it: whose it is, and its readings."""

    pk: int
    organization_id: int
    readings: LineReadings


def _year_lines(organization_ids: Collection[int], fiscal_year: FiscalYear) -> list[YearLine]:
    """The organisations' lines of the year (carry-over left out) with their months, their
    rounds' figures and their monthly plans, each read once, as plain values (thousands of
    lines for a ministry: no model objects to build)."""
    lines = BudgetLine.objects.filter(
        OF_THE_YEAR, organization_id__in=organization_ids, fiscal_year=fiscal_year
    )
    months: dict[int, list[Any]] = {}
    for month in (
        BudgetMonth.objects.filter(line__in=lines)
        .order_by("line_id", "month")
        .values_list(
            "line_id", "month", "planned_baht", "disbursed_baht", "committed_baht", named=True
        )
    ):
        months.setdefault(month.line_id, []).append(month)
    spending = BudgetSpending.objects.filter(line__in=lines)
    ends = {
        round_.pk: round_.end_date
        for round_ in Round.objects.filter(pk__in=spending.values("round_id")).select_related(
            "fiscal_year"
        )
    }
    drawn: dict[int, list[tuple[date, Decimal, Decimal]]] = {}
    for line_id, as_of, round_id, disbursed, committed in spending.values_list(
        "line_id", "as_of", "round_id", "disbursed_baht", "committed_baht"
    ):
        drawn.setdefault(line_id, []).append((as_of or ends[round_id], disbursed, committed))
    found = []
    for pk, organization_id, annual in lines.order_by("number").values_list(
        "pk", "organization_id", "annual_plan_baht"
    ):
        own = months.get(pk, [])
        readings = LineReadings(annual, own, drawn.get(pk, []), monthly_plan_of(own))
        found.append(YearLine(pk, organization_id, readings))
    return found


def _by_organization(lines: list[YearLine], year: int, as_of: date) -> dict[int, BudgetFigures]:
    by_organization: dict[int, list[BudgetFigures]] = {}
    for line in lines:
        now = figures_on_days(line.readings, year, [as_of])[0][0]
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
        lines = _year_lines(ids[start : start + _ORGANIZATIONS_AT_A_TIME], fiscal_year)
        figures.update(_by_organization(lines, fiscal_year.year, as_of))
    return figures


_ORGANIZATIONS_AT_A_TIME = 20


def monthly_curve(
    organization_ids: Collection[int], fiscal_year: FiscalYear, today: date
) -> tuple[list[CurvePoint], dict[int, BudgetFigures]]:
    """The organisations' budget of the year (carry-over left out) by the end of each fiscal
    month: the plan due by then, and the figures as of then for the months ended by `today`
    (the documents' own reading of each line: `figures_as_of`); and each organisation's
    figures as of `today`, by organisation id (one without a line is left out)."""
    curves = _curves_of(_year_lines(organization_ids, fiscal_year), fiscal_year.year, today)
    return add_curves(curves, fiscal_year.year, today)


# An organisation's own lines read as the curve reads them: by the end of each fiscal month,
# and its figures as of the day.
OrganizationCurve = tuple[list[CurvePoint], BudgetFigures]


def _curves_of(lines: list[YearLine], year: int, today: date) -> dict[int, OrganizationCurve]:
    """Each organisation's curve of its own lines (one without a line is left out)."""
    ends = [fiscal_month_window(year, month)[1] for month in range(1, MONTHS_IN_YEAR + 1)]
    ended = [end for end in ends if end <= today]
    by_organization: dict[int, list[YearLine]] = {}
    for line in lines:
        by_organization.setdefault(line.organization_id, []).append(line)
    curves = {}
    for organization_id, own in by_organization.items():
        # Each line read once, as of every month's end by today and as of today.
        read = [figures_on_days(line.readings, year, [*ended, today]) for line in own]
        points = [
            CurvePoint(
                month,
                sum(
                    (
                        planned_by_month(line.readings.annual_plan_baht, line.readings.plan, month)
                        for line in own
                    ),
                    Decimal(0),
                ),
                sum_figures(days[month - 1][0] for days in read) if end <= today else None,
            )
            for month, end in enumerate(ends, start=1)
        ]
        curves[organization_id] = (points, sum_figures(days[-1][0] for days in read))
    return curves


def add_curves(
    curves: dict[int, OrganizationCurve], year: int, today: date
) -> tuple[list[CurvePoint], dict[int, BudgetFigures]]:
    """Organisations' curves added up month by month (every line's unrounded amounts, as one
    reading of all their lines gives), and each organisation's figures as of the day. Always in
    the order of the organisations' ids: an unrounded amount's last digit (of 28) may depend on
    the order it is added in, and the same organisations give the same figures."""
    in_order = [curves[org_id][0] for org_id in sorted(curves)]
    points = []
    for month in range(1, MONTHS_IN_YEAR + 1):
        end = fiscal_month_window(year, month)[1]
        parts = [organization_points[month - 1] for organization_points in in_order]
        points.append(
            CurvePoint(
                month,
                sum((part.planned for part in parts), Decimal(0)),
                sum_figures(part.figures for part in parts if part.figures is not None)
                if end <= today
                else None,
            )
        )
    return points, {org_id: latest for org_id, (_, latest) in curves.items()}


def monthly_curve_remembered(
    organization_ids: Collection[int],
    fiscal_year: FiscalYear,
    today: date,
    *,
    keep: int = bulk.REMEMBERED_SECONDS,
) -> tuple[list[CurvePoint], dict[int, BudgetFigures]]:
    """`monthly_curve`, each organisation's own curve kept in the cache every server process
    shares for the year and day until any budget figure changes (`bulk.remembered_each`): a
    ministry's thousands of lines are read once, not on every visit to its dashboard, and a
    department's dashboard reads what its ministry's has read already (and the other way)."""

    def read(missing: list[int]) -> dict[int, OrganizationCurve]:
        curves: dict[int, OrganizationCurve] = {}
        # A few organisations at a time (a whole country's lines at once: figures_by_organization).
        for start in range(0, len(missing), _ORGANIZATIONS_AT_A_TIME):
            lines = _year_lines(missing[start : start + _ORGANIZATIONS_AT_A_TIME], fiscal_year)
            curves.update(_curves_of(lines, fiscal_year.year, today))
        return curves

    curves = bulk.remembered_each(
        "curve",
        sorted(organization_ids),
        (fiscal_year.pk, today.isoformat()),
        (BudgetLine, BudgetMonth, BudgetSpending),
        read,
        keep=keep,
    )
    found = {org_id: curve for org_id, curve in curves.items() if curve is not None}
    return add_curves(found, fiscal_year.year, today)


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
