"""present/tables.py: the group's ranking decides who has no score; one builder of the sub-dimension rows."""

from papi_analysis.present import depth, tables
from papi_analysis.results.comparison_group import comparison_group
from papi_analysis.results.metrics import rank_table


def test_the_group_ranking_names_the_units_without_a_score(store, ref):
    table = rank_table(store.scores(), ref.units)
    comparison = comparison_group(ref, "old:soc-trang", "old")
    ranking = tables.group_ranking(table, ref, 2024, "TOTAL", comparison.unit_ids)
    assert ranking.unscored == ["Tiền Giang"]  # PAPI 2024 published no score for it: left out, not 0
    assert len(ranking.rows) == 12 and "Tiền Giang" not in set(ranking.rows.name)
    assert ranking.national_median is not None
    nobody = tables.group_ranking(table, ref, 2024, "D7", ["old:tien-giang"])
    assert nobody.rows.empty and nobody.unscored == ["Tiền Giang"]


def test_the_report_table_and_the_chart_come_from_one_sub_dimension_builder(store, ref):
    table = rank_table(store.scores(), ref.units)
    comparison = comparison_group(ref, "old:soc-trang", "old")
    parts = tables.subdimension_parts(table, ref, "old:soc-trang", comparison, "D3", 2016)
    assert parts.code.tolist() == ["D3.1", "D3.4", "D3.6"]  # 2016 replaced D3.2–D3.3 (PAPI.md)
    assert depth.subdimension_profile(parts).value.tolist() == parts.value.tolist()
    shown = tables.subdimension_rows(parts)
    assert shown["Chỉ số thành phần"].tolist() == parts.name.tolist()
    assert list(depth.subdimension_rows(parts).columns)[-1] == "Trung vị nhóm so sánh"  # no CI stored for 2016
