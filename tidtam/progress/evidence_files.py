"""Evidence files that follow their transaction: a file written by a save that rolls back is removed.

The file is written at its final name at once, so the row and the file agree inside the
transaction (the page, the download and the tests read it there). Django has no "on rollback"
hook, so each written file registers an on-commit callback: Django drops the callbacks of a
savepoint or transaction that rolls back, and a file whose callback was dropped without running
belonged to a rolled-back save. Those files are removed when the request ends (and at the next
write in the same thread); a file left by a crash between the file and the row is removed by
`tidtam cleanup` once it is older than TIDTAM_CLEANUP_MINUTES.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.storage import Storage
from django.core.signals import request_finished
from django.db import DatabaseError, connections, transaction
from django.db.transaction import TransactionManagementError

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class _Written:
    name: str
    storage: Storage
    using: str
    confirm: Callable[[], None] = field(default=lambda: None)


_local = threading.local()


def _pending() -> list[_Written]:
    if not hasattr(_local, "files"):
        _local.files = []
    files: list[_Written] = _local.files
    return files


def track_written(name: str, storage: Storage, *, using: str = "default") -> None:
    """Remember a file just written for a row of the current transaction."""
    written = _Written(name, storage, using)
    pending = _pending()

    def confirm() -> None:
        if written in pending:
            pending.remove(written)

    written.confirm = confirm
    pending.append(written)
    transaction.on_commit(confirm, using=using)


def _still_waiting(written: _Written) -> bool:
    """Is the file's transaction still open (its callback still queued on the connection)?"""
    connection = connections[written.using]
    # Entries are (savepoint ids, callback, robust); the stubs know only the first two.
    return any(entry[1] is written.confirm for entry in connection.run_on_commit)


def discard_rolled_back(is_referenced: Callable[[str], bool]) -> list[str]:
    """Remove this thread's files whose save rolled back; returns their stored names.

    `is_referenced` is asked before a file is removed, so a file whose row did commit (when
    another on-commit callback failed before ours ran) is never lost.
    """
    removed: list[str] = []
    for written in list(_pending()):
        if _still_waiting(written):
            continue
        _pending().remove(written)
        try:
            if is_referenced(written.name):
                continue
        except (DatabaseError, TransactionManagementError):
            # Cannot ask now: `tidtam cleanup` removes it later if no row names it.
            logger.warning("could not check evidence file %s; left for cleanup", written.name)
            continue
        written.storage.delete(written.name)
        removed.append(written.name)
    return removed


def _evidence_referenced(name: str) -> bool:
    from tidtam.progress.models import Evidence

    return Evidence.objects.filter(file=name).exists()


def discard_rolled_back_evidence() -> list[str]:
    return discard_rolled_back(_evidence_referenced)


def _on_request_finished(**_: object) -> None:
    if getattr(_local, "files", None):
        discard_rolled_back_evidence()


request_finished.connect(_on_request_finished, dispatch_uid="tidtam.evidence_files")
