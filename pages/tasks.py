"""Nhiệm vụ: the improvement plan's tasks next to the weak dimensions, with coverage by lead unit."""

import pandas as pd
import streamlit as st

from pages import common
from papi_analysis import fmt
from papi_analysis.domain import DIMENSIONS
from papi_analysis.tasks import NO_DATE, RECURRING, coverage_flag, coverage_matrix, filter_tasks, tasks_per_dimension

view = common.current_view()
ref = common.reference()
summary = view.summary()
name = ref.unit_name(view.unit_id)
common.page_header(f"Nhiệm vụ cải thiện PAPI — {name}")

plans = common.plans()
all_tasks = common.tasks()
if plans.empty:
    st.info("Chưa có kế hoạch nào. Cán bộ phân tích có thể tải danh sách nhiệm vụ lên ở trang Tải dữ liệu lên.")
    st.stop()

plan_ids = plans.plan_id.tolist()
following = plans[plans.target_year == view.year + 1]
default_plan = following.plan_id.iloc[0] if len(following) else plan_ids[0]
plan_titles = {p.plan_id: f"{p.plan_id} — {p.title}" for p in plans.itertuples()}

with st.container(border=True):
    st.markdown("**Lọc nhiệm vụ**")
    c1, c2, c3, c4 = st.columns(4)
    plan_id = c1.selectbox(
        "Kế hoạch", plan_ids, index=plan_ids.index(default_plan), format_func=plan_titles.get, key="tasks_plan"
    )
    plan_tasks = filter_tasks(all_tasks, plan_id=plan_id)
    dimension = c2.selectbox(
        "Chỉ số nội dung",
        [None, *DIMENSIONS],
        key="tasks_dimension",
        format_func=lambda c: "Tất cả" if c is None else f"{c} {ref.measure(c)['short_vi']}",
    )
    units = sorted({u for us in plan_tasks.lead_units for u in us})
    lead = c3.selectbox("Đơn vị chủ trì", [None, *units], key="tasks_unit", format_func=lambda u: u or "Tất cả")
    periods = sorted(set(plan_tasks.due_period), key=lambda p: (p in (RECURRING, NO_DATE), p))
    period = c4.selectbox("Thời hạn", [None, *periods], key="tasks_period", format_func=lambda p: p or "Tất cả")

plan = plans.set_index("plan_id").loc[plan_id]
st.caption(
    f"{plan.title} — {plan.issuing_body}, ngày {fmt.day(plan.issued_on)}; năm mục tiêu {plan.target_year}. "
    f"{len(plan_tasks)} nhiệm vụ."
)
if plan.province != name:
    st.info(
        f"Kế hoạch này của {plan.province}; tỉnh đang xem là {name}. Nhóm hiệu quả bên dưới là của {name}.",
        icon=":material/info:",
    )
if plan.target_year != view.year + 1:
    st.caption(f"Kế hoạch nhắm tới PAPI {plan.target_year}; đang xem kết quả PAPI {view.year}.")

chosen = filter_tasks(plan_tasks, dimension=dimension, lead_unit=lead, period=period)
by_dimension = {d["code"]: d for d in summary.get("dimensions", [])}
weak = summary.get("weak_dimensions", [])
is_general = chosen.dimensions.map(len) == len(DIMENSIONS)


def task_rows(tasks: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Mã": tasks.task_id,
            "Mục": tasks.section_ref,
            "Nhiệm vụ": tasks.title,
            "Chỉ số": tasks.measures.map(", ".join),
            "Đơn vị chủ trì": tasks.lead,
            "Thời hạn": tasks.due_display,
        }
    )


def status_line(code: str, specific: int) -> str:
    d = by_dimension.get(code)
    status = (
        f"{common.group_chip(d['group'])} hạng {fmt.rank(d['national_rank'], d['national_n'])} toàn quốc, "
        f"{fmt.rank(d['regional_rank'], d['regional_n'])} trong nhóm"
        if d
        else "không có điểm năm này"
    )
    return f"{status} · {specific} nhiệm vụ riêng, {len(general_tasks)} nhiệm vụ chung"


def specific_to(code: str) -> pd.DataFrame:
    return chosen[chosen.dimensions.map(lambda ds: code in ds) & ~is_general]


