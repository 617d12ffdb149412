"""Files survive faults: a rolled-back save leaves no evidence file, `tidtam cleanup` removes what
crashes left, renders leave no temp folders, and a job whose worker died is failed and retried."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.app.conftest import signed_in
from tidtam.domain.errors import DomainError
from tidtam.orgs.models import Organization
from tidtam.periods.models import Round
from tidtam.plans.models import WorkItem
from tidtam.progress.models import Evidence, ProgressEntry
from tidtam.reports.models import RenderJob
from tidtam.reports.render.pdf import office_pipe

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

MAINTENANCE = "โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
HOUR_AGO = time.time() - 3600


@pytest.fixture(autouse=True)
def folders(tmp_path: Path) -> Iterator[Path]:
    with override_settings(
        DEMO_TODAY="2024-04-08",
        EVIDENCE_ROOT=tmp_path / "evidence",
        MEDIA_ROOT=tmp_path / "media",
    ):
        yield tmp_path


@pytest.fixture
def open_round() -> Round:
    try:
        # Rounds per organisation's calendar (issue 9, point 1): opened as its planner does.
        from tests.app.conftest import open_round_for  # type: ignore[attr-defined]
    except ImportError:
        round_ = Round.objects.get(fiscal_year__year=2567, months=6)
        round_.is_open = True  # type: ignore[attr-defined]
        round_.save()
        return round_
    opened: Round = open_round_for(2567, 6)
    return opened


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def entry_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "result_text": "ดำเนินการได้ 9 กิจกรรม",
        "result_text_annual": "",
        "result_quantity": "๙",
        "percent_round": "",
        "percent_annual": "",
        "percent_note": "",
        "explanation": "",
        "submit": "0",
    }
    data.update(changes)
    return data


# --- evidence files follow their transaction ---------------------------------------------------


def test_a_save_with_one_good_and_one_bad_file_leaves_the_evidence_folder_exactly_as_before(
    client: Client, open_round: Round, folders: Path
) -> None:
    item = WorkItem.objects.get(name=MAINTENANCE)
    url = reverse("progress:entry", args=[item.pk, open_round.pk])
    reporter = signed_in(client, "reporter")
    first = reporter.post(
        url, entry_form(evidence=[SimpleUploadedFile("ครั้งแรก.pdf", PDF, "application/pdf")])
    )
    assert first.status_code == 302, first.content.decode()[:2000]
    evidence_root = folders / "evidence"
    before = files_under(evidence_root)
    assert len(before) == 1  # the first save's file, named by its row

    good = SimpleUploadedFile("ดี.pdf", PDF, "application/pdf")
    bad = SimpleUploadedFile("หลักฐาน.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = reporter.post(url, entry_form(result_quantity="๑๐", evidence=[good, bad]))

    assert "ไฟล์ &quot;หลักฐาน.pdf&quot; มีนามสกุล .PDF แต่เนื้อไฟล์ไม่ใช่ไฟล์ PDF" in (
        response.content.decode()
    )
    assert files_under(evidence_root) == before
    assert Evidence.objects.count() == 1
    assert ProgressEntry.objects.get(work_item=item, round=open_round).result_quantity == 9


# --- tidtam cleanup ---------------------------------------------------------------------------


def make_file(path: Path, content: bytes = PDF, *, mtime: float = HOUR_AGO) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    os.utime(path, (mtime, mtime))
    return path


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_cleanup_lists_then_removes_files_without_rows_and_dead_processes_temp_folders(
    folders: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = folders / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    evidence_root, media_root = folders / "evidence", folders / "media"
    kept = Evidence.objects.create(
        content_type_id=1, object_id=1, file="2024/04/kept.pdf", original_name="ก.pdf", size=3
    )
    make_file(evidence_root / kept.file.name)
    orphan = make_file(evidence_root / "2024/04/crashed.pdf")  # a crash between file and row
    young = make_file(evidence_root / "2024/04/being-saved.pdf", mtime=time.time())
    job = RenderJob.objects.create(
        document="quarterly",
        organization=Organization.objects.get(code="onesqa"),
        fiscal_year=2567,
        format="docx",
        file="reports/2024/04/kept.docx",
    )
    make_file(media_root / job.file.name)
    rendered_orphan = make_file(media_root / "reports/2024/04/crashed.docx")
    dead = temp / f"tidtam-pdf-{dead_pid()}-abc"
    (dead / "profile").mkdir(parents=True)
    live = temp / f"tidtam-fonts-{os.getpid()}-def"
    live.mkdir()
    other = temp / "someone-else"
    other.mkdir()

    listed = StringIO()
    call_command("cleanup", "--dry-run", stdout=listed)
    lines = listed.getvalue().splitlines()
    assert lines[:3] == [
        f"จะลบ: ไฟล์หลักฐานที่ไม่มีรายการหลักฐานอ้างถึง {orphan}",
        f"จะลบ: ไฟล์เอกสารที่ไม่มีงานจัดทำเอกสารอ้างถึง {rendered_orphan}",
        f"จะลบ: โฟลเดอร์ชั่วคราวของโปรเซสที่หยุดไปแล้ว {dead}",
    ]
    assert "ไม่ได้ลบสิ่งใด (--dry-run)" in lines[3]
    assert orphan.exists() and rendered_orphan.exists() and dead.exists()

    out = StringIO()
    call_command("cleanup", stdout=out)
    assert out.getvalue().splitlines()[-1] == (
        "เสร็จแล้ว: ไฟล์หลักฐาน 1 ไฟล์ ไฟล์เอกสาร 1 ไฟล์ โฟลเดอร์ชั่วคราว 1 โฟลเดอร์"
        " งานจัดทำเอกสารที่ค้างและปิดเป็นไม่สำเร็จ 0 งาน"
    )
    assert files_under(evidence_root) == ["2024/04/being-saved.pdf", "2024/04/kept.pdf"]
    assert young.exists()
    assert files_under(media_root) == ["reports/2024/04/kept.docx"]
    assert sorted(p.name for p in temp.iterdir()) == sorted([live.name, other.name])


# --- renders leave no temp folders --------------------------------------------------------


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temp folder of the test's own, for this process and the LibreOffice it starts (the
    process's running LibreOffice is stopped first, so that the test starts its own here)."""
    from tidtam.reports.render import fonts, pdf

    temp = tmp_path / "system-tmp"
    temp.mkdir()
    pdf.OFFICE.stop_all()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    fonts.fontconfig_file.cache_clear()
    yield temp
    pdf.OFFICE.stop_all()
    fonts.fontconfig_file.cache_clear()


