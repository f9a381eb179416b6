"""Issue 20, every door bounded: each uploaded file (scores, tasks, the quarterly status report) is parsed in the
isolated child, never in the Streamlit worker or the command line; the XLSX parts openpyxl reads whole are
bounded; text that XML and Word cannot hold is refused at the door, located, and a value stored by any other
way cannot break a download, the report or a terminal."""

from __future__ import annotations

import ast
import io
import json
import resource
import subprocess
from pathlib import Path

import docx
import hostile_files as hostile
import openpyxl
import pandas as pd
import pytest
from apptest import open_page
from helpers import assert_unchanged, csv_bytes, db_state, synthetic_year, xlsx_bytes

from papi_analysis.cli.main import main
from papi_analysis.files import csv_records, export, xlsx_book
from papi_analysis.files.tabular import read_table
from papi_analysis.paths import TASKS_CSV
from papi_analysis.plan import status_file
from papi_analysis.plan.plan_tasks import parse_plan, parse_tasks, to_file_frame, with_dimensions
from papi_analysis.plan.task_status import Period, status_change, with_status
from papi_analysis.plan.task_tables import full_list
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
    header = [cell.value for cell in next(book.active.iter_rows(max_row=1))]
    filled = [header.index(name) for name in ("Tình trạng", "Kết quả", "Minh chứng")]
    for row in book.active.iter_rows(min_row=2):
        if row[0].value in rows:
            for column, value in zip(filled, rows[row[0].value], strict=True):
                row[column].value = value
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
    page = analyst_page("pages/tasks.py", year=2022, period=str(Q3))  # the file's quarter (its Kỳ báo cáo)
    report = status_report(fresh_db_env, {"T065": ("Hoàn thành", "Đã xong", None)})
    page.file_uploader(key="tasks_import_0").set_value(("bao-cao-q3.xlsx", report, "application/octet-stream"))
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    assert page.button(key="tasks_import_commit").label == "Ghi 1 tình trạng"
    path = tmp_path / "papi_2025.csv"
    path.write_bytes(csv_bytes(frame))
    assert main(["ingest", str(path), "--dry-run"]) == 0


READERS = {"parse_scores", "read_scores", "parse_tasks", "parse_status_file", "read_grid", "read_table", "excel_sheets"}
READERS |= {"open_book", "open_sheets", "read_rows", "read_records", "decode_text"}


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


# --- 2. text clean at the door ----------------------------------------------------------------------
def test_a_control_character_after_4000_characters_of_a_tasks_file_is_refused_located(ref):
    rows = pd.read_csv(TASKS_CSV, dtype=str, keep_default_na=False).head(30)
    rows.loc[25, "title"] = rows.loc[25, "title"] + "\x01"
    content = rows.to_csv(index=False).encode()
    assert content.index(b"\x01") > 4000
    problem = one(refused(parse_tasks, content, "kh.csv", ref, {}), "U+0001")
    assert (problem.row, problem.column) == (27, "title") and problem.value.endswith("\\u0001")


def test_a_control_character_in_an_official_layout_sub_dimension_name_is_refused(ref):
    """The official layout read from a CSV (provinces in columns): a sub-dimension row's label is its published
    name; one with \\x01 past the first 4,000 characters was stored."""
    names = list(ref.units_of_set("old").name_vi)
    lines = ["Chỉ số," + ",".join(names)]
    for d in range(1, 7):
        lines += [f"Chỉ số nội dung {d}: Nội dung {d}," + ",".join(["5.2"] * len(names))]
        lines += [f"Chỉ số thành phần {d}.{k}: Thành phần {d}.{k}," + ",".join(["1.3"] * len(names)) for k in (1, 2)]
    lines[-1] = lines[-1].replace("Thành phần 6.2", "Thành phần\x01 6.2")
    content = "\n".join(lines).encode()
    assert content.index(b"\x01") > 4000
    problem = one(refused(parse_scores, content, "papi_2016.csv", ref, year=2016), "U+0001")
    assert (problem.row, problem.column) == (19, "Chỉ số")


def test_a_status_note_holding_u_ffff_is_refused_located(fresh_store):
    tasks = with_dimensions(fresh_store.tasks())
    frame = status_file.report_frame(with_status(tasks, fresh_store.task_statuses(), Q3.end), Q3)
    frame.loc[frame["Mã"] == "T065", ["Tình trạng", "Kết quả"]] = ["Hoàn thành", "Đã xong\uffff"]
    content = export.csv_bytes(frame).replace("Đã xong\ufffd".encode(), "Đã xong\uffff".encode())  # past the exit
    problems = refused(status_file.parse_status_file, content, "q3.csv", PLAN, tasks, fresh_store.task_statuses(), Q3)
    assert (one(problems, "U+FFFF").row, one(problems, "U+FFFF").column) == (68, "Kết quả")


