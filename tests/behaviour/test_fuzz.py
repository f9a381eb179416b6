"""Fuzzing the file reader and the validator with Hypothesis (issue 10, item 5).

Files are real seed files and real exports, mutated (cut, bytes flipped, BOMs, huge fields, exotic
digits, formulas, other encodings, line endings and separators, far cells, zip bombs-lite), random
tables, and official-style workbooks of both layouts (tests/official_workbooks.py) with their cells mutated
(labels, province names, zeros, text in numbers, rows swapped, doubled or dropped) or their XML — also as issue 20
found them malformed: an address or a row written twice, cells out of order, Unicode digits in a number, merged
cells, a zip part written twice. For every file:
- the parse returns or raises InvalidFile, nothing else, and every problem renders as text;
- it stays within the time and memory limits (limits.py);
- an accepted file round-trips exactly: its cells (with their bounds) exported as CSV and parsed again are the
  same cells; an official workbook's indicators are exactly the non-zero numbers of their rows; an accepted
  workbook's every cell is what a second, independent reading of the file finds at its address
  (tests/support/second_reading.py);
- a refused file is refused by the command line too (isolated parse) and leaves a copy of the built
  database unchanged.

By default the run is derandomized and bounded (the counts below); `--fuzz` or PAPI_FUZZ=N runs N times
as many random examples and the tests marked `fuzz` (real-size bombs through the isolated parse).
"""

from __future__ import annotations

import codecs
import io
import os
import re
import resource
import shutil
import time
import warnings
import zipfile
from collections.abc import Iterator
from unittest import mock

import hostile_files as hostile
import pandas as pd
import pytest
import second_reading
from helpers import assert_unchanged, db_state, year_frame
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from official_workbooks import Options, by_rows, transposed_sheet, workbook

from papi_analysis import limits
from papi_analysis.bounds import BOUNDS
from papi_analysis.cli.main import main
from papi_analysis.files import export
from papi_analysis.files.tabular import read_grid
from papi_analysis.files.xlsx_sheet import ASCII_NUMBER
from papi_analysis.paths import SCORES_DIR
from papi_analysis.problems import InvalidFile, Problem
from papi_analysis.reading import axis, isolated
from papi_analysis.reading.axis import cell_text
from papi_analysis.reading.context import Choices, ReadingContext
from papi_analysis.reading.ingest import ParsedScores, parse_scores
from papi_analysis.reference import Reference
from papi_analysis.store.database import Store

FACTOR = int(os.environ.get("PAPI_FUZZ", "0") or 0)


def examples(bounded: int) -> settings:
    """The bounded, derandomized run; with PAPI_FUZZ=N, N times as many random examples."""
    return settings(
        max_examples=bounded * FACTOR if FACTOR else bounded,
        derandomize=not FACTOR,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    )


SEED_FILES = ["papi_2011.csv", "papi_2018.csv", "papi_2022.csv", "papi_2014_subdimensions.csv"]
PIECES = [
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
    b"\x00",
    b"\r",
    b"\n",
    b'"',
    b",",
    b";",
    b"\t",
    "٢٠٢٢".encode(),
    "４.５".encode(),
    "४".encode(),
    b"=1+1",
    b'\r=HYPERLINK("http://x")',
    b"nan",
    b"inf",
    b"1e28",
    b"1e999",
    b"-0",
    b"D1.9",
    b"D3.x",
    b"\xed\xa0\x80",  # a surrogate, encoded as UTF-8 would not
    b"\xff",
    b"\x81",
    b"9" * 140_000,
    b"x" * 40_000,
]


# --- mutations of bytes -----------------------------------------------------------------------------
def _truncate(data, b: bytes) -> bytes:
    return b[: data.draw(st.integers(0, len(b)))]


def _flip(data, b: bytes) -> bytes:
    if not b:
        return b
    i = data.draw(st.integers(0, len(b) - 1))
    return b[:i] + bytes([b[i] ^ data.draw(st.integers(1, 255))]) + b[i + 1 :]


