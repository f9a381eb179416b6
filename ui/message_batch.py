"""A page run's messages handed to the server's event loop in batches (issue 18, item 6: a lighter view).

Streamlit 1.67 hands each element a script run sends to the event loop one at a time: one
`call_soon_threadsafe` per element, so the loop is woken (a write to its pipe, a thread switch) about 60 times
for one view of the overview. Here the first message of a batch schedules one callback and the messages that
follow before it runs join it: the same messages, in the same order, each handled by Streamlit's own
`_handle_scriptrunner_event_on_event_loop` — about a tenth less CPU per view (bench/RESULTS.md). Every other
event (run started, finished, stopped) takes Streamlit's path, after the batch scheduled before it, and closes
that batch: a message sent after the event waits for it in a new batch (a rerun's first elements, joining the
last run's batch, reached the browser before the new run began and were dropped as the old run's).

Installed by scripts/papi_asgi.py, the app the dashboard's servers run; AppTest has no AppSession."""

from __future__ import annotations

import logging
import threading

from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner import ScriptRunnerEvent

_LOG = logging.getLogger(__name__)
_PENDING = "_papi_pending"  # on the AppSession: the open batch, [(sender, message)], its hand-over scheduled
_lock = threading.Lock()
_streamlits = AppSession._on_scriptrunner_event


def _flush(session: AppSession, batch: list) -> None:
    """On the event loop: hand over every message of the batch, in order (one failing does not drop the rest)."""
    with _lock:
        if session.__dict__.get(_PENDING) is batch:  # closed now: a message from here on starts a new batch
            del session.__dict__[_PENDING]
    for sender, message in batch:
        try:
            session._handle_scriptrunner_event_on_event_loop(sender, ScriptRunnerEvent.ENQUEUE_FORWARD_MSG, message)
        except Exception:  # as asyncio does for a failing callback: say it, go on
            _LOG.exception("A message of a page run could not be handled")


def _batched(self: AppSession, sender, event: ScriptRunnerEvent, forward_msg=None, **details) -> None:
    if event is not ScriptRunnerEvent.ENQUEUE_FORWARD_MSG or details:
        with _lock:  # the batch scheduled before this event is closed: no later message may overtake the event
            self.__dict__.pop(_PENDING, None)
        _streamlits(self, sender, event, forward_msg, **details)
        return
    with _lock:
        batch = self.__dict__.get(_PENDING)
        first = batch is None
        if first:
            batch = self.__dict__[_PENDING] = []
        batch.append((sender, forward_msg))
    if first:
        self._call_soon_on_event_loop(lambda: _flush(self, batch))


def install() -> None:
    """Batch every session's messages from now on (a session connects the method when it is created)."""
    for name in ("_handle_scriptrunner_event_on_event_loop", "_call_soon_on_event_loop"):
        if not hasattr(AppSession, name):  # a Streamlit upgrade changed the path: fail loudly, never silently
            raise RuntimeError(f"streamlit.runtime.app_session.AppSession.{name} is gone")
    AppSession._on_scriptrunner_event = _batched
