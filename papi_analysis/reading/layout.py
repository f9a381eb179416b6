"""Step 1b of reading a scores file: every line of a sheet laid out by axis.find, with what its label cells say
(labels.read_line: the header rows of a column, or the label columns of a row, read together; a Vietnamese and
an English label that agree are one reading, that disagree are listed). The layout's kind follows:

- units in rows, with header columns 'measure' and 'value': the long layout, one line per distinct measure label;
- units in rows otherwise: our wide layout, or the summary tables PAPI published for 2011–2017 (title rows, a
  header on several rows, or the official spellings of labels);
- units in columns: the indicator tables PAPI publishes from 2018.
"""

from __future__ import annotations

from dataclasses import replace

from openpyxl.utils import get_column_letter

from papi_analysis.files.tabular import Table, to_table
from papi_analysis.names import slugify
from papi_analysis.reading import labels
from papi_analysis.reading.axis import Layout, at, cell_text, has_number
from papi_analysis.reading.context import Location, ReadingContext
from papi_analysis.reading.labels import Reading
from papi_analysis.reading.line_targets import IGNORED, UNREAD_TARGET
from papi_analysis.reading.mapping import LONG, OFFICIAL_COLUMNS, OFFICIAL_ROWS, WIDE, Line, Mapping


def long_table(layout: Layout) -> Table:
    """The long layout as a table: its header row, then every row below."""
    grid = layout.grid
    return to_table(replace(grid, numbered=grid.numbered[layout.header[-1] :], problems=[]))


def _indicator_code(reading: Reading, parent: str | None, taken: set[str]) -> str:
    """The indicator's code as written in its label ('d101'), else one made from its parent and name."""
    base = reading.code or f"{parent or 'papi'}-{slugify(reading.name_vi or reading.name_en or 'chi-tieu')[:48]}"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


def _line(n: int, where: str, texts: list[str], reading: Reading, values: bool, ctx, location) -> Line:
    target = reading.target or UNREAD_TARGET
    recognised = reading.target is not None
    note = reading.note or ("" if recognised or not values else "không nhận ra nhãn này: chưa đọc (chọn cách đọc)")
    prefix = f"trang '{ctx.sheet}' " if ctx.sheets > 1 and ctx.sheet else ""
    return Line(
        position=n,
        where=prefix + where,
        label=" | ".join(t for t in texts if t),
        automatic=target,
        target=target,
        recognised=recognised,
        note=note,
        name_vi=reading.name_vi,
        name_en=reading.name_en,
        unit=reading.unit,
        has_values=values,
        sheet=ctx.sheet,
        location=location,
    )


def _with_codes(lines: list[Line], readings: list[Reading]) -> list[Line]:
    """Indicator codes, and the parent measure (the nearest dimension or sub-dimension before) of each."""
    parent, taken, out = None, set(), []
    for line, reading in zip(lines, readings, strict=True):
        if line.automatic.group() in ("dimension", "subdimension"):  # not a bound of one ('ci_low:D1.1')
            parent = line.automatic.of
        code = _indicator_code(reading, parent, taken)  # used if the line is (or is chosen to be) an indicator
        out.append(replace(line, code=code, parent=parent))
    return out


def _column_lines(layout: Layout, ctx: ReadingContext) -> Mapping:
    """Units in columns: a line per row below the units' row, labelled by its label columns."""
    lines, readings, known = [], [], {}
    for index in layout.lines:
        row, cells = layout.grid.numbered[index]
        texts = [cell_text(at(cells, j)) for j in layout.header]
        values = any(has_number(at(cells, j)) for j in layout.units)
        if not any(texts) and not values:
            continue
        if tuple(texts) not in known:  # the CI rows repeat the same labels under every score
            known[tuple(texts)] = labels.read_line(texts, ctx, roles=False)
        reading = known[tuple(texts)]
        if reading.target is None and not values:  # a section heading ('PHẦN 1'): nothing to read
            reading = Reading(IGNORED, note="tiêu đề mục, không có số liệu")
        readings.append(reading)
        lines.append(_line(index, f"dòng {row}", texts, reading, values, ctx, Location(row=row, sheet=ctx.sheet)))
    return Mapping(OFFICIAL_COLUMNS, tuple(_with_codes(lines, readings)))


def _long_lines(layout: Layout, measure: int, ctx: ReadingContext) -> Mapping:
    counts: dict[str, int] = {}
    for i in layout.units:
        text = cell_text(at(layout.grid.numbered[i][1], measure))
        if text:
            counts[text] = counts.get(text, 0) + 1
    readings = [labels.read_label(t, ctx, roles=False) for t in counts]
    lines = [
        _line(n, f"{counts[t]} dòng", [t], r, True, ctx, None)
        for n, (t, r) in enumerate(zip(counts, readings, strict=True))
    ]
    return Mapping(LONG, tuple(_with_codes(lines, readings)))


def _row_lines(layout: Layout, ctx: ReadingContext) -> Mapping:
    """Units in rows: a line per column, labelled by its header cells; the long layout by its measure labels."""
    numbered = layout.grid.numbered
    heads = {j: [cell_text(at(numbered[h][1], j)) for h in layout.header] for j in layout.lines}
    readings = {j: labels.read_line(texts, ctx, roles=True) for j, texts in heads.items()}
    kinds = {j: r.target.kind for j, r in readings.items() if r.target is not None}
    if "measure" in kinds.values() and "value" in kinds.values():
        return _long_lines(layout, next(j for j, k in kinds.items() if k == "measure"), ctx)
    lines = []
    for j in layout.lines:
        values = any(cell_text(at(numbered[i][1], j)) for i in layout.units)
        where = Location(column=j + 1, sheet=ctx.sheet)
        lines.append(_line(j, f"cột {get_column_letter(j + 1)}", heads[j], readings[j], values, ctx, where))
    official = bool(layout.title) or len(layout.header) > 1 or any(r.official for r in readings.values())
    ordered = [readings[j] for j in layout.lines]
    return Mapping(OFFICIAL_ROWS if official else WIDE, tuple(_with_codes(lines, ordered)))


def read_lines(layout: Layout, ctx: ReadingContext) -> Mapping:
    """Step 1b: every line of the sheet with what the reader proposes it is."""
    return _row_lines(layout, ctx) if layout.rows else _column_lines(layout, ctx)
