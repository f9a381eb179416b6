"""The print view of a leadership page (?print=1, the "Bản in" button): the page laid out as an A4 portrait
sheet on screen — no sidebar, header or toolbar; charts drawn at the paper's width; tables as plain tables
that print every row; tabs as sections one after another — with "In hoặc lưu PDF" above it. Every page,
printed or not, prints with a header (province, year, the day in Vietnam) and a footer (the source, the page
number): the @page rules of ui/assets/style.css and the header text set here."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from papi_analysis import fmt, times
from ui.html_table import text

PARAM = "print"
# A container keyed with this prefix is on screen only: paper (either button) and the print view leave it out.
SCREEN_ONLY = "screen_only_"
PAPER_CELLS = 5_000  # a longer table is not copied for paper (the history of a whole seed file: 15,000 rows)
# On screen: the sheet's printable width (A4 210 mm less the margins of style.css's @page), centred.
SHEET_CSS = """<style>
[data-testid="stSidebar"],[data-testid="stHeader"],[data-testid="stExpandSidebarButton"]{display:none !important}
[data-testid="stMainBlockContainer"]{max-width:180mm !important;width:180mm !important;padding:16px 0 !important;
  margin:0 auto !important}
[data-testid="stHorizontalBlock"]{flex-wrap:wrap !important}
[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:nth-child(4)):not(:has([data-testid="stMetric"]))
    > [data-testid="stColumn"]{
  flex:1 1 calc(50% - 1rem) !important;min-width:calc(50% - 1rem) !important}
table.papi-table{font-size:0.85em}
div[class*="st-key-screen_only_"]{display:none !important}
@media screen{[data-testid="stMain"]{background:#e9ecef}
  [data-testid="stMainBlockContainer"]{background:#fff;box-shadow:0 0 8px rgba(0,0,0,.25);
    padding:14mm 0 14mm 0 !important;outline:14mm solid #fff}}
</style>"""


def active() -> bool:
    return st.query_params.get(PARAM) == "1"


def _open() -> None:
    st.query_params[PARAM] = "1"


def _close() -> None:
    if PARAM in st.query_params:
        del st.query_params[PARAM]


def css_string(text: str) -> str:
    """A CSS string literal of any text: letters, digits and plain punctuation as they are, anything else as
    an escape, so no text can end the string or the style element."""
    safe = " ,.:;–—·()/-"
    return '"' + "".join(c if c.isalnum() or c in safe else f"\\{ord(c):06x}" for c in text) + '"'


def page_header(heading: str) -> None:
    """The header every printed page carries (left: what and for whom; right: the day in Vietnam)."""
    printed = f"In ngày {fmt.day(times.vietnam_today())} ({times.LABEL})"
    st.html(
        f"<style>@page{{@top-left{{content:{css_string(heading)};font:8pt Arial,sans-serif;color:#444}}"
        f"@top-right{{content:{css_string(printed)};font:8pt Arial,sans-serif;color:#444}}}}</style>"
    )


def button() -> None:
    """'Bản in' beside a leadership page's title."""
    st.button(
        "Bản in",
        key="print_open",
        icon=":material/print:",
        on_click=_open,
        help="Xem trang như khi in ra giấy A4 (không có thanh bên), rồi in hoặc lưu PDF.",
    )


def toolbar() -> None:
    """In the print view, under the title: the sheet's styles, 'In hoặc lưu PDF' and the way back."""
    st.html(SHEET_CSS)
    with st.container(horizontal=True, key="print_bar"):
        st.html(
            '<button class="papi-print-now papi-noprint" type="button" style="font:15px sans-serif;'
            "padding:6px 16px;border-radius:8px;border:1px solid #0072B2;background:#0072B2;color:#fff;"
            'cursor:pointer">In hoặc lưu PDF</button>',
            width="content",
        )
        st.button("Thoát bản in", key="print_close", icon=":material/close:", on_click=_close)
    st.html(
        '<p class="papi-noprint" style="color:#666;font-size:.85rem;margin:0">Bản in khổ A4 dọc: đầu mỗi trang ghi '
        "tỉnh, năm và ngày in; chân trang ghi nguồn và số trang.</p>"
    )


def sections(labels: list[str], screen_only: tuple[str, ...] = ()) -> list:
    """st.tabs on screen; in the print view, one titled section after another. A tab in screen_only (a form)
    is not printed: in the print view its place holds None. Ctrl+P prints what the print view prints: every tab
    (Streamlit keeps each one in the page) under its name, one after another, but those in screen_only
    (style.css)."""
    if not active():
        tabs = st.tabs(labels)
        for label, tab in zip(labels, tabs, strict=True):
            if label in screen_only:
                tab.html('<span class="papi-screen-only-tab"></span>')
            else:
                tab.html(f'<h3 class="papi-print-only papi-tab-title">{text(label)}</h3>')
        return tabs
    shown = []
    for label in labels:
        section = None if label in screen_only else st.container()
        if section is not None:
            section.subheader(label)
        shown.append(section)
    return shown


def paper_copy(html: Callable[[], str], rows: int, cells: int) -> None:
    """After a sortable table on a normal page: the same table as plain HTML that only paper shows (style.css
    hides it on screen and the sortable table on paper), so Ctrl+P prints every row and column as "Bản in" does.
    A table too long to copy says so on paper instead of printing a cut grid."""
    if cells <= PAPER_CELLS:
        st.html(f'<div class="papi-print-only">{html()}</div>')
    else:
        st.html(
            f'<p class="papi-print-only">Bảng {rows:,} dòng không in ra giấy; tải CSV hoặc Excel ngay dưới bảng '
            "để có đủ các dòng.</p>".replace(",", ".")
        )


def chosen(label: str, value: str) -> None:
    """What a control (pills, a picker) chose, written on paper only: controls do not print, their choice does."""
    st.html(f'<p class="papi-print-only papi-chosen"><b>{text(label)}:</b> {text(value)}</p>')


def paper_line(words: str) -> None:
    """A line that only paper needs (where to find what the screen shows and paper leaves out)."""
    st.html(f'<p class="papi-print-only papi-chosen">{text(words)}</p>')


def screen_note(words: str) -> None:
    """A caption that only the screen needs (how to use a button, where to paste): not printed."""
    st.html(f'<p class="papi-noprint" style="font-size:.875rem;color:rgba(49,51,63,.6);margin:0">{text(words)}</p>')
