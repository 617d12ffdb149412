"""Writing many rows at once with their history complete: year copies insert hundreds of rows in
a constant number of statements, each with the "created" record a one-by-one save would leave.
And reads kept until their rows change (`remembered`), which that complete history makes safe:
every write leaves a history record, so the last record of each model read marks the data."""

from __future__ import annotations

import functools
import hashlib
import json
import operator
import uuid
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import caches
from django.db import connection, models
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_init, pre_init
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


def attach(obj: models.Model, name: str, related: models.Model) -> None:
    """Give `obj` the object its foreign key `name` already points to, as a select_related read
    would (no query later): for thousands of rows, where an assignment's checks (the type, the
    database router) cost more than the rest of the row's work."""
    field = _field(type(obj), name)
    assert getattr(obj, field.attname) == related.pk, (name, related.pk)
    field.set_cached_value(obj, related)


M = TypeVar("M", bound=models.Model)


def instances(queryset: models.QuerySet[M], *, leave: Sequence[str] = ()) -> list[M]:
    """The rows as model objects, as the queryset would make them, with each object's fields put
    in place at once rather than one by one through their descriptors (Model.__init__): for
    reads of tens of thousands of rows (an import's work items and entries), where making the
    objects costs more than the query. The fields in `leave` are deferred (read on first use,
    as `defer` leaves them); the queryset's annotations are on each object, as it puts them. A
    model with pre_init or post_init receivers is read as usual."""
    model = queryset.model
    assert not queryset.query.select_related, "instances() reads one model's own columns"
    assert not getattr(queryset, "_prefetch_related_lookups", ()), "instances() does not prefetch"
    fields = [f for f in model._meta.concrete_fields if f.name not in leave]
    assert set(leave) <= {f.name for f in model._meta.concrete_fields}, leave
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return list(queryset.defer(*leave)) if leave else list(queryset)
    names = [f.attname for f in fields] + list(queryset.query.annotation_select)
    made: list[M] = []
    db = queryset.db
    for row in queryset.values_list(*names):
        obj = model.__new__(model)
        state = ModelState()
        state.adding, state.db = False, db
        obj.__dict__.update(zip(names, row, strict=True), _state=state)
        made.append(obj)
    return made


@functools.cache
def _field(model: type[models.Model], name: str) -> Any:
    return model._meta.get_field(name)


def ids(values: Iterable[int]) -> RawSQL:
    """Thousands of ids for an `__in` filter as one parameter (a JSON array on SQLite, an array
    on PostgreSQL) instead of one parameter each, which Django prepares one by one and the
    database parses one by one: `filter(work_item_id__in=bulk.ids(item_ids))`."""
    return RawSQL(*_ids_select(values))


