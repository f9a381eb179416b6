"""The Word draft of the results report: the dashboard's own figures (Sóc Trăng 2022: 42,86; 24/61; 3/13
after Bạc Liêu and Vĩnh Long), the two charts as pictures, the weak dimensions with their task tables, in the
form of a provincial administrative report."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import docx
import plotly.graph_objects as go
import pytest
from helpers import load_synthetic_year

from papi_analysis.cli.main import build_view
from papi_analysis.plan.plan_effect import CAUTION, plan_effect
from papi_analysis.plan.plan_tasks import specific_to, with_dimensions
from papi_analysis.plan.task_status import status_change
from papi_analysis.present import charts, static_charts, tables
from papi_analysis.present.report import TASK_COLUMNS, ReportData, plan_for, report_docx

TODAY = date(2026, 11, 27)


def report_data(store, province: str = "Sóc Trăng", year: int = 2022) -> ReportData:
    ref = store.reference()
    summary, table = build_view(store, ref, province, year)
    plan = plan_for(store.plans(), summary)
    tasks = with_dimensions(store.tasks())
    return ReportData(summary, table, ref, plan, tasks, store.task_statuses(), TODAY)


@pytest.fixture(scope="module")
def document(store):
    data = report_data(store)
    return data, docx.Document(io.BytesIO(report_docx(data)))


def all_text(doc) -> str:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.slow
def test_the_report_carries_the_published_2022_figures(document):
    text = all_text(document[1])
    assert "Năm 2022, tỉnh Sóc Trăng đạt 42,86 điểm, thuộc nhóm Trung bình cao" in text
    assert "xếp hạng 24/61 tỉnh, thành phố trong cả nước, tăng 27 bậc" in text
    assert "xếp thứ 3/13 các tỉnh khu vực Đồng bằng sông Cửu Long sau Bạc Liêu, Vĩnh Long" in text


def test_the_results_table_is_the_dashboards(document):
    data, doc = document
    expected = tables.summary_rows(data.summary)
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Chỉ số nội dung")
    shown = [[c.text for c in row.cells] for row in table.rows]
    assert shown[0] == list(expected.columns) and shown[1:] == expected.astype(str).values.tolist()
    assert shown[1][:4] == ["Chỉ số tổng hợp (PAPI)", "42,86", "24/61", "3/13"] and len(shown) == 10


def test_the_report_holds_the_two_charts(document):
    doc = document[1]
    pictures = [shape for shape in doc.inline_shapes]
    assert len(pictures) == 2
    blobs = [doc.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed].blob for s in pictures]
    assert all(b.startswith(b"\x89PNG") and len(b) > 20_000 for b in blobs)
    text = all_text(doc)
    assert "Hình 1. Điểm tổng hợp PAPI 2022" in text and "Hình 2." in text


def test_each_weak_dimension_has_its_task_table(document):
    data, doc = document
    text = all_text(doc)
    task_tables = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == TASK_COLUMNS]
    weak = list(data.summary.weak_dimensions)
    # + the whole-index tasks and, in III, the overdue ones
    assert weak == ["D1", "D6", "D2", "D8"] and len(task_tables) == len(weak) + 2
    d1 = [row.cells[1].text for row in task_tables[0].rows[1:]]
    assert d1 == specific_to(data.followed(), "D1").task_id.tolist() and "T063b" in d1
    assert "1. D1 · Tham gia của người dân ở cấp cơ sở (nhóm Thấp nhất" in text
    assert "Nhiệm vụ chung cho toàn bộ Chỉ số PAPI" in text and "III. ĐỀ XUẤT" in text


def test_it_reads_like_a_provincial_report(document):
    doc = document[1]
    text = all_text(doc)
    # Drafted on 27/11/2026: issued by the unit that exists that day (issue 21), about the old province.
    heading = ["DỰ THẢO", "ỦY BAN NHÂN DÂN", "THÀNH PHỐ CẦN THƠ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    heading += ["Độc lập - Tự do - Hạnh phúc", "Cần Thơ, ngày", "tháng", "năm 2026", "BÁO CÁO"]
    heading += ["năm 2022 của tỉnh Sóc Trăng (cũ), nay thuộc thành phố Cần Thơ", "Kính gửi:"]
    heading += ["- Thường trực Thành ủy;", "- Thường trực Hội đồng nhân dân thành phố."]
    body = ["I. KẾT QUẢ CHỈ SỐ PAPI NĂM 2022", "II. CHỈ SỐ YẾU VÀ NHIỆM VỤ", "Nơi nhận:", "- Như trên;"]
    body += ["TM. ỦY BAN NHÂN DÂN", "Trên đây là báo cáo kết quả Chỉ số PAPI năm 2022 của tỉnh Sóc Trăng (cũ)"]
    for words in heading + body:
        assert words in text, words
    assert "TỈNH SÓC TRĂNG" not in text and "Sóc Trăng, ngày" not in text
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 1) == 3.0
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 14


@pytest.mark.slow
def test_drafted_before_the_merger_the_province_issues_it(store):
    data = replace(report_data(store, "Sóc Trăng", 2022), today=date(2025, 6, 30))
    text = all_text(docx.Document(io.BytesIO(report_docx(data))))
    for words in ("TỈNH SÓC TRĂNG", "Sóc Trăng, ngày", "năm 2022 của tỉnh Sóc Trăng", "Thường trực Tỉnh ủy"):
        assert words in text, words
    assert "(cũ)" not in text and "CẦN THƠ" not in text and "Các địa phương nay hợp thành" not in text


@pytest.mark.slow
def test_the_old_provinces_of_the_new_unit_stand_side_by_side(store):
    doc = docx.Document(io.BytesIO(report_docx(report_data(store, "Sóc Trăng", 2024))))
    text = all_text(doc)
    assert "3. Các địa phương nay hợp thành thành phố Cần Thơ" in text
    assert "thành phố Cần Thơ, tỉnh Hậu Giang, tỉnh Sóc Trăng hợp thành thành phố Cần Thơ" in text
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Chỉ số")
    shown = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows}
    assert shown["Chỉ số"] == ["Cần Thơ (cũ)", "Hậu Giang (cũ)", "Sóc Trăng (cũ)"]
    assert shown["Chỉ số tổng hợp (PAPI)"] == ["40,44 (59/61)", "44,01 (23/61)", "45,19 (10/61)"]
    assert shown["Nhóm hiệu quả (tổng hợp)"] == ["Thấp nhất", "Trung bình cao", "Cao nhất"]


@pytest.mark.slow
def test_the_old_city_is_said_former_under_the_new_citys_name(store):
    text = all_text(docx.Document(io.BytesIO(report_docx(report_data(store, "Cần Thơ", 2024)))))
    assert "THÀNH PHỐ CẦN THƠ" in text and "năm 2024 của thành phố Cần Thơ (cũ)" in text
    assert "Kết quả dưới đây là của thành phố Cần Thơ (cũ): PAPI 2024 khảo sát và công bố theo 63 tỉnh" in text


@pytest.mark.slow
def test_statuses_are_said_as_of_the_latest_quarter_reported_or_not_reported(fresh_store):
    text = all_text(docx.Document(io.BytesIO(report_docx(report_data(fresh_store)))))
    assert "Chưa có cơ quan, đơn vị nào báo cáo tình trạng thực hiện nhiệm vụ của kế hoạch" in text
    assert "tính đến Quý" not in text
    fresh_store.record_status(status_change("120/KH-UBND-2023", "T002", "2023-Q2", "Đang triển khai"), "lan")
    fresh_store.record_status(status_change("120/KH-UBND-2023", "T001", "2023-Q3", "Hoàn thành"), "lan")
    data = report_data(fresh_store)
    assert str(data.reported_period) == "2023-Q3" and data.as_of == date(2023, 9, 30)
    text = all_text(docx.Document(io.BytesIO(report_docx(data))))
    assert "Tình trạng thực hiện tính đến Quý III/2023 (ngày 30/09/2023), kỳ báo cáo gần nhất: 1/88" in text


@pytest.mark.slow
def test_every_task_the_report_names_is_described_in_a_table(fresh_store):
    """Proposals name the overdue tasks: each one is a row with its title (T065 and T078 are in no weak
    dimension's table in 2024), and no code stands alone in the text."""
    data = report_data(fresh_store, "Sóc Trăng", 2024)
    doc = docx.Document(io.BytesIO(report_docx(data)))
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows if len(r.cells) == len(TASK_COLUMNS)]
    described = {row[1]: row[2] for row in rows if row[1] != "Mã"}
    titles = data.tasks.set_index("task_id").title
    assert all(titles[code] == title for code, title in described.items())
    overdue = data.followed().query("overdue").task_id.tolist()
    assert {"T065", "T078"} <= set(overdue) <= set(described)
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    assert not re.findall(r"\bT\d{3}[a-z]?\b", paragraphs)


