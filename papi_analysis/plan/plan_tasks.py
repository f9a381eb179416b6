"""The improvement plan's tasks: validate a tasks file, and link tasks to (weak) dimensions.

A tasks file has the columns of data/tasks.csv (see data/TASKS.md); lists inside a cell are
separated by ';'. Validation collects every problem with its row and column, like the scores
upload, and nothing is written unless the whole file is valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from papi_analysis import characters, fmt
from papi_analysis.domain import DIMENSIONS, parent_dimension
from papi_analysis.files import export
from papi_analysis.files.tabular import Table, read_table
from papi_analysis.names import nfc, strip_diacritics
from papi_analysis.plan.agencies import ROLE_CHOICES, ROLE_ORDER, canonical, role_in
from papi_analysis.plan.task_status import ROMAN, Period, period_of
from papi_analysis.problems import InvalidFile, Problem, Where
from papi_analysis.reference import Reference

REQUIRED_COLUMNS = ("id", "plan_id", "section", "title", "text", "dimensions", "lead_units", "due")
OPTIONAL_COLUMNS = ("subdimensions", "coordinating_units", "product", "due_date", "tag_basis")
PLAN_COLUMNS = ("plan_id", "title", "issuing_body", "issued_on", "target_year", "province")
RECURRING = "Thường xuyên"
NO_DATE = "Không ghi thời hạn cụ thể"
# Counting tasks per weak dimension: fewer than this many is flagged as thin coverage.
FEW_TASKS = 3
GENERAL_LABEL = "Toàn bộ Chỉ số PAPI (nhiệm vụ chung)"

_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass
class LoadedTasks:
    file: str
    content: bytes
    plan_id: str
    plan: dict[str, object] | None  # None: a plan not known yet, its details must be given (parse_plan)
    tasks: pd.DataFrame  # columns of the tasks table
    task_measures: pd.DataFrame  # plan_id, task_id, measure
    warnings: list[str] = field(default_factory=list)


def split_list(text: object) -> list[str]:
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return []
    return [part.strip() for part in str(text).split(";") if part.strip()]


def parse_day(text: str) -> date | None:
    match = _DATE.match(text.strip())
    if not match:
        return None
    day, month, year = map(int, match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def normalise_due(due: str) -> date | None:
    """'Quý IV/2023' -> 31/12/2023; 'Tháng 7/2023' -> 31/07/2023; 'Năm 2023' -> 31/12/2023."""
    text = " ".join(due.split())
    if m := re.search(r"Quý\s+(IV|III|II|I)\s*/\s*(\d{4})", text):
        return Period(int(m.group(2)), ROMAN.index(m.group(1)) + 1).end
    if m := re.search(r"Tháng\s+(\d{1,2})\s*/\s*(\d{4})", text):
        month, year = int(m.group(1)), int(m.group(2))
        following = date(year + month // 12, month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    if m := re.search(r"(?:ngày\s+)(\d{1,2}/\d{1,2}/\d{4})", text):
        return parse_day(m.group(1))
    if m := re.match(r"Năm\s+(\d{4})", text):
        return date(int(m.group(1)), 12, 31)
    return None


def is_recurring(due: str) -> bool:
    return due.strip().lower().startswith(("thường xuyên", "hằng năm", "hàng năm"))


def due_period(due_date: object, recurring: bool) -> str:
    """Filter bucket: 'Quý IV/2023', 'Thường xuyên' or 'Không ghi thời hạn cụ thể'."""
    if recurring:
        return RECURRING
    if due_date is None or pd.isna(due_date):
        return NO_DATE
    return period_of(pd.Timestamp(due_date).date()).label


@dataclass
class _TasksFile:
    """A tasks file being read: its table, where each known column is, what was found so far."""

    table: Table
    column: dict[str, int]  # known column name -> index
    known_measures: set[str]
    problems: list[Problem] = field(default_factory=list)
    seen_ids: dict[str, int] = field(default_factory=dict)
    plan_ids: set[str] = field(default_factory=set)
    respelt: dict[str, str] = field(default_factory=dict)

    def get(self, index: int, name: str) -> str:
        value = self.table.rows[index][self.column[name]] if name in self.column else None
        return nfc(export.unneutralise_text(str(value))).strip() if value is not None else ""  # our template too

    def report(self, index: int, name: str, message: str, value: str | None = None) -> None:
        self.problems.append(self.table.where(index, self.column.get(name), name).problem(message, value))


def _columns(table: Table) -> tuple[dict[str, int], list[str]]:
    """Where each known column is, and the warnings about columns not used; InvalidFile if one is missing."""
    header = [h.strip().lower() for h in table.header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InvalidFile([Where(table.file).problem(f"Thiếu cột bắt buộc: {', '.join(missing)}.")])
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS + ("nguồn",)  # our own exports end with the source
    unknown = [h for h in table.header if h.strip().lower() not in known]
    warnings = [f"Bỏ qua các cột không dùng: {', '.join(unknown)}."] if unknown else []
    return {name: header.index(name) for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if name in header}, warnings


def _check_measures(tf: _TasksFile, index: int, dimensions: list[str], subdims: list[str], ref: Reference) -> None:
    if not dimensions:
        tf.report(index, "dimensions", "Mỗi nhiệm vụ cần ít nhất một chỉ số nội dung (D1…D8).")
    for code in dimensions:
        if code not in DIMENSIONS:
            tf.report(index, "dimensions", "Mã chỉ số nội dung không hợp lệ (cần D1…D8).", code)
    for code in subdims:
        if code not in tf.known_measures or ref.measure_kind(code) != "subdimension":
            tf.report(index, "subdimensions", "Mã chỉ số thành phần không có trong danh mục (ví dụ D5.3).", code)
        elif parent_dimension(code) not in dimensions:
            parent = parent_dimension(code)
            tf.report(index, "subdimensions", f"{code} thuộc {parent} nhưng cột dimensions không có {parent}.", code)


def _due_date(tf: _TasksFile, index: int, due: str) -> date | None:
    if tf.get(index, "due_date"):
        due_date = parse_day(tf.get(index, "due_date"))
        if due_date is None:
            tf.report(index, "due_date", "Ngày không hợp lệ (cần dd/mm/yyyy).", tf.get(index, "due_date"))
        return due_date
    return normalise_due(due) if due else None


def _task_row(tf: _TasksFile, index: int, ref: Reference) -> tuple[dict[str, object], list[dict[str, str]]]:
    """One row of the file: its task and its links to measures; its problems go to tf.problems."""
    get = lambda name: tf.get(index, name)
    for name in ("id", "plan_id", "title", "text", "lead_units"):
        if not get(name):
            tf.report(index, name, "Ô bắt buộc đang trống.")
    task_id, plan_id = get("id"), get("plan_id")
    if task_id in tf.seen_ids:
        tf.report(index, "id", f"Mã nhiệm vụ trùng với dòng {tf.seen_ids[task_id]}.", task_id)
    tf.seen_ids.setdefault(task_id, tf.table.row_numbers[index])
    if plan_id:
        tf.plan_ids.add(plan_id)
    dimensions, subdimensions = split_list(get("dimensions")), split_list(get("subdimensions"))
    _check_measures(tf, index, dimensions, subdimensions, ref)
    units = {name: _units(get(name), tf.respelt) for name in ("lead_units", "coordinating_units")}
    due = get("due")
    row = dict(
        plan_id=plan_id,
        task_id=task_id,
        section_ref=get("section") or "—",
        title=get("title"),
        text=get("text"),
        lead_units=units["lead_units"],
        coordinating_units=units["coordinating_units"],
        product=get("product") or None,
        due_text=due or None,
        due_date=_due_date(tf, index, due),
        recurring=is_recurring(due),
        tag_basis=get("tag_basis") or None,
        sort_order=index + 1,
    )
    links = [
        dict(plan_id=plan_id, task_id=task_id, measure=m)
        for m in dict.fromkeys(dimensions + subdimensions)
        if m in tf.known_measures
    ]
    return row, links


def parse_tasks(content: bytes, file: str, ref: Reference, plans: dict[str, dict[str, object]]) -> LoadedTasks:
    """Validate a tasks file. plans: known plan metadata by plan_id (the file names one plan)."""
    table = read_table(content, file)
    column, warnings = _columns(table)
    tf = _TasksFile(table=table, column=column, known_measures=set(ref.measures.code))
    rows, links = [], []
    for index in range(len(table.rows)):
        row, row_links = _task_row(tf, index, ref)
        rows.append(row)
        links += row_links
    if len(tf.plan_ids) > 1:
        message = (
            f"Một tệp chỉ chứa nhiệm vụ của một kế hoạch; tệp có {len(tf.plan_ids)}: {', '.join(sorted(tf.plan_ids))}."
        )
        tf.problems.append(Where(file, column="plan_id").problem(message))
    if tf.problems:
        raise InvalidFile(tf.problems)
    warnings += [f"Đã thống nhất cách viết đơn vị: '{old}' → '{new}'." for old, new in sorted(tf.respelt.items())]
    plan_id = next(iter(tf.plan_ids))
    tasks = pd.DataFrame(rows).astype({"due_date": "datetime64[us]"})
    return LoadedTasks(
        file=file,
        content=content,
        plan_id=plan_id,
        plan=dict(plans[plan_id]) if plan_id in plans else None,
        tasks=tasks,
        task_measures=pd.DataFrame(links, columns=["plan_id", "task_id", "measure"]),
        warnings=warnings,
    )


def _units(cell: str, respelt: dict[str, str]) -> list[str]:
    """A list of units in their stored spelling; records each name whose spelling was unified."""
    units = []
    for name in split_list(cell):
        stored = canonical(name)
        if stored != name:
            respelt[name] = stored
        if stored not in units:
            units.append(stored)
    return units


def parse_plan(values: dict[str, object], file: str = "thông tin kế hoạch") -> dict[str, object]:
    """Validate plan metadata (from plans.csv or the upload form) into a plans row."""
    problems = []
    for name in PLAN_COLUMNS:
        if not str(values.get(name) or "").strip():
            problems.append(Where(file, column=name).problem("Thông tin bắt buộc đang trống."))
    issued = values.get("issued_on")
    if isinstance(issued, (date, datetime)):
        issued_on = issued if isinstance(issued, date) else issued.date()
    else:
        issued_on = parse_day(str(issued or ""))
        if issued and issued_on is None:
            message = "Ngày ban hành không hợp lệ (cần dd/mm/yyyy)."
            problems.append(Where(file, column="issued_on").problem(message, str(issued)))
    for name in PLAN_COLUMNS:
        if message := characters.problem(str(values.get(name) or "")):
            problems.append(Where(file, column=name).problem(message, characters.shown(str(values[name]))))
    try:
        target_year = int(str(values.get("target_year")))
    except ValueError:
        target_year = None
        message = "Năm mục tiêu phải là số (ví dụ 2024)."
        problems.append(Where(file, column="target_year").problem(message, str(values.get("target_year"))))
    if problems:
        raise InvalidFile(problems)
    plan = {name: nfc(str(values[name])).strip() for name in PLAN_COLUMNS}
    plan.update(issued_on=issued_on, target_year=target_year)
    return plan


def load_seed_tasks(ref: Reference, plans_csv: Path, tasks_csv: Path) -> list[LoadedTasks]:
    """data/plans.csv and data/tasks.csv at first start (nothing if the tasks file has no rows)."""
    if not tasks_csv.exists() or not plans_csv.exists():
        return []
    plans_frame = pd.read_csv(plans_csv, dtype=str, keep_default_na=False)
    plans = {row["plan_id"]: parse_plan(row, "data/plans.csv") for row in plans_frame.to_dict("records")}
    content = tasks_csv.read_bytes()
    if len(content.decode("utf-8").strip().splitlines()) < 2:
        return []
    loaded = parse_tasks(content, "data/tasks.csv", ref, plans)
    if loaded.plan is None:
        raise ValueError(f"data/plans.csv has no plan {loaded.plan_id}")
    return [loaded]


# --- the plan against the scores -------------------------------------------------------------
def with_dimensions(tasks: pd.DataFrame) -> pd.DataFrame:
    """Add 'dimensions' (D1…D8 a task targets, from its dimensions and sub-dimensions), 'general' (aimed at
    the whole index), 'subdimensions', 'due_period' and display strings for the lists."""
    out = tasks.copy()
    out["dimensions"] = out.measures.map(lambda ms: sorted({parent_dimension(m) for m in ms}, key=DIMENSIONS.index))
    out["general"] = is_general(out)
    out["subdimensions"] = out.measures.map(lambda ms: [m for m in ms if "." in m])
    out["due_period"] = [due_period(d, r) for d, r in zip(out.due_date, out.recurring, strict=True)]
    out["lead"] = out.lead_units.map("; ".join)
    out["coordinating"] = out.coordinating_units.map("; ".join)
    out["due_display"] = [t if isinstance(t, str) and t else fmt.MISSING for t in out.due_text]
    return out


def filter_tasks(
    tasks: pd.DataFrame,
    *,
    dimension: str | None = None,
    unit: str | None = None,
    role: str = "any",
    period: str | None = None,
    plan_id: str | None = None,
    query: str | None = None,
) -> pd.DataFrame:
    """Tasks matching every filter given. unit with role 'any', 'named' (named as lead), 'shared' (lead through a
    shared body such as "Các sở, ban, ngành tỉnh"), 'lead' (both) or 'partner'; with a unit, the tasks naming it
    come first (agencies.ROLE_ORDER), each group in plan order. query: words that must all appear (any case, with
    or without diacritics) in the task's code, section, title, text, units, product or due date."""
    keep = pd.Series(True, index=tasks.index)
    if dimension:
        keep &= tasks.dimensions.map(lambda ds: dimension in ds)
    if unit:
        roles = unit_roles(tasks, unit)
        keep &= roles.isin(ROLE_CHOICES[role])
    if period:
        keep &= tasks.due_period == period
    if plan_id:
        keep &= tasks.plan_id == plan_id
    if query and query.strip():
        keep &= matches(tasks, query)
    if unit:
        rank = roles[keep].map(lambda r: ROLE_ORDER.index(r))
        return tasks.loc[rank.sort_values(kind="stable").index]
    return tasks[keep]


