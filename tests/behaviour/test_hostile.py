"""Issue 10, the file half: each hostile input found by the red-team pass is refused with a located
Vietnamese message (or read exactly), never crashes, stays within the limits and changes nothing."""

from __future__ import annotations

import codecs
import resource
from unittest import mock

import hostile_files as hostile
import pandas as pd
import pytest
from helpers import assert_unchanged, csv_bytes, db_state, frame_rows, synthetic_year, xlsx_bytes

from papi_analysis import fmt, limits, names
from papi_analysis.cli.main import main
from papi_analysis.files import export
from papi_analysis.files.tabular import excel_sheets, read_table
from papi_analysis.problems import InvalidFile, Problem
from papi_analysis.reading import isolated
from papi_analysis.reading.ingest import parse_scores

MEKONG3 = ["Sóc Trăng", "Cà Mau", "An Giang"]


@pytest.fixture(scope="module")
def good() -> bytes:
    return csv_bytes(synthetic_year(MEKONG3, 2024))


def refused(content: bytes, ref, name: str = "papi_2024.csv", **kwargs) -> list[Problem]:
    with pytest.raises(InvalidFile) as caught:
        parse_scores(content, name, ref, **kwargs)
    return caught.value.problems


def one(problems: list[Problem], text: str) -> Problem:
    matching = [p for p in problems if text in p.message]
    assert matching, [str(p) for p in problems]
    return matching[0]


# --- XLSX: sizes checked before anything is built --------------------------------------------------
def test_a_cell_at_xfd1048576_is_refused_by_its_declared_dimension(ref):
    problem = one(refused(hostile.far_cell(), ref, "x.xlsx"), "khai báo vùng dữ liệu đến ô XFD1048576")
    assert "vượt giới hạn 100.000 dòng" in problem.message


def test_the_same_cell_without_a_dimension_is_refused_while_counting(ref):
    assert one(refused(hostile.far_cell(with_dimension=False), ref, "x.xlsx"), "có dòng số 1.048.576")


def test_twelve_million_cells_in_a_small_zip_are_refused_at_the_cell_limit(ref):
    content = hostile.many_cells(12_000_000)
    assert len(content) < 2 * 1024 * 1024
    assert one(refused(content, ref, "x.xlsx"), f"hơn {fmt.integer(limits.MAX_CELLS)} ô")


def test_a_sheet_that_is_not_read_is_streamed_only_to_its_first_value():
    """A workbook repeating older years on other sheets: those are asked only whether they hold a value; the
    sheet that is read is then counted whole, as the limits require."""
    from papi_analysis.files import xlsx_book, xlsx_guard

    rows = [["Tỉnh", "D1"]] + [[f"T{i}", 1.0] for i in range(1000)]
    book = xlsx_book.open_book(xlsx_bytes({"PAPI 2021": rows, "PAPI 2022": rows, "Trống": []}), "x.xlsx")
    try:
        assert [s.has_values for s in book.sheets] == [True, True, False]
        assert [s.whole for s in book.sheets] == [False, False, True] and all(s.cells < 5 for s in book.sheets)
        read = xlsx_guard.measure(book.archive, book.sheets[1], "x.xlsx")
        assert read.whole and (read.cells, read.rows, read.columns) == (2002, 1001, 2)
    finally:
        book.close()


