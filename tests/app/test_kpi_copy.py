"""Starting FY2565 from สต.'s FY2564 agreement (seed 004): the same KPIs, weights and levels, with
last year's results as the new baselines, through the copy page a planner uses."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.app.conftest import signed_in
from tidtam.agreements.models import (
    Agreement,
    AgreementKPI,
    Indicator,
    IndicatorResult,
    IndicatorSeriesValue,
)
from tidtam.orgs.models import Organization, Person, RoleAssignment
from tidtam.periods.models import Round
from tidtam.progress.models import EntryStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

APPROVED = EntryStatus.APPROVED
DRAFT = EntryStatus.DRAFT


@pytest.fixture
def ops_bic() -> Organization:
    return Organization.objects.get(code="ops-bic")


def indicator(year: int, number: int) -> Indicator:
    return Indicator.objects.get(
        organization__code="ops-bic", fiscal_year__year=year, number=number
    )


def result(number: int, months: int, status: str, **values: Any) -> IndicatorResult:
    return IndicatorResult.objects.create(
        indicator=indicator(2564, number),
        round=Round.objects.get(fiscal_year__year=2564, months=months),
        status=status,
        **values,
    )


def baseline(item: Indicator) -> dict[int, str]:
    return {
        cell.fiscal_year: cell.text
        for cell in item.series.filter(series=IndicatorSeriesValue.Series.BASELINE)
    }


def copy(client: Client, ops_bic: Organization, to_year: str = "2565") -> Any:
    return client.post(
        reverse("agreements:agreement_copy"),
        {"organization": ops_bic.pk, "from_year": "2564", "to_year": to_year},
    )


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_copying_a_year_makes_the_same_kpis_with_last_years_results_as_baselines(
    client: Client, ops_bic: Organization
) -> None:
    # KPI 4 counts projects: 7 approved at 9 months, 9 approved at 12 months.
    result(4, 9, APPROVED, value=Decimal(7))
    result(4, 12, APPROVED, value=Decimal(9))
    # KPI 1 reached level 3 (round 12, approved); the committee confirmed level 2.
    result(1, 12, APPROVED, level_reached=3, reviewed_level_reached=2)
    # KPI 2: the approved 9-month level wins over a 12-month draft still being written.
    result(2, 9, APPROVED, level_reached=1)
    result(2, 12, DRAFT, level_reached=3)
    # KPI 5: nothing approved yet, so the latest entered result.
    result(5, 6, DRAFT, level_reached=2)
    signed_in(client, "bic-planner")

    page = client.get(
        reverse("agreements:agreement_copy"), {"organization": ops_bic.pk, "from_year": 2564}
    )
    assert 'name="to_year" value="2565"' in text(page)
    response = copy(client, ops_bic)

    new = Agreement.objects.get(organization=ops_bic, fiscal_year__year=2565)
    old = Agreement.objects.get(organization=ops_bic, fiscal_year__year=2564)
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:agreement_detail", args=[new.pk])
    assert new.title == "คำรับรองการปฏิบัติราชการ ประจำปีงบประมาณ พ.ศ. 2565"
    assert (new.period_start.isoformat(), new.period_end.isoformat()) == (
        "2021-10-01",
        "2022-09-30",
    )
    assert new.signed_on is None
    assert new.receiver == old.receiver and new.maker == old.maker
    assert "1 ตุลาคม 2564 ถึงวันที่ 30 กันยายน 2565" in new.clauses.get(number=2).text

    def shape(agreement: Agreement) -> list[Any]:
        return [
            (
                group.name,
                group.weight,
                [
                    (
                        kpi.number,
                        kpi.indicator.name,
                        kpi.weight,
                        [(lv.rank, lv.name, lv.points, lv.threshold) for lv in kpi.levels.all()],
                        [o.person_id for o in kpi.indicator.owners.all()],
                        sorted(kpi.indicator.policy_nodes.values_list("pk", flat=True)),
                    )
                    for kpi in group.kpis.select_related("indicator")
                ],
            )
            for group in agreement.groups.all()
        ]

    assert shape(new) == shape(old)
    assert [len(g[2]) for g in shape(new)] == [4, 7]
    assert [g[1] for g in shape(new)] == [60, 40]
    assert AgreementKPI.objects.filter(group__agreement=new).count() == 11
    # New indicators, not the old ones moved.
    assert Indicator.objects.filter(organization=ops_bic, fiscal_year__year=2564).count() == 11
    assert Indicator.objects.filter(organization=ops_bic, fiscal_year__year=2565).count() == 11

    # KPI 4's baseline keeps five years, now 2560-2564, the last from the 12-month result.
    four = indicator(2565, 4)
    assert baseline(four) == {2560: "10", 2561: "12", 2562: "15", 2563: "8", 2564: "9"}
    cell = four.series.get(series="baseline", fiscal_year=2564)
    assert (cell.value, cell.row_label) == (Decimal(9), "ผลการดำเนินงาน")
    assert four.previous_result == "9 โครงการ/กิจกรรม"
    # Its target for 2565 comes from the roadmap, which keeps only the years still to come.
    assert four.target_value == 10
    assert sorted(four.series.filter(series="roadmap").values_list("fiscal_year", flat=True)) == [
        2565,
        2566,
        2567,
        2568,
    ]

    assert baseline(indicator(2565, 1))[2564] == "ระดับ 2"
    assert indicator(2565, 1).previous_result == "ระดับ 2"
    assert baseline(indicator(2565, 2))[2564] == "ระดับ 1"
    assert baseline(indicator(2565, 5))[2564] == "ระดับ 2"
    # KPI 3 has no result: the year shows "-" and there is no previous result to claim.
    assert baseline(indicator(2565, 3)) == {2560: "-", 2561: "-", 2562: "-", 2563: "-", 2564: "-"}
    assert indicator(2565, 3).previous_result == ""
    # Last year's own sheet is untouched.
    assert 2564 not in baseline(indicator(2564, 4))


def test_a_year_that_already_has_an_agreement_is_refused_with_the_thai_message(
    client: Client, ops_bic: Organization
) -> None:
    signed_in(client, "bic-planner")
    assert copy(client, ops_bic).status_code == 302
    indicators = Indicator.objects.count()

    again = copy(client, ops_bic)

    assert again.status_code == 400
    assert ("สต. มีคำรับรองการปฏิบัติราชการของปีงบประมาณ 2565 อยู่แล้ว — เปิดคำรับรองนั้นเพื่อแก้ไข") in text(again)
    assert Indicator.objects.count() == indicators
    assert Agreement.objects.filter(organization=ops_bic).count() == 2


def test_a_year_typed_in_ce_or_not_after_the_source_is_refused(
    client: Client, ops_bic: Organization
) -> None:
    signed_in(client, "bic-planner")

    ce = copy(client, ops_bic, to_year="2022")
    assert ce.status_code == 400
    assert 'ปี 2022 ในช่อง "ปีงบประมาณปลายทาง" ดูเหมือนเป็นปี ค.ศ.' in text(ce)

    earlier = copy(client, ops_bic, to_year="๒๕๖๓")
    assert "ปีงบประมาณปลายทาง (2563) ต้องอยู่หลังปีงบประมาณต้นทาง (2564)" in text(earlier)
    assert not Agreement.objects.filter(organization=ops_bic).exclude(fiscal_year__year=2564)


def test_only_the_organisations_planners_may_copy_its_year(
    client: Client, ops_bic: Organization
) -> None:
    # สมศ.'s planner cannot name สต. at all.
    signed_in(client, "planner")
    response = copy(client, ops_bic)
    assert response.status_code == 400
    assert "ไม่พบหน่วยงานนี้ หรือคุณไม่ได้เป็นผู้วางแผนของหน่วยงานนี้" in text(response)

    # An auditor of สต. reads, and changes nothing.
    RoleAssignment.objects.create(
        person=Person.objects.get(user__username="auditor"), organization=ops_bic, role="auditor"
    )
    signed_in(client, "auditor")
    assert client.get(reverse("agreements:agreement_copy")).status_code == 403
    assert copy(client, ops_bic).status_code == 403

    # A reporter has no planner role anywhere.
    signed_in(client, "reporter")
    assert client.get(reverse("agreements:agreement_copy")).status_code == 403

    # The ministry's planner plans for สต. too.
    signed_in(client, "moe-planner")
    assert copy(client, ops_bic).status_code == 302
    assert Agreement.objects.filter(organization=ops_bic, fiscal_year__year=2565).exists()


def test_a_year_started_by_a_kpi_copy_has_its_rounds_and_takes_the_planners_dates(
    client: Client, ops_bic: Organization
) -> None:
    """The copy makes the year with its four rounds (closed, due on the Budget Bureau's day);
    the rounds page then adds the organisation's own dates to it rather than refusing."""
    from tidtam.periods.calendar import schedule_for
    from tidtam.periods.models import FiscalYear, RoundSchedule

    signed_in(client, "bic-planner")
    assert not FiscalYear.objects.filter(year=2570).exists()
    assert copy(client, ops_bic, "2570").status_code == 302
    rounds = Round.objects.filter(fiscal_year__year=2570).order_by("months")
    assert list(rounds.values_list("months", flat=True)) == [3, 6, 9, 12]
    due = schedule_for(rounds[1], ops_bic.pk)
    assert not due.is_open and due.deadline.isoformat() == "2027-04-15"

    response = client.post(
        reverse("periods:fiscal_year_add"), {"year": "2570", "organization": ops_bic.pk}
    )
    assert response.status_code == 302, text(response)
    assert (
        RoundSchedule.objects.filter(round__fiscal_year__year=2570, organization=ops_bic).count()
        == 4
    )
    assert Round.objects.filter(fiscal_year__year=2570).count() == 4


def test_a_change_kpi_copied_into_the_next_year_measures_from_this_years_result(
    client: Client, ops_bic: Organization
) -> None:
    four = indicator(2564, 4)
    four.measure_kind, four.base_year, four.base_value = "change", 2563, Decimal(200)
    four.target_value = Decimal(5)
    four.save()
    five = indicator(2564, 5)
    five.measure_kind, five.base_year, five.base_value = "change", 2563, Decimal(80)
    five.save()
    result(4, 12, APPROVED, value=Decimal(260))  # five has no result: it keeps its base

    assert copy(signed_in(client, "bic-planner"), ops_bic).status_code == 302

    new_four, new_five = indicator(2565, 4), indicator(2565, 5)
    assert (new_four.base_year, new_four.base_value) == (2564, 260)
    assert (new_five.base_year, new_five.base_value) == (2563, 80)


def test_a_year_copy_brings_the_strategic_projects_with_their_units_and_strategy(
    client: Client,
) -> None:
    """สมศ. has no agreement, only the 19 projects of its strategic plan (each its KPI): the
    copy makes them in the new year with the same units, in the order documents print them."""
    onesqa = Organization.objects.get(code="onesqa")
    signed_in(client, "planner")
    response = client.post(
        reverse("agreements:agreement_copy"),
        {"organization": onesqa.pk, "from_year": "2567", "to_year": "2568"},
    )
    assert response.status_code == 302, text(response)[:2000]

    def projects(year: int) -> list[tuple[int, str, str, int | None, list[str]]]:
        return [
            (
                p.number,
                p.project_name,
                p.name,
                p.strategy_id,
                [r.organization.label for r in p.responsibilities.order_by("order")],
            )
            for p in Indicator.objects.filter(organization=onesqa, fiscal_year__year=year)
            .exclude(project_name="")
            .order_by("number")
        ]

    old, new = projects(2567), projects(2568)
    assert len(new) == 19 and new == old
    assert new[0][4] == ["สสพ.", "ภทส."]
    assert not IndicatorResult.objects.filter(indicator__fiscal_year__year=2568).exists()


def test_a_copied_kpis_page_shows_its_own_results_of_the_years_before(
    client: Client, ops_bic: Organization
) -> None:
    # KPI 4 counts projects: 7 approved at 9 months, 9 sent in at 12 months; a draft is not shown.
    result(4, 9, APPROVED, value=Decimal(7))
    result(4, 12, EntryStatus.SUBMITTED, value=Decimal(9))
    result(1, 12, DRAFT, level_reached=3)
    signed_in(client, "bic-planner")
    assert copy(client, ops_bic).status_code == 302
    kpi_4, kpi_1 = indicator(2565, 4), indicator(2565, 1)
    assert kpi_4.key == indicator(2564, 4).key  # the same KPI, a year on
    round_ = Round.objects.get(fiscal_year__year=2565, months=6)
    page = text(client.get(reverse("progress:result", args=[kpi_4.pk, round_.pk])))
    past = page[page.index('data-testid="past-years"') :]
    past = past[: past.index("</section>")]
    assert f"รหัสอ้างอิง <code>{kpi_4.key}</code>" in past
    assert "2564" in past and "รอบ 12 เดือน" in past and "9 " in past
    assert "รอบ 9 เดือน" not in past  # the year's latest result stands for it
    page_1 = text(client.get(reverse("progress:result", args=[kpi_1.pk, round_.pk])))
    assert 'data-testid="past-years"' not in page_1  # only a draft last year: nothing to show
