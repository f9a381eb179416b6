"""Next year's improvement plan, drafted from this year's results (issue 22): a Word draft in the shape of Kế hoạch
120/KH-UBND (2023) —
I. the results of year Y: the results report's own section I (report.results_section);
II. the targets for Y+1: the leader's target rank or groups, else keep or raise each dimension's group, with the
points it takes if the other units keep their scores (results/targets.py);
III. tasks and solutions per dimension, weakest first: every task of the current plan aimed at it with its latest
status, the unfinished ones carried over ("Chuyển tiếp"), and room for new ones; the whole-index tasks apart;
IV. who does what: each body's tasks as chủ trì and phối hợp (plan/agencies.py roles);
and the annex of activities (lead, partners, product; the due date left blank for the drafter). Issued in the name
of the unit that exists on the drafting day (results/issuer.py). The carried tasks also come out as a tasks file
the upload accepts (plan_tasks.parse_tasks), so the signed plan can be loaded as next year's plan.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from papi_analysis import fmt
from papi_analysis.files import export
from papi_analysis.plan.agencies import Role, units_named
from papi_analysis.plan.plan_tasks import is_general, plan_number, specific_to, to_file_frame, unit_roles
from papi_analysis.plan.task_status import TaskStatus, parse_status, status_display, with_status
from papi_analysis.present import target_text
from papi_analysis.present.docx_layout import centre, document, grid, layout_table, lines, para, section_title
from papi_analysis.present.report import ReportData, results_section
from papi_analysis.results.issuer import Issuer, issuer
from papi_analysis.results.metrics import weakest_first
from papi_analysis.results.targets import MeasureTargets, UnitTargets

CARRIED, DONE_NOT_CARRIED, STOPPED = "Chuyển tiếp", "Đã hoàn thành", "Dừng (không thực hiện được)"
DRAFT_PLAN_ID = "DU-THAO/KH-UBND-{year}"  # replaced by the plan's number once it is signed
TASK_COLUMNS = ["TT", "Mã", "Nhiệm vụ", "Đơn vị chủ trì", "Tình trạng"]
ANNEX_COLUMNS = ["STT", "Hoạt động", "Đơn vị chủ trì", "Đơn vị phối hợp", "Sản phẩm", "Thời gian thực hiện"]
NEW_ROWS = 3  # empty rows for new activities, in section III and in the annex
ROOM = "- " + "…" * 30  # one line of the page for the drafter to fill


@dataclass(frozen=True)
class DraftData:
    """What the draft is made of: the year's results and the current plan (ReportData: its tasks and their
    statuses, today in Vietnam), the targets (with the leader's rank goal, if any), the leader's target groups."""

    results: ReportData
    targets: UnitTargets
    group_goals: dict[str, str] = field(default_factory=dict)  # measure code -> the group aimed at

    @property
    def year(self) -> int:
        """The year the plan is for."""
        return self.results.summary.year + 1

    @property
    def plan_id(self) -> str:
        return DRAFT_PLAN_ID.format(year=self.year)

    @cached_property
    def issuer(self) -> Issuer:
        return issuer(self.results.ref, self.results.summary.unit_id, self.results.today)

    @cached_property
    def followed(self) -> pd.DataFrame:
        """The current plan's tasks with their latest status (as of today)."""
        return with_status(self.results.tasks, self.results.history, self.results.today)

    @cached_property
    def order(self) -> list[str]:
        """The year's dimensions, weakest first (metrics.weakest_first)."""
        rows = [
            {"measure": d.code, "performance_group": d.performance_group, "national_rank": d.national_rank}
            for d in self.results.summary.dimensions
        ]
        return weakest_first(rows)

    @cached_property
    def carried(self) -> pd.DataFrame:
        """The unfinished tasks (no status, or neither Hoàn thành nor Không thực hiện được), in the order section
        III shows them: by dimension weakest first, then the whole-index tasks."""
        tasks = self.followed
        ordered = [specific_to(tasks, code) for code in self.order] + [tasks[is_general(tasks)]]
        frame = pd.concat(ordered) if ordered else tasks
        frame = frame[~frame.index.duplicated()]
        return frame[pd.Series([fate(s) == CARRIED for s in frame.status], index=frame.index, dtype=bool)]


def fate(status: str | None) -> str:
    """What the draft does with a task of this status."""
    if status is None or not parse_status(status).closed:
        return CARRIED
    return DONE_NOT_CARRIED if parse_status(status) is TaskStatus.DONE else STOPPED


def file_name(data: DraftData) -> str:
    return export.file_name(["du-thao-ke-hoach", data.year, data.results.summary.province], "docx")


def tasks_file_name(data: DraftData) -> str:
    return export.file_name(["nhiem-vu-du-thao-ke-hoach", data.year, data.results.summary.province], "csv")


def draft_tasks(data: DraftData) -> pd.DataFrame:
    """The carried tasks as a tasks file (the columns of data/tasks.csv): the draft's plan id, their place in the
    annex as section, due dates blank for the drafter; everything else as the current plan has it."""
    frame = to_file_frame(data.carried).reset_index(drop=True)
    return frame.assign(
        plan_id=data.plan_id, section=[f"PL.{n}" for n in range(1, len(frame) + 1)], due="", due_date=""
    )


def tasks_file_bytes(data: DraftData) -> bytes:
    """draft_tasks as the CSV the upload reads (its source column is skipped on the way in)."""
    plan = data.results.plan
    source = f"Dự thảo kế hoạch năm {data.year}" + (f", chuyển tiếp từ Kế hoạch {plan['plan_id']}" if plan else "")
    return export.file_bytes(draft_tasks(data), "csv", source=export.source_line(data.results.today, source))


def draft_docx(data: DraftData) -> bytes:
    """The .docx file of the draft."""
    doc = document()
    _heading(doc, data)
    results_section(doc, data.results)
    _targets(doc, data)
    _tasks(doc, data)
    _responsibilities(doc, data)
    _closing(doc, data)
    _annex(doc, data)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- the heading ---------------------------------------------------------------------------------------
def _two_columns(doc, left: list[tuple[str, bool, bool, int]], right: list[tuple[str, bool, bool, int]], widths):
    """A borderless table of two columns of centred lines (text, bold, italic, size)."""
    table = layout_table(doc, widths)
    for cell, rows in zip(table.rows[0].cells, (left, right), strict=True):
        lines(cell, rows, WD_ALIGN_PARAGRAPH.CENTER)


def _heading(doc, data: DraftData) -> None:
    who, summary, today = data.issuer, data.results.summary, data.results.today
    para(doc, "DỰ THẢO", bold=True, size=13, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, after=0)
    left = [
        (who.committee, True, False, 13),
        (who.committee_unit, True, False, 13),
        ("Số:       /KH-UBND", False, False, 13),
    ]
    right = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, 12), ("Độc lập - Tự do - Hạnh phúc", True, False, 13)]
    right.append((f"{who.place}, ngày      tháng      năm {today.year}", False, True, 13))
    _two_columns(doc, left, right, [6.0, 10.5])
    centre(doc, "", after=6)
    centre(doc, "KẾ HOẠCH", bold=True, after=0)
    title = f"Cải thiện, nâng cao Chỉ số Hiệu quả Quản trị và Hành chính công {who.unit_name} năm {data.year}"
    centre(doc, title, bold=True, after=12)
    plan = data.results.plan
    if plan:
        para(
            doc,
            f"Căn cứ {plan['title']} (Kế hoạch số {plan_number(plan['plan_id'], plan['issued_on'])} ngày "
            f"{fmt.day(plan['issued_on'])}) và tình hình thực hiện đến ngày {fmt.day(today)}.",
        )
    para(
        doc,
        f"Trên cơ sở kết quả công bố Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh năm {summary.year} của "
        f"{who.reported_name} trên website http://papi.org.vn.",
    )
    para(
        doc,
        f"Để tiếp tục cải thiện, nâng cao Chỉ số PAPI năm {data.year}, {who.short_body} ban hành Kế hoạch thực "
        "hiện như sau:",
    )


