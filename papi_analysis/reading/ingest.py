"""Read and validate a file of PAPI scores into clean frames. Never touches the database.

Layouts (found from the content, axis.py and layout.py):
- long: ``year, province, measure, value`` (+ optional ``ci_low, ci_high, se``), one value per row;
- wide: one row per province, one column per measure (codes D1…D8, TOTAL, D5.3, or the Vietnamese or
  English names; bounds as 'D1 ci_low'), with a ``year`` column or the year of the file;
- the official workbooks as published, and the compilations made from them: units in rows (2011–2017, with
  their detail sheets; ID columns, names in two languages, a header on several rows, formulas, summary rows) or
  in columns (from 2018: rows of the aggregate, weighted aggregate, dimensions, sub-dimensions, bounds and
  indicators; a scale column, metadata rows, separator columns).
In every layout 0 or an empty cell means "not published": nothing is stored for it.

Reading is a short pipeline, one entry point per step, all sharing one ReadingContext: choose the sheets
(sheets.choose) → find where the units are and what every other line is (axis.find) → the year (years) → read
each line's label (layout.read_lines; what each line is read as, which the analyst may change: mapping) →
long cells (melt) → units, years and numbers (resolve) → the frames to store (assemble) → the checks across
cells (score_checks). Every problem is collected (file, row, column, value, message in Vietnamese).

`read_scores` returns a ScoresReading: the parsed file, or the problems with what was understood of it (the
mapping, the rows and columns skipped), for the analyst to correct. `parse_scores` is the same, raising
InvalidFile for a refusal (the seed build and tests use it).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd

from papi_analysis import fmt
from papi_analysis.domain import WEIGHTED_TOTAL, dimensions_for_year
from papi_analysis.files.tabular import open_sheets
from papi_analysis.problems import InvalidFile, Problem
from papi_analysis.reading import assemble, axis, resolve, score_checks, sheets, years
from papi_analysis.reading.axis import Layout
from papi_analysis.reading.context import Choices, ReadingContext, Skipped
from papi_analysis.reading.layout import read_lines
from papi_analysis.reading.mapping import LONG, OFFICIAL, OFFICIAL_COLUMNS, Mapping, Remembered, choose, propose
from papi_analysis.reading.melt import Melted, melt
from papi_analysis.reading.structure import structure_problems
from papi_analysis.reference import Reference

__all__ = ["ParsedScores", "ScoresReading", "depth_note", "parse_scores", "read_scores"]
READ_CELLS = ["year", "unit_id", "kind", "measure", "value", "src_sheet", "src_cell", "src_row"]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


@dataclass
class ParsedScores:
    file: str
    content: bytes
    layout: str  # mapping.LONG, WIDE, OFFICIAL_ROWS or OFFICIAL_COLUMNS
    unit_set: str
    unit_set_reason: str
    unit_set_certain: bool
    frame: pd.DataFrame  # year, unit_id, measure, value, ci_low, ci_high, std_error
    rows_in_file: int
    warnings: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # spelling in file -> official name
    sheet: str | None = None
    mapping: Mapping | None = None
    indicators: pd.DataFrame = field(default_factory=lambda: _empty(assemble.INDICATOR_COLUMNS))
    labels: pd.DataFrame = field(default_factory=lambda: _empty(assemble.LABEL_COLUMNS))
    zeros: int = 0  # cells of 0 read as "not published"
    skipped: list[Skipped] = field(default_factory=list)  # rows and columns that are not data, and why
    formulas: int = 0  # formula cells read as the value Excel saved
    file_year: years.FileYear | None = None  # the year of rows without a year cell, and where it came from
    sheets: tuple[str, ...] = ()  # every sheet read (a summary sheet with its detail sheets)
    cells: pd.DataFrame = field(default_factory=lambda: _empty(READ_CELLS))  # every value read, with its cell

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def years(self) -> list[int]:
        return sorted({int(y) for y in self.frame.year.unique()} | {int(y) for y in self.indicators.year.unique()})

    @property
    def year_confirmed(self) -> bool:
        """The year of the file is not in doubt (or the file says it in every row)."""
        return self.file_year is None or self.file_year.confirmed


@dataclass
class ScoresReading:
    """A scores file read: accepted (`parsed`), or refused with its problems and what was understood of it (the
    mapping, where the lines were recognised; the rows and columns skipped), so that the analyst can correct it."""

    parsed: ParsedScores | None
    problems: list[Problem] = field(default_factory=list)
    mapping: Mapping | None = None
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.parsed is not None

    def value(self) -> ParsedScores:
        """The parsed file; InvalidFile listing every problem if it was refused."""
        if self.parsed is None:
            raise InvalidFile(self.problems)
        return self.parsed


@dataclass
class _Sheet:
    layout: Layout
    mapping: Mapping


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


def _open(content: bytes, ctx: ReadingContext) -> tuple[list[_Sheet], years.FileYear]:
    """Step 1: the sheets read, each laid out with its lines; the file's year between the two."""
    choices = ctx.choices
    with open_sheets(content, ctx.file) as book:
        chosen = sheets.choose(book, choices.sheet, choices.year)
        ctx.sheets = len(chosen.titles)
        read, found = [], None
        for title in chosen.titles:
            ctx.sheet = title
            grid = book.grid(title)
            layout = axis.find(grid, ctx)
            ctx.warnings.extend(n for n in grid.notes if n not in ctx.warnings)
            if found is None:
                one = chosen.year_sheets <= 1
                found = years.file_year(choices.year, title, layout.title_texts, ctx.file, one)
                ctx.year = found.year
            read.append(_Sheet(layout, read_lines(layout, ctx)))
        ctx.sheet = chosen.main
    return read, found


