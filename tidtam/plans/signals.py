"""What the plan tells the apps that build on it, without importing them.

`figures_changed` is sent inside the saving transaction when something a work item's progress
is computed from has changed: its target or budget line (`work_item`), one milestone's planned
quantity (`work_item` and `round_months`), or the plan's thresholds (`plan`). The progress app
keeps its entries' stored percents and bands from it (tidtam.progress.apps); each receiver
returns how many entries it changed.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

figures_changed = Signal()


def send_figures_changed(**scope: Any) -> int:
    """Send `figures_changed` for this scope; how many entries the receivers changed."""
    changed = 0
    for _, response in figures_changed.send(sender=None, **scope):
        changed += response if isinstance(response, int) else 0
    return changed
