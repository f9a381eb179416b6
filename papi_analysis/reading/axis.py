"""Step 1 of reading a scores file: where its units are, found by the values (issue 19, item 1), and what every
other row and column is.

The unit line is the row (among the first SCAN_ROWS) or the column in which the most cells name distinct units
of one set — with or without diacritics, extra spaces, 'TP.'/'Tỉnh' prefixes, English ASCII names — whatever its
header says (a file too small for that falls back to the column headed 'Tỉnh' / 'province'). Then:

- units in rows (one per row): the header is every label row directly above the first unit (at most
  HEADER_ROWS, each labelling a fifth of the columns that hold numbers), read together later; the rows
  above it are title rows or metadata. Below, a row that names no unit is a summary row (highest, lowest, mean …,
  code 999), a repeated header, a note, or — when it holds numbers — a unit whose name the resolver will
  question. Columns: ID, scale, unit, notes, region and a second column of names are recognised and skipped;
  the others are the lines, each labelled by its header cells;
- units in columns (the transposed official sheets): the columns left of the first unit are the label columns
  (a scale, unit or row-number column among them is skipped); a column right of it is a unit, a summary column
  ('Cả nước'), a blank separator or an extra; the rows above are title rows or metadata; a second row of
  names or of province codes below is skipped; every other row below is a line.

Everything skipped is said (ReadingContext.skip). Merged cells that lay one label over several lines holding
values are refused, located: the lines below the first would lose their label.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from papi_analysis.domain import NEW_UNITS, OLD_UNITS
from papi_analysis.files.tabular import Cell, Grid
from papi_analysis.problems import InvalidFile, Problem
from papi_analysis.reading import extras, labels
from papi_analysis.reading.context import COLUMNS, ROWS, ReadingContext

SCAN_ROWS = 40  # the units' row of a transposed sheet is among the first rows (title rows and metadata above it)
MIN_UNITS = 3  # a line naming this many distinct units is the units' line
HEADER_ROWS = 6  # a header on one to three label rows (Vietnamese, English, a code), and a scale and a unit row
_NUMBER_MARKS = set(".,+-eE% \u066b\u066c")  # and the Arabic decimal and thousands separators


def cell_text(value: object) -> str:
    """A cell as text, the same wherever a label or name is read or looked up (a whole float of 1000 or more, as
    a spreadsheet may store a year, without its '.0')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) >= 1000 else repr(value)
    return str(value).replace("\u00a0", " ").strip()


def has_number(value: object) -> bool:
    """A value to read (a number, or text written as one, even with digits that are not ASCII: refused later)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    text = cell_text(value)
    if not any(ch.isdigit() for ch in text) or extras.is_scale(text):  # '1-10' is a scale, not a value
        return False
    return all(ch.isdigit() or ch in _NUMBER_MARKS for ch in text)


def at(cells: list[Cell], j: int) -> Cell:
    return cells[j] if j < len(cells) else None


@dataclass
class Layout:
    """A sheet's cells arranged by what they are (see the module docstring)."""

    grid: Grid
    rows: bool  # units in rows (one per row); False: in columns
    unit_line: int  # units in rows: the column naming them; in columns: the grid row index naming them
    units: list[int]  # units in rows: grid row indexes; in columns: column indexes
    header: list[int]  # units in rows: grid row indexes of the header; in columns: the label column indexes
    lines: list[int]  # units in rows: column indexes; in columns: grid row indexes
    title: list[int] = field(default_factory=list)  # grid row indexes above the table

    @property
    def title_texts(self) -> list[str]:
        return [cell_text(c) for i in self.title for c in self.grid.numbered[i][1] if cell_text(c)]

    @property
    def header_index(self) -> int:
        """The row that names the columns (units in rows) or the units (in columns): truncation is measured on it."""
        return self.header[-1] if self.rows and self.header else self.unit_line if not self.rows else 0


