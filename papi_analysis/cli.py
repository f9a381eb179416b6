"""Command line: python -m papi_analysis {summary,tasks,task-status,report,ingest,uploads,rollback,export,
add-analyst,build}.

The same code paths as the dashboard; messages in Vietnamese; failures exit non-zero. Every --json output
is strict JSON (null, never NaN).
Exit codes: 0 done, 1 refused or invalid input file, 2 unknown name or bad arguments.
"""

from __future__ import annotations

import argparse
import getpass
import json
import math
import os
import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from . import export, fmt, isolated, secrets_file, times
from .agencies import ROLE_CHOICES, find_unit, units_named
from .comparison import comparison_group, region_by_name
from .domain import REORGANISATION_DATE, TOTAL, UNIT_SET_LABELS
from .ingest import depth_note
from .labels import IGNORE, INDICATOR, UNREAD
from .lineage import counterpart, label
from .mapping import LAYOUT_LABELS, Mapping, target_label
from .metrics import rank_table
from .paths import SECRETS_TOML
from .problems import InvalidFile
from .prose import summary_text
from .reference import Reference, UnknownName
from .store import Store, StoreError
from .summary import ProvinceSummary, province_summary
from .tables import scores_wide
from .task_status import latest, parse_period, status_change, vietnam_time, with_status
from .tasks import filter_tasks, unit_roles, with_dimensions


def os_user() -> str:
    """The operating-system account running the command."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no USER/LOGNAME and no passwd entry (a bare container)
        return f"uid {os.getuid()}"


def _user(args: argparse.Namespace) -> str:
    """Who the upload history records: the OS account that ran the command, the one thing the command line
    knows for sure; a name given with --user is kept beside it (one line, at most 100 characters)."""
    account = f"dòng lệnh:{os_user()}"
    given = " ".join((args.user or "").split())[:100]
    return f"{given} ({account})" if given else account


def _year_unit_set(store: Store, year: int) -> str | None:
    years = store.years()
    match = years[years.year == year]
    return None if match.empty else str(match.unit_set.iloc[0])


def jsonable(value: object) -> object:
    """A value as strict JSON takes it: NaN, NaT and NA become None; arrays lists; times ISO text."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime, date, pd.Timestamp)):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return None if fmt.is_missing(value) else value


def print_json(value: object) -> None:
    print(json.dumps(jsonable(value), ensure_ascii=False, indent=2, allow_nan=False))


def build_summary(store: Store, ref: Reference, province: str, year: int, region: str | None = None) -> ProvinceSummary:
    """The summary of a province name and year (raises UnknownName / ValueError)."""
    return build_view(store, ref, province, year, region)[0]


def build_view(
    store: Store, ref: Reference, province: str, year: int, region: str | None = None
) -> tuple[ProvinceSummary, pd.DataFrame]:
    """The summary of a province name and year, and the rank table it was computed from. A province of
    the other unit set answers for the unit it is in that year (Sóc Trăng in 2025: Cần Thơ), saying so first."""
    unit_set = _year_unit_set(store, year)
    if unit_set is None:
        available = ", ".join(map(str, store.years().year))
        raise ValueError(f"Chưa có số liệu PAPI năm {year} (có: {available}).")
    asked = ref.find_unit(province, unit_set)
    unit_id = counterpart(ref, asked, unit_set) or asked
    region_id = region_by_name(ref, region) if region else None
    comparison = comparison_group(ref, unit_id, unit_set, region_id=region_id)
    table = rank_table(store.scores(), ref.units, peers=comparison.peers)
    summary = province_summary(table, ref, unit_id, year, comparison, unit_set)
    if unit_id != asked:
        summary = replace(summary, lineage_note=_lineage_note(ref, asked, unit_id, year, unit_set))
    return summary, table


