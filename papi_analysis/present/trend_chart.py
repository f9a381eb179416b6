"""The trend chart every page draws (overview lineage, comparison trend, dimension history): one line per
series over the years, drawn so that it never suggests a comparison PAPI does not make.

- Every line breaks at 2018, where PAPI changed its method (D7, D8 added; several dimensions rebuilt), and at
  the first year of the 34 units (2025 reorganisation); a thin band and a label mark each break.
- The aggregate changed scale in 2018 (6–60 → 8–80): a trend that spans both is drawn in two panels, each
  with its own axis titled with its scale, so no point of one era is read on the other's axis.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from papi_analysis import fmt
from papi_analysis.domain import (
    EIGHT_DIMENSION_FROM,
    NEW_UNITS,
    OLD_UNITS,
    REORGANISATION_ACT,
    REORGANISATION_DATE,
    TOTAL,
    UNIT_SET_NOUNS,
    scale_label,
)

BREAK_COLOUR = "#333333"
SCALE_BREAK_NOTE = "Từ 2018: 8 chỉ số, thang 8–80 (trước: 6 chỉ số, 6–60)"
METHOD_BREAK_NOTE = "Từ 2018 PAPI đổi phương pháp (thêm D7, D8; xây dựng lại một số chỉ số): không nối hai giai đoạn"
REORGANISATION_NOTE = (
    f"Từ {fmt.day(REORGANISATION_DATE)}: {UNIT_SET_NOUNS[NEW_UNITS]} ({REORGANISATION_ACT}); "
    f"trước đó {UNIT_SET_NOUNS[OLD_UNITS]}. Đường nét đứt: các tỉnh cũ hợp thành đơn vị mới."
)


def eras(measure: str, years: Sequence[float]) -> list[tuple[float, float]]:
    """The panels of a trend: (first, last year) each. The aggregate across 2018 gets one panel per scale."""
    if not years:
        return [(0, 0)]
    first, last = min(years), max(years)
    if measure == TOTAL and first < EIGHT_DIMENSION_FROM <= last:
        return [(first, EIGHT_DIMENSION_FROM - 1), (EIGHT_DIMENSION_FROM, last)]
    return [(first, last)]


def break_lines(frame: pd.DataFrame, change_year: int | None = None) -> pd.DataFrame:
    """Insert a gap in every line where its meaning changes: between 2017 and 2018 (every measure), and before
    change_year (63 → 34 units), so a group's median over 63 provinces never joins its median over 34 units."""
    breaks = [EIGHT_DIMENSION_FROM] + ([change_year] if change_year else [])
    years = frame.groupby("series", sort=False).year
    gaps = []
    for year in breaks:
        spans = (years.min() < year) & (years.max() >= year)
        gaps.append(frame[frame.series.isin(spans[spans].index)].drop_duplicates("series").assign(year=year - 0.5))
    gaps = [g for g in gaps if len(g)]
    if not gaps:
        return frame
    gaps = pd.concat(gaps).assign(value=float("nan"))
    order = {series: i for i, series in enumerate(frame.series.unique())}  # keep the caller's legend order
    return pd.concat([frame, gaps]).sort_values(
        ["series", "year"], key=lambda c: c.map(order) if c.name == "series" else c
    )


Style = tuple[str | None, str | None, str]  # colour, dash, marker symbol

# The other lines, each its own colour and marker (a group has up to 13 units: 12 besides the focus), none the
# focus's vermillion: Okabe–Ito and Paul Tol's colour-blind-safe sets, dark enough on white.
LINE_COLOURS = (
    "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
    "#882255", "#117733", "#332288", "#999933", "#AA4499", "#44AA99",
)  # fmt: skip
SYMBOLS = (
    "circle", "square", "diamond", "triangle-up", "triangle-down", "x",
    "cross", "pentagon", "star", "hexagon", "triangle-left", "triangle-right",
)  # fmt: skip


def series_styles(series: list[str], focus: str | None, styles: dict[str, Style]) -> dict[str, Style]:
    """A style for every series but the focus: the given ones (a new unit's predecessors) as they are, the others a
    colour and a marker of their own, colours the given ones use left out."""
    taken = {style[0] for style in styles.values()}
    free = [c for c in LINE_COLOURS if c not in taken]
    others = [s for s in series if s != focus and s not in styles]
    return {**styles, **{s: (free[i % len(free)], None, SYMBOLS[i % len(SYMBOLS)]) for i, s in enumerate(others)}}


