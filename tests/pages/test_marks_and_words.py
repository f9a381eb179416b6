"""Charts and words on the pages (issue 21, item 5): a mark in every table cell whose change spans 2017→2018, one
wording per idea, page names in text as links to the page."""

from __future__ import annotations

from apptest import html_tables, open_page

from papi_analysis.present.tables import method_marks


def app(page: str, **params):
    at = open_page(page, params=params)
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_every_change_across_2018_in_the_comparison_table_carries_its_mark():
    at = app("pages/comparison.py", year=2018, province="soc-trang")
    table = next(t for t in html_tables(at) if "Thay đổi hạng toàn quốc" in t)  # the copy paper prints
    for column in ("Thay đổi hạng toàn quốc", "Thay đổi hạng trong nhóm"):
        cells = table[column][table[column] != "—"]
        assert len(cells) >= 12 and cells.str.endswith(" *").all(), cells.tolist()
    assert (table["Thay đổi điểm"] == "—").all()  # the aggregate's change across the new scale is not computed
    plain = next(t for t in html_tables(app("pages/comparison.py", year=2022, province="soc-trang")) if "Nhóm" in t)
    assert not plain["Thay đổi hạng toàn quốc"].str.endswith("*").any()


def test_method_marks_only_where_a_change_exists():
    import pandas as pd

    frame = pd.DataFrame({"Thay đổi điểm": [None, 1.0], "Thay đổi hạng toàn quốc": [3, 2], "Ghi chú": ["x", ""]})
    marks = method_marks(frame)
    assert marks.to_dict("list") == {"Thay đổi điểm": [False, False], "Thay đổi hạng toàn quốc": [True, False]}
    assert method_marks(frame.drop(columns=["Ghi chú"])) is None


def test_the_overview_names_the_tasks_page_as_a_link_keeping_the_view():
    at = app("pages/overview.py", year=2022, province="soc-trang")
    links = [link.proto for link in at.get("page_link")]
    assert any("Nhiệm vụ" in link.label and link.page.endswith("nhiem-vu") for link in links), links
    assert all("**Nhiệm vụ**" not in m.value for m in at.markdown)  # no longer bold text
    link = next(link for link in links if "Nhiệm vụ" in link.label)
    assert "year=2022" in link.query_string and "province=soc-trang" in link.query_string


def test_an_unchanged_rank_is_said_as_the_tables_say_it():
    at = app("pages/overview.py", year=2022, province="bac-lieu")  # first in the Mekong Delta in 2021 and 2022
    in_group = next(m for m in at.metric if m.label.startswith("Xếp hạng trong"))
    assert in_group.value == "1/13" and in_group.delta == "giữ nguyên thứ hạng"
