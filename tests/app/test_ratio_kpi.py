"""A ratio KPI (A / B × 100) whose quotient has no end saves through the web form, and its score
and scorecard come from A and B at full precision, not from the 4-decimal stored copy."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.app.conftest import open_round_for, signed_in
from tidtam.agreements.models import Agreement, AgreementKPI, IndicatorResult
from tidtam.agreements.services import kpi_score, result_value
from tidtam.domain import scoring
from tidtam.reports.scorecard import scorecard_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def _ratio_kpi() -> AgreementKPI:
    """KPI 4 of สป.อว.'s 2564 agreement, made a ratio KPI with a target of 50 %."""
    agreement = Agreement.objects.get(organization__code="ops-bic", fiscal_year__year=2564)
    kpi = AgreementKPI.objects.select_related("indicator").get(group__agreement=agreement, number=4)
    indicator = kpi.indicator
    indicator.measure_kind = scoring.MeasureKind.RATIO
    indicator.target_value = Decimal(50)
    indicator.unit = "ร้อยละ"
    indicator.save()
    return kpi


@pytest.mark.parametrize(("a", "b"), [("1", "3"), ("2", "7"), ("100", "3")])
def test_a_ratio_without_an_end_saves_and_scores_from_a_and_b(a: str, b: str) -> None:
    kpi = _ratio_kpi()
    round_ = open_round_for(2564, 12, "ops-bic")
    client = signed_in(Client(), "bic-planner")
    url = reverse("progress:result", args=[kpi.indicator_id, round_.pk])
    response = client.post(
        url, {"numerator": a, "denominator": b, "narrative": "ผลตามรายงาน", "submit": "0"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    result = IndicatorResult.objects.get(indicator=kpi.indicator, round=round_, unit=None)
    exact = Decimal(a) / Decimal(b) * 100
    # The stored copy: 4 decimals, cut down (33.3333 for 1 / 3).
    assert result.value == exact.quantize(Decimal("0.0001"), rounding="ROUND_FLOOR")
    # Everything computed reads A / B at full precision.
    assert result_value(kpi.indicator, result) == scoring.ratio_total([(Decimal(a), Decimal(b))])
    assert result_value(kpi.indicator, result) != result.value
    scheme_score = kpi_score(kpi, result)
    assert scheme_score is not None
    expected = scoring.score_value(
        _scheme(kpi),
        scoring.ratio_total([(Decimal(a), Decimal(b))]),
        direction=scoring.Direction(kpi.indicator.direction),
        kpi=f"ตัวชี้วัดที่ {kpi.number}",
    )
    assert scheme_score == expected

    # The entry page shows it again, and the scorecard prints it rounded to 2 places.
    page = client.get(url)
    assert page.status_code == 200
    card = scorecard_report("ops-bic", 2564, 12).model_dump()
    shown = f"{exact.quantize(Decimal('0.01'), rounding='ROUND_HALF_UP'):,} ร้อยละ"
    assert shown in str(card), card


def _scheme(kpi: AgreementKPI) -> scoring.ScoringScheme:
    from tidtam.agreements.services import kpi_scheme

    return kpi_scheme(kpi)


def test_a_and_b_are_refused_in_thai_where_they_cannot_be_read_and_nothing_is_saved() -> None:
    """A negative B reached the database's check and came back in English; A and B typed for a
    KPI that is not a ratio, or one of them alone, were stored and read by nothing."""
    from tidtam.agreements.services import indicator_result_save
    from tidtam.domain.errors import DomainError
    from tidtam.messages import message_for

    kpi = _ratio_kpi()
    round_ = open_round_for(2564, 12, "ops-bic")
    other = (
        AgreementKPI.objects.select_related("indicator")
        .filter(group__agreement=kpi.group.agreement)
        .exclude(indicator__measure_kind=scoring.MeasureKind.RATIO)
        .exclude(pk=kpi.pk)
        .first()
    )
    assert other is not None

    def refused(indicator: object, a: str | None, b: str | None) -> DomainError:
        with pytest.raises(DomainError) as raised:
            indicator_result_save(
                indicator=indicator,  # type: ignore[arg-type]
                round_=round_,
                numerator=None if a is None else Decimal(a),
                denominator=None if b is None else Decimal(b),
            )
        return raised.value

    error = refused(kpi.indicator, "1", "-1")
    assert error.code == "ratio_part_negative"
    assert message_for(error).endswith("ตัวตั้งและตัวหารต้องไม่ติดลบ ตรวจตัวเลขที่กรอก")
    error = refused(kpi.indicator, None, "-1")
    assert error.code == "ratio_parts_both"
    assert "กรอกทั้งตัวตั้ง (A) และตัวหาร (B)" in message_for(error)
    error = refused(other.indicator, "1", "2")
    assert error.code == "ratio_parts_not_read"
    assert message_for(error).startswith(f'ตัวชี้วัด "{other.indicator.name}" ไม่ใช่แบบอัตราส่วน')
    assert not IndicatorResult.objects.filter(
        indicator__in=[kpi.indicator, other.indicator], round=round_
    ).exists()