@pytest.mark.parametrize("bad", ["\x01", "\x1b", "\ufffe", "\uffff", "\x00"])
def test_the_one_rule_refuses_what_xml_cannot_hold(bad):
    from papi_analysis import characters

    assert characters.problem(f"ab{bad}c") and "(ký tự thứ 3)" in characters.problem(f"ab{bad}c")
    assert characters.problem("tab\tCR\rLF\nĐồng bằng sông Cửu Long €") is None
    assert characters.xml_safe(f"a{bad}b") == "a\ufffdb"


def test_names_titles_notes_file_names_and_users_are_held_to_the_rule(ref, fresh_db_env, tmp_path, capsys):
    assert one(refused(read_table, b"a,b\n1,2\n", "bao\x01cao.csv"), "Tên tệp")
    details = {"plan_id": "K", "title": "Kế hoạch\x07", "issuing_body": "UBND", "province": "Sóc Trăng"}
    problem = one(refused(parse_plan, details | {"issued_on": "01/02/2024", "target_year": 2025}), "U+0007")
    assert problem.column == "title"
    with pytest.raises(ValueError, match=r"Kết quả: Có ký tự không hợp lệ U\+001B"):
        status_change(PLAN, "T065", Q3, "Hoàn thành", note="\x1b[2J")
    before = db_state(fresh_db_env)
    assert main(["task-status", "T065", "--period", "2023-Q3", "--status", "Hoàn thành", "--evidence", "\x07"]) == 2
    path = tmp_path / "papi_2025.csv"
    path.write_bytes(csv_bytes(synthetic_year(MEKONG3, 2025)))
    assert main(["ingest", str(path), "--user", "lan\x01"]) == 1
    assert "--user: Có ký tự không hợp lệ U+0001" in capsys.readouterr().err
    assert_unchanged(fresh_db_env, before)


# --- 2. … and safe at the exit -------------------------------------------------------------------------
POISON = "\x01độc\uffff\x1b]0;PWNED\x07\x1b[2J"


@pytest.fixture
def poisoned(fresh_db_env):
    """Values no door lets in, written straight into the store: a task title, a plan title, a status note and
    evidence, a sub-dimension's published name, an upload's file name and user."""
    store = fresh_db_env
    store.record_status(status_change(PLAN, "T065", Q3, "Đang triển khai", note="ghi chú"), user="lan")
    with store.transaction() as con:
        con.execute("UPDATE tasks SET title = title || ? WHERE task_id IN ('T065', 'T001')", [POISON])
        con.execute("UPDATE plans SET title = title || ?", [POISON])
        con.execute("UPDATE task_status SET note = ?, evidence = ?", [POISON, POISON])
        con.execute(
            "INSERT OR REPLACE INTO published_labels VALUES (2016, 'measure', 'D1.1', 1, 'D1', ?, ?, NULL, 1)",
            [f"Tri thức công dân{POISON}", POISON],
        )
        con.execute("UPDATE uploads SET file_name = file_name || ?, uploaded_by = ?", [POISON, POISON])
    return store


def assert_opens(content: bytes, extension: str) -> str:
    """The file opens with the reader a user's program would use; its text."""
    if extension == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(content))
        return "\n".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None)
    if extension == "docx":
        doc = docx.Document(io.BytesIO(content))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)
    return content.decode("utf-8-sig")


