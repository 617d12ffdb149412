"""แผนภาพที่ 1: the budget chart (annual plan vs spent, per line) as a PNG, drawn with Sarabun.

Drawn with Pillow, whose text layout (libraqm) places Thai vowels and tone marks right. An
earlier version used matplotlib: a bare figure costs about 40 ms to lay out before any bar is
drawn, which was a third of a 1,000-item report's whole Word render (bench/report.py).
"""

from __future__ import annotations

import functools
import io
import math
from decimal import Decimal
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from tidtam.reports.render.fonts import font_file

PLAN_COLOUR = (31, 78, 121)
SPENT_COLOUR = (244, 163, 0)
DISBURSED_COLOUR = (112, 173, 71)
INK = (0, 0, 0)
GRID = (217, 217, 217)
WIDTH, HEIGHT = 1050, 540  # 7 × 3.6 inches at 150 dpi
LEFT, RIGHT, TOP, BOTTOM = 100, 1030, 140, 440


@functools.cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(
        str(font_file("Bold" if bold else "Regular")), size, layout_engine=ImageFont.Layout.RAQM
    )


def _nice_step(top: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 × 10ⁿ) that covers `top` in about `ticks` steps."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


def _wrap(label: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Break a label at its own spaces to fit `width` (Thai words have none inside them)."""
    lines: list[str] = []
    for word in label.split():
        if lines and font.getlength(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [label]


def _centred(
    draw: ImageDraw.ImageDraw, x: float, y: float, text: str, font: ImageFont.FreeTypeFont
) -> None:
    draw.text((x, y), text, font=font, fill=INK, anchor="ma")


def budget_chart_png(chart: dict[str, Any]) -> bytes:
    """A grouped bar chart: each line's annual plan and what was spent, in ล้านบาท."""
    plan = [float(Decimal(v)) for v in chart["plan_million"]]
    spent = [float(Decimal(v)) for v in chart["spent_million"]]
    # Disbursed (เบิกจ่าย) gets its own bar where it differs from spent (ใช้จ่าย): once
    # something is committed and not yet paid.
    disbursed = [
        float(Decimal(v)) for v in chart.get("disbursed_million") or chart["spent_million"]
    ]
    series = [(plan, PLAN_COLOUR, "แผนการใช้จ่ายทั้งปี")]
    if disbursed != spent:
        series.append((disbursed, DISBURSED_COLOUR, chart.get("disbursed_label", "")))
    series.append((spent, SPENT_COLOUR, "ผลการใช้จ่าย"))
    categories = list(chart["categories"])
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)

    _centred(draw, WIDTH / 2, 12, chart["title"], _font(22, bold=True))
    _centred(draw, WIDTH / 2, 44, chart["subtitle"], _font(22, bold=True))

    step = _nice_step(max([*plan, *spent, 0.0]) * 1.12)
    top_value = step * math.ceil(max([*plan, *spent, step]) * 1.12 / step)
    scale = (BOTTOM - TOP) / top_value
    tick_font = _font(17)
    value = 0.0
    while value <= top_value + step / 2:
        y = BOTTOM - value * scale
        draw.line([(LEFT, y), (RIGHT, y)], fill=GRID if value else INK, width=1)
        draw.text((LEFT - 10, y), f"{value:,.0f}", font=tick_font, fill=INK, anchor="rm")
        value += step
    axis_label = Image.new("RGBA", (120, 30), (255, 255, 255, 0))
    ImageDraw.Draw(axis_label).text((60, 15), "ล้านบาท", font=_font(18), fill=INK, anchor="mm")
    image.paste(
        axis_label.rotate(90, expand=True),
        (8, (TOP + BOTTOM) // 2 - 60),
        axis_label.rotate(90, expand=True),
    )

    group = (RIGHT - LEFT) / max(len(categories), 1)
    bar = group * 0.72 / len(series)
    value_font = _font(14)
    label_font = _font(17)
    for index, name in enumerate(categories):
        centre = LEFT + group * (index + 0.5)
        for number, (values, colour, _) in enumerate(series):
            amount = values[index]
            x0 = centre - bar * len(series) / 2 + bar * number
            y0 = BOTTOM - amount * scale
            draw.rectangle([(x0, y0), (x0 + bar, BOTTOM)], fill=colour)
            _centred(draw, x0 + bar / 2, y0 - 20, f"{amount:,.4f}", value_font)
        for line_number, line in enumerate(_wrap(name, label_font, group - 10)):
            _centred(draw, centre, BOTTOM + 10 + line_number * 24, line, label_font)

    legend_font = _font(17)
    for row, (_, colour, text) in enumerate(series):
        y = 78 + row * 26
        x = RIGHT - 230
        draw.rectangle([(x, y + 4), (x + 28, y + 18)], fill=colour)
        draw.text((x + 38, y + 11), text, font=legend_font, fill=INK, anchor="lm")

    buffer = io.BytesIO()
    # No date in the file: the same data gives the same bytes. Light compression: a few flat
    # colours compress well anyway, and the default level costs more time than it saves bytes.
    image.save(buffer, format="PNG", compress_level=1, dpi=(150, 150))
    return buffer.getvalue()
