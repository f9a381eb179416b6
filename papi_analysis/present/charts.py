"""Plotly figure builders: data in, go.Figure out. Vietnamese labels, decimal comma, exact values on hover.

Performance groups use the Okabe–Ito palette (distinguishable with the common colour-vision
deficiencies), always together with the group name written out.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from papi_analysis import fmt
from papi_analysis.domain import GROUPS, TOTAL
from papi_analysis.files import export
from papi_analysis.present import trend_chart
from papi_analysis.present.plotly_vi import PLOTLY_CONFIG  # noqa: F401  (every chart's config, imported from here by the UI)
from papi_analysis.results.total_change import TotalChange

GROUP_COLOURS = {
    "Cao nhất": "#0072B2",
    "Trung bình cao": "#56B4E9",
    "Trung bình thấp": "#E69F00",
    "Thấp nhất": "#D55E00",
}
GROUP_TEXT_COLOURS = {
    "Cao nhất": "#FFFFFF",
    "Trung bình cao": "#000000",
    "Trung bình thấp": "#000000",
    "Thấp nhất": "#FFFFFF",
}
FOCUS_COLOUR = "#D55E00"
# A new unit's predecessors, one each (Okabe–Ito, without the focus's vermillion), dotted and with open markers.
PREDECESSOR_STYLES = (
    ("#0072B2", "dot", "circle-open"),
    ("#009E73", "dash", "square-open"),
    ("#CC79A7", "dashdot", "diamond-open"),
    ("#000000", "longdash", "triangle-up-open"),
)
OTHER_COLOUR = "#9AA5B1"
MEDIAN_COLOUR = "#333333"
SOURCE = f"Nguồn: {export.SOURCE}"  # under a chart picture; the same source as every exported file


def wrap(title: str, width: int = 48) -> str:
    """Plotly titles do not wrap: break long ones at spaces so they fit a phone."""
    lines, line = [], ""
    for word in title.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": wrap(title), "x": 0, "xanchor": "left"},
        separators=",.",  # decimal comma, thousands dot
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        hoverlabel={"namelength": -1},
    )
    return fig


def _marker_line(fig: go.Figure, x: float, label: str, dash: str, row: int = 0) -> None:
    """A vertical reference line (median, quartile) labelled with its value; row staggers close labels."""
    fig.add_vline(x=x, line={"color": MEDIAN_COLOUR, "dash": dash})
    fig.add_annotation(
        x=x,
        y=1.0 + 0.09 * row,
        yref="paper",
        yanchor="bottom",
        showarrow=False,
        font={"size": 11},
        text=f"{label}: {fmt.number(x)}",
    )


def radar(dimensions: pd.DataFrame, focus_name: str, group_label: str, title: str) -> go.Figure:
    """dimensions: code, short_name, focus, group_mean, national_best (one row per dimension)."""
    # Short lines, and a narrower circle: the labels sit outside it and must stay inside a phone's canvas.
    theta = [f"{r.code} {wrap(r.short_name, 10)}" for r in dimensions.itertuples()]
    fig = go.Figure()
    for column, name, colour, dash in (
        ("national_best", "Cao nhất cả nước", "#009E73", "dot"),
        ("group_mean", f"Trung bình {group_label}", "#0072B2", "dash"),
        ("focus", focus_name, FOCUS_COLOUR, "solid"),
    ):
        values = dimensions[column].tolist()
        fig.add_trace(
            go.Scatterpolar(
                r=values + values[:1],
                theta=theta + theta[:1],
                name=name,
                mode="lines+markers",
                line={"color": colour, "dash": dash, "width": 3 if column == "focus" else 2},
                fill="toself" if column == "focus" else None,
                fillcolor="rgba(213,94,0,0.15)" if column == "focus" else None,
                hovertemplate="%{theta}<br>" + name + ": %{r:.4f}<extra></extra>",
            )
        )
    fig.update_layout(
        polar={
            "radialaxis": {"range": [0, 10], "tickformat": ".0f"},
            "angularaxis": {"tickfont": {"size": 11}},
            "domain": {"x": [0.22, 0.78]},
        }
    )
    fig = _layout(fig, title, height=540)
    fig.update_layout(margin={"t": 110})  # a title on two lines stays clear of the top label
    return fig


def ranked_bar(rows: pd.DataFrame, focus_unit: str, national_median: float, title: str, axis_title: str) -> go.Figure:
    """rows: unit_id, name, value, national_rank; the focus unit highlighted, national median drawn."""
    rows = rows.sort_values("value")
    colours = [FOCUS_COLOUR if u == focus_unit else OTHER_COLOUR for u in rows.unit_id]
    fig = go.Figure(
        go.Bar(
            x=rows.value,
            y=rows.name,
            orientation="h",
            marker_color=colours,
            customdata=rows[["national_rank"]],
            hovertemplate="%{y}: %{x:.4f} điểm<br>Hạng toàn quốc: %{customdata[0]}<extra></extra>",
        )
    )
    # The scores in a column of their own, right of every bar and of the median's line: no line crosses a label.
    column = max(float(rows.value.max()), national_median) * 1.03
    fig.add_trace(
        go.Scatter(
            x=[column] * len(rows),
            y=rows.name,
            mode="text",
            text=[fmt.number(v) for v in rows.value],
            textposition="middle right",
            cliponaxis=False,
            hoverinfo="skip",
            showlegend=False,
        )
    )
    _marker_line(fig, national_median, "Trung vị cả nước", "dash")
    # Bars start at zero: a bar's length is its score, so no gap between provinces looks bigger than it is.
    fig.update_xaxes(title=axis_title, range=[0, column * 1.14], rangemode="tozero")
    fig.update_yaxes(title=None, automargin=True)
    return _layout(fig, title, height=max(320, 28 * len(rows) + 120))


def group_heatmap(cells: pd.DataFrame, measures: Sequence[str], labels: dict[str, str], title: str) -> go.Figure:
    """cells: province, measure, value, performance_group. Colour = group, text = value."""
    provinces = (
        cells[cells.measure == (TOTAL if TOTAL in measures else measures[0])]
        .sort_values("value", ascending=True)
        .province.tolist()
    )
    provinces += sorted(set(cells.province) - set(provinces))
    value = cells.pivot_table(index="province", columns="measure", values="value", aggfunc="first")
    group = cells.pivot_table(index="province", columns="measure", values="performance_group", aggfunc="first")
    value = value.reindex(index=provinces, columns=list(measures))
    group = group.reindex(index=provinces, columns=list(measures))
    code = {g: i for i, g in enumerate(reversed(GROUPS))}  # 0 = Thấp nhất … 3 = Cao nhất
    z = group.apply(lambda col: col.map(code)).astype(float)
    colours = [GROUP_COLOURS[g] for g in reversed(GROUPS)]
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / 4, colour], [(i + 1) / 4, colour]]
    text = value.apply(lambda col: col.map(fmt.number))
    fig = go.Figure(
        go.Heatmap(
            z=z.values,
            x=[labels.get(m, m) for m in measures],
            y=provinces,
            zmin=-0.5,
            zmax=3.5,
            colorscale=scale,
            text=text.values,
            texttemplate="%{text}",
            customdata=group.fillna("không có điểm").values,
            hovertemplate="%{y} — %{x}<br>Điểm: %{text}<br>Nhóm: %{customdata}<extra></extra>",
            colorbar={
                "tickvals": [0, 1, 2, 3],
                "ticktext": list(reversed(GROUPS)),
                "orientation": "h",
                "y": -0.02,
                "yanchor": "top",
                "thickness": 14,
                "len": 1,
            },
            xgap=2,
            ygap=2,
        )
    )
    fig.update_xaxes(side="top", tickangle=0)
    fig.update_yaxes(automargin=True)
    fig = _layout(fig, title, height=max(360, 30 * len(provinces) + 200))
    fig.update_layout(margin={"t": 100, "b": 60})
    return fig


def trend(
    frame: pd.DataFrame,
    measure: str,
    focus_series: str | None,
    title: str,
    predecessors: Sequence[str] = (),
    change_year: int | None = None,
) -> go.Figure:
    """frame: series (legend name), year, value. Lines break at 2018 and at the reorganisation (change_year: the
    first year of the 34 units); the aggregate across 2018 is drawn on two axes, one per scale (trend_chart).
    A new unit's predecessors are each drawn in their own colour and dash."""
    styles = dict(zip(predecessors, PREDECESSOR_STYLES, strict=False))
    fig = trend_chart.trend(frame, measure, (focus_series, (FOCUS_COLOUR, None, "circle")), styles, change_year)
    return _layout(fig, title, height=460)


