"""Issue 20, every door bounded: each uploaded file (scores, tasks, the quarterly status report) is parsed in the
isolated child, never in the Streamlit worker or the command line; the XLSX parts openpyxl reads whole are
bounded."""

from __future__ import annotations

import ast
import io
import resource
from pathlib import Path

import hostile_files as hostile
import openpyxl
import pandas as pd
import pytest
from apptest import open_page
from helpers import assert_unchanged, csv_bytes, db_state, synthetic_year, xlsx_bytes

from papi_analysis.cli.main import main
from papi_analysis.files import csv_records, xlsx_book
from papi_analysis.files.tabular import read_table
from papi_analysis.paths import TASKS_CSV
from papi_analysis.plan import status_file
from papi_analysis.plan.plan_tasks import with_dimensions
from papi_analysis.plan.task_status import Period, with_status
from papi_analysis.problems import InvalidFile
from papi_analysis.reading import isolated
from papi_analysis.reading.ingest import parse_scores

ROOT = Path(__file__).resolve().parents[2]
PLAN = "120/KH-UBND-2023"
Q3 = Period(2023, 3)
MEKONG3 = ["Sóc Trăng", "Cà Mau", "An Giang"]


def refused(call, *args, **kwargs) -> list:
    with pytest.raises(InvalidFile) as caught:
        call(*args, **kwargs)
    return caught.value.problems


def one(problems: list, text: str):
    matching = [p for p in problems if text in str(p)]
    assert matching, [str(p) for p in problems]
    return matching[0]


# --- 1. one bounded path for every uploaded file --------------------------------------------------------
@pytest.fixture
def readers_fail_here(monkeypatch):
    """The file readers fail in this process (the worker, the command line): a door that parses here fails."""

    def parsed_here(*_args, **_kwargs):
        raise AssertionError("an uploaded file was parsed in the worker, not in the isolated child")

    monkeypatch.setattr(csv_records, "read_records", parsed_here)
    monkeypatch.setattr(xlsx_book, "open_book", parsed_here)
    with pytest.raises(AssertionError):  # the patch holds here …
        read_table(b"a,b\n1,2\n", "x.csv")
    isolated.run(len, b"", file="khởi động")  # … and the fork server (a clean process) is not touched by it


