"""A throwaway tidtam installation for tests that need other processes on the same database.

pytest-django's test database is in memory on SQLite (and inside a transaction either way), so
a `tidtam db_worker` or a `tidtam restore` subprocess cannot see it. These tests run tidtam as an
operator would: commands in subprocesses, against a database of their own, made once per session
(migrated, seeds loaded) and copied for each test. On SQLite it is a file in a temporary
TIDTAM_VAR_DIR; when DATABASE_URL names PostgreSQL, a scratch database made with CREATE DATABASE
on that server (and dropped afterwards).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
COMMAND_SECONDS = 300


def tidtam_command() -> list[str]:
    script = Path(sys.executable).parent / "tidtam"
    return [str(script)] if script.exists() else [sys.executable, str(ROOT / "manage.py")]


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _with_database(url: str, name: str) -> str:
    # Spelled out: urlunparse drops the "//" of an empty host, which libpq then refuses.
    parsed = urlparse(url)
    query = f"?{parsed.query}" if parsed.query else ""
    return f"{parsed.scheme}://{parsed.netloc}/{name}{query}"


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    from config.env import database

    settings = database(url, default_sqlite=Path("unused"))
    with psycopg.connect(
        dbname="postgres",
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    ) as connection:
        connection.execute(sql)  # type: ignore[arg-type]


@dataclass
class Project:
    """One installation: its folders, its database, and `tidtam` run against them."""

    var_dir: Path
    database_url: str | None  # None: SQLite in var_dir
    env_extra: dict[str, str] = field(default_factory=dict)

    @property
    def sqlite_file(self) -> Path:
        return self.var_dir / "tidtam.sqlite3"

    @property
    def evidence_root(self) -> Path:
        return self.var_dir / "evidence"

    @property
    def media_root(self) -> Path:
        return self.var_dir / "media"

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            TIDTAM_VAR_DIR=str(self.var_dir),
            PYTHONUNBUFFERED="1",
            **self.env_extra,
            **extra,
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def run(self, *args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [*tidtam_command(), *args],
            env=self.env(**extra),
            cwd=ROOT,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=COMMAND_SECONDS,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"tidtam {' '.join(args)[:200]} failed ({result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result

    def shell(self, code: str, **extra: str) -> str:
        return self.run("shell", "--no-imports", "-c", code, **extra).stdout

    def popen(self, *args: str, log: Path, **extra: str) -> subprocess.Popen[bytes]:
        # Its own process group, so that the test can kill -9 the worker and what it started.
        with log.open("ab") as out:
            return subprocess.Popen(
                [*tidtam_command(), *args],
                env=self.env(**extra),
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )


# The schema as the models describe it, made in one step, then every migration recorded as
# applied: what `tidtam migrate` makes (makemigrations --check keeps the migrations and the models
# equal, and CI's PostgreSQL run builds its test database through every migration), in 3 s
# instead of the 20 to 35 s Django takes to replay the migrations' model states.
SCHEMA_FROM_THE_MODELS = """
from django.conf import settings
from django.core.management import call_command

class NoMigrations(dict):  # what pytest-django's --no-migrations does
    def __contains__(self, app):
        return True

    def __getitem__(self, app):
        return None

settings.MIGRATION_MODULES = NoMigrations()
call_command("migrate", run_syncdb=True, verbosity=0)
settings.MIGRATION_MODULES = {}
call_command("migrate", fake=True, verbosity=0)
"""


def prepare_template(base: Path) -> Project:
    """The schema and the seeds: made once per session."""
    url = postgres_url()
    if url:
        name = f"tidtam_tpl_{uuid.uuid4().hex[:8]}"
        _pg_admin(url, f'CREATE DATABASE "{name}"')
        project = Project(base / "template", _with_database(url, name))
    else:
        project = Project(base / "template", None)
    project.var_dir.mkdir(parents=True)
    project.shell(SCHEMA_FROM_THE_MODELS)
    project.run("load_seeds")
    return project


def copy_of(template: Project, var_dir: Path) -> Project:
    """A fresh installation with the template's data (and empty file folders)."""
    var_dir.mkdir(parents=True)
    url = postgres_url()
    if url and template.database_url:
        name = f"tidtam_t_{uuid.uuid4().hex[:8]}"
        template_name = urlparse(template.database_url).path.lstrip("/")
        _pg_admin(url, f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
        return Project(var_dir, _with_database(url, name))
    project = Project(var_dir, None)
    source = sqlite3.connect(template.sqlite_file)
    target = sqlite3.connect(project.sqlite_file)
    with target:
        source.backup(target)
    source.close()
    target.close()
    (var_dir / "secret_key").write_text((template.var_dir / "secret_key").read_text())
    return project


def empty_project(var_dir: Path) -> Project:
    """An installation with an empty database (not migrated) and no files: a restore target."""
    var_dir.mkdir(parents=True)
    url = postgres_url()
    if url:
        name = f"tidtam_e_{uuid.uuid4().hex[:8]}"
        _pg_admin(url, f'CREATE DATABASE "{name}" TEMPLATE template0')
        return Project(var_dir, _with_database(url, name))
    return Project(var_dir, None)


def drop(project: Project) -> None:
    url = postgres_url()
    if url and project.database_url:
        name = urlparse(project.database_url).path.lstrip("/")
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
