"""The results report as a Word draft: a provincial administrative report (A4, Times New Roman 14, the
national motto, "DỰ THẢO") whose figures are exactly the dashboard's — the same ProvinceSummary, tables,
chart builders and task statuses.

I. Kết quả PAPI năm Y: the generated paragraph, the table of the aggregate and the dimensions, the
comparison chart and the radar, the sub-dimensions where stored. II. Chỉ số yếu và nhiệm vụ: each weak
dimension with its specific tasks, lead units, due dates and status; the whole-index tasks apart.
III. Đề xuất: the weak dimensions without a specific task (prompts for the next plan), thin ones, overdue tasks.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from papi_analysis import fmt
from papi_analysis.domain import TOTAL, scale_label
from papi_analysis.files import export
from papi_analysis.names import plain
from papi_analysis.plan.plan_tasks import FEW_TASKS, coverage_flag, default_plan, is_general, plan_number, specific_to
from papi_analysis.plan.task_status import (
    Progress,
    as_of_day,
    default_period,
    period_of,
    plan_periods,
    progress,
    status_display,
    with_status,
)
from papi_analysis.present import charts, static_charts, tables
from papi_analysis.present.prose import METHOD_CHANGE_NOTE, summary_paragraph, unscored_notes
from papi_analysis.reference import Reference
from papi_analysis.results.summary import ProvinceSummary

MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
BODY_PT, TABLE_PT = 14, 12
TASK_COLUMNS = ["TT", "Mã", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng"]
_TASK_WIDTHS_CM = [1.0, 1.7, 5.9, 3.4, 2.2, 2.3]


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, as the dashboard has it."""

    summary: ProvinceSummary
    table: pd.DataFrame  # metrics.rank_table computed with the summary's comparison group
    ref: Reference
    plan: dict | None  # the plan followed (a plans row), None when there is none
    tasks: pd.DataFrame  # the plan's tasks (tasks.with_dimensions)
    history: pd.DataFrame  # the stored status changes
    today: date

    @property
    def as_of(self) -> date:
        """The day statuses and overdue are taken at: the plan's latest reporting period (or today)."""
        if not self.plan:
            return self.today
        target = int(self.plan["target_year"])
        periods = plan_periods(self.plan.get("issued_on"), target, self.today)
        return as_of_day(default_period(periods, target, self.today), self.today)

    def followed(self) -> pd.DataFrame:
        return with_status(self.tasks, self.history, self.as_of)


def plan_for(plans: pd.DataFrame, summary: ProvinceSummary, plan_id: str | None = None) -> dict | None:
    """The plan a report follows: the one asked for, else the plan written after the year's results
    (tasks.default_plan) if it is the province's own; None when there is none."""
    if plan_id:
        return plans.set_index("plan_id").loc[plan_id].to_dict() | {"plan_id": plan_id}
    if plans.empty:
        return None
    plan_id = default_plan(plans, summary.year)
    chosen = plans.set_index("plan_id").loc[plan_id].to_dict()
    if plain(str(chosen["province"])) != plain(summary.province):
        return None
    return chosen | {"plan_id": plan_id}


def plan_quoting(plan: dict | None, summary: ProvinceSummary) -> str | None:
    """The number of the plan (plan_for) if it was written after this year's results and so quoted them
    ('120/KH-UBND' for Sóc Trăng 2022); None otherwise."""
    if plan is None or int(plan["target_year"]) != summary.year + 1:
        return None
    return plan_number(plan["plan_id"], plan["issued_on"])


def file_name(summary: ProvinceSummary) -> str:
    return export.file_name(["du-thao-bao-cao", summary.year, summary.province], "docx")


def report_docx(data: ReportData) -> bytes:
    """The .docx file of the report."""
    doc = _document()
    _heading(doc, data)
    _results(doc, data)
    followed = data.followed() if data.plan else None
    _weak_and_tasks(doc, data, followed)
    _proposals(doc, data, followed)
    _closing(doc, data.summary)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- the page and its pieces -------------------------------------------------------------------
def _document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    section.different_first_page_header_footer = True  # page numbers from page 2, centred at the top
    _page_number(section.header.paragraphs[0])
    return doc


