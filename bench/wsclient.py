"""A minimal headless client of Streamlit's browser protocol, enough to open a page the way a browser tab
does and time it: a websocket to /_stcore/stream (subprotocol "streamlit"), one BackMsg asking to run the
script with the page's URL, then ForwardMsgs (new session, page info, deltas …) until `script_finished`.

Why not Playwright pages: fifty Chromium tabs on a 2-core machine would measure Chromium, not the server.
The protobuf classes are Streamlit's own (streamlit.proto), so the messages are exactly the browser's.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
RERUNNING = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


@dataclass(frozen=True)
class Visit:
    seconds: float  # from `started` until the run's script_finished
    received_bytes: int  # everything the server sent for this page view
    messages: int
    deltas: int
    error: str = ""
    payload: bytes = b""  # what was received, when asked for (to look for a text)


def _rerun_request(query: str, page_name: str, url: str) -> bytes:
    message = BackMsg()
    rerun = message.rerun_script
    rerun.query_string = query
    rerun.page_name = page_name
    rerun.context_info.timezone = "Asia/Ho_Chi_Minh"
    rerun.context_info.timezone_offset = -420
    rerun.context_info.locale = "vi-VN"
    rerun.context_info.url = url
    return message.SerializeToString()


async def open_page(
    base: str,
    query: str = "",
    page_name: str = "",
    started: float | None = None,
    cookie: str | None = None,
    keep: bool = False,
) -> Visit:
    """Open `base` (http://host:port) at `page_name` with `query`, as a new tab; wait for the run to finish.
    `cookie`: sent with the websocket handshake (e.g. the balancer's worker cookie); `keep`: keep the payload."""
    started = time.perf_counter() if started is None else started
    stream = base.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
    received = messages = deltas = 0
    payload = bytearray()
    headers = {"Cookie": cookie} if cookie else None
    connect = websockets.connect(
        stream, subprotocols=["streamlit"], max_size=None, compression=None, additional_headers=headers
    )
    async with connect as ws:
        await ws.send(_rerun_request(query, page_name, f"{base}/{page_name}?{query}"))
        async for data in ws:
            received += len(data)
            messages += 1
            if keep:
                payload += data
            message = ForwardMsg()
            message.ParseFromString(data)
            kind = message.WhichOneof("type")
            deltas += kind == "delta"
            if kind == "session_status_changed" and message.session_status_changed.script_is_running:
                continue
            if kind == "script_finished" and message.script_finished != RERUNNING:
                error = "" if message.script_finished == FINISHED else f"status {message.script_finished}"
                return Visit(time.perf_counter() - started, received, messages, deltas, error, bytes(payload))
    return Visit(time.perf_counter() - started, received, messages, deltas, "closed before the run finished")


async def open_together(base: str, sessions: int, query: str, page_name: str = "", timeout: float = 120) -> list[Visit]:
    """`sessions` new tabs opening the same page at the same moment (one shared start time)."""
    started = time.perf_counter()
    tasks = [open_page(base, query, page_name, started) for _ in range(sessions)]
    try:
        return list(await asyncio.wait_for(asyncio.gather(*tasks), timeout))
    except TimeoutError:
        return [Visit(timeout, 0, 0, 0, "timed out")] * sessions


def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine of this module to the end from ordinary code, even in a thread whose event loop is
    already running (Playwright's sync API keeps one): in a thread of its own."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
