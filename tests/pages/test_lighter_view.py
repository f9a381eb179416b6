"""A lighter view (issue 18, item 6): leadership runs take turns in a server process and never wait past the limit;
a run's messages reach the event loop in batches, in order; a run asks Streamlit's cache once per loader and
arguments; the overview sends its tables' download buttons only once their menu is opened. What each saves is
measured in bench/RESULTS.md, not asserted here."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import streamlit as st
from apptest import open_page
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner import ScriptRunnerEvent

from ui import auth, loaders, message_batch, per_run, run_gate

TABLE_BUTTONS = ["Tải CSV", "Tải bản CSV cho Excel (;)", "Tải Excel (XLSX)"]


def test_leadership_runs_take_turns():
    entries, holding, let_go = [], threading.Event(), threading.Event()

    def first() -> None:
        with run_gate.turn(gated=True) as had:
            entries.append(("first", had, time.monotonic()))
            holding.set()
            let_go.wait(10)
            entries.append(("first leaves", had, time.monotonic()))

    def second() -> None:
        with run_gate.turn(gated=True) as had:
            entries.append(("second", had, time.monotonic()))

    one = threading.Thread(target=first)
    one.start()
    assert holding.wait(10)
    two = threading.Thread(target=second)
    two.start()
    time.sleep(0.2)  # the second run is at the gate by now; it must not have come in
    assert [e[0] for e in entries] == ["first"]
    let_go.set()
    one.join(10), two.join(10)
    assert [(name, had) for name, had, _ in entries] == [("first", True), ("first leaves", True), ("second", True)]
    assert entries[2][2] >= entries[1][2]


def test_a_run_waits_no_longer_than_the_limit_and_an_ungated_run_not_at_all(monkeypatch):
    monkeypatch.setattr(run_gate, "WAIT_SECONDS", 0.05)
    with run_gate.turn(gated=True) as had:
        assert had
        started = time.monotonic()
        with run_gate.turn(gated=True) as waited:  # a long run holds the turn: this one goes ahead beside it
            assert not waited and time.monotonic() - started < 5
        with run_gate.turn(gated=False) as ungated:
            assert not ungated
    # Nobody gave back a turn they did not have (a BoundedSemaphore would raise): the next run gets one at once.
    with run_gate.turn(gated=True) as again:
        assert again


class Session:
    """What AppSession's event path uses: the loop's queue of callbacks, and what the loop handled."""

    def __init__(self) -> None:
        self.scheduled, self.handled = [], []

    def _call_soon_on_event_loop(self, callback) -> None:
        self.scheduled.append(callback)

    def _handle_scriptrunner_event_on_event_loop(self, sender, event, forward_msg=None, *rest) -> None:
        self.handled.append((event, forward_msg))


def test_a_run_s_messages_reach_the_event_loop_in_one_batch_and_in_order():
    session, message = Session(), ScriptRunnerEvent.ENQUEUE_FORWARD_MSG
    for text in ("heading", "table", "chart"):
        message_batch._batched(session, "runner", event=message, forward_msg=text)
    message_batch._batched(session, "runner", event=ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS)
    assert len(session.scheduled) == 2  # one batch, then Streamlit's own callback for the run's end
    session.scheduled.pop(0)()
    message_batch._batched(session, "runner", event=message, forward_msg="after")  # a new batch
    while session.scheduled:
        session.scheduled.pop(0)()
    assert [m for _, m in session.handled] == ["heading", "table", "chart", None, "after"]
    assert session.handled[3][0] is ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS


def test_a_message_sent_after_a_run_ends_never_overtakes_the_end():
    """A rerun sends its first messages before the loop has handled the last run's end: they wait for it (in a
    batch of their own), or the browser gets the new run's elements as the old run's and drops them at its end."""
    session, message = Session(), ScriptRunnerEvent.ENQUEUE_FORWARD_MSG
    message_batch._batched(session, "runner", event=message, forward_msg="old run")
    message_batch._batched(session, "runner", event=ScriptRunnerEvent.SCRIPT_STOPPED_FOR_RERUN)
    message_batch._batched(session, "runner", event=ScriptRunnerEvent.SCRIPT_STARTED, page_script_hash="p")
    for text in ("new run", "its table"):
        message_batch._batched(session, "runner", event=message, forward_msg=text)
    while session.scheduled:  # the loop runs only now: everything above was sent before it woke
        session.scheduled.pop(0)()
    assert session.handled == [
        (message, "old run"),
        (ScriptRunnerEvent.SCRIPT_STOPPED_FOR_RERUN, None),
        (ScriptRunnerEvent.SCRIPT_STARTED, None),
        (message, "new run"),
        (message, "its table"),
    ]


def test_the_dashboard_s_server_batches_messages(monkeypatch):
    monkeypatch.setattr(AppSession, "_on_scriptrunner_event", message_batch._streamlits)
    message_batch.install()
    assert AppSession._on_scriptrunner_event is message_batch._batched
    source = (Path(__file__).resolve().parents[2] / "scripts" / "papi_asgi.py").read_text(encoding="utf-8")
    assert "message_batch.install()" in source


@pytest.fixture
def page_run(monkeypatch):
    """A page run's context and the store's write count, without a server: what ui.loaders keys its memo on."""
    ctx = SimpleNamespace(cursors={})
    found = SimpleNamespace(path="db", writes=0, version=lambda: f"v{found.writes}")
    monkeypatch.setattr(per_run, "get_script_run_ctx", lambda suppress_warning=False: ctx)
    monkeypatch.setattr(loaders, "store", lambda: found)
    return SimpleNamespace(ctx=ctx, store=found)


def test_a_run_asks_the_cache_once_per_loader_and_arguments(monkeypatch, page_run):
    asked, real = [], st.cache_resource

    def counting(**options):
        def wrap(function):
            cached = real(**options)(function)

            def ask(**arguments):
                asked.append(arguments["key"])
                return cached(**arguments)

            return ask

        return wrap

    monkeypatch.setattr(st, "cache_resource", counting)

    @loaders.stamped(loaders.PER_VIEW)
    def doubled(x) -> int:
        return 2 * sum(x) if isinstance(x, list) else 2 * x

    assert [doubled(2), doubled(2), doubled(x=2), doubled(3), doubled(2)] == [4, 4, 4, 6, 4]
    assert len(asked) == 3  # 2, x=2 and 3: the repeats are answered by the run's memo
    page_run.ctx.cursors = {}  # the next run
    assert doubled(2) == 4 and len(asked) == 4
    page_run.store.writes += 1  # this run wrote: what it reads next is the new state
    assert doubled(2) == 4 and asked[-1] == repr((("db", "v1"), ((2,), ())))  # one text: loaders.key_text
    assert doubled([1, 2]) == doubled([1, 2]) == 6  # a list cannot key the memo: the cache is asked each time
    assert len(asked) == 7


def test_a_run_looks_for_the_sign_in_settings_once(monkeypatch, page_run):
    looked = []
    monkeypatch.setattr(auth, "_secrets_section", lambda name: looked.append(name) or {})
    assert [auth.oidc_configured() for _ in range(3)] == [False] * 3 and looked == ["auth"]
    page_run.ctx.cursors = {}  # the next run: a secrets file added meanwhile is seen
    monkeypatch.setattr(auth, "_secrets_section", lambda name: looked.append(name) or {"client_id": "x"})
    assert auth.oidc_configured() and looked == ["auth", "auth"]


def test_the_overview_sends_its_tables_download_buttons_once_their_menu_is_opened():
    at = open_page(None, params={"year": 2022, "province": "soc-trang"})
    assert not at.exception
    assert [b.label for b in at.get("download_button")] == ["Tải dự thảo báo cáo (Word)"]
    menus = [b for b in _blocks(at) if b.proto.WhichOneof("type") == "popover"]
    assert [(m.proto.popover.label, m.proto.popover.open) for m in menus] == [("Tải bảng", False)] * 2
    at.session_state["ov_targets_dl_menu"] = True
    at.run()
    buttons = {b.key: b for b in at.get("download_button")}
    assert [b.label for b in buttons.values()] == [*TABLE_BUTTONS, "Tải dự thảo báo cáo (Word)"]
    assert buttons["ov_targets_dl_xlsx"].proto.help.startswith("Bảng Excel")
    at.session_state["overview_menu"] = True
    at.run()
    assert [b.label for b in at.get("download_button")].count("Tải Excel (XLSX)") == 2


def _blocks(at):
    found, todo = [], [at._tree]
    while todo:
        node = todo.pop()
        children = list(getattr(node, "children", {}).values())
        found += [c for c in children if type(c).__name__ == "Block"]
        todo += children
    return found
