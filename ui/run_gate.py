"""One leadership page run at a time in a server process (issue 18, item 6: a lighter view).

Streamlit gives every session its own script thread. When fifty viewers open the overview at once, fifty threads
take turns at Python's one lock (the GIL) and at Streamlit's locks, and the switching itself costs CPU: with the
runs taken one at a time, a burst of 20 views costs about a fifth less CPU per view and the 95th-percentile wait of
50 viewers is shorter (bench/RESULTS.md). A run is short (tens of milliseconds) and mostly Python, so little is
lost by waiting: two runs at once would share one core anyway.

Only the leadership pages take a turn: their runs are short and read only. An analyst's upload waits for a parse
in a child process and must not hold up viewers. A run never waits longer than WAIT_SECONDS: then it goes ahead
beside the others (slower, never stuck), so a slow run — the first after a write rebuilds the shared tables —
delays the rest by at most that. The gate is taken before any other lock, once per run, so it cannot deadlock."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

WAIT_SECONDS = 2.0
_gate = threading.BoundedSemaphore(1)  # modules are imported once per server process: one gate per process


@contextmanager
def turn(gated: bool = True) -> Iterator[bool]:
    """Run the block in this process's turn (gated), or at once. Yields whether the turn was had."""
    had = gated and _gate.acquire(timeout=WAIT_SECONDS)
    try:
        yield had
    finally:
        if had:
            _gate.release()
