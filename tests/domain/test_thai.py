"""Thai dates, digits, numbers, text normalisation and number parsing."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidtam.domain import thai
from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import round_window
from tidtam.domain.money import percent, round_half_up
from tidtam.domain.thai import (
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    format_amount,
    format_date_long,
    format_date_short,
    format_date_signature,
    format_million,
    format_month_year,
    format_number,
    format_percent,
    format_period,
    normalize_paragraphs,
    normalize_text,
    parse_thai_number,
    thai_digits,
)

END_OF_SEED_000_ROUND = date(2024, 3, 31)
SEED_004_SIGNED = date(2021, 2, 10)


def test_month_tables_have_twelve_names_from_january() -> None:
    assert len(MONTH_NAMES) == len(MONTH_ABBREVIATIONS) == 12
    assert MONTH_NAMES[0] == "มกราคม"
    assert MONTH_ABBREVIATIONS[2] == "มี.ค."
    assert MONTH_NAMES[9] == "ตุลาคม"


def test_thai_digits_replaces_every_arabic_digit() -> None:
    assert thai_digits("0123456789") == "๐๑๒๓๔๕๖๗๘๙"
    assert thai_digits("ไตรมาสที่ 2/2567") == "ไตรมาสที่ ๒/๒๕๖๗"


def test_long_date_is_day_month_name_and_be_year() -> None:
    assert format_date_long(END_OF_SEED_000_ROUND) == "31 มีนาคม 2567"
    assert format_date_long(END_OF_SEED_000_ROUND, thai_digits=True) == "๓๑ มีนาคม ๒๕๖๗"


def test_short_date_uses_the_month_abbreviation() -> None:
    assert format_date_short(END_OF_SEED_000_ROUND) == "31 มี.ค. 2567"
    assert format_date_short(END_OF_SEED_000_ROUND, two_digit_year=True) == "31 มี.ค. 67"
    assert format_date_short(END_OF_SEED_000_ROUND, thai_digits=True) == "๓๑ มี.ค. ๒๕๖๗"


def test_short_date_keeps_the_leading_zero_of_a_two_digit_year() -> None:
    assert format_date_short(date(2060, 1, 5), two_digit_year=True) == "5 ม.ค. 03"


def test_signature_date_reproduces_seed_004_signing_block() -> None:
    assert format_date_signature(SEED_004_SIGNED) == "วันที่ 10 เดือน กุมภาพันธ์ พ.ศ. 2564"
    assert (
        format_date_signature(SEED_004_SIGNED, thai_digits=True) == "วันที่ ๑๐ เดือน กุมภาพันธ์ พ.ศ. ๒๕๖๔"
    )


def test_month_year_is_month_name_and_be_year() -> None:
    assert format_month_year(END_OF_SEED_000_ROUND) == "มีนาคม 2567"
    assert format_month_year(END_OF_SEED_000_ROUND, thai_digits=True) == "มีนาคม ๒๕๖๗"


def test_period_of_the_six_month_round_reads_as_seed_000_title() -> None:
    assert format_period(*round_window(2567, 6)) == "ตุลาคม 2566 - มีนาคม 2567"


def test_period_within_one_month_names_the_month_once() -> None:
    assert format_period(date(2024, 3, 1), date(2024, 3, 31)) == "มีนาคม 2567"


def test_period_can_use_thai_digits() -> None:
    assert (
        format_period(date(2023, 10, 1), date(2024, 3, 31), thai_digits=True)
        == "ตุลาคม ๒๕๖๖ - มีนาคม ๒๕๖๗"
    )


def test_period_that_ends_before_it_starts_is_an_error() -> None:
    with pytest.raises(DomainError) as caught:
        format_period(date(2024, 3, 31), date(2023, 10, 1))

    assert caught.value.code == "period_reversed"
    assert caught.value.params == {"start": date(2024, 3, 31), "end": date(2023, 10, 1)}


def test_format_number_groups_thousands() -> None:
    assert format_number(2254) == "2,254"
    assert format_number(Decimal("1234567.891"), 2) == "1,234,567.89"
    assert format_number(Decimal(-3866)) == "-3,866"


def test_format_number_rounds_half_up() -> None:
    assert format_number(Decimal("171.515"), 2) == "171.52"
    assert format_number(Decimal("0.125"), 2) == "0.13"


def test_format_number_never_shows_negative_zero() -> None:
    assert format_number(Decimal("-0.001"), 2) == "0.00"


def test_format_number_can_use_thai_digits() -> None:
    assert format_number(2254, thai_digits=True) == "๒,๒๕๔"


def test_format_number_refuses_floats() -> None:
    with pytest.raises(TypeError):
        format_number(0.1, 2)  # type: ignore[arg-type]


def test_format_million_reproduces_seed_000_budget_figures() -> None:
    assert format_million(Decimal("80321300")) == "80.3213"
    assert format_million(Decimal("364857600")) == "364.8576"
    assert format_million(Decimal("18550000")) == "18.5500"
    assert format_million(Decimal("1234567890000")) == "1,234,567.8900"
    assert format_million(Decimal("80321300"), thai_digits=True) == "๘๐.๓๒๑๓"


def test_format_million_rounds_satang_half_up() -> None:
    assert format_million(Decimal("80321350.00")) == "80.3214"


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (1345, 2254, "59.67"),
        (3866, 2254, "171.52"),
        (5, 11, "45.45"),
        (5, 9, "55.56"),
        (3, 55, "5.45"),
    ],
)
def test_format_percent_reproduces_seed_000_percentages(part: int, whole: int, shown: str) -> None:
    assert format_percent(percent(Decimal(part), Decimal(whole))) == shown


def test_format_percent_without_a_value_is_a_dash() -> None:
    assert format_percent(None) == "-"


def test_format_percent_can_use_other_places_and_thai_digits() -> None:
    assert format_percent(Decimal("22.0144"), 1, thai_digits=True) == "๒๒.๐"


def test_normalize_text_composes_decomposed_sara_am() -> None:
    decomposed = "ด\u0e4d\u0e32เนินงาน"

    assert normalize_text(decomposed) == "ดำเนินงาน"


def test_normalize_text_composes_sara_am_typed_around_a_tone_mark() -> None:
    # น้ำ typed as น + nikhahit + mai tho + sara aa (the tone mark in the middle).
    assert normalize_text("น\u0e4d\u0e49\u0e32") == "น\u0e49\u0e33"


def test_normalize_text_removes_zero_width_characters_from_copy_paste() -> None:
    assert normalize_text("\ufeffโครง\u200bการ\u200c\u200d\u2060") == "โครงการ"


# Thai letters and marks, the characters copy-paste brings (zero-width, no-break and ideographic
# spaces, tabs, line breaks), a decomposed character and ASCII.
_MESSY_TEXT = st.text(
    alphabet=st.sampled_from(
        "กขคนดมอำาิ่้๊๋\u0e4d\u0e32 \t\n\u00a0\u3000\u200b\u200c\u200d\u2060\ufeffe\u0301Ab1.-"
    ),
    max_size=12,
)


@given(_MESSY_TEXT)
def test_normalize_text_is_the_full_normalisation_whether_or_not_it_takes_the_quick_path(
    text: str,
) -> None:
    """The quick path for text already normal gives what every step in turn gives, and a
    normal text stays as it is (an export imported again changes nothing)."""
    slow = unicodedata.normalize("NFC", text.translate(thai._ZERO_WIDTH))
    slow = thai._DECOMPOSED_SARA_AM.sub("\\1\u0e33", slow)
    slow = thai._WHITESPACE.sub(" ", slow).strip()
    assert normalize_text(text) == slow
    assert normalize_text(slow) == slow


def test_normalize_text_collapses_whitespace_and_strips() -> None:
    assert normalize_text("  สมศ.\u00a0\n\t ไตรมาสที่  2  ") == "สมศ. ไตรมาสที่ 2"


def test_normalize_text_applies_nfc() -> None:
    assert normalize_text("Cafe\u0301") == "Caf\u00e9"


def test_normalize_paragraphs_keeps_paragraphs_and_cleans_lines() -> None:
    text = "\n\n  อยู่ระหว่าง\u200bดําเนินการ  \n  ลงนามสัญญา \n\n\n\nรอคณะอนุกรรมการ\n\n"

    assert normalize_paragraphs(text) == "อยู่ระหว่างดำเนินการ\nลงนามสัญญา\n\nรอคณะอนุกรรมการ"


def test_normalize_paragraphs_leaves_clean_text_as_it_is() -> None:
    assert normalize_paragraphs("ย่อหน้า 1\nต่อ\n\nย่อหน้า 2") == "ย่อหน้า 1\nต่อ\n\nย่อหน้า 2"


def test_normalize_paragraphs_of_blank_text_is_empty() -> None:
    assert normalize_paragraphs(" \n\u200b\n ") == ""


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,345", Decimal("1345")),
        ("๑,๓๔๕", Decimal("1345")),
        ("171.52", Decimal("171.52")),
        (" 2 254 ", Decimal("2254")),
        ("1, 345", Decimal("1345")),
        ("80.3213", Decimal("80.3213")),
        ("364,857,600.50", Decimal("364857600.50")),
        ("-5", Decimal("-5")),
        ("\u22125", Decimal("-5")),
        ("- 5", Decimal("-5")),
        ("+12", Decimal("12")),
        (".5", Decimal("0.5")),
        ("0", Decimal("0")),
        ("๐.๕", Decimal("0.5")),
        ("1\u200b345", Decimal("1345")),
    ],
)
def test_parse_thai_number_reads_what_people_type(text: str, value: Decimal) -> None:
    parsed = parse_thai_number(text)

    assert parsed == value
    assert str(parsed) == str(value)


@pytest.mark.parametrize(
    "text",
    ["", "  ", "abc", "1,34,5", "12 34", "1.2.3", "NaN", "Infinity", "+", "-", ".", "1e5", "5%"],
)
def test_parse_thai_number_rejects_what_is_not_a_number(text: str) -> None:
    with pytest.raises(DomainError) as caught:
        parse_thai_number(text)

    assert caught.value.code == "not_a_number"
    assert caught.value.params == {"value": text}


amounts = st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=4)


@given(amounts, st.integers(min_value=0, max_value=4), st.booleans())
def test_parsing_a_formatted_number_gives_the_rounded_number(
    value: Decimal, places: int, use_thai_digits: bool
) -> None:
    shown = format_number(value, places, thai_digits=use_thai_digits)

    assert parse_thai_number(shown) == round_half_up(value, places)


@given(st.text())
def test_normalize_text_is_idempotent_and_leaves_no_stray_spacing(text: str) -> None:
    once = normalize_text(text)

    assert normalize_text(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert not any(char in once for char in "\u200b\u200c\u200d\u2060\ufeff")
    assert unicodedata.is_normalized("NFC", once)


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126)))
def test_normalize_text_of_plain_ascii_only_collapses_and_strips_spaces(text: str) -> None:
    # Blank cells, keys and numbers take a short way through; it must give the same answer.
    assert normalize_text(text) == " ".join(text.split())


@given(st.text(alphabet="กนดำ\u0e4d\u0e32\u0e48\u0e49 \u200b"))
def test_normalize_text_leaves_no_decomposed_sara_am(text: str) -> None:
    assert "\u0e4d\u0e32" not in normalize_text(text)


@given(st.text())
def test_normalize_paragraphs_is_idempotent_and_never_leaves_two_blank_lines(text: str) -> None:
    once = normalize_paragraphs(text)

    assert normalize_paragraphs(once) == once
    assert "\n\n\n" not in once
    assert once == once.strip()


@pytest.mark.parametrize(
    "typed",
    [
        "31/3/2567",
        "31/03/2567",
        "๓๑/๐๓/๒๕๖๗",
        "31-03-2567",
        "31.3.2567",
        "31 มี.ค. 2567",
        "31 มีนาคม 2567",
        "31มี.ค.2567",
        "2567-03-31",
        " 31 / 3 / 2567 ",
    ],
)
def test_a_be_date_typed_any_usual_way_is_read_once_without_adding_543_twice(typed: str) -> None:
    assert thai.parse_be_date(typed) == date(2024, 3, 31)


def test_a_date_in_ce_is_refused_with_the_be_year_suggested() -> None:
    with pytest.raises(DomainError) as caught:
        thai.parse_be_date("31/03/2024", field="กำหนดส่งผล")
    assert caught.value.code == "year_looks_ce"
    assert caught.value.params["suggestion"] == 2567


@pytest.mark.parametrize("typed", ["31/02/2567", "31 ธันวา 2567", "พรุ่งนี้", "2567"])
def test_what_is_not_a_date_is_refused_naming_the_field(typed: str) -> None:
    with pytest.raises(DomainError) as caught:
        thai.parse_be_date(typed, field="กำหนดส่งผล")
    assert caught.value.code == "not_a_date"
    assert caught.value.params == {"field": "กำหนดส่งผล", "value": typed}


def test_a_date_is_shown_for_editing_in_be() -> None:
    assert thai.format_date_input(date(2024, 4, 15)) == "15/04/2567"
    assert thai.format_date_input(None) == ""


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal(91), "91"),
        (Decimal("91.0000"), "91"),
        (Decimal("7.5"), "7.50"),
        (15, "15"),
        (None, "-"),
    ],
)
def test_format_amount_writes_whole_numbers_bare(value: Decimal | int | None, text: str) -> None:
    assert format_amount(value) == text


@pytest.mark.parametrize("blank", ["", " ", "\u200b", " \u200b\u200c\n\t", "\u00a0\u200d"])
def test_a_reason_of_spaces_or_zero_width_characters_says_nothing(blank: str) -> None:
    """A required reason of one zero-width space was taken as given (str.strip leaves it)."""
    from tidtam.domain import workflow

    assert not thai.has_text(blank)
    assert thai.has_text(blank + "ก")
    with pytest.raises(DomainError) as refused:
        workflow.next_status("submitted", "return", comment=blank, item="x")
    assert refused.value.code == "comment_required"
