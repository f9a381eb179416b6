"""The shared view every leadership page shows: year, focus province and comparison group, chosen in
the sidebar and kept in the URL (?year=2022&province=soc-trang&group=…&ds=…) so a link reopens it.
In a year of the 34 new units, `home` keeps the old province the user came from
(?year=2025&province=can-tho&home=soc-trang), so going back to a 63-province year returns to it.

The URL is read by hand rather than with widgets bound to query parameters: bound widgets would put
display names in the URL, and a province must be found by any spelling."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from papi_analysis.domain import OLD_UNITS
from papi_analysis.names import slugify
from papi_analysis.reference import Reference, UnknownName, other_unit_set
from papi_analysis.results.comparison_group import Comparison, comparison_group
from papi_analysis.results.lineage import counterpart, focus_in_set, units_in_set
from papi_analysis.results.summary import ProvinceSummary
from ui import loaders, phone

CUSTOM = "tu-chon"  # the URL's group value for a hand-picked list
VIEW_KEYS = ("year", "province", "home", "group", "ds")


@dataclass(frozen=True)
class View:
    year: int
    unit_id: str
    unit_set: str
    comparison: Comparison

    @property
    def cache_key(self) -> str:
        """Every field, as text (ui.loaders.cache_key): the key of what is computed once per view."""
        return repr(self)

    def summary(self) -> ProvinceSummary:
        return loaders.summary(self.year, self.unit_id, self.unit_set, self.comparison)

    def table(self):
        """rank_table with this view's comparison group."""
        return loaders.table(self.comparison)

    def plan(self) -> dict | None:
        """The plan that follows this view's results, if the province has one (report.plan_for)."""
        return loaders.plan_for(self.year, self.unit_id, self.unit_set, self.comparison)


def current() -> View:
    return st.session_state["_view"]


def notice(message: str) -> None:
    """A message for the top of the page (shown as text, never as Markdown)."""
    st.session_state.setdefault("_notices", []).append(message)


def take_notices() -> list[str]:
    return st.session_state.pop("_notices", [])


def choose(unit_id: str) -> None:
    """Make a unit the focus (a click on the map): the province box shows it on the next run."""
    st.session_state["province"] = unit_id


# --- the URL --------------------------------------------------------------------------------------
def _apply_url(ref: Reference, year_sets: dict[int, str]) -> None:
    """First run of a session: the URL decides the view."""
    state, params = st.session_state, st.query_params
    state["year"] = _url_year(params.get("year"), year_sets)
    unit_set = year_sets[state["year"]]
    if "province" in params:
        try:
            state["province"] = ref.find_unit(params["province"], unit_set)
        except UnknownName as error:
            notice(str(error))
    if home := params.get("home"):
        _apply_url_home(ref, home, state.get("province"))
    if group := params.get("group"):
        _apply_url_group(ref, group, params.get("ds") or "", unit_set, state["year"])


def _url_year(text: str | None, year_sets: dict[int, str]) -> int:
    latest = max(year_sets)
    if text is None:
        return latest
    if not text.strip().isascii() or not text.strip().isdigit():
        notice(f"Năm '{text}' không hợp lệ; đang hiển thị năm {latest}.")
        return latest
    if int(text) not in year_sets:
        notice(f"Chưa có số liệu PAPI năm {int(text)}; đang hiển thị năm {latest}.")
        return latest
    return int(text)


def _apply_url_home(ref: Reference, home: str, unit_id: str | None) -> None:
    """The old province the user came from: kept only if it is part of the focus unit."""
    found = ref.unit_id(home, OLD_UNITS)
    if found and unit_id and ref.successor(found) == unit_id:
        st.session_state["_origin"] = found
    elif found != unit_id:
        notice(f"Bỏ qua tỉnh cũ '{home}': không thuộc {ref.unit_name(unit_id) if unit_id else 'tỉnh đang xem'}.")


def _apply_url_group(ref: Reference, group: str, listed: str, unit_set: str, year: int) -> None:
    state = st.session_state
    if slugify(group) == CUSTOM:
        state["group"], state["_group_auto"] = CUSTOM, False
        state["peers"] = []
        for name in filter(str.strip, listed.split(",")):
            if found := ref.unit_id(name, unit_set) or ref.unit_id(name, other_unit_set(unit_set)):
                state["peers"] += units_in_set(ref, [found], unit_set)  # a link from a year of the other set
            else:
                notice(f"Bỏ qua '{name}' trong nhóm so sánh: không có trong danh mục năm {year}.")
    elif region_id := ref.region_id(group):
        state["group"], state["_group_auto"] = region_id, False
    else:
        notice(f"Không có vùng '{group}'; so sánh với vùng của tỉnh.")