def docx_of_the_quarterly_report() -> bytes:
    from tidtam.reports.documents import DOCUMENTS
    from tidtam.reports.render import render

    return render(DOCUMENTS["quarterly"].data("onesqa", 2567, 6), "docx")


def office_processes() -> list[int]:
    """This machine's LibreOffice processes (soffice.bin), by /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and b"soffice" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.usefixtures("office")
def test_a_process_starts_libreoffice_once_converts_with_it_and_stops_it_when_it_ends(
    tmp_path: Path,
) -> None:
    """A process's conversions are handed to the LibreOffice its first one started: the same PDF
    as a LibreOffice of its own gives, and no new profile, folder or lu*.tmp file for the second.
    The process ends, and so do its LibreOffice and its folders."""
    script = """
import os, sys, time
from pathlib import Path
from tidtam.reports.render import pdf
docx, out, temp = Path(sys.argv[1]).read_bytes(), Path(sys.argv[2]), Path(sys.argv[3])

def listing():
    return sorted(str(p.relative_to(temp)) for p in temp.rglob("*") if "profile" not in p.parts)

pdf.OFFICE._unavailable[pdf.office_binary()] = time.monotonic()  # one of its own for this one
(out / "alone.pdf").write_bytes(pdf.docx_to_pdf(docx))
assert [p.name.split("-")[1] for p in temp.iterdir()] == ["fonts"], listing()
pdf.OFFICE._unavailable.clear()
(out / "first.pdf").write_bytes(pdf.docx_to_pdf(docx))
running, after_first = pdf.OFFICE.process.pid, listing()
(out / "second.pdf").write_bytes(pdf.docx_to_pdf(docx))
assert pdf.OFFICE.process.pid == running, "a second LibreOffice was started"
assert listing() == after_first, (after_first, listing())
# Three threads at once (a web server's), all handed to the same LibreOffice.
from concurrent.futures import ThreadPoolExecutor
with ThreadPoolExecutor(3) as pool:
    for number, made in enumerate(pool.map(pdf.docx_to_pdf, [docx] * 3)):
        (out / f"thread-{number}.pdf").write_bytes(made)