@pytest.mark.slow
def test_a_recorded_status_and_overdue_show_in_the_task_table(fresh_store):
    fresh_store.record_status(status_change("120/KH-UBND-2023", "T001", "2023-Q4", "Hoàn thành"), "lan")
    doc = docx.Document(io.BytesIO(report_docx(report_data(fresh_store))))
    rows = {r.cells[1].text: r.cells[5].text for t in doc.tables for r in t.rows if len(r.cells) == 6}
    assert rows["T001"] == "Hoàn thành" and rows["T065"] == "Chưa báo cáo (quá hạn)"
    assert "tính đến Quý IV/2023 (ngày 31/12/2023)" in all_text(doc)


@pytest.mark.slow
def test_a_province_without_its_own_plan_gets_no_tasks_of_another(store):
    data = report_data(store, "Hà Nội", 2022)
    assert data.plan is None
    assert "Chưa có kế hoạch nhiệm vụ nào" in all_text(docx.Document(io.BytesIO(report_docx(data))))


@pytest.mark.parametrize(
    ("province", "year", "said"),
    [
        ("Sóc Trăng", 2016, "Tri thức công dân"),  # six dimensions; sub-dimensions stored
        ("Sóc Trăng", 2024, "nhắm tới Chỉ số PAPI năm 2023"),  # the newest plan, said to be older
        ("Bắc Ninh", 2022, "không công bố điểm tổng hợp của Bắc Ninh"),  # no aggregate, no ranking chart
        ("Bắc Giang", 2014, "không công bố điểm của Bắc Giang"),  # nothing published
    ],
)
@pytest.mark.slow
def test_every_kind_of_year_gives_a_report(store, province, year, said):
    data = report_data(store, province, year)
    doc = docx.Document(io.BytesIO(report_docx(data)))
    assert said in all_text(doc)
    assert len(doc.inline_shapes) == {2016: 2, 2024: 2}.get(year, 1 if data.summary.status.has_scores else 0)


