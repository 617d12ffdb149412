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
import hashlib
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
from collections.abc import Iterator
from dataclasses import dataclass
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


def office_pipe(folder: Path) -> Path:
    """The single-instance pipe of a LibreOffice whose profile is in `folder`: LibreOffice names
    it by the MD5 of its profile's URL in UTF-16, each byte in hex without a leading zero."""
    digest = hashlib.md5(_profile_uri(folder).encode("utf-16-le"), usedforsecurity=False)
    name = "".join(format(byte, "x") for byte in digest.digest())
    return PIPE_DIR / f"OSL_PIPE_{os.getuid()}_SingleOfficeIPC_{name}"


def remove_stale_pipe(pipe: Path, *, wait: float = 0) -> None:
    """Remove the pipe once no LibreOffice listens on it, waiting up to `wait` seconds for one
    that is still ending (its last threads hold the socket after its first has ended)."""
    deadline = time.monotonic() + wait
    while not _removed_if_stale(pipe) and time.monotonic() < deadline:
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
            return True  # gone already
    return False


def _profile_uri(folder: Path) -> str:
    return (folder / "profile").as_uri()


def profile_arg(folder: Path) -> str:
    """The argument that gives LibreOffice its profile in `folder` (`tidtam cleanup` looks for it)."""
    return f"-env:UserInstallation={_profile_uri(folder)}"


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
    return [profile_arg(folder), "--headless", "--norestore"]


@dataclass(eq=False)
class _Office:
    """One LibreOffice started by OfficeServer, and the conversions using it."""

    process: subprocess.Popen[bytes]
    folder: Path
    binary: str
    users: int = 0
    conversions: int = 0
    ended: bool = False  # its process stopped; its folder goes when its last user has left

    def convert(self, convert: list[str]) -> tuple[int, bytes]:
        """Hand it a conversion: `soffice` with its profile passes the command line over."""
        log = self.folder / "office.log"
        start = log.stat().st_size if log.exists() else 0
        returncode, output = _run_office(
            [self.binary, *_profile_args(self.folder), *convert], _office_env(self.folder)
        )
        # The running LibreOffice says what went wrong in its own output, not in the client's;
        # its lines of other conversions ("convert … -> …") are left out.
        with contextlib.suppress(OSError), log.open("rb") as said:
            said.seek(start)
            lines = said.read().splitlines(keepends=True)
            output += b"".join(line for line in lines if not line.startswith(b"convert "))
        return returncode, output


