"""The round status page counts bands in SQL from the stored percent; the report computes them
in the core from raw figures. They must agree, at the bands' limits too (49.99995 is below 50)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.app.conftest import open_round_for
from tidtam.domain.progress import Band, band_of, band_table
from tidtam.plans.models import OperatingPlan, WorkItem
from tidtam.progress.models import PercentMethod
from tidtam.progress.selectors import band_tables, round_items, round_status
from tidtam.progress.services import progress_entry_save
from tidtam.reporting import stored_percent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def test_a_stored_percent_keeps_the_band_of_the_exact_one() -> None:
    assert stored_percent(Decimal("49.99995")) == Decimal("49.9999")
    assert stored_percent(Decimal("79.999999")) == Decimal("79.9999")
    assert stored_percent(Decimal("50")) == Decimal("50.0000")
    assert stored_percent(None) is None


@pytest.mark.parametrize(
    ("result", "band"),
    [
        (Decimal("999999"), Band.BELOW_50),  # 49.99995 %
        (Decimal("1000000"), Band.FROM_50),  # 50 %
        (Decimal("1599999"), Band.FROM_50),  # 79.99995 %
        (Decimal("1600000"), Band.FROM_80),  # 80 %
        (Decimal("0"), Band.BELOW_50),
    ],
)
def test_round_status_and_national_tables_band_as_the_core_does(
    result: Decimal, band: Band
) -> None:
    round_ = open_round_for(2567, 6)
    plan = OperatingPlan.objects.select_related("organization").get(
        organization__code="onesqa", fiscal_year__year=2567
    )
    item = (
        WorkItem.objects.filter(plan=plan, activity__isnull=False, excluded=False)
        .filter(budget_line__isnull=True, later_quarter_from__isnull=True)
        .order_by("pk")
        .first()
    )
    assert item is not None
    item.target_quantity = Decimal("2000000")
    item.save()
    progress_entry_save(
        work_item=item,
        round_=round_,
        result_text="ผลทดสอบขอบช่วง",
        result_quantity=result,
        percent_method=PercentMethod.COMPUTED,
        explanation="รอผลการจัดซื้อจัดจ้าง",
    )
    core = band_table(p.band_item for p in round_items(plan, round_) if p.counted)
    mine = next(p for p in round_items(plan, round_) if p.item.pk == item.pk)
    assert band_of(mine.percentages.annual, later_quarter=False) == band  # the core's band
    status = round_status(plan, round_)
    assert status.table.band_totals == core.band_totals
    assert status.table.totals == core.totals
    national = band_tables(fiscal_year=2567, round_months=6, organization_codes=["onesqa"])
    assert national["onesqa"].band_totals == core.band_totals
