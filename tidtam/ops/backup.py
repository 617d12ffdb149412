"""Backup and restore: the database and the evidence and rendered files, in one checked archive.

The database is copied with its own tools (pg_dump / pg_restore on PostgreSQL, SQLite's online
backup API), never with dumpdata / loaddata, which fail on simple-history's tables. The archive
is a tar file:

    database/tidtam.pgdump | database/tidtam.sqlite3
    evidence/<path under EVIDENCE_ROOT>
    media/<path under MEDIA_ROOT>
    manifest.json   (last: the sha256 of every member, the tidtam version, the applied migrations)

The database is copied first and the files after it, so a file added meanwhile is at worst a
file without a row (which `tidtam cleanup` removes), never a row without its file.
A restore writes only into an empty database and empty folders, and only after every member's
checksum has been verified.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from tidtam.domain.errors import DomainError

FORMAT = "tidtam-backup/1"
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
VENDOR_LABELS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def _folders() -> dict[str, tuple[Path, str]]:
    """Archive prefix → (folder, what people call it)."""
    return {
        "evidence": (Path(settings.EVIDENCE_ROOT), "ไฟล์หลักฐาน (EVIDENCE_ROOT)"),
        "media": (Path(settings.MEDIA_ROOT), "ไฟล์เอกสารที่จัดทำ (MEDIA_ROOT)"),
    }


def tidtam_version() -> str:
    try:
        return metadata.version("tidtam")
    except metadata.PackageNotFoundError:
        return "unknown"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            yield Path(folder) / name


# --- the database -------------------------------------------------------------------------


def _vendor() -> str:
    return str(connections["default"].vendor)


def _pg_tool(name: str) -> str:
    # The newest installed client: pg_dump refuses a server newer than itself.
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in p.parts[-3].split(".")],
    )
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if found is None:
        raise DomainError("backup_tool_missing", tool=name)
    return found


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        PGHOST=str(db.get("HOST") or ""),
        PGPORT=str(db.get("PORT") or ""),
        PGUSER=str(db.get("USER") or ""),
        PGPASSWORD=str(db.get("PASSWORD") or ""),
        PGDATABASE=str(db["NAME"]),
    )
    return {key: value for key, value in env.items() if value != "" or not key.startswith("PG")}


def _run(tool: str, args: list[str]) -> None:
    completed = subprocess.run(
        [_pg_tool(tool), *args],
        env=_pg_env(),
        capture_output=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if completed.returncode != 0:
        detail = completed.stderr.decode(errors="replace").strip()[-400:]
        raise DomainError("backup_tool_failed", tool=tool, detail=detail or completed.returncode)


def _dump_database(target: Path) -> str:
    """Write the database to `target`; returns its name inside the archive."""
    vendor = _vendor()
    if vendor == "postgresql":
        _run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "-f", str(target)])
        return "database/tidtam.pgdump"
    if vendor == "sqlite":
        # The online backup API gives a consistent copy while the app keeps writing (WAL).
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return "database/tidtam.sqlite3"
    raise DomainError("restore_vendor_mismatch", source=vendor, target="PostgreSQL หรือ SQLite")


def _applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connections["default"])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _database_tables() -> list[str]:
    connection = connections["default"]
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def _restore_database(dump: Path) -> None:
    vendor = _vendor()
    connections["default"].close()
    if vendor == "postgresql":
        _run(
            "pg_restore",
            [
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "-d",
                str(settings.DATABASES["default"]["NAME"]),
                str(dump),
            ],
        )
        return
    source = sqlite3.connect(str(dump))
    target = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


# --- backup -------------------------------------------------------------------------------


class _HashingReader(io.RawIOBase):
    """Hands a file to tarfile while hashing exactly the bytes that go into the archive."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.digest.update(data)
        return data


def _add(archive: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    info = archive.gettarinfo(str(path), arcname=name)
    # Owners and modes of the backup machine mean nothing on the machine that restores.
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o644
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


@dataclass
class BackupSummary:
    path: Path
    vendor: str
    evidence_files: int
    media_files: int
    size: int


def backup(output: Path) -> BackupSummary:
    """Write the archive to `output` (through a temporary name, so a failure leaves no half file)."""
    partial = output.with_name(output.name + ".partial")
    counts = {"evidence": 0, "media": 0}
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "tidtam_version": tidtam_version(),
        "created_at": datetime.now(UTC).isoformat(),
        "database": {"vendor": _vendor()},
        "migrations": _applied_migrations(),
        "files": {},
    }
    with tempfile.TemporaryDirectory(prefix="tidtam-backup-") as work:
        dump = Path(work) / "database"
        try:
            with tarfile.open(partial, "w") as archive:
                dump_name = _dump_database(dump)
                manifest["database"]["file"] = dump_name
                manifest["files"][dump_name] = _add(archive, dump_name, dump)
                for prefix, (root, _) in _folders().items():
                    for path in _files(root):
                        name = f"{prefix}/{path.relative_to(root).as_posix()}"
                        manifest["files"][name] = _add(archive, name, path)
                        counts[prefix] += 1
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(datetime.now(UTC).timestamp())
                archive.addfile(info, io.BytesIO(data))
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    return BackupSummary(
        path=output,
        vendor=manifest["database"]["vendor"],
        evidence_files=counts["evidence"],
        media_files=counts["media"],
        size=output.stat().st_size,
    )


