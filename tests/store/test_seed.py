"""store.seed: the first build — the seed data in data/ read (reference, scores, tasks) and loaded into an empty
database through the same writes as every upload, inside a transaction the caller holds, so that a seed file
that fails leaves nothing behind.

The data directories here are data/ itself, or a copy of its reference files with a few of its score files."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from papi_analysis.domain import REORGANISATION_ACT
from papi_analysis.paths import DATA_DIR, SCORES_DIR
from papi_analysis.problems import InvalidFile
from papi_analysis.store import seed
from papi_analysis.store.database import Store
from papi_analysis.store.migrations import MIGRATIONS

REFERENCE_FILES = ("regions.csv", "provinces.csv", "units_2025.csv", "measures.csv")
PLAN_FILES = ("plans.csv", "tasks.csv")


def data_dir(tmp_path: Path, score_files: dict[str, bytes], plan: bool = True) -> Path:
    """data/'s reference files (and plan), with these score files."""
    folder = tmp_path / "data"
    (folder / "scores").mkdir(parents=True)
    for name in REFERENCE_FILES + (PLAN_FILES if plan else ()):
        shutil.copy(DATA_DIR / name, folder / name)
    for name, content in score_files.items():
        (folder / "scores" / name).write_bytes(content)
    return folder


def seed_file(name: str) -> bytes:
    return (SCORES_DIR / name).read_bytes()


def moved_2022(points: float) -> bytes:
    """papi_2022.csv with Sóc Trăng's D1 and TOTAL moved by the same points (the sum still holds)."""
    frame = pd.read_csv(SCORES_DIR / "papi_2022.csv")
    frame.loc[frame.province == "Sóc Trăng", ["D1", "TOTAL"]] += points
    return frame.to_csv(index=False).encode("utf-8")


