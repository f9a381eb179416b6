"""Workbooks in the layouts PAPI publishes (PAPI.md, issue 11), written from the stored data, for tests.

SYNTHETIC: the confidence intervals, standard errors, weighted aggregates, indicators and the sub-dimension
scores of years the store has none for (2017 on) are made up here, deterministically, for tests only; they are
never written to data/. Dimension and aggregate scores, and the 2011–2016 sub-dimensions, are the stored ones.
As in the official files, 0 is written where PAPI published nothing.

Two layouts, built for variation rather than one exact file:
- `transposed` (from 2018): title rows, then a row of province names (spellings vary), label columns in
  Vietnamese and/or English (and optionally a code column), rows of the aggregate, weighted aggregate,
  dimensions, sub-dimensions, their CI and standard-error rows, and indicator rows (percent, days);
- `by_rows` (2011–2017): title rows, then a header 'STT, Tỉnh/Thành phố, 1: …, Điểm thấp, Điểm cao, …'.
A workbook may repeat other years on extra sheets and add a sheet about the 34 new units.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field, replace

import pandas as pd
from helpers import xlsx_bytes

from papi_analysis.domain import TOTAL, WEIGHTED_TOTAL, dimensions_for_year
from papi_analysis.names import slugify, strip_diacritics
from papi_analysis.store.database import Store

VARIANTS = {"Hồ Chí Minh": "TP. Hồ Chí Minh", "Thừa Thiên Huế": "Thừa Thiên - Huế", "Bà Rịa - Vũng Tàu": "BR-VT"}
# Names a workbook may give sub-dimensions that differ from data/measures.csv (kept as the file says).
FILE_NAMES = {"D1.1": ("Tri thức công dân về quyền tham gia", "Civic knowledge of participation rights")}
SCORE_COLUMNS = ["year", "unit_id", "measure", "value", "ci_low", "ci_high", "std_error"]


@dataclass(frozen=True)
class Options:
    labels: str = "both"  # 'both', 'vi', 'en', 'code+vi'
    title_rows: int = 3
    bounds: bool = True  # CI rows, and a standard-error row for the aggregate and the dimensions
    weighted: bool = True
    indicators: int = 2  # percent indicators per sub-dimension; and one in days per dimension
    subdimensions: bool = True
    names: str = "official"  # 'official', 'variants', 'ascii'
    extra_years: tuple[int, ...] = ()
    metadata_sheet: bool = False
    national_column: bool = False
    renumbered: bool = False  # a later year's numbering: D5 without construction permits, 5.2 = land-use rights


@dataclass
class Expected:
    """What the workbook's main sheet must load as, exactly."""

    scores: pd.DataFrame  # SCORE_COLUMNS
    indicators: pd.DataFrame  # year, unit_id, code, value
    names: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # sub-dimension -> file's names
    zeros: int = 0


def _u(*parts: object) -> float:
    """A deterministic number in [0, 1) for the synthetic values."""
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16) / 2**32


@functools.lru_cache(maxsize=8)
def _reference(store: Store, stamp: str):
    return store.reference()


def _ref(store: Store):
    return _reference(store, store.version())


def _parts(store: Store, dimension: str, year: int, options: Options) -> list[str]:
    parts = _ref(store).subdimensions_in_year(dimension, year)
    return [p for p in parts if not (options.renumbered and p == "D5.2")]


def synthetic_parts(store: Store, stored: pd.DataFrame, year: int, options: Options) -> pd.DataFrame:
    """The year's sub-dimensions: the stored ones, else SYNTHETIC parts adding up to each stored dimension."""
    subs = stored[stored.measure.str.contains(".", regex=False)]
    if len(subs) or not options.subdimensions:
        return subs[["year", "unit_id", "measure", "value"]]
    rows = []
    for r in stored[stored.measure.isin(dimensions_for_year(year))].itertuples():
        parts = _parts(store, r.measure, year, options)
        k, share = len(parts), r.value / len(parts)
        spread = min(share - 1 / k, 10 / k - share) * 0.8
        draws = [_u(r.unit_id, p, year) for p in parts]
        mean = sum(draws) / k
        values = [round(share + (d - mean) * spread, 6) for d in draws[:-1]]
        values.append(round(r.value - sum(values), 6))  # the parts add up to the published dimension (± 1e-6)
        rows += [(year, r.unit_id, p, v) for p, v in zip(parts, values, strict=True)]
    return pd.DataFrame(rows, columns=["year", "unit_id", "measure", "value"])


