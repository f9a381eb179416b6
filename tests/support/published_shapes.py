"""One truth, many shapes (issue 19, item 10): a year's scores as stored, written the ways PAPI published them and
the ways others compiled them, through composable transformations (`Shape`), for the property suite and the
named tests of tests/behaviour/test_shapes.py. Every shape must read to exactly the stored cells.

The truth: 2011–2016 the verified dimension, aggregate and sub-dimension scores and each year's own sub-dimension
names (the seed); 2017 the dimensions and aggregate; from 2018 the stored dimensions and aggregate with SYNTHETIC
depth — confidence intervals, standard errors, the weighted aggregate, sub-dimension scores (official_workbooks
.expected_scores) and indicators (here) — made up deterministically for tests only, never written to data/. A unit
PAPI did not publish is written as 0, as the official files do.

The real files, as far as they are known (issue 19; PAPI.md), each a named fact below (FACTS) that a transformation
writes:
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field, replace

import pandas as pd
from official_workbooks import SCORE_COLUMNS, Options, synthetic_bounds, synthetic_parts
from openpyxl.utils import get_column_letter
from xlsx_writer import Formula, xlsx

from papi_analysis.bounds import BOUND_KEYS, CI_HIGH, CI_LOW, STD_ERROR
from papi_analysis.domain import TOTAL, WEIGHTED_TOTAL, dimensions_for_year
from papi_analysis.reading.context import Choices
from papi_analysis.reading.ingest import ParsedScores, read_scores
from papi_analysis.store.database import Store

FACTS = {
    "era1_file": "2011–2017: files 'PAPI-YYYY-Dữ-liệu-1.xlsx', main sheet '<YYYY>PAPI- Bảng tổng hợp kết quả', "
    "provinces in rows, dimension columns '1: …' … '6: …', the aggregate, the sub-dimensions (~29 columns)",
    "era1_details": "2011–2017: six detail sheets 'Điểm thành phần 1' … '6', one misspelt 'Điêm thành phần 5'",
    "tab_2012": "the 2011 file's tab says '2012PAPI' but holds 2011",
    "compilation": "compilations: one sheet per year ('2014_PAPI'), ID columns (tinhid), names in two languages, a "
    "header on two rows (English above Vietnamese), English short dimension names, formulas with saved values, "
    "summary rows (Highest / Điểm cao nhất, Lowest, code 999), a header naming the wrong year ('Un-weighted2015PAPI')",
    "era2_sheets": "from 2018: sheets 'ProvincialIndicators_VIE' (2018), '2019PAPI_Indicators_VIE' (2019), "
    "'2020_VIE_ENG' … '2023_VIE_ENG', '2024_PAPI_VIE_ENG'; indicators in rows, provinces in columns (~167 × 66)",
    "era2_labels": "from 2018: a Vietnamese and an English label column and a 'Thang điểm / Scale' column ('1-10', "
    "'8-80', '%'); dimension rows 'Chỉ số nội dung N: …' (2018–2019), 'Dimension N: …' (2020–2024)",
    "era2_rows": "from 2018: each measure has rows for the unweighted score, the weighted score, the 95% CI low and "
    "high and the standard error",
    "repeats_years": "newer files repeat older years on other sheets (the 2024 file holds 2019–2024)",
    "file_2024": "the 2024 file ('…_34_TinhThanh') starts with 4 metadata rows mapping provinces to the 34 new units "
    "and has empty separator columns between groups of provinces",
    "names": "province names carry extra spaces, 'TP.' prefixes, or no diacritics",
    "zeros": "0 means not published (2022: Bắc Giang and Bắc Ninh zero in 4 dimensions; 2024: Vĩnh Phúc and Tiền "
    "Giang zero throughout)",
}
__doc__ += "\n".join(f"- {key}: {text}" for key, text in FACTS.items())

# How the files write a dimension: Vietnamese and English styles (FACTS era1_file, era2_labels, compilation).
ENGLISH_SHORT = {
    "D1": "Participation at Local Levels",
    "D2": "Transparency",
    "D3": "Vertical Accountability",
    "D4": "Control of Corruption",
    "D5": "Public Administrative Procedures",
    "D6": "Public Service Delivery",
    "D7": "Environmental Governance",
    "D8": "E-Governance",
}
VI_DIMENSION = ("n_colon", "word", "name", "code_name")
EN_DIMENSION = ("dimension", "name", "short", "numbered")
SHEET_NAMES = {  # FACTS era1_file, compilation, era2_sheets
    "era1": "{y}PAPI- Bảng tổng hợp kết quả",
    "compilation": "{y}_PAPI",
    "era2": None,  # by year, below
    "plain": "PAPI {y}",
}
ERA2_SHEETS = {2018: "ProvincialIndicators_VIE", 2019: "2019PAPI_Indicators_VIE", 2024: "2024_PAPI_VIE_ENG"}
DETAIL = "Điểm thành phần {n}"  # FACTS era1_details
MISSPELT_DETAIL = "Điêm thành phần 5"
SUMMARY_ROWS = (("Highest", "Điểm cao nhất", max), ("Lowest", "Điểm thấp nhất", min), ("Mean", "Trung bình", None))
SUMMARY_CODE = 999


OPTIONS = Options()


def _u(*parts: object) -> float:
    """A deterministic number in [0, 1) for the SYNTHETIC values."""
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16) / 2**32


# --- the truth -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Indicator:
    code: str
    vi: str
    en: str
    values: dict[str, float]


@dataclass(frozen=True)
class Block:
    """One published measure and what follows it: its bounds, a dimension's weighted score (written, never
    stored: only the weighted aggregate is), its indicators."""

    code: str
    vi: str
    en: str
    values: dict[str, float]
    bounds: dict[str, dict[str, float]] = field(default_factory=dict)
    weighted: dict[str, float] = field(default_factory=dict)
    indicators: tuple[Indicator, ...] = ()


@dataclass
class Truth:
    year: int
    units: list[dict]  # unit_id, name_vi, name_ascii, unit_type, gso_code, successor (the unit set's order)
    blocks: list[Block]
    scores: pd.DataFrame  # year, unit_id, measure, value, ci_low, ci_high, std_error: what the store holds
    indicators: pd.DataFrame  # year, unit_id, code, value
    names: dict[str, tuple[str, str]]  # sub-dimension -> its names that year (Vietnamese, English)


def _ref(store: Store):
    return _reference(store, store.version())


@functools.lru_cache(maxsize=4)
def _reference(store: Store, stamp: str):
    return store.reference()


def _depth(store: Store, year: int) -> pd.DataFrame:
    """The year's scores: as the seed stores them (2011–2017), or the seed's dimensions and aggregate with
    SYNTHETIC depth (2018 on) — made from the seed's cells only, so that the truth stays the same once written."""
    stored = store.scores(years=[year])
    if year < 2018:
        return stored[["year", "unit_id", "measure", "value", *BOUND_KEYS]].astype({k: "float64" for k in BOUND_KEYS})
    seeded = ~stored.measure.str.contains(".", regex=False) & (stored.measure != WEIGHTED_TOTAL)
    main = stored[seeded][["year", "unit_id", "measure", "value"]]
    scores = pd.concat([main, synthetic_parts(store, main, year, OPTIONS)], ignore_index=True)
    totals = main[main.measure == TOTAL]
    weighted = [round(v * (0.97 + 0.06 * _u(u, "w")), 6) for u, v in zip(totals.unit_id, totals.value, strict=True)]
    scores = pd.concat([scores, totals.assign(measure=WEIGHTED_TOTAL, value=weighted)], ignore_index=True)
    return synthetic_bounds(scores, OPTIONS)[SCORE_COLUMNS]


