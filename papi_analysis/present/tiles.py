"""Equal-area tile layouts of Vietnam: one square per unit, placed near its provincial capital, so a small
Mekong province is as visible as a large mountain one and no boundary data is needed. One layout for the
63 provinces (data/tiles_63.csv), one for the 34 units (data/tiles_34.csv); the archipelagos Hoàng Sa and
Trường Sa (data/archipelagos.csv) are placed at their real positions on the same grid.

Method (data/README.md): a capital at (lat, lon) lies at col = (lon − 102.1) / 0.75, row = (23.4 − lat) / 0.75
on a grid of 0.75° cells; each tile sits in a free cell at most MAX_SHIFT cells from there, chosen by hand
so that neighbours keep their places. `layout_problems` checks both rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pandas as pd

from papi_analysis.domain import NEW_UNITS, OLD_UNITS
from papi_analysis.paths import DATA_DIR
from papi_analysis.reference import Reference

GRID_LAT_TOP, GRID_LON_LEFT, CELL_DEGREES = 23.4, 102.1, 0.75
MAX_SHIFT = 2  # cells a tile may sit from its capital's own position
TILE_FILES = {OLD_UNITS: "tiles_63.csv", NEW_UNITS: "tiles_34.csv"}
ARCHIPELAGOS_FILE = "archipelagos.csv"
# Capitals this far apart (degrees) keep their order on the grid: north above south, west left of east.
ORDER_DEGREES = 1.0


def grid_position(lat: float, lon: float) -> tuple[float, float]:
    """(col, row) of a point on the tile grid (rows grow southwards)."""
    return (lon - GRID_LON_LEFT) / CELL_DEGREES, (GRID_LAT_TOP - lat) / CELL_DEGREES


@dataclass(frozen=True)
class TileLayout:
    unit_set: str
    tiles: pd.DataFrame  # unit_id, name, label, capital, lat, lon, col, row
    islands: pd.DataFrame  # archipelago, parent_id, feature, lat, lon, col, row (float)


def read_layout(ref: Reference, unit_set: str, data_dir: Path = DATA_DIR) -> TileLayout:
    """The layout of a unit set, its tiles joined to the unit ids of the reference."""
    tiles = pd.read_csv(data_dir / TILE_FILES[unit_set], dtype={"slug": str, "label": str})
    tiles.insert(0, "unit_id", unit_set + ":" + tiles.slug)
    tiles["name"] = tiles.unit_id.map(ref.unit_name)
    islands = pd.read_csv(data_dir / ARCHIPELAGOS_FILE)
    islands["parent_id"] = islands.parent.map(lambda name: ref.unit_id(name, unit_set))
    for frame in (tiles, islands):
        frame["x"], frame["y"] = grid_position(frame.lat, frame.lon)
    islands = islands.rename(columns={"x": "col", "y": "row"})
    columns = ["unit_id", "name", "label", "capital", "lat", "lon", "col", "row", "x", "y"]
    return TileLayout(unit_set, tiles[columns], islands)


def layout_problems(ref: Reference, layout: TileLayout) -> list[str]:
    """Everything wrong with a layout: a unit of the set without a tile (or a tile of no unit), two units in
    one cell, a tile too far from its capital, two capitals far apart whose tiles swapped order, an
    archipelago without its parent unit."""
    tiles = layout.tiles
    problems = [f"thiếu ô: {u}" for u in sorted(set(ref.units_of_set(layout.unit_set).unit_id) - set(tiles.unit_id))]
    problems += [f"ô không thuộc danh mục: {u}" for u in sorted(set(tiles.unit_id) - set(ref.units.unit_id))]
    for (col, row), shared in tiles.groupby(["col", "row"]).unit_id:
        if len(shared) > 1:
            problems.append(f"chung ô ({col}, {row}): {', '.join(shared)}")
    for t in tiles.itertuples():
        if max(abs(t.col - t.x), abs(t.row - t.y)) > MAX_SHIFT:
            problems.append(
                f"{t.name}: ô ({t.col}, {t.row}) cách vị trí thủ phủ ({t.x:.1f}, {t.y:.1f}) quá {MAX_SHIFT} ô"
            )
    for a, b in combinations(tiles.itertuples(), 2):
        if (a.lat - b.lat > ORDER_DEGREES and a.row >= b.row) or (b.lat - a.lat > ORDER_DEGREES and b.row >= a.row):
            problems.append(f"{a.name} và {b.name}: sai thứ tự bắc–nam")
        close_in_lat = abs(a.lat - b.lat) < CELL_DEGREES
        if close_in_lat and (
            (a.lon - b.lon > ORDER_DEGREES and a.col <= b.col) or (b.lon - a.lon > ORDER_DEGREES and b.col <= a.col)
        ):
            problems.append(f"{a.name} và {b.name}: sai thứ tự đông–tây")
    problems += [f"quần đảo {n}: không có đơn vị" for n in layout.islands[layout.islands.parent_id.isna()].archipelago]
    return problems
