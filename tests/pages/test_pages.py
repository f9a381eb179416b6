"""Every page through Streamlit's AppTest: renders with defaults and every sidebar choice, shows the
published figures, restores a view from the URL, copes with the data's gaps, guards analyst pages.

No cache is cleared between tests: every cache key carries the database file's write stamp, and tests
that write use their own copy of the database."""

from __future__ import annotations

import html
import re
from datetime import date

import hostile_files
import pandas as pd
import pytest
from apptest import html_tables, open_page
from helpers import csv_bytes, db_state, frame_rows, synthetic_year, year_frame
from streamlit.testing.v1 import AppTest

from papi_analysis.access.passwords import hash_password
from papi_analysis.access.throttle import Throttle
from papi_analysis.paths import TASKS_CSV, signin_path
from papi_analysis.plan.plan_tasks import parse_tasks
from papi_analysis.reading.ingest import parse_scores

PAGES = [
    "pages/overview.py",
    "pages/comparison.py",
    "pages/map.py",
    "pages/dimension.py",
    "pages/tasks.py",
    "pages/data.py",
    "pages/account.py",
]
ANALYST_PAGES = ["pages/upload.py", "pages/uploads.py"]
PASSWORD = "mat-khau-dung-1"
HASH = hash_password(PASSWORD)


def app(page: str | None = None, analyst: bool = False, **params) -> AppTest:
    session = {"_analyst": "lan"} if analyst else {}
    at = open_page(page, secrets={"analysts": {"lan": HASH}}, session=session, params=params)
    assert not at.exception, [e.value for e in at.exception]
    return at


def chip_table(at: AppTest, marker: str = '<table class="papi-table') -> str:
    """The first Markdown element holding marker (a chip table's HTML), its character references resolved as
    the reader sees them."""
    return next(html.unescape(m.value) for m in at.markdown if marker in html.unescape(m.value))


def texts(at: AppTest) -> str:
    parts = [html.unescape(m.value) for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [str(m.value) for m in at.metric] + [t.value for t in at.title]
    parts += [s.value for s in at.subheader] + [e.value for e in at.error] + [s.value for s in at.success]
    parts += [t.value for t in at.text]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))  # as shown: Markdown escapes of outside text removed


def frame_with(at: AppTest, *columns: str, index: int = 0):
    """st.dataframe without selection has no element key in AppTest: find tables by their columns (and the
    tables drawn as plain HTML, such as the task lists, which come after the st.dataframe ones)."""
    tables = [d.value for d in at.dataframe] + html_tables(at)
    found = [t for t in tables if set(columns) <= set(t.columns)]
    assert len(found) > index, [list(t.columns) for t in tables]
    return found[index]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("page", PAGES + ANALYST_PAGES)
def test_every_page_renders_with_defaults(page):
    at = app(page, analyst=page in ANALYST_PAGES)
    assert at.selectbox(key="year").value == 2024 and at.selectbox(key="province").value == "old:soc-trang"
    assert at.selectbox(key="group").value == "dong-bang-song-cuu-long"


TITLES = {
    "pages/overview.py": "Sóc Trăng — PAPI {year}",
    "pages/comparison.py": "So sánh: Đồng bằng sông Cửu Long — PAPI {year}",
    "pages/map.py": "Bản đồ — PAPI {year}",
    "pages/dimension.py": "Chỉ số nội dung — Sóc Trăng, PAPI {year}",
    "pages/tasks.py": "Nhiệm vụ cải thiện PAPI — Sóc Trăng",
    "pages/data.py": "Dữ liệu PAPI",
    "pages/account.py": "Đăng nhập",  # a viewer: the menu says Đăng nhập (one name per page)
}


@pytest.mark.parametrize("year", [2011, 2014, 2017, 2018, 2021, 2024])
def test_every_page_renders_for_every_kind_of_year(year):
    """First year, missing provinces, last six-dimension year, the break, missing totals, latest."""
    at = app(year=year, province="soc-trang")
    for page, title in TITLES.items():
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.title[0].value == title.format(year=year)
        assert at.selectbox(key="year").value == year
    at.switch_page("pages/overview.py").run()
    table = chip_table(at)
    assert ("D8 · Quản trị điện tử" in table) == (year >= 2018)