general_tasks = chosen[is_general]
shown = [dimension] if dimension else list(DIMENSIONS)
weak_shown = [c for c in weak if c in shown]
st.subheader(f"Chỉ số yếu của {name} năm {view.year}")
if summary["status"] in ("not_a_unit", "no_data"):
    st.info(summary["message"])
elif not weak_shown:
    st.success("Không có chỉ số nào (trong phạm vi lọc) thuộc nhóm Trung bình thấp hoặc Thấp nhất.")
for code in weak_shown:
    specific = specific_to(code)
    with st.container(border=True):
        st.markdown(
            f"#### {code} · {ref.measure_name(code)}<br><small>{status_line(code, len(specific))}</small>",
            unsafe_allow_html=True,
        )
        if flag := coverage_flag(len(specific), True):
            extra = " (chỉ có nhiệm vụ chung cho toàn bộ Chỉ số PAPI)." if len(general_tasks) else "."
            st.warning(flag + extra, icon=":material/flag:")
        if len(specific):
            common.dataframe(
                task_rows(specific),
                key=f"tasks_{code}",
                column_config={"Nhiệm vụ": st.column_config.TextColumn(width="large")},
            )

if len(general_tasks):
    with st.expander(f"{len(general_tasks)} nhiệm vụ chung cho toàn bộ Chỉ số PAPI (áp dụng cho mọi chỉ số)"):
        common.dataframe(task_rows(general_tasks), key="tasks_general")

others = [c for c in shown if c not in weak]
if others:
    st.subheader("Các chỉ số nội dung khác")
    other_tasks = []
    for code in others:
        specific = specific_to(code)
        st.markdown(
            f"**{code} · {ref.measure_name(code)}** — {status_line(code, len(specific))}", unsafe_allow_html=True
        )
        other_tasks.append(task_rows(specific).assign(**{"Cho chỉ số": code}))
    with st.expander("Nhiệm vụ riêng của các chỉ số này"):
        common.dataframe(
            pd.concat(other_tasks, ignore_index=True),
            key="tasks_others",
            column_order=["Cho chỉ số", "Mã", "Mục", "Nhiệm vụ", "Chỉ số", "Đơn vị chủ trì", "Thời hạn"],
        )

st.subheader("Ma trận bao phủ: chỉ số × đơn vị chủ trì")
st.caption(
    "Số nhiệm vụ (trong phạm vi lọc) mỗi đơn vị chủ trì cho mỗi chỉ số nội dung; một nhiệm vụ có hai đơn vị "
    "chủ trì được đếm ở cả hai. ⚑ đánh dấu chỉ số yếu có ít hơn 3 nhiệm vụ riêng."
)
if chosen.empty:
    st.info("Không có nhiệm vụ nào khớp bộ lọc.")
else:
    matrix = coverage_matrix(chosen)
    specific_counts = tasks_per_dimension(chosen[~is_general])
    flags = {c: coverage_flag(int(specific_counts[c]), c in weak) for c in matrix.index}
    matrix.index = [
        f"{'⚑ ' if flags[c] else ''}{c} {ref.measure(c)['short_vi']}" + (" (yếu)" if c in weak else "")
        for c in matrix.index
    ]
    matrix.insert(0, "Tổng số nhiệm vụ", tasks_per_dimension(chosen).values)
    matrix.insert(1, "Nhiệm vụ riêng", specific_counts.values)
    common.dataframe(matrix, key="tasks_matrix", hide_index=False)

st.subheader("Danh sách nhiệm vụ (theo bộ lọc)")
full = pd.DataFrame(
    {
        "Kế hoạch": chosen.plan_id,
        "Mã": chosen.task_id,
        "Mục": chosen.section_ref,
        "Nhiệm vụ": chosen.title,
        "Nội dung": chosen.text,
        "Chỉ số nội dung": chosen.dimensions.map(";".join),
        "Chỉ số thành phần": chosen.subdimensions.map(";".join),
        "Đơn vị chủ trì": chosen.lead,
        "Đơn vị phối hợp": chosen.coordinating,
        "Sản phẩm": chosen["product"].fillna(""),
        "Thời hạn": chosen.due_text.fillna(""),
        "Hạn (ngày)": [fmt.day(d) if pd.notna(d) else "" for d in chosen.due_date],
    }
)
common.dataframe(full.drop(columns=["Nội dung"]), key="tasks_full")
common.downloads(full, ["nhiem-vu", plan_id, dimension, lead, period], key="tasks_download", sheet="Nhiệm vụ")
