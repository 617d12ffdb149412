"""A typed amount checked against the column that keeps it: the core's rules (zero or more,
`money.require_non_negative`; no more digits or decimals than the column holds,
`money.require_fits`) with the column's own digits, so a service refuses in Thai what the
database would refuse in English, or round without a word (49.99995 kept as 50.00)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from tidtam.domain.money import require_fits, require_non_negative


def require_amount(model: type[models.Model], name: str, value: Decimal, *, field: str) -> Decimal:
    """`value` for `model.name`, or a DomainError naming `field` (what the person calls it)."""
    require_non_negative(value, field=field)
    column = model._meta.get_field(name)
    return require_fits(
        value,
        field=field,
        max_digits=column.max_digits,  # type: ignore[union-attr]
        places=column.decimal_places,  # type: ignore[union-attr]
    )
