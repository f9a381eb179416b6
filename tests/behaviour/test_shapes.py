"""Issue 19: the files that are really published, read from their content — proven by one truth written in many
shapes (tests/support/published_shapes.py).

The property: a year's truth (as stored: the verified scores, with each year's sub-dimension names for 2011–2016;
with SYNTHETIC bounds, weighted aggregate, parts and indicators from 2018) written in any shape the generator
composes — units in rows or columns, 0–6 title rows, a header on 1–3 label rows, Vietnamese, English or both in
either order, every dimension label style, ID, scale, unit and notes columns, separators, summary rows, formulas
with saved values, metadata rows, name variants, other years' sheets, the era-1 detail sheets, zeros for the
unpublished — reads to exactly the stored cells, and "no changes" against the store. By default a bounded run with
a fixed seed; `--fuzz N` (PAPI_FUZZ=N) draws N times as many random examples. The named tests of each real-file
fact are in test_published_facts.py.
"""

from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import HealthCheck, event, given, seed, settings
from hypothesis import strategies as st
from published_shapes import EN_DIMENSION, VI_DIMENSION, Shape, TruthStore, read_as_the_truth

FACTOR = int(os.environ.get("PAPI_FUZZ", "0") or 0)
EXAMPLES = 24  # the bounded run: about half a minute on this machine


def examples(bounded: int):
    """The bounded run: a fixed seed (the same shapes every time, spread over the space; a derandomized run draws
    mostly the simplest shapes); with PAPI_FUZZ=N, N times as many random examples."""
    chosen = settings(
        max_examples=bounded * FACTOR if FACTOR else bounded,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    )
    return (lambda test: chosen(test)) if FACTOR else (lambda test: seed(20_19)(chosen(test)))


@pytest.fixture(scope="module")
def truth_store(built_db, tmp_path_factory) -> TruthStore:
    path = tmp_path_factory.mktemp("shapes") / "papi.duckdb"
    shutil.copy(built_db, path)
    return TruthStore(path)


# --- the property ----------------------------------------------------------------------------------
@st.composite
def shapes(draw, year: int) -> Shape:
    units_in = draw(st.sampled_from(["rows", "columns"]))
    languages = draw(st.sampled_from([("vi",), ("en",), ("vi", "en"), ("en", "vi")]))
    formulas = draw(st.booleans())
    details = year <= 2016 and units_in == "rows" and draw(st.booleans())
    extra = draw(st.sampled_from([(), (), (), (year - 1,) if year > 2011 else (year + 1,)]))
    csv = not (formulas or details or extra) and draw(st.integers(0, 4)) == 0
    styles = ["plain", "era1", "compilation"] if year < 2018 else ["plain", "era2"]
    return Shape(
        units_in=units_in,
        title_rows=draw(st.integers(0, 6)),
        languages=languages,
        code_labels=draw(st.booleans()),
        vi_style=draw(st.sampled_from(VI_DIMENSION)),
        en_style=draw(st.sampled_from(EN_DIMENSION)),
        numbered_parts=draw(st.booleans()),
        order=draw(st.sampled_from(["nested", "era1"])),
        id_column=draw(st.sampled_from([None, "stt", "tinhid"])),
        scale=draw(st.booleans()),
        unit_labels=draw(st.booleans()),
        notes=draw(st.booleans()),
        separators=draw(st.sampled_from([0, 0, 2, 7])),
        summary=draw(st.booleans()),
        formulas=formulas,
        metadata=units_in == "columns" and draw(st.booleans()),
        names=draw(st.sampled_from(["official", "spaces", "prefixes", "ascii", "english"])),
        second_names=draw(st.booleans()),
        weighted_rows=year >= 2018 and draw(st.booleans()),
        wrong_year_header="en" in languages and draw(st.booleans()),
        sheet_style=draw(st.sampled_from(styles)),
        extra_years=extra,
        details=details,
        parts_in_details_only=details and draw(st.booleans()),
        shared_strings=draw(st.booleans()),
        csv=csv,
    )


@pytest.mark.slow
@examples(EXAMPLES)
@given(data=st.data())
def test_every_shape_of_a_year_reads_as_the_stored_truth(truth_store, data):
    year = data.draw(st.sampled_from(range(2011, 2025)), label="year")
    shape = data.draw(shapes(year), label="shape")
    parsed = read_as_the_truth(truth_store, year, shape)
    said = " ".join(str(s) for s in parsed.skipped)
    if shape.summary and shape.units_in == "rows":
        assert "dòng tổng hợp" in said
    if shape.formulas and not shape.csv:
        assert parsed.formulas > 0 and any("công thức Excel" in w for w in parsed.warnings)
    event(f"units in {shape.units_in}; {'+'.join(shape.languages)}; {'csv' if shape.csv else 'xlsx'}")