def _insert(data, b: bytes) -> bytes:
    i = data.draw(st.integers(0, len(b)))
    return b[:i] + data.draw(st.sampled_from(PIECES)) + b[i:]


def _reencode(data, b: bytes) -> bytes:
    text = b.decode("utf-8", errors="replace")
    codec = data.draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "cp1258", "utf-32"]))
    encoded = text.encode(codec, errors="replace")
    return encoded[:-1] if data.draw(st.booleans()) else encoded  # sometimes an odd length


def _line_endings(data, b: bytes) -> bytes:
    return b.replace(b"\n", data.draw(st.sampled_from([b"\r", b"\r\n", b"\n\n", b" "])))


def _separator(data, b: bytes) -> bytes:
    return b.replace(b",", data.draw(st.sampled_from([b";", b"\t", b"|", b",,"])))


def _digits(data, b: bytes) -> bytes:
    text = b.decode("utf-8", errors="replace")
    places = [m.start() for m in re.finditer(r"[0-9]", text)]
    if not places:
        return b
    i = data.draw(st.sampled_from(places))
    exotic = data.draw(st.sampled_from(["٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９", "०१२३४५६७८९"]))
    return (text[:i] + exotic[int(text[i])] + text[i + 1 :]).encode()


def _lines(data, b: bytes) -> bytes:
    lines = b.split(b"\n")
    i = data.draw(st.integers(0, len(lines) - 1))
    if data.draw(st.booleans()):
        return b"\n".join(lines[:i] + lines[i + 1 :])
    return b"\n".join(lines[: i + 1] + lines[i:])


CSV_MUTATIONS = [_truncate, _flip, _insert, _reencode, _line_endings, _separator, _digits, _lines]


def mutate(data, content: bytes, mutations) -> bytes:
    for _ in range(data.draw(st.integers(1, 3))):
        content = data.draw(st.sampled_from(mutations))(data, content)
    return content


# --- mutations of a workbook's sheet XML ------------------------------------------------------------
def _no_dimension(data, xml: bytes) -> bytes:
    return re.sub(rb"<dimension [^>]*/>", b"", xml)


def _dimension(data, xml: bytes) -> bytes:
    ref = data.draw(st.sampled_from(["A1:XFD1048576", "A1:B2", "A1", "ZZZ9", "A1:ALL1001", "B3:C4"]))
    return re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), xml)


def _far_cell(data, xml: bytes) -> bytes:
    ref = data.draw(st.sampled_from(["XFD1048576", "ALL2", "ALM2", "A100000", "A100001", "C2", "B1"]))
    return xml.replace(b"</sheetData>", f'<row r="99"><c r="{ref}"><v>1</v></c></row></sheetData>'.encode())


def _cell_value(data, xml: bytes) -> bytes:
    values = list(re.finditer(rb"<v>[^<]*</v>", xml))
    if not values:
        return xml
    match = data.draw(st.sampled_from(values))
    value = data.draw(st.sampled_from(["1e28", "nan", "inf", "-1e999", "٢٠٢٢", "", "4.", "1,5", "0x10"]))
    return xml[: match.start()] + f"<v>{value}</v>".encode() + xml[match.end() :]


def _formula(data, xml: bytes) -> bytes:
    return xml.replace(b"<v>", b"<f>SUM(A1:A2)</f><v>", 1)


def _wide_row(data, xml: bytes) -> bytes:
    count = data.draw(st.sampled_from([10, 1_001, 20_000]))
    return xml.replace(b"</sheetData>", b"<row>" + b"<c/>" * count + b"</row></sheetData>")


def _doctype(data, xml: bytes) -> bytes:
    return xml.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY a "b">]><worksheet', 1)


# Issue 20, item 4: the malformed sheets that lost cells without a word ("last wins").
_CELL = re.compile(rb"<c [^>]*?(?:/>|>.*?</c>)", re.S)
_ROW = re.compile(rb"<row [^>]*>.*?</row>", re.S)


