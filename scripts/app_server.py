"""`streamlit run app.py [OPTIONS]`, with this app's own pages known from the very first session.

Why not plain `streamlit run`: Streamlit 1.67 decides once per process, when the first session starts,
whether the app is a multipage app of the old kind (any `pages/` folder beside the entry script:
`PagesManager.uses_pages_directory`, a class attribute). Our `pages/` folder holds the scripts that app.py
hands to `st.navigation`, but the first run of the first session does not know that yet: it serves the
folder's files as pages (`/comparison`, `/map` …), so a first visitor who opens a shared link such as
`/so-sanh?year=2022` gets an English "Page not found" dialog over the right page, which then takes no
clicks. `st.navigation` turns the flag off for good, so every later session is fine. Setting it before the
server starts is what the first `st.navigation` call would do anyway (tests/apptest.py does the same for
AppTest). Used by scripts/dashboard, scripts/serve, the browser tests and the benchmarks.

For the dashboard it runs scripts/papi_asgi.py: app.py as an st.App, with the session cookie's endpoints beside
Streamlit's routes (a reload keeps a signed-in user signed in, issue 21). Another folder's app.py (the benchmarks'
empty app) runs as it is.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

ASGI_APP = Path(__file__).with_name("papi_asgi.py")
DASHBOARD = Path(__file__).resolve().parents[1] / "app.py"


def use_st_navigation_only() -> None:
    """Never treat pages/ as old-style pages: app.py names its pages with st.navigation."""
    if not hasattr(PagesManager, "uses_pages_directory"):  # a Streamlit upgrade moved it: fail loudly
        raise RuntimeError("streamlit.runtime.pages_manager.PagesManager.uses_pages_directory is gone")
    PagesManager.uses_pages_directory = False


def main(argv: list[str]) -> None:
    use_st_navigation_only()
    script = str(ASGI_APP) if Path("app.py").resolve() == DASHBOARD else "app.py"
    cli.main(["run", script, *argv], prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
