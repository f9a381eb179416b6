"""The leader's target rank (issue 22): a rank and where it counts (toàn quốc, or within the comparison group), kept
in the URL beside the view's keys (?target=20&target_in=vung) and across pages in the session, so a link reopens
the same targets. Like ui/view.py, the URL is read by hand on the first run and written back after the widgets;
on paper the goal is said in words instead of the widgets."""

from __future__ import annotations

import streamlit as st

from papi_analysis.present.target_text import goal_label, goal_problem, regional_words
from papi_analysis.results.summary import ProvinceSummary
from papi_analysis.results.targets import RankGoal, Scope
from ui import print_view, render

RANK, SCOPE = "target_rank", "target_scope"  # widget keys
KEPT = {RANK: "_target_rank", SCOPE: "_target_scope"}  # copies that outlive a page without the widgets
PARAMS = {"target": RANK, "target_in": SCOPE}
REGIONAL_SLUG = "vung"


def _read_url() -> None:
    """First run that shows the goal in a session: the URL's goal becomes the widgets' state (a bad value is
    said where the goal is chosen, as text, and ignored)."""
    state, params = st.session_state, st.query_params
    if state.get("_target_url_applied"):
        return
    state["_target_url_applied"] = True
    if text := params.get("target"):
        if text.strip().isascii() and text.strip().isdigit() and int(text) >= 1:
            state[KEPT[RANK]] = int(text)
        else:
            message = f"Bỏ qua hạng mục tiêu '{text[:50]}' trong đường dẫn: cần một số từ 1 trở lên."
            st.warning(render.plain(message), icon=":material/info:")  # the page's header is drawn already
    if params.get("target_in") == REGIONAL_SLUG:
        state[KEPT[SCOPE]] = Scope.REGIONAL.value


def _write_url(goal: RankGoal | None) -> None:
    wanted = {
        "target": str(goal.rank) if goal else None,
        "target_in": REGIONAL_SLUG if goal and goal.scope is Scope.REGIONAL else None,
    }
    for param, value in wanted.items():
        if value is None and param in st.query_params:
            del st.query_params[param]
        elif value is not None and st.query_params.get(param) != value:
            st.query_params[param] = value


def _kept() -> RankGoal | None:
    rank = st.session_state.get(KEPT[RANK])
    scope = Scope(st.session_state.get(KEPT[SCOPE], Scope.NATIONAL.value))
    return RankGoal(int(rank), scope) if rank else None


def _keep(key: str) -> None:
    """A widget's new value, kept where a page without the widgets does not drop it."""
    st.session_state[KEPT[key]] = st.session_state[key]


def _widgets(summary: ProvinceSummary) -> RankGoal | None:
    state = st.session_state
    # Seeded on every run from the kept values (changed only by _keep, before the run): each page gives the
    # widgets a new identity, so their own state does not follow the user from page to page.
    size = max(summary.units_in_set, 1)
    if (state.get(KEPT[RANK]) or 0) > size:  # a link of the other unit set (63 provinces, 34 units)
        st.warning(f"Hạng mục tiêu {state[KEPT[RANK]]} lớn hơn số tỉnh, thành phố cả nước ({size}): chưa chọn hạng.")
        state[KEPT[RANK]] = None
    state[RANK] = state.get(KEPT[RANK])
    state[SCOPE] = state.get(KEPT[SCOPE], Scope.NATIONAL.value)
    where = regional_words(summary.comparison)
    # Controls do not print (their space neither): paper says the goal in words (goal()).
    # One row that wraps on a phone (a container, not two columns: three elements fewer to send on every view).
    row = st.container(key=print_view.SCREEN_ONLY + "target_rank", horizontal=True, vertical_alignment="bottom")
    rank = row.number_input(
        "Hạng mục tiêu",
        min_value=1,
        max_value=size,
        step=1,
        value=None,  # no goal until one is chosen (and the box can be emptied again)
        key=RANK,
        on_change=_keep,
        args=(RANK,),
        placeholder="Ví dụ: 20",
        help="Điểm cần thêm ở từng chỉ số để đạt hạng này (hoặc tốt hơn), nếu các tỉnh khác giữ nguyên điểm.",
        width=240,
    )
    scope = row.radio(
        "Xếp hạng",
        [Scope.NATIONAL.value, Scope.REGIONAL.value],
        format_func=lambda s: "Toàn quốc" if s == Scope.NATIONAL.value else where.capitalize(),
        key=SCOPE,
        on_change=_keep,
        args=(SCOPE,),
        horizontal=True,
    )
    return RankGoal(int(rank), Scope(scope)) if rank else None


def goal(summary: ProvinceSummary) -> RankGoal | None:
    """The goal chosen (None: none): the widgets on screen, words on paper; a goal beyond the ranking is said
    and set aside."""
    _read_url()
    chosen = _kept() if print_view.active() else _widgets(summary)
    _write_url(chosen)
    if chosen and (problem := goal_problem(chosen, summary)):
        st.warning(problem, icon=":material/info:")
        return None
    if chosen and print_view.active():
        st.caption(f"Mục tiêu: {goal_label(chosen, regional_words(summary.comparison))}.")
    elif chosen:
        print_view.chosen("Mục tiêu", goal_label(chosen, regional_words(summary.comparison)))
    return chosen