def _lineage_note(ref: Reference, asked: str, unit_id: str, year: int, unit_set: str) -> str:
    """Said before the answer when the name asked for is a unit of the other set."""
    year_set = f"PAPI {year} đánh giá theo {UNIT_SET_LABELS[unit_set]}"
    name, answer = ref.unit_name(asked), label(ref, unit_id)
    if ref.successor(asked) == unit_id:
        return (
            f"Từ {fmt.day(REORGANISATION_DATE)}, {name} thuộc {answer}. {year_set}: kết quả dưới đây là của {answer}."
        )
    return f"{year_set}: kết quả dưới đây là của {answer}, nay thuộc {name}."


def cmd_summary(args: argparse.Namespace, store: Store) -> int:
    ref = store.reference()
    summary = build_summary(store, ref, args.province, args.year, args.region)
    if args.json:
        print_json(summary.to_json())
    else:
        print(summary_text(summary))
    return 0


def _task_json(t, unit_role: str | None) -> dict[str, object]:
    row = {
        "plan_id": t.plan_id,
        "id": t.task_id,
        "section": t.section_ref,
        "title": t.title,
        "dimensions": t.dimensions,
        "subdimensions": t.subdimensions,
        "general": bool(t.general),
        "lead_units": list(t.lead_units),
        "coordinating_units": list(t.coordinating_units),
        "product": t.product,
        "due": t.due_text,
        "due_date": None if pd.isna(t.due_date) else pd.Timestamp(t.due_date).date().isoformat(),
        "recurring": bool(t.recurring),
        "status": t.status,
        "status_period": t.status_period,
        "note": t.note,
        "evidence": t.evidence,
        "overdue": bool(t.overdue),
    }
    if unit_role is not None:
        row["unit_role"] = unit_role
    return row


def _chosen_unit(args: argparse.Namespace, tasks: pd.DataFrame) -> tuple[str | None, int]:
    """The --unit asked for (None: all), or an exit code 2 with the known units listed."""
    if not args.unit:
        return None, 0
    known = units_named(tasks.lead_units, tasks.coordinating_units)
    unit = find_unit(args.unit, known)
    if unit is None:
        print(f"Không có đơn vị '{args.unit}' trong các nhiệm vụ. Các đơn vị: {'; '.join(known)}", file=sys.stderr)
        return None, 2
    return unit, 0


def cmd_tasks(args: argparse.Namespace, store: Store) -> int:
    tasks = with_dimensions(store.tasks())
    dimension = args.dimension.upper() if args.dimension else None
    if dimension and dimension not in set(d for ds in tasks.dimensions for d in ds) | {f"D{i}" for i in range(1, 9)}:
        print(f"Không có chỉ số nội dung '{args.dimension}' (cần D1…D8).", file=sys.stderr)
        return 2
    if args.plan and args.plan not in set(tasks.plan_id):
        print(
            f"Không có kế hoạch '{args.plan}'. Các kế hoạch: {'; '.join(sorted(set(tasks.plan_id)))}", file=sys.stderr
        )
        return 2
    unit, code = _chosen_unit(args, tasks)
    if code:
        return code
    as_of = args.as_of or date.today()
    followed = with_status(tasks, store.task_statuses(), as_of)
    chosen = filter_tasks(
        followed, dimension=dimension, unit=unit, role=args.role, plan_id=args.plan, query=args.search
    )
    if args.overdue:
        chosen = chosen[chosen.overdue]
    roles = unit_roles(chosen, unit).map(lambda r: r.value).to_dict() if unit else {}
    if args.json:
        print_json([_task_json(t, roles.get(t.Index)) for t in chosen.itertuples()])
        return 0
    specific, general = chosen[~chosen.general], chosen[chosen.general]
    print(f"{len(chosen)} nhiệm vụ ({len(specific)} riêng, {len(general)} chung cho toàn bộ Chỉ số PAPI)")
    for title, part in (("Nhiệm vụ riêng", specific), ("Nhiệm vụ chung cho toàn bộ Chỉ số PAPI", general)):
        if len(part):
            print(f"\n{title}:")
        for t in part.itertuples():
            state = (t.status or "chưa báo cáo") + (" — QUÁ HẠN" if t.overdue else "")
            print(f"{t.task_id:<6} [{';'.join(t.measures)}] {t.title} — {t.lead} — {t.due_display} — {state}")
    return 0


