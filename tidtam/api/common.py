"""What the endpoints share: finding one row through the reach (404 outside it), filters."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from tidtam.api.errors import not_found
from tidtam.api.schemas import MAX_ID

M = TypeVar("M", bound=Model)


def one(rows: QuerySet[M], what: str, **lookup: Any) -> M:
    """The row the lookup names among `rows` (the person's reach), else 404 saying what."""
    found = rows.filter(**lookup).first()
    if found is None:
        raise not_found(what)
    return found


def filtered(rows: QuerySet[M], **lookups: Any) -> QuerySet[M]:
    """`rows` filtered by the lookups that were given (None: not asked)."""
    given = {name: value for name, value in lookups.items() if value is not None}
    return rows.filter(**given) if given else rows


def row_id(value: int) -> int:
    """A path's id; one beyond the database's integers names nothing (404, not a database error)."""
    return value if 0 < value <= MAX_ID else 0
