"""Every KPI kind end to end through the pages people use: the agreement's KPI form, the result
page, the per-unit page of a ratio KPI, and the scorecard (its JSON, Word and Excel): the value,
the pass / fail status against the target and direction, and ΣA / ΣB for ratios. Changing a
KPI's kind reads its results again."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.app.conftest import open_round_for, signed_in
from tests.app.test_agreement_editor import kpi, text
from tidtam.agreements.models import Agreement, AgreementKPI, Indicator, IndicatorResult
from tidtam.orgs.models import Organization
from tidtam.reports.render import render, to_json
from tidtam.reports.scorecard import scorecard_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


@pytest.fixture
def agreement() -> Agreement:
    return Agreement.objects.get(organization__code="ops-bic", fiscal_year__year=2564)


def sheet(kpi_: AgreementKPI, **changes: str) -> dict[str, str]:
    """The KPI form as the editor shows it, with some fields changed."""
    indicator = kpi_.indicator
    data = {
        "number": str(kpi_.number),
        "name": indicator.name,
        "measure_kind": indicator.measure_kind,
        "direction": indicator.direction,
        "unit": indicator.unit,
        "target_value": "" if indicator.target_value is None else str(indicator.target_value),
        "target_text": indicator.target_text,
        "base_year": "",
        "base_value": "",
        "previous_result": indicator.previous_result,
        "linkage_text": kpi_.linkage_text,
    }
    data.update(changes)
    return data


def scorecard_row(number: int) -> dict[str, Any]:
    data = json.loads(to_json(scorecard_report("ops-bic", 2564, 12).model_dump()))
    return next(k for g in data["groups"] for k in g["kpis"] if k["number"] == number)


def report_result(client: Client, indicator: Indicator, round_: Any, **fields: str) -> Any:
    url = reverse("progress:result", args=[indicator.pk, round_.pk])
    return client.post(url, {"narrative": "ผลตามรายงาน", "submit": "0", **fields})


def test_a_change_kpi_needs_its_base_then_shows_its_growth_and_passes(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "bic-planner")
    four = kpi(agreement, 4)
    url = reverse("agreements:kpi_edit", args=[four.pk])
    change = {"measure_kind": "change", "target_value": "5", "target_text": "เพิ่มขึ้นร้อยละ 5"}

    refused = client.post(url, sheet(four, **change))
    assert refused.status_code == 400
    assert "ยังไม่มีค่าฐาน" in text(refused)
    assert Indicator.objects.get(pk=four.indicator_id).measure_kind == "quantity"

    saved = client.post(url, sheet(four, **change, base_year="2563", base_value="200"))
    assert saved.status_code == 302, text(saved)[:2000]
    round_ = open_round_for(2564, 12, "ops-bic")
    assert report_result(client, four.indicator, round_, value="300").status_code == 302

    page = text(client.get(reverse("progress:result", args=[four.indicator_id, round_.pk])))
    assert 'data-testid="change">50.00<' in page
    assert 'data-testid="passed">ผ่านค่าเป้าหมาย<' in page
    result = IndicatorResult.objects.get(indicator_id=four.indicator_id, round=round_, unit=None)
    assert (result.value, result.percent) == (300, 50)
    row = scorecard_row(4)
    assert row["kind"] == "change"
    assert Decimal(row["self"]["figure"]) == 50
    assert row["self"]["passed"] is True
    assert row["self"]["result_text"] == "เปลี่ยนแปลง 50 ร้อยละ จากค่าฐาน — ผ่านค่าเป้าหมาย"


def test_editing_the_kind_reads_the_results_again(client: Client, agreement: Agreement) -> None:
    signed_in(client, "bic-planner")
    four = kpi(agreement, 4)
    url = reverse("agreements:kpi_edit", args=[four.pk])
    quantity = {"measure_kind": "quantity", "target_value": "200", "target_text": "200 ราย"}
    assert client.post(url, sheet(four, **quantity)).status_code == 302
    round_ = open_round_for(2564, 12, "ops-bic")
    assert report_result(client, four.indicator, round_, value="300").status_code == 302
    result = IndicatorResult.objects.get(indicator_id=four.indicator_id, round=round_, unit=None)
    assert result.percent == 150  # 300 against a target of 200

    as_change = sheet(
        four,
        measure_kind="change",
        target_value="5",
        target_text="เพิ่มขึ้นร้อยละ 5",
        base_year="2563",
        base_value="200",
    )
    assert client.post(url, as_change).status_code == 302
    result.refresh_from_db()
    assert result.percent == 50  # (300 − 200) / 200: the growth, no longer 150

    # A number cannot become a level: refused in Thai, and nothing changes.
    refused = client.post(url, sheet(four, measure_kind="milestone", target_value="5"))
    assert refused.status_code == 400
    assert "มีผลที่บันทึกไว้แล้ว" in text(refused)
    indicator = Indicator.objects.get(pk=four.indicator_id)
    assert (indicator.measure_kind, indicator.base_value) == ("change", 200)
    result.refresh_from_db()
    assert result.percent == 50


def test_lower_is_better_passes_at_the_target_and_fails_above_it(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "bic-planner")
    four = kpi(agreement, 4)
    lower = sheet(
        four,
        measure_kind="quantity",
        direction="lower",
        target_value="3",
        target_text="ไม่เกิน 3 วัน",
    )
    # The agreement's levels rise; for a lower-is-better KPI they must fall: set them first.
    four.levels.all().delete()
    assert client.post(reverse("agreements:kpi_edit", args=[four.pk]), lower).status_code == 302
    round_ = open_round_for(2564, 12, "ops-bic")
    report_result(client, four.indicator, round_, value="3")
    assert 'data-testid="passed">ผ่านค่าเป้าหมาย<' in text(
        client.get(reverse("progress:result", args=[four.indicator_id, round_.pk]))
    )
    result = IndicatorResult.objects.get(indicator_id=four.indicator_id, round=round_, unit=None)
    report_result(client, four.indicator, round_, value="3.5", version=str(result.version))
    assert 'data-testid="passed">ไม่ผ่านค่าเป้าหมาย<' in text(
        client.get(reverse("progress:result", args=[four.indicator_id, round_.pk]))
    )


def units_form(rows: list[tuple[str, str, str]], version: int, extra: int = 3) -> dict[str, str]:
    data = {
        "form-TOTAL_FORMS": str(len(rows) + extra),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "500",
        "version": str(version),
    }
    for i, (unit, a, b) in enumerate(rows):
        data.update({f"form-{i}-unit": unit, f"form-{i}-numerator": a, f"form-{i}-denominator": b})
    return data


def units_under(org: Organization) -> list[Organization]:
    """Two provincial offices under the organisation, reporting their own A and B."""
    return [
        Organization.objects.create(code=f"{org.code}-p{n}", name=f"สำนักงานจังหวัดที่ {n}", parent=org)
        for n in (1, 2)
    ]


def _ratio(agreement: Agreement) -> AgreementKPI:
    four = kpi(agreement, 4)
    indicator = four.indicator
    indicator.measure_kind, indicator.target_value, indicator.unit = "ratio", Decimal(80), "ร้อยละ"
    indicator.target_text = "ร้อยละ 80"
    indicator.save()
    return four


def _units_page(agreement: Agreement) -> tuple[AgreementKPI, Organization, Any, str]:
    """KPI 4 made a ratio, the first unit under the agreement's organisation, สต.'s open round
    12 of 2564 and the KPI's units page in it."""
    four = _ratio(agreement)
    unit = units_under(agreement.organization)[0]
    round_ = open_round_for(2564, 12, "ops-bic")
    return four, unit, round_, reverse("progress:result_units", args=[four.indicator_id, round_.pk])


