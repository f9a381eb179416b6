"""The report as the office opens it (issue 21): Debian's LibreOffice lays out the draft of Sóc Trăng's 2024
results made on 27/11/2026 — issued by UBND thành phố Cần Thơ about tỉnh Sóc Trăng (cũ) — and the PDF it makes
shows no table row broken across pages, the header row again on every page a table continues on, every task the
report names with its title, and codes and figures on one line."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date

import docx
import pytest
from word_processor import lay_out, squash, to_pdf

from papi_analysis.plan.plan_tasks import with_dimensions
from papi_analysis.plan.task_status import status_change
from papi_analysis.present.report import TASK_COLUMNS, ReportData, plan_for, report_docx
from papi_analysis.results.province_view import build_view
from papi_analysis.store.database import Store

pytestmark = pytest.mark.slow
DRAFTED = date(2026, 11, 27)
CODE = re.compile(r"\bT\d{3}[a-z]?\b")


@pytest.fixture(scope="module")
def draft(built_db, tmp_path_factory):
    """The .docx (python-docx's view of it) and LibreOffice's layout of it."""
    folder = tmp_path_factory.mktemp("report_layout")
    shutil.copy(built_db, folder / "papi.duckdb")
    store = Store(folder / "papi.duckdb")
    store.record_status(status_change("120/KH-UBND-2023", "T019", "2023-Q3", "Đang triển khai"), "lan")
    ref = store.reference()
    summary, table = build_view(store, ref, "Sóc Trăng", 2024)
    data = ReportData(
        summary,
        table,
        ref,
        plan_for(store.plans(), summary),
        with_dimensions(store.tasks()),
        store.task_statuses(),
        DRAFTED,
    )
    content = report_docx(data)
    return data, docx.Document(io.BytesIO(content)), lay_out(to_pdf(content, folder))


def test_the_word_processor_reads_the_body_that_issues_it_today(draft):
    first = squash(draft[2].pages[0])
    for words in ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ CẦN THƠ", "Cần Thơ, ngày", "năm 2026", "BÁO CÁO", "Kính gửi:"):
        assert squash(words) in first, words
    assert squash("năm 2024 của tỉnh Sóc Trăng (cũ), nay thuộc thành phố Cần Thơ") in first
    assert squash("TỈNH SÓC TRĂNG") not in first and squash("Sóc Trăng, ngày") not in first
    assert squash("Nơi nhận:") in squash(draft[2].pages[-1])


def test_no_table_row_is_split_across_pages(draft):
    _, document, laid_out = draft
    written = [len(t.columns) for t in document.tables for _ in t.rows if len(t.columns) > 2]
    assert [len(row.cells) for row in laid_out.rows if len(row.cells) > 2] == written  # every row laid out once
    assert written.count(8) == 10 and written.count(4) == 11 and written.count(6) > 30 and len(laid_out.pages) > 5
    split = [(row.words[:2], sorted(row.pages)) for row in laid_out.rows if len(row.pages) != 1]
    assert not split


def test_a_table_that_goes_on_repeats_its_header_row(draft):
    laid_out = draft[2]
    task_rows = [row for row in laid_out.rows if len(row.cells) == len(TASK_COLUMNS) and row.words[1] != "Mã"]
    pages_of_rows = sorted({page for row in task_rows for page in row.pages})
    continued = [page for page in pages_of_rows if not squash(laid_out.pages[page]).startswith(squash(str(page + 1)))]
    assert not continued  # every page numbered at the top (page 1 has no number: it starts the report)
    header = squash("".join(TASK_COLUMNS))
    for page in pages_of_rows:
        assert header in squash(laid_out.pages[page]), f"page {page + 1} has task rows but no header row"


def test_every_task_named_is_described_with_its_title(draft):
    data, _, laid_out = draft
    titles = data.tasks.set_index("task_id").title
    rows = [row.words for row in laid_out.rows if len(row.cells) == len(TASK_COLUMNS) and row.words[1] != "Mã"]
    described = {cells[1]: cells[2] for cells in rows}
    assert all(squash(titles[code]) == squash(title) for code, title in described.items())
    named = {code for page in laid_out.pages for code in CODE.findall(page)}
    assert named == set(described) and {"T065", "T078", "T063a"} <= named
    assert "Đang triển khai" in {cells[5] for cells in rows if cells[1] == "T019"}


def test_codes_figures_and_dates_stay_on_one_line(draft):
    laid_out = draft[2]
    for row in laid_out.rows:
        if len(row.cells) == len(TASK_COLUMNS) and row.words[1] != "Mã":
            assert "\n" not in row.cells[1], row.cells[1]  # the code
            due = row.cells[4]
            assert not re.search(r"\d\s*\n\s*\d", due), due  # '15/6/2023' never broken inside
        if len(row.cells) == 8 and row.words[0] != "Chỉ số nội dung":
            assert all("\n" not in cell for cell in row.cells[1:4]), row.cells  # score, national and group rank


def test_the_old_provinces_stand_side_by_side_on_one_page(draft):
    rows = [row for row in draft[2].rows if len(row.cells) == 4]
    assert rows[0].words == ("Chỉ số", "Cần Thơ (cũ)", "Hậu Giang (cũ)", "Sóc Trăng (cũ)")
    assert rows[1].words[1:] == ("40,44 (59/61)", "44,01 (23/61)", "45,19 (10/61)")
    assert len({page for row in rows for page in row.pages}) == 1
