"""Charts drawn at build time as inline, accessible SVG.

The browser gets finished markup: no chart library, no script.  Every label
arrives here already translated and formatted for the page's locale (Babel,
in views.py); this module only places shapes and text.  Each chart carries
its data as table rows too, which the template shows as the text alternative.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from markupsafe import escape

if TYPE_CHECKING:
    from parkpress.site.views import Named

WIDTH, HEIGHT = 560, 240
FONT_SIZE = 13
RIGHT, TOP, BOTTOM = 24, 28, 40
GAP = 8  # between a value label and the plot
LINE_HEIGHT = 18  # of a label that takes more than one line
INK, MUTED, LINE, ACCENT, SOFT = "#1b1f24", "#4a5360", "#d5dae1", "#0b5394", "#e8f0f8"


@dataclass(frozen=True)
class Point:
    label: str  # the x-axis label, e.g. "2021" or "target 2025"
    value: Decimal  # the number as written, which decides the geometry
    text: str  # the value as the reader sees it, e.g. "40,25 Mrd. CN¥"
    x: float | None = None  # position on a numeric x-axis (the year); None: evenly spaced
    emphasis: bool = True  # False draws a hollow mark (a target, not a result)


@dataclass(frozen=True)
class Frame:
    """Where the plot sits: room on the left for the longest value label, and the inset of the first and last
    point from the plot's edges, wide enough for half of the widest label centred on a point."""

    left: float
    pad: float


@dataclass(frozen=True)
class Chart:
    ident: str  # unique within the page; prefixes the ids of <title> and <desc>
    kind: str  # line | bars | share
    title: str | Named  # a figure kind's label: Named, the caption may show it in the msgids' language
    description: str
    svg: str  # the inline <svg> element
    columns: tuple[str, ...]  # the data table's header
    rows: tuple[tuple[str, ...], ...]


_X = re.compile(r'\b(x|cx|x1|x2)="(-?[\d.]+)"')
_RECT = re.compile(r'<rect ([^>]*?)x="(-?[\d.]+)" ([^>]*?)width="([\d.]+)"')
_PATH = re.compile(r'([ML])(-?[\d.]+) ')


def mirrored(svg: str) -> str:
    """The chart for a right-to-left page: every x measured from the right (the axis on the right, the first year
    at the right), text drawn right to left, so its start and end anchors still keep it inside the plot."""

    def rect(match: re.Match) -> str:
        left = WIDTH - float(match.group(2)) - float(match.group(4))
        return f'<rect {match.group(1)}x="{left:.1f}" {match.group(3)}width="{match.group(4)}"'

    svg = _RECT.sub(rect, svg)
    svg = re.sub(r'(<(?!rect)[a-z]+ [^>]*)', lambda m: _X.sub(lambda x: f'{x.group(1)}="{WIDTH - float(x.group(2)):.1f}"', m.group(1)), svg)
    svg = _PATH.sub(lambda m: f"{m.group(1)}{WIDTH - float(m.group(2)):.1f} ", svg)
    return svg.replace('class="chart-svg"', 'class="chart-svg" direction="rtl"', 1)


def _open(ident: str, title: str | Named, description: str, height: int = HEIGHT) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"'
        f' role="img" aria-labelledby="{ident}-title {ident}-desc" font-size="{FONT_SIZE}" font-family="system-ui, sans-serif">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]


def _em(char: str) -> float:
    """A generous width of one character in em: the theme names no font (system-ui), so the estimate must hold for the
    wide ones (DejaVu Sans, Segoe UI) rather than measure one of them."""
    if char in " \u00a0\u202f.,:;'!|ilIjft()[]":  # the spaces Babel puts between number and unit included
        return 0.4
    if char.isdigit():
        return 0.65
    if char in "mwMW%@":
        return 0.95
    if char.isupper():
        return 0.78
    if char.isascii():
        return 0.62
    return 1.0 if ord(char) >= 0x2E80 else 0.8  # CJK is a full em; ¥, €, accented letters a wide Latin letter


def text_width(content: str, bold: bool = False) -> float:
    """How wide ``content`` may be drawn at the charts' font size, in SVG units (bold letters are a little wider)."""
    return sum(map(_em, content)) * FONT_SIZE * (1.1 if bold else 1.0)


