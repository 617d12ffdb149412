"""/dashboard/: an organisation with its units, with the documents' own figures.

The seed agency's bands, status and budget are the quarterly report's; a generated ministry's
are its departments' and bureaus' added up (each counted by the national band tables, apart);
the approved-only switch counts approved results only; another organisation's is not found."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.test import Client, override_settings

from tests.app.conftest import signed_in
from tidtam.agreements.models import IN_A_DOCUMENT, Indicator
from tidtam.budgets.models import OF_THE_YEAR, BudgetLine
from tidtam.budgets.selectors import figures_on_days
from tidtam.domain.money import round_half_up
from tidtam.domain.progress import Band
from tidtam.messages import MET_LABELS
from tidtam.orgs import access
from tidtam.orgs.models import Organization
from tidtam.periods.models import Round
from tidtam.plans.models import WorkItem
from tidtam.progress.models import ProgressEntry
from tidtam.progress.selectors import band_tables, round_status
from tidtam.reports.quarterly import quarterly_report
from tidtam.seeds.generate import Scale, generate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

YEAR = 2567
BANDS = (Band.LATER_QUARTER, Band.BELOW_50, Band.FROM_50, Band.FROM_80)


@pytest.fixture(autouse=True)
def _demo_day() -> Iterator[None]:
    with override_settings(DEMO_TODAY="2024-04-08"):
        yield


def page(client: Client, **params: str) -> Any:
    response = client.get("/dashboard/", params)
    assert response.status_code == 200
    return response


def test_an_executive_sees_the_agency_as_the_quarterly_report_counts_it() -> None:
    response = page(signed_in(Client(), "executive"))
    data = response.context["data"]
    assert (data.organization.code, data.fiscal_year.year, data.round.months) == (
        "onesqa",
        YEAR,
        6,
    )
    report = quarterly_report("onesqa", YEAR, 6).model_dump(mode="json")
    totals = report["band_table"]["totals"]
    assert {b.value: n for b, n in data.bands.bands.items()} == {
        b.value: totals[b.value]["count"] for b in BANDS
    }
    assert data.bands.bands[Band.BELOW_50] == 28
    html = response.content.decode()
    assert 'data-band="below_50">28 (50.91)' in html
    # The status per unit adds up to the round status page's totals of the same plan.
    status = round_status(data.units[0].organization.plans.get(fiscal_year__year=YEAR), data.round)
    assert data.statuses == {k: n for k, n in status.status_totals.items() if n}
    # The budget by the end of March is the report's as of the round: 80,321,300.00 baht.
    march = data.curve[5]
    assert march.figures is not None
    assert march.figures.disbursed == Decimal(report["budget"]["total"]["disbursed_baht"])
    assert data.budget.plan == Decimal(report["budget"]["total"]["plan_baht"])
    assert data.curve[-1].planned == data.budget.plan
    assert data.curve[6].figures is None  # April has not ended on 8 April
    # The year-end forecast is the report's: the same core, plan, disbursement and past years.
    forecast = report["budget"]["forecast"]
    assert data.forecast is not None and data.forecast.reported_month == 6
    expected, low, high = data.forecast.year_end.percents(data.budget.plan)
    assert expected == Decimal(forecast["expected_percent"]) and low is not None
    assert low <= expected <= high  # type: ignore[operator]
    assert f"ร้อยละ {forecast['expected_percent_text']} (ช่วง {forecast['low_percent_text']}" in html
    # Every lagging item is listed, each linking to its entry.
    assert data.lagging_total == 28 == len(data.lagging)
    assert f"/work/items/{data.lagging[0].pk}/rounds/{data.round.pk}/" in html


def test_approved_only_counts_approved_results_and_says_so() -> None:
    client = signed_in(Client(), "planner")
    before = page(client, org="onesqa", fy="2567", round="6").context["data"]
    round_ = Round.objects.get(fiscal_year__year=YEAR, months=6)
    counted = ProgressEntry.objects.filter(
        round=round_,
        work_item__plan__organization__code="onesqa",
        work_item__excluded=False,
        work_item__later_quarter_from__isnull=True,
        band__in=[Band.BELOW_50, Band.FROM_80],
    ).order_by("pk")[:2]
    ProgressEntry.objects.filter(pk__in=[e.pk for e in counted]).update(status="approved")

    response = page(client, org="onesqa", fy="2567", round="6", approved="1")
    data = response.context["data"]
    later = before.bands.bands[Band.LATER_QUARTER]
    assert data.approved_only
    assert data.bands.total == later + 2
    assert data.bands.not_counted == before.bands.total - later - 2
    assert data.statuses["approved"] == before.statuses.get("approved", 0) + 2
    html = response.content.decode()
    assert 'aria-checked="true"' in html and "นับเฉพาะผลที่ผู้อนุมัติอนุมัติแล้ว" in html
    # Without the switch the drafts count again.
    assert page(client, org="onesqa").context["data"].bands == before.bands


def test_another_organisations_dashboard_is_not_found() -> None:
    assert (
        signed_in(Client(), "bic-planner").get("/dashboard/", {"org": "onesqa"}).status_code == 404
    )
    assert signed_in(Client(), "planner").get("/dashboard/", {"org": "ops-bic"}).status_code == 404
    assert signed_in(Client(), "planner").get("/dashboard/", {"org": "nope"}).status_code == 404


def test_the_ministry_above_sees_its_department_and_its_kpis() -> None:
    data = page(signed_in(Client(), "moe-planner")).context["data"]
    assert data.organization.code == "moe"
    # สป. has no plan or budget line, but สต. below it has KPIs: its row opens its dashboard.
    assert [(row.organization.code, row.drillable) for row in data.units] == [("ops", True)]
    assert data.kpi_total == len(data.kpis) > 0
    assert {row.indicator.organization.code for row in data.kpis} == {"ops-bic"}


@pytest.fixture(scope="module")
def ministry(seeded: None, django_db_blocker: Any) -> Iterator[str]:
    """Generated once for the module (read only), in a transaction rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        generate(
            fiscal_year=YEAR,
            scale=Scale(organizations=7, work_items=400, kpis=40, budget_lines=30),
            seed=13,
        )
        codes = list(
            Organization.objects.filter(code__startswith="gen-", parent__isnull=True)
            .order_by("code")
            .values_list("code", flat=True)
        )
        yield codes[0]
        transaction.set_rollback(True)