def status_report(store, rows: dict[str, tuple]) -> bytes:
    """The quarterly report file as the dashboard exports it, with Tình trạng, Kết quả, Minh chứng filled."""
    tasks = with_status(with_dimensions(store.tasks()), store.task_statuses(), Q3.end)
    book = openpyxl.load_workbook(io.BytesIO(status_file.report_xlsx(tasks, Q3)))
    for row in book.active.iter_rows(min_row=2):
        if row[0].value in rows:
            row[4].value, row[5].value, row[6].value = rows[row[0].value]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def analyst_page(page: str, **params):
    at = open_page(page, session={"_analyst": "lan"}, params=params)
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.slow
def test_every_upload_door_parses_in_the_isolated_child(readers_fail_here, fresh_db_env, tmp_path):
    """Scores (CSV and a workbook, whose sheets are listed first), tasks and the quarterly status report, from
    the upload page, the tasks page and the command line: each works with the readers broken in this process."""
    frame = synthetic_year(MEKONG3, 2025)
    scores = xlsx_bytes({"PAPI 2025": [list(frame.columns), *frame.values.tolist()], "Ghi chú": [["x"]]})
    at = analyst_page("pages/upload.py")
    at.file_uploader(key="up_scores_0").set_value(("papi_2025.xlsx", scores, "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="up_sheet").set_value("PAPI 2025").run()
    assert not at.exception and "Xem trước" in [s.value for s in at.subheader]
    tasks = pd.read_csv(TASKS_CSV, dtype=str, keep_default_na=False).head(3).to_csv(index=False).encode()
    at.file_uploader(key="up_tasks_0").set_value(("nhiem-vu.csv", tasks, "text/csv")).run()
    assert not at.exception and any("3 nhiệm vụ" in t.value for t in at.text)
    page = analyst_page("pages/tasks.py", year=2022)
    report = status_report(fresh_db_env, {"T065": ("Hoàn thành", "Đã xong", None)})
    page.file_uploader(key="tasks_import_0").set_value(("bao-cao-q3.xlsx", report, "application/octet-stream"))
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    assert page.button(key="tasks_import_commit").label == "Ghi 1 tình trạng"
    path = tmp_path / "papi_2025.csv"
    path.write_bytes(csv_bytes(frame))
    assert main(["ingest", str(path), "--dry-run"]) == 0


READERS = {"parse_scores", "parse_tasks", "parse_status_file", "read_grid", "read_table", "excel_sheets"}
READERS |= {"open_book", "read_records", "decode_text"}


def test_no_page_or_command_calls_a_reader_but_through_the_isolated_runner():
    """The doors of tomorrow: a page, a section of ui/ or a command that names a reader names it as
    isolated.<reader>; anything else would parse an upload in the worker."""
    found = []
    files = [ROOT / "app.py", *(ROOT / "pages").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]
    files += list((ROOT / "papi_analysis" / "cli").rglob("*.py"))
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and any(a.name in READERS for a in node.names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports a reader")
            elif isinstance(node, ast.Name) and node.id in READERS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.id}")
            elif isinstance(node, ast.Attribute) and node.attr in READERS:
                owner = node.value.id if isinstance(node.value, ast.Name) else None
                if owner != "isolated":
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {owner}.{node.attr}")
    assert not found, found


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@pytest.mark.slow
def test_a_400_kb_status_file_with_bloated_styles_is_refused_with_the_worker_flat(readers_fail_here, fresh_db_env):
    """1.5 M cell formats in styles.xml (408 KB zipped) took the worker from 544 MB to 3 GB and 35–55 s."""
    content = hostile.bloated_styles(status_report(fresh_db_env, {}))
    assert 300 * 1024 < len(content) < 500 * 1024
    before_state, before_peak = db_state(fresh_db_env), _peak_kib()
    page = analyst_page("pages/tasks.py", year=2022)
    page.file_uploader(key="tasks_import_0").set_value(("bao-cao-q3.xlsx", content, "application/octet-stream"))
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    assert "Tệp không hợp lệ: 1 lỗi. Chưa có gì được ghi." in [e.value for e in page.error]
    problems = next(d.value for d in page.dataframe if "Vấn đề" in d.value.columns)
    assert "xl/styles.xml" in problems["Vấn đề"].iloc[0]
    assert (_peak_kib() - before_peak) < 50 * 1024  # KiB: the worker's peak did not move
    assert_unchanged(fresh_db_env, before_state)
    history = fresh_db_env.task_statuses()
    outcome = isolated.run(
        status_file.parse_status_file,
        content,
        "x.xlsx",
        PLAN,
        with_dimensions(fresh_db_env.tasks()),
        history,
        Q3,
        file="x.xlsx",
    )
    assert outcome.problems and outcome.usage.seconds < 5 and outcome.usage.child_peak_mb < 500


@pytest.fixture(scope="module")
def workbook() -> bytes:
    frame = synthetic_year(MEKONG3, 2024)
    return xlsx_bytes({"PAPI 2024": [list(frame.columns), *frame.values.tolist()]})


WHOLE_PART_BOMBS = {  # (build, what the refusal names): each at the size that once took 1.3–2.8 GB
    "1.5 M cell formats": (hostile.bloated_styles, "xl/styles.xml"),
    "1.2 M defined names": (hostile.defined_names, "xl/workbook.xml"),
    "1.4 M content types": (hostile.content_types, "[Content_Types].xml"),
    "1 M relationships": (hostile.relationships, "xl/_rels/workbook.xml.rels"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(WHOLE_PART_BOMBS))
def test_whole_part_xml_bombs_are_refused_at_once(workbook, ref, case):
    build, part = WHOLE_PART_BOMBS[case]
    content = build(workbook)
    outcome = isolated.run(parse_scores, content, "bom.xlsx", ref, file="bom.xlsx")
    assert part in one(outcome.problems, "vượt giới hạn").message
    assert outcome.usage.seconds < 5 and outcome.usage.child_peak_mb < 500


@pytest.mark.parametrize(
    ("build", "said"),
    [
        (lambda w: hostile.bloated_styles(w, 250_000), "hơn 200.000 mục định dạng (styles)"),
        (lambda w: hostile.defined_names(w, 60_000), "hơn 50.000 tên được định nghĩa (Defined Names)"),
        (lambda w: hostile.content_types(w, 5_000), "hơn 4.000 khai báo kiểu nội dung"),
        (lambda w: hostile.relationships(w, 5_000), "hơn 4.000 liên kết giữa các phần"),
    ],
    ids=["styles", "defined names", "content types", "relationships"],
)
def test_dense_parts_within_the_byte_limit_are_refused_by_their_count(workbook, ref, build, said):
    content = build(workbook)
    assert one(refused(parse_scores, content, "x.xlsx", ref), said).file == "x.xlsx"


def test_parts_just_within_the_counts_are_read(workbook, ref):
    content = hostile.defined_names(hostile.content_types(hostile.relationships(workbook, 3_000), 3_000), 1_000)
    assert len(parse_scores(content, "papi_2024.xlsx", ref).frame) == 3 * 9
