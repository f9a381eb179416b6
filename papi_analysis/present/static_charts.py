"""PNG pictures of the dashboard's charts, for the Word report: drawn with matplotlib from the very plotly
figures the pages show (charts.py), so values, names, colours and titles are the dashboard's.

Why not plotly's own image export: it needs kaleido and a Chrome or Chromium on the machine that runs the
dashboard, started for every export (seconds, and one more system package to install and keep working as
a server user). matplotlib is a pip wheel with its own fonts (DejaVu, which has every Vietnamese letter),
needs no browser, and draws both report charts in a fraction of a second. Only what the report's charts
use is drawn — polar lines (the radar) and horizontal bars with labelled reference lines and a column of
labels (the ranking);
any other trace raises, so a change in a figure builder cannot silently drop data from the report.
"""

from __future__ import annotations

import io
import math
import re

import plotly.graph_objects as go
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

_DASHES = {"solid": "-", "dash": "--", "dot": ":", "dashdot": "-.", None: "-"}
_RGBA = re.compile(r"rgba?\(([^)]*)\)")
TEXT_SIZE = 8
# Tick labels with a decimal comma, like the dashboard's charts (plotly separators ",.").
DECIMAL_COMMA = FuncFormatter(lambda value, _: f"{value:g}".replace(".", ","))


def colour(value: object) -> object:
    """A plotly colour ('#0072B2', 'rgba(213,94,0,0.15)') as matplotlib takes it."""
    if isinstance(value, str) and (match := _RGBA.fullmatch(value.replace(" ", ""))):
        parts = [float(p) for p in match.group(1).split(",")]
        return (*(p / 255 for p in parts[:3]), parts[3] if len(parts) > 3 else 1.0)
    return value


def _text(value: object) -> str:
    return re.sub(r"<br\s*/?>", "\n", str(value or ""))


def draw(fig: go.Figure, width_cm: float = 16.0, height_cm: float | None = None) -> Figure:
    """The matplotlib figure of a plotly figure made by charts.radar or charts.ranked_bar."""
    kinds = {trace.type for trace in fig.data}
    if kinds == {"scatterpolar"}:
        return _radar(fig, width_cm, height_cm or width_cm * 0.85)
    bars = [trace for trace in fig.data if trace.type == "bar"]
    labels = [trace for trace in fig.data if trace.type == "scatter" and trace.mode == "text"]
    if bars and len(bars) + len(labels) == len(fig.data) and all(trace.orientation == "h" for trace in bars):
        rows = max(len(trace.y) for trace in bars)
        return _bars(fig, width_cm, height_cm or max(7.0, 0.55 * rows + 3))
    raise ValueError(f"static_charts cannot draw traces of type {sorted(kinds)}")


def png(fig: go.Figure, width_cm: float = 16.0, height_cm: float | None = None, dpi: int = 200) -> bytes:
    figure = draw(fig, width_cm, height_cm)
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _figure(width_cm: float, height_cm: float) -> Figure:
    figure = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), layout="constrained")
    figure.get_layout_engine().set(h_pad=0.08, w_pad=0.08)
    return figure


def _radar(fig: go.Figure, width_cm: float, height_cm: float) -> Figure:
    figure = _figure(width_cm, height_cm)
    ax = figure.add_subplot(projection="polar")
    categories = list(dict.fromkeys(fig.data[0].theta))
    angle = {c: 2 * math.pi * i / len(categories) for i, c in enumerate(categories)}
    for trace in fig.data:
        angles = [angle[t] for t in trace.theta]
        line = trace.line
        ax.plot(
            angles,
            trace.r,
            color=colour(line.color),
            linestyle=_DASHES[line.dash],
            linewidth=(line.width or 2) * 0.7,
            marker="o",
            markersize=3,
            label=trace.name,
        )
        if trace.fill == "toself":
            ax.fill(angles, trace.r, color=colour(trace.fillcolor))
    radial = fig.layout.polar.radialaxis.range or (0, 10)
    ax.set_ylim(*radial)
    ax.set_rlabel_position(180 / len(categories))
    labels = [_text(c) if "<br" in c else c.replace(" ", "\n", 1) for c in categories]
    ax.set_xticks([angle[c] for c in categories], labels, fontsize=TEXT_SIZE)
    ax.tick_params(axis="y", labelsize=TEXT_SIZE - 1)
    ax.yaxis.set_major_formatter(DECIMAL_COMMA)
    ax.set_title(_text(fig.layout.title.text), fontsize=TEXT_SIZE + 2, loc="left")
    figure.legend(loc="outside lower center", ncols=3, fontsize=TEXT_SIZE, frameon=False)
    return figure


def _bars(fig: go.Figure, width_cm: float, height_cm: float) -> Figure:
    figure = _figure(width_cm, height_cm)
    ax = figure.add_subplot()
    for trace in fig.data:
        positions = range(len(trace.y))
        if trace.type == "scatter":  # a column of labels (ranked_bar's scores), left-aligned at its x
            for position, x, label in zip(positions, trace.x, trace.text or [], strict=False):
                ax.annotate(label, (x, position), xytext=(3, 0), textcoords="offset points", va="center",
                            fontsize=TEXT_SIZE, annotation_clip=False)  # fmt: skip
            continue
        colours = trace.marker.color
        colours = [colour(c) for c in colours] if isinstance(colours, (list, tuple)) else colour(colours)
        ax.barh(list(positions), list(trace.x), color=colours)
        ax.set_yticks(list(positions), list(trace.y), fontsize=TEXT_SIZE)
        for position, value, label in zip(positions, trace.x, trace.text or [], strict=False):
            ax.annotate(
                label,
                (value, position),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=TEXT_SIZE,
            )
    for shape in fig.layout.shapes:
        if shape.x0 == shape.x1:
            ax.axvline(shape.x0, color=colour(shape.line.color), linestyle=_DASHES[shape.line.dash], linewidth=1)
    for note in fig.layout.annotations:
        ax.annotate(
            _text(note.text),
            (note.x, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=TEXT_SIZE,
        )
    if fig.layout.xaxis.range:
        ax.set_xlim(*fig.layout.xaxis.range)
    ax.set_xlabel(_text(fig.layout.xaxis.title.text), fontsize=TEXT_SIZE)
    ax.tick_params(axis="x", labelsize=TEXT_SIZE)
    ax.xaxis.set_major_formatter(DECIMAL_COMMA)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(_text(fig.layout.title.text), fontsize=TEXT_SIZE + 2, loc="left", pad=14)
    return figure
