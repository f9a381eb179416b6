"""Tổng quan: the focus province's year at a glance."""

import pandas as pd
import streamlit as st

from pages import common
from papi_analysis import charts, fmt
from papi_analysis.domain import TOTAL, dimensions_for_year
from papi_analysis.summary import summary_paragraph

view = common.current_view()
ref = common.reference()
summary = view.summary()
name = summary["province"]
common.page_header(f"{name} — PAPI {view.year}")
st.caption(
    f"So sánh với: {view.comparison.label} ({len(view.comparison.unit_ids)} tỉnh, thành phố) · "
    f"Thang điểm tổng hợp năm {view.year}: {summary.get('scale', '—')} điểm"
)

if summary["status"] in ("not_a_unit", "no_data"):
    st.info(summary["message"], icon=":material/info:")
    st.stop()


def delta(value, unit: str) -> dict:
    """st.metric arguments: words, arrow and colour all say the direction (not colour alone)."""
    if value is None or pd.isna(value):
        return {}
    rounded = round(value, 2)
    if rounded == 0:
        return {"delta": "không đổi", "delta_arrow": "off", "delta_color": "gray"}
    word = "tăng" if value > 0 else "giảm"
    text = f"{word} {fmt.number(abs(value)) if unit == 'điểm' else int(abs(value))} {unit}"
    return {"delta": text, "delta_arrow": "up" if value > 0 else "down", "delta_color": "green" if value > 0 else "red"}


if summary["status"] == "no_total":
    st.warning(summary["message"], icon=":material/warning:")
else:
    previous = summary["previous_year"]
    since = f"so với {previous}" if previous else None
    history = view.table()
    history = history[(history.unit_id == view.unit_id) & (history.measure == TOTAL)]
    history = history[(history.year >= 2018) == (view.year >= 2018)].sort_values("year")
    total, national, regional, group = st.columns(4)
    with total:
        st.metric(
            "Điểm tổng hợp",
            summary["total_display"],
            border=True,
            delta_description=since,
            chart_data=history.value.round(2).tolist() if len(history) > 1 else None,
            **(delta(summary["total_change"], "điểm") if summary["total_change_comparable"] else {}),
        )
    with national:
        st.metric(
            "Xếp hạng toàn quốc",
            fmt.rank(summary["national_rank"], summary["national_n"]),
            border=True,
            delta_description=since,
            **delta(summary["national_rank_change"], "bậc"),
        )
    with regional:
        st.metric(
            "Xếp hạng trong vùng" if view.comparison.is_region else "Xếp hạng trong nhóm",
            fmt.rank(summary["regional_rank"], summary["regional_n"]),
            border=True,
            delta_description=since,
            help=f"Trong {view.comparison.label}: {', '.join(summary['comparison_members'])}.",
            **delta(summary["regional_rank_change"], "bậc"),
        )
    with group:
        st.markdown(f"**Nhóm (toàn quốc)**<br>{common.group_chip(summary['group'])}", unsafe_allow_html=True)
        st.caption(
            f"Cách điểm cao nhất cả nước {fmt.number(summary['gap_to_national_best'])} điểm; "
            f"cách trung vị cả nước {fmt.signed(-summary['gap_to_national_median'])} điểm."
        )
    if not summary["total_change_comparable"]:
        st.info(summary["scale_note"], icon=":material/compare_arrows:")

st.subheader("Các chỉ số nội dung")
rows = []
for d in summary["dimensions"]:
    change = fmt.signed(d["change"]) + ("" if d["comparable"] else " *")
    rows.append(
        {
            "Chỉ số nội dung": f"{d['code']} · {d['name_vi']}",
            "Điểm": d["score_display"],
            "Toàn quốc": fmt.rank(d["national_rank"], d["national_n"]),
            "Trong nhóm": fmt.rank(d["regional_rank"], d["regional_n"]),
            "Nhóm": common.group_chip(d["group"]),
            "Thay đổi": change,
            "Thay đổi hạng": fmt.rank_change(d["national_rank_change"]),
        }
    )
st.markdown(
    common.html_table(pd.DataFrame(rows), numeric={"Điểm", "Toàn quốc", "Trong nhóm", "Thay đổi"}, raw_html={"Nhóm"}),
    unsafe_allow_html=True,
)
notes = []
if any(not d["comparable"] for d in summary["dimensions"]):
    notes.append("\\* Thay đổi qua mốc 2018 (PAPI đổi phương pháp), chỉ để tham khảo.")
if summary.get("missing_dimensions"):
    notes.append(f"PAPI {view.year} không công bố {', '.join(summary['missing_dimensions'])} của {name}.")
if view.year < 2018:
    notes.append("Trước năm 2018 PAPI có 6 chỉ số nội dung; D7 Quản trị môi trường và D8 Quản trị điện tử có từ 2018.")
for note in notes:
    st.caption(note)
weak = summary["weak_dimensions"]
if weak:
    st.markdown(
        "**Chỉ số yếu** (nhóm Trung bình thấp, Thấp nhất): "
        + ", ".join(f"{c} {ref.measure(c)['short_vi']}" for c in weak)
        + " — xem trang **Nhiệm vụ** để biết nhiệm vụ nào đang nhắm vào các chỉ số này."
    )

st.subheader("Đoạn tóm tắt cho kế hoạch")
st.caption("Văn bản theo mẫu mục I của kế hoạch cải thiện PAPI, để dán vào kế hoạch năm sau.")
paragraph = summary_paragraph(summary)
with st.container(border=True):
    st.markdown(paragraph)
common.copy_button(paragraph)

st.subheader("Hồ sơ chỉ số nội dung")
table = view.table()
year_rows = table[(table.year == view.year) & table.measure.isin(dimensions_for_year(view.year))]
group_rows = year_rows[year_rows.unit_id.isin(view.comparison.unit_ids)]
focus = {d["code"]: d["score"] for d in summary["dimensions"]}
radar = pd.DataFrame(
    {
        "code": list(dimensions_for_year(view.year)),
        "short_name": [ref.measure(c)["short_vi"] for c in dimensions_for_year(view.year)],
    }
)
radar["focus"] = radar.code.map(focus)
radar["group_mean"] = radar.code.map(group_rows.groupby("measure").value.mean())
radar["national_best"] = radar.code.map(year_rows.groupby("measure").value.max())
common.chart(
    charts.radar,
    radar,
    name,
    view.comparison.label,
    f"{name} so với trung bình nhóm và cao nhất cả nước, {view.year}",
    key="radar",
)

export_rows = pd.DataFrame(
    [
        {
            "Năm": view.year,
            "Tỉnh, thành phố": name,
            "Mã": d["code"],
            "Chỉ số nội dung": d["name_vi"],
            "Điểm": d["score"],
            "Hạng toàn quốc": d["national_rank"],
            "Số tỉnh xếp hạng": d["national_n"],
            "Hạng trong nhóm": d["regional_rank"],
            "Số tỉnh trong nhóm": d["regional_n"],
            "Nhóm": d["group"],
            "Năm so sánh": d["previous_year"],
            "Thay đổi điểm": d["change"],
            "Cách điểm cao nhất nhóm": d["gap_to_regional_best"],
            "Cách điểm cao nhất cả nước": d["gap_to_national_best"],
        }
        for d in summary["dimensions"]
    ]
)
common.downloads(export_rows, [view.year, name, "chi-so-noi-dung"], key="overview")
