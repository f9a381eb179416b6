"""Issue 19: a named test for every fact known of the files really published (tests/support/published_shapes.py,
FACTS), each read from the page's and the command line's one path (store.scores_upload) where it matters; and the
two files the issue was tried with: the 2011–2016 compilation and a 2018+ workbook with its scale column."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pandas as pd
import pytest
from helpers import assert_unchanged, csv_bytes, db_state, synthetic_year
from openpyxl.utils import get_column_letter
from published_shapes import (
    COMPILATION,
    ERA2,
    FACTS,
    MISSPELT_DETAIL,
    Shape,
    TruthStore,
    read_as_the_truth,
    render,
    rows_sheet,
    sheet_name,
    truth,
)
from xlsx_writer import Formula, xlsx

from papi_analysis.cli.main import main
from papi_analysis.reading.context import Choices
from papi_analysis.reading.ingest import read_scores
from papi_analysis.reading.line_targets import IGNORED, UNREAD_TARGET
from papi_analysis.store import scores_upload

pytestmark = pytest.mark.slow  # whole workbooks of 63 provinces, read and compared with the store


@pytest.fixture(scope="module")
def truth_store(built_db, tmp_path_factory) -> TruthStore:
    path = tmp_path_factory.mktemp("facts") / "papi.duckdb"
    shutil.copy(built_db, path)
    return TruthStore(path)


def test_the_facts_are_all_written_by_the_generator():
    assert set(FACTS) == {
        "era1_file",
        "era1_details",
        "tab_2012",
        "compilation",
        "era2_sheets",
        "era2_labels",
        "era2_rows",
        "repeats_years",
        "file_2024",
        "names",
        "zeros",
    }


# --- the two files of the issue ------------------------------------------------------------------------
def test_the_2011_2016_compilation_reads_as_the_seed_it_came_from_and_writes_nothing(fresh_db_env, tmp_path, capsys):
    """FACTS compilation: the file our seed came from, read from the command line without editing it: every row
    and column recognised, what is not data said, and no change (nothing written)."""
    rendered = render(fresh_db_env, 2014, COMPILATION)
    path = tmp_path / rendered.file
    path.write_bytes(rendered.content)
    before = db_state(fresh_db_env)
    assert main(["ingest", str(path), "--sheet", "2014_PAPI", "--replace"]) == 0
    out = capsys.readouterr().out
    assert "Không có thay đổi nào so với dữ liệu đang lưu; không ghi gì." in out
    assert "Bỏ qua dòng 66 'Điểm cao nhất': dòng tổng hợp" in out and "Bỏ qua dòng 67 'Điểm thấp nhất'" in out
    assert "Bỏ qua cột A 'tinhid': mã hoặc số thứ tự" in out and "tên tỉnh, thành phố (ngôn ngữ khác)" in out
    assert "ô là công thức Excel: đọc giá trị Excel đã lưu" in out and "Chưa nhận ra" not in out
    assert "'Un-weighted2015PAPI | Tổng điểm PAPI' → Tổng hợp (không trọng số)" in out
    assert_unchanged(fresh_db_env, before)


def test_a_2018_workbook_with_its_scale_column_loads_without_a_conflict(truth_store):
    """The issue's second file: the scale cell '1-10' beside each label was read as 'Dimension 1' (1,001 errors)."""
    parsed = read_as_the_truth(truth_store, 2022, ERA2)
    assert "bỏ qua cột C 'Thang điểm / Scale': thang điểm, không phải số liệu" in [str(s) for s in parsed.skipped]
    assert not parsed.mapping.unknown()


# --- 2011–2017 ---------------------------------------------------------------------------------------
def test_era1_summary_sheet_is_read_with_its_six_detail_sheets_in_one_preview(truth_store):
    """FACTS era1_file, era1_details: '<YYYY>PAPI- Bảng tổng hợp kết quả' with 'Điểm thành phần 1' … '6' (one
    misspelt 'Điêm thành phần 5'); the sub-dimensions only in the detail sheets are read with the summary."""
    shape = Shape(sheet_style="era1", details=True, parts_in_details_only=True, order="era1", numbered_parts=False)
    parsed = read_as_the_truth(truth_store, 2014, shape)
    assert parsed.sheets[0] == "2014PAPI- Bảng tổng hợp kết quả" and MISSPELT_DETAIL in parsed.sheets
    assert len(parsed.sheets) == 7 and parsed.frame.measure.str.contains(".", regex=False).sum() == 22 * 61
    assert parsed.file == "PAPI-2014-Dữ-liệu-1.xlsx"


