"""Issue 11, items 3–6: Vietnamese Excel CSVs, the plausibility warnings, and the depth in the core's results
(summary JSON, confidence-interval overlaps, the dimension page's tables and chart)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from helpers import csv_bytes, synthetic_year, year_frame
from official_workbooks import Options, transposed

from papi_analysis.cli.main import main
from papi_analysis.present import charts, depth, tables
from papi_analysis.problems import InvalidFile
from papi_analysis.reading.ingest import parse_scores
from papi_analysis.results import intervals
from papi_analysis.results.comparison_group import comparison_group
from papi_analysis.results.metrics import rank_table
from papi_analysis.store import scores_upload

MEKONG3 = ["Sóc Trăng", "Cà Mau", "An Giang"]


# --- item 3: what Excel writes on a Vietnamese Windows -------------------------------------------------------
def vietnamese_excel_csv(frame: pd.DataFrame, separator: str) -> bytes:
    """';' or tab between fields, a decimal comma, as Excel 'CSV' on a Vietnamese Windows writes."""
    return frame.to_csv(index=False, sep=separator, decimal=",").encode("utf-8-sig")


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_semicolon_or_tab_csv_with_decimal_commas_loads(ref, separator):
    frame = synthetic_year(MEKONG3, 2024)
    parsed = parse_scores(vietnamese_excel_csv(frame, separator), "papi_2024.csv", ref)
    expected = parse_scores(csv_bytes(frame), "papi_2024.csv", ref)
    pd.testing.assert_frame_equal(parsed.frame, expected.frame)
    assert any("dấu phẩy thập phân" in w for w in parsed.warnings)


def test_a_comma_csv_with_decimal_commas_still_gets_the_clear_message(ref):
    frame = synthetic_year(MEKONG3, 2024).astype({"D3": object})
    frame.loc[1, "D3"] = "4,36"
    with pytest.raises(InvalidFile) as refused:
        parse_scores(csv_bytes(frame), "papi_2024.csv", ref)
    assert "Dùng dấu phẩy thập phân; hãy ghi bằng dấu chấm (4.36)" in refused.value.problems[0].message


@pytest.mark.parametrize(("text", "said"), [("4.436", "dấu phân cách hàng nghìn"), ("1.234,5", "hàng nghìn")])
def test_thousands_separators_are_never_guessed(ref, text, said):
    frame = synthetic_year(MEKONG3, 2024)
    content = (
        vietnamese_excel_csv(frame, ";").decode("utf-8-sig").replace(str(frame.loc[1, "D3"]).replace(".", ","), text, 1)
    )
    with pytest.raises(InvalidFile) as refused:
        parse_scores(content.encode(), "papi_2024.csv", ref)
    problem = refused.value.problems[0]
    assert said in problem.message and problem.value == text and problem.row == 3


@pytest.mark.slow
def test_a_semicolon_csv_with_decimal_points_still_loads(ref, store):
    frame = year_frame(store, 2022)
    parsed = parse_scores(frame.to_csv(index=False, sep=";").encode(), "x.csv", ref)
    assert not any("dấu phẩy thập phân" in w for w in parsed.warnings) and parsed.years == [2022]


# --- item 4: plausibility warnings (the upload's preview: store.scores_upload) ---------------------------------
@pytest.mark.slow
def test_a_new_year_equal_to_a_stored_year_is_warned(fresh_store):
    frame = year_frame(fresh_store, 2024).drop(columns=["Vùng"]).assign(**{"Năm": 2025})
    diff = scores_upload.preview(
        fresh_store, parse_scores(csv_bytes(frame), "papi_2025.csv", fresh_store.reference()), False
    )
    assert any("giống hệt năm 2024" in w and "2025" in w for w in diff.warnings)
    honest = synthetic_year(fresh_store.reference().units_of_set("old").name_vi.tolist(), 2025)
    clean = scores_upload.preview(
        fresh_store, parse_scores(csv_bytes(honest), "papi_2025.csv", fresh_store.reference()), False
    )
    assert not any("giống hệt" in w for w in clean.warnings)


@pytest.mark.slow
def test_a_dimension_that_moved_more_than_two_points_for_many_provinces_is_warned(fresh_store):
    frame = year_frame(fresh_store, 2024).drop(columns=["Vùng"]).assign(**{"Năm": 2025})
    frame[["D4", "D8"]] = frame[["D8", "D4"]].to_numpy()  # two rows read as each other
    diff = scores_upload.preview(
        fresh_store, parse_scores(csv_bytes(frame), "papi_2025.csv", fresh_store.reference()), False
    )
    moved = [w for w in diff.warnings if "thay đổi hơn 2 điểm so với năm 2024" in w]
    assert {w.split(":")[0] for w in moved} == {"D4", "D8"}
    few = year_frame(fresh_store, 2024).drop(columns=["Vùng"]).assign(**{"Năm": 2025})
    few.loc[:3, "D4"] = (few.loc[:3, "D4"] - 2.5).clip(lower=1)  # four provinces: not "many"
    few["TOTAL"] = few[[f"D{i}" for i in range(1, 9)]].sum(axis=1)
    quiet = scores_upload.preview(
        fresh_store, parse_scores(csv_bytes(few), "papi_2025.csv", fresh_store.reference()), False
    )
    assert not any(w.startswith("D4:") for w in quiet.warnings)


@pytest.mark.slow
def test_the_aggregate_against_its_dimensions_is_an_error_in_our_layouts_a_warning_in_the_official_ones(store, ref):
    frame = synthetic_year(MEKONG3, 2024)
    frame.loc[0, "TOTAL"] += 0.03
    with pytest.raises(InvalidFile, match="khác tổng các chỉ số nội dung"):
        parse_scores(csv_bytes(frame), "x.csv", ref)
    content, _ = transposed(store, 2022, Options(labels="vi"))
    book = pd.read_excel(pd.io.common.BytesIO(content), header=None)
    total_row = book.index[book[0] == "Chỉ số PAPI tổng hợp (không có trọng số)"][0]
    book.iloc[total_row, 1:] = [round(v + 0.03, 6) if v else v for v in book.iloc[total_row, 1:]]
    from official_workbooks import workbook

    rows = book.astype(object).where(book.notna(), None).values.tolist()
    parsed = parse_scores(workbook({"PAPI 2022": rows}), "papi_2022.xlsx", ref)
    assert any("Điểm tổng hợp khác tổng các chỉ số nội dung" in w and "làm tròn" in w for w in parsed.warnings)


# --- items 5 and 6: the depth in the results -------------------------------------------------------------------
@pytest.fixture(scope="module")
def deep_store(built_db, tmp_path_factory):
    """The seed database plus an official-style 2022 workbook (SYNTHETIC depth: tests/official_workbooks.py)."""
    import shutil

    from papi_analysis.store.database import Store

    path = tmp_path_factory.mktemp("deep") / "papi.duckdb"
    shutil.copy(built_db, path)
    store = Store(path)
    content, _ = transposed(store, 2022)
    store.commit_scores(parse_scores(content, "2022PAPI.xlsx", store.reference()), replace=False, user="lan")
    return store


@pytest.mark.slow
def test_summary_json_gains_the_depth_keys(deep_store, monkeypatch, capsys):
    monkeypatch.setenv("PAPI_DB", str(deep_store.path))
    assert main(["summary", "--province", "Sóc Trăng", "--year", "2022", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    stored = deep_store.scores(years=[2022]).query("unit_id == 'old:soc-trang'").set_index("measure")
    assert out["total"] == pytest.approx(42.855907) and out["total_ci_low"] == round(stored.ci_low["TOTAL"], 6)
    assert out["total_ci_high"] == round(stored.ci_high["TOTAL"], 6)
    assert out["total_weighted"] == round(stored.value["TOTAL_W"], 6)
    d1 = out["dimensions"][0]
    assert (d1["ci_low"], d1["ci_high"]) == (round(stored.ci_low["D1"], 6), round(stored.ci_high["D1"], 6))
    assert [s["code"] for s in d1["subdimensions"]] == ["D1.1", "D1.2", "D1.3", "D1.4"]
    assert set(d1["subdimensions"][0]) == {
        "code",
        "name_vi",
        "score",
        "ci_low",
        "ci_high",
        "national_rank",
        "national_n",
    }
    assert d1["subdimensions"][0]["name_vi"] == "Tri thức công dân về quyền tham gia"  # as the year's file names it
    assert abs(sum(s["score"] for s in d1["subdimensions"]) - d1["score"]) < 1e-5
    assert main(["summary", "--province", "Sóc Trăng", "--year", "2021", "--json"]) == 0
    bare = json.loads(capsys.readouterr().out)
    assert bare["total_ci_low"] is None and bare["total_weighted"] is None
    assert bare["dimensions"][0]["ci_low"] is None and bare["dimensions"][0]["subdimensions"] == []


def test_intervals_that_overlap_the_focus_aggregate():
    table = pd.DataFrame(
        {
            "year": 2022,
            "unit_id": ["a", "b", "c", "d", "e"],
            "measure": "TOTAL",
            "value": [42.0, 43.0, 45.5, 40.9, 38.0],
            "ci_low": [41.0, 42.2, 44.1, 39.5, None],
            "ci_high": [43.0, 43.8, 46.9, 41.0, None],
        }
    )
    found = intervals.overlaps(table, "a", 2022)
    assert found.overlapping == ("b", "d") and found.compared == 3  # c is above, e has no interval
    assert intervals.overlaps(table, "e", 2022) is None
    assert intervals.overlaps(table.drop(columns=["ci_low", "ci_high"]), "a", 2022) is None


def test_the_overlap_note_names_the_count_and_the_group(deep_store):
    ref = deep_store.reference()
    table = rank_table(deep_store.scores(), ref.units)
    comparison = comparison_group(ref, "old:soc-trang", "old")
    found = intervals.overlaps(table, "old:soc-trang", 2022)
    note = intervals.overlap_note(found, ref, "old:soc-trang", comparison.unit_ids)
    assert f"không khác biệt có ý nghĩa thống kê với {len(found.overlapping)} tỉnh" in note
    assert found.compared == 60  # 61 provinces with an aggregate in 2022, the focus not counted


def test_the_dimension_page_rules_and_tables(deep_store):
    ref = deep_store.reference()
    scores = deep_store.scores()
    sets = dict(zip(deep_store.years().year, deep_store.years().unit_set, strict=True))
    years = depth.subdimension_years(scores, "D1", sets, "old")
    assert (
        years == [2011, 2012, 2013, 2014, 2015, 2016, 2022]
        and depth.subdimension_years(scores, "D1", sets, "new") == []
    )
    assert (depth.shown_year(years, 2022), depth.shown_year(years, 2020), depth.shown_year(years, 2010)) == (
        2022,
        2016,
        2022,
    )
    table = rank_table(scores, ref.units, peers=None)
    comparison = comparison_group(ref, "old:soc-trang", "old")
    parts = tables.subdimension_parts(table, ref, "old:soc-trang", comparison, "D1", 2022)
    profile = depth.subdimension_profile(parts)
    assert profile.code.tolist() == ["D1.1", "D1.2", "D1.3", "D1.4"] and profile.ci_low.notna().all()
    rows = depth.subdimension_rows(parts)
    assert {"Trung vị nhóm so sánh", "Khoảng tin cậy 95%"} <= set(rows.columns)
    old = depth.subdimension_rows(tables.subdimension_parts(table, ref, "old:soc-trang", comparison, "D1", 2016))
    assert "Khoảng tin cậy 95%" not in old.columns  # none stored for 2016
    figure = charts.subdimension_profile(profile, "Sóc Trăng", comparison.label, "t", depth.parts_axis(4))
    focus = next(t for t in figure.data if t.name.startswith("Sóc Trăng"))
    assert focus.error_x.visible and len(focus.error_x.array) == 4 and all(a > 0 for a in focus.error_x.array)


def test_the_indicators_of_a_dimension(deep_store):
    ref = deep_store.reference()
    comparison = comparison_group(ref, "old:soc-trang", "old")
    rows = depth.indicator_rows(
        deep_store.indicators(), deep_store.labels(), "old:soc-trang", comparison.unit_ids, "D1", 2022, "Sóc Trăng"
    )
    assert rows["Mã"].tolist()[:2] == ["d111", "d112"] and len(rows) == 9  # 2 per sub-dimension, 1 in days
    assert (rows[depth.UNIT].tolist()[:2], rows[depth.UNIT].iloc[-1]) == (["%", "%"], "ngày")
    assert rows["Sóc Trăng"].notna().all() and (rows["Thấp nhất cả nước"] <= rows["Cao nhất cả nước"]).all()
    assert depth.indicator_rows(
        deep_store.indicators(), deep_store.labels(), "old:soc-trang", (), "D1", 2021, "x"
    ).empty