GROUPS = [
    "trung-du-va-mien-nui-phia-bac",
    "dong-bang-song-hong",
    "bac-trung-bo-va-duyen-hai-mien-trung",
    "tay-nguyen",
    "dong-nam-bo",
    "dong-bang-song-cuu-long",
    "tu-chon",
]


def ranked_in_region_2022(scores, ref, region_id: str) -> int:
    """Units of a region with a 2022 aggregate, plus Sóc Trăng when it is compared from outside."""
    totals = scores[(scores.year == 2022) & (scores.measure == "TOTAL")]
    members = set(ref.members(region_id, "old")) | {"old:soc-trang"}
    return int(totals.unit_id.isin(members).sum())


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/comparison.py", "pages/dimension.py"])
def test_every_page_renders_for_each_comparison_group(page, scores, ref):
    at = app(page, year=2022)
    assert len(at.selectbox(key="group").options) == len(GROUPS)
    for group in GROUPS[:-1]:
        at.selectbox(key="group").set_value(group).run()
        assert not at.exception, (group, [e.value for e in at.exception])
        if page == "pages/overview.py":
            rank = metrics(at)["Xếp hạng trong vùng"]
            assert rank.endswith(f"/{ranked_in_region_2022(scores, ref, group)}"), (group, rank)
    at.selectbox(key="group").set_value("tu-chon").run()
    at.multiselect(key="peers").set_value(["old:bac-lieu", "old:ca-mau"]).run()
    assert not at.exception
    if page == "pages/overview.py":
        assert metrics(at)["Xếp hạng trong nhóm"] == "2/3"


@pytest.mark.parametrize(
    ("province", "year", "said"),
    [
        ("Bắc Ninh", 2022, "không công bố điểm tổng hợp của Bắc Ninh"),
        ("Bắc Giang", 2014, "không công bố điểm của Bắc Giang"),
        ("Hà Nội", 2016, "Hà Nội — PAPI 2016"),
        ("Quảng Ninh", 2018, "không công bố điểm tổng hợp của Quảng Ninh"),
    ],
)
def test_pages_cope_with_missing_scores(province, year, said):
    at = app(year=year, province=province)
    assert said in texts(at)
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])


def test_overview_shows_the_published_2022_figures():
    at = app(year=2022, province="soc-trang")
    shown = metrics(at)
    assert shown["Điểm tổng hợp"] == "42,86"
    assert shown["Xếp hạng toàn quốc"] == "24/61"
    assert shown["Xếp hạng trong vùng"] == "3/13"
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["Xếp hạng toàn quốc"] == "tăng 27 bậc" and deltas["Xếp hạng trong vùng"] == "tăng 6 bậc"
    page = texts(at)
    paragraph = next(m.value for m in at.markdown if m.value.startswith("Năm 2022, tỉnh Sóc Trăng đạt 42,86 điểm"))
    assert "xếp thứ 3/13 các tỉnh khu vực Đồng bằng sông Cửu Long sau Bạc Liêu, Vĩnh Long" in paragraph
    assert (
        "03 chỉ số nội dung được xếp trong nhóm Cao nhất (Thủ tục hành chính công, Kiểm soát tham nhũng "
        "trong khu vực công và Quản trị môi trường)"
    ) in paragraph
    assert "Trung bình cao" in page and "Thấp nhất" in page


def test_the_url_restores_the_view_and_follows_changes():
    at = app("pages/comparison.py", year=2016, province="ha noi", group="dong-nam-bo")
    assert at.selectbox(key="year").value == 2016
    assert at.selectbox(key="province").value == "old:ha-noi"
    assert at.selectbox(key="group").value == "dong-nam-bo"
    assert dict(at.query_params) == {"year": "2016", "province": "ha-noi", "group": "dong-nam-bo"}
    at.selectbox(key="province").set_value("old:can-tho").run()
    assert at.query_params["province"] == "can-tho"
    custom = app(year=2022, province="SÓC TRĂNG", group="tu-chon", ds="bac-lieu,ca-mau")
    assert custom.multiselect(key="peers").value == ["old:bac-lieu", "old:ca-mau"]
    assert metrics(custom)["Xếp hạng trong nhóm"] == "2/3"
    assert custom.query_params["ds"] == "bac-lieu,ca-mau"


