"""What a crash or a kill -9 leaves behind, found and removed: `tidtam cleanup`.

- evidence files that no Evidence row names (a crash between writing the file and committing
  its row, or between deleting a row and its file);
- rendered documents in MEDIA_ROOT that no RenderJob names (a crash while saving the file);
- temp folders of tidtam processes that are gone (LibreOffice profiles, fontconfig folders),
  with the LibreOffice a killed process left running in its folder (tidtam/reports/render/pdf.py);
- render jobs whose worker stopped sending its heartbeat (marked failed, with a retry).

Files and folders younger than the age limit are left alone: another process may be writing
them right now and commit its row in a moment.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from tidtam.progress.models import Evidence
from tidtam.reports.models import RenderJob
from tidtam.reports.render.pdf import office_pipe, profile_arg, remove_stale_pipe
from tidtam.reports.services import render_jobs_expire_stale

# tidtam-pdf-<pid>-xxxx, tidtam-fonts-<pid>-xxxx, tidtam-office-<pid>-xxxx (older versions had
# no pid in the name).
TEMP_FOLDER = re.compile(r"^tidtam-(?:pdf|fonts|office)-(?:(\d+)-)?")


@dataclass
class Found:
    evidence: list[Path] = field(default_factory=list)
    rendered: list[Path] = field(default_factory=list)
    temp_folders: list[Path] = field(default_factory=list)
    # Processes still running in a temp folder above (the LibreOffice of a killed process).
    left_running: list[int] = field(default_factory=list)
    stale_jobs: int = 0


def _files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for folder, _, names in os.walk(root):
        for name in names:
            yield Path(folder) / name


def _older_than(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False


def _unreferenced(
    root: Path, referenced: set[str], cutoff: float, *, under: str = ""
) -> list[Path]:
    return sorted(
        path
        for path in _files(root / under if under else root)
        if path.relative_to(root).as_posix() not in referenced and _older_than(path, cutoff)
    )


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def stale_temp_folders(temp_dir: Path, cutoff: float) -> list[Path]:
    """tidtam temp folders whose process is gone (or, without a pid in the name, that are old)."""
    found = []
    for path in sorted(temp_dir.glob("tidtam-*")):
        match = TEMP_FOLDER.match(path.name)
        if match is None or not path.is_dir():
            continue
        pid = match.group(1)
        gone = not _process_alive(int(pid)) if pid else _older_than(path, cutoff)
        if gone and int(pid or 0) != os.getpid():
            found.append(path)
    return found


def processes_in(folders: list[Path]) -> list[int]:
    """This user's processes started with a profile in one of the folders: the LibreOffice a
    killed tidtam process left running (Linux's /proc; elsewhere none)."""
    args = {profile_arg(folder).encode() for folder in folders}
    found: list[int] = []
    if not args or not Path("/proc").is_dir():
        return found
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if entry.stat().st_uid != os.getuid():
                continue
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # ended meanwhile
        if args.intersection(command):
            found.append(int(entry.name))
    return sorted(found)


def find(*, minutes: int) -> Found:
    cutoff = time.time() - minutes * 60
    evidence = {name for name in Evidence.objects.values_list("file", flat=True) if name}
    rendered = {name for name in RenderJob.objects.values_list("file", flat=True) if name}
    temp_folders = stale_temp_folders(Path(tempfile.gettempdir()), cutoff)
    return Found(
        evidence=_unreferenced(Path(settings.EVIDENCE_ROOT), evidence, cutoff),
        # Only the render jobs' own folder: MEDIA_ROOT may hold other apps' files one day.
        rendered=_unreferenced(Path(settings.MEDIA_ROOT), rendered, cutoff, under="reports"),
        temp_folders=temp_folders,
        left_running=processes_in(temp_folders),
    )


def clean(found: Found) -> None:
    for path in [*found.evidence, *found.rendered]:
        path.unlink(missing_ok=True)
    for pid in found.left_running:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    for folder in found.temp_folders:
        # The single-instance pipe a LibreOffice stopped by a signal leaves in /tmp
        # (tidtam.reports.render.pdf), once the one just stopped has let go of it.
        remove_stale_pipe(office_pipe(folder), wait=10 if found.left_running else 0)
        shutil.rmtree(folder, ignore_errors=True)
    found.stale_jobs = render_jobs_expire_stale()