def _indicators(code: str, units: list[str], year: int) -> tuple[Indicator, ...]:
    """SYNTHETIC: one share in percent per sub-dimension, for the units that have its dimension."""
    name = f"d{code[1]}{int(code[3:])}1"
    values = {u: round(0.5 + 99 * _u(u, name, year), 2) for u in units}
    vi = f"{name}: Tỷ lệ người trả lời đồng ý (%) — chỉ tiêu kiểm thử, số giả"
    en = f"{name}: Share of respondents who agree (%) — synthetic test indicator"
    return (Indicator(name, vi, en, values),)


@functools.lru_cache(maxsize=32)
def _truth(store: Store, path: str, year: int) -> Truth:
    ref = _ref(store)
    unit_set = str(store.years().set_index("year").unit_set.loc[year])
    units = ref.units_of_set(unit_set).sort_values(["gso_code", "name_vi"])
    units = [
        {**row, "successor": ref.unit_name(ref.successor(row["unit_id"]) or row["unit_id"])}
        for row in units[["unit_id", "name_vi", "name_ascii", "unit_type", "gso_code"]].to_dict("records")
    ]
    scores = _depth(store, year)
    blocks, indicators, names = [], [], {}
    for code in [c for c in ref.measures.code if c in set(scores.measure)]:
        rows = scores[scores.measure == code].set_index("unit_id")
        vi, en = ref.measure_name(code, year), ref.measure_name_en(code, year)
        bounds = {k: rows[k].dropna().to_dict() for k in BOUND_KEYS if rows[k].notna().any()}
        weighted, found = {}, ()
        if year >= 2018 and "." not in code and code not in (TOTAL, WEIGHTED_TOTAL):
            weighted = {u: round(v * (0.97 + 0.06 * _u(u, code, "w")), 6) for u, v in rows.value.items()}
        if year >= 2018 and "." in code:
            found = _indicators(code, sorted(scores[scores.measure == code.split(".")[0]].unit_id), year)
            indicators += [(year, u, i.code, v) for i in found for u, v in i.values.items()]
        if "." in code:
            names[code] = (vi, en)
        blocks.append(Block(code, vi, en, rows.value.to_dict(), bounds, weighted, found))
    frame = pd.DataFrame(indicators, columns=["year", "unit_id", "code", "value"])
    ordered = scores.sort_values(["unit_id", "measure"], ignore_index=True)
    return Truth(year, units, blocks, ordered, frame, names)