def unit_roles(tasks: pd.DataFrame, unit: str) -> pd.Series:
    """Each task's agencies.Role for the unit (None where the unit takes no part)."""
    pairs = zip(tasks.lead_units, tasks.coordinating_units, strict=True)
    return pd.Series([role_in(leads, partners, unit) for leads, partners in pairs], index=tasks.index, dtype=object)


_SEARCHED = ("task_id", "section_ref", "title", "text", "product", "due_text")


def _search_key(text: str, fold_diacritics: bool) -> str:
    key = " ".join(nfc(text).casefold().split())
    return strip_diacritics(key) if fold_diacritics else key


def matches(tasks: pd.DataFrame, query: str) -> pd.Series:
    """Whether the query appears, as a phrase and in any case, in a task's code, section, title, text,
    units, product or due date. A query typed without diacritics matches with or without them ("chinh
    quyen so" finds "chính quyền số"); one typed with diacritics matches them exactly ("số" is not "sở")."""
    fold = strip_diacritics(query) == query
    wanted = _search_key(query, fold)
    text = tasks[list(_SEARCHED)].fillna("").astype(str).agg(" ".join, axis=1)
    text = text + " " + tasks.lead_units.map(" ".join) + " " + tasks.coordinating_units.map(" ".join)
    return text.map(lambda t: wanted in _search_key(t, fold)).astype(bool)


