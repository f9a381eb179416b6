"""Next year's plan drafted (issue 22, item 4): the shape of Kế hoạch 120/KH-UBND — results, targets, tasks per
dimension weakest first with the unfinished ones carried over, responsibilities, the annex — issued by the unit
that exists on the drafting day; it opens in LibreOffice; its tasks file loads back through the upload with no
changes to the tasks it came from."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import date

import docx
import pandas as pd
import pypdf
import pytest

from papi_analysis.plan.plan_tasks import parse_plan, to_file_frame, with_dimensions
from papi_analysis.plan.task_status import status_change
from papi_analysis.present import tables
from papi_analysis.present.plan_draft import (
    ANNEX_COLUMNS,
    CARRIED,
    DraftData,
    draft_docx,
    draft_tasks,
    tasks_file_bytes,
)
from papi_analysis.present.report import ReportData, plan_for
from papi_analysis.reading import isolated
from papi_analysis.results.province_view import build_view
from papi_analysis.results.targets import RankGoal, unit_targets
from papi_analysis.store.database import Store

PLAN = "120/KH-UBND-2023"
AFTER_THE_MERGER, BEFORE_IT = date(2026, 12, 4), date(2024, 5, 2)
STATUSES = {"T001": "Hoàn thành", "T002": "Không thực hiện được", "T065": "Đang triển khai", "T010": "Hoàn thành"}
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def followed_store(built_db, tmp_path_factory) -> Store:
    """The seed with statuses recorded: two tasks done, one not feasible, one under way."""
    path = tmp_path_factory.mktemp("draft") / "papi.duckdb"
    shutil.copy(built_db, path)
    store = Store(path)
    for task_id, status in STATUSES.items():
        store.record_status(status_change(PLAN, task_id, "2023-Q4", status), "lan")
    return store


def draft_data(store: Store, province="Sóc Trăng", year=2022, today=AFTER_THE_MERGER, goal=None, groups=None):
    ref = store.reference()
    summary, table = build_view(store, ref, province, year)
    plan = plan_for(store.plans(), summary)
    plan_id = plan["plan_id"] if plan else None
    tasks = with_dimensions(store.tasks())
    history = store.task_statuses()
    results = ReportData(summary, table, ref, plan, tasks[tasks.plan_id == plan_id], history, today)
    return DraftData(results, unit_targets(table, summary.unit_id, year, goal), groups or {})


def cell(value: object) -> object:
    """A stored cell as compared: lists as lists, no value as None."""
    if isinstance(value, str):
        return value
    return list(value) if hasattr(value, "__len__") else None if pd.isna(value) else value


def all_text(doc) -> str:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def table_with(doc, first_row: list[str]):
    return next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == first_row)


@pytest.fixture(scope="module")
def drafted(followed_store):
    data = draft_data(followed_store)
    return data, docx.Document(io.BytesIO(draft_docx(data)))


@pytest.mark.slow
def test_the_draft_has_the_shape_of_the_2023_plan(drafted):
    data, doc = drafted
    text = all_text(doc)
    for words in (
        "DỰ THẢO",
        "KẾ HOẠCH",
        "Cải thiện, nâng cao Chỉ số Hiệu quả Quản trị và Hành chính công thành phố Cần Thơ năm 2023",
        "I. KẾT QUẢ CHỈ SỐ PAPI NĂM 2022",
        "Năm 2022, tỉnh Sóc Trăng đạt 42,86 điểm, thuộc nhóm Trung bình cao",
        "II. MỤC TIÊU NĂM 2023",
        "III. NHIỆM VỤ, GIẢI PHÁP",
        "IV. TỔ CHỨC THỰC HIỆN",
        "TM. ỦY BAN NHÂN DÂN",
        "PHÂN CÔNG THỰC HIỆN NHIỆM VỤ CẢI THIỆN, NÂNG CAO CHỈ SỐ PAPI NĂM 2023",
    ):
        assert words in text, words
    results = tables.summary_rows(data.results.summary)  # section I is the results report's own
    shown = table_with(doc, list(results.columns))
    assert [[c.text for c in r.cells] for r in shown.rows[1:]] == results.astype(str).values.tolist()
    assert doc.sections[-1].page_width > doc.sections[-1].page_height  # the annex, landscape


def test_tasks_go_weakest_first_each_with_its_latest_status(drafted):
    data, doc = drafted
    assert data.order == ["D1", "D6", "D2", "D8", "D3", "D5", "D7", "D4"]  # group, then national rank
    headings = [p.text for p in doc.paragraphs if p.text[:2] in {f"{n}." for n in range(1, 10)} and "— nhóm" in p.text]
    assert [h.split("(")[1][:2] for h in headings] == data.order
    assert headings[0] == "1. Tham gia của người dân ở cấp cơ sở (D1 — nhóm Thấp nhất, hạng 46/62 toàn quốc)"
    rows = {r.cells[1].text: r.cells[4].text for t in doc.tables for r in t.rows if len(r.cells) == 5}
    assert rows["T001"] == "Hoàn thành — Đã hoàn thành" and rows["T065"] == f"Đang triển khai — {CARRIED}"
    assert rows["T002"] == "Không thực hiện được — Dừng (không thực hiện được)"
    assert rows["T003"] == f"Chưa báo cáo — {CARRIED}"
    assert all_text(doc).count("Nhiệm vụ mới (bổ sung):") == len(data.order) + 1  # room under each, and the general


def test_the_annex_carries_every_unfinished_task_once_and_leaves_the_due_date_blank(drafted, followed_store):
    doc = drafted[1]
    annex = table_with(doc, ANNEX_COLUMNS)
    rows = [[c.text for c in r.cells] for r in annex.rows[1:]]
    carried = [r[1].rsplit(" ", 1)[1].rstrip(")") for r in rows if r[1]]
    every = set(followed_store.tasks().task_id)
    assert sorted(carried) == sorted(every - {"T001", "T002", "T010"}) and len(carried) == len(set(carried))
    assert all(r[5] == "" for r in rows) and sum(not r[1] for r in rows) == 3  # due blank; room for new rows
    t065 = next(r for r in rows if r[1].endswith("(chuyển tiếp T065)"))
    assert t065[2:5] == ["Sở Nội vụ", "Ủy ban MTTQ Việt Nam tỉnh", "Bộ tài liệu"]  # annex 1.1 of the 2023 plan
    t003 = next(r for r in rows if r[1].endswith("(chuyển tiếp T003)"))
    assert t003[3:5] == ["", ""]  # no partner, no product: blank for the drafter


@pytest.mark.slow
def test_targets_keep_or_raise_each_group_unless_the_leader_chose(followed_store, drafted):
    text = all_text(drafted[1])
    assert "Nâng lên nhóm Trung bình thấp" in text and "cần thêm 0,01 điểm để vào nhóm Trung bình thấp" in text
    assert "Giữ nhóm Cao nhất" in text and "giảm quá 0,45 điểm sẽ xuống nhóm Trung bình cao" in text  # D4
    assert "Giả định các tỉnh, thành phố khác giữ nguyên điểm năm 2022" in text
    ranked = draft_data(followed_store, goal=RankGoal(20), groups={"D1": "Trung bình cao", "D4": "Trung bình cao"})
    text = all_text(docx.Document(io.BytesIO(draft_docx(ranked))))
    d1_step = ranked.targets.measure("D1").to_group("Trung bình cao")
    assert "Đạt nhóm Trung bình cao" in text and f"cần thêm {d1_step.points:.2f}".replace(".", ",") in text
    assert "Đạt hạng 20 toàn quốc" in text and "cần thêm 0,25 điểm để đạt hạng 20/61 toàn quốc" in text
    assert "Giữ nhóm Cao nhất" in text  # D4 aimed at a lower group: kept where it is


@pytest.mark.parametrize(
    ("today", "heading", "place", "named"),
    [
        (BEFORE_IT, "TỈNH SÓC TRĂNG", "Sóc Trăng, ngày", "năm 2022 của tỉnh Sóc Trăng trên website"),
        (AFTER_THE_MERGER, "THÀNH PHỐ CẦN THƠ", "Cần Thơ, ngày", "tỉnh Sóc Trăng (cũ), nay thuộc thành phố Cần Thơ"),
    ],
)
@pytest.mark.slow
def test_issued_by_the_unit_that_exists_on_the_drafting_day(store, today, heading, place, named):
    text = all_text(docx.Document(io.BytesIO(draft_docx(draft_data(store, today=today)))))
    assert heading in text and place in text and named in text


def test_responsibilities_per_body_from_the_task_roles(drafted):
    table = table_with(drafted[1], ["Cơ quan, đơn vị", "Chủ trì", "Phối hợp"])
    rows = {r.cells[0].text: (r.cells[1].text, r.cells[2].text) for r in table.rows[1:]}
    lead, partner = rows["Sở Nội vụ"]
    assert {"T071", "T072"} <= set(partner.split(", "))  # phối hợp in annex 3.1 and 3.2
    assert "T065" in lead.split(", ") and "chủ trì chung" in lead  # named, and through "Các sở, ban, ngành tỉnh"
    assert "Ủy ban MTTQ Việt Nam tỉnh" in rows and rows["Thanh tra tỉnh"][0] != "—"


@pytest.mark.slow
def test_the_tasks_file_loads_back_through_the_upload_with_no_changes(drafted, fresh_store):
    data, _ = drafted
    content = tasks_file_bytes(data)
    ref = fresh_store.reference()
    plans = {p["plan_id"]: p for p in fresh_store.plans().to_dict("records")}
    loaded = isolated.parse_tasks(content, "nhiem-vu-du-thao.csv", ref, plans)  # the upload tab's reader
    assert loaded.plan is None and loaded.plan_id == data.plan_id and not loaded.warnings
    source = fresh_store.tasks().set_index("task_id")
    for task in loaded.tasks.itertuples():
        before = source.loc[task.task_id]
        for field in ("title", "text", "lead_units", "coordinating_units", "product", "tag_basis"):
            assert cell(getattr(task, field)) == cell(before[field]), (task.task_id, field)
    links = loaded.task_measures.groupby("task_id").measure.apply(list)
    assert {t: sorted(links[t]) for t in links.index} == {t: sorted(source.loc[t, "measures"]) for t in links.index}
    details = {"plan_id": data.plan_id, "title": "Dự thảo", "issuing_body": "UBND thành phố Cần Thơ"}
    loaded.plan = parse_plan(details | {"issued_on": "01/12/2026", "target_year": "2023", "province": "Sóc Trăng"})
    fresh_store.commit_tasks(loaded, user="lan", replace=False)
    stored = fresh_store.tasks()
    stored = stored[stored.plan_id == data.plan_id]
    pd.testing.assert_frame_equal(to_file_frame(stored).reset_index(drop=True), draft_tasks(data))
    again = isolated.parse_tasks(content, "nhiem-vu-du-thao.csv", ref, {data.plan_id: loaded.plan})
    fresh_store.commit_tasks(again, user="lan", replace=True)  # loaded twice: nothing changes
    twice = fresh_store.tasks()
    pd.testing.assert_frame_equal(
        to_file_frame(twice[twice.plan_id == data.plan_id]).reset_index(drop=True), draft_tasks(data)
    )


@pytest.mark.slow
def test_a_province_without_a_plan_gets_room_for_new_tasks(store):
    data = draft_data(store, "Hà Nội", 2022)
    text = all_text(docx.Document(io.BytesIO(draft_docx(data))))
    assert data.results.plan is None and data.carried.empty and draft_tasks(data).empty
    assert "Chưa có kế hoạch trước trong cơ sở dữ liệu" in text and "Nhiệm vụ mới (bổ sung):" in text


@pytest.mark.slow
def test_the_draft_opens_in_libreoffice_and_carries_the_unfinished_tasks(drafted, tmp_path):
    if SOFFICE is None:
        pytest.skip("LibreOffice (Debian's libreoffice-writer-nogui) is not installed: the draft cannot be opened")
    data, _ = drafted
    source = tmp_path / "du-thao.docx"
    source.write_bytes(draft_docx(data))
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: other soffice runs on the machine do not clash
    command = [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir"]
    result = subprocess.run([*command, str(tmp_path), str(source)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(tmp_path / "du-thao.pdf")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert len(reader.pages) >= 10 and "KẾ HOẠCH" in text and "III. NHIỆM VỤ, GIẢI PHÁP" in text
    for task_id in ("T065", "T003", "T085"):
        assert f"chuyển tiếp {task_id}" in text, task_id
    assert "chuyển tiếp T001)" not in text and os.path.getsize(tmp_path / "du-thao.pdf") > 50_000
