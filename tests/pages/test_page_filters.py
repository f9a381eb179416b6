"""Every page's own filters in the URL (issue 21, item 3; ui/url_filters.py): read from a link, written back when
chosen, left out at their default, kept in the session while the user looks at another page; the dimension page
opens on the view's weakest dimension (item 5)."""

from __future__ import annotations

import re

from apptest import open_page

from papi_analysis.results.metrics import weakest_first


def app(page: str, **params):
    at = open_page(page, params={"year": 2022, **params})
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_dimension_page_opens_on_the_weakest_dimension_and_keeps_a_choice_in_the_url():
    assert app("pages/dimension.py", province="soc-trang").selectbox(key="dim_code").value == "D1"  # Thấp nhất
    at = app("pages/dimension.py", province="ha-noi")
    assert at.selectbox(key="dim_code").value == "D7" and "dim" not in at.query_params  # Hà Nội's weakest in 2022
    at.selectbox(key="dim_code").set_value("D3").run()
    assert at.query_params["dim"] == "d3" and at.query_params["province"] == "ha-noi"
    linked = app("pages/dimension.py", province="soc-trang", dim="D5")
    assert linked.selectbox(key="dim_code").value == "D5"


def test_the_opening_dimension_follows_the_province_until_one_is_chosen():
    at = app("pages/dimension.py", province="soc-trang")
    at.selectbox(key="province").set_value("old:ha-noi").run()
    assert at.selectbox(key="dim_code").value == "D7"  # nothing chosen: the new province's weakest
    at.selectbox(key="dim_code").set_value("D4").run()
    at.selectbox(key="province").set_value("old:da-nang").run()
    assert at.selectbox(key="dim_code").value == "D4" and at.query_params["dim"] == "d4"  # a choice stays


def test_weakest_first_orders_every_dimension_by_group_then_rank():
    rows = [
        {"measure": "D1", "performance_group": "Cao nhất", "national_rank": 3},
        {"measure": "D2", "performance_group": "Trung bình cao", "national_rank": 20},
        {"measure": "D3", "performance_group": "Trung bình cao", "national_rank": 30},
        {"measure": "TOTAL", "performance_group": "Thấp nhất", "national_rank": 60},
        {"measure": "D4", "performance_group": None, "national_rank": None},
    ]
    assert weakest_first(rows) == ["D3", "D2", "D1"]  # no weak dimension: still one to open on


def test_the_comparison_and_map_measures_live_in_the_url():
    at = app("pages/comparison.py", province="soc-trang", measure="d2")
    assert at.segmented_control(key="cmp_measure").value == "D2"
    at.segmented_control(key="cmp_measure").set_value("D8").run()
    assert at.query_params["measure"] == "d8"
    at.segmented_control(key="cmp_measure").set_value("TOTAL").run()
    assert "measure" not in at.query_params  # the default is left out
    shown = app("pages/map.py", province="soc-trang", view="all")
    assert shown.segmented_control(key="map_view").value == "all"
    wrong = app("pages/comparison.py", province="soc-trang", measure="d9")
    assert wrong.segmented_control(key="cmp_measure").value == "TOTAL"
    said = [re.sub(r"\\(.)", r"\1", w.value) for w in wrong.warning]  # as shown: the Markdown escapes removed
    assert any("Bỏ qua bộ lọc 'measure=d9'" in w for w in said), said


def test_the_data_page_filters_live_in_the_url():
    at = app("pages/data.py", province="soc-trang", years="2021,2020", measures="total,d1", layout="long")
    assert at.multiselect(key="data_years").value == [2021, 2020]
    assert at.multiselect(key="data_measures").value == ["TOTAL", "D1"] and at.radio(key="data_layout").value == "long"
    at.multiselect(key="data_regions").set_value(["dong-bang-song-cuu-long"]).run()
    assert at.query_params["regions"] == "dong-bang-song-cuu-long" and at.query_params["years"] == "2021,2020"
    assert all("TOTAL" != label for label in at.multiselect(key="data_measures").options)  # 'Tổng hợp' on screen


