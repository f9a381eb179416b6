"""The corrections of data/tasks.csv after reading it again against Kế hoạch 120/KH-UBND (data/TASKS.md,
section F): one assertion per fix, each tied to the plan's own words in the task's text."""

from __future__ import annotations

import csv

import pytest

from papi_analysis.paths import TASKS_CSV
from papi_analysis.plan.agencies import RELATED, RELATED_SPELLINGS
from papi_analysis.plan.plan_tasks import is_general, parse_tasks, with_dimensions


@pytest.fixture(scope="module")
def tasks(store):
    return with_dimensions(store.tasks()).set_index("task_id", drop=False)


def roles(task) -> tuple[list[str], list[str]]:
    return list(task.lead_units), list(task.coordinating_units)


def test_fix1_teaching_extra_classes_in_ii6b_targets_corruption_control(tasks):
    t = tasks.loc["T027"]
    assert "dạy thêm, học thêm" in t.text and {"D4", "D4.2", "D6"} <= set(t.measures)


def test_fix2_simplifying_procedures_in_ii6a_targets_procedures(tasks):
    t = tasks.loc["T026"]
    assert "cắt giảm, đơn giản hóa TTHC" in t.text and t.dimensions == ["D5", "D6"]


def test_fix3_administrative_reform_in_ii4_targets_procedures(tasks):
    t = tasks.loc["T019"]
    assert t.text.startswith("Đẩy mạnh cải cách hành chính") and t.dimensions == ["D4", "D5", "D8"]


def test_fix4_budget_duty_worded_phoi_hop_voi_so_noi_vu_is_led_by_so_noi_vu(tasks):
    t = tasks.loc["T055"]
    assert t.text.startswith("Phối hợp với Sở Nội vụ") and roles(t) == (["Sở Nội vụ"], ["Sở Tài chính"])


def test_fix5_front_duty_iv2132_is_two_tasks_with_their_own_roles(tasks):
    a, b = tasks.loc["T063a"], tasks.loc["T063b"]
    assert (
        a.text.startswith("Phối hợp với Sở Nội vụ")
        and roles(a) == (["Sở Nội vụ"], ["Ủy ban MTTQ Việt Nam tỉnh"])
        and a.general
        and roles(b) == (["Ủy ban MTTQ Việt Nam tỉnh"], [])
        and b.dimensions == ["D1"]
        and "T063" not in tasks.index
    )


def test_fix6_annex_13_is_two_tasks_each_with_its_own_dimension(tasks):
    a, b = tasks.loc["T067a"], tasks.loc["T067b"]
    assert (list(a.lead_units), a.dimensions, list(b.lead_units), b.dimensions) == (
        ["Sở Nội vụ"],
        ["D5"],
        ["Sở Thông tin và Truyền thông"],
        ["D8"],
    ) and "T067" not in tasks.index


def test_fix7_one_spelling_per_generic_body(tasks):
    named = {u for units in (*tasks.lead_units, *tasks.coordinating_units) for u in units}
    assert named & set(RELATED_SPELLINGS) == {RELATED}


def test_fix8_health_duty_worded_phoi_hop_so_y_te_is_led_by_so_y_te(tasks):
    a, b = tasks.loc["T053a"], tasks.loc["T053b"]
    assert (
        b.text.startswith("Phối hợp Sở Y tế")
        and roles(b) == (["Sở Y tế"], ["Sở Lao động, Thương binh và Xã hội"])
        and (roles(a)[0], a.dimensions, b.dimensions) == (["Sở Lao động, Thương binh và Xã hội"], ["D2"], ["D6"])
    )


def test_fix9_survey_duty_worded_phoi_hop_voi_trung_tam_is_led_by_the_centre(tasks):
    t = tasks.loc["T064"]
    centre = "Trung tâm Bồi dưỡng cán bộ và nghiên cứu khoa học, Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"
    assert "phối hợp với Trung tâm Bồi dưỡng cán bộ" in t.text
    assert roles(t) == ([centre], ["Ủy ban MTTQ Việt Nam tỉnh"])


def test_whole_index_tasks_are_told_apart(tasks):
    assert sorted(tasks[is_general(tasks)].task_id) == [
        "T041", "T042", "T043", "T045", "T046", "T055", "T060", "T063a", "T064", "T076",
    ]  # fmt: skip


def test_an_uploaded_file_with_the_old_spellings_is_stored_with_one_spelling(ref):
    rows = list(csv.DictReader(TASKS_CSV.open(encoding="utf-8")))[80:83]
    rows[0]["coordinating_units"] = "Các ngành có liên quan;Các cơ quan liên quan"
    header = list(rows[0])
    text = ",".join(header) + "\n" + "\n".join(",".join(f'"{r[h]}"' for h in header) for r in rows) + "\n"
    plan = {"120/KH-UBND-2023": {"plan_id": "120/KH-UBND-2023"}}
    loaded = parse_tasks(text.encode(), "kh.csv", ref, plan)
    assert list(loaded.tasks.coordinating_units.iloc[0]) == [RELATED] and any(
        "Các ngành có liên quan" in w for w in loaded.warnings
    )
