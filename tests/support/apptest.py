"""The one Streamlit workaround of the project, shared by the page tests and the benchmark.

AppTest resets PagesManager.uses_pages_directory before every run and, because a pages/ folder
exists beside app.py, then reruns page files directly (multipage v1), skipping app.py and its
st.navigation. The real server sets the flag to False once st.navigation runs and keeps it; the
patch does the same for AppTest."""

from __future__ import annotations

from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
_original_init = PagesManager.__init__


def _init(self, *args, **kwargs):
    PagesManager.uses_pages_directory = False
    _original_init(self, *args, **kwargs)


def keep_st_navigation() -> None:
    """Install the patch (idempotent)."""
    PagesManager.__init__ = _init


def open_page(
    page: str | None = None,
    *,
    secrets: dict | None = None,
    session: dict | None = None,
    params: dict | None = None,
    script: str = APP,
    timeout: float = 60,
) -> AppTest:
    """Run the app (with secrets, session state and URL parameters), then switch to `page` and run it."""
    keep_st_navigation()
    at = AppTest.from_file(script, default_timeout=timeout)
    for name, section in (secrets or {}).items():
        at.secrets[name] = section
    for key, value in (session or {}).items():
        at.session_state[key] = value
    for key, value in (params or {}).items():
        at.query_params[key] = str(value)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def html_tables(at: AppTest) -> list:
    """The tables a page draws as plain HTML (st.html: task lists, cards on a phone), as DataFrames of text."""
    from io import StringIO

    import pandas as pd

    bodies = [element.proto.body for element in at.get("html") if "<table" in element.proto.body]
    return [table for body in bodies for table in pd.read_html(StringIO(body), keep_default_na=False)]
