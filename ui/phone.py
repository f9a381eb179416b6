"""On a phone Streamlit lays the sidebar over the page and leaves it open after a choice (its own state, kept in
the browser, wins over st.set_page_config on later runs). A choice of year, province or comparison group marks
the run that follows; ui/assets/client.js sees the mark appear and closes the sidebar when the screen is
narrow enough for it to cover the page. Several provinces picked one by one do not close it."""

from __future__ import annotations

import streamlit as st

from ui.html_table import text

_CHOSEN = "_sidebar_choices"


def close_sidebar_after_choice() -> None:
    """on_change of a sidebar box: close the sidebar on the run this choice starts."""
    st.session_state[_CHOSEN] = st.session_state.get(_CHOSEN, 0) + 1


def mark() -> None:
    """In the sidebar, after its boxes: the mark of a choice just made (a new element each time)."""
    chosen = st.session_state.pop(_CHOSEN, None)
    if chosen is not None:
        st.html(f'<span class="papi-close-sidebar" data-choice="{int(chosen)}"></span>')


_FILTERED = "_filter_choices"


def filters_chosen() -> None:
    """on_change of a page's filter: on a phone its "Bộ lọc" block closes on the run this choice starts (issue 21)."""
    st.session_state[_FILTERED] = st.session_state.get(_FILTERED, 0) + 1


def mark_filters() -> None:
    """Inside a "Bộ lọc" block (an expander), after its filters: the mark of a choice just made. client.js closes
    the block when the screen is a phone's, and also when the block first appears there."""
    chosen = st.session_state.pop(_FILTERED, None)
    if chosen is not None:
        st.html(f'<span class="papi-close-filters" data-choice="{int(chosen)}"></span>')


def only_text(words: str) -> None:
    """A caption only a phone shows (style.css hides it, and its place, on wider screens); shown as text."""
    st.html(f'<p class="papi-phone-only" style="font-size:.875rem;color:rgba(49,51,63,.6);margin:0">{text(words)}</p>')