def truth(store: Store, year: int) -> Truth:
    """The truth of a year (see the module docstring); the same whatever has been written since the seed."""
    return _truth(store, str(store.path), year)


# --- the shapes ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Shape:
    """How one truth is written; every field is a transformation the property suite draws."""

    units_in: str = "rows"  # 'rows' (2011–2017 and compilations) or 'columns' (from 2018)
    title_rows: int = 2  # 0–6
    languages: tuple[str, ...] = ("vi",)  # ('vi',), ('en',), ('vi', 'en'), ('en', 'vi'): header rows / label columns
    code_labels: bool = False  # a third header row (label column) of our codes: D1, D1.1, TOTAL
    vi_style: str = "n_colon"  # VI_DIMENSION
    en_style: str = "dimension"  # EN_DIMENSION
    numbered_parts: bool = True  # sub-dimensions written '1.1: name' (else the name alone)
    order: str = "nested"  # 'nested': aggregates, then each dimension and its parts; 'era1': dims, aggregate, parts
    id_column: str | None = None  # 'stt' (row numbers) or 'tinhid' (GSO codes); a codes row when units in columns
    scale: bool = False  # a 'Thang điểm / Scale' column (units in columns) or header row (units in rows)
    unit_labels: bool = False  # an 'Đơn vị tính' column (units in columns) or header row (units in rows)
    notes: bool = False  # a 'Ghi chú' column
    separators: int = 0  # an empty column every n units (units in columns) or between dimensions (units in rows)
    summary: bool = False  # summary rows (units in rows: Highest / Điểm cao nhất, Lowest, Mean; code 999) or columns
    formulas: bool = False  # the aggregate (and the summary) as formulas with their saved values
    metadata: bool = False  # the 2024 file's 4 rows mapping provinces to the 34 new units (units in columns)
    names: str = "official"  # 'official', 'spaces', 'prefixes', 'ascii', 'english'
    second_names: bool = False  # the names again in the other language (English, or Vietnamese), beside them
    weighted_rows: bool = False  # a dimension's weighted score on its own row (from 2018)
    wrong_year_header: bool = False  # the aggregate's English header names another year ('Un-weighted2015PAPI')
    sheet_style: str = "plain"  # SHEET_NAMES; 'era1' in 2011 writes the tab '2012PAPI' (FACTS tab_2012)
    extra_years: tuple[int, ...] = ()  # other years on other sheets (FACTS repeats_years)
    details: bool = False  # the era-1 detail sheets (units in rows, 2011–2016)
    parts_in_details_only: bool = False  # the summary sheet without sub-dimensions
    shared_strings: bool = False
    csv: bool = False  # a CSV instead of a workbook (no formulas, one sheet)


# The compilation the issue was tried with (PAPI_2011-2016.xlsx, one sheet a year): ID column, names in English and
# Vietnamese side by side, the header on two rows (English above Vietnamese), English short dimension names, the
# aggregate as a formula with its saved value, "Highest / Điểm cao nhất" and "Lowest" rows with code 999, and the
# aggregate's header naming another year.
COMPILATION = Shape(
    units_in="rows",
    title_rows=0,
    languages=("en", "vi"),
    en_style="short",
    vi_style="name",
    numbered_parts=False,
    order="era1",
    id_column="tinhid",
    second_names=True,
    names="official",
    summary=True,
    formulas=True,
    wrong_year_header=True,
    sheet_style="compilation",
    extra_years=(2015, 2016),
)
# A workbook in the shape published from 2018, with the "Thang điểm / Scale" column the real files carry.
ERA2 = Shape(units_in="columns", languages=("vi", "en"), scale=True, sheet_style="era2", vi_style="word")


