"""Hostile text from outside (a URL, a file name, a plan, a user name) and the check that no element which
renders Markdown received it unescaped. The browser test proves that escaped text shows as plain text."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
from apptest import html_tables
from helpers import csv_bytes, synthetic_year
from streamlit.testing.v1 import AppTest

from papi_analysis.paths import TASKS_CSV
from papi_analysis.plan.plan_tasks import parse_plan, parse_tasks
from papi_analysis.reading.ingest import parse_scores
from papi_analysis.store.database import Store

DOMAIN = "evil.example"
LINK = f"[Phiên hết hạn, bấm vào đây](https://{DOMAIN}/x)"
IMAGE = f"![logo](https://{DOMAIN}/i.png)"
BARE = f"https://{DOMAIN}/a www.{DOMAIN} a@{DOMAIN} **đậm** _nghiêng_ :material/home: <b>in</b>"
PAYLOADS = [LINK, IMAGE, BARE]
HOSTILE_PLAN = f"99/KH [bấm](https://{DOMAIN}/p)"

# AppTest element types whose text Streamlit renders as Markdown; st.text and tables are plain.
MARKDOWN_TYPES = {"markdown", "caption", "title", "header", "subheader", "error", "warning", "info", "success", "toast"}
_ESCAPE = re.compile(r"\\(.)")


def shown(body: str) -> str:
    """What a reader sees of a Markdown source made with render.plain(): escapes and word joiners removed."""
    return _ESCAPE.sub(r"\1", body).replace("\u2060", "")


def markdown_sources(at: AppTest) -> list[str]:
    """Every string of the page that Streamlit renders as Markdown: bodies, labels, help texts."""
    found = []
    for node in at._tree:
        proto, kind = getattr(node, "proto", None), getattr(node, "type", "")
        if proto is None or not hasattr(proto, "DESCRIPTOR"):
            continue
        fields = {f.name for f in proto.DESCRIPTOR.fields}
        if kind in MARKDOWN_TYPES and "body" in fields:
            found.append(proto.body)
        found += [getattr(proto, name) for name in ("label", "help") if name in fields]
    return [text for text in found if isinstance(text, str)]


def plain_texts(at: AppTest) -> list[str]:
    """Text elements and table cells: shown as they are, never as Markdown."""
    texts = [t.value for t in at.text]
    for frame in [d.value for d in at.dataframe] + html_tables(at):  # st.html runs no Markdown: text as typed
        texts += [str(v) for v in frame.astype(str).to_numpy().ravel()]
    return texts


def assert_no_raw_payload(at: AppTest) -> list[str]:
    """No Markdown source holds the hostile domain unescaped; returns what the reader sees of them."""
    sources = markdown_sources(at)
    raw = [s for s in sources if DOMAIN in s]
    assert not raw, raw
    return [shown(s) for s in sources]


def add_hostile_records(store: Store) -> None:
    """A plan (id, title, issuing body, province), a task (title, lead unit), file names and a user, all hostile."""
    ref = store.reference()
    rows = pd.read_csv(TASKS_CSV, dtype=str, keep_default_na=False).head(3).assign(plan_id=HOSTILE_PLAN)
    rows.loc[0, "title"], rows.loc[0, "lead_units"] = LINK, BARE
    loaded = parse_tasks(rows.to_csv(index=False).encode(), f"{IMAGE}.csv", ref, {})
    details = {"plan_id": HOSTILE_PLAN, "title": LINK, "issuing_body": IMAGE, "province": BARE}
    loaded.plan = parse_plan(details | {"issued_on": date(2024, 5, 20), "target_year": 2025})
    store.commit_tasks(loaded, user=BARE, replace=False)
    parsed = parse_scores(csv_bytes(synthetic_year(["Sóc Trăng"], 2025)), f"{LINK}.csv", ref)
    store.commit_scores(parsed, replace=False, user=BARE)
