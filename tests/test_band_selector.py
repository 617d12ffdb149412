"""The band tables counted by the database equal the ones the report builds item by item."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from tidtam.domain.errors import DomainError
from tidtam.domain.progress import (
    DEFAULT_THRESHOLDS,
    Band,
    BandTable,
    BandThresholds,
    band_table,
)
from tidtam.periods.models import Round
from tidtam.plans.models import OperatingPlan
from tidtam.plans.services import plan_settings_save
from tidtam.progress import selectors
from tidtam.progress.models import ProgressEntry
from tidtam.progress.selectors import band_tables
from tidtam.reports.quarterly import item_progress
from tidtam.seeds.generate import Scale, generate
from tidtam.seeds.loader import load_all

pytestmark = pytest.mark.django_db

SMALL = Scale(organizations=7, work_items=600, kpis=40, budget_lines=30)


@pytest.fixture(scope="module")
def seeds(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Both seeds, loaded once for the module in a transaction rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_all()
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def generated(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[str]]:
    """The small dataset's organisation codes (other tests' seeds may share the fiscal year),
    generated once for the tests that only read it, in a transaction rolled back after the
    module (each test still runs in its own rolled-back transaction inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        generate(fiscal_year=2567, scale=SMALL, seed=3)
        yield list(
            OperatingPlan.objects.filter(
                fiscal_year__year=2567, organization__code__startswith="gen-"
            ).values_list("organization__code", flat=True)
        )
        transaction.set_rollback(True)


def report_table(
    org_code: str, year: int, months: int, thresholds: BandThresholds = DEFAULT_THRESHOLDS
) -> BandTable:
    """The table as tidtam/reports/quarterly.py builds it: every item, one by one."""
    plan = OperatingPlan.objects.get(organization__code=org_code, fiscal_year__year=year)
    round_ = Round.objects.get(fiscal_year__year=year, months=months)
    return band_table((p.band_item for p in item_progress(plan, round_)), thresholds)


def assert_same_table(got: BandTable, expected: BandTable) -> None:
    assert got == expected
    # Equal dicts may differ in order; the rendered table follows the rows' order.
    assert list(got.rows) == list(expected.rows)


@pytest.mark.usefixtures("seeds")
def test_onesqa_fy2567_round_6_is_3_28_19_5_of_55_as_the_report_counts_it() -> None:
    tables = band_tables(fiscal_year=2567, round_months=6, organization_codes=["onesqa"])

    table = tables["onesqa"]
    assert_same_table(table, report_table("onesqa", 2567, 6))
    assert table.band_totals == {
        Band.LATER_QUARTER: 3,
        Band.BELOW_50: 28,
        Band.FROM_50: 19,
        Band.FROM_80: 5,
    }
    assert table.total == 55
    assert table.excluded == 2
    assert [item.name for row in table.rows.values() for item in row.excluded_items] == [
        item.name
        for row in report_table("onesqa", 2567, 6).rows.values()
        for item in row.excluded_items
    ]


@pytest.mark.usefixtures("seeds")
def test_only_the_organisations_asked_for_are_counted() -> None:
    assert list(band_tables(fiscal_year=2567, round_months=6, organization_codes=["onesqa"])) == [
        "onesqa"
    ]
    assert band_tables(fiscal_year=2567, round_months=6, organization_codes=["nobody"]) == {}


@pytest.mark.usefixtures("seeds")
def test_other_thresholds_move_items_between_bands_as_the_core_does() -> None:
    plan = OperatingPlan.objects.get(organization__code="onesqa", fiscal_year__year=2567)
    plan_settings_save(
        plan=plan,
        title=plan.title,
        band_low=Decimal(40),
        band_high=Decimal("55.5"),
        explanation_threshold=Decimal(40),
    )
    thresholds = BandThresholds(low=Decimal(40), high=Decimal("55.5"), explanation=Decimal(40))
    table = band_tables(fiscal_year=2567, round_months=6)["onesqa"]
    assert table.thresholds == thresholds
    assert_same_table(table, report_table("onesqa", 2567, 6, thresholds))
    assert table.band_totals != {
        Band.LATER_QUARTER: 3,
        Band.BELOW_50: 28,
        Band.FROM_50: 19,
        Band.FROM_80: 5,
    }


@pytest.mark.parametrize("months", [3, 6, 9, 12])
def test_every_generated_plan_gets_the_reports_table_in_every_round(
    generated: list[str], months: int
) -> None:
    tables = band_tables(fiscal_year=2567, round_months=months, organization_codes=generated)

    plans = OperatingPlan.objects.filter(
        fiscal_year__year=2567, organization__code__in=generated
    ).select_related("organization")
    assert sorted(tables) == sorted(generated)
    for plan in plans:
        assert_same_table(
            tables[plan.organization.code], report_table(plan.organization.code, 2567, months)
        )
    assert sum(table.excluded for table in tables.values()) > 0


def test_the_generated_6_month_round_fills_every_band(generated: list[str]) -> None:
    # Without items in every band the comparison above would prove little.
    tables = band_tables(fiscal_year=2567, round_months=6, organization_codes=generated)
    for band in Band:
        assert sum(table.band_totals[band] for table in tables.values()) > 0


def test_excluded_items_fetched_in_chunks_keep_the_plans_order(
    generated: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = band_tables(fiscal_year=2567, round_months=6, organization_codes=generated)
    monkeypatch.setattr(selectors, "_IDS_PER_QUERY", 2)
    chunked = band_tables(fiscal_year=2567, round_months=6, organization_codes=generated)
    for code, table in whole.items():
        assert_same_table(chunked[code], table)


def test_the_database_counts_in_four_queries_however_many_plans(
    generated: list[str], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(4):
        tables = band_tables(fiscal_year=2567, round_months=6, organization_codes=generated)
    assert len(tables) == SMALL.organizations


@pytest.mark.usefixtures("seeds")
def test_an_item_without_an_entry_is_refused_as_the_report_refuses_it() -> None:
    entry = (
        ProgressEntry.objects.filter(
            work_item__plan__organization__code="onesqa",
            round__months=6,
            work_item__excluded=False,
            work_item__later_quarter_from__isnull=True,
        )
        .select_related("work_item")
        .first()
    )
    assert entry is not None
    entry.delete()

    with pytest.raises(DomainError) as caught:
        band_tables(fiscal_year=2567, round_months=6, organization_codes=["onesqa"])
    assert caught.value.code == "progress_missing"
    assert caught.value.params == {"item": entry.work_item.name, "round": 6}
    with pytest.raises(DomainError) as reported:
        report_table("onesqa", 2567, 6)
    assert reported.value.code == caught.value.code


@pytest.mark.usefixtures("seeds")
def test_an_entry_without_a_stored_band_names_its_item() -> None:
    entry = (
        ProgressEntry.objects.filter(
            work_item__plan__organization__code="onesqa",
            round__months=6,
            work_item__excluded=False,
            work_item__later_quarter_from__isnull=True,
        )
        .select_related("work_item")
        .first()
    )
    assert entry is not None
    ProgressEntry.objects.filter(pk=entry.pk).update(percent_annual=None, band="")

    with pytest.raises(DomainError) as caught:
        band_tables(fiscal_year=2567, round_months=6, organization_codes=["onesqa"])
    assert caught.value.code == "percent_missing"
    assert caught.value.params == {"item": entry.work_item.name}


@pytest.mark.usefixtures("seeds")
def test_a_round_that_does_not_exist_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        band_tables(fiscal_year=2599, round_months=6)
    assert caught.value.code == "round_missing"
    with pytest.raises(DomainError):
        band_tables(fiscal_year=2567, round_months=5)