def distribution(
    rows: pd.DataFrame, focus_unit: str, quartiles: dict[str, float], title: str, axis_title: str
) -> go.Figure:
    """Every province's score as a strip, the focus marked, quartile cut-offs drawn."""
    others = rows[rows.unit_id != focus_unit]
    focus = rows[rows.unit_id == focus_unit]
    fig = go.Figure()
    fig.add_trace(
        go.Box(
            x=others.value,
            name="Các tỉnh",
            boxpoints="all",
            jitter=0.5,
            pointpos=0,
            marker_color=OTHER_COLOUR,
            fillcolor="rgba(0,0,0,0)",
            line={"color": "rgba(0,0,0,0)"},
            text=others.name,
            hovertemplate="%{text}: %{x:.4f}<extra></extra>",
            hoveron="points",  # the box itself is invisible: no hover label of quartiles
            showlegend=False,
        )
    )
    if not focus.empty:
        fig.add_trace(
            go.Scatter(
                x=focus.value,
                y=["Các tỉnh"],
                mode="markers+text",
                name=focus.name.iloc[0],
                marker={"color": FOCUS_COLOUR, "size": 16, "symbol": "diamond", "line": {"width": 1, "color": "#000"}},
                text=focus.name,
                textposition="top center",
                hovertemplate="%{text}: %{x:.4f}<extra></extra>",
            )
        )
    for row, (label, value) in enumerate(quartiles.items()):
        _marker_line(fig, value, label, "dot", row % 2)
    fig.update_xaxes(title=axis_title)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, height=340)


