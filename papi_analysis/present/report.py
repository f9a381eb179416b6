"""The results report as a Word draft: a provincial administrative report in the layout of Nghị định
30/2020/NĐ-CP (A4, Times New Roman 14, the national motto, "DỰ THẢO", "Kính gửi", "Nơi nhận") whose figures are
exactly the dashboard's — the same ProvinceSummary, tables, chart builders and task statuses.

The body that issues it is the one that exists on the day it is drafted (results.issuer): a report on Sóc Trăng's
2024 results drafted after 01/07/2025 comes from UBND thành phố Cần Thơ and names "tỉnh Sóc Trăng (cũ), nay
thuộc thành phố Cần Thơ", with the results of the old provinces that formed the new unit side by side.

I. Kết quả PAPI năm Y: the generated paragraph, the table of the aggregate and the dimensions, the old provinces
side by side (where the issuing unit merged several), the comparison chart and the radar, the sub-dimensions
where stored. II. Chỉ số yếu và nhiệm vụ: each weak dimension with its specific tasks, lead units, due dates and
status as of the latest quarter reported; the whole-index tasks apart. III. Đề xuất: the weak dimensions without
a specific task (prompts for the next plan), thin ones, and the overdue tasks in a table of their own — every
task the report names is described (code and title) in a table. Each section is a function of (doc, data).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pandas as pd
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from papi_analysis import fmt
from papi_analysis.domain import REORGANISATION_ACT, REORGANISATION_DATE, TOTAL, scale_label
from papi_analysis.files import export
from papi_analysis.names import plain
from papi_analysis.plan.plan_tasks import FEW_TASKS, coverage_flag, default_plan, is_general, plan_number, specific_to
from papi_analysis.plan.task_status import (
    Period,
    Progress,
    as_of_day,
    default_period,
    in_effect,
    parse_period,
    plan_periods,
    progress,
    status_display,
    with_status,
)
from papi_analysis.present import charts, static_charts, tables
from papi_analysis.present.docx_layout import (
    TEXT_WIDTH_CM,
    caption,
    centre,
    document,
    grid,
    layout_table,
    lines,
    para,
    section_title,
)
from papi_analysis.present.prose import METHOD_CHANGE_NOTE, summary_paragraph, unscored_notes
from papi_analysis.reference import Reference
from papi_analysis.results.issuer import Issuer, issuer
from papi_analysis.results.summary import ProvinceSummary

MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TASK_COLUMNS = ["TT", "Mã", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng"]
_TASK_WIDTHS_CM = [0.9, 1.5, 6.0, 3.4, 2.4, 2.3]
_RESULT_WIDTHS_CM = [4.4, 1.5, 1.6, 1.6, 2.2, 1.7, 2.1, 1.4]
_SUBDIMENSION_WIDTHS_CM = [1.3, 6.1, 1.5, 2.2, 2.6, 2.8]
TABLE_PT = 11  # tables of six to eight columns: every number, code and date on one line


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, as the dashboard has it."""

    summary: ProvinceSummary
    table: pd.DataFrame  # metrics.rank_table computed with the summary's comparison group
    ref: Reference
    plan: dict | None  # the plan followed (a plans row), None when there is none
    tasks: pd.DataFrame  # the plan's tasks (tasks.with_dimensions)
    history: pd.DataFrame  # the stored status changes
    today: date  # the day the report is drafted

    @property
    def issuer(self) -> Issuer:
        """Who issues the report on the day it is drafted, and how it names the reported unit."""
        return issuer(self.ref, self.summary.unit_id, self.today)

    @property
    def reported_period(self) -> Period | None:
        """The latest quarter for which a status of one of the plan's tasks is in effect (None: none reported)."""
        if not self.plan:
            return None
        rows = in_effect(self.history)
        periods = rows.loc[rows.plan_id == self.plan["plan_id"], "period"]
        return max((parse_period(p) for p in periods), default=None)

    @property
    def as_of(self) -> date:
        """The day statuses and overdue are taken at: the end of the latest quarter reported (or today while it
        runs); with nothing reported, the plan's usual period (its last quarter once its target year is over)."""
        if not self.plan:
            return self.today
        if (reported := self.reported_period) is not None:
            return as_of_day(reported, self.today)
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
    doc = document()
    _heading(doc, data)
    results_section(doc, data)
    followed = data.followed() if data.plan else None
    _weak_and_tasks(doc, data, followed)
    _proposals(doc, data, followed)
    _closing(doc, data)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _number(plan: dict) -> str:
    return plan_number(str(plan["plan_id"]), plan.get("issued_on"))


