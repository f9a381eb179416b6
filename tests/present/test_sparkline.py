"""The overview's sparkline carries its years (issue 21, item 5): the first and the last under its ends, the year
in view under its point, every point's year and value on hover and for screen readers."""

from __future__ import annotations

import re

from papi_analysis.present.sparkline import sparkline_html

POINTS = [(2018, 43.37), (2019, 42.98), (2020, 39.47), (2021, 40.04), (2022, 42.86), (2023, 45.61), (2024, 45.19)]


def test_the_line_names_its_first_last_and_current_years_and_every_value():
    html = sparkline_html(POINTS, 2022, "Điểm tổng hợp")
    years = re.findall(r'class="papi-spark-year"[^>]*>(\d{4})<', html)
    assert years == ["2018", "2024", "2022"]
    assert all(f"<title>{y}: {v}</title>".replace(".", ",") in html for y, v in POINTS)
    assert 'aria-label="Điểm tổng hợp 2018–2024: 2018: 43,37;' in html
    assert html.count('stroke="#D55E00"') == 1  # the year in view, marked


def test_a_current_year_at_an_end_is_not_written_twice():
    html = sparkline_html(POINTS[:3], 2020, "Điểm tổng hợp")
    assert re.findall(r'class="papi-spark-year"[^>]*>(\d{4})<', html) == ["2018", "2020"]
