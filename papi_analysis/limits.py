"""Every limit an uploaded file is held to, in one place (issue 10).

The limits sit well above the largest real input: an official PAPI workbook has up to 63 provinces
(or 34 units) in columns, a few hundred indicator rows, several year sheets and a few MB; a long CSV
of every year 2011–2024 with every sub-dimension and confidence bounds is ~35,000 rows × 6 columns
(~1.5 MB). A file beyond a limit is refused with a message saying which limit, before any per-row
work, so the cost of a hostile file is bounded by these numbers, not by the file.

Uploaded files are parsed in a child process (`isolated`) held to PARSE_SECONDS of wall time,
PARSE_CPU_SECONDS of CPU and PARSE_MEMORY_BYTES of address space beyond what the child starts with.
The largest tables within the limits parse in about a sixth of that time and a tenth of that memory
on this 2-core machine, under load (bench/HOSTILE.md).
"""

from __future__ import annotations

from papi_analysis.fmt import number

MIB = 1024 * 1024

# The file as uploaded (compressed bytes for an XLSX).
MAX_UPLOAD_BYTES = 20 * MIB

# XLSX (a zip of XML parts), checked on the zip's directory before any part is read; zipfile never
# inflates a part beyond the size its directory declares (it stops there and fails the CRC check).
MAX_XLSX_PARTS = 2_000
MAX_XLSX_PART_BYTES = 100 * MIB
MAX_XLSX_UNCOMPRESSED_BYTES = 250 * MIB
MAX_SHARED_STRINGS = 500_000
# The parts openpyxl parses whole into a tree, never streamed (issue 20): the content types, the workbook part
# (sheets, defined names), its relationships, the styles and any external link. Real ones are kilobytes; a
# styles.xml at Excel's own ceiling (64,000 cell formats, each with an alignment) is ~10 MB and ~200,000
# elements. Beyond these, a 400 KB file made openpyxl take 2.8 GB and 55 s (1.5 M cell formats), and 1.2 M
# defined names, 1.4 M content types or 1 M relationships took 1.3–1.5 GB and 14–30 s.
MAX_XLSX_WHOLE_PART_BYTES = 20 * MIB
MAX_XLSX_STYLE_ELEMENTS = 200_000
MAX_XLSX_DEFINED_NAMES = 50_000
MAX_XLSX_CONTENT_TYPES = 2 * MAX_XLSX_PARTS  # a default per extension, an override per part
MAX_XLSX_RELATIONSHIPS = 2 * MAX_XLSX_PARTS  # per relationships part: one per related part, or an outside link
MAX_XLSX_PART_ELEMENTS = 200_000  # any other whole-parsed part (a workbook part, an external link)

# The table read from one CSV file or one sheet (rows and columns as numbered in the file, so a
# single cell at XFD1048576 counts as 1,048,576 rows and 16,384 columns). Real inputs: a long CSV of
# everything ~35,000 rows; a transposed official sheet 63 provinces (+ confidence bounds: ×3) + a few
# label columns; ~21,000 cells per official sheet, ~210,000 for the long CSV. MAX_CELLS is also the
# budget of a whole workbook, all its sheets counted.
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
MAX_CELLS = 500_000
# Excel's own limit for the text of one cell.
MAX_FIELD_CHARS = 32_767

# Validation: a name longer than this gets no spelling suggestion (no province name comes close);
# only this many distinct unknown names get one; a refusal lists at most MAX_PROBLEMS problems.
MAX_SUGGESTION_CHARS = 80
MAX_SUGGESTED_NAMES = 200
MAX_PROBLEMS = 1_000

# The child process that parses an upload.
PARSE_SECONDS = 60.0
PARSE_CPU_SECONDS = 60
PARSE_MEMORY_BYTES = 2048 * MIB


def megabytes(count: int) -> str:
    """20971520 -> '20 MB', 5557452 -> '5,3 MB' (MB as file managers count them: MiB)."""
    value = count / MIB
    return f"{number(value, 0 if value.is_integer() else 1)} MB"
