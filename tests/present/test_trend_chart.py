"""present.trend_chart: every trend line breaks at 2018 (PAPI's method change) and at the first year of the 34 units;
the aggregate across 2018 is drawn in two panels, one axis per scale (6–60, 8–80); a band and a label mark each
break; the focus, a new unit's predecessors and the other series are told apart.

The series are the verified scores of Sóc Trăng, Cần Thơ and Hậu Giang; a 2025 value is SYNTHETIC and says so."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from papi_analysis.domain import TOTAL
from papi_analysis.present.trend_chart import (
    BREAK_COLOUR,
    METHOD_BREAK_NOTE,
    REORGANISATION_NOTE,
    SCALE_BREAK_NOTE,
    break_lines,
    eras,
    trend,
)

FOCUS_STYLE = ("#D55E00", None, "circle")
PREDECESSOR_STYLE = ("#009E73", "dash", "square-open")
NAMES = {"old:soc-trang": "Sóc Trăng", "old:can-tho": "Cần Thơ (cũ)", "old:hau-giang": "Hậu Giang"}
ALL = tuple(NAMES.values())


@pytest.fixture(scope="module")
def series(scores):
    """TOTAL and D1 of the three provinces 2011–2024: series, year, value, measure (by year)."""
    rows = scores.sort_values("year")[scores.unit_id.isin(NAMES) & scores.measure.isin([TOTAL, "D1"])]
    return rows.assign(series=rows.unit_id.map(NAMES))[["series", "year", "value", "measure"]]


def of(series: pd.DataFrame, measure: str, names=ALL, years=range(2011, 2025)) -> pd.DataFrame:
    """One measure's series, in the order of `names`, each by year."""
    parts = [series[(series.measure == measure) & (series.series == name) & series.year.isin(years)] for name in names]
    return pd.concat(parts)[["series", "year", "value"]].reset_index(drop=True)


def drawn(trace) -> list[tuple[float, float]]:
    return [(x, y) for x, y in zip(trace.x, trace.y, strict=True) if not math.isnan(y)]


def traces_of(fig, name: str) -> list:
    return [t for t in fig.data if t.name == name]


# --- panels and gaps ------------------------------------------------------------------------------------
def test_the_aggregate_across_2018_gets_one_panel_per_scale_a_dimension_one():
    assert eras(TOTAL, list(range(2011, 2025))) == [(2011, 2017), (2018, 2024)]
    assert eras("D1", list(range(2011, 2025))) == [(2011, 2024)]
    assert eras(TOTAL, [2018, 2024]) == [(2018, 2024)] and eras(TOTAL, [2011, 2017]) == [(2011, 2017)]
    assert eras(TOTAL, []) == [(0, 0)]


def test_every_line_spanning_2018_gets_one_gap_there(series):
    frame = of(series, "D1")
    broken = break_lines(frame)
    assert len(broken) == len(frame) + 3
    gaps = broken[broken.value.isna()]
    assert gaps.year.tolist() == [2017.5] * 3 and gaps.series.tolist() == list(NAMES.values())
    soc_trang = broken[broken.series == "Sóc Trăng"].year.tolist()
    assert soc_trang == [*range(2011, 2018), 2017.5, *range(2018, 2025)]  # the gap sits between 2017 and 2018


def test_the_callers_order_of_series_is_kept(series):
    frame = of(series, TOTAL, names=("Sóc Trăng", "Cần Thơ (cũ)"))
    assert break_lines(frame).series.drop_duplicates().tolist() == ["Sóc Trăng", "Cần Thơ (cũ)"]


def test_a_line_that_does_not_span_a_break_is_left_whole(series):
    frame = of(series, TOTAL, years=range(2018, 2025))
    assert break_lines(frame) is frame
    assert break_lines(frame, change_year=2025) is frame  # nothing reaches 2025


def test_a_line_spanning_the_reorganisation_breaks_before_its_first_year(series):
    median = of(series, TOTAL, names=("Sóc Trăng",), years=range(2022, 2025)).assign(series="Trung vị")
    median = pd.concat([median, pd.DataFrame([{"series": "Trung vị", "year": 2025, "value": 50.0}])])  # SYNTHETIC
    broken = break_lines(median, change_year=2025)
    assert broken.year.tolist() == [2022, 2023, 2024, 2024.5, 2025] and math.isnan(broken.value.iloc[3])


# --- the figure -----------------------------------------------------------------------------------------
def test_the_aggregate_since_2011_is_two_panels_each_titled_with_its_scale(series):
    fig = trend(of(series, TOTAL), TOTAL, ("Sóc Trăng", FOCUS_STYLE), {"Hậu Giang": PREDECESSOR_STYLE}, None)
    assert fig.layout.yaxis.title.text == "điểm (thang 6–60)" and fig.layout.yaxis2.title.text == "điểm (thang 8–80)"
    first, second = traces_of(fig, "Sóc Trăng")
    assert (first.xaxis, first.showlegend, second.xaxis, second.showlegend) == ("x", True, "x2", False)
    assert drawn(first)[0] == (2011, pytest.approx(35.129238)) and max(x for x, _ in drawn(first)) == 2017
    assert drawn(second)[-1] == (2024, pytest.approx(45.18642044)) and min(x for x, _ in drawn(second)) == 2018
    assert (2022, pytest.approx(42.85590744)) in drawn(second)
    assert list(fig.layout.xaxis.tickvals) == [2011, 2013, 2015, 2017]  # 7 years in a half: every other one
    assert list(fig.layout.xaxis2.tickvals) == [2018, 2020, 2022, 2024]


