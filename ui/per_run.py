"""What one page run keeps for itself: a dict that lives as long as the run (kept on Streamlit's ScriptRunContext,
whose `cursors` is a new dict every run), for answers that cannot change within a run and are asked many times."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from streamlit.runtime.scriptrunner import get_script_run_ctx

T = TypeVar("T")
_KEPT = "_papi_per_run"


def kept() -> dict | None:
    """This run's dict, or None outside a page run."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return None
    found = getattr(ctx, _KEPT, None)
    if found is None or found[0] is not ctx.cursors:
        found = (ctx.cursors, {})
        setattr(ctx, _KEPT, found)
    return found[1]


def once(name: str, compute: Callable[[], T]) -> T:
    """compute() once per page run (outside a run: every time)."""
    run = kept()
    if run is None:
        return compute()
    if name not in run:
        run[name] = compute()
    return run[name]