def test_default_group_follows_the_province_until_chosen():
    at = app(year=2022)
    at.selectbox(key="province").set_value("old:ha-noi").run()
    assert at.selectbox(key="group").value == "dong-bang-song-hong" and "group" not in at.query_params


def test_bad_url_values_say_so_and_fall_back():
    at = app(year=1999, province="Soc Trag")
    notices = "\n".join(w.value for w in at.warning)
    assert "Chưa có số liệu PAPI năm 1999" in notices and "Sóc Trăng" in notices
    assert at.selectbox(key="year").value == 2024


def test_a_year_before_2018_has_no_d7_d8():
    at = app(year=2016, province="soc-trang")
    table = chip_table(at)
    assert "D6 · Cung ứng dịch vụ công" in table and "D7" not in table and "D8" not in table
    assert "06 chỉ số nội dung" in texts(at)
    dim = app("pages/dimension.py", year=2016)
    dim.selectbox(key="dim_code").set_value("D7").run()
    assert "chỉ có từ năm 2018" in texts(dim)


def test_2018_says_the_aggregate_scale_changed():
    at = app(year=2018, province="soc-trang")
    assert "không so sánh trực tiếp với năm 2017" in texts(at)
    deltas = {m.label: m.delta for m in at.metric}
    assert not deltas["Điểm tổng hợp"]  # no plain score change across the 6→8 dimension break
    assert deltas["Xếp hạng toàn quốc"] == "tăng 10 bậc"


def test_missing_scores_are_named_not_zero():
    at = app(year=2022, province="bac-ninh")
    assert "không công bố điểm tổng hợp của Bắc Ninh" in texts(at)
    cmp = app("pages/comparison.py", year=2022, province="bac-ninh")
    assert "không công bố Tổng hợp của: Bắc Ninh — không đưa vào so sánh (không tính là 0)" in texts(cmp)
    gone = app(year=2014, province="bac-giang")
    assert "không công bố điểm của Bắc Giang" in texts(gone)


def test_dimension_page_shows_sub_dimensions_where_the_data_has_them():
    at = app("pages/dimension.py", year=2016, province="soc-trang")
    at.selectbox(key="dim_code").set_value("D5").run()
    table = chip_table(at)
    assert "Giấy chứng nhận quyền sử dụng đất" in table and "Giấy phép xây dựng" in table
    later = app("pages/dimension.py", year=2022)
    assert "không có điểm chỉ số thành phần" in texts(later)


def test_tasks_page_lists_the_tasks_of_the_weakest_dimension():
    at = app("pages/tasks.py", year=2022, province="soc-trang")
    page = texts(at)
    assert "D1 · Tham gia của người dân ở cấp cơ sở" in page and "Thấp nhất" in page
    d1 = frame_with(at, "Mã", "Nhiệm vụ", "Chỉ số")  # the weakest dimension comes first
    assert len(d1) >= 5 and d1["Chỉ số"].str.contains("D1").all()
    assert "Tuyên truyền, phổ biến pháp luật tại cộng đồng dân cư" in d1["Nhiệm vụ"].tolist()
    matrix = frame_with(at, "Số nhiệm vụ")
    assert matrix["Số nhiệm vụ"].iloc[0] == len(d1)  # D1's own tasks; whole-index ones are counted apart
    assert matrix.index[-1] == "Toàn bộ Chỉ số PAPI (nhiệm vụ chung)" and matrix["Số nhiệm vụ"].iloc[-1] == 10
    at.selectbox(key="tasks_unit").set_value("Sở Tài nguyên và Môi trường").run()
    at.selectbox(key="tasks_role").set_value("lead").run()
    full = frame_with(at, "Kế hoạch", "Đơn vị chủ trì")
    shared = "Các sở, ban, ngành tỉnh|tự kiểm tra"  # bodies that include every department
    assert len(full) and full["Đơn vị chủ trì"].str.contains(f"Sở Tài nguyên và Môi trường|{shared}").all()
    assert full["Đơn vị chủ trì"].str.contains("Sở Tài nguyên và Môi trường").sum() == 3


