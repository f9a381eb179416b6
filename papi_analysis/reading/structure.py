"""What a layout must hold before its values are read: a province column (provinces in rows), some measure,
no column read twice; and which columns or rows are not read (warned, or listed in the mapping).
The messages are those users already know from the long and wide layouts."""

from __future__ import annotations

import re

from papi_analysis.names import plain
from papi_analysis.problems import Problem, Where
from papi_analysis.reading import labels
from papi_analysis.reading.labels import BOUNDS, IGNORE, INDICATOR, ROLES, UNREAD
from papi_analysis.reading.layout import Source
from papi_analysis.reading.mapping import LONG, OFFICIAL_COLUMNS, WIDE, Mapping, choices
from papi_analysis.reading.melt import resolved_targets
from papi_analysis.reference import Reference

_LOOKS_LIKE_CODE = re.compile(r"d[0-9]")  # on plain(): 'D1.9' -> 'd1 9', 'D3.x' -> 'd3 x'
NOT_READ = (IGNORE, UNREAD)


def long_roles(source: Source) -> dict[str, int]:
    """The long layout's columns by role (the first of each)."""
    roles: dict[str, int] = {}
    for index, header in enumerate(source.table.header):
        role = labels.role_of(header)
        if role and role != IGNORE:
            roles.setdefault(role, index)
    return roles


def _header_row(source: Source) -> int | None:
    """The header's row number as problems name it (as before: none for a workbook)."""
    return None if source.grid.excel else source.grid.numbered[source.header][0]


def _duplicates(source: Source, mapping: Mapping) -> list[Problem]:
    """Two columns read as the same thing."""
    problems, first = [], {}
    header = source.table.header
    if mapping.layout == LONG:
        pairs = [(j, labels.role_of(h)) for j, h in enumerate(header)]
        pairs = [(j, r) for j, r in pairs if r and r != IGNORE]
    else:  # bounds as they resolve: two 'Điểm thấp' columns bound two different scores
        targets, _ = resolved_targets(mapping, source.file)
        pairs = [(ln.position, ln.target) for ln in mapping.lines if ln.target in ROLES]
        pairs = sorted(pairs + [(j, t) for j, t in targets.items() if t != INDICATOR])
    for j, name in pairs:
        if name in first:
            message = f"Cột trùng: '{header[first[name]]}' và '{header[j]}' cùng là {name}."
            problems.append(Where(source.file, row=_header_row(source), column=header[j]).problem(message))
        first.setdefault(name, j)
    return problems


def _unread_columns(source: Source, mapping: Mapping, ref: Reference, warnings: list[str]) -> list[Problem]:
    """Columns not read: a code-like header is a problem ('D1.9' is no D1); others are warned."""
    problems, ignored = [], []
    if mapping.layout == LONG:
        header = source.table.header
        unread = [h for h in header if h and labels.role_of(h) is None and ref.measure_code(h) is None]
    else:
        unread = [ln.label for ln in mapping.lines if ln.target == UNREAD and ln.label]
    for label in unread:
        if _LOOKS_LIKE_CODE.match(plain(label)):
            message = f"Cột '{label}' có dạng mã chỉ số nhưng không có trong danh mục (D1…D8, TOTAL, D5.3…)."
            problems.append(Where(source.file, row=_header_row(source), column=label).problem(message))
        else:
            ignored.append(label)
    if ignored:
        warnings.append("Bỏ qua các cột không nhận ra: " + ", ".join(f"'{h}'" for h in ignored) + ".")
    return problems


def _layout_problems(source: Source, mapping: Mapping) -> list[Problem]:
    table, file = source.table, source.file
    read = {ln.target for ln in mapping.lines}
    roles = set(long_roles(source)) if mapping.layout == LONG else read & set(ROLES)
    problems = []
    if "province" not in roles:
        row = table.row_numbers[0] - 1 if table.row_numbers else None
        problems.append(Where(file, row=row).problem("Không tìm thấy cột tỉnh (tiêu đề 'province' hoặc 'Tỉnh')."))
    measures = read - set(NOT_READ) - set(ROLES) - set(BOUNDS) - {INDICATOR}
    if mapping.layout != LONG and not measures and "province" in roles:
        message = (
            "Không tìm thấy cột chỉ số nào (D1…D8, TOTAL hoặc tên chỉ số) "
            "và cũng không phải dạng dài (year, province, measure, value)."
        )
        problems.append(Where(file).problem(message))
    if mapping.layout == WIDE and read & set(BOUNDS):
        message = (
            "Cột cận dưới, cận trên hoặc sai số cần nêu chỉ số của nó (ví dụ 'D1 ci_low'); cột chỉ ghi "
            "ci_low, ci_high chỉ dùng với dạng dài (year, province, measure, value)."
        )
        problems.append(Where(file).problem(message))
    if mapping.layout == LONG and "year" not in roles:
        problems.append(Where(file).problem("Dạng dài cần cột 'year' (Năm)."))
    return problems


def structure_problems(source: Source, mapping: Mapping, ref: Reference, warnings: list[str]) -> list[Problem]:
    """Everything wrong with the layout itself (see the module docstring)."""
    allowed = set(choices(ref, mapping.layout))
    wrong = [ln for ln in mapping.lines if ln.target not in allowed]
    if wrong:
        return [
            Where(source.file, column=ln.where).problem(f"Không đọc được '{ln.label}' như đã chọn.", ln.target)
            for ln in wrong
        ]
    if mapping.layout == OFFICIAL_COLUMNS:
        read = [ln for ln in mapping.lines if ln.target not in NOT_READ]
        if not read:
            message = "Không tìm thấy dòng chỉ số nào (điểm tổng hợp, chỉ số nội dung, chỉ số thành phần, chỉ tiêu)."
            return [Where(source.file).problem(message)]
        return []
    problems = _duplicates(source, mapping)
    problems += _unread_columns(source, mapping, ref, warnings)
    return problems + _layout_problems(source, mapping)
