"""store.writes: the SQL of every write, run on a connection inside a transaction the caller holds — uploads
archived with their before/after, cells set and restored exactly, plans replaced and brought back, statuses
recorded and undone; every refusal in Vietnamese, naming the upload or change that stands in the way.

Each test writes on a fresh copy of the seed database (the verified scores; the 2023 plan, 88 tasks)."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime

import pandas as pd
import pytest
from helpers import csv_bytes, synthetic_year

from papi_analysis.paths import DATA_DIR, SCORES_DIR, TASKS_CSV
from papi_analysis.plan.plan_tasks import LoadedTasks, load_seed_tasks
from papi_analysis.reading.ingest import ParsedScores, parse_scores
from papi_analysis.store import reads, writes
from papi_analysis.store.upload_diff import SCORES
from papi_analysis.store.writes import StoreError

PLAN = "120/KH-UBND-2023"
SOC_TRANG = "old:soc-trang"
SEED_UPLOADS = 21  # 20 score files and the tasks file
AT = datetime(2023, 10, 2, 3, 0)


def edited_2022(ref, points: float) -> ParsedScores:
    """The seed 2022 file with Sóc Trăng's D1 and TOTAL moved by the same points (the sum still holds)."""
    frame = pd.read_csv(SCORES_DIR / "papi_2022.csv")
    frame.loc[frame.province == "Sóc Trăng", ["D1", "TOTAL"]] += points
    return parse_scores(csv_bytes(frame), f"papi_2022_{points}.csv", ref)


def upload(store, parsed: ParsedScores, kind: str = "scores", user: str = "lan") -> int:
    with store.transaction() as con:
        diff = reads.score_diff(con, parsed, replace=True)
        return writes.write_scores(con, parsed, diff, user=user, kind=kind)


def rollback(store, upload_id: int, user: str = "lan") -> tuple[int, int]:
    with store.transaction() as con:
        return writes.rollback_cells(con, upload_id, user)


def stored(store, unit_id: str, measure: str, year: int = 2022) -> tuple[float, int] | None:
    rows = store.read(
        "SELECT value, upload_id FROM scores WHERE year = ? AND unit_id = ? AND measure = ?", [year, unit_id, measure]
    )
    return None if rows.empty else (float(rows.value.iloc[0]), int(rows.upload_id.iloc[0]))


def seed_tasks(ref) -> LoadedTasks:
    [loaded] = load_seed_tasks(ref, DATA_DIR / "plans.csv", TASKS_CSV)
    return loaded


# --- rows by name, uploads archived ---------------------------------------------------------------------
def test_a_frame_is_inserted_by_column_name_not_position(fresh_store):
    with fresh_store.transaction() as con:
        writes.insert_frame(con, "meta", pd.DataFrame({"value": ["42,86"], "key": ["kiểm thử"]}))
    assert fresh_store.read("SELECT value FROM meta WHERE key = 'kiểm thử'").value.tolist() == ["42,86"]


def test_an_upload_is_archived_whole_under_the_next_number(fresh_store):
    content = (SCORES_DIR / "papi_2022.csv").read_bytes()
    with fresh_store.transaction() as con:
        upload_id = writes.insert_upload(
            con,
            kind="scores",
            file_name="papi_2022.csv",
            content=content,
            user="lan (dòng lệnh:root)",
            years=[2022],
            unit_set="old",
            replace=True,
            rows=63,
            counts=(1, 2, 3),
        )
    assert upload_id == SEED_UPLOADS + 1
    row = fresh_store.read("SELECT * FROM uploads WHERE upload_id = ?", [upload_id]).iloc[0]
    assert bytes(row.content) == content and row.sha256 == hashlib.sha256(content).hexdigest()
    who = (row.size_bytes, row.uploaded_by, list(row.years), row.unit_set)
    assert who == (len(content), "lan (dòng lệnh:root)", [2022], "old")
    counts = (row.replace_mode, row.rows_in_file, row.cells_added, row.cells_changed, row.cells_removed)
    assert counts == (True, 63, 1, 2, 3)
    assert pd.isna(row.rolled_back_at)


