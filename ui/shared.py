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


def _key(identity: tuple) -> object:
    """The data's stamp and the view's identity, as one text where it can be (loaders.key_text). The cached
    functions below are called with their arguments by name (ui.loaders.stamped says why)."""
    key = (loaders.stamp(), *map(loaders.cache_key, identity))
    return loaders.key_text(key) or key


@st.cache_resource(**FIGURES)
def _view_figure(builder: str, identity: object, _inputs: Callable[[], tuple]) -> SharedFigure:
    return SharedFigure(getattr(charts, builder)(*_inputs()))


def chart(builder: Callable, identity: tuple, inputs: Callable[[], tuple], key: str, image: list[object]) -> None:
    """Draw charts.<builder>(*inputs()), built once per `identity` and data write stamp, for every session, and
    its "Tải ảnh (PNG)" (image: the parts of the file's name)."""
    figure = _view_figure(builder=builder.__name__, identity=_key(identity), _inputs=inputs)
    st.plotly_chart(figure, width="stretch", config=charts.PLOTLY_CONFIG, key=key)
    chart_image.button(key, image)


@st.cache_resource(**FIGURES)
def _view_chip_table(identity: object, _numeric: tuple[str, ...], _rows: Callable[[], pd.DataFrame]) -> str:
    return chip_table_html(_rows(), frozenset(_numeric))  # _numeric is part of `identity`


def chip_table(identity: tuple, rows: Callable[[], pd.DataFrame], numeric: Iterable[str] = ()) -> None:
    """render.chip_table(rows()), its HTML built once per `identity` and data write stamp."""
    numeric = tuple(sorted(numeric))
    html_table = _view_chip_table(identity=_key((*identity, numeric)), _numeric=numeric, _rows=rows)
    st.markdown(html_table, unsafe_allow_html=True)