def synthetic_bounds(scores: pd.DataFrame, options: Options) -> pd.DataFrame:
    """SYNTHETIC 95% bounds and standard errors (the standard error for the aggregates and dimensions)."""
    half = [
        round(
            (1.0 + 1.5 * _u(u, m)) if m in (TOTAL, WEIGHTED_TOTAL) else (0.1 + 0.3 * _u(u, m)) / (2 if "." in m else 1),
            4,
        )
        for u, m in zip(scores.unit_id, scores.measure, strict=True)
    ]
    out = scores.assign(ci_low=(scores.value - half).round(6), ci_high=(scores.value + half).round(6))
    out["std_error"] = [None if "." in m else round(h / 1.96, 6) for m, h in zip(scores.measure, half, strict=True)]
    if not options.bounds:
        out[["ci_low", "ci_high", "std_error"]] = None
    return out.astype({"ci_low": "float64", "ci_high": "float64", "std_error": "float64"})


def expected_scores(store: Store, year: int, options: Options = Options()) -> pd.DataFrame:
    """The scores (with SYNTHETIC depth) a workbook of `year` holds."""
    stored = store.scores(years=[year])
    main = stored[~stored.measure.str.contains(".", regex=False)][["year", "unit_id", "measure", "value"]]
    frames = [main, synthetic_parts(store, stored, year, options)]
    totals = main[main.measure == TOTAL]
    if options.weighted:
        weighted = [round(v * (0.97 + 0.06 * _u(u, "w")), 6) for u, v in zip(totals.unit_id, totals.value, strict=True)]
        frames.append(totals.assign(measure=WEIGHTED_TOTAL, value=weighted))
    scores = pd.concat([f for f in frames if len(f)], ignore_index=True)
    return synthetic_bounds(scores, options)[SCORE_COLUMNS].sort_values(["unit_id", "measure"], ignore_index=True)


@dataclass(frozen=True)
class Row:
    """One line of the transposed sheet: its labels and the value of each unit (None: not published)."""

    vi: str
    en: str
    code: str
    values: dict[str, float | None]


def _indicator_rows(code: str, unit_ids: list[str], year: int, n: int) -> list[tuple[str, Row]]:
    """SYNTHETIC indicators of a sub-dimension: n shares in percent, for the units given (the others: 0)."""
    rows = []
    for i in range(n):
        ind = f"d{code[1]}{int(code[3:])}{i + 1}"
        values = {u: round(0.5 + 99 * _u(u, ind, year), 2) for u in unit_ids}
        vi = f"{ind}: Tỷ lệ người trả lời đồng ý (%) — chỉ tiêu kiểm thử, số giả"
        en = f"{ind}: Share of respondents who agree (%) — synthetic test indicator"
        rows.append((ind, Row(vi, en, ind, values)))
    return rows


def _days_row(dimension: str, unit_ids: list[str], year: int) -> tuple[str, Row]:
    values = {u: round(1 + 30 * _u(u, dimension, "days", year), 1) for u in unit_ids}
    vi = f"Số ngày trung bình chờ giải quyết thủ tục, {dimension}, số giả (ngày)"
    en = f"Average days waiting, {dimension}, synthetic (days)"
    return "", Row(vi, en, "", values)


def _names(store: Store, code: str) -> tuple[str, str]:
    measure = _ref(store).measure(code)
    return FILE_NAMES.get(code, (str(measure["name_vi"]), str(measure["name_en"])))


def _score_rows(scores: pd.DataFrame, code: str, vi: str, en: str, number: str, options: Options) -> list[Row]:
    """A score's row and, with bounds, its CI rows (and standard error)."""
    rows = scores[scores.measure == code].set_index("unit_id")
    out = [Row(vi, en, number, rows.value.to_dict())]
    if options.bounds:
        out.append(Row("Điểm thấp (khoảng tin cậy 95%)", "CI low (95%)", "", rows.ci_low.to_dict()))
        out.append(Row("Điểm cao (khoảng tin cậy 95%)", "CI high (95%)", "", rows.ci_high.to_dict()))
        if rows.std_error.notna().any():
            out.append(Row("Sai số chuẩn", "Standard error", "", rows.std_error.to_dict()))
    return out


def _indicator_name(row: Row, options: Options) -> str:
    return row.en if options.labels == "en" else row.vi


