"""A dependency-free SVG bar chart: medians as bars, min-max as whiskers, on a log scale.

A log scale, because the tools differ by more than an order of magnitude: on a linear axis the
fastest tool's bars would be a few pixels wide and its spread invisible.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
ROW = 16
GAP = 14
LEFT = 150
RIGHT = 30
PLOT_WIDTH = 560


@dataclass(frozen=True, slots=True)
class Bar:
    """One series' value in one group: a median and its min-max range."""

    series: str
    median: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Group:
    """Bars side by side under one label (a scenario or a corpus size)."""

    label: str
    bars: Sequence[Bar]


def decades(low: float, high: float) -> list[float]:
    """Powers of ten from below `low` to above `high`, for axis ticks."""
    first = math.floor(math.log10(low))
    last = math.ceil(math.log10(high))
    return [10.0**e for e in range(first, last + 1)]


def render_svg(title: str, unit: str, groups: Sequence[Group], note: str = "") -> str:
    """Return the chart as an SVG document (text)."""
    values = [v for g in groups for b in g.bars for v in (b.low, b.high, b.median) if v > 0]
    ticks = decades(min(values), max(values))
    lo, hi = math.log10(ticks[0]), math.log10(ticks[-1])

    def x(value: float) -> float:
        return LEFT + (math.log10(max(value, ticks[0])) - lo) / (hi - lo) * PLOT_WIDTH

    series = list(dict.fromkeys(b.series for g in groups for b in g.bars))
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
    top = 50
    height = top + sum(len(g.bars) * ROW + GAP for g in groups) + 70
    width = LEFT + PLOT_WIDTH + RIGHT
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15" '
        f'font-weight="bold">{escape(title)}</text>',
    ]
    bottom = height - 60
    for tick in ticks:
        tx = x(tick)
        out.append(
            f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{bottom}" stroke="#ddd"/>'
        )
        out.append(f'<text x="{tx:.1f}" y="{bottom + 16}" text-anchor="middle">{tick:g}</text>')
    out.append(
        f'<text x="{LEFT + PLOT_WIDTH / 2}" y="{bottom + 34}" text-anchor="middle">'
        f"{escape(unit)} (log scale; bar = median, whisker = min-max)</text>"
    )
    y = top
    for group in groups:
        group_height = len(group.bars) * ROW
        out.append(
            f'<text x="{LEFT - 8}" y="{y + group_height / 2 + 4:.1f}" text-anchor="end" '
            f'font-weight="bold">{escape(group.label)}</text>'
        )
        for bar in group.bars:
            mid = y + ROW / 2
            out.append(
                f'<rect x="{LEFT}" y="{y + 2}" width="{x(bar.median) - LEFT:.1f}" '
                f'height="{ROW - 4}" fill="{colour[bar.series]}"/>'
            )
            out.append(
                f'<line x1="{x(bar.low):.1f}" y1="{mid}" x2="{x(bar.high):.1f}" y2="{mid}" '
                'stroke="black"/>'
            )
            for end in (bar.low, bar.high):
                out.append(
                    f'<line x1="{x(end):.1f}" y1="{mid - 4}" x2="{x(end):.1f}" y2="{mid + 4}" '
                    'stroke="black"/>'
                )
            out.append(f'<text x="{x(bar.high) + 5:.1f}" y="{mid + 4}">{bar.median:.3g}</text>')
            y += ROW
        y += GAP
    legend_x = LEFT
    for name in series:
        out.append(
            f'<rect x="{legend_x}" y="{height - 18}" width="12" height="12" fill="{colour[name]}"/>'
        )
        out.append(f'<text x="{legend_x + 16}" y="{height - 8}">{escape(name)}</text>')
        legend_x += 20 + 8 * len(name) + 20
    if note:
        out.append(
            f'<text x="{width - RIGHT}" y="{height - 8}" text-anchor="end" fill="#555">'
            f"{escape(note)}</text>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
