"""Every error code the core raises has a Thai message that renders with its parameters."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tidtam.domain import (
    budget,
    disbursement,
    evidence,
    fiscal,
    money,
    progress,
    scoring,
    thai,
    workflow,
)
from tidtam.domain.errors import DomainError
from tidtam.domain.progress import Band, BandItem, BandThresholds, ItemKind
from tidtam.domain.scoring import Direction, Interpolation, MeasureKind, ResultField
from tidtam.messages import (
    FIELD_LABELS,
    GENERIC_MESSAGE,
    LABELS,
    MESSAGES,
    UNNAMED,
    band_label,
    message_for,
)

D = Decimal
DOMAIN_DIR = Path(__file__).resolve().parents[2] / "tidtam" / "domain"
RAISED_CODE = re.compile(r'DomainError\(\s*"([a-z_]+)"')

# One real way, through the public API, to make the core raise each code.
TRIGGERS: dict[str, Callable[[], object]] = {
    "negative_amount": lambda: budget.BudgetFigures(plan=D(-1), disbursed=D(0)),
    "not_a_number": lambda: thai.parse_thai_number("หนึ่งพัน"),
    "invalid_round": lambda: fiscal.round_window(2567, 4),
    "invalid_quarter": lambda: fiscal.quarter_window(2567, 5),
    "invalid_fiscal_month": lambda: fiscal.fiscal_month_window(2567, 0),
    "monthly_plan_months": lambda: disbursement.MonthlyPlan((D(0),) * 13),
    "year_looks_ce": lambda: fiscal.check_be_year(2024, field="fiscal_year"),
    "year_out_of_range": lambda: fiscal.check_be_year(25670, field="ปีที่ลงนาม"),
    "period_reversed": lambda: thai.format_period(date(2024, 3, 31), date(2023, 10, 1)),
    "band_thresholds_out_of_order": lambda: BandThresholds(D(80), D(50)),
    "explanation_threshold_negative": lambda: BandThresholds(explanation=D(-5)),
    "percent_missing": lambda: progress.band_table(
        [BandItem("ผลผลิตที่ 3", "กิจกรรมที่ 1", ItemKind.PROJECT, None, name="โครงการ GIS")]
    ),
    "explanation_required": lambda: progress.require_explanation(
        D(5) * 100 / D(11), "", item="โครงการบำรุงรักษาระบบ"
    ),
    "exclusion_reason_required": lambda: progress.require_exclusion_reason(
        "", item="เงินตอบแทนผันแปร"
    ),
    "override_note_required": lambda: progress.resolve_percent(
        D(80), override=D("83.34"), item="โครงการสนับสนุนบริการ IT"
    ),
    "change_base_missing": lambda: scoring.check_kpi_spec(
        scoring.KpiSpec(MeasureKind.CHANGE), kpi="อัตราการเติบโตของรายได้"
    ),
    "change_base_zero": lambda: scoring.check_kpi_spec(
        scoring.KpiSpec(MeasureKind.CHANGE, base=D(0)), kpi="อัตราการเติบโตของรายได้"
    ),
    "ratio_part_negative": lambda: scoring.measure(
        scoring.KpiSpec(MeasureKind.RATIO),
        scoring.KpiEntry(parts=((D(3), D(-4)),)),
        kpi="ร้อยละของผู้ผ่านการอบรม",
    ),
    "review_score_reason_missing": lambda: scoring.reviewed_score(
        None, scoring.Review(score=D("3.5")), max_points=D(5), kpi="ตัวชี้วัดที่ 2"
    ),
    "deduction_negative": lambda: scoring.reviewed_score(
        D(4), scoring.Review(deduction=D(-1), rule="ส่งล่าช้า"), max_points=D(5), kpi="ตัวชี้วัดที่ 2"
    ),
    "deduction_rule_missing": lambda: scoring.reviewed_score(
        D(4), scoring.Review(deduction=D("0.5")), max_points=D(5), kpi="ตัวชี้วัดที่ 2"
    ),
    "levels_missing": lambda: scoring.validate_levels((), kpi="ตัวชี้วัดที่ 4", direction=None),
    "levels_out_of_order": lambda: scoring.score_value(
        scoring.three_level_scheme([D(6), D(8), D(10)]),
        D(7),
        direction=Direction.LOWER,
        kpi="ตัวชี้วัดที่ 4",
    ),
    "level_threshold_missing": lambda: scoring.score_value(
        scoring.three_level_scheme(), D(7), direction=Direction.HIGHER, kpi="ตัวชี้วัดที่ 4"
    ),
    "max_points_not_positive": lambda: scoring.weighted_score(D(1), D(15), D(0)),
    "thresholds_count_mismatch": lambda: scoring.five_level_scheme([D(1), D(2)]),
    "level_unknown": lambda: scoring.score_milestone(
        scoring.three_level_scheme(), 4, kpi="ตัวชี้วัดที่ 1"
    ),
    "kpi_value_wrong_kind": lambda: scoring.check_value_kind(
        MeasureKind.MILESTONE, kpi="ตัวชี้วัดที่ 5", value=D(7)
    ),
    "weight_negative": lambda: scoring.check_weights(
        [scoring.GroupSpec("Performance Base", D(100), (D(110), D(-10)))]
    ),
    "group_weights_mismatch": lambda: scoring.check_weights(
        [scoring.GroupSpec("Potential Base", D(40), (D(10), D(5), D(5), D(5), D(5), D(5)))]
    ),
    "total_weight_mismatch": lambda: scoring.check_weights(
        [scoring.GroupSpec("Performance Base", D(60), (D(15),) * 4)]
    ),
    "not_a_date": lambda: thai.parse_be_date("พรุ่งนี้"),
    "transition_not_allowed": lambda: workflow.next_status("approved", "submit", item="ก"),
    "approver_is_submitter": lambda: workflow.check_segregation(
        action="approve", actor_submitted=True, segregate=True, item="ก"
    ),
    "too_many_decimals": lambda: money.require_fits(
        D("1.23456"), field="ผล (จำนวน)", max_digits=18, places=4
    ),
    "number_too_large": lambda: money.require_fits(
        D("1" + "0" * 29), field="ผล (จำนวน)", max_digits=18, places=4
    ),
    "comment_required": lambda: workflow.next_status("submitted", "return", item="ก"),
    "evidence_type": lambda: evidence.check_evidence("a.exe", 1, b"MZ", max_bytes=9),
    "evidence_empty": lambda: evidence.check_evidence("a.pdf", 0, b"", max_bytes=9),
    "evidence_too_large": lambda: evidence.check_evidence("a.pdf", 10, b"%PDF-", max_bytes=9),
    "evidence_content": lambda: evidence.check_evidence("a.pdf", 1, b"MZ", max_bytes=9),
    "score_out_of_range": lambda: scoring.scorecard(
        [scoring.ScoreGroup("PB", D(100), (scoring.KpiScore("ตัวชี้วัดที่ 1", D(100), D(120)),))]
    ),
}


def codes_raised_in_the_core() -> set[str]:
    return {
        code
        for path in DOMAIN_DIR.glob("*.py")
        for code in RAISED_CODE.findall(path.read_text(encoding="utf-8"))
    }


def raise_for(code: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        TRIGGERS[code]()
    return caught.value


def test_the_source_scan_finds_the_core_codes() -> None:
    codes = codes_raised_in_the_core()

    assert {"group_weights_mismatch", "year_looks_ce", "not_a_number"} <= codes
    assert len(codes) >= 20


def test_every_code_raised_in_the_core_has_a_thai_message() -> None:
    missing = codes_raised_in_the_core() - MESSAGES.keys()

    assert missing == set()


def test_every_code_raised_in_the_core_has_a_trigger_in_this_test() -> None:
    assert codes_raised_in_the_core() == TRIGGERS.keys()


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_each_message_renders_with_the_params_its_error_carries(code: str) -> None:
    error = raise_for(code)
    template = MESSAGES[code]
    placeholders = {name for _, name, _, _ in string.Formatter().parse(template) if name}

    message = message_for(error)

    assert error.code == code
    assert placeholders == set(error.params), "the message should use every parameter"
    assert "{" not in message
    assert "}" not in message
    assert " — " in message, "say what is wrong, then how to fix it"
    assert re.search("[\u0e00-\u0e7f]", message)


def test_weights_message_names_the_group_and_both_sums() -> None:
    message = message_for(raise_for("group_weights_mismatch"))

    assert message == (
        'น้ำหนักตัวชี้วัดในกลุ่ม "Potential Base" รวมได้ 35 แต่ต้องเท่ากับ 40 — '
        "แก้น้ำหนักของตัวชี้วัดในกลุ่มนี้ให้รวมกันได้ 40"
    )


def test_ce_year_message_suggests_the_be_year_and_names_the_field_in_thai() -> None:
    message = message_for(raise_for("year_looks_ce"))

    assert message == ('ปี 2024 ในช่อง "ปีงบประมาณ" ดูเหมือนเป็นปี ค.ศ. — ให้กรอกเป็นปี พ.ศ. เช่น 2567')


def test_explanation_message_shows_the_percent_to_two_places() -> None:
    message = message_for(raise_for("explanation_required"))

    assert message.startswith('"โครงการบำรุงรักษาระบบ" มีผลการดำเนินงานร้อยละ 45.45 ของ')
    assert "ต่ำกว่าร้อยละ 50 —" in message


def test_wrong_kind_message_uses_thai_labels_for_the_kinds() -> None:
    message = message_for(raise_for("kpi_value_wrong_kind"))

    assert message.startswith('ตัวชี้วัด "ตัวชี้วัดที่ 5" เป็นแบบระดับความสำเร็จ แต่ผลที่กรอกเป็นค่าตัวเลข')


def test_period_message_shows_thai_dates() -> None:
    message = message_for(raise_for("period_reversed"))

    assert message.startswith("วันเริ่มต้น (31 มีนาคม 2567) อยู่หลังวันสิ้นสุด (1 ตุลาคม 2566)")


def test_money_in_a_message_has_thousands_separators() -> None:
    error = DomainError("negative_amount", field="disbursed", value=D("-1234567.50"))

    assert message_for(error).startswith('จำนวนเงินในช่อง "ผลการเบิกจ่าย" เป็น -1,234,567.5 ซึ่ง')


def test_a_field_label_already_in_thai_is_shown_as_given() -> None:
    message = message_for(raise_for("year_out_of_range"))

    assert message.startswith('ปี 25670 ในช่อง "ปีที่ลงนาม" ไม่อยู่ในช่วงที่รับได้')
    assert "ระหว่าง 2400 ถึง 2700" in message


def test_an_unnamed_kpi_is_called_unnamed() -> None:
    with pytest.raises(DomainError) as caught:
        scoring.ScoringScheme(())

    assert message_for(caught.value).startswith(f'ตัวชี้วัด "{UNNAMED}" ยังไม่มีเกณฑ์')


def test_an_unknown_code_gets_a_generic_message_naming_the_code() -> None:
    message = message_for(DomainError("an_unknown_code", sheet="KPI"))

    assert message == GENERIC_MESSAGE.format(code="an_unknown_code")
    assert "an_unknown_code" in message


def test_a_missing_parameter_shows_its_placeholder_instead_of_failing() -> None:
    message = message_for(DomainError("invalid_round"))

    assert message.startswith("ไม่มีรอบการรายงาน {months} เดือน")


@dataclass
class ServiceError:
    code: str
    params: dict[str, object] = field(default_factory=dict)


def test_message_for_takes_any_object_with_code_and_params() -> None:
    error = ServiceError("invalid_quarter", {"quarter": 0})

    assert message_for(error).startswith("ไม่มีไตรมาสที่ 0")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D("35.00"), "35"),
        (D("12.5"), "12.5"),
        (D("45.454545"), "45.45"),
        (D("1E+2"), "100"),
        (D("NaN"), "NaN"),
    ],
)
def test_decimals_in_messages_are_shown_as_people_write_them(value: Decimal, shown: str) -> None:
    message = message_for(DomainError("weight_negative", group="g", value=value))

    assert f"มีค่า {shown} ซึ่ง" in message


def test_every_enum_value_of_the_core_has_a_thai_label() -> None:
    members = [*MeasureKind, *ResultField, *Direction, *Interpolation, *ItemKind]

    assert all(member in LABELS for member in members)
    assert LABELS[ItemKind.PROGRAMME] == "แผนงาน"


def test_core_field_names_have_thai_labels() -> None:
    assert FIELD_LABELS["disbursed"] == "ผลการเบิกจ่าย"


def test_band_labels_follow_seed_000_headings() -> None:
    assert [band_label(band) for band in Band] == [
        "มีแผนดำเนินงานในไตรมาส 3-4",
        "ต่ำกว่าร้อยละ 50",
        "ร้อยละ 50-79.99",
        "ร้อยละ 80 ขึ้นไป",
    ]


def test_band_labels_follow_other_thresholds() -> None:
    thresholds = BandThresholds(D(60), D("90.5"))

    assert band_label(Band.FROM_50, thresholds) == "ร้อยละ 60-90.49"
    assert band_label(Band.FROM_80, thresholds) == "ร้อยละ 90.5 ขึ้นไป"
