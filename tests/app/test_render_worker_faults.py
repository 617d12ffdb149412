"""Render jobs survive their workers: kill -9 mid-render, a retry, and two workers on one queue.

Real `tidtam db_worker` processes on a database of their own (tests/app/scratch_project.py):
a file-based SQLite, or a scratch PostgreSQL database when DATABASE_URL names one. The PDF
stage is made slow (or quick) by a stand-in `soffice` early on the worker's PATH, so that the
test controls how long a render takes without touching the code under test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.app.scratch_project import Project, copy_of, drop

HEARTBEAT = "0.25"
STALE = 2  # seconds without a heartbeat before a running job counts as dead
WAIT_SECONDS = 120

FAKE_SOFFICE = """#!/bin/sh
# Stands in for LibreOffice: waits FAKE_SOFFICE_SECONDS, then writes a small PDF to --outdir.
# It cannot be kept running (tidtam/reports/render/pdf.py, OfficeServer): asked to, it ends, and
# each conversion then starts one of its own.
case "$*" in *--convert-to*) ;; *) exit 1 ;; esac
echo $$ >> "$FAKE_SOFFICE_PIDFILE"
while [ $# -gt 0 ]; do
  case "$1" in --outdir) shift; outdir="$1" ;; esac
  shift
done
sleep "${FAKE_SOFFICE_SECONDS:-0}"
printf '%%PDF-1.4\\n%% tidtam test\\n%%%%EOF\\n' > "$outdir/document.pdf"
"""

MAKE_USER = """
from django.contrib.auth import get_user_model
get_user_model().objects.create_superuser("ops", "ops@example.org", "ops-password-1")
"""

REQUEST_JOBS = """
from django.contrib.auth import get_user_model
from tidtam.reports.services import render_job_request, _enqueue
user = get_user_model().objects.get(username="ops")
for _ in range({count}):
    job = render_job_request(user=user, document="quarterly", org_code="onesqa",
                             fiscal_year=2567, round_months=6, fmt="{fmt}")
    for _ in range({extra_tasks}):
        _enqueue(job.pk)  # the same job queued again, as a retried enqueue would
    print(job.pk.hex)
"""

RETRY = """
from django.contrib.auth import get_user_model
from tidtam.reports.models import RenderJob
from tidtam.reports.services import render_job_retry
job = RenderJob.objects.get(pk="{job_id}")
render_job_retry(user=get_user_model().objects.get(username="ops"), job=job)
print(job.status)
"""


@pytest.fixture(scope="module")
def template(installation: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    project = copy_of(installation, tmp_path_factory.mktemp("worker-template") / "app")
    project.shell(MAKE_USER)
    yield project
    drop(project)


@pytest.fixture
def project(template: Project, tmp_path: Path) -> Iterator[Project]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    soffice = bin_dir / "soffice"
    soffice.write_text(FAKE_SOFFICE)
    soffice.chmod(0o755)
    made = copy_of(template, tmp_path / "app")
    made.env_extra.update(
        PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        TIDTAM_RENDER_HEARTBEAT_SECONDS=HEARTBEAT,
        TIDTAM_RENDER_STALE_SECONDS=str(STALE),
        FAKE_SOFFICE_PIDFILE=str(tmp_path / "soffice.pid"),
    )
    yield made
    # LibreOffice runs in a process group of its own, so a killed worker leaves it running
    # (as it would in production, until it ends by itself); the test stops it.
    pidfile = tmp_path / "soffice.pid"
    for pid in pidfile.read_text().split() if pidfile.exists() else []:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(int(pid), signal.SIGKILL)
    drop(made)


def query(project: Project, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Read the project's database directly (the test's own Django points elsewhere)."""
    if project.database_url is None:
        with sqlite3.connect(project.sqlite_file, timeout=30) as connection:
            return connection.execute(sql.replace("%s", "?"), params).fetchall()
    import psycopg

    with psycopg.connect(project.database_url) as connection:
        return connection.execute(sql, params).fetchall()  # type: ignore[arg-type]


def job_row(project: Project, job_id: str) -> dict[str, Any]:
    # SQLite keeps a UUID as 32 hex digits, PostgreSQL as a uuid (text with dashes).
    rows = query(
        project,
        "SELECT status, progress, stage, error, heartbeat_at, attempts, file"
        " FROM reports_renderjob WHERE CAST(id AS TEXT) = %s OR CAST(id AS TEXT) = %s",
        job_id,
        f"{job_id[:8]}-{job_id[8:12]}-{job_id[12:16]}-{job_id[16:20]}-{job_id[20:]}",
    )
    assert rows, f"no job {job_id}"
    status, progress, stage, error, heartbeat_at, attempts, file = rows[0]
    return {
        "status": status,
        "progress": progress,
        "stage": stage,
        "error": error,
        "heartbeat_at": str(heartbeat_at),
        "attempts": attempts,
        "file": file,
    }