def _transposed_rows(store: Store, year: int, scores: pd.DataFrame, options: Options):
    """Every line of the sheet and the expected indicators (only for units with a score of their dimension)."""
    rows = _score_rows(scores, TOTAL, "Chỉ số PAPI tổng hợp (không có trọng số)", "Unweighted PAPI score", "", options)
    if options.weighted:
        rows += _score_rows(
            scores, WEIGHTED_TOTAL, "Chỉ số PAPI tổng hợp (có trọng số)", "Weighted PAPI score", "", options
        )
    indicators = []
    for dimension in dimensions_for_year(year):
        n, (vi, en) = dimension[1:], _names(store, dimension)
        rows.append(Row(f"PHẦN {n}", f"PART {n}", "", {}))  # a heading without values
        rows += _score_rows(scores, dimension, f"Chỉ số nội dung {n}: {vi}", f"Dimension {n}: {en}", n, options)
        unit_ids = sorted(set(scores.unit_id[scores.measure == dimension]))
        subs = [c for c in _parts(store, dimension, year, options) if c in set(scores.measure)]
        for number, code in enumerate(subs, start=1):
            vi, en = _names(store, code)
            shown = f"{n}.{number}" if options.renumbered else code[1:]
            vi, en = f"Chỉ số thành phần {shown}: {vi}", f"Sub-dimension {shown}: {en}"
            rows += _score_rows(scores, code, vi, en, shown, options)
            for ind, row in _indicator_rows(code, unit_ids, year, options.indicators):
                rows.append(row)
                indicators += [(year, u, ind, v) for u, v in row.values.items()]
        if options.indicators:
            _, row = _days_row(dimension, unit_ids, year)
            rows.append(row)
            code = f"{subs[-1] if subs else dimension}-" + slugify(_indicator_name(row, options))[:48]
            indicators += [(year, u, code, v) for u, v in row.values.items()]
    return rows, pd.DataFrame(indicators, columns=["year", "unit_id", "code", "value"])


def _unit_label(name: str, options: Options) -> str:
    if options.names == "variants":
        return VARIANTS.get(name, name.upper() if len(name) < 7 else name)
    if options.names == "ascii":
        return strip_diacritics(name)
    return name


def _label_cells(row: Row, options: Options) -> list[str]:
    return {"both": [row.vi, row.en], "vi": [row.vi], "en": [row.en], "code+vi": [row.code, row.vi]}[options.labels]


def _units(store: Store, year: int) -> list[str]:
    ref = _ref(store)
    unit_set = str(store.years().set_index("year").unit_set.loc[year])
    return ref.units_of_set(unit_set).sort_values(["gso_code", "name_vi"]).unit_id.tolist()


def _cell(value: float | None) -> float:
    return 0 if value is None or pd.isna(value) else float(value)


def transposed_sheet(store: Store, year: int, options: Options) -> tuple[list[list[object]], Expected]:
    ref, unit_ids = _ref(store), _units(store, year)
    scores = expected_scores(store, year, options)
    rows, indicators = _transposed_rows(store, year, scores, options)
    title = [
        [f"CHỈ SỐ PAPI {year} — BẢNG CHỈ TIÊU CẤP TỈNH (DỮ LIỆU KIỂM THỬ: CI, TRỌNG SỐ, CHỈ TIÊU LÀ SỐ GIẢ)"],
        [f"PAPI {year} provincial indicators — synthetic test data"],
    ][: options.title_rows] + [[None]] * max(0, options.title_rows - 2)
    heads = _label_cells(Row("Chỉ tiêu", "Indicator", "Mã", {}), options)
    extra = ["Cả nước"] if options.national_column else []
    sheet = [*title, [*heads, *(_unit_label(ref.unit_name(u), options) for u in unit_ids), *extra]]
    zeros = 0
    for row in rows:
        cells = [_cell(row.values.get(u)) for u in unit_ids] if row.values else []
        zeros += sum(1 for c in cells if c == 0)
        sheet.append([*_label_cells(row, options), *cells, *([50.0] if extra and cells else [])])
    vi, en = options.labels != "en", options.labels in ("both", "en")
    names = {c: (_names(store, c)[0] if vi else None, _names(store, c)[1] if en else None) for c in scores.measure}
    names = {c: n for c, n in names.items() if "." in c}
    return sheet, Expected(scores=scores, indicators=indicators, names=names, zeros=zeros)