def test_the_2011_tab_says_2012_the_year_is_said_and_must_be_confirmed(fresh_db_env, tmp_path, capsys):
    """FACTS tab_2012: the 2011 file's tab says '2012PAPI'. The preview says where each year comes from; nothing is
    written until the analyst gives the year (then: no change, the file is the seed's 2011)."""
    rendered = render(fresh_db_env, 2011, Shape(sheet_style="era1", title_rows=0, details=True))
    assert rendered.main_sheet == "2012PAPI- Bảng tổng hợp kết quả" and rendered.choices.year == 2011
    doubt = read_scores(rendered.content, rendered.file, fresh_db_env.reference()).parsed
    assert doubt.years == [2012] and not doubt.year_confirmed
    assert "tên tệp ghi năm 2011" in doubt.file_year.note()
    shown = scores_upload.preview(fresh_db_env, doubt, replace=True)
    assert any("giống hệt năm 2011" in w for w in shown.warnings)
    assert any("xác nhận năm" in n for n in shown.to_confirm(scores_upload.Confirmed(deletions=shown.deletions)))
    path = tmp_path / rendered.file
    path.write_bytes(rendered.content)
    before = db_state(fresh_db_env)
    assert main(["ingest", str(path), "--replace", "--confirm-deletions", "0"]) == 1
    assert "hãy xác nhận năm" in capsys.readouterr().err
    assert main(["ingest", str(path), "--year", "2011"]) == 0
    assert "Không có thay đổi nào" in capsys.readouterr().out
    assert_unchanged(fresh_db_env, before)


@pytest.mark.parametrize("year", [2011, 2016])
def test_each_years_own_sub_dimension_names_read_back_as_stored(truth_store, year):
    """Issue 19, item 8: 2011–2015 'Ban thanh tra nhân dân', 2016 'Hiệu quả của Ban Thanh tra Nhân dân' (and D3.6
    in 2016): the names alone, in Vietnamese only, find their parts and change nothing."""
    parsed = read_as_the_truth(truth_store, year, Shape(numbered_parts=False, languages=("vi",)))
    names = parsed.labels.set_index("code").name_vi
    assert names["D3.4"] == ("Ban thanh tra nhân dân" if year < 2016 else "Hiệu quả của Ban Thanh tra Nhân dân")


# --- from 2018 -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("year", "style"), [(2018, "ProvincialIndicators_VIE"), (2019, "2019PAPI_Indicators_VIE")])
def test_the_sheets_of_2018_and_2019_are_recognised(truth_store, year, style):
    """FACTS era2_sheets: 2018's sheet names no year (it comes from the title rows or the file's name)."""
    assert sheet_name(ERA2, year) == style
    parsed = read_as_the_truth(truth_store, year, ERA2)
    assert parsed.sheet == style


def test_dimension_rows_say_chi_so_noi_dung_in_2018_2019_and_dimension_from_2020(truth_store):
    """FACTS era2_labels: 'Chỉ số nội dung N: …' (2018–2019) and 'Dimension N: …' (2020–2024)."""
    read_as_the_truth(truth_store, 2019, Shape(units_in="columns", languages=("vi",), vi_style="word"))
    parsed = read_as_the_truth(truth_store, 2021, Shape(units_in="columns", languages=("en",), en_style="dimension"))
    assert any(ln.label.startswith("Dimension 1: ") and ln.target.of == "D1" for ln in parsed.mapping.lines)