def read_scores(
    content: bytes, file: str, ref: Reference, choices: Choices | None = None, remembered: Remembered | None = None
) -> ScoresReading:
    """Read a scores file completely (see the module docstring). choices: the analyst's (context.Choices);
    remembered: the mappings confirmed before (Store.remembered)."""
    ctx = ReadingContext(file=file, ref=ref, choices=choices or Choices())
    try:
        read, found = _open(content, ctx)
    except InvalidFile as error:
        return ScoresReading(None, error.problems, skipped=ctx.skipped)
    whole = Mapping(read[0].mapping.layout, tuple(ln for part in read for ln in part.mapping.lines))
    mapping = choose(propose(whole, remembered), ctx.choices)
    try:
        parsed = _read(content, read, mapping, ctx, found)
    except InvalidFile as error:
        return ScoresReading(None, error.problems, mapping, ctx.skipped)
    return ScoresReading(parsed, mapping=mapping, skipped=ctx.skipped)


def parse_scores(
    content: bytes,
    file: str,
    ref: Reference,
    *,
    year: int | None = None,
    unit_set: str | None = None,
    sheet: str | None = None,
    mapping: dict[int, str] | None = None,
    remembered: Remembered | None = None,
    choices: Choices | None = None,
) -> ParsedScores:
    """read_scores, raising InvalidFile for a refusal. mapping: the n-th line of the mapping -> its target's text."""
    if choices is None:
        choices = Choices(year=year, unit_set=unit_set, sheet=sheet, lines=dict(mapping or {}))
    return read_scores(content, file, ref, choices, remembered).value()


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise InvalidFile(_sorted(problems))


def _melted(read: list[_Sheet], mapping: Mapping, ctx: ReadingContext) -> Melted:
    """Step 2 over every sheet read, with the layout checked first."""
    parts = []
    for number, part in enumerate(read):
        ctx.sheet = part.layout.grid.sheet
        own = mapping.of_sheet(ctx.sheet)
        _raise(structure_problems(part.layout, own, ctx))
        parts.append(melt(part.layout, own, ctx, number))
    ctx.sheet = read[0].layout.grid.sheet
    return Melted(
        cells=pd.concat([p.cells for p in parts], ignore_index=True),
        units=pd.concat([p.units for p in parts], ignore_index=True),
        problems=[p for part in parts for p in part.problems],
    )


def _read(content: bytes, read: list[_Sheet], mapping: Mapping, ctx: ReadingContext, found) -> ParsedScores:
    melted = _melted(read, mapping, ctx)
    if ctx.year is None and melted.units.year_text.isna().any():
        message = "Không xác định được năm: thêm cột 'year' (Năm) hoặc chọn năm của số liệu."
        raise InvalidFile([ctx.where().problem(message)])
    if note := found.note():
        ctx.warnings.append(note)
    unit_years, problems = resolve.unit_years(melted.units, ctx)
    units, unit_problems = resolve.resolve_units(melted.units, ctx, unit_years)
    problems += unit_problems + [p for key, p in melted.problems if key not in units.failed]
    cells = _placed(melted.cells, units)
    decimal_comma = resolve.decimal_comma_file(cells.text.astype(str), read[0].layout.grid.delimiter)
    cells["value"], number_problems = resolve.numbers(cells, ctx, decimal_comma)
    problems += number_problems
    if decimal_comma:
        ctx.warnings.append("Tệp dùng dấu phẩy thập phân (Excel tiếng Việt): '4,5' được đọc là 4.5.")
    unreadable = set(zip(cells.year[cells.value.isna()], cells.unit_id[cells.value.isna()], strict=True))
    zero = cells.value == 0
    cells = cells[cells.value.notna() & ~zero]
    ctx.warnings.extend(assemble.zero_note(int(zero.sum())))
    frames = _frames(cells, mapping, ctx, unreadable, problems)
    formulas = sum(part.layout.grid.formulas for part in read)
    if formulas:
        ctx.warnings.append(f"{fmt.integer(formulas)} ô là công thức Excel: đọc giá trị Excel đã lưu trong tệp.")
    return ParsedScores(
        file=ctx.file,
        content=content,
        layout=mapping.layout,
        unit_set=units.unit_set,
        unit_set_reason=units.reason,
        unit_set_certain=units.certain,
        rows_in_file=sum(len(p.layout.units if p.layout.rows else p.layout.lines) for p in read),
        warnings=ctx.warnings,
        renamed=units.renamed,
        sheet=read[0].layout.grid.sheet,
        mapping=mapping,
        zeros=int(zero.sum()),
        skipped=ctx.skipped,
        formulas=formulas,
        file_year=found,
        sheets=tuple(p.layout.grid.sheet for p in read if p.layout.grid.sheet),
        cells=cells[READ_CELLS].reset_index(drop=True),
        **frames,
    )


