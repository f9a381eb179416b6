"""Small rendering pieces every page uses: the page header, group chips, tables, charts, downloads. Styles
and the browser's side live in ui/assets (ui/client.py); the print view in ui/print_view.py.

Text that comes from outside (a URL value, a file name, a cell, a plan title, a user name) goes
through `plain()` before any element that renders Markdown, and is escaped in HTML."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler

from papi_analysis import fmt, times
from papi_analysis.files import export
from papi_analysis.present import charts
from papi_analysis.present.charts import GROUP_COLOURS, GROUP_TEXT_COLOURS
from papi_analysis.problems import Problem
from ui import chart_image, html_table, print_view, view

# What is the same for every session looking at one view: figures, table HTML (small; many views).
FIGURES = {"max_entries": 256, "show_spinner": False, "ttl": 3600}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=\"'])")
# Streamlit's Markdown turns some patterns into links or icons after the escapes are resolved (GFM
# autolink literals on text nodes: https://…, www.…, a@b.c; ':material/…:' icons and ':shortcode:' emoji
# on the raw source), so escaping alone is not enough: an invisible WORD JOINER (U+2060) breaks each
# pattern without changing what the reader sees.
_WORD_JOINER = "\u2060"
_AUTOLINK_TRIGGERS = re.compile(r"(:(?=\S)|(?i:www)(?=\.)|@)")


def plain(text: object) -> str:
    """Text shown literally by an element that renders Markdown (no link, image or formatting)."""
    defused = _AUTOLINK_TRIGGERS.sub(lambda m: m.group(1) + _WORD_JOINER, str(text))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", defused)


def done(message: str) -> None:
    """What was just written (it may name a file, a plan or a task: shown as text); where it says the write can be
    undone on the history page, the page's link under it."""
    st.success(plain(message), icon=":material/check_circle:")
    if HISTORY_NAME in message:
        page_link("pages/uploads.py", f"Mở trang {HISTORY_NAME}", icon=":material/history:")


HISTORY_NAME = "Lịch sử tải lên"


def page_link(page: str, label: str, icon: str | None = None, **params: str) -> None:
    """A page named in a text, as a link to it (st.page_link: the session and the sign-in go along), keeping the
    shared view's keys in its URL; `params`: the page's own filters to open it with."""
    kept = {key: st.query_params[key] for key in view.VIEW_KEYS if key in st.query_params}
    st.page_link(page, label=label, icon=icon, query_params={**kept, **params})


def failed(error: Exception) -> None:
    """Why nothing was written (the message may name a file, a plan or a task: shown as text)."""
    st.error(plain(str(error)), icon=":material/error:")


def page_header(title: str, printable: bool = False) -> None:
    """Page title, any notice about how the URL was read, and the header of the printed page; a leadership
    page (printable) also gets its "Bản in" button, and its printed header names the view's province and year."""
    heading = title
    if printable:
        current = view.current()
        name = st.session_state.get("_page_title", "PAPI")
        heading = f"{name} — {current.summary().province}, PAPI {current.year}"
    print_view.page_header(heading)
    if not printable or print_view.active():
        st.title(title)
        if printable:
            print_view.toolbar()
    else:  # "Bản in" beside the title, not under it: the page starts no lower than before
        named, button = st.columns([6, 1], vertical_alignment="center")
        named.title(title)
        with button:
            print_view.button()
    for message in view.take_notices():
        st.warning(plain(message), icon=":material/info:")


group_chip = html_table.group_chip


def chip_line(label: str, group: str | None) -> None:
    """A bold label above a group chip (where st.metric would show a number)."""
    st.markdown(f"**{html_table.text(label)}**<br>{group_chip(group)}", unsafe_allow_html=True)


def chip_table(frame: pd.DataFrame, numeric: Iterable[str] = (), chips: str = "Nhóm") -> None:
    """A plain accessible HTML table whose `chips` column (performance groups) shows coloured chips;
    every other cell is escaped text."""
    st.markdown(chip_table_html(frame, frozenset(numeric), chips), unsafe_allow_html=True)


def chip_table_html(frame: pd.DataFrame, numeric: frozenset[str], chips: str = "Nhóm") -> str:
    """The HTML of chip_table (ui/html_table.py: cards on a phone)."""
    return html_table.table_html(frame, numeric, chips)


def group_colours(styler, column: str = "Nhóm"):
    """Colour a Styler's performance-group column like the chips."""
    return styler.map(
        lambda g: f"background-color:{GROUP_COLOURS[g]};color:{GROUP_TEXT_COLOURS[g]}" if g in GROUP_COLOURS else "",
        subset=[column],
    )


def dataframe(data, key: str, printed: pd.DataFrame | None = None, **kwargs) -> None:
    """st.dataframe with the dashboard's defaults: no index, '—' for a value PAPI did not publish. On paper a
    plain table that prints every row and column (`printed`, if given, instead of the data)."""
    hide_index = kwargs.pop("hide_index", True)
    if printed is None:
        frame = data.data if isinstance(data, Styler) else data
        printed = frame if hide_index else frame.reset_index()
    paper = lambda: html_table.table_html(printed, wrap=True)
    _screen_and_paper(data, paper, printed.shape, key=key, hide_index=hide_index, **kwargs)


