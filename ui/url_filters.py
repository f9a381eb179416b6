"""A page's own filters in the URL and in the session (issue 21, item 3): every filter of every page lives in the URL
beside the shared view's keys (ui/view.py) and survives moving through the sidebar.

Streamlit clears a page's query parameters when the user moves to another page, and forgets the state of the
widgets a run does not draw. So, before a page draws its filters, `restore` gives each widget the value it should
open with — the URL's when a link names it, else the one it had when the user left the page, else its default —
and after them `keep` remembers the values and writes the non-default ones to the URL. A filter left at its
default follows the default when that changes (the dimension page's weakest dimension, for another province).
The URL is read by hand, as ui/view.py does: a value comes in as a slug or a code and is checked against the
page's choices; a wrong one is said above the filters (as text) and ignored."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st

from ui import render

_KEPT = "_url_filters_kept"  # widget key -> its last value, across pages
_DEFAULTS = "_url_filters_defaults"  # widget key -> the default it last had


class Unknown(ValueError):
    """A URL value that is not one of the filter's choices (its message is shown to the user)."""


@dataclass(frozen=True)
class Filter:
    """One filter: its URL parameter, its widget's key, its default, and how a value goes into and out of the URL
    (read raises Unknown for a value that is not a choice; write gives None for a value the URL leaves out)."""

    param: str
    key: str
    default: object
    read: Callable[[str], object]
    write: Callable[[object], str | None]
    valid: Callable[[object], bool] = lambda value: True  # a kept value no longer offered opens at the default


def choice(param: str, key: str, default: object, options: dict[str, object]) -> Filter:
    """A filter whose URL value is one of `options`' keys (a lower-case slug or code) standing for a widget value;
    the default, when it is no option (None: 'Tất cả'), is valid too."""
    slugs = {value: slug for slug, value in options.items()}

    def read(text: str) -> object:
        if text.strip().casefold() in options:
            return options[text.strip().casefold()]
        raise Unknown(f"Bỏ qua bộ lọc '{param}={text}' trong đường dẫn: không có lựa chọn này.")

    write = lambda value: None if value == default else slugs.get(value)
    return Filter(param, key, default, read, write, lambda value: value == default or value in slugs)


def choices(param: str, key: str, default: list, options: dict[str, object]) -> Filter:
    """A filter of several values (a multiselect): in the URL their slugs or codes, comma-separated; an empty
    value for none."""
    slugs = {value: slug for slug, value in options.items()}

    def read(text: str) -> list:
        parts = [t.strip().casefold() for t in text.split(",") if t.strip()]
        if unknown := [t for t in parts if t not in options]:
            raise Unknown(f"Bỏ qua bộ lọc '{param}={text}' trong đường dẫn: không có lựa chọn {', '.join(unknown)}.")
        return [options[t] for t in parts]

    write = lambda values: None if list(values) == list(default) else ",".join(slugs[v] for v in values)
    return Filter(param, key, list(default), read, write, lambda values: all(v in slugs for v in values))


def restore(filters: Sequence[Filter]) -> None:
    """Before the widgets: the value each one opens with (URL, else the value kept when the user left, else the
    default); a value still at its former default moves to the new one."""
    state, params = st.session_state, st.query_params
    kept, defaults = state.setdefault(_KEPT, {}), state.setdefault(_DEFAULTS, {})
    for f in filters:
        linked = False
        if f.key not in state and f.param in params:
            try:
                state[f.key], linked = f.read(params[f.param]), True
            except Unknown as error:  # said where the filters are (the page's header is drawn already)
                st.warning(render.plain(str(error)), icon=":material/info:")
        if f.key not in state:
            state[f.key] = kept.get(f.key, f.default)
        if not f.valid(state[f.key]):
            state[f.key] = f.default
        elif not linked and state[f.key] == defaults.get(f.key, f.default) != f.default:
            state[f.key] = f.default
        defaults[f.key] = f.default


def keep(filters: Sequence[Filter]) -> None:
    """After the widgets: remember each value for the next visit; the URL holds the ones not at their default."""
    state, kept = st.session_state, st.session_state.setdefault(_KEPT, {})
    for f in filters:
        value = state.get(f.key, f.default)
        kept[f.key] = value
        text = f.write(value)
        if text is None:
            if f.param in st.query_params:
                del st.query_params[f.param]
        elif st.query_params.get(f.param) != text:
            st.query_params[f.param] = text