def _duplicate_address(data, xml: bytes) -> bytes:
    cells = list(_CELL.finditer(xml))
    if not cells:
        return xml
    cell = data.draw(st.sampled_from(cells))
    copy = re.sub(rb"<v>[^<]*</v>", b"<v>9.5</v>", cell.group(0)) if data.draw(st.booleans()) else cell.group(0)
    return xml[: cell.end()] + copy + xml[cell.end() :]


def _out_of_order(data, xml: bytes) -> bytes:
    rows = [r for r in _ROW.finditer(xml) if len(_CELL.findall(r.group(0))) >= 2]
    if not rows:
        return xml
    row = data.draw(st.sampled_from(rows))
    cells = list(_CELL.finditer(row.group(0)))
    i = data.draw(st.integers(0, len(cells) - 2))
    a, b = cells[i], cells[i + 1]
    text = row.group(0)
    swapped = text[: a.start()] + b.group(0) + text[a.end() : b.start()] + a.group(0) + text[b.end() :]
    return xml[: row.start()] + swapped + xml[row.end() :]


def _duplicate_row(data, xml: bytes) -> bytes:
    rows = list(_ROW.finditer(xml))
    if not rows:
        return xml
    row = data.draw(st.sampled_from(rows))
    return xml[: row.end()] + row.group(0) + xml[row.end() :]


def _unicode_digit(data, xml: bytes) -> bytes:
    values = list(re.finditer(rb"<v>[^<]*[0-9][^<]*</v>", xml))
    if not values:
        return xml
    match = data.draw(st.sampled_from(values))
    text = match.group(0).decode()
    at = data.draw(st.sampled_from([i for i, ch in enumerate(text) if ch.isdigit()]))
    exotic = data.draw(st.sampled_from(["٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９", "०१२३४५६७८९"]))
    text = text[:at] + exotic[int(text[at])] + text[at + 1 :]
    return xml[: match.start()] + text.encode() + xml[match.end() :]


def _merged(data, xml: bytes) -> bytes:
    ref = data.draw(st.sampled_from(["A1:C1", "A5:A8", "B5:D5", "A2:B40", "C3:C4", "A1:A1"]))
    return xml.replace(
        b"</worksheet>", f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells></worksheet>'.encode()
    )


MALFORMED = [_duplicate_address, _out_of_order, _duplicate_row, _unicode_digit, _merged]
XML_MUTATIONS = [_no_dimension, _dimension, _far_cell, _cell_value, _formula, _wide_row, _doctype, _flip, _truncate]
XML_MUTATIONS += MALFORMED


def mutate_xlsx(data, content: bytes) -> bytes:
    """The sheet's XML mutated; sometimes the zip holds a second part of the same name (zipfile reads the last)."""
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    original = parts[hostile.SHEET_XML]
    parts[hostile.SHEET_XML] = mutate(data, original, XML_MUTATIONS)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, part in parts.items():
            z.writestr(name, part)
        if data.draw(st.integers(0, 7)) == 0:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it writes
                z.writestr(hostile.SHEET_XML, mutate(data, original, MALFORMED))
    packed = out.getvalue()
    return _flip(data, packed) if data.draw(st.integers(0, 9)) == 0 else packed


# --- mutations of an official workbook's cells ---------------------------------------------------------------
LABELS = [
    "Chỉ số nội dung 9: Không có",
    "Chỉ số thành phần 1.1: Tri thức công dân",
    "Chỉ số thành phần 5.7: Chưa có",
    "Điểm thấp",
    "Sai số chuẩn",
    "PAPI tổng hợp (có trọng số)",
    "d999: Tỷ lệ (%)",
    "Số ngày (ngày)",
    "",
    "Ghi chú",
    "Tổng hợp",
    "=SUM(B2:B9)",
    "x" * 40_000,
]
NAMES = ["Soc Trag", "Cả nước", "", "TP HCM", "Hà Nội", "Cần Thơ", "Hồ Chí Minh", "٢٠٢٢"]
TEXTS = ["abc", "1,5", "٢", "", "nan", "inf", "1e28", "-3", "0", "0.0", "4.", "1.234,5"]


