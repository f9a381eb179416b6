"""Bản đồ: every unit of the year's set on a tile map of Vietnam, coloured by its performance group for the
chosen measure, the archipelagos Hoàng Sa and Trường Sa always drawn; a click on a unit makes it the focus.
A second view draws one small map per dimension of the year."""

import streamlit as st

from papi_analysis import fmt
from papi_analysis.domain import GROUPS, TOTAL, UNIT_SET_NOUNS, dimensions_for_year
from papi_analysis.present import tilemap
from papi_analysis.present.tables import measure_labels
from ui import chart_image, loaders, print_view, render, url_filters, view
from ui.map import clickable_map as maps

VIEWS = {"one": "Một chỉ số", "all": "Tất cả chỉ số nội dung"}
NOTE = (
    "Mỗi ô vuông là một tỉnh, thành phố, đặt gần trung tâm hành chính; các ô bằng nhau, không thể hiện "
    "ranh giới và diện tích. Quần đảo Hoàng Sa (thành phố Đà Nẵng) và quần đảo Trường Sa (tỉnh Khánh Hòa) "
    "vẽ theo vị trí thật trên cùng lưới."
)
SOURCE = "Nguồn: PAPI {year}. Bản đồ ô vuông: mỗi ô một tỉnh, thành phố; không thể hiện ranh giới, diện tích."


def focus_card(frame, current: view.View, label: str) -> None:
    row = frame[frame.unit_id == current.unit_id].iloc[0]
    st.subheader(row["name"])
    if row.performance_group is None:
        st.info(f"PAPI {current.year} không công bố {label} của {row['name']}.", icon=":material/info:")
        return
    score, national = st.columns(2)
    score.metric(label, fmt.number(row.value), border=True)
    national.metric("Xếp hạng toàn quốc", fmt.rank(row.national_rank, row.national_n), border=True)
    render.chip_line("Nhóm (toàn quốc)", row.performance_group)
    st.caption(f"Hạng trong vùng {row.region}: {fmt.rank(row.comparison_rank, row.comparison_n)}.")
    if note := tilemap.region_rank_note(frame, row.region, current.year):
        st.caption(note)


def one_map(current: view.View, measure: str, label: str) -> None:
    layout = loaders.tile_layout(current.unit_set)
    frame = tilemap.map_frame(loaders.table(), loaders.reference(), layout, current.year, measure)
    stem = maps.file_stem(["ban-do", current.year, label])
    title = f"{label}: nhóm hiệu quả của {UNIT_SET_NOUNS[current.unit_set]}, PAPI {current.year}"
    note = SOURCE.format(year=current.year)
    drawn, side = st.columns([2, 1])
    with drawn:
        key = maps.clickable_map(frame, layout.islands, current.year, current.unit_id, title, note, stem)
    with side:
        focus_card(frame, current, label)
        st.caption("Bấm vào một ô trên bản đồ để xem tỉnh, thành phố đó trên mọi trang.")
        st.caption(NOTE)
        maps.chips(tilemap.group_counts(frame))
        missing = frame[frame.performance_group.isna()].name.tolist()
        if missing:
            st.caption(f"{tilemap.NO_DATA} năm {current.year} (ô màu xám): {', '.join(missing)}.")
        chart_image.button(key, ["ban-do", current.year, label], source=None)  # the map says its source
        render.downloads(tilemap.map_table(frame), ["ban-do", current.year, label], key="map_table")


def small_multiples(current: view.View, labels: dict[str, str]) -> None:
    layout = loaders.tile_layout(current.unit_set)
    maps.chips(dict.fromkeys([*GROUPS, tilemap.NO_DATA]))
    codes = list(dimensions_for_year(current.year))
    focus = loaders.reference().unit_name(current.unit_id)
    st.caption(f"{len(codes)} chỉ số nội dung của PAPI {current.year}; ô viền đen: {focus}.")
    for start in range(0, len(codes), 4):
        for column, code in zip(st.columns(4), codes[start : start + 4], strict=False):
            frame = tilemap.map_frame(loaders.table(), loaders.reference(), layout, current.year, code)
            with column:
                stem = maps.file_stem(["ban-do", current.year, code])
                maps.small_map(
                    frame, layout.islands, current.year, current.unit_id, labels[code], stem, f"map_small_{code}"
                )


current = view.current()
render.page_header(f"Bản đồ — PAPI {current.year}", printable=True)
labels = measure_labels(loaders.reference(), current.year)
kept = [
    url_filters.choice("view", "map_view", "one", {v: v for v in VIEWS}),
    url_filters.choice("measure", "map_measure", TOTAL, {m.lower(): m for m in labels}),
]
url_filters.restore(kept)
mode = st.segmented_control("Cách xem", list(VIEWS), format_func=VIEWS.get, key="map_view") or "one"
if mode == "one":
    measure = st.segmented_control("Chỉ số", list(labels), format_func=labels.get, key="map_measure") or TOTAL
    print_view.chosen("Chỉ số", labels[measure])
    one_map(current, measure, labels[measure])
else:
    print_view.chosen("Cách xem", VIEWS[mode])
    small_multiples(current, labels)
url_filters.keep(kept)