assert pdf.OFFICE.process.pid == running, "a thread started a LibreOffice of its own"
print(pdf.OFFICE.folder)
"""
    (tmp_path / "document.docx").write_bytes(docx_of_the_quarterly_report())
    temp = tmp_path / "tmp"
    temp.mkdir()
    printed = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "document.docx"), str(tmp_path), str(temp)],
        env={**os.environ, "TMPDIR": str(temp)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert printed.returncode == 0, printed.stderr
    folder = Path(printed.stdout.strip())
    pipe = office_pipe(folder)
    assert folder.parent == temp and folder.name.startswith("tidtam-office-")
    texts = {
        name: subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / f"{name}.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for name in ("alone", "first", "second", "thread-0", "thread-1", "thread-2")
    }
    assert "ผลการดำเนินงาน" in texts["alone"]
    assert set(texts.values()) == {texts["alone"]}
    # Its process gone, the LibreOffice it kept running is gone, and so are its folders and
    # its single-instance pipe.
    assert [pid for pid in office_processes() if str(folder).encode() in cmdline(pid)] == []
    assert list(temp.iterdir()) == []
    assert not pipe.exists()


@pytest.mark.usefixtures("office")
def test_cleanup_stops_the_libreoffice_a_killed_process_left_running(
    private_tmp: Path, tmp_path: Path
) -> None:
    script = """
import sys, time
from pathlib import Path
from tidtam.reports.render import pdf
pdf.docx_to_pdf(Path(sys.argv[1]).read_bytes())
print(pdf.OFFICE.folder, flush=True)
time.sleep(600)
"""
    (tmp_path / "document.docx").write_bytes(docx_of_the_quarterly_report())
    owner = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path / "document.docx")],
        env={**os.environ, "TMPDIR": str(private_tmp)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert owner.stdout is not None
        folder = Path(owner.stdout.readline().strip())
    finally:
        owner.kill()  # kill -9: no atexit, its LibreOffice keeps running
        owner.wait()
    left = [pid for pid in office_processes() if str(folder).encode() in cmdline(pid)]
    pipe = office_pipe(folder)
    assert left and folder.exists() and pipe.exists()
    # Someone reading its log names the folder too: not a LibreOffice, not stopped.
    reader = subprocess.Popen(["sh", "-c", "sleep 60", str(folder / "office.log")])
    try:
        out = StringIO()
        call_command("cleanup", stdout=out)
        said = out.getvalue()
        assert f"ลบแล้ว: โฟลเดอร์ชั่วคราวของโปรเซสที่หยุดไปแล้ว {folder}" in said
        for pid in left:
            assert f"หยุดแล้ว: โปรเซส {pid} " in said
        deadline = time.monotonic() + 30
        while any(str(folder).encode() in cmdline(pid) for pid in office_processes()):
            assert time.monotonic() < deadline, "LibreOffice still running"
            time.sleep(0.1)
        assert not folder.exists()
        assert not pipe.exists()
        assert reader.poll() is None
    finally:
        reader.kill()
        for pid in office_processes():
            if str(folder).encode() in cmdline(pid):
                os.kill(pid, signal.SIGKILL)


def cmdline(pid: int) -> bytes:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return b""


def test_a_failed_conversion_removes_its_temp_folder_too(
    private_tmp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tidtam.reports.render.pdf import docx_to_pdf

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    soffice = bin_dir / "soffice"
    # Writes into its TMPDIR and its profile, then fails, as a crashing LibreOffice would.
    soffice.write_text(
        '#!/bin/sh\necho scratch > "$TMPDIR/lu123.tmp"\necho "ข้อผิดพลาดทดสอบ" >&2\nexit 3\n'
    )
    soffice.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    with pytest.raises(DomainError) as raised:
        docx_to_pdf(docx_of_the_quarterly_report())

    assert raised.value.code == "office_failed"
    assert "ข้อผิดพลาดทดสอบ" in raised.value.params["detail"]
    assert [p.name for p in private_tmp.iterdir() if not p.name.startswith("tidtam-fonts-")] == []


# A stand-in LibreOffice that stays up: started with a document, it marks it open (the lock file
# LibreOffice writes) and waits; handed a conversion, it writes the PDF after FAKE_SECONDS.
STAYING_SOFFICE = """#!/bin/sh
case "$*" in
  *--convert-to*)
    echo "$$ conversion" >> "$FAKE_PIDS"
    while [ $# -gt 0 ]; do case "$1" in --outdir) shift; outdir="$1" ;; esac; shift; done
    sleep "${FAKE_SECONDS:-0}"
    printf '%%PDF-1.4 stand-in' > "$outdir/document.pdf" ;;
  *)
    echo "$$ server" >> "$FAKE_PIDS"
    for arg in "$@"; do document="$arg"; done
    sleep "${FAKE_START_SECONDS:-0}"
    touch "$(dirname "$document")/.~lock.$(basename "$document")#"
    exec sleep 300 ;;
