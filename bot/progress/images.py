"""Pictures of progress: a 12-week streak calendar and a chart of scores over time (PNG).

Drawn with Pillow: people would rather look than read. Colours pass WCAG contrast on both
Discord themes' backgrounds because the images carry their own light background.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from PIL import Image, ImageDraw, ImageFont

BACKGROUND = (250, 250, 247)
INK = (40, 44, 52)
MUTED = (130, 134, 140)
EMPTY = (226, 228, 224)
FROZEN = (133, 193, 233)
GREENS = ((186, 228, 188), (123, 204, 196), (67, 162, 202), (8, 104, 172))
LINE = (42, 157, 143)
CELL, GAP = 20, 4


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def heatmap(days: dict[date, tuple[int, bool]], today: date, weeks: int = 12) -> bytes:
    """A calendar of the last ``weeks`` weeks: one square a day, darker for more answers,
    blue for a day a streak freeze covered. Columns are weeks (Monday on top)."""
    start = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    left, top = 40, 34
    width = left + weeks * (CELL + GAP) + 16
    height = top + 7 * (CELL + GAP) + 40
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    small, title = _font(11), _font(14)
    draw.text((left, 8), "Practice, last 12 weeks", fill=INK, font=title)
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")):
        draw.text((6, top + row * (CELL + GAP) + 3), name, fill=MUTED, font=small)
    for offset in range(weeks * 7):
        day = start + timedelta(days=offset)
        if day > today:
            break
        answers, frozen = days.get(day, (0, False))
        if frozen and not answers:
            colour = FROZEN
        elif answers:
            colour = GREENS[min(len(GREENS) - 1, (answers - 1) // 2)]
        else:
            colour = EMPTY
        x = left + (offset // 7) * (CELL + GAP)
        y = top + (offset % 7) * (CELL + GAP)
        draw.rounded_rectangle((x, y, x + CELL, y + CELL), radius=4, fill=colour,
                               outline=INK if day == today else None)
    legend_y = top + 7 * (CELL + GAP) + 10
    x = left
    for label, colour in (("none", EMPTY), ("1-2", GREENS[0]), ("3-4", GREENS[1]),
                          ("5-6", GREENS[2]), ("7+", GREENS[3]), ("freeze", FROZEN)):
        draw.rounded_rectangle((x, legend_y, x + 12, legend_y + 12), radius=3, fill=colour)
        draw.text((x + 16, legend_y), label, fill=MUTED, font=small)
        x += 22 + int(draw.textlength(label, font=small))
    return _png(image)


def score_chart(history: Sequence[tuple[datetime, int]], width: int = 640,
                height: int = 300) -> bytes:
    """Scores over time: each answer a dot, with a line through the running average of the
    last five so the trend shows through the noise."""
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    small, title = _font(11), _font(14)
    left, right, top, bottom = 44, width - 16, 36, height - 30
    draw.text((left, 10), "Scores over time", fill=INK, font=title)
    for score in (0, 25, 50, 75, 100):
        y = bottom - (bottom - top) * score / 100
        draw.line((left, y, right, y), fill=EMPTY)
        draw.text((8, y - 7), f"{score:>3}", fill=MUTED, font=small)
    if not history:
        draw.text((left + 10, (top + bottom) // 2), "No answers yet", fill=MUTED, font=title)
        return _png(image)
    n = len(history)

    def point(i: int, score: float) -> tuple[float, float]:
        x = left + (right - left) * (i / (n - 1) if n > 1 else 0.5)
        return x, bottom - (bottom - top) * score / 100

    averages = []
    for i in range(n):
        window = [s for _, s in history[max(0, i - 4):i + 1]]
        averages.append(sum(window) / len(window))
    for i, (_, score) in enumerate(history):
        x, y = point(i, score)
        draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=GREENS[1])
    if n > 1:
        draw.line([point(i, a) for i, a in enumerate(averages)], fill=LINE, width=3)
    first, last = history[0][0], history[-1][0]
    draw.text((left, bottom + 8), first.strftime("%d %b"), fill=MUTED, font=small)
    label = last.strftime("%d %b")
    draw.text((right - draw.textlength(label, font=small), bottom + 8), label, fill=MUTED,
              font=small)
    return _png(image)
