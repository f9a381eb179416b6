"""Issue 14 in a real browser: each leadership page printed by Chromium to A4 (page count, header with province,
year and day, source and page numbers in the footer, nothing wider than the paper), the phone (nothing cut,
a cue on every table that scrolls, the group in sight, radar labels inside the chart, task text wrapped, the
sidebar closed after a choice), no English left on any page, the files a download gives, a chart's PNG."""

from __future__ import annotations

import io
from datetime import datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from drive import PHONE, go, no_error_box, open_app, settle, sidebar_select, sign_in, still
from meeting import (
    LEADERSHIP,
    PAGES,
    PRINTABLE_WIDTH,
    SOURCE,
    UI_TEXT,
    english_in,
    pdf_pages,
    pdf_size,
    settled_cut,
    squash,
)
from PIL import Image

TODAY = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y")
PAGE_COUNTS = {"tong-quan": (2, 4), "so-sanh": (2, 6), "ban-do": (1, 4), "chi-so-noi-dung": (1, 4), "nhiem-vu": (8, 30)}
PRINT_VIEW = {**LEADERSHIP, "nhiem-vu": "nhiem-vu"}


PAGE_RULES = """() => [...document.styleSheets].some(sheet => {
  try { return [...sheet.cssRules].some(rule => rule.cssText.includes('@top-left')); } catch (e) { return false; } })"""


def paper_ready(page) -> None:
    """The page's @page rules (header and footer) have arrived with its run."""
    page.wait_for_function(PAGE_RULES)


def charts_drawn(page) -> None:
    """Wait for the charts in sight (a chart in a closed tab is never drawn visible)."""
    if page.locator(".stPlotlyChart").filter(visible=True).count():
        page.locator(".js-plotly-plot .main-svg").filter(visible=True).first.wait_for()
        still(page)


@pytest.mark.parametrize("name", list(PRINT_VIEW))
def test_each_leadership_page_prints_on_a4_with_header_footer_and_nothing_cut(page, server, name):
    open_app(page, server, PRINT_VIEW[name])
    page.get_by_role("button", name="Bản in").click()
    page.get_by_role("button", name="In hoặc lưu PDF").wait_for()
    settle(page)
    charts_drawn(page)
    assert page.locator('[data-testid="stSidebar"]').is_hidden()
    paper_ready(page)
    content = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    width, height = pdf_size(content)
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
    texts = pdf_pages(content)
    low, high = PAGE_COUNTS[name]
    assert low <= len(texts) <= high, len(texts)
    for number, text in enumerate(texts, start=1):  # squashed: no spaces
        assert squash(SOURCE) in text and squash(f"Trang {number}/{len(texts)}") in text, (number, text[:200])
        assert squash("Sóc Trăng, PAPI 2022") in text and squash(f"In ngày {TODAY} (giờ Việt Nam)") in text
        assert squash("Bản in khổ A4") not in text and squash("In hoặc lưu PDF") not in text  # not the toolbar
    page.set_viewport_size({"width": PRINTABLE_WIDTH, "height": 1100})  # the paper's width, laid out for print
    page.emulate_media(media="print")
    assert settled_cut(page, PRINTABLE_WIDTH, "cut") == []
    no_error_box(page)


def test_a_normal_page_printed_as_it_is_leaves_the_sidebar_and_fits_its_charts(page, server):
    open_app(page, server, "so-sanh")
    charts_drawn(page)
    paper_ready(page)
    texts = pdf_pages(page.pdf(format="A4", prefer_css_page_size=True))  # Chromium fires beforeprint
    assert all(squash(SOURCE) in text for text in texts), [t[:120] for t in texts]
    assert not any(squash("Phạm vi xem") in t for t in texts)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    drawn = "() => [...document.querySelectorAll('.stPlotlyChart .main-svg')].map(c => c.getBoundingClientRect().width)"
    assert all(width <= PRINTABLE_WIDTH + 1 for width in page.evaluate(drawn))  # scaled to the paper
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")


def test_the_overview_on_a_phone_shows_each_group_and_the_radar_s_labels_whole(page, server):
    """(Nothing cut and every scroll cue on every page: test_browser.test_every_page_at_desktop_and_phone_widths.)"""
    page.set_viewport_size(PHONE)
    open_app(page, server)  # the group of the first dimension in sight, beside its name
    charts_drawn(page)
    chip = page.locator("table.papi-table").first.locator("td.chip").first
    box = chip.bounding_box()
    assert chip.inner_text() == "Thấp nhất" and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.locator(".st-key-radar .angularaxistick text").nth(7).wait_for()  # the radar, lower down, drawn too
    labels = page.evaluate(
        """() => { const svg = document.querySelector('.st-key-radar .main-svg').getBoundingClientRect();
        return [...document.querySelectorAll('.st-key-radar .angularaxistick text')].map(t => {
          const b = t.getBoundingClientRect(); return [t.textContent, b.left - svg.left, svg.right - b.right]; }) }"""
    )
    assert len(labels) == 8 and all(left >= 0 and right >= 0 for _, left, right in labels), labels


