"""Small rendering pieces every page uses: the page header, group chips, tables, charts, downloads.

Text that comes from outside (a URL value, a file name, a cell, a plan title, a user name) goes
through `plain()` before any element that renders Markdown, and is escaped in HTML."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from papi_analysis import charts, export, fmt
from papi_analysis.charts import GROUP_COLOURS, GROUP_TEXT_COLOURS
from papi_analysis.problems import Problem
from ui import view

# What is the same for every session looking at one view: figures, table HTML (small; many views).
FIGURES = {"max_entries": 256, "show_spinner": False, "ttl": 3600}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=\"'])")
# Streamlit's Markdown turns some patterns into links or icons after the escapes are resolved (GFM
# autolink literals on text nodes: https://…, www.…, a@b.c; ':material/…:' icons and ':shortcode:' emoji
# on the raw source), so escaping alone is not enough: an invisible WORD JOINER (U+2060) breaks each
# pattern without changing what the reader sees.
_WORD_JOINER = "\u2060"
_AUTOLINK_TRIGGERS = re.compile(r"(:(?=\S)|(?i:www)(?=\.)|@)")

CSS = """
<style>
.papi-chip{display:inline-block;padding:2px 10px;border-radius:12px;font-size:0.85em;font-weight:600;
  white-space:nowrap}
table.papi-table{width:100%;border-collapse:collapse;font-size:0.95em}
table.papi-table th,table.papi-table td{padding:6px 8px;border-bottom:1px solid rgba(128,128,128,.25);
  text-align:left;vertical-align:top}
table.papi-table td.num,table.papi-table th.num{text-align:right;white-space:nowrap}
div.papi-scroll{overflow-x:auto}
div.papi-scroll table.papi-table{min-width:600px}
@media (max-width:640px){h1{font-size:1.7rem !important}h2{font-size:1.35rem !important}}
</style>
"""


def plain(text: object) -> str:
    """Text shown literally by an element that renders Markdown (no link, image or formatting)."""
    defused = _AUTOLINK_TRIGGERS.sub(lambda m: m.group(1) + _WORD_JOINER, str(text))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", defused)


def page_header(title: str) -> None:
    """Page title, the shared styles and any notice about how the URL was read."""
    st.markdown(CSS, unsafe_allow_html=True)
    st.title(title)
    for message in view.take_notices():
        st.warning(plain(message), icon=":material/info:")


def group_chip(group: str | None) -> str:
    """A performance group as a coloured chip that names the group (HTML)."""
    if not group:
        return fmt.MISSING
    return (
        f'<span class="papi-chip" style="background:{GROUP_COLOURS[group]};color:{GROUP_TEXT_COLOURS[group]}">'
        f"{html.escape(group)}</span>"
    )


def chip_line(label: str, group: str | None) -> None:
    """A bold label above a group chip (where st.metric would show a number)."""
    st.markdown(f"**{html.escape(label)}**<br>{group_chip(group)}", unsafe_allow_html=True)


def chip_table(frame: pd.DataFrame, numeric: Iterable[str] = (), chips: str = "Nhóm") -> None:
    """A plain accessible HTML table whose `chips` column (performance groups) shows coloured chips;
    every other cell is escaped text."""
    st.markdown(chip_table_html(frame, frozenset(numeric), chips), unsafe_allow_html=True)


def chip_table_html(frame: pd.DataFrame, numeric: frozenset[str], chips: str = "Nhóm") -> str:
    """The HTML of chip_table."""
    css = lambda column: "num" if column in numeric else ""
    head = "".join(f'<th class="{css(c)}">{html.escape(str(c))}</th>' for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = [
            group_chip(value) if column == chips else html.escape(str(value))
            for column, value in zip(frame.columns, row, strict=True)
        ]
        body.append("".join(f'<td class="{css(c)}">{cell}</td>' for c, cell in zip(frame.columns, cells, strict=True)))
    table = f"<thead><tr>{head}</tr></thead><tbody>{''.join(f'<tr>{r}</tr>' for r in body)}</tbody>"
    return f'<div class="papi-scroll"><table class="papi-table">{table}</table></div>'


def group_colours(styler, column: str = "Nhóm"):
    """Colour a Styler's performance-group column like the chips."""
    return styler.map(
        lambda g: f"background-color:{GROUP_COLOURS[g]};color:{GROUP_TEXT_COLOURS[g]}" if g in GROUP_COLOURS else "",
        subset=[column],
    )