def wait_for(what: str, check: Any, log: Path | None = None) -> Any:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


def kill_group(process: Any, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(timeout=60)


def test_a_job_whose_worker_is_killed_is_marked_failed_after_the_timeout_and_a_retry_finishes_it(
    project: Project, tmp_path: Path
) -> None:
    (job_id,) = project.shell(REQUEST_JOBS.format(count=1, fmt="pdf", extra_tasks=0)).split()
    log = tmp_path / "worker-a.log"
    worker = project.popen(
        "db_worker", "--interval", "0.2", "--no-startup-delay", log=log, FAKE_SOFFICE_SECONDS="600"
    )
    try:
        wait_for("the PDF stage", lambda: job_row(project, job_id)["progress"] == 70, log)
        first_beat = job_row(project, job_id)["heartbeat_at"]
        # A conversion slower than the stale limit is not taken for a dead worker: the
        # heartbeat thread keeps stamping the job while LibreOffice works.
        time.sleep(STALE + 0.5)
        alive = project.run("cleanup").stdout
        assert "ปิดเป็นไม่สำเร็จ 0 งาน" in alive
        running = job_row(project, job_id)
        assert running["status"] == "running"
        assert running["heartbeat_at"] > first_beat

        os.killpg(worker.pid, signal.SIGKILL)  # kill -9 the worker (and its LibreOffice)
        worker.wait(timeout=60)
    finally:
        kill_group(worker)

    stuck = job_row(project, job_id)
    assert (stuck["status"], stuck["progress"]) == ("running", 70)
    time.sleep(STALE + 0.5)
    swept = project.run("cleanup").stdout
    assert "งานจัดทำเอกสารที่ค้างและปิดเป็นไม่สำเร็จ 1 งาน" in swept
    failed = job_row(project, job_id)
    assert failed["status"] == "failed"
    assert "หยุดค้างที่ร้อยละ 70 (แปลงเป็น PDF)" in failed["error"]
    assert f"ไม่มีสัญญาณจากเครื่องที่จัดทำนานเกิน {STALE} วินาที" in failed["error"]
    # The queue's record of the killed worker's task says so too, instead of "running".
    assert query(
        project,
        "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult"
        " WHERE status <> %s",
        "SUCCESSFUL",
    ) == [("FAILED", "tidtam.reports.services.WorkerLost")]

    assert project.shell(RETRY.format(job_id=job_id)).strip() == "queued"
    log_b = tmp_path / "worker-b.log"
    second = project.popen(
        "db_worker", "--batch", "--no-startup-delay", log=log_b, FAKE_SOFFICE_SECONDS="0"
    )
    try:
        assert second.wait(timeout=WAIT_SECONDS) == 0, log_b.read_text(errors="replace")
    finally:
        kill_group(second)
    done = job_row(project, job_id)
    assert (done["status"], done["progress"], done["attempts"]) == ("done", 100, 2)
    assert (project.media_root / done["file"]).read_bytes().startswith(b"%PDF-1.4")


def test_two_workers_on_one_database_run_each_job_once(project: Project, tmp_path: Path) -> None:
    # Each job is queued twice, so both workers are offered every job at least once.
    jobs = project.shell(REQUEST_JOBS.format(count=6, fmt="json", extra_tasks=1)).split()
    assert len(jobs) == 6
    workers = [
        project.popen(
            "db_worker",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--worker-id",
            name,
            log=tmp_path / f"{name}.log",
        )
        for name in ("worker-1", "worker-2")
    ]
    try:
        wait_for(
            "all 12 tasks to finish",
            lambda: (
                query(
                    project,
                    "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = %s",
                    "SUCCESSFUL",
                )[0][0]
                == 12
            ),
            tmp_path / "worker-1.log",
        )
    finally:
        for worker in workers:
            kill_group(worker, signal.SIGTERM)
    rows = [job_row(project, job_id) for job_id in jobs]
    assert [(row["status"], row["attempts"]) for row in rows] == [("done", 1)] * 6
    # Every task was taken by exactly one worker, and both workers took some.
    taken = query(
        project,
        "SELECT worker_ids FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at",
    )
    assert len(taken) == 12
    assert all(str(ids).count("worker-") == 1 for (ids,) in taken), taken