def test_the_task_filters_survive_a_visit_to_another_page():
    at = app("pages/tasks.py", province="soc-trang", unit="so-noi-vu", role="phoi-hop", dim="d2")
    at.switch_page("pages/overview.py").run()
    for param in ("unit", "role", "dim"):  # what the browser does: another page's URL has none of them
        del at.query_params[param]
    at.run()
    at.switch_page("pages/tasks.py").run()
    assert at.selectbox(key="tasks_unit").value == "Sở Nội vụ" and at.selectbox(key="tasks_role").value == "partner"
    assert (at.query_params["unit"], at.query_params["role"], at.query_params["dim"]) == ("so-noi-vu", "phoi-hop", "d2")


def test_the_filter_block_title_says_what_is_chosen():
    at = app("pages/tasks.py", province="soc-trang", unit="so-noi-vu", role="phoi-hop", q="dịch vụ")
    title = at.expander[0].label
    assert title.startswith("Bộ lọc — đang lọc:") and "Sở Nội vụ" in title and "dịch vụ" in title
    assert app("pages/tasks.py", province="soc-trang").expander[0].label == "Bộ lọc"


def test_the_status_form_writes_the_chosen_task_s_whole_title():
    from papi_analysis.access.passwords import hash_password

    at = open_page(
        "pages/tasks.py",
        secrets={"analysts": {"lan": hash_password("mat-khau-dung-1")}},
        session={"_analyst": "lan"},
        params={"year": 2022, "province": "soc-trang", "q": "T065"},
    )
    assert at.selectbox(key="tasks_update_task").value == "T065"
    phone_only = [h.proto.body for h in at.get("html") if "papi-phone-only" in h.proto.body]
    assert any("T065 — " in body and len(body) > 120 for body in phone_only), phone_only


def test_the_sub_dimension_year_lives_in_the_url_and_follows_the_dimension():
    at = app("pages/dimension.py", province="soc-trang", dim="d1")
    assert at.selectbox(key="dim_parts_year").value == 2016 and "parts_year" not in at.query_params  # the nearest
    at.selectbox(key="dim_parts_year").set_value(2014).run()
    assert at.query_params["parts_year"] == "2014"
    linked = app("pages/dimension.py", province="soc-trang", dim="d1", parts_year="2013")
    assert linked.selectbox(key="dim_parts_year").value == 2013
    linked.selectbox(key="dim_code").set_value("D2").run()  # another dimension with 2013: the choice stays
    assert linked.selectbox(key="dim_parts_year").value == 2013 and linked.query_params["parts_year"] == "2013"
    wrong = app("pages/dimension.py", province="soc-trang", dim="d1", parts_year="2030")
    assert wrong.selectbox(key="dim_parts_year").value == 2016
    said = [re.sub(r"\\(.)", r"\1", w.value) for w in wrong.warning]  # as shown: the Markdown escapes removed
    assert any("parts_year=2030" in w for w in said), said


def test_the_upload_looked_at_in_the_history_lives_in_the_url():
    from papi_analysis.access.passwords import hash_password

    def history(**params):
        at = open_page(
            "pages/uploads.py",
            secrets={"analysts": {"lan": hash_password("mat-khau-dung-1")}},
            session={"_analyst": "lan"},
            params=params,
        )
        assert not at.exception, [e.value for e in at.exception]
        return at

    at = history(kinds="seed")  # the embedded data's first build: uploads in every store
    options = at.selectbox(key="hist_choice").options  # "#1 — <the file's name>"
    upload_id = int(options[0][1:].split()[0])
    assert upload_id and at.selectbox(key="hist_choice").value is None and "upload" not in at.query_params
    at.selectbox(key="hist_choice").set_value(upload_id).run()
    assert at.query_params["upload"] == str(upload_id) and at.query_params["kinds"] == "seed"
    linked = history(kinds="seed", upload=upload_id)
    assert linked.selectbox(key="hist_choice").value == upload_id
    assert history(kinds="seed", upload=99999).selectbox(key="hist_choice").value is None  # no such upload: none
