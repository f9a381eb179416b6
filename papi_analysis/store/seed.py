"""The first build: read the seed data in data/ and load it into an empty database.

Reading (`read_reference`, `read_scores`) touches no database. `load_into` writes through the same
functions as every upload (`writes`), on a connection inside a transaction the caller holds, so a
seed file that fails leaves nothing behind. The store calls it; this module never imports the store.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from papi_analysis.domain import NEW_UNITS, OLD_UNITS, REORGANISATION_ACT, REORGANISATION_DATE
from papi_analysis.paths import DATA_DIR, SCORES_DIR
from papi_analysis.plan.plan_tasks import load_seed_tasks
from papi_analysis.reading.assemble import LABEL_COLUMNS
from papi_analysis.reading.ingest import ParsedScores, parse_scores
from papi_analysis.reference import Reference
from papi_analysis.store import reads, writes

SYSTEM_USER = "hệ thống (dữ liệu gốc)"
_LAST_OLD_DAY = "2025-06-30"


@dataclass
class SeedReference:
    regions: pd.DataFrame
    units: pd.DataFrame
    lineage: pd.DataFrame
    measures: pd.DataFrame

    def reference(self) -> Reference:
        units = self.units.merge(
            self.regions[["region_id", "name_vi"]].rename(columns={"name_vi": "region_name"}), on="region_id"
        )
        return Reference(units=units, measures=self.measures, regions=self.regions, lineage=self.lineage)


def _aliases(text: object) -> list[str]:
    return [a.strip() for a in str(text).split(";") if a.strip()] if isinstance(text, str) else []


def read_reference(data_dir: Path = DATA_DIR) -> SeedReference:
    regions = pd.read_csv(data_dir / "regions.csv", dtype=str).astype({"sort_order": "int64"})
    region_ids = dict(zip(regions.name_vi, regions.region_id, strict=True))
    old = pd.read_csv(data_dir / "provinces.csv", dtype=str, keep_default_na=False)
    new = pd.read_csv(data_dir / "units_2025.csv", dtype=str, keep_default_na=False)
    old_units = pd.DataFrame(
        {
            "unit_id": OLD_UNITS + ":" + old.slug,
            "unit_set": OLD_UNITS,
            "name_vi": old.province,
            "name_ascii": old.province_ascii,
            "slug": old.slug,
            "unit_type": old.unit_type,
            "region_id": old.region.map(region_ids),
            "gso_code": old.gso_code.astype("int64"),
            "valid_from": pd.NaT,
            "valid_to": pd.Timestamp(_LAST_OLD_DAY),
            "aliases": old.aliases.map(_aliases),
        }
    )
    new_units = pd.DataFrame(
        {
            "unit_id": NEW_UNITS + ":" + new.slug,
            "unit_set": NEW_UNITS,
            "name_vi": new.unit,
            "name_ascii": new.unit_ascii,
            "slug": new.slug,
            "unit_type": new.unit_type,
            "region_id": new.region.map(region_ids),
            "gso_code": pd.NA,
            "valid_from": pd.Timestamp(REORGANISATION_DATE),
            "valid_to": pd.NaT,
            "aliases": new.aliases.map(_aliases),
        }
    )
    units = pd.concat([old_units, new_units], ignore_index=True).astype({"gso_code": "Int64"})
    if units.region_id.isna().any():
        raise ValueError(f"unknown region in {data_dir}: {units[units.region_id.isna()].name_vi.tolist()}")
    new_by_name = dict(zip(new.unit, NEW_UNITS + ":" + new.slug, strict=True))
    lineage = pd.DataFrame(
        {
            "old_unit_id": OLD_UNITS + ":" + old.slug,
            "new_unit_id": old.successor_2025.map(new_by_name),
            "effective": pd.Timestamp(REORGANISATION_DATE),
            "legal_basis": REORGANISATION_ACT,
        }
    )
    if lineage.new_unit_id.isna().any():
        raise ValueError("provinces.csv names a successor missing from units_2025.csv")
    measures = pd.read_csv(data_dir / "measures.csv", dtype={"parent": str}).astype(
        {"first_year": "Int64", "last_year": "Int64"}
    )
    return SeedReference(regions=regions, units=units, lineage=lineage, measures=measures)


NAMES_FILE = "papi_subdimension_names.csv"  # year, code, name_vi, name_en: each year's own names (SOURCES.md)


def score_files(scores_dir: Path = SCORES_DIR) -> list[Path]:
    """Main files first, then sub-dimensions, each by year (the names file is not a scores file)."""
    files = [p for p in scores_dir.glob("*.csv") if p.name != NAMES_FILE]
    return sorted(files, key=lambda p: ("subdimensions" in p.name, p.name))


def subdimension_names(ref: Reference, scores_dir: Path = SCORES_DIR) -> pd.DataFrame:
    """The names each year's file gave its sub-dimensions, as published_labels rows (issue 19, item 8)."""
    path = scores_dir / NAMES_FILE
    if not path.exists():
        return pd.DataFrame(columns=LABEL_COLUMNS)
    names = pd.read_csv(path, dtype={"code": str, "name_vi": str, "name_en": str}, keep_default_na=False)
    unknown = sorted(set(names.code) - set(ref.measures.code))
    if unknown:
        raise ValueError(f"{path} names measures missing from measures.csv: {unknown}")
    return names.assign(
        kind="measure",
        sort_order=[int(ref.measure(c)["sort_order"]) for c in names.code],
        parent=[ref.measure(c)["parent"] for c in names.code],
        unit=None,
    )[LABEL_COLUMNS].astype({"year": "int64", "sort_order": "int64"})


def read_scores(ref: Reference, scores_dir: Path = SCORES_DIR) -> list[ParsedScores]:
    """Every seed file through the same validation as an upload (a bad seed file stops the build); each year's
    sub-dimension file carries that year's names of its sub-dimensions."""
    names = subdimension_names(ref, scores_dir)
    read = []
    for path in score_files(scores_dir):
        parsed = parse_scores(path.read_bytes(), f"data/scores/{path.name}", ref)
        if "subdimensions" in path.name:
            own = names[names.year.isin(parsed.years) & names.code.isin(set(parsed.frame.measure))]
            parsed = replace(parsed, labels=own.reset_index(drop=True))
        read.append(parsed)
    return read


def load_into(con: duckdb.DuckDBPyConnection, data_dir: Path = DATA_DIR) -> None:
    """Reference tables, then every seed file as an audited upload, then the build stamp.

    The caller holds the transaction: any failure (a bad seed file, two seed files overlapping)
    must roll back everything, stamp included, so the next start tries again from scratch.
    """
    reference = read_reference(data_dir)
    for table, frame in (
        ("regions", reference.regions),
        ("units", reference.units),
        ("unit_lineage", reference.lineage),
        ("measures", reference.measures),
    ):
        writes.insert_frame(con, table, frame)
    ref = reads.stored_reference(con)
    for parsed in read_scores(ref, data_dir / "scores"):
        diff = reads.score_diff(con, parsed, replace=False)
        if diff.needs_replace:
            raise ValueError(f"{parsed.file} overlaps another seed file")
        writes.write_scores(con, parsed, diff, user=SYSTEM_USER, kind="seed")
    for loaded in load_seed_tasks(ref, data_dir / "plans.csv", data_dir / "tasks.csv"):
        writes.write_tasks(con, loaded, user=SYSTEM_USER, kind="seed")
    con.execute("INSERT INTO meta (key, value) VALUES ('seeded_at', ?)", [datetime.now().isoformat(timespec="seconds")])