@dataclass(frozen=True)
class Rendered:
    content: bytes
    file: str
    choices: Choices
    main_sheet: str | None


def unit_label(unit: dict, names: str) -> str:
    """A unit's name as a file may write it (FACTS names)."""
    name, ascii_name = unit["name_vi"], unit["name_ascii"]
    city = unit["unit_type"] == "thành phố"
    if names == "spaces":
        return f"  {name.replace(' ', '  ')} "
    if names == "prefixes":
        return ("TP. " if city else "Tỉnh ") + name
    if names == "ascii":
        return ascii_name
    if names == "english":
        return {"Ha Noi": "Hanoi"}.get(ascii_name, ascii_name + (" City" if city else ""))
    return name


def _other_names(shape: Shape) -> str:
    """The names written beside the units' own: English, or Vietnamese beside English ones."""
    return "official" if shape.names == "english" else "english"


def _position(ref, code: str, year: int) -> str:
    """A sub-dimension's number as that year's file numbers it: the n-th part of its dimension that year."""
    dimension = code.split(".")[0]
    return f"{dimension[1:]}.{ref.subdimensions_in_year(dimension, year).index(code) + 1}"


def score_label(block: Block, lang: str, shape: Shape, ref, year: int) -> str:
    code = block.code
    if code == TOTAL:
        if lang == "vi":
            return {"n_colon": "Tổng (không có trọng số)", "word": "Chỉ số PAPI tổng hợp (không có trọng số)"}.get(
                shape.vi_style, "Tổng điểm PAPI"
            )
        return f"Un-weighted{year + 1}PAPI" if shape.wrong_year_header else "Unweighted PAPI score"
    if code == WEIGHTED_TOTAL:
        return "Chỉ số PAPI tổng hợp (có trọng số)" if lang == "vi" else f"Weighted{year}PAPI"
    if "." in code:
        name = block.vi if lang == "vi" else block.en
        if not shape.numbered_parts:
            return name
        number = _position(ref, code, year)
        return f"Chỉ số thành phần {number}: {name}" if lang == "vi" else f"Sub-dimension {number}: {name}"
    n = code[1:]
    if lang == "vi":
        style = shape.vi_style
        return {"n_colon": f"{n}: {block.vi}", "word": f"Chỉ số nội dung {n}: {block.vi}", "name": block.vi}.get(
            style, f"{code} - {block.vi}"
        )
    return {"dimension": f"Dimension {n}: {block.en}", "name": block.en, "short": ENGLISH_SHORT[code]}.get(
        shape.en_style, f"{n}. {block.en}"
    )


# The bound rows as the files write them (Vietnamese, English): the generator's own spellings, not the reader's
# table (papi_analysis.bounds), so that the reader is tested against what files say.
FILE_BOUND_LABELS = {
    CI_LOW.key: ("Điểm thấp (KTC 95%)", "CI low (95%)"),
    CI_HIGH.key: ("Điểm cao (KTC 95%)", "CI high (95%)"),
    STD_ERROR.key: ("Sai số chuẩn", "Standard error"),
}


@dataclass(frozen=True)
class Line:
    """One line of the table: its labels by language, its code, scale and unit, its values (0: not published)."""

    labels: dict[str, str]
    code: str
    values: dict[str, float]
    scale: str = ""
    unit: str = ""
    measure: str = ""  # the score it is (the aggregate's formula sums the dimensions' lines)


def _scale(code: str, year: int) -> str:
    if code in (TOTAL, WEIGHTED_TOTAL):
        return f"{len(dimensions_for_year(year))}-{10 * len(dimensions_for_year(year))}"
    if "." in code:
        return "%"
    return "1-10"


def _block_lines(block: Block, shape: Shape, ref, year: int) -> list[Line]:
    labels = {lang: score_label(block, lang, shape, ref, year) for lang in ("vi", "en")}
    lines = [Line(labels, block.code, block.values, _scale(block.code, year), "điểm", block.code)]
    if block.weighted and shape.weighted_rows:
        said = {"vi": f"{labels['vi']} (có trọng số)", "en": f"{labels['en']} (weighted)"}
        lines.append(Line(said, "", block.weighted, _scale(block.code, year), "điểm"))
    for key, values in block.bounds.items():
        vi, en = FILE_BOUND_LABELS[key]
        lines.append(Line({"vi": vi, "en": en}, "", values, _scale(block.code, year), "điểm"))
    for indicator in block.indicators:
        lines.append(Line({"vi": indicator.vi, "en": indicator.en}, indicator.code, indicator.values, "%", "%"))
    return lines