# --- restore ------------------------------------------------------------------------------


def _open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r")
    except (OSError, tarfile.TarError) as error:
        raise DomainError("backup_unreadable", path=path, detail=str(error)) from error


def read_manifest(archive: tarfile.TarFile, path: Path) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise KeyError(MANIFEST)
        manifest: dict[str, Any] = json.loads(member.read())
    except (KeyError, ValueError, tarfile.TarError) as error:
        raise DomainError(
            "backup_unreadable", path=path, detail=f"ไม่มี {MANIFEST} ที่อ่านได้"
        ) from error
    if manifest.get("format") != FORMAT:
        raise DomainError(
            "backup_unreadable", path=path, detail=f"รูปแบบ {manifest.get('format')!r}"
        )
    return manifest


def _safe_name(name: str) -> PurePosixPath:
    # Only plain relative paths: a crafted archive must not write outside the folders.
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or len(pure.parts) < 2:
        raise DomainError("backup_unreadable", path=name, detail="ชื่อไฟล์ในไฟล์สำรองไม่ปลอดภัย")
    return pure


def _verify(archive: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    """Every member the manifest lists is present, a regular file, and has its checksum."""
    listed = manifest["files"]
    for member in archive.getmembers():
        if member.name == MANIFEST:
            continue
        if member.name not in listed or not member.isfile():
            raise DomainError("backup_checksum_mismatch", name=member.name)
    for name, expected in listed.items():
        _safe_name(name)
        try:
            handle = archive.extractfile(name)
        except KeyError:
            handle = None
        if handle is None:
            raise DomainError("backup_checksum_mismatch", name=name)
        digest = hashlib.sha256()
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
        if digest.hexdigest() != expected["sha256"]:
            raise DomainError("backup_checksum_mismatch", name=name)


def _require_empty_targets(manifest: dict[str, Any]) -> None:
    source = manifest["database"]["vendor"]
    if source != _vendor():
        raise DomainError(
            "restore_vendor_mismatch",
            source=VENDOR_LABELS.get(source, source),
            target=VENDOR_LABELS.get(_vendor(), _vendor()),
        )
    tables = _database_tables()
    if tables:
        raise DomainError(
            "restore_database_not_empty",
            database=settings.DATABASES["default"]["NAME"],
            count=len(tables),
            example=", ".join(tables[:3]),
        )
    for root, label in _folders().values():
        present = list(_files(root))
        if present:
            raise DomainError(
                "restore_folder_not_empty", label=label, path=root, count=len(present)
            )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if unknown:
        raise DomainError(
            "restore_newer_migrations",
            migrations=", ".join(unknown[:5]),
            version=manifest.get("tidtam_version", "?"),
        )


@dataclass
class RestoreSummary:
    vendor: str
    evidence_files: int
    media_files: int
    migrations_to_apply: int
    tidtam_version: str


def restore(path: Path) -> RestoreSummary:
    """Restore an archive into an empty database and empty folders, checksums verified first."""
    with _open(path) as archive:
        manifest = read_manifest(archive, path)
        _require_empty_targets(manifest)
        _verify(archive, manifest)
        counts = {"evidence": 0, "media": 0}
        folders = _folders()
        with tempfile.TemporaryDirectory(prefix="tidtam-restore-") as work:
            dump = Path(work) / "database"
            _extract(archive, manifest["database"]["file"], dump, manifest)
            _restore_database(dump)
        for name in manifest["files"]:
            prefix = name.partition("/")[0]
            if prefix not in folders:
                continue
            root = folders[prefix][0]
            _extract(archive, name, root / _safe_name(name).relative_to(prefix), manifest)
            counts[prefix] += 1
    applied = {tuple(pair) for pair in manifest["migrations"]}
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return RestoreSummary(
        vendor=manifest["database"]["vendor"],
        evidence_files=counts["evidence"],
        media_files=counts["media"],
        migrations_to_apply=len(known - applied),
        tidtam_version=manifest.get("tidtam_version", "?"),
    )


def _extract(archive: tarfile.TarFile, name: str, target: Path, manifest: dict[str, Any]) -> None:
    """Write one member and check its checksum again as written (the disk may fail too)."""
    handle = archive.extractfile(name)
    assert handle is not None  # _verify found it
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        shutil.copyfileobj(handle, out, CHUNK)
    if sha256_file(target) != manifest["files"][name]["sha256"]:
        raise DomainError("backup_checksum_mismatch", name=name)
