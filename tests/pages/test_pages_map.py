"""The map page through AppTest (issue 12): every unit of the year's set and both archipelagos drawn, grey
tiles named for units without a score, one small map per dimension of the year, a 34-unit year."""

from __future__ import annotations

from helpers import figures, load_synthetic_year, traces
from test_pages import app, texts

from papi_analysis.present import tilemap

MAP = "pages/map.py"


def units_trace(figure: dict) -> dict:
    return traces(figure)[tilemap.UNITS_TRACE]


def annotations(figure: dict) -> list[str]:
    return [a["text"] for a in figure["layout"]["annotations"]]


def test_the_map_of_2024_draws_63_units_and_the_archipelagos():
    at = app(MAP, year=2024, province="soc-trang")
    (figure,) = figures(at)
    assert len(units_trace(figure)["customdata"]) == 63 and len(figure["layout"]["shapes"]) == 63 + 2
    shown = annotations(figure)
    assert "Quần đảo Hoàng Sa<br>(Đà Nẵng)" in shown and "Quần đảo Trường Sa<br>(Khánh Hòa)" in shown
    assert "Không có số liệu năm 2024 (ô màu xám): Vĩnh Phúc, Tiền Giang." in texts(at)
    assert "Không có số liệu (2)" in traces(figure)
    focus = [s for s in figure["layout"]["shapes"] if s["line"].get("width") == 3]
    assert len(focus) == 1  # Sóc Trăng outlined
    at.segmented_control(key="map_measure").set_value("D4").run()
    assert figures(at)[0]["layout"]["title"]["text"].startswith("D4 Kiểm soát tham nhũng")


def test_the_small_multiple_has_a_map_per_dimension_of_the_year():
    at = app(MAP, year=2024)
    at.segmented_control(key="map_view").set_value("all").run()
    maps = figures(at)
    assert len(maps) == 8 and all("QĐ. Hoàng Sa" in annotations(f) and "QĐ. Trường Sa" in annotations(f) for f in maps)
    early = app(MAP, year=2016)
    early.segmented_control(key="map_view").set_value("all").run()
    assert len(figures(early)) == 6 and "6 chỉ số nội dung của PAPI 2016" in texts(early)


def test_a_34_unit_year_with_a_unit_without_a_score(fresh_db_env):
    load_synthetic_year(fresh_db_env, 2025, "new", leave_out=("Lai Châu",))
    at = app(MAP, year=2025, province="soc-trang")
    assert at.selectbox(key="province").value == "new:can-tho"
    (figure,) = figures(at)
    units = units_trace(figure)
    assert len(units["customdata"]) == 34 and "new:lai-chau" in units["customdata"]
    hover = dict(zip(units["customdata"], units["hovertext"], strict=True))
    assert hover["new:lai-chau"].endswith("Không có số liệu năm 2025")
    assert "Không có số liệu năm 2025 (ô màu xám): Lai Châu." in texts(at)
    assert "Xếp hạng toàn quốc" in [m.label for m in at.metric] and "/33" in texts(at)
