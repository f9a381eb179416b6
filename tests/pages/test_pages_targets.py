"""What it takes on the pages (issue 22, item 2), through AppTest: the overview's and the dimension page's table
per dimension (where effort pays most first), the leader's target rank kept in the URL and across pages, the
waterfall of the year's change (refused across 2018), the print view, the tasks page's plan draft."""

from __future__ import annotations

import html
from io import StringIO

import pandas as pd
import pytest
from apptest import open_page
from helpers import figures

YEAR_2022 = {"year": 2022, "province": "soc-trang"}


def app(page: str | None = None, **params):
    at = open_page(page, params=params)
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at) -> str:
    parts = [html.unescape(m.value) for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info] + [w.value for w in at.warning]
    return "\n".join(parts).replace("\\", "")


def chip_tables(at) -> list[pd.DataFrame]:
    """The chip tables a page draws (plain HTML in Markdown), as DataFrames of text."""
    bodies = [m.value for m in at.markdown if '<table class="papi-table' in m.value]
    return [t for body in bodies for t in pd.read_html(StringIO(body), keep_default_na=False)]


def targets_table(at, index: int = 0) -> pd.DataFrame:
    found = [t for t in chip_tables(at) if "Lên nhóm trên" in t.columns]
    assert len(found) > index, [list(t.columns) for t in chip_tables(at)]
    return found[index].set_index("Chỉ số")


def test_the_overview_shows_what_it_takes_where_effort_pays_most_first():
    at = app(**YEAR_2022)
    table = targets_table(at)
    assert list(table.index[:3]) == [
        "D8 · Quản trị điện tử",
        "D3 · Trách nhiệm giải trình",
        "D2 · Công khai, minh bạch",
    ]
    d1 = table.loc["D1 · Tham gia"]
    assert d1["Lên nhóm trên"] == "cần thêm 0,01 điểm để vào nhóm Trung bình thấp"
    assert d1["Dư trên ngưỡng nhóm"] == "—" and d1["Nhóm"] == "Thấp nhất"
    assert table.loc["D3 · Trách nhiệm giải trình", "Dư trên ngưỡng nhóm"] == "0,05 điểm"
    assert table.loc["D8 · Quản trị điện tử", "+0,10 điểm"] == "≈ 13 bậc"
    assert table.loc["D4 · Kiểm soát tham nhũng", "Lên nhóm trên"] == "đang ở nhóm Cao nhất"
    text = shown(at)
    assert "Giả định các tỉnh, thành phố khác giữ nguyên điểm năm 2022" in text
    assert "Chỉ số tổng hợp (PAPI): cần thêm 0,59 điểm để vào nhóm Cao nhất (đạt 43,44 điểm)" in text
    assert "Nỗ lực có lợi nhất (nhiều bậc nhất cho mỗi 0,10 điểm): D8 · Quản trị điện tử: +0,10 điểm ≈ 13 bậc" in text


def test_a_target_rank_is_kept_in_the_url_and_across_pages():
    at = app(**YEAR_2022, target=20)
    assert at.number_input(key="target_rank").value == 20
    table = targets_table(at)
    assert table.loc["D1 · Tham gia", "Mục tiêu hạng 20 toàn quốc"] == "cần thêm 0,89 điểm (đạt 5,38)"
    assert table.loc["D4 · Kiểm soát tham nhũng", "Mục tiêu hạng 20 toàn quốc"] == "đã đạt (hạng 5)"
    assert "Điểm tổng hợp cần thêm 0,25 điểm để đạt hạng 20/61 toàn quốc (43,11 điểm)" in shown(at)
    at.number_input(key="target_rank").set_value(2).run()
    at.radio(key="target_scope").set_value("regional").run()
    assert (at.query_params["target"], at.query_params["target_in"]) == ("2", "vung")
    assert "Mục tiêu hạng 2 trong vùng" in targets_table(at).columns
    at.switch_page("pages/dimension.py")
    at.run()
    assert not at.exception
    assert at.number_input(key="target_rank").value == 2 and at.radio(key="target_scope").value == "regional"
    assert at.query_params["target"] == "2" and "mục tiêu hạng 2 trong vùng" in shown(at)
    at.number_input(key="target_rank").set_value(None).run()
    assert "target" not in at.query_params and "target_in" not in at.query_params


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"target": "abc"}, "Bỏ qua hạng mục tiêu 'abc' trong đường dẫn"),
        ({"target": "99"}, "Hạng mục tiêu 99 lớn hơn số tỉnh, thành phố cả nước (63)"),
        ({"target": "14", "target_in": "vung"}, "Hạng mục tiêu 14 lớn hơn số tỉnh, thành phố trong Đồng bằng sông"),
    ],
)
def test_a_goal_the_ranking_cannot_have_is_said_and_set_aside(params, said):
    at = app(**YEAR_2022, **params)
    assert said in shown(at)
    assert not any(c.startswith("Mục tiêu") for c in targets_table(at).columns)