def test_a_ratio_reported_by_units_is_the_sum_of_a_over_the_sum_of_b(
    client: Client, agreement: Agreement
) -> None:
    four = _ratio(agreement)
    org = agreement.organization
    units = units_under(org)
    round_ = open_round_for(2564, 12, "ops-bic")
    signed_in(client, "bic-planner")
    url = reverse("progress:result_units", args=[four.indicator_id, round_.pk])
    assert client.get(url).status_code == 200

    rows = [(str(units[0].pk), "90", "100"), (str(units[1].pk), "๑", "๑๐")]
    response = client.post(url, units_form(rows, version=0))
    assert response.status_code == 302, text(response)[:3000]

    total = IndicatorResult.objects.get(indicator_id=four.indicator_id, round=round_, unit=None)
    assert (total.numerator, total.denominator) == (91, 110)
    page = text(client.get(url))
    assert 'data-testid="sum-a">91<' in page
    assert 'data-testid="rate">82.73<' in page  # 91 / 110, not the mean of 90 % and 10 %
    row = scorecard_row(4)
    assert (Decimal(row["self"]["numerator"]), Decimal(row["self"]["denominator"])) == (91, 110)
    assert row["self"]["passed"] is True
    assert [u["unit"] for u in row["units"]] == [u.label for u in units]
    assert [u["rate_text"] for u in row["units"]] == ["90.00", "10.00"]
    assert "(ผลรวม A 91 / ผลรวม B 110) — ผ่านค่าเป้าหมาย" in row["self"]["result_text"]
    # The documents print it.
    data = scorecard_report("ops-bic", 2564, 12).model_dump()
    docx = Document(io.BytesIO(render(data, "docx")))
    cells = [c.text for t in docx.tables for r in t.rows for c in r.cells]
    assert any("ผลรวม A 91 / ผลรวม B 110" in c for c in cells)
    book = load_workbook(io.BytesIO(render(data, "xlsx")))
    values = [str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r]
    assert any("ผลรวม A 91 / ผลรวม B 110" in v for v in values)

    # One unit dropped (its row left blank): the total follows.
    response = client.post(url, units_form(rows[:1], version=total.version))
    assert response.status_code == 302
    total.refresh_from_db()
    assert (total.numerator, total.denominator, total.value) == (90, 100, 90)
    assert (
        IndicatorResult.objects.filter(indicator_id=four.indicator_id, unit__isnull=False).count()
        == 1
    )


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([("UNIT0", "5", "")], "กรอกให้ครบ"),
        ([("UNIT0", "-1", "4")], "ติดลบไม่ได้"),
        ([("UNIT0", "1", "4"), ("UNIT0", "2", "4")], "มากกว่าหนึ่งแถว"),
        ([("OTHER", "1", "4")], "เลือกจากรายการ"),
    ],
)
def test_bad_unit_rows_are_refused_in_thai_and_nothing_is_saved(
    client: Client, agreement: Agreement, rows: list[tuple[str, str, str]], words: str
) -> None:
    four = _ratio(agreement)
    unit = units_under(agreement.organization)[0]
    other = Organization.objects.get(code="onesqa")
    ids = {"UNIT0": str(unit.pk), "OTHER": str(other.pk)}
    round_ = open_round_for(2564, 12, "ops-bic")
    url = reverse("progress:result_units", args=[four.indicator_id, round_.pk])
    typed = [(ids[u], a, b) for u, a, b in rows]
    response = signed_in(client, "bic-planner").post(url, units_form(typed, version=0))
    assert response.status_code == 400
    assert words in text(response)
    assert not IndicatorResult.objects.filter(indicator_id=four.indicator_id).exists()