# --- cells ----------------------------------------------------------------------------------------------
def test_one_side_of_the_changes_is_the_rows_of_the_table():
    changes = pd.DataFrame(
        {
            "year": [2022, 2022],
            "unit_id": [SOC_TRANG, "old:bac-ninh"],
            "measure": ["TOTAL", "TOTAL"],
            "old_value": [42.85590744, None],
            "old_ci_low": [None, None],
            "old_ci_high": [None, None],
            "old_std_error": [None, None],
            "old_upload_id": [12, None],
            "new_value": [42.86, 40.0],  # SYNTHETIC
            "new_ci_low": [None, None],
            "new_ci_high": [None, None],
            "new_std_error": [None, None],
        }
    )
    new = writes.cells(changes, "new", 30)
    assert list(new.columns) == [*SCORES.key, *SCORES.values, "upload_id"]
    assert new.value.tolist() == [42.86, 40.0] and new.upload_id.tolist() == [30, 30]
    old = writes.cells(changes, "old", changes.old_upload_id)
    assert old.value.iloc[0] == 42.85590744 and pd.isna(old.value.iloc[1]) and old.upload_id.iloc[0] == 12


@pytest.mark.slow
def test_setting_cells_replaces_them_and_a_null_value_removes_one(fresh_store):
    before = len(fresh_store.scores())
    target = pd.DataFrame(
        {
            "year": [2022, 2022],
            "unit_id": [SOC_TRANG, "old:can-tho"],
            "measure": ["TOTAL", "TOTAL"],
            "value": [43.0, None],  # SYNTHETIC
            "ci_low": [42.0, None],
            "ci_high": [None, None],
            "std_error": [None, None],
            "upload_id": [99, 99],
        }
    )
    with fresh_store.transaction() as con:
        writes.set_cells(con, target)
    assert stored(fresh_store, SOC_TRANG, "TOTAL") == (43.0, 99)
    assert stored(fresh_store, "old:can-tho", "TOTAL") is None
    assert fresh_store.read(
        "SELECT ci_low FROM scores WHERE unit_id = ? AND year = 2022 AND measure = 'TOTAL'", [SOC_TRANG]
    ).ci_low.tolist() == [42.0]
    assert len(fresh_store.scores()) == before - 1
    assert stored(fresh_store, SOC_TRANG, "D1") == pytest.approx((4.492063, 12))  # a cell not listed: untouched


# --- scores: written with their before/after, rolled back exactly ---------------------------------------
@pytest.mark.slow
def test_an_upload_records_every_changed_cell_then_changes_it(fresh_store, ref):
    upload_id = upload(fresh_store, edited_2022(ref, 0.01))
    assert upload_id == SEED_UPLOADS + 1
    changes = fresh_store.upload_changes(upload_id).set_index("measure")
    assert sorted(changes.index) == ["D1", "TOTAL"] and set(changes.old_upload_id) == {12}
    assert changes.loc["TOTAL", "old_value"] == pytest.approx(42.85590744)
    assert changes.loc["TOTAL", "new_value"] == pytest.approx(42.86590744)
    assert stored(fresh_store, SOC_TRANG, "TOTAL") == pytest.approx((42.86590744, upload_id))
    row = fresh_store.uploads().set_index("upload_id").loc[upload_id]
    assert (row.kind, row.cells_added, row.cells_changed, row.cells_removed) == ("scores", 0, 2, 0)
    mapping = fresh_store.read("SELECT upload_id, confirmed_by FROM layout_mappings")
    assert mapping.values.tolist() == [[upload_id, "lan"]]  # an analyst's upload keeps the mapping it was read with


def test_a_seed_write_keeps_no_mapping(fresh_store, ref):
    upload(fresh_store, edited_2022(ref, 0.01), kind="seed")
    assert fresh_store.read("SELECT count(*) AS n FROM layout_mappings").n.iloc[0] == 0


@pytest.mark.slow
def test_rolling_back_gives_every_cell_its_former_value_and_upload(fresh_store, ref):
    before = fresh_store.scores()
    upload_id = upload(fresh_store, edited_2022(ref, 0.01))
    assert rollback(fresh_store, upload_id, user="hoa") == (2, 0)
    pd.testing.assert_frame_equal(fresh_store.scores(), before)
    row = fresh_store.uploads().set_index("upload_id").loc[upload_id]
    assert row.rolled_back_by == "hoa" and pd.notna(row.rolled_back_at)