def test_data_page_filters_and_formats():
    at = app("pages/data.py", year=2022)
    assert "63 dòng" in texts(at)
    at.multiselect(key="data_regions").set_value(["dong-bang-song-cuu-long"]).run()
    assert "13 dòng" in texts(at)
    at.radio(key="data_layout").set_value("long").run()
    assert not at.exception and "117 dòng" in texts(at)


def test_viewers_cannot_reach_upload_or_rollback():
    at = app()
    for page in ANALYST_PAGES:  # a viewer's navigation does not register the analyst pages at all
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
    analyst = app(analyst=True)
    for page in ANALYST_PAGES:
        analyst.switch_page(page).run()
        assert not analyst.exception


def test_sign_in_wrong_then_right():
    Throttle(signin_path()).succeeded("lan")
    at = app("pages/account.py")
    at.text_input(key="account_name").set_value("lan")
    at.text_input(key="account_password").set_value("sai")
    at.button[0].click().run()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in texts(at)
    at.text_input(key="account_password").set_value(PASSWORD)
    at.button[0].click().run()
    assert at.session_state["_analyst"] == "lan"
    assert "Đang đăng nhập: **lan**" in texts(at)


def test_upload_preview_confirm_then_rollback(fresh_db_env):
    before = db_state(fresh_db_env)
    at = app("pages/upload.py", analyst=True)
    content = csv_bytes(synthetic_year(["Sóc Trăng", "Bạc Liêu", "Cà Mau"], 2025))
    at.file_uploader[0].set_value(("papi_2025.csv", content, "text/csv")).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Thêm mới"] == "27"
    assert "63 tỉnh, thành phố (trước 01/07/2025)" in texts(at)
    commit = at.button(key="up_commit")
    assert commit.disabled  # the unit set is not confirmed yet
    next(c for c in at.checkbox if c.label.startswith("Tôi xác nhận tệp dùng")).check().run()
    at.button(key="up_commit").click().run()
    assert "Đã ghi lượt tải lên số" in texts(at)
    assert len(fresh_db_env.scores(years=[2025])) == 27
    history = app("pages/uploads.py", analyst=True)
    upload_id = int(frame_with(history, "Số", "Tệp")["Số"].iloc[0])
    history.selectbox(key="hist_choice").set_value(upload_id).run()
    history.checkbox(key="hist_confirm").check().run()
    history.button(key="hist_rollback").click().run()
    assert f"Đã hoàn tác lượt #{upload_id}" in texts(history)
    assert db_state(fresh_db_env)[0].equals(before[0])


def test_upload_of_a_bad_file_shows_every_problem_and_writes_nothing(fresh_db_env):
    before = db_state(fresh_db_env)
    frame = synthetic_year(["Sóc Trăng", "Soc Trag xx"], 2025).astype({"D2": object})
    frame.loc[0, "D2"] = "5,1"
    at = app("pages/upload.py", analyst=True)
    at.file_uploader[0].set_value(("xau.csv", csv_bytes(frame), "text/csv")).run()
    problems = frame_with(at, "Dòng", "Vấn đề")
    assert len(problems) == 2 and "Chưa có gì được ghi" in texts(at)
    assert set(problems["Dòng"]) == {2, 3}
    assert db_state(fresh_db_env)[0].equals(before[0])


def test_a_2025_year_of_new_units_maps_the_focus_and_says_what_cần_thơ_is(fresh_db_env):
    ref = fresh_db_env.reference()
    names = ref.units_of_set("new").name_vi.tolist()
    parsed = parse_scores(csv_bytes(synthetic_year(names, 2025)), "papi_2025.csv", ref)
    fresh_db_env.commit_scores(parsed, replace=False, user="lan")
    at = app(year=2025, province="soc-trang")
    assert at.selectbox(key="province").value == "new:can-tho"
    page = texts(at)
    assert "Cần Thơ từ 01/07/2025 gồm địa bàn các tỉnh, thành phố cũ: Cần Thơ, Hậu Giang, Sóc Trăng" in page
    assert metrics(at)["Xếp hạng toàn quốc"].endswith("/34") and metrics(at)["Xếp hạng trong vùng"].endswith("/6")
    at.selectbox(key="year").set_value(2024).run()
    # Issue 12: back in a 63-province year the user's own province returns (it was old Cần Thơ before).
    assert at.selectbox(key="province").value == "old:soc-trang" and not at.exception