def test_units_typed_after_the_round_closed_are_shown_back_and_nothing_is_saved(
    client: Client, agreement: Agreement
) -> None:
    from tests.app.test_two_people import unsaved_on
    from tidtam.periods.services import round_close

    four, unit, round_, url = _units_page(agreement)
    signed_in(client, "bic-planner")
    round_close(round_=round_, organization=agreement.organization)
    response = client.post(url, units_form([(str(unit.pk), "๗", "10")], version=0))
    assert response.status_code == 409
    page = text(response)
    assert page.count("ปิดรับรายงานแล้ว จึงบันทึกหรือส่งผลของ") == 1
    assert unsaved_on(page) == [("หน่วยงาน", unit.label), ("ตัวตั้ง (A)", "๗"), ("ตัวหาร (B)", "10")]
    assert not IndicatorResult.objects.filter(indicator_id=four.indicator_id).exists()


def test_a_yes_no_result_typed_after_the_round_closed_is_shown_back_by_its_words(
    client: Client, agreement: Agreement
) -> None:
    from tests.app.test_two_people import unsaved_on
    from tidtam.periods.services import round_close

    signed_in(client, "bic-planner")
    four = kpi(agreement, 4)
    yes_no = {"measure_kind": "yes_no", "target_value": "", "target_text": "มีระบบ"}
    saved = client.post(reverse("agreements:kpi_edit", args=[four.pk]), sheet(four, **yes_no))
    assert saved.status_code == 302, text(saved)[:2000]
    round_ = open_round_for(2564, 12, "ops-bic")
    round_close(round_=round_, organization=agreement.organization)
    refused = report_result(client, four.indicator, round_, met="1", narrative="มีระบบแล้ว")
    assert refused.status_code == 409
    assert unsaved_on(text(refused)) == [
        ("ผลการประเมิน", "ผ่าน"),
        ("ผลการดำเนินงาน (คำบรรยาย)", "มีระบบแล้ว"),
    ]
    assert not IndicatorResult.objects.filter(indicator_id=four.indicator_id).exists()