def _numeric_places(rows) -> list[tuple[int, int]]:
    return [(i, j) for i, row in enumerate(rows) for j, v in enumerate(row) if isinstance(v, (int, float))]


def _cell(data, rows):
    places = _numeric_places(rows)
    if places:
        i, j = data.draw(st.sampled_from(places))
        rows[i][j] = data.draw(st.sampled_from([0, 0.0, *TEXTS, 10 * float(rows[i][j] or 1)]))
    return rows


def _label(data, rows):
    i = data.draw(st.integers(0, len(rows) - 1))
    if rows[i]:
        rows[i][data.draw(st.integers(0, min(1, len(rows[i]) - 1)))] = data.draw(st.sampled_from(LABELS))
    return rows


def _name(data, rows):
    header = max(range(min(8, len(rows))), key=lambda i: sum(isinstance(v, str) for v in rows[i]))
    if len(rows[header]) > 2:
        rows[header][data.draw(st.integers(2, len(rows[header]) - 1))] = data.draw(st.sampled_from(NAMES))
    return rows


def _reorder(data, rows):
    i, j = data.draw(st.integers(0, len(rows) - 1)), data.draw(st.integers(0, len(rows) - 1))
    how = data.draw(st.sampled_from(["swap", "double", "drop"]))
    if how == "swap":
        rows[i], rows[j] = rows[j], rows[i]
    elif how == "double":
        rows.insert(j, list(rows[i]))
    else:
        del rows[i]
    return rows


def _column(data, rows):
    j = data.draw(st.integers(0, max(0, min(len(r) for r in rows if r) - 1)))
    for row in rows:
        if len(row) > j:
            del row[j]
    return rows


SHEET_MUTATIONS = [_cell, _cell, _label, _name, _reorder, _column]


def mutate_sheet(data, rows) -> list[list[object]]:
    rows = [list(r) for r in rows]
    for _ in range(data.draw(st.integers(1, 3))):
        rows = data.draw(st.sampled_from(SHEET_MUTATIONS))(data, rows)
    return rows


# --- random tables ---------------------------------------------------------------------------------
HEADERS = ["year", "province", "measure", "value", "D1", "D5.3", "TOTAL", "Tỉnh", "Năm", "ci_low", "D1.9", "x"]
CELLS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["Sóc Trăng", "soc trang", "Cần Thơ", "Hà Nội", "TP HCM", "2022", "2024", "D1", "TOTAL"]),
    st.sampled_from(["", " ", "٢٠٢٢", "1e28", "=1+1", "4.", '"', "\r", "5,5", "D1.9", "nan"]),
    st.text(max_size=12),
)


@st.composite
def random_tables(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=7))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=len(header) + 1), max_size=12))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    text = "\r\n".join(delimiter.join(cells) for cells in [header, *rows])
    codec = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258"]))
    return text.encode(codec, errors="replace")


# --- the properties --------------------------------------------------------------------------------
class Sources(dict):
    """The files mutations start from; named, not printed, when Hypothesis reports a failing example."""

    def __repr__(self) -> str:
        return f"Sources({', '.join(name for files in self.values() for name, _ in files)})"


@pytest.fixture(scope="module")
def sources(store) -> Sources:
    csv = [(name, (SCORES_DIR / name).read_bytes()) for name in SEED_FILES]
    csv.append(("papi_2022_export.csv", export.csv_bytes(year_frame(store, 2022))))
    xlsx = [("papi_2016_export.xlsx", export.xlsx_bytes(year_frame(store, 2016)))]
    official = [
        ("2022PAPI_ProvincialIndicators.xlsx", workbook({"PAPI 2022": transposed_sheet(store, 2022, Options())[0]}))
    ]
    official.append(("PAPI-2016-Du-lieu.xlsx", by_rows(store, 2016)[0]))
    sheets = [
        ("2022PAPI_ProvincialIndicators.xlsx", transposed_sheet(store, 2022, Options(indicators=1))[0]),
        ("PAPI-2016-Du-lieu.xlsx", _rows_of(by_rows(store, 2016, Options(title_rows=2))[0])),
    ]
    return Sources(csv=csv, xlsx=xlsx, official=official, sheets=sheets)


