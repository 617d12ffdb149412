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


@pytest.fixture
def world(transactional_db: None, tmp_path: Path) -> Iterator[Any]:
    """Both seeds, the cast, and round 6 of 2567 open for สมศ., committed."""
    from django.contrib.auth import get_user_model

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
        load_all()
        load_cast(PASSWORD)
        round_ = Round.objects.get(fiscal_year__year=2567, months=6)
        round_open(round_=round_, organization=Organization.objects.get(code="onesqa"))
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