@pytest.mark.slow
def test_rolling_back_a_new_year_removes_its_cells(fresh_store, ref):
    names = ref.units_of_set("old").name_vi.tolist()
    parsed = parse_scores(csv_bytes(synthetic_year(names, 2026)), "papi_2026_synthetic.csv", ref, unit_set="old")
    upload_id = upload(fresh_store, parsed)
    assert len(fresh_store.scores(years=[2026])) == 63 * 9
    assert rollback(fresh_store, upload_id) == (0, 63 * 9)
    assert fresh_store.scores(years=[2026]).empty


@pytest.mark.slow
def test_a_rollback_is_refused_while_a_later_upload_holds_its_cells(fresh_store, ref):
    first = upload(fresh_store, edited_2022(ref, 0.01))
    second = upload(fresh_store, edited_2022(ref, 0.02))
    with pytest.raises(StoreError) as refused:
        rollback(fresh_store, first)
    assert str(refused.value) == (
        f"Không hoàn tác được lượt {first}: các giá trị đó đã được lượt tải lên sau ({second}) thay đổi. "
        "Hãy hoàn tác lượt sau trước."
    )
    assert stored(fresh_store, SOC_TRANG, "TOTAL") == pytest.approx((42.87590744, second))  # nothing moved
    rollback(fresh_store, second)
    assert stored(fresh_store, SOC_TRANG, "TOTAL") == pytest.approx((42.86590744, first))
    rollback(fresh_store, first)
    assert stored(fresh_store, SOC_TRANG, "TOTAL") == pytest.approx((42.85590744, 12))


# --- plans and tasks ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_tasks_upload_replaces_the_plan_and_keeps_what_it_replaced(fresh_store, ref):
    loaded = seed_tasks(ref)
    shorter = dataclasses.replace(
        loaded,
        tasks=loaded.tasks[loaded.tasks.task_id != "T085"],
        task_measures=loaded.task_measures[loaded.task_measures.task_id != "T085"],
    )
    with fresh_store.transaction() as con:
        upload_id = writes.write_tasks(con, shorter, user="lan", kind="tasks", replace=True)
    assert len(fresh_store.tasks()) == 87 and "T085" not in set(fresh_store.tasks().task_id)
    assert fresh_store.plans().upload_id.tolist() == [upload_id]
    kept = fresh_store.read("SELECT replaced_by, count(*) AS n FROM tasks_replaced GROUP BY ALL")
    assert kept.values.tolist() == [[upload_id, 88]]
    row = fresh_store.uploads().set_index("upload_id").loc[upload_id]
    assert (row.kind, list(row.years), row.cells_added, row.cells_removed) == ("tasks", [2023], 87, 88)
    with fresh_store.transaction() as con:
        assert writes.rollback_tasks(con, upload_id, "lan") == (PLAN, 88, 87)
    assert len(fresh_store.tasks()) == 88 and fresh_store.plans().upload_id.tolist() == [SEED_UPLOADS]


def test_a_tasks_rollback_is_refused_once_a_later_upload_replaced_the_plan(fresh_store, ref):
    loaded = seed_tasks(ref)
    with fresh_store.transaction() as con:
        first = writes.write_tasks(con, loaded, user="lan", kind="tasks", replace=True)
        second = writes.write_tasks(con, loaded, user="lan", kind="tasks", replace=True)
    with pytest.raises(StoreError) as refused, fresh_store.transaction() as con:
        writes.rollback_tasks(con, first, "lan")
    assert str(refused.value) == (
        f"Không hoàn tác được lượt {first}: danh sách nhiệm vụ của lượt này đã được lượt tải lên sau ({second}) "
        "thay thế. Hãy hoàn tác lượt sau trước."
    )


def test_deleting_a_plan_removes_its_tasks_and_links_and_counts_them(fresh_store):
    with fresh_store.transaction() as con:
        assert writes.delete_plan(con, PLAN) == 88
        assert writes.delete_plan(con, "99/KH-UBND-2030") == 0
    assert fresh_store.plans().empty and fresh_store.tasks().empty
    assert fresh_store.read("SELECT count(*) AS n FROM task_measures").n.iloc[0] == 0


