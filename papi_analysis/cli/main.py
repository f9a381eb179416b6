"""Command line: python -m papi_analysis {summary,tasks,task-status,report,plan-draft,ingest,uploads,rollback,
export,add-analyst,build}.

The same code paths as the dashboard; messages in Vietnamese; failures exit non-zero. Every --json output
is strict JSON (null, never NaN).
Exit codes: 0 done, 1 refused or invalid input file, 2 unknown name or bad arguments.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from papi_analysis.access import accounts
from papi_analysis.cli import data_commands, draft_commands, plan_commands
from papi_analysis.cli.output import BadArguments, os_user, print_json, rank_goal
from papi_analysis.paths import SECRETS_TOML
from papi_analysis.present.prose import summary_text
from papi_analysis.present.target_text import cli_lines
from papi_analysis.problems import InvalidFile
from papi_analysis.reference import UnknownName
from papi_analysis.results.province_view import build_summary, build_view
from papi_analysis.results.targets import unit_targets
from papi_analysis.store.database import Store, StoreError


def cmd_summary(args: argparse.Namespace, store: Store) -> int:
    ref = store.reference()
    summary, table = build_view(store, ref, args.province, args.year, args.region)
    targets = unit_targets(table, summary.unit_id, summary.year, rank_goal(args, summary))
    if args.json:
        print_json(summary.to_json(targets))
    else:
        print("\n".join([summary_text(summary), *cli_lines(targets, ref)]))
    return 0


def cmd_add_analyst(args: argparse.Namespace, store: Store | None) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")  # CRLF input too
    else:
        password = getpass.getpass("Mật khẩu: ")
        if password != getpass.getpass("Nhập lại mật khẩu: "):
            print("Hai lần nhập mật khẩu không khớp.", file=sys.stderr)
            return 2
    accounts.add_analyst(Path(args.secrets), args.name, password)
    print(f"Đã thêm tài khoản phân tích '{args.name}' vào {args.secrets} (chỉ lưu mã băm của mật khẩu).")
    return 0


def cmd_build(args: argparse.Namespace, store: Store) -> int:
    print(f"{store.path}: {'đã tạo từ data/' if args.built else 'đã có, không thay đổi'}.")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m papi_analysis", description="PAPI: số liệu, xếp hạng, kế hoạch.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("summary", help="tóm tắt kết quả của một tỉnh trong một năm")
    s.add_argument("--province", required=True)
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--region", help="vùng so sánh (mặc định: vùng của tỉnh)")
    s.add_argument("--target-rank", type=int, metavar="N", help="hạng mục tiêu: điểm cần thêm ở từng chỉ số (to_rank)")
    s.add_argument("--regional", action="store_true", help="với --target-rank: hạng trong vùng so sánh")
    s.add_argument("--json", action="store_true")
    s.set_defaults(run=cmd_summary)

    plan_commands.add_commands(sub)

    draft_commands.add_commands(sub)

    data_commands.add_commands(sub)

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
    except (UnknownName, BadArguments) as error:
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


__all__ = ["build_summary", "build_view", "main", "os_user"]
