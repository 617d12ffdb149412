"""Thai presentation of dates, digits and numbers, and normalisation of Thai text."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

from tidtam.domain.errors import DomainError
from tidtam.domain.fiscal import be_to_ce, ce_to_be, check_be_year
from tidtam.domain.money import round_half_up, to_million

MONTH_NAMES = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTH_ABBREVIATIONS = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)

ARABIC_DIGITS = "0123456789"
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI_DIGITS = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)

# Zero-width characters arrive with text copied from Word, PDFs and web pages and
# make equal-looking strings compare unequal.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Sara am typed (or copied from PDFs) as nikhahit + sara aa, possibly with a tone
# mark typed between them; NFC does not compose these, so we do.
_DECOMPOSED_SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")
_WHITESPACE = re.compile(r"\s+")
# Thousands separators (a comma or a space) must group by three: "1,34,5" and
# "12 34" are typos, not numbers. The look-ahead demands at least one digit.
_NUMBER = re.compile(
    r"[+-]? ?(?=\.?[0-9])(?:[0-9]{1,3}(?:(?: ?, ?| )[0-9]{3})+|[0-9]*)(?:\.[0-9]+)?"
)
_NUMBER_NOISE = re.compile("[ ,]")
# Copy-paste brings the typographic minus sign (U+2212) in place of "-".
_TO_PLAIN_NUMBER = str.maketrans(THAI_DIGITS + "\u2212", ARABIC_DIGITS + "-")


def _digits(text: str, thai: bool) -> str:
    return text.translate(_TO_THAI_DIGITS) if thai else text


def thai_digits(text: str) -> str:
    """Replace Arabic digits 0-9 with Thai digits ๐-๙."""
    return text.translate(_TO_THAI_DIGITS)


def fiscal_month_name(month: int, *, short: bool = False) -> str:
    """The Thai name of a month of the fiscal year (1 = ตุลาคม … 12 = กันยายน)."""
    names = MONTH_ABBREVIATIONS if short else MONTH_NAMES
    return names[(month + 8) % 12]


def format_date_long(day: date, *, thai_digits: bool = False) -> str:
    """Format as "31 มีนาคม 2567"."""
    text = f"{day.day} {MONTH_NAMES[day.month - 1]} {ce_to_be(day.year)}"
    return _digits(text, thai_digits)


def format_date_short(day: date, *, two_digit_year: bool = False, thai_digits: bool = False) -> str:
    """Format as "31 มี.ค. 2567", or "31 มี.ค. 67" with a two-digit year."""
    year = ce_to_be(day.year)
    year_text = f"{year % 100:02d}" if two_digit_year else str(year)
    text = f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]} {year_text}"
    return _digits(text, thai_digits)


def format_date_signature(day: date, *, thai_digits: bool = False) -> str:
    """Format for a signature block: "วันที่ 10 เดือน กุมภาพันธ์ พ.ศ. 2564"."""
    text = f"วันที่ {day.day} เดือน {MONTH_NAMES[day.month - 1]} พ.ศ. {ce_to_be(day.year)}"
    return _digits(text, thai_digits)


def format_month_year(day: date, *, thai_digits: bool = False) -> str:
    """Format as "มีนาคม 2567"."""
    return _digits(f"{MONTH_NAMES[day.month - 1]} {ce_to_be(day.year)}", thai_digits)


def format_period(start: date, end: date, *, thai_digits: bool = False) -> str:
    """Format a reporting period as "ตุลาคม 2566 - มีนาคม 2567" (one month: "มีนาคม 2567")."""
    if start > end:
        raise DomainError("period_reversed", start=start, end=end)
    first = format_month_year(start, thai_digits=thai_digits)
    last = format_month_year(end, thai_digits=thai_digits)
    return first if first == last else f"{first} - {last}"


def format_number(value: Decimal | int, places: int = 0, *, thai_digits: bool = False) -> str:
    """Format with thousands separators, rounded half up: "2,254", "171.52"."""
    # A float would carry binary noise into a figure people sign; refuse it loudly.
    if isinstance(value, float):
        raise TypeError("format_number takes Decimal or int, not float")
    rounded = round_half_up(Decimal(value), places)
    if rounded == 0:
        # "-0.00" is what a tiny negative rounds to; nobody wants to read it.
        rounded = abs(rounded)
    return _digits(f"{rounded:,.{places}f}", thai_digits)


def format_amount(value: Decimal | int | None, *, thai_digits: bool = False) -> str:
    """A count or weight as documents write it: whole numbers bare ("91", "15"), others to 2
    decimals ("7.50"); "-" when there is none."""
    if value is None:
        return "-"
    places = 0 if Decimal(value) == Decimal(value).to_integral_value() else 2
    return format_number(value, places, thai_digits=thai_digits)


def format_million(baht: Decimal, *, thai_digits: bool = False) -> str:
    """Format baht as million baht to 4 decimals, as the documents do: "80.3213"."""
    return format_number(to_million(baht), 4, thai_digits=thai_digits)


def format_percent(value: Decimal | None, places: int = 2, *, thai_digits: bool = False) -> str:
    """Format a percentage to 2 decimals, rounded half up; "-" when there is no value."""
    if value is None:
        return "-"
    return format_number(value, places, thai_digits=thai_digits)


def normalize_text(text: str) -> str:
    """Normalise a single-line Thai text: NFC, composed sara am, no zero-width
    characters, single spaces, no surrounding whitespace."""
    # Already normal, as almost every cell is: printable (no zero-width character and no
    # whitespace but single spaces), stripped, no nikhahit to compose and composed already.
    if (
        text.isprintable()
        and "  " not in text
        and text == text.strip()
        and "\u0e4d" not in text
        and (text.isascii() or unicodedata.is_normalized("NFC", text))
    ):
        return text
    # Zero-width characters go before composing: marks on both sides of one must be put in
    # their canonical order, or a second normalisation would change the text again.
    text = unicodedata.normalize("NFC", text.translate(_ZERO_WIDTH))
    text = _DECOMPOSED_SARA_AM.sub("\\1\u0e33", text)
    return _WHITESPACE.sub(" ", text).strip()


def has_text(text: str) -> bool:
    """Whether the text says anything: not empty once normalised (spaces, tabs, line breaks and
    zero-width characters alone say nothing). Every required reason, note and comment is read so."""
    return bool(normalize_text(text))


def normalize_paragraphs(text: str) -> str:
    """Normalise a multi-line text (explanations, narratives) keeping its paragraphs.

    Each line is normalised like normalize_text; runs of blank lines become one.
    """
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        cleaned = normalize_text(line)
        if cleaned:
            current.append(cleaned)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


def parse_thai_number(text: str) -> Decimal:
    """Read a number typed by a person: "1,345", "๑,๓๔๕", " 171.52 ", "1 345"."""
    cleaned = normalize_text(text).translate(_TO_PLAIN_NUMBER)
    if not _NUMBER.fullmatch(cleaned):
        raise DomainError("not_a_number", value=text)
    return Decimal(_NUMBER_NOISE.sub("", cleaned))


_DATE_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_WORDS = re.compile(r"(\d{1,2})\s*([^\d\s]+)\s*(\d{4})")


def _month_number(word: str) -> int | None:
    plain = word.replace(".", "").replace(" ", "")
    for number, (name, short) in enumerate(zip(MONTH_NAMES, MONTH_ABBREVIATIONS, strict=True), 1):
        if plain in (name, short.replace(".", "")):
            return number
    return None


def parse_be_date(text: str, *, field: str = "วันที่") -> date:
    """Read a date typed in B.E.: "31/3/2567", "๓๑/๐๓/๒๕๖๗", "31 มี.ค. 2567", "31 มีนาคม 2567",
    or "2567-03-31". The year is B.E. and converted once; a C.E. year is refused with a hint."""
    cleaned = normalize_text(text).translate(_TO_PLAIN_NUMBER)
    parts: tuple[str, str | int | None, str] | None = None
    if match := _DATE_ISO.fullmatch(cleaned):
        parts = (match[3], match[2], match[1])
    elif match := _DATE_NUMERIC.fullmatch(cleaned):
        parts = (match[1], match[2], match[3])
    elif match := _DATE_WORDS.fullmatch(cleaned):
        parts = (match[1], _month_number(match[2]), match[3])
    if parts is None or parts[1] is None:
        raise DomainError("not_a_date", field=field, value=text)
    year = check_be_year(int(parts[2]), field=field)
    try:
        return date(be_to_ce(year), int(parts[1]), int(parts[0]))
    except ValueError:
        raise DomainError("not_a_date", field=field, value=text) from None


def format_date_input(day: date | None) -> str:
    """A date as the form shows it for editing: "31/03/2567"."""
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{ce_to_be(day.year)}"


# --- Thai dictionary order -------------------------------------------------------------------

# Leading vowels are written before the consonant they follow in speech; the dictionary files
# a word under that consonant ("เก" under ก, after "กา"), so the key moves them after it.
_LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")  # เ แ โ ใ ไ
_CONSONANTS = frozenset(chr(code) for code in range(0x0E01, 0x0E2F))  # ก … ฮ
# Tone marks, mai taikhu, thanthakhat, nikhahit, yamakkan and phinthu: ignored at the first
# level (ก่า files with กา), then used to break ties (a word without marks first).
_MARKS = frozenset("\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
_TO_ARABIC_DIGITS = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)


def _logical_order(text: str) -> str:
    """Swap each leading vowel with the consonant after it: "เข้า" -> "ขเ้า"."""
    chars = list(text)
    index = 0
    while index < len(chars) - 1:
        if chars[index] in _LEADING_VOWELS and chars[index + 1] in _CONSONANTS:
            chars[index], chars[index + 1] = chars[index + 1], chars[index]
            index += 2
        else:
            index += 1
    return "".join(chars)


def thai_sort_key(text: str) -> tuple[str, tuple[str, ...], str, str]:
    """A key that sorts Thai text in dictionary order: ["ไก่", "กา", "ขา", "เข้า", "โค"] sorts
    as ["กา", "ไก่", "ขา", "เข้า", "โค"].

    First level: consonants, then the vowels after them in code-point order (which is the
    dictionary's ก…ฮ and ะ ั า ำ ิ ี ึ ื ุ ู เ แ โ ใ ไ), leading vowels moved after their
    consonant, marks left out, Thai digits read as Arabic, Latin case-folded. Second level: the
    marks on each letter. Last, the normalised text and the text as given, so that the order is
    total.
    SQLite has no Thai collation, so pages sort rows in Python with this key.
    """
    normalised = normalize_text(text)
    logical = _logical_order(normalised.translate(_TO_ARABIC_DIGITS).casefold())
    bases: list[str] = []
    # marks[0] holds marks written before any letter; marks[i] those on the i-th letter.
    marks: list[str] = [""]
    for char in logical:
        if char in _MARKS:
            marks[-1] += char
        else:
            bases.append(char)
            marks.append("")
    return "".join(bases), tuple(marks), normalised, text