def _write_url(ref: Reference, view: View) -> None:
    slug = lambda unit_id: str(ref.unit(unit_id)["slug"])
    wanted = {"year": str(view.year), "province": slug(view.unit_id)}
    if (origin := st.session_state.get("_origin")) and origin != counterpart(ref, view.unit_id, OLD_UNITS):
        wanted["home"] = slug(origin)  # the namesake (old Cần Thơ) is where the new unit goes back anyway
    if not st.session_state.get("_group_auto", True):
        wanted["group"] = view.comparison.region_id or CUSTOM
        if not view.comparison.is_region:
            wanted["ds"] = ",".join(slug(u) for u in view.comparison.unit_ids if u != view.unit_id)
    # Only the view's own keys: a page keeps its filters in the URL beside them (ui/task_filters.py).
    if {k: st.query_params.get(k) for k in VIEW_KEYS if k in st.query_params} != wanted:
        for key in VIEW_KEYS:
            if key in wanted:
                st.query_params[key] = wanted[key]
            elif key in st.query_params:
                del st.query_params[key]


# --- the sidebar ----------------------------------------------------------------------------------
# One choice made: on a phone the sidebar closes. The placeholder shows only while nothing is chosen.
CHOSEN = {"on_change": phone.close_sidebar_after_choice, "placeholder": "Chọn"}


def _group_changed(close_sidebar: bool = True) -> None:
    st.session_state["_group_auto"] = False
    if close_sidebar:  # not after each province of a hand-picked list
        phone.close_sidebar_after_choice()


def _keep_focus(ref: Reference, unit_set: str, year: int) -> None:
    """Before the province box is drawn: follow the lineage when the year changes unit set."""
    state = st.session_state
    focus = focus_in_set(ref, state.get("province"), unit_set, year, origin=state.get("_origin"))
    if focus.notice:
        notice(focus.notice)
    state["province"], state["_origin"] = focus.unit_id, focus.origin


def _comparison_box(ref: Reference, unit_id: str, unit_set: str, options: list[str]) -> Comparison:
    state = st.session_state
    own_region = str(ref.unit(unit_id)["region_id"])
    group_options = [*ref.regions.region_id, CUSTOM]
    if state.get("_group_auto", True) or state.get("group") not in group_options:
        state["group"] = own_region
    labels = loaders.region_labels() | {CUSTOM: "Danh sách tự chọn"}
    group = st.selectbox(
        "So sánh với", group_options, key="group", format_func=labels.get, on_change=_group_changed, placeholder="Chọn"
    )
    if group != CUSTOM:
        return comparison_group(ref, unit_id, unit_set, region_id=group)
    peer_options = [u for u in options if u != unit_id]
    if "peers" not in state:
        state["peers"] = [u for u in ref.members(own_region, unit_set) if u != unit_id]
    state["peers"] = [u for u in units_in_set(ref, state["peers"], unit_set) if u in peer_options]
    peers = st.multiselect(
        "Các tỉnh so sánh",
        peer_options,
        key="peers",
        format_func=ref.unit_name,
        on_change=_group_changed,
        args=(False,),
        placeholder="Chọn tỉnh, thành phố",
    )
    if not peers:
        st.caption("Chưa chọn tỉnh nào: đang so sánh với vùng của tỉnh.")
    return comparison_group(ref, unit_id, unit_set, unit_ids=list(peers) or None)


def sidebar() -> View:
    """The shared sidebar: year, focus province, comparison group; kept in the URL."""
    ref = loaders.reference()
    year_sets = loaders.year_unit_sets()
    state = st.session_state
    if not state.get("_url_applied"):
        _apply_url(ref, year_sets)
        state["_url_applied"] = True
    if state.get("year") not in year_sets:
        state["year"] = max(year_sets)
    with st.sidebar:
        st.header("Phạm vi xem")
        published = "Kết quả PAPI năm N được công bố khoảng tháng 4 năm N+1."
        year = st.selectbox("Năm", sorted(year_sets, reverse=True), key="year", help=published, **CHOSEN)
        unit_set = year_sets[year]
        options = ref.units_sorted(unit_set)
        _keep_focus(ref, unit_set, year)
        unit_id = st.selectbox("Tỉnh, thành phố", options, key="province", format_func=ref.unit_name, **CHOSEN)
        comparison = _comparison_box(ref, unit_id, unit_set, options)
        if note := ref.merged_units_note(unit_id):
            st.caption(note)
        phone.mark()
    view = View(year=year, unit_id=unit_id, unit_set=unit_set, comparison=comparison)
    _write_url(ref, view)
    state["_view"] = view
    return view
