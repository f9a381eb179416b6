"""results.province_view: a name of either unit set and a year -> the summary of the unit that year's results are
about (and the rank table it was computed from), as the command line and the report ask for it; a province of the
other unit set answers for the unit it is in that year, saying so first; an unknown year, name or region is refused
in Vietnamese.

On the verified scores (Sóc Trăng 2022: 42,86, 24/61, 3/13) and on the SYNTHETIC 2025 of the 34 units."""

from __future__ import annotations

import pytest

from papi_analysis.domain import TOTAL
from papi_analysis.reference import UnknownName
from papi_analysis.results.province_view import build_summary, build_view

SOC_TRANG = "old:soc-trang"


@pytest.fixture(scope="module")
def soc_trang_2022(store, ref):
    return build_view(store, ref, "Sóc Trăng", 2022)


def test_soc_trang_2022_is_24th_of_61_and_3rd_of_13(soc_trang_2022):
    summary, _ = soc_trang_2022
    assert (summary.unit_id, summary.province, summary.year, summary.units_in_set) == (SOC_TRANG, "Sóc Trăng", 2022, 63)
    total = summary.total
    assert total.score == pytest.approx(42.85590744) and total.performance_group == "Trung bình cao"
    assert (total.national_rank, total.national_n, total.comparison_rank, total.comparison_n) == (24, 61, 3, 13)
    assert (total.previous_year, total.national_rank_change) == (2021, 27)
    assert summary.comparison.label == "Đồng bằng sông Cửu Long" and len(summary.comparison_members) == 13
    assert summary.lineage_note is None


def test_the_groups_of_every_dimension_are_those_of_the_2023_plan(soc_trang_2022):
    summary, _ = soc_trang_2022
    # as PAPI.md and the 2023 plan state them
    stated = {
        **dict.fromkeys(("D4", "D5", "D7"), "Cao nhất"),
        "D3": "Trung bình cao",
        **dict.fromkeys(("D2", "D6", "D8"), "Trung bình thấp"),
        "D1": "Thấp nhất",
    }
    assert {d.code: d.performance_group for d in summary.dimensions} == stated
    assert summary.weak_dimensions == ("D1", "D6", "D2", "D8")  # weakest first


def test_the_view_returns_the_rank_table_the_summary_was_read_from(soc_trang_2022):
    summary, table = soc_trang_2022
    row = table[(table.year == 2022) & (table.unit_id == SOC_TRANG) & (table.measure == TOTAL)].iloc[0]
    assert (row.national_rank, row.national_n, row.comparison_rank, row.comparison_n) == (24, 61, 3, 13)
    assert row.value == pytest.approx(summary.total.score) and sorted(table.year.unique()) == list(range(2011, 2025))


def test_the_summary_alone_is_the_views_summary(store, ref, soc_trang_2022):
    assert build_summary(store, ref, "Sóc Trăng", 2022) == soc_trang_2022[0]


@pytest.mark.parametrize(
    ("name", "unit_id"),
    [
        ("soc trang", SOC_TRANG),
        ("  SÓC  TRĂNG ", SOC_TRANG),
        ("TP. Hồ Chí Minh", "old:ho-chi-minh"),
        ("Thừa Thiên - Huế", "old:thua-thien-hue"),
        ("Cần Thơ", "old:can-tho"),  # a name of both sets: the year's set first
    ],
)
def test_a_name_as_people_type_it_finds_the_years_unit(store, ref, name, unit_id):
    summary = build_summary(store, ref, name, 2022)
    assert summary.unit_id == unit_id and summary.lineage_note is None


def test_2021_ranks_on_two_decimal_figures(store, ref):
    # Đắk Nông 40.0444 and Sóc Trăng 40.0361 are both 40,04: both 51st (why the plan says 'rose 27 places')
    total = build_summary(store, ref, "Sóc Trăng", 2021).total
    assert total.score == pytest.approx(40.03607941) and (total.national_rank, total.national_n) == (51, 60)


def test_another_region_as_the_comparison_group(store, ref):
    summary = build_summary(store, ref, "Sóc Trăng", 2022, region="Đông Nam Bộ")
    assert summary.comparison.label == "Đông Nam Bộ" and summary.comparison.own_region is False
    assert (summary.total.comparison_rank, summary.total.comparison_n) == (2, 7)  # the region's six and Sóc Trăng
    assert (summary.total.national_rank, summary.total.national_n) == (24, 61)  # the nation does not change


def test_an_unknown_region_lists_the_regions(store, ref):
    with pytest.raises(ValueError) as refused:
        build_summary(store, ref, "Sóc Trăng", 2022, region="Miền Tây")
    assert str(refused.value) == (
        "Không có vùng 'Miền Tây'. Các vùng: Trung du và miền núi phía Bắc, Đồng bằng sông Hồng, "
        "Bắc Trung Bộ và Duyên hải miền Trung, Tây Nguyên, Đông Nam Bộ, Đồng bằng sông Cửu Long."
    )


def test_a_year_without_data_lists_the_years_there_are(store, ref):
    with pytest.raises(ValueError) as refused:
        build_view(store, ref, "Sóc Trăng", 2030)
    years = ", ".join(str(y) for y in range(2011, 2025))
    assert str(refused.value) == f"Chưa có số liệu PAPI năm 2030 (có: {years})."


def test_an_unknown_name_suggests_the_closest(store, ref):
    with pytest.raises(UnknownName) as refused:
        build_summary(store, ref, "Sóc Trăg", 2022)
    assert str(refused.value) == "Không tìm thấy tỉnh/thành phố 'Sóc Trăg'. Có phải: Sóc Trăng?"
    assert refused.value.suggestions == ["Sóc Trăng"]


# --- across the reorganisation (SYNTHETIC 2025 in the 34 units) ------------------------------------------
@pytest.mark.parametrize("old_name", ["Sóc Trăng", "Hậu Giang"])
def test_an_old_province_in_2025_answers_for_the_unit_it_is_in_saying_so_first(new_units_store, old_name):
    ref = new_units_store.reference()
    summary = build_summary(new_units_store, ref, old_name, 2025)
    assert (summary.unit_id, summary.province, summary.units_in_set) == ("new:can-tho", "Cần Thơ", 34)
    assert summary.lineage_note == (
        f"Từ 01/07/2025, {old_name} thuộc Cần Thơ. PAPI 2025 đánh giá theo 34 tỉnh, thành phố (từ 01/07/2025): "
        "kết quả dưới đây là của Cần Thơ."
    )
    assert summary.total.national_n == 34 and summary.comparison.label == "Đồng bằng sông Cửu Long"
    assert sorted(ref.unit_name(p.unit_id) for p in summary.predecessors) == ["Cần Thơ", "Hậu Giang", "Sóc Trăng"]


def test_the_new_units_own_name_needs_no_note(new_units_store):
    summary = build_summary(new_units_store, new_units_store.reference(), "Cần Thơ", 2025)
    assert summary.unit_id == "new:can-tho" and summary.lineage_note is None


def test_an_old_year_is_still_about_the_old_province(new_units_store):
    summary = build_summary(new_units_store, new_units_store.reference(), "Sóc Trăng", 2022)
    assert summary.unit_id == SOC_TRANG and summary.lineage_note is None
    assert (summary.total.national_rank, summary.total.national_n) == (24, 61)