def wrapped(content: str, width: float, bold: bool = False) -> list[str]:
    """``content`` in lines no wider than ``width``: broken at spaces (never at the no-break ones Babel
    puts before a unit), and between two characters where one word alone is wider (Chinese has no spaces)."""
    lines, line = [], ""
    for word in re.findall(r"[^ ]+ *", content):
        for piece in [word] if text_width(word.rstrip(), bold) <= width else list(word):
            if line and text_width((line + piece).rstrip(), bold) > width:
                lines.append(line.rstrip())
                line = ""
            line += piece
    return [*lines, line.rstrip()]


def _frame(value_labels: list[str], points: list[Point]) -> Frame:
    """A left margin that holds every value label, and room for the labels centred above and below each point."""
    left = max(text_width(label) for label in value_labels) + GAP + 4
    centred = max(max(text_width(p.text, bold=True), text_width(p.label)) for p in points)
    span = WIDTH - left - RIGHT
    even = span / (2 * len(points)) if len(points) > 1 else span / 2
    # The first label may reach into the margin but not to the value labels there (they end GAP before the plot).
    return Frame(left, max(even, centred / 2 - GAP + 2) if len(points) > 1 else even)


def _fitting(xs: list[float], texts: list[str], bold: bool = False) -> list[bool]:
    """Which of the labels centred at ``xs`` to draw so that none touches another: the last (the latest
    value, the one a reader looks for), then, walking back, every one that still fits.  The data table
    gives them all."""
    half = [text_width(text, bold) / 2 for text in texts]
    shown = [False] * len(xs)
    edge = float("inf")
    for i in sorted(range(len(xs)), key=lambda i: -xs[i]):
        if xs[i] + half[i] + GAP <= edge:
            shown[i] = True
            edge = xs[i] - half[i]
    return shown


def _text(x: float, y: float, content: str, anchor: str = "middle", fill: str = INK, weight: str | None = None) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{bold}>{escape(content)}</text>'


def nice_ticks(low: Decimal, high: Decimal, count: int = 4) -> list[Decimal]:
    """Round tick values (steps of 1, 2 or 5 times a power of ten) covering low..high.

    Decimal all the way: in floats three steps of 0.2 make 0.6000000000000001, which the axis would print.
    """
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = Decimal(1).scaleb(raw.adjusted())  # 10 ** floor(log10(raw)), exactly
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = (low / step).to_integral_value(ROUND_FLOOR) * step
    last = (high / step).to_integral_value(ROUND_CEILING) * step
    return [first + i * step for i in range(int((last - first) / step) + 1)]


def _x_positions(points: list[Point], frame: Frame) -> list[float]:
    """Numeric x (years) keep their distances; otherwise points are spread evenly."""
    span = WIDTH - frame.left - RIGHT
    if all(p.x is not None for p in points) and len({p.x for p in points}) > 1:
        low, high = min(p.x for p in points), max(p.x for p in points)
        return [frame.left + frame.pad + (p.x - low) / (high - low) * (span - 2 * frame.pad) for p in points]
    step = (span - 2 * frame.pad) / max(1, len(points) - 1)
    return [frame.left + frame.pad + i * step for i in range(len(points))]


def _value_axis(ticks: list[Decimal], y: Callable[[Decimal], float], labels: list[str], frame: Frame) -> list[str]:
    """A grid line and a value label per tick, at the height ``y`` gives it; the line and bar charts share it."""
    parts = ['<g class="chart-grid" aria-hidden="true">']
    for tick, label in zip(ticks, labels, strict=True):
        parts.append(f'<line x1="{frame.left:.1f}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="{LINE}"/>')
        parts.append(_text(frame.left - GAP, y(tick) + 4, label, anchor="end", fill=MUTED))
    parts.append("</g>")
    return parts


