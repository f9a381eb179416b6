"""The reads the store's writes decide on, run on a connection the caller holds (so a write sees what it
read in the same transaction): the stored reference, scores and cells, the remembered mappings, the diff an
upload would make, the status history. Nothing here writes."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from papi_analysis.domain import UNIT_SET_LABELS
from papi_analysis.reading.ingest import ParsedScores
from papi_analysis.reading.mapping import Remembered, remembered_from
from papi_analysis.reference import Reference
from papi_analysis.store.upload_diff import INDICATORS, LABELS, SCORES, CellTable, ScoreDiff, diff_cells
from papi_analysis.store.writes import StoreError

Connection = duckdb.DuckDBPyConnection


def stored_reference(con: Connection) -> Reference:
    units = con.execute(
        """SELECT u.*, r.name_vi AS region_name FROM units u JOIN regions r USING (region_id)
           ORDER BY u.unit_set DESC, u.gso_code, u.name_vi"""
    ).df()
    units["aliases"] = units.aliases.map(list)
    measures = con.execute("SELECT * FROM measures ORDER BY sort_order").df()
    measures = measures.astype({"first_year": "Int64", "last_year": "Int64"})
    regions = con.execute("SELECT * FROM regions ORDER BY sort_order").df()
    lineage = con.execute("SELECT * FROM unit_lineage").df()
    published = con.execute(
        "SELECT year, code, name_vi, name_en FROM published_labels WHERE kind = 'measure' ORDER BY year, code"
    ).df()
    return Reference(units=units, measures=measures, regions=regions, lineage=lineage, published=published)


def stored_scores(
    con: Connection, years: Sequence[int] | None = None, measures: Sequence[str] | None = None
) -> pd.DataFrame:
    sql = "SELECT year, unit_id, measure, value, ci_low, ci_high, std_error, upload_id FROM scores WHERE true"
    params: list[object] = []
    if years is not None:
        sql += " AND list_contains(?, year)"
        params.append([int(y) for y in years])
    if measures is not None:
        sql += " AND list_contains(?, measure)"
        params.append(list(measures))
    return con.execute(sql + " ORDER BY year, measure, unit_id", params).df()


def stored_cells(con: Connection, table: CellTable, years: Sequence[int] | None = None) -> pd.DataFrame:
    """The stored cells of a table (key, values, upload_id), of some years or all."""
    columns = ", ".join([*table.key, *table.values, "upload_id"])
    sql = f"SELECT {columns} FROM {table.table}"
    if years is None:
        return con.execute(sql + f" ORDER BY {', '.join(table.key)}").df()
    return con.execute(sql + f" WHERE list_contains(?, year) ORDER BY {', '.join(table.key)}", [list(years)]).df()


def remembered_mappings(con: Connection) -> Remembered:
    """The mappings confirmed with uploads that stand (not rolled back), oldest first."""
    rows = con.execute(
        """SELECT m.shape, m.mapping FROM layout_mappings m JOIN uploads u USING (upload_id)
           WHERE u.rolled_back_at IS NULL ORDER BY m.mapping_id"""
    ).fetchall()
    return remembered_from(rows)


def score_diff(con: Connection, parsed: ParsedScores, replace: bool) -> ScoreDiff:
    """What writing `parsed` would change; refused if a year is stored in the other unit set."""
    stored_sets = con.execute(
        """SELECT DISTINCT s.year, u.unit_set FROM scores s JOIN units u USING (unit_id)
           WHERE list_contains(?, s.year)""",
        [parsed.years],
    ).fetchall()
    clash = sorted(year for year, unit_set in stored_sets if unit_set != parsed.unit_set)
    if clash:
        stored = UNIT_SET_LABELS[next(s for y, s in stored_sets if y == clash[0])]
        raise StoreError(
            f"Năm {', '.join(map(str, clash))} đang lưu theo {stored}; tệp dùng "
            f"{UNIT_SET_LABELS[parsed.unit_set]}. Một năm chỉ dùng một danh mục đơn vị: hãy hoàn tác "
            "lượt tải lên cũ của năm đó trước. Chưa có gì được ghi."
        )
    stored = {table.table: stored_cells(con, table, parsed.years) for table in (SCORES, INDICATORS, LABELS)}
    labels = _with_stored_names(parsed.labels, stored[LABELS.table])
    incoming = ((SCORES, parsed.frame), (INDICATORS, parsed.indicators), (LABELS, labels))
    parts = {
        table.table: diff_cells(frame, stored[table.table], table, replace and table is not LABELS)
        for table, frame in incoming
    }
    existing = set()
    for table, frame in incoming[:2]:  # years the file would write into (names of a year are not its data)
        within = stored[table.table].merge(frame[list(table.scope)].drop_duplicates())
        existing |= {int(y) for y in within.year.unique()}
    return ScoreDiff(
        scores=parts["scores"],
        replace=replace,
        existing_years=sorted(existing),
        indicators=parts["indicator_values"],
        labels=parts["published_labels"],
    )


def _with_stored_names(incoming: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """A file's names, where it lacks a language (or a unit, or a parent) that is stored, keep the stored one: a
    file with English names only does not erase the Vietnamese ones."""
    if incoming.empty or stored.empty:
        return incoming
    key, kept = list(LABELS.key), ["parent", "name_vi", "name_en", "unit"]
    both = incoming.merge(stored[[*key, *kept]], on=key, how="left", suffixes=("", "_stored"))
    for column in kept:
        both[column] = both[column].where(both[column].notna(), both[f"{column}_stored"])
    return both[list(incoming.columns)]


def status_history(con: Connection, plan_id: str | None = None) -> pd.DataFrame:
    """Every status change (undone ones too), oldest first."""
    sql = "SELECT * FROM task_status" + (" WHERE plan_id = ?" if plan_id else "") + " ORDER BY change_id"
    return con.execute(sql, [plan_id] if plan_id else []).df()


def task_units(con: Connection, plan_id: str, task_ids: Sequence[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Each task's (lead units, coordinating units): whose tasks a status change touches."""
    rows = con.execute(
        "SELECT task_id, lead_units, coordinating_units FROM tasks WHERE plan_id = ? AND list_contains(?, task_id)",
        [plan_id, list(task_ids)],
    ).fetchall()
    return {task_id: (list(leads), list(partners)) for task_id, leads, partners in rows}


def change_task(con: Connection, change_id: int) -> tuple[str, str] | None:
    """The (plan, task) a status change is about; None when there is no such change."""
    row = con.execute("SELECT plan_id, task_id FROM task_status WHERE change_id = ?", [change_id]).fetchone()
    return None if row is None else (row[0], row[1])
