"""`tidtam backup` and `tidtam restore`, run as an operator would, on installations of their own:
every table's rows (history tables included) and every file's checksum come back unchanged, and
a restore refuses a database that is not empty and an archive that was altered."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.app.scratch_project import Project, copy_of, drop, empty_project

ADD_DATA = """
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from tidtam.orgs.models import Organization
from tidtam.progress.models import Evidence, ProgressEntry
from tidtam.reports.models import RenderJob

entry = ProgressEntry.objects.order_by("pk").first()
entry.result_text = "ดำเนินการแล้ว 9 กิจกรรม ตามแผน (สำรองและกู้คืน)"
entry.save()  # a change that simple-history records
for number in range(3):
    evidence = Evidence(
        content_type=ContentType.objects.get_for_model(entry),
        object_id=entry.pk,
        original_name=f"หลักฐานที่ {number + 1}.pdf",
        size=40,
    )
    evidence.file.save(f"e{number}.pdf", ContentFile(b"%PDF-1.4 evidence " + bytes([65 + number]) * 20), save=False)
    evidence.save()
job = RenderJob.objects.create(
    document="quarterly",
    organization=Organization.objects.get(code="onesqa"),
    fiscal_year=2567,
    round_months=6,
    format="json",
    status="done",
    progress=100,
    filename="รายงาน.json",
)
job.file.save("report.json", ContentFile('{"ok": "ผลการดำเนินงาน"}'.encode()), save=True)
"""

# Every model's rows (historical models and many-to-many tables included), by primary key.
SNAPSHOT = """
import hashlib, json
from django.apps import apps
tables = {}
for model in apps.get_models(include_auto_created=True):
    rows = list(model._base_manager.order_by("pk").values_list())
    text = json.dumps(rows, default=str, ensure_ascii=False)
    tables[model._meta.db_table] = [len(rows), hashlib.sha256(text.encode()).hexdigest()]
print(json.dumps(tables))
"""


@pytest.fixture
def made() -> Iterator[list[Project]]:
    projects: list[Project] = []
    yield projects
    for project in projects:
        drop(project)


@pytest.fixture(scope="module")
def backed_up(
    installation: Project, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Project, Path, str]]:
    """An installation with history, evidence files and a document, and its backup (the
    command's output too): made once, the tests only read them."""
    folder = tmp_path_factory.mktemp("backup")
    source = copy_of(installation, folder / "source")
    source.shell(ADD_DATA)
    archive = folder / "tidtam-backup.tar"
    output = source.run("backup", "-o", str(archive)).stdout
    yield source, archive, output
    drop(source)


def snapshot(project: Project) -> dict[str, list[Any]]:
    tables: dict[str, list[Any]] = json.loads(project.shell(SNAPSHOT).strip().splitlines()[-1])
    return tables


def checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def tampered_copy(archive: Path, target: Path) -> str:
    """The same archive with one evidence file's content changed (its manifest left as it was)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        changed = ""
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("evidence/") and not changed:
                data = data.replace(b"evidence", b"EVIDENCE")
                changed = member.name
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return changed


def test_backup_then_restore_into_an_empty_installation_gives_back_every_row_and_file(
    backed_up: tuple[Project, Path, str], tmp_path: Path, made: list[Project]
) -> None:
    source, archive, output = backed_up
    rows_before = snapshot(source)
    evidence_before = checksums(source.evidence_root)
    media_before = checksums(source.media_root)
    assert len(evidence_before) == 3 and len(media_before) == 1
    assert rows_before["progress_historicalprogressentry"][0] > 0
    assert rows_before["progress_evidence"][0] == 3

    assert "สำรองแล้ว:" in output
    assert "ไฟล์หลักฐาน 3 ไฟล์ ไฟล์เอกสาร 1 ไฟล์" in output
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["format"] == "tidtam-backup/1"
    assert manifest["tidtam_version"]
    assert ["reports", "0002_render_job_heartbeat"] in manifest["migrations"]
    assert {name for name in manifest["files"] if name.startswith("evidence/")} == {
        f"evidence/{name}" for name in evidence_before
    }

    target = empty_project(tmp_path / "target")
    made.append(target)
    restored = target.run("restore", str(archive)).stdout
    assert "กู้คืนแล้ว:" in restored and "ตรวจค่า sha256 ครบทุกไฟล์" in restored

    assert snapshot(target) == rows_before
    assert checksums(target.evidence_root) == evidence_before
    assert checksums(target.media_root) == media_before

    # A second restore into the now filled installation is refused, in Thai, and changes nothing.
    again = target.run("restore", str(archive), check=False)
    assert again.returncode == 1
    assert "มีตารางอยู่แล้ว" in again.stderr and "สร้างฐานข้อมูลใหม่ที่ว่างเปล่า" in again.stderr
    assert snapshot(target) == rows_before


def test_a_restore_refuses_an_altered_archive_before_writing_anything(
    backed_up: tuple[Project, Path, str], tmp_path: Path, made: list[Project]
) -> None:
    source, archive, _ = backed_up
    altered = tmp_path / "altered.tar"
    changed = tampered_copy(archive, altered)

    target = empty_project(tmp_path / "target")
    made.append(target)
    refused = target.run("restore", str(altered), check=False)

    assert refused.returncode == 1
    assert f'ไฟล์ "{changed}" ในไฟล์สำรองไม่ตรงกับค่าตรวจสอบ (sha256)' in refused.stderr
    assert "ยังไม่ได้กู้คืนสิ่งใด" in refused.stderr
    assert checksums(target.evidence_root) == {}
    assert checksums(target.media_root) == {}
    tables = target.shell(
        "from django.db import connection\nprint(len(connection.introspection.table_names()))"
    )
    assert tables.strip() == "0"
    # Backing up over an existing file is refused too.
    over = source.run("backup", "-o", str(archive), check=False)
    assert over.returncode == 1 and "จึงไม่เขียนทับ" in over.stderr