def _find_task(args: argparse.Namespace, tasks: pd.DataFrame) -> tuple[str, str] | None:
    """(plan_id, task_id) of TASK_ID (any case), or None after saying why."""
    found = tasks[tasks.task_id.str.casefold() == args.task_id.strip().casefold()]
    if args.plan:
        found = found[found.plan_id == args.plan]
    plans = sorted(set(found.plan_id))
    if not plans:
        print(
            f"Không có nhiệm vụ '{args.task_id}'" + (f" trong kế hoạch {args.plan}." if args.plan else "."),
            file=sys.stderr,
        )
        return None
    if len(plans) > 1:
        print(
            f"Mã {args.task_id} có trong {len(plans)} kế hoạch ({'; '.join(plans)}): chọn bằng --plan.", file=sys.stderr
        )
        return None
    return plans[0], str(found.task_id.iloc[0])


def cmd_task_status(args: argparse.Namespace, store: Store) -> int:
    found = _find_task(args, store.tasks())
    if found is None:
        return 2
    plan_id, task_id = found
    if (args.status or args.undo) and not args.period:
        print("Cần --period (ví dụ 2023-Q3).", file=sys.stderr)
        return 2
    try:
        period = parse_period(args.period) if args.period else None
        change = status_change(plan_id, task_id, period, args.status, args.note, args.evidence) if args.status else None
    except ValueError as error:
        print(str(error), file=sys.stderr)
        return 2
    if change:
        change_id = store.record_status(change, _user(args))
        print(f"Đã ghi tình trạng {period.label} của {task_id}: {change.status.value} (thay đổi số {change_id}).")
        return 0
    history = store.task_statuses(plan_id)
    history = history[history.task_id == task_id]
    if args.undo:
        current = latest(history, period, exact=True)
        if current.empty:
            print(f"{task_id} chưa có tình trạng {period.label} nào để hoàn tác.", file=sys.stderr)
            return 1
        store.undo_status(int(current.change_id.iloc[0]), _user(args))
        print(f"Đã hoàn tác tình trạng {period.label} của {task_id} (thay đổi số {int(current.change_id.iloc[0])}).")
        return 0
    if args.json:
        print_json(history.to_dict("records"))
        return 0
    print(f"{task_id} ({plan_id}): {len(history)} lần cập nhật tình trạng")
    for h in history.itertuples():
        undone = f" — đã hoàn tác {vietnam_time(h.undone_at)} ({h.undone_by})" if pd.notna(h.undone_at) else ""
        print(f"#{h.change_id:<4} {h.period} {h.status:<22} {vietnam_time(h.recorded_at)} {h.recorded_by}{undone}")
    return 0


def cmd_report(args: argparse.Namespace, store: Store) -> int:
    # Imported here: python-docx and matplotlib cost every other command half a second of start-up.
    from .report import ReportData, plan_for, report_docx

    ref = store.reference()
    summary, table = build_view(store, ref, args.province, args.year, args.region)
    plans = store.plans()
    if args.plan and args.plan not in set(plans.plan_id):
        print(f"Không có kế hoạch '{args.plan}'. Các kế hoạch: {'; '.join(plans.plan_id)}", file=sys.stderr)
        return 2
    plan = plan_for(plans, summary, args.plan)
    tasks = with_dimensions(store.tasks())
    plan_id = plan["plan_id"] if plan else None
    data = ReportData(
        summary=summary,
        table=table,
        ref=ref,
        plan=plan,
        tasks=tasks[tasks.plan_id == plan_id],
        history=store.task_statuses(plan_id) if plan_id else store.task_statuses().iloc[0:0],
        today=date.today(),
    )
    Path(args.output).write_bytes(report_docx(data))
    print(f"Đã ghi dự thảo báo cáo PAPI {summary.year} của {summary.province} ra {args.output}.")
    return 0


