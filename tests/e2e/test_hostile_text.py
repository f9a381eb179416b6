"""Hostile text in a real browser: a URL, a plan, a task, file names and user names full of Markdown,
HTML, bare links (https://…, www.…, a@b.c) and icon codes show as plain text — no <a>, no <img>, no bold
or italics, no icon — on every page where they appear, in the sidebar and in the select boxes."""

from __future__ import annotations

import shutil
from urllib.parse import urlencode

import pytest
import tomli_w
from dashboard import running_dashboard
from drive import go, open_app, settle
from outside import BARE, DOMAIN, HOSTILE_PLAN, IMAGE, LINK, add_hostile_records

from papi_analysis.access.passwords import hash_password
from papi_analysis.store.database import Store

HOSTILE_ANALYST, PASSWORD = f"lan **x** a@{DOMAIN}", "mat-khau-e2e-2"
# Anything the hostile text could have become, anywhere in the document.
FORMED = """() => {
  const evil = [...document.querySelectorAll('a, img, [src], [href]')].filter(e =>
      (e.getAttribute('href') || '').includes('evil') || (e.getAttribute('src') || '').includes('evil')
      || (e.tagName === 'A' && e.textContent.includes('evil')));
  const styled = [...document.querySelectorAll('strong, em, b, i, del')].filter(e =>
      /đậm|nghiêng|^in$|^x$/.test(e.textContent.trim()));
  const icons = [...document.querySelectorAll('[role="img"]')].filter(e => /home/.test(e.textContent
      + (e.getAttribute('aria-label') || '')));
  return [...evil, ...styled, ...icons].map(e => e.outerHTML.slice(0, 200));
}"""


@pytest.fixture(scope="module")
def hostile_server(built_db, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("hostile")
    db = workdir / "papi.duckdb"
    shutil.copy(built_db, db)
    add_hostile_records(Store(db))
    secrets = workdir / "secrets.toml"
    secrets.write_text(tomli_w.dumps({"analysts": {HOSTILE_ANALYST: hash_password(PASSWORD)}}), encoding="utf-8")
    with running_dashboard(db, secrets=secrets, log=workdir / "streamlit.log") as url:
        yield {"url": url, "db": db}


def assert_plain(page, *expected: str) -> None:
    """Nothing formed from the hostile text, and the text itself visible as typed."""
    assert page.evaluate(FORMED) == []
    body = page.locator("body").inner_text().replace("\u2060", "")
    for text in expected:
        assert text in body, text


def test_hostile_url_values_show_as_plain_text(page, hostile_server):
    query = urlencode({"year": LINK, "province": IMAGE, "group": BARE})
    open_app(page, hostile_server, query=query)
    page.get_by_text("không hợp lệ").first.wait_for()
    assert_plain(page, f"Năm '{LINK}' không hợp lệ", IMAGE, f"Không có vùng '{BARE}'")


def test_hostile_plan_task_file_and_user_names_show_as_plain_text(page, hostile_server):
    open_app(page, hostile_server, "tai-khoan")
    page.get_by_label("Tên đăng nhập").fill(HOSTILE_ANALYST)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("(cán bộ phân tích)").first.wait_for()
    assert_plain(page, f"Đang đăng nhập: {HOSTILE_ANALYST} (cán bộ phân tích)")

    go(page, "Nhiệm vụ")
    plan_box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Kế hoạch")
    plan_box.locator("input").click()
    options = page.get_by_role("option")
    options.first.wait_for()
    assert_plain(page, f"{HOSTILE_PLAN} — {LINK}")  # the open list of plans
    options.filter(has_text="99/KH").click()
    settle(page)
    page.get_by_text("Kế hoạch này của").first.wait_for()
    assert_plain(page, f"{LINK} — {IMAGE}", f"Kế hoạch này của {BARE}")

    go(page, "Lịch sử tải lên")
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Lượt tải lên")
    box.locator("input").click()
    page.get_by_role("option").first.wait_for()
    assert_plain(page, f"{LINK}.csv", f"{IMAGE}.csv")
    page.get_by_role("option").filter(has_text=f"{LINK}.csv").click()
    settle(page)
    page.get_by_text(f"{LINK}.csv — Điểm số").first.wait_for()
    assert_plain(page, f"{LINK}.csv — Điểm số", f"bởi {BARE}")