# --- the pictures ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_pictures_draw_the_figures_values(store):
    data = report_data(store)
    ranking = tables.group_ranking(data.table, data.ref, 2022, "TOTAL", data.summary.comparison.unit_ids)
    figure = charts.ranked_bar(ranking.rows, data.summary.unit_id, ranking.national_median, "x", "điểm")
    drawn = static_charts.draw(figure)
    bars = [round(p.get_width(), 6) for p in drawn.axes[0].patches]
    assert bars == [round(v, 6) for v in figure.data[0].x] and len(bars) == 13
    radar = charts.radar(tables.radar_frame(data.table, data.ref, data.summary), "Sóc Trăng", "ĐBSCL", "x")
    lines = static_charts.draw(radar).axes[0].get_lines()
    assert [list(line.get_ydata()) for line in lines] == [list(trace.r) for trace in radar.data]
    with pytest.raises(ValueError, match="cannot draw"):
        static_charts.draw(go.Figure(go.Scatter(x=[1], y=[2])))


# --- did the plan move the needle -------------------------------------------------------------------
@pytest.mark.slow
def test_plan_effect_pairs_tasks_done_with_score_changes(fresh_store):
    fresh_store.record_status(status_change("120/KH-UBND-2023", "T065", "2023-Q3", "Hoàn thành"), "lan")
    data = report_data(fresh_store)
    sets = dict(zip(fresh_store.years().year, fresh_store.years().unit_set, strict=True))
    effect = plan_effect(data.table, data.ref, data.plan, data.tasks, data.history, sets, TODAY)
    rows = effect.rows.set_index("code")
    scores = data.table[(data.table.unit_id == "old:soc-trang") & (data.table.measure == "D1")].set_index("year")
    assert (effect.baseline_year, effect.target_year, effect.as_of) == (2022, 2023, date(2023, 12, 31))
    assert rows.loc["D1", "tasks"] == len(specific_to(data.tasks, "D1")) and rows.loc["D1", "done"] == 1
    assert rows.loc["D1", "change"] == pytest.approx(scores.value[2023] - scores.value[2022])
    assert rows.loc["D1", "rank_change"] == scores.national_rank[2022] - scores.national_rank[2023]
    assert rows.loc["TOTAL", "tasks"] == 10 and "không chứng minh" in CAUTION


@pytest.mark.slow
def test_plan_effect_says_when_the_target_year_is_not_published(store):
    data = report_data(store)
    later = dict(data.plan, target_year=2030)
    effect = plan_effect(data.table, data.ref, later, data.tasks, data.history, {2022: "old"}, TODAY)
    assert effect.rows.empty and "Chưa có điểm PAPI 2029 và 2030" in effect.message


@pytest.mark.slow
def test_plan_effect_computes_no_change_across_the_reorganisation(fresh_store):
    """A plan whose target year is the first in the 34 units: its baseline ranks 63 provinces (issue 12)."""
    load_synthetic_year(fresh_store, 2025, "new")
    data = report_data(fresh_store)
    sets = dict(zip(fresh_store.years().year, fresh_store.years().unit_set, strict=True))
    for province in ("Cần Thơ", "Sóc Trăng"):
        plan = dict(data.plan, province=province, target_year=2025)
        effect = plan_effect(data.table, data.ref, plan, data.tasks, data.history, sets, TODAY)
        assert effect.rows.empty and "không so sánh điểm và thứ hạng giữa hai năm" in effect.message
