"""The files a user downloads (issue 14): the three flavours' bytes — BOM, separators, decimals, no float noise,
the source column — the XLSX's frozen header, filter, widths, numbers and text cells, and the round trip of an
exported file through the upload with its source column."""

from __future__ import annotations

import codecs
import io
import zipfile
from datetime import date

import openpyxl
import pandas as pd
import pytest
from helpers import year_frame

from papi_analysis.files import export
from papi_analysis.reading.ingest import parse_scores

SOURCE = export.source_line(date(2025, 11, 27))
NOISY = pd.DataFrame(
    {
        "Tỉnh, thành phố": ["Sóc Trăng", "=1+1", "a;b", "-2+3"],
        "Điểm": [42.8559, 0.47618910000000003, 4.384708405, -0.5],
        "Hạng": pd.array([24, 1, None, 3], dtype="Int64"),
    }
)


def rows_of(content: bytes) -> list[bytes]:
    assert content.startswith(codecs.BOM_UTF8)
    return content[len(codecs.BOM_UTF8) :].split(b"\r\n")


def test_the_source_line_names_papi_and_the_day_in_vietnamese():
    assert SOURCE == "PAPI — CECODES, VFF-CRT, RTA, UNDP (papi.org.vn); xuất từ PAPI Dashboard ngày 27/11/2025"


def test_standard_csv_keeps_published_digits_drops_float_noise_and_ends_with_the_source():
    rows = rows_of(export.csv_bytes(NOISY, SOURCE))
    assert rows[0] == '"Tỉnh, thành phố",Điểm,Hạng,Nguồn'.encode()
    assert rows[1] == f'Sóc Trăng,42.8559,24,"{SOURCE}"'.encode()  # the source has commas: quoted
    assert rows[2].startswith(b"'=1+1,0.4761891,1,")  # noise gone, formula neutralised
    assert rows[3].startswith(b"a;b,4.384708405,,")  # every published digit kept
    assert rows[4].startswith(b"'-2+3,-0.5,3,") and rows[5] == b""


def test_csv_for_vietnamese_excel_uses_semicolons_and_decimal_commas_keeping_every_published_digit():
    content = export.csv_vi_bytes(NOISY, SOURCE)
    rows = rows_of(content)
    assert rows[0] == "Tỉnh, thành phố;Điểm;Hạng;Nguồn".encode()
    assert rows[1] == f'Sóc Trăng;42,8559;24;"{SOURCE}"'.encode()  # the source's ';' is quoted
    assert rows[2].startswith(b"'=1+1;0,4761891;1;")  # noise gone
    assert rows[3].startswith(b'"a;b";4,384708405;;')  # the separator inside a cell is quoted; every digit kept
    assert rows[4].startswith(b"'-2+3;-0,5;3;")  # a text that could run is neutralised, a negative number is not
    read = pd.read_csv(io.BytesIO(content), sep=";", decimal=",", encoding="utf-8-sig")
    assert read["Điểm"].tolist() == [42.8559, 0.4761891, 4.384708405, -0.5]


@pytest.mark.parametrize(("value", "written"), [(40.0, "40"), (0.6000000000000001, "0,6"), (-1e-12, "0"), (None, "")])
def test_decimal_comma_writes_no_trailing_zeros_and_no_negative_zero(value, written):
    assert export.decimal_comma(value) == written


def test_csv_for_excel_quotes_line_breaks_and_quotes_like_the_standard_one():
    frame = pd.DataFrame({"a": ["x\ry", "=1+1", "a;b", 'q"t', "l\nm", "ok\r=1+1", "bt"]})
    lines = [b'"x\ry"', b"'=1+1", b'"a;b"', b'"q""t"', b'"l\nm"', b'"ok\r\'=1+1"', b"bt"]
    assert export.csv_vi_bytes(frame) == codecs.BOM_UTF8 + b"a\r\n" + b"\r\n".join(lines) + b"\r\n"


def test_xlsx_has_a_frozen_filtered_header_real_numbers_and_text_cells_without_an_apostrophe():
    content = export.xlsx_bytes(NOISY, "Điểm", SOURCE)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D5"
    assert [c.value for c in sheet[1]] == ["Tỉnh, thành phố", "Điểm", "Hạng", "Nguồn"]
    assert sheet["B2"].value == 42.8559 and sheet["B2"].data_type == "n" and sheet["B2"].number_format == "0.0###"
    assert sheet["B3"].value == 0.4761891 and sheet["C2"].value == 24 and sheet["C4"].value is None
    for cell in ("A3", "A5"):  # '=1+1', '-2+3': text, shown as typed, kept as text when edited
        assert sheet[cell].data_type == "s" and sheet[cell].quotePrefix and not sheet[cell].value.startswith("'")
    assert not sheet["A2"].quotePrefix and sheet["D2"].value == SOURCE
    assert sheet.column_dimensions["A"].width >= len("Tỉnh, thành phố") and sheet.column_dimensions["D"].width == 60
    xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml  # no formula anywhere


def test_file_names_of_the_three_flavours():
    parts = [2022, "Đồng bằng sông Cửu Long"]
    assert export.file_name(parts, "csv") == "papi_2022_dong-bang-song-cuu-long.csv"
    assert export.file_name(parts, "csv-vi") == "papi_2022_dong-bang-song-cuu-long_excel-vn.csv"
    assert export.file_name(parts, "xlsx") == "papi_2022_dong-bang-song-cuu-long.xlsx"
    assert export.file_name(["ban-do", 2024], "png") == "papi_ban-do_2024.png"


@pytest.mark.slow
@pytest.mark.parametrize("flavour", ["csv", "csv-vi", "xlsx"])
def test_an_exported_year_with_its_source_uploads_again_as_no_change_and_without_a_warning(store, flavour):
    content = export.file_bytes(year_frame(store, 2022), flavour, source=SOURCE)
    parsed = parse_scores(content, export.file_name([2022], flavour), store.reference())
    assert not [w for w in parsed.warnings if "Nguồn" in w or "Bỏ qua" in w]  # the source column is skipped
    diff = store.preview(parsed, replace=True)
    assert not diff.has_changes and diff.unchanged == len(store.scores(years=[2022]))
