"""แผนภาพที่ 1: the budget chart (annual plan vs spent, per line) as a PNG, drawn with Sarabun."""

from __future__ import annotations

import functools
import io
from decimal import Decimal
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no screen on servers; must come before pyplot
from matplotlib import font_manager
from matplotlib.figure import Figure

from tidtam.reports.render.fonts import RENDER_FONT, font_file

PLAN_COLOUR = "#1f4e79"
SPENT_COLOUR = "#f4a300"


@functools.cache
def _register_fonts() -> None:
    for weight in ("Regular", "Bold"):
        font_manager.fontManager.addfont(str(font_file(weight)))


def _wrap(label: str, width: int = 14) -> str:
    """Thai labels have no spaces to break at; break long ones at their own spaces if any."""
    words = label.split()
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + len(word) < width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines) or label


def budget_chart_png(chart: dict[str, Any], *, dpi: int = 150) -> bytes:
    """A grouped bar chart: each line's annual plan and what was spent, in ล้านบาท."""
    _register_fonts()
    with matplotlib.rc_context({"font.family": RENDER_FONT}):
        return _draw(chart, dpi)


def _draw(chart: dict[str, Any], dpi: int) -> bytes:
    categories = [_wrap(name) for name in chart["categories"]]
    plan = [float(Decimal(v)) for v in chart["plan_million"]]
    spent = [float(Decimal(v)) for v in chart["spent_million"]]
    figure = Figure(figsize=(7.0, 3.6), dpi=dpi)
    axes = figure.subplots()
    positions = range(len(categories))
    width = 0.38
    plan_bars = axes.bar(
        [p - width / 2 for p in positions], plan, width, label="แผนการใช้จ่ายทั้งปี", color=PLAN_COLOUR
    )
    spent_bars = axes.bar(
        [p + width / 2 for p in positions], spent, width, label="ผลการใช้จ่าย", color=SPENT_COLOUR
    )
    for bars in (plan_bars, spent_bars):
        axes.bar_label(bars, labels=[f"{b.get_height():,.4f}" for b in bars], fontsize=7, padding=2)
    axes.set_xticks(list(positions), categories, fontsize=8)
    axes.set_ylabel("ล้านบาท", fontsize=9)
    axes.set_title(f"{chart['title']}\n{chart['subtitle']}", fontsize=10, fontweight="bold")
    axes.legend(fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(y=0.15)
    figure.set_layout_engine("tight")
    buffer = io.BytesIO()
    # metadata without a date: the same data gives the same bytes.
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