def rank_chart(ident: str, title: str, description: str, points: list[Point], number: Callable[[Decimal], str], columns, rows) -> Chart:
    """A line of ranks over the years; rank 1 is at the top, as readers expect of a ranking."""
    ticks = [t for t in nice_ticks(min(p.value for p in points), max(p.value for p in points)) if t >= 1] or [Decimal(1)]
    low, high = min(ticks[0], min(p.value for p in points)), max(ticks[-1], max(p.value for p in points))
    if high == low:
        high = low + 1
    plot = HEIGHT - TOP - BOTTOM

    def y(value: Decimal) -> float:
        return TOP + float((value - low) / (high - low)) * plot

    labels = [number(tick) for tick in ticks]
    frame = _frame(labels, points)
    parts = _open(ident, title, description) + _value_axis(ticks, y, labels, frame)
    xs = _x_positions(points, frame)
    path = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f} {y(p.value):.1f}" for i, (x, p) in enumerate(zip(xs, points, strict=True)))
    parts.append(f'<path class="chart-line" d="{path}" fill="none" stroke="{ACCENT}" stroke-width="3"/>')
    values, years = _fitting(xs, [p.text for p in points], bold=True), _fitting(xs, [p.label for p in points])
    for x, point, value, year in zip(xs, points, values, years, strict=True):
        parts.append(f'<circle class="chart-point" cx="{x:.1f}" cy="{y(point.value):.1f}" r="5" fill="{ACCENT}"/>')
        if value:
            parts.append(_text(x, y(point.value) - 10, point.text, weight="700"))
        if year:
            parts.append(_text(x, HEIGHT - BOTTOM + 22, point.label, fill=MUTED))
    parts.append("</svg>")
    return Chart(ident, "line", title, description, "".join(parts), tuple(columns), tuple(rows))


def bar_chart(ident: str, title: str | Named, description: str, points: list[Point], number: Callable[[Decimal], str], columns, rows) -> Chart:
    """Bars from zero, one per year; a hollow bar is a target rather than a result."""
    ticks = nice_ticks(0, max(max(p.value for p in points), 0) or 1)
    high = ticks[-1] or 1
    plot = HEIGHT - TOP - BOTTOM

    def y(value: Decimal) -> float:
        return TOP + plot - float(max(value, 0) / high) * plot

    labels = [number(tick) for tick in ticks]
    frame = _frame(labels, points)
    parts = _open(ident, title, description) + _value_axis(ticks, y, labels, frame)
    xs = _x_positions(points, frame)
    slot = (WIDTH - frame.left - RIGHT) / max(len(points), 2)
    width = min(72.0, slot * 0.6)
    values, years = _fitting(xs, [p.text for p in points], bold=True), _fitting(xs, [p.label for p in points])
    for x, point, value, year in zip(xs, points, values, years, strict=True):
        top = y(point.value)
        style = f'fill="{ACCENT}"' if point.emphasis else f'fill="{SOFT}" stroke="{ACCENT}" stroke-width="2" stroke-dasharray="6 3"'
        css = "chart-bar" if point.emphasis else "chart-bar chart-target"
        parts.append(f'<rect class="{css}" x="{x - width / 2:.1f}" y="{top:.1f}" width="{width:.1f}" height="{y(0) - top:.1f}" {style}/>')
        if value:
            parts.append(_text(x, top - 8, point.text, weight="700"))
        if year:
            parts.append(_text(x, HEIGHT - BOTTOM + 22, point.label, fill=MUTED))
    parts.append("</svg>")
    return Chart(ident, "bars", title, description, "".join(parts), tuple(columns), tuple(rows))


def share_chart(ident: str, title: str, description: str, share: Decimal, label: str, rest: str, columns, rows) -> Chart:
    """One bar standing for the whole, filled to the park's share of it; ``label`` and ``rest`` are the legend's
    'part: share' texts, in the pattern of the language's catalog."""
    span = WIDTH - 2 * 16
    # A long park name leaves no room for the rest beside it: the rest goes on a line of its own;
    # a name longer than the bar goes on as many lines as it needs.
    lines = wrapped(label, span, bold=True)
    side_by_side = len(lines) == 1 and text_width(label, bold=True) + text_width(rest) + 24 <= span
    rest_y = 84 if side_by_side else 84 + LINE_HEIGHT * (len(lines) - 1) + 22
    filled = span * float(min(max(share, 0), 100)) / 100
    parts = _open(ident, title, description, rest_y + 26 if side_by_side else rest_y + 24)
    parts.append(f'<rect class="chart-whole" x="16" y="24" width="{span}" height="36" fill="{SOFT}" stroke="{ACCENT}"/>')
    parts.append(f'<rect class="chart-part" x="16" y="24" width="{filled:.1f}" height="36" fill="{ACCENT}"/>')
    parts.extend(_text(16, 84 + LINE_HEIGHT * i, line, anchor="start", weight="700") for i, line in enumerate(lines))
    parts.append(_text(WIDTH - 16, rest_y, rest, anchor="end", fill=MUTED))
    parts.append("</svg>")
    return Chart(ident, "share", title, description, "".join(parts), tuple(columns), tuple(rows))
