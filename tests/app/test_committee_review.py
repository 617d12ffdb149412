"""Scoring as agencies publish it: the committee's review on its own page (a score between
levels with its reason, a deduction with its rule) beside the self-assessment; the weighted-
score convention and the display precision as settings of the agreement; a note wherever the
shown parts do not add up to the shown total."""

from __future__ import annotations

import html
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from tests.app.conftest import open_round_for, signed_in
from tidtam.agreements.models import Agreement, AgreementKPI, IndicatorResult, ScoringLevel
from tidtam.agreements.services import indicator_result_save
from tidtam.domain.money import round_half_up, rounding_difference
from tidtam.periods.models import Round
from tidtam.reports.render import render
from tidtam.reports.scorecard import scorecard_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


@pytest.fixture
def agreement() -> Agreement:
    return Agreement.objects.get(organization__code="ops-bic", fiscal_year__year=2564)


def review_url(agreement: Agreement) -> str:
    round_ = Round.objects.get(fiscal_year=agreement.fiscal_year, months=12)
    return reverse("agreements:agreement_review", args=[agreement.pk, round_.pk])


def page_form(client: Client, url: str) -> dict[str, str]:
    """Every field of the review page as it was opened (what a browser would send back)."""
    response = client.get(url)
    assert response.status_code == 200
    data: dict[str, str] = {}
    for form in response.context["rows"]:
        bound = form[1]
        for field in bound:
            value = bound.initial.get(field.name)
            data[field.html_name] = "" if value is None else str(value)
    return data


def assess_every_kpi(agreement: Agreement) -> None:
    """A self-assessment of every KPI at level 2 of 3 (or its value kind's equivalent)."""
    round_ = open_round_for(2564, 12, "ops-bic")
    for kpi in AgreementKPI.objects.filter(group__agreement=agreement).select_related("indicator"):
        kind = kpi.indicator.measure_kind
        typed: dict[str, Any] = {}
        if kind == "milestone":
            typed["level_reached"] = 2
        elif kind == "yes_no":
            typed["met"] = True
        else:
            levels = list(kpi.levels.order_by("rank"))
            typed["value"] = levels[1].threshold if len(levels) > 1 else Decimal(1)
        indicator_result_save(indicator=kpi.indicator, round_=round_, **typed)


def kpi_row(number: int, data: dict[str, Any]) -> dict[str, Any]:
    return next(k for g in data["groups"] for k in g["kpis"] if k["number"] == number)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_the_committee_scores_between_levels_and_deducts_by_a_rule(
    client: Client, agreement: Agreement
) -> None:
    signed_in(client, "bic-planner")
    url = review_url(agreement)
    four = AgreementKPI.objects.get(group__agreement=agreement, number=4)
    before = kpi_row(4, scorecard_report("ops-bic", 2564, 12).model_dump())
    data = page_form(client, url)
    prefix = f"kpi-{four.pk}"
    data.update(
        {
            f"{prefix}-score": "62.5",
            f"{prefix}-reason": "ผลอยู่ระหว่างระดับ 1 และ 2",
            f"{prefix}-deduction": "๕",
            f"{prefix}-rule": "ส่งรายงานล่าช้า หัก 5 คะแนน",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, text(response)[:3000]
    report = scorecard_report("ops-bic", 2564, 12).model_dump()
    row = kpi_row(4, report)
    assert row["reviewed"]["score"] == Decimal("57.5")
    assert row["reviewed"]["weighted"] == Decimal("57.5") * row["weight"] / 100
    # The self-assessment beside it is untouched.
    assert row["self"]["score"] == before["self"]["score"]
    notes = report["review_notes"]
    assert any("คณะกรรมการให้คะแนน 62.5000 เหตุผล: ผลอยู่ระหว่างระดับ 1 และ 2" in n for n in notes)
    assert any("หักคะแนน 5.0000 ตามหลักเกณฑ์: ส่งรายงานล่าช้า หัก 5 คะแนน" in n for n in notes)
    docx = Document(io.BytesIO(render(report, "docx")))
    assert any("ส่งรายงานล่าช้า" in p.text for p in docx.paragraphs)
    page = text(client.get(url))
    assert f'data-testid="reviewed-score-4">{row["reviewed"]["score_text"]}<' in page


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ({"score": "60"}, "ไม่ได้ระบุเหตุผล"),
        ({"deduction": "1"}, "ไม่ได้ระบุหลักเกณฑ์"),
        ({"score": "120", "reason": "เกินคะแนนเต็ม"}, "คะแนน"),
        ({"deduction": "-1", "rule": "x"}, "ติดลบไม่ได้"),
    ],
)
def test_a_score_without_its_reason_or_a_deduction_without_its_rule_is_refused(
    client: Client, agreement: Agreement, typed: dict[str, str], words: str
) -> None:
    signed_in(client, "bic-planner")
    url = review_url(agreement)
    four = AgreementKPI.objects.get(group__agreement=agreement, number=4)
    before = list(IndicatorResult.objects.order_by("pk").values())
    data = page_form(client, url)
    data.update({f"kpi-{four.pk}-{name}": value for name, value in typed.items()})

    response = client.post(url, data)

    assert response.status_code == 400
    assert words in text(response)
    assert list(IndicatorResult.objects.order_by("pk").values()) == before