class UnitNames:
    """Which unit a cell names, in either set, each distinct text looked up once."""

    def __init__(self, ctx: ReadingContext):
        self.ref, self.known = ctx.ref, {}

    def ids(self, value: object) -> tuple[str | None, str | None]:
        if not isinstance(value, str):
            return None, None
        text = cell_text(value)
        if text not in self.known:
            plausible = text and not text[0].isdigit() and len(text) <= 80
            found = (self.ref.unit_id(text, OLD_UNITS), self.ref.unit_id(text, NEW_UNITS)) if plausible else (None,) * 2
            self.known[text] = found
        return self.known[text]

    def names(self, value: object) -> bool:
        return any(self.ids(value))

    def distinct(self, values: list[object]) -> int:
        found = [self.ids(v) for v in values]
        return max(len({o for o, _ in found if o}), len({n for _, n in found if n}))

    def same(self, a: object, b: object) -> bool:
        x, y = self.ids(a), self.ids(b)
        return any(u is not None and u == v for u, v in zip(x, y, strict=True))


def _best_row(grid: Grid, names: UnitNames) -> tuple[int, int]:
    counts = [(names.distinct(cells), -i) for i, (_, cells) in enumerate(grid.numbered[:SCAN_ROWS])]
    count, index = max(counts, default=(0, 0))
    return count, -index


def _best_column(grid: Grid, names: UnitNames) -> tuple[int, int]:
    width = max((len(cells) for _, cells in grid.numbered), default=0)
    texts = [[(j, v) for j, v in enumerate(cells) if isinstance(v, str)] for _, cells in grid.numbered]
    by_column: dict[int, list[str]] = {}
    for row in texts:
        for j, value in row:
            by_column.setdefault(j, []).append(value)
    counts = [(names.distinct(by_column.get(j, [])), -j) for j in range(width)]
    count, index = max(counts, default=(0, 0))
    return count, -index


def _province_header(grid: Grid) -> tuple[int, int] | None:
    """(row index, column) of the first 'Tỉnh' / 'province' header among the first rows, if any."""
    for i, (_, cells) in enumerate(grid.numbered[:SCAN_ROWS]):
        for j, value in enumerate(cells):
            role = labels.role_of(cell_text(value))
            if role is not None and role.kind == "province":
                return i, j
    return None


def find(grid: Grid, ctx: ReadingContext) -> Layout:
    """The sheet's layout (see the module docstring)."""
    if not grid.numbered:
        raise InvalidFile([ctx.where().problem("Tệp rỗng: không có dòng dữ liệu nào.")])
    names = UnitNames(ctx)
    chosen = ctx.choices.units_in
    row_count, row = _best_row(grid, names) if chosen != ROWS else (0, 0)
    column_count, column = _best_column(grid, names) if chosen != COLUMNS else (0, 0)
    if max(row_count, column_count) >= MIN_UNITS or (chosen and max(row_count, column_count) > 0):
        if row_count > column_count:
            layout = _in_columns(grid, row, ctx, names)
        else:
            first = next(i for i, (_, cells) in enumerate(grid.numbered) if names.names(at(cells, column)))
            layout = _in_rows(grid, column, first, ctx, names)
    elif (found := _province_header(grid)) is not None and chosen != COLUMNS:
        layout = _in_rows(grid, found[1], found[0] + 1, ctx, names)
    elif len(grid.numbered) < 2 or max(sum(1 for c in cells if cell_text(c)) for _, cells in grid.numbered) < 2:
        message = "Tệp không có dạng bảng: cần một dòng tiêu đề (ít nhất 2 cột) và các dòng dữ liệu bên dưới."
        raise InvalidFile([ctx.where().problem(message)])
    else:
        message = (
            "Không tìm thấy cột tỉnh (tiêu đề 'province' hoặc 'Tỉnh'), cũng không có dòng hay cột nào ghi tên các "
            "tỉnh, thành phố."
        )
        raise InvalidFile([ctx.where().problem(message)])
    problems = _merged_problems(layout, ctx) + _long_rows(layout, ctx) + grid.truncation(layout.header_index)
    if problems:
        raise InvalidFile(problems)
    return layout


# --- units in rows ---------------------------------------------------------------------------------
def _number_columns(grid: Grid, rows: list[int], unit_column: int) -> list[int]:
    width = max((len(grid.numbered[i][1]) for i in rows), default=0)
    sample = rows[:200]
    return [j for j in range(width) if j != unit_column and any(has_number(at(grid.numbered[i][1], j)) for i in sample)]


