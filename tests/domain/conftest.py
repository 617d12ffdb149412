"""Shared set-up for the core's tests: standard library, pytest and hypothesis only."""

from __future__ import annotations

from hypothesis import settings

# No example database: it would write .hypothesis/ into the work tree. No deadline:
# CI machines are slower than a laptop and the core has no time-sensitive code.
settings.register_profile("tidtam-domain", database=None, deadline=None)
settings.load_profile("tidtam-domain")
