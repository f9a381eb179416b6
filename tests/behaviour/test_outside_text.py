"""Nothing from outside is rendered as Markdown: URL values, file names, plan metadata, task texts and user
names reach every Markdown-rendering element escaped (render.plain) or go through text elements.
tests/e2e/test_hostile_text.py shows the same pages in a browser: no link, no image, no formatting."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
from apptest import open_page
from helpers import csv_bytes, synthetic_year
from outside import (
    BARE,
    DOMAIN,
    HOSTILE_PLAN,
    IMAGE,
    LINK,
    PAYLOADS,
    add_hostile_records,
    assert_no_raw_payload,
    plain_texts,
    shown,
)

from papi_analysis.cli.main import main
from papi_analysis.paths import TASKS_CSV
from ui.render import plain


def page(name: str | None = None, analyst: str | None = None, **params):
    at = open_page(name, session={"_analyst": analyst} if analyst else {}, params=params)
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("text", PAYLOADS)
def test_plain_escapes_formatting_and_breaks_autolinks(text):
    escaped = plain(text)
    assert shown(escaped) == text  # the reader sees exactly the text
    for pattern in (r"https?://", r"www\.", r"@\w", r":material/", r"(?<!\\)[\[\]*_<>()!]"):
        assert not re.search(pattern, escaped), (pattern, escaped)


def test_hostile_url_values_are_shown_as_text():
    at = page(year=LINK, province=IMAGE, group=BARE)
    seen = "\n".join(assert_no_raw_payload(at))
    assert f"Năm '{LINK}' không hợp lệ" in seen
    assert IMAGE in seen and f"Không có vùng '{BARE}'" in seen
    assert at.selectbox(key="year").value == 2024


def test_a_hostile_analyst_name_is_text_in_the_sidebar_and_account_page():
    at = page("pages/account.py", analyst=BARE)
    seen = "\n".join(assert_no_raw_payload(at))
    assert seen.count(f"Đang đăng nhập: **{BARE}** (cán bộ phân tích)") == 2  # sidebar and page


@pytest.fixture
def hostile_store(fresh_db_env):
    add_hostile_records(fresh_db_env)
    return fresh_db_env


def test_hostile_plan_metadata_and_task_texts_are_text(hostile_store):
    at = page("pages/tasks.py", year=2022)
    at.selectbox(key="tasks_plan").set_value(HOSTILE_PLAN).run()
    assert not at.exception
    seen = "\n".join(assert_no_raw_payload(at))
    assert f"{LINK} — {IMAGE}" in seen and f"Kế hoạch này của {BARE}" in seen
    assert LINK in plain_texts(at) and any(BARE in t for t in plain_texts(at))


def test_hostile_file_names_and_users_are_text_on_the_history_page(hostile_store, tmp_path):
    upload = tmp_path / "www.evil.example [x](y).csv"
    upload.write_bytes(csv_bytes(synthetic_year(["Bạc Liêu"], 2025)))
    assert main(["ingest", str(upload), "--user", BARE]) == 0
    at = page("pages/uploads.py", analyst="lan")
    uploads = hostile_store.uploads()
    for upload_id in uploads.upload_id.head(3):
        at.selectbox(key="hist_choice").set_value(int(upload_id)).run()
        assert not at.exception, [e.value for e in at.exception]
        assert_no_raw_payload(at)
    described = "\n".join(plain_texts(at))
    assert f"{LINK}.csv" in described and f"{IMAGE}.csv" in described and upload.name in described
    assert DOMAIN in described


def test_the_history_page_shows_a_tasks_upload(hostile_store):
    """A tasks upload has no unit set and no cell changes (it once failed with KeyError: nan)."""
    tasks_upload = int(hostile_store.uploads().query("kind == 'tasks'").upload_id.max())
    at = page("pages/uploads.py", analyst="lan")
    at.selectbox(key="hist_choice").set_value(tasks_upload).run()
    assert not at.exception, [e.value for e in at.exception]
    described = next(t.value for t in at.text if t.value.startswith(f"#{tasks_upload} "))
    assert "Nhiệm vụ, tải lên" in described and at.download_button(key="hist_file") is not None
    undo = at.checkbox(key="hist_confirm")  # a tasks upload can be undone too (issue 13)
    assert undo.label == f"Tôi muốn hoàn tác lượt tải lên #{tasks_upload}"


def test_a_hostile_plan_id_is_text_through_the_tasks_upload(fresh_db_env):
    rows = pd.read_csv(TASKS_CSV, dtype=str, keep_default_na=False).head(2).assign(plan_id=HOSTILE_PLAN)
    content = rows.to_csv(index=False).encode()
    at = page("pages/upload.py", analyst="lan")
    at.file_uploader[1].set_value((f"{LINK}.csv", content, "text/csv")).run()
    assert f"Kế hoạch {HOSTILE_PLAN} chưa có" in "\n".join(assert_no_raw_payload(at))
    {t.label: t for t in at.text_input}["Tên kế hoạch"].set_value(LINK)
    at.date_input[0].set_value(date(2024, 5, 20))
    next(n for n in at.number_input if n.label.startswith("Năm mục tiêu")).set_value(2025)
    next(b for b in at.button if b.label == "Dùng thông tin này").click().run()
    at.button(key="up_tasks_commit").click().run()
    assert f"Đã ghi 2 nhiệm vụ của kế hoạch {HOSTILE_PLAN}" in "\n".join(assert_no_raw_payload(at))
    at.file_uploader[1].set_value((f"{LINK}.csv", content, "text/csv")).run()
    assert f"Kế hoạch {HOSTILE_PLAN} đã có" in "\n".join(assert_no_raw_payload(at))


def test_an_official_workbooks_labels_are_text_in_the_mapping_and_on_the_dimension_page(fresh_db_env):
    """Issue 11: row labels and sub-dimension names come from the file; they are shown as text, never as Markdown
    or HTML (also in the chart, where plotly reads some tags)."""
    from helpers import figures
    from official_workbooks import Options, transposed, workbook

    from papi_analysis.reading.ingest import parse_scores
    from papi_analysis.reading.line_targets import INDICATOR

    content, _ = transposed(fresh_db_env, 2022, Options(labels="vi", indicators=1))
    rows = pd.read_excel(pd.io.common.BytesIO(content), header=None).astype(object)
    rows = rows.where(rows.notna(), None).values.tolist()
    name = next(i for i, r in enumerate(rows) if str(r[0]).startswith("Chỉ số thành phần 1.1"))
    rows[name][0] = f"Chỉ số thành phần 1.1: <b>in</b> {LINK}"
    rows.insert(name + 1, [f"Ghi chú {IMAGE}", *[2.0] * (len(rows[name]) - 1)])
    hostile = workbook({"PAPI 2022": rows})
    at = page("pages/upload.py", analyst="lan")
    at.file_uploader[0].set_value((f"{BARE}.xlsx", hostile, "application/octet-stream")).run()
    assert not at.exception
    assert any(LINK in t for t in at.data_editor[0].value["Nhãn trong tệp"])
    assert any(IMAGE in s for s in assert_no_raw_payload(at))  # the unread line is listed, escaped
    parsed = parse_scores(hostile, "x.xlsx", fresh_db_env.reference())
    unread = next(n for n, ln in enumerate(parsed.mapping.lines) if ln.label.startswith("Ghi chú"))
    chosen = parse_scores(hostile, "x.xlsx", fresh_db_env.reference(), mapping={unread: INDICATOR})
    fresh_db_env.commit_scores(chosen, replace=False, user="lan")
    dim = page("pages/dimension.py", year=2022, province="soc-trang")
    assert_no_raw_payload(dim)
    chart = next(f for f in figures(dim) if any("D1.1" in str(y) for t in f["data"] for y in (t.get("y") or [])))
    assert any("&lt;b&gt;in&lt;/b&gt;" in str(y) for t in chart["data"] for y in t["y"])


def test_what_was_written_is_said_as_text_when_it_names_a_plan():
    """A rollback's message names the plan it restored (a plan id is any text of the tasks file)."""
    session = {"_analyst": "lan", "hist_done": f"Đã hoàn tác: kế hoạch {HOSTILE_PLAN} trở lại như trước."}
    at = open_page("pages/uploads.py", session=session)
    assert not at.exception
    assert f"kế hoạch {HOSTILE_PLAN} trở lại" in "\n".join(assert_no_raw_payload(at))
