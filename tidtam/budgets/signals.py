"""What the budget tells the apps that build on it, without importing them.

`spending_changed` is sent inside the saving transaction when a line's spending for a round
(`line`, `round_`) or its annual plan (`line`, every round) has changed: work items whose
progress is their line's spending keep their stored percents and bands from it
(tidtam.progress.apps).
"""

from __future__ import annotations

from django.dispatch import Signal

spending_changed = Signal()