def is_general(tasks: pd.DataFrame) -> pd.Series:
    """Whole-index tasks (the plan aims them at the PAPI index as a whole): tagged with every dimension.
    They are shown and counted apart, or every dimension would look covered."""
    return tasks.dimensions.map(len) == len(DIMENSIONS)


def specific_to(tasks: pd.DataFrame, code: str) -> pd.DataFrame:
    """The tasks aimed at one dimension in particular (not the whole-index ones)."""
    return tasks[tasks.dimensions.map(lambda ds: code in ds) & ~is_general(tasks)]


def due_buckets(tasks: pd.DataFrame) -> list[str]:
    """The due-date filter's choices: quarters in order, then 'Thường xuyên' and no date."""
    return sorted(set(tasks.due_period), key=lambda p: (p in (RECURRING, NO_DATE), p[-4:], p))


def plan_number(plan_id: str, issued_on: object) -> str:
    """The plan's number as the document writes it: '120/KH-UBND-2023' issued in 2023 -> '120/KH-UBND'."""
    year = pd.Timestamp(issued_on).year if not fmt.is_missing(issued_on) else None
    return plan_id.removesuffix(f"-{year}") if year else plan_id


def default_plan(plans: pd.DataFrame, year: int) -> str:
    """The plan written after a year's results (target year = year + 1), else the newest plan."""
    following = plans[plans.target_year == year + 1]
    return str(following.plan_id.iloc[0] if len(following) else plans.plan_id.iloc[0])


