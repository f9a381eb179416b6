"""The reader's steps one by one, on the texts the published files carry (issue 19's facts): where a line's label,
a scale cell, a summary row, a detail sheet or a year is read, without a whole file around it. The whole
pipeline (ingest.parse_scores) is proven on many shapes in tests/behaviour/test_shapes.py."""

from __future__ import annotations

import pytest

from papi_analysis.reading import extras, labels, sheets, years
from papi_analysis.reading.context import Location, ReadingContext, parse_location
from papi_analysis.reading.line_targets import IGNORED, Target, score


@pytest.fixture(scope="module", params=[2015, 2020], ids=["era 1", "era 2"])
def ctx(request, ref) -> ReadingContext:
    return ReadingContext("papi.xlsx", ref, year=request.param)


@pytest.mark.parametrize(
    ("label", "target"),
    [
        ("Chỉ số nội dung 1: Tham gia của người dân ở cấp cơ sở", score("D1")),  # 2018-2019
        ("Dimension 3: Vertical Accountability", score("D3")),  # 2020-2024
        ("Participation at Local Levels", score("D1")),  # the compilations' English short names
        ("Transparency", score("D2")),
        ("Control of Corruption", score("D4")),
        ("Public Service Delivery", score("D6")),
        ("Un-weighted2015PAPI", score("TOTAL")),  # the compilation's total header, naming a year
        ("Điểm thấp", Target("ci_low")),
        ("95% CI low", Target("ci_low")),
        ("Standard error", Target("std_error")),
        ("Thang điểm / Scale", IGNORED),  # the scale column's header
        ("tinhid", IGNORED),  # the compilation's ID column
    ],
)
def test_a_published_label_is_read_as_its_measure_or_role(ctx, label, target):
    assert labels.read_label(label, ctx).target == target


@pytest.mark.parametrize("scale", ["1-10", "8-80", "8–80", "(1-10)", "0 - 100 %", "%"])
def test_a_scale_cell_is_never_a_label(ctx, scale):
    assert extras.is_scale(scale)
    assert labels.read_label(scale, ctx).target is None


def test_a_line_with_its_scale_beside_the_labels_is_read_as_the_labels_say(ctx):
    line = labels.read_line(["Dimension 2: Transparency", "Chỉ số nội dung 2: Công khai, minh bạch", "1-10"], ctx)
    assert line.target == score("D2")


def test_columns_beside_the_data_are_known_by_their_header_or_their_cells():
    assert [extras.header_kind(h) for h in ("tinhid", "Thang điểm / Scale", "Ghi chú", "Vùng")] == [
        extras.ID,
        extras.SCALE,
        extras.NOTES,
        extras.REGION,
    ]
    assert extras.content_kind(["1", "2", "3"]) == extras.ID  # STT, GSO codes: each whole number once
    assert extras.content_kind(["1-10", "8-80"]) == extras.SCALE
    assert extras.content_kind(["1", "1", "2"]) is None  # repeated numbers are values, not codes
    assert extras.content_kind(["Sóc Trăng", "Cà Mau"]) is None


@pytest.mark.parametrize("text", ["Điểm cao nhất", "Highest", "Lowest", "999", "Trung bình cả nước"])
def test_summary_lines_are_known_in_both_languages_and_by_code(text):
    assert extras.is_summary(text)


def test_a_province_is_no_summary_line():
    assert not extras.is_summary("Sóc Trăng")


def test_the_era_1_detail_sheets_misspelt_one_included():
    assert [sheets.is_detail(t) for t in ("Điểm thành phần 1", "Điêm thành phần 5", "Điểm thành phần 9")] == [
        True,
        True,
        False,
    ]
    assert not sheets.is_detail("2012PAPI- Bảng tổng hợp kết quả")


def test_a_year_is_not_a_date_s_or_a_document_number_s_part():
    assert years.years_in(["PAPI 2014", "01/07/2025", "Nghị quyết 202/2025/QH15", "papi_٢٠٢٤", 2016]) == {2014}


def test_the_2011_tab_that_says_2012_is_said_and_not_confirmed():
    found = years.file_year(None, "2012PAPI- Bảng tổng hợp kết quả", [], "PAPI-2011-Dữ-liệu-1.xlsx", one_sheet=True)
    assert (found.year, found.source, found.confirmed) == (2012, years.SHEET, False)
    assert found.others == ((years.FILE, 2011),)
    assert "hãy xác nhận năm" in found.note()
    chosen = years.file_year(2011, "2012PAPI- Bảng tổng hợp kết quả", [], "PAPI-2011-Dữ-liệu-1.xlsx", one_sheet=True)
    assert (chosen.year, chosen.confirmed) == (2011, True)
    assert chosen.note() == "Năm 2011 theo năm đã chọn; tên trang tính ghi năm 2012."


def test_a_file_name_is_not_heard_against_a_workbook_of_several_year_sheets():
    found = years.file_year(None, "2019PAPI_Indicators_VIE", [], "PAPI-2024.xlsx", one_sheet=False)
    assert (found.year, found.confirmed) == (2019, True)


def test_the_title_rows_name_the_year_when_the_sheet_does_not():
    found = years.file_year(None, "Sheet1", ["Chỉ số PAPI năm 2016", None], "bang.xlsx", one_sheet=True)
    assert (found.year, found.source) == (2016, years.TITLE)


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("dòng 66", Location(row=66)),
        ("66", Location(row=66)),
        ("cột AF", Location(column=32)),
        ("AF", Location(column=32)),
        ("Trang 1!12", Location(row=12, sheet="Trang 1")),
        ("dòng AF", None),
        ("cột 0", None),
    ],
)
def test_the_analysts_locations_to_skip_or_map(text, location):
    assert parse_location(text) == location


def test_what_counts_as_vietnamese_for_a_label():
    assert labels.is_vietnamese("Tham gia của người dân")
    assert not labels.is_vietnamese("—")  # a dash is no language
    assert not labels.is_vietnamese("Transparency")
    assert labels.folded("  Điểm  Thấp ") == "diem thap"