def _table_start(grid: Grid, first: int, numeric: list[int]) -> tuple[list[int], int]:
    """(the header rows, the first data row): above the first known unit, rows mostly of numbers are data too
    (a unit whose name is misspelt); above them, the label rows: each labels a fifth of the columns that hold
    numbers (at least two; a code row labels only the scores), and is not mostly numbers."""
    needed = max(1, math.ceil(0.5 * len(numeric)))
    labelled = min(len(numeric), max(2, math.ceil(0.2 * len(numeric))))

    def counts(i: int) -> tuple[int, int]:
        cells = grid.numbered[i][1]
        return sum(1 for j in numeric if cell_text(at(cells, j))), sum(1 for j in numeric if has_number(at(cells, j)))

    start = first
    while numeric and start > 0 and counts(start - 1)[1] >= needed:
        start -= 1
    if start == 0:
        return [], 0
    if not numeric:
        return [start - 1], start
    header: list[int] = []
    for i in range(start - 1, max(-1, start - 1 - HEADER_ROWS), -1):
        filled, numbers = counts(i)
        if filled < max(1, labelled) or numbers * 2 >= filled:
            break
        header.insert(0, i)
    return header or [start - 1], start


def _say_title(grid: Grid, rows: list[int], ctx: ReadingContext, names: UnitNames, unit_cells: list[Cell]) -> None:
    for i in rows:
        number, cells = grid.numbered[i]
        texts = [cell_text(c) for c in cells if cell_text(c)]
        if sum(1 for a, b in zip(cells, unit_cells, strict=False) if names.same(a, b)) * 2 >= max(1, len(unit_cells)):
            why = extras.WHY[extras.NAMES]
        else:
            why = "dòng tiêu đề" if len(texts) <= 1 else "khối thông tin phía trên bảng"
        ctx.skip(f"dòng {number}", texts[0] if texts else "", why)


def _in_rows(grid: Grid, column: int, first: int, ctx: ReadingContext, names: UnitNames) -> Layout:
    numbered = grid.numbered
    numeric = _number_columns(grid, list(range(first, len(numbered))), column)
    header, start = _table_start(grid, first, numeric)
    candidates = list(range(start, len(numbered)))
    _say_title(grid, list(range(header[0] if header else first)), ctx, names, [])
    kinds = _column_kinds(grid, column, header, candidates, numeric, ctx, names)
    lines = [j for j, kind in kinds.items() if kind is None]
    units = _unit_rows(grid, column, candidates, lines, kinds, ctx, names)
    return Layout(grid, True, column, units, header, lines, title=list(range(header[0] if header else first)))


def _column_kinds(grid, column, header, rows, numeric, ctx, names) -> dict[int, str | None]:
    """Each column but the units' one: None for a line, else what it is (extras), said when skipped."""
    numbered, kinds, separators = grid.numbered, {}, []
    width = max([len(numbered[i][1]) for i in [*header, *rows]], default=0)
    last = max(numeric, default=-1)
    for j in range(width):
        if j == column:
            continue
        texts = [cell_text(at(numbered[h][1], j)) for h in header]
        cells = [at(numbered[i][1], j) for i in rows]
        kind = _column_kind(texts, cells, j in numeric, column, rows, grid, ctx, names)
        kinds[j] = kind
        if kind == extras.SEPARATOR:
            if j < last:
                separators.append(get_column_letter(j + 1))
        elif kind is not None:
            ctx.skip(f"cột {get_column_letter(j + 1)}", next((t for t in texts if t), ""), extras.WHY[kind])
    if separators:
        ctx.skip("cột " + ", ".join(separators), "", extras.WHY[extras.SEPARATOR])
    return kinds


def _column_kind(texts, cells, numeric, column, rows, grid, ctx, names) -> str | None:
    label = [t for t in texts if t]
    if not label and not any(cell_text(c) for c in cells):
        return extras.SEPARATOR
    by_header = next((k for t in label if (k := extras.header_kind(t))), None)
    if by_header is not None:
        return by_header
    own = [at(grid.numbered[i][1], column) for i in rows]
    if sum(1 for a, b in zip(cells, own, strict=True) if names.same(a, b)) * 2 >= max(1, len(own)) and own:
        return extras.NAMES
    if label and labels.read_line(label, ctx).target is not None:
        return None
    by_content = extras.content_kind([cell_text(c) for c in cells])
    return by_content if numeric or by_content in (extras.SCALE, extras.UNIT) else None


