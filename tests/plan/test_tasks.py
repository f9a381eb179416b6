"""The plan's tasks: data/tasks.csv covers the whole plan, loads into DuckDB, links to dimensions."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
from helpers import assert_unchanged, db_state

from papi_analysis.cli.main import main
from papi_analysis.paths import TASKS_CSV
from papi_analysis.plan.plan_tasks import (
    GENERAL_LABEL,
    coverage_matrix,
    normalise_due,
    parse_plan,
    parse_tasks,
    tasks_per_dimension,
    with_dimensions,
)
from papi_analysis.problems import InvalidFile

AGENCIES = [
    "Sở Tư pháp",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Lao động, Thương binh và Xã hội",
    "Sở Tài chính",
    "Sở Thông tin và Truyền thông",
    "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh",
    "Công an tỉnh",
    "Sở Nội vụ",
    "Ủy ban MTTQ Việt Nam tỉnh",
]
ANNEX = [
    "1.1",
    "1.2",
    "1.3",
    "1.4",
    "2.1",
    "2.2",
    "3.1",
    "3.2",
    "4.1",
    "4.2",
    "4.3",
    *[f"5.{i}" for i in range(1, 10)],
    "6",
]


@pytest.fixture(scope="module")
def csv_rows():
    return list(csv.DictReader(TASKS_CSV.open(encoding="utf-8")))


@pytest.fixture(scope="module")
def stored(store):
    return with_dimensions(store.tasks())


def test_every_annex_activity_is_a_task(csv_rows):
    annex = [r["section"].removeprefix("PL.") for r in csv_rows if r["section"].startswith("PL.")]
    assert sorted(annex) == sorted([*ANNEX, "1.3"])  # 1.3 has two leads with two scopes: two tasks


def test_all_13_agencies_of_iv2_have_their_responsibilities(csv_rows):
    by_agency = {}
    for r in csv_rows:
        if r["section"].startswith("IV.2."):
            number = int(r["section"].split(".")[2])
            by_agency.setdefault(number, set()).update(r["lead_units"].split(";"))
    assert sorted(by_agency) == list(range(1, 14))
    for number, agency in enumerate(AGENCIES, start=1):
        assert agency in by_agency[number]


def test_section_ii_has_solutions_under_each_dimension(csv_rows):
    for d in range(1, 9):
        rows = [r for r in csv_rows if r["section"].startswith(f"II.{d}.")]
        assert rows and all(f"D{d}" in r["dimensions"].split(";") for r in rows)


def test_every_task_has_a_dimension_and_consistent_sub_dimensions(csv_rows):
    for r in csv_rows:
        dims = r["dimensions"].split(";")
        assert dims and all(d in {f"D{i}" for i in range(1, 9)} for d in dims), r["id"]
        for sub in filter(None, r["subdimensions"].split(";")):
            assert sub.split(".")[0] in dims, r["id"]


def test_tasks_are_stored_as_in_the_csv(csv_rows, stored, store):
    assert len(stored) == len(csv_rows) == 88
    plan = store.plans().iloc[0]
    assert (plan.plan_id, plan.target_year, str(plan.issued_on)[:10]) == ("120/KH-UBND-2023", 2023, "2023-06-14")
    by_id = stored.set_index("task_id")
    for r in csv_rows:
        task = by_id.loc[r["id"]]
        assert task.text == r["text"] and task.lead == "; ".join(r["lead_units"].split(";"))
        expected = set(r["dimensions"].split(";")) | set(filter(None, r["subdimensions"].split(";")))
        assert set(task.measures) == expected


def test_sub_dimension_tags_named_in_the_plan(stored):
    natural_resources = stored[stored.section_ref.str.startswith("IV.2.3")]
    assert {"D5.3", "D7.2", "D7.3"} <= {m for ms in natural_resources.measures for m in ms}


def test_coverage_matrix_counts_specific_tasks_and_whole_index_ones_apart(csv_rows, stored):
    matrix = coverage_matrix(stored)
    whole = [r for r in csv_rows if len(r["dimensions"].split(";")) == 8]
    for d in [f"D{i}" for i in range(1, 9)]:
        for unit in matrix.columns:
            expected = sum(
                1
                for r in csv_rows
                if r not in whole and d in r["dimensions"].split(";") and unit in r["lead_units"].split(";")
            )
            assert matrix.loc[d, unit] == expected, (d, unit)
    for unit in matrix.columns:
        assert matrix.loc[GENERAL_LABEL, unit] == sum(1 for r in whole if unit in r["lead_units"].split(";")), unit
    per_dimension = tasks_per_dimension(stored)
    assert per_dimension["D1"] == sum(1 for r in csv_rows if "D1" in r["dimensions"].split(";"))


@pytest.mark.parametrize(
    ("due", "day"),
    [
        ("Quý IV/2023", "2023-12-31"),
        ("Quý III/ 2023", "2023-09-30"),
        ("Tháng 7/2023", "2023-07-31"),
        ("Tháng 12/2023", "2023-12-31"),
        ("Năm 2023 (sau khi có Kế hoạch khảo sát)", "2023-12-31"),
        ("Trước ngày 15/6/2023", "2023-06-15"),
        ("Thường xuyên", None),
        ("Theo Kế hoạch 27/KH-UBND", None),
    ],
)
def test_due_dates_are_normalised(due, day):
    result = normalise_due(due)
    assert (result.isoformat() if result else None) == day


def test_csv_due_dates_agree_with_the_rule(csv_rows):
    for r in csv_rows:
        if r["due_date"]:
            d, m, y = map(int, r["due_date"].split("/"))
            assert normalise_due(r["due"]).timetuple()[:3] == (y, m, d), r["id"]


def _tasks_file(rows: list[dict]) -> bytes:
    return pd.DataFrame(rows).to_csv(index=False).encode()


def test_a_malformed_tasks_file_is_rejected_with_row_messages(ref, csv_rows):
    rows = [dict(r) for r in csv_rows[:4]]
    rows[0]["dimensions"] = ""
    rows[1]["dimensions"] = "D9"
    rows[2]["subdimensions"] = "D7.2"
    rows[3]["due_date"] = "31/13/2023"
    plan = parse_plan(
        {
            "plan_id": "120/KH-UBND-2023",
            "title": "x",
            "issuing_body": "UBND",
            "issued_on": "14/06/2023",
            "target_year": "2023",
            "province": "Sóc Trăng",
        }
    )
    with pytest.raises(InvalidFile) as caught:
        parse_tasks(_tasks_file(rows), "kh.csv", ref, {plan["plan_id"]: plan})
    messages = {(p.row, p.column): p.message for p in caught.value.problems}
    assert "ít nhất một chỉ số" in messages[(2, "dimensions")]
    assert "D1…D8" in messages[(3, "dimensions")]
    assert "không có D7" in messages[(4, "subdimensions")]
    assert "dd/mm/yyyy" in messages[(5, "due_date")]
    with pytest.raises(InvalidFile, match="Thiếu cột bắt buộc: dimensions"):
        parse_tasks(pd.DataFrame(rows).drop(columns=["dimensions"]).to_csv(index=False).encode(), "kh.csv", ref, {})


@pytest.mark.slow
def test_a_rejected_tasks_file_changes_nothing_and_a_new_plan_is_added(fresh_store, csv_rows):
    ref = fresh_store.reference()
    before = db_state(fresh_store)
    plan = parse_plan(
        {
            "plan_id": "95/KH-UBND-2024",
            "title": "Kế hoạch 2024",
            "issuing_body": "UBND tỉnh Sóc Trăng",
            "issued_on": "20/05/2024",
            "target_year": "2024",
            "province": "Sóc Trăng",
        }
    )
    rows = [dict(r, plan_id="95/KH-UBND-2024") for r in csv_rows[:3]]
    bad = [dict(r) for r in rows]
    bad[1]["dimensions"] = "X"
    with pytest.raises(InvalidFile):
        parse_tasks(_tasks_file(bad), "kh2024.csv", ref, {plan["plan_id"]: plan})
    assert_unchanged(fresh_store, before)
    loaded = parse_tasks(_tasks_file(rows), "kh2024.csv", ref, {plan["plan_id"]: plan})
    fresh_store.commit_tasks(loaded, user="lan", replace=False)
    assert sorted(fresh_store.plans().plan_id) == ["120/KH-UBND-2023", "95/KH-UBND-2024"]
    assert len(fresh_store.tasks()) == 88 + 3
    with pytest.raises(Exception, match="đã có"):
        fresh_store.commit_tasks(loaded, user="lan", replace=False)


@pytest.mark.slow
def test_cli_tasks(capsys):
    assert main(["tasks", "--dimension", "D1", "--json"]) == 0
    tasks = json.loads(capsys.readouterr().out)
    assert tasks and all("D1" in t["dimensions"] for t in tasks)
    assert main(["tasks", "--unit", "sở nội vụ", "--role", "lead", "--json"]) == 0
    led = json.loads(capsys.readouterr().out)
    assert all(("Sở Nội vụ" in t["lead_units"]) == (t["unit_role"] == "lead") for t in led)
    assert {t["unit_role"] for t in led} == {"lead", "shared"}  # shared: "Các sở, ban, ngành tỉnh"
    assert main(["tasks", "--unit", "Sở Không Có"]) == 2