def table(
    frame: pd.DataFrame,
    key: str,
    formats: dict[str, Callable],
    chips: str = "Nhóm",
    marked: pd.DataFrame | None = None,
    **kwargs,
) -> None:
    """A table of numbers that sort (st.dataframe, formatted, the groups coloured); printed as a plain table.
    marked: True where a cell's change spans 2017→2018 (tables.method_marks): its text ends with ' *'."""
    styler = mark_cells(frame.style.format(formats), formats, marked)
    text = lambda: html_table.as_text(frame, formats, marked, keep=chips)
    paper = lambda: html_table.table_html(text(), chips=chips, wrap=True)
    _screen_and_paper(group_colours(styler, chips), paper, frame.shape, key=key, hide_index=True, **kwargs)


def mark_cells(styler: Styler, formats: dict[str, Callable], marked: pd.DataFrame | None) -> Styler:
    """The marked cells (a change that spans 2017→2018) of a formatted table end with ' *'."""
    for column in marked.columns if marked is not None else ():
        if len(rows := marked.index[marked[column]]):
            shown = formats.get(column, str)
            styler = styler.format(lambda v, f=shown: f"{f(v)}{html_table.MARK}", subset=(rows, [column]))
    return styler


def _screen_and_paper(data, paper: Callable[[], str], shape: tuple[int, int], **kwargs) -> None:
    """The print view: the plain table in place. A normal page: the sortable table on screen and, after it, the
    plain table that only paper shows (Ctrl+P prints what "Bản in" prints: every row and column)."""
    if shape[0] == 0:  # its header and a sentence, not a grid that says "empty"
        st.html(paper())
        st.caption("Không có dòng nào (theo lựa chọn đang xem).")
        return
    if print_view.active():
        st.html(paper())
        return
    st.dataframe(data, placeholder=fmt.MISSING, **kwargs)
    print_view.paper_copy(paper, rows=shape[0], cells=shape[0] * shape[1])


def text_table(frame: pd.DataFrame) -> None:
    """Rows of long text (tasks): wrapped on every screen, cards on a phone, every row on paper."""
    html_table.show(frame, chips=None, wrap=True)


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
    if fmt.rounds_to_zero(value):  # the words the tables and the prose use: one wording per idea
        same = fmt.score_change(0) if unit == "điểm" else fmt.rank_change(0)
        return {"delta": same, "delta_arrow": "off", "delta_color": "gray"}
    word = "tăng" if value > 0 else "giảm"
    text = f"{word} {fmt.number(abs(value)) if unit == 'điểm' else int(abs(value))} {unit}"
    return {"delta": text, "delta_arrow": "up" if value > 0 else "down", "delta_color": "green" if value > 0 else "red"}


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


def chart(builder: Callable, *args, key: str, image: list[object]) -> None:
    """Draw charts.<builder>(*args), each distinct figure built once (its arguments are hashed each run), and
    its "Tải ảnh (PNG)" (image: the parts of the file's name)."""
    figure = _figure(builder=builder.__name__, args=args)  # by name: ui.loaders.stamped says why
    st.plotly_chart(figure, width="stretch", config=charts.PLOTLY_CONFIG, key=key)
    chart_image.button(key, image)


DOWNLOADS = (
    ("csv", "Tải CSV", "CSV chuẩn (dấu phẩy, dấu chấm thập phân, UTF-8): dùng để tải lên lại hoặc cho phần mềm khác."),
    ("csv-vi", "Tải bản CSV cho Excel (;)", "CSV cho Excel đặt tiếng Việt: dấu chấm phẩy giữa các cột, dấu phẩy "
     "thập phân, giữ đủ các chữ số đã công bố; tải lên lại được."),
    ("xlsx", "Tải Excel (XLSX)", "Bảng Excel: dòng tiêu đề cố định, có bộ lọc, số là số."),
)  # fmt: skip
MENU_LABEL = "Tải bảng"
MENU_HELP = "Tải bảng này: CSV, CSV cho Excel đặt tiếng Việt (;) hoặc Excel (XLSX)."


def downloads(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    name_parts: Iterable[object],
    key: str,
    sheet: str = "PAPI",
    source: str = export.SOURCE,
    menu: bool = False,
) -> None:
    """CSV, CSV for Vietnamese Excel and XLSX buttons for a table (or a function building it), each file ending
    with its source column; files (and a table given as a function) are built only when clicked. `menu`: the
    three behind one "Tải bảng" button, sent only once it is opened (a page that is mostly read, not exported:
    three buttons cost a view more than its table, issue 18)."""
    if menu:
        box = st.popover(MENU_LABEL, icon=":material/download:", help=MENU_HELP, on_change="rerun", key=f"{key}_menu")
        if not box.open:
            return
        with box:
            _download_buttons(frame, name_parts, key, sheet, source)
    else:
        _download_buttons(frame, name_parts, key, sheet, source)


def _download_buttons(frame, name_parts: Iterable[object], key: str, sheet: str, source: str) -> None:
    parts = list(name_parts)
    table = frame if callable(frame) else lambda: frame
    # One row that wraps (each button as wide as its words): a narrow column shows every word, never "Tải b…".
    with st.container(horizontal=True, key=f"{key}_buttons"):
        for flavour, label, help_text in DOWNLOADS:
            st.download_button(
                label,
                data=lambda f=flavour: export.file_bytes(
                    table(), f, sheet, export.source_line(times.vietnam_today(), source)
                ),
                file_name=export.file_name(parts, flavour),
                mime=export.MIME[flavour],
                key=f"{key}_{flavour}",
                icon=":material/download:",
                on_click="ignore",
                help=help_text,
                width="content",
            )
