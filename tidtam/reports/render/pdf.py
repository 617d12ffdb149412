"""PDF from our DOCX by LibreOffice headless, drawn with Sarabun.

LibreOffice writes a correct Thai text layer (WeasyPrint loses ำ in copied text). Each conversion
gets its own LibreOffice profile, so parallel conversions do not collide, and a private fontconfig
file, so "TH Sarabun New" means our Sarabun and not a system alias.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from tidtam.domain.errors import DomainError
from tidtam.reports.render.fonts import DOCUMENT_FONT, RENDER_FONT, RENDER_SCALE, fontconfig_file

TIMEOUT_SECONDS = 180
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

    Everything LibreOffice writes (profile, caches, its own temp files) goes into one folder
    that is removed on success, on failure and on a timeout.
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
        scratch = folder / "tmp"
        scratch.mkdir()
        env = {
            **os.environ,
            "FONTCONFIG_FILE": str(fontconfig_file()),
            "HOME": str(folder),  # LibreOffice writes caches under HOME
            "TMPDIR": str(scratch),  # and its lu*.tmp files here, not in the system temp folder
        }
        command = [
            binary,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(folder),
            str(source),
        ]
        returncode, output = _run_office(command, env)
        result = folder / "document.pdf"
        if returncode != 0 or not result.exists():
            detail = output.decode(errors="replace").strip()
            raise DomainError("office_failed", detail=detail[-300:] or f"รหัส {returncode}")
        return result.read_bytes()


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
