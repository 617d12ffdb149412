"""PDF from our DOCX by LibreOffice headless, drawn with Sarabun.

LibreOffice writes a correct Thai text layer (WeasyPrint loses ำ in copied text). It runs with a
private fontconfig file, so "TH Sarabun New" means our Sarabun and not a system alias.

A process starts LibreOffice once and hands it every conversion (`OfficeServer`): a start costs
about 1.4 CPU-seconds, a conversion by a running LibreOffice about 0.25. The hand-over is
LibreOffice's own: a second `soffice --convert-to` with the same profile passes its command line
to the running instance through its single-instance pipe and returns once the file is written.
Where LibreOffice cannot be kept running, each conversion starts its own, in a profile of its own.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from tidtam.domain.errors import DomainError
from tidtam.reports.render.fonts import DOCUMENT_FONT, RENDER_FONT, RENDER_SCALE, fontconfig_file

TIMEOUT_SECONDS = 180
logger = logging.getLogger(__name__)
_SIZE = re.compile(rb'(<w:(?:sz|szCs) w:val=")(\d+)(")')


def office_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _scaled(match: re.Match[bytes]) -> bytes:
    half_points = round(int(match.group(2)) * RENDER_SCALE)
    return match.group(1) + str(max(half_points, 1)).encode() + match.group(3)


def sarabun_profile(docx: bytes) -> bytes:
    """The same document with Sarabun named and sized to look like TH Sarabun New.

    The DOCX people download names TH Sarabun New at 16 pt so that offices' Word uses their
    own font; Sarabun, which tidtam draws with, is about 1.5 times larger at the same size.
    """
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename in ("word/styles.xml", "word/document.xml"):
                content = content.replace(DOCUMENT_FONT.encode(), RENDER_FONT.encode())
                content = _SIZE.sub(_scaled, content)
            target.writestr(item, content)
    return out.getvalue()


# Every temp folder tidtam makes starts with this and the owning process id, so that
# `tidtam cleanup` can tell a dead process's leftovers from a live render's.
TEMP_PREFIX = "tidtam-"


def temp_prefix(kind: str) -> str:
    return f"{TEMP_PREFIX}{kind}-{os.getpid()}-"


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert with LibreOffice; a clear Thai error when it is missing or fails.

    The document and its PDF live in a folder of their own, removed on success, on failure and
    on a timeout; LibreOffice's profile, caches and temp files live in the running LibreOffice's
    folder (`OfficeServer`), or, without one, in this folder too.
    """
    binary = office_binary()
    if binary is None:
        raise DomainError("office_missing")
    # ignore_cleanup_errors: a LibreOffice child still closing files must not turn a finished
    # conversion into a failure; `tidtam cleanup` removes what is left once the process is gone.
    with tempfile.TemporaryDirectory(prefix=temp_prefix("pdf"), ignore_cleanup_errors=True) as work:
        folder = Path(work)
        source = folder / "document.docx"
        source.write_bytes(sarabun_profile(docx))
        convert = ["--convert-to", "pdf:writer_pdf_Export", "--outdir", str(folder), str(source)]
        with OFFICE.running(binary) as office:
            if office is not None:
                returncode, output = office.convert(convert)
            else:
                returncode, output = _run_office(
                    [binary, *_profile_args(folder), *convert], _office_env(folder)
                )
        result = folder / "document.pdf"
        if returncode != 0 or not result.exists():
            detail = output.decode(errors="replace").strip()
            raise DomainError("office_failed", detail=detail[-300:] or f"รหัส {returncode}")
        return result.read_bytes()


# LibreOffice makes its single-instance pipe here whatever TMPDIR says, and removes it only when it
# ends by itself: stopped with a signal, as OfficeServer stops it, it leaves the socket file.
PIPE_DIR = Path("/tmp")
PIPES_FILE = "pipes"  # in a running LibreOffice's folder: the pipes it made


def _pipe_prefix() -> str:
    return f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_"


def office_pipes() -> set[Path]:
    """This user's LibreOffice single-instance pipes (one per profile in use)."""
    return set(PIPE_DIR.glob(f"{_pipe_prefix()}*"))


def remove_stale_pipes(pipes: Iterable[Path], *, wait: float = 0) -> None:
    """Remove those of `pipes` (this user's LibreOffice pipes only) that no LibreOffice listens
    on any more, waiting up to `wait` seconds for a LibreOffice that is still ending."""
    left = [p for p in pipes if p.parent == PIPE_DIR and p.name.startswith(_pipe_prefix())]
    deadline = time.monotonic() + wait
    while True:
        left = [pipe for pipe in left if not _removed_if_stale(pipe)]
        if not left or time.monotonic() >= deadline:
            return
        time.sleep(0.05)


def _removed_if_stale(pipe: Path) -> bool:
    with socket.socket(socket.AF_UNIX) as probe:
        probe.settimeout(1)
        try:
            probe.connect(str(pipe))
        except ConnectionRefusedError:
            pipe.unlink(missing_ok=True)
            return True
        except OSError:
            return True  # gone already, or not a socket LibreOffice made
    return False


def _office_env(folder: Path) -> dict[str, str]:
    """LibreOffice's environment: our fonts only, and everything it writes under `folder`."""
    scratch = folder / "tmp"
    scratch.mkdir(exist_ok=True)
    return {
        **os.environ,
        "FONTCONFIG_FILE": str(fontconfig_file()),
        "HOME": str(folder),  # LibreOffice writes caches under HOME
        "TMPDIR": str(scratch),  # and its lu*.tmp files here, not in the system temp folder
    }


