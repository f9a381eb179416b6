"""A page run's messages handed to the server's event loop in batches (issue 18, item 6: a lighter view).

Streamlit 1.67 hands each element a script run sends to the event loop one at a time: one
`call_soon_threadsafe` per element, so the loop is woken (a write to its pipe, a thread switch) about 60 times
for one view of the overview. Here the first message of a batch schedules one callback and the messages that
follow before it runs join it: the same messages, in the same order, each handled by Streamlit's own
`_handle_scriptrunner_event_on_event_loop` — about a tenth less CPU per view (bench/RESULTS.md). Every other
event (run started, finished, stopped) takes Streamlit's path, after the batch scheduled before it.

Installed by scripts/papi_asgi.py, the app the dashboard's servers run; AppTest has no AppSession."""

from __future__ import annotations

import logging
import threading

from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner import ScriptRunnerEvent

_LOG = logging.getLogger(__name__)
_PENDING = "_papi_pending"  # on the AppSession: [(sender, message)] not yet handed to the event loop
_lock = threading.Lock()
_streamlits = AppSession._on_scriptrunner_event


def _flush(session: AppSession) -> None:
    """On the event loop: hand over every pending message, in order (one failing does not drop the rest)."""
    with _lock:
        pending = session.__dict__.pop(_PENDING, [])
    for sender, message in pending:
        try:
            session._handle_scriptrunner_event_on_event_loop(sender, ScriptRunnerEvent.ENQUEUE_FORWARD_MSG, message)
        except Exception:  # as asyncio does for a failing callback: say it, go on
            _LOG.exception("A message of a page run could not be handled")


def _batched(self: AppSession, sender, event: ScriptRunnerEvent, forward_msg=None, **details) -> None:
    if event is not ScriptRunnerEvent.ENQUEUE_FORWARD_MSG or details:
        _streamlits(self, sender, event, forward_msg, **details)
        return
    with _lock:
        pending = self.__dict__.setdefault(_PENDING, [])
        pending.append((sender, forward_msg))
        first = len(pending) == 1
    if first:
        self._call_soon_on_event_loop(lambda: _flush(self))


def install() -> None:
    """Batch every session's messages from now on (a session connects the method when it is created)."""
    for name in ("_handle_scriptrunner_event_on_event_loop", "_call_soon_on_event_loop"):
        if not hasattr(AppSession, name):  # a Streamlit upgrade changed the path: fail loudly, never silently
            raise RuntimeError(f"streamlit.runtime.app_session.AppSession.{name} is gone")
    AppSession._on_scriptrunner_event = _batched