# --- task statuses --------------------------------------------------------------------------------------
def status_rows(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"plan_id": PLAN, "task_id": t, "period": p, "status": s, "note": None, "evidence": None} for t, p, s in rows]
    )


def test_status_changes_get_the_next_numbers_and_who_and_when(fresh_store):
    with fresh_store.transaction() as con:
        ids = writes.write_status_changes(
            con,
            status_rows(("T065", "2023-Q3", "Đang triển khai"), ("T066", "2023-Q3", "Hoàn thành")),
            user="lan",
            at=AT,
        )
        later = writes.write_status_changes(con, status_rows(("T065", "2023-Q4", "Hoàn thành")), user="lan", at=AT)
    assert later == [3]
    assert ids == [1, 2]
    history = fresh_store.task_statuses()
    assert history[["change_id", "task_id", "status", "recorded_by"]].values.tolist() == [
        [1, "T065", "Đang triển khai", "lan"],
        [2, "T066", "Hoàn thành", "lan"],
        [3, "T065", "Hoàn thành", "lan"],
    ]
    assert history.recorded_at.tolist() == [pd.Timestamp(AT)] * 3 and history.upload_id.isna().all()


def test_an_unknown_task_is_refused_by_code_and_plan(fresh_store):
    with fresh_store.transaction() as con:
        writes.require_task(con, PLAN, "T065")
        with pytest.raises(StoreError) as refused:
            writes.require_task(con, PLAN, "T999")
    assert str(refused.value) == "Không có nhiệm vụ T999 trong kế hoạch 120/KH-UBND-2023. Chưa có gì được ghi."


def test_undoing_status_changes_and_each_refusal(fresh_store):
    rows = status_rows(("T065", "2023-Q3", "Đang triển khai"), ("T065", "2023-Q3", "Hoàn thành"))
    with fresh_store.transaction() as con:
        writes.write_status_changes(con, rows, user="lan", at=AT)
    refusals = {
        (99,): "Không có thay đổi tình trạng số 99.",
        (1,): "Không hoàn tác được: tình trạng của T065 đã được cập nhật sau đó. Hãy hoàn tác thay đổi sau trước.",
    }
    for change_ids, message in refusals.items():
        with pytest.raises(StoreError) as refused, fresh_store.transaction() as con:
            writes.undo_status_changes(con, list(change_ids), "hoa", AT)
        assert str(refused.value) == message
    with fresh_store.transaction() as con:
        writes.undo_status_changes(con, [1, 2], "hoa", AT)  # together: the later one is undone with it
    history = fresh_store.task_statuses()
    assert history.undone_by.tolist() == ["hoa", "hoa"] and history.undone_at.notna().all()
    with pytest.raises(StoreError) as refused, fresh_store.transaction() as con:
        writes.undo_status_changes(con, [2], "hoa", AT)
    assert str(refused.value) == "Thay đổi tình trạng số 2 đã được hoàn tác trước đó."


def test_rolling_back_a_status_file_undoes_what_it_still_holds(fresh_store):
    with fresh_store.transaction() as con:
        upload_id = writes.insert_upload(
            con,
            kind="status",
            file_name="bao-cao-quy-3.xlsx",
            content=b"...",
            user="lan",
            years=[2023],
            unit_set=None,
            replace=False,
            rows=3,
            counts=(3, 0, 0),
        )
        rows = status_rows(
            ("T065", "2023-Q3", "Hoàn thành"), ("T066", "2023-Q3", "Đang triển khai"), ("T069", "2023-Q3", "Hoàn thành")
        )
        writes.write_status_changes(con, rows, user="lan", at=AT, upload_id=upload_id)
        writes.undo_status_changes(con, [2], "hoa", AT)  # one of them undone by hand since
        assert writes.rollback_status(con, upload_id, "hoa", AT) == 2
    history = fresh_store.task_statuses()
    assert history.undone_at.notna().all() and history.upload_id.tolist() == [upload_id] * 3
    assert fresh_store.uploads().set_index("upload_id").loc[upload_id].rolled_back_by == "hoa"
