"""Step 2 of reading a scores file: a sheet's values as long cells, one per (unit, line), with where each was
read. Wide and transposed tables are melted; the long layout is already long. Bounds written relative to the
score before them ('ci_low') are resolved to the measure they bound ('ci_low:D1', Mapping.resolved).

Nothing is parsed here: cells keep their text; units keep their name (resolve.py reads both). An empty cell is
no cell: PAPI did not publish it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from openpyxl.utils import get_column_letter

from papi_analysis.problems import Problem
from papi_analysis.reading.axis import Layout, at, cell_text
from papi_analysis.reading.context import ReadingContext
from papi_analysis.reading.layout import long_table
from papi_analysis.reading.line_targets import BOUND_TARGETS, IGNORED, INDICATOR, UNREAD_TARGET, Target
from papi_analysis.reading.mapping import LONG, Line, Mapping
from papi_analysis.reading.structure import long_roles

CELL_COLUMNS = ["unit_key", "line", "kind", "measure", "text", "src_sheet", "src_row", "src_column", "src_cell"]
UNIT_COLUMNS = [
    "unit_key",
    "name",
    "year_text",
    "src_row",
    "src_column",
    "src_cell",
    "year_column",
    "year_cell",
    "src_sheet",
]
SHEET_KEYS = 1_000_000  # unit keys of the n-th sheet read start at n × SHEET_KEYS (rows and columns are fewer)


@dataclass
class Melted:
    cells: pd.DataFrame  # CELL_COLUMNS; kind: 'score', a bound's key or 'indicator'; measure: the code it is of
    units: pd.DataFrame  # UNIT_COLUMNS: one row per source unit (a row, or a column), its name as written
    problems: list[tuple[int | None, Problem]] = field(default_factory=list)  # (unit key, problem)


def _orphans(mapping: Mapping, ctx: ReadingContext) -> list[tuple[int | None, Problem]]:
    _, orphans = mapping.resolved()
    message = "'{}' là cận hoặc sai số nhưng không có dòng điểm nào phía trên nó."
    return [(None, ctx.where(column=ln.where).problem(message.format(ln.label))) for ln in orphans]


def _cell(key: int, line: int, target: Target, text: str, sheet, row: int, column: str, ref: str | None) -> tuple:
    return (key, line, target.kind, target.of, text, sheet, row, column, ref)


def _columns(layout: Layout, mapping: Mapping, ctx: ReadingContext, base: int) -> Melted:
    """Units in columns: one cell per read row and unit column."""
    grid, (header_row, head) = layout.grid, layout.grid.numbered[layout.unit_line]
    targets, _ = mapping.resolved()
    names = {j: cell_text(at(head, j)) for j in layout.units}
    units = []
    for j in layout.units:
        ref = f"{get_column_letter(j + 1)}{header_row}" if grid.excel else None
        units.append((base + j, names[j], None, header_row, names[j], ref, None, None, ctx.sheet))
    cells = []
    for (_, position), target in targets.items():
        row, values = grid.numbered[position]
        for j in layout.units:
            if text := cell_text(at(values, j)):
                ref = f"{get_column_letter(j + 1)}{row}" if grid.excel else None
                cells.append(_cell(base + j, position, target, text, ctx.sheet, row, names[j], ref))
    return Melted(_frame(cells, CELL_COLUMNS), _frame(units, UNIT_COLUMNS), _orphans(mapping, ctx))


def _unit(layout: Layout, i: int, year: int | None, labels: dict[int, str]) -> tuple:
    grid = layout.grid
    number, cells = grid.numbered[i]
    column = layout.unit_line
    letters = (lambda j: f"{get_column_letter(j + 1)}{number}") if grid.excel else (lambda j: None)
    year_text = cell_text(at(cells, year)) if year is not None else None
    where = (number, labels.get(column, "province"), letters(column))
    year_where = (labels.get(year), letters(year)) if year is not None else (where[1], where[2])
    return (i, cell_text(at(cells, column)), year_text, *where, *year_where)


def _rows(layout: Layout, mapping: Mapping, ctx: ReadingContext, base: int) -> Melted:
    """Units in rows (wide, or the official summary tables): one cell per unit row and read column."""
    grid = layout.grid
    targets, _ = mapping.resolved()
    labels = {ln.position: ln.label for ln in mapping.lines}
    labels[layout.unit_line] = " | ".join(
        t for h in layout.header if (t := cell_text(at(grid.numbered[h][1], layout.unit_line)))
    )
    year = next((ln.position for ln in mapping.lines if ln.target == Target("year")), None)
    units, cells = [], []
    for i in layout.units:
        unit = _unit(layout, i, year, labels)
        units.append((base + i, *unit[1:], ctx.sheet))
        number, values = grid.numbered[i]
        for (_, j), target in targets.items():
            if text := cell_text(at(values, j)):
                ref = f"{get_column_letter(j + 1)}{number}" if grid.excel else None
                cells.append(_cell(base + i, j, target, text, ctx.sheet, number, labels[j], ref))
    return Melted(_frame(cells, CELL_COLUMNS), _frame(units, UNIT_COLUMNS), _orphans(mapping, ctx))


def _long(layout: Layout, mapping: Mapping, ctx: ReadingContext, base: int) -> Melted:
    """The long layout: each row's value under its measure line's target; its bounds beside it."""
    table, roles = long_table(layout), long_roles(layout)
    by_label: dict[str, Line] = {line.label: line for line in mapping.lines}
    cells, units, problems = [], [], []
    for i, values in enumerate(table.rows):
        where = table.where(i, roles.get("province"))
        year_where = table.where(i, roles["year"]) if "year" in roles else where
        name = cell_text(values[roles["province"]]) if "province" in roles else ""
        year_text = cell_text(values[roles["year"]]) if "year" in roles else None
        places = (where.row, where.column, where.cell, year_where.column, year_where.cell)
        units.append((base + i, name, year_text, *places, ctx.sheet))
        label = cell_text(values[roles["measure"]])
        line = by_label.get(label)
        if line is None or line.target == UNREAD_TARGET:
            message = "Không nhận ra chỉ số (cần D1…D8, TOTAL, mã như D5.3 hoặc tên chỉ số)."
            problems.append((base + i, ctx.where(where.row, table.header[roles["measure"]]).problem(message, label)))
            continue
        if line.target == IGNORED or not (text := cell_text(values[roles["value"]])):
            continue  # an empty value: not published
        w = table.where(i, roles["value"])
        cells.append(_cell(base + i, line.position, line.target, text, ctx.sheet, w.row, w.column, w.cell))
        for bound in BOUND_TARGETS if line.target.kind != INDICATOR else ():
            j = roles.get(bound.kind)
            if j is not None and (text := cell_text(values[j])):
                w = table.where(i, j)
                target = bound.of_measure(str(line.target.of))
                cells.append(_cell(base + i, line.position, target, text, ctx.sheet, w.row, w.column, w.cell))
    return Melted(_frame(cells, CELL_COLUMNS), _frame(units, UNIT_COLUMNS), problems)


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=columns)
    texts = ("text", "name", "year_text", "src_cell", "measure", "kind", "src_sheet", "src_column")
    return frame.astype({c: object for c in columns if c in texts})


def melt(layout: Layout, mapping: Mapping, ctx: ReadingContext, sheet_number: int = 0) -> Melted:
    """Step 2: the sheet as long cells (see the module docstring)."""
    base = sheet_number * SHEET_KEYS
    if not layout.rows:
        return _columns(layout, mapping, ctx, base)
    if mapping.layout == LONG:
        return _long(layout, mapping, ctx, base)
    return _rows(layout, mapping, ctx, base)