def test_each_measure_has_unweighted_weighted_ci_and_se_rows(truth_store):
    """FACTS era2_rows: a dimension's weighted row is said and not stored (only the weighted aggregate is); the CI
    and standard-error rows bound the score above them."""
    parsed = read_as_the_truth(truth_store, 2023, replace(ERA2, weighted_rows=True))
    weighted = [ln for ln in parsed.mapping.lines if "(có trọng số)" in ln.label and ln.target == IGNORED]
    assert len(weighted) == 8 and all("không lưu" in ln.note for ln in weighted)
    d1 = parsed.frame[parsed.frame.measure == "D1"]
    assert d1.ci_low.notna().all() and d1.std_error.notna().all()


def test_a_newer_file_repeats_older_years_and_the_year_chooses_the_sheet(truth_store):
    """FACTS repeats_years: the 2024 file holds 2019–2024; the year given picks its sheet, never adding sheets."""
    shape = replace(ERA2, extra_years=(2019, 2020, 2021, 2022, 2024))
    parsed = read_as_the_truth(truth_store, 2023, shape)
    assert parsed.sheets == ("2023_VIE_ENG",) and parsed.file.startswith("2024PAPI_")


def test_the_2024_file_metadata_rows_and_separator_columns_are_skipped_and_said(truth_store):
    """FACTS file_2024: 4 rows mapping the provinces to the 34 new units, empty columns between groups."""
    parsed = read_as_the_truth(truth_store, 2024, replace(ERA2, metadata=True, separators=7, title_rows=0))
    said = [str(s) for s in parsed.skipped]
    assert any("'Đơn vị hành chính mới (từ 01/07/2025)': khối thông tin phía trên bảng" in s for s in said)
    assert any(s.startswith("bỏ qua cột ") and s.endswith("trống (ngăn cách)") for s in said)
    assert parsed.unit_set == "old"


@pytest.mark.parametrize("names", ["spaces", "prefixes", "ascii", "english"])
def test_province_names_with_spaces_prefixes_no_diacritics_or_in_english(truth_store, names):
    """FACTS names: '  Sóc   Trăng ', 'TP. Hồ Chí Minh', 'Soc Trang', 'Ho Chi Minh City' are the same units."""
    read_as_the_truth(truth_store, 2022, replace(ERA2, names=names))
    read_as_the_truth(truth_store, 2015, Shape(names=names))


def test_zero_means_not_published_in_2022_and_2024(truth_store):
    """FACTS zeros: 2022 Bắc Giang and Bắc Ninh zero in 4 dimensions (no aggregate); 2024 Vĩnh Phúc and Tiền Giang
    zero throughout. Nothing is stored for a 0, and the preview says how many."""
    parsed = read_as_the_truth(truth_store, 2022, ERA2)
    assert parsed.zeros > 0 and not (parsed.frame.value == 0).any()
    for unit in ("old:bac-giang", "old:bac-ninh"):
        dimensions = parsed.frame[(parsed.frame.unit_id == unit) & parsed.frame.measure.str.fullmatch(r"D\d")]
        assert len(dimensions) == 4 and "TOTAL" not in set(parsed.frame[parsed.frame.unit_id == unit].measure)
    assert any("Bắc Ninh 2022 (4/8 chỉ số)" in w for w in parsed.warnings)
    later = read_as_the_truth(truth_store, 2024, ERA2)
    assert not later.frame.unit_id.isin(["old:vinh-phuc", "old:tien-giang"]).any()
    assert any("bằng 0 được hiểu là PAPI không công bố" in w for w in later.warnings)


# --- formulas, summary rows, labels that disagree -------------------------------------------------------
def test_a_formula_without_a_saved_value_is_refused_located(ref):
    rows = [["Tỉnh", "D1", "TOTAL"], ["Sóc Trăng", 4.5, Formula("B2*1", 4.5)], ["Cà Mau", 5.5, Formula("B3*1", None)]]
    reading = read_scores(xlsx({"2024": rows}), "papi_2024.xlsx", ref)
    assert not reading.accepted
    problem = reading.problems[0]
    assert (problem.row, problem.cell, problem.value) == (3, "C3", "B3*1") and "không lưu giá trị" in problem.message


