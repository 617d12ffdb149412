"""Money and percent arithmetic, and the one half-up rounding rule."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidtam.domain.errors import DomainError
from tidtam.domain.money import (
    percent,
    require_fits,
    require_non_negative,
    round_half_up,
    rounding_difference,
    to_million,
)

finite_decimals = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=6
)


def test_round_half_up_rounds_ties_up_where_bankers_rounding_would_not() -> None:
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert round_half_up(Decimal("2.5"), 0) == Decimal("3")
    assert round_half_up(Decimal("22.01442425"), 2) == Decimal("22.01")


def test_round_half_up_rounds_negative_ties_away_from_zero() -> None:
    assert round_half_up(Decimal("-0.125"), 2) == Decimal("-0.13")


def test_round_half_up_pads_to_the_requested_places() -> None:
    assert str(round_half_up(Decimal("80.3213"), 4)) == "80.3213"
    assert str(round_half_up(Decimal("93.3"), 2)) == "93.30"


def test_round_half_up_handles_amounts_longer_than_the_default_precision() -> None:
    huge = Decimal("123456789012345678901234567890.125")

    assert round_half_up(huge, 2) == Decimal("123456789012345678901234567890.13")


def test_percent_reproduces_seed_000_budget_share() -> None:
    share = percent(Decimal("80.3213"), Decimal("364.8576"))

    assert share is not None
    assert round_half_up(share, 2) == Decimal("22.01")


def test_percent_of_nothing_is_none_not_an_error() -> None:
    assert percent(Decimal(5), Decimal(0)) is None


def test_percent_is_unrounded() -> None:
    assert percent(Decimal(1), Decimal(3)) == Decimal("33.33333333333333333333333333")


def test_to_million_converts_seed_000_total_exactly() -> None:
    assert to_million(Decimal("364857600")) == Decimal("364.8576")
    assert to_million(Decimal("0.01")) == Decimal("0.00000001")


def test_require_non_negative_returns_zero_and_positive_amounts() -> None:
    assert require_non_negative(Decimal(0), field="plan") == Decimal(0)
    assert require_non_negative(Decimal("18550000.00"), field="plan") == Decimal("18550000.00")


def test_require_non_negative_names_the_field_of_a_negative_amount() -> None:
    with pytest.raises(DomainError) as caught:
        require_non_negative(Decimal("-0.01"), field="disbursed")

    assert caught.value.code == "negative_amount"
    assert caught.value.params == {"field": "disbursed", "value": Decimal("-0.01")}


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_require_non_negative_rejects_values_that_are_not_amounts(text: str) -> None:
    with pytest.raises(DomainError) as caught:
        require_non_negative(Decimal(text), field="plan")

    assert caught.value.code == "not_a_number"
    assert caught.value.params == {"value": text}


def test_rounding_difference_is_zero_for_seed_000_band_shares() -> None:
    shares = [percent(Decimal(n), Decimal(55)) for n in (3, 28, 19, 5)]

    parts = [share for share in shares if share is not None]

    assert rounding_difference(parts, Decimal(100), 2) == Decimal("0.00")


def test_rounding_difference_reports_thirds_that_round_to_99_99() -> None:
    third = Decimal(100) / 3

    assert rounding_difference([third, third, third], Decimal(100), 2) == Decimal("-0.01")


def test_rounding_difference_reports_seed_000_budget_millions() -> None:
    lines = [Decimal("18550000"), Decimal("25035700"), Decimal("32941400"), Decimal("3794200")]

    millions = [to_million(amount) for amount in lines]

    assert rounding_difference(millions, to_million(sum(lines, Decimal(0))), 4) == 0


def _half_up_by_integers(value: Decimal, places: int) -> Decimal:
    # An oracle independent of Decimal.quantize: scale, add a half, truncate.
    scale = Decimal(10) ** places
    scaled = abs(value) * scale
    whole = int(scaled + Decimal("0.5"))
    sign = -1 if value < 0 else 1
    return Decimal(sign * whole) / scale


@given(finite_decimals, st.integers(min_value=0, max_value=4))
def test_round_half_up_matches_quantize_half_up(value: Decimal, places: int) -> None:
    expected = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    assert round_half_up(value, places) == expected
    assert round_half_up(value, places) == _half_up_by_integers(value, places)


@given(finite_decimals, st.integers(min_value=0, max_value=4))
def test_round_half_up_moves_a_value_by_at_most_half_a_unit(value: Decimal, places: int) -> None:
    assert abs(round_half_up(value, places) - value) <= Decimal(1).scaleb(-places) / 2


@given(finite_decimals, finite_decimals.filter(lambda whole: whole != 0))
def test_percent_times_whole_gives_back_the_part(part: Decimal, whole: Decimal) -> None:
    share = percent(part, whole)

    assert share is not None
    assert abs(share * whole / 100 - part) <= abs(part) * Decimal("1e-25") + Decimal("1e-25")


@given(st.lists(finite_decimals, max_size=20), st.integers(min_value=0, max_value=4))
def test_rounding_difference_is_zero_when_parts_are_already_rounded(
    parts: list[Decimal], places: int
) -> None:
    rounded = [round_half_up(part, places) for part in parts]

    assert rounding_difference(rounded, sum(rounded, Decimal(0)), places) == 0


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1.23456", "too_many_decimals"),
        ("100000000000000", "number_too_large"),
        ("-100000000000000", "number_too_large"),
        ("NaN", "not_a_number"),
    ],
)
def test_a_number_that_does_not_fit_its_column_is_refused_naming_the_field(
    value: str, code: str
) -> None:
    with pytest.raises(DomainError) as raised:
        require_fits(Decimal(value), field="ผล (จำนวน)", max_digits=18, places=4)
    assert raised.value.code == code
    assert code == "not_a_number" or raised.value.params["field"] == "ผล (จำนวน)"


@pytest.mark.parametrize("value", ["99999999999999.9999", "1.2300000", "0", "-5.5", "1E+3"])
def test_a_number_that_fits_is_returned_unchanged(value: str) -> None:
    assert require_fits(Decimal(value), field="ก", max_digits=18, places=4) == Decimal(value)
