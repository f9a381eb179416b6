"""Tables drawn as plain HTML: text wraps on every screen, a phone shows each row as a card (every cell with
its column's name; a performance group first, as a chip), paper prints every row. Every cell is escaped: a
task title or a plan's unit is text, never markup (and st.html runs no Markdown)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st

from papi_analysis import fmt
from papi_analysis.present.charts import GROUP_COLOURS, GROUP_TEXT_COLOURS

# st.markdown (chip tables, chip lines) still acts on what lies outside an HTML block (a blank line in a cell
# ends it) and on autolinks: each character that HTML, Markdown or an autolink could act on is written as a
# numeric character reference, which the reader sees as the character itself.
_ACTIVE = re.compile(r"[&<>\"'\\`*_{}\[\]()#+\-.!|~:$=@\r\n]")


def text(value: object) -> str:
    """Text shown literally inside HTML, whether rendered by st.html or by st.markdown."""
    return _ACTIVE.sub(lambda m: f"&#{ord(m.group())};", str(value))


def group_chip(group: str | None) -> str:
    """A performance group as a coloured chip that names the group (HTML)."""
    if not group or group not in GROUP_COLOURS:
        return fmt.MISSING if not group else text(group)
    return (
        f'<span class="papi-chip" style="background:{GROUP_COLOURS[group]};color:{GROUP_TEXT_COLOURS[group]}">'
        f"{text(group)}</span>"
    )


CODE_COLUMNS = frozenset({"Mã"})  # a task's code stays on one line ("T002", never "T00 / 2")
MARK = " *"  # a change that spans 2017→2018 (6 → 8 dimensions), as the overview's table marks it


def _cell_text(value: object, format_value: Callable[[object], str] | None) -> str:
    if format_value is not None:
        return format_value(value)
    if fmt.is_missing(value):
        return fmt.MISSING
    if isinstance(value, float):
        return fmt.number(value)
    return str(value)


def _with_integers(frame: pd.DataFrame, formats: dict[str, Callable[[object], str]] | None) -> dict:
    """The formats, plus whole numbers (a year, a rank) as they are: 2021, not 2.021,00."""
    formats = dict(formats or {})
    for column in frame.columns:
        if column not in formats and pd.api.types.is_integer_dtype(frame[column]):
            formats[column] = lambda v: fmt.MISSING if fmt.is_missing(v) else str(int(v))
    return formats


def as_text(
    frame: pd.DataFrame,
    formats: dict[str, Callable[[object], str]] | None,
    marked: pd.DataFrame | None = None,
    keep: str | None = None,
) -> pd.DataFrame:
    """Every cell as the reader sees it (formatted; MARK after a marked cell); the column `keep` as it is."""
    formats = _with_integers(frame, formats)
    text = pd.DataFrame(
        {c: frame[c] if c == keep else frame[c].map(lambda v, c=c: _cell_text(v, formats.get(c))) for c in frame},
        index=frame.index,
    )
    if marked is not None:
        for column in marked.columns:
            text.loc[marked[column], column] += MARK
    return text


def table_html(
    frame: pd.DataFrame,
    numeric: Iterable[str] = (),
    chips: str | None = "Nhóm",
    formats: dict[str, Callable[[object], str]] | None = None,
    wrap: bool = False,
) -> str:
    """The HTML of a table; `chips`: the column of performance groups; `wrap`: no minimum width (long text
    wraps instead of scrolling)."""
    numeric, formats = frozenset(numeric), _with_integers(frame, formats)
    labels = {c: text(c) for c in frame.columns}
    kinds = lambda c: (("num", c in numeric), ("chip", c == chips), ("code", c in CODE_COLUMNS))
    css = {c: " ".join(k for k, on in kinds(c) if on) for c in frame.columns}
    head = "".join(f'<th class="{css[c]}">{labels[c]}</th>' for c in frame.columns)
    rows = []
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row, strict=True):
            cell = group_chip(value) if column == chips else text(_cell_text(value, formats.get(column)))
            cells.append(f'<td class="{css[column]}" data-label="{labels[column]}">{cell}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    classes = "papi-table papi-cards" + (" papi-wrap" if wrap else "")
    table = f'<table class="{classes}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    return f'<div class="papi-scroll">{table}</div>'


def show(frame: pd.DataFrame, **kwargs) -> None:
    """table_html through st.html: no Markdown, sanitised, never a link made of a cell."""
    st.html(table_html(frame, **kwargs))