# --- II. targets ---------------------------------------------------------------------------------------
def goal_and_condition(data: DraftData, m: MeasureTargets) -> tuple[str, str]:
    """A measure's target for next year and what it takes: the leader's group, else the leader's rank, else
    keep or raise the group (II. of the draft)."""
    targets = data.targets
    if group := data.group_goals.get(m.code):
        step = m.to_group(group)
        if step is None:
            return f"Giữ nhóm {m.group}", target_text.margin(m)
        return f"Đạt nhóm {group}", f"cần thêm {fmt.number(step.points)} điểm (đạt {fmt.number(step.cut)} điểm)"
    if targets.goal is not None:
        regional = target_text.regional_words(data.results.summary.comparison)
        return f"Đạt {target_text.goal_label(targets.goal, regional)}", target_text.to_rank(m, targets.goal, regional)
    if m.to_next_group is None:
        return f"Giữ nhóm {m.group}", target_text.margin(m)
    return f"Nâng lên nhóm {m.to_next_group.group}", target_text.next_group(m)


def _targets(doc, data: DraftData) -> None:
    section_title(doc, f"II. MỤC TIÊU NĂM {data.year}")
    targets = data.targets
    if not targets.measures:
        para(doc, f"Chưa có điểm PAPI năm {targets.year} để đặt mục tiêu theo từng chỉ số.")
        return
    chosen = [m for m in (targets.total,) if m] + [targets.measure(code) for code in data.order]
    rows = []
    for number, m in enumerate((m for m in chosen if m), start=1):
        goal, condition = goal_and_condition(data, m)
        year = f"{fmt.number(m.score)} điểm, nhóm {m.group}, hạng {m.national_rank}/{m.national_n}"
        rows.append([number, target_text.measure_label(data.results.ref, m.code), year, goal, condition])
    columns = ["TT", "Chỉ số", f"Năm {targets.year}", f"Mục tiêu năm {data.year}", "Điểm cần thêm"]
    para(doc, "Các chỉ số nội dung xếp từ yếu nhất. " + target_text.assumption(targets.year), italic=True)
    grid(doc, pd.DataFrame(rows, columns=columns), [1.0, 3.6, 3.6, 3.2, 5.1], size=11)


