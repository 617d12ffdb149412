"""Decimal arithmetic for money and percentages, and the one rounding rule (half up)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext

from tidtam.domain.errors import DomainError

HUNDRED = Decimal(100)
ZERO = Decimal(0)


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round for display only; totals are always built from unrounded values."""
    with localcontext() as context:
        # quantize fails when the result needs more digits than the context holds;
        # widen the precision so that large amounts round instead of raising.
        context.prec = max(context.prec, value.adjusted() + places + 2)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """Return part / whole * 100 unrounded, or None when there is no whole to compare with."""
    if whole == 0:
        return None
    # Multiplying first keeps the result to a single rounding at context precision.
    return part * HUNDRED / whole


def to_million(baht: Decimal) -> Decimal:
    """Convert baht to million baht exactly (a shift of the exponent, no rounding)."""
    return baht.scaleb(-6)


def require_non_negative(amount: Decimal, *, field: str) -> Decimal:
    """Return the amount, or raise when it is not a finite amount of zero or more."""
    if not amount.is_finite():
        raise DomainError("not_a_number", value=str(amount))
    if amount < 0:
        raise DomainError("negative_amount", field=field, value=amount)
    return amount


def require_fits(amount: Decimal, *, field: str, max_digits: int, places: int) -> Decimal:
    """Return the amount, or raise when it has more decimals or more whole digits than a field
    keeps (a database column of `max_digits` digits, `places` of them after the point)."""
    if not amount.is_finite():
        raise DomainError("not_a_number", value=str(amount))
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # finite, so never 'n', 'N' or 'F'
    if -exponent > places and amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise DomainError("too_many_decimals", field=field, places=places, value=str(amount))
    whole = max_digits - places
    if abs(amount) >= Decimal(10) ** whole:
        raise DomainError("number_too_large", field=field, digits=whole, value=str(amount))
    return amount


def rounding_difference(parts: Sequence[Decimal], total: Decimal, places: int) -> Decimal:
    """Sum of the rounded parts minus the rounded total; zero when the document adds up.

    A document shows rounded parts and a rounded total. When they disagree the
    report must say so instead of adjusting a part to hide it.
    """
    rounded_parts = sum((round_half_up(part, places) for part in parts), ZERO)
    return rounded_parts - round_half_up(total, places)
