"""store.upload_diff: what an upload would change — cells added, changed and removed against what is stored —
for scores, indicators and labels alike; what counts as replacing; the fingerprint of an exact change.

The stored side is the seed database (the verified scores); the incoming side is those cells, changed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from papi_analysis.store.upload_diff import (
    INDICATORS,
    LABELS,
    SCORES,
    TABLES,
    CellDiff,
    ScoreDiff,
    diff_cells,
)

SOC_TRANG = "old:soc-trang"
KEY = list(SCORES.key)
VALUES = list(SCORES.values)


@pytest.fixture(scope="module")
def stored_2022(scores) -> pd.DataFrame:
    """The stored 2022 cells (all 557 of them: 61 aggregates, partial Bắc Giang and Bắc Ninh), with their upload."""
    return scores[scores.year == 2022].reset_index(drop=True)


def incoming_from(stored: pd.DataFrame) -> pd.DataFrame:
    """The cells as a file would bring them (no upload_id)."""
    return stored[KEY + VALUES].copy()


def cell(frame: pd.DataFrame, unit_id: str, measure: str) -> pd.Series:
    return frame[(frame.unit_id == unit_id) & (frame.measure == measure)].iloc[0]


def test_the_tables_an_upload_writes_and_their_change_columns():
    assert [t.table for t in TABLES] == ["scores", "indicator_values", "published_labels"]
    assert [t.changes for t in TABLES] == ["upload_changes", "upload_indicator_changes", "upload_label_changes"]
    assert SCORES.change_columns() == [
        "year",
        "unit_id",
        "measure",
        "old_value",
        "old_ci_low",
        "old_ci_high",
        "old_std_error",
        "old_upload_id",
        "new_value",
        "new_ci_low",
        "new_ci_high",
        "new_std_error",
    ]
    assert INDICATORS.change_columns() == ["year", "unit_id", "code", "old_value", "old_upload_id", "new_value"]
    assert LABELS.scope == LABELS.key and SCORES.scope == ("year", "measure")


def test_the_stored_year_again_changes_nothing(stored_2022):
    assert len(stored_2022) == 557 and cell(stored_2022, SOC_TRANG, "TOTAL").value == pytest.approx(42.85590744)
    diff = diff_cells(incoming_from(stored_2022), stored_2022, SCORES, replace=True)
    assert (len(diff.added), len(diff.changed), len(diff.removed), diff.unchanged) == (0, 0, 0, 557)
    assert not diff.has_changes and diff.overwrites == 0
    assert diff.as_changes().empty and list(diff.as_changes().columns) == SCORES.change_columns()


def test_a_changed_value_is_changed_with_before_after_and_the_upload_that_wrote_it(stored_2022):
    incoming = incoming_from(stored_2022)
    incoming.loc[(incoming.unit_id == SOC_TRANG) & (incoming.measure == "TOTAL"), "value"] = 42.86
    diff = diff_cells(incoming, stored_2022, SCORES, replace=False)
    [changed] = diff.changed.to_dict("records")
    assert (changed["year"], changed["unit_id"], changed["measure"]) == (2022, SOC_TRANG, "TOTAL")
    assert changed["old_value"] == pytest.approx(42.85590744) and changed["new_value"] == 42.86
    assert changed["old_upload_id"] == cell(stored_2022, SOC_TRANG, "TOTAL").upload_id
    assert diff.unchanged == 556 and diff.overwrites == 1 and diff.has_changes


def test_float_noise_is_the_same_value_and_a_billionth_is_a_change(stored_2022):
    incoming = incoming_from(stored_2022)
    incoming["value"] = incoming.value + 1e-13  # a float written and read back, not a new figure
    assert not diff_cells(incoming, stored_2022, SCORES, replace=True).has_changes
    incoming["value"] = incoming.value + 1e-9  # below what PAPI publishes, but written: reported (issue 20)
    assert len(diff_cells(incoming, stored_2022, SCORES, replace=True).changed) == 557


def test_a_cell_the_store_lacks_is_added(stored_2022):
    # PAPI 2022 published no aggregate for Bắc Ninh (partial): a file that brings one adds it
    assert stored_2022[(stored_2022.unit_id == "old:bac-ninh") & (stored_2022.measure == "TOTAL")].empty
    incoming = pd.concat(
        [incoming_from(stored_2022), pd.DataFrame([{"year": 2022, "unit_id": "old:bac-ninh", "measure": "TOTAL"}])],
        ignore_index=True,
    ).assign(value=lambda f: f.value.fillna(40.0))  # SYNTHETIC value
    diff = diff_cells(incoming, stored_2022, SCORES, replace=False)
    [added] = diff.added.to_dict("records")
    assert (added["unit_id"], added["measure"], added["new_value"]) == ("old:bac-ninh", "TOTAL", 40.0)
    assert diff.overwrites == 0 and diff.unchanged == 557


def test_replacing_removes_only_stored_cells_of_the_files_years_and_measures(stored_2022):
    # the file: 2022's TOTAL column without Sóc Trăng; the store also holds D1…D8 of 2022
    incoming = incoming_from(stored_2022)
    incoming = incoming[(incoming.measure == "TOTAL") & (incoming.unit_id != SOC_TRANG)]
    replaced = diff_cells(incoming, stored_2022, SCORES, replace=True)
    assert replaced.removed[KEY].to_dict("records") == [{"year": 2022, "unit_id": SOC_TRANG, "measure": "TOTAL"}]
    assert replaced.removed.old_value.iloc[0] == pytest.approx(42.85590744)
    assert replaced.unchanged == 60 and replaced.overwrites == 0  # a removal is not an overwrite; it is counted apart
    kept = diff_cells(incoming, stored_2022, SCORES, replace=False)
    assert kept.removed.empty and not kept.has_changes


def test_a_file_without_cells_of_a_table_has_nothing_of_it_in_scope(stored_2022):
    empty = pd.DataFrame(columns=KEY + VALUES)
    diff = diff_cells(empty, stored_2022, SCORES, replace=True)
    assert not diff.has_changes and diff.unchanged == 0 and list(diff.removed.columns) == SCORES.change_columns()


def test_a_bound_added_where_none_was_stored_is_no_overwrite(stored_2022):
    incoming = incoming_from(stored_2022)
    is_soc_trang = (incoming.unit_id == SOC_TRANG) & (incoming.measure == "TOTAL")
    incoming.loc[is_soc_trang, ["ci_low", "ci_high"]] = [41.9, 43.8]  # SYNTHETIC bounds
    added_bounds = diff_cells(incoming, stored_2022, SCORES, replace=False)
    assert len(added_bounds.changed) == 1 and added_bounds.overwrites == 0
    # the same bound then changed, or dropped, is an overwrite
    with_bounds = stored_2022.copy()
    with_bounds.loc[(with_bounds.unit_id == SOC_TRANG) & (with_bounds.measure == "TOTAL"), ["ci_low", "ci_high"]] = [
        41.9,
        43.8,
    ]
    incoming.loc[is_soc_trang, "ci_low"] = 41.8
    assert diff_cells(incoming, with_bounds, SCORES, replace=False).overwrites == 1
    assert diff_cells(incoming_from(stored_2022), with_bounds, SCORES, replace=False).overwrites == 1


def test_labels_compare_text_and_missing_names_alike():
    stored = pd.DataFrame(
        {
            "year": [2016, 2016],
            "kind": ["measure", "measure"],
            "code": ["D3.1", "D3.2"],
            "sort_order": [1, 2],
            "parent": ["D3", "D3"],
            "name_vi": ["Hiểu biết về chính sách", "Hiệu quả của Ban Thanh tra Nhân dân"],
            "name_en": [None, None],
            "unit": [None, None],
            "upload_id": [30, 30],
        }
    )
    incoming = stored.drop(columns="upload_id")
    assert not diff_cells(incoming, stored, LABELS, replace=False).has_changes
    renamed = incoming.assign(name_vi=["Hiểu biết về chính sách", "Ban Thanh tra nhân dân"])
    diff = diff_cells(renamed, stored, LABELS, replace=False)
    assert diff.changed[["code", "old_name_vi", "new_name_vi"]].values.tolist() == [
        ["D3.2", "Hiệu quả của Ban Thanh tra Nhân dân", "Ban Thanh tra nhân dân"]
    ]


def test_as_changes_lists_every_touched_cell_in_key_order(stored_2022):
    # D1 of 2022: Sóc Trăng changed, Cà Mau left out (replace: removed), Bắc Giang's unpublished D1 added
    incoming = incoming_from(stored_2022)
    incoming = incoming[(incoming.measure == "D1") & (incoming.unit_id != "old:ca-mau")].copy()
    incoming.loc[incoming.unit_id == SOC_TRANG, "value"] = 4.5
    bac_giang = pd.DataFrame([{"year": 2022, "unit_id": "old:bac-giang", "measure": "D1", "value": 5.0}])
    incoming = pd.concat([incoming, bac_giang], ignore_index=True)
    diff = diff_cells(incoming.iloc[::-1], stored_2022, SCORES, replace=True)  # rows in any order
    changes = diff.as_changes()
    assert list(changes.columns) == SCORES.change_columns()
    assert changes.unit_id.tolist() == ["old:bac-giang", "old:ca-mau", SOC_TRANG]
    by_unit = changes.set_index("unit_id")
    assert np.isnan(by_unit.loc["old:bac-giang", "old_value"]) and by_unit.loc["old:bac-giang", "new_value"] == 5.0
    assert by_unit.loc["old:ca-mau", "old_value"] > 0 and np.isnan(by_unit.loc["old:ca-mau", "new_value"])
    assert by_unit.loc[SOC_TRANG, "old_value"] == pytest.approx(4.492063) and by_unit.loc[SOC_TRANG, "new_value"] == 4.5


def score_diff(scores: CellDiff, indicators: CellDiff | None = None, labels: CellDiff | None = None) -> ScoreDiff:
    return ScoreDiff(scores=scores, replace=True, existing_years=[2022], indicators=indicators, labels=labels)


def indicator_cells(values: list[float], upload_id: int | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({"year": 2022, "unit_id": SOC_TRANG, "code": ["I1", "I2"][: len(values)], "value": values})
    return frame if upload_id is None else frame.assign(upload_id=upload_id)


def test_counts_are_of_values_scores_and_indicators_not_labels(stored_2022):
    incoming = incoming_from(stored_2022)
    incoming.loc[(incoming.unit_id == SOC_TRANG) & (incoming.measure == "TOTAL"), "value"] = 42.86
    scores = diff_cells(incoming, stored_2022, SCORES, replace=True)
    indicators = diff_cells(indicator_cells([61.5, 12.0]), indicator_cells([61.5], 40), INDICATORS, replace=True)
    label_rows = pd.DataFrame(
        [{"year": 2022, "kind": "indicator", "code": "I2", "sort_order": 2, "parent": "D1", "name_vi": "x"}]
    ).assign(name_en=None, unit="%")
    labels = diff_cells(label_rows, label_rows.iloc[0:0].assign(upload_id=0), LABELS, replace=False)
    diff = score_diff(scores, indicators, labels)
    assert diff.counts() == {"added": 1, "changed": 1, "removed": 0, "unchanged": 557}
    assert [p.table for p in diff.values] == [SCORES, INDICATORS] and len(diff.parts) == 3
    assert diff.added is scores.added and diff.unchanged == 556 and diff.has_changes


def test_replacing_is_needed_to_change_or_remove_a_value_not_to_add_one(stored_2022):
    same = diff_cells(incoming_from(stored_2022), stored_2022, SCORES, replace=True)
    only_added = diff_cells(indicator_cells([61.5, 12.0]), indicator_cells([61.5], 40), INDICATORS, replace=True)
    assert not score_diff(same, only_added).needs_replace
    # an indicator the file lacks altogether is out of its scope; a unit it lacks for an indicator it has is removed
    other_code = diff_cells(indicator_cells([61.5]), indicator_cells([61.5, 12.0], 40), INDICATORS, replace=True)
    assert other_code.removed.empty and not score_diff(same, other_code).needs_replace
    can_tho = indicator_cells([58.0], 40).assign(unit_id="old:can-tho")
    stored = pd.concat([indicator_cells([61.5], 40), can_tho], ignore_index=True)
    removed = diff_cells(indicator_cells([61.5]), stored, INDICATORS, replace=True)
    assert removed.removed.unit_id.tolist() == ["old:can-tho"] and score_diff(same, removed).needs_replace
    changed = diff_cells(indicator_cells([60.0]), indicator_cells([61.5], 40), INDICATORS, replace=False)
    assert score_diff(same, changed).needs_replace


def test_the_signature_is_the_exact_change_whatever_the_row_order(stored_2022):
    incoming = incoming_from(stored_2022)
    incoming.loc[(incoming.unit_id == SOC_TRANG) & (incoming.measure == "TOTAL"), "value"] = 42.86
    first = score_diff(diff_cells(incoming, stored_2022, SCORES, replace=True)).signature()
    shuffled = incoming.sample(frac=1, random_state=7)
    assert score_diff(diff_cells(shuffled, stored_2022, SCORES, replace=True)).signature() == first
    incoming.loc[(incoming.unit_id == SOC_TRANG) & (incoming.measure == "TOTAL"), "value"] = 42.87
    assert score_diff(diff_cells(incoming, stored_2022, SCORES, replace=True)).signature() != first
    assert len(first) == 64  # a sha256 in hex