def test_tasks_page_flags_a_weak_dimension_without_tasks():
    at = app("pages/tasks.py", year=2022, province="soc-trang")
    at.selectbox(key="tasks_unit").set_value("Phòng Giáo dục và Đào tạo cấp huyện").run()
    assert "Chỉ số yếu chưa có nhiệm vụ nào" in texts(at)  # it leads only PL.5.8 (D4)
    matrix = frame_with(at, "Số nhiệm vụ")
    assert any(label.startswith("⚑ D1") for label in matrix.index)


def test_a_departments_view_never_hides_its_shared_or_partner_tasks():
    at = app("pages/tasks.py", year=2022, province="soc-trang")
    at.selectbox(key="tasks_unit").set_value("Sở Nội vụ").run()
    assert "Chỉ số yếu chưa có nhiệm vụ nào" not in texts(at)  # "Các sở, ban, ngành tỉnh" includes it
    assert metrics(at) == {"Chủ trì": "11", "Chủ trì chung": "42", "Phối hợp": "2"}
    roles = frame_with(at, "Mã", "Vai trò")
    assert {"Chủ trì", "Chủ trì chung"} <= set(roles["Vai trò"])
    at.selectbox(key="tasks_unit").set_value("Sở Y tế").run()
    assert "Chỉ số yếu chưa có nhiệm vụ nào" not in texts(at)


def test_task_filters_live_in_the_url():
    at = app("pages/tasks.py", year=2022, province="soc-trang", unit="so-noi-vu", role="phoi-hop", q="dịch vụ công")
    assert at.selectbox(key="tasks_unit").value == "Sở Nội vụ" and at.selectbox(key="tasks_role").value == "partner"
    assert at.text_input(key="tasks_query").value == "dịch vụ công"
    full = frame_with(at, "Kế hoạch", "Đơn vị phối hợp")
    assert full["Mã"].tolist() == ["T071", "T072"]
    at.selectbox(key="tasks_report_period").set_value("2023-Q3").run()
    assert (at.query_params["period"], at.query_params["unit"], at.query_params["role"]) == (
        "2023-Q3",
        "so-noi-vu",
        "phoi-hop",
    )
    assert at.query_params["year"] == "2022"  # the shared view's keys stay beside them
    bad = app("pages/tasks.py", year=2022, province="soc-trang", unit="so-khong-co", period="2023-Q9")
    said = texts(bad)
    assert "Bỏ qua bộ lọc 'unit=so-khong-co'" in said and "Kỳ báo cáo '2023-Q9' không hợp lệ" in said


def test_an_analyst_records_a_status_sees_its_history_and_undoes_it(fresh_db_env):
    at = app("pages/tasks.py", analyst=True, year=2022, province="soc-trang", q="T065")
    assert at.selectbox(key="tasks_update_task").value == "T065"
    at.selectbox(key="tasks_update_status_T065").set_value("Hoàn thành")
    at.text_input(key="tasks_update_evidence_T065").set_value("**12/BC-SNV** <b>x</b>")
    next(b for b in at.button if b.label == "Ghi tình trạng").click().run()
    assert "Đã ghi tình trạng Quý IV/2023 của T065: Hoàn thành" in texts(at)
    history = frame_with(at, "Số", "Minh chứng", "Người ghi")
    assert history["Minh chứng"].tolist() == ["**12/BC-SNV** <b>x</b>"] and history["Người ghi"].tolist() == ["lan"]
    assert frame_with(at, "Mã", "Tình trạng")["Tình trạng"].iloc[0].startswith("Hoàn thành (Quý IV/2023)")
    at.checkbox(key="tasks_undo_confirm").check().run()
    at.button(key="tasks_undo").click().run()
    assert "Đã hoàn tác lần ghi số" in texts(at)
    assert fresh_db_env.task_statuses().undone_at.notna().all()
    viewer = app("pages/tasks.py", year=2022, province="soc-trang")
    assert "Cán bộ phân tích đăng nhập để cập nhật" in texts(viewer)


