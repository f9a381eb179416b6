"""Issue 11 on the pages (AppTest): the upload shows how every row of an official workbook is read and lets the
analyst change it; committed, the dimension page shows sub-dimensions with their confidence intervals and the
indicators; the overview says how many provinces' intervals overlap."""

from __future__ import annotations

import hashlib

from helpers import figures
from official_workbooks import Options, transposed
from test_pages import app, chip_table, frame_with, metrics, texts

from papi_analysis.reading.ingest import parse_scores
from papi_analysis.reading.line_targets import IGNORED, score
from ui.upload.mapping_editor import READ_AS, editor_key

NAME = "2022PAPI_ProvincialIndicators_BangChiTieuCapTinh.xlsx"


def upload(content: bytes):
    at = app("pages/upload.py", analyst=True)
    at.file_uploader[0].set_value((NAME, content, "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_upload_shows_every_row_read_and_takes_the_analysts_changes(fresh_db_env):
    content, expected = transposed(fresh_db_env, 2022, Options(labels="vi"))
    at = upload(content)
    editor = at.data_editor[0]
    lines = editor.value
    assert len(lines) == len(parse_scores(content, NAME, fresh_db_env.reference()).mapping.lines)
    assert list(lines.columns) == ["Vị trí", "Nhãn trong tệp", READ_AS, "Ghi chú"]
    assert lines[READ_AS].iloc[0] == "TOTAL" and lines["Ghi chú"].iloc[1] == "của TOTAL"
    assert "1 tổng hợp" in texts(at) and "64 chỉ tiêu" in texts(at)
    assert metrics(at)["Thêm mới"] == f"{len(expected.indicators) + 1796:,}".replace(",", ".")
    days = lines.index[lines["Nhãn trong tệp"].str.contains("(ngày)", regex=False)][0]
    key = editor_key(hashlib.sha256(content).hexdigest(), None)
    at.session_state[key] = {"edited_rows": {int(days): {READ_AS: "ignore"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception and "63 chỉ tiêu" in texts(at)  # one fewer indicator read
    next(c for c in at.checkbox if c.label.startswith("Tôi xác nhận tệp dùng")).check().run()
    at.button(key="up_commit").click().run()
    assert "Đã ghi lượt tải lên số" in texts(at)
    assert fresh_db_env.indicators(years=[2022]).code.nunique() == 63
    remembered = fresh_db_env.remembered()
    assert IGNORED in next(iter(remembered.by_shape.values()))


def test_a_remembered_mapping_is_offered_and_said(fresh_db_env):
    content, _ = transposed(fresh_db_env, 2022, Options(labels="vi"))
    parsed = parse_scores(content, NAME, fresh_db_env.reference())
    days = next(n for n, ln in enumerate(parsed.mapping.lines) if "(ngày)" in ln.label)
    chosen = parse_scores(content, NAME, fresh_db_env.reference(), mapping={days: "ignore"})
    fresh_db_env.commit_scores(chosen, replace=False, user="lan")
    at = upload(transposed(fresh_db_env, 2021, Options(labels="vi"))[0])
    assert "đã được xác nhận cho tệp cùng dạng" in texts(at)
    assert at.data_editor[0].value[READ_AS].iloc[days] == "ignore"


def test_a_refused_official_workbook_still_shows_its_mapping(fresh_db_env):
    content, _ = transposed(fresh_db_env, 2022, Options(labels="vi"))
    parsed = parse_scores(content, NAME, fresh_db_env.reference())
    d2 = next(n for n, ln in enumerate(parsed.mapping.lines) if ln.target == score("D2"))
    at = app("pages/upload.py", analyst=True)
    key = editor_key(hashlib.sha256(content).hexdigest(), None)
    at.session_state[key] = {"edited_rows": {d2: {READ_AS: "D1"}}, "added_rows": [], "deleted_rows": []}
    at.file_uploader[0].set_value((NAME, content, "application/octet-stream")).run()
    assert not at.exception and "Tệp không hợp lệ" in texts(at)
    assert len(at.data_editor) == 1 and "xuất hiện hai lần" in " ".join(frame_with(at, "Vấn đề")["Vấn đề"])


def test_the_dimension_page_and_the_overview_use_the_depth(fresh_db_env):
    content, _ = transposed(fresh_db_env, 2022)
    fresh_db_env.commit_scores(parse_scores(content, NAME, fresh_db_env.reference()), replace=False, user="lan")
    dim = app("pages/dimension.py", year=2022, province="soc-trang")
    chart = next(f for f in figures(dim) if any(t.get("error_x", {}).get("visible") for t in f["data"]))
    focus = next(t for t in chart["data"] if t["name"].startswith("Sóc Trăng"))
    assert len(focus["y"]) == 4 and "khoảng tin cậy 95%" in focus["name"]
    table = chip_table(dim)
    assert "Tri thức công dân về quyền tham gia" in table and "Khoảng tin cậy 95%" in table
    indicators = frame_with(dim, "Mã", "Chỉ tiêu", "Trung vị cả nước")
    assert indicators["Mã"].tolist()[:2] == ["d111", "d112"]
    earlier = app("pages/dimension.py", year=2020, province="soc-trang")
    assert "không có điểm chỉ số thành phần của D1 năm 2020" in texts(earlier) and "Dưới đây là năm 2016" in texts(
        earlier
    )
    overview = app("pages/overview.py", year=2022, province="soc-trang")
    assert "Sóc Trăng không khác biệt có ý nghĩa thống kê với" in texts(overview)
    assert "không khác biệt có ý nghĩa thống kê" not in texts(app("pages/overview.py", year=2021, province="soc-trang"))