esac
"""


@pytest.fixture
def staying_office(
    private_tmp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """The stand-in on PATH; yields the file each of its processes writes its pid to."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    soffice = bin_dir / "soffice"
    soffice.write_text(STAYING_SOFFICE)
    soffice.chmod(0o755)
    pids = tmp_path / "pids"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_PIDS", str(pids))
    yield pids
    for line in pids.read_text().splitlines() if pids.exists() else []:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(line.split()[0]), signal.SIGKILL)


def small_docx() -> bytes:
    """A zip with a document part: all the stand-in needs (it never opens it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as docx:
        docx.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().split(") ")[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def started(pids: Path) -> list[int]:
    """The stand-in's processes that were started as the running LibreOffice, in order."""
    found = []
    for line in pids.read_text().splitlines() if pids.exists() else []:
        pid, kind = line.split()
        if kind == "server":
            found.append(int(pid))
    return found


def test_a_conversion_that_does_not_end_stops_the_running_libreoffice_and_the_next_starts_afresh(
    staying_office: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tidtam.reports.render import pdf

    assert pdf.docx_to_pdf(small_docx()).startswith(b"%PDF")
    (server,) = started(staying_office)
    assert pdf.OFFICE.process is not None and pdf.OFFICE.process.pid == server
    monkeypatch.setattr(pdf, "TIMEOUT_SECONDS", 1)
    monkeypatch.setenv("FAKE_SECONDS", "30")
    with pytest.raises(DomainError) as raised:
        pdf.docx_to_pdf(small_docx())
    assert raised.value.params["detail"] == "เกิน 1 วินาที"
    assert pdf.OFFICE.process is None and not alive(server)
    assert [p.name.split("-")[1] for p in private_tmp.iterdir()] == ["fonts"]

    monkeypatch.setenv("FAKE_SECONDS", "0")
    assert pdf.docx_to_pdf(small_docx()).startswith(b"%PDF")
    assert started(staying_office)[1:] == [pdf.OFFICE.process.pid] != [server]


def test_the_running_libreoffice_is_replaced_after_its_share_of_conversions_and_stops_when_idle(
    staying_office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tidtam.reports.render import pdf

    monkeypatch.setattr(pdf.OFFICE, "RESTART_AFTER", 2)
    for _ in range(3):
        assert pdf.docx_to_pdf(small_docx()).startswith(b"%PDF")
    # The third conversion went to a new one; the first, its two done, was stopped.
    first, second = started(staying_office)
    assert not alive(first) and alive(second) and pdf.OFFICE.process.pid == second
    monkeypatch.setattr(pdf.OFFICE, "IDLE_SECONDS", 0.5)
    assert pdf.docx_to_pdf(small_docx()).startswith(b"%PDF")
    deadline = time.monotonic() + 10
    while alive(second):
        assert time.monotonic() < deadline, "still running after its idle time"
        time.sleep(0.05)
    assert pdf.OFFICE.process is None
    assert started(staying_office) == [first, second]


def test_a_start_cut_short_leaves_no_libreoffice_running(
    staying_office: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+C, or a worker's second SIGTERM, while LibreOffice starts: it is stopped too."""
    from tidtam.reports.render import pdf

    monkeypatch.setenv("FAKE_START_SECONDS", "5")  # not up yet when the interrupt comes

    real_sleep, interrupts = time.sleep, []

    def interrupted(seconds: float) -> None:
        if started(staying_office) and not interrupts:
            interrupts.append(seconds)
            raise KeyboardInterrupt  # once: stopping it may wait too
        real_sleep(seconds)

    with pytest.MonkeyPatch.context() as patch, pytest.raises(KeyboardInterrupt):
        patch.setattr(pdf.time, "sleep", interrupted)
        pdf.docx_to_pdf(small_docx())
    (server,) = started(staying_office)
    assert not alive(server) and pdf.OFFICE.process is None
    assert [p.name.split("-")[1] for p in private_tmp.iterdir()] == ["fonts"]


def test_stopping_the_running_libreoffice_while_another_thread_converts(
    staying_office: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The conversion in flight ends (here the stand-in still writes its PDF) and its folder is
    kept until it has; the next conversion starts another LibreOffice."""
    from tidtam.reports.render import pdf

    assert pdf.docx_to_pdf(small_docx()).startswith(b"%PDF")
    (server,) = started(staying_office)
    folder = pdf.OFFICE.folder
    assert folder is not None
    monkeypatch.setenv("FAKE_SECONDS", "1")
    results: list[object] = []
    worker = threading.Thread(target=lambda: results.append(pdf.docx_to_pdf(small_docx())))
    worker.start()
    deadline = time.monotonic() + 10
    while not (pdf.OFFICE._current is not None and pdf.OFFICE._current.users):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    pdf.OFFICE.stop()  # as a timeout of another conversion would
    assert not alive(server) and folder.exists()
    worker.join(30)
    assert results and bytes(results[0]).startswith(b"%PDF")  # type: ignore[call-overload]
    assert not folder.exists()
    monkeypatch.setenv("FAKE_SECONDS", "0")
    assert pdf.docx_to_pdf(small_docx()).startswith(b"%PDF")
    assert started(staying_office)[1:] == [pdf.OFFICE.process.pid]


def test_the_fonts_folder_is_removed_when_the_process_ends(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tidtam.reports.render.fonts import fontconfig_file as f;"
            "assert f() == f(); print(f().parent)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(printed).parent == tmp_path
    assert list(tmp_path.iterdir()) == []


# --- a job whose worker died: failed with a reason, and a retry ------------------------------


def stuck_job(username: str, *, seconds_silent: float) -> RenderJob:
    from django.contrib.auth import get_user_model

    return RenderJob.objects.create(
        document="quarterly",
        organization=Organization.objects.get(code="onesqa"),
        fiscal_year=2567,
        round_months=6,
        format="pdf",
        requested_by=get_user_model().objects.get(username=username),
        status=RenderJob.Status.RUNNING,
        progress=70,
        stage="แปลงเป็น PDF",
        attempts=1,
        heartbeat_at=timezone.now() - timedelta(seconds=seconds_silent),
    )


@override_settings(RENDER_JOB_STALE_SECONDS=120)
def test_the_documents_page_fails_a_silent_job_and_offers_a_retry_that_queues_it_again(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    silent = stuck_job("planner", seconds_silent=121)
    working = stuck_job("planner", seconds_silent=30)
    planner = signed_in(client, "planner")

    page = planner.get(reverse("reports:documents")).content.decode()

    silent.refresh_from_db()
    working.refresh_from_db()
    assert silent.status == RenderJob.Status.FAILED
    assert working.status == RenderJob.Status.RUNNING
    reason = "งานจัดทำเอกสารนี้หยุดค้างที่ร้อยละ 70 (แปลงเป็น PDF) เพราะไม่มีสัญญาณจากเครื่องที่จัดทำนานเกิน 120 วินาที"
    assert silent.error.startswith(reason)
    assert reason in page
    retry_url = reverse("reports:job_retry", args=[silent.pk])
    assert f'action="{retry_url}"' in page
    assert reverse("reports:job_retry", args=[working.pk]) not in page

    # Someone who cannot ask for this organisation's documents cannot retry them either.
    assert signed_in(Client(), "bic-planner").post(retry_url).status_code == 404
    # Only a POST retries.
    assert planner.get(retry_url).status_code == 405

    tasks_before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = planner.post(retry_url)
    assert response.status_code == 302
    silent.refresh_from_db()
    assert (silent.status, silent.progress, silent.error) == (RenderJob.Status.QUEUED, 0, "")
    assert DBTaskResult.objects.count() == tasks_before + 1
    task = DBTaskResult.objects.get(pk=silent.task_result_id)
    assert (task.task_path, task.args_kwargs["args"]) == (
        "tidtam.reports.tasks.render_document",
        [str(silent.pk)],
    )

    again = planner.post(retry_url)
    assert again.status_code == 409
    assert "อยู่ในสถานะ &quot;รอคิว&quot; จึงสั่งจัดทำอีกครั้งไม่ได้" in again.content.decode()
