"""SVG charts drawn on the server, so they stay sharp in print and need no JavaScript.

A chart is described by the composer as plain data (`{"kind": "bars", "series": [...],
"bars": [{"label", "values", "texts"}]}`); `bar_chart_svg` draws it as horizontal bars,
each with its label above it — long Vietnamese indicator names wrap instead of being
cut. Every piece of text comes from the data and is escaped here.
"""

import textwrap
from xml.sax.saxutils import escape, quoteattr

WIDTH = 600  # CSS px; the A4 text block is about 620 px wide
FONT = "BK Sans"  # the @font-face family of the shipped Noto Sans (see the report's CSS)
FONT_SIZE = 12
LINE = 15
BAR = 13
BAR_GAP = 3
GROUP_GAP = 10
VALUE_ROOM = 80  # room right of the longest bar for its value
LABEL_CHARS = 88  # Noto Sans at 12 px: about 6.5 px a character

SERIES_COLOURS = ["#8b1a1a", "#9aa5b1", "#d4a017"]
TONES = {
    "done_on_time": "#2e7d32",
    "done_late": "#ef6c00",
    "within_deadline": "#1565c0",
    "overdue": "#c62828",
    "recurring": "#00838f",
    "no_deadline": "#757575",
}


def _text(x, y, content, *, size=FONT_SIZE, anchor="start", weight="normal", fill="#222") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family={quoteattr(FONT)} font-size="{size}" '
        f'font-weight="{weight}" text-anchor="{anchor}" fill="{fill}">{escape(content)}</text>'
    )


def bar_chart_svg(chart: dict) -> str:
    bars = chart.get("bars") or []
    series = chart.get("series") or [""]
    values = [value for bar in bars for value in bar["values"] if value is not None]
    scale = max([chart.get("scale_max") or 0.0, chart.get("reference") or 0.0, *values, 0.0]) or 1.0
    room = WIDTH - VALUE_ROOM
    parts = []
    y = 0.0

    if len(series) > 1:
        x = 0.0
        for index, name in enumerate(series):
            colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
            parts.append(f'<rect x="{x:.1f}" y="{y + 2:.1f}" width="10" height="10" fill="{colour}"/>')
            parts.append(_text(x + 14, y + 11, name))
            x += 24 + len(name) * 6.8
        y += LINE + 6

    for bar in bars:
        for line in textwrap.wrap(bar["label"], LABEL_CHARS) or [""]:
            y += LINE
            parts.append(_text(0, y - 3, line))
        y += 2
        for index, value in enumerate(bar["values"]):
            colour = TONES.get(bar.get("tone", ""), SERIES_COLOURS[index % len(SERIES_COLOURS)])
            length = 0.0 if value is None else max(room * value / scale, 1.0 if value else 0.0)
            parts.append(f'<rect x="0" y="{y:.1f}" width="{length:.1f}" height="{BAR}" fill="{colour}"/>')
            text = bar["texts"][index] if index < len(bar.get("texts", [])) else ""
            parts.append(_text(length + 4, y + BAR - 2, text, weight="bold"))
            y += BAR + BAR_GAP
        y += GROUP_GAP

    reference = chart.get("reference")
    if reference:
        x = room * reference / scale
        top = LINE + 6 if len(series) > 1 else 0
        parts.append(
            f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{y - GROUP_GAP:.1f}" stroke="#444" stroke-dasharray="4 3"/>'
        )
        parts.append(_text(x, y + 2, f"{reference:g}%", size=9, anchor="middle", fill="#444"))
        y += 10

    height = max(y, 10.0)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img">' + "".join(parts) + "</svg>"
    )


def chart_svg(chart: dict) -> str:
    if chart.get("kind") == "bars":
        return bar_chart_svg(chart)
    raise ValueError(f"unknown chart kind: {chart.get('kind')!r}")
