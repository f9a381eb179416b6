"""Issue 20, items 3 and 4 (the reader's part), and issue 19, item 2: a workbook's cells read as Excel wrote them
(files/xlsx_sheet.py). A number only in ASCII digits, as in a CSV — a test per variant; a formula's saved value;
cells out of order, an address or a row written twice, a zip part written twice, a merged label over data:
refused with a located message, never resolved by "last wins"; and nothing written."""

from __future__ import annotations

import io
import zipfile

import pytest
from helpers import assert_unchanged, db_state
from xlsx_writer import Formula, package, sheet_xml, xlsx

from papi_analysis.cli.main import main
from papi_analysis.problems import InvalidFile
from papi_analysis.reading.ingest import parse_scores, read_scores

HEADER = ["Tỉnh", "D1", "D2", "D3", "D4", "D5", "D6", "TOTAL"]
ROWS = [
    ["Sóc Trăng", 4.5, 5.5, 6.0, 6.5, 7.0, 7.5, 37.0],
    ["Cà Mau", 4.0, 5.0, 6.0, 7.0, 7.0, 7.0, 36.0],
    ["Bạc Liêu", 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 30.0],
]


def workbook_xml() -> bytes:
    return sheet_xml([HEADER, *[list(r) for r in ROWS]])


def with_sheet(xml: bytes) -> bytes:
    return package({"2016": xml})


def refused(content: bytes, ref) -> list:
    reading = read_scores(content, "papi_2016.xlsx", ref)
    assert not reading.accepted
    return reading.problems


def test_the_unmutated_workbook_loads(ref):
    parsed = parse_scores(with_sheet(workbook_xml()), "papi_2016.xlsx", ref)
    assert len(parsed.frame) == 21 and parsed.years == [2016]


# --- item 3: numbers only as written ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    ["४.५", "٤٫٥", "٤.٥", "４.５", "4_5", " 4.5", "4.5 ", "4\u00a05", "1_000", "４", "0x10", "4,5", "nan", "inf"],
    ids=[
        "devanagari",
        "arabic-indic with its separator",
        "arabic-indic",
        "full width",
        "underscore",
        "leading space",
        "trailing space",
        "no-break space",
        "thousands underscore",
        "full-width digit",
        "hexadecimal",
        "decimal comma",
        "nan",
        "inf",
    ],
)
def test_a_numeric_cell_is_read_from_its_raw_text_by_the_ascii_rule(ref, raw):
    """openpyxl reads <v>४.५</v> as 4.5 with float(); the reader refuses it, at its cell."""
    xml = workbook_xml().replace(b"<v>4.5</v>", f"<v>{raw}</v>".encode(), 1)
    problem = refused(with_sheet(xml), ref)[0]
    assert (problem.row, problem.cell, problem.value) == (2, "B2", raw)
    assert "chỉ chữ số 0–9 được đọc là số" in problem.message


def test_a_formulas_saved_value_is_read_and_a_formula_without_one_refused(ref):
    rows = [HEADER, *[list(r) for r in ROWS]]
    rows[1][7] = Formula("SUM(B2:G2)", 37.0)
    parsed = parse_scores(xlsx({"2016": rows}), "papi_2016.xlsx", ref)
    assert parsed.formulas == 1 and 37.0 in set(parsed.frame.value)
    rows[2][7] = Formula("SUM(B3:G3)", None)
    problem = refused(xlsx({"2016": rows}), ref)[0]
    assert (problem.row, problem.cell) == (3, "H3") and "không lưu giá trị" in problem.message


# --- item 4: no cell lost or doubled -------------------------------------------------------------------
def test_a_cell_address_written_twice_is_refused(ref):
    xml = workbook_xml().replace(b'<c r="B2"><v>4.5</v></c>', b'<c r="B2"><v>4.5</v></c><c r="B2"><v>9.5</v></c>')
    problem = refused(with_sheet(xml), ref)[0]
    assert problem.cell == "B2" and "xuất hiện hai lần" in problem.message


def test_cells_out_of_order_are_refused(ref):
    xml = workbook_xml().replace(
        b'<c r="B2"><v>4.5</v></c><c r="C2"><v>5.5</v></c>', b'<c r="C2"><v>5.5</v></c><c r="B2"><v>4.5</v></c>'
    )
    problem = refused(with_sheet(xml), ref)[0]
    assert problem.cell == "B2" and "đứng sau ô C2" in problem.message