workbook = xlsx_bytes  # sheets by title, each a list of rows


def metadata_sheet(store: Store) -> list[list[object]]:
    """A sheet about the 34 new units (not scores), as the 2024 workbook adds."""
    ref = _ref(store)
    rows = [["Danh sách 34 tỉnh, thành phố từ 01/07/2025"], ["STT", "Tỉnh, thành phố mới", "Hợp nhất từ"]]
    for i, unit in enumerate(ref.units_of_set("new").itertuples(), start=1):
        rows.append([i, unit.name_vi, ", ".join(ref.unit_name(u) for u in ref.predecessors(unit.unit_id))])
    return rows


def transposed(store: Store, year: int, options: Options = Options()) -> tuple[bytes, Expected]:
    """A workbook of `year` as published from 2018 (provinces in columns)."""
    sheet, expected = transposed_sheet(store, year, options)
    sheets = {f"PAPI {year}": sheet}
    for other in options.extra_years:
        sheets[f"PAPI {other}"] = transposed_sheet(store, other, replace(options, extra_years=()))[0]
    if options.metadata_sheet:
        sheets["34 tỉnh thành mới"] = metadata_sheet(store)
    return workbook(sheets), expected


def by_rows(store: Store, year: int, options: Options = Options()) -> tuple[bytes, Expected]:
    """A workbook of `year` as published for 2011–2017 (provinces in rows, sheet '… tổng hợp')."""
    ref, unit_ids = _ref(store), _units(store, year)
    scores = expected_scores(store, year, replace(options, indicators=0))
    by_unit = scores.set_index(["unit_id", "measure"])
    columns: list[tuple[str, str, str]] = []  # header, measure, field
    for dimension in dimensions_for_year(year):
        columns.append((f"{dimension[1:]}: {_names(store, dimension)[0]}", dimension, "value"))
        if options.bounds:
            columns += [("Điểm thấp", dimension, "ci_low"), ("Điểm cao", dimension, "ci_high")]
    columns.append(("Tổng (không có trọng số)", TOTAL, "value"))
    if options.bounds:
        columns += [
            ("Điểm thấp", TOTAL, "ci_low"),
            ("Điểm cao", TOTAL, "ci_high"),
            ("Sai số chuẩn", TOTAL, "std_error"),
        ]
    if options.weighted:
        columns.append(("Tổng có trọng số", WEIGHTED_TOTAL, "value"))
    for code in sorted({m for m in scores.measure if "." in m}, key=lambda c: tuple(map(int, c[1:].split(".")))):
        columns.append((f"{code[1:]}: {_names(store, code)[0]}", code, "value"))
    title = [[f"PAPI {year} — CHỈ SỐ TỔNG HỢP CẤP TỈNH (DỮ LIỆU KIỂM THỬ, CI VÀ TRỌNG SỐ LÀ SỐ GIẢ)"]]
    sheet = [*title[: options.title_rows], *[[None]] * max(0, options.title_rows - 1)]
    sheet.append(["STT", "Tỉnh/Thành phố", *(c[0] for c in columns)])
    zeros = 0
    for i, unit_id in enumerate(unit_ids, start=1):
        cells = [_cell(by_unit[f].get((unit_id, m))) for _, m, f in columns]
        zeros += sum(1 for c in cells if c == 0)
        sheet.append([i, _unit_label(ref.unit_name(unit_id), options), *cells])
    # this layout has no bounds for sub-dimensions and the weighted aggregate, no standard error for dimensions
    no_bounds = scores.measure.str.contains(".", regex=False) | (scores.measure == WEIGHTED_TOTAL)
    scores.loc[no_bounds, ["ci_low", "ci_high", "std_error"]] = None
    scores.loc[scores.measure.isin(dimensions_for_year(year)), "std_error"] = None
    if not options.bounds:
        scores[["ci_low", "ci_high", "std_error"]] = None
    names = {c: _names(store, c) for c in scores.measure if "." in c}
    sheets = {f"PAPI {year} tổng hợp": sheet}
    if options.metadata_sheet:
        sheets["Ghi chú"] = metadata_sheet(store)
    empty = pd.DataFrame(columns=["year", "unit_id", "code", "value"])
    return workbook(sheets), Expected(
        scores=scores, indicators=empty, names={k: (v[0], None) for k, v in names.items()}, zeros=zeros
    )