def test_the_focus_predecessors_and_others_are_drawn_apart(series):
    fig = trend(of(series, TOTAL), TOTAL, ("Sóc Trăng", FOCUS_STYLE), {"Hậu Giang": PREDECESSOR_STYLE}, None)
    focus, predecessor, other = (traces_of(fig, n)[0] for n in ("Sóc Trăng", "Hậu Giang", "Cần Thơ (cũ)"))
    assert (focus.line.width, focus.line.color, focus.opacity, focus.marker.size) == (4, "#D55E00", 1, 6)
    assert (predecessor.line.width, predecessor.line.color, predecessor.line.dash) == (2.5, "#009E73", "dash")
    assert (predecessor.marker.symbol, predecessor.marker.size, predecessor.opacity) == ("square-open", 8, 1)
    assert (other.line.width, other.opacity) == (1.5, 0.75)  # thinner and lighter than the focus
    assert other.line.color not in (focus.line.color, predecessor.line.color)  # a colour of its own (issue 21)
    assert focus.hovertemplate == "Sóc Trăng<br>Năm %{x}: %{y:.4f}<extra></extra>"
    assert focus.connectgaps is False and focus.mode == "lines+markers"


def test_the_scale_change_is_marked_in_the_panel_from_2018(series):
    fig = trend(of(series, TOTAL), TOTAL, ("Sóc Trăng", FOCUS_STYLE), {}, None)
    [label] = fig.layout.annotations
    assert (label.text, label.hovertext, label.xref, label.x) == (
        "2018: đổi thang điểm",
        SCALE_BREAK_NOTE,
        "x2",
        2017.5,
    )
    [band] = fig.layout.shapes
    assert (band.x0, band.x1, band.xref, band.fillcolor) == (2017.5, 2017.55, "x2", BREAK_COLOUR)
    assert SCALE_BREAK_NOTE == "Từ 2018: 8 chỉ số, thang 8–80 (trước: 6 chỉ số, 6–60)"


def test_a_dimension_is_one_panel_broken_and_marked_at_the_method_change(series):
    fig = trend(of(series, "D1"), "D1", ("Sóc Trăng", FOCUS_STYLE), {}, None)
    assert fig.layout.yaxis.title.text == "điểm (thang 1–10)" and "xaxis2" not in fig.layout
    assert len(fig.data) == 3 and all(t.showlegend for t in fig.data)
    soc_trang = traces_of(fig, "Sóc Trăng")[0]
    assert [x for x, y in zip(soc_trang.x, soc_trang.y, strict=True) if math.isnan(y)] == [2017.5]
    [label] = fig.layout.annotations
    assert (label.text, label.hovertext, label.xref) == ("2018: đổi phương pháp", METHOD_BREAK_NOTE, "x")
    assert list(fig.layout.xaxis.tickvals) == list(range(2011, 2025, 2))


def test_a_trend_from_2018_has_no_break_to_mark(series):
    fig = trend(of(series, TOTAL, years=range(2018, 2025)), TOTAL, ("Sóc Trăng", FOCUS_STYLE), {}, None)
    assert fig.layout.yaxis.title.text == "điểm (thang 8–80)" and not fig.layout.annotations
    assert list(fig.layout.xaxis.tickvals) == list(range(2018, 2025))  # 7 years: every one


def test_a_series_without_values_in_a_panel_draws_nothing_there(series):
    frame = of(series, TOTAL)
    before_2018 = frame[(frame.series != "Hậu Giang") | (frame.year < 2018)]
    fig = trend(before_2018, TOTAL, ("Sóc Trăng", FOCUS_STYLE), {}, None)
    assert [t.xaxis for t in traces_of(fig, "Hậu Giang")] == ["x"]


def test_the_reorganisation_is_marked_at_the_first_year_of_the_34_units(series):
    frame = of(series, TOTAL, names=("Sóc Trăng",), years=range(2018, 2025))
    can_tho = pd.DataFrame([{"series": "Cần Thơ", "year": 2025, "value": 54.8}])  # SYNTHETIC 2025
    fig = trend(pd.concat([frame, can_tho]), TOTAL, ("Cần Thơ", FOCUS_STYLE), {"Sóc Trăng": PREDECESSOR_STYLE}, 2025)
    [label] = fig.layout.annotations
    assert (label.text, label.hovertext, label.x) == ("2025: 34 tỉnh, thành phố", REORGANISATION_NOTE, 2024.5)
    assert REORGANISATION_NOTE == (
        "Từ 01/07/2025: 34 tỉnh, thành phố (Nghị quyết số 202/2025/QH15); trước đó 63 tỉnh, thành phố. "
        "Đường nét đứt: các tỉnh cũ hợp thành đơn vị mới."
    )
    assert drawn(traces_of(fig, "Cần Thơ")[0]) == [(2025, 54.8)]
    assert [x for x, _ in drawn(traces_of(fig, "Sóc Trăng")[0])] == list(range(2018, 2025))


def test_a_series_that_starts_after_2018_still_has_its_legend_entry(series):
    predecessors = of(series, TOTAL)
    can_tho = pd.DataFrame([{"series": "Cần Thơ", "year": 2025, "value": 54.8}])  # SYNTHETIC 2025
    styles = dict.fromkeys(NAMES.values(), PREDECESSOR_STYLE)
    fig = trend(pd.concat([predecessors, can_tho]), TOTAL, ("Cần Thơ", FOCUS_STYLE), styles, 2025)
    assert {t.name for t in fig.data if t.showlegend} == {"Cần Thơ", *NAMES.values()}