def _ordered(blocks: list[Block], order: str) -> list[Block]:
    """'era1': the dimensions, the aggregates, the parts (FACTS era1_file); 'nested': the aggregates, then each
    dimension followed by its parts (FACTS era2_rows)."""
    if order == "era1":
        rank = {TOTAL: 1, WEIGHTED_TOTAL: 1}
        return sorted(blocks, key=lambda b: 2 if "." in b.code else rank.get(b.code, 0))

    def key(b: Block) -> tuple:
        if b.code in (TOTAL, WEIGHTED_TOTAL):
            return (0, b.code != TOTAL, 0)
        return (1, int(b.code[1]), 0 if "." not in b.code else int(b.code.split(".")[1]))

    return sorted(blocks, key=key)


def table_lines(truth: Truth, shape: Shape, ref, codes: set[str] | None = None) -> list[Line]:
    """Every line, in the shape's order; `codes`: only these measures' blocks."""
    blocks = [b for b in truth.blocks if codes is None or b.code in codes]
    return [line for block in _ordered(blocks, shape.order) for line in _block_lines(block, shape, ref, truth.year)]


def _cell(value: float | None) -> float:
    return 0 if value is None or pd.isna(value) else float(value)


TITLES = (
    "CHỈ SỐ HIỆU QUẢ QUẢN TRỊ VÀ HÀNH CHÍNH CÔNG CẤP TỈNH (PAPI) NĂM {y} — DỮ LIỆU KIỂM THỬ",
    "Nguồn: CECODES, VFF-CRT, UNDP (độ sâu từ 2018 là số giả)",
    "Ghi chú: 0 là không công bố",
    "Bảng tổng hợp kết quả",
    "Đơn vị: điểm",
    "Lưu hành nội bộ",
)


def _titles(shape: Shape, year: int) -> list[list[object]]:
    return [[text.format(y=year)] for text in TITLES[: shape.title_rows]]


# --- units in rows ---------------------------------------------------------------------------------
_NAME_HEADERS = {"vi": "Tỉnh, thành phố", "en": "Province"}


def _rows_header(shape: Shape, lines: list[Line], gaps: set[int]) -> list[list[object]]:
    """The header rows: a label row per language, our codes, the scale, the unit (FACTS compilation)."""
    rows = []
    head = [("STT" if shape.id_column == "stt" else "tinhid")] if shape.id_column else []
    kinds = [(lang, lambda ln, lang=lang: ln.labels[lang]) for lang in shape.languages]
    if shape.code_labels:
        kinds.append(("code", lambda ln: ln.code))
    if shape.scale:
        kinds.append(("scale", lambda ln: ln.scale))
    if shape.unit_labels:
        kinds.append(("unit", lambda ln: ln.unit))
    for n, (kind, label) in enumerate(kinds):
        first = n == 0
        row = [*(head if first else [""] * len(head)), _NAME_HEADERS.get(kind, "") if kind in _NAME_HEADERS else ""]
        if shape.second_names:
            row.append("Province (English)" if first else "")
        for j, line in enumerate(lines):
            if j in gaps:
                row.append(None)
            row.append(label(line))
        if shape.notes:
            row.append("Ghi chú" if first else "")
        rows.append(row)
    return rows


def _rows_body(truth: Truth, shape: Shape, lines: list[Line], gaps: set[int], top: int) -> list[list[object]]:
    """A row per unit (its values, the aggregate as a formula if asked) and the summary rows."""
    lead = (1 if shape.id_column else 0) + 1 + (1 if shape.second_names else 0)
    letters = {}
    column = lead
    for j in range(len(lines)):
        column += 1 if j in gaps else 0
        letters[j] = get_column_letter(column + 1)
        column += 1
    dims = [j for j, ln in enumerate(lines) if ln.measure in dimensions_for_year(truth.year)]
    rows = []
    for i, unit in enumerate(truth.units):
        number = top + i + 1
        row = [unit["gso_code"] if shape.id_column == "tinhid" else i + 1] if shape.id_column else []
        row.append(unit_label(unit, shape.names))
        if shape.second_names:
            row.append(unit_label(unit, _other_names(shape)))
        for j, line in enumerate(lines):
            if j in gaps:
                row.append(None)
            value = _cell(line.values.get(unit["unit_id"]))
            if shape.formulas and line.measure == TOTAL and dims:
                value = Formula("SUM(" + ",".join(f"{letters[d]}{number}" for d in dims) + ")", value)
            row.append(value)
        if shape.notes:
            row.append("Số liệu kiểm thử" if i % 7 == 0 else None)
        rows.append(row)
    return rows + _summary_rows(truth, shape, lines, gaps, letters, top)


