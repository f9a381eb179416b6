"""Issue 11: the official PAPI workbooks as published, at full depth. Every variant the generator writes
(tests/official_workbooks.py: both layouts, label languages, spellings, offsets, zeros, extra sheets) loads
exactly; committed, it is stored beside the headline and rolled back exactly; the mapping is remembered."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import db_state
from official_workbooks import Options, by_rows, transposed, workbook

from papi_analysis.cli.main import main
from papi_analysis.domain import TOTAL, WEIGHTED_TOTAL
from papi_analysis.problems import InvalidFile
from papi_analysis.reading.context import Choices
from papi_analysis.reading.ingest import ParsedScores, parse_scores, read_scores
from papi_analysis.reading.line_targets import INDICATOR, UNREAD_TARGET, score
from papi_analysis.reading.mapping import OFFICIAL_COLUMNS, OFFICIAL_ROWS

KEY = ["unit_id", "measure"]


def assert_loads_exactly(parsed: ParsedScores, expected) -> None:
    got = parsed.frame.sort_values(KEY, ignore_index=True)
    pd.testing.assert_frame_equal(got, expected.scores.astype(got.dtypes.to_dict()), check_exact=True)
    indicators = parsed.indicators.sort_values(["unit_id", "code"], ignore_index=True)
    wanted = expected.indicators.sort_values(["unit_id", "code"], ignore_index=True).astype(indicators.dtypes.to_dict())
    pd.testing.assert_frame_equal(indicators, wanted, check_exact=True)
    names = parsed.labels[parsed.labels.kind == "measure"].set_index("code")
    for code, (vi, en) in expected.names.items():
        found = [names[column].get(code) for column in ("name_vi", "name_en")]
        assert [None if pd.isna(n) else n for n in found] == [vi, en], code
    assert parsed.zeros == expected.zeros


VARIANTS = {
    "Vietnamese and English labels": Options(),
    "Vietnamese labels only": Options(labels="vi"),
    "English labels only, names without diacritics": Options(labels="en", names="ascii"),
    "a code column, spelling variants, no title rows": Options(labels="code+vi", names="variants", title_rows=0),
    "six title rows, a national column": Options(title_rows=6, national_column=True),
    "no bounds, no weighted row, no indicators": Options(bounds=False, weighted=False, indicators=0),
    "a later year's numbering of D5": Options(renumbered=True),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_transposed_workbook_loads_exactly(store, ref, variant):
    content, expected = transposed(store, 2022, VARIANTS[variant])
    parsed = parse_scores(content, "2022PAPI_ProvincialIndicators_BangChiTieuCapTinh.xlsx", ref)
    assert parsed.layout == OFFICIAL_COLUMNS and parsed.years == [2022]
    assert_loads_exactly(parsed, expected)
    assert not parsed.mapping.unknown()


def test_the_headline_stays_the_published_unweighted_aggregate(store, ref):
    content, _ = transposed(store, 2022)
    frame = parse_scores(content, "papi_2022.xlsx", ref).frame.set_index(KEY)
    stored = store.scores(years=[2022]).set_index(KEY)
    assert frame.value.loc[("old:soc-trang", TOTAL)] == stored.value.loc[("old:soc-trang", TOTAL)] == 42.85590744
    assert frame.value.loc[("old:soc-trang", WEIGHTED_TOTAL)] != frame.value.loc[("old:soc-trang", TOTAL)]


def test_zero_means_not_published(store, ref):
    """2022: Bắc Giang and Bắc Ninh published 4 of 8 dimensions and no aggregate; the workbook writes 0."""
    content, expected = transposed(store, 2022)
    parsed = parse_scores(content, "papi_2022.xlsx", ref)
    bac_ninh = parsed.frame[parsed.frame.unit_id == "old:bac-ninh"]
    assert sorted(m for m in bac_ninh.measure if "." not in m) == ["D1", "D5", "D6", "D7"]
    assert not (parsed.frame.value == 0).any() and not (parsed.indicators.value == 0).any()
    assert parsed.zeros == expected.zeros > 0 and any(
        "bằng 0 được hiểu là PAPI không công bố" in w for w in parsed.warnings
    )


@pytest.mark.parametrize("year", [2016, 2014, 2017])
def test_a_workbook_by_rows_loads_exactly(store, ref, year):
    """2016: the real sub-dimensions; 2014: two provinces without scores (zeros); 2017: no sub-dimensions."""
    content, expected = by_rows(store, year, Options(names="variants" if year == 2014 else "official"))
    parsed = parse_scores(content, f"PAPI-{year}-Du-lieu.xlsx", ref)
    assert parsed.layout == OFFICIAL_ROWS and parsed.sheet == f"PAPI {year} tổng hợp"
    assert_loads_exactly(parsed, expected)


def test_a_header_row_after_title_rows_and_without_them(store, ref):
    for rows in (0, 1, 4):
        content, expected = by_rows(store, 2016, Options(title_rows=rows))
        assert_loads_exactly(parse_scores(content, "PAPI-2016.xlsx", ref), expected)


def test_year_sheets_are_chosen_by_year_never_added_together(store, ref):
    content, expected = transposed(store, 2022, Options(extra_years=(2021, 2020), metadata_sheet=True))
    with pytest.raises(InvalidFile, match="chọn trang tính"):
        parse_scores(content, "2024PAPI_ProvincialIndicators.xlsx", ref)
    parsed = parse_scores(content, "2024PAPI_ProvincialIndicators.xlsx", ref, year=2022)
    assert parsed.sheet == "PAPI 2022" and parsed.years == [2022]
    assert_loads_exactly(parsed, expected)
    older = parse_scores(content, "2024PAPI_ProvincialIndicators.xlsx", ref, sheet="PAPI 2021")
    assert older.years == [2021] and "Năm 2021 lấy từ tên trang tính." in older.warnings and older.year_confirmed
    chosen = parse_scores(content, "x.xlsx", ref, sheet="PAPI 2021", year=2022)  # the analyst's year, said
    said = "Năm 2022 theo năm đã chọn; tên trang tính ghi năm 2021; dòng tiêu đề ghi năm 2021."
    assert chosen.years == [2022] and said in chosen.warnings


def test_the_sheet_about_the_34_new_units_holds_no_scores(store, ref):
    content, _ = transposed(store, 2022, Options(metadata_sheet=True))
    with pytest.raises(InvalidFile) as refused:
        parse_scores(content, "2024PAPI.xlsx", ref, sheet="34 tỉnh thành mới")
    assert "Không tìm thấy cột chỉ số nào" in str(refused.value)  # its units are found; it holds no score


def test_unknown_labels_are_listed_not_guessed(store, ref):
    content, _ = transposed(store, 2022, Options(labels="vi"))
    rows = pd.read_excel(pd.io.common.BytesIO(content), header=None, sheet_name=None)
    sheet = next(iter(rows.values())).astype(object).where(lambda f: f.notna(), None).values.tolist()
    width = len(sheet[3])
    sheet.insert(8, ["Chỉ số thành phần 5.7: Một thành phần chưa có", *[1.5] * (width - 1)])
    sheet.insert(9, ["Ghi chú của người biên soạn", *[3.0] * (width - 1)])
    parsed = parse_scores(workbook({"PAPI 2022": sheet}), "papi_2022.xlsx", ref)
    unknown = {ln.label: ln for ln in parsed.mapping.unknown()}
    assert set(unknown) == {"Chỉ số thành phần 5.7: Một thành phần chưa có", "Ghi chú của người biên soạn"}
    assert "5.7 chưa có trong danh mục" in unknown["Chỉ số thành phần 5.7: Một thành phần chưa có"].note
    assert all(ln.target == UNREAD_TARGET for ln in unknown.values())
    assert not parsed.frame.value.isin([1.5, 3.0]).any()  # nothing of them was read
    position = next(n for n, ln in enumerate(parsed.mapping.lines) if ln.label.startswith("Ghi chú"))
    chosen = parse_scores(workbook({"PAPI 2022": sheet}), "papi_2022.xlsx", ref, mapping={position: INDICATOR})
    code = chosen.mapping.lines[position].code
    assert (
        chosen.mapping.origin == "analyst"
        and chosen.indicators[chosen.indicators.code == code].value.eq(3.0).sum() == 63
    )


def test_an_analysts_mapping_that_breaks_the_file_is_refused_with_the_mapping(store, ref):
    content, _ = transposed(store, 2022)
    parsed = parse_scores(content, "papi_2022.xlsx", ref)
    d1 = next(n for n, ln in enumerate(parsed.mapping.lines) if ln.target == score("D1"))
    d2 = next(n for n, ln in enumerate(parsed.mapping.lines) if ln.target == score("D2"))
    refused = read_scores(content, "papi_2022.xlsx", ref, Choices(lines={d2: "D1"}))
    assert not refused.accepted and refused.mapping.lines[d2].target == refused.mapping.lines[d1].target == score("D1")
    assert any("xuất hiện hai lần" in p.message for p in refused.problems)


def test_committed_depth_is_stored_and_rolled_back_exactly(fresh_store):
    before = db_state(fresh_store)
    content, expected = transposed(fresh_store, 2022)
    parsed = parse_scores(content, "2022PAPI.xlsx", fresh_store.reference())
    diff = fresh_store.preview(parsed, replace=False)
    assert not diff.needs_replace  # bounds added to the stored year's values: no value replaced
    assert (
        len(diff.changed) == len(fresh_store.scores(years=[2022]))
        and (diff.changed.old_value == diff.changed.new_value).all()
    )
    result = fresh_store.commit_scores(parsed, replace=False, user="lan", expected_signature=diff.signature())
    stored = fresh_store.scores(years=[2022]).sort_values(KEY, ignore_index=True)
    pd.testing.assert_frame_equal(
        stored.drop(columns="upload_id"), expected.scores.astype(stored.drop(columns="upload_id").dtypes.to_dict())
    )
    assert len(fresh_store.indicators(years=[2022])) == len(expected.indicators)
    assert fresh_store.reference().measure_name("D1.1", 2022) == "Tri thức công dân về quyền tham gia"
    assert fresh_store.reference().measure_name("D1.1") == "Tri thức công dân"
    fresh_store.rollback(result.upload_id, user="lan")
    after = db_state(fresh_store)
    pd.testing.assert_frame_equal(before[0], after[0])  # values, bounds (NULL again) and upload ids exactly
    assert fresh_store.indicators().empty and fresh_store.labels(years=[2022]).empty
    assert fresh_store.reference().measure_name("D1.1", 2022) == "Tri thức công dân"


def test_a_later_upload_of_the_same_indicators_blocks_the_earlier_rollback(fresh_store):
    ref = fresh_store.reference()
    first = fresh_store.commit_scores(
        parse_scores(transposed(fresh_store, 2022)[0], "a.xlsx", ref), replace=False, user="a"
    )
    from official_workbooks import transposed_sheet

    rows, _ = transposed_sheet(fresh_store, 2022, Options(labels="vi"))
    at = next(i for i, r in enumerate(rows) if str(r[0]).startswith("d111:"))
    rows[at][5] = 12.34  # one indicator value of one province, changed
    second = fresh_store.commit_scores(
        parse_scores(workbook({"PAPI 2022": rows}), "b.xlsx", ref), replace=True, user="b"
    )
    with pytest.raises(Exception, match=f"lượt tải lên sau \\({second.upload_id}\\)"):
        fresh_store.rollback(first.upload_id, user="a")
    fresh_store.rollback(second.upload_id, user="b")
    fresh_store.rollback(first.upload_id, user="a")
    assert fresh_store.indicators().empty


def test_a_confirmed_mapping_is_proposed_again_for_the_same_shape(fresh_store):
    ref = fresh_store.reference()
    content, _ = transposed(fresh_store, 2022, Options(labels="vi"))
    parsed = parse_scores(content, "papi_2022.xlsx", ref)
    days = next(n for n, ln in enumerate(parsed.mapping.lines) if "(ngày)" in ln.label)
    chosen = parse_scores(content, "papi_2022.xlsx", ref, mapping={days: "ignore"})
    result = fresh_store.commit_scores(chosen, replace=False, user="lan")
    remembered = fresh_store.remembered()
    assert remembered.by_shape[chosen.mapping.shape][days].text == "ignore"
    again = parse_scores(
        transposed(fresh_store, 2021, Options(labels="vi"))[0], "papi_2021.xlsx", ref, remembered=remembered
    )
    assert again.mapping.shape == chosen.mapping.shape  # same rows in the same order: the same shape
    assert again.mapping.origin == "remembered" and again.mapping.lines[days].target.text == "ignore"
    other = parse_scores(transposed(fresh_store, 2021)[0], "papi_2021.xlsx", ref, remembered=remembered)
    assert other.mapping.shape != chosen.mapping.shape and other.mapping.origin == "automatic"
    fresh_store.rollback(result.upload_id, user="lan")
    assert chosen.mapping.shape not in fresh_store.remembered().by_shape  # a rolled-back upload confirms nothing


def test_the_command_line_loads_an_official_workbook_and_prints_the_mapping(fresh_db_env, tmp_path, capsys):
    content, expected = transposed(fresh_db_env, 2022, Options(extra_years=(2021,), metadata_sheet=True))
    path = tmp_path / "2024PAPI_ProvincialIndicators_BangChiTieuCapTinh_34_TinhThanh.xlsx"
    path.write_bytes(content)
    assert main(["ingest", str(path), "--year", "2022", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "trang tính 'PAPI 2022'" in out and "Cách đọc tệp (bảng chỉ tiêu PAPI công bố" in out
    assert "'Điểm thấp (khoảng tin cậy 95%) | CI low (95%)' → Cận dưới KTC 95% của TOTAL" in out
    assert "→ D1.1 Tri thức công dân (thành phần)  [tên khác danh mục" in out and "→ chỉ tiêu d111 (%)" in out
    assert main(["ingest", str(path), "--year", "2022"]) == 0
    assert len(fresh_db_env.scores(years=[2022])) == len(expected.scores)
    assert main(["ingest", str(path), "--sheet", "34 tỉnh thành mới"]) == 1
    assert "Không tìm thấy cột chỉ số nào" in capsys.readouterr().err


def test_the_round_trip_of_an_export_with_confidence_intervals_is_no_change(fresh_db_env, tmp_path, capsys):
    content, _ = transposed(fresh_db_env, 2022)
    fresh_db_env.commit_scores(
        parse_scores(content, "2022PAPI.xlsx", fresh_db_env.reference()), replace=False, user="lan"
    )
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"papi_2022.{fmt}"
        assert main(["export", "--year", "2022", "--format", fmt, "-o", str(out)]) == 0
        before = db_state(fresh_db_env)
        assert main(["ingest", str(out), "--replace"]) == 0
        assert "Không có thay đổi nào" in capsys.readouterr().out
        assert db_state(fresh_db_env)[0].equals(before[0])
    header = pd.read_csv(tmp_path / "papi_2022.csv", encoding="utf-8-sig", nrows=0).columns.tolist()
    assert header[:8] == ["Năm", "Tỉnh, thành phố", "Vùng", "TOTAL", "TOTAL ci_low", "TOTAL ci_high", "TOTAL se", "D1"]
    assert "TOTAL_W" in header and "D1.1 ci_low" in header


def test_indicators_after_a_bound_row_belong_to_the_measure_it_bounds(fresh_store):
    """A 'Điểm thấp' row of a sub-dimension between it and its indicators: the indicators stay under D1.1 (a bound is
    never a parent: 'ci_low:D1.1' made codes and parents no page could show)."""
    from official_workbooks import transposed_sheet

    rows, _ = transposed_sheet(fresh_store, 2022, Options(labels="vi", indicators=2))
    at = next(i for i, r in enumerate(rows) if str(r[0]).startswith("Chỉ số thành phần 1.1"))
    assert str(rows[at + 1][0]).startswith("Điểm thấp")
    rows[at + 1][0] = "Điểm thấp D1.1"  # the bound names its measure
    parsed = parse_scores(workbook({"PAPI 2022": rows}), "x.xlsx", fresh_store.reference())
    bound = next(ln for ln in parsed.mapping.lines if ln.label == "Điểm thấp D1.1")
    assert bound.target.text == "ci_low:D1.1"
    after = [ln for ln in parsed.mapping.lines if ln.target.kind == INDICATOR and ln.position > bound.position][:2]
    assert [(ln.code, ln.parent) for ln in after] == [("d111", "D1.1"), ("d112", "D1.1")]
