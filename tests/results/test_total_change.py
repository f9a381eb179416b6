"""The year's change in the aggregate by dimension (issue 22's waterfall): the parts add up to the published
change, and the 2017→2018 break (or a missing part) is refused, never bridged."""

from __future__ import annotations

import pytest

from papi_analysis.domain import DIMENSIONS, SIX_DIMENSIONS
from papi_analysis.present.target_text import refusal_sentence
from papi_analysis.results.metrics import rank_table
from papi_analysis.results.total_change import Refusal, total_change

SOC_TRANG = "old:soc-trang"


@pytest.fixture(scope="module")
def table(scores, ref):
    return rank_table(scores, ref.units)


def value(scores, unit_id: str, year: int, measure: str) -> float:
    rows = scores[(scores.unit_id == unit_id) & (scores.year == year) & (scores.measure == measure)]
    return float(rows.value.iloc[0])


def test_soc_trang_2022_splits_its_rise_of_2_82_by_dimension(table, scores):
    change = total_change(table, SOC_TRANG, 2022)
    assert (change.previous_year, change.refusal) == (2021, None)
    assert change.change == pytest.approx(2.8198, abs=1e-4)  # the plan's "+2,81" cut short, 2,82 rounded
    assert [code for code, _ in change.parts] == list(DIMENSIONS)
    for code, part in change.parts:
        assert part == pytest.approx(value(scores, SOC_TRANG, 2022, code) - value(scores, SOC_TRANG, 2021, code))
    assert dict(change.parts)["D8"] == pytest.approx(0.83, abs=5e-3) and dict(change.parts)["D6"] < 0
    assert sum(p for _, p in change.parts) + change.rounding == pytest.approx(change.change, abs=1e-12)
    assert abs(change.rounding) < 1e-4  # the published aggregate is the sum of the published dimensions


def test_the_2018_break_is_refused_and_said(table):
    change = total_change(table, SOC_TRANG, 2018)
    assert (change.previous_year, change.refusal, change.parts) == (2017, Refusal.METHOD_CHANGE, ())
    sentence = refusal_sentence(change)
    assert "2017 → 2018" in sentence and "8 chỉ số nội dung" in sentence and "không cộng trừ" in sentence
    quang_ninh = total_change(table, "old:quang-ninh", 2019)  # no aggregate in 2018: 2017 → 2019, refused too
    assert (quang_ninh.previous_year, quang_ninh.refusal) == (2017, Refusal.METHOD_CHANGE)


def test_before_2018_six_dimensions_split_the_change(table):
    change = total_change(table, SOC_TRANG, 2016)
    assert [code for code, _ in change.parts] == list(SIX_DIMENSIONS) and change.refusal is None


def test_every_earlier_year_is_compared_with_the_same_year(table, scores):
    """Bắc Ninh 2023: no aggregate in 2021 or 2022, so 2020 — for every dimension too, though D1 has a 2022 score."""
    change = total_change(table, "old:bac-ninh", 2023)
    assert (change.previous_year, change.refusal) == (2020, None)
    d1 = dict(change.parts)["D1"]
    assert d1 == pytest.approx(value(scores, "old:bac-ninh", 2023, "D1") - value(scores, "old:bac-ninh", 2020, "D1"))


def test_what_cannot_be_split_says_why(table):
    assert total_change(table, SOC_TRANG, 2011).refusal is Refusal.NO_PREVIOUS
    assert total_change(table, "old:bac-ninh", 2022).refusal is Refusal.NO_TOTAL
    partial = table[~((table.unit_id == SOC_TRANG) & (table.year == 2021) & (table.measure == "D4"))]
    change = total_change(partial, SOC_TRANG, 2022)  # a dimension without its earlier score (made up)
    assert (change.refusal, change.missing) == (Refusal.MISSING_DIMENSION, ("D4",))
    assert "thiếu điểm D4" in refusal_sentence(change)
    assert refusal_sentence(total_change(table, SOC_TRANG, 2022)) is None
    assert total_change(table, SOC_TRANG, 2018).rounding == 0.0  # no parts, nothing to round