def _summary_rows(truth, shape, lines, gaps, letters, top) -> list[list[object]]:
    if not shape.summary:
        return []
    rows, last = [], top + len(truth.units)
    for en, vi, function in SUMMARY_ROWS:
        row = [SUMMARY_CODE] if shape.id_column else []
        row.append(en if shape.names == "english" else vi)
        if shape.second_names:
            row.append(vi if shape.names == "english" else en)
        for j, line in enumerate(lines):
            if j in gaps:
                row.append(None)
            values = [_cell(v) for v in line.values.values()] or [0.0]
            value = function(values) if function else round(sum(values) / len(values), 6)
            if shape.formulas:
                name = {max: "MAX", min: "MIN"}.get(function, "AVERAGE")
                value = Formula(f"{name}({letters[j]}{top + 1}:{letters[j]}{last})", value)
            row.append(value)
        rows.append(row)
    return rows


def rows_sheet(truth: Truth, shape: Shape, ref, codes: set[str] | None = None) -> list[list[object]]:
    """The table with a unit per row (FACTS era1_file, compilation)."""
    lines = table_lines(truth, shape, ref, codes)
    starts = [j for j, ln in enumerate(lines) if ln.measure in dimensions_for_year(truth.year)][1:]
    gaps = set(starts[:: max(1, shape.separators)]) if shape.separators else set()
    header = _rows_header(shape, lines, gaps)
    top = shape.title_rows + len(header)
    return [*_titles(shape, truth.year), *header, *_rows_body(truth, shape, lines, gaps, top)]


# --- units in columns ------------------------------------------------------------------------------
_LABEL_HEADERS = {
    "vi": "Chỉ tiêu",
    "en": "Indicator",
    "code": "Mã",
    "scale": "Thang điểm / Scale",
    "unit": "Đơn vị tính",
}


def _label_kinds(shape: Shape) -> list[str]:
    return [*(["code"] if shape.code_labels else []), *shape.languages, *(["scale"] if shape.scale else [])] + (
        ["unit"] if shape.unit_labels else []
    )


def _unit_columns(truth: Truth, shape: Shape) -> list[dict | None]:
    """The unit columns in order, None for a separator (FACTS file_2024); a summary column at the end."""
    columns: list[dict | None] = []
    for i, unit in enumerate(truth.units):
        if shape.separators and i and i % shape.separators == 0:
            columns.append(None)
        columns.append(unit)
    return columns


def _metadata(shape: Shape, kinds: list[str], columns: list[dict | None]) -> list[list[object]]:
    """The 2024 file's 4 rows above the provinces: which of the 34 new units each province went to."""
    if not shape.metadata:
        return []
    pad = [""] * (len(kinds) - 1)
    new = ["Đơn vị hành chính mới (từ 01/07/2025)", *pad, *(u["successor"] if u else None for u in columns)]
    numbers = {name: n for n, name in enumerate(sorted({u["successor"] for u in columns if u}), start=1)}
    codes = ["Mã đơn vị mới", *pad, *(numbers[u["successor"]] if u else None for u in columns)]
    return [["Sắp xếp theo Nghị quyết 202/2025/QH15"], new, codes, ["(34 tỉnh, thành phố)"]]


