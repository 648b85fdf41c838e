"""The result as a picture, for platforms that show images: one horizontal bar per dimension (PNG)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

WIDTH = 800
ROW = 44
MARGIN = 20
LABEL_WIDTH = 330
COLOURS = ((200, 60, 50), (230, 160, 40), (60, 150, 90))
"""Low, middle and high scores."""


def bar_chart(title: str, rows: Sequence[tuple[str, int | None]]) -> bytes:
    """A PNG of `rows` (label, percent or None) under `title`."""
    height = MARGIN * 3 + ROW * (len(rows) + 1)
    image = Image.new("RGB", (WIDTH, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=18)
    draw.text((MARGIN, MARGIN), title, fill=(20, 20, 20), font=font)
    span = WIDTH - LABEL_WIDTH - MARGIN * 2 - 60
    for index, (label, score) in enumerate(rows):
        top = MARGIN * 2 + ROW * (index + 1)
        draw.text((MARGIN, top + 8), label[:34], fill=(20, 20, 20), font=font)
        left = LABEL_WIDTH
        draw.rectangle((left, top + 6, left + span, top + ROW - 10), outline=(190, 190, 190))
        if score is not None:
            colour = COLOURS[0 if score < 40 else 1 if score < 70 else 2]
            draw.rectangle((left, top + 6, left + round(span * score / 100), top + ROW - 10), fill=colour)
        draw.text((left + span + 10, top + 8), "–" if score is None else f"{score} %", fill=(20, 20, 20), font=font)
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()
