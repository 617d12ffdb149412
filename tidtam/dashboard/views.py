"""/dashboard/: an organisation and the units below it at a glance, with a table beside every
chart (for screen readers and for copying), and a link down to each unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from tidtam.dashboard.selectors import Dashboard
from tidtam.dashboard.selectors import dashboard as dashboard_of
from tidtam.domain.money import round_half_up
from tidtam.domain.progress import Band
from tidtam.domain.thai import fiscal_month_name
from tidtam.messages import PASSED_LABELS
from tidtam.periods import clock


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) <= 4 else None


def _shown(value: Decimal | None) -> float | None:
    """A percent for the chart (the tables print it with the template filters)."""
    return None if value is None else float(round_half_up(value, 2))


def link(data: Dashboard, **changes: Any) -> str:
    params: dict[str, Any] = {
        "org": data.organization.code,
        "fy": data.fiscal_year.year,
        "round": data.round.months,
        **({"approved": "1"} if data.approved_only else {}),
    }
    params.update(changes)
    query = {k: str(v) for k, v in params.items() if v is not None}
    return f"{reverse('dashboard:home')}?{urlencode(query)}"


def chart_data(data: Dashboard) -> dict[str, Any]:
    """What the charts draw: the same figures as the tables beside them."""
    allocation = data.budget.plan if data.budget is not None else Decimal(0)
    return {
        "bands": {
            "labels": [data.band_labels[b] for b in data.counted_bands],
            "keys": [b.value for b in data.counted_bands],
            "units": [
                {
                    "name": row.organization.label + (" (แผนของหน่วยงานเอง)" if row.own else ""),
                    "url": link(data, org=row.organization.code) if row.drillable else "",
                    "counts": [row.bands.bands[b] for b in data.counted_bands],
                }
                for row in data.units
            ],
        },
        "statuses": {
            "labels": list(data.status_labels.values()),
            "units": [
                {
                    "name": row.organization.label,
                    "counts": [row.statuses.get(k, 0) for k in data.status_labels],
                }
                for row in data.units
            ],
        },
        "budget": {
            "months": [fiscal_month_name(p.month, short=True) for p in data.curve],
            "planned": [_shown(p.planned_percent(allocation)) for p in data.curve],
            "disbursed": [_shown(p.disbursed_percent(allocation)) for p in data.curve],
            "spent": [_shown(p.spent_percent(allocation)) for p in data.curve],
            "targets": [
                {"month": t.quarter * 3 - 1, "percent": _shown(t.percent), "measure": t.measure}
                for t in data.targets
            ],
            "forecast": _forecast_series(data, allocation),
        },
    }


def _forecast_series(data: Dashboard, allocation: Decimal) -> dict[str, list[float | None]]:
    """The year-end forecast month by month from the last month ended (that month's result
    first, so that the line goes on from the result)."""
    series: dict[str, list[float | None]] = {"expected": [], "low": [], "high": []}
    forecast = data.forecast
    for point in data.curve:
        if forecast is None or point.month < max(forecast.reported_month, 1):
            for values in series.values():
                values.append(None)
            continue
        expected, low, high = forecast.at(point.month).percents(allocation)
        series["expected"].append(_shown(expected))
        series["low"].append(_shown(low))
        series["high"].append(_shown(high))
    return series


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    data = dashboard_of(
        request.user,
        org_code=request.GET.get("org") or None,
        year=_int(request.GET.get("fy")),
        round_months=_int(request.GET.get("round")),
        approved_only=request.GET.get("approved") == "1",
        today=clock.today(),
    )
    allocation = data.budget.plan if data.budget is not None else Decimal(0)
    bands, statuses = data.counted_bands, list(data.status_labels)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "data": data,
            "charts": chart_data(data),
            "band_headings": [data.band_labels[b] for b in bands],
            "band_rows": [
                (
                    row,
                    link(data, org=row.organization.code) if row.drillable else "",
                    [row.bands.bands[b] for b in bands],
                )
                for row in data.units
            ],
            "band_totals": [(b.value, data.bands.bands[b], data.bands.share(b)) for b in bands],
            "lagging_label": data.band_labels[Band.BELOW_50],
            "status_rows": [
                (row, [row.statuses.get(k, 0) for k in statuses]) for row in data.units
            ],
            "status_totals": [(k, data.statuses.get(k, 0)) for k in statuses],
            "months": [
                (
                    fiscal_month_name(p.month),
                    p.planned_percent(allocation),
                    p.disbursed_percent(allocation),
                    p.spent_percent(allocation),
                    p.figures is not None,
                )
                for p in data.curve
            ],
            "year_end": (
                data.forecast.year_end.percents(allocation) if data.forecast is not None else None
            ),
            "kpi_summary": [(PASSED_LABELS[k], n) for k, n in data.kpi_counts.items()],
            "switch_url": link(data, approved=None if data.approved_only else "1"),
            "round_links": [(r, link(data, round=r.months)) for r in data.rounds],
            "year_links": [(y, link(data, fy=y, round=None)) for y in data.years],
            "up_links": [(o, link(data, org=o.code)) for o in data.path],
            "unit_links": {
                row.organization.pk: link(data, org=row.organization.code) for row in data.units
            },
        },
    )
