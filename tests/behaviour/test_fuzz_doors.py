"""Fuzzing the other doors with Hypothesis (issue 20, item 8): the tasks file and the quarterly status report.

Files are the real data/tasks.csv and the status report the dashboard exports (CSV and XLSX), their cells
mutated (statuses spelt every way, hostile notes and evidence: control characters, U+FFFF, formulas, text past
the limits; unknown, doubled and blank codes; a column dropped) and their bytes or their sheet's XML mutated as
tests/behaviour/test_fuzz.py does for scores files. For every file:
- the reader returns or raises InvalidFile, nothing else, and every problem renders as text;
- every text it accepts can be stored and written anywhere (characters.py);
- an accepted file reads again the same: its tasks written back as a tasks file (plan_tasks.to_file_frame), its
  status changes written into the report and exported, are read as the same tasks and the same changes — a
  second, independent pass over what the first one understood;
- a refused file is refused by the isolated child too (the door the pages use).

Derandomized and bounded by default (the counts below); `--fuzz` or PAPI_FUZZ=N runs N times as many random
examples (tests/behaviour/test_fuzz.py: `examples`).
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from test_fuzz import CSV_MUTATIONS, examples, mutate, mutate_xlsx

from papi_analysis import characters
from papi_analysis.files import export
from papi_analysis.paths import TASKS_CSV
from papi_analysis.plan import status_file
from papi_analysis.plan.plan_tasks import parse_tasks, to_file_frame, with_dimensions
from papi_analysis.plan.task_status import STATUSES, Period, with_status
from papi_analysis.problems import InvalidFile, Problem
from papi_analysis.reading import isolated

PLAN = "120/KH-UBND-2023"
Q3 = Period(2023, 3)
HOSTILE_TEXTS = [
    "",
    " ",
    "Đã ban hành Quyết định số 12/QĐ-UBND",
    '=HYPERLINK("https://x.vn")',
    "'=1+1",
    "\x01",
    "ghi chú\x1b]0;PWNED\x07",
    "\uffff",
    "\ufffe cuối",
    "dòng 1\ndòng 2\r\ndòng 3",
    "- việc 1\n- việc 2\n+ việc 3",
    "@Sở Nội vụ",
    "\t\t",
    "x" * 2001,
    "y" * 501,
    "‮ngược‬",
    "https://soctrang.gov.vn/van-ban/123",
]
STATUS_SPELLINGS = [*STATUSES, "hoan thanh", "ĐANG TRIỂN KHAI", "Xong", "", "Hoàn thành ", "=1+1", "\x01"]
CODES = ["T065", "t065", " T066 ", "T999", "", "T065", "T001\x01"]


def outcome(name: str) -> None:
    if currently_in_test_context():  # the unmutated files are checked outside Hypothesis too
        event(name)


def problems_render(error: InvalidFile) -> None:
    assert error.problems and all(isinstance(p, Problem) and str(p) for p in error.problems)


def all_clean(*texts: object) -> None:
    for text in texts:
        assert not isinstance(text, str) or characters.problem(text) is None, repr(text)


# --- the tasks file -------------------------------------------------------------------------------------
class Named(bytes):
    """A file's bytes that Hypothesis names, not prints, in a failing example."""

    def __repr__(self) -> str:
        return f"<{len(self)} bytes>"


@pytest.fixture(scope="module")
def tasks_csv() -> Named:
    return Named(TASKS_CSV.read_bytes())


def tasks_again(loaded, ref) -> pd.DataFrame:
    """The accepted tasks written back as a tasks file and read again."""
    measures = loaded.task_measures.groupby("task_id").measure.agg(list)
    frame = loaded.tasks.assign(measures=[measures.get(t, []) for t in loaded.tasks.task_id])
    content = export.csv_bytes(to_file_frame(frame))
    return parse_tasks(content, "lan-hai.csv", ref, {loaded.plan_id: loaded.plan or {}}).tasks


_TASK_TEXT = ["task_id", "section_ref", "title", "text", "product", "due_text", "tag_basis"]


def check_tasks(content: bytes, ref, plans: dict) -> None:
    try:
        loaded = parse_tasks(content, "nhiem-vu.csv", ref, plans)
    except InvalidFile as error:
        problems_render(error)
        outcome("refused")
        with pytest.raises(InvalidFile):
            isolated.parse_tasks(content, "nhiem-vu.csv", ref, plans)
        return
    outcome("accepted")
    all_clean(*loaded.tasks[_TASK_TEXT].to_numpy().ravel())
    all_clean(*[u for units in loaded.tasks.lead_units for u in units])
    assert loaded.tasks.task_id.is_unique
    again = tasks_again(loaded, ref)
    columns = [*_TASK_TEXT, "lead_units", "coordinating_units", "due_date", "recurring"]
    pd.testing.assert_frame_equal(loaded.tasks[columns], again[columns], check_dtype=False)


@examples(30)
@given(data=st.data())
def test_mutated_tasks_files(tasks_csv, ref, store, data):
    plans = {p["plan_id"]: p for p in store.plans().to_dict("records")}
    check_tasks(mutate(data, tasks_csv, CSV_MUTATIONS), ref, plans)


