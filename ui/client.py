"""The dashboard's styles and its code in the browser (ui/assets/).

Served in the page's <head>: scripts/app_server.py writes them into the index.html Streamlit serves (see
`index_html`), so they arrive once per page load, are in place before Streamlit paints anything (no English
flashes before the Vietnamese script runs), and no page run sends them again. Where the app runs another way
(plain `streamlit run`, AppTest) `install` sends them with every run instead: the styles where Streamlit puts
style-only HTML (no space in the page), the code once per page load (the element is the same on every run, so
Streamlit does not run it again)."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import streamlit as st

from ui import streamlit_vi

ASSETS = Path(__file__).parent / "assets"
IN_INDEX = "PAPI_CLIENT_IN_INDEX"  # set by scripts/app_server.py when index.html carries the assets


@cache
def style() -> str:
    return f"<style>{(ASSETS / 'style.css').read_text(encoding='utf-8')}</style>"


@cache
def code() -> str:
    lines = (ASSETS / "client.js").read_text(encoding="utf-8").splitlines()
    text = "\n".join(line.strip() for line in lines if not line.lstrip().startswith("//"))  # smaller, same code
    text = text.replace("__WORDS__", json.dumps(streamlit_vi.WORDS, ensure_ascii=False))
    text = text.replace("__PATTERNS__", json.dumps(streamlit_vi.PATTERNS, ensure_ascii=False))
    return text.replace("</", "<\\/")  # nothing in it may close the script element


def index_html(streamlit_index: str) -> str:
    """Streamlit's index.html with the page in Vietnamese and the styles and code in its <head>."""
    head = f"{style()}<script>{code()}</script>"
    page = streamlit_index.replace('<html lang="en">', '<html lang="vi">', 1)
    page = page.replace("<title>Streamlit</title>", "<title>PAPI</title>", 1)
    if "</head>" not in page:
        raise ValueError("Streamlit's index.html has no </head>: cannot serve the dashboard's assets")
    return page.replace("</head>", head + "</head>", 1)


def install() -> None:
    """The styles and the browser code on every run, unless the served index.html carries them."""
    if os.environ.get(IN_INDEX):
        return
    st.html(style())
    st.html(f'<span class="papi-client"></span><script>{code()}</script>', unsafe_allow_javascript=True)
