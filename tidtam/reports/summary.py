"""สรุปผลการดำเนินงานของหน่วยงานและหน่วยงานในสังกัด: an organisation (a ministry) and the units
right below it side by side for a round, each unit its own units added up.

The same figures as the dashboard and the national band tables: the stored bands counted by
the database (`progress.selectors.round_counts`, every reported result as the documents count
them), each budget line read as the quarterly report reads it as of the round
(`budgets.selectors.figures_by_organization`), each KPI read by `result_measure`; units added
up by the core (`domain.rollup`, `domain.budget.sum_figures`): counts and amounts, never shares.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from decimal import Decimal

from tidtam.agreements.models import IN_A_DOCUMENT, Indicator, IndicatorResult
from tidtam.agreements.services import result_measure
from tidtam.budgets.selectors import figures_by_organization
from tidtam.dashboard.selectors import UnitRow, later_words, unit_rows
from tidtam.domain import fiscal
from tidtam.domain.budget import BudgetFigures, sum_figures
from tidtam.domain.errors import DomainError
from tidtam.domain.progress import DEFAULT_THRESHOLDS
from tidtam.domain.rollup import COUNTED_BANDS, BandCounts, sum_band_counts, sum_counts
from tidtam.domain.thai import format_percent
from tidtam.messages import DOCUMENT_TITLES, PASSED_LABELS, band_label
from tidtam.orgs import access
from tidtam.orgs.models import Organization
from tidtam.periods.models import Round
from tidtam.progress.selectors import STATUS_LABELS, round_counts
from tidtam.reports import content as c

KPI_ORDER = (True, False, None)


def _kpis_by_organization(
    subtree: Collection[int], round_: Round
) -> dict[int, Counter[bool | None]]:
    """Per organisation, its KPIs in a document of the year by whether the round's result
    reaches the target (None: no result to compare yet)."""
    indicators = Indicator.objects.filter(
        IN_A_DOCUMENT, organization_id__in=subtree, fiscal_year=round_.fiscal_year
    ).distinct()
    results = {
        r.indicator_id: r
        for r in IndicatorResult.objects.filter(
            indicator__in=indicators, round=round_, unit__isnull=True
        )
    }
    counts: dict[int, Counter[bool | None]] = {}
    for indicator in indicators:
        result = results.get(indicator.pk)
        passed = result_measure(indicator, result).passed if result is not None else None
        counts.setdefault(indicator.organization_id, Counter())[passed] += 1
    return counts


def _row(
    code: str,
    name: str,
    own: bool,
    bands: BandCounts,
    statuses: dict[str, int],
    budget: BudgetFigures | None,
    kpis: Counter[bool | None],
) -> c.SummaryRow:
    def percent(value: Decimal | None) -> str:
        return format_percent(value)

    return c.SummaryRow(
        code=code,
        name=name,
        own=own,
        band_counts=[bands.bands[b] for b in COUNTED_BANDS],
        band_shares_text=[percent(bands.share(b)) for b in COUNTED_BANDS],
        counted=bands.total,
        not_counted=bands.not_counted,
        excluded=bands.excluded,
        statuses=[statuses.get(k, 0) for k in STATUS_LABELS],
        plan_baht=budget.plan if budget else None,
        disbursed_baht=budget.disbursed if budget else None,
        spent_baht=budget.spent if budget else None,
        percent_disbursed_text=percent(budget.percent_disbursed) if budget else "-",
        percent_spent_text=percent(budget.percent_spent) if budget else "-",
        kpis_passed=kpis[True],
        kpis_failed=kpis[False],
        kpis_pending=kpis[None],
    )


# Every organisation at once (`tidtam report summary --org all`): the national roll-up.
EVERY_ORGANIZATION = "all"
EVERY_NAME = "ทุกหน่วยงาน"


def summary_report(org_code: str, year: int, months: int) -> c.SummaryReport:
    """The summary of an organisation and its units; of every organisation (by the tops of
    its trees) for `EVERY_ORGANIZATION`: each figure read once for all of them, then added up."""
    fiscal.check_be_year(year, field="ปีงบประมาณ")
    fiscal.check_round(months)
    organization = None
    if org_code != EVERY_ORGANIZATION:
        organization = Organization.objects.filter(code=org_code).first()
        if organization is None:
            raise DomainError("organization_unknown", code=org_code)
    round_ = (
        Round.objects.select_related("fiscal_year")
        .filter(fiscal_year__year=year, months=months)
        .first()
    )
    if round_ is None:
        raise DomainError("round_missing", year=year, months=months)
    children_of = access.descendants_map()
    subtree = (
        access.with_descendants({organization.pk}, children_of)
        if organization is not None
        else frozenset(Organization.objects.values_list("pk", flat=True))
    )
    counts = round_counts(round_, subtree)
    budgets = figures_by_organization(subtree, round_.fiscal_year, round_.end_date)
    kpis = _kpis_by_organization(subtree, round_)
    units: list[UnitRow] = unit_rows(
        organization, subtree, children_of, counts, budgets, others=set(kpis)
    )

    def kpis_of(ids: Collection[int]) -> Counter[bool | None]:
        total: Counter[bool | None] = Counter()
        for i in ids:
            total.update(kpis.get(i, Counter()))
        return total

    rows = [
        _row(
            row.organization.code,
            row.organization.label,
            row.own,
            row.bands,
            row.statuses,
            row.budget,
            kpis_of(row.organizations),
        )
        for row in units
    ]
    total = _row(
        org_code,
        "รวมทั้งสิ้น",
        False,
        sum_band_counts(p.bands for p in counts.values()),
        sum_counts(p.statuses for p in counts.values()),
        sum_figures(budgets.values()) if budgets else None,
        kpis_of(subtree),
    )
    later = later_words(round_)
    label = organization.label if organization is not None else EVERY_NAME
    title = DOCUMENT_TITLES["summary"]
    return c.SummaryReport(
        document="summary",
        organization=(
            c.Organization(
                code=organization.code, name=organization.name, short_name=organization.short_name
            )
            if organization is not None
            else c.Organization(code=EVERY_ORGANIZATION, name=EVERY_NAME, short_name=EVERY_NAME)
        ),
        fiscal_year=year,
        round_months=months,
        dated=round_.end_date,
        page_title=f"{title} {label} {round_.get_months_display()} ปีงบประมาณ {year}",
        title=f"{title}: {organization.name if organization is not None else EVERY_NAME}",
        subtitle=f"{round_.get_months_display()} ปีงบประมาณ พ.ศ. {year}",
        band_keys=[b.value for b in COUNTED_BANDS],
        band_labels=[band_label(b, DEFAULT_THRESHOLDS, later=later) for b in COUNTED_BANDS],
        status_labels=list(STATUS_LABELS.values()),
        kpi_labels=[PASSED_LABELS[k] for k in KPI_ORDER],
        rows=rows,
        total=total,
        notes=[
            "แต่ละหน่วยงานรวมหน่วยงานในสังกัดของตน นับจำนวนโครงการและรวมจำนวนเงิน (ไม่เฉลี่ยร้อยละ)"
            " นับผลที่รายงานแล้วทุกสถานะเช่นเดียวกับรายงานรายไตรมาส",
            "แต่ละแผนจัดโครงการเข้ากลุ่มตามเกณฑ์ของแผนนั้น; หัวตารางแสดงเกณฑ์มาตรฐาน",
            f"งบประมาณ ณ วันสิ้นรอบ {months} เดือน ไม่รวมเงินกันไว้เบิกเหลื่อมปี",
        ],
    )
