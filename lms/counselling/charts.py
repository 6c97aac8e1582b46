"""Charts drawn on the server as inline SVG: no script, no CDN, readable without colour.

Each chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>`;
every page that shows one also shows the same numbers in a table. Labels are escaped here.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)

INK = "#1d232b"
MUTED = "#5b6470"
GRID = "#d5dae0"
CURRENT = "#1f5fbf"
REQUIRED = "#8a94a3"
# Sequential scale for heatmap levels 0–5; text colour chosen for contrast on each.
HEAT = ["#f4f6f8", "#dbe7f6", "#b3cdee", "#7fa8de", "#3f74c4", "#1c4a8f"]
HEAT_TEXT = [INK, INK, INK, INK, "#ffffff", "#ffffff"]


def _open(width: int, height: int, title: str, desc: str, css: str = "") -> tuple[str, str]:
    n = next(_ids)
    head = (
        f'<svg class="chart {css}" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="chart-{n}-title chart-{n}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-{n}-title">{escape(title)}</title>'
        f'<desc id="chart-{n}-desc">{escape(desc)}</desc>'
    )
    return head, "</svg>"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = 13,
    fill=INK,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" '
        f'text-anchor="{anchor}" font-weight="{weight}">{escape(text)}</text>'
    )


def _clip(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def skill_bars(
    rows: Sequence[tuple[str, int, int]], *, title: str, desc: str, legend: tuple[str, str]
) -> SafeString:
    """Per skill, the learner's level (solid bar) against the required level (outlined
    bar), on a 0–5 scale. `rows` are (skill label, current, required)."""
    label_w, bar_w, row_h = 190, 320, 34
    width = label_w + bar_w + 40
    height = 36 + row_h * max(len(rows), 1) + 10
    head, tail = _open(width, height, title, desc, "chart-skills")
    unit = bar_w / 5
    parts = [head]
    # Legend and scale.
    parts.append(f'<rect x="{label_w}" y="6" width="14" height="10" fill="{CURRENT}"/>')
    parts.append(_text(label_w + 20, 15, legend[0], size=12))
    parts.append(
        f'<rect x="{label_w + 150}" y="6" width="14" height="10" fill="none" '
        f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="3 2"/>'
    )
    parts.append(_text(label_w + 170, 15, legend[1], size=12))
    for level in range(6):
        x = label_w + level * unit
        parts.append(
            f'<line x1="{x:.1f}" y1="26" x2="{x:.1f}" y2="{height - 10}" stroke="{GRID}"/>'
        )
        parts.append(_text(x, height - 1, str(level), anchor="middle", size=10, fill=MUTED))
    for i, (label, current, required) in enumerate(rows):
        y = 30 + i * row_h
        parts.append(_text(label_w - 8, y + 17, _clip(label), anchor="end"))
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{unit * current:.1f}" height="14" '
            f'fill="{CURRENT}" rx="2"/>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{unit * required:.1f}" height="18" '
            f'fill="none" stroke="{INK}" stroke-width="1.5" stroke-dasharray="3 2" rx="2"/>'
        )
        parts.append(_text(label_w + bar_w + 8, y + 17, f"{current}/{required}", size=12))
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 — every label went through escape()


def columns(
    points: Sequence[tuple[str, int]], *, title: str, desc: str, max_value: int | None = None
) -> SafeString:
    """A column per point (label, value), e.g. active days per week."""
    col_w, gap, plot_h = 34, 10, 110
    width = 40 + len(points) * (col_w + gap)
    height = plot_h + 50
    top = max_value or max((v for _l, v in points), default=0) or 1
    head, tail = _open(width, height, title, desc, "chart-columns")
    parts = [head]
    base = 20 + plot_h
    parts.append(f'<line x1="30" y1="{base}" x2="{width}" y2="{base}" stroke="{GRID}"/>')
    for i, (label, value) in enumerate(points):
        x = 36 + i * (col_w + gap)
        h = plot_h * value / top
        parts.append(
            f'<rect x="{x}" y="{base - h:.1f}" width="{col_w}" height="{h:.1f}" '
            f'fill="{CURRENT}" rx="2"/>'
        )
        parts.append(_text(x + col_w / 2, base - h - 4, str(value), anchor="middle", size=11))
        parts.append(_text(x + col_w / 2, base + 16, label, anchor="middle", size=10, fill=MUTED))
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308


def funnel(stages: Sequence[tuple[str, int]], *, title: str, desc: str) -> SafeString:
    """Horizontal bars, each stage as wide as its share of the first."""
    label_w, bar_w, row_h = 170, 330, 30
    width = label_w + bar_w + 70
    height = 10 + row_h * len(stages)
    first = stages[0][1] if stages and stages[0][1] else 1
    head, tail = _open(width, height, title, desc, "chart-funnel")
    parts = [head]
    for i, (label, count) in enumerate(stages):
        y = 6 + i * row_h
        w = bar_w * count / first
        parts.append(_text(label_w - 8, y + 16, _clip(label), anchor="end"))
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="20" fill="{CURRENT}" '
            f'fill-opacity="{1 - i * 0.12:.2f}" rx="2"/>'
        )
        share = round(100 * count / first)
        parts.append(_text(label_w + w + 6, y + 16, f"{count} ({share}%)", size=12))
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308


def heatmap(
    columns_: Sequence[str], rows: Sequence[tuple[str, Sequence[int]]], *, title: str, desc: str
) -> SafeString:
    """A grid of levels 0–5: one row per learner, one column per skill; each cell also
    prints its number, so the chart reads without colour."""
    label_w, cell, head_h = 150, 34, 120
    # Room on the right for the last column's slanted label.
    width = label_w + cell * max(len(columns_), 1) + 110
    height = head_h + cell * max(len(rows), 1) + 10
    head, tail = _open(width, height, title, desc, "chart-heatmap")
    parts = [head]
    for j, label in enumerate(columns_):
        x = label_w + j * cell + cell / 2
        parts.append(
            f'<text transform="translate({x + 4:.1f},{head_h - 6}) rotate(-50)" font-size="11" '
            f'fill="{INK}">{escape(_clip(label, 20))}</text>'
        )
    for i, (label, values) in enumerate(rows):
        y = head_h + i * cell
        parts.append(_text(label_w - 8, y + cell / 2 + 4, _clip(label, 16), anchor="end", size=12))
        for j, value in enumerate(values):
            level = max(0, min(5, int(value)))
            x = label_w + j * cell
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="{HEAT[level]}" stroke="{GRID}"/>'
            )
            parts.append(
                _text(
                    x + cell / 2 - 1,
                    y + cell / 2 + 4,
                    str(level),
                    anchor="middle",
                    size=12,
                    fill=HEAT_TEXT[level],
                )
            )
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308