def test_formulas_with_saved_values_are_read_and_counted_in_the_preview(truth_store):
    parsed = read_as_the_truth(truth_store, 2014, replace(COMPILATION, extra_years=()))
    assert parsed.formulas == 61 + 2 + 3 * 29  # the aggregate of 63 provinces, the summary rows' cells
    assert f"{parsed.formulas} ô là công thức Excel: đọc giá trị Excel đã lưu trong tệp." in parsed.warnings


def test_summary_rows_and_columns_are_skipped_and_listed(truth_store):
    parsed = read_as_the_truth(truth_store, 2014, Shape(summary=True, id_column="stt", title_rows=1))
    said = [str(s) for s in parsed.skipped]
    assert "bỏ qua dòng 66 'Điểm cao nhất': dòng tổng hợp (không phải một tỉnh, thành phố)" in said
    columns = read_as_the_truth(truth_store, 2014, Shape(units_in="columns", summary=True))
    assert any("'Cả nước': cột tổng hợp" in str(s) for s in columns.skipped)


def test_vietnamese_and_english_headers_that_disagree_are_listed_not_guessed(ref, store):
    rendered = render(store, 2014, Shape(languages=("en", "vi"), title_rows=0))
    rows = pd.read_excel(pd.io.common.BytesIO(rendered.content), header=None).astype(object)
    rows = rows.where(rows.notna(), None).values.tolist()
    column = rows[1].index("1: Tham gia của người dân ở cấp cơ sở")
    rows[0][column] = "Transparency"  # the English header names D2 above the Vietnamese D1
    reading = read_scores(xlsx({"2014": rows}), "papi_2014.xlsx", ref)
    line = next(ln for ln in reading.mapping.lines if ln.label.startswith("Transparency"))
    assert line.target == UNREAD_TARGET and "chỉ những chỉ số khác nhau (D1, D2)" in line.note
    assert line in reading.mapping.unknown()  # listed for the analyst to choose …
    assert not reading.accepted and any("Thiếu cột D1" in p.message for p in reading.problems)  # … never guessed


# --- no changes, names only, deletions ----------------------------------------------------------------
def test_names_only_changes_are_said_and_written_only_when_chosen(fresh_db_env, tmp_path, capsys):
    """Issue 19, item 7: where only names would change, the preview says exactly what, committing them is an
    explicit choice, and the commit says what it wrote (never '0 changes' after writing something)."""
    with fresh_db_env.transaction() as con:
        con.execute("DELETE FROM published_labels WHERE year = 2014")
    rendered = render(fresh_db_env, 2014, Shape(languages=("en",), numbered_parts=False))
    path = tmp_path / rendered.file
    path.write_bytes(rendered.content)
    before = db_state(fresh_db_env)
    assert main(["ingest", str(path)]) == 1
    captured = capsys.readouterr()
    assert "Tên thay đổi: 22 tên chỉ số thành phần (chỉ có tiếng Anh)." in captured.out
    assert "chỉ có tên thay đổi" in captured.err and "--names" in captured.err
    assert_unchanged(fresh_db_env, before)
    assert main(["ingest", str(path), "--names"]) == 0
    assert "xóa 0 giá trị; 22 tên." in capsys.readouterr().out
    assert main(["uploads"]) == 0 and " tên 22 " in capsys.readouterr().out
    assert fresh_db_env.reference().measure_name_en("D3.4", 2014) == "People's Inspection Boards"


def test_deleting_stored_values_is_listed_and_needs_its_own_confirmation(fresh_db_env, tmp_path, capsys):
    """Issue 20, item 4: a preview that would delete stored values says which; --replace deletes nothing until the
    deletions listed are confirmed by their number."""
    frame = fresh_db_env.scores(years=[2022])
    wide = frame.pivot_table(index="unit_id", columns="measure", values="value").reset_index()
    wide.insert(0, "year", 2022)
    wide["unit_id"] = wide.unit_id.map(fresh_db_env.reference().unit_name)
    dropped = wide[wide.unit_id != "Sóc Trăng"].rename(columns={"unit_id": "province"})
    path = tmp_path / "papi_2022.csv"
    path.write_bytes(dropped.to_csv(index=False).encode())
    before = db_state(fresh_db_env)
    assert main(["ingest", str(path), "--replace"]) == 1
    captured = capsys.readouterr()
    assert "Sẽ xóa 9 giá trị đang lưu:" in captured.out and "2022 Sóc Trăng TOTAL: 42,8559" in captured.out
    assert "cần xác nhận việc xóa" in captured.err
    assert main(["ingest", str(path), "--replace", "--confirm-deletions", "8"]) == 1
    assert_unchanged(fresh_db_env, before)
    assert main(["ingest", str(path), "--replace", "--confirm-deletions", "9"]) == 0
    assert "xóa 9 giá trị" in capsys.readouterr().out
    assert fresh_db_env.scores(years=[2022]).unit_id.ne("old:soc-trang").all()


