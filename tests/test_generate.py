"""`tidtam generate` makes the same national-scale dataset from the same seed, and keeps the rules."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Sum

from tidtam.agreements.models import Agreement, Indicator, IndicatorResult, KPIGroup
from tidtam.agreements.services import agreement_check_weights, kpi_score
from tidtam.budgets.models import BudgetLine, BudgetSpending
from tidtam.orgs.models import Organization
from tidtam.plans.models import OperatingPlan, WorkItem
from tidtam.progress.models import ProgressEntry
from tidtam.progress.services import entry_percentages, explanation_required, refresh_entries
from tidtam.reporting import stored_percent
from tidtam.seeds.generate import (
    GeneratedDataExists,
    Scale,
    allocate,
    generate,
    generated_exists,
    split_weight,
)
from tidtam.seeds.loader import load_all

pytestmark = pytest.mark.django_db

SMALL = Scale(organizations=16, work_items=800, kpis=120, budget_lines=60)
# Enough to tell two datasets apart and to replace one: a quarter of SMALL.
TINY = Scale(organizations=4, work_items=200, kpis=30, budget_lines=15)


@pytest.fixture(scope="module")
def generated(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """SMALL generated once for the tests that only read it, in a transaction rolled back after
    the module (each test still runs in its own rolled-back transaction inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        generate(scale=SMALL, seed=4)
        yield
        transaction.set_rollback(True)


def fingerprint() -> tuple[object, ...]:
    """Enough of the generated rows to tell two datasets apart."""
    return (
        list(Organization.objects.filter(code__startswith="gen-").values_list("code", "name")),
        list(WorkItem.objects.filter(plan__organization__code__startswith="gen-")
             .order_by("plan__organization__code", "activity__output__number", "activity__number", "number")
             .values_list("name", "kind", "target_quantity", "later_quarter_from", "excluded")),
        ProgressEntry.objects.aggregate(Sum("result_quantity"), Sum("percent_annual")),
        BudgetSpending.objects.aggregate(Sum("disbursed_baht"), Sum("committed_baht")),
        list(IndicatorResult.objects.order_by("indicator__organization__code", "indicator__number", "round__months",
                                              F("unit__code").asc(nulls_first=True))
             .values_list("value", "level_reached", "met", "percent")),
    )  # fmt: skip


def test_the_command_makes_what_was_asked_and_says_so_in_thai() -> None:
    out = StringIO()
    call_command(
        "generate", "--organizations", "16", "--work-items", "800", "--kpis", "120",
        "--budget-lines", "60", "--fy", "2567", "--seed", "2", stdout=out,
    )  # fmt: skip

    text = out.getvalue()
    assert "สร้างข้อมูลจำลองปีงบประมาณ พ.ศ. 2567 (seed 2) แล้ว" in text
    assert "โครงการ / แผนงาน / รายการ: 800" in text
    assert "ใช้เวลา" in text and "วินาที" in text
    orgs = Organization.objects.filter(code__startswith="gen-")
    assert orgs.count() == 16
    assert set(orgs.values_list("kind", flat=True)) == {"ministry", "department", "bureau"}
    assert not orgs.filter(kind="bureau", parent__kind="ministry").exists()
    assert OperatingPlan.objects.filter(organization__in=orgs, fiscal_year__year=2567).count() == 16
    assert WorkItem.objects.filter(plan__organization__in=orgs).count() == 800
    assert set(WorkItem.objects.values_list("kind", flat=True)) == set(WorkItem.Kind)
    assert ProgressEntry.objects.filter(work_item__plan__organization__in=orgs).count() == 800 * 4
    assert Indicator.objects.filter(organization__in=orgs).count() == 120
    assert set(Indicator.objects.values_list("measure_kind", flat=True)) == set(
        Indicator.MeasureKind
    )
    # One result per KPI and round for the agency; a ratio KPI of an organisation with units
    # under it has its units' results too, which add up to the agency's ΣA and ΣB.
    results = IndicatorResult.objects.filter(indicator__organization__in=orgs)
    assert results.filter(unit__isnull=True).count() == 120 * 4
    by_units = results.filter(unit__isnull=False)
    assert by_units.exists()
    for total in results.filter(unit__isnull=True, indicator__measure_kind="ratio"):
        parts = by_units.filter(indicator_id=total.indicator_id, round_id=total.round_id)
        if parts:
            assert sum(p.numerator for p in parts) == total.numerator
            assert sum(p.denominator for p in parts) == total.denominator
    assert BudgetLine.objects.filter(organization__in=orgs).count() == 60
    assert BudgetSpending.objects.filter(line__organization__in=orgs).count() == 60 * 4
    assert Agreement.objects.filter(organization__in=orgs).exists()


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not() -> None:
    generate(scale=TINY, seed=7)
    first = fingerprint()
    generate(scale=TINY, seed=7, replace=True)
    assert fingerprint() == first
    generate(scale=TINY, seed=8, replace=True)
    assert fingerprint() != first


def test_a_second_run_for_the_year_is_refused_in_thai_and_replace_keeps_other_agencies() -> None:
    load_all()
    onesqa_entries = ProgressEntry.objects.filter(
        work_item__plan__organization__code="onesqa"
    ).count()
    generate(scale=TINY, seed=1)

    with pytest.raises(CommandError, match=r"มีข้อมูลจำลองของปีงบประมาณ พ\.ศ\. 2567 อยู่แล้ว.*--replace"):
        call_command("generate", "--organizations", "4", "--work-items", "200", stdout=StringIO())
    with pytest.raises(GeneratedDataExists):
        generate(scale=TINY, seed=1)

    summary = generate(scale=TINY, seed=1, replace=True)
    assert summary.deleted > 0
    assert (
        WorkItem.objects.filter(plan__organization__code__startswith="gen-").count()
        == TINY.work_items
    )
    assert (
        ProgressEntry.objects.filter(work_item__plan__organization__code="onesqa").count()
        == onesqa_entries
    )
    # Another year is generated beside it, on the same organisations.
    generate(fiscal_year=2568, scale=TINY, seed=1)
    assert Organization.objects.filter(code__startswith="gen-").count() == TINY.organizations
    assert generated_exists(2568) and generated_exists(2567) and not generated_exists(2566)


def test_the_command_refuses_a_negative_count_and_a_ce_year_in_thai() -> None:
    with pytest.raises(CommandError, match="ติดลบ"):
        call_command("generate", "--kpis", "-1")
    with pytest.raises(CommandError, match=r"ปี ค\.ศ\."):
        call_command("generate", "--fy", "2024", "--organizations", "1", "--work-items", "1")
    with pytest.raises(CommandError, match="อย่างน้อย 1"):
        call_command("generate", "--organizations", "0")


@pytest.mark.usefixtures("generated")
def test_generated_progress_keeps_the_rules_of_progress_entries() -> None:
    entries = ProgressEntry.objects.select_related("work_item__budget_line", "round").filter(
        work_item__plan__organization__code__startswith="gen-"
    )
    # The stored percentages and bands are the service's own, from quantities: reading every
    # entry's raw data again (four queries for all of them) changes none.
    assert refresh_entries(entries) == 0
    bands = set()
    for number, entry in enumerate(entries.order_by("pk")):
        item = entry.work_item
        assert entry.percent_method == "computed"
        if number % 25 == 0:  # and a sample read one by one, as a single save reads it
            computed = entry_percentages(entry)
            assert entry.percent_annual == stored_percent(computed.annual)
            assert entry.percent_round == stored_percent(computed.round)
        lagging = entry.percent_annual is not None and entry.percent_annual < 50
        assert bool(entry.explanation) == (lagging and explanation_required(item, entry.round))
        if entry.round.months == 6 and not item.excluded and not item.is_later_quarter(entry.round):
            assert entry.percent_annual is not None
            bands.add(0 if entry.percent_annual < 50 else 1 if entry.percent_annual < 80 else 2)
    assert bands == {0, 1, 2}
    items = WorkItem.objects.filter(plan__organization__code__startswith="gen-")
    assert items.filter(excluded=True).exists()
    assert not items.filter(excluded=True, exclusion_reason="").exists()
    assert items.filter(later_quarter_from__isnull=False).exists()


@pytest.mark.usefixtures("generated")
def test_generated_agreements_have_weights_that_add_up_and_kpis_that_score() -> None:
    agreements = Agreement.objects.filter(organization__code__startswith="gen-")
    assert agreements.count() >= 3
    for agreement in agreements:
        agreement_check_weights(agreement)  # raises on a group that is off
        assert sum(g.weight for g in agreement.groups.all()) == Decimal(100)
    groups = KPIGroup.objects.filter(agreement__in=agreements).annotate(n=Count("kpis"))
    assert all(group.n >= 1 for group in groups)
    for agreement in agreements[:3]:
        for group in agreement.groups.all():
            for kpi in group.kpis.select_related("indicator", "group__agreement"):
                result = kpi.indicator.results.get(round__months=12, unit__isnull=True)
                score = kpi_score(kpi, result)
                assert score is not None
                reviewed = kpi_score(kpi, result, reviewed=True)
                assert reviewed is not None
                if kpi.indicator.measure_kind == Indicator.MeasureKind.RATIO:
                    # The self-assessment scores A / B at full precision; the committee, agreeing,
                    # typed its 4-decimal figure.
                    assert abs(reviewed - score) < Decimal("0.01")
                else:
                    assert reviewed == score


@pytest.mark.usefixtures("generated")
def test_budget_spending_only_grows_and_never_passes_the_plan() -> None:
    for line in BudgetLine.objects.filter(organization__code__startswith="gen-").prefetch_related(
        "spending"
    ):
        spending = sorted(line.spending.all(), key=lambda s: s.round.months)
        disbursed = [s.disbursed_baht for s in spending]
        assert disbursed == sorted(disbursed)
        assert all(s.disbursed_baht + s.committed_baht <= line.annual_plan_baht for s in spending)


def test_allocate_splits_a_total_exactly_in_proportion() -> None:
    assert allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert allocate(100_000, [0.6, 1.4, 1.0]) == [20_000, 46_667, 33_333]
    assert allocate(0, [1, 2]) == [0, 0]
    assert allocate(5, []) == []


def test_split_weight_gives_four_decimals_that_add_up_to_the_group() -> None:
    weights = split_weight(Decimal(60), 7)
    assert weights[:6] == [Decimal("8.5714")] * 6
    assert sum(weights) == Decimal(60)
    assert split_weight(Decimal(40), 1) == [Decimal(40)]


def test_a_smaller_scale_keeps_the_shape() -> None:
    assert Scale().scaled(0.1) == Scale(
        organizations=30, work_items=10_000, kpis=2_000, budget_lines=5_000
    )
    assert Scale().scaled(0.0001).organizations == 1