def test_a_row_number_written_twice_or_out_of_order_is_refused(ref):
    xml = workbook_xml()
    second = xml[xml.index(b'<row r="3">') : xml.index(b'<row r="4">')]
    twice = xml.replace(b'<row r="4">', second + b'<row r="4">')
    assert "Dòng 3 xuất hiện hai lần" in refused(with_sheet(twice), ref)[0].message
    swapped = xml.replace(second, b"").replace(b"</sheetData>", second + b"</sheetData>")
    assert "Dòng 3 đứng sau dòng 4" in refused(with_sheet(swapped), ref)[0].message


def test_a_cell_whose_address_is_not_in_its_row_is_refused(ref):
    xml = workbook_xml().replace(b'<c r="B2">', b'<c r="B3">', 1)
    problem = refused(with_sheet(xml), ref)[0]
    assert problem.cell == "B3" and "không khớp dòng" in problem.message


def test_a_zip_part_written_twice_is_refused(ref):
    content = with_sheet(workbook_xml())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as z:
        for item in source.infolist():
            z.writestr(item, source.read(item))
        with pytest.warns(UserWarning):
            z.writestr("xl/worksheets/sheet1.xml", workbook_xml().replace(b"<v>4.5</v>", b"<v>9.5</v>"))
    with pytest.raises(InvalidFile) as caught:
        parse_scores(out.getvalue(), "papi_2016.xlsx", ref)
    assert "hai phần cùng tên 'xl/worksheets/sheet1.xml'" in caught.value.problems[0].message


def transposed_rows() -> list[list[object]]:
    units = ["Sóc Trăng", "Cà Mau", "Bạc Liêu"]
    rows = [["Chỉ tiêu", *units]]
    for n in range(1, 7):
        rows.append([f"Chỉ số nội dung {n}", *(r[n] for r in ROWS)])
    rows.append(["Chỉ số PAPI tổng hợp", 37.0, 36.0, 30.0])
    rows.append(["Điểm thấp", 36.0, 35.0, 29.0])
    rows.append(["Điểm cao", 38.0, 37.0, 31.0])
    return rows


def test_a_merged_label_over_rows_that_hold_values_is_refused_located(ref):
    """A label merged over the aggregate's CI rows: the rows below its first would lose it (61 bounds lost)."""
    rows = transposed_rows()
    rows[8][0] = rows[9][0] = None
    content = package({"2016": sheet_xml(rows, merged=("A8:A10",))})
    problem = refused(content, ref)[0]
    assert (problem.row, problem.cell) == (8, "A8") and "Ô gộp A8:A10" in problem.message
    titled = package({"2016": sheet_xml([["PAPI 2016"], *transposed_rows()], merged=("A1:D1",))})
    assert len(parse_scores(titled, "papi_2016.xlsx", ref).frame) == 3 * 7  # a merged title is harmless


@pytest.mark.slow
@pytest.mark.parametrize(
    "mutation",
    ["duplicate address", "out of order", "unicode digit", "duplicate part"],
)
def test_the_command_line_refuses_a_malformed_workbook_with_replace_and_deletes_nothing(
    mutation, fresh_db_env, tmp_path, capsys
):
    """Issue 20: with --replace, one such file deleted 61 stored values; now it is refused before anything."""
    xml = workbook_xml()
    if mutation == "duplicate address":
        xml = xml.replace(b'<c r="B2"><v>4.5</v></c>', b'<c r="B2"><v>4.5</v></c><c r="B2"><v>9.5</v></c>')
    elif mutation == "out of order":
        xml = xml.replace(
            b'<c r="B2"><v>4.5</v></c><c r="C2"><v>5.5</v></c>', b'<c r="C2"><v>5.5</v></c><c r="B2"><v>4.5</v></c>'
        )
    elif mutation == "unicode digit":
        xml = xml.replace(b"<v>4.5</v>", "<v>४.५</v>".encode(), 1)
    content = with_sheet(xml)
    if mutation == "duplicate part":
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as z:
            for item in source.infolist():
                z.writestr(item, source.read(item))
            with pytest.warns(UserWarning, match="Duplicate name"):
                z.writestr("xl/worksheets/sheet1.xml", xml)
        content = out.getvalue()
    path = tmp_path / "papi_2016.xlsx"
    path.write_bytes(content)
    before = db_state(fresh_db_env)
    assert main(["ingest", str(path), "--replace", "--confirm-deletions", "0"]) == 1
    assert "chưa ghi gì" in capsys.readouterr().err
    assert_unchanged(fresh_db_env, before)
