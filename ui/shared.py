"""What is the same for every viewer of a view — its figures, the overview's dimension table — built once per
view and data write stamp, and shared by every session (st.cache_resource: one object, never copied).

A page passes an `identity` naming everything the result depends on besides the data (the View, the
measure …) and a callable computing the inputs: a run that finds the result neither computes its input
frames nor hashes them. Measured in bench/RESULTS.md (bench/page_cost.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st

from papi_analysis.present import charts
from ui import chart_image, loaders
from ui.render import FIGURES, SharedFigure, chip_table_html


@st.cache_resource(**FIGURES)
def _view_figure(builder: str, identity: tuple, _inputs: Callable[[], tuple]) -> SharedFigure:
    return SharedFigure(getattr(charts, builder)(*_inputs()))


def chart(builder: Callable, identity: tuple, inputs: Callable[[], tuple], key: str, image: list[object]) -> None:
    """Draw charts.<builder>(*inputs()), built once per `identity` and data write stamp, for every session, and
    its "Tải ảnh (PNG)" (image: the parts of the file's name)."""
    figure = _view_figure(builder.__name__, (loaders.stamp(), *map(loaders.cache_key, identity)), inputs)
    st.plotly_chart(figure, width="stretch", config=charts.PLOTLY_CONFIG, key=key)
    chart_image.button(key, image)


@st.cache_resource(**FIGURES)
def _view_chip_table(identity: tuple, numeric: frozenset[str], _rows: Callable[[], pd.DataFrame]) -> str:
    return chip_table_html(_rows(), numeric)


def chip_table(identity: tuple, rows: Callable[[], pd.DataFrame], numeric: Iterable[str] = ()) -> None:
    """render.chip_table(rows()), its HTML built once per `identity` and data write stamp."""
    key = (loaders.stamp(), *map(loaders.cache_key, identity))
    html_table = _view_chip_table(key, frozenset(numeric), rows)
    st.markdown(html_table, unsafe_allow_html=True)
