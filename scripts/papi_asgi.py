"""The app `streamlit run` serves (started by scripts/app_server.py): Streamlit's own routes for app.py, plus the
two endpoints of the session cookie (ui/session_routes.py), with a run's messages handed to the event loop in
batches (ui/message_batch.py). Streamlit 1.67 runs a file holding `app = st.App(...)`
as this ASGI app (st.App: the documented way to add routes beside Streamlit's)."""

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ui import message_batch  # noqa: E402  (the project's root is on the path from here)
from ui.session_routes import routes  # noqa: E402

message_batch.install()  # a run's messages reach the event loop in batches (ui/message_batch.py)

app = st.App(ROOT / "app.py", routes=routes(st.get_option("server.baseUrlPath")))
