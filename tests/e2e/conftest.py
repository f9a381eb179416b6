"""Browser fixtures: the real app (`streamlit run app.py`) on a free port against a temporary copy of
the database, and Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dashboard import CHROMIUM, CHROMIUM_ARGS, running_dashboard
from drive import ANALYST, DESKTOP, PASSWORD, REPORTER, REPORTER_UNIT, WATCH_CHANGES

from papi_analysis.access.passwords import hash_password


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def server(built_db, tmp_path_factory):
    """The dashboard as users get it, on its own database copy, an analyst account and a department reporter's."""
    workdir = tmp_path_factory.mktemp("server")
    db = workdir / "papi.duckdb"
    shutil.copy(built_db, db)
    secrets = workdir / "secrets.toml"
    reporter = f'[reporters.{REPORTER}]\nhash = "{hash_password(PASSWORD)}"\nunit = "{REPORTER_UNIT}"\n'
    secrets.write_text(f'[analysts]\n{ANALYST} = "{hash_password(PASSWORD)}"\n{reporter}', encoding="utf-8")
    with running_dashboard(db, secrets=secrets, log=workdir / "streamlit.log") as url:
        yield {"url": url, "db": db}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/install-chromium installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True, locale="vi-VN")
    context.add_init_script(WATCH_CHANGES)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()
