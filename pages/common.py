"""The Streamlit side shared by every page: cached loaders, the shared sidebar and its URL, sign-in
state, and small rendering helpers. All computing is done by papi_analysis."""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from papi_analysis import charts, export, fmt
from papi_analysis.charts import GROUP_COLOURS, GROUP_TEXT_COLOURS
from papi_analysis.domain import NEW_UNITS, UNIT_SET_LABELS
from papi_analysis.metrics import rank_table
from papi_analysis.names import slugify, strip_diacritics
from papi_analysis.paths import db_path
from papi_analysis.reference import Reference, UnknownName
from papi_analysis.store import Store
from papi_analysis.summary import Comparison, comparison_group, province_summary
from papi_analysis.tasks import with_dimensions

DEFAULT_PROVINCE = "Sóc Trăng"
CUSTOM = "tu-chon"
CACHE = {"max_entries": 16, "show_spinner": False, "ttl": 3600}
# Frames every page reads are shared, not copied per run (st.cache_data would unpickle a copy each
# time): pages treat them as read-only and derive new frames instead of modifying them.
SHARED = {"max_entries": 8, "show_spinner": False, "ttl": 3600}


# --- data -------------------------------------------------------------------------------------
@st.cache_resource(show_spinner="Đang chuẩn bị cơ sở dữ liệu…")
def _store(path: str) -> Store:
    store = Store(path)
    store.ensure_built()
    return store


def store() -> Store:
    return _store(str(db_path()))


def version() -> str:
    """The DB file's write stamp: part of every cache key, so any write (here, in another
    session or from the command line) is seen on the next run."""
    return store().version()


@st.cache_resource(**SHARED)
def _reference(path: str, stamp: str) -> Reference:
    return _store(path).reference()


@st.cache_resource(**SHARED)
def _scores(path: str, stamp: str) -> pd.DataFrame:
    return _store(path).scores()


@st.cache_resource(**SHARED)
def _years(path: str, stamp: str) -> pd.DataFrame:
    return _store(path).years()


@st.cache_resource(**SHARED)
def _table(path: str, stamp: str, peers: tuple[str, ...] | None) -> pd.DataFrame:
    return rank_table(_scores(path, stamp), _reference(path, stamp).units, peers=peers)


@st.cache_resource(**SHARED)
def _tasks(path: str, stamp: str) -> pd.DataFrame:
    return with_dimensions(_store(path).tasks())


@st.cache_resource(**SHARED)
def _plans(path: str, stamp: str) -> pd.DataFrame:
    return _store(path).plans()


def _key() -> tuple[str, str]:
    return str(db_path()), version()


def reference() -> Reference:
    return _reference(*_key())


def scores() -> pd.DataFrame:
    return _scores(*_key())


def years() -> pd.DataFrame:
    return _years(*_key())


def table(peers: tuple[str, ...] | None) -> pd.DataFrame:
    return _table(*_key(), peers)


def tasks() -> pd.DataFrame:
    return _tasks(*_key())


def plans() -> pd.DataFrame:
    return _plans(*_key())


def after_write() -> None:
    """Drop every cached frame after a write (the version key also moves; this frees memory)."""
    st.cache_data.clear()
    for loader in (_reference, _scores, _years, _table, _tasks, _plans):
        loader.clear()


# --- the shared view: sidebar + URL -----------------------------------------------------------
@dataclass(frozen=True)
class View:
    year: int
    unit_id: str
    unit_set: str
    comparison: Comparison
    own_region: bool

    @property
    def peers(self) -> tuple[str, ...] | None:
        """None: compare each unit with its own region (one cached table serves all)."""
        return None if self.own_region else self.comparison.unit_ids

    def table(self) -> pd.DataFrame:
        return table(self.peers)

    def summary(self) -> dict:
        return _summary(*_key(), self.year, self.unit_id, self.unit_set, self.comparison, self.peers)


@st.cache_data(**CACHE)
def _summary(path, stamp, year, unit_id, unit_set, comparison, peers) -> dict:
    return province_summary(_table(path, stamp, peers), _reference(path, stamp), unit_id, year, comparison, unit_set)


