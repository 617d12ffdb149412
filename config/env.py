"""Typed helpers that read settings from the environment, with safe defaults for the demo."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """An integer setting; a value that is not a number stops the start with a Thai message."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(
            f'ตัวแปรสภาพแวดล้อม {name} เป็น "{value}" ซึ่งไม่ใช่จำนวนเต็ม — ให้ตั้งเป็นตัวเลข เช่น {default}'
        ) from None


def env_secret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file NAME_FILE names (systemd credentials, Docker secrets).

    A file keeps the secret out of `ps e` and out of the unit file that many people may read.
    """
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def secret_key(var_dir: Path) -> str:
    """The key from TIDTAM_SECRET_KEY (or the file TIDTAM_SECRET_KEY_FILE names), or one made
    once per checkout and kept in var/.

    A key in the repository would be a secret anyone can read; a key made at every start would
    sign everyone out at every restart.
    """
    value = env_secret("TIDTAM_SECRET_KEY")
    if value:
        return value
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def database(url: str, *, default_sqlite: Path) -> dict[str, Any]:
    """Django's DATABASES["default"] from a URL: sqlite:///path or postgresql://user:pw@host:port/db.

    A PostgreSQL URL may name a Unix socket directory with ?host=/path and the role with
    ?user=name (as libpq does): postgresql:///name?host=/run/pg&user=postgres.
    """
    if not url:
        return _sqlite(default_sqlite)
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        return _sqlite(Path(path[1:] if path.startswith("//") else path))
    if parsed.scheme in {"postgres", "postgresql"}:
        query = parse_qs(parsed.query)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or "") or query.get("user", [""])[0],
            "PASSWORD": unquote(parsed.password or "") or env_secret("TIDTAM_DB_PASSWORD"),
            "HOST": query.get("host", [parsed.hostname or ""])[0],
            "PORT": str(parsed.port or ""),
            # Persistent connections, checked before reuse (a restarted PostgreSQL or a dropped
            # connection gives a fresh one, not an error page). Each gunicorn thread holds one:
            # workers × threads × app servers + db_workers must stay under max_connections
            # (README, "Operating tidtam"; `tidtam serve` checks it at start).
            "CONN_MAX_AGE": env_int("TIDTAM_DB_CONN_MAX_AGE", 600),
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": query.get("test_name", [None])[0]},
            # The planner's costs for a database that lives in memory or on SSD (PostgreSQL's
            # default of 4 is for spinning disks): with 4, a page of 100 items joined to their
            # budget lines read all 50,000 lines of the country instead of 100 by index.
            # TIDTAM_PG_OPTIONS replaces it (libpq's `options`, for example "-c work_mem=16MB").
            "OPTIONS": {
                "options": os.environ.get(
                    "TIDTAM_PG_OPTIONS", "-c random_page_cost=1.1 -c effective_cache_size=1GB"
                )
            },
        }
    raise ValueError(f"DATABASE_URL: unsupported scheme {parsed.scheme!r}")


def _sqlite(path: Path) -> dict[str, Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
            # BEGIN so two saves fail fast instead of deadlocking on upgrade.
            "init_command": "PRAGMA journal_mode=wal; PRAGMA synchronous=normal;",
            "transaction_mode": "IMMEDIATE",
        },
    }