def test_the_history_page_shows_and_undoes_a_tasks_upload(fresh_db_env):
    rows = pd.read_csv(TASKS_CSV, dtype=str, keep_default_na=False).head(3)
    plans = {p["plan_id"]: p for p in fresh_db_env.plans().to_dict("records")}
    loaded = parse_tasks(rows.to_csv(index=False).encode(), "kh.csv", fresh_db_env.reference(), plans)
    upload_id = fresh_db_env.commit_tasks(loaded, user="lan", replace=True)
    at = app("pages/uploads.py", analyst=True)
    at.selectbox(key="hist_choice").set_value(upload_id).run()
    assert not at.exception and "Lượt này ghi 3 nhiệm vụ; thay thế 88 nhiệm vụ đang có." in texts(at)
    at.checkbox(key="hist_confirm").check().run()
    at.button(key="hist_rollback").click().run()
    assert "kế hoạch 120/KH-UBND-2023 trở lại 88 nhiệm vụ" in texts(at)
    assert len(fresh_db_env.tasks()) == 88


def test_upload_times_are_shown_in_vietnam_time_saying_so():
    at = app("pages/uploads.py", analyst=True)
    history = frame_with(at, "Số", "Thời điểm (giờ Việt Nam)")
    assert history["Thời điểm (giờ Việt Nam)"].str.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d").all()


def test_overview_offers_the_word_report():
    at = app(year=2022, province="soc-trang")
    assert [b.label for b in at.get("download_button")].count("Tải dự thảo báo cáo (Word)") == 1


def test_with_oidc_configured_sign_in_uses_st_login():
    oidc = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "papi",
        "client_secret": "s",
        "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
    }
    at = open_page("pages/account.py", secrets={"auth": oidc})
    assert not at.exception
    assert at.button(key="account_oidc_login").label == "Đăng nhập" and not at.text_input


def test_an_analyst_loads_a_new_plans_tasks(fresh_db_env):
    rows = pd.read_csv(TASKS_CSV, dtype=str, keep_default_na=False).head(4).assign(plan_id="95/KH-UBND-2024")
    at = app("pages/upload.py", analyst=True)
    at.file_uploader[1].set_value(("kh_2024.csv", rows.to_csv(index=False).encode(), "text/csv")).run()
    assert "Kế hoạch 95/KH-UBND-2024 chưa có" in texts(at)
    form_inputs = {t.label: t for t in at.text_input}
    form_inputs["Tên kế hoạch"].set_value("Kế hoạch cải thiện PAPI năm 2024")
    at.date_input[0].set_value(date(2024, 5, 20))
    next(n for n in at.number_input if n.label.startswith("Năm mục tiêu")).set_value(2024)
    next(b for b in at.button if b.label == "Dùng thông tin này").click().run()
    assert "95/KH-UBND-2024 — Kế hoạch cải thiện PAPI năm 2024: 4 nhiệm vụ" in texts(at)
    at.button(key="up_tasks_commit").click().run()
    assert "Đã ghi 4 nhiệm vụ của kế hoạch 95/KH-UBND-2024" in texts(at)
    assert sorted(fresh_db_env.plans().plan_id) == ["120/KH-UBND-2023", "95/KH-UBND-2024"]
    bad = rows.assign(dimensions=["D1", "", "D9", "D2"])
    at.file_uploader[1].set_value(("xau.csv", bad.to_csv(index=False).encode(), "text/csv")).run()
    assert set(frame_with(at, "Dòng", "Vấn đề")["Dòng"]) == {3, 4}
    assert len(fresh_db_env.tasks()) == 88 + 4


