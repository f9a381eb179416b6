"""The command line of the plan's life cycle: tasks with status and overdue, roles, task-status, report;
every --json output strict JSON."""

from __future__ import annotations

import getpass
import json
from datetime import date

import docx
import pytest

from papi_analysis.cli.main import main


def strict(text: str):
    """json.loads that refuses NaN / Infinity, as every strict JSON reader does."""
    return json.loads(text, parse_constant=lambda name: pytest.fail(f"not strict JSON: {name}"))


def exit_code(args: list[str]) -> int:
    """main's exit code, argparse's own refusals (SystemExit 2) included."""
    try:
        return main(args)
    except SystemExit as stop:
        return int(stop.code)


def run_json(capsys, *args: str):
    assert main([*args, "--json"]) == 0
    return strict(capsys.readouterr().out)


def test_tasks_json_keeps_its_keys_gains_status_and_is_strict(capsys):
    rows = run_json(capsys, "tasks")
    assert len(rows) == 88
    keys = {"id", "dimensions", "lead_units", "coordinating_units", "product", "due", "due_date", "recurring"}
    assert keys | {"plan_id", "section", "title", "subdimensions"} | {"status", "status_period", "overdue"} <= set(
        rows[0]
    )
    assert rows[0]["product"] is None and rows[0]["status"] is None and rows[0]["general"] is False


def test_uploads_json_is_strict(capsys):
    rows = run_json(capsys, "uploads")
    assert rows and rows[0]["rolled_back_at"] is None and isinstance(rows[0]["years"], list)


def test_tasks_of_a_unit_in_each_role(capsys):
    every = run_json(capsys, "tasks", "--unit", "so noi vu")
    partner = run_json(capsys, "tasks", "--unit", "Sở Nội vụ", "--role", "partner")
    assert {t["unit_role"] for t in every} == {"lead", "shared", "partner"}
    assert [t["id"] for t in partner] == ["T071", "T072"]
    assert exit_code(["tasks", "--role", "sometimes"]) == 2


def test_overdue_as_of_a_date(capsys):
    july = run_json(capsys, "tasks", "--overdue", "--as-of", "2023-07-31")
    august = run_json(capsys, "tasks", "--overdue", "--as-of", "2023-08-01")
    assert [t["id"] for t in july] == ["T046"]  # due 15/06/2023
    assert [t["id"] for t in august] == ["T046", "T065"] and all(t["overdue"] for t in august)
    assert exit_code(["tasks", "--overdue", "--as-of", "31/07/2023"]) == 2


def test_overdue_without_a_date_is_as_of_vietnam_s_today(capsys, monkeypatch):
    """On a UTC server at 23:00 on 31/07/2023 it is already 01/08 in Vietnam: the day the page also uses."""
    from papi_analysis.cli import plan_commands

    monkeypatch.setattr(plan_commands, "vietnam_today", lambda: date(2023, 8, 1))
    assert [t["id"] for t in run_json(capsys, "tasks", "--overdue")] == ["T046", "T065"]


@pytest.mark.slow
def test_task_status_records_shows_and_undoes(fresh_db_env, capsys):
    assert main(["task-status", "t065", "--period", "2023-Q3", "--status", "Hoàn thành", "--evidence", "12/BC"]) == 0
    assert "Đã ghi tình trạng Quý III/2023 của T065: Hoàn thành" in capsys.readouterr().out
    shown = run_json(capsys, "tasks", "--search", "T065", "--as-of", "2023-09-30")
    assert (shown[0]["status"], shown[0]["status_period"], shown[0]["overdue"]) == ("Hoàn thành", "2023-Q3", False)
    history = run_json(capsys, "task-status", "T065")
    assert history[0]["recorded_by"] == f"dòng lệnh:{getpass.getuser()}" and history[0]["evidence"] == "12/BC"
    assert main(["task-status", "T065", "--period", "2023-Q3", "--undo", "--user", "hoa"]) == 0
    assert "Đã hoàn tác tình trạng Quý III/2023 của T065" in capsys.readouterr().out
    assert run_json(capsys, "tasks", "--search", "T065")[0]["status"] is None
    assert main(["task-status", "T065", "--period", "2023-Q3", "--undo"]) == 1  # nothing left to undo


@pytest.mark.parametrize(
    "args",
    [
        ["task-status", "T999", "--period", "2023-Q3", "--status", "Hoàn thành"],
        ["task-status", "T065", "--period", "2023-Q9", "--status", "Hoàn thành"],
        ["task-status", "T065", "--period", "2023-Q3", "--status", "Xong"],
        ["task-status", "T065", "--status", "Hoàn thành"],
        ["tasks", "--unit", "Sở Không Có"],
        ["tasks", "--plan", "1/KH-2099"],
        ["report", "--province", "Sóc Trăng", "--year", "2022", "--plan", "1/KH-2099", "-o", "x.docx"],
    ],
)
@pytest.mark.slow
def test_unknown_names_and_bad_arguments_exit_2(args, fresh_db_env, capsys):
    assert exit_code(args) == 2


@pytest.mark.slow
def test_report_command_writes_the_word_draft(tmp_path, capsys):
    out = tmp_path / "bao-cao.docx"
    assert main(["report", "--province", "soc trang", "--year", "2022", "-o", str(out)]) == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "42,86 điểm" in text and "Kế hoạch số 120/KH-UBND" in text
    assert main(["report", "--province", "Không Có", "--year", "2022", "-o", str(out)]) == 2
