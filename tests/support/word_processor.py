"""A Word file opened by a real word processor: Debian's LibreOffice (headless) lays it out and exports a tagged
PDF, whose structure tree says which page every table cell's text landed on. Used to prove that no table row
breaks across pages and that every row reads as the document wrote it.

Tagged PDF: each table row (TR) and cell (TD) is a structure element whose content is marked in the page's
content stream by a marked-content id (MCID); the text drawn inside each MCID is collected with pypdf's visitors.
A header row that LibreOffice repeats on a new page is drawn as an artifact, outside the structure.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
TAGGED_PDF = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def to_pdf(docx: bytes, folder: Path, timeout: float = 180) -> bytes:
    """The PDF LibreOffice makes of a .docx, with a profile of its own (runs beside other instances)."""
    if not Path(SOFFICE).exists():
        raise FileNotFoundError("soffice is missing: scripts/install-libreoffice installs Debian's LibreOffice")
    source = folder / "draft.docx"
    source.write_bytes(docx)
    profile = (folder / "profile").as_uri()
    command = [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", TAGGED_PDF]
    subprocess.run([*command, "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=timeout)
    return (folder / "draft.pdf").read_bytes()


def squash(text: str) -> str:
    """Text without its white space, composed (NFC)."""
    return unicodedata.normalize("NFC", re.sub(r"\s+", "", text))


@dataclass(frozen=True)
class Row:
    """A table row as laid out: the text of each cell (lines joined by '\\n') and the pages it is drawn on."""

    cells: tuple[str, ...]
    pages: frozenset[int]

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(" ".join(c.split()) for c in self.cells)


@dataclass(frozen=True)
class LaidOut:
    pages: list[str]  # each page's text (artifacts included: repeated headers, page numbers)
    rows: list[Row]  # every table row, in document order


def _marked_text(reader) -> dict[tuple[int, int], str]:
    """(page, MCID) -> the text drawn inside that marked content."""
    texts: dict[tuple[int, int], str] = defaultdict(str)
    for number, page in enumerate(reader.pages):
        stack: list[int | None] = []

        def before(operator, args, cm, tm, stack=stack):
            if operator == b"BDC":
                properties = args[1] if len(args) > 1 else None
                stack.append(properties.get("/MCID") if hasattr(properties, "get") else None)
            elif operator == b"BMC":
                stack.append(None)
            elif operator == b"EMC" and stack:
                stack.pop()

        def text(chunk, cm, tm, font, size, stack=stack, number=number):
            current = next((m for m in reversed(stack) if m is not None), None)
            if current is not None:
                texts[(number, current)] += chunk

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return texts


class _Structure:
    def __init__(self, reader):
        self.page_of = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
        root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
        self.roles = root.get("/RoleMap", {})
        self.root = root

    def kind(self, element) -> str:
        name = element.get("/S")
        return str(self.roles.get(name, name))

    def _page(self, element, page: int | None) -> int | None:
        return self.page_of[element.raw_get("/Pg").idnum] if "/Pg" in element else page

    def content(self, element, page: int | None = None) -> list[tuple[int, int]]:
        """The (page, MCID) pairs of an element's content, in order."""
        element = element.get_object() if hasattr(element, "get_object") else element
        if isinstance(element, int):
            return [(page, element)]
        if not hasattr(element, "get"):
            return []
        page = self._page(element, page)
        if element.get("/Type") == "/MCR":
            return [(page, int(element["/MCID"]))]
        kids = element.get("/K")
        kids = kids if isinstance(kids, list) else [] if kids is None else [kids]
        return [pair for kid in kids for pair in self.content(kid, page)]

    def rows(self, element=None) -> list[list]:
        """Every TR element: the list of its cells (TD/TH elements)."""
        element = (element or self.root).get_object()
        if not hasattr(element, "get"):
            return []
        kids = element.get("/K")
        kids = kids if isinstance(kids, list) else [] if kids is None else [kids]
        if self.kind(element) == "/TR":
            return [[kid for kid in kids if not isinstance(kid, int)]]
        return [row for kid in kids if not isinstance(kid, int) for row in self.rows(kid)]


def lay_out(pdf: bytes) -> LaidOut:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    texts, structure = _marked_text(reader), _Structure(reader)
    rows = []
    for cells in structure.rows():
        contents = [structure.content(cell) for cell in cells]
        pages = frozenset(p for content in contents for p, _ in content if p is not None)
        text = tuple("".join(texts.get(pair, "") for pair in content).strip() for content in contents)
        rows.append(Row(text, pages))
    return LaidOut([page.extract_text() or "" for page in reader.pages], rows)
