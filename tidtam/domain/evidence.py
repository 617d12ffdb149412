"""What an evidence file may be: its type (by name and by its first bytes) and its size."""

from __future__ import annotations

from decimal import Decimal

from tidtam.domain.errors import DomainError

# The file types agencies attach as evidence, each with the first bytes its files start with,
# so that a renamed program cannot pass as a PDF.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "zip": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}

ALLOWED_EXTENSIONS = tuple(sorted(SIGNATURES))
_MB = 1024 * 1024


def file_name(name: str | None) -> str:
    """The name a chosen file goes by: its own, or "ไฟล์" when the browser sent none."""
    return name or "ไฟล์"


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_evidence(name: str, size: int, head: bytes, *, max_bytes: int) -> str:
    """The file's extension when it may be kept; otherwise a DomainError naming the file."""
    ext = extension(name)
    if ext not in SIGNATURES:
        raise DomainError("evidence_type", file=name, allowed=", ".join(ALLOWED_EXTENSIONS).upper())
    if size == 0:
        raise DomainError("evidence_empty", file=name)
    if size > max_bytes:
        raise DomainError(
            "evidence_too_large",
            file=name,
            size_mb=Decimal(size) / _MB,
            max_mb=Decimal(max_bytes) / _MB,
        )
    if not head.startswith(SIGNATURES[ext]):
        raise DomainError("evidence_content", file=name, ext=ext.upper())
    return ext