def test_compressed_whitespace_is_refused_by_its_inflated_size(ref):
    content = hostile.whitespace(megabytes=limits.MAX_XLSX_PART_BYTES // limits.MIB + 10)
    assert len(content) < limits.MIB
    assert one(refused(content, ref, "x.xlsx"), "khi giải nén là")


def test_whitespace_within_the_limits_is_streamed_past(ref):
    rows = hostile.grid([["year", "province", "D1"], [2024, "Cà Mau", 5.5]])
    padding = (b" " * limits.MIB for _ in range(20))
    content = hostile.xlsx_with_sheet(hostile.sheet_xml(rows, before=padding), level=9)
    assert read_table(content, "x.xlsx").rows == [[2024, "Cà Mau", 5.5]]


def test_too_many_shared_strings_or_parts_are_refused(ref, good):
    headers = ["year", "province", "D1"]
    rows = [hostile.row(1, [hostile.cell(f"{c}1", None, shared=i) for i, c in enumerate("ABC")])]
    rows.append(hostile.row(2, [hostile.cell("A2", 2024), hostile.cell("B2", "Cà Mau"), hostile.cell("C2", 5.5)]))
    with_strings = hostile.xlsx_with_sheet(hostile.sheet_xml(rows), strings=headers)
    assert read_table(with_strings, "x.xlsx").header == headers
    with mock.patch.object(limits, "MAX_SHARED_STRINGS", 2):
        assert one(refused(with_strings, ref, "x.xlsx"), "hơn 2 chuỗi văn bản dùng chung")
    content = xlsx_bytes({"Sheet": frame_rows(synthetic_year(MEKONG3, 2024))})
    with mock.patch.object(limits, "MAX_XLSX_PARTS", 3):
        assert one(refused(content, ref, "x.xlsx"), "phần, vượt giới hạn 3")


def test_a_doctype_in_a_sheet_is_refused(ref):
    rows = [hostile.row(1, [hostile.cell("A1", "year")])]
    chunks = [b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>', *list(hostile.sheet_xml(rows))[1:]]
    chunks.insert(1, b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
    assert one(refused(hostile.xlsx_with_sheet(chunks), ref, "x.xlsx"), "DOCTYPE")


def test_a_flipped_byte_anywhere_in_a_workbook_is_refused_or_read(ref):
    """Found by the fuzz run: a flipped byte in the compressed sheet raised zlib.error."""
    content = xlsx_bytes({"S": frame_rows(synthetic_year(MEKONG3, 2024))})
    for position in range(0, len(content), max(1, len(content) // 150)):
        damaged = content[:position] + bytes([content[position] ^ 0x5A]) + content[position + 1 :]
        try:
            parse_scores(damaged, "x.xlsx", ref)
        except InvalidFile as refused:  # a refusal says why, in words
            assert refused.problems and all(p.message for p in refused.problems)


def test_a_workbook_without_dimension_offers_its_sheets(ref):
    frame = synthetic_year(MEKONG3, 2024)
    content = hostile.sheets_without_dimension(frame_rows(frame))
    assert excel_sheets(content, "x.xlsx") == ["Dữ liệu", "Ghi chú"]
    assert "'Dữ liệu', 'Ghi chú'" in one(refused(content, ref, "x.xlsx"), "hãy chọn trang tính").message
    parsed = parse_scores(content, "x.xlsx", ref, sheet="Dữ liệu")
    assert len(parsed.frame) == 3 * 9


def test_a_declared_dimension_smaller_than_the_data_loses_nothing(ref):
    rows = hostile.grid(frame_rows(synthetic_year(MEKONG3, 2024)))
    content = hostile.xlsx_with_sheet(hostile.sheet_xml(rows, dimension="A1:B2"))
    assert len(parse_scores(content, "x.xlsx", ref).frame) == 3 * 9


# --- CSV: decoding and field errors are located problems -----------------------------------------
def test_utf8_bom_followed_by_invalid_bytes(ref, good):
    problem = one(refused(hostile.utf8_bom_then_invalid(good), ref), "không hợp lệ trong bảng mã UTF-8")
    assert problem.row == 2 and problem.value.startswith("byte ff")


def test_utf8_without_bom_with_a_damaged_byte_is_not_read_as_windows_1258(ref, good):
    content = good.replace("Cà Mau".encode(), b"C\xe0 Mau")
    problem = one(refused(content, ref), "không hợp lệ trong bảng mã UTF-8")
    assert problem.row == 3


def test_utf16_with_an_odd_length_is_flagged_as_cut(ref, good):
    assert one(refused(hostile.utf16_odd_length(good), ref), "Tệp kết thúc giữa một ký tự UTF-16")


def test_utf16_with_a_lone_surrogate(ref, good):
    assert one(refused(hostile.utf16_lone_surrogate(good), ref), "nửa cặp thay thế").row == 2


def test_a_field_over_128_kib_in_the_first_lines(ref, good):
    problem = one(refused(hostile.huge_field(good), ref), "dài hơn 32.767 ký tự")
    assert problem.row == 3


def test_a_3_mb_name_in_a_workbook_is_refused_and_never_suggested(ref):
    long_name = "y" * (3 * 1024 * 1024)
    assert names.NameIndex().suggest(long_name) == []
    rows = hostile.grid([["year", "province", "D1"], [2024, long_name, 5]])
    content = hostile.xlsx_with_sheet(hostile.sheet_xml(rows))
    assert one(refused(content, ref, "x.xlsx"), "dài hơn 32.767 ký tự").cell == "B2"


def test_a_million_unknown_names_stop_at_the_row_limit(ref):
    assert one(refused(hostile.unknown_names(1_000_000), ref), "vượt giới hạn 100.000 dòng").row == 100_001


def test_spelling_suggestions_run_once_per_distinct_name_and_are_capped(ref):
    content = b"year,province,D1\n" + b"2024,Soc Trag,5\n" * 50 + hostile.unknown_names(500).split(b"\n", 1)[1]
    calls = []
    original = ref.names.suggest
    with mock.patch.object(ref.names, "suggest", lambda *a, **k: calls.append(a) or original(*a, **k)):
        problems = refused(content, ref)
    assert len(calls) == limits.MAX_SUGGESTED_NAMES  # 'Soc Trag' once, then 199 of the 500 others
    assert all("có phải: Sóc Trăng" in p.message for p in problems[:50])


def test_a_refusal_lists_at_most_max_problems(ref):
    problems = refused(hostile.unknown_names(3000), ref)
    assert len(problems) == limits.MAX_PROBLEMS + 1 and problems[-1].message == "Còn 2000 lỗi khác."


# --- numbers ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("huge", ["1e28", "1.5e30", "1e308", "-1e28"])
def test_a_value_of_1e28_in_a_row_with_a_total_is_a_problem_not_a_crash(ref, huge):
    frame = synthetic_year(MEKONG3, 2024).astype({"D3": object})
    frame.loc[1, "D3"] = huge
    problems = refused(csv_bytes(frame), ref)
    assert one(problems, "Ngoài thang điểm").value == huge


def test_the_number_formatter_never_raises():
    for value in (1e27, 1e28, -1e300, float("inf"), float("-inf"), float("nan"), 5e-324):
        assert isinstance(fmt.number(value, 4), str) and isinstance(fmt.integer(value), str)
    assert fmt.number(1e28) == "1,00e+28" and fmt.number(float("inf")) == "∞"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("nan", "Không phải là số"),
        ("inf", "Không phải là số"),
        ("Infinity", "Không phải là số"),
        ("1e999", "Số quá lớn"),
    ],
)
def test_nan_and_infinity_text_are_problems(ref, text, said):
    frame = synthetic_year(MEKONG3, 2024).astype({"D2": object})
    frame.loc[0, "D2"] = text
    assert one(refused(csv_bytes(frame), ref), said).value == text


@pytest.mark.parametrize("digits", ["٤٫٥", "４.５", "४.५"])
def test_only_ascii_digits_are_numbers(ref, digits):
    frame = synthetic_year(MEKONG3, 2024).astype({"D2": object})
    frame.loc[0, "D2"] = digits
    assert one(refused(csv_bytes(frame), ref), "chỉ chữ số 0–9").value == digits


@pytest.mark.parametrize("year", ["٢٠٢٤", "２０２４"])
def test_only_ascii_digits_make_a_year(ref, year):
    frame = synthetic_year(MEKONG3, 2024).astype({"year": object})
    frame.loc[2, "year"] = year
    assert one(refused(csv_bytes(frame), ref), "chỉ chữ số 0–9").column == "year"


def test_a_year_in_the_file_name_must_be_ascii_digits(ref):
    content = csv_bytes(synthetic_year(MEKONG3, 2024).drop(columns=["year"]))
    assert one(refused(content, ref, name="papi_٢٠٢٤.csv"), "Không xác định được năm")
    assert parse_scores(content, "papi_2024.csv", ref).years == [2024]


# --- measure codes match the catalogue exactly -----------------------------------------------------
@pytest.mark.parametrize("code", ["D1.9", "D3.x", "D9", "D5.3a", "D 1"])
def test_unknown_measure_codes_are_problems_in_the_long_layout(ref, code):
    rows = pd.DataFrame({"year": [2016], "province": ["Sóc Trăng"], "measure": [code], "value": [1.36]})
    assert one(refused(csv_bytes(rows), ref), "Không nhận ra chỉ số").value == code


@pytest.mark.parametrize("header", ["D1.9", "D3.x"])
def test_unknown_measure_codes_are_problems_as_columns(ref, header):
    frame = synthetic_year(MEKONG3, 2024).assign(**{header: 1.0})
    assert one(refused(csv_bytes(frame), ref), "có dạng mã chỉ số").column == header


def test_code_and_name_headers_still_match_but_only_their_own_measure(ref):
    assert ref.measure_code("D5 - Thủ tục hành chính công") == "D5"
    assert ref.measure_code("D5.3: Giấy chứng nhận quyền sử dụng đất") == "D5.3"
    assert ref.measure_code("D5 - Cung ứng dịch vụ công") is None
    assert ref.measure_code("D1.9") is None and ref.measure_code("D3.x") is None


# --- truncation ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cut", "said"),
    [
        ("4.47", "ít hơn mọi dòng khác"),
        ("4", "ít hơn mọi dòng khác"),
        ("4.", "kết thúc bằng dấu chấm"),
        ("", "ô cuối cùng trống"),
    ],
)
def test_a_file_cut_inside_its_last_number_is_flagged(ref, cut, said):
    frame = synthetic_year(MEKONG3, 2024)
    frame["TOTAL"] = frame.TOTAL.map(lambda v: f"{v:.6f}")
    frame.loc[2, "TOTAL"] = f"{frame.loc[2, 'TOTAL']}"
    text = frame.to_csv(index=False).rstrip("\n")
    text = text[: text.rindex(",") + 1] + cut
    problem = one(refused(text.encode(), ref), said)
    assert problem.row == 4 and "có thể bị cắt cụt" in problem.message


def test_a_last_row_shorter_than_the_header_is_flagged_with_or_without_a_line_ending(ref, good):
    cut = good.rstrip(b"\n")
    cut = cut[: cut.rindex(b",", 0, cut.rindex(b","))]
    for content in (cut, cut + b"\n"):
        assert one(refused(content, ref), "ít hơn 11 cột tiêu đề").row == 4


def test_a_cut_last_row_is_flagged_under_a_title_row_and_with_provinces_in_columns(ref):
    """The header is the row that names the columns (below a title) or the provinces (a transposed file)."""
    names = [*MEKONG3, "Bạc Liêu", "Hậu Giang"]
    titled = ("KẾT QUẢ PAPI 2024\n" + synthetic_year(names, 2024).to_csv(index=False)).rstrip("\n")
    assert one(refused(titled[: titled.rindex(",")].encode(), ref), "ít hơn 11 cột tiêu đề").row == 7
    columns = synthetic_year(names, 2024).set_index("province").drop(columns="year").T.rename_axis("Chỉ số")
    transposed = columns.to_csv(float_format="%.6f").rstrip("\n")
    assert one(refused(transposed[: transposed.rindex(",")].encode(), ref, year=2024), "ít hơn 6 cột tiêu đề").row == 10


def test_a_file_cut_inside_a_quoted_cell_is_flagged(ref, good):
    assert one(refused(good + b'2024,"An Gi', ref), "kết thúc giữa một ô trong dấu ngoặc kép")


def test_a_complete_file_without_a_final_line_ending_loads(ref, good):
    assert parse_scores(good.rstrip(b"\n"), "papi_2024.csv", ref).frame.equals(
        parse_scores(good, "papi_2024.csv", ref).frame
    )


# --- blank totals, sums ----------------------------------------------------------------------------
def test_a_blank_total_in_a_row_with_every_dimension_is_not_published_and_said(ref):
    """Issue 19, item 4 (it was a problem under issue 10): an empty aggregate is not published, as a 0 is; the
    province leaves the year's ranking of the aggregate with a word, never silently."""
    frame = synthetic_year(MEKONG3, 2024)
    frame.loc[1, "TOTAL"] = None
    parsed = parse_scores(csv_bytes(frame), "papi_2024.csv", ref)
    assert "TOTAL" not in set(parsed.frame[parsed.frame.unit_id == "old:ca-mau"].measure)
    said = [w for w in parsed.warnings if w.startswith("Không có điểm tổng hợp")]
    assert said and "Cà Mau 2024 (8/8 chỉ số)" in said[0] and "không được xếp hạng điểm tổng hợp" in said[0]


def test_published_partial_rows_without_a_total_stay_a_warning(ref):
    frame = synthetic_year(MEKONG3, 2022)
    frame.loc[1, ["D2", "D4", "D6", "D8", "TOTAL"]] = None  # as Bắc Ninh 2022: 4 of 8, no total
    parsed = parse_scores(csv_bytes(frame), "p.csv", ref)
    assert any("Cà Mau 2022 (4/8 chỉ số)" in w for w in parsed.warnings)


def test_a_file_without_a_total_column_says_so(ref):
    parsed = parse_scores(csv_bytes(synthetic_year(MEKONG3, 2024).drop(columns=["TOTAL"])), "p.csv", ref)
    assert any("không có cột điểm tổng hợp" in w for w in parsed.warnings)


def long_rows(values: dict[str, float]) -> bytes:
    rows = [{"year": 2016, "province": "Sóc Trăng", "measure": m, "value": v} for m, v in values.items()]
    return csv_bytes(pd.DataFrame(rows))


def test_sub_dimensions_that_do_not_add_up_to_their_dimension(ref):
    parts = {"D1.1": 1.2, "D1.2": 1.3, "D1.3": 1.1, "D1.4": 0.9}
    assert len(parse_scores(long_rows({"D1": 4.5, **parts}), "s.csv", ref).frame) == 5
    problem = one(refused(long_rows({"D1": 4.6, **parts}), ref), "khác tổng các chỉ số thành phần")
    assert problem.value == "4.6" and "D1.1, D1.2, D1.3, D1.4" in problem.message
    assert len(parse_scores(long_rows({"D1": 4.6, "D1.1": 1.2}), "s.csv", ref).frame) == 2  # not all parts


# --- CSV export ------------------------------------------------------------------------------------
def test_csv_export_quotes_line_breaks_separators_and_quotes_and_neutralises_every_line():
    frame = pd.DataFrame({"a": ["x\ry", "=1+1", "a,b", 'q"t', "l\nm", "ok\r=1+1", "ghi\n@SUM(A1)", "-2", "bt"]})
    lines = [
        b'"x\ry"',
        b"'=1+1",
        b'"a,b"',
        b'"q""t"',
        b'"l\nm"',
        b'"ok\r\'=1+1"',
        b'"ghi\n\'@SUM(A1)"',
        b"'-2",
        b"bt",
    ]
    assert export.csv_bytes(frame) == codecs.BOM_UTF8 + b"a\r\n" + b"\r\n".join(lines) + b"\r\n"


# --- isolation -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("target", "said"),
    [
        (hostile.exhaust_memory, "bộ nhớ nên đã dừng"),
        (hostile.die, "Quá trình đọc tệp bị dừng"),
        (hostile.break_down, "lỗi của chương trình"),
    ],
)
def test_a_parse_that_runs_away_or_dies_becomes_a_refusal(target, said):
    outcome = isolated.run(target, file="x.csv")
    assert said in outcome.problems[0].message and "Chưa ghi gì" in outcome.problems[0].message


def test_a_parse_that_takes_too_long_is_killed():
    with mock.patch.object(limits, "PARSE_SECONDS", 1.0):
        outcome = isolated.run(hostile.sleep_long, file="x.csv")
    assert "quá 1 giây" in outcome.problems[0].message and outcome.usage.seconds < 10


def test_isolated_parse_gives_what_the_in_process_parse_gives(ref, good):
    inside = parse_scores(good, "papi_2024.csv", ref)
    outside = isolated.parse_scores(good, "papi_2024.csv", ref)
    pd.testing.assert_frame_equal(inside.frame, outside.frame)
    assert (outside.content, outside.warnings, outside.unit_set) == (good, inside.warnings, inside.unit_set)
    with pytest.raises(InvalidFile) as caught:
        isolated.parse_scores(hostile.far_cell(), "x.xlsx", ref)
    assert "XFD1048576" in caught.value.problems[0].message


def test_a_hostile_file_leaves_the_callers_memory_flat(ref):
    content = hostile.many_cells(3_000_000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome = isolated.run(parse_scores, content, "x.xlsx", ref, file="x.xlsx")
    assert outcome.problems and outcome.usage.child_peak_mb is not None
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 20 * 1024  # KiB


HOSTILE_FOR_THE_CLI = {
    "far cell": (hostile.far_cell, "xlsx", "XFD1048576"),
    "many cells": (lambda: hostile.many_cells(2_000_000), "xlsx", f"hơn {fmt.integer(limits.MAX_CELLS)} ô"),
    "utf-16 odd": (lambda: hostile.utf16_odd_length(csv_bytes(synthetic_year(MEKONG3, 2024))), "csv", "UTF-16"),
    "unknown names": (lambda: hostile.unknown_names(200_000), "csv", "100.000 dòng"),
}


@pytest.mark.parametrize("case", list(HOSTILE_FOR_THE_CLI))
def test_the_command_line_refuses_hostile_files_and_changes_nothing(case, fresh_db_env, tmp_path, capsys):
    build, suffix, expected = HOSTILE_FOR_THE_CLI[case]
    path = tmp_path / f"papi_2024.{suffix}"
    path.write_bytes(build())
    before = db_state(fresh_db_env)
    assert main(["ingest", str(path), "--replace"]) == 1
    err = capsys.readouterr().err
    assert expected in err and "chưa ghi gì" in err and "Traceback" not in err
    assert_unchanged(fresh_db_env, before)
