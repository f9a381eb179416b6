"""A second, independent reading of an XLSX sheet, for the property that every accepted file's cells are what the
file holds (issue 20, item 8): the zip read whole, the workbook's sheet found through its relationships, the sheet
parsed as a DOM (xml.dom.minidom, not the reader's streaming lxml), every cell's raw text by its address — a
list, so that an address written twice shows as two values, never as the last one."""

from __future__ import annotations

import io
import posixpath
import zipfile
from xml.dom import minidom


def _children(node, name: str) -> list:
    return [c for c in node.childNodes if c.nodeType == c.ELEMENT_NODE and c.localName == name]


def _text(node) -> str:
    return "".join(t.data for t in node.childNodes if t.nodeType in (t.TEXT_NODE, t.CDATA_SECTION_NODE))


def _strings(parts: dict[str, bytes]) -> list[str]:
    data = parts.get("xl/sharedStrings.xml")
    if data is None:
        return []
    found = []
    for si in minidom.parseString(data).getElementsByTagNameNS("*", "si"):
        runs = [t for t in si.getElementsByTagNameNS("*", "t") if t.parentNode.localName != "rPh"]
        found.append("".join(_text(t) for t in runs))
    return found


def _sheet_path(parts: dict[str, bytes], title: str | None) -> str:
    book = minidom.parseString(parts["xl/workbook.xml"])
    rels = minidom.parseString(parts["xl/_rels/workbook.xml.rels"])
    targets = {r.getAttribute("Id"): r.getAttribute("Target") for r in rels.getElementsByTagNameNS("*", "Relationship")}
    sheets = book.getElementsByTagNameNS("*", "sheet")
    chosen = next(s for s in sheets if title is None or s.getAttribute("name") == title)
    target = targets[chosen.getAttributeNS("http://schemas.openxmlformats.org/officeDocument/2006/relationships", "id")]
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def cells(content: bytes, title: str | None) -> dict[str, list[str]]:
    """Every addressed cell of the sheet: its raw text (a number as written, a string resolved, a formula's saved
    value), each address with every value written at it."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}  # the last of two same names
    strings = _strings(parts)
    found: dict[str, list[str]] = {}
    sheet = minidom.parseString(parts[_sheet_path(parts, title)])
    for c in sheet.getElementsByTagNameNS("*", "c"):
        address = c.getAttribute("r")
        values = _children(c, "v")
        if c.getAttribute("t") == "inlineStr":
            runs = [t for t in c.getElementsByTagNameNS("*", "t") if t.parentNode.localName != "rPh"]
            raw = "".join(_text(t) for t in runs)
        elif not values:
            continue
        elif c.getAttribute("t") == "s":
            raw = strings[int(_text(values[0]))]
        else:
            raw = _text(values[0])
        found.setdefault(address, []).append(raw)
    return found


def duplicate_parts(content: bytes) -> list[str]:
    """The zip's part names written more than once."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = [info.filename for info in archive.infolist()]
    return sorted({n for n in names if names.count(n) > 1})