def unit_sort_key(ref: Reference) -> Callable[[str], tuple]:
    """Alphabetical the Vietnamese way enough for a list: by name without diacritics."""
    return lambda unit_id: (strip_diacritics(ref.unit_name(unit_id)).casefold(), ref.unit_name(unit_id))


def _default_unit(ref: Reference, unit_set: str) -> str:
    old = ref.unit_id(DEFAULT_PROVINCE, "old")
    return old if unit_set == "old" else (ref.successor(old) or ref.units_of_set(unit_set).unit_id.iloc[0])


def _notice(message: str) -> None:
    st.session_state.setdefault("_notices", []).append(message)


def _apply_url(ref: Reference, year_sets: dict[int, str]) -> None:
    """First run of a session: the URL decides the view (names with or without diacritics)."""
    state, params = st.session_state, st.query_params
    year = max(year_sets)
    if "year" in params:
        try:
            asked = int(params["year"])
            if asked in year_sets:
                year = asked
            else:
                _notice(f"Chưa có số liệu PAPI năm {asked}; đang hiển thị năm {year}.")
        except ValueError:
            _notice(f"Năm '{params['year']}' không hợp lệ; đang hiển thị năm {year}.")
    state["year"] = year
    unit_set = year_sets[year]
    if "province" in params:
        try:
            unit_id = ref.find_unit(params["province"], unit_set)
            state["province"] = unit_id
        except UnknownName as error:
            _notice(str(error))
    group = params.get("group")
    if group:
        if slugify(group) == CUSTOM:
            state["group"] = CUSTOM
            state["_group_auto"] = False
            peers = []
            for name in (params.get("ds") or "").split(","):
                found = ref.unit_id(name, unit_set) if name.strip() else None
                if found:
                    peers.append(found)
                elif name.strip():
                    _notice(f"Bỏ qua '{name}' trong nhóm so sánh: không có trong danh mục năm {year}.")
            state["peers"] = peers
        elif region_id := ref.region_id(group):
            state["group"] = region_id
            state["_group_auto"] = False
        else:
            _notice(f"Không có vùng '{group}'; so sánh với vùng của tỉnh.")


