"""Parse and validate a file of PAPI scores into clean frames. Never touches the database.

Layouts (recognised automatically, layout.py):
- long: ``year, province, measure, value`` (+ optional ``ci_low, ci_high, se``), one value per row;
- wide: one row per province, one column per measure (codes D1…D8, TOTAL, D5.3, or the Vietnamese or
  English names; bounds as 'D1 ci_low'), with a ``year`` column or the year given by the caller;
- the official workbooks as published: provinces in rows (2011–2017, title rows first, columns '1: …') or in
  columns (from 2018: rows of the aggregate, weighted aggregate, dimensions, sub-dimensions, bounds and
  indicators). There a 0 means "not published": nothing is stored for it.

Reading is a short pipeline, one module per step: recognise the layout and read its labels (layout, labels,
mapping: what each row or column is read as, which the analyst may change) → long cells (melt) → units,
years and numbers (resolve) → the frames to store (assemble) → the checks across cells (score_checks).
Every problem is collected (file, row, column, value, message in Vietnamese) and raised together as
InvalidFile, with the mapping as its context; a file with any error yields nothing to write.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import pandas as pd

from papi_analysis import fmt
from papi_analysis.domain import TOTAL, WEIGHTED_TOTAL, dimensions_for_year
from papi_analysis.files.tabular import read_grid
from papi_analysis.problems import InvalidFile, Problem, Where
from papi_analysis.reading import assemble, resolve, score_checks
from papi_analysis.reading.layout import Source, read_lines, recognise
from papi_analysis.reading.mapping import LONG, OFFICIAL, OFFICIAL_COLUMNS, Mapping, Remembered, choose, propose
from papi_analysis.reading.melt import Melted, melt
from papi_analysis.reading.structure import long_roles, structure_problems
from papi_analysis.reference import Reference

_YEAR_IN_NAME = re.compile(r"(?<![0-9])(20[0-9][0-9])(?![0-9])")
__all__ = ["ParsedScores", "depth_note", "parse_scores"]


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
    zeros: int = 0  # cells of 0 read as "not published" (official workbooks)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def years(self) -> list[int]:
        return sorted({int(y) for y in self.frame.year.unique()} | {int(y) for y in self.indicators.year.unique()})


def _years_in(texts: list[object]) -> set[int]:
    return {int(y) for t in texts if isinstance(t, str) for y in _YEAR_IN_NAME.findall(t)}


def _guess_year(source: Source, file: str) -> tuple[int | None, str]:
    """The year a file without a year column is of: its sheet's name, its title rows, its file name (the first
    that names exactly one year), and where it was found."""
    named = _years_in([file])
    for found, where in (
        (_years_in([source.grid.sheet]), "tên trang tính"),
        (_years_in([c for row in source.title_rows for c in row]), "dòng tiêu đề"),
        (named, "tên tệp"),
    ):
        if len(found) == 1:
            year = next(iter(found))
            return year, "tên tệp" if named == found else where
    return None, ""


def _file_year(source: Source, mapping: Mapping, year: int | None, file: str, warnings: list[str]) -> int | None:
    """The year of the rows that have no year cell (None where every row has one)."""
    if mapping.layout == LONG or "year" in mapping.targets():
        return year
    sheet_years = _years_in([source.grid.sheet])
    if year is not None:
        if len(sheet_years) == 1 and year not in sheet_years:
            message = (
                f"Trang tính '{source.grid.sheet}' là số liệu năm {next(iter(sheet_years))}, khác năm đã chọn ({year})."
            )
            raise InvalidFile([Where(file).problem(message)])
        return year
    guessed, where = _guess_year(source, file)
    if guessed is None:
        message = "Không xác định được năm: thêm cột 'year' (Năm) hoặc chọn năm của số liệu."
        raise InvalidFile([Where(file).problem(message)])
    warnings.append(f"Năm {guessed} lấy từ {where}.")
    return guessed


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
) -> ParsedScores:
    """Validate a scores file completely; raise InvalidFile listing every problem (its context: the mapping).
    mapping: the analyst's choices, the n-th line of the mapping -> its target (mapping.choices); remembered:
    the mappings confirmed before (Store.remembered)."""
    grid = read_grid(content, file, sheet=sheet, year=year)
    source = recognise(grid, ref)
    offered = propose(read_lines(source, ref), remembered)
    chosen = choose(offered, mapping)
    try:
        return _read(content, source, chosen, ref, year, unit_set)
    except InvalidFile as error:
        raise InvalidFile(error.problems, context=chosen) from None


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise InvalidFile(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))


def _read(content: bytes, source: Source, mapping: Mapping, ref: Reference, year, unit_set) -> ParsedScores:
    file = source.file
    warnings = [*source.grid.notes, *source.notes]
    _raise(structure_problems(source, mapping, ref, warnings))
    default_year = _file_year(source, mapping, year, file, warnings)
    melted = melt(source, mapping, long_roles(source) if mapping.layout == LONG else None)
    years, problems = resolve.unit_years(melted.units, file, default_year, year)
    units, unit_problems = resolve.resolve_units(melted.units, file, ref, years, unit_set)
    problems += unit_problems + [p for key, p in melted.problems if key not in units.failed]
    cells = _placed(melted.cells, units)
    decimal_comma = resolve.decimal_comma_file(cells.text.astype(str), source.grid.delimiter)
    cells["value"], number_problems = resolve.numbers(cells, file, decimal_comma)
    problems += number_problems
    if decimal_comma:
        warnings.append("Tệp dùng dấu phẩy thập phân (Excel tiếng Việt): '4,5' được đọc là 4.5.")
    unreadable = set(zip(cells.year[cells.value.isna()], cells.unit_id[cells.value.isna()], strict=True))
    zero = (cells.value == 0) & mapping.official
    cells = cells[cells.value.notna() & ~zero]
    warnings += assemble.zero_note(int(zero.sum()))
    parsed = _frames(cells, mapping, melted, units, ref, file, unreadable, problems, warnings)
    rows = len(source.table.rows) if source.table is not None else len(mapping.lines)
    return ParsedScores(
        file=file,
        content=content,
        layout=mapping.layout,
        unit_set=units.unit_set,
        unit_set_reason=units.reason,
        unit_set_certain=units.certain,
        rows_in_file=rows,
        warnings=warnings,
        renamed=units.renamed,
        sheet=source.grid.sheet,
        mapping=mapping,
        zeros=int(zero.sum()),
        **parsed,
    )


def _placed(cells: pd.DataFrame, units: resolve.Units) -> pd.DataFrame:
    """The cells of the units whose name was resolved, with their unit id and year."""
    placed = cells[cells.unit_key.isin(list(units.ids))].copy()
    placed["unit_id"] = placed.unit_key.map(units.ids)
    placed["year"] = placed.unit_key.map(units.years)
    placed = placed[placed.year.notna()]
    return placed.astype({"year": "int64"}) if len(placed) else placed.assign(year=placed.year.astype("int64"))


def _blank_totals(melted: Melted, units: resolve.Units, file: str) -> dict[tuple[int, str], Problem]:
    blanks = {}
    for key, (row, column, cell) in melted.blank_totals.items():
        year, unit_id = units.years.get(key), units.ids.get(key)
        if year is None or unit_id is None:
            continue
        message = (
            f"Ô {TOTAL} trống nhưng dòng có đủ {len(dimensions_for_year(year))} chỉ số nội dung: điền điểm "
            f"tổng hợp (tổng các chỉ số nội dung), hoặc bỏ cả cột {TOTAL} nếu tệp không có điểm tổng hợp."
        )
        blanks[(year, unit_id)] = Where(file, row=row, column=column, cell=cell).problem(message)
    return blanks


def _frames(cells, mapping, melted, units, ref, file, unreadable, problems, warnings) -> dict:
    """The frames to store, and every check across cells (raises with all problems)."""
    name = ref.unit_name
    scores, bounds, indicator_cells = assemble.split(cells)
    if mapping.official:  # the same row twice (a summary block and a section): one value, if they agree
        scores = scores.drop_duplicates(["year", "unit_id", "measure", "value"])
    frame, bound_problems = assemble.with_bounds(scores, bounds, file, name)
    indicators, indicator_problems = assemble.indicators(indicator_cells, mapping, file, name)
    problems += (
        bound_problems + indicator_problems + _checks(frame, mapping, melted, units, ref, file, unreadable, warnings)
    )
    if frame.empty and indicators.empty and not problems:
        problems.append(Where(file).problem("Tệp không có giá trị điểm nào."))
    _raise(problems)
    years = sorted({*frame.year.astype(int), *indicators.year.astype(int)})
    clean = frame[assemble.SCORE_COLUMNS].astype(
        {"year": "int64", "value": "float64", "ci_low": "float64", "ci_high": "float64", "std_error": "float64"}
    )
    return {
        "frame": clean.reset_index(drop=True),
        "indicators": indicators.astype({"year": "int64", "value": "float64"}),
        "labels": assemble.published_labels(mapping, years, ref),
    }


def _checks(frame, mapping, melted, units, ref, file, unreadable, warnings) -> list[Problem]:
    parts = score_checks.subdimension_parts(frame, ref)
    years = sorted({int(y) for y in frame.year})
    problems = score_checks.check_values(frame, file, ref, parts)
    problems += score_checks.check_duplicates(frame, file, ref)
    if mapping.layout != LONG and years:
        read = {t.split(":")[0] if ":" not in t else "" for t in mapping.targets()}
        what = "dòng" if mapping.layout == OFFICIAL_COLUMNS else "cột"
        problems += score_checks.check_missing_columns(read - {""}, years, file, what)
    problems += score_checks.check_totals(
        frame,
        file,
        ref,
        warnings,
        unreadable=unreadable,
        blank_totals=_blank_totals(melted, units, file),
        sums_warn=mapping.layout in OFFICIAL,
    )
    problems += score_checks.check_subdimension_sums(frame, file, ref, parts)
    warnings += _no_total_warning(mapping, years)
    return problems


def _no_total_warning(mapping: Mapping, years: list[int]) -> list[str]:
    read = set(mapping.targets())
    if mapping.layout == LONG or TOTAL in read or not years:
        return []
    if not set(dimensions_for_year(max(years))) <= read:
        return []
    return [f"Tệp không có cột điểm tổng hợp ({TOTAL}): các tỉnh sẽ không có điểm tổng hợp năm {max(years)}."]


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
