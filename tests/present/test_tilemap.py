"""The tile map (issue 12): both layouts place every unit of their set in its own cell near its capital with
neighbours in order; the figure draws every unit and the archipelagos Hoàng Sa and Trường Sa, named, east of
the coast; a unit without a score is grey and says so, never a group's colour."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from papi_analysis.domain import GROUPS
from papi_analysis.present import tilemap
from papi_analysis.present.charts import GROUP_COLOURS
from papi_analysis.present.tiles import MAX_SHIFT, layout_problems, read_layout
from papi_analysis.results.metrics import rank_table

ARCHIPELAGOS = {"Hoàng Sa": "Đà Nẵng", "Trường Sa": "Khánh Hòa"}


@pytest.fixture(scope="module", params=["old", "new"])
def layout(request, ref):
    return read_layout(ref, request.param)


@pytest.fixture(scope="module")
def table(ref, scores):
    return rank_table(scores, ref.units)


def test_each_layout_has_every_unit_of_its_set_in_its_own_cell_near_its_capital(ref, layout):
    assert layout_problems(ref, layout) == []
    assert len(layout.tiles) == {"old": 63, "new": 34}[layout.unit_set]
    assert set(layout.tiles.unit_id) == set(ref.units_of_set(layout.unit_set).unit_id)
    assert not layout.tiles.duplicated(["col", "row"]).any()
    shift = (layout.tiles.col - layout.tiles.x).abs().combine((layout.tiles.row - layout.tiles.y).abs(), max)
    assert shift.max() <= MAX_SHIFT


def test_the_checks_catch_a_shared_cell_a_far_tile_and_a_swapped_pair(ref, layout):
    tiles = layout.tiles.set_index("name")
    first, second = tiles.index[0], tiles.index[1]
    shared = tiles.copy()
    shared.loc[second, ["col", "row"]] = shared.loc[first, ["col", "row"]].to_numpy()
    assert any(p.startswith("chung ô") for p in layout_problems(ref, replace(layout, tiles=shared.reset_index())))
    far = tiles.copy()
    far.loc["Cà Mau", "row"] = 0
    problems = layout_problems(ref, replace(layout, tiles=far.reset_index()))
    assert any(p.startswith("Cà Mau: ô") for p in problems) and any("sai thứ tự bắc–nam" in p for p in problems)
    missing = layout.tiles[layout.tiles.name != "Cần Thơ"]
    assert any(p.startswith("thiếu ô") for p in layout_problems(ref, replace(layout, tiles=missing)))


def test_the_archipelagos_lie_east_of_their_units_at_their_latitude(layout):
    tiles = layout.tiles.set_index("name")
    for archipelago, parent in ARCHIPELAGOS.items():
        islands = layout.islands[layout.islands.archipelago == archipelago]
        assert len(islands) >= 5 and (islands.parent == parent).all()
        assert islands.col.min() > tiles.col.max()  # east of every tile: out at sea
        assert islands.col.min() - tiles.loc[parent, "col"] >= 3
    hoang_sa, truong_sa = (layout.islands[layout.islands.archipelago == a] for a in ARCHIPELAGOS)
    assert abs(hoang_sa.row.mean() - tiles.loc["Đà Nẵng", "row"]) <= 2  # level with Đà Nẵng
    assert truong_sa.row.min() > hoang_sa.row.max()  # further south
    assert truong_sa.row.mean() > tiles.loc["Khánh Hòa", "row"]  # south-east of Khánh Hòa


def figure_parts(figure):
    units = next(t for t in figure.data if t.name == tilemap.UNITS_TRACE)
    annotations = [a.text for a in figure.layout.annotations]
    return units, annotations


@pytest.mark.parametrize("small", [False, True])
def test_the_map_draws_every_unit_and_names_both_archipelagos(ref, layout, table, small):
    year = 2024 if layout.unit_set == "old" else 2025
    frame = tilemap.map_frame(table, ref, layout, year, "TOTAL")
    figure = tilemap.tile_map(frame, layout.islands, year, layout.tiles.unit_id.iloc[0], "Bản đồ", "", small)
    units, annotations = figure_parts(figure)
    assert sorted(units.customdata) == sorted(layout.tiles.unit_id)
    assert len(figure.layout.shapes) == len(layout.tiles) + len(ARCHIPELAGOS)  # a square per unit, a frame each
    traces = {t.name for t in figure.data}
    for archipelago, parent in ARCHIPELAGOS.items():
        assert f"Quần đảo {archipelago} ({parent})" in traces
        expected = f"QĐ. {archipelago}" if small else f"Quần đảo {archipelago}<br>({parent})"
        assert expected in annotations


def test_units_without_a_score_are_grey_and_say_so(ref, table):
    layout = read_layout(ref, "old")
    frame = tilemap.map_frame(table, ref, layout, 2024, "TOTAL")
    figure = tilemap.tile_map(frame, layout.islands, 2024, "old:soc-trang", "Bản đồ", "")
    missing = {"Vĩnh Phúc", "Tiền Giang"}  # not published in 2024
    assert set(frame[frame.performance_group.isna()].name) == missing
    units, _ = figure_parts(figure)
    colours = dict(zip(frame.name, [s.fillcolor for s in figure.layout.shapes], strict=False))
    for name, group in zip(frame.name, frame.performance_group, strict=True):
        assert colours[name] == (tilemap.NO_DATA_COLOUR if name in missing else GROUP_COLOURS[group])
    hover = dict(zip(frame.name, units.hovertext, strict=True))
    assert hover["Vĩnh Phúc"].endswith("Không có số liệu năm 2024") and "Nhóm" not in hover["Vĩnh Phúc"]
    assert "Điểm: 45,19<br>Hạng toàn quốc: 10/61<br>Hạng trong vùng: 1/12" in hover["Sóc Trăng"]
    legend = {t.name for t in figure.data if t.showlegend is not False}
    assert "Không có số liệu (2)" in legend and sum(int(n.split("(")[-1][:-1]) for n in legend) == 63
    table_rows = tilemap.map_table(frame).set_index("Tỉnh, thành phố")
    assert (table_rows.loc[list(missing), "Nhóm"] == tilemap.NO_DATA).all() and table_rows.index[-1] in missing
    assert tilemap.group_counts(frame) == {
        **{g: int((frame.performance_group == g).sum()) for g in GROUPS},
        "Không có số liệu": 2,
    }


def test_a_34_unit_year_with_a_unit_missing(ref, scores):
    from helpers import synthetic_year

    names = [n for n in ref.units_of_set("new").name_vi if n != "Lai Châu"]
    wide = synthetic_year(names, 2025).drop(columns="year")
    long = wide.melt(id_vars="province", var_name="measure", value_name="value")
    long = long.assign(year=2025, unit_id=long.province.map(lambda n: ref.unit_id(n, "new")))
    table = rank_table(pd.concat([scores, long[["year", "unit_id", "measure", "value"]]]), ref.units)
    layout = read_layout(ref, "new")
    frame = tilemap.map_frame(table, ref, layout, 2025, "D3")
    assert frame.set_index("name").loc["Lai Châu", "performance_group"] is None
    assert frame.performance_group.notna().sum() == 33 and set(frame.national_n.dropna()) == {33}


def test_a_click_gives_the_unit_of_the_point():
    assert tilemap.picked_unit([{"curve_number": 0, "point_index": 5, "customdata": "old:ca-mau"}]) == "old:ca-mau"
    assert tilemap.picked_unit([{"customdata": ["new:can-tho"]}]) == "new:can-tho"
    assert tilemap.picked_unit([{"curve_number": 1, "point_index": 0}]) is None  # an island: no unit
    assert tilemap.picked_unit([]) is None
