"""Writing many rows at once with their history complete: year copies insert hundreds of rows in
a constant number of statements, each with the "created" record a one-by-one save would leave."""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

# Rows per INSERT: SQLite takes 999 parameters a statement (Django splits further there).
BATCH = 500


def create_with_history(model: type[models.Model], objs: list[Any], user: Any = None) -> list[Any]:
    """Insert the rows and their "created" history records; returns the rows with their ids."""
    if not objs:
        return []
    author = user if user is not None and getattr(user, "is_authenticated", False) else None
    return list(bulk_create_with_history(objs, model, batch_size=BATCH, default_user=author))


def create_links_with_history(
    model: type[models.Model],
    field: str,
    objs: list[Any],
    links: Iterable[tuple[int, int]],
    user: Any = None,
) -> None:
    """Insert `objs` of a model whose history tracks the many-to-many `field`, then their links
    (object id, target id), then the history: each object's "created" record lists its links,
    as `field.set()` after a save would leave it. `objs` get their ids."""
    if not objs:
        return
    author = user if user is not None and getattr(user, "is_authenticated", False) else None
    created = model._default_manager.bulk_create(objs, batch_size=BATCH)
    through = getattr(model, field).through
    source = model._meta.model_name
    target = getattr(model, field).field.related_model._meta.model_name
    rows = through.objects.bulk_create(
        [through(**{f"{source}_id": obj_id, f"{target}_id": to_id}) for obj_id, to_id in links],
        batch_size=BATCH,
    )
    records = model.history.bulk_history_create(  # type: ignore[attr-defined]
        created, batch_size=BATCH, default_user=author
    )
    record_of = {record.id: record for record in records}
    link_history = apps.get_model(model._meta.app_label, f"Historical{model.__name__}_{field}")
    link_history.objects.bulk_create(
        [
            link_history(
                history=record_of[getattr(row, f"{source}_id")],
                id=row.pk,
                **{
                    f"{source}_id": getattr(row, f"{source}_id"),
                    f"{target}_id": getattr(row, f"{target}_id"),
                },
            )
            for row in rows
        ],
        batch_size=BATCH,
    )


def stamp_author(obj: models.Model, user: Any) -> None:
    """Name the person in the history record of the object's next save (outside a request, from
    the command line or a test, the history middleware does not know who changed it)."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user  # type: ignore[attr-defined]


def update_with_history(
    model: type[models.Model], objs: list[Any], fields: list[str], user: Any = None
) -> None:
    """Write these fields of rows already locked by the caller, one parameterised UPDATE run
    for every row (Django's bulk_update builds a CASE per field and row: minutes for thousands),
    and their "changed" history records, as one-by-one saves would leave them."""
    if not objs:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns: list[Any] = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    key = quote(str(meta.pk.column))
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {key} = %s"
    read = _readers(columns)
    params = [[*(get(obj) for get in read), obj.pk] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    history_insert(model, objs, "~", user)


def history_insert(model: type[models.Model], objs: list[Any], kind: str, user: Any) -> None:
    """The history records ("+" created, "~" changed) of rows just written, as saves would
    leave them (their fields as written, now, the author), inserted by one parameterised
    INSERT run for every row: simple_history's bulk_history_create builds a model instance a
    record, most of a large import's time."""
    history = model.history.model  # type: ignore[attr-defined]
    meta = history._meta
    quote = connection.ops.quote_name
    own = {field.attname for field in model._meta.concrete_fields}
    columns: list[Any] = [f for f in meta.concrete_fields if f.attname in own]
    stamp = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    names = ", ".join(quote(c) for c in [*(f.column for f in columns), *stamp])
    marks = ", ".join(["%s"] * (len(columns) + len(stamp)))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    author = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    read = _readers(columns)
    params = [[*(get(obj) for get in read), now, None, kind, author] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({marks})", params)


# Columns whose values the database driver takes as Python holds them (text, integers, keys).
_AS_IS = {
    "AutoField",
    "BigAutoField",
    "CharField",
    "TextField",
    "SlugField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "ForeignKey",
    "OneToOneField",
}


def _readers(columns: list[Any]) -> list[Any]:
    """Per column, how a row's value becomes a statement's parameter: as it is, or through the
    field's own preparation (decimals, dates, booleans, JSON)."""
    readers: list[Any] = []
    for field in columns:
        name = field.attname
        kind = field.get_internal_type()
        if kind in _AS_IS:
            readers.append(operator.attrgetter(name))
        elif kind == "DecimalField":
            readers.append(functools.partial(_decimal, name, field))
        else:
            readers.append(
                lambda obj, name=name, field=field: field.get_db_prep_save(
                    getattr(obj, name), connection
                )
            )
    return readers


def _decimal(name: str, field: Any, obj: Any) -> Any:
    """A Decimal goes to the driver as it is (a DecimalField's preparation only turns other
    types into one; the services have checked its digits); anything else is prepared."""
    value = getattr(obj, name)
    if value is None or type(value) is Decimal:
        return value
    return field.get_db_prep_save(value, connection)
