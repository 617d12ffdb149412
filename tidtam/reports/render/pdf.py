"""PDF from our DOCX by LibreOffice headless, drawn with Sarabun.

LibreOffice writes a correct Thai text layer (WeasyPrint loses ำ in copied text). Each conversion
gets its own LibreOffice profile, so parallel conversions do not collide, and a private fontconfig
file, so "TH Sarabun New" means our Sarabun and not a system alias.
"""

from __future__ import annotations

import io
import os
import re
import shutil
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


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert with LibreOffice; a clear Thai error when it is missing or fails."""
    binary = office_binary()
    if binary is None:
        raise DomainError("office_missing")
    with tempfile.TemporaryDirectory(prefix="tidtam-pdf-") as work:
        folder = Path(work)
        source = folder / "document.docx"
        source.write_bytes(sarabun_profile(docx))
        env = {
            **os.environ,
            "FONTCONFIG_FILE": str(fontconfig_file()),
            "HOME": str(folder),  # LibreOffice writes caches under HOME
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
        try:
            completed = subprocess.run(
                command,
                env=env,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as error:
            raise DomainError("office_failed", detail=f"เกิน {TIMEOUT_SECONDS} วินาที") from error
        result = folder / "document.pdf"
        if completed.returncode != 0 or not result.exists():
            detail = (completed.stderr or completed.stdout).decode(errors="replace").strip()
            raise DomainError(
                "office_failed", detail=detail[-300:] or f"รหัส {completed.returncode}"
            )
        return result.read_bytes()
