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
Streamlit's routes (a reload keeps a signed-in user signed in, issue 21), and serves the dashboard's styles and
browser code in the page's <head> (serve_assets_in_index). Another folder's app.py (the benchmarks' empty app)
runs as it is.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

from streamlit import file_util
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

ROOT = Path(__file__).resolve().parents[1]
ASGI_APP = Path(__file__).with_name("papi_asgi.py")
DASHBOARD = ROOT / "app.py"
sys.path.insert(0, str(ROOT))
from ui import client  # noqa: E402  (the project's root is on the path from here)


def use_st_navigation_only() -> None:
    """Never treat pages/ as old-style pages: app.py names its pages with st.navigation."""
    if not hasattr(PagesManager, "uses_pages_directory"):  # a Streamlit upgrade moved it: fail loudly
        raise RuntimeError("streamlit.runtime.pages_manager.PagesManager.uses_pages_directory is gone")
    PagesManager.uses_pages_directory = False


def serve_assets_in_index() -> None:
    """Serve Streamlit's static folder with our index.html: the dashboard's styles and browser code in its
    <head> (ui/client.py), so they come once per page load, before Streamlit paints (no English first), and no
    page run sends them again. The folder is Streamlit's own files, linked, beside the one rewritten page."""
    original = Path(file_util.get_static_dir())
    folder = Path(tempfile.mkdtemp(prefix="papi-static-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    for entry in original.iterdir():
        if entry.name != "index.html":
            (folder / entry.name).symlink_to(entry)
    page = client.index_html((original / "index.html").read_text(encoding="utf-8"))
    (folder / "index.html").write_text(page, encoding="utf-8")
    file_util.get_static_dir = lambda: str(folder)
    os.environ[client.IN_INDEX] = "1"


def main(argv: list[str]) -> None:
    use_st_navigation_only()
    dashboard = Path("app.py").resolve() == DASHBOARD
    if dashboard:
        serve_assets_in_index()
    cli.main(["run", str(ASGI_APP) if dashboard else "app.py", *argv], prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