def columns_sheet(truth: Truth, shape: Shape, ref) -> list[list[object]]:
    """The table with a unit per column (FACTS era2_sheets, era2_labels, era2_rows, file_2024)."""
    kinds, columns = _label_kinds(shape), _unit_columns(truth, shape)
    lines = table_lines(truth, shape, ref)
    extra = ["Cả nước"] if shape.summary else []
    head = [_LABEL_HEADERS[k] for k in kinds]
    rows = [*_titles(shape, truth.year), *_metadata(shape, kinds, columns)]
    rows.append([*head, *(unit_label(u, shape.names) if u else None for u in columns), *extra])
    names_row = len(rows) - 1
    pad = [""] * (len(kinds) - 1)
    if shape.second_names:
        rows.append(["Province (English)", *pad, *(unit_label(u, _other_names(shape)) if u else None for u in columns)])
    if shape.id_column:
        rows.append(["Mã tỉnh", *pad, *(u["gso_code"] if u else None for u in columns)])
    top = len(rows)
    at = {line.measure: top + n + 1 for n, line in enumerate(lines) if line.measure}
    dims = [at[d] for d in dimensions_for_year(truth.year) if d in at]
    for n, line in enumerate(lines):
        labels = {"code": line.code, "scale": line.scale, "unit": line.unit, **line.labels}
        row = [labels[k] for k in kinds]
        for j, unit in enumerate(columns):
            if unit is None:
                row.append(None)
                continue
            value = _cell(line.values.get(unit["unit_id"]))
            if shape.formulas and line.measure == TOTAL and dims:
                letter = get_column_letter(len(kinds) + j + 1)
                value = Formula("+".join(f"{letter}{d}" for d in dims), value)
            row.append(value)
        if extra:
            values = [_cell(v) for v in line.values.values()] or [0.0]
            row.append(round(sum(values) / len(values), 6))
        if shape.notes:
            row.append("Số liệu kiểm thử" if n % 9 == 0 else None)
        rows.append(row)
    if shape.notes:
        rows[names_row].append("Ghi chú")
    return rows


# --- the workbook --------------------------------------------------------------------------------
def sheet_name(shape: Shape, year: int) -> str:
    """The main sheet's name (FACTS era1_file, tab_2012, compilation, era2_sheets)."""
    if shape.sheet_style == "era2":
        return ERA2_SHEETS.get(year, f"{year}_VIE_ENG")
    if shape.sheet_style == "era1" and year == 2011:
        return SHEET_NAMES["era1"].format(y=2012)  # the 2011 file's tab says 2012
    return SHEET_NAMES[shape.sheet_style].format(y=year)


def file_name(shape: Shape, year: int) -> str:
    newest = max((year, *shape.extra_years))
    if shape.sheet_style == "era1":
        return f"PAPI-{year}-Dữ-liệu-1.xlsx"
    if shape.sheet_style == "compilation":
        return "PAPI_2011-2016.xlsx"
    if shape.sheet_style == "era2":
        tail = "_34_TinhThanh" if newest == 2024 else ""
        return f"{newest}PAPI_ProvincialIndicators_BangChiTieuCapTinh{tail}.xlsx"
    return f"papi_{newest}.xlsx"


def _details(truth: Truth, shape: Shape, ref) -> dict[str, list[list[object]]]:
    """The era-1 detail sheets: each dimension with its parts (FACTS era1_details)."""
    sheets = {}
    for dimension in dimensions_for_year(truth.year):
        parts = {b.code for b in truth.blocks if b.code.startswith(dimension + ".")}
        if not parts:
            continue
        n = int(dimension[1:])
        title = MISSPELT_DETAIL if n == 5 else DETAIL.format(n=n)
        sheets[title] = rows_sheet(truth, replace(shape, summary=False), ref, {dimension, *parts})
    return sheets


def _sheet(truth: Truth, shape: Shape, ref) -> list[list[object]]:
    if shape.units_in == "columns":
        return columns_sheet(truth, shape, ref)
    parts_here = not (shape.details and shape.parts_in_details_only)
    codes = None if parts_here else {b.code for b in truth.blocks if "." not in b.code}
    return rows_sheet(truth, shape, ref, codes)


def _year_is_found(shape: Shape, year: int, main: str) -> bool:
    """Does the file say its year without the analyst (its sheet's name — not in a CSV —, its title rows, its file
    name)?"""
    if str(year) in main and not shape.csv:
        return True
    if shape.title_rows:
        return True
    return (
        not shape.extra_years and shape.sheet_style in ("era1", "era2", "plain") and str(year) in file_name(shape, year)
    )


