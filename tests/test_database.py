"""The tests run on the database DATABASE_URL names, set up the way production will be."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.utils import ConnectionHandler


@pytest.mark.django_db
def test_the_tests_run_on_the_database_that_DATABASE_URL_names(tmp_path: Path) -> None:
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        assert connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'th-TH-x-icu'")
            assert cursor.fetchone() == (1,), "Thai ordering needs the ICU collation th-TH-x-icu"
        return
    assert connection.vendor == "sqlite"
    # Django tests on an in-memory SQLite database, which cannot use WAL; open a file with the
    # project's own settings to see the mode a real deployment gets.
    config = {**settings.DATABASES["default"], "NAME": tmp_path / "wal.sqlite3", "TEST": {}}
    handler = ConnectionHandler({"default": config})
    try:
        with handler["default"].cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone() == ("wal",)
    finally:
        handler.close_all()