def migrated(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    for _, sql in MIGRATIONS:
        con.execute(sql)
    return con


# --- reading ------------------------------------------------------------------------------------------
def test_the_reference_holds_63_provinces_34_units_and_the_lineage_between_them():
    reference = seed.read_reference()
    units = reference.units.set_index("unit_id")
    assert (units.unit_set == "old").sum() == 63 and (units.unit_set == "new").sum() == 34
    soc_trang = units.loc["old:soc-trang"]
    assert (soc_trang.name_vi, soc_trang.slug, soc_trang.unit_type) == ("Sóc Trăng", "soc-trang", "tỉnh")
    assert str(soc_trang.valid_to.date()) == "2025-06-30" and pd.isna(soc_trang.valid_from)
    assert str(units.loc["new:can-tho"].valid_from.date()) == "2025-07-01" and pd.isna(
        units.loc["new:can-tho"].valid_to
    )
    assert units.loc["old:ha-noi"].aliases == ["Thủ đô Hà Nội"] and units.loc["old:soc-trang"].aliases == []
    assert str(reference.units.gso_code.dtype) == "Int64" and pd.isna(units.loc["new:can-tho"].gso_code)
    lineage = reference.lineage.set_index("old_unit_id")
    assert len(lineage) == 63 and set(lineage.legal_basis) == {REORGANISATION_ACT}
    merged = sorted(lineage.index[lineage.new_unit_id == "new:can-tho"])
    assert merged == ["old:can-tho", "old:hau-giang", "old:soc-trang"]
    assert reference.measures.code.iloc[0] == "TOTAL" and str(reference.measures.first_year.dtype) == "Int64"


def test_the_seed_reference_answers_like_the_stored_one():
    ref = seed.read_reference().reference()
    assert ref.unit_id("Sóc Trăng", "old") == "old:soc-trang" and ref.successor("old:soc-trang") == "new:can-tho"
    assert ref.units.set_index("unit_id").loc["old:soc-trang"].region_name == "Đồng bằng sông Cửu Long"
    assert len(ref.members("dong-bang-song-cuu-long", "old")) == 13


def test_a_province_in_an_unknown_region_stops_the_build(tmp_path):
    folder = data_dir(tmp_path, {})
    provinces = pd.read_csv(folder / "provinces.csv", dtype=str, keep_default_na=False)
    provinces.loc[provinces.province == "Sóc Trăng", "region"] = "Miền Tây"  # what people say, not a region's name
    provinces.to_csv(folder / "provinces.csv", index=False)
    with pytest.raises(ValueError, match=r"unknown region in .*\['Sóc Trăng'\]"):
        seed.read_reference(folder)


def test_a_successor_missing_from_the_new_units_stops_the_build(tmp_path):
    folder = data_dir(tmp_path, {})
    units = (folder / "units_2025.csv").read_text(encoding="utf-8").splitlines()
    (folder / "units_2025.csv").write_text("\n".join(u for u in units if not u.startswith("Cần Thơ,")) + "\n")
    with pytest.raises(ValueError) as refused:
        seed.read_reference(folder)
    assert str(refused.value) == "provinces.csv names a successor missing from units_2025.csv"


def test_score_files_come_main_files_first_then_sub_dimensions_each_by_year():
    names = [path.name for path in seed.score_files()]
    assert names[:14] == [f"papi_{year}.csv" for year in range(2011, 2025)]
    assert names[14:] == [f"papi_{year}_subdimensions.csv" for year in range(2011, 2017)]


@pytest.mark.slow
def test_score_files_are_read_through_the_upload_validation(tmp_path, ref):
    folder = data_dir(tmp_path, {n: seed_file(n) for n in ("papi_2016_subdimensions.csv", "papi_2022.csv")})
    parsed = seed.read_scores(ref, folder / "scores")
    assert [p.file for p in parsed] == ["data/scores/papi_2022.csv", "data/scores/papi_2016_subdimensions.csv"]
    frame = parsed[0].frame
    total = frame[(frame.unit_id == "old:soc-trang") & (frame.measure == "TOTAL")].value
    assert total.tolist() == [pytest.approx(42.85590744)]
    assert parsed[0].unit_set == "old" and parsed[1].years == [2016] and len(parsed[1].frame) == 1386


def test_a_bad_seed_file_is_refused_with_its_place(tmp_path, ref):
    bad = seed_file("papi_2022.csv").replace("Sóc Trăng".encode(), "Sóc Trăg".encode())
    folder = data_dir(tmp_path, {"papi_2022.csv": bad})
    with pytest.raises(InvalidFile) as refused:
        seed.read_scores(ref, folder / "scores")
    assert any(p.file == "data/scores/papi_2022.csv" and p.row == 46 for p in refused.value.problems)


# --- loading ------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_loading_writes_the_reference_each_file_as_an_audited_upload_the_plan_and_the_stamp(tmp_path):
    folder = data_dir(tmp_path, {n: seed_file(n) for n in ("papi_2021.csv", "papi_2022.csv")})
    with migrated(tmp_path / "papi.duckdb") as con:
        con.execute("BEGIN TRANSACTION")
        seed.load_into(con, folder)
        con.execute("COMMIT")
        uploads = con.execute("SELECT upload_id, kind, file_name, uploaded_by, cells_added FROM uploads").fetchall()
        assert uploads == [
            (1, "seed", "data/scores/papi_2021.csv", seed.SYSTEM_USER, 540),
            (2, "seed", "data/scores/papi_2022.csv", seed.SYSTEM_USER, 557),
            (3, "seed", "data/tasks.csv", seed.SYSTEM_USER, 88),
        ]
        soc_trang = con.execute(
            "SELECT value, upload_id FROM scores WHERE year = 2022 AND unit_id = 'old:soc-trang' AND measure = 'TOTAL'"
        ).fetchall()
        assert soc_trang == [(pytest.approx(42.85590744), 2)]
        counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("units", "unit_lineage", "tasks")]
        assert counts == [97, 63, 88]
        assert con.execute("SELECT count(*) FROM meta WHERE key = 'seeded_at'").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM upload_changes WHERE old_value IS NOT NULL").fetchone()[0] == 0


@pytest.mark.slow
def test_two_seed_files_that_disagree_stop_the_build(tmp_path):
    scores = {"papi_2022.csv": seed_file("papi_2022.csv"), "papi_2022_bis.csv": moved_2022(0.01)}
    folder = data_dir(tmp_path, scores, plan=False)
    with migrated(tmp_path / "papi.duckdb") as con:
        con.execute("BEGIN TRANSACTION")
        with pytest.raises(ValueError) as refused:
            seed.load_into(con, folder)
    assert str(refused.value) == "data/scores/papi_2022_bis.csv overlaps another seed file"


@pytest.mark.slow
def test_a_failed_first_build_leaves_nothing_and_the_next_start_builds(tmp_path):
    good = {"papi_2022.csv": seed_file("papi_2022.csv")}
    bad = data_dir(tmp_path / "bad", {**good, "papi_2022_bis.csv": moved_2022(0.01)}, plan=False)
    store = Store(tmp_path / "papi.duckdb")
    with pytest.raises(ValueError, match="overlaps another seed file"):
        store.ensure_built(bad)
    empty = [store.read(f"SELECT count(*) AS n FROM {t}").n.iloc[0] for t in ("meta", "units", "scores", "uploads")]
    assert empty == [0, 0, 0, 0]
    assert store.ensure_built(data_dir(tmp_path / "good", good, plan=False)) is True
    assert store.scores(years=[2022]).pipe(len) == 557 and store.ensure_built(DATA_DIR) is False