def _placed(cells: pd.DataFrame, units: resolve.Units) -> pd.DataFrame:
    """The cells of the units whose name was resolved, with their unit id and year."""
    placed = cells[cells.unit_key.isin(list(units.ids))].copy()
    placed["unit_id"] = placed.unit_key.map(units.ids)
    placed["year"] = placed.unit_key.map(units.years)
    placed = placed[placed.year.notna()]
    return placed.astype({"year": "int64"}) if len(placed) else placed.assign(year=placed.year.astype("int64"))


def _frames(cells, mapping, ctx, unreadable, problems) -> dict:
    """The frames to store, and every check across cells (raises with all problems)."""
    scores, bounds, indicator_cells = assemble.split(cells)
    if mapping.official:  # the same row twice (a summary block and a detail sheet): one value, if they agree
        scores = scores.drop_duplicates(["year", "unit_id", "measure", "value"])
    frame, bound_problems = assemble.with_bounds(scores, bounds, ctx)
    indicators, indicator_problems = assemble.indicators(indicator_cells, mapping, ctx)
    problems += bound_problems + indicator_problems + _checks(frame, mapping, ctx, unreadable)
    if frame.empty and indicators.empty and not problems:
        problems.append(ctx.where().problem("Tệp không có giá trị điểm nào."))
    _raise(problems)
    years_read = sorted({*frame.year.astype(int), *indicators.year.astype(int)})
    clean = frame[assemble.SCORE_COLUMNS].astype(
        {"year": "int64", "value": "float64", "ci_low": "float64", "ci_high": "float64", "std_error": "float64"}
    )
    return {
        "frame": clean.reset_index(drop=True),
        "indicators": indicators.astype({"year": "int64", "value": "float64"}),
        "labels": assemble.published_labels(mapping, years_read, ctx.ref),
    }


def _checks(frame, mapping, ctx, unreadable) -> list[Problem]:
    parts = score_checks.subdimension_parts(frame, ctx.ref)
    years_read = sorted({int(y) for y in frame.year})
    problems = score_checks.check_values(frame, ctx, parts)
    problems += score_checks.check_duplicates(frame, ctx)
    if mapping.layout != LONG and years_read:
        read = {t.of for t in mapping.targets() if t.is_score}
        what = "dòng" if mapping.layout == OFFICIAL_COLUMNS else "cột"
        problems += score_checks.check_missing_columns(read, years_read, ctx, what)
    sums_warn = mapping.layout in OFFICIAL
    problems += score_checks.check_totals(frame, ctx, unreadable=unreadable, sums_warn=sums_warn)
    problems += score_checks.check_subdimension_sums(frame, ctx, parts)
    ctx.warnings.extend(_no_total_warning(mapping, years_read))
    return problems


def _no_total_warning(mapping: Mapping, years_read: list[int]) -> list[str]:
    read = {t.of for t in mapping.targets() if t.is_score}
    if mapping.layout == LONG or "TOTAL" in read or not years_read:
        return []
    if not set(dimensions_for_year(max(years_read))) <= read:
        return []
    return [f"Tệp không có cột điểm tổng hợp (TOTAL): các tỉnh sẽ không có điểm tổng hợp năm {max(years_read)}."]


def depth_note(parsed: ParsedScores) -> str | None:
    """What a file holds beside the scores (bounds, weighted aggregate, sub-dimensions, indicators), in a sentence."""
    frame = parsed.frame
    counts = [
        (frame.ci_low.notna().sum(), "khoảng tin cậy 95%"),
        (frame.std_error.notna().sum(), "sai số chuẩn"),
        ((frame.measure == WEIGHTED_TOTAL).sum(), "điểm tổng hợp có trọng số"),
        (frame.measure.str.contains(".", regex=False).sum(), "điểm chỉ số thành phần"),
        (len(parsed.indicators), f"giá trị của {parsed.indicators.code.nunique()} chỉ tiêu"),
    ]
    said = [f"{fmt.integer(n)} {what}" for n, what in counts if n]
    if not said:
        return None
    return "Ngoài điểm: " + "; ".join(said) + ". Điểm tổng hợp chính vẫn là điểm không trọng số."