def _page_number(paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _para(container, text: str = "", *, bold=False, italic=False, size=None, align=None, indent=True, after=6):
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if align is None else align
    paragraph.paragraph_format.first_line_indent = Cm(1.27) if indent and align is None else None
    paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


def _centre(container, text: str, **kwargs):
    return _para(container, text, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, **kwargs)


def _section_title(doc, text: str) -> None:
    _para(doc, text, bold=True, indent=False, after=6).paragraph_format.keep_with_next = True


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths: the table grid (what Word and LibreOffice lay a fixed table out by) and the first
    row's cells (python-docx's per-cell access is slow on long tables)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=True):
        column.w = Cm(width)
    for cell, width in zip(table.rows[0].cells, widths_cm, strict=True):
        cell.width = Cm(width)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _number(plan: dict) -> str:
    return plan_number(str(plan["plan_id"]), plan.get("issued_on"))


def _heading(doc, data: ReportData) -> None:
    """Issuing authority, national motto, number, place and date, 'DỰ THẢO', the title."""
    summary = data.summary
    _para(doc, "DỰ THẢO", bold=True, size=13, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, after=0)
    layout = doc.add_table(rows=1, cols=2)
    _no_borders(layout)
    _widths(layout, [6.0, 10.5])
    left, right = layout.rows[0].cells
    for cell, lines in (
        (left, [("ỦY BAN NHÂN DÂN", True, 13), (f"{summary.unit_type.upper()} {summary.province.upper()}", True, 13)]),
        (right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, 12), ("Độc lập - Tự do - Hạnh phúc", True, 13)]),
    ):
        for i, (text, bold, size) in enumerate(lines):
            paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            run = paragraph.add_run(text)
            run.bold, run.font.size = bold, Pt(size)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_after = Pt(0)
            if text.startswith("Độc lập"):
                run.underline = True
    _centre(left, "Số:       /BC-UBND", size=13, after=0)
    place = f"{summary.province}, ngày      tháng      năm {data.today.year}"
    _centre(right, place, italic=True, size=13, after=0)
    _centre(doc, "", after=6)
    _centre(doc, "BÁO CÁO", bold=True, after=0)
    plan = f" và tình hình thực hiện Kế hoạch số {_number(data.plan)}" if data.plan else ""
    subject = (
        f"Kết quả Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh (PAPI) năm {summary.year} "
        f"của {summary.unit_type} {summary.province}{plan}"
    )
    _centre(doc, subject, bold=True, after=12)


# --- I. the results -----------------------------------------------------------------------------------
def _results(doc, data: ReportData) -> None:
    summary = data.summary
    _section_title(doc, f"I. KẾT QUẢ CHỈ SỐ PAPI NĂM {summary.year}")
    _section_title(doc, "1. Kết quả chung")
    _para(doc, summary_paragraph(summary))
    if not summary.status.has_scores:
        return
    _section_title(doc, "2. Điểm và thứ hạng các chỉ số")
    rows = tables.summary_rows(summary)
    _caption(
        doc, f"Bảng 1. Điểm, thứ hạng và nhóm hiệu quả năm {summary.year} (thứ hạng trong {summary.comparison.label})"
    )
    _grid(doc, rows, [4.6, 1.4, 1.7, 1.7, 2.4, 1.6, 2.0, 1.3])
    notes = ["Thay đổi so với năm ghi ở cột cuối (năm trước gần nhất có số liệu); thay đổi hạng là hạng toàn quốc."]
    flagged = [m for m in (summary.total, *summary.dimensions) if m is not None and not m.comparable]
    notes += ([METHOD_CHANGE_NOTE] if flagged else []) + unscored_notes(summary)
    for note in notes:
        _para(doc, note, italic=True, size=12, indent=False)
    _section_title(doc, f"3. So sánh với {summary.comparison.label}")
    _charts(doc, data)
    _section_title(doc, "4. Chỉ số nội dung thành phần")
    _subdimensions(doc, data)


def _caption(doc, text: str) -> None:
    paragraph = _centre(doc, text, italic=True, size=12, after=3)
    paragraph.paragraph_format.keep_with_next = True


def _grid(doc, frame: pd.DataFrame, widths_cm: list[float], size: int = TABLE_PT) -> None:
    """A bordered table of text cells with a bold header row repeated on each page."""
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, name in zip(table.rows[0].cells, frame.columns, strict=True):
        _cell(cell, str(name), size, bold=True)
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for values in frame.itertuples(index=False):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            _cell(cell, fmt.MISSING if fmt.is_missing(value) else str(value), size)
    _widths(table, widths_cm)
    _para(doc, "", after=3)


