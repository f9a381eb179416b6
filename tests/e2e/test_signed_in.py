"""Signed in as a real browser is (issue 21): a reload keeps the session (a signed, expiring HttpOnly cookie the
page's code cannot read), signing out ends it on the server; an analyst page opened signed out says "Đăng nhập" in
Vietnamese and signs in in place; signing in on the Nhiệm vụ page keeps its filters; a department reporter records
its own unit's task and the history names it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from drive import ANALYST, PASSWORD, REPORTER, WATCH_CHANGES, choose, no_error_box, open_app, settle, sign_in

from papi_analysis.access.sessions import COOKIE
from papi_analysis.store.database import Store

MAIN = '[data-testid="stMainBlockContainer"]'


def title(page) -> str:
    return page.locator(f"{MAIN} h1").first.inner_text()


def session_cookie(page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == COOKIE), None)


def wait_for_cookie(page) -> dict:
    page.wait_for_function(  # the page posts its hand-off token; the server answers with Set-Cookie
        "() => performance.getEntriesByType('resource').some(e => e.name.includes('/api/papi/phien'))"
    )
    for _ in range(100):  # the response has come; its cookie is in the browser's store once it is processed
        if (cookie := session_cookie(page)) is not None:
            return cookie
        page.wait_for_timeout(100)
    raise AssertionError("the server set no session cookie")


def sign_in_here(page, name: str) -> None:
    """The sign-in form of the page the browser is on."""
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.locator('[data-testid="stSidebar"]').get_by_text(f"Đang đăng nhập: {name}").wait_for()
    settle(page)


def test_a_reload_keeps_the_analyst_signed_in_and_signing_out_ends_it(page, server, browser):
    sign_in(page, server)
    cookie = wait_for_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["expires"] > 0
    assert COOKIE not in page.evaluate("() => document.cookie")  # the page's code never sees it
    assert cookie["value"] not in page.url
    page.reload()
    settle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text(f"Đang đăng nhập: {ANALYST}").wait_for()
    open_app(page, server, "tai-len", "")  # a new page load: still signed in, the analyst's own page
    assert title(page) == "Tải dữ liệu lên" and page.locator('[data-testid="stFileUploader"]').count() >= 1
    open_app(page, server, "tai-khoan", "")
    page.get_by_role("button", name="Đăng xuất").click()
    page.locator(f"{MAIN} h1").filter(has_text="Đăng nhập").wait_for()
    page.wait_for_function("() => performance.getEntriesByType('resource').some(e => e.name.includes('dang-xuat'))")
    page.reload()
    settle(page)
    assert title(page) == "Đăng nhập" and page.get_by_text("Đang đăng nhập").count() == 0
    stolen = browser.new_context()  # the old cookie, replayed elsewhere, signs nobody in: the server ended it
    stolen.add_init_script(WATCH_CHANGES)
    stolen.add_cookies([cookie])
    other = stolen.new_page()
    open_app(other, server, "tai-khoan", "")
    assert title(other) == "Đăng nhập"
    stolen.close()


def test_an_analyst_page_opened_signed_out_says_dang_nhap_and_signs_in_in_place(page, server):
    page.goto(f"{server['url']}/tai-len")
    settle(page)
    assert title(page) == "Đăng nhập"
    page.get_by_text("Trang Tải dữ liệu lên dành cho cán bộ phân tích: hãy đăng nhập.").wait_for()
    body = page.locator("body").inner_text()
    assert "does not seem to exist" not in body and "Page not found" not in body
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    sign_in_here(page, ANALYST)
    page.locator(f"{MAIN} h1").filter(has_text="Tải dữ liệu lên").wait_for()
    assert urlsplit(page.url).path == "/tai-len" and page.locator('[data-testid="stFileUploader"]').count() >= 1
    no_error_box(page)


def test_a_reporter_signs_in_on_the_tasks_page_keeps_the_filters_and_records_its_units_task(page, server):
    store = Store(server["db"])
    query = "year=2022&province=soc-trang&unit=so-noi-vu&role=chu-tri-dich-danh&q=T065"
    open_app(page, server, "nhiem-vu", query)
    for _ in range(3):  # a tab clicked while the page reruns can be missed
        page.get_by_role("tab", name="Cập nhật tình trạng").click()
        settle(page)
        if page.get_by_label("Tên đăng nhập").count():
            break
    sign_in_here(page, REPORTER)
    for part in ("unit=so-noi-vu", "role=chu-tri-dich-danh", "q=T065", "year=2022"):
        assert part in page.url, page.url
    page.get_by_text("báo cáo viên của Sở Nội vụ").first.wait_for()
    form = page.locator('[data-testid="stForm"]')
    for _ in range(3):
        page.get_by_role("tab", name="Cập nhật tình trạng").click()
        settle(page)
        if form.count() and form.first.is_visible():
            break
    choose(page, form.locator('[data-testid="stSelectbox"]').filter(has_text="Tình trạng"), "Đang triển khai")
    form.get_by_role("button", name="Ghi tình trạng").click()
    page.get_by_text(re.compile("Đã ghi tình trạng Quý IV/2023 của T065: Đang triển khai")).wait_for()
    recorded = store.task_statuses().set_index("task_id").loc["T065"]
    assert recorded.recorded_by == "hoa (Sở Nội vụ)"
    page.get_by_text("hoa (Sở Nội vụ)").first.wait_for(state="attached")  # the history (a data grid) names who
    no_error_box(page)