def test_the_waterfall_splits_the_year_s_change_by_dimension():
    at = app(**YEAR_2022)
    waterfall = next(f for f in figures(at) if f["data"][0]["type"] == "waterfall")
    trace = waterfall["data"][0]
    assert trace["x"] == ["2021", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "2022"]
    assert trace["text"][0] == "40,04" and trace["text"][-1] == "42,86" and trace["text"][1] == "+0,22"
    assert trace["measure"][0] == "absolute" and trace["measure"][-1] == "total"
    assert "Thay đổi điểm tổng hợp 2021 → 2022 theo chỉ số" in [s.value for s in at.subheader]


def test_the_2017_to_2018_break_is_refused_in_a_sentence_not_bridged():
    at = app(year=2018, province="soc-trang")
    assert not any(f["data"][0]["type"] == "waterfall" for f in figures(at))
    said = shown(at)
    assert "Không tách thay đổi điểm tổng hợp 2017 → 2018 theo chỉ số nội dung" in said


def test_the_dimension_page_shows_the_dimension_its_parts_and_every_dimension():
    at = app("pages/dimension.py", year=2016, province="soc-trang", dim="d1")  # (it opens on the weakest)
    text = shown(at)
    assert "D1 Tham gia: cần thêm 0,05 điểm để vào nhóm Trung bình thấp (đạt 5,09 điểm); +0,10 điểm ≈ 6 bậc." in text
    parts = targets_table(at, 0)
    assert sorted(parts.index) == ["D1.1 · Tri thức công dân", "D1.2 · Cơ hội tham gia", "D1.3 · Chất lượng bầu cử",
                                   "D1.4 · Đóng góp tự nguyện"]  # fmt: skip
    every = targets_table(at, 1)
    assert len(every) == 6 and every.iloc[0]["+0,10 điểm"] >= every.iloc[-1]["+0,10 điểm"]


def test_on_paper_the_goal_is_said_in_words():
    at = app(**YEAR_2022, target=20, print=1)
    assert not at.get("number_input") and "Mục tiêu: hạng 20 toàn quốc." in shown(at)
    assert "Mục tiêu hạng 20 toàn quốc" in targets_table(at).columns


def test_the_tasks_page_drafts_next_year_s_plan():
    at = app("pages/tasks.py", year=2024, province="soc-trang", target=5)
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert "Tải dự thảo kế hoạch (Word)" in buttons and not buttons["Tải tệp 88 nhiệm vụ chuyển tiếp (CSV)"].disabled
    assert "Dự thảo kế hoạch năm 2025" in [s.value for s in at.subheader]
    assert "UBND thành phố Cần Thơ" in buttons["Tải dự thảo kế hoạch (Word)"].help
    other = app("pages/tasks.py", year=2024, province="ha-noi")
    assert "dự thảo cho Hà Nội không chuyển tiếp nhiệm vụ của tỉnh khác" in shown(other)
    buttons = {b.proto.label: b.proto for b in other.get("download_button")}
    assert buttons["Tải tệp 0 nhiệm vụ chuyển tiếp (CSV)"].disabled