def test_task_text_wraps_on_a_phone_and_the_sidebar_closes_after_a_choice(page, server):
    page.set_viewport_size(PHONE)
    open_app(page, server, "nhiem-vu")
    title = page.locator("table.papi-table td").filter(has_text="Tuyên truyền, phổ biến pháp luật").first
    box = title.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"] and box["height"] > 30  # on several lines, all of it shown
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    sidebar = page.locator('[data-testid="stSidebar"]')
    page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]').dataset.collapsed === 'false'")
    sidebar_select(page, "Năm", "2021")
    page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]').dataset.collapsed === 'true'")
    assert sidebar.get_attribute("data-collapsed") == "true" and "year=2021" in page.url


def test_no_english_is_left_on_any_page(page, server, tmp_path):
    for name, path in PAGES.items():
        open_app(page, server, path)
        charts_drawn(page)
        for chart in page.locator(".js-plotly-plot").filter(visible=True).all()[:1]:  # the toolbar shows on hover
            chart.hover()
        assert english_in(page.evaluate(UI_TEXT)) == [], name
    open_app(page, server, "du-lieu")
    page.locator('[data-testid="stMultiSelect"]').filter(has_text="Vùng").locator("input").click()
    page.get_by_role("option").first.wait_for()
    assert english_in(page.evaluate(UI_TEXT)) == []
    sign_in(page, server)
    go(page, "Tải dữ liệu lên")
    page.get_by_text("Chọn tệp").first.wait_for()  # (the drop zone words show on wider boxes only)
    bad = tmp_path / "bao-cao.pdf"
    bad.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4)
    page.get_by_label("Tệp điểm số").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(bad))
    page.get_by_text("Tệp không hợp lệ: 1 lỗi").first.wait_for()  # our refusal (not "application/pdf files are not …")
    assert english_in(page.evaluate(UI_TEXT)) == []
    for limit in ("Tối đa 20MB mỗi tệp", "Tối đa 20 MB mỗi tệp"):
        if page.get_by_text(limit).count():
            break
    else:
        pytest.fail("the uploader does not say the limit in Vietnamese")
    go(page, "Lịch sử tải lên")
    assert english_in(page.evaluate(UI_TEXT)) == []


def test_the_downloads_open_right_in_vietnamese_excel(page, server):
    open_app(page, server, "du-lieu")
    page.get_by_text("63 dòng").wait_for()
    files = {}
    for label in ("Tải bản CSV cho Excel (;)", "Tải Excel (XLSX)"):
        with page.expect_download() as download:
            page.get_by_role("button", name=label).click()
        files[download.value.suggested_filename] = open(download.value.path(), "rb").read()
    vietnamese = files["papi_2022_excel-vn.csv"]
    assert vietnamese.startswith(b"\xef\xbb\xbf")
    lines = vietnamese.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Năm;Tỉnh, thành phố;Vùng;TOTAL;D1;") and lines[0].endswith(";Nguồn")
    soc_trang = next(line for line in lines if ";Sóc Trăng;" in line).split(";")
    assert "42,85590744" in soc_trang and "." not in "".join(soc_trang[3:12])  # every published digit, comma
    sheet = openpyxl.load_workbook(io.BytesIO(files["papi_2022.xlsx"])).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    header = [c.value for c in sheet[1]]
    total = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "Sóc Trăng")[header.index("TOTAL")]
    assert total.data_type == "n" and total.value == pytest.approx(42.8559, abs=1e-4) and header[-1] == "Nguồn"


def test_a_chart_downloads_as_a_png_with_its_title_a_source_line_and_no_cut_label(page, server):
    open_app(page, server, "so-sanh")
    charts_drawn(page)
    button_frame = page.locator(".st-key-png_cmp_bar iframe").content_frame  # the bar chart's own button
    with page.expect_download(timeout=90_000) as download:  # the picture is drawn in the browser: slow when busy
        button_frame.get_by_role("button", name="Tải ảnh (PNG)").click()
    assert download.value.suggested_filename == "papi_xep-hang_2022_dong-bang-song-cuu-long_total.png"
    picture = Image.open(download.value.path())
    assert picture.width >= 1600
    foot = picture.crop((0, picture.height - 56, picture.width // 2, picture.height)).convert("L")
    assert foot.getextrema()[0] < 128  # the source line is written under the chart
    svg = unquote(page.evaluate("async () => (await window.papiChartImage('cmp_bar', '', 'svg')).svg"))
    assert "Tổng hợp — Đồng bằng sông Cửu Long, 2022" in svg and "Đồng Tháp" in svg
    inside = page.evaluate(
        """(svg) => { const box = document.createElement('div'); box.style.position = 'absolute';
        box.innerHTML = svg.replace(/^data:image\\/svg\\+xml,/, ''); document.body.append(box);
        const root = box.querySelector('svg'), frame = root.getBoundingClientRect();
        const out = [...root.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
          const b = t.getBoundingClientRect(); return b.left >= frame.left - 1 && b.right <= frame.right + 1; });
        box.remove(); return out; }""",
        svg,
    )
    assert inside and all(inside)
