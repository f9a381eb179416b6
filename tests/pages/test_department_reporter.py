"""Departments follow their own work (issue 21): the role filter tells a unit's named tasks from those of every
department and lists them first; a department's reporter signs in on the Nhiệm vụ page (its filters kept) and
records only its own unit's statuses; the status form starts empty and is cleared after an undo."""

from __future__ import annotations

import pytest
from apptest import open_page
from test_pages import HASH, PASSWORD, frame_with, texts

from papi_analysis.access.permissions import Account
from papi_analysis.access.throttle import Throttle
from papi_analysis.paths import signin_path

pytestmark = pytest.mark.slow
SECRETS = {"analysts": {"lan": HASH}, "reporters": {"hoa": {"hash": HASH, "unit": "Sở Nội vụ"}}}


def tasks_page(session: dict | None = None, **params):
    at = open_page(
        "pages/tasks.py", secrets=SECRETS, session=session, params={"year": 2022, "province": "soc-trang", **params}
    )
    assert not at.exception, [e.value for e in at.exception]
    return at


def listed(at) -> list[str]:
    return frame_with(at, "Kế hoạch", "Đơn vị chủ trì")["Mã"].tolist()


def test_the_role_filter_tells_named_from_shared_tasks_and_named_come_first():
    at = tasks_page(unit="so-noi-vu")
    roles = at.selectbox(key="tasks_role")
    assert roles.options == [
        "Chủ trì hoặc phối hợp",
        "Chủ trì (đích danh)",
        "Chủ trì chung (các sở, ban, ngành)",
        "Phối hợp",
        "Chủ trì (đích danh và chung)",
    ]
    roles.set_value("named").run()
    named = listed(at)
    assert len(named) == 11 and at.query_params["role"] == "chu-tri-dich-danh"
    assert frame_with(at, "Kế hoạch", "Đơn vị chủ trì")["Đơn vị chủ trì"].str.contains("Sở Nội vụ").all()
    at.selectbox(key="tasks_role").set_value("shared").run()
    assert len(listed(at)) == 42 and "T001" in listed(at)
    at.selectbox(key="tasks_role").set_value("lead").run()
    both = listed(at)
    assert len(both) == 53 and both[:11] == named  # the unit's own tasks before the 42 of every department
    at.selectbox(key="tasks_role").set_value("any").run()
    assert listed(at)[:13] == [*named, "T071", "T072"]  # then the two it supports, then the shared ones


def test_a_reporter_signs_in_on_the_tasks_page_keeps_its_filters_and_records_only_its_units_tasks(fresh_db_env):
    Throttle(signin_path()).succeeded("hoa")
    at = tasks_page(unit="so-noi-vu", role="chu-tri-dich-danh", q="tuyên truyền")
    assert "Cán bộ phân tích đăng nhập để cập nhật" in texts(at)
    at.text_input(key="account_name").set_value("hoa")
    at.text_input(key="account_password").set_value(PASSWORD)
    next(b for b in at.button if b.label == "Đăng nhập").click().run()
    assert not at.exception and at.session_state["_account"] == Account.reporter("hoa", "Sở Nội vụ")
    kept = (at.query_params["unit"], at.query_params["role"], at.query_params["q"])
    assert kept == ("so-noi-vu", "chu-tri-dich-danh", "tuyên truyền")
    assert "Đang đăng nhập: **hoa** (báo cáo viên của Sở Nội vụ)" in texts(at)
    choices = at.selectbox(key="tasks_update_task").options
    assert [c.split(" — ")[0] for c in choices] == ["T065", "T067a"]
    at.selectbox(key="tasks_update_status_T065").set_value("Đang triển khai")
    next(b for b in at.button if b.label == "Ghi tình trạng").click().run()
    assert "Đã ghi tình trạng Quý IV/2023 của T065: Đang triển khai" in texts(at)
    assert frame_with(at, "Số", "Người ghi")["Người ghi"].tolist() == ["hoa (Sở Nội vụ)"]


def test_a_reporter_sees_no_task_of_another_unit_to_record_and_no_analyst_page():
    hoa = {"_account": Account.reporter("hoa", "Sở Nội vụ")}
    at = tasks_page(hoa, q="T057")  # Thanh tra tỉnh's task
    assert "Không có nhiệm vụ nào khớp bộ lọc." in texts(at)
    for page in ("pages/upload.py", "pages/uploads.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_the_status_form_starts_empty_and_is_cleared_after_an_undo(fresh_db_env):
    at = tasks_page({"_analyst": "lan"}, q="T065")
    note, evidence = at.text_area(key="tasks_update_note_T065"), at.text_input(key="tasks_update_evidence_T065")
    assert (note.value, evidence.value, at.selectbox(key="tasks_update_status_T065").value) == ("", "", None)
    next(b for b in at.button if b.label == "Ghi tình trạng").click().run()
    assert "Chọn tình trạng trước khi ghi." in texts(at) and fresh_db_env.task_statuses().empty
    at.selectbox(key="tasks_update_status_T065").set_value("Đang triển khai")
    at.text_area(key="tasks_update_note_T065").set_value("Đã ban hành kế hoạch tuyên truyền")
    next(b for b in at.button if b.label == "Ghi tình trạng").click().run()
    stored = fresh_db_env.task_statuses().iloc[0]
    assert (stored.note, stored.evidence) == ("Đã ban hành kế hoạch tuyên truyền", None)
    assert at.text_area(key="tasks_update_note_T065").value == "Đã ban hành kế hoạch tuyên truyền"
    at.checkbox(key="tasks_undo_confirm").check().run()
    at.button(key="tasks_undo").click().run()
    assert "Đã hoàn tác lần ghi số" in texts(at)
    assert at.text_area(key="tasks_update_note_T065").value == ""
    assert at.selectbox(key="tasks_update_status_T065").value is None
