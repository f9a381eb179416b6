"""How changes and ranks are said (issue 14): no '−0,00', every change names the year it compares with and
is flagged across the 2018 method change (Thừa Thiên Huế 2018, Quảng Ninh 2019 against 2017), a rank's n is
explained when a member has no score, and the paragraph's rounding is explained beside it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from papi_analysis import fmt
from papi_analysis.domain import TOTAL, crosses_method_change
from papi_analysis.present import prose, tables
from papi_analysis.results.comparison_group import comparison_group
from papi_analysis.results.metrics import rank_table
from papi_analysis.results.summary import province_summary

FLAG = "(qua mốc 2018: 6 → 8 chỉ số nội dung, chỉ để tham khảo)"


@pytest.fixture(scope="module")
def table(ref, scores):
    return rank_table(scores, ref.units)


def summary_of(table, ref, unit_id: str, year: int):
    return province_summary(table, ref, unit_id, year, comparison_group(ref, unit_id, "old"), "old")


@pytest.mark.parametrize(
    ("value", "signed", "plain"),
    [(-0.001, "0,00", "0,00"), (0.0, "0,00", "0,00"), (0.004, "0,00", "0,00"), (0.006, "+0,01", "0,01"),
     (-2.5, "−2,50", "-2,50"), (None, "—", "—")],
)  # fmt: skip
def test_no_signed_zero(value, signed, plain):
    assert fmt.signed(value) == signed and fmt.number(value) == plain


@given(st.floats(min_value=-1e14, max_value=1e14) | st.integers(-(10**14), 10**14), st.integers(0, 4))
def test_remembered_numbers_are_written_as_babel_writes_them(value, decimals):
    """fmt remembers what it wrote (a page writes the same numbers on every view, issue 18): the same digits as
    babel's own, for a float, numpy's float of the same value, and an integer."""
    expected = fmt._plain.__wrapped__(value, decimals)
    assert fmt.number(value, decimals) == fmt.number(value, decimals) == expected
    if isinstance(value, float):
        assert fmt.number(np.float64(value), decimals) == expected


def test_a_change_that_rounds_to_nothing_is_said_as_no_change():
    assert fmt.score_change(0.004) == "không đổi" and fmt.score_change(-0.001) == "không đổi"
    assert fmt.score_change(0.006) == "tăng 0,01 điểm"


def test_the_2018_change_is_crossed_from_any_earlier_year():
    assert crosses_method_change(2017, 2018) and crosses_method_change(2017, 2019)
    assert not crosses_method_change(2018, 2019) and not crosses_method_change(2016, 2017)
    assert not crosses_method_change(None, 2018)


def test_every_change_names_its_year_and_flags_the_2018_change():
    assert prose.since(2021, 2022) == "so với năm 2021"
    assert prose.since(2017, 2019) == f"so với năm 2017 {FLAG}"
    assert prose.since_short(2017, 2018) == "so với 2017 *" and prose.since_short(None, 2018) is None
    assert prose.rank_change_since(-6, 2017, 2018) == f"giảm 6 bậc so với năm 2017 {FLAG}"


def test_thua_thien_hue_2018_and_quang_ninh_2019_say_what_their_rank_change_compares(table, ref):
    hue = prose.summary_paragraph(summary_of(table, ref, "old:thua-thien-hue", 2018))
    assert f"giảm 6 bậc so với năm 2017 {FLAG}" in hue
    quang_ninh = summary_of(table, ref, "old:quang-ninh", 2019)
    assert quang_ninh.total.previous_year == 2017  # no aggregate in 2018
    assert f"tăng 29 bậc so với năm 2017 {FLAG}" in prose.summary_paragraph(quang_ninh)
    assert "3/63 (tăng 29 bậc so với 2017 *)" in prose.summary_text(quang_ninh)
    assert prose.METHOD_CHANGE_NOTE in prose.summary_text(quang_ninh)


def test_tables_flag_rank_changes_across_2018_and_name_the_year(table, ref):
    hue = summary_of(table, ref, "old:thua-thien-hue", 2018)
    first = tables.summary_rows(hue).iloc[0]
    assert (first["Thay đổi"], first["Thay đổi hạng"], first["So với năm"]) == (
        "không so sánh *",
        "giảm 6 bậc *",
        "2017",
    )
    soc_trang = tables.dimension_rows(summary_of(table, ref, "old:soc-trang", 2022))
    assert set(soc_trang["So với năm"]) == {"2021"} and not soc_trang["Thay đổi hạng"].str.endswith("*").any()
    mekong = comparison_group(ref, "old:soc-trang", "old").unit_ids
    assert (tables.change_table(table, ref, 2018, TOTAL, mekong)[tables.NOTE] == prose.METHOD_CHANGE).all()
    assert tables.NOTE not in tables.change_table(table, ref, 2022, TOTAL, mekong)
    long = tables.ranks_long(table, ref, years=[2018, 2019], unit_ids=["old:quang-ninh"], measures=[TOTAL])
    assert long[tables.NOTE].tolist() == [prose.METHOD_CHANGE]  # 2019 against 2017; no aggregate in 2018


def test_derived_numbers_are_rounded_as_published(table, ref):
    long = tables.ranks_long(table, ref, years=[2022])
    changes = long["Thay đổi điểm"].dropna()
    assert (changes == changes.round(4)).all()


def test_a_rank_among_fewer_than_the_group_says_who_has_no_score(table, ref):
    soc_trang = summary_of(table, ref, "old:soc-trang", 2024)
    notes = prose.unscored_notes(soc_trang)
    said = "Trong Đồng bằng sông Cửu Long: 12 tỉnh, thành phố có điểm; PAPI 2024 không công bố điểm của Tiền Giang."
    assert said in notes
    assert "Cả nước: 61 tỉnh, thành phố có điểm; PAPI 2024 không công bố điểm của Vĩnh Phúc và Tiền Giang." in notes
    assert "1/12 các tỉnh khu vực Đồng bằng sông Cửu Long (dẫn đầu; 12 tỉnh có điểm" in prose.summary_paragraph(
        soc_trang
    )
    assert prose.unscored_notes(summary_of(table, ref, "old:soc-trang", 2022), measures=(TOTAL,)) == [
        "Cả nước: 61 tỉnh, thành phố có điểm tổng hợp; PAPI 2022 không công bố điểm tổng hợp của Bắc Giang và Bắc Ninh."
    ]


def test_the_paragraph_s_rounding_is_explained_beside_it(table, ref):
    soc_trang = summary_of(table, ref, "old:soc-trang", 2022)
    note = prose.rounding_note(soc_trang, "120/KH-UBND")
    assert "42,8559 → 42,86" in note and "+2,8198 → +2,82" in note and "ghi 42,85 và +2,81" in note
    assert "120/KH-UBND" in note and note not in prose.summary_paragraph(soc_trang)
    assert prose.rounding_note(summary_of(table, ref, "old:long-an", 2024)) is None  # 42,29 either way


@pytest.mark.parametrize(
    ("gap", "said"),
    [(-0.62, "cao hơn trung vị cả nước 0,62 điểm"), (1.71, "thấp hơn trung vị cả nước 1,71 điểm"),
     (0.001, "bằng trung vị cả nước")],
)  # fmt: skip
def test_the_gap_to_the_median_is_said_in_words(gap, said):
    assert prose.median_gap(gap) == said


def test_stored_times_are_shown_in_vietnam_time(monkeypatch):
    import time
    from datetime import datetime

    from papi_analysis import times

    assert times.from_utc(datetime(2025, 1, 1, 17, 30)) == "02/01/2025 00:30"
    monkeypatch.setenv("TZ", "UTC")  # a server on UTC wrote the upload's time in UTC
    time.tzset()
    try:
        assert times.from_server_time(datetime(2025, 1, 1, 17, 30)) == "02/01/2025 00:30"
        assert times.from_server_time(None) == "—"
    finally:
        monkeypatch.undo()
        time.tzset()