# --- the heading ----------------------------------------------------------------------------------------
def _heading(doc, data: ReportData) -> None:
    """Issuing body, national motto, number, place and date, 'DỰ THẢO', the title, 'Kính gửi'."""
    who, summary = data.issuer, data.summary
    para(doc, "DỰ THẢO", bold=True, size=13, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, after=0)
    left, right = layout_table(doc, [6.0, TEXT_WIDTH_CM - 6.0]).rows[0].cells
    body = [(who.committee, True, False, 13), (who.committee_unit, True, False, 13)]
    lines(left, [*body, ("Số:       /BC-UBND", False, False, 13)], align=WD_ALIGN_PARAGRAPH.CENTER)
    place = f"{who.place}, ngày      tháng      năm {data.today.year}"
    motto = [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, 12),
        ("Độc lập - Tự do - Hạnh phúc", True, False, 13),
        (place, False, True, 13),
    ]
    lines(right, motto, align=WD_ALIGN_PARAGRAPH.CENTER)
    right.paragraphs[1].runs[0].underline = True
    centre(doc, "", after=6)
    centre(doc, "BÁO CÁO", bold=True, after=0)
    plan = f" và tình hình thực hiện Kế hoạch số {_number(data.plan)}" if data.plan else ""
    subject = (
        f"Kết quả Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh (PAPI) năm {summary.year} "
        f"của {who.reported_name}{plan}"
    )
    centre(doc, subject, bold=True, after=12)
    _addressees(doc, who)


def _addressees(doc, who: Issuer) -> None:
    """'Kính gửi:' the standing committees of the unit's party committee and People's Council."""
    recipients = [f"Thường trực {who.party_committee};", f"Thường trực Hội đồng nhân dân {who.unit_type}."]
    for text in ["Kính gửi:", *(f"- {r}" for r in recipients)]:
        centre(doc, text, after=0).paragraph_format.keep_with_next = True
    centre(doc, "", after=6)


# --- I. the results -------------------------------------------------------------------------------------
def results_section(doc, data: ReportData) -> None:
    summary, who = data.summary, data.issuer
    section_title(doc, f"I. KẾT QUẢ CHỈ SỐ PAPI NĂM {summary.year}")
    if who.reported_is_former:
        para(doc, _former_note(data), italic=True)
    number = iter(range(1, 10))
    section_title(doc, f"{next(number)}. Kết quả chung")
    para(doc, summary_paragraph(summary))
    if not summary.status.has_scores:
        return
    section_title(doc, f"{next(number)}. Điểm và thứ hạng các chỉ số")
    rows = tables.summary_rows(summary)
    ranked_in = f"thứ hạng trong {summary.comparison.label}"
    caption(doc, f"Bảng 1. Điểm, thứ hạng và nhóm hiệu quả năm {summary.year} ({ranked_in})")
    grid(doc, rows, _RESULT_WIDTHS_CM, TABLE_PT, whole=True)
    notes = ["Thay đổi so với năm ghi ở cột cuối (năm trước gần nhất có số liệu); thay đổi hạng là hạng toàn quốc."]
    flagged = [m for m in (summary.total, *summary.dimensions) if m is not None and not m.comparable]
    notes += ([METHOD_CHANGE_NOTE] if flagged else []) + unscored_notes(summary)
    for note in notes:
        para(doc, note, italic=True, size=12, indent=False)
    if who.predecessors:
        section_title(doc, f"{next(number)}. Các địa phương nay hợp thành {who.unit_name}")
        _predecessors(doc, data)
    section_title(doc, f"{next(number)}. So sánh với {summary.comparison.label}")
    _charts(doc, data)
    section_title(doc, f"{next(number)}. Chỉ số nội dung thành phần")
    _subdimensions(doc, data)


def _former_note(data: ReportData) -> str:
    who, year = data.issuer, data.summary.year
    return (
        f"Kết quả dưới đây là của {who.reported_name}: PAPI {year} khảo sát và công bố theo 63 tỉnh, thành phố "
        f"trước khi sắp xếp đơn vị hành chính cấp tỉnh theo {REORGANISATION_ACT} (từ ngày "
        f"{fmt.day(REORGANISATION_DATE)})."
    )