@examples(20)
@given(data=st.data())
def test_tasks_files_with_hostile_cells(tasks_csv, ref, store, data):
    rows = pd.read_csv(io.BytesIO(tasks_csv), dtype=str, keep_default_na=False)
    for _ in range(data.draw(st.integers(1, 4))):
        column = data.draw(st.sampled_from(["id", "title", "text", "lead_units", "due", "product", "dimensions"]))
        rows.loc[data.draw(st.integers(0, len(rows) - 1)), column] = data.draw(st.sampled_from(HOSTILE_TEXTS + CODES))
    plans = {p["plan_id"]: p for p in store.plans().to_dict("records")}
    check_tasks(rows.to_csv(index=False).encode(), ref, plans)


# --- the quarterly status report ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def plan(store):
    tasks = with_dimensions(store.tasks())
    tasks = tasks[tasks.plan_id == PLAN]
    history = store.task_statuses()
    return tasks, history, status_file.report_frame(with_status(tasks, history, Q3.end), Q3)


def edited(data, frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for _ in range(data.draw(st.integers(1, 6))):
        row = data.draw(st.integers(0, len(frame) - 1))
        column = data.draw(st.sampled_from(["Mã", "Tình trạng", "Tình trạng", "Kết quả", "Minh chứng"]))
        values = {"Mã": CODES, "Tình trạng": STATUS_SPELLINGS}.get(column, HOSTILE_TEXTS)
        frame.loc[frame.index[row], column] = data.draw(st.sampled_from(values))
    if data.draw(st.integers(0, 9)) == 0:
        frame = frame.drop(columns=data.draw(st.sampled_from(list(frame.columns))))
    return frame


def written(frame: pd.DataFrame, as_xlsx: bool) -> bytes:
    """The report as a user's program would save it (raw text: no export rule between the edit and the file)."""
    if not as_xlsx:
        return frame.to_csv(index=False).encode()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([characters.xml_safe(v) if isinstance(v, str) else v for v in row])  # what XML can hold
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def changes_of(imported: status_file.StatusImport) -> list[tuple]:
    return [(c.task_id, c.status, c.note, c.evidence) for c in imported.changes]


def check_status(content: bytes, name: str, plan) -> None:
    tasks, history, frame = plan
    try:
        imported = status_file.parse_status_file(content, name, PLAN, tasks, history, Q3)
    except InvalidFile as error:
        problems_render(error)
        outcome("refused")
        with pytest.raises(InvalidFile):
            isolated.parse_status_file(content, name, PLAN, tasks, history, Q3)
        return
    outcome("accepted")
    for change in imported.changes:
        all_clean(change.note, change.evidence)
        assert change.task_id in set(tasks.task_id) and change.period == Q3
    back = frame.set_index("Mã")
    for task_id, status, note, evidence in changes_of(imported):
        back.loc[task_id, ["Tình trạng", "Kết quả", "Minh chứng"]] = [status.value, note or "", evidence or ""]
    again = status_file.parse_status_file(export.csv_bytes(back.reset_index()), "lan-hai.csv", PLAN, tasks, history, Q3)
    assert changes_of(again) == changes_of(imported)


@examples(30)
@given(data=st.data())
def test_status_reports_with_hostile_cells(plan, data):
    as_xlsx = data.draw(st.booleans())
    content = written(edited(data, plan[2]), as_xlsx)
    check_status(content, "bao-cao-q3.xlsx" if as_xlsx else "bao-cao-q3.csv", plan)


@pytest.fixture(scope="module")
def clean_reports(plan) -> dict[bool, bytes]:
    """The untouched report, written once (XLSX: True): a saved workbook carries the time it was saved, and the
    draws that mutate it must not depend on the clock (Hypothesis replays them and checks they repeat)."""
    return {as_xlsx: written(plan[2], as_xlsx) for as_xlsx in (True, False)}


@examples(20)
@given(data=st.data())
def test_mutated_status_reports(plan, clean_reports, data):
    if data.draw(st.booleans()):
        content, name = mutate_xlsx(data, clean_reports[True]), "bao-cao-q3.xlsx"
    else:
        content, name = mutate(data, clean_reports[False], CSV_MUTATIONS), "bao-cao-q3.csv"
    check_status(content, name, plan)


def test_the_unmutated_files_are_accepted_and_read_again_the_same(tasks_csv, ref, store, plan):
    """The fuzzing starts from files that load: otherwise every mutation would be refused anyway."""
    plans = {p["plan_id"]: p for p in store.plans().to_dict("records")}
    check_tasks(tasks_csv, ref, plans)
    filled = plan[2].assign(**{"Tình trạng": "Đang triển khai", "Kết quả": "Đã giao việc"})
    for as_xlsx in (False, True):
        imported = status_file.parse_status_file(
            written(filled, as_xlsx), "q3.xlsx" if as_xlsx else "q3.csv", PLAN, plan[0], plan[1], Q3
        )
        assert len(imported.changes) == len(plan[0])
