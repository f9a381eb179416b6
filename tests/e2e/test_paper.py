"""Paper from either button (issue 21, item 4), on PDFs Chromium prints: Ctrl+P on a normal page (print media, no
?print=1) prints what "Bản in" prints — every table whole (no province or right-hand column lost, no scroll hint),
no control (the "Chỉ số" pills, pickers), every chart drawn — each heading on the page of what follows it, and the
overview on 2 A4 pages with its table on one page."""

from __future__ import annotations

import pytest
from drive import open_app, settle, still
from meeting import pdf_pages, squash

MEKONG = ["Long An", "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang", "Kiên Giang",
          "Cần Thơ", "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau"]  # fmt: skip
# Each heading and a text of what follows it (a chart's own label, a table's header): on one page.
FOLLOWERS = {
    "": [("Các chỉ số nội dung", "D1 · Tham gia"), ("Hồ sơ chỉ số nội dung", "Cao nhất cả nước")],
    "so-sanh": [
        ("Xếp hạng trong nhóm", "Trung vị cả nước"),
        ("Bản đồ nhiệt theo nhóm hiệu quả", "Trung bình thấp"),
        ("Diễn biến qua các năm", "2018: đổi thang điểm"),
        ("Thay đổi so với năm trước có dữ liệu", "Thay đổi hạng trong nhóm"),
    ],
    "chi-so-noi-dung": [
        ("Phân bố điểm các tỉnh", "Trung vị: 5,03"),
        ("Diễn biến so với nhóm so sánh", "đổi phương pháp"),
    ],
}
# The tasks page's printed tabs: the name and a text of what follows it.
TASK_TABS = [
    ("Theo đơn vị", "Nhiệm vụ theo đơn vị"),
    ("Quá hạn", "Nhiệm vụ quá hạn tính đến"),
    ("Danh sách", "Ma trận bao phủ"),
    ("Chuyển biến", "Kế hoạch có tạo chuyển biến?"),
]
CONTROLS = ", ".join(
    f'[data-testid="{name}"]'
    for name in ("stButtonGroup", "stSelectbox", "stMultiSelect", "stTextInput", "stRadio", "stButton", "stDataFrame")
)
SHOWN_ON_PAPER = f"""() => [...document.querySelectorAll('{CONTROLS}')].filter(el => el.getBoundingClientRect().height)
  .map(el => el.dataset.testid + ': ' + el.textContent.slice(0, 40))"""
CHARTS = {"": 1, "so-sanh": 3, "chi-so-noi-dung": 3, "nhiem-vu": 0}  # drawn on the page in sight before it is printed
DRAWN = """(n) => { const charts = [...document.querySelectorAll('.stPlotlyChart')];
  return charts.length >= n && charts.every(c => c.querySelector('.main-svg')); }"""
PAGE_RULES = """(text) => [...document.styleSheets].some(sheet => {
  try { return [...sheet.cssRules].some(rule => rule.cssText.includes(text)); } catch (e) { return false; } })"""
ROWS_ON_SCREEN = """() => [...document.querySelectorAll('.papi-print-only table')].map(t => t.rows.length)"""


def printed(page, server, path: str, mode: str) -> list[str]:
    """The page as Chromium prints it to A4: from the page as it is (Ctrl+P) or from its print view."""
    open_app(page, server, path, "year=2022&province=soc-trang" + ("&print=1" if mode == "ban-in" else ""))
    page.wait_for_function(DRAWN, arg=CHARTS[path])
    still(page)
    page.wait_for_function(PAGE_RULES, arg="@top-left")  # the printed header's rules have arrived
    return pdf_pages(page.pdf(format="A4", prefer_css_page_size=True, print_background=True))


def on_one_page(texts: list[str], *words: str) -> bool:
    return any(all(squash(w) in text for w in words) for text in texts)


@pytest.mark.parametrize("mode", ["ctrl-p", "ban-in"])
def test_the_comparison_prints_every_province_and_column_no_hint_no_pills(page, server, mode):
    texts = printed(page, server, "so-sanh", mode)
    whole = "".join(texts)
    assert squash("Vuốt ngang") not in whole and squash("D2 Công khai, minh bạch") not in whole  # no hint, no pills
    header = ["Tỉnh, thành phố", "Năm so sánh", "Thay đổi hạng toàn quốc", "Thay đổi hạng trong nhóm", "Nhóm"]
    assert on_one_page(texts, *header, *MEKONG), "the change table is not whole on one page"
    assert squash("Trung vị cả nước: 42,24") in whole and squash("2018: đổi thang điểm") in whole  # charts drawn
    for heading, follower in FOLLOWERS["so-sanh"]:
        assert on_one_page(texts, heading, follower), (heading, [t[-80:] for t in texts])


@pytest.mark.parametrize("mode", ["ctrl-p", "ban-in"])
def test_the_overview_prints_on_two_pages_with_its_table_on_one(page, server, mode):
    texts = printed(page, server, "", mode)
    assert len(texts) == 2, [t[-80:] for t in texts]
    rows = [f"D{n} · " for n in range(1, 9)]
    assert on_one_page(texts, "Các chỉ số nội dung", *rows, "Thay đổi hạng", "So với năm")
    for heading, follower in FOLLOWERS[""]:
        assert on_one_page(texts, heading, follower), heading
    assert squash("Văn bản theo mẫu mục I") not in "".join(texts)  # the screen's hint where to paste


@pytest.mark.parametrize("mode", ["ctrl-p", "ban-in"])
def test_the_dimension_page_keeps_its_headings_with_their_charts(page, server, mode):
    texts = printed(page, server, "chi-so-noi-dung", mode)
    for heading, follower in FOLLOWERS["chi-so-noi-dung"]:
        assert on_one_page(texts, heading, follower), (heading, [t[-80:] for t in texts])
    assert squash("Chỉ số nội dung: D1 · Tham gia") in "".join(texts)  # the choice, not the picker


@pytest.mark.parametrize("mode", ["ctrl-p", "ban-in"])
def test_the_tasks_page_prints_every_tab_but_the_forms(page, server, mode):
    """Ctrl+P prints what "Bản in" prints: every tab under its name, one after another (not only the open one),
    each name on the page of what follows it; the forms (a status, the plan draft) do not print."""
    whole = "".join(texts := printed(page, server, "nhiem-vu", mode))
    for heading, follower in TASK_TABS:
        assert on_one_page(texts, heading, follower), heading
    assert squash("Kế hoạch có tạo chuyển biến?") in whole  # the last printed tab
    for form in ("Cập nhật tình trạng — ", "Dự thảo kế hoạch năm 2023"):
        assert squash(form) not in whole, form


@pytest.mark.parametrize("path", ["", "so-sanh", "ban-do", "chi-so-noi-dung", "nhiem-vu"])
def test_no_control_and_no_sortable_grid_on_paper(page, server, path):
    open_app(page, server, path)
    page.wait_for_function(PAGE_RULES, arg="papi-print-only")  # the dashboard's styles have arrived
    page.emulate_media(media="print")
    settle(page)
    assert page.evaluate(SHOWN_ON_PAPER) == []  # pills, pickers, buttons, grids: none on paper
    assert all(rows > 1 for rows in page.evaluate(ROWS_ON_SCREEN))  # each grid's plain copy, with its rows