# --- III. tasks ----------------------------------------------------------------------------------------
def _task_rows(tasks: pd.DataFrame) -> pd.DataFrame:
    status = [f"{status_display(s)} — {fate(s)}" for s in tasks.status]
    return pd.DataFrame(
        {
            "TT": range(1, len(tasks) + 1),
            "Mã": tasks.task_id.to_numpy(),
            "Nhiệm vụ": tasks.title.to_numpy(),
            "Đơn vị chủ trì": tasks.lead.to_numpy(),
            "Tình trạng": status,
        },
        columns=TASK_COLUMNS,
    )


def _task_block(doc, title: str, tasks: pd.DataFrame, plan_number_text: str | None) -> None:
    section_title(doc, title)
    if plan_number_text is None:
        para(doc, "Chưa có kế hoạch trước trong cơ sở dữ liệu để chuyển tiếp nhiệm vụ.")
    elif tasks.empty:
        para(doc, f"Kế hoạch số {plan_number_text} chưa có nhiệm vụ riêng cho chỉ số này.")
    else:
        carried = sum(fate(s) == CARRIED for s in tasks.status)
        para(
            doc,
            f"Kế hoạch số {plan_number_text} có {len(tasks)} nhiệm vụ nhắm vào nội dung này; {carried} nhiệm vụ "
            f"chưa hoàn thành được chuyển tiếp ({CARRIED}).",
        ).paragraph_format.keep_with_next = True
        grid(doc, _task_rows(tasks), [1.0, 1.7, 7.0, 3.8, 3.0], size=11)
    para(doc, "Nhiệm vụ mới (bổ sung):", italic=True, indent=False, after=0)
    for _ in range(NEW_ROWS - 1):
        para(doc, ROOM, indent=False, after=0)


def _tasks(doc, data: DraftData) -> None:
    section_title(doc, "III. NHIỆM VỤ, GIẢI PHÁP")
    plan, summary, tasks = data.results.plan, data.results.summary, data.followed
    number = plan_number(plan["plan_id"], plan["issued_on"]) if plan else None
    para(
        doc,
        "Các chỉ số nội dung xếp từ yếu nhất; mỗi nhiệm vụ của kế hoạch hiện hành kèm tình trạng mới nhất (tính "
        f"đến ngày {fmt.day(data.results.today)}); nhiệm vụ chưa hoàn thành được chuyển tiếp sang năm {data.year}.",
    )
    for position, code in enumerate(data.order, start=1):
        d = summary.dimension(code)
        rank = fmt.rank(d.national_rank, d.national_n)
        title = f"{position}. {d.name_vi} ({code} — nhóm {d.performance_group}, hạng {rank} toàn quốc)"
        _task_block(doc, title, specific_to(tasks, code) if plan else tasks.iloc[0:0], number)
    general = tasks[is_general(tasks)] if plan else tasks.iloc[0:0]
    _task_block(doc, f"{len(data.order) + 1}. Nhiệm vụ chung cho toàn bộ Chỉ số PAPI", general, number)