def print_mapping(mapping: Mapping, ref: Reference) -> None:
    """How each row or column was read (the lines without values and not read, headings, are left out)."""
    origin = ", theo cách đọc đã xác nhận cho tệp cùng dạng" if mapping.origin == "remembered" else ""
    print(f"Cách đọc tệp ({LAYOUT_LABELS[mapping.layout]}{origin}):")
    resolved, _ = mapping.resolved()
    for line in mapping.lines:
        if not line.has_values and line.target in (UNREAD, IGNORE):
            continue
        note = f"  [{line.note}]" if line.note else ""
        target = target_label(resolved.get(line.position, line.target), ref)
        if line.target == INDICATOR:
            target = f"chỉ tiêu {line.code}" + (f" ({line.unit})" if line.unit else "")
        print(f"  {line.where:<10} '{line.label[:90]}' → {target}{note}")
    if unknown := mapping.unknown():
        print(f"Chưa nhận ra (không đọc) {len(unknown)} dòng/cột có số liệu: " + "; ".join(ln.where for ln in unknown))


def cmd_ingest(args: argparse.Namespace, store: Store) -> int:
    path = Path(args.file)
    ref = store.reference()
    try:
        parsed = isolated.parse_scores(
            path.read_bytes(),
            path.name,
            ref,
            year=args.year,
            unit_set=args.units,
            sheet=args.sheet,
            remembered=store.remembered(),
        )
    except InvalidFile as error:
        if isinstance(error.context, Mapping):
            print_mapping(error.context, ref)
        raise
    diff = store.preview(parsed, replace=args.replace)
    sheet = f", trang tính '{parsed.sheet}'" if parsed.sheet else ""
    print(
        f"Tệp {parsed.file}{sheet}: {parsed.rows_in_file} dòng, {LAYOUT_LABELS[parsed.layout]}, "
        f"năm {', '.join(map(str, parsed.years))}"
    )
    print_mapping(parsed.mapping, ref)
    print(f"Danh mục đơn vị: {UNIT_SET_LABELS[parsed.unit_set]} — {parsed.unit_set_reason}")
    if note := depth_note(parsed):
        print(note)
    for warning in [*parsed.warnings, *diff.warnings]:
        print(f"Lưu ý: {warning}")
    counts = diff.counts()
    print(
        f"Thêm {counts['added']}, thay đổi {counts['changed']}, xóa {counts['removed']}, "
        f"giữ nguyên {counts['unchanged']} giá trị."
    )
    if args.dry_run:
        print("Chạy thử (--dry-run): không ghi gì.")
        return 0
    if not diff.has_changes:
        print("Không có thay đổi nào so với dữ liệu đang lưu; không ghi gì.")
        return 0
    result = store.commit_scores(parsed, replace=args.replace, user=_user(args), expected_signature=diff.signature())
    print(f"Đã ghi lượt tải lên số {result.upload_id}.")
    return 0


def cmd_uploads(args: argparse.Namespace, store: Store) -> int:
    uploads = store.uploads()
    if args.json:
        print_json(uploads.to_dict("records"))
        return 0
    for u in uploads.itertuples():
        state = f"đã hoàn tác {times.from_server_time(u.rolled_back_at)}" if pd.notna(u.rolled_back_at) else ""
        years = ", ".join(map(str, u.years)) if u.years is not None else ""
        print(
            f"#{u.upload_id:<4} {times.from_server_time(u.uploaded_at)}  {u.kind:<6} {u.file_name:<40} năm {years:<10} "
            f"+{u.cells_added} ~{u.cells_changed} -{u.cells_removed}  {u.uploaded_by}  {state}"
        )
    return 0


def cmd_rollback(args: argparse.Namespace, store: Store) -> int:
    result = store.rollback(args.upload_id, _user(args))
    print(
        result.message
        or f"Đã hoàn tác lượt tải lên số {result.upload_id}: khôi phục {result.changed} giá trị, "
        f"xóa {result.removed} giá trị do lượt đó thêm."
    )
    return 0


