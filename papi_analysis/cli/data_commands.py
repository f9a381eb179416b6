"""The data files' commands: ingest, uploads, rollback, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from papi_analysis import times
from papi_analysis.cli.output import JSON_HELP, print_json, recorded_user
from papi_analysis.domain import UNIT_SET_LABELS
from papi_analysis.files import export
from papi_analysis.present.tables import scores_wide
from papi_analysis.problems import InvalidFile
from papi_analysis.reading import isolated
from papi_analysis.reading.ingest import depth_note
from papi_analysis.reading.labels import IGNORE, INDICATOR, UNREAD
from papi_analysis.reading.mapping import LAYOUT_LABELS, Mapping, target_label
from papi_analysis.reference import Reference
from papi_analysis.store.database import Store


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
    result = store.commit_scores(
        parsed, replace=args.replace, user=recorded_user(args), expected_signature=diff.signature()
    )
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
    result = store.rollback(args.upload_id, recorded_user(args))
    print(
        result.message
        or f"Đã hoàn tác lượt tải lên số {result.upload_id}: khôi phục {result.changed} giá trị, "
        f"xóa {result.removed} giá trị do lượt đó thêm."
    )
    return 0


def _looked_up(names: list[str] | None, find, what: str) -> list[str] | None:
    """Each name's id (find returns None for an unknown one); None after saying which name is unknown."""
    found = [find(name) for name in names or []]
    if None in found:
        print(f"Không có {what} '{(names or [])[found.index(None)]}'.", file=sys.stderr)
        return None
    return found


def cmd_export(args: argparse.Namespace, store: Store) -> int:
    ref = store.reference()
    region_ids = _looked_up(args.region, ref.region_id, "vùng")
    measures = _looked_up(args.measure, ref.measure_code, "chỉ số") if region_ids is not None else None
    if measures is None:
        return 2
    # A name may mean an old province and a new unit ("Cần Thơ"): export both; years tell them apart.
    unit_ids = [u for p in args.province or [] for u in ref.units_named(p)]
    table = scores_wide(
        store.scores(), ref, years=args.year, unit_ids=unit_ids, region_ids=region_ids, measures=measures or None
    )
    source = export.source_line(times.vietnam_today())
    Path(args.output).write_bytes(export.file_bytes(table, args.format, source=source))
    print(f"Đã xuất {len(table)} dòng ra {args.output}.")
    return 0


def add_commands(sub) -> None:
    """The data files' commands: ingest, uploads, rollback, export."""
    i = sub.add_parser("ingest", help="kiểm tra và ghi một tệp điểm số (CSV/XLSX)")
    i.add_argument("file", help="tệp điểm số CSV hoặc Excel (XLSX), kể cả tệp PAPI công bố")
    i.add_argument("--replace", action="store_true", help="cho phép thay thế giá trị đã có")
    i.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và xem trước")
    i.add_argument("--units", choices=["old", "new"], help="danh mục đơn vị (mặc định: tự nhận biết)")
    i.add_argument("--year", type=int, help="năm của tệp không có cột năm (chọn cả trang tính mang năm đó)")
    i.add_argument("--sheet", help="trang tính (tệp Excel nhiều trang)")
    i.add_argument("--user", help="tên người tải (ghi kèm tài khoản hệ điều hành chạy lệnh)")
    i.set_defaults(run=cmd_ingest)

    u = sub.add_parser("uploads", help="lịch sử tải lên (thời điểm theo giờ Việt Nam)")
    u.add_argument("--json", action="store_true", help=JSON_HELP)
    u.set_defaults(run=cmd_uploads)

    r = sub.add_parser("rollback", help="hoàn tác một lượt tải lên")
    r.add_argument("upload_id", type=int, help="số lượt tải lên (xem lệnh uploads)")
    r.add_argument("--user", help="tên người hoàn tác (ghi kèm tài khoản hệ điều hành chạy lệnh)")
    r.set_defaults(run=cmd_rollback)

    e = sub.add_parser("export", help="xuất bảng điểm ra CSV/XLSX")
    e.add_argument("--year", type=int, nargs="+", help="các năm (mặc định: mọi năm)")
    e.add_argument("--region", nargs="+", help="các vùng (mặc định: cả nước)")
    e.add_argument("--province", nargs="+", help="các tỉnh, thành phố (mặc định: tất cả)")
    e.add_argument("--measure", nargs="+", help="các chỉ số: TOTAL, D1…D8, D5.3 … (mặc định: mọi chỉ số đã lưu)")
    e.add_argument(
        "--format", choices=list(export.FORMATS), default="csv", help="csv-vi: dấu ; và dấu phẩy thập phân, cho Excel"
    )
    e.add_argument("-o", "--output", required=True, help="tệp sẽ ghi")
    e.set_defaults(run=cmd_export)
