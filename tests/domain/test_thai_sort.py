"""Thai dictionary order: leading vowels filed under their consonant, marks break ties only."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tidtam.domain.thai import thai_sort_key


def thai_sorted(words: list[str]) -> list[str]:
    return sorted(words, key=thai_sort_key)


def test_leading_vowels_sort_under_the_consonant_after_them() -> None:
    assert thai_sorted(["ไก่", "กา", "ขา", "เข้า", "โค"]) == ["กา", "ไก่", "ขา", "เข้า", "โค"]


def test_code_point_order_would_put_leading_vowels_last() -> None:
    # What plain sorted() does, and why pages must not use it.
    assert sorted(["ไก่", "กา", "ขา", "เข้า", "โค"]) == ["กา", "ขา", "เข้า", "โค", "ไก่"]


def test_words_under_one_consonant_follow_the_dictionary() -> None:
    # A consonant before any vowel, then ะ า ำ ิ ี ึ ื ุ ู, then the leading vowels เ แ โ ใ ไ.
    words = ["ไก", "ใกล้", "โกง", "แก", "เกม", "เก", "กู", "กิน", "กำ", "กา", "กะ", "กรม", "กก"]
    assert thai_sorted(words) == [
        "กก",
        "กรม",
        "กะ",
        "กา",
        "กำ",
        "กิน",
        "กู",
        "เก",
        "เกม",
        "แก",
        "โกง",
        "ใกล้",
        "ไก",
    ]


def test_agency_words_sort_in_dictionary_order() -> None:
    words = ["โครงการ", "ประเมิน", "เผยแพร่", "แผนงาน", "การประเมิน", "ผลผลิต", "บริหาร"]
    assert thai_sorted(words) == [
        "การประเมิน",
        "โครงการ",
        "บริหาร",
        "ประเมิน",
        "ผลผลิต",
        "เผยแพร่",
        "แผนงาน",
    ]


def test_tone_marks_are_ignored_first_and_break_ties_after() -> None:
    # ข่า, ข้า and ขา are one word at the first level; ขาม comes after all of them.
    assert thai_sorted(["ขาม", "ข้า", "ขา", "ข่า"]) == ["ขา", "ข่า", "ข้า", "ขาม"]
    assert thai_sort_key("ก่า")[0] == thai_sort_key("กา")[0]
    assert thai_sort_key("กา") < thai_sort_key("ก่า")


def test_thanthakhat_and_mai_taikhu_do_not_change_the_first_level() -> None:
    assert thai_sort_key("จันทร์")[0] == thai_sort_key("จันทร")[0]
    assert thai_sort_key("เก็บ")[0] == "กเบ"


def test_a_mark_before_any_letter_is_kept_for_the_tie_break() -> None:
    assert thai_sort_key("\u0e48ก") == ("ก", ("\u0e48", ""), "\u0e48ก", "\u0e48ก")


def test_thai_and_arabic_digits_sort_as_one() -> None:
    assert thai_sort_key("ผลผลิตที่ ๓")[:2] == thai_sort_key("ผลผลิตที่ 3")[:2]
    assert thai_sorted(["ข้อ ๒", "ข้อ 1", "ข้อ 3"]) == ["ข้อ 1", "ข้อ ๒", "ข้อ 3"]


def test_latin_is_case_folded() -> None:
    assert thai_sorted(["PMQA", "eMENSCR", "ITA"]) == ["eMENSCR", "ITA", "PMQA"]
    assert thai_sort_key("ITA")[:2] == thai_sort_key("ita")[:2]


def test_text_is_normalised_before_sorting() -> None:
    decomposed = "ดําเนินงาน"  # nikhahit + sara aa, as PDFs give it
    assert thai_sort_key(decomposed)[:3] == thai_sort_key("ดำเนินงาน")[:3]
    assert thai_sort_key("การ\u200bประเมิน  ")[:3] == thai_sort_key("การประเมิน")[:3]


def test_a_leading_vowel_without_a_consonant_after_it_stays_put() -> None:
    assert thai_sort_key("เ")[0] == "เ"
    assert thai_sort_key("เ ก")[0] == "เ ก"
    assert thai_sort_key("")[0] == ""


@given(st.lists(st.text(alphabet="กขคเแโใไาิุ่้์ ๑1aA", max_size=6), max_size=8))
def test_sorting_is_a_total_order_that_does_not_depend_on_input_order(words: list[str]) -> None:
    assert thai_sorted(words) == thai_sorted(list(reversed(words)))


def test_texts_equal_once_normalised_still_sort_the_same_way_every_time() -> None:
    assert thai_sorted(["ก ", "ก"]) == thai_sorted(["ก", "ก "]) == ["ก", "ก "]
