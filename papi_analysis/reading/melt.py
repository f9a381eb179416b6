"""Step 2 of reading a scores file: the source's values as long cells, one per (unit, line), with where each
was read. Wide and transposed tables are melted; the long layout is already long. Bounds written relative to
the score before them ('ci_low') are resolved to the measure they bound ('ci_low:D1').

Nothing is parsed here: cells keep their text; units keep their name (resolve.py reads both).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from openpyxl.utils import get_column_letter

from papi_analysis.domain import TOTAL
from papi_analysis.problems import Problem, Where
from papi_analysis.reading.labels import BOUNDS, IGNORE, INDICATOR, ROLES, UNREAD
from papi_analysis.reading.layout import Source, cell_text
from papi_analysis.reading.mapping import LONG, Line, Mapping

CELL_COLUMNS = ["unit_key", "line", "target", "text", "src_row", "src_column", "src_cell"]
UNIT_COLUMNS = ["unit_key", "name", "year_text", "src_row", "src_column", "src_cell", "year_column", "year_cell"]


@dataclass
class Melted:
    cells: pd.DataFrame  # CELL_COLUMNS; target: a measure code, 'ci_low:D1', or 'indicator'
    units: pd.DataFrame  # UNIT_COLUMNS: one row per source unit (a row, or a column), its name as written
    blank_totals: dict = field(default_factory=dict)  # unit key -> (row, column, cell) of its blank aggregate
    problems: list[tuple[int | None, Problem]] = field(default_factory=list)  # (unit key, problem)


def resolved_targets(mapping: Mapping, file: str) -> tuple[dict[int, str], list[Problem]]:
    """Each read line's target (Mapping.resolved); a bound with no score line before it is a problem."""
    targets, orphans = mapping.resolved()
    message = "'{}' là cận hoặc sai số nhưng không có dòng điểm nào phía trên nó."
    return targets, [Where(file, column=ln.where).problem(message.format(ln.label)) for ln in orphans]


def _columns(source: Source, mapping: Mapping) -> Melted:
    """Provinces in columns: one cell per read row and province column."""
    grid, header_row = source.grid, source.grid.numbered[source.header]
    targets, problems = resolved_targets(mapping, grid.file)
    units = []
    names = {j: cell_text(header_row[1][j]) for j in source.unit_columns}
    for j in source.unit_columns:
        ref = f"{get_column_letter(j + 1)}{header_row[0]}" if grid.excel else None
        units.append((j, names[j], None, header_row[0], names[j], ref, None, None))
    cells, blank_totals = [], {}
    for position, target in targets.items():
        row, values = grid.numbered[position]
        for j in source.unit_columns:
            text = cell_text(values[j]) if j < len(values) else ""
            ref = f"{get_column_letter(j + 1)}{row}" if grid.excel else None
            if not text:
                if target == TOTAL:
                    blank_totals[j] = (row, names[j], ref)
                continue
            cells.append((j, position, target, text, row, names[j], ref))
    return Melted(_frame(cells, CELL_COLUMNS), _frame(units, UNIT_COLUMNS), blank_totals, [(None, p) for p in problems])


def _rows(source: Source, mapping: Mapping) -> Melted:
    """Provinces in rows (wide): one cell per row and read column."""
    table = source.table
    targets, problems = resolved_targets(mapping, table.file)
    roles = {line.target: line.position for line in mapping.lines if line.target in ROLES}
    cells, units, blank_totals = [], [], {}
    for i, values in enumerate(table.rows):
        units.append(_unit(table, i, roles))
        for j, target in targets.items():
            text = cell_text(values[j])
            if not text:
                if target == TOTAL:
                    blank_totals[i] = (table.row_numbers[i], table.header[j], table.cell_ref(i, j))
                continue
            cells.append((i, j, target, text, table.row_numbers[i], table.header[j], table.cell_ref(i, j)))
    return Melted(_frame(cells, CELL_COLUMNS), _frame(units, UNIT_COLUMNS), blank_totals, [(None, p) for p in problems])


def _unit(table, i: int, roles: dict[str, int]) -> tuple:
    province, year = roles.get("province"), roles.get("year")
    name = cell_text(table.rows[i][province]) if province is not None else ""
    year_text = cell_text(table.rows[i][year]) if year is not None else None
    where = table.where(i, province) if province is not None else Where(table.file, row=table.row_numbers[i])
    year_where = table.where(i, year) if year is not None else where
    return (i, name, year_text, where.row, where.column, where.cell, year_where.column, year_where.cell)


def _long(source: Source, mapping: Mapping, roles: dict[str, int]) -> Melted:
    """The long layout: each row's value under its measure line's target; its bounds beside it."""
    table = source.table
    by_label = {line.label: line for line in mapping.lines}
    cells, units, problems = [], [], []
    for i, values in enumerate(table.rows):
        units.append(_unit(table, i, roles))
        label = cell_text(values[roles["measure"]])
        line: Line | None = by_label.get(label)
        where = table.where(i, roles["measure"])
        if line is None or line.target == UNREAD:
            message = "Không nhận ra chỉ số (cần D1…D8, TOTAL, mã như D5.3 hoặc tên chỉ số)."
            problems.append((i, where.problem(message, label)))
            continue
        if line.target == IGNORE:
            continue
        text = cell_text(values[roles["value"]])
        value_where = table.where(i, roles["value"])
        if not text:
            problems.append((i, value_where.problem("Thiếu giá trị.")))
            continue
        cells.append((i, line.position, line.target, text, value_where.row, value_where.column, value_where.cell))
        for kind in BOUNDS if line.target != INDICATOR else ():
            j = roles.get(kind)
            if j is not None and (bound := cell_text(values[j])):
                w = table.where(i, j)
                cells.append((i, line.position, f"{kind}:{line.target}", bound, w.row, w.column, w.cell))
    return Melted(_frame(cells, CELL_COLUMNS), _frame(units, UNIT_COLUMNS), {}, problems)


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=columns)
    return frame.astype({c: object for c in columns if c in ("text", "name", "year_text", "src_cell")})


def melt(source: Source, mapping: Mapping, long_roles: dict[str, int] | None = None) -> Melted:
    """Step 2: the source as long cells (see the module docstring)."""
    if source.columns:
        return _columns(source, mapping)
    if mapping.layout == LONG:
        return _long(source, mapping, long_roles or {})
    return _rows(source, mapping)
