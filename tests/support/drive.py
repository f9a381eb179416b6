"""Helpers for driving the dashboard in a browser as a user does (Playwright, Debian's Chromium)."""

from __future__ import annotations

import re
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[1] / "e2e" / "screenshots"
ANALYST, PASSWORD = "lan", "mat-khau-e2e-1"
REPORTER, REPORTER_UNIT = "hoa", "Sở Nội vụ"  # a department reporter (same password)
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
# Installed in every page before it loads (tests/e2e/conftest.py): the time of the page's last change, of the last
# message the page sent its server (a widget changed, a page link clicked: a rerun asked for) and of the last message
# it heard back. A test waits for a condition of the page, however long a busy machine takes, never for a time.
WATCH_CHANGES = """(() => {
  window.__papiChanged = window.__papiAsked = window.__papiHeard = performance.now();
  new MutationObserver(() => { window.__papiChanged = performance.now(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) { window.__papiAsked = performance.now(); return send.call(this, data); };
  window.WebSocket = new Proxy(WebSocket, {construct(native, args) {
    const socket = Reflect.construct(native, args);
    socket.addEventListener("message", () => { window.__papiHeard = performance.now(); });
    return socket;
  }});
})();"""
STILL_MS = 250  # no change and no message for this long: the page is settled
# Settled: the server has answered the page's last request (Streamlit shows no sign of a rerun until its answer comes,
# which a busy machine delays), no script run is going (the app's own state; its running icon waits 500 ms to show),
# and neither the page nor the socket has changed for STILL_MS.
SETTLED = f"""() => {{
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app && app.getAttribute("data-test-script-state");
  return window.__papiHeard > window.__papiAsked && !["running", "rerunRequested", "stopRequested"].includes(state)
    && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
    && performance.now() - Math.max(window.__papiChanged, window.__papiHeard) > {STILL_MS};
}}"""


def open_app(page, server, path: str = "", query: str = "year=2022&province=soc-trang") -> None:
    page.goto(f"{server['url']}/{path}?{query}")
    settle(page)


def settle(page) -> None:
    """Wait until the page has content, its script run has finished and nothing has changed for a moment."""
    page.locator('[data-testid="stMainBlockContainer"] h1').first.wait_for()
    still(page)


def still(page) -> None:
    """Wait until no script run is going and the page has not changed for STILL_MS (whatever the machine's load)."""
    page.wait_for_function(SETTLED, polling=100)


def sidebar_select(page, label: str, option: str) -> None:
    choose(page, page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text=label), option)


def choose(page, box, option: str | re.Pattern, typed: str | None = None) -> None:
    """Pick an option of a select box as a user does: click it, type (the list is virtualised, so filter it first;
    typing also opens a list that a click landing during a rerun left closed), then click the option."""
    field = box.locator("input")
    field.click()
    field.fill(option if typed is None else typed)
    page.get_by_role("option", name=option, exact=isinstance(option, str)).click()
    settle(page)


def no_error_box(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0


def screenshot(page, name: str, viewport: dict) -> Path:
    """The whole page at a width: Streamlit scrolls inside its main block, so grow the window to fit it."""
    page.set_viewport_size(viewport)
    still(page)
    for _ in range(2):  # charts re-lay out when the window grows: measure again once
        height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], min(height, 12000))})
        still(page)
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
