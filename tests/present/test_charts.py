"""Honest charts (issue 14): the 2018 break drawn the same way in every trend, the aggregate across it on one
axis per scale, bars from zero, radar labels short enough for a phone, plotly in Vietnamese."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from papi_analysis.domain import TOTAL
from papi_analysis.present import charts, plotly_vi
from papi_analysis.results.comparison_group import comparison_group
from papi_analysis.results.metrics import rank_table
from papi_analysis.results.trends import comparison_history

SOC_TRANG = "old:soc-trang"


@pytest.fixture(scope="module")
def table(ref, scores):
    return rank_table(scores, ref.units)


def trend_of(table, ref, measure: str):
    history = comparison_history(table, ref, SOC_TRANG, comparison_group(ref, SOC_TRANG, "old"), measure)
    return charts.trend(history.frame, measure, history.focus, "x", history.predecessors, history.change_year)


def years_of(trace) -> list[float]:
    return [x for x, y in zip(trace.x, trace.y, strict=True) if y is not None and not math.isnan(y)]


def test_the_aggregate_across_2018_has_one_axis_per_scale(table, ref):
    fig = trend_of(table, ref, TOTAL)
    assert fig.layout.yaxis.title.text == "điểm (thang 6–60)" and fig.layout.yaxis2.title.text == "điểm (thang 8–80)"
    for trace in fig.data:
        years = years_of(trace)
        assert all(y < 2018 for y in years) if trace.xaxis == "x" else all(y >= 2018 for y in years)
    assert [a.text for a in fig.layout.annotations if a.text.startswith("2018")] == ["2018: đổi thang điểm"]
    assert len({t.name for t in fig.data if t.showlegend}) == len({t.name for t in fig.data})  # one legend entry each


@pytest.mark.parametrize("measure", ["D1", "D5"])
def test_a_dimension_trend_breaks_at_2018_like_the_aggregate(table, ref, measure):
    fig = trend_of(table, ref, measure)
    assert fig.layout.yaxis.title.text == "điểm (thang 1–10)" and "yaxis2" not in fig.layout
    for trace in fig.data:
        gap = [y for x, y in zip(trace.x, trace.y, strict=True) if x == 2017.5]
        assert len(gap) == 1 and math.isnan(gap[0])  # no line joins 2017 and 2018
    assert "2018: đổi phương pháp" in [a.text for a in fig.layout.annotations]


def test_ranked_bars_start_at_zero(table, ref):
    rows = table[(table.year == 2022) & (table.measure == TOTAL) & table.unit_id.str.startswith("old:s")]
    fig = charts.ranked_bar(rows.assign(name=rows.unit_id), SOC_TRANG, 42.0, "x", "điểm")
    assert fig.layout.xaxis.range[0] == 0 and fig.layout.xaxis.range[1] > rows.value.max()


def test_radar_labels_are_short_lines_inside_a_narrow_circle():
    frame = pd.DataFrame(
        {
            "code": ["D1", "D4"],
            "short_name": ["Tham gia", "Kiểm soát tham nhũng"],
            "focus": [4.0, 7.0],
            "group_mean": [4.5, 6.5],
            "national_best": [6.0, 8.0],
        }
    )
    fig = charts.radar(frame, "Sóc Trăng", "ĐBSCL", "x")
    assert list(fig.data[0].theta[:2]) == ["D1 Tham gia", "D4 Kiểm soát<br>tham nhũng"]
    assert list(fig.layout.polar.domain.x) == [0.22, 0.78]


def test_every_chart_speaks_vietnamese():
    config = charts.PLOTLY_CONFIG
    assert config["locale"] == "vi" and config["locales"]["vi"]["format"]["decimal"] == ","
    for english in ("Download plot as a PNG", "Zoom", "Pan", "Autoscale", "Reset axes", "median:", "q1:"):
        assert plotly_vi.DICTIONARY[english] and plotly_vi.DICTIONARY[english] != english