def dataframe(data, key: str, **kwargs) -> None:
    """st.dataframe with the dashboard's defaults: no index, '—' for a value PAPI did not publish."""
    st.dataframe(data, key=key, hide_index=kwargs.pop("hide_index", True), placeholder=fmt.MISSING, **kwargs)


def problems_table(problems: list[Problem], key: str) -> None:
    """Every problem of a refused file, located by row, column and cell."""
    st.error(f"Tệp không hợp lệ: {len(problems)} lỗi. Chưa có gì được ghi.", icon=":material/error:")
    rows = [
        {
            "Tệp": p.file,
            "Dòng": p.row if p.row is not None else "",
            "Cột": p.column or "",
            "Ô": p.cell or "",
            "Giá trị": p.value or "",
            "Vấn đề": p.message,
        }
        for p in problems
    ]
    dataframe(pd.DataFrame(rows), key=key)


def metric_delta(value: float | None, unit: str) -> dict:
    """st.metric arguments for a change: words, arrow and colour all say the direction."""
    if value is None or pd.isna(value):
        return {}
    if fmt.rounds_to_zero(value):
        return {"delta": "không đổi", "delta_arrow": "off", "delta_color": "gray"}
    word = "tăng" if value > 0 else "giảm"
    text = f"{word} {fmt.number(abs(value)) if unit == 'điểm' else int(abs(value))} {unit}"
    return {"delta": text, "delta_arrow": "up" if value > 0 else "down", "delta_color": "green" if value > 0 else "red"}


def copy_button(text: str, label: str = "Sao chép đoạn văn") -> None:
    """A visible copy-to-clipboard button (the text is JSON-escaped into the script)."""
    payload = json.dumps(text).replace("</", "<\\/")
    st.iframe(
        f"""<button id="copy" style="font:14px sans-serif;padding:6px 14px;border:1px solid #0072B2;
      border-radius:8px;background:#fff;color:#0072B2;cursor:pointer">{html.escape(label)}</button>
      <span id="done" style="font:14px sans-serif;color:#333;margin-left:8px" role="status"></span>
      <script>
      const text = {payload};
      document.getElementById("copy").addEventListener("click", async () => {{
        try {{ await navigator.clipboard.writeText(text); }}
        catch (e) {{
          const area = document.createElement("textarea"); area.value = text; document.body.appendChild(area);
          area.select(); document.execCommand("copy"); area.remove();
        }}
        document.getElementById("done").textContent = "Đã sao chép";
      }});
      </script>""",
        height=48,
    )


class SharedFigure(go.Figure):
    """A figure shared read-only by every session. st.plotly_chart validates a dict into a new Figure on
    every run (~15 ms a chart) and deep-copies a Figure (to_dict, ~1.5 ms); it only serialises what
    to_dict returns, so this one returns the dict it made the first time."""

    def to_dict(self) -> dict:
        if "_shared_dict" not in self.__dict__:
            self.__dict__["_shared_dict"] = super().to_dict()
        return self.__dict__["_shared_dict"]


@st.cache_resource(**FIGURES)
def _figure(builder: str, args: tuple) -> SharedFigure:
    return SharedFigure(getattr(charts, builder)(*args))


def chart(builder: Callable, *args, key: str) -> None:
    """Draw charts.<builder>(*args), each distinct figure built once (its arguments are hashed each run)."""
    st.plotly_chart(_figure(builder.__name__, args), width="stretch", config=charts.PLOTLY_CONFIG, key=key)


def downloads(frame: pd.DataFrame, name_parts: Iterable[object], key: str, sheet: str = "PAPI") -> None:
    """CSV (UTF-8 BOM) and XLSX buttons for a table; files are built only when clicked."""
    parts = list(name_parts)
    left, right = st.columns(2)
    for column, extension, label in ((left, "csv", "Tải CSV"), (right, "xlsx", "Tải Excel (XLSX)")):
        with column:
            st.download_button(
                label,
                data=lambda e=extension: export.file_bytes(frame, e, sheet),
                file_name=export.file_name(parts, extension),
                mime=export.MIME[extension],
                key=f"{key}_{extension}",
                icon=":material/download:",
                on_click="ignore",
            )
