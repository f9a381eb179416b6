"""The overview's tables download from a "Tải bảng" menu (issue 18, item 6: the buttons are sent only once it is
opened): the leader opens it, gets an Excel file of the table with its source, and paper shows no menu."""

from __future__ import annotations

import io

import openpyxl
from drive import no_error_box, open_app, settle

MENU = ".st-key-ov_targets_dl_menu"


def test_the_targets_table_downloads_from_its_menu_and_the_menu_does_not_print(page, server):
    open_app(page, server)
    assert page.get_by_role("button", name="Tải Excel (XLSX)").count() == 0  # not sent before it is asked for
    page.locator(MENU).get_by_role("button", name="Tải bảng").click()
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải Excel (XLSX)").click()
    assert download.value.suggested_filename == "papi_2022_soc-trang_can-gi-de-len-nhom.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Năm", "Mã", "Chỉ số", "Điểm"] and header[-1] == "Nguồn"
    codes = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert codes[:2] == ["TOTAL", "D1"] and len(codes) == 9
    page.keyboard.press("Escape")
    page.emulate_media(media="print")
    assert not page.locator(MENU).is_visible()
    no_error_box(page)
