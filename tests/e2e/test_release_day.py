"""Release day in a real browser (issue 11): an official-style workbook (SYNTHETIC depth, tests/official_workbooks.py)
goes from the download folder to the dashboard in one upload — every row's reading shown before committing —
and the dimension page shows the sub-dimensions with their confidence intervals. The upload is rolled back at
the end, so the other browser tests see the seed data."""

from __future__ import annotations

import re

from drive import go, no_error_box, open_app, settle, sidebar_select, sign_in
from meeting import UI_TEXT, english_in
from official_workbooks import Options, transposed

from papi_analysis.store.database import Store


def test_an_official_workbook_is_uploaded_read_as_shown_committed_and_seen(page, server, tmp_path):
    store = Store(server["db"])
    content, expected = transposed(store, 2022, Options(extra_years=(2021,), metadata_sheet=True))
    path = tmp_path / "2024PAPI_ProvincialIndicators_BangChiTieuCapTinh_34_TinhThanh.xlsx"
    path.write_bytes(content)
    before = int(store.uploads().upload_id.max())
    open_app(page, server)  # a cold server's first deep link can show Streamlit's "page not found" dialog
    sign_in(page, server)
    go(page, "Tải dữ liệu lên")
    page.get_by_label("Tệp điểm số").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    page.get_by_text("Tệp không hợp lệ: 1 lỗi").wait_for()  # three sheets, never added together: which one?
    page.get_by_label("Năm (nếu tệp không có cột năm)").fill("2022")
    page.get_by_label("Năm (nếu tệp không có cột năm)").press("Enter")
    settle(page)
    page.get_by_text("Cách đọc từng dòng/cột của tệp").wait_for()
    page.get_by_text(re.compile(r"Tệp được nhận là bảng chỉ tiêu PAPI công bố .* 64 chỉ tiêu")).wait_for()
    editor = page.locator('[data-testid="stDataFrame"]').first
    editor.wait_for()
    # the grid draws on a canvas; its cells are also in the page for screen readers: every row and its reading
    cells = editor.locator('[role="gridcell"]')
    cells.filter(has_text="Chỉ số PAPI tổng hợp (không có trọng số)").first.wait_for(state="attached")
    cells.filter(has_text=re.compile(r"^TOTAL$")).first.wait_for(state="attached")  # what it is read as
    cells.filter(has_text="của TOTAL").first.wait_for(state="attached")  # its CI rows bound it
    page.get_by_text("trang tính 'PAPI 2022'").first.wait_for()
    editor.hover()  # its toolbar shows on hover: issue 14's rule on issue 11's editor, no English left
    page.locator('[data-testid="stElementToolbar"]').first.wait_for()
    assert english_in(page.evaluate(UI_TEXT)) == []
    try:
        commit = page.get_by_role("button", name="Ghi vào cơ sở dữ liệu")
        page.get_by_text("Tôi xác nhận tệp dùng").click()
        settle(page)
        commit.click()
        page.get_by_text(re.compile(r"Đã ghi lượt tải lên số \d+")).wait_for()
        assert len(store.scores(years=[2022])) == len(expected.scores)

        sidebar_select(page, "Năm", "2022")
        go(page, "Chỉ số nội dung")
        page.get_by_text("Chỉ số thành phần").first.wait_for()
        page.locator(".js-plotly-plot .errorbar").first.wait_for(state="attached")
        assert page.locator(".js-plotly-plot .errorbar").count() >= 4  # D1's four sub-dimensions, each with its CI
        page.get_by_text("Tri thức công dân về quyền tham gia").first.wait_for()
        page.get_by_text("Khoảng tin cậy 95%").first.wait_for()
        page.get_by_text("Chỉ tiêu của D1, 2022").wait_for()
        no_error_box(page)
    finally:
        latest = int(store.uploads().upload_id.max())
        if latest > before:
            store.rollback(latest, user="kiểm thử trình duyệt")
    assert store.indicators().empty
