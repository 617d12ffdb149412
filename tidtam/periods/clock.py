"""Today's date for deadlines: the real one, or a fixed day for a demo set in the past."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone


def today() -> date:
    """The local date in Bangkok; TIDTAM_DEMO_TODAY (a C.E. ISO date) pins it for demos and
    browser tests, whose seed rounds lie in 2567 (2024)."""
    pinned: str = getattr(settings, "DEMO_TODAY", "")
    return date.fromisoformat(pinned) if pinned else timezone.localdate()
