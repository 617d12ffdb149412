"""Lists paged in the database, in Thai order, with the pager every list page shows.

A page of a queryset costs two queries (the count and the rows) whatever the list's length.
Thai order is the database's: on PostgreSQL the ICU collation "tidtam-thai" (Thai with Latin
reordered before it, as the core sorts; tidtam/orgs/migrations/0004_thai_collation.py), on
SQLite the same name registered on each connection with the core's thai_sort_key, so one query
orders alike on both and a page boundary never depends on sorting in Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import F, OrderBy
from django.db.models.expressions import Combinable
from django.db.models.functions import Collate
from django.http import HttpRequest, QueryDict

from tidtam.domain.thai import thai_sort_key

THAI_COLLATION = "tidtam-thai"
PER_PAGE = 50


def _thai_compare(a: str | None, b: str | None) -> int:
    ka, kb = thai_sort_key(a or ""), thai_sort_key(b or "")
    return (ka > kb) - (ka < kb)


def _register_sqlite_collation(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(THAI_COLLATION, _thai_compare)


connection_created.connect(_register_sqlite_collation, dispatch_uid="tidtam-thai-collation")


def thai(field: str | Combinable) -> Collate:
    """A text column compared in Thai dictionary order (for order_by or Min/Max)."""
    if connection.vendor == "sqlite":
        # A connection opened before this module was imported has no collation yet.
        connection.ensure_connection()
        _register_sqlite_collation(None, connection)
    expression = F(field) if isinstance(field, str) else field
    return Collate(expression, THAI_COLLATION)


def thai_order(field: str, *then: str) -> list[OrderBy | str]:
    """order_by() arguments: the field in Thai order, then the tie-breakers (the id last)."""
    return [thai(field).asc(), *then]


@dataclass(frozen=True)
class Pager:
    """One page of a list and the links to its neighbours, keeping the other query parameters."""

    page: Page[Any]
    param: str
    query: str  # the request's other parameters, already encoded

    @property
    def rows(self) -> Sequence[Any]:
        return list(self.page.object_list)

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def number(self) -> int:
        return self.page.number

    @property
    def num_pages(self) -> int:
        return self.page.paginator.num_pages

    @property
    def label(self) -> str:
        return f"หน้า {self.number} จาก {self.num_pages}"

    @property
    def first_index(self) -> int:
        return self.page.start_index()

    @property
    def last_index(self) -> int:
        return self.page.end_index()

    def _url(self, number: int) -> str:
        prefix = f"{self.query}&" if self.query else ""
        return f"?{prefix}{self.param}={number}"

    @property
    def previous_url(self) -> str:
        return self._url(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self._url(self.page.next_page_number()) if self.page.has_next() else ""

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return self.count > 0


def paginate(
    source: HttpRequest | Mapping[str, Any] | None,
    rows: Any,
    *,
    param: str = "page",
    per_page: int = PER_PAGE,
) -> Pager:
    """The page of a queryset (or list) that the request's `param` asks for; the links keep the
    request's other parameters. An out-of-range or mistyped number gives the nearest page rather
    than an error, as a link from an older, longer list may ask for."""
    params: Mapping[str, Any]
    if isinstance(source, HttpRequest):
        params = source.GET
    else:
        params = cast(Mapping[str, Any], source or {})
    page = Paginator(rows, per_page).get_page(params.get(param))
    if page.paginator.count == 0:
        page.object_list = []  # nothing to fetch: the count said so
    others = QueryDict(mutable=True)
    for key in params:
        if key != param:
            others.setlist(key, _values(params, str(key)))
    return Pager(page=page, param=param, query=others.urlencode())


def _values(params: Mapping[str, Any], key: str) -> list[str]:
    if isinstance(params, QueryDict):
        return params.getlist(key)
    return [str(params[key])]
