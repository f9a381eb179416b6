"""Pages with a SYNTHETIC 2025 in the 34 new units (issue 12): the sidebar's round trip Sóc Trăng 2024 →
Cần Thơ 2025 → Sóc Trăng 2024 (and the URL that keeps it), the overview, comparison and dimension pages of
a new unit telling its story since 2011, and hand-picked groups across the change."""

from __future__ import annotations

import pytest
from helpers import figures, traces
from test_pages import PAGES, app, chip_table, metrics, texts

NOTICE = "Năm 2025 dùng 34 tỉnh, thành phố (từ 01/07/2025): Sóc Trăng → Cần Thơ (gồm Cần Thơ, Sóc Trăng, Hậu Giang cũ)."


@pytest.fixture(autouse=True)
def _new_units(new_units_db, monkeypatch):
    monkeypatch.setenv("PAPI_DB", str(new_units_db))


def test_the_year_switch_round_trip_keeps_the_users_province():
    at = app(year=2024, province="soc-trang")
    at.selectbox(key="year").set_value(2025).run()
    assert at.selectbox(key="province").value == "new:can-tho"
    assert NOTICE in texts(at)
    assert dict(at.query_params) == {"year": "2025", "province": "can-tho", "home": "soc-trang"}
    at.selectbox(key="year").set_value(2024).run()
    assert at.selectbox(key="province").value == "old:soc-trang" and not at.exception
    assert "Cần Thơ → Sóc Trăng." in texts(at)
    assert dict(at.query_params) == {"year": "2024", "province": "soc-trang"}


def test_a_link_to_a_2025_view_remembers_the_province_and_old_links_still_work():
    linked = app(year=2025, province="can-tho", home="soc-trang")
    linked.selectbox(key="year").set_value(2023).run()
    assert linked.selectbox(key="province").value == "old:soc-trang"
    old_link = app(year=2025, province="soc-trang")  # a link written before the 34 units existed
    assert old_link.selectbox(key="province").value == "new:can-tho" and NOTICE in texts(old_link)
    assert old_link.query_params["home"] == "soc-trang"
    namesake = app(year=2025, province="can-tho")  # no home: the new unit goes back to the old Cần Thơ
    namesake.selectbox(key="year").set_value(2024).run()
    assert namesake.selectbox(key="province").value == "old:can-tho"
    assert "Cần Thơ → Cần Thơ (cũ)." in texts(namesake)
    wrong = app(year=2025, province="can-tho", home="bac-lieu")
    assert "Bỏ qua tỉnh cũ 'bac-lieu': không thuộc Cần Thơ." in texts(wrong) and "home" not in wrong.query_params


def test_picking_another_unit_forgets_the_old_province():
    at = app(year=2025, province="can-tho", home="soc-trang")
    at.selectbox(key="province").set_value("new:ca-mau").run()
    at.selectbox(key="province").set_value("new:can-tho").run()
    assert "home" not in at.query_params
    at.selectbox(key="year").set_value(2024).run()
    assert at.selectbox(key="province").value == "old:can-tho"


def test_the_overview_of_a_new_unit_lists_its_predecessors_and_draws_them():
    at = app(year=2025, province="can-tho", home="soc-trang")
    page = texts(at)
    assert metrics(at)["Xếp hạng toàn quốc"].endswith("/34") and metrics(at)["Xếp hạng trong vùng"].endswith("/6")
    assert "Kết quả trước khi sắp xếp" in page and "không so sánh điểm số và thứ hạng với các năm trước" in page
    table = chip_table(at, "Tỉnh, thành phố cũ")
    assert all(name in table for name in ("Cần Thơ (cũ)", "Hậu Giang", "Sóc Trăng", "45,19", "10/61", "Cao nhất"))
    lines = traces(figures(at)[0])
    assert list(lines) == ["Cần Thơ (cũ)", "Hậu Giang", "Sóc Trăng", "Cần Thơ"]
    assert max(x for x in lines["Sóc Trăng"]["x"] if x == x) == 2024 and lines["Cần Thơ"]["x"] == [2025.0]
    before = [lines[name]["line"] for name in ("Cần Thơ (cũ)", "Hậu Giang", "Sóc Trăng")]
    assert all(line["dash"] for line in before) and len({line["color"] for line in before}) == 3  # told apart
    paragraph = next(m.value for m in at.markdown if m.value.startswith("Năm 2025, thành phố Cần Thơ đạt"))
    assert "Năm 2024, Cần Thơ (cũ) đạt" in paragraph


def test_comparison_and_dimension_pages_tell_the_story_since_2011():
    at = app("pages/comparison.py", year=2025, province="can-tho")
    assert at.title[0].value == "So sánh: Đồng bằng sông Cửu Long — PAPI 2025"
    trend = next(f for f in figures(at) if "Sóc Trăng" in traces(f))
    assert {"Cần Thơ", "Cần Thơ (cũ)", "Hậu Giang", "Long An", "Tây Ninh (cũ)", "Tây Ninh"} <= set(traces(trend))
    assert any("34 tỉnh, thành phố" in a["text"] for a in trend["layout"]["annotations"])
    assert "không tính thay đổi điểm, thứ hạng so với các năm trước" in texts(at)
    assert "Vùng của các tỉnh, thành phố mới là tạm xác định" in texts(at)
    dim = app("pages/dimension.py", year=2025, province="can-tho")
    assert "Không có điểm" not in texts(dim)  # all three predecessors were published every year
    history = next(f for f in figures(dim) if "Trung vị cả nước" in traces(f))
    best = traces(history)["Cao nhất Đồng bằng sông Cửu Long"]["x"]
    assert min(best) == 2011 and max(best) == 2025
    assert min(traces(history)["Hậu Giang"]["x"]) == 2011
    median = traces(history)["Trung vị cả nước"]
    gap = dict(zip(median["x"], median["y"], strict=True))[2024.5]
    assert gap != gap  # NaN: the median of 63 provinces does not run into the median of 34 units


def test_a_hand_picked_group_follows_the_change_both_ways():
    at = app(year=2024, province="soc-trang", group="tu-chon", ds="bac-lieu,ca-mau,ben-tre")
    assert metrics(at)["Xếp hạng trong nhóm"].endswith("/4")
    at.selectbox(key="year").set_value(2025).run()
    assert at.multiselect(key="peers").value == ["new:ca-mau", "new:vinh-long"]
    assert metrics(at)["Xếp hạng trong nhóm"].endswith("/3") and at.query_params["ds"] == "ca-mau,vinh-long"
    at.selectbox(key="year").set_value(2024).run()
    back = ["old:bac-lieu", "old:ca-mau", "old:ben-tre", "old:tra-vinh", "old:vinh-long"]
    assert at.multiselect(key="peers").value == back
    mekong = app(year=2025, province="can-tho", group="dong-bang-song-cuu-long")
    assert metrics(mekong)["Xếp hạng trong vùng"].endswith("/6")


@pytest.mark.parametrize("page", [p for p in PAGES if p != "pages/account.py"])
def test_every_page_renders_a_34_unit_year(page):
    at = app(page, year=2025, province="soc-trang")  # app() asserts no exception
    assert at.selectbox(key="province").value == "new:can-tho" and at.query_params["home"] == "soc-trang"
