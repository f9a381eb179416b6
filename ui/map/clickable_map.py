"""The map's Streamlit side: a tile map a click on which makes that unit the focus, its small multiples,
and the group chips with their counts (the "Tải ảnh (PNG)" button: ui/chart_image.py)."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from papi_analysis.present import tilemap
from papi_analysis.present.charts import PLOTLY_CONFIG
from ui import chart_image, render, view

CACHE = {"max_entries": 64, "show_spinner": False, "ttl": 3600}  # tile labels hide on a phone: ui/assets/style.css


def _config(file_stem: str) -> dict:
    image = {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": file_stem}
    return {**PLOTLY_CONFIG, "toImageButtonOptions": image, "modeBarButtons": [["toImage"]], "scrollZoom": False}


# The figure object itself is kept (shared, never modified): st.plotly_chart copies a Figure in a few ms,
# while a dict would be validated again on every run (≈70 ms for a map of 63 tiles).
@st.cache_resource(**CACHE)
def _figure(
    frame: pd.DataFrame, islands: pd.DataFrame, year: int, focus: str | None, title: str, note: str, small: bool
):
    return tilemap.tile_map(frame, islands, year, focus, title, note, small)


def chart_key(focus_unit: str) -> str:
    """A new chart whenever the focus changes, so a click never stays selected (a second click on the same
    unit would otherwise unselect it instead of choosing it)."""
    return "tilemap_" + focus_unit.replace(":", "_")


def _picked(key: str) -> None:
    if unit_id := tilemap.picked_unit(st.session_state[key].selection.points):
        view.choose(unit_id)


def clickable_map(frame, islands, year: int, focus_unit: str, title: str, note: str, file_stem: str) -> str:
    """The main map; returns its key (for the PNG button)."""
    key = chart_key(focus_unit)
    figure = _figure(frame=frame, islands=islands, year=year, focus=focus_unit, title=title, note=note, small=False)
    st.plotly_chart(
        figure,
        width="stretch",
        config=_config(file_stem),
        key=key,
        on_select=lambda: _picked(key),
        selection_mode="points",
    )
    return key


def small_map(frame, islands, year: int, focus_unit: str, title: str, file_stem: str, key: str) -> None:
    figure = _figure(frame=frame, islands=islands, year=year, focus=focus_unit, title=title, note="", small=True)
    st.plotly_chart(figure, width="stretch", config=_config(file_stem), key=key)


file_stem = chart_image.file_stem  # the PNG's name, like every other download's ('ban-do_2024_tong-hop')


def chips(counts: dict[str, int | None]) -> None:
    """The groups as chips with how many units each holds (None: no number); 'Không có số liệu' in grey."""
    parts = []
    for group, count in counts.items():
        if group == tilemap.NO_DATA:
            style = f"background:{tilemap.NO_DATA_COLOUR};color:{tilemap.NO_DATA_TEXT}"
            chip = f'<span class="papi-chip" style="{style}">{html.escape(group)}</span>'
        else:
            chip = render.group_chip(group)
        parts.append(chip if count is None else f"{chip}&nbsp;{count}")
    st.markdown(" &nbsp; ".join(parts), unsafe_allow_html=True)
