"""`tidtam migrate` on SQLite files of its own (whatever database the suite uses), two ways:

- a fresh installation: every migration from an empty database, as `make demo` and a first
  `make serve` run it. Its schema must be the one the test installations are made with from the
  models in one step (tests/conftest.py: `installation`; tests/app/scratch_project.py:
  SCHEMA_FROM_THE_MODELS), and it must record every migration on disk;
- an upgrade: a database of an older tidtam (`periods 0002`, whose rounds carried their own
  deadline and open state), with rows written as that schema had them, then `tidtam migrate
  periods` to today's. Its rows must come through.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings

from tests.app.scratch_project import Project

pytestmark = pytest.mark.own_sqlite

OLD_ROWS = """
INSERT INTO orgs_organization (id, code, name, short_name, kind, parent_id, is_active, note)
  VALUES (1, 'root', 'หน่วยงานแม่', 'ม.', 'ministry', NULL, 1, ''),
         (2, 'child', 'หน่วยงานลูก', 'ล.', 'department', 1, 1, ''),
         (3, 'other', 'อีกหน่วยงาน', 'อ.', 'public_organization', NULL, 1, '');
INSERT INTO periods_fiscalyear (id, year, start_date, end_date)
  VALUES (1, 2567, '2023-10-01', '2024-09-30');
INSERT INTO periods_round (id, fiscal_year_id, months, deadline, is_open)
  VALUES (1, 1, 3, '2024-01-20', 0), (2, 1, 6, '2024-04-15', 1), (3, 1, 9, NULL, 0);
INSERT INTO periods_historicalround
  (id, fiscal_year_id, months, deadline, is_open, history_date, history_type,
   history_change_reason, history_user_id)
  VALUES (2, 1, 6, '2024-04-15', 0, '2024-01-01 00:00:00', '+', NULL, NULL),
         (2, 1, 6, '2024-04-15', 1, '2024-04-01 09:00:00', '~', NULL, NULL);
"""


def on_sqlite(base: Path) -> tuple[Project, Path]:
    """A scratch installation in `base` whose database is an SQLite file that does not exist yet."""
    database = base / "migrated.sqlite3"
    project = Project(base / "var", f"sqlite:///{database}")
    project.var_dir.mkdir()
    return project, database


def recorded_migrations(database: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(database) as db:
        return set(db.execute("SELECT app, name FROM django_migrations"))


def sqlite_schema(database: Path) -> dict[str, Any]:
    """Every table's columns, indexes, foreign keys and named constraints, each compared as a
    set (a table rebuilt by a migration may list its columns in another order)."""
    with sqlite3.connect(database) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND name != 'django_migrations'"
            )
        ]
        schema: dict[str, Any] = {}
        for table in tables:
            sql = db.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).fetchone()[0]
            indexes = {
                (name, unique, tuple(c[2] for c in db.execute(f'PRAGMA index_info("{name}")')))
                for _, name, unique, *_ in db.execute(f'PRAGMA index_list("{table}")')
                if not name.startswith("sqlite_autoindex")
            }
            schema[table] = {
                "columns": {
                    (name, kind, notnull, default, pk)
                    for _, name, kind, notnull, default, pk in db.execute(
                        f'PRAGMA table_info("{table}")'
                    )
                },
                "indexes": indexes,
                "unique": sorted(
                    tuple(c[2] for c in db.execute(f'PRAGMA index_info("{name}")'))
                    for _, name, _, origin, *_ in db.execute(f'PRAGMA index_list("{table}")')
                    if origin == "u"
                ),
                "foreign_keys": {
                    (row[3], row[2], row[4])
                    for row in db.execute(f'PRAGMA foreign_key_list("{table}")')
                },
                "constraints": set(re.findall(r'CONSTRAINT "([^"]+)"', sql)),
            }
        return schema


def test_migrating_an_empty_database_gives_the_schema_the_test_installations_are_made_with(
    installation: Project, tmp_path: Path
) -> None:
    project, from_empty = on_sqlite(tmp_path)
    project.run("migrate", "--no-input", "-v0")
    from_models = installation.sqlite_file
    # Both record every migration on disk (what `tidtam showmigrations` shows as [X]), and the
    # same ones: an operator's `tidtam migrate` on the test installation has nothing to do.
    with override_settings(MIGRATION_MODULES={}):  # this process's tests run without them
        on_disk = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    recorded = recorded_migrations(from_empty)
    assert len(on_disk) > 50 and on_disk <= recorded
    assert recorded_migrations(from_models) == recorded
    expected = sqlite_schema(from_empty)
    made = sqlite_schema(from_models)
    assert len(expected) > 80
    for part in ("indexes", "unique", "foreign_keys", "constraints"):
        assert sum(len(parts[part]) for parts in expected.values()) > 20, part
    assert sorted(made) == sorted(expected)
    for table, parts in expected.items():
        assert made[table] == parts, table


def test_migrating_an_old_database_keeps_each_rounds_deadline_open_state_and_history(
    tmp_path: Path,
) -> None:
    """0003 moves each round's deadline and open state to a schedule per root organisation
    (tests/app/test_round_calendar.py reads such rows back through the calendar)."""
    project, migrated = on_sqlite(tmp_path)
    project.run("migrate", "periods", "0002", "--no-input", "-v0")
    with sqlite3.connect(migrated) as db:
        db.executescript(OLD_ROWS)
    project.run("migrate", "periods", "--no-input", "-v0")
    with sqlite3.connect(migrated) as db:
        schedules = db.execute(
            "SELECT organization_id, round_id, deadline, is_open FROM periods_roundschedule"
            " ORDER BY round_id, organization_id"
        ).fetchall()
        history = db.execute(
            "SELECT organization_id, is_open, history_date, history_type"
            " FROM periods_historicalroundschedule ORDER BY organization_id, history_date"
        ).fetchall()
        columns = [row[1] for row in db.execute("PRAGMA table_info(periods_round)")]
        organizations = db.execute(
            "SELECT id, code, name, parent_id FROM orgs_organization ORDER BY id"
        ).fetchall()
    # Every root keeps each round as it was; the child follows its root (the calendar's rule).
    assert schedules == [
        (1, 1, "2024-01-20", 0),
        (3, 1, "2024-01-20", 0),
        (1, 2, "2024-04-15", 1),
        (3, 2, "2024-04-15", 1),
        (1, 3, None, 0),
        (3, 3, None, 0),
    ]
    assert history == [
        (1, 0, "2024-01-01 00:00:00", "+"),
        (1, 1, "2024-04-01 09:00:00", "~"),
        (3, 0, "2024-01-01 00:00:00", "+"),
        (3, 1, "2024-04-01 09:00:00", "~"),
    ]
    assert "deadline" not in columns and "is_open" not in columns
    # The organisations the rounds' schedules name are still there, as they were.
    assert organizations == [
        (1, "root", "หน่วยงานแม่", None),
        (2, "child", "หน่วยงานลูก", 1),
        (3, "other", "อีกหน่วยงาน", None),
    ]