def plan_effect(rows: pd.DataFrame, title: str, axis_title: str) -> go.Figure:
    """rows: plan_effect.PlanEffect.rows. Each dimension's score change, labelled with its specific tasks done
    out of planned ("+0,47 (2/13)"); the aggregate (another scale) is left to the table."""
    rows = rows[rows.change.notna() & (rows.code != TOTAL)].iloc[::-1]
    labels = [f"{r.code} {r.name}" for r in rows.itertuples()]
    done = [f"{int(r.done)}/{int(r.tasks)}" if r.tasks else "0 nhiệm vụ" for r in rows.itertuples()]
    fig = go.Figure(
        go.Bar(
            x=rows.change,
            y=labels,
            orientation="h",
            marker_color=["#009E73" if c >= 0 else FOCUS_COLOUR for c in rows.change],
            text=[f"{fmt.signed(c)} ({d})" for c, d in zip(rows.change, done, strict=True)],
            textposition="outside",
            cliponaxis=False,
            customdata=done,
            hovertemplate="%{y}: %{x:+.4f} điểm<br>Nhiệm vụ hoàn thành: %{customdata}<extra></extra>",
        )
    )
    fig.add_vline(x=0, line={"color": MEDIAN_COLOUR})
    low, high = min(0.0, float(rows.change.min())), max(0.0, float(rows.change.max()))
    span = max(high - low, 0.1)
    fig.update_xaxes(title=axis_title, range=[low - (0.6 * span if low < 0 else 0.05 * span), high + 0.6 * span])
    fig.update_yaxes(title=None, automargin=True)
    return _layout(fig, title, height=max(320, 40 * len(rows) + 140))


