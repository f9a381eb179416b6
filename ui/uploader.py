"""The file uploader every upload uses: any file type (Streamlit refuses an unlisted type in English; our
reader refuses what it cannot read, saying why in Vietnamese) and the size limit of papi_analysis/limits.py,
which .streamlit/config.toml's server.maxUploadSize repeats for the server (tests/test_limits_config.py)."""

from __future__ import annotations

import streamlit as st

from papi_analysis import limits

MAX_MEGABYTES = limits.MAX_UPLOAD_BYTES // limits.MIB


def file_uploader(label: str, key: str):
    """st.file_uploader with the dashboard's limit; the drop zone's words are Vietnamese (ui/streamlit_vi.py)."""
    return st.file_uploader(label, key=key, max_upload_size=MAX_MEGABYTES)
