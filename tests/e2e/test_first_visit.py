"""A freshly started server whose FIRST visitor opens a shared link to a page other than the main one
(scripts/app_server.py): the page opens with no "Page not found" dialog over it, and it takes clicks."""

from __future__ import annotations

import shutil

from dashboard import running_dashboard
from drive import no_error_box, open_app, still

NOT_FOUND = '[role="dialog"]'


def test_a_shared_link_is_the_first_visit_of_a_fresh_server(page, built_db, tmp_path):
    db = tmp_path / "papi.duckdb"
    shutil.copy(built_db, db)
    with running_dashboard(db, log=tmp_path / "streamlit.log") as url:
        open_app(page, {"url": url}, "so-sanh", "year=2022&province=soc-trang")
        title = page.locator('[data-testid="stMainBlockContainer"] h1').first
        assert title.inner_text() == "So sánh: Đồng bằng sông Cửu Long — PAPI 2022"
        still(page)  # the dialog would have come with the first messages of the run
        assert page.locator(NOT_FOUND).count() == 0
        assert page.get_by_text("Page not found").count() == 0
        page.locator('[data-testid="stButtonGroup"]').get_by_text("D1 Tham gia", exact=True).click()  # takes clicks
        page.locator(".js-plotly-plot .gtitle").filter(has_text="D1 Tham gia").first.wait_for()
        no_error_box(page)