def _rows_of(content: bytes) -> list[list[object]]:
    return [list(cells) for _, cells in read_grid(content, "x.xlsx").numbered]


@pytest.fixture(scope="module")
def database_copy(built_db, tmp_path_factory) -> Iterator[Store]:
    """A copy of the built database that every refused file is sent to; compared in full at the end."""
    path = tmp_path_factory.mktemp("fuzz") / "papi.duckdb"
    shutil.copy(built_db, path)
    database = Store(path)
    before = db_state(database)
    yield database
    assert_unchanged(database, before)


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def assert_round_trip(parsed: ParsedScores, ref: Reference) -> None:
    """The accepted cells (with their bounds), exported as CSV and parsed again, are the same cells; indicators
    are exactly the numbers of their rows."""
    frame = parsed.frame
    cells = pd.DataFrame(
        {
            "year": frame.year,
            "province": frame.unit_id.map(ref.unit_name),
            "measure": frame.measure,
            "value": frame.value,
            **{bound.suffix: frame[bound.key] for bound in BOUNDS},  # the long layout's 'ci_low', 'ci_high', 'se'
        }
    )
    if len(cells):
        again = parse_scores(export.csv_bytes(cells), "khu_hoi.csv", ref, unit_set=parsed.unit_set)
        key = ["year", "unit_id", "measure"]
        pd.testing.assert_frame_equal(
            frame.sort_values(key, ignore_index=True), again.frame.sort_values(key, ignore_index=True)
        )
    if len(parsed.indicators):
        assert_indicators_as_in_the_file(parsed, ref)


def assert_indicators_as_in_the_file(parsed: ParsedScores, ref: Reference) -> None:
    """Each indicator row's non-zero numbers, read from the file's grid, are the indicator's stored values."""
    grid = read_grid(parsed.content, parsed.file, sheet=parsed.sheet)
    source = axis.find(grid, ReadingContext(parsed.file, ref, Choices(unit_set=parsed.unit_set)))
    stored = parsed.indicators.set_index(["unit_id", "code"]).value
    names = {j: cell_text(grid.numbered[source.unit_line][1][j]) for j in source.units} if not source.rows else {}
    for line in [ln for ln in parsed.mapping.lines if ln.target.kind == "indicator"]:
        cells = grid.numbered[line.position][1] if not source.rows else None
        if cells is None:
            continue
        for j, name in names.items():
            text = cell_text(cells[j]) if j < len(cells) else ""
            unit_id = ref.unit_id(name, parsed.unit_set)
            if not text or float(text) == 0:
                assert (unit_id, line.code) not in stored.index
            else:
                assert stored.loc[(unit_id, line.code)] == float(text)


def assert_as_a_second_reading_reads_it(parsed: ParsedScores) -> None:
    """Issue 20, item 8: every cell an accepted workbook gives is the one a second, independent reading of the same
    file finds at its address — written once, in ASCII digits, the same number — and the zip names no part twice."""
    assert not second_reading.duplicate_parts(parsed.content)
    found = second_reading.cells(parsed.content, parsed.sheet)
    for cell in parsed.cells.itertuples():
        raw = found.get(cell.src_cell)
        assert raw is not None and len(raw) == 1, (cell.src_cell, raw)
        assert ASCII_NUMBER.fullmatch(raw[0]) and float(raw[0]) == cell.value, (cell.src_cell, raw, cell.value)
    event(f"accepted workbook: {len(parsed.cells)} cells read again")


