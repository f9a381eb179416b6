"""Did the plan move the needle? The plan's tasks and how much of them was done, beside the change of each
dimension's score and rank from the year before the plan to its target year — with the caution that this
is an association, not a cause."""

from __future__ import annotations

from datetime import date

import streamlit as st

from papi_analysis import fmt
from papi_analysis.plan.plan_effect import CAUTION
from papi_analysis.present import charts
from ui import loaders, render, shared


def render_section(plan_id: str, today: date) -> None:
    st.subheader("Kế hoạch có tạo chuyển biến?")
    effect = loaders.plan_effect_of(plan_id, today)  # the whole plan: the same for every filter
    st.caption(
        render.plain(
            f"Cả kế hoạch {effect.plan_id} của {effect.province} (không theo bộ lọc): năm trước kế hoạch "
            f"{effect.baseline_year}, năm mục tiêu {effect.target_year}. Số nhiệm vụ riêng của từng chỉ số và số đã "
            f"hoàn thành (tình trạng tính đến ngày {fmt.day(effect.as_of)}); dòng cuối: nhiệm vụ chung với điểm tổng "
            "hợp. Thay đổi hạng dương là tăng bậc. Biểu đồ: thay đổi điểm (hoàn thành/số nhiệm vụ riêng)."
        )
    )
    if effect.message:
        st.info(render.plain(effect.message), icon=":material/info:")
        return
    st.warning(CAUTION, icon=":material/warning:")
    render.dataframe(effect.shown(), key="tasks_effect")
    title = f"Thay đổi điểm {effect.baseline_year} → {effect.target_year} và nhiệm vụ đã hoàn thành"
    image = ["ke-hoach-va-diem", effect.plan_id, effect.target_year]
    inputs = lambda: (effect.rows, title, "thay đổi điểm")
    shared.chart(charts.plan_effect, (effect.plan_id, today), inputs, key="tasks_effect_chart", image=image)
    render.downloads(effect.display(), ["ke-hoach-va-diem", effect.plan_id, effect.target_year], key="tasks_effect_dl")