def trend(
    frame: pd.DataFrame,
    measure: str,
    focus: tuple[str | None, Style],
    styles: dict[str, Style],
    change_year: int | None,
) -> go.Figure:
    """frame: series (legend name), year, value; focus: the focus series and its style; styles: a style for
    each of a new unit's predecessors. The figure without its title and size (charts.trend adds them)."""
    frame = break_lines(frame, change_year)
    years = sorted(frame.year.dropna().unique())
    panels = eras(measure, years)
    fig = _panels(panels)
    order = list(frame.series.unique())
    every = series_styles(order, focus[0], styles)
    # The focus is drawn last (on top of the others); the legend keeps the caller's order.
    drawn = sorted(frame.groupby("series", sort=False), key=lambda item: item[0] == focus[0])
    for series, rows in drawn:
        named = False  # one legend entry per series, on the first panel it is drawn in (a unit from 2025 too)
        for column, (first, last) in enumerate(panels, start=1):
            part = rows[(rows.year >= first - 0.5) & (rows.year <= last)]
            if part.value.notna().any():
                style = focus[1] if series == focus[0] else every[series]
                emphasis = 2 if series == focus[0] else 1 if series in styles else 0
                line = _line(str(series), part, style, emphasis, not named)
                fig.add_trace(line.update(legendrank=order.index(series) + 1), row=1, col=column)
                named = True
    for column, (first, last) in enumerate(panels, start=1):
        shown = [y for y in years if first <= y <= last]
        whole = [int(y) for y in shown if float(y).is_integer()]
        step = 1 if len(whole) <= 8 / len(panels) else 2  # every year would crowd a phone's axis
        fig.update_xaxes(tickvals=whole[::step], tickformat="d", row=1, col=column)
        fig.update_yaxes(title=scale_label(measure, int(first)), row=1, col=column)
    _markers(fig, measure, years, panels, change_year)
    return fig


def _panels(panels: list[tuple[float, float]]) -> go.Figure:
    if len(panels) == 1:
        return make_subplots(rows=1, cols=1)
    widths = [max(1.0, last - first + 1) for first, last in panels]
    return make_subplots(rows=1, cols=len(panels), column_widths=widths, horizontal_spacing=0.1)


def _line(series: str, rows: pd.DataFrame, style: Style, emphasis: int, legend: bool) -> go.Scatter:
    """emphasis: 2 the focus, 1 a predecessor, 0 another series."""
    colour, dash, symbol = style
    return go.Scatter(
        x=rows.year,
        y=rows.value,
        name=series,
        legendgroup=series,
        showlegend=legend,
        mode="lines+markers",
        connectgaps=False,
        line={"width": (1.5, 2.5, 4)[emphasis], "color": colour, "dash": dash},
        marker={"symbol": symbol, "size": 8 if emphasis == 1 else 6},
        opacity=1 if emphasis else 0.75,
        hovertemplate=f"{series}<br>Năm %{{x}}: %{{y:.4f}}<extra></extra>",
    )


def _markers(fig: go.Figure, measure: str, years: list, panels: list, change_year: int | None) -> None:
    if years and years[0] < EIGHT_DIMENSION_FROM <= years[-1]:
        label, note = (
            (f"{EIGHT_DIMENSION_FROM}: đổi thang điểm", SCALE_BREAK_NOTE)
            if measure == TOTAL
            else (f"{EIGHT_DIMENSION_FROM}: đổi phương pháp", METHOD_BREAK_NOTE)
        )
        _year_marker(fig, EIGHT_DIMENSION_FROM, label, note, column=len(panels))
    if change_year is not None and years and years[0] < change_year <= years[-1]:
        label = f"{change_year}: {UNIT_SET_NOUNS[NEW_UNITS]}"
        _year_marker(fig, change_year, label, REORGANISATION_NOTE, column=len(panels))


def _year_marker(fig: go.Figure, year: int, label: str, note: str, column: int) -> None:
    """A thin band just before `year` with a label above it: where a series' meaning changes (in the last
    panel: the panel of the years from 2018)."""
    axis = "x" if column == 1 else f"x{column}"
    fig.add_vrect(x0=year - 0.5, x1=year - 0.45, line_width=0, fillcolor=BREAK_COLOUR, opacity=0.5, row=1, col=column)
    fig.add_annotation(
        x=year - 0.5,
        xref=axis,
        y=1.0,
        yref="paper",
        yanchor="bottom",
        xanchor="left",
        showarrow=False,
        text=label,
        hovertext=note,
        font={"size": 11},
    )