def subdimension_profile(
    rows: pd.DataFrame, focus_name: str, group_label: str, title: str, axis_title: str
) -> go.Figure:
    """rows: depth.subdimension_profile. Each sub-dimension of the focus unit, with its 95% confidence interval as
    a whisker where stored, against the comparison group's median and best (issue 11)."""
    rows = rows.iloc[::-1]
    # the names come from the year's file: escaped, since plotly reads some HTML tags in text (<a>, <b> …)
    labels = [wrap(html.escape(f"{r.code} {r.name}"), 36) for r in rows.itertuples()]
    has_ci = rows.ci_low.notna() & rows.ci_high.notna()
    fig = go.Figure()
    for column, name, colour, symbol in (
        ("group_median", f"Trung vị {group_label}", "#0072B2", "line-ns-open"),
        ("group_best", f"Cao nhất {group_label}", "#009E73", "triangle-up"),
    ):
        fig.add_trace(
            go.Scatter(
                x=rows[column],
                y=labels,
                mode="markers",
                name=name,
                marker={"color": colour, "size": 13, "symbol": symbol, "line": {"width": 2, "color": colour}},
                hovertemplate="%{y}<br>" + name + ": %{x:.4f}<extra></extra>",
            )
        )
    interval = [
        f"{fmt.number(lo)}–{fmt.number(hi)}" if ok else "không công bố"
        for lo, hi, ok in zip(rows.ci_low, rows.ci_high, has_ci, strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            x=rows.value,
            y=labels,
            mode="markers",
            name=focus_name + (" (khoảng tin cậy 95%)" if has_ci.any() else ""),
            marker={"color": FOCUS_COLOUR, "size": 14, "symbol": "diamond", "line": {"width": 1, "color": "#000"}},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (rows.ci_high - rows.value).where(has_ci).tolist(),
                "arrayminus": (rows.value - rows.ci_low).where(has_ci).tolist(),
                "color": FOCUS_COLOUR,
                "thickness": 2,
                "width": 6,
                "visible": bool(has_ci.any()),
            },
            customdata=interval,
            hovertemplate="%{y}<br>" + focus_name + ": %{x:.4f}<br>Khoảng tin cậy 95%: %{customdata}<extra></extra>",
        )
    )
    fig.update_xaxes(title=axis_title)
    fig.update_yaxes(title=None, automargin=True)
    figure = _layout(fig, title, height=max(300, 70 * len(rows) + 160))
    return figure.update_layout(legend={"y": -0.3 if len(rows) < 4 else -0.2})  # below the axis title


def waterfall(change: TotalChange, names: dict[str, str], title: str, axis_title: str) -> go.Figure:
    """The year's change in the aggregate by dimension (results/total_change.py; issue 22): last year's aggregate,
    each dimension's change, the rounding of the published figures when it shows at two decimals, this year's
    aggregate. Only for a change that splits: a refused one is a sentence, never a bridge."""
    steps = list(change.parts)
    if not fmt.rounds_to_zero(change.rounding):
        steps.append(("Làm tròn", change.rounding))
    hover = [names.get(code, "Chênh lệch do làm tròn số công bố") for code, _ in steps]
    fig = go.Figure(
        go.Waterfall(
            x=[str(change.previous_year), *(code for code, _ in steps), str(change.year)],
            y=[change.previous_total, *(value for _, value in steps), 0.0],
            measure=["absolute", *("relative" for _ in steps), "total"],
            text=[fmt.number(change.previous_total), *(fmt.signed(v) for _, v in steps), fmt.number(change.total)],
            textposition="outside",
            customdata=[f"Điểm tổng hợp {change.previous_year}", *hover, f"Điểm tổng hợp {change.year}"],
            hovertemplate="%{customdata}: %{text}<extra></extra>",
            increasing={"marker": {"color": "#009E73"}},
            decreasing={"marker": {"color": FOCUS_COLOUR}},
            totals={"marker": {"color": "#0072B2"}},
            connector={"line": {"color": OTHER_COLOUR, "dash": "dot"}},
            cliponaxis=False,
        )
    )
    running = [change.previous_total]
    for _, value in steps:
        running.append(running[-1] + value)
    pad = max(max(running) - min(running), 0.5) * 0.35
    # Near the scores, not from zero: the chart is about the changes, which every bar's label gives exactly.
    fig.update_yaxes(title=axis_title, range=[min(running) - pad, max(running) + pad])
    fig.update_xaxes(title=None, type="category")
    return _layout(fig, title, height=300)