def render(store: Store, year: int, shape: Shape) -> Rendered:
    """The truth of `year` written in `shape`, with the choices an analyst makes for it: the year where the file
    leaves it in doubt (the 2011 tab says 2012) or does not say it, the sheet where the workbook holds several."""
    ref, found = _ref(store), truth(store, year)
    main = sheet_name(shape, year)
    sheets = {main: _sheet(found, shape, ref)}
    if shape.details and shape.units_in == "rows":
        sheets |= _details(found, shape, ref)
    for other in shape.extra_years:  # (the 2011 tab says 2012: beside 2012's own tab, it is left out)
        sheets.setdefault(sheet_name(shape, other), _sheet(truth(store, other), shape, ref))
    wrong_tab = shape.sheet_style == "era1" and year == 2011
    chosen_year = year if wrong_tab or not _year_is_found(shape, year, main) else None
    choices = Choices(year=chosen_year, sheet=main if shape.extra_years else None)
    name = file_name(shape, year)
    if shape.csv:
        return Rendered(_csv(sheets[main]), name.removesuffix(".xlsx") + ".csv", choices, None)
    return Rendered(xlsx(sheets, shared_strings=shape.shared_strings), name, choices, main)


def _csv(rows: list[list[object]]) -> bytes:
    """The sheet as Excel saves it as CSV: every row as wide as the widest, numbers as written."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    width = max(len(row) for row in rows)
    for row in rows:
        cells = ["" if v is None else repr(v) if isinstance(v, float) else v for v in row]
        writer.writerow(cells + [""] * (width - len(cells)))
    return out.getvalue().encode("utf-8-sig")


# --- reading a shape against the truth ----------------------------------------------------------------
KEY = ["unit_id", "measure"]


def truth_parsed(store: Store, year: int) -> ParsedScores:
    """The truth of a year as the store should hold it, built from the generator's own frames (not read)."""
    found, ref = truth(store, year), store.reference()
    labels = []
    for code, (vi, en) in found.names.items():
        labels.append((year, "measure", code, int(ref.measure(code)["sort_order"]), code.split(".")[0], vi, en, None))
    order = 0
    for block in found.blocks:
        for indicator in block.indicators:
            vi, en = (text.split(": ", 1)[1] for text in (indicator.vi, indicator.en))
            labels.append((year, "indicator", indicator.code, order, block.code, vi, en, "%"))
            order += 1
    columns = ["year", "kind", "code", "sort_order", "parent", "name_vi", "name_en", "unit"]
    return ParsedScores(
        file=f"SYNTHETIC_truth_{year}.xlsx",
        content=f"SYNTHETIC truth of {year} (tests/support/published_shapes.py)".encode(),
        layout="official_columns",
        unit_set="old",
        unit_set_reason="",
        unit_set_certain=True,
        frame=found.scores.reset_index(drop=True),
        rows_in_file=0,
        indicators=found.indicators,
        labels=pd.DataFrame(labels, columns=columns).astype({"year": "int64", "sort_order": "int64"}),
    )


class TruthStore(Store):
    """The seed, with the SYNTHETIC depth of a year from 2018 written as its truth the first time it is read."""

    def __init__(self, path) -> None:
        super().__init__(path)
        self.written: set[int] = set()

    def with_truth(self, year: int) -> TruthStore:
        if year >= 2018 and year not in self.written:
            self.commit_scores(truth_parsed(self, year), replace=True, user="kiểm thử (số liệu giả)")
            self.written.add(year)
        return self


def read_as_the_truth(store: TruthStore, year: int, shape: Shape) -> ParsedScores:
    """Write the truth of `year` in `shape`, read it, and check it is exactly the stored cells (see the module
    docstring); the parsed file, for more checks."""
    for other in (year, *shape.extra_years):
        store.with_truth(other)
    rendered = render(store, year, shape)
    reading = read_scores(rendered.content, rendered.file, store.reference(), rendered.choices)
    assert reading.accepted, [str(p) for p in reading.problems[:8]]
    parsed, found = reading.parsed, truth(store, year)
    got = parsed.frame.sort_values(KEY, ignore_index=True)
    pd.testing.assert_frame_equal(got, found.scores.astype(got.dtypes.to_dict()), check_exact=True)
    indicators = parsed.indicators.sort_values(["unit_id", "code"], ignore_index=True)
    wanted = found.indicators.sort_values(["unit_id", "code"], ignore_index=True)
    pd.testing.assert_frame_equal(indicators, wanted.astype(indicators.dtypes.to_dict()), check_exact=True)
    names = parsed.labels[parsed.labels.kind == "measure"].set_index("code")
    for code, row in names.iterrows():
        for column, expected in zip(("name_vi", "name_en"), found.names[code], strict=True):
            assert pd.isna(row[column]) or row[column] == expected, (code, row[column], expected)
    diff = store.preview(parsed, replace=True)
    assert not diff.has_changes, [(p.table.table, len(p.added), len(p.changed), len(p.removed)) for p in diff.parts]
    assert parsed.years == [year] and parsed.file_year.year == year
    return parsed
