"""The browser tests' own wait (tests/support/drive.py::settle), against the race a busy machine makes: a click asks
the server for a rerun, and until the answer comes the page shows nothing of it (Streamlit's running icon waits
500 ms to show). A page that is merely still is not settled while its question is unanswered. The server's answers
are held here by Playwright's WebSocket routing, as a loaded server delays them."""

from __future__ import annotations

import time

from drive import SETTLED, STILL_MS, open_app, settle

# What the wait was before: no running icon and no change for STILL_MS (it passed while the answer was held).
ONLY_STILL = f"""() => !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
  && performance.now() - window.__papiChanged > {STILL_MS}"""


class HeldAnswers:
    """Relay the page's socket to the server, holding the server's messages while `holding` is set."""

    def __init__(self) -> None:
        self.holding, self.held, self.socket = False, [], None

    def route(self, socket) -> None:
        self.socket, server = socket, socket.connect_to_server()
        server.on_message(lambda message: self.held.append(message) if self.holding else socket.send(message))
        socket.on_message(server.send)

    def wait_for_one(self, page) -> None:
        """Until the server's first answer is held (Playwright delivers routed messages while the page is driven)."""
        deadline = time.monotonic() + 30
        while not self.held and time.monotonic() < deadline:
            page.evaluate("() => 0")
        assert self.held, "the server never answered"

    def release(self) -> None:
        self.holding = False
        while self.held:
            self.socket.send(self.held.pop(0))


def test_a_page_whose_server_has_not_answered_is_not_settled(page, server):
    answers = HeldAnswers()
    page.route_web_socket("**/_stcore/stream", answers.route)
    open_app(page, server)
    asked = page.evaluate("() => window.__papiAsked")
    answers.holding = True
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="So sánh", exact=True).click()
    page.wait_for_function(f"() => window.__papiAsked > {asked}")  # the rerun was asked for
    page.wait_for_function(ONLY_STILL, polling=100)  # the old wait would have gone on here
    assert not page.evaluate(SETTLED)
    answers.wait_for_one(page)  # the server has answered; the page has not heard it: still not settled
    assert not page.evaluate(SETTLED) and "/so-sanh" not in page.url
    answers.release()
    settle(page)
    page.wait_for_url("**/so-sanh?**")
    assert page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text().startswith("So sánh")
