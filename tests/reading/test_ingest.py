"""Upload validation: every bad input gets a Vietnamese message naming file, row, column and value,
and the database is unchanged; the spellings and encodings offices produce are accepted."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest
from helpers import assert_unchanged, csv_bytes, db_state, frame_rows, synthetic_year, xlsx_bytes, year_frame

from papi_analysis.cli.main import main
from papi_analysis.limits import MAX_UPLOAD_BYTES, megabytes
from papi_analysis.problems import InvalidFile
from papi_analysis.reading.ingest import parse_scores

MEKONG = [
    "Long An",
    "Tiền Giang",
    "Bến Tre",
    "Trà Vinh",
    "Vĩnh Long",
    "Đồng Tháp",
    "An Giang",
    "Kiên Giang",
    "Cần Thơ",
    "Hậu Giang",
    "Sóc Trăng",
    "Bạc Liêu",
    "Cà Mau",
]


def problems_of(content: bytes, ref, name: str = "papi_2025.csv", **kwargs) -> list:
    with pytest.raises(InvalidFile) as caught:
        parse_scores(content, name, ref, **kwargs)
    return caught.value.problems


def only(problems, text: str):
    matching = [p for p in problems if text in p.message]
    assert matching, [str(p) for p in problems]
    return matching[0]


@pytest.fixture
def good_2025():
    return synthetic_year(MEKONG, 2025)


# --- one test per bad input; each also goes through the command line and must change nothing ----
BAD_INPUTS = {}


def bad(name):
    def register(builder):
        BAD_INPUTS[name] = builder
        return builder

    return register


@bad("unknown province")
def unknown_province(frame):
    frame.loc[3, "province"] = "Soc Trag"
    return csv_bytes(frame), "có phải: Sóc Trăng"


@bad("duplicate province")
def duplicate_province(frame):
    extra = frame.iloc[[0]].assign(province="long an")
    return csv_bytes(pd.concat([frame, extra])), "xuất hiện hai lần"


@bad("non-numeric value")
def non_numeric(frame):
    frame = frame.astype({"D3": object})
    frame.loc[2, "D3"] = "bốn"
    return csv_bytes(frame), "Không phải là số"


@bad("decimal comma")
def decimal_comma(frame):
    frame = frame.astype({"D3": object})
    frame.loc[2, "D3"] = "4,36"
    return csv_bytes(frame), "dấu phẩy thập phân"


@bad("dimension out of range")
def dimension_out_of_range(frame):
    frame.loc[1, "D2"] = 11.5
    frame.loc[1, "TOTAL"] += 11.5
    return csv_bytes(frame), "Ngoài thang điểm"


@bad("aggregate out of range")
def aggregate_out_of_range(frame):
    frame.loc[1, "TOTAL"] = 85.0
    return csv_bytes(frame), "điểm tổng hợp năm 2025 phải từ 8,00 đến 80,00"


@bad("aggregate not the sum")
def aggregate_not_sum(frame):
    frame.loc[4, "TOTAL"] += 0.5
    return csv_bytes(frame), "khác tổng các chỉ số nội dung"


@bad("missing dimension column")
def missing_dimension(frame):
    return csv_bytes(frame.drop(columns=["D8"])), "Thiếu cột D8"


@bad("implausible year")
def implausible_year(frame):
    frame["year"] = 2205
    return csv_bytes(frame), "Năm không hợp lý"


@bad("empty file")
def empty_file(frame):
    return b"", "Tệp rỗng"


@bad("non-tabular file")
def non_tabular(frame):
    return "Kính gửi Sở Nội vụ,\nđây là báo cáo.\n".encode(), "không có dạng bảng"


@bad("binary file")
def binary_file(frame):
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "không phải tệp văn bản"


@bad("undecodable encoding")
def undecodable(frame):
    return csv_bytes(frame).replace("Sóc Trăng".encode(), b"S\x81c Tr\x8dng"), "bảng mã"


@bad("over the size limit")
def too_big(frame):
    too_many = MAX_UPLOAD_BYTES // 14 + 10
    return b"year,province\n" + b"2025,An Giang\n" * too_many, f"vượt giới hạn {megabytes(MAX_UPLOAD_BYTES)}"


@bad("several sheets")
def several_sheets(frame):
    return xlsx_bytes({"2025": frame_rows(frame), "Ghi chú": [["nguồn", "papi.org.vn"]]}), "chọn trang tính"


@bad("formulas")
def formulas(frame):
    rows = frame_rows(frame)
    rows[1][-1] = "=SUM(C2:J2)"
    return xlsx_bytes({"2025": rows}), "công thức"


@pytest.mark.slow
@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_refused_with_a_message_and_changes_nothing(case, good_2025, fresh_db_env, tmp_path, capsys):
    content, expected = BAD_INPUTS[case](good_2025.copy())
    suffix = "xlsx" if content.startswith(b"PK") else "csv"
    path = tmp_path / f"papi_2025.{suffix}"
    path.write_bytes(content)
    before = db_state(fresh_db_env)
    assert main(["ingest", str(path), "--replace"]) == 1
    err = capsys.readouterr().err
    assert expected in err and "chưa ghi gì" in err
    assert_unchanged(fresh_db_env, before)


def test_messages_name_file_row_column_and_value(ref, good_2025):
    frame = good_2025.astype({"D3": object})
    frame.loc[2, "D3"] = "4,36"
    frame.loc[5, "province"] = "Dong Thap xyz"
    problems = problems_of(csv_bytes(frame), ref, name="papi_2025.csv")
    comma = only(problems, "dấu phẩy")
    assert (comma.file, comma.row, comma.column, comma.value) == ("papi_2025.csv", 4, "D3", "4,36")
    assert str(comma).startswith("papi_2025.csv, dòng 4, cột D3 (giá trị '4,36'): ")
    unknown = only(problems, "Không nhận ra tỉnh")
    assert (unknown.row, unknown.column, unknown.value) == (7, "province", "Dong Thap xyz")
    assert "Đồng Tháp" in unknown.message
    assert len(problems) == 2  # all problems at once, not just the first


def test_excel_problems_name_the_cell(ref, good_2025):
    rows = frame_rows(good_2025)
    rows[3][4] = "abc"
    problem = only(problems_of(xlsx_bytes({"Sheet": rows}), ref, name="papi_2025.xlsx"), "Không phải là số")
    assert (problem.row, problem.cell, problem.column) == (4, "E4", "D3")


def test_several_sheets_parse_once_a_sheet_is_chosen(ref, good_2025):
    content = xlsx_bytes({"2025": frame_rows(good_2025), "Ghi chú": [["nguồn", "papi.org.vn"]]})
    parsed = parse_scores(content, "papi_2025.xlsx", ref, sheet="2025")
    assert len(parsed.frame) == 13 * 9


def test_an_empty_second_sheet_is_not_a_choice(ref, good_2025):
    content = xlsx_bytes({"Dữ liệu": frame_rows(good_2025), "Sheet2": []})
    assert len(parse_scores(content, "papi_2025.xlsx", ref).frame) == 13 * 9


def test_subdimension_bounds(ref):
    rows = pd.DataFrame(
        {"year": [2016, 2016], "province": ["Sóc Trăng", "Sóc Trăng"], "measure": ["D1.1", "D3.1"], "value": [2.7, 3.0]}
    )
    problem = only(problems_of(csv_bytes(rows), ref, name="sub.csv"), "Ngoài thang điểm")
    assert problem.value == "2.7" and "0,25 đến 2,50" in problem.message  # D1 has 4 sub-dimensions; D3 has 3


def test_aggregate_scale_before_2018(ref):
    frame = synthetic_year(MEKONG, 2016)
    frame.loc[0, "TOTAL"] = 61.0
    assert "6,00 đến 60,00" in only(problems_of(csv_bytes(frame), ref), "Ngoài thang điểm").message
    frame = synthetic_year(MEKONG, 2016)
    frame["D7"] = 5.0
    assert only(problems_of(csv_bytes(frame), ref), "D7 chỉ có từ năm 2018")


def test_long_layout_needs_known_measures_and_an_empty_value_is_not_published(ref):
    rows = pd.DataFrame(
        {"year": [2024, 2024], "province": ["Sóc Trăng", "Cà Mau"], "measure": ["D9", "D1"], "value": ["5", ""]}
    )
    problems = problems_of(csv_bytes(rows), ref)
    assert only(problems, "Không nhận ra chỉ số").value == "D9" and len(problems) == 1
    rows.loc[0, "measure"] = "D2"
    parsed = parse_scores(csv_bytes(rows), "x.csv", ref)
    assert parsed.frame.measure.tolist() == ["D2"]  # Cà Mau's empty D1: PAPI did not publish it, nothing stored


def test_an_aggregate_without_all_its_dimensions_is_stored_as_published_with_a_note(ref, good_2025):
    """Issue 19, item 4: 0 or empty is "not published" for every measure; an aggregate whose dimensions were not
    all published is kept as it is, and said."""
    frame = good_2025.copy()
    frame.loc[0, "D5"] = None
    frame.loc[1, "D6"] = 0
    parsed = parse_scores(csv_bytes(frame), "papi_2025.csv", ref)
    long_an = parsed.frame[parsed.frame.unit_id == "old:long-an"]
    assert "TOTAL" in set(long_an.measure) and "D5" not in set(long_an.measure)
    said = "Có điểm tổng hợp nhưng thiếu một phần chỉ số nội dung"
    assert any(said in w and "Long An 2025 (7/8" in w for w in parsed.warnings)
    assert not (parsed.frame.value == 0).any() and parsed.zeros == 1


# --- accepted spellings and encodings -------------------------------------------------------------
@pytest.mark.parametrize(
    ("spelling", "official"),
    [
        ("soc trang", "Sóc Trăng"),
        ("  SÓC   TRĂNG ", "Sóc Trăng"),
        (unicodedata.normalize("NFD", "Sóc Trăng"), "Sóc Trăng"),
        ("TP HCM", "Hồ Chí Minh"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("Thừa Thiên - Huế", "Thừa Thiên Huế"),
        ("Hoà Bình", "Hòa Bình"),
        ("tỉnh Bà Rịa Vũng Tàu", "Bà Rịa - Vũng Tàu"),
    ],
)
def test_names_are_matched_however_they_are_written(ref, spelling, official):
    frame = synthetic_year([spelling, "Cà Mau"], 2024)
    parsed = parse_scores(csv_bytes(frame), "x.csv", ref)
    assert ref.unit_name(parsed.frame.unit_id.iloc[0]) == official
    assert parsed.unit_set == "old"


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Encode as Windows-1258 does: precomposed base letters (â, ơ, ư …) followed by a combining tone."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in decomposed if c in TONE_MARKS)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
            out += (base + tones).encode("cp1258")
    return out


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258"])
def test_encodings_offices_produce(ref, encoding):
    frame = synthetic_year(MEKONG, 2024)
    text = frame.to_csv(index=False)
    content = windows_1258(text) if encoding == "cp1258" else text.encode(encoding)
    parsed = parse_scores(content, "papi_2024.csv", ref)
    assert sorted(parsed.frame.unit_id.map(ref.unit_name).unique()) == sorted(MEKONG)


def test_semicolon_csv_and_vietnamese_headers(ref, store):
    frame = year_frame(store, 2022).rename(columns={"D1": "Tham gia của người dân ở cấp cơ sở", "TOTAL": "Tổng hợp"})
    parsed = parse_scores(frame.to_csv(index=False, sep=";").encode(), "x.csv", ref)
    assert {"D1", "TOTAL"} <= set(parsed.frame.measure)
    assert parsed.years == [2022]


def test_unit_set_detection(ref):
    old = parse_scores(csv_bytes(synthetic_year(MEKONG, 2025)), "x.csv", ref)
    assert old.unit_set == "old" and "Hậu Giang" in old.unit_set_reason
    new_names = ref.units_of_set("new").name_vi.tolist()
    new = parse_scores(csv_bytes(synthetic_year(new_names, 2025, base=4.0)), "x.csv", ref)
    assert new.unit_set == "new" and new.unit_set_certain
    assert new.frame.unit_id.str.startswith("new:").all()
    forced = problems_of(csv_bytes(synthetic_year(MEKONG, 2025)), ref, unit_set="new")
    assert "nay thuộc Cần Thơ" in only(forced, "Sóc Trăng không còn là đơn vị riêng").message


def test_long_layout_with_confidence_intervals(ref):
    rows = pd.DataFrame(
        {
            "year": [2024, 2024],
            "province": ["Sóc Trăng", "Cà Mau"],
            "measure": ["D1", "D1"],
            "value": [5.1, 4.8],
            "ci_low": [4.9, 4.6],
            "ci_high": [5.3, 5.0],
        }
    )
    parsed = parse_scores(csv_bytes(rows), "ci.csv", ref)
    assert parsed.layout == "long" and parsed.frame.ci_low.tolist() == [4.9, 4.6]
    rows.loc[1, "ci_low"] = 4.9
    assert only(problems_of(csv_bytes(rows), ref), "Khoảng tin cậy không chứa giá trị").row == 3
    wide = synthetic_year(["Sóc Trăng"], 2024).assign(ci_low=1.0)
    assert only(problems_of(csv_bytes(wide), ref), "chỉ dùng với dạng dài")
