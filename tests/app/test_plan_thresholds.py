"""A plan's thresholds are a setting people can set, and every figure reads them: the band
table of the report, the round status page, the national tables in SQL, the lagging lists, the
entry page's explanation rule, and the Word, Excel and HTML documents."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.app.conftest import open_round_for, signed_in
from tidtam.domain.errors import DomainError
from tidtam.domain.progress import Band, BandThresholds, band_table
from tidtam.plans.models import OperatingPlan, WorkItem
from tidtam.progress.models import PercentMethod, ProgressEntry
from tidtam.progress.selectors import band_tables, round_items, round_status
from tidtam.progress.services import progress_entry_save
from tidtam.reports.quarterly import quarterly_report
from tidtam.reports.render import render

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def onesqa_plan() -> OperatingPlan:
    return OperatingPlan.objects.select_related("organization", "fiscal_year").get(
        organization__code="onesqa", fiscal_year__year=2567
    )


def settings_form(plan: OperatingPlan, **changes: str) -> dict[str, str]:
    form = {
        "title": plan.title,
        "band_low": "50",
        "band_high": "80",
        "explanation_threshold": "50",
    }
    form.update(changes)
    return form


def exact_table(plan: OperatingPlan, months: int, thresholds: BandThresholds) -> Any:
    """The table the core counts from the exact percentages under these thresholds."""
    round_ = plan.fiscal_year.rounds.get(months=months)
    return band_table((p.band_item for p in round_items(plan, round_) if p.counted), thresholds)


def test_a_planner_sets_the_thresholds_and_every_count_follows(client: Any) -> None:
    plan = onesqa_plan()
    before_report = quarterly_report("onesqa", 2567, 6).model_dump()
    before = before_report["band_table"]
    before_lagging = before_report["lagging_projects"]
    url = reverse("plans:plan_settings", kwargs={"plan_id": plan.pk})
    page = signed_in(client, "planner").get(url)
    assert page.status_code == 200
    assert "ช่วงกลางเริ่มที่ร้อยละ" in page.content.decode()
    # The settings show as people write them ("50", never "5E+1" or "50.0000").
    assert page.context["form"]["band_low"].value() == "50"
    assert 'value="50"' in page.content.decode() and "5E+1" not in page.content.decode()

    response = client.post(
        url, settings_form(plan, band_low="70", band_high="90.5", explanation_threshold="40")
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    plan.refresh_from_db()
    thresholds = BandThresholds(Decimal(70), Decimal("90.5"), Decimal(40))
    assert plan.thresholds == thresholds
    core = exact_table(plan, 6, thresholds)
    # The new thresholds move items: the counts are not the seed's 3 / 28 / 19 / 5 any more.
    assert core.band_totals != {
        Band.LATER_QUARTER: 3,
        Band.BELOW_50: 28,
        Band.FROM_50: 19,
        Band.FROM_80: 5,
    }
    report = quarterly_report("onesqa", 2567, 6).model_dump()
    counts = {band: report["band_table"]["totals"][band.value]["count"] for band in Band}
    assert counts == core.band_totals
    assert counts != {band: before["totals"][band.value]["count"] for band in Band}
    assert report["band_table"]["headings"]["below_50"] == "ต่ำกว่าร้อยละ 70"
    assert report["band_table"]["headings"]["from_50"] == "ร้อยละ 70-90.49"
    assert report["band_table"]["headings"]["from_80"] == "ร้อยละ 90.5 ขึ้นไป"
    assert "ต่ำกว่าร้อยละ 70 จำนวน" in report["summary_sentence"]
    # The lagging list is the items below the new lower threshold, and only those.
    lagging = {row["name"] for row in report["lagging_projects"]}
    assert lagging and all(row["percent_annual"] < 70 for row in report["lagging_projects"])
    round_ = plan.fiscal_year.rounds.get(months=6)
    expected = {
        p.item.name
        for p in round_items(plan, round_)
        if p.counted
        and not p.later_quarter
        and p.item.kind != WorkItem.Kind.BUDGET_ITEM
        and p.percentages.annual is not None
        and p.percentages.annual < 70
    }
    assert lagging == expected
    assert len(lagging) > len(before_lagging)
    # SQL counts the bands the core stored, on the round status page and the national tables.
    assert round_status(plan, round_).table.band_totals == core.band_totals
    national = band_tables(fiscal_year=2567, round_months=6, organization_codes=["onesqa"])
    assert national["onesqa"] == core
    # The documents print the plan's thresholds.
    docx = Document(io.BytesIO(render(report, "docx")))
    docx_text = "\n".join(c.text for t in docx.tables for r in t.rows for c in r.cells)
    assert "ร้อยละ 70-90.49" in docx_text
    assert "คำอธิบายกรณีผลการดำเนินงานต่ำกว่าร้อยละ 40" in docx_text
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    titles = [str(sheet.cell(1, 1).value) for sheet in book.worksheets]
    assert "โครงการที่อยู่ระหว่างดำเนินการต่ำกว่าร้อยละ 70 ของเป้าหมายทั้งปี" in titles
    assert (
        "คำอธิบายกรณีผลการดำเนินงานเมื่อเทียบกับเป้าหมายทั้งปีงบประมาณต่ำกว่าร้อยละ 40"
        in render(report, "html").decode()
    )
    assert lagging


def test_the_explanation_rule_reads_the_plan(client: Any) -> None:
    plan = onesqa_plan()
    plan.explanation_threshold = Decimal(30)
    plan.save()
    round_ = open_round_for(2567, 6)
    item = (
        WorkItem.objects.filter(plan=plan, activity__isnull=False, excluded=False)
        .filter(budget_line__isnull=True, later_quarter_from__isnull=True)
        .exclude(kind=WorkItem.Kind.BUDGET_ITEM)
        .order_by("pk")
        .first()
    )
    assert item is not None
    item.target_quantity = Decimal(100)
    item.save()
    ProgressEntry.objects.filter(work_item=item, round=round_).delete()
    # 40 % is below the band's 50 but above the plan's explanation threshold of 30: no reason needed.
    entry = progress_entry_save(
        work_item=item, round_=round_, result_text="ผล", result_quantity=Decimal(40)
    )
    assert entry.band == Band.BELOW_50
    # 20 % is below 30: refused in Thai, naming the threshold.
    with pytest.raises(DomainError) as caught:
        progress_entry_save(
            work_item=item,
            round_=round_,
            result_text="ผล",
            result_quantity=Decimal(20),
            expected_version=entry.version,
        )
    assert caught.value.code == "explanation_required"
    assert caught.value.params["threshold"] == 30
    page = signed_in(client, "planner").get(
        reverse("progress:entry", kwargs={"work_item_id": item.pk, "round_id": round_.pk})
    )
    assert page.status_code == 200
    assert "ต่ำกว่าร้อยละ 30 (เกณฑ์ของแผน)" in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"band_low": "80", "band_high": "50"}, "band_high", "น้อยกว่าค่าช่วงบน"),
        ({"band_low": "-1"}, "band_low", "ติดลบไม่ได้"),
        ({"explanation_threshold": "ห้าสิบ"}, "explanation_threshold", "ตัวเลข"),
    ],
)
def test_thresholds_out_of_order_are_refused_in_thai_and_nothing_changes(
    client: Any, changes: dict[str, str], field: str, words: str
) -> None:
    plan = onesqa_plan()
    bands = list(ProgressEntry.objects.order_by("pk").values_list("band", flat=True))
    url = reverse("plans:plan_settings", kwargs={"plan_id": plan.pk})

    response = signed_in(client, "planner").post(url, settings_form(plan, **changes))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert words in " ".join(errors[field]), errors
    plan.refresh_from_db()
    assert plan.thresholds == BandThresholds()
    assert list(ProgressEntry.objects.order_by("pk").values_list("band", flat=True)) == bands


def test_a_planner_of_another_organisation_cannot_set_them(client: Any) -> None:
    plan = onesqa_plan()
    url = reverse("plans:plan_settings", kwargs={"plan_id": plan.pk})
    response = signed_in(client, "bic-planner").post(url, settings_form(plan, band_low="10"))
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.band_low == 50


def test_boundary_percents_band_the_same_in_sql_and_in_the_report() -> None:
    """Target 100,001 and result 50,000.4999 is 49.99995… %: below 50 everywhere."""
    plan = onesqa_plan()
    round_ = open_round_for(2567, 6)
    items = list(
        WorkItem.objects.filter(plan=plan, activity__isnull=False, excluded=False)
        .filter(budget_line__isnull=True, later_quarter_from__isnull=True)
        .order_by("pk")[:3]
    )
    for item, (target, result) in zip(
        items,
        [
            (Decimal(100_001), Decimal("50000.4999")),  # 49.99995… %
            (Decimal(200_000), Decimal("159999.99")),  # 79.999995 %
            (Decimal(3), Decimal(1)),  # 33.33… %
        ],
        strict=True,
    ):
        item.target_quantity = target
        item.save()
        progress_entry_save(
            work_item=item,
            round_=round_,
            result_text="ผลทดสอบขอบช่วง",
            result_quantity=result,
            percent_method=PercentMethod.COMPUTED,
            explanation="รอผลการจัดซื้อจัดจ้าง",
        )
    stored = dict(
        ProgressEntry.objects.filter(work_item__in=items, round=round_).values_list(
            "work_item_id", "band"
        )
    )
    assert [stored[i.pk] for i in items] == [Band.BELOW_50, Band.FROM_50, Band.BELOW_50]
    core = exact_table(plan, 6, plan.thresholds)
    report = quarterly_report("onesqa", 2567, 6).model_dump()
    assert {b: report["band_table"]["totals"][b.value]["count"] for b in Band} == core.band_totals
    national = band_tables(fiscal_year=2567, round_months=6, organization_codes=["onesqa"])
    assert national["onesqa"] == core
    assert round_status(plan, round_).table.band_totals == core.band_totals
