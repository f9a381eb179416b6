"""Step 3b of reading a scores file: the values read, as the frames the store keeps — scores with their bounds
(papi_analysis.bounds: confidence interval, standard error), indicators, and the names the file gives its
sub-dimensions and indicators for its years. The bounds are attached to the score they bound; a bound without
its score, or read twice, is a problem."""

from __future__ import annotations

import pandas as pd

from papi_analysis import fmt
from papi_analysis.bounds import BOUND_KEYS, bound
from papi_analysis.problems import Problem
from papi_analysis.reading.context import ReadingContext
from papi_analysis.reading.line_targets import INDICATOR, SCORE
from papi_analysis.reading.mapping import Mapping
from papi_analysis.reference import Reference

SCORE_COLUMNS = ["year", "unit_id", "measure", "value", *BOUND_KEYS]
INDICATOR_COLUMNS = ["year", "unit_id", "code", "value"]
LABEL_COLUMNS = ["year", "kind", "code", "sort_order", "parent", "name_vi", "name_en", "unit"]
SOURCE = ["src_sheet", "src_row", "src_column", "src_cell", "src_text"]


def split(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(scores, bounds, indicators) of the read cells (year, unit_id, kind, measure, value, line, src_*)."""
    cells = cells.rename(columns={"text": "src_text"})
    return cells[cells.kind == SCORE], cells[cells.kind.isin(BOUND_KEYS)], cells[cells.kind == INDICATOR]


def with_bounds(scores: pd.DataFrame, bounds: pd.DataFrame, ctx: ReadingContext) -> tuple[pd.DataFrame, list]:
    """The scores with their bounds beside them (one column per bound)."""
    key, name = ["year", "unit_id", "measure"], ctx.ref.unit_name
    problems = []
    twice = bounds.duplicated([*key, "kind"], keep="first")
    for r in bounds[twice].itertuples():
        message = f"{bound(r.kind).noun.capitalize()} của {r.measure}, {name(r.unit_id)}, năm {r.year} có hai lần."
        problems.append(ctx.at_cell(r).problem(message, r.src_text))
    bounds = bounds[~twice]
    orphan = ~bounds.set_index(key).index.isin(scores.set_index(key).index)
    for r in bounds[orphan].itertuples():
        message = f"Có {bound(r.kind).noun} nhưng không có điểm {r.measure} của {name(r.unit_id)} năm {r.year}."
        problems.append(ctx.at_cell(r).problem(message, r.src_text))
    wide = bounds[~orphan].pivot_table(index=key, columns="kind", values="value", aggfunc="first")
    wide = wide.reindex(columns=list(BOUND_KEYS))
    wide.columns.name = None
    frame = scores.merge(wide.reset_index(), on=key, how="left")
    return frame[[*SCORE_COLUMNS, *SOURCE]], problems


def indicators(cells: pd.DataFrame, mapping: Mapping, ctx: ReadingContext) -> tuple[pd.DataFrame, list[Problem]]:
    """Indicator values by the code of their line; a share (%) is between 0 and 100."""
    lines = {(ln.sheet, ln.position): ln for ln in mapping.lines}
    places = list(zip(cells.src_sheet, cells.line, strict=True))
    frame = cells.assign(code=[lines[p].code for p in places], unit=[lines[p].unit for p in places])
    problems = []
    share = (frame.unit == "%") & ((frame.value < 0) | (frame.value > 100))
    for r in frame[share].itertuples():
        problems.append(ctx.at_cell(r).problem("Chỉ tiêu tính theo phần trăm phải từ 0 đến 100.", r.src_text))
    twice = frame.duplicated(["year", "unit_id", "code"], keep="first")
    for r in frame[twice].itertuples():
        message = f"Chỉ tiêu {r.code} của {ctx.ref.unit_name(r.unit_id)} năm {r.year} có hai lần."
        problems.append(ctx.at_cell(r).problem(message, r.src_text))
    frame = frame[INDICATOR_COLUMNS].reset_index(drop=True)
    return frame.astype({"unit_id": object, "code": object, "value": "float64"}), problems


def published_labels(mapping: Mapping, years: list[int], ref: Reference) -> pd.DataFrame:
    """The names a file gives its sub-dimensions (in the catalogue's order, whatever the file's), and its
    indicators (code, parent, unit; numbered in the file's order of indicators, whatever else the file holds),
    for its years."""
    rows, order = [], 0
    for line in mapping.lines:
        target = line.target
        if target.kind == INDICATOR:
            entry = ("indicator", line.code, order, line.parent, line.name_vi, line.name_en, line.unit)
            order += 1
        elif target.is_score and target.of in set(ref.measures.code) and ref.measure_kind(target.of) == "subdimension":
            if not (line.name_vi or line.name_en):
                continue
            measure = ref.measure(target.of)
            order_parent = (int(measure["sort_order"]), measure["parent"])
            entry = ("measure", target.of, *order_parent, line.name_vi, line.name_en, None)
        else:
            continue
        rows += [(year, *entry) for year in years]
    frame = pd.DataFrame(rows, columns=LABEL_COLUMNS)
    return frame.drop_duplicates(["year", "kind", "code"]).astype({"year": "int64", "sort_order": "int64"})


def zero_note(count: int) -> list[str]:
    if not count:
        return []
    return [f"{fmt.integer(count)} ô bằng 0 được hiểu là PAPI không công bố (không ghi giá trị nào cho các ô đó)."]