class OfficeServer:
    """One LibreOffice for the process, started by its first conversion and kept for the next.

    It keeps a small text file open, because a LibreOffice with no document left ends after the
    conversion it was handed. It is stopped when the process exits and when a conversion handed
    to it does not end; it is retired (stopped once the conversions using it are done, while
    the next ones start another) after IDLE_SECONDS without a conversion and after
    RESTART_AFTER conversions (a long-running LibreOffice grows). A process killed with kill -9
    leaves it running: `tidtam cleanup` stops it with its folder.
    """

    START_SECONDS = 60
    IDLE_SECONDS = 600
    RESTART_AFTER = 200
    RETRY_AFTER_SECONDS = 600  # after a LibreOffice that did not stay up

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)
        atexit.register(self.stop_all)

    def _reset(self) -> None:
        # A forked child gets a LibreOffice of its own; its parent's stays the parent's.
        self._lock = threading.Lock()
        self._current: _Office | None = None
        self._offices: set[_Office] = set()  # every one whose folder is still there
        self._unavailable: dict[str, float] = {}
        self._idle: threading.Timer | None = None

    @contextlib.contextmanager
    def running(self, binary: str) -> Iterator[_Office | None]:
        """The running LibreOffice (started if need be), or None where it cannot be kept running."""
        with self._lock:
            office = self._office(binary)
            if office is not None:
                office.users += 1
                self._cancel_idle()
        if office is None:
            yield None
            return
        try:
            yield office
        except DomainError:
            self.stop(office)  # a conversion that did not end: the next one starts afresh
            raise
        finally:
            with self._lock:
                office.users -= 1
                office.conversions += 1
                if office is not self._current or office.ended:
                    if office.users == 0:
                        self._end(office)
                elif office.users == 0:
                    self._idle = threading.Timer(self.IDLE_SECONDS, self._retire_if_idle, [office])
                    self._idle.daemon = True
                    self._idle.start()

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        """The running LibreOffice's process (None when none is running)."""
        return self._current.process if self._current is not None else None

    @property
    def folder(self) -> Path | None:
        """The running LibreOffice's folder (None when none is running)."""
        return self._current.folder if self._current is not None else None

    def _office(self, binary: str) -> _Office | None:
        office = self._current
        if office is not None:
            if (
                office.process.poll() is None
                and office.binary == binary
                and office.conversions + office.users < self.RESTART_AFTER
            ):
                return office
            self._retire(office)
        failed_at = self._unavailable.get(binary)
        if failed_at is not None and time.monotonic() - failed_at < self.RETRY_AFTER_SECONDS:
            return None
        self._current = self._start(binary)
        if self._current is None:
            self._unavailable[binary] = time.monotonic()
        return self._current

    def _start(self, binary: str) -> _Office | None:
        folder = Path(tempfile.mkdtemp(prefix=temp_prefix("office")))
        keep = folder / "keep.txt"
        keep.write_text("tidtam\n", encoding="utf-8")
        # LibreOffice marks a document it has opened with a lock file beside it: then it is up.
        # A conversion must not be handed over before: it could become the running instance
        # itself, and this one would hand it its document and leave it running.
        opened = folder / f".~lock.{keep.name}#"
        try:
            with (folder / "office.log").open("ab") as log:
                process = subprocess.Popen(
                    [binary, *_profile_args(folder), "--nologo", str(keep)],
                    env=_office_env(folder),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
            return None  # the conversion's own start says why
        office = _Office(process, folder, binary)
        self._offices.add(office)
        try:
            deadline = time.monotonic() + self.START_SECONDS
            while not opened.exists() and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
        except BaseException:
            self._end(office)  # interrupted (Ctrl+C, a second SIGTERM): nothing else would
            raise
        if not opened.exists() or process.poll() is not None:
            logger.warning("LibreOffice (%s) did not stay running: each PDF starts its own", binary)
            self._end(office)
            return None
        return office

    def _cancel_idle(self) -> None:
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None

    def _retire_if_idle(self, office: _Office) -> None:
        with self._lock:
            if office is self._current and office.users == 0:
                self._retire(office)

    def _detach(self, office: _Office) -> None:
        """No new conversion goes to it."""
        if office is self._current:
            self._current = None
            self._cancel_idle()

    def _retire(self, office: _Office) -> None:
        """No new conversion goes to it; it is stopped once the ones using it are done."""
        self._detach(office)
        if office.users == 0:
            self._end(office)

    def stop(self, office: _Office | None = None) -> None:
        """Stop a LibreOffice now (the running one by default), even while conversions use it:
        they fail, and its folder goes when the last of them is done."""
        with self._lock:
            office = office or self._current
            if office is not None:
                self._detach(office)
                self._end(office)

    def stop_all(self) -> None:
        with self._lock:
            for office in list(self._offices):
                self._detach(office)
                self._end(office)

    def _end(self, office: _Office) -> None:
        """Stop its process (once), and remove its pipe and folder when no conversion uses it."""
        if not office.ended:
            office.ended = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(office.process.pid, signal.SIGTERM)
            try:
                office.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                _kill_group(office.process)
        if office.users == 0 and office in self._offices:
            self._offices.discard(office)
            # Its pipe (or that of a conversion that was waiting on it and ran LibreOffice
            # itself in the same profile), once its last threads have let go of it.
            remove_stale_pipe(office_pipe(office.folder), wait=5)
            shutil.rmtree(office.folder, ignore_errors=True)


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
