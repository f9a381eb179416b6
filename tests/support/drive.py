"""Helpers for driving the dashboard in a browser as a user does (Playwright, Debian's Chromium)."""

from __future__ import annotations

from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[1] / "e2e" / "screenshots"
ANALYST, PASSWORD = "lan", "mat-khau-e2e-1"
REPORTER, REPORTER_UNIT = "hoa", "Sở Nội vụ"  # a department reporter (same password)
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
RUN_FINISHED = """() => !document.querySelector(
    '[data-testid="stStatusWidgetRunningIcon"], [data-testid="stStatusWidgetRunningManIcon"]')"""


def open_app(page, server, path: str = "", query: str = "year=2022&province=soc-trang") -> None:
    page.goto(f"{server['url']}/{path}?{query}")
    settle(page)


def settle(page) -> None:
    """Wait until the script run has finished and the page has content."""
    page.locator('[data-testid="stMainBlockContainer"] h1').first.wait_for()
    page.wait_for_function(RUN_FINISHED)
    page.wait_for_timeout(300)


def sidebar_select(page, label: str, option: str) -> None:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text=label)
    box.locator("input").click()
    box.locator("input").fill(option)  # the list is virtualised: filter it first
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def no_error_box(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0


def screenshot(page, name: str, viewport: dict) -> Path:
    """The whole page at a width: Streamlit scrolls inside its main block, so grow the window to fit it."""
    page.set_viewport_size(viewport)
    page.wait_for_timeout(400)
    for _ in range(2):  # charts re-lay out when the window grows: measure again once
        height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], min(height, 12000))})
        page.wait_for_timeout(600)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}_{viewport['width']}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size(viewport)
    return path


def sign_in(page, server) -> None:
    open_app(page, server, "tai-khoan")
    page.get_by_label("Tên đăng nhập").fill(ANALYST)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text(f"Đang đăng nhập: {ANALYST}").first.wait_for()


def go(page, link: str) -> None:
    """Navigate inside the session (a new page load would start a new session, signed out)."""
    if not page.locator('[data-testid="stSidebarNav"]').is_visible():  # phone: the sidebar starts closed
        page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=link, exact=True).click()
    settle(page)
