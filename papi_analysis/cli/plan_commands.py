"""The plan's commands: tasks, task-status, report."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from papi_analysis.cli.output import JSON_HELP, print_json, recorded_user
from papi_analysis.domain import DIMENSIONS
from papi_analysis.plan.agencies import ROLE_CHOICES, find_unit, units_named
from papi_analysis.plan.plan_tasks import filter_tasks, unit_roles, with_dimensions
from papi_analysis.plan.task_status import latest, parse_period, status_change, with_status
from papi_analysis.results.province_view import build_view
from papi_analysis.store.database import Store
from papi_analysis.times import from_utc, vietnam_today


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
    if dimension and dimension not in DIMENSIONS:
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
    as_of = args.as_of or vietnam_today()
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
        change_id = store.record_status(change, recorded_user(args))
        print(f"Đã ghi tình trạng {period.label} của {task_id}: {change.status.value} (thay đổi số {change_id}).")
        return 0
    history = store.task_statuses(plan_id)
    history = history[history.task_id == task_id]
    if args.undo:
        current = latest(history, period, exact=True)
        if current.empty:
            print(f"{task_id} chưa có tình trạng {period.label} nào để hoàn tác.", file=sys.stderr)
            return 1
        store.undo_status(int(current.change_id.iloc[0]), recorded_user(args))
        print(f"Đã hoàn tác tình trạng {period.label} của {task_id} (thay đổi số {int(current.change_id.iloc[0])}).")
        return 0
    if args.json:
        print_json(history.to_dict("records"))
        return 0
    print(f"{task_id} ({plan_id}): {len(history)} lần cập nhật tình trạng")
    for h in history.itertuples():
        undone = f" — đã hoàn tác {from_utc(h.undone_at)} ({h.undone_by})" if pd.notna(h.undone_at) else ""
        print(f"#{h.change_id:<4} {h.period} {h.status:<22} {from_utc(h.recorded_at)} {h.recorded_by}{undone}")
    return 0


def cmd_report(args: argparse.Namespace, store: Store) -> int:
    # Imported here: python-docx and matplotlib cost every other command half a second of start-up.
    from papi_analysis.present.report import ReportData, plan_for, report_docx

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
        today=vietnam_today(),
    )
    Path(args.output).write_bytes(report_docx(data))
    print(f"Đã ghi dự thảo báo cáo PAPI {summary.year} của {summary.province} ra {args.output}.")
    return 0


def add_commands(sub) -> None:
    """The plan's commands: tasks, task-status, report."""
    t = sub.add_parser("tasks", help="nhiệm vụ của kế hoạch cải thiện PAPI, với tình trạng thực hiện")
    t.add_argument("--dimension", help="D1…D8")
    t.add_argument("--unit", help="đơn vị, ví dụ 'Sở Nội vụ' (kể cả nhiệm vụ chung của các sở, ban, ngành)")
    roles = "any: mọi vai trò (mặc định); named: chủ trì đích danh; shared: chủ trì chung (các sở, ban, ngành); "
    roles += "lead: chủ trì đích danh hoặc chung; partner: phối hợp"
    t.add_argument("--role", choices=list(ROLE_CHOICES), default="any", help=f"vai trò của --unit — {roles}")
    t.add_argument("--plan", help="mã kế hoạch, ví dụ 120/KH-UBND-2023")
    t.add_argument("--search", help="tìm trong mã, tiêu đề, nội dung, đơn vị")
    t.add_argument("--overdue", action="store_true", help="chỉ các nhiệm vụ quá hạn")
    t.add_argument(
        "--as-of", type=date.fromisoformat, help="ngày tính tình trạng, quá hạn (YYYY-MM-DD; mặc định hôm nay)"
    )
    t.add_argument("--json", action="store_true", help=JSON_HELP)
    t.set_defaults(run=cmd_tasks)

    ts = sub.add_parser("task-status", help="ghi, hoàn tác hoặc xem tình trạng thực hiện một nhiệm vụ")
    ts.add_argument("task_id", help="mã nhiệm vụ, ví dụ T065")
    ts.add_argument("--plan", help="mã kế hoạch (khi mã nhiệm vụ có ở nhiều kế hoạch)")
    ts.add_argument("--period", help="kỳ báo cáo, ví dụ 2023-Q3")
    ts.add_argument("--status", help="Chưa triển khai | Đang triển khai | Hoàn thành | Không thực hiện được")
    ts.add_argument("--note", help="kết quả thực hiện (ngắn)")
    ts.add_argument("--evidence", help="minh chứng: số văn bản hoặc đường dẫn")
    ts.add_argument("--undo", action="store_true", help="hoàn tác lần ghi gần nhất của kỳ này")
    ts.add_argument("--user", help="người ghi (mặc định: tài khoản hệ điều hành)")
    ts.add_argument("--json", action="store_true", help=JSON_HELP)
    ts.set_defaults(run=cmd_task_status)

    rp = sub.add_parser("report", help="dự thảo báo cáo kết quả PAPI (Word .docx)")
    rp.add_argument("--province", required=True, help="tỉnh, thành phố (tên trước hoặc sau 01/07/2025)")
    rp.add_argument("--year", type=int, required=True, help="năm PAPI của kết quả, ví dụ 2024")
    rp.add_argument("--plan", help="kế hoạch đối chiếu (mặc định: kế hoạch viết sau năm đó của tỉnh)")
    rp.add_argument("--region", help="vùng so sánh (mặc định: vùng của tỉnh)")
    rp.add_argument("-o", "--output", required=True, help="tệp Word sẽ ghi (.docx)")
    rp.set_defaults(run=cmd_report)
