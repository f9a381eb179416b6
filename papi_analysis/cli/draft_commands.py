"""plan-draft: next year's improvement plan drafted from a year's results (Word), with its tasks file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from papi_analysis.cli.output import BadArguments, rank_goal
from papi_analysis.domain import DIMENSIONS, GROUPS, TOTAL
from papi_analysis.names import plain
from papi_analysis.plan.plan_tasks import with_dimensions
from papi_analysis.results.province_view import build_view
from papi_analysis.results.targets import unit_targets
from papi_analysis.store.database import Store
from papi_analysis.times import vietnam_today


def group_goals(pairs: list[str]) -> dict[str, str]:
    """'D1=Trung bình thấp' (or 'd1=trung-binh-thap') -> {'D1': 'Trung bình thấp'}; BadArguments naming the choices."""
    goals = {}
    groups = {plain(g).replace(" ", "-"): g for g in GROUPS}
    for pair in pairs:
        code, _, group = pair.partition("=")
        code = code.strip().upper()
        found = groups.get(plain(group).replace(" ", "-"))
        if code not in (TOTAL, *DIMENSIONS) or found is None:
            raise BadArguments(
                f"Mục tiêu nhóm '{pair}' không hợp lệ: cần MÃ=NHÓM, mã là TOTAL hoặc D1…D8, nhóm là một trong "
                f"{', '.join(GROUPS)}."
            )
        goals[code] = found
    return goals


def cmd_plan_draft(args: argparse.Namespace, store: Store) -> int:
    # Imported here: python-docx and matplotlib cost every other command half a second of start-up.
    from papi_analysis.present.plan_draft import DraftData, draft_docx, tasks_file_bytes
    from papi_analysis.present.report import ReportData, plan_for

    ref = store.reference()
    goals = group_goals(args.target_group or [])
    summary, table = build_view(store, ref, args.province, args.year, args.region)
    goal = rank_goal(args, summary)
    plans = store.plans()
    if args.plan and args.plan not in set(plans.plan_id):
        print(f"Không có kế hoạch '{args.plan}'. Các kế hoạch: {'; '.join(plans.plan_id)}", file=sys.stderr)
        return 2
    plan = plan_for(plans, summary, args.plan)
    plan_id = plan["plan_id"] if plan else None
    tasks = with_dimensions(store.tasks())
    history = store.task_statuses(plan_id) if plan_id else store.task_statuses().iloc[0:0]
    results = ReportData(summary, table, ref, plan, tasks[tasks.plan_id == plan_id], history, vietnam_today())
    data = DraftData(results, unit_targets(table, summary.unit_id, summary.year, goal), goals)
    output = Path(args.output)
    output.write_bytes(draft_docx(data))
    said = f"Đã ghi dự thảo kế hoạch năm {data.year} (từ kết quả PAPI {summary.year} của {summary.province}, ban hành "
    said += f"dưới tên {data.issuer.short_body}) ra {output}"
    if data.carried.empty:
        print(f"{said}; không có nhiệm vụ chuyển tiếp nên không ghi tệp nhiệm vụ.")
        return 0
    tasks_file = Path(args.tasks_file) if args.tasks_file else output.with_name(f"{output.stem}-nhiem-vu.csv")
    tasks_file.write_bytes(tasks_file_bytes(data))
    print(
        f"{said}, và {len(data.carried)} nhiệm vụ chuyển tiếp ra {tasks_file} (mã kế hoạch {data.plan_id}; tải lên "
        "ở trang Tải dữ liệu lên khi kế hoạch được ban hành)."
    )
    return 0


def add_commands(sub) -> None:
    d = sub.add_parser("plan-draft", help="dự thảo kế hoạch cải thiện PAPI năm sau (Word .docx) và tệp nhiệm vụ")
    d.add_argument("--province", required=True, help="tỉnh, thành phố (tên trước hoặc sau 01/07/2025)")
    d.add_argument("--year", type=int, required=True, help="năm kết quả PAPI; kế hoạch cho năm sau đó")
    d.add_argument("--plan", help="kế hoạch hiện hành để chuyển tiếp nhiệm vụ (mặc định: như lệnh report)")
    d.add_argument("--region", help="vùng so sánh (mặc định: vùng của tỉnh)")
    d.add_argument("--target-rank", type=int, help="hạng mục tiêu của từng chỉ số (mục II)")
    d.add_argument("--regional", action="store_true", help="với --target-rank: hạng trong vùng so sánh")
    d.add_argument("--target-group", action="append", help="nhóm mục tiêu của một chỉ số, ví dụ D1='Trung bình thấp'")
    d.add_argument("-o", "--output", required=True, help="tệp Word (.docx) sẽ ghi")
    d.add_argument("--tasks-file", help="tệp nhiệm vụ chuyển tiếp (mặc định: <tên tệp Word>-nhiem-vu.csv)")
    d.set_defaults(run=cmd_plan_draft)
