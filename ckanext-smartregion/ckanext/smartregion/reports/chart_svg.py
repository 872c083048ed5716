"""A small line chart as inline SVG for the reports' PDF: WeasyPrint runs no JavaScript, so
the page's Chart.js cannot draw there, and a plotting library would be a heavy dependency
for one line with two markers."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT, PAD = 160, 60, 14
MAX_POINTS = 24  # a sparkline shows the trend; more points only slow the PDF down


def line_chart(
    series: list[tuple[str, float]], target: tuple[str, float] | None, label: str
) -> str:
    """The series as a polyline, the target as a dashed line; empty when fewer than 2 points."""
    if len(series) < 2:
        return ""
    if len(series) > MAX_POINTS:  # keep the first and the last point
        step = (len(series) - 1) / (MAX_POINTS - 1)
        series = [series[round(i * step)] for i in range(MAX_POINTS)]
    numbers = [v for _, v in series] + ([target[1]] if target else [])
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1.0

    def x(i: int) -> float:
        return PAD + i * (WIDTH - 2 * PAD) / (len(series) - 1)

    def y(v: float) -> float:
        return HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD)

    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, (_, v) in enumerate(series))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(label)}">',
        f'<polyline fill="none" stroke="#0b5394" stroke-width="2" points="{points}"/>',
    ]
    if target:
        parts.append(
            f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(target[1]):.1f}" y2="{y(target[1]):.1f}" '
            'stroke="#b45309" stroke-dasharray="4 3"/>'
        )
    parts.append(f'<text x="{PAD}" y="{HEIGHT - 3}" font-size="9">{escape(series[0][0])}</text>')
    parts.append(
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 3}" font-size="9" text-anchor="end">'
        f"{escape(series[-1][0])}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
