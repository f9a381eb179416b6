"""Step 1 of reading a scores file: recognise its layout and read the label of each row or column.

- Provinces in rows (our long and wide layouts, and the official 2011–2017 workbooks): the header is the first
  row, or — after title rows — the first row of the first rows that names a province column.
- Provinces in columns (the official workbooks from 2018): the row, among the first rows, that holds the most
  province names (at least MIN_UNITS_IN_ROW); the columns left of the first province are the row labels
  (a code, Vietnamese and/or English).
The lines (mapping.Line) are then read from the labels (labels.read_line); the layout's kind follows from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from openpyxl.utils import get_column_letter

from papi_analysis.files.tabular import Grid, Table, to_table
from papi_analysis.names import plain, slugify
from papi_analysis.problems import InvalidFile, Where
from papi_analysis.reading import labels
from papi_analysis.reading.labels import IGNORE, NOT_UNITS, UNREAD, Reading
from papi_analysis.reading.mapping import LONG, OFFICIAL_COLUMNS, OFFICIAL_ROWS, WIDE, Line, Mapping, target_kind
from papi_analysis.reference import Reference

SCAN_ROWS = 30  # title rows come first; the header or the provinces' row is among the first rows
MIN_UNITS_IN_ROW = 3  # a row naming this many provinces is the provinces' row of a transposed sheet


@dataclass
class Source:
    """A file's cells arranged by its recognised layout (before the lines are read)."""

    grid: Grid
    columns: bool  # provinces in columns
    header: int  # index in grid.numbered of the header row (rows) or of the provinces' row (columns)
    table: Table | None = None  # provinces in rows: header + rows below it
    label_columns: list[int] = field(default_factory=list)  # provinces in columns: the label cells
    unit_columns: list[int] = field(default_factory=list)  # provinces in columns: columns naming a unit
    notes: list[str] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.grid.file

    @property
    def title_rows(self) -> list[list[Any]]:
        return [cells for _, cells in self.grid.numbered[: self.header]]


def cell_text(value: object) -> str:
    """A cell as text, the same wherever a label or name is read or looked up (a whole float of 1000 or more, as
    a spreadsheet may store a year, without its '.0')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) >= 1000 else repr(value)
    return str(value).replace("\u00a0", " ").strip()


def _is_unit(text: str, ref: Reference) -> bool:
    return bool(text) and bool(ref.names.unit_sets_of(text))


def _unit_row(numbered: list, ref: Reference) -> int | None:
    """The first of the first rows that names at least MIN_UNITS_IN_ROW provinces."""
    for index, (_, cells) in enumerate(numbered[:SCAN_ROWS]):
        texts = [cell_text(c) for c in cells if isinstance(c, str)]
        if sum(_is_unit(t, ref) for t in texts) >= MIN_UNITS_IN_ROW:
            return index
    return None


def _header_row(numbered: list) -> int:
    """The first of the first rows with a province column; without one, the first row of at least two cells
    (after a title), so that the reader says what is missing from the table rather than that there is none."""
    for index, (_, cells) in enumerate(numbered[:SCAN_ROWS]):
        if any(labels.role_of(cell_text(c)) == "province" for c in cells):
            return index
    wide = [i for i, (_, cells) in enumerate(numbered[:SCAN_ROWS]) if sum(1 for c in cells if cell_text(c)) >= 2]
    return wide[0] if wide else 0


def _columns_source(grid: Grid, header: int, ref: Reference) -> Source:
    _, cells = grid.numbered[header]
    texts = [cell_text(c) for c in cells]
    units = [j for j, t in enumerate(texts) if _is_unit(t, ref)]
    source = Source(grid=grid, columns=True, header=header, label_columns=list(range(units[0])), unit_columns=units)
    for j in range(units[0], len(texts)):
        if j in units or not texts[j]:
            continue
        if plain(texts[j]) in NOT_UNITS:
            source.notes.append(f"Bỏ qua cột '{texts[j]}' (không phải một tỉnh, thành phố).")
            continue
        source.unit_columns.append(j)  # an unknown name: a problem, with suggestions, when names are resolved
    source.unit_columns.sort()
    return source


def recognise(grid: Grid, ref: Reference) -> Source:
    """The layout of a file or sheet (see the module docstring)."""
    numbered = grid.numbered
    if not numbered:
        raise InvalidFile([Where(grid.file).problem("Tệp rỗng: không có dòng dữ liệu nào.")])
    first = [cell_text(c) for c in numbered[0][1]]
    if not any(labels.role_of(t) == "province" for t in first):
        unit_row = _unit_row(numbered, ref)
        if unit_row is not None:
            if cut := grid.truncation(unit_row):
                raise InvalidFile(cut)
            return _columns_source(grid, unit_row, ref)
    header = _header_row(numbered)
    rows = replace(grid, numbered=numbered[header:], problems=grid.truncation(header))
    return Source(grid=grid, columns=False, header=header, table=to_table(rows))


# --- the lines ---------------------------------------------------------------------------------------
def _indicator_code(reading: Reading, parent: str | None, taken: set[str]) -> str:
    """The indicator's code as written in its label ('d101'), else one made from its parent and name."""
    base = reading.code or f"{parent or 'papi'}-{slugify(reading.name_vi or reading.name_en or 'chi-tieu')[:48]}"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