def subtree_codes(code: str) -> list[str]:
    org = Organization.objects.get(code=code)
    ids = access.with_descendants({org.pk}, access.descendants_map())
    return list(Organization.objects.filter(pk__in=ids).values_list("code", flat=True))


def test_a_ministry_is_its_units_added_up_and_drills_down_to_each(ministry: str) -> None:
    get_user_model().objects.create_superuser("demo", password="x")
    client = signed_in(Client(), "demo")
    data = page(client, org=ministry, fy="2567", round="6").context["data"]
    codes = subtree_codes(ministry)
    tables = band_tables(fiscal_year=YEAR, round_months=6, organization_codes=codes)
    assert len(tables) > 1
    assert {b: data.bands.bands[b] for b in BANDS} == {
        b: sum(t.band_totals[b] for t in tables.values()) for b in BANDS
    }
    assert data.bands.excluded == sum(t.excluded for t in tables.values()) > 0
    # Each unit's row is its own subtree's tables added up, and opens its own dashboard with
    # the same figures.
    drilled = [row for row in data.units if row.drillable]
    assert drilled
    for row in data.units:
        own = [row.organization.code] if row.own else subtree_codes(row.organization.code)
        assert {b: row.bands.bands[b] for b in BANDS} == {
            b: sum(tables[c].band_totals[b] for c in own if c in tables) for b in BANDS
        }
    unit = drilled[0]
    below = page(client, org=unit.organization.code, fy="2567", round="6").context["data"]
    assert below.bands == unit.bands and below.statuses == unit.statuses
    assert [o.code for o in below.path][-1] == ministry
    # The budget: every line of the year in the subtree, carry-over left out.
    plan = BudgetLine.objects.filter(
        OF_THE_YEAR, organization__code__in=codes, fiscal_year__year=YEAR
    ).aggregate(total=Sum("annual_plan_baht"))["total"]
    assert data.budget is not None and data.budget.plan == plan
    assert data.curve[-1].planned == plan
    assert sum((r.budget.plan for r in data.units if r.budget), Decimal(0)) == plan
    # The same count of items everywhere: bands and statuses cover the round's items.
    items = WorkItem.objects.filter(
        plan__organization__code__in=codes, plan__fiscal_year__year=YEAR
    )
    assert data.bands.total + data.bands.not_counted + data.bands.excluded == items.count()
    # The lagging items: every item in the lowest band (a page of the first 50 shown), counted
    # from the entries themselves.
    lagging = ProgressEntry.objects.filter(
        work_item__in=items.filter(excluded=False).exclude(later_quarter_from__gt=2),
        round=data.round,
        band=Band.BELOW_50.value,
    )
    assert data.lagging_total == lagging.count() > len(data.lagging) == 50
    assert {i.pk for i in data.lagging} <= set(lagging.values_list("work_item_id", flat=True))