def _predecessors(doc, data: ReportData) -> None:
    """The old provinces the issuing unit was formed from, side by side in the report's year (never added up)."""
    who, year = data.issuer, data.summary.year
    names = ", ".join(f"{data.ref.unit(u)['unit_type']} {data.ref.unit_name(u)}" for u in who.predecessors)
    para(
        doc,
        f"Từ ngày {fmt.day(REORGANISATION_DATE)}, {names} hợp thành {who.unit_name}. Kết quả PAPI {year} của các "
        "địa phương này được đặt cạnh nhau để tham khảo; điểm và thứ hạng không cộng gộp.",
    )
    frame = tables.side_by_side(data.table, data.ref, year, who.predecessors)
    caption(doc, f"Bảng 2. Điểm (thứ hạng toàn quốc) năm {year} của các địa phương nay thuộc {who.unit_name}")
    first = 5.4
    rest = (TEXT_WIDTH_CM - first) / (len(frame.columns) - 1)
    grid(doc, frame, [first] + [rest] * (len(frame.columns) - 1), TABLE_PT, whole=True)


def _charts(doc, data: ReportData) -> None:
    """Hình 1: the aggregate ranked in the comparison group (the So sánh page's chart); Hình 2: the radar
    (the overview's chart). Same builders and frames as the pages."""
    summary, ref = data.summary, data.ref
    if summary.total is not None:
        ranking = tables.group_ranking(data.table, ref, summary.year, TOTAL, summary.comparison.unit_ids)
        title = f"Tổng hợp — {summary.comparison.label}, {summary.year}"
        axis = scale_label(TOTAL, summary.year)
        figure = charts.ranked_bar(ranking.rows, summary.unit_id, ranking.national_median, title, axis)
        doc.add_picture(io.BytesIO(static_charts.png(figure)), width=Cm(15.5))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
        caption(doc, f"Hình 1. Điểm tổng hợp PAPI {summary.year}: {summary.comparison.label}")
    radar = tables.radar_frame(data.table, ref, summary)
    title = f"{summary.province} so với trung bình nhóm và cao nhất cả nước, {summary.year}"
    figure = charts.radar(radar, summary.province, summary.comparison.label, title)
    doc.add_picture(io.BytesIO(static_charts.png(figure, width_cm=15)), width=Cm(14))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    caption(doc, f"Hình 2. Điểm các chỉ số nội dung của {summary.province} năm {summary.year}")


def _subdimensions(doc, data: ReportData) -> None:
    summary, shown = data.summary, 0
    for d in summary.dimensions:
        parts = tables.subdimension_parts(
            data.table, data.ref, summary.unit_id, summary.comparison, d.code, summary.year
        )
        rows = tables.subdimension_rows(parts)
        if rows.empty:
            continue
        shown += 1
        caption(doc, f"{d.code} · {d.name_vi}")
        grid(doc, rows, _SUBDIMENSION_WIDTHS_CM, TABLE_PT, whole=True)
    if not shown:
        para(doc, f"Cơ sở dữ liệu chưa có điểm chỉ số nội dung thành phần năm {summary.year}.")


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


def status_sentence(data: ReportData, followed: pd.DataFrame) -> str:
    """How far the plan has got: 'tính đến' the latest quarter reported, or that nothing is reported yet."""
    reported = data.reported_period
    if reported is None:
        return (
            "Chưa có cơ quan, đơn vị nào báo cáo tình trạng thực hiện nhiệm vụ của kế hoạch; các bảng dưới đây ghi "
            f"'Chưa báo cáo' và nhiệm vụ quá hạn tính đến ngày {fmt.day(data.as_of)}."
        )
    return (
        f"Tình trạng thực hiện tính đến {reported.label} (ngày {fmt.day(data.as_of)}), kỳ báo cáo gần nhất: "
        f"{progress(followed).sentence()}"
    )