def _unit_rows(grid, column, rows, lines, kinds, ctx, names) -> list[int]:
    """The rows holding a unit (see the module docstring); the others said."""
    numbered, units = grid.numbered, []
    ids = [j for j, kind in kinds.items() if kind == extras.ID]
    for i in rows:
        number, cells = numbered[i]
        name = at(cells, column)
        if ctx.chosen_skip(row=number):
            ctx.skip(f"dòng {number}", cell_text(name), "người tải lên chọn bỏ qua")
            continue
        if names.names(name):
            units.append(i)
            continue
        texts = [cell_text(at(cells, j)) for j in [column, *ids]] + [cell_text(c) for c in cells if isinstance(c, str)]
        said = next((t for t in texts if t), "")
        if any(extras.is_summary(t) for t in texts if t):
            ctx.skip(f"dòng {number}", said, extras.WHY[extras.SUMMARY])
        elif not any(has_number(at(cells, j)) for j in lines):
            if said:
                repeated = labels.role_of(cell_text(name)) is not None
                ctx.skip(f"dòng {number}", said, "dòng tiêu đề lặp lại" if repeated else "dòng không có số liệu")
        else:
            units.append(i)  # an unknown or missing name: the resolver says which, with suggestions
    return units


# --- units in columns ------------------------------------------------------------------------------
def _in_columns(grid: Grid, row: int, ctx: ReadingContext, names: UnitNames) -> Layout:
    numbered = grid.numbered
    head = numbered[row][1]
    below = list(range(row + 1, len(numbered)))
    width = max((len(cells) for _, cells in numbered), default=0)
    first = next(j for j, value in enumerate(head) if names.names(value))
    units, label_columns, separators = [], [], []
    for j in range(width):
        text = cell_text(at(head, j))
        cells = [at(numbered[i][1], j) for i in below]
        kind = _unit_column(j, text, cells, first, ctx, names)
        if kind == "unit":
            units.append(j)
        elif kind == "label":
            label_columns.append(j)
        elif kind == extras.SEPARATOR:
            separators.append(get_column_letter(j + 1))
        elif kind is not None:
            ctx.skip(f"cột {get_column_letter(j + 1)}", text, kind)
    if separators:
        ctx.skip("cột " + ", ".join(separators), "", extras.WHY[extras.SEPARATOR])
    label_columns = _without_ids(grid, label_columns, below, ctx)
    unit_cells = [at(head, j) for j in units]
    _say_title(grid, list(range(row)), ctx, names, [at(head, j) if j in units else None for j in range(len(head))])
    lines = _unit_lines(grid, below, units, label_columns, unit_cells, ctx, names)
    return Layout(grid, False, row, units, label_columns, lines, title=list(range(row)))


def _unit_column(j, text, cells, first, ctx, names) -> str | None:
    """'unit', 'label', SEPARATOR, or why it is skipped (None: nothing to say)."""
    if names.names(text):
        return "người tải lên chọn bỏ qua" if ctx.chosen_skip(column=j + 1) else "unit"
    values = any(has_number(c) for c in cells)
    texts = [cell_text(c) for c in cells]
    if ctx.chosen_skip(column=j + 1):
        return "người tải lên chọn bỏ qua"
    if (kind := extras.header_kind(text)) is not None:
        return extras.WHY[kind]
    if j < first:
        kind = extras.content_kind(texts)
        return extras.WHY[kind] if kind in (extras.SCALE, extras.UNIT) else "label" if any(texts) else None
    if not text and not values:
        return extras.SEPARATOR if not any(texts) else "cột không có số liệu"
    if extras.is_summary(text):
        return "cột tổng hợp (không phải một tỉnh, thành phố)"
    if values:
        return "unit"  # an unknown or missing name: the resolver says which, with suggestions
    return "cột không có số liệu"


def _without_ids(grid: Grid, columns: list[int], below: list[int], ctx: ReadingContext) -> list[int]:
    """A row-number column among several label columns (STT 1, 2, 3 …) is not a label."""
    if len(columns) < 2:
        return columns
    kept = []
    for j in columns:
        texts = [cell_text(at(grid.numbered[i][1], j)) for i in below]
        if extras.content_kind(texts) == extras.ID and len(kept) + len(columns) - columns.index(j) > 1:
            ctx.skip(f"cột {get_column_letter(j + 1)}", "", extras.WHY[extras.ID])
            continue
        kept.append(j)
    return kept


