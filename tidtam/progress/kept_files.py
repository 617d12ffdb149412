"""Files a refused save keeps for the person, so that they need not choose them again.

A browser cannot put a chosen file back into a form: when a save is refused because someone else
changed the entry meanwhile, the files that came with it are kept here (outside the web root,
beside the evidence) and the form carries their signed names; the next save attaches them. No row
names a kept file, so `tidtam cleanup` removes it once it is older than its limit
(TIDTAM_CLEANUP_MINUTES), which is also how long the signed names stay valid.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files import File

from tidtam.domain.evidence import file_name

SALT = "tidtam.progress.kept_files"


def folder() -> Path:
    return Path(settings.EVIDENCE_ROOT) / "kept"


def keep(uploads: list[Any], user: Any, token: str = "") -> str:
    """Copy the uploads aside; the signed list of what is kept (with what was kept before)."""
    kept = _entries(token, user)
    if uploads:
        folder().mkdir(parents=True, exist_ok=True)
    for upload in uploads:
        stored = f"{uuid.uuid4().hex}.bin"
        with open(folder() / stored, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        kept.append({"stored": stored, "name": file_name(upload.name)})
    return signing.dumps({"user": user.pk, "files": kept}, salt=SALT) if kept else ""


def _entries(token: str, user: Any) -> list[dict[str, str]]:
    if not token:
        return []
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.CLEANUP_MINUTES * 60)
    except signing.BadSignature:
        return []
    if data.get("user") != user.pk:
        return []
    return [f for f in data.get("files", []) if (folder() / Path(f["stored"]).name).is_file()]


def names(token: str, user: Any) -> list[str]:
    return [f["name"] for f in _entries(token, user)]


def opened(token: str, user: Any) -> list[File[Any]]:
    """The kept files, opened, named as the person named them (the caller closes them)."""
    return [
        File(open(folder() / Path(f["stored"]).name, "rb"), name=f["name"])
        for f in _entries(token, user)
    ]


def discard(token: str, user: Any) -> None:
    for f in _entries(token, user):
        (folder() / Path(f["stored"]).name).unlink(missing_ok=True)
