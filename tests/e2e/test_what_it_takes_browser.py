"""What it takes in a real browser (issue 22): the leader types a target rank on the overview and the points per
dimension follow, in the URL too; on a phone the table becomes cards and nothing is cut; on paper (two A4 pages
for the whole overview, issue 21) the goal and the paragraph of what it takes are there, where the table and the
waterfall are is said, and nothing is wider than the sheet."""

from __future__ import annotations

from drive import PHONE, no_error_box, open_app, settle, still
from meeting import PRINTABLE_WIDTH, pdf_pages, settled_cut, squash

SECTION = "Cần gì để lên nhóm, lên hạng"


def targets_table(page):
    return page.locator("table.papi-table").filter(has_text="Lên nhóm trên").first


def test_a_target_rank_typed_on_the_overview_gives_the_points_per_dimension(page, server):
    open_app(page, server)
    page.get_by_role("heading", name=SECTION).wait_for()
    assert "cần thêm 0,01 điểm để vào nhóm Trung bình thấp" in targets_table(page).inner_text()
    box = page.locator('input[aria-label="Hạng mục tiêu"]')
    box.fill("20")
    box.press("Enter")
    page.wait_for_url("**target=20**")
    settle(page)
    header = targets_table(page).locator("th").filter(has_text="Mục tiêu hạng 20 toàn quốc")
    header.wait_for()
    row = targets_table(page).locator("tr").filter(has_text="D1 · Tham gia")
    assert "cần thêm 0,89 điểm (đạt 5,38)" in row.inner_text()
    page.locator(".st-key-ov_waterfall .main-svg").first.wait_for()  # the year's change by dimension
    box.fill("2")
    box.press("Enter")
    page.wait_for_url(lambda url: "target=20" not in url and "target=2" in url)
    page.get_by_test_id("stRadioGroup").get_by_text("Trong vùng", exact=True).click()
    page.wait_for_url("**target_in=vung**")
    settle(page)
    targets_table(page).locator("th").filter(has_text="Mục tiêu hạng 2 trong vùng").wait_for()
    no_error_box(page)


def test_on_a_phone_the_targets_are_cards_with_nothing_cut(page, server):
    page.set_viewport_size(PHONE)
    open_app(page, server, query="year=2022&province=soc-trang&target=20")
    table = targets_table(page)
    table.wait_for()
    cell = table.locator('td[data-label="Lên nhóm trên"]').first
    box = cell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert settled_cut(page, PHONE["width"], "cut") == []
    no_error_box(page)


def test_on_paper_the_goal_and_what_it_takes_print_and_say_where_the_rest_is(page, server):
    open_app(page, server, query="year=2022&province=soc-trang&target=20&print=1")
    page.get_by_role("button", name="In hoặc lưu PDF").wait_for()
    page.get_by_role("heading", name=SECTION).wait_for()
    still(page)
    text = "".join(pdf_pages(page.pdf(format="A4", print_background=True, prefer_css_page_size=True)))
    for words in (SECTION, "Mục tiêu: hạng 20 toàn quốc.", "Điểm tổng hợp cần thêm 0,25 điểm để đạt hạng 20/61",
                  "Nỗ lực có lợi nhất", "Bảng từng chỉ số và biểu đồ thay đổi theo chỉ số: trên màn hình"):  # fmt: skip
        assert squash(words) in text, words
    assert squash("Thay đổi điểm tổng hợp 2021 → 2022") not in text  # the waterfall stays on screen
    page.set_viewport_size({"width": PRINTABLE_WIDTH, "height": 1100})
    page.emulate_media(media="print")
    assert settled_cut(page, PRINTABLE_WIDTH, "cut") == []