def coverage_matrix(tasks: pd.DataFrame) -> pd.DataFrame:
    """Count of specific tasks per dimension (rows D1…D8) and lead unit (columns), then one row
    GENERAL_LABEL of the whole-index tasks per lead unit, counted apart so that they do not make every
    dimension look covered. A task with two lead units counts once under each."""
    rows = [*DIMENSIONS, GENERAL_LABEL]
    counts: dict[str, dict[str, int]] = {}
    for dimensions, leads in zip(tasks.dimensions, tasks.lead_units, strict=True):
        targets = [GENERAL_LABEL] if len(dimensions) == len(DIMENSIONS) else dimensions
        for unit in dict.fromkeys(leads):
            column = counts.setdefault(unit, dict.fromkeys(rows, 0))
            for row in targets:
                column[row] += 1
    return pd.DataFrame({unit: counts[unit] for unit in sorted(counts)}, index=rows, dtype=int)


def tasks_per_dimension(tasks: pd.DataFrame) -> pd.Series:
    """Distinct tasks per dimension D1…D8 (0 where none)."""
    counts = tasks[["task_id", "dimensions"]].explode("dimensions").groupby("dimensions").task_id.nunique()
    return counts.reindex(list(DIMENSIONS), fill_value=0)


def coverage_flag(count: int, weak: bool) -> str | None:
    if not weak:
        return None
    if count == 0:
        return "Chỉ số yếu chưa có nhiệm vụ nào"
    if count < FEW_TASKS:
        return f"Chỉ số yếu mới có {count} nhiệm vụ"
    return None


def to_file_frame(tasks: pd.DataFrame) -> pd.DataFrame:
    """Tasks (from the store) back in the columns of data/tasks.csv, e.g. as a template to edit."""
    return pd.DataFrame(
        {
            "id": tasks.task_id,
            "plan_id": tasks.plan_id,
            "section": tasks.section_ref,
            "title": tasks.title,
            "text": tasks.text,
            "dimensions": tasks.measures.map(lambda ms: ";".join(m for m in ms if "." not in m)),
            "subdimensions": tasks.measures.map(lambda ms: ";".join(m for m in ms if "." in m)),
            "lead_units": tasks.lead_units.map(";".join),
            "coordinating_units": tasks.coordinating_units.map(";".join),
            "product": tasks["product"].fillna(""),
            "due": tasks.due_text.fillna(""),
            "due_date": [fmt.day(d) if pd.notna(d) else "" for d in tasks.due_date],
            "tag_basis": tasks.tag_basis.fillna(""),
        }
    )