def _ids_select(values: Iterable[int]) -> tuple[str, tuple[Any, ...]]:
    """A SELECT of the ids, one per row, and its one parameter."""
    values = [int(value) for value in values]
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])", (values,)
    return "SELECT value FROM json_each(%s)", (json.dumps(values),)


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
    read = _row_reader(columns)
    params = [[*read(obj), obj.pk] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    history_insert(model, objs, "~", user)


def history_insert(model: type[models.Model], objs: list[Any], kind: str, user: Any) -> None:
    """The history records ("+" created, "~" changed) of rows just written, as saves would
    leave them (their fields as written, now, the author): one INSERT … SELECT that copies the
    rows inside the database (simple_history's bulk_history_create builds a model instance a
    record, most of a large import's time)."""
    history = model.history.model  # type: ignore[attr-defined]
    quote = connection.ops.quote_name
    source = {field.attname: field.column for field in model._meta.concrete_fields}
    columns = [f for f in history._meta.concrete_fields if f.attname in source]
    stamp = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    names = ", ".join(quote(c) for c in [*(f.column for f in columns), *stamp])
    copied = ", ".join(quote(source[f.attname]) for f in columns)
    key = quote(str(model._meta.pk.column))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    author = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    rows, rows_params = _ids_select(obj.pk for obj in objs)
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({names})"
        f" SELECT {copied}, %s, NULL, %s, %s FROM {quote(model._meta.db_table)}"
        f" WHERE {key} IN ({rows}) ORDER BY {key}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, kind, author, *rows_params])


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


def _row_reader(columns: list[Any]) -> Any:
    """How a row becomes a statement's parameters: every column's value read at once, and only
    the columns the driver cannot take as Python holds them prepared by the field (decimals that
    are not Decimal yet, dates, booleans, JSON). Tens of thousands of rows in an import."""
    get_all = operator.attrgetter(*(field.attname for field in columns))
    fixes: list[tuple[int, Any, bool]] = [
        (index, field, field.get_internal_type() == "DecimalField")
        for index, field in enumerate(columns)
        if field.get_internal_type() not in _AS_IS
    ]

    def read(obj: Any) -> list[Any]:
        got = get_all(obj)
        values: list[Any] = list(got) if len(columns) > 1 else [got]
        for index, field, decimal in fixes:
            value = values[index]
            # A Decimal goes to the driver as it is (a DecimalField's preparation only turns
            # other types into one; the services have checked its digits).
            if decimal and (value is None or type(value) is Decimal):
                continue
            values[index] = field.get_db_prep_save(value, connection)
        return values

    return read


# --- figures kept until their rows change ----------------------------------------------------


# The numbers a late commit is looked for among (`history_mark`): a save would have to stay
# uncommitted while this many records were written after it to be missed (an index range of
# this many numbers is counted for each model, each time).
MARK_WINDOW = 10_000


def history_mark(*tracked: type[models.Model]) -> tuple[Any, ...]:
    """A mark that changes with every write to any row of these models, once committed: the
    last history record of each (every write leaves one: the services save rows one by one with
    simple_history, and this module writes its own), by its number and its time (a number
    SQLite gives again after a rollback comes with another time), and how many records there
    are among the last MARK_WINDOW numbers. The count is for writes that commit out of order
    (PostgreSQL): a slow save takes its number before a quick one that commits first, so the
    last number does not change when the slow one commits, but the count does."""
    marks = []
    quote = connection.ops.quote_name
    for model in tracked:
        history = model.history.model  # type: ignore[attr-defined]
        table, key = quote(history._meta.db_table), quote(history._meta.pk.column)
        sql = (
            f"SELECT h.{key}, h.{quote('history_date')},"
            f" (SELECT COUNT(*) FROM {table} WHERE {key} > h.{key} - %s)"
            f" FROM {table} h ORDER BY h.{key} DESC LIMIT 1"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [MARK_WINDOW])
            marks.append(cursor.fetchone())
    return tuple(marks)


# How long a remembered read is kept at most: its key changes with any write to what it reads,
# so this only bounds how long a read no one asks for again takes room.
REMEMBERED_SECONDS = 600

T = TypeVar("T")

# Part of every remembered read's key: changed by writes that leave no history.
_EPOCH = "tidtam:remembered-epoch"


def forget_remembered() -> None:
    """Every remembered read is read again: for writes that leave no history record (`tidtam
    generate` writes its test data with bulk_create and deletes it with plain DELETEs). Kept in
    the shared cache's table, so a rolled-back transaction forgets nothing."""
    caches["shared"].set(_EPOCH, uuid.uuid4().hex, timeout=None)


def _epoch(cache: Any) -> str:
    """The epoch; a new one where none is kept (never back to an earlier one: reads kept under
    it would come back)."""
    epoch = cache.get(_EPOCH)
    if epoch is None:
        cache.add(_EPOCH, uuid.uuid4().hex, timeout=None)
        epoch = cache.get(_EPOCH)
    return str(epoch)


def _key(kind: str, mark: str) -> str:
    return f"tidtam:{kind}:" + hashlib.sha256(mark.encode()).hexdigest()


def _mark(cache: Any, parts: Iterable[object], tracked: Sequence[type[models.Model]]) -> str:
    mark = "|".join(str(part) for part in parts)
    return mark + f"|{history_mark(*tracked)!r}|{_epoch(cache)}"


def remembered(
    kind: str,
    parts: Iterable[object],
    tracked: Sequence[type[models.Model]],
    read: Callable[[], T],
    *,
    keep: int = REMEMBERED_SECONDS,
) -> T:
    """`read()`, kept in the cache every server process shares under `parts` (what the read
    depends on besides the rows) until any row of `tracked` is written (`history_mark`), or for
    `keep` seconds at most (a longer `keep` than a page's also extends a read already kept)."""
    cache = caches["shared"]
    key = _key(kind, _mark(cache, parts, tracked))
    found = cache.get(key)
    if found is None:
        found = read()
        cache.set(key, found, timeout=keep)
    else:
        _extend(cache, [key], keep)
    return found


def _extend(cache: Any, keys: list[str], keep: int) -> None:
    """Reads kept by a page for REMEMBERED_SECONDS, kept `keep` seconds from now when that is
    longer (a nightly pass over what a page read a moment before; a page never shortens)."""
    if keep > REMEMBERED_SECONDS:
        for key in keys:
            cache.touch(key, keep)


def remembered_each(
    kind: str,
    ids: Sequence[int],
    parts: Iterable[object],
    tracked: Sequence[type[models.Model]],
    read: Callable[[list[int]], dict[int, T]],
    *,
    keep: int = REMEMBERED_SECONDS,
) -> dict[int, T | None]:
    """`remembered` for each of `ids` apart (each organisation's own figures, say): those kept
    are taken from the cache at once, and `read(missing)` reads the others together (an id it
    leaves out has nothing: None, kept as such)."""
    cache = caches["shared"]
    mark = _mark(cache, parts, tracked)
    keys = {pk: _key(kind, f"{pk}|{mark}") for pk in ids}
    kept = cache.get_many(list(keys.values()))
    found: dict[int, T | None] = {pk: kept[key][0] for pk, key in keys.items() if key in kept}
    _extend(cache, [key for key in keys.values() if key in kept], keep)
    missing = [pk for pk in ids if pk not in found]
    if missing:
        fresh = read(missing)
        cache.set_many({keys[pk]: (fresh.get(pk),) for pk in missing}, timeout=keep)
        found.update((pk, fresh.get(pk)) for pk in missing)
    return found
