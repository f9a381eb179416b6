"""The tile map of Vietnam coloured by performance group (data in, go.Figure out): one square per unit of
the year's set in the palette of the other charts, a unit without a score in grey ("Không có số liệu",
never a group's colour), the focus unit outlined, and the archipelagos Hoàng Sa (Đà Nẵng) and Trường Sa
(Khánh Hòa) always drawn and named at their real positions east of the coast."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from papi_analysis import fmt
from papi_analysis.domain import GROUPS
from papi_analysis.present.charts import GROUP_COLOURS, GROUP_TEXT_COLOURS, wrap
from papi_analysis.present.tiles import TileLayout
from papi_analysis.reference import Reference

NO_DATA = "Không có số liệu"
NO_DATA_COLOUR, NO_DATA_TEXT = "#D0D0D0", "#333333"
ISLAND_COLOUR, SEA_TEXT = "#4D4D4D", "#6B7F99"
TILE = 0.9  # a tile's side in grid cells (the rest is the gap)
UNITS_TRACE = "Tỉnh, thành phố"  # the trace whose points are the units (clicks choose one)


def map_frame(table: pd.DataFrame, ref: Reference, layout: TileLayout, year: int, measure: str) -> pd.DataFrame:
    """One row per tile of the layout with the unit's score, ranks and group in the year (NaN/None: PAPI
    published no score for it). table: metrics.rank_table with each unit in its own region."""
    rows = table.loc[(table.year.to_numpy() == year) & (table.measure.to_numpy() == measure)]
    columns = ["unit_id", "value", "national_rank", "national_n", "comparison_rank", "comparison_n"]
    frame = layout.tiles.merge(rows[[*columns, "performance_group"]], on="unit_id", how="left")
    frame["region"] = frame.unit_id.map(lambda u: ref.region_name(str(ref.unit(u)["region_id"])))
    frame["performance_group"] = frame.performance_group.astype(object).where(frame.value.notna(), None)
    return frame


def map_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The map as a table to download: every unit of the set, best first, those without a score last."""
    rows = frame.sort_values(["national_rank", "name"], na_position="last")
    return pd.DataFrame(
        {
            "Tỉnh, thành phố": rows.name,
            "Vùng": rows.region,
            "Điểm": rows.value.round(2),
            "Hạng toàn quốc": rows.national_rank.astype("Int64"),
            "Số tỉnh xếp hạng": rows.national_n.astype("Int64"),
            "Hạng trong vùng": rows.comparison_rank.astype("Int64"),
            "Nhóm": rows.performance_group.fillna(NO_DATA),
        }
    ).reset_index(drop=True)


def region_rank_note(frame: pd.DataFrame, region: str, year: int) -> str | None:
    """Why a region rank reads x/12 for 13 members: 'Vùng Đồng bằng sông Cửu Long: 12 tỉnh, thành phố có điểm;
    PAPI 2024 không công bố điểm của Tiền Giang.' None when every member has a score."""
    members = frame[frame.region == region]
    missing = members[members.value.isna()].name.tolist()
    if not missing:
        return None
    return (
        f"Vùng {region}: {len(members) - len(missing)} tỉnh, thành phố có điểm; "
        f"PAPI {year} không công bố điểm của {', '.join(missing)}."
    )


def group_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Units per group, then those without a score (the legend's numbers)."""
    counts = {g: int((frame.performance_group == g).sum()) for g in GROUPS}
    return counts | {NO_DATA: int(frame.value.isna().sum())}


def hover_text(row, year: int) -> str:
    name = f"<b>{html.escape(row.name)}</b>"
    if pd.isna(row.value):
        return f"{name}<br>{NO_DATA} năm {year}"
    return (
        f"{name}<br>Điểm: {fmt.number(row.value)}<br>Hạng toàn quốc: {fmt.rank(row.national_rank, row.national_n)}"
        f"<br>Hạng trong vùng: {fmt.rank(row.comparison_rank, row.comparison_n)} ({html.escape(row.region)})"
        f"<br>Nhóm: {row.performance_group}"
    )


def picked_unit(points: list[dict]) -> str | None:
    """The unit a click on the map chose (plotly selection points; the units carry their id)."""
    for point in points or []:
        unit_id = point.get("customdata")
        if isinstance(unit_id, list):
            unit_id = unit_id[0] if unit_id else None
        if isinstance(unit_id, str) and unit_id:
            return unit_id
    return None


def _tiles(frame: pd.DataFrame, focus_unit: str | None) -> list[dict]:
    """The squares, as layout shapes (set at once: adding shapes one by one is slow in plotly)."""
    half, shapes = TILE / 2, []
    for t in frame.itertuples():
        colour = GROUP_COLOURS.get(t.performance_group, NO_DATA_COLOUR)
        focus = t.unit_id == focus_unit
        shapes.append(
            {
                "type": "rect",
                "x0": t.col - half,
                "x1": t.col + half,
                "y0": t.row - half,
                "y1": t.row + half,
                "fillcolor": colour,
                "line": {"color": "#000000" if focus else colour, "width": 3 if focus else 0},
                "layer": "below",
            }
        )
    return shapes


def _units(fig: go.Figure, frame: pd.DataFrame, year: int, focus_unit: str | None, labels: bool) -> None:
    text = [
        (f"<b>{t.label}</b>" if t.unit_id == focus_unit else t.label).replace(" ", "<br>") if labels else ""
        for t in frame.itertuples()
    ]
    colours = [GROUP_TEXT_COLOURS.get(g, NO_DATA_TEXT) for g in frame.performance_group]
    fig.add_trace(
        go.Scatter(
            x=frame.col,
            y=frame.row,
            mode="markers+text" if labels else "markers",
            name=UNITS_TRACE,
            text=text,
            textfont={"size": 9, "color": colours},
            marker={"symbol": "square", "size": 24 if labels else 10, "color": "rgba(0,0,0,0)"},
            customdata=frame.unit_id,
            hovertext=[hover_text(t, year) for t in frame.itertuples()],
            hoverinfo="text",
            showlegend=False,
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 1}},
        )
    )