def test_another_organisations_planner_cannot_review(client: Client, agreement: Agreement) -> None:
    response = signed_in(client, "planner").get(review_url(agreement))
    assert response.status_code == 404


def test_the_display_precision_and_the_rounding_note(agreement: Agreement) -> None:
    assess_every_kpi(agreement)
    for places in range(5):
        agreement.score_places = places
        agreement.save()
        report = scorecard_report("ops-bic", 2564, 12).model_dump()
        weighted = [
            k["self"]["weighted"]
            for g in report["groups"]
            for k in g["kpis"]
            if k["self"]["weighted"] is not None
        ]
        assert weighted
        total = report["self_total"]
        assert report["self_total_text"] == f"{round_half_up(total, places):,.{places}f}"
        differs = rounding_difference(weighted, total, places) != 0
        noted = any("ของการประเมินตนเอง" in note for note in report["rounding_notes"])
        assert noted == differs, (places, report["rounding_notes"])
        if places == 0:
            # Seed 004's weighted scores (11.25, 8.75, …) do not add up once shown whole.
            assert differs


def test_the_weighting_convention_is_a_setting(agreement: Agreement) -> None:
    assess_every_kpi(agreement)
    hundred = scorecard_report("ops-bic", 2564, 12).model_dump()
    # The same agreement on a 1–5 scale: every level's points ÷ 20 (50 / 75 / 100 → 2.5 / 3.75 / 5).
    for level in ScoringLevel.objects.filter(kpi__group__agreement=agreement):
        level.points = level.points / 20
        level.save()
    of_max = scorecard_report("ops-bic", 2564, 12).model_dump()
    agreement.weighting = Agreement.Weighting.WEIGHT_PERCENT
    agreement.save()
    weight_percent = scorecard_report("ops-bic", 2564, 12).model_dump()

    assert hundred["self_total"] > 0
    # score × weight ÷ top points does not depend on the scale: still out of 100.
    assert of_max["self_total"] == hundred["self_total"]
    # weight % × score is on the scale of the scores: out of 5.
    assert weight_percent["weighting"] == "weight_percent"
    assert weight_percent["self_total"] * 20 == of_max["self_total"]
    assert weight_percent["self_total"] <= 5
    row = kpi_row(1, weight_percent)
    assert row["self"]["weighted"] == row["self"]["score"] * row["weight"] / 100


def test_the_committee_changes_its_review_and_a_member_with_an_older_page_is_told(
    agreement: Agreement,
) -> None:
    """A second save of a review is a change (it was once taken for a resent form and dropped);
    a member who opened the page before it is refused in Thai and keeps what they typed."""
    open_round_for(2564, 12, "ops-bic")
    url = review_url(agreement)
    first, second = signed_in(Client(), "bic-planner"), signed_in(Client(), "bic-planner")
    kpi = AgreementKPI.objects.filter(group__agreement=agreement).order_by("number").first()
    assert kpi is not None
    prefix = f"kpi-{kpi.pk}"

    def reviewed() -> tuple[Any, str, int]:
        result = IndicatorResult.objects.get(
            indicator=kpi.indicator, round__months=12, round__fiscal_year__year=2564, unit=None
        )
        return result.reviewed_score, result.reviewed_score_reason, result.version

    data = page_form(first, url)
    data.update({f"{prefix}-score": "40", f"{prefix}-reason": "ผลตามหลักฐานรอบแรก"})
    assert first.post(url, data).status_code == 302
    assert reviewed() == (Decimal(40), "ผลตามหลักฐานรอบแรก", 1)

    stale = page_form(second, url)
    data = page_form(first, url)
    data.update({f"{prefix}-score": "45", f"{prefix}-reason": "ทบทวนแล้วเพิ่มคะแนน"})
    assert first.post(url, data).status_code == 302
    assert reviewed() == (Decimal(45), "ทบทวนแล้วเพิ่มคะแนน", 2)

    stale.update({f"{prefix}-score": "30", f"{prefix}-reason": "ความเห็นของกรรมการอีกท่าน"})
    refused = second.post(url, stale)
    assert refused.status_code == 400
    page = text(refused)
    assert "หลังจากที่คุณเปิด" in page and "ความเห็นของกรรมการอีกท่าน" in page
    assert reviewed() == (Decimal(45), "ทบทวนแล้วเพิ่มคะแนน", 2)