def _weak_and_tasks(doc, data: ReportData, followed: pd.DataFrame | None) -> None:
    summary = data.summary
    section_title(doc, "II. CHỈ SỐ YẾU VÀ NHIỆM VỤ")
    weak = list(summary.weak_dimensions)
    names = "; ".join(f"{c} {data.ref.measure_name(c)}" for c in weak)
    weak_groups = "các chỉ số nội dung thuộc nhóm Trung bình thấp và Thấp nhất"
    para(doc, f"Năm {summary.year}, {weak_groups}: {names or 'không có'}.")
    if followed is None:
        para(doc, "Chưa có kế hoạch nhiệm vụ nào trong cơ sở dữ liệu để đối chiếu.")
        return
    plan, general = data.plan, followed[is_general(followed)]
    para(
        doc,
        f"{plan['title']} (Kế hoạch số {_number(plan)} ngày {fmt.day(plan['issued_on'])}) có {len(followed)} nhiệm "
        f"vụ, trong đó {len(general)} nhiệm vụ chung cho toàn bộ Chỉ số PAPI. {status_sentence(data, followed)}",
    )
    if int(plan["target_year"]) != summary.year + 1:
        para(
            doc,
            f"Lưu ý: Kế hoạch số {_number(plan)} nhắm tới Chỉ số PAPI năm {plan['target_year']}; chưa có kế hoạch "
            f"viết sau kết quả PAPI năm {summary.year}.",
            italic=True,
        )
    for number, code in enumerate(weak, start=1):
        d = summary.dimension(code)
        rank = fmt.rank(d.national_rank, d.national_n)
        section_title(doc, f"{number}. {code} · {d.name_vi} (nhóm {d.performance_group}; hạng {rank} toàn quốc)")
        specific = specific_to(followed, code)
        if specific.empty:
            para(doc, "Kế hoạch chưa có nhiệm vụ riêng cho chỉ số này (chỉ có các nhiệm vụ chung).")
            continue
        lead_in = para(doc, f"{len(specific)} nhiệm vụ riêng. {progress(specific).sentence()}")
        lead_in.paragraph_format.keep_with_next = True
        grid(doc, _task_table(specific), _TASK_WIDTHS_CM, TABLE_PT)
    if len(general):
        section_title(doc, f"{len(weak) + 1}. Nhiệm vụ chung cho toàn bộ Chỉ số PAPI")
        para(doc, progress(general).sentence()).paragraph_format.keep_with_next = True
        grid(doc, _task_table(general), _TASK_WIDTHS_CM, TABLE_PT)


# --- III. proposals -------------------------------------------------------------------------------------
def _proposals(doc, data: ReportData, followed: pd.DataFrame | None) -> None:
    summary = data.summary
    section_title(doc, "III. ĐỀ XUẤT")
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
    late = followed[followed.overdue] if followed is not None else tasks
    if len(late):
        items.append(
            f"Đôn đốc các cơ quan chủ trì hoàn thành {len(late)} nhiệm vụ quá hạn tính đến ngày {fmt.day(data.as_of)} "
            "(bảng dưới đây: mã, nhiệm vụ, đơn vị chủ trì, thời hạn và tình trạng)."
        )
    if not items:
        items.append(
            "Các chỉ số yếu đều đã có nhiệm vụ riêng; đề nghị các cơ quan, đơn vị tiếp tục thực hiện và báo cáo."
        )
    for number, item in enumerate(items, start=1):
        paragraph = para(doc, f"{number}. {item}")
    if len(late):
        paragraph.paragraph_format.keep_with_next = True
        caption(doc, f"Nhiệm vụ quá hạn tính đến ngày {fmt.day(data.as_of)}")
        grid(doc, _task_table(late), _TASK_WIDTHS_CM, TABLE_PT)


def _closing(doc, data: ReportData) -> None:
    """The last sentence, 'Nơi nhận' (first 'Như trên': those of 'Kính gửi') and the signature block."""
    who = data.issuer
    para(doc, f"Trên đây là báo cáo kết quả Chỉ số PAPI năm {data.summary.year} của {who.reported_name}./.")
    left, right = layout_table(doc, [7.5, TEXT_WIDTH_CM - 7.5]).rows[0].cells
    recipients = [
        ("Nơi nhận:", True, True, 12),
        ("- Như trên;", False, False, 11),
        ("- Bộ Nội vụ (để báo cáo);", False, False, 11),
        (f"- CT, các PCT {who.short_body};", False, False, 11),
        (f"- Các sở, ban, ngành {who.unit_type};", False, False, 11),
        ("- Lưu: VT.", False, False, 11),
    ]
    lines(left, recipients)
    signature = [("TM. ỦY BAN NHÂN DÂN", True, False, 13), ("CHỦ TỊCH", True, False, 13)]
    lines(right, signature, align=WD_ALIGN_PARAGRAPH.CENTER)


__all__ = [
    "MIME",
    "Progress",
    "ReportData",
    "file_name",
    "plan_for",
    "report_docx",
    "results_section",
    "status_sentence",
]
