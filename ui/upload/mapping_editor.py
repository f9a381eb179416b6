"""The scores upload's mapping: every row (or column) of the file with what it is read as, which the analyst can
change before committing (issue 11). The editor's data is the mapping offered (the reader's, or the one
confirmed before for a file of the same shape); the analyst's edits are read back from the editor's state at
the start of the next run and given to the parser as overrides, so the table never changes under the editor."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pandas as pd
import streamlit as st

from papi_analysis import fmt
from papi_analysis.bounds import BOUNDS
from papi_analysis.reading import line_targets
from papi_analysis.reading.line_targets import INDICATOR_TARGET, Target
from papi_analysis.reading.mapping import LAYOUT_LABELS, Mapping, choices, target_label
from ui import loaders, render

WHERE, LABEL, READ_AS, NOTE = "Vị trí", "Nhãn trong tệp", "Đọc là", "Ghi chú"
KIND_NAMES = {
    "aggregate": "tổng hợp",
    "weighted": "tổng hợp có trọng số",
    "dimension": "chỉ số nội dung",
    "subdimension": "thành phần",
    **{bound.key: bound.noun for bound in BOUNDS},
    "indicator": "chỉ tiêu",
    "role": "cột năm/tỉnh",
    "ignore": "bỏ qua",
    "unread": "chưa nhận ra",
}


def editor_key(sha256: str, sheet: str | None, layout: str = "") -> str:
    """One editor per file, sheet and choice of where the units are and what is skipped: another starts from its
    own offered mapping."""
    chosen = f"_{hashlib.sha256(layout.encode()).hexdigest()[:8]}" if layout else ""
    return f"up_map_{sha256[:16]}_{sheet or ''}{chosen}"


def overrides(key: str) -> dict[int, str]:
    """The analyst's edits of the previous run: line number -> target's text."""
    edited = st.session_state.get(key, {}).get("edited_rows", {}) if key in st.session_state else {}
    return {int(row): change[READ_AS] for row, change in edited.items() if READ_AS in change}


def _note(line, resolved: dict[tuple, Target]) -> str:
    """The line's note; a bound says which score it bounds, an indicator its code (as offered)."""
    target = resolved.get((line.sheet, line.position))
    bounds_above = target is not None and target.bound is not None and line.offered.of is None
    said = [f"của {target.of}" if bounds_above else ""]
    said.append(f"mã {line.code}" if line.offered == INDICATOR_TARGET else "")
    return "; ".join(s for s in [*said, line.note] if s)


def _table(mapping: Mapping) -> pd.DataFrame:
    """The mapping as offered, never as edited: the editor's data must not change under the analyst's edits."""
    offered = replace(mapping, lines=tuple(replace(ln, target=ln.offered) for ln in mapping.lines))
    resolved, _ = offered.resolved()
    return pd.DataFrame(
        {
            WHERE: [ln.where for ln in mapping.lines],
            LABEL: [ln.label for ln in mapping.lines],
            READ_AS: [ln.offered.text for ln in mapping.lines],
            NOTE: [_note(ln, resolved) for ln in mapping.lines],
        }
    )


def _summary(mapping: Mapping) -> str:
    counts = mapping.counts()
    parts = [f"{fmt.integer(n)} {KIND_NAMES[kind]}" for kind, n in counts.items() if n]
    return f"Tệp được nhận là {LAYOUT_LABELS[mapping.layout]}; {len(mapping.lines)} dòng/cột: " + ", ".join(parts) + "."


def _unknown(mapping: Mapping) -> None:
    unknown = mapping.unknown()
    if unknown:
        listed = "; ".join(f"{ln.where} '{ln.label[:80]}'" for ln in unknown[:15])
        more = f" và {len(unknown) - 15} dòng khác" if len(unknown) > 15 else ""
        st.warning(
            render.plain(
                f"{len(unknown)} dòng/cột có số liệu nhưng chưa nhận ra nên chưa đọc: {listed}{more}. "
                "Chọn cách đọc ở cột «Đọc là» nếu cần."
            ),
            icon=":material/help:",
        )
    known = set(loaders.store().labels().code)
    new = mapping.new_indicators(known)
    if new:
        st.caption(f"{fmt.integer(len(new))} chỉ tiêu chưa có trong dữ liệu đang lưu (mã lấy theo nhãn trong tệp).")


def render_editor(mapping: Mapping, key: str) -> None:
    """The mapping, editable line by line; the counts and the unread lines said above it."""
    st.markdown("**Cách đọc từng dòng/cột của tệp**")
    st.text(_summary(mapping))
    if mapping.origin == "remembered":
        st.caption("Đề xuất theo cách đọc đã được xác nhận cho tệp cùng dạng ở lần tải lên trước.")
    _unknown(mapping)
    ref = loaders.reference()
    st.data_editor(
        _table(mapping),
        key=key,
        hide_index=True,
        width="stretch",
        height=min(420, 38 + 35 * max(1, len(mapping.lines))),
        disabled=[WHERE, LABEL, NOTE],
        column_config={
            READ_AS: st.column_config.SelectboxColumn(
                READ_AS,
                options=[target.text for target in choices(ref, mapping.layout)],
                format_func=lambda text: target_label(line_targets.parse(text), ref),
                required=True,
                width="large",
            ),
            LABEL: st.column_config.TextColumn(LABEL, width="large"),
        },
    )
    st.caption("Sửa cột «Đọc là» nếu dòng nào đọc sai; bản xem trước bên dưới tính lại theo lựa chọn.")
