"""files.csv_records: the text of a CSV -> numbered records (as Excel numbers its rows), bounded by limits.py
before any per-row work, with the signs that the file was cut short.

The files are the verified seed files (data/scores/papi_2022.csv, papi_2016_subdimensions.csv), cut, re-separated
or padded the ways a failed download, a copy or Vietnamese Excel would."""

from __future__ import annotations

import pandas as pd
import pytest

from papi_analysis import limits
from papi_analysis.files.csv_records import CsvRecords, header_of, read_records, truncation_problems
from papi_analysis.paths import SCORES_DIR
from papi_analysis.problems import InvalidFile

FILE = "papi_2022.csv"
TEXT = (SCORES_DIR / FILE).read_text(encoding="utf-8")  # 64 lines, the last: Đồng Tháp ... 42.14978409
LAST_TOTAL = "42.14978409"
SUB_FILE = "papi_2016_subdimensions.csv"
SUB_TEXT = (SCORES_DIR / SUB_FILE).read_text(encoding="utf-8")  # long: year, province, measure, value


def records(text: str, file: str = FILE) -> CsvRecords:
    return read_records(text, file)


def refusal(text: str, file: str = FILE):
    with pytest.raises(InvalidFile) as refused:
        read_records(text, file)
    [problem] = refused.value.problems
    return problem


def truncation(text: str, file: str = FILE) -> list:
    return truncation_problems(read_records(text, file), file)


# --- records --------------------------------------------------------------------------------------------
def test_the_seed_file_is_64_numbered_records_with_its_line_ending():
    read = records(TEXT)
    assert read.delimiter == "," and read.ends_with_newline is True
    assert [n for n, _ in read.numbered] == list(range(1, 65))
    assert read.numbered[0][1] == ["year", "province", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "TOTAL"]
    number, soc_trang = read.numbered[45]
    assert number == 46 and soc_trang[1] == "Sóc Trăng" and soc_trang[-1] == "42.85590744"


def test_a_semicolon_file_whose_header_holds_a_comma_is_split_on_semicolons():
    # csv.Sniffer chose ',' here: "Tỉnh, thành phố" in the header (the module docstring's case)
    text = "Năm;Tỉnh, thành phố;TOTAL\n2022;Sóc Trăng;42,85590744\n2022;Cần Thơ;39,97474670\n"
    read = records(text)
    assert read.delimiter == ";"
    assert read.numbered == [
        (1, ["Năm", "Tỉnh, thành phố", "TOTAL"]),
        (2, ["2022", "Sóc Trăng", "42,85590744"]),
        (3, ["2022", "Cần Thơ", "39,97474670"]),
    ]


def test_the_seed_file_in_every_separator_reads_the_same_records():
    frame = pd.read_csv(SCORES_DIR / FILE, dtype=str)
    expected = records(TEXT).numbered
    for separator in (";", "\t"):
        read = records(frame.to_csv(index=False, sep=separator))
        assert read.delimiter == separator and read.numbered == expected


def test_a_single_column_is_read_with_the_default_separator():
    read = records("province\nSóc Trăng\nCần Thơ\n")
    assert read.delimiter == "," and [r for _, r in read.numbered] == [["province"], ["Sóc Trăng"], ["Cần Thơ"]]


def test_blank_records_are_left_out_and_the_others_keep_their_excel_row():
    lines = TEXT.splitlines()
    text = "\n".join([lines[0], "", *lines[1:45], ",,,,,,,,,,", lines[45]]) + "\n"
    numbers = [n for n, _ in records(text).numbered]
    assert numbers[:2] == [1, 3] and numbers[-1] == 48  # Sóc Trăng, after a blank line and a row of empty cells
    assert len(numbers) == 46


def test_a_cell_over_several_lines_is_one_record_as_in_excel():
    text = 'year,province,note\n2022,Sóc Trăng,"dòng một\ndòng hai"\n2022,Cần Thơ,x\n'
    assert records(text).numbered == [
        (1, ["year", "province", "note"]),
        (2, ["2022", "Sóc Trăng", "dòng một\ndòng hai"]),
        (3, ["2022", "Cần Thơ", "x"]),
    ]


@pytest.mark.parametrize(("ending", "expected"), [("\n", True), ("\r\n", True), ("\r", True), ("", False)])
def test_the_final_line_ending_is_noted(ending, expected):
    assert records(TEXT.rstrip("\n") + ending).ends_with_newline is expected


def test_an_empty_text_has_no_records():
    assert records("").numbered == [] and truncation("") == []


# --- bounds ---------------------------------------------------------------------------------------------
def test_rows_beyond_the_limit_stop_the_reading_at_that_row(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 10)
    problem = refusal(TEXT)
    assert (problem.file, problem.row) == (FILE, 11)
    assert problem.message == "Tệp vượt giới hạn 10 dòng; chưa đọc tiếp."


def test_columns_beyond_the_limit_are_refused_on_the_first_row(monkeypatch):
    monkeypatch.setattr(limits, "MAX_COLUMNS", 10)
    problem = refusal(TEXT)
    assert problem.row == 1 and problem.message == "Tệp vượt giới hạn 10 cột; chưa đọc tiếp."


def test_cells_beyond_the_limit_are_counted_across_rows(monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 500)  # 11 cells a row: row 46 brings the count to 506
    problem = refusal(TEXT)
    assert problem.row == 46
    assert problem.message == "Tệp vượt giới hạn 500 ô; chưa đọc tiếp."


