"""Command line: python -m papi_analysis {summary,tasks,ingest,uploads,rollback,export,add-analyst,build}.

The same code paths as the dashboard; messages in Vietnamese; failures exit non-zero.
Exit codes: 0 done, 1 refused or invalid input file, 2 unknown name or bad arguments.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

import pandas as pd

from . import auth, export, fmt, isolated
from .comparison import comparison_group, region_by_name
from .domain import TOTAL, UNIT_SET_LABELS
from .metrics import rank_table
from .paths import SECRETS_TOML
from .problems import InvalidFile
from .prose import summary_text
from .reference import Reference, UnknownName
from .store import Store, StoreError
from .summary import ProvinceSummary, province_summary
from .tables import scores_wide
from .tasks import filter_tasks, with_dimensions


def _user(args: argparse.Namespace) -> str:
    return args.user or f"dòng lệnh:{getpass.getuser()}"


def _year_unit_set(store: Store, year: int) -> str | None:
    years = store.years()
    match = years[years.year == year]
    return None if match.empty else str(match.unit_set.iloc[0])


def build_summary(store: Store, ref: Reference, province: str, year: int, region: str | None = None) -> ProvinceSummary:
    """The summary of a province name and year (raises UnknownName / ValueError)."""
    unit_set = _year_unit_set(store, year)
    if unit_set is None:
        available = ", ".join(map(str, store.years().year))
        raise ValueError(f"Chưa có số liệu PAPI năm {year} (có: {available}).")
    unit_id = ref.find_unit(province, unit_set)
    region_id = region_by_name(ref, region) if region else None
    comparison = comparison_group(ref, unit_id, unit_set, region_id=region_id)
    table = rank_table(store.scores(), ref.units, peers=comparison.peers)
    return province_summary(table, ref, unit_id, year, comparison, unit_set)


def cmd_summary(args: argparse.Namespace, store: Store) -> int:
    ref = store.reference()
    summary = build_summary(store, ref, args.province, args.year, args.region)
    if args.json:
        print(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    else:
        print(summary_text(summary))
    return 0


def cmd_tasks(args: argparse.Namespace, store: Store) -> int:
    tasks = with_dimensions(store.tasks())
    dimension = args.dimension.upper() if args.dimension else None
    unit = None
    if args.unit:
        units = sorted({u for us in tasks.lead_units for u in us})
        unit = next((u for u in units if u.casefold() == args.unit.strip().casefold()), None)
        if unit is None:
            print(f"Không có đơn vị chủ trì '{args.unit}'. Các đơn vị: {'; '.join(units)}", file=sys.stderr)
            return 2
    chosen = filter_tasks(tasks, dimension=dimension, lead_unit=unit, plan_id=args.plan)
    if args.json:
        records = [
            {
                "plan_id": t.plan_id,
                "id": t.task_id,
                "section": t.section_ref,
                "title": t.title,
                "dimensions": t.dimensions,
                "subdimensions": t.subdimensions,
                "lead_units": list(t.lead_units),
                "coordinating_units": list(t.coordinating_units),
                "product": t.product,
                "due": t.due_text,
                "due_date": None if pd.isna(t.due_date) else pd.Timestamp(t.due_date).date().isoformat(),
                "recurring": bool(t.recurring),
            }
            for t in chosen.itertuples()
        ]
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    print(f"{len(chosen)} nhiệm vụ")
    for t in chosen.itertuples():
        print(f"{t.task_id:<5} [{';'.join(t.measures)}] {t.title} — {t.lead} — {t.due_display}")
    return 0


def cmd_ingest(args: argparse.Namespace, store: Store) -> int:
    path = Path(args.file)
    ref = store.reference()
    parsed = isolated.parse_scores(
        path.read_bytes(), path.name, ref, year=args.year, unit_set=args.units, sheet=args.sheet
    )
    diff = store.preview(parsed, replace=args.replace)
    print(
        f"Tệp {parsed.file}: {parsed.rows_in_file} dòng, dạng {'dài' if parsed.layout == 'long' else 'rộng'}, "
        f"năm {', '.join(map(str, parsed.years))}"
    )
    print(f"Danh mục đơn vị: {UNIT_SET_LABELS[parsed.unit_set]} — {parsed.unit_set_reason}")
    for warning in parsed.warnings:
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
        print(uploads.drop(columns=[]).to_json(orient="records", force_ascii=False, date_format="iso", indent=2))
        return 0
    for u in uploads.itertuples():
        state = f"đã hoàn tác {fmt.moment(u.rolled_back_at)}" if pd.notna(u.rolled_back_at) else ""
        years = ", ".join(map(str, u.years)) if u.years is not None else ""
        print(
            f"#{u.upload_id:<4} {fmt.moment(u.uploaded_at)}  {u.kind:<6} {u.file_name:<40} năm {years:<10} "
            f"+{u.cells_added} ~{u.cells_changed} -{u.cells_removed}  {u.uploaded_by}  {state}"
        )
    return 0


def cmd_rollback(args: argparse.Namespace, store: Store) -> int:
    result = store.rollback(args.upload_id, _user(args))
    print(
        f"Đã hoàn tác lượt tải lên số {result.upload_id}: khôi phục {result.changed} giá trị, "
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
    Path(args.output).write_bytes(export.file_bytes(table, args.format))
    print(f"Đã xuất {len(table)} dòng ra {args.output}.")
    return 0


def cmd_add_analyst(args: argparse.Namespace, store: Store | None) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Mật khẩu: ")
        if password != getpass.getpass("Nhập lại mật khẩu: "):
            print("Hai lần nhập mật khẩu không khớp.", file=sys.stderr)
            return 2
    auth.add_analyst(Path(args.secrets), args.name, password)
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
    s.add_argument("--json", action="store_true")
    s.set_defaults(run=cmd_summary)

    t = sub.add_parser("tasks", help="nhiệm vụ của kế hoạch cải thiện PAPI")
    t.add_argument("--dimension", help="D1…D8")
    t.add_argument("--unit", help="đơn vị chủ trì, ví dụ 'Sở Nội vụ'")
    t.add_argument("--plan", help="mã kế hoạch, ví dụ 120/KH-UBND-2023")
    t.add_argument("--json", action="store_true")
    t.set_defaults(run=cmd_tasks)

    i = sub.add_parser("ingest", help="kiểm tra và ghi một tệp điểm số (CSV/XLSX)")
    i.add_argument("file")
    i.add_argument("--replace", action="store_true", help="cho phép thay thế giá trị đã có")
    i.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và xem trước")
    i.add_argument("--units", choices=["old", "new"], help="danh mục đơn vị (mặc định: tự nhận biết)")
    i.add_argument("--year", type=int, help="năm của tệp dạng rộng không có cột năm")
    i.add_argument("--sheet", help="trang tính (tệp Excel nhiều trang)")
    i.add_argument("--user")
    i.set_defaults(run=cmd_ingest)

    u = sub.add_parser("uploads", help="lịch sử tải lên")
    u.add_argument("--json", action="store_true")
    u.set_defaults(run=cmd_uploads)

    r = sub.add_parser("rollback", help="hoàn tác một lượt tải lên")
    r.add_argument("upload_id", type=int)
    r.add_argument("--user")
    r.set_defaults(run=cmd_rollback)

    e = sub.add_parser("export", help="xuất bảng điểm ra CSV/XLSX")
    e.add_argument("--year", type=int, nargs="+")
    e.add_argument("--region", nargs="+")
    e.add_argument("--province", nargs="+")
    e.add_argument("--measure", nargs="+")
    e.add_argument("--format", choices=["csv", "xlsx"], default="csv")
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
