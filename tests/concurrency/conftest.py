"""Real races on PostgreSQL: several threads, each with its own database connection and its own
signed-in client, send their requests at the same moment (a barrier) through the whole Django
stack. The data must be committed for the other connections to see it, so these tests use
transactional databases and load the seeds and the cast themselves; they run as their own
pytest session (`make test-concurrency`, a CI step) because a transactional test empties the
database that the rest of the suite loads once per session.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.test import Client, override_settings

PASSWORD = "tidtam-test"


# Where the first world's rows are kept, to be put back for each later test (same database).
SNAPSHOT_SCHEMA = "world_snapshot"
# The tables the snapshot holds (set once the first world is made in this session).
_snapshot_tables: list[str] = []


def _take_snapshot() -> None:
    """Copy every model table of the world just made into a schema of its own."""
    tables = sorted(connections["default"].introspection.django_table_names(only_existing=True))
    with connections["default"].cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
        for table in tables:
            cursor.execute(f'CREATE TABLE {SNAPSHOT_SCHEMA}."{table}" AS TABLE "{table}"')
    _snapshot_tables[:] = tables


def _restore_snapshot() -> None:
    """Put the first world's rows back, with the same keys, and move each table's sequence past
    them. The test before was flushed, and the flush's post_migrate handlers made rows again
    (content types, permissions, the standard fund sources): the tables are emptied first.
    Foreign keys are checked at commit (Django makes them deferrable), so the order of the
    tables does not matter."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import transaction

    connection = connections["default"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in _snapshot_tables))
        for table in _snapshot_tables:
            cursor.execute(f'INSERT INTO "{table}" SELECT * FROM {SNAPSHOT_SCHEMA}."{table}"')
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)


@pytest.fixture
def world(transactional_db: None, tmp_path: Path) -> Iterator[Any]:
    """Both seeds, the cast, and round 6 of 2567 open for สมศ., committed. On PostgreSQL (CI),
    made once per session, then copied back for each test (the seeds' load was half of this
    suite's time); the caches are emptied, since the copied rows have the keys they had before.
    Elsewhere, made for each test."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches

    from tidtam.orgs.models import Organization
    from tidtam.periods.models import Round
    from tidtam.periods.services import round_open
    from tidtam.seeds.cast import load_cast
    from tidtam.seeds.loader import load_all

    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        EVIDENCE_ROOT=tmp_path / "evidence",
        DEMO_TODAY="2024-04-08",
    ):
        for cache in caches.all():
            cache.clear()
        # The flush before made content types again, under other keys than the copied ones.
        ContentType.objects.clear_cache()
        snapshots = connections["default"].vendor == "postgresql"
        if snapshots and _snapshot_tables:
            _restore_snapshot()
        else:
            load_all()
            load_cast(PASSWORD)
            round_ = Round.objects.get(fiscal_year__year=2567, months=6)
            round_open(round_=round_, organization=Organization.objects.get(code="onesqa"))
            if snapshots:
                _take_snapshot()
        round_ = Round.objects.get(fiscal_year__year=2567, months=6)
        users = {u.username: u for u in get_user_model().objects.all()}
        yield type("World", (), {"round": round_, "users": users})


def client_of(world: Any, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; their results (or exceptions) in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:  # reported to the test, in the results
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
