"""Charts that read without a legend hunt (issue 21, item 5): each of the 13 lines of a Mekong Delta trend its own
colour and marker — the same in both panels of the aggregate — the focus on top and widest; the ranking's scores
never crossed by the national median's line, on screen (plotly) and in the Word report (matplotlib)."""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from papi_analysis.domain import TOTAL
from papi_analysis.present import charts, static_charts
from papi_analysis.results.comparison_group import comparison_group
from papi_analysis.results.metrics import rank_table
from papi_analysis.results.trends import comparison_history, group_history

SOC_TRANG = "old:soc-trang"


@pytest.fixture(scope="module")
def table(ref, scores):
    return rank_table(scores, ref.units)


def test_thirteen_lines_have_thirteen_colours_and_the_focus_is_on_top(table, ref):
    group = comparison_group(ref, SOC_TRANG, "old")
    history = group_history(table, ref, SOC_TRANG, group, TOTAL)
    fig = charts.trend(history.frame, TOTAL, history.focus, "x", history.predecessors, history.change_year)
    colours = {}
    for trace in fig.data:
        colours.setdefault(trace.name, set()).add((trace.line.color, trace.marker.symbol))
    assert len(colours) == 13 and all(len(styles) == 1 for styles in colours.values())  # one style in both panels
    assert len({next(iter(styles))[0] for styles in colours.values()}) == 13  # 13 distinct colours
    assert fig.data[-1].name == "Sóc Trăng" and fig.data[-1].line.width == max(t.line.width for t in fig.data)
    assert sorted(t.legendrank for t in fig.data if t.showlegend) == list(range(1, 14))  # the caller's order


def test_a_dimension_history_gives_its_reference_lines_their_own_colours(table, ref):
    group = comparison_group(ref, SOC_TRANG, "old")
    history = comparison_history(table, ref, SOC_TRANG, group, "D1")
    fig = charts.trend(history.frame, "D1", history.focus, "x", history.predecessors, history.change_year)
    named = {t.name: t.line.color for t in fig.data}
    assert None not in named.values() and len(set(named.values())) == len(named)


def bar_figure(table, ref, median: float):
    members = comparison_group(ref, SOC_TRANG, "old").unit_ids
    rows = table[(table.year == 2022) & (table.measure == TOTAL) & table.unit_id.isin(members)]
    return charts.ranked_bar(rows.assign(name=rows.unit_id.map(ref.unit_name)), SOC_TRANG, median, "x", "điểm"), rows


@pytest.mark.parametrize("median", [42.24, 47.0, 30.0])  # inside the bars' range, beyond them, below them
def test_no_reference_line_crosses_a_score_label(table, ref, median):
    fig, rows = bar_figure(table, ref, median)
    labels = next(t for t in fig.data if t.type == "scatter" and t.mode == "text")
    assert len(labels.text) == len(rows) and "44,91" in labels.text
    line = next(s.x0 for s in fig.layout.shapes if s.x0 == s.x1)
    assert all(x > max(line, rows.value.max()) for x in labels.x) and fig.layout.xaxis.range[1] > max(labels.x)


def test_the_word_report_s_ranking_keeps_the_median_off_its_labels(table, ref):
    fig, _ = bar_figure(table, ref, 42.24)
    figure = static_charts.draw(fig)
    FigureCanvasAgg(figure).draw()
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    line = next(ln for ln in ax.get_lines() if len(set(ln.get_xdata())) == 1)
    x = ax.transData.transform((line.get_xdata()[0], 0))[0]
    scores = [t for t in ax.texts if t.get_text()[:2].isdigit()]
    assert len(scores) == 13
    for text in scores:
        box = text.get_window_extent(renderer)
        assert not box.x0 <= x <= box.x1, text.get_text()