def _legend(fig: go.Figure, counts: dict[str, int]) -> None:
    """One square per group and one for 'no data', with how many units each holds."""
    for group, count in counts.items():
        if group == NO_DATA and not count:
            continue
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=f"{group} ({count})",
                marker={"symbol": "square", "size": 14, "color": GROUP_COLOURS.get(group, NO_DATA_COLOUR)},
                hoverinfo="skip",
            )
        )


def _archipelagos(fig: go.Figure, islands: pd.DataFrame, small: bool) -> tuple[list[dict], list[dict]]:
    """Each archipelago's islands as dots at their real grid positions, framed and named with its unit;
    returns the frames (shapes) and names (annotations)."""
    shapes, annotations = [], []
    for name, rows in islands.groupby("archipelago", sort=False):
        parent = rows.parent.iloc[0]
        title = f"Quần đảo {name} ({parent})"
        fig.add_trace(
            go.Scatter(
                x=rows.col,
                y=rows.row,
                mode="markers",
                name=title,
                marker={"size": 3 if small else 5, "color": ISLAND_COLOUR},
                hovertext=[f"{html.escape(f)}<br>{title}" for f in rows.feature],
                hoverinfo="text",
                showlegend=False,
            )
        )
        pad = 0.35
        box = {"x0": rows.col.min() - pad, "x1": rows.col.max() + pad, "y0": rows.row.min() - pad}
        shapes.append(
            {"type": "rect", **box, "y1": rows.row.max() + pad, "line": {"color": ISLAND_COLOUR, "dash": "dot"}}
        )
        annotations.append(
            {
                "x": rows.col.mean(),
                "y": rows.row.max() + pad,
                "yanchor": "top",
                "text": f"QĐ. {name}" if small else f"Quần đảo {name}<br>({parent})",
                "showarrow": False,
                "font": {"size": 8 if small else 11, "color": ISLAND_COLOUR},
            }
        )
    return shapes, annotations


def tile_map(
    frame: pd.DataFrame,
    islands: pd.DataFrame,
    year: int,
    focus_unit: str | None,
    title: str,
    note: str = "",
    small: bool = False,
) -> go.Figure:
    """frame: map_frame. small: a map of the small multiple (no tile labels, no legend)."""
    fig = go.Figure()
    _units(fig, frame, year, focus_unit, labels=not small)
    island_shapes, annotations = _archipelagos(fig, islands, small)
    if not small:
        _legend(fig, group_counts(frame))
        sea = {"x": 12.5, "y": 12.8, "text": "<i>Biển Đông</i>", "font": {"size": 13, "color": SEA_TEXT}}
        annotations.append({**sea, "showarrow": False})
    if note:
        annotations.append(
            dict(x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="top", yshift=-4,
                 text=wrap(note, 70), showarrow=False, align="left", font={"size": 10, "color": NO_DATA_TEXT})
        )  # fmt: skip
    fig.update_layout(shapes=_tiles(frame, focus_unit) + island_shapes, annotations=annotations)
    right = max(frame.col.max(), islands.col.max()) + 1.6  # room for the archipelagos' names
    bottom = max(frame.row.max(), islands.row.max()) + 1.0
    fig.update_xaxes(range=[frame.col.min() - 0.8, right], visible=False, fixedrange=True, constrain="domain")
    fig.update_yaxes(range=[bottom, -0.8], visible=False, fixedrange=True, scaleanchor="x", constrain="domain")
    fig.update_layout(
        title={
            "text": wrap(title, 32 if small else 44),
            "x": 0,
            "xanchor": "left",
            "font": {"size": 13 if small else 16},
        },
        height=360 if small else 780,
        margin={"l": 4, "r": 4 if small else 24, "t": 50 if small else 70, "b": 4 if small else 44},
        legend={"orientation": "v", "yanchor": "top", "y": 1.0, "x": 1.0, "xanchor": "right", "title": None},
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        dragmode=False,
        hovermode="closest",
        hoverdistance=30,
        clickmode="event+select",
        showlegend=not small,
    )
    return fig