def cmd_export(args: argparse.Namespace, store: Store) -> int:
    ref = store.reference()
    region_ids = []
    for region in args.region or []:
        region_id = ref.region_id(region)
        if region_id is None:
            print(f"Không có vùng '{region}'.", file=sys.stderr)
            return 2
        region_ids.append(region_id)
    # A name may mean an old province and a new unit ("Cần Thơ"): export both; years tell them apart.
    unit_ids = [u for p in args.province or [] for u in ref.units_named(p)]
    measures = []
    for text in args.measure or []:
        code = ref.measure_code(text)
        if code is None:
            print(f"Không có chỉ số '{text}'.", file=sys.stderr)
            return 2
        measures.append(code)
    table = scores_wide(
        store.scores(), ref, years=args.year, unit_ids=unit_ids, region_ids=region_ids, measures=measures or None
    )
    source = export.source_line(times.vietnam_today())
    Path(args.output).write_bytes(export.file_bytes(table, args.format, source=source))
    print(f"Đã xuất {len(table)} dòng ra {args.output}.")
    return 0


def cmd_add_analyst(args: argparse.Namespace, store: Store | None) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")  # CRLF input too
    else:
        password = getpass.getpass("Mật khẩu: ")
        if password != getpass.getpass("Nhập lại mật khẩu: "):
            print("Hai lần nhập mật khẩu không khớp.", file=sys.stderr)
            return 2
    secrets_file.add_analyst(Path(args.secrets), args.name, password)
    print(f"Đã thêm tài khoản phân tích '{args.name}' vào {args.secrets} (chỉ lưu mã băm của mật khẩu).")
    return 0


def cmd_build(args: argparse.Namespace, store: Store) -> int:
    print(f"{store.path}: {'đã tạo từ data/' if args.built else 'đã có, không thay đổi'}.")
    return 0