def opened_by_libreoffice(document: bytes, folder: Path) -> str:
    """The text LibreOffice (Debian's, headless, a profile of its own) reads from a Word file."""
    source = folder / "bao-cao.docx"
    source.write_bytes(document)
    profile = f"-env:UserInstallation=file://{folder / 'lo-profile'}"
    command = ["soffice", profile, "--headless", "--convert-to", "txt:Text", "--outdir", str(folder), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    return (folder / "bao-cao.txt").read_text(encoding="utf-8-sig")


@pytest.mark.slow
def test_a_poisoned_store_breaks_no_download_no_report_and_no_terminal(poisoned, capsys, tmp_path):
    from papi_analysis.present.report import ReportData, plan_for, report_docx
    from papi_analysis.results.province_view import build_view

    tasks = with_dimensions(poisoned.tasks())
    followed = with_status(tasks, poisoned.task_statuses(), Q3.end)
    frames = {"tasks": full_list(followed), "template": to_file_frame(tasks), "uploads": poisoned.uploads()}
    for name, frame in frames.items():
        for flavour in export.FORMATS:
            text = assert_opens(export.file_bytes(frame, flavour, source="x"), "xlsx" if flavour == "xlsx" else "csv")
            assert "\ufffd" in text and "\x1b" not in text, (name, flavour)
    assert "\ufffdđộc\ufffd" in assert_opens(status_file.report_xlsx(followed, Q3), "xlsx")
    ref = poisoned.reference()
    for province, year in (("Sóc Trăng", 2022), ("Sóc Trăng", 2016)):
        summary, table = build_view(poisoned, ref, province, year)
        data = ReportData(
            summary, table, ref, plan_for(poisoned.plans(), summary, PLAN), tasks, poisoned.task_statuses(), Q3.end
        )
        document = report_docx(data)
        text = assert_opens(document, "docx")
        assert "\ufffdđộc\ufffd" in text and "\x01" not in text
    assert "\ufffdđộc\ufffd" in opened_by_libreoffice(document, tmp_path)  # the 2016 report, with the poisoned name
    capsys.readouterr()
    assert main(["tasks", "--search", "T065"]) == 0
    printed = capsys.readouterr().out
    assert "\x1b" not in printed and "\x07" not in printed and "\\u001b]0;PWNED\\u0007" in printed
    assert main(["tasks", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert next(r for r in rows if r["id"] == "T065")["title"].endswith(POISON)  # exact, in strict JSON
    assert main(["uploads"]) == 0 and "\x1b" not in capsys.readouterr().out


@pytest.mark.slow
def test_pages_show_a_poisoned_store(poisoned):
    for page, params in (("pages/tasks.py", {"year": 2022}), ("pages/uploads.py", {}), ("pages/dimension.py", {})):
        analyst_page(page, **params)


# --- small: a change however small is reported and written --------------------------------------------
def test_a_change_of_1e_9_or_3e_8_is_reported_and_written(fresh_store):
    """They were neither (a relative tolerance of 1e-9 hid them); exports keep 10 decimals, so does the diff."""
    from helpers import year_frame

    frame = year_frame(fresh_store, 2022)
    row = frame.index[frame["Tỉnh, thành phố"].isin(["Sóc Trăng", "Cà Mau"])]
    frame.loc[row[0], "D1"] += 1e-9
    frame.loc[row[1], "TOTAL"] += 3e-8  # on ~40 points: below the old tolerance of 1e-9 × the value
    parsed = parse_scores(export.csv_bytes(frame), "papi_2022.csv", fresh_store.reference())
    diff = fresh_store.preview(parsed, replace=True)
    assert diff.counts()["changed"] == 2 and diff.needs_replace
    assert sorted((diff.changed.new_value - diff.changed.old_value).round(12)) == [1e-9, 3e-8]
    fresh_store.commit_scores(parsed, replace=True, user="lan")
    stored = fresh_store.scores(years=[2022]).set_index(["unit_id", "measure"]).value
    assert (
        stored[("old:soc-trang", "D1")] == parsed.frame.set_index(["unit_id", "measure"]).value[("old:soc-trang", "D1")]
    )
    from papi_analysis.store.upload_diff import PRECISION_NOTE  # what the preview says of the precision

    assert "10 chữ số thập phân" in PRECISION_NOTE


@pytest.mark.parametrize("flavour", ["csv", "csv-vi", "xlsx"])
def test_an_exported_year_still_uploads_as_no_change(store, flavour):
    from helpers import year_frame

    content = export.file_bytes(year_frame(store, 2022), flavour, source="x")
    parsed = parse_scores(content, f"papi_2022.{'xlsx' if flavour == 'xlsx' else 'csv'}", store.reference())
    assert not store.preview(parsed, replace=True).has_changes


def test_the_tasks_template_and_the_status_report_upload_again_unchanged(fresh_store):
    """Found by tests/behaviour/test_fuzz_doors.py: a text starting with '-', '=', '+' or '@' (a bulleted note)
    came back from our own exports with the apostrophe that keeps a spreadsheet from running it."""
    ref, bullets = fresh_store.reference(), "- Đã ban hành kế hoạch\n- Đã tổ chức hội nghị\n=1+1"
    tasks = with_dimensions(fresh_store.tasks())
    tasks = tasks[tasks.plan_id == PLAN].assign(title=lambda t: t.title.where(t.task_id != "T065", bullets))
    plans = {p["plan_id"]: p for p in fresh_store.plans().to_dict("records")}
    for flavour in export.FORMATS:
        name = f"mau.{'xlsx' if flavour == 'xlsx' else 'csv'}"
        again = parse_tasks(export.file_bytes(to_file_frame(tasks), flavour, source="x"), name, ref, plans).tasks
        assert again.set_index("task_id").title["T065"] == bullets, flavour
    history = fresh_store.task_statuses()
    frame = status_file.report_frame(with_status(tasks, history, Q3.end), Q3)
    frame.loc[frame["Mã"] == "T065", ["Tình trạng", "Kết quả"]] = ["Đang triển khai", bullets]
    for flavour in export.FORMATS:
        name = f"q3.{'xlsx' if flavour == 'xlsx' else 'csv'}"
        imported = status_file.parse_status_file(export.file_bytes(frame, flavour), name, PLAN, tasks, history, Q3)
        assert imported.changes[0].note == bullets, flavour