def _cell(cell, text: str, size: int, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(size)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0


def _charts(doc, data: ReportData) -> None:
    """Hình 1: the aggregate ranked in the comparison group (the So sánh page's chart); Hình 2: the radar
    (the overview's chart). Same builders and frames as the pages."""
    summary, ref = data.summary, data.ref
    if summary.total is not None:
        rows, median = tables.group_ranking(data.table, ref, summary.year, TOTAL, summary.comparison.unit_ids)
        title = f"Tổng hợp — {summary.comparison.label}, {summary.year}"
        figure = charts.ranked_bar(rows, summary.unit_id, median, title, scale_label(TOTAL, summary.year))
        doc.add_picture(io.BytesIO(static_charts.png(figure)), width=Cm(15.5))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _caption(doc, f"Hình 1. Điểm tổng hợp PAPI {summary.year}: {summary.comparison.label}")
    radar = tables.radar_frame(data.table, ref, summary)
    title = f"{summary.province} so với trung bình nhóm và cao nhất cả nước, {summary.year}"
    figure = charts.radar(radar, summary.province, summary.comparison.label, title)
    doc.add_picture(io.BytesIO(static_charts.png(figure, width_cm=15)), width=Cm(14))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _caption(doc, f"Hình 2. Điểm các chỉ số nội dung của {summary.province} năm {summary.year}")


def _subdimensions(doc, data: ReportData) -> None:
    summary, shown = data.summary, 0
    for d in summary.dimensions:
        rows = tables.subdimension_rows(data.table, data.ref, summary.unit_id, summary.comparison, d.code, summary.year)
        if rows.empty:
            continue
        shown += 1
        _caption(doc, f"{d.code} · {d.name_vi}")
        _grid(doc, rows, [1.3, 6.2, 1.6, 2.4, 2.4, 2.6])
    if not shown:
        _para(doc, f"Cơ sở dữ liệu chưa có điểm chỉ số nội dung thành phần năm {summary.year}.")


# --- II. weak dimensions and their tasks ----------------------------------------------------------------
def _task_table(tasks: pd.DataFrame) -> pd.DataFrame:
    status = [
        status_display(s) + (" (quá hạn)" if late else "") for s, late in zip(tasks.status, tasks.overdue, strict=True)
    ]
    return pd.DataFrame(
        {
            "TT": range(1, len(tasks) + 1),
            "Mã": tasks.task_id.to_numpy(),
            "Nhiệm vụ": tasks.title.to_numpy(),
            "Đơn vị chủ trì": tasks.lead.to_numpy(),
            "Thời hạn": tasks.due_display.to_numpy(),
            "Tình trạng": status,
        },
        columns=TASK_COLUMNS,
    )


def _weak_and_tasks(doc, data: ReportData, followed: pd.DataFrame | None) -> None:
    summary = data.summary
    _section_title(doc, "II. CHỈ SỐ YẾU VÀ NHIỆM VỤ")
    weak = list(summary.weak_dimensions)
    names = "; ".join(f"{c} {data.ref.measure_name(c)}" for c in weak)
    _para(
        doc, f"Năm {summary.year}, các chỉ số nội dung thuộc nhóm Trung bình thấp và Thấp nhất: {names or 'không có'}."
    )
    if followed is None:
        _para(doc, "Chưa có kế hoạch nhiệm vụ nào trong cơ sở dữ liệu để đối chiếu.")
        return
    plan, general = data.plan, followed[is_general(followed)]
    period = period_of(data.as_of)
    _para(
        doc,
        f"{plan['title']} (Kế hoạch số {_number(plan)} ngày {fmt.day(plan['issued_on'])}) có {len(followed)} nhiệm "
        f"vụ, trong đó {len(general)} nhiệm vụ chung cho toàn bộ Chỉ số PAPI. Tình trạng thực hiện tính đến "
        f"{period.label} (ngày {fmt.day(data.as_of)}): {progress(followed).sentence()}",
    )
    if int(plan["target_year"]) != summary.year + 1:
        _para(
            doc,
            f"Lưu ý: Kế hoạch số {_number(plan)} nhắm tới Chỉ số PAPI năm {plan['target_year']}; chưa có kế hoạch "
            f"viết sau kết quả PAPI năm {summary.year}.",
            italic=True,
        )
    for number, code in enumerate(weak, start=1):
        d = summary.dimension(code)
        rank = fmt.rank(d.national_rank, d.national_n)
        _section_title(doc, f"{number}. {code} · {d.name_vi} (nhóm {d.performance_group}; hạng {rank} toàn quốc)")
        specific = specific_to(followed, code)
        if specific.empty:
            _para(doc, "Kế hoạch chưa có nhiệm vụ riêng cho chỉ số này (chỉ có các nhiệm vụ chung).")
            continue
        _para(
            doc, f"{len(specific)} nhiệm vụ riêng. {progress(specific).sentence()}"
        ).paragraph_format.keep_with_next = True
        _grid(doc, _task_table(specific), _TASK_WIDTHS_CM)
    if len(general):
        _section_title(doc, f"{len(weak) + 1}. Nhiệm vụ chung cho toàn bộ Chỉ số PAPI")
        _para(doc, progress(general).sentence())
        _grid(doc, _task_table(general), _TASK_WIDTHS_CM)


# --- III. proposals -------------------------------------------------------------------------------------
def _proposals(doc, data: ReportData, followed: pd.DataFrame | None) -> None:
    summary = data.summary
    _section_title(doc, "III. ĐỀ XUẤT")
    next_year = (int(data.plan["target_year"]) + 1) if data.plan else summary.year + 1
    items = []
    tasks = followed if followed is not None else data.tasks.iloc[0:0]
    for code in summary.weak_dimensions:
        name = f"{code} {data.ref.measure_name(code)}"
        count = len(specific_to(tasks, code))
        if count == 0:
            items.append(
                f"Chỉ số {name} thuộc nhóm yếu nhưng chưa có nhiệm vụ riêng: đề nghị bổ sung nhiệm vụ cụ thể, giao "
                f"cơ quan chủ trì và thời hạn trong kế hoạch năm {next_year}."
            )
        elif coverage_flag(count, True):
            items.append(
                f"Chỉ số {name} mới có {count} nhiệm vụ riêng (dưới {FEW_TASKS}): đề nghị xem xét bổ sung trong kế "
                f"hoạch năm {next_year}."
            )
    if followed is not None and followed.overdue.any():
        late = followed[followed.overdue]
        items.append(
            f"Đôn đốc {len(late)} nhiệm vụ quá hạn chưa hoàn thành tính đến ngày {fmt.day(data.as_of)}: "
            f"{', '.join(late.task_id)}."
        )
    if not items:
        items.append(
            "Các chỉ số yếu đều đã có nhiệm vụ riêng; đề nghị các cơ quan, đơn vị tiếp tục thực hiện và báo cáo."
        )
    for number, item in enumerate(items, start=1):
        _para(doc, f"{number}. {item}")


def _closing(doc, summary: ProvinceSummary) -> None:
    _para(
        doc, f"Trên đây là báo cáo kết quả Chỉ số PAPI năm {summary.year} của {summary.unit_type} {summary.province}./."
    )
    layout = doc.add_table(rows=1, cols=2)
    _no_borders(layout)
    _widths(layout, [7.5, 9.0])
    left, right = layout.rows[0].cells
    lines = [("Nơi nhận:", True, True, 12), ("- Như trên;", False, False, 11), ("- Lưu: VT.", False, False, 11)]
    for i, (text, bold, italic, size) in enumerate(lines):
        paragraph = left.paragraphs[0] if i == 0 else left.add_paragraph()
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
        paragraph.paragraph_format.space_after = Pt(0)
    for i, text in enumerate(("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")):
        paragraph = right.paragraphs[0] if i == 0 else right.add_paragraph()
        run = paragraph.add_run(text)
        run.bold, run.font.size = True, Pt(13)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)


# The pieces the plan draft (plan_draft.py, issue 22) lays its document out with: one layout, one section I.
new_document, paragraph, centred, section_title, grid = _document, _para, _centre, _section_title, _grid
borderless, column_widths, results_section = _no_borders, _widths, _results

__all__ = ["MIME", "Progress", "ReportData", "file_name", "plan_for", "report_docx"]
