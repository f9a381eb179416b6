"""The print view of a leadership page (?print=1, the "Bản in" button): the page laid out as an A4 portrait
sheet on screen — no sidebar, header or toolbar; charts drawn at the paper's width; tables as plain tables
that print every row; tabs as sections one after another — with "In hoặc lưu PDF" above it. Every page,
printed or not, prints with a header (province, year, the day in Vietnam) and a footer (the source, the page
number): the @page rules of ui/assets/style.css and the header text set here."""

from __future__ import annotations

import streamlit as st

from papi_analysis import fmt, times

PARAM = "print"
# On screen: the sheet's printable width (A4 210 mm less the margins of style.css's @page), centred.
SHEET_CSS = """<style>
[data-testid="stSidebar"],[data-testid="stHeader"],[data-testid="stExpandSidebarButton"]{display:none !important}
[data-testid="stMainBlockContainer"]{max-width:180mm !important;width:180mm !important;padding:16px 0 !important;
  margin:0 auto !important}
[data-testid="stHorizontalBlock"]{flex-wrap:wrap !important}
[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"]:nth-child(4)) > [data-testid="stColumn"]{
  flex:1 1 calc(50% - 1rem) !important;min-width:calc(50% - 1rem) !important}
table.papi-table{font-size:0.85em}
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
    is not printed: its place holds None."""
    if not active():
        return st.tabs(labels)
    shown = []
    for label in labels:
        section = None if label in screen_only else st.container()
        if section is not None:
            section.subheader(label)
        shown.append(section)
    return shown
