"""Bar charts drawn on the server as SVG; every chart's figures also go into a table for screen readers.

Colours come from the stylesheet (classes `series-0` …), so they meet the contrast the page needs;
the SVG carries a title and is labelled as one image, and the table beside it holds the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
PLOT_HEIGHT = 200
MARGIN_LEFT = 48
MARGIN_BOTTOM = 36
MARGIN_TOP = 12
ROW_HEIGHT = 28
LABEL_WIDTH = 250
LABEL_CHARACTERS = 38


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]
    tone: int | None = None
    """The stylesheet's colour `series-N`; by default the series' place in its chart."""


@dataclass(frozen=True)
class Chart:
    """Figures by category (a week, a group), one value per series; stacked when there are several."""

    id: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""
    horizontal: bool = False

    @property
    def empty(self) -> bool:
        return not self.categories or not any(value for series in self.series for value in series.values)

    def total(self, index: int) -> float:
        return sum(series.values[index] for series in self.series)

    def label(self, value: float) -> str:
        number = f"{value:.0f}" if float(value).is_integer() or self.unit == "%" else f"{value:.1f}"
        return f"{number} {self.unit}".strip()

    def svg(self) -> Markup:
        return _horizontal(self) if self.horizontal else _vertical(self)


def _scale(chart: Chart) -> float:
    highest = max((chart.total(index) for index in range(len(chart.categories))), default=0.0)
    if chart.unit == "%":
        return 100.0
    return float(max(highest, 1.0))


def _opening(chart: Chart, height: int) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{chart.id}-title" '
        f'xmlns="http://www.w3.org/2000/svg" focusable="false">',
        f'<title id="{chart.id}-title">{escape(chart.title)}</title>',
    ]


def _vertical(chart: Chart) -> Markup:
    height = MARGIN_TOP + PLOT_HEIGHT + MARGIN_BOTTOM
    top = _scale(chart)
    parts = _opening(chart, height)
    base = MARGIN_TOP + PLOT_HEIGHT
    for fraction in (0.0, 0.5, 1.0):
        y = base - fraction * PLOT_HEIGHT
        parts.append(f'<line class="grid" x1="{MARGIN_LEFT}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="axis" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{escape(chart.label(top * fraction))}</text>')
    count = max(len(chart.categories), 1)
    slot = (WIDTH - MARGIN_LEFT) / count
    bar = slot * 0.7
    for index, category in enumerate(chart.categories):
        x = MARGIN_LEFT + index * slot + (slot - bar) / 2
        y = float(base)
        for number, series in enumerate(chart.series):
            value = series.values[index]
            if value <= 0:
                continue
            size = value / top * PLOT_HEIGHT
            y -= size
            parts.append(f'<rect class="series-{_tone(series, number)}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                         f'height="{size:.1f}"/>')
        parts.append(f'<text class="axis" x="{x + bar / 2:.1f}" y="{base + 18}" text-anchor="middle">'
                     f'{escape(category)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # every text above is escaped


def _horizontal(chart: Chart) -> Markup:
    rows = max(len(chart.categories), 1)
    height = MARGIN_TOP + rows * ROW_HEIGHT + 8
    top = _scale(chart)
    plot = WIDTH - LABEL_WIDTH - 60
    parts = _opening(chart, height)
    for index, category in enumerate(chart.categories):
        y = MARGIN_TOP + index * ROW_HEIGHT
        label = category if len(category) <= LABEL_CHARACTERS else category[:LABEL_CHARACTERS - 1] + "…"
        parts.append(f'<text class="axis" x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end">{escape(label)}</text>')
        x = float(LABEL_WIDTH)
        for number, series in enumerate(chart.series):
            value = series.values[index]
            if value <= 0:
                continue
            size = value / top * plot
            parts.append(f'<rect class="series-{_tone(series, number)}" x="{x:.1f}" y="{y + 4}" width="{size:.1f}" '
                         f'height="{ROW_HEIGHT - 8}"/>')
            x += size
        parts.append(f'<text class="axis" x="{x + 6:.1f}" y="{y + 18}">{escape(chart.label(chart.total(index)))}'
                     f'</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # every text above is escaped


def _tone(series: Series, number: int) -> int:
    return number if series.tone is None else series.tone


def single(chart_id: str, title: str, name: str, figures: Sequence[tuple[str, float]], unit: str = "",
           horizontal: bool = True) -> Chart:
    """A chart of one series, such as counts by kind."""
    return Chart(chart_id, title, tuple(label for label, _ in figures),
                 (Series(name, tuple(float(value) for _, value in figures)),), unit, horizontal)