def _plan_commands(sub) -> None:
    """The plan's commands: tasks, task-status, report."""
    t = sub.add_parser("tasks", help="nhiệm vụ của kế hoạch cải thiện PAPI, với tình trạng thực hiện")
    t.add_argument("--dimension", help="D1…D8")
    t.add_argument("--unit", help="đơn vị, ví dụ 'Sở Nội vụ' (kể cả nhiệm vụ chung của các sở, ban, ngành)")
    t.add_argument("--role", choices=list(ROLE_CHOICES), default="any", help="vai trò của --unit (mặc định: any)")
    t.add_argument("--plan", help="mã kế hoạch, ví dụ 120/KH-UBND-2023")
    t.add_argument("--search", help="tìm trong mã, tiêu đề, nội dung, đơn vị")
    t.add_argument("--overdue", action="store_true", help="chỉ các nhiệm vụ quá hạn")
    t.add_argument(
        "--as-of", type=date.fromisoformat, help="ngày tính tình trạng, quá hạn (YYYY-MM-DD; mặc định hôm nay)"
    )
    t.add_argument("--json", action="store_true")
    t.set_defaults(run=cmd_tasks)

    ts = sub.add_parser("task-status", help="ghi, hoàn tác hoặc xem tình trạng thực hiện một nhiệm vụ")
    ts.add_argument("task_id", metavar="TASK_ID")
    ts.add_argument("--plan", help="mã kế hoạch (khi mã nhiệm vụ có ở nhiều kế hoạch)")
    ts.add_argument("--period", help="kỳ báo cáo, ví dụ 2023-Q3")
    ts.add_argument("--status", help="Chưa triển khai | Đang triển khai | Hoàn thành | Không thực hiện được")
    ts.add_argument("--note", help="kết quả thực hiện (ngắn)")
    ts.add_argument("--evidence", help="minh chứng: số văn bản hoặc đường dẫn")
    ts.add_argument("--undo", action="store_true", help="hoàn tác lần ghi gần nhất của kỳ này")
    ts.add_argument("--user", help="người ghi (mặc định: tài khoản hệ điều hành)")
    ts.add_argument("--json", action="store_true")
    ts.set_defaults(run=cmd_task_status)

    rp = sub.add_parser("report", help="dự thảo báo cáo kết quả PAPI (Word .docx)")
    rp.add_argument("--province", required=True)
    rp.add_argument("--year", type=int, required=True)
    rp.add_argument("--plan", help="kế hoạch đối chiếu (mặc định: kế hoạch viết sau năm đó của tỉnh)")
    rp.add_argument("--region", help="vùng so sánh (mặc định: vùng của tỉnh)")
    rp.add_argument("-o", "--output", required=True)
    rp.set_defaults(run=cmd_report)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m papi_analysis", description="PAPI: số liệu, xếp hạng, kế hoạch.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("summary", help="tóm tắt kết quả của một tỉnh trong một năm")
    s.add_argument("--province", required=True)
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--region", help="vùng so sánh (mặc định: vùng của tỉnh)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(run=cmd_summary)

    _plan_commands(sub)

    i = sub.add_parser("ingest", help="kiểm tra và ghi một tệp điểm số (CSV/XLSX)")
    i.add_argument("file")
    i.add_argument("--replace", action="store_true", help="cho phép thay thế giá trị đã có")
    i.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và xem trước")
    i.add_argument("--units", choices=["old", "new"], help="danh mục đơn vị (mặc định: tự nhận biết)")
    i.add_argument("--year", type=int, help="năm của tệp không có cột năm (chọn cả trang tính mang năm đó)")
    i.add_argument("--sheet", help="trang tính (tệp Excel nhiều trang)")
    i.add_argument("--user", help="tên người tải (ghi kèm tài khoản hệ điều hành chạy lệnh)")
    i.set_defaults(run=cmd_ingest)

    u = sub.add_parser("uploads", help="lịch sử tải lên (thời điểm theo giờ Việt Nam)")
    u.add_argument("--json", action="store_true")
    u.set_defaults(run=cmd_uploads)

    r = sub.add_parser("rollback", help="hoàn tác một lượt tải lên")
    r.add_argument("upload_id", type=int)
    r.add_argument("--user", help="tên người hoàn tác (ghi kèm tài khoản hệ điều hành chạy lệnh)")
    r.set_defaults(run=cmd_rollback)

    e = sub.add_parser("export", help="xuất bảng điểm ra CSV/XLSX")
    e.add_argument("--year", type=int, nargs="+")
    e.add_argument("--region", nargs="+")
    e.add_argument("--province", nargs="+")
    e.add_argument("--measure", nargs="+")
    e.add_argument(
        "--format", choices=list(export.FORMATS), default="csv", help="csv-vi: dấu ; và dấu phẩy thập phân, cho Excel"
    )
    e.add_argument("-o", "--output", required=True)
    e.set_defaults(run=cmd_export)

    a = sub.add_parser("add-analyst", help="thêm tài khoản phân tích (mật khẩu được băm)")
    a.add_argument("name")
    a.add_argument("--password-stdin", action="store_true")
    a.add_argument("--secrets", default=str(SECRETS_TOML))
    a.set_defaults(run=cmd_add_analyst, no_store=True)

    b = sub.add_parser("build", help="tạo cơ sở dữ liệu từ data/ nếu chưa có")
    b.set_defaults(run=cmd_build)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if getattr(args, "no_store", False):
            return args.run(args, None)
        store = Store()
        args.built = store.ensure_built()
        return args.run(args, store)
    except UnknownName as error:
        print(str(error), file=sys.stderr)
        return 2
    except InvalidFile as error:
        print(f"Tệp không hợp lệ — {len(error.problems)} lỗi, chưa ghi gì:", file=sys.stderr)
        for problem in error.problems:
            print(f"- {problem}", file=sys.stderr)
        return 1
    except (StoreError, ValueError) as error:
        print(str(error), file=sys.stderr)
        return 1


__all__ = ["TOTAL", "build_summary", "main"]
