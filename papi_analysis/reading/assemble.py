"""Step 3b of reading a scores file: the values read, as the frames the store keeps — scores with their bounds
(confidence interval, standard error), indicators, and the names the file gives its sub-dimensions and
indicators for its years. The bounds are attached to the score they bound; a bound without its score, or read
twice, is a problem."""

from __future__ import annotations

import pandas as pd

from papi_analysis import fmt
from papi_analysis.problems import Problem, Where
from papi_analysis.reading.labels import INDICATOR
from papi_analysis.reading.mapping import Mapping

SCORE_COLUMNS = ["year", "unit_id", "measure", "value", "ci_low", "ci_high", "std_error"]
INDICATOR_COLUMNS = ["year", "unit_id", "code", "value"]
LABEL_COLUMNS = ["year", "kind", "code", "sort_order", "parent", "name_vi", "name_en", "unit"]
_BOUND_COLUMNS = {"ci_low": "ci_low", "ci_high": "ci_high", "se": "std_error"}
_BOUND_NAMES = {"ci_low": "cận dưới", "ci_high": "cận trên", "se": "sai số chuẩn"}
_SOURCE = ["src_row", "src_column", "src_cell", "src_text"]


def split(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(scores, bounds, indicators) of the read cells (columns year, unit_id, target, value, line, src_*)."""
    cells = cells.rename(columns={"text": "src_text"})
    indicator = cells.target == INDICATOR
    bound = cells.target.str.contains(":", regex=False)
    scores = cells[~indicator & ~bound].rename(columns={"target": "measure"})
    bounds = cells[bound].copy()
    parts = bounds.target.str.split(":", n=1)
    bounds["kind"], bounds["measure"] = parts.str[0], parts.str[1]
    return scores, bounds, cells[indicator]


def with_bounds(scores: pd.DataFrame, bounds: pd.DataFrame, file: str, names) -> tuple[pd.DataFrame, list[Problem]]:
    """The scores with ci_low, ci_high, std_error beside them."""
    key = ["year", "unit_id", "measure"]
    problems = []
    twice = bounds.duplicated([*key, "kind"], keep="first")
    for r in bounds[twice].itertuples():
        message = f"{_BOUND_NAMES[r.kind].capitalize()} của {r.measure}, {names(r.unit_id)}, năm {r.year} có hai lần."
        problems.append(Where.of_cell(file, r).problem(message, r.src_text))
    bounds = bounds[~twice]
    orphan = ~bounds.set_index(key).index.isin(scores.set_index(key).index)
    for r in bounds[orphan].itertuples():
        message = f"Có {_BOUND_NAMES[r.kind]} nhưng không có điểm {r.measure} của {names(r.unit_id)} năm {r.year}."
        problems.append(Where.of_cell(file, r).problem(message, r.src_text))
    wide = bounds[~orphan].pivot_table(index=key, columns="kind", values="value", aggfunc="first")
    wide = wide.rename(columns=_BOUND_COLUMNS).reindex(columns=list(_BOUND_COLUMNS.values()))
    frame = scores.merge(wide.reset_index(), on=key, how="left")
    return frame[[*SCORE_COLUMNS, *_SOURCE]], problems


def indicators(cells: pd.DataFrame, mapping: Mapping, file: str, names) -> tuple[pd.DataFrame, list[Problem]]:
    """Indicator values by the code of their line; a share (%) is between 0 and 100."""
    lines = {ln.position: ln for ln in mapping.lines}
    frame = cells.assign(code=cells.line.map(lambda p: lines[p].code), unit=cells.line.map(lambda p: lines[p].unit))
    problems = []
    share = (frame.unit == "%") & ((frame.value < 0) | (frame.value > 100))
    for r in frame[share].itertuples():
        problems.append(Where.of_cell(file, r).problem("Chỉ tiêu tính theo phần trăm phải từ 0 đến 100.", r.src_text))
    twice = frame.duplicated(["year", "unit_id", "code"], keep="first")
    for r in frame[twice].itertuples():
        message = f"Chỉ tiêu {r.code} của {names(r.unit_id)} năm {r.year} có hai lần."
        problems.append(Where.of_cell(file, r).problem(message, r.src_text))
    frame = frame[INDICATOR_COLUMNS].reset_index(drop=True)
    return frame.astype({"unit_id": object, "code": object, "value": "float64"}), problems


def published_labels(mapping: Mapping, years: list[int], ref) -> pd.DataFrame:
    """The names a file gives its sub-dimensions, and its indicators (code, parent, unit), for its years."""
    rows = []
    for order, line in enumerate(mapping.lines):
        if line.target == INDICATOR:
            entry = ("indicator", line.code, line.parent, line.name_vi, line.name_en, line.unit)
        elif line.target in set(ref.measures.code) and ref.measure_kind(line.target) == "subdimension":
            if not (line.name_vi or line.name_en):
                continue
            entry = ("measure", line.target, ref.measure(line.target)["parent"], line.name_vi, line.name_en, None)
        else:
            continue
        rows += [(year, entry[0], entry[1], order, *entry[2:]) for year in years]
    frame = pd.DataFrame(rows, columns=LABEL_COLUMNS)
    return frame.drop_duplicates(["year", "kind", "code"]).astype({"year": "int64", "sort_order": "int64"})


def zero_note(count: int) -> list[str]:
    if not count:
        return []
    return [f"{fmt.integer(count)} ô bằng 0 được hiểu là PAPI không công bố (không ghi giá trị nào cho các ô đó)."]