def _profile_args(folder: Path) -> list[str]:
    return [f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore"]


class _Running:
    """The running LibreOffice a conversion is handed to."""

    def __init__(self, server: OfficeServer, binary: str, folder: Path) -> None:
        self.server, self.binary, self.folder = server, binary, folder

    def convert(self, convert: list[str]) -> tuple[int, bytes]:
        log = self.folder / "office.log"
        start = log.stat().st_size if log.exists() else 0
        try:
            returncode, output = _run_office(
                [self.binary, *_profile_args(self.folder), *convert], _office_env(self.folder)
            )
        except DomainError:
            self.server.stop()  # stuck on this document: the next conversion starts afresh
            raise
        # The running LibreOffice says what went wrong in its own output, not in the client's.
        with contextlib.suppress(OSError), log.open("rb") as said:
            said.seek(start)
            output = output + said.read()
        return returncode, output


class OfficeServer:
    """One LibreOffice for the process, started by its first conversion and kept for the next.

    It keeps a small text file open, because a LibreOffice with no document left ends after the
    conversion it was handed. It is stopped when the process exits, after IDLE_SECONDS without a
    conversion, and after RESTART_AFTER conversions (a long-running LibreOffice grows). A process
    killed with kill -9 leaves it running: `tidtam cleanup` stops it with its folder.
    """

    START_SECONDS = 60
    IDLE_SECONDS = 600
    RESTART_AFTER = 200

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)
        atexit.register(self.stop)

    def _reset(self) -> None:
        # A forked child gets a LibreOffice of its own; its parent's stays the parent's.
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._folder: Path | None = None
        self._binary = ""
        self._in_flight = 0
        self._conversions = 0
        self._unavailable: set[str] = set()
        self._pipes: set[Path] = set()
        self._idle: threading.Timer | None = None

    @contextlib.contextmanager
    def running(self, binary: str) -> Iterator[_Running | None]:
        """The running LibreOffice (started if need be), or None where it cannot be kept running."""
        with self._lock:
            folder = self._ensure(binary)
            if folder is not None:
                self._in_flight += 1
                if self._idle is not None:
                    self._idle.cancel()
        if folder is None:
            yield None
            return
        try:
            yield _Running(self, binary, folder)
        finally:
            with self._lock:
                self._in_flight -= 1
                self._conversions += 1
                if self._in_flight == 0 and self._process is not None:
                    if self._conversions >= self.RESTART_AFTER:
                        self._stop_locked()
                    else:
                        self._idle = threading.Timer(self.IDLE_SECONDS, self._stop_if_idle)
                        self._idle.daemon = True
                        self._idle.start()

    def _ensure(self, binary: str) -> Path | None:
        if self._process is not None and self._process.poll() is None and self._binary == binary:
            return self._folder
        if self._in_flight == 0:
            self._stop_locked()
        elif self._process is not None:
            return None  # another thread's conversion still uses the old one: start its own
        if binary in self._unavailable:
            return None
        folder = Path(tempfile.mkdtemp(prefix=temp_prefix("office")))
        keep = folder / "keep.txt"
        keep.write_text("tidtam\n", encoding="utf-8")
        # LibreOffice marks a document it has opened with a lock file beside it: then it is up.
        # A conversion must not be handed over before: it could become the running instance
        # itself, and this one would hand it its document and leave it running.
        opened = folder / f".~lock.{keep.name}#"
        pipes_before = office_pipes()
        with (folder / "office.log").open("ab") as log:
            process = subprocess.Popen(
                [binary, *_profile_args(folder), "--nologo", str(keep)],
                env=_office_env(folder),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + self.START_SECONDS
        while not opened.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        self._process, self._folder, self._binary, self._conversions = process, folder, binary, 0
        # Its pipe, to remove once it is stopped (`tidtam cleanup` reads the file after a kill -9).
        self._pipes = office_pipes() - pipes_before
        (folder / PIPES_FILE).write_text("".join(f"{pipe}\n" for pipe in self._pipes))
        if not opened.exists() or process.poll() is not None:
            logger.warning(
                "LibreOffice (%s) did not stay running: each PDF starts its own from now on", binary
            )
            self._stop_locked()
            self._unavailable.add(binary)
            return None
        return folder

    def _stop_if_idle(self) -> None:
        with self._lock:
            if self._in_flight == 0:
                self._stop_locked()

    def stop(self) -> None:
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        process, folder = self._process, self._folder
        self._process, self._folder = None, None
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                _kill_group(process)
        # Its last threads may still be ending after the process group's leader has.
        remove_stale_pipes(self._pipes, wait=5)
        self._pipes = set()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


OFFICE = OfficeServer()


def _run_office(command: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run LibreOffice in its own process group, so that a timeout stops all of it
    (soffice starts oosplash and soffice.bin; killing only the first leaves them writing)."""
    process = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as error:
        _kill_group(process)
        raise DomainError("office_failed", detail=f"เกิน {TIMEOUT_SECONDS} วินาที") from error
    except BaseException:
        # The worker is stopping (Ctrl+C, SIGTERM): do not leave LibreOffice behind.
        _kill_group(process)
        raise
    return process.returncode, stderr or stdout


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