def test_a_cell_longer_than_excel_allows_is_refused_where_it_is():
    lines = TEXT.splitlines()
    lines[45] = lines[45].replace("Sóc Trăng", "x" * (limits.MAX_FIELD_CHARS + 1))
    problem = refusal("\n".join(lines) + "\n")
    assert problem.row == 46
    assert problem.message == (
        "Một ô dài hơn 32.767 ký tự (giới hạn của một ô Excel): tệp không phải bảng số liệu hoặc bị hỏng."
    )


def test_a_quote_left_open_at_the_end_is_a_cut_file():
    problem = refusal(TEXT.rstrip("\n").replace(",Đồng Tháp,", ',"Đồng Tháp,'))
    assert problem.row == 64
    assert problem.message == "Tệp kết thúc giữa một ô trong dấu ngoặc kép: tệp có thể bị cắt cụt (thiếu phần cuối)."


def test_a_misplaced_quote_is_located():
    problem = refusal(TEXT.replace(",Sóc Trăng,", ',"Sóc" Trăng,'))
    assert problem.row == 46
    assert problem.message == (
        "Dấu ngoặc kép không đúng quy cách CSV (sau dấu đóng ngoặc phải là dấu phân cách hoặc xuống dòng)."
    )


# --- the header -----------------------------------------------------------------------------------------
def test_the_header_is_text_without_the_empty_cells_after_its_last_title():
    assert header_of([" year ", "province", None, "TOTAL", "", None, "  "]) == ["year", "province", "", "TOTAL"]
    assert header_of([2022, 42.5]) == ["2022", "42.5"]
    assert header_of([None, ""]) == []


# --- a file cut short -----------------------------------------------------------------------------------
def test_the_seed_file_without_its_final_line_ending_is_whole():
    assert truncation(TEXT) == [] and truncation(TEXT.rstrip("\n")) == []


def test_a_last_row_shorter_than_the_header_is_cut_with_or_without_a_line_ending():
    cut = TEXT.rstrip("\n").rsplit(",", 2)[0]  # Đồng Tháp's D8 and TOTAL lost
    for text in (cut, cut + "\n"):
        [problem] = truncation(text)
        assert problem.row == 64 and problem.value is None
        assert problem.message == (
            "Dòng cuối chỉ có 9 ô, ít hơn 11 cột tiêu đề: tệp có thể bị cắt cụt (thiếu phần cuối). "
            "Hãy tải lại tệp đầy đủ."
        )


def test_a_header_with_empty_columns_after_it_is_measured_by_its_titles():
    lines = TEXT.splitlines()
    padded = "\n".join([lines[0] + ",,", *lines[1:]])  # Excel's trailing empty columns
    assert truncation(padded) == []


def test_a_last_number_with_fewer_decimals_than_its_column_is_cut():
    cut = TEXT.rstrip("\n").removesuffix(LAST_TOTAL) + "42.1"
    [problem] = truncation(cut)
    totals = [line.rsplit(",", 1)[1] for line in TEXT.splitlines()[1:-1]]
    fewest = min(len(total.partition(".")[2]) for total in totals if total)  # Bắc Giang, Bắc Ninh: no TOTAL
    assert fewest == 6
    assert (problem.row, problem.value) == (64, "42.1")
    assert problem.message == (
        "Tệp không kết thúc bằng dấu xuống dòng và số cuối '42.1' có 1 chữ số thập phân, ít hơn mọi dòng khác của "
        f"cột (ít nhất {fewest}): tệp có thể bị cắt cụt. Nếu dòng cuối đúng như vậy, hãy thêm một dấu xuống dòng ở "
        "cuối tệp rồi tải lại."
    )
    assert truncation(cut + "\n") == []  # the line ending confirms the value


@pytest.mark.parametrize(
    ("last", "reason"),
    [("42.", "số cuối '42.' kết thúc bằng dấu chấm"), ("42", "số cuối '42' có 0 chữ số thập phân")],
)
def test_a_last_number_cut_at_its_dot_or_before_it(last, reason):
    [problem] = truncation(TEXT.rstrip("\n").removesuffix(LAST_TOTAL) + last)
    assert problem.row == 64 and reason in problem.message and "hãy thêm một dấu xuống dòng" in problem.message


def test_an_empty_last_field_says_so():
    [problem] = truncation(TEXT.rstrip("\n").removesuffix(LAST_TOTAL))
    assert problem.message.startswith("Tệp không kết thúc bằng dấu xuống dòng và ô cuối cùng trống:")


def test_a_cut_last_value_of_a_long_file_is_found_in_its_value_column():
    body = SUB_TEXT.rstrip("\n")
    assert body.endswith("2016,Đồng Tháp,D6.4,1.614431143")
    [problem] = truncation(body.removesuffix("1.614431143") + "1.61", SUB_FILE)
    assert problem.row == len(body.splitlines()) and problem.value == "1.61"


def test_text_in_the_last_field_is_never_judged_by_its_length():
    text = "year,province,note\n2022,Sóc Trăng,Trung bình cao\n2022,Cần Thơ,Cao"
    assert truncation(text) == []


def test_a_file_of_one_record_cannot_look_cut():
    assert truncation("year,province,TOTAL") == [] and truncation("year,province,TOTAL\n") == []


def test_a_cut_last_value_with_a_decimal_comma_is_found():
    frame = pd.read_csv(SCORES_DIR / SUB_FILE, dtype=str)
    frame["value"] = frame.value.str.replace(".", ",", regex=False)
    body = frame.to_csv(index=False, sep=";").rstrip("\n")
    assert body.endswith("2016;Đồng Tháp;D6.4;1,614431143")
    [problem] = truncation(body.removesuffix("1,614431143") + "1,61", SUB_FILE)
    assert problem.row == len(body.splitlines()) and problem.value == "1,61"
