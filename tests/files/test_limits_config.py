"""The upload limit is set once (papi_analysis/limits.py); the server's own limit in .streamlit/config.toml and
the uploader's (ui/uploader.py) say the same number, so Streamlit never shows its default "200MB"."""

from __future__ import annotations

import tomllib
from pathlib import Path

from papi_analysis import limits
from ui import uploader

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_the_server_and_the_uploader_hold_files_to_the_one_limit():
    assert limits.MAX_UPLOAD_BYTES % limits.MIB == 0  # a whole number of MB, as Streamlit takes it
    server = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["server"]["maxUploadSize"]
    assert server == uploader.MAX_MEGABYTES == limits.MAX_UPLOAD_BYTES // limits.MIB