# --- IV. responsibilities --------------------------------------------------------------------------------
def responsibilities(carried: pd.DataFrame) -> pd.DataFrame:
    """Per body named by the carried tasks: the codes it leads (named, or through a shared body) and supports."""
    rows = []
    for unit in units_named(carried.lead_units, carried.coordinating_units):
        roles = unit_roles(carried, unit)
        codes = {role: carried.task_id[roles == role].tolist() for role in Role}
        lead = ", ".join(codes[Role.LEAD])
        if codes[Role.SHARED]:
            lead += ("; " if lead else "") + f"chủ trì chung {len(codes[Role.SHARED])} nhiệm vụ của các sở, ban, ngành"
        rows.append(
            {
                "Cơ quan, đơn vị": unit,
                "Chủ trì": lead or fmt.MISSING,
                "Phối hợp": ", ".join(codes[Role.PARTNER]) or fmt.MISSING,
            }
        )
    return pd.DataFrame(rows, columns=["Cơ quan, đơn vị", "Chủ trì", "Phối hợp"])


def _responsibilities(doc, data: DraftData) -> None:
    section_title(doc, "IV. TỔ CHỨC THỰC HIỆN")
    carried = data.carried
    if carried.empty:
        para(doc, "Chưa có nhiệm vụ chuyển tiếp; phân công theo các nhiệm vụ mới bổ sung.")
        return
    para(
        doc,
        "Trách nhiệm của các cơ quan, đơn vị đối với các nhiệm vụ chuyển tiếp (mã nhiệm vụ như Phụ lục; chủ trì "
        "chung: nhiệm vụ giao các sở, ban, ngành tỉnh):",
    )
    grid(doc, responsibilities(carried), [5.0, 6.0, 5.5], size=11)


def _closing(doc, data: DraftData) -> None:
    para(
        doc,
        "Trong quá trình tổ chức thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời đề xuất, gửi "
        f"Sở Nội vụ tổng hợp, trình {data.issuer.short_body} xem xét./.",
    )
    left = [("Nơi nhận:", True, True, 12), ("- Như trên;", False, False, 11), ("- Lưu: VT.", False, False, 11)]
    _two_columns(doc, left, [("TM. ỦY BAN NHÂN DÂN", True, False, 13), ("CHỦ TỊCH", True, False, 13)], [7.5, 9.0])


# --- the annex ---------------------------------------------------------------------------------------------
def annex_rows(carried: pd.DataFrame) -> pd.DataFrame:
    """The annex: one row per carried task, then empty rows for new activities; the due date left blank."""
    rows = [
        [str(n), f"{t.title} ({CARRIED.lower()} {t.task_id})", t.lead, t.coordinating, _text(t.product), ""]
        for n, t in enumerate(carried.itertuples(), start=1)
    ]
    rows += [[""] * len(ANNEX_COLUMNS) for _ in range(NEW_ROWS)]
    return pd.DataFrame(rows, columns=ANNEX_COLUMNS)


def _text(value: object) -> str:
    return "" if fmt.is_missing(value) else str(value)


def _annex(doc, data: DraftData) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin = Cm(2), Cm(1.5)
    centre(doc, "Phụ lục", bold=True, after=0)
    centre(doc, f"PHÂN CÔNG THỰC HIỆN NHIỆM VỤ CẢI THIỆN, NÂNG CAO CHỈ SỐ PAPI NĂM {data.year}", bold=True, after=0)
    centre(
        doc,
        f"(Kèm theo Kế hoạch số       /KH-UBND ngày      tháng      năm {data.results.today.year} của "
        f"{data.issuer.short_body})",
        italic=True,
        after=6,
    )
    grid(doc, annex_rows(data.carried), [1.2, 9.0, 4.6, 4.6, 3.6, 3.2], size=11)
    para(
        doc,
        "Cột thời gian thực hiện để đơn vị soạn thảo điền. Danh sách nhiệm vụ chuyển tiếp có kèm tệp nhiệm vụ (CSV) "
        f"mã kế hoạch {data.plan_id}: khi kế hoạch được ban hành, thay mã này bằng số, ký hiệu của kế hoạch, bổ sung "
        "nhiệm vụ mới, rồi tải lên ở trang Tải dữ liệu lên để theo dõi thực hiện.",
        italic=True,
        size=12,
    )