def test_the_ministry_summary_lists_its_units_side_by_side_as_the_dashboard_adds_them(
    ministry: str,
) -> None:
    from openpyxl import load_workbook

    from tidtam.reports.documents import DOCUMENTS
    from tidtam.reports.render import render

    get_user_model().objects.create_superuser("demo", password="x")
    data = page(signed_in(Client(), "demo"), org=ministry, fy="2567", round="6").context["data"]
    summary = DOCUMENTS["summary"].content(ministry, YEAR, 6)
    assert [r.code for r in summary.rows] == [u.organization.code for u in data.units]
    for row, unit in zip(summary.rows, data.units, strict=True):
        assert row.band_counts == [unit.bands.bands[b] for b in BANDS]
        assert row.statuses == [unit.statuses.get(k, 0) for k in data.status_labels]
        assert row.counted == unit.bands.total and row.not_counted == unit.bands.not_counted
    # The total is the units added up, and the national band tables' count of the subtree.
    tables = band_tables(
        fiscal_year=YEAR, round_months=6, organization_codes=subtree_codes(ministry)
    )
    assert summary.total.band_counts == [
        sum(t.band_totals[b] for t in tables.values()) for b in BANDS
    ]
    assert summary.total.band_counts == [
        sum(r.band_counts[i] for r in summary.rows) for i in range(len(BANDS))
    ]
    assert summary.total.plan_baht == sum(r.plan_baht or 0 for r in summary.rows)
    kpis = summary.total.kpis_passed + summary.total.kpis_failed + summary.total.kpis_pending
    assert kpis == sum(r.kpis_passed + r.kpis_failed + r.kpis_pending for r in summary.rows) > 0
    # The workbook holds the figures as numbers.
    book = load_workbook(io.BytesIO(render(summary, "xlsx")))
    sheet = book["สรุป"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    total = next(v for v in values if v[0] == "รวมทั้งสิ้น")
    assert total[1 : 1 + len(BANDS)] == summary.total.band_counts
    assert total[1 + len(BANDS) + 3 + 5] == pytest.approx(float(summary.total.plan_baht))


def test_the_summary_of_the_ministry_above_names_its_department_by_its_kpis() -> None:
    from tidtam.reports.documents import DOCUMENTS

    summary = DOCUMENTS["summary"].content("moe", 2564, 12)
    # สต. (ops-bic) has KPIs and no plan: the unit above it (สป.) carries them up.
    assert [r.code for r in summary.rows] == ["ops"]
    bic = Indicator.objects.filter(
        IN_A_DOCUMENT, organization__code="ops-bic", fiscal_year__year=2564
    )
    assert summary.rows[0].kpis_pending == summary.total.kpis_pending == bic.distinct().count() > 0


def test_the_national_summary_is_each_ministrys_total_added_up(ministry: str) -> None:
    from tidtam.reports.documents import DOCUMENTS

    national = DOCUMENTS["summary"].content("all", YEAR, 6)
    rows = {r.code: r for r in national.rows}
    alone = DOCUMENTS["summary"].content(ministry, YEAR, 6).total
    assert rows[ministry].band_counts == alone.band_counts
    assert rows[ministry].statuses == alone.statuses
    assert rows[ministry].plan_baht == alone.plan_baht
    assert rows["onesqa"].band_counts == [3, 28, 19, 5]  # seed 000's table 1, 6 months
    assert national.total.band_counts == [
        sum(r.band_counts[i] for r in national.rows) for i in range(len(BANDS))
    ]


def test_a_kpi_copied_into_the_next_year_shows_its_past_years_end_beside_this_years_rounds() -> (
    None
):
    """A KPI keeps its key from year to year: the dashboard of the new year reads the old
    year's KPI at its last round with a result (the trend over years)."""
    from tidtam.agreements.models import AgreementKPI, IndicatorResult
    from tidtam.agreements.services import (
        indicator_result_save,
        indicators_copy_year,
        result_measure,
    )
    from tidtam.periods.services import round_open

    bic = Organization.objects.get(code="ops-bic")
    old_year = Indicator.objects.filter(IN_A_DOCUMENT, organization=bic).values_list(
        "fiscal_year__year", flat=True
    )[0]
    # The old year reported at 6 and 12 months (the year ends at 12), a KPI of it not at all.
    kpis = list(
        AgreementKPI.objects.filter(
            indicator__organization=bic, indicator__fiscal_year__year=old_year
        )
        .select_related("indicator")
        .prefetch_related("levels")
        .order_by("indicator__number")
    )
    for months in (6, 12):
        round_ = Round.objects.get(fiscal_year__year=old_year, months=months)
        round_open(round_=round_, organization=bic)
        for kpi in kpis[1:]:
            kind = kpi.indicator.measure_kind
            typed: dict[str, Any] = {}
            if kind == "milestone":
                typed["level_reached"] = months // 6
            elif kind == "yes_no":
                typed["met"] = months == 12
            elif kind == "ratio":
                typed.update(numerator=Decimal(months), denominator=Decimal(24))
            else:
                levels = list(kpi.levels.all())
                base = levels[1].threshold if len(levels) > 1 else Decimal(1)
                typed["value"] = base + months
            indicator_result_save(indicator=kpi.indicator, round_=round_, **typed)
    indicators_copy_year(organization=bic, from_year=old_year, to_year=old_year + 1)
    response = page(signed_in(Client(), "bic-planner"), org="ops-bic", fy=str(old_year + 1))
    data = response.context["data"]
    assert data.fiscal_year.year == old_year + 1
    assert data.past_years == [old_year]
    read = 0
    for row in data.kpis:
        [(year, measure)] = row.by_year
        assert year == old_year
        old = Indicator.objects.get(
            organization=bic, fiscal_year__year=old_year, key=row.indicator.key
        )
        last = (
            IndicatorResult.objects.filter(indicator=old, unit__isnull=True)
            .order_by("-round__months")
            .first()
        )
        assert measure == (result_measure(old, last) if last else None), row.indicator.name
        read += last is not None
    assert read == len(kpis) - 1 > 0
    assert sum(1 for row in data.kpis if row.by_year[0][1] is None) == 1
    html = response.content.decode()
    assert f"ปี {old_year}</th>" in html
    # This year has no result yet: its rounds are empty, the past year is not.
    assert all(m is None for row in data.kpis for _, m in row.by_round)
    # The table prints each reading as the KPI's kind reads: a figure to 2 decimals, the level
    # reached, met / not met, "-" without one; the past year greyed, then each round.
    table = html[html.index('id="kpi-table"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    printed = [
        re.findall(r'<td class="text-end( text-muted)?">([^<]*)</td>', row)
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]
    assert len(printed) == len(data.kpis)
    kinds_seen = set()
    for row, cells in zip(data.kpis, printed, strict=True):
        [(_, measure)] = row.by_year
        if measure is None:
            expected = "-"
        elif measure.figure is not None:
            expected = f"{round_half_up(measure.figure, 2):,.2f}"
            kinds_seen.add("figure")
        elif measure.level is not None:
            expected = f"ระดับ {measure.level}"
            kinds_seen.add("level")
        else:
            expected = MET_LABELS[bool(measure.met)]
            kinds_seen.add("met")
        assert cells[0] == (" text-muted", expected), row.indicator.name
        assert cells[1:] == [("", "-")] * len(data.rounds), row.indicator.name
    assert {"figure", "level"} <= kinds_seen  # สต.'s KPIs: quantities, ratios and milestones


def test_every_line_read_for_a_whole_subtree_at_once_gives_the_documents_reading_on_any_day(
    ministry: str,
) -> None:
    """The dashboard reads a ministry's lines as plain values, each as of many days in one
    pass (budgets.selectors.figures_on_days); the documents read a line as of one day from its
    rows (figures_as_of). Both are the same reading: on every day of the year, every line."""
    from datetime import timedelta

    from tidtam.budgets.selectors import _year_lines, figures_as_of, lines_of, spending_by_line
    from tidtam.domain.fiscal import fiscal_year_end, fiscal_year_start
    from tidtam.periods.models import FiscalYear

    fiscal_year = FiscalYear.objects.get(year=YEAR)
    org = Organization.objects.get(code=ministry)
    ids = access.with_descendants({org.pk}, access.descendants_map())
    rows = {line.pk: line for line in lines_of(ids, fiscal_year) if line.of_the_year}
    spending = spending_by_line(list(rows.values()))
    days = [fiscal_year_start(YEAR) + timedelta(days=d) for d in range(-1, 368, 4)]
    assert days[-1] > fiscal_year_end(YEAR)
    read = _year_lines(ids, fiscal_year)
    assert sorted(line.pk for line in read) == sorted(rows)
    by_month = by_round = 0
    for line in read:
        at_once = figures_on_days(line.readings, YEAR, days)
        one_by_one = [
            figures_as_of(rows[line.pk], spending.get(line.pk, []), YEAR, d) for d in days
        ]
        assert at_once == one_by_one, rows[line.pk].name
        by_month += bool(
            line.readings.months and line.readings.months[0].disbursed_baht is not None
        )
        by_round += bool(line.readings.drawn)
    assert by_month > 0 and by_round > 0


def test_a_budget_change_shows_on_the_next_visit_though_the_curve_is_remembered() -> None:
    """The curve is read once and kept (in the cache the server's processes share) while no
    budget figure changes: a line's new plan, saved through its service, is on the very next
    visit."""
    from django.core.cache import caches

    from tidtam.budgets.services import budget_line_save

    caches["shared"].clear()
    client = signed_in(Client(), "executive")
    before = page(client).context["data"]
    assert page(client).context["data"].budget == before.budget  # kept, the same figures
    line = BudgetLine.objects.filter(OF_THE_YEAR, organization__code="onesqa").order_by("pk")[0]
    budget_line_save(
        line=line,
        category=line.category,
        name=line.name,
        annual_plan_baht=line.annual_plan_baht + Decimal("1000.00"),
    )
    after = page(client).context["data"]
    assert after.budget.plan == before.budget.plan + Decimal("1000.00")
    assert after.curve[-1].planned == before.curve[-1].planned + Decimal("1000.00")


def test_a_kpi_result_shows_on_the_next_visit_though_the_kpi_table_is_remembered() -> None:
    """The KPI table is read once and kept while no KPI, result, agreement KPI or organisation
    changes: a result saved through its service is on the very next visit, and the
    approved-only table (kept apart) shows it once it is approved."""
    from django.core.cache import caches

    from tidtam.agreements.models import IndicatorResult
    from tidtam.agreements.services import indicator_result_save
    from tidtam.periods.services import round_open

    caches["shared"].clear()
    client = signed_in(Client(), "bic-planner")
    first = page(client, org="ops-bic").context["data"]
    row = next(r for r in first.kpis if r.indicator.measure_kind == "quantity")
    chosen = first.round
    position = [r.months for r in first.rounds].index(chosen.months)
    IndicatorResult.objects.filter(indicator=row.indicator, round=chosen).delete()
    # Deleting leaves its history record too: the next visit reads again.
    before = page(client, org="ops-bic").context["data"]
    cell = next(r for r in before.kpis if r.indicator.pk == row.indicator.pk).round_cells[position]
    assert cell == "-"
    assert page(client, org="ops-bic").context["data"].kpis == before.kpis  # kept
    round_open(round_=chosen, organization=row.indicator.organization)
    indicator_result_save(indicator=row.indicator, round_=chosen, value=Decimal("1234.5"))
    after = page(client, org="ops-bic").context["data"]
    [now] = [r for r in after.kpis if r.indicator.pk == row.indicator.pk]
    assert now.round_cells[position] == "1,234.50"
    approved_only = page(client, org="ops-bic", approved="1").context["data"]
    [draft] = [r for r in approved_only.kpis if r.indicator.pk == row.indicator.pk]
    assert draft.round_cells[position] == "-"  # a draft is not counted with approved results only


def test_generated_data_which_leaves_no_history_is_read_again_by_the_remembered_reads() -> None:
    """`tidtam generate` writes without history records: the reads kept until their rows
    change are read again after it, in the dashboard as in any other remembered read."""
    from django.core.cache import caches

    from tidtam import bulk

    caches["shared"].clear()
    reads = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    assert bulk.remembered("test", ("a",), (Indicator,), read) == 1
    assert bulk.remembered("test", ("a",), (Indicator,), read) == 1  # kept
    assert bulk.remembered("test", ("b",), (Indicator,), read) == 2  # another key
    generate(
        fiscal_year=YEAR + 1,
        scale=Scale(organizations=1, work_items=5, kpis=2, budget_lines=2),
        seed=3,
    )
    assert bulk.remembered("test", ("a",), (Indicator,), read) == 3  # read again
    assert bulk.remembered("test", ("a",), (Indicator,), read) == 3


def test_the_pass_and_fail_counts_are_every_kpis_though_the_table_shows_the_first_rows(
    ministry: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A subtree with more KPIs than the table's rows: the table shows the first KPI_ROWS, the
    counts above it are of all of them, as with a table long enough for all."""
    from django.core.cache import caches

    from tidtam.dashboard import selectors

    get_user_model().objects.create_superuser("demo", password="x")
    client = signed_in(Client(), "demo")
    asked = {"org": ministry, "fy": "2567", "round": "12"}
    caches["shared"].clear()
    whole = page(client, **asked).context["data"]
    assert whole.kpi_total == len(whole.kpis) > 2
    assert sum(whole.kpi_counts.values()) == whole.kpi_total
    assert sum(1 for n in whole.kpi_counts.values() if n) >= 2  # more than one kind of answer
    caches["shared"].clear()
    monkeypatch.setattr(selectors, "KPI_ROWS", 2)
    cut = page(client, **asked).context["data"]
    assert len(cut.kpis) == 2 and cut.kpi_total == whole.kpi_total
    assert cut.kpi_counts == whole.kpi_counts
    html = page(client, **asked).content.decode()
    assert f"(แสดง 2 จาก {whole.kpi_total} ตัวชี้วัด)" in html


def test_each_organisations_curve_is_kept_apart_and_a_ministry_reads_only_what_is_not_kept(
    ministry: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A department's dashboard keeps its own organisations' curves; the ministry's dashboard
    after it reads the lines of the other organisations only, and adds them up to the very
    figures a reading of every line of the ministry gives."""
    from django.core.cache import caches

    from tidtam.budgets import selectors
    from tidtam.periods import clock
    from tidtam.periods.models import FiscalYear

    caches["shared"].clear()
    get_user_model().objects.create_superuser("demo", password="x")
    client = signed_in(Client(), "demo")
    top = Organization.objects.get(code=ministry)
    children = access.descendants_map()
    department = Organization.objects.filter(parent=top).order_by("code")[0]
    below = access.with_descendants({department.pk}, children)
    whole = access.with_descendants({top.pk}, children)
    asked: list[set[int]] = []
    year_lines = selectors._year_lines

    def recording(ids: Any, fiscal_year: Any) -> Any:
        asked.append(set(ids))
        return year_lines(ids, fiscal_year)

    monkeypatch.setattr(selectors, "_year_lines", recording)
    first = page(client, org=department.code, fy="2567", round="6").context["data"]
    assert set().union(*asked) == below
    asked.clear()
    data = page(client, org=ministry, fy="2567", round="6").context["data"]
    assert set().union(*asked) == whole - below  # the department's were kept
    asked.clear()
    assert page(client, org=ministry, fy="2567", round="6").context["data"].curve == data.curve
    assert asked == []  # everything kept
    monkeypatch.setattr(selectors, "_year_lines", year_lines)
    fiscal_year = FiscalYear.objects.get(year=YEAR)
    curve, by_organization = selectors.monthly_curve(whole, fiscal_year, clock.today())
    assert data.curve == curve
    assert data.budget == selectors.sum_figures(by_organization.values())
    assert first.budget == selectors.sum_figures(
        figures for org_id, figures in by_organization.items() if org_id in below
    )


def test_each_id_of_a_read_kept_apart_is_read_once_until_its_rows_change() -> None:
    from django.core.cache import caches

    from tidtam import bulk

    caches["shared"].clear()
    asked: list[list[int]] = []

    def read(missing: list[int]) -> dict[int, str]:
        asked.append(missing)
        return {pk: f"v{pk}-{len(asked)}" for pk in missing if pk != 3}

    assert bulk.remembered_each("t", [1, 2, 3], ("x",), (Indicator,), read) == {
        1: "v1-1",
        2: "v2-1",
        3: None,  # nothing for it: kept as nothing
    }
    assert bulk.remembered_each("t", [2, 3, 4], ("x",), (Indicator,), read) == {
        2: "v2-1",
        3: None,
        4: "v4-2",
    }
    assert asked == [[1, 2, 3], [4]]
    assert bulk.remembered_each("t", [1], ("y",), (Indicator,), read) == {1: "v1-3"}
    Indicator.objects.order_by("pk")[0].save()  # a write: a history record
    assert bulk.remembered_each("t", [1, 4], ("x",), (Indicator,), read) == {1: "v1-4", 4: "v4-4"}


def test_a_lost_epoch_is_a_new_one_not_the_first_again() -> None:
    """The epoch (part of every remembered read's key, changed by `tidtam generate`) may be
    dropped from the cache's table; the reads are then read again, never those kept under an
    earlier epoch."""
    from django.core.cache import caches

    from tidtam import bulk

    caches["shared"].clear()
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    assert bulk.remembered("test", ("a",), (Indicator,), read) == 1
    caches["shared"].delete(bulk._EPOCH)
    assert bulk.remembered("test", ("a",), (Indicator,), read) == 2
    assert bulk.remembered("test", ("a",), (Indicator,), read) == 2


def test_the_shared_cache_keeps_every_organisations_curve_of_a_country() -> None:
    """Django's cache table keeps 300 entries unless told, then drops a third of them by key,
    the newest too: each organisation's curve of the day is one entry, and a country has 300
    organisations."""
    from django.core.cache import caches

    cache = caches["shared"]
    cache.clear()
    cache.set_many({f"tidtam:curve:{n:04}": n for n in range(400)}, timeout=600)
    kept = cache.get_many([f"tidtam:curve:{n:04}" for n in range(400)])
    assert len(kept) == 400


@pytest.mark.parametrize(("org", "year", "months"), [("onesqa", "2567", 3), ("moe", "2564", 6)])
def test_each_round_reads_as_its_summary_document_budget_as_of_its_end_and_every_unit(
    org: str, year: str, months: int
) -> None:
    """The chosen round's budget is as of the round's end, as its documents read it (it was
    as of today whatever the round), and a unit with KPIs but no plan has its row (a ministry
    could not click down to it): the summary document's rows, figure for figure."""
    from tidtam.reports.summary import summary_report

    get_user_model().objects.create_superuser("demo", password="x")
    client = signed_in(Client(), "demo")
    data = page(client, org=org, fy=year, round=str(months)).context["data"]
    summary = summary_report(org, int(year), months)
    assert data.budget_day == summary.dated == data.round.end_date < data.today
    rows = list(summary.rows)
    assert [r.organization.code for r in data.units] == [r.code for r in rows]
    for unit, row in zip(data.units, rows, strict=True):
        shown = (
            (unit.budget.plan, unit.budget.disbursed, unit.budget.spent) if unit.budget else None
        )
        printed = (row.plan_baht, row.disbursed_baht, row.spent_baht)
        assert shown == (printed if row.plan_baht is not None else None), row.code
    if data.budget is not None:
        assert (data.budget.plan, data.budget.disbursed, data.budget.spent) == (
            summary.total.plan_baht,
            summary.total.disbursed_baht,
            summary.total.spent_baht,
        )
        ended = [p for p in data.curve if p.figures is not None]
        assert ended[-1].figures.disbursed == data.budget.disbursed
        assert [p.month for p in ended] == list(range(1, months + 1))
    assert any(u.drillable for u in data.units) or org == "onesqa"


def test_a_year_without_data_says_so_beside_the_year_shown() -> None:
    client = signed_in(Client(), "planner")
    response = page(client, org="onesqa", fy="2550")
    data = response.context["data"]
    assert (data.year_without_data, data.fiscal_year.year) == (2550, 2567)
    assert "ปีงบประมาณ พ.ศ. 2550 ยังไม่มีแผน งบประมาณ หรือตัวชี้วัดของ" in response.content.decode()
    assert page(client, org="onesqa", fy="2567").context["data"].year_without_data is None


def test_dashboards_made_ahead_for_the_day_read_nothing_long_on_a_first_visit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`tidtam prepare_dashboards` (nightly) makes every organisation's budget curve and KPI
    table for the day: an executive's first visit of the day, and the ministry's, drafts
    counted and approved only, read no budget line and no KPI, and show what reading them
    gives."""
    from django.core.cache import caches
    from django.core.management import call_command

    from tidtam.budgets import selectors as budget_selectors
    from tidtam.dashboard import selectors

    caches["shared"].clear()
    read: list[str] = []
    year_lines, kpis = budget_selectors._year_lines, selectors._kpis

    def lines(*args: Any) -> Any:
        read.append("lines")
        return year_lines(*args)

    def kpi_table(*args: Any) -> Any:
        read.append("kpis")
        return kpis(*args)

    monkeypatch.setattr(budget_selectors, "_year_lines", lines)
    monkeypatch.setattr(selectors, "_kpis", kpi_table)
    visits = [
        ("executive", {}),
        ("executive", {"approved": "1"}),
        ("moe-planner", {"org": "moe"}),
        ("moe-planner", {"org": "moe", "approved": "1"}),
    ]

    def first_visits() -> list[Any]:
        return [page(signed_in(Client(), who), **params).context["data"] for who, params in visits]

    fresh = first_visits()
    assert "lines" in read and "kpis" in read  # a first visit reads them, unless made ahead
    caches["shared"].clear()
    read.clear()
    out = io.StringIO()
    call_command("prepare_dashboards", stdout=out)
    organizations = Organization.objects.count()
    said = out.getvalue()
    assert f" {organizations} หน่วยงาน (กราฟงบประมาณ และตารางตัวชี้วัด {2 * organizations} ชุด)" in said
    # สมศ.'s in 2567 (its plan's year) and the ministry's in 2564 (สต.'s, the year it has data in).
    assert "รอบ 6 เดือน (ไตรมาสที่ 2) ปีงบประมาณ 2567" in said and "ปีงบประมาณ 2564" in said
    assert "8 เมษายน 2567" in said
    read.clear()
    prepared = first_visits()
    assert read == []
    for made, shown in zip(prepared, fresh, strict=True):
        assert (made.organization, made.round, made.approved_only) == (
            shown.organization,
            shown.round,
            shown.approved_only,
        )
        assert made.curve == shown.curve and made.budget == shown.budget
        assert [k.indicator.pk for k in made.kpis] == [k.indicator.pk for k in shown.kpis]
        assert made.kpi_counts == shown.kpi_counts and made.kpi_total == shown.kpi_total


def test_the_nightly_pass_keeps_for_the_day_what_a_page_read_a_moment_before() -> None:
    """A read a page kept for ten minutes is kept for the day when the nightly pass finds it (a
    page never shortens what the pass kept), for one read and for each of a set."""
    from datetime import UTC, timedelta

    from django.core.cache import caches
    from django.db import connection
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    from tidtam import bulk
    from tidtam.dashboard.selectors import PREPARED_SECONDS

    caches["shared"].clear()

    def expiries() -> list[Any]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT expires FROM tidtam_cache WHERE cache_key LIKE %s OR cache_key LIKE %s",
                ["%tidtam:one:%", "%tidtam:each:%"],
            )
            return [row[0] for row in cursor.fetchall()]

    def read_all(keep: int = bulk.REMEMBERED_SECONDS) -> None:
        bulk.remembered("one", ("x",), (Indicator,), lambda: "v", keep=keep)
        bulk.remembered_each(
            "each", [1, 2], ("x",), (Indicator,), lambda ids: dict.fromkeys(ids, "v"), keep=keep
        )

    def as_datetime(value: Any) -> Any:
        """The table's column as an aware time (SQLite gives text, UTC)."""
        if isinstance(value, str):
            value = parse_datetime(value)
        return timezone.make_aware(value, UTC) if timezone.is_naive(value) else value

    read_all()  # a page
    assert len(expiries()) == 3
    soon = timezone.now() + timedelta(seconds=bulk.REMEMBERED_SECONDS + 60)
    assert all(as_datetime(e) <= soon for e in expiries())
    read_all(keep=PREPARED_SECONDS)  # the nightly pass finds them kept
    day = timezone.now() + timedelta(seconds=PREPARED_SECONDS - 60)
    assert all(as_datetime(e) >= day for e in expiries())
    read_all()  # a page again
    assert all(as_datetime(e) >= day for e in expiries())