# --- the analyst's choices -----------------------------------------------------------------------------
def test_the_command_line_takes_the_editors_choices(fresh_db_env, tmp_path, capsys):
    """Issue 19, item 9: `ingest FILE --map "J=TOTAL" --skip "dòng 3" --units-in rows`: a column read as chosen,
    a row skipped, the axis chosen — the editor's choices, on the command line."""
    rows = rows_sheet(truth(fresh_db_env, 2014), Shape(title_rows=0, order="era1"), fresh_db_env.reference())
    column = rows[0].index("Tổng (không có trọng số)")
    rows[0][column] = "Cột cuối"  # a header nobody recognises
    letter = get_column_letter(column + 1)
    path = tmp_path / "PAPI_2014.xlsx"
    path.write_bytes(xlsx({"2014_PAPI": rows}))
    assert main(["ingest", str(path), "--dry-run"]) == 0
    assert f"Chưa nhận ra (không đọc) 1 dòng/cột có số liệu: cột {letter}" in capsys.readouterr().out
    options = ["--map", f"{letter}=TOTAL", "--skip", "dòng 3", "--units-in", "rows", "--dry-run"]
    assert main(["ingest", str(path), *options]) == 0
    out = capsys.readouterr().out
    assert "Bỏ qua dòng 3 'Hà Giang': người tải lên chọn bỏ qua" in out
    assert f"cột {letter}      'Cột cuối' → Tổng hợp (không trọng số)" in out and "Thêm 0, thay đổi 0, xóa 0" in out
    assert main(["ingest", str(path), "--map", "nowhere"]) == 1
    assert "--map 'nowhere': cần dạng VỊ_TRÍ=CHỈ_SỐ" in capsys.readouterr().err


def test_the_command_line_uses_the_mappings_confirmed_before(fresh_db_env, tmp_path, capsys):
    """Issue 19, item 9: a mapping confirmed once (on the page or the command line) is proposed again for a file of
    the same shape, by the command line too."""
    frame = synthetic_year(["Sóc Trăng", "Cà Mau", "Bạc Liêu"], 2025).rename(columns={"TOTAL": "Cột cuối"})
    first = tmp_path / "a.csv"
    first.write_bytes(csv_bytes(frame))
    assert main(["ingest", str(first), "--map", "cột K=TOTAL"]) == 0
    capsys.readouterr()
    second = tmp_path / "b.csv"
    second.write_bytes(csv_bytes(frame.assign(year=2026)))
    assert main(["ingest", str(second), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "theo cách đọc đã xác nhận cho tệp cùng dạng" in out and "'Cột cuối' → Tổng hợp (không trọng số)" in out


def test_the_ingest_help_documents_the_choices_in_vietnamese(capsys):
    with pytest.raises(SystemExit):
        main(["ingest", "--help"])
    out = capsys.readouterr().out
    assert "--map VỊ_TRÍ=CHỈ_SỐ" in out and "--skip VỊ_TRÍ" in out and "--units-in {rows,columns}" in out
    assert "dòng 66" in out and "bỏ qua" in out and "--confirm-deletions" in out and "--names" in out


def test_choices_read_the_same_from_the_reader(ref, store):
    rendered = render(store, 2014, Shape(title_rows=0))
    skip = read_scores(rendered.content, rendered.file, ref, Choices(skip=("dòng 3",))).parsed
    assert "old:ha-giang" not in set(skip.frame.unit_id) and "old:ha-noi" in set(skip.frame.unit_id)
