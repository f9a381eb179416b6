"""Command line: python -m papi_analysis {summary,tasks,task-status,report,plan-draft,ingest,uploads,rollback,
export,add-analyst,add-reporter,unlock,build}.

The same code paths as the dashboard; messages in Vietnamese; failures exit non-zero. Every --json output
is strict JSON (null, never NaN).
Exit codes: 0 done, 1 refused or invalid input file, 2 unknown name or bad arguments.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from papi_analysis import faults
from papi_analysis.access import accounts
from papi_analysis.access.throttle import Throttle
from papi_analysis.cli import data_commands, draft_commands, plan_commands
from papi_analysis.cli.output import (
    JSON_HELP,
    BadArguments,
    os_user,
    print_json,
    printable_output,
    rank_goal,
    recorded_user,
)
from papi_analysis.cli.vietnamese import VietnameseParser
from papi_analysis.paths import SECRETS_TOML, signin_path
from papi_analysis.plan.agencies import SHARED_BODIES, find_unit, units_named
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


def _password(args: argparse.Namespace) -> str | None:
    """The new account's password, from stdin or asked twice; None when the two do not match."""
    if args.password_stdin:
        return sys.stdin.readline().removesuffix("\n").removesuffix("\r")  # CRLF input too
    password = getpass.getpass("Mật khẩu: ")
    if password != getpass.getpass("Nhập lại mật khẩu: "):
        print("Hai lần nhập mật khẩu không khớp.", file=sys.stderr)
        return None
    return password


def cmd_add_analyst(args: argparse.Namespace, store: Store | None) -> int:
    if (password := _password(args)) is None:
        return 2
    accounts.add_analyst(Path(args.secrets), args.name, password)
    print(f"Đã thêm tài khoản phân tích '{args.name}' vào {args.secrets} (chỉ lưu mã băm của mật khẩu).")
    _unlock(args.name)  # a new password is the owner's way in: no earlier lock keeps them waiting
    return 0


def _unlock(name: str) -> int:
    """Clear every sign-in lock on the name (from any address), saying so; how many there were."""
    cleared = Throttle(signin_path()).unlock(name) if signin_path().exists() else 0
    if cleared:
        print(f"Đã mở khóa đăng nhập của '{name}' ({cleared} địa chỉ đang phải chờ vì đăng nhập sai).")
    return cleared


def cmd_unlock(args: argparse.Namespace, store: Store | None) -> int:
    if not _unlock(args.name):
        print(f"Tài khoản '{args.name}' không bị khóa đăng nhập.")
    return 0


def cmd_add_reporter(args: argparse.Namespace, store: Store) -> int:
    """A department reporter: records the statuses of the tasks its unit leads by name, nothing else."""
    tasks = store.tasks()
    known = [u for u in units_named(tasks.lead_units, tasks.coordinating_units) if u not in SHARED_BODIES]
    unit = find_unit(args.unit, known)
    if unit is None:
        print(f"Không có đơn vị '{args.unit}' trong các kế hoạch. Các đơn vị: {'; '.join(known)}.", file=sys.stderr)
        return 2
    if (password := _password(args)) is None:
        return 2
    accounts.add_reporter(Path(args.secrets), args.name, password, unit)
    print(
        f"Đã thêm tài khoản báo cáo '{args.name}' của {unit} vào {args.secrets} (chỉ lưu mã băm của mật khẩu); "
        f"tài khoản này chỉ ghi được tình trạng các nhiệm vụ {unit} chủ trì."
    )
    return 0


def cmd_build(args: argparse.Namespace, store: Store) -> int:
    print(f"{store.path}: {'đã tạo từ data/' if args.built else 'đã có, không thay đổi'}.")
    return 0


PROVINCE_HELP = "tỉnh, thành phố (tên trước hoặc sau 01/07/2025, có dấu hoặc không)"
SECRETS_HELP = "tệp tài khoản (mặc định: .streamlit/secrets.toml)"


def parser() -> argparse.ArgumentParser:
    p = VietnameseParser(prog="python -m papi_analysis", description="PAPI: số liệu, xếp hạng, kế hoạch.")
    commands = "một trong các lệnh dưới đây; trợ giúp của một lệnh: python -m papi_analysis LỆNH -h"
    sub = p.add_subparsers(dest="command", required=True, title="lệnh", metavar="LỆNH", help=commands)

    s = sub.add_parser("summary", help="tóm tắt kết quả của một tỉnh trong một năm")
    s.add_argument("--province", required=True, help=PROVINCE_HELP)
    s.add_argument("--year", type=int, required=True, help="năm PAPI, ví dụ 2024")
    s.add_argument("--region", help="vùng so sánh (mặc định: vùng của tỉnh)")
    s.add_argument("--target-rank", type=int, help="hạng mục tiêu: điểm cần thêm ở từng chỉ số (to_rank)")
    s.add_argument("--regional", action="store_true", help="với --target-rank: hạng trong vùng so sánh")
    s.add_argument("--json", action="store_true", help=JSON_HELP)
    s.set_defaults(run=cmd_summary)

    plan_commands.add_commands(sub)

    draft_commands.add_commands(sub)

    data_commands.add_commands(sub)

    a = sub.add_parser("add-analyst", help="thêm tài khoản phân tích (mật khẩu được băm)")
    a.add_argument("name", help="tên đăng nhập")
    a.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của đầu vào chuẩn")
    a.add_argument("--secrets", default=str(SECRETS_TOML), help=SECRETS_HELP)
    a.set_defaults(run=cmd_add_analyst, no_store=True)

    r = sub.add_parser("add-reporter", help="thêm tài khoản báo cáo của một đơn vị (chỉ ghi tình trạng nhiệm vụ)")
    r.add_argument("name", help="tên đăng nhập")
    r.add_argument("--unit", required=True, help="đơn vị, ví dụ 'Sở Nội vụ' (như trong danh sách nhiệm vụ)")
    r.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của đầu vào chuẩn")
    r.add_argument("--secrets", default=str(SECRETS_TOML), help=SECRETS_HELP)
    r.set_defaults(run=cmd_add_reporter)

    un = sub.add_parser("unlock", help="mở khóa đăng nhập của một tài khoản (xóa các lần đăng nhập sai đã đếm)")
    un.add_argument("name", help="tên đăng nhập")
    un.set_defaults(run=cmd_unlock, no_store=True)

    b = sub.add_parser("build", help="tạo cơ sở dữ liệu từ data/ nếu chưa có")
    b.set_defaults(run=cmd_build)
    return p


def main(argv: list[str] | None = None) -> int:
    with printable_output():  # data can hold control characters: the terminal never acts on them
        return _run(parser().parse_args(argv))


def _run(args: argparse.Namespace) -> int:
    try:
        if getattr(args, "user", None):
            recorded_user(args)  # a --user that cannot be stored is refused before any work
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
    except OSError as error:  # the command's own files (-o, --secrets): a full disk, a read-only folder …
        target = error.filename or getattr(args, "output", None)
        if (message := faults.said(error, f"tệp {target}" if target else None)) is None:
            raise
        print(message, file=sys.stderr)
        return 1


__all__ = ["build_summary", "build_view", "main", "os_user"]