def _write_url(ref: Reference, view: View) -> None:
    wanted = {"year": str(view.year), "province": ref.units.set_index("unit_id").loc[view.unit_id, "slug"]}
    if not st.session_state.get("_group_auto", True):
        wanted["group"] = CUSTOM if not view.comparison.is_region else view.comparison.region_id
        if not view.comparison.is_region:
            slugs = ref.units.set_index("unit_id").slug
            wanted["ds"] = ",".join(slugs[u] for u in view.comparison.unit_ids if u != view.unit_id)
    current = {k: st.query_params.get(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def _repair_province(ref: Reference, unit_set: str, options: list[str]) -> None:
    """Keep the focus meaningful when the year switches unit set (old province <-> new unit)."""
    state = st.session_state
    chosen = state.get("province")
    if chosen in options:
        return
    replacement = None
    if chosen and chosen.startswith("old:") and unit_set == NEW_UNITS:
        replacement = ref.successor(chosen)
    elif chosen and chosen.startswith(NEW_UNITS + ":"):
        olds = ref.predecessors(chosen)
        replacement = ref.unit_id(ref.unit_name(chosen), "old") if olds else None
    if chosen and replacement:
        _notice(
            f"Năm {state['year']} dùng {UNIT_SET_LABELS[unit_set]}: {ref.unit_name(chosen)} → "
            f"{ref.unit_name(replacement)}."
        )
    state["province"] = replacement if replacement in options else _default_unit(ref, unit_set)


def _group_changed() -> None:
    st.session_state["_group_auto"] = False


def sidebar() -> View:
    """The shared sidebar: year, focus province, comparison group; kept in the URL."""
    ref = reference()
    year_frame = years()
    year_sets = dict(zip(year_frame.year.astype(int), year_frame.unit_set, strict=True))
    state = st.session_state
    if not state.get("_url_applied"):
        _apply_url(ref, year_sets)
        state["_url_applied"] = True
    if state.get("year") not in year_sets:
        state["year"] = max(year_sets)

    with st.sidebar:
        st.header("Phạm vi xem")
        year = st.selectbox(
            "Năm",
            sorted(year_sets, reverse=True),
            key="year",
            help="Kết quả PAPI năm N được công bố khoảng tháng 4 năm N+1.",
        )
        unit_set = year_sets[year]
        options = sorted(ref.units_of_set(unit_set).unit_id, key=unit_sort_key(ref))
        _repair_province(ref, unit_set, options)
        unit_id = st.selectbox("Tỉnh, thành phố", options, key="province", format_func=ref.unit_name)
        own_region = str(ref.units.set_index("unit_id").loc[unit_id, "region_id"])
        group_options = [*ref.regions.region_id, CUSTOM]
        if state.get("_group_auto", True) or state.get("group") not in group_options:
            state["group"] = own_region
        labels = dict(zip(ref.regions.region_id, "Vùng " + ref.regions.name_vi, strict=True))
        labels[CUSTOM] = "Danh sách tự chọn"
        group = st.selectbox(
            "So sánh với", group_options, key="group", format_func=labels.get, on_change=_group_changed
        )
        if group == CUSTOM:
            peer_options = [u for u in options if u != unit_id]
            if "peers" not in state:
                state["peers"] = [u for u in ref.members(own_region, unit_set) if u != unit_id]
            state["peers"] = [u for u in state["peers"] if u in peer_options]
            peers = st.multiselect(
                "Các tỉnh so sánh",
                peer_options,
                key="peers",
                format_func=ref.unit_name,
                on_change=_group_changed,
                placeholder="Chọn tỉnh, thành phố",
            )
            comparison = comparison_group(ref, unit_id, unit_set, unit_ids=list(peers) or None)
            if not peers:
                st.caption("Chưa chọn tỉnh nào: đang so sánh với vùng của tỉnh.")
        else:
            comparison = comparison_group(ref, unit_id, unit_set, region_id=group)
        if note := ref.merged_units_note(unit_id):
            st.caption(note)
    view = View(
        year=year,
        unit_id=unit_id,
        unit_set=unit_set,
        comparison=comparison,
        own_region=comparison.is_region and comparison.region_id == own_region,
    )
    _write_url(ref, view)
    state["_view"] = view
    return view


def current_view() -> View:
    return st.session_state["_view"]


def show_notices() -> None:
    for message in st.session_state.pop("_notices", []):
        st.warning(message, icon=":material/info:")


# --- sign-in ----------------------------------------------------------------------------------
def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets[name]) if name in st.secrets else {}
    except Exception:  # no secrets.toml at all: nobody can sign in, everyone can view
        return {}


def oidc_configured() -> bool:
    return bool(_secrets_section("auth"))


def analyst_accounts() -> dict[str, str]:
    return {k: str(v) for k, v in _secrets_section("analysts").items()}


def analyst() -> str | None:
    """The signed-in analyst's name, or None for a viewer."""
    if oidc_configured():
        if not st.user.get("is_logged_in", False):
            return None
        allowed = _secrets_section("auth").get("analyst_emails")
        email = str(st.user.get("email", ""))
        if allowed and email not in allowed:
            return None
        return email or str(st.user.get("name", "OIDC"))
    return st.session_state.get("_analyst")


def require_analyst() -> str:
    name = analyst()
    if name is None:
        st.error("Trang này dành cho cán bộ phân tích: hãy đăng nhập.", icon=":material/lock:")
        st.stop()
    return name


# --- rendering helpers ------------------------------------------------------------------------
def group_chip(group: str | None) -> str:
    if not group:
        return fmt.MISSING
    return (
        f'<span class="papi-chip" style="background:{GROUP_COLOURS[group]};color:{GROUP_TEXT_COLOURS[group]}">'
        f"{html.escape(group)}</span>"
    )


CSS = """
<style>
.papi-chip{display:inline-block;padding:2px 10px;border-radius:12px;font-size:0.85em;font-weight:600;
  white-space:nowrap}
table.papi-table{width:100%;border-collapse:collapse;font-size:0.95em}
table.papi-table th,table.papi-table td{padding:6px 8px;border-bottom:1px solid rgba(128,128,128,.25);
  text-align:left;vertical-align:top}
table.papi-table td.num,table.papi-table th.num{text-align:right;white-space:nowrap}
div.papi-scroll{overflow-x:auto}
div.papi-scroll table.papi-table{min-width:600px}
@media (max-width:640px){h1{font-size:1.7rem !important}h2{font-size:1.35rem !important}}
</style>
"""


def html_table(frame: pd.DataFrame, numeric: Iterable[str] = (), raw_html: Iterable[str] = ()) -> str:
    """A plain accessible HTML table (escaped), for tables that carry coloured group chips."""
    numeric, raw_html = set(numeric), set(raw_html)
    head = "".join(f'<th class="{"num" if c in numeric else ""}">{html.escape(str(c))}</th>' for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row, strict=True):
            text = str(value) if column in raw_html else html.escape(str(value))
            cells.append(f'<td class="{"num" if column in numeric else ""}">{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="papi-scroll"><table class="papi-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def dataframe(data, key: str, **kwargs) -> None:
    """st.dataframe with the dashboard's defaults: no index, '—' for a value PAPI did not publish."""
    st.dataframe(data, key=key, hide_index=kwargs.pop("hide_index", True), placeholder=fmt.MISSING, **kwargs)


def copy_button(text: str, label: str = "Sao chép đoạn văn") -> None:
    """A visible copy-to-clipboard button (the text is ours, JSON-escaped into the script)."""
    payload = json.dumps(text).replace("</", "<\\/")
    st.iframe(
        f"""<button id="copy" style="font:14px sans-serif;padding:6px 14px;border:1px solid #0072B2;
      border-radius:8px;background:#fff;color:#0072B2;cursor:pointer">{html.escape(label)}</button>
      <span id="done" style="font:14px sans-serif;color:#333;margin-left:8px" role="status"></span>
      <script>
      const text = {payload};
      document.getElementById("copy").addEventListener("click", async () => {{
        try {{ await navigator.clipboard.writeText(text); }}
        catch (e) {{
          const area = document.createElement("textarea"); area.value = text; document.body.appendChild(area);
          area.select(); document.execCommand("copy"); area.remove();
        }}
        document.getElementById("done").textContent = "Đã sao chép";
      }});
      </script>""",
        height=48,
    )


@st.cache_data(**CACHE)
def _figure(builder: str, args: tuple) -> dict:
    return getattr(charts, builder)(*args).to_dict()


def chart(builder: Callable, *args, key: str) -> None:
    """Draw charts.<builder>(*args). Building a plotly figure dominates a page's run time, so each
    distinct figure is built once and kept as its JSON-ready dict."""
    st.plotly_chart(_figure(builder.__name__, args), width="stretch", config=charts.PLOTLY_CONFIG, key=key)


def downloads(frame: pd.DataFrame, name_parts: Iterable[object], key: str, sheet: str = "PAPI") -> None:
    """CSV (UTF-8 BOM) and XLSX buttons for a table; files are built only when clicked."""
    parts = list(name_parts)
    left, right = st.columns(2)
    for column, extension, label in ((left, "csv", "Tải CSV"), (right, "xlsx", "Tải Excel (XLSX)")):
        with column:
            st.download_button(
                label,
                data=lambda e=extension: export.file_bytes(frame, e, sheet),
                file_name=export.file_name(parts, extension),
                mime=export.MIME[extension],
                key=f"{key}_{extension}",
                icon=":material/download:",
                on_click="ignore",
            )


def page_header(title: str) -> None:
    """Page title, the shared styles and any notice about how the URL was read."""
    st.markdown(CSS, unsafe_allow_html=True)
    st.title(title)
    show_notices()
