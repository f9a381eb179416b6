"""What a layout must hold before its values are read (its units are found by axis.py): some measure, no column
read twice, the long layout's year; and which columns or rows are not read (warned, or listed in the mapping).
The messages are those users already know from the long and wide layouts."""

from __future__ import annotations

import re

from papi_analysis.names import plain
from papi_analysis.problems import Problem
from papi_analysis.reading import labels
from papi_analysis.reading.axis import Layout, at, cell_text
from papi_analysis.reading.context import ReadingContext
from papi_analysis.reading.line_targets import IGNORE, INDICATOR, UNREAD_TARGET
from papi_analysis.reading.mapping import LONG, OFFICIAL_COLUMNS, WIDE, Mapping, choices

_LOOKS_LIKE_CODE = re.compile(r"d[0-9]")  # on plain(): 'D1.9' -> 'd1 9', 'D3.x' -> 'd3 x'
NOT_READ = (IGNORE, "unread")


def header_texts(layout: Layout) -> list[str]:
    """The long layout's header cells."""
    return [cell_text(c) for c in layout.grid.numbered[layout.header[-1]][1]] if layout.header else []


def long_roles(layout: Layout) -> dict[str, int]:
    """The long layout's columns by role (the first of each): 'year', 'province', 'measure', 'value', a bound."""
    roles: dict[str, int] = {}
    for index, header in enumerate(header_texts(layout)):
        role = labels.role_of(header)
        if role is not None and role.kind != IGNORE:
            roles.setdefault(role.kind, index)
    return roles


def _header_row(layout: Layout) -> int | None:
    """The header's row number as problems name it (as before: none for a workbook)."""
    return None if layout.grid.excel or not layout.header else layout.grid.numbered[layout.header[-1]][0]


def _duplicates(layout: Layout, mapping: Mapping, ctx: ReadingContext) -> list[Problem]:
    """Two columns read as the same thing."""
    problems, first = [], {}
    if mapping.layout == LONG:
        label = dict(enumerate(header_texts(layout)))
        pairs = [(j, r.kind) for j, h in label.items() if (r := labels.role_of(h)) and r.kind != IGNORE]
    else:  # bounds as they resolve: two 'Điểm thấp' columns bound two different scores
        targets, _ = mapping.resolved()
        roles = [(ln.position, ln.target) for ln in mapping.lines if ln.target.is_role]
        pairs = sorted(roles + [(j, t) for (_, j), t in targets.items() if t.kind != INDICATOR])
        label = {ln.position: ln.label for ln in mapping.lines}
    for j, name in pairs:
        if name in first and first[name] != j:
            shown = getattr(name, "text", name)
            message = f"Cột trùng: '{label.get(first[name], '')}' và '{label.get(j, '')}' cùng là {shown}."
            problems.append(ctx.where(row=_header_row(layout), column=label.get(j, "")).problem(message))
        first.setdefault(name, j)
    return problems


def _unread_columns(layout: Layout, mapping: Mapping, ctx: ReadingContext) -> list[Problem]:
    """Columns not read: a code-like header is a problem ('D1.9' is no D1); others are warned."""
    problems, ignored = [], []
    if mapping.layout == LONG:
        unread = [h for h in header_texts(layout) if h and labels.role_of(h) is None and not ctx.ref.measure_code(h)]
    else:
        unread = [ln.label for ln in mapping.lines if ln.target == UNREAD_TARGET and ln.label]
    for label in unread:
        if _LOOKS_LIKE_CODE.match(plain(label)):
            message = f"Cột '{label}' có dạng mã chỉ số nhưng không có trong danh mục (D1…D8, TOTAL, D5.3…)."
            problems.append(ctx.where(row=_header_row(layout), column=label).problem(message))
        else:
            ignored.append(label)
    if ignored:
        ctx.warnings.append("Bỏ qua các cột không nhận ra: " + ", ".join(f"'{h}'" for h in ignored) + ".")
    return problems


def _layout_problems(layout: Layout, mapping: Mapping, ctx: ReadingContext) -> list[Problem]:
    read = {ln.target for ln in mapping.lines}
    roles = set(long_roles(layout)) if mapping.layout == LONG else {t.kind for t in read if t.is_role}
    problems = []
    measures = [t for t in read if t.is_score]
    if mapping.layout != LONG and not measures:
        message = (
            "Không tìm thấy cột chỉ số nào (D1…D8, TOTAL hoặc tên chỉ số) "
            "và cũng không phải dạng dài (year, province, measure, value)."
        )
        problems.append(ctx.where().problem(message))
    if mapping.layout == WIDE and any(t.bound is not None and t.of is None for t in read):
        message = (
            "Cột cận dưới, cận trên hoặc sai số cần nêu chỉ số của nó (ví dụ 'D1 ci_low'); cột chỉ ghi "
            "ci_low, ci_high chỉ dùng với dạng dài (year, province, measure, value)."
        )
        problems.append(ctx.where().problem(message))
    if mapping.layout == LONG and "year" not in roles and ctx.year is None:
        problems.append(ctx.where().problem("Dạng dài cần cột 'year' (Năm)."))
    return problems


def structure_problems(layout: Layout, mapping: Mapping, ctx: ReadingContext) -> list[Problem]:
    """Everything wrong with the layout itself (see the module docstring)."""
    allowed = set(choices(ctx.ref, mapping.layout))
    wrong = [ln for ln in mapping.lines if ln.target not in allowed]
    if wrong:
        return [
            ctx.where(column=ln.where).problem(f"Không đọc được '{ln.label}' như đã chọn.", ln.target.text)
            for ln in wrong
        ]
    if mapping.layout == OFFICIAL_COLUMNS:
        if not any(ln.target.is_read for ln in mapping.lines):
            message = "Không tìm thấy dòng chỉ số nào (điểm tổng hợp, chỉ số nội dung, chỉ số thành phần, chỉ tiêu)."
            return [ctx.where().problem(message)]
        return []
    problems = _duplicates(layout, mapping, ctx)
    problems += _unread_columns(layout, mapping, ctx)
    return problems + _layout_problems(layout, mapping, ctx)


def unit_cell(layout: Layout, unit: int) -> str:
    """The text naming a unit (its row's unit cell, or its column's cell in the units' row)."""
    numbered = layout.grid.numbered
    if layout.rows:
        return cell_text(at(numbered[unit][1], layout.unit_line))
    return cell_text(at(numbered[layout.unit_line][1], unit))