def _unit_lines(grid, below, units, label_columns, unit_cells, ctx, names) -> list[int]:
    """The rows below the units' row, but a second row of names or of unit codes (said)."""
    lines = []
    for i in below:
        number, cells = grid.numbered[i]
        values = [at(cells, j) for j in units]
        texts = [cell_text(at(cells, j)) for j in label_columns]
        said = next((t for t in texts if t), "")
        named = any(isinstance(v, str) for v in values)  # a row of numbers names no unit: not compared
        if named and sum(1 for a, b in zip(values, unit_cells, strict=True) if names.same(a, b)) * 2 >= max(
            1, len(units)
        ):
            ctx.skip(f"dòng {number}", said, extras.WHY[extras.NAMES])
        elif any(extras.header_kind(t) == extras.ID for t in texts) or (
            not said and extras.content_kind([cell_text(v) for v in values]) == extras.ID
        ):
            ctx.skip(f"dòng {number}", said, "mã tỉnh, thành phố, không phải số liệu")
        else:
            lines.append(i)
    return lines


# --- checks of the layout --------------------------------------------------------------------------
def _merged_problems(layout: Layout, ctx: ReadingContext) -> list[Problem]:
    """A merged range laying one label (or value) over several lines or units that hold values."""
    grid = layout.grid
    if not grid.merged:
        return []
    numbers = [number for number, _ in grid.numbered]
    index = {number: i for i, number in enumerate(numbers)}
    problems = []
    for merged in grid.merged:
        rows = [index[n] for n in range(merged.rows[0], merged.rows[1] + 1) if n in index]
        columns = list(range(merged.columns[0] - 1, merged.columns[1]))
        lines, units = (columns, rows) if layout.rows else (rows, columns)
        lines_hit = [x for x in lines if x in set(layout.lines) and _has_values(layout, x)]
        units_hit = [x for x in units if x in set(layout.units)]
        over_labels = len(lines_hit) >= 2 and (units_hit or _in_labels(layout, units))
        over_units = len(units_hit) >= 2 and (lines_hit or layout.unit_line in lines)
        if over_labels or over_units:
            message = (
                f"Ô gộp {merged.ref} trải trên nhiều dòng/cột có số liệu: nhãn (hoặc giá trị) của ô gộp chỉ thuộc "
                "ô đầu tiên, các dòng/cột còn lại sẽ mất nhãn. Hãy bỏ gộp ô (Unmerge), ghi nhãn cho từng dòng rồi "
                "tải lại."
            )
            top_left = merged.ref.split(":")[0]
            problems.append(ctx.where(row=merged.rows[0], cell=top_left).problem(message))
    return problems


def _in_labels(layout: Layout, units_side: list[int]) -> bool:
    """Does the range's other extent cross the label cells (the header rows, or the label columns)?"""
    return bool(set(units_side) & set(layout.header))


def _has_values(layout: Layout, line: int) -> bool:
    numbered = layout.grid.numbered
    if layout.rows:
        return any(has_number(at(numbered[i][1], line)) for i in layout.units)
    return any(has_number(at(numbered[line][1], j)) for j in layout.units)


def _long_rows(layout: Layout, ctx: ReadingContext) -> list[Problem]:
    """In a CSV with units in rows, a row with more filled cells than the header has columns (a separator too
    many: its values would shift)."""
    grid = layout.grid
    if grid.excel or not layout.rows or not layout.header:
        return []
    width = 0
    for h in layout.header:  # the widest header row: a notes column may be named on one row only
        header = grid.numbered[h][1]
        filled = [j for j, c in enumerate(header) if cell_text(c)]
        width = max(width, filled[-1] + 1 if filled else 0)
    problems = []
    for i in layout.units:
        number, cells = grid.numbered[i]
        extra = [c for c in cells[width:] if cell_text(c)]
        if extra:
            message = f"Dòng có {width + len(extra)} ô, nhiều hơn {width} cột tiêu đề."
            problems.append(ctx.where(row=number).problem(message))
    return problems