def _line(position: int, where: str, texts: list[str], reading: Reading, has_values: bool) -> Line:
    target = reading.target or UNREAD
    recognised = reading.target is not None
    note = reading.note or ("" if recognised or not has_values else "không nhận ra nhãn này: chưa đọc (chọn cách đọc)")
    return Line(
        position=position,
        where=where,
        label=" | ".join(t for t in texts if t),
        automatic=target,
        target=target,
        recognised=recognised,
        note=note,
        name_vi=reading.name_vi,
        name_en=reading.name_en,
        unit=reading.unit,
        has_values=has_values,
    )


def _with_codes(lines: list[Line], readings: list[Reading]) -> list[Line]:
    """Indicator codes, and the parent measure (the nearest dimension or sub-dimension before) of each."""
    parent, taken, out = None, set(), []
    for line, reading in zip(lines, readings, strict=True):
        if target_kind(line.automatic) in ("dimension", "subdimension"):  # not a bound of one ('ci_low:D1.1')
            parent = line.automatic
        code = _indicator_code(reading, parent, taken)  # used if the line is (or is chosen to be) an indicator
        out.append(Line(**{**line.__dict__, "code": code, "parent": parent}))
    return out


def _has_number(value: object) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    text = cell_text(value)
    return bool(text) and any(ch.isdigit() for ch in text)


def _column_lines(source: Source, ref: Reference) -> Mapping:
    lines, readings, known = [], [], {}
    for index in range(source.header + 1, len(source.grid.numbered)):
        row, cells = source.grid.numbered[index]
        texts = [cell_text(cells[j]) if j < len(cells) else "" for j in source.label_columns]
        values = any(_has_number(cells[j]) for j in source.unit_columns if j < len(cells))
        if not any(texts) and not values:
            continue
        if tuple(texts) not in known:  # the CI rows repeat the same labels under every score
            known[tuple(texts)] = labels.read_line(texts, ref, roles=False)
        reading = known[tuple(texts)]
        if reading.target is None and not values:  # a section heading ('PHẦN 1'): nothing to read
            reading = Reading(IGNORE, note="tiêu đề mục, không có số liệu")
        readings.append(reading)
        lines.append(_line(index, f"dòng {row}", texts, reading, values))
    return Mapping(OFFICIAL_COLUMNS, tuple(_with_codes(lines, readings)))


def _long_lines(table: Table, measure: int, ref: Reference) -> Mapping:
    counts: dict[str, int] = {}
    for cells in table.rows:
        text = cell_text(cells[measure])
        if text:
            counts[text] = counts.get(text, 0) + 1
    readings = [labels.read_label(t, ref, roles=False) for t in counts]
    lines = [_line(n, f"{counts[t]} dòng", [t], r, True) for n, (t, r) in enumerate(zip(counts, readings, strict=True))]
    return Mapping(LONG, tuple(_with_codes(lines, readings)))


def _row_lines(source: Source, ref: Reference) -> Mapping:
    table = source.table
    readings = [labels.read_label(h, ref, roles=True) for h in table.header]
    targets = [r.target for r in readings]
    if "measure" in targets and "value" in targets:
        return _long_lines(table, targets.index("measure"), ref)
    lines = []
    for j, (header, reading) in enumerate(zip(table.header, readings, strict=True)):
        values = any(cell_text(cells[j]) for cells in table.rows)
        where = f"cột {get_column_letter(j + 1)}"
        lines.append(_line(j, where, [header], reading, values and bool(header)))
    official = source.header > 0 or any(r.official for r in readings)
    return Mapping(OFFICIAL_ROWS if official else WIDE, tuple(_with_codes(lines, readings)))


def read_lines(source: Source, ref: Reference) -> Mapping:
    """Step 1b: every line of the source with what the reader proposes it is."""
    return _column_lines(source, ref) if source.columns else _row_lines(source, ref)
