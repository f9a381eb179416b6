"""The 2025 reorganisation in a real browser (issue 12), on a server whose database holds a SYNTHETIC 2025
in the 34 new units (Lai Châu left out, so one unit has no score): the year-switch round trip Sóc Trăng 2024
→ Cần Thơ 2025 → Sóc Trăng 2024 and its URL, the map of the 34 with both archipelagos, a click on a tile
making that unit the focus, and the map's PNG."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from dashboard import running_dashboard
from drive import no_error_box, open_app, settle, sidebar_select, still
from helpers import load_synthetic_year
from playwright.sync_api import expect

from papi_analysis.present.tiles import read_layout
from papi_analysis.store.database import Store

LEFT_OUT = "Lai Châu"


@pytest.fixture(scope="module")
def server_2025(built_db, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("server_2025")
    db = workdir / "papi.duckdb"
    shutil.copy(built_db, db)
    load_synthetic_year(Store(db), 2025, "new", leave_out=(LEFT_OUT,))
    with running_dashboard(db, log=workdir / "streamlit.log") as url:
        yield {"url": url, "db": db}


def has_title(page, text: str) -> bool:
    """Wait until the page's title is `text`."""
    expect(page.locator('[data-testid="stMainBlockContainer"] h1').first).to_have_text(text)
    return True


def shows_province(page, name: str) -> bool:
    """Wait until the sidebar's province box shows `name` (the box is redrawn after the URL changes)."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Tỉnh, thành phố")
    expect(box.locator("input")).to_have_value(name)
    return True


def test_the_year_switch_round_trip_in_the_browser(page, server_2025):
    open_app(page, server_2025, "", "year=2024&province=soc-trang")
    assert has_title(page, "Sóc Trăng — PAPI 2024")
    sidebar_select(page, "Năm", "2025")
    page.wait_for_url(re.compile(r"year=2025&province=can-tho&home=soc-trang"))
    page.get_by_text("Sóc Trăng → Cần Thơ (gồm Cần Thơ, Sóc Trăng, Hậu Giang cũ)").first.wait_for()
    assert has_title(page, "Cần Thơ — PAPI 2025") and shows_province(page, "Cần Thơ")
    page.get_by_text("Kết quả trước khi sắp xếp").wait_for()
    sidebar_select(page, "Năm", "2024")
    page.wait_for_url(re.compile(r"year=2024&province=soc-trang$"))
    assert has_title(page, "Sóc Trăng — PAPI 2024") and shows_province(page, "Sóc Trăng")
    page.get_by_text("Cần Thơ → Sóc Trăng.").first.wait_for()
    no_error_box(page)


def test_a_2025_link_remembers_the_province(page, server_2025):
    open_app(page, server_2025, "chi-so-noi-dung", "year=2025&province=can-tho&home=soc-trang")
    assert has_title(page, "Chỉ số nội dung — Cần Thơ, PAPI 2025")
    sidebar_select(page, "Năm", "2023")
    page.wait_for_url(re.compile(r"year=2023&province=soc-trang"))
    assert shows_province(page, "Sóc Trăng")


def tile_points(page):
    """The units' points of the map (the first trace), in the layout's order."""
    return page.locator(".st-key-tilemap_new_can-tho .js-plotly-plot .scatterlayer .trace").first.locator("path.point")


def test_the_map_of_the_34_units_draws_both_archipelagos_and_a_grey_unit(page, server_2025):
    open_app(page, server_2025, "ban-do", "year=2025&province=can-tho")
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    assert tile_points(page).count() == 34
    annotations = page.locator(".js-plotly-plot .annotation-text")
    texts = " ".join(annotations.all_text_contents())
    assert (
        "Quần đảo Hoàng Sa" in texts
        and "(Đà Nẵng)" in texts
        and "Quần đảo Trường Sa" in texts
        and "(Khánh Hòa)" in texts
    )
    grey = page.locator('.js-plotly-plot .shapelayer path[style*="fill: rgb(208, 208, 208)"]')
    assert grey.count() == 1  # Lai Châu, left out of the synthetic 2025
    page.get_by_text(f"Không có số liệu năm 2025 (ô màu xám): {LEFT_OUT}.").wait_for()
    no_error_box(page)


def test_a_click_on_a_tile_makes_that_unit_the_focus(page, server_2025):
    open_app(page, server_2025, "ban-do", "year=2025&province=can-tho")
    tiles = read_layout(Store(server_2025["db"]).reference(), "new").tiles
    point = tile_points(page).nth(tiles.unit_id.tolist().index("new:ca-mau"))
    point.scroll_into_view_if_needed()  # Cà Mau is at the bottom of the map, below the fold
    still(page)
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"province=ca-mau"))
    settle(page)
    assert shows_province(page, "Cà Mau")
    page.locator('[data-testid="stMain"] h3').filter(has_text="Cà Mau").first.wait_for()  # the focus card
    no_error_box(page)


def test_the_map_downloads_as_a_png(page, server_2025, tmp_path):
    open_app(page, server_2025, "ban-do", "year=2025&province=can-tho")
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    button = page.frame_locator("iframe").first.get_by_role("button", name="Tải ảnh (PNG)")
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "papi_ban-do_2025_tong-hop.png"
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) > 20_000
