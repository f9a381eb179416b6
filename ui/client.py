"""The dashboard's styles and its code in the browser (ui/assets/), sent with every page by app.py: the
styles go where Streamlit puts style-only HTML (no space in the page); the code runs once per page load
(the element is the same on every run, so Streamlit does not run it again) and hides its own container."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import streamlit as st

from ui import streamlit_vi

ASSETS = Path(__file__).parent / "assets"


@cache
def style() -> str:
    return f"<style>{(ASSETS / 'style.css').read_text(encoding='utf-8')}</style>"


@cache
def script() -> str:
    lines = (ASSETS / "client.js").read_text(encoding="utf-8").splitlines()
    code = "\n".join(line.strip() for line in lines if not line.lstrip().startswith("//"))  # smaller, same code
    code = code.replace("__WORDS__", json.dumps(streamlit_vi.WORDS, ensure_ascii=False))
    code = code.replace("__PATTERNS__", json.dumps(streamlit_vi.PATTERNS, ensure_ascii=False))
    code = code.replace("</", "<\\/")  # nothing in it may close the script element
    return f'<span class="papi-client"></span><script>{code}</script>'


def install() -> None:
    """The styles and the browser code, on every run of every page."""
    st.html(style())
    st.html(script(), unsafe_allow_javascript=True)