def test_units_with_no_denominator_show_no_rate_and_no_status(
    client: Client, agreement: Agreement
) -> None:
    _four, unit, _round, url = _units_page(agreement)
    response = signed_in(client, "bic-planner").post(
        url, units_form([(str(unit.pk), "0", "0")], version=0)
    )
    assert response.status_code == 302
    row = scorecard_row(4)
    assert row["self"]["figure"] is None
    assert row["self"]["passed"] is None
    assert row["self"]["result_text"] == "ไม่มีตัวหาร (B = 0)"
    assert row["self"]["score"] is None


def test_only_a_ratio_kpi_has_a_units_page(client: Client, agreement: Agreement) -> None:
    four = kpi(agreement, 4)
    round_ = open_round_for(2564, 12, "ops-bic")
    url = reverse("progress:result_units", args=[four.indicator_id, round_.pk])
    response = signed_in(client, "bic-planner").get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("progress:result", args=[four.indicator_id, round_.pk])
    # Another organisation's planner does not learn that the KPI exists.
    ratio = _ratio(agreement)
    url = reverse("progress:result_units", args=[ratio.indicator_id, round_.pk])
    assert signed_in(Client(), "planner").get(url).status_code == 404


def test_a_milestone_kpis_levels_read_the_same_in_the_result_form_and_the_committees() -> None:
    """The level reached is named once (messages.level_label): a reporter's form and the
    committee's offer the same choices, none reached included."""
    from tidtam.agreements.forms import ReviewForm as CommitteeForm
    from tidtam.progress.forms import ResultForm

    kpi_ = (
        AgreementKPI.objects.filter(indicator__measure_kind=Indicator.MeasureKind.MILESTONE)
        .select_related("indicator")
        .first()
    )
    assert kpi_ is not None
    levels = max(level.rank for level in kpi_.levels.all())
    reporter = ResultForm(indicator=kpi_.indicator, levels=levels).fields["level_reached"]
    committee = CommitteeForm(kpi=kpi_, result=None).fields["level"]
    expected = [("", "ยังไม่ประเมิน"), ("0", "ไม่ผ่านระดับใด")] + [
        (str(n), f"ระดับ {n}") for n in range(1, levels + 1)
    ]
    assert list(reporter.choices) == list(committee.choices) == expected
