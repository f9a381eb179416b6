"""The overview's small line of the aggregate over the years of one era, with its years written under it (issue
21): the first and the last year at the ends, the year in view under its point, every point's value on hover.
HTML and SVG from numbers and years only (no outside text)."""

from __future__ import annotations

from collections.abc import Sequence

from papi_analysis import fmt

WIDTH, HEIGHT, PAD = 200.0, 44.0, 5.0
LINE_COLOUR = "#0072B2"
CURRENT_COLOUR = "#D55E00"


def _positions(points: Sequence[tuple[int, float]]) -> list[tuple[float, float]]:
    """Each point in the drawing's box: x spread evenly by year, y from the lowest to the highest value."""
    years = [year for year, _ in points]
    values = [value for _, value in points]
    first, span_x = min(years), max(max(years) - min(years), 1)
    low, span_y = min(values), max(max(values) - min(values), 1e-9)
    return [
        (PAD + (year - first) / span_x * (WIDTH - 2 * PAD), HEIGHT - PAD - (value - low) / span_y * (HEIGHT - 2 * PAD))
        for year, value in points
    ]


def _year_label(year: int, x: float, where: str) -> str:
    share = x / WIDTH * 100
    place = {"start": "left:0", "end": "right:0", "middle": f"left:{share:.1f}%;transform:translateX(-50%)"}[where]
    return f'<span class="papi-spark-year" style="position:absolute;{place}">{year}</span>'


def sparkline_html(points: Sequence[tuple[int, float]], current: int, label: str) -> str:
    """points: (year, value), in year order, at least two; current: the year in view (drawn as a dot); label:
    what the line is, for screen readers (our own words, e.g. 'Điểm tổng hợp')."""
    points = sorted(points)
    xy = _positions(points)
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    # The drawing stretches to the card's width (its years sit at the card's ends): dots as round caps of
    # zero-length strokes, which stay round when stretched.
    dots = "".join(
        f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke-linecap="round" '
        f'stroke-width="{7 if year == current else 4}" stroke="{CURRENT_COLOUR if year == current else LINE_COLOUR}" '
        f'vector-effect="non-scaling-stroke"><title>{year}: {fmt.number(value)}</title></line>'
        for (year, value), (x, y) in zip(points, xy, strict=True)
    )
    first, last = points[0][0], points[-1][0]
    years = [_year_label(first, 0, "start"), _year_label(last, WIDTH, "end")]
    for (year, _), (x, _) in zip(points, xy, strict=True):
        if year == current and year not in (first, last):
            years.append(_year_label(year, x, "middle"))
    described = f"{label} {first}–{last}: " + "; ".join(f"{year}: {fmt.number(value)}" for year, value in points)
    return (
        f'<figure class="papi-spark" role="img" aria-label="{described}" style="margin:0">'
        f'<svg viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" width="100%" height="{HEIGHT:.0f}" '
        'preserveAspectRatio="none" aria-hidden="true" style="display:block;overflow:visible">'
        f'<polyline points="{line}" fill="none" stroke="{LINE_COLOUR}" stroke-width="1.6" '
        f'vector-effect="non-scaling-stroke"/>{dots}</svg>'
        '<div class="papi-spark-years" style="position:relative;height:1.2em;font-size:.75rem;color:#555">'
        f"{''.join(years)}</div></figure>"
    )
