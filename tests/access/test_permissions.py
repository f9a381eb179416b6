"""A department reporter records the statuses of its own unit's tasks and nothing else, checked by the store on
every write — not by hidden buttons (issue 21) — and the history says who recorded what."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import assert_unchanged, csv_bytes, db_state, synthetic_year

from papi_analysis.access.permissions import Account, NotAllowed, reportable
from papi_analysis.plan.plan_tasks import filter_tasks, parse_tasks, with_dimensions
from papi_analysis.plan.status_file import COLUMNS, parse_status_file
from papi_analysis.plan.task_status import Period, status_change
from papi_analysis.reading.ingest import parse_scores

PLAN = "120/KH-UBND-2023"
HOA = Account.reporter("hoa", "Sở Nội vụ")
LAN = Account.analyst("lan")


def change(task_id: str, status: str = "Đang triển khai", period: str = "2023-Q4"):
    return status_change(PLAN, task_id, period, status, "ghi chú")


def test_a_reporter_records_its_units_named_tasks_and_is_named_in_the_history(fresh_store):
    fresh_store.record_status(change("T065"), HOA)
    fresh_store.record_status(change("T085"), HOA)  # led by Sở Nội vụ with Sở Y tế and Sở Giáo dục và Đào tạo
    history = fresh_store.task_statuses()
    assert history.set_index("task_id").recorded_by.to_dict() == {"T065": "hoa (Sở Nội vụ)", "T085": "hoa (Sở Nội vụ)"}


@pytest.mark.parametrize(
    ("task_id", "why"),
    [
        ("T001", "shared"),  # "Các sở, ban, ngành tỉnh": every department's at once
        ("T071", "partner"),  # Sở Nội vụ supports; the lead reports
        ("T057", "another unit"),  # Thanh tra tỉnh's
    ],
)
def test_a_reporter_cannot_record_another_units_task(fresh_store, task_id, why):
    with pytest.raises(NotAllowed, match=f"{task_id} không thuộc Sở Nội vụ"):
        fresh_store.record_status(change(task_id), HOA)
    assert fresh_store.task_statuses().empty


def test_a_reporter_undoes_its_own_units_change_only(fresh_store):
    other = fresh_store.record_status(change("T057"), LAN)
    own = fresh_store.record_status(change("T065"), LAN)
    with pytest.raises(NotAllowed, match="T057 không thuộc Sở Nội vụ"):
        fresh_store.undo_status(other, HOA)
    fresh_store.undo_status(own, HOA)
    undone = fresh_store.task_statuses().set_index("change_id")
    assert pd.isna(undone.undone_at[other]) and undone.undone_by[own] == "hoa (Sở Nội vụ)"


@pytest.mark.slow
def test_a_reporter_cannot_upload_scores_load_tasks_or_roll_back(fresh_store, ref):
    before = db_state(fresh_store)
    parsed = parse_scores(csv_bytes(synthetic_year(["Sóc Trăng", "Bạc Liêu"], 2025)), "papi_2025.csv", ref)
    with pytest.raises(NotAllowed, match="không được tải điểm số lên"):
        fresh_store.commit_scores(parsed, replace=False, user=HOA)
    plans = {p["plan_id"]: p for p in fresh_store.plans().to_dict("records")}
    rows = fresh_store.tasks().head(2)
    tasks_file = pd.DataFrame(
        {
            "id": rows.task_id,
            "plan_id": rows.plan_id,
            "section": rows.section_ref,
            "title": rows.title,
            "text": rows.text,
            "dimensions": "D1",
            "lead_units": "Sở Nội vụ",
            "due": "",
        }
    )
    loaded = parse_tasks(tasks_file.to_csv(index=False).encode(), "kh.csv", ref, plans)
    with pytest.raises(NotAllowed, match="không được nạp danh sách nhiệm vụ"):
        fresh_store.commit_tasks(loaded, user=HOA, replace=True)
    assert_unchanged(fresh_store, before)
    upload_id = fresh_store.commit_scores(parsed, replace=False, user=LAN).upload_id
    with pytest.raises(NotAllowed, match="không được hoàn tác một lượt tải lên"):
        fresh_store.rollback(upload_id, HOA)
    upload = fresh_store.uploads().set_index("upload_id").loc[upload_id]
    assert upload.uploaded_by == "lan" and pd.isna(upload.rolled_back_at)


@pytest.mark.slow
def test_a_reporters_status_file_may_touch_only_its_units_tasks(fresh_store):
    tasks = with_dimensions(fresh_store.tasks())
    rows = [["T065", "", "", "", "", "Hoàn thành", "", ""], ["T057", "", "", "", "", "Hoàn thành", "", ""]]
    content = pd.DataFrame(rows, columns=list(COLUMNS)).to_csv(index=False).encode()
    imported = parse_status_file(content, "q4.csv", PLAN, tasks, fresh_store.task_statuses(), Period(2023, 4))
    with pytest.raises(NotAllowed, match="T057 không thuộc Sở Nội vụ"):
        fresh_store.commit_status_import(imported, HOA)
    assert fresh_store.task_statuses().empty and (fresh_store.uploads().kind != "status").all()
    own = pd.DataFrame(rows[:1], columns=list(COLUMNS)).to_csv(index=False).encode()
    imported = parse_status_file(own, "q4.csv", PLAN, tasks, fresh_store.task_statuses(), Period(2023, 4))
    upload_id = fresh_store.commit_status_import(imported, HOA)
    assert fresh_store.uploads().set_index("upload_id").uploaded_by[upload_id] == "hoa (Sở Nội vụ)"


def test_analysts_and_the_command_line_may_do_everything(fresh_store):
    fresh_store.record_status(change("T001"), LAN)
    fresh_store.record_status(change("T057"), "dòng lệnh:root")
    assert fresh_store.task_statuses().recorded_by.tolist() == ["lan", "dòng lệnh:root"]


def test_the_tasks_a_reporter_may_record_are_those_its_unit_leads_by_name(store):
    tasks = with_dimensions(store.tasks())
    mine = tasks[reportable(tasks, HOA)].task_id.tolist()
    named = filter_tasks(tasks, unit="Sở Nội vụ", role="named").task_id.tolist()
    assert mine == sorted(named, key=tasks.task_id.tolist().index) and "T065" in mine and len(mine) == 11
    assert reportable(tasks, LAN).all()