def assert_refused_everywhere(content: bytes, name: str, database: Store, tmp_path) -> None:
    """The command line (isolated parse) refuses it too, and the database file is not written
    (its write stamp; the full comparison runs once the module is done: database_copy)."""
    path = tmp_path / name
    path.write_bytes(content)
    stamp = database.version()
    with mock.patch.dict(os.environ, {"PAPI_DB": str(database.path)}):
        assert main(["ingest", str(path), "--replace"]) == 1
    assert database.version() == stamp


def check(content: bytes, name: str, ref: Reference, database: Store | None, tmp_path) -> None:
    """The properties of the module docstring; without a database, a refusal is checked in the isolated
    parse alone (cheaper than the whole command line)."""
    peak, started = _peak_kib(), time.perf_counter()
    try:
        parsed = parse_scores(content, name, ref)
    except InvalidFile as error:
        assert error.problems and all(isinstance(p, Problem) and str(p) for p in error.problems)
        parsed = None
    assert time.perf_counter() - started < limits.PARSE_SECONDS
    assert (_peak_kib() - peak) * 1024 < limits.PARSE_MEMORY_BYTES
    event("accepted" if parsed is not None else "refused")
    if parsed is None and database is None:
        with pytest.raises(InvalidFile):
            isolated.parse_scores(content, name, ref)
    elif parsed is None:
        assert_refused_everywhere(content, name, database, tmp_path)
    else:
        assert_round_trip(parsed, ref)
        if content.startswith(b"PK"):
            assert_as_a_second_reading_reads_it(parsed)


@examples(40)
@given(data=st.data())
def test_mutated_csv_files(sources, ref, database_copy, tmp_path, data):
    name, content = data.draw(st.sampled_from(sources["csv"]))
    check(mutate(data, content, CSV_MUTATIONS), name, ref, database_copy, tmp_path)


@examples(20)
@given(data=st.data())
def test_mutated_workbooks(sources, ref, database_copy, tmp_path, data):
    name, content = data.draw(st.sampled_from(sources["xlsx"]))
    check(mutate_xlsx(data, content), name, ref, database_copy, tmp_path)


@examples(40)
@given(content=random_tables())
def test_random_tables(ref, tmp_path, content):
    check(content, "bang_2022.csv", ref, None, tmp_path)


@examples(20)
@given(data=st.data())
def test_mutated_official_workbooks(sources, ref, database_copy, tmp_path, data):
    """Issue 11: official-style workbooks, their cells or their XML mutated."""
    if data.draw(st.booleans()):
        name, rows = data.draw(st.sampled_from(sources["sheets"]))
        content = workbook({"PAPI": mutate_sheet(data, rows)})
    else:
        name, content = data.draw(st.sampled_from(sources["official"]))
        content = mutate_xlsx(data, content)
    check(content, name, ref, database_copy, tmp_path)


def test_the_unmutated_sources_are_accepted_and_round_trip(sources, ref):
    """The fuzzing starts from files that load: otherwise every mutation would be refused anyway."""
    for name, content in sources["csv"] + sources["xlsx"] + sources["official"]:
        assert_round_trip(parse_scores(content, name, ref), ref)
    for name, rows in sources["sheets"]:
        assert_round_trip(parse_scores(workbook({"PAPI": rows}), name, ref), ref)


# --- opt-in: real-size bombs through the isolated parse ---------------------------------------------
@pytest.mark.fuzz
@pytest.mark.parametrize(
    "build",
    [
        lambda: hostile.many_cells(12_000_000),
        lambda: hostile.whitespace(megabytes=4_700),
        lambda: hostile.far_cell(with_dimension=False),
        lambda: hostile.unknown_names(1_000_000),
    ],
    ids=["12M cells", "4.7 GB of whitespace", "far cell", "1e6 unknown names"],
)
def test_real_size_bombs_stay_within_the_limits_in_the_child(ref, build):
    outcome = isolated.run(parse_scores, build(), "bom.xlsx", ref, file="bom.xlsx")
    assert outcome.problems and outcome.usage.seconds < limits.PARSE_SECONDS
    assert outcome.usage.child_peak_mb * limits.MIB < limits.PARSE_MEMORY_BYTES