def test_replacing_a_stored_year_needs_a_second_confirmation(fresh_db_env):
    frame = year_frame(fresh_db_env, 2022)
    frame.loc[frame["Tỉnh, thành phố"] == "Sóc Trăng", ["D1", "TOTAL"]] += 0.05
    at = app("pages/upload.py", analyst=True)
    at.file_uploader[0].set_value(("papi_2022_sua.csv", csv_bytes(frame), "text/csv")).run()
    assert metrics(at)["Thay đổi"] == "2" and "đã có dữ liệu" in texts(at)
    next(c for c in at.checkbox if c.label.startswith("Tôi xác nhận tệp dùng")).check().run()
    assert at.button(key="up_commit").disabled
    at.checkbox(key="up_replace").check().run()
    next(c for c in at.checkbox if c.label.startswith("Tôi xác nhận tệp dùng")).check().run()
    assert at.button(key="up_commit").disabled  # the second confirmation is still missing
    next(c for c in at.checkbox if c.label.startswith("Xác nhận lần hai")).check().run()
    at.button(key="up_commit").click().run()
    assert "Đã ghi lượt tải lên số" in texts(at) and "thay đổi 2" in texts(at)
    stored = fresh_db_env.scores(years=[2022]).query("unit_id == 'old:soc-trang' and measure == 'TOTAL'")
    assert stored.value.iloc[0] == pytest.approx(42.8559 + 0.05, abs=1e-4)


def test_a_bad_scores_file_hides_neither_the_tasks_tab_nor_the_templates(fresh_db_env):
    at = app("pages/upload.py", analyst=True)
    at.file_uploader[0].set_value(("xau.csv", b"province;D1\nSoc Trang;abc\n", "text/csv")).run()
    assert not at.exception and "Tệp không hợp lệ" in texts(at)
    assert len(at.file_uploader) == 2  # the tasks uploader is still drawn
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Tải CSV") >= 3  # the three templates
    rows = pd.read_csv(TASKS_CSV, dtype=str, keep_default_na=False).head(2)
    at.file_uploader[1].set_value(("kh.csv", rows.to_csv(index=False).encode(), "text/csv")).run()
    assert "120/KH-UBND-2023 — " in texts(at)  # the tasks preview, beside the refused scores file
    assert at.checkbox(key="up_tasks_replace") is not None


def test_a_workbook_without_dimension_offers_its_sheets_on_the_page(fresh_db_env):
    content = hostile_files.sheets_without_dimension(frame_rows(synthetic_year(["Sóc Trăng", "Cà Mau"], 2025)))
    at = app("pages/upload.py", analyst=True)
    at.file_uploader[0].set_value(("papi_2025.xlsx", content, "application/octet-stream")).run()
    assert not at.exception
    choice = at.selectbox(key="up_sheet")
    assert choice.options == ["Dữ liệu", "Ghi chú"]  # issue 10: the choice was asked for but offered nothing
    choice.set_value("Dữ liệu").run()
    assert {m.label: m.value for m in at.metric}["Thêm mới"] == "18"


def test_a_hostile_workbook_is_refused_on_the_page_without_a_traceback(fresh_db_env):
    before = db_state(fresh_db_env)
    at = app("pages/upload.py", analyst=True)
    at.file_uploader[0].set_value(("bom.xlsx", hostile_files.far_cell(), "application/octet-stream")).run()
    assert not at.exception
    problems = frame_with(at, "Vấn đề")
    assert "XFD1048576" in problems["Vấn đề"].iloc[0] and "Chưa có gì được ghi" in texts(at)
    assert db_state(fresh_db_env)[0].equals(before[0])


def test_the_method_change_note_keeps_its_asterisk_on_the_overview():
    """Its '*' answers the '*' after a change across 2018: written as text, not turned into a bullet."""
    at = app(year=2018, province="soc-trang")
    assert any(c.value.startswith("\\* So sánh qua mốc 2018") for c in at.caption), [c.value for c in at.caption]


def test_the_tasks_page_shows_the_plans_effect_built_once_for_every_filter():
    from helpers import figures

    from ui import loaders

    at = app("pages/tasks.py", year=2022, province="soc-trang")
    effect = frame_with(at, "Chỉ số", "Thay đổi điểm", "Thay đổi hạng")
    assert len(effect) == 9 and effect["Chỉ số"].iloc[-1] == "Chỉ số tổng hợp (nhiệm vụ chung)"
    titles = [f["layout"]["title"]["text"] for f in figures(at) if "title" in f["layout"]]
    assert any(t.startswith("Thay đổi điểm 2022 → 2023") for t in titles), titles
    day = date(2025, 1, 1)  # one result per plan and day, whatever the filters
    assert loaders.plan_effect_of("120/KH-UBND-2023", day) is loaders.plan_effect_of("120/KH-UBND-2023", day)
