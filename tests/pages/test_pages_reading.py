"""Issue 19 on the upload page (AppTest): a file in a shape nobody on the team made is read from the page without
editing it — what is skipped and why said, the analyst's choices of what to skip and where the units are, the
year in doubt and names alone confirmed before anything is written; the same path as the command line."""

from __future__ import annotations

from dataclasses import replace

import pytest
from helpers import csv_bytes, db_state, frame_rows, synthetic_year
from published_shapes import COMPILATION, Shape, render
from test_pages import app, metrics, texts
from xlsx_writer import xlsx

MEKONG3 = ["Sóc Trăng", "Cà Mau", "Bạc Liêu"]
pytestmark = pytest.mark.slow  # AppTest pages


def upload(name: str, content: bytes):
    at = app("pages/upload.py", analyst=True)
    at.file_uploader[0].set_value((name, content, "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_compilation_reads_on_the_page_says_what_it_skips_and_writes_nothing(fresh_db_env):
    """The issue's first file, through the page: the 2014 sheet of the 2011–2016 compilation."""
    rendered = render(fresh_db_env, 2014, COMPILATION)
    before = db_state(fresh_db_env)
    at = upload(rendered.file, rendered.content)
    at.selectbox(key="up_sheet").set_value("2014_PAPI").run()
    assert not at.exception and "Không có thay đổi nào so với dữ liệu đang lưu" in texts(at)
    skipped = "\n".join(t.value for t in at.text)
    assert "Bỏ qua dòng 66 'Điểm cao nhất': dòng tổng hợp" in skipped and "cột A 'tinhid'" in skipped
    assert "150 ô là công thức Excel: đọc giá trị Excel đã lưu trong tệp." in texts(at)
    assert db_state(fresh_db_env)[0].equals(before[0])


def test_the_analyst_skips_a_row_and_chooses_where_the_units_are(fresh_db_env):
    at = upload("papi_2025.csv", csv_bytes(synthetic_year(MEKONG3, 2025)))
    assert metrics(at)["Thêm mới"] == "27"
    at.text_input(key="up_skip").set_value("dòng 3").run()
    assert metrics(at)["Thêm mới"] == "18" and "Bỏ qua dòng 3 'Cà Mau': người tải lên chọn bỏ qua" in texts(at)
    at.text_input(key="up_skip").set_value("dòng ba").run()
    assert "Không hiểu vị trí: dòng ba" in texts(at)
    at.radio(key="up_units_in").set_value("columns").run()
    assert not at.exception and "Tệp không hợp lệ" in texts(at)  # no row of provinces: refused, said


def test_a_year_in_doubt_is_confirmed_before_the_commit(fresh_db_env):
    """The sheet says 2025, the file's name 2024: said, and the commit waits for the analyst's word."""
    content = xlsx({"2025": frame_rows(synthetic_year(MEKONG3, 2025).drop(columns=["year"]))})
    at = upload("papi_2024.xlsx", content)
    assert "Năm 2025 lấy từ tên trang tính, nhưng tên tệp ghi năm 2024" in texts(at)
    next(c for c in at.checkbox if c.label.startswith("Tôi xác nhận tệp dùng")).check().run()
    assert at.button(key="up_commit").disabled
    next(c for c in at.checkbox if c.label == "Tôi xác nhận số liệu là năm 2025").check().run()
    at.button(key="up_commit").click().run()
    assert "Đã ghi lượt tải lên số" in texts(at) and len(fresh_db_env.scores(years=[2025])) == 27


def test_names_alone_are_written_only_when_chosen_and_said(fresh_db_env):
    """Issue 19, item 7: the commit that wrote 22 English names while saying 'thêm 0, thay đổi 0, xóa 0'."""
    with fresh_db_env.transaction() as con:
        con.execute("DELETE FROM published_labels WHERE year = 2014")
    rendered = render(fresh_db_env, 2014, replace(Shape(languages=("en",), numbered_parts=False), title_rows=1))
    at = upload(rendered.file, rendered.content)
    assert "Tên thay đổi: 22 tên chỉ số thành phần (chỉ có tiếng Anh)." in texts(at)
    next(c for c in at.checkbox if c.label.startswith("Tôi xác nhận tệp dùng")).check().run()
    assert at.button(key="up_commit").disabled
    next(c for c in at.checkbox if c.label.startswith("Ghi các tên thay đổi")).check().run()
    at.button(key="up_commit").click().run()
    assert "thêm 0, thay đổi 0, xóa 0 giá trị; 22 tên." in texts(at)
    assert len(fresh_db_env.labels(years=[2014])) == 22
