"""Tải dữ liệu lên: a scores file or a plan's tasks file, validated, previewed, then committed; and the
templates to fill in. Each tab is drawn by a function that returns, so one tab's bad file never hides
another tab."""

import streamlit as st

from papi_analysis.access.permissions import Account
from papi_analysis.domain import ALL_PROVINCES_FROM, NEW_UNITS, OLD_UNITS, UNIT_SET_LABELS
from papi_analysis.plan.plan_tasks import to_file_frame
from papi_analysis.present.tables import template_long, template_wide
from ui import auth, loaders, render
from ui.upload import scores_tab, tasks_tab


def templates() -> None:
    st.markdown("Tệp mẫu có sẵn danh sách tỉnh, thành phố; điền điểm rồi tải lên ở thẻ **Điểm số**.")
    c1, c2 = st.columns(2)
    unit_set = c1.radio("Danh mục", [NEW_UNITS, OLD_UNITS], format_func=UNIT_SET_LABELS.get, key="tpl_units")
    next_year = int(loaders.years().year.max()) + 1
    year = int(c2.number_input("Năm số liệu", min_value=ALL_PROVINCES_FROM, value=next_year, step=1, key="tpl_year"))
    ref = loaders.reference()
    for title, frame, key in (
        ("Mẫu dạng rộng (mỗi tỉnh một dòng)", template_wide(ref, unit_set, year), "tpl_wide"),
        ("Mẫu dạng dài (mỗi giá trị một dòng)", template_long(ref, unit_set, year), "tpl_long"),
    ):
        st.markdown(f"**{title}** — {len(frame)} dòng")
        render.downloads(frame, ["mau", key.split("_")[1], year, unit_set], key=key, sheet="Mẫu")
    st.markdown("**Mẫu danh sách nhiệm vụ** — các nhiệm vụ đang lưu, đúng các cột của tệp nhiệm vụ")
    render.downloads(to_file_frame(loaders.tasks()), ["mau", "nhiem-vu"], key="tpl_tasks", sheet="Nhiệm vụ")


def upload_page(user: Account) -> None:
    state = st.session_state
    state.setdefault("up_nonce", 0)  # a new uploader after each commit: the next file starts afresh
    render.page_header("Tải dữ liệu lên")
    if message := state.pop("up_done", None):
        render.done(message)
    scores_section, tasks_section, templates_section = st.tabs(["Điểm số", "Nhiệm vụ kế hoạch", "Tệp mẫu"])
    with scores_section:
        done = scores_tab.render_tab(user, state["up_nonce"])
    with tasks_section:
        done = tasks_tab.render_tab(user, state["up_nonce"]) or done
    with templates_section:
        templates()
    if done:
        state["up_nonce"] += 1
        state["up_done"] = done
        st.rerun()


if user := auth.require_analyst():
    upload_page(user)
