"""A small XLSX writer for tests, written part by part, because openpyxl cannot write what real workbooks hold: a
formula cell with the value Excel saved beside it (<c><f>D3+I3</f><v>33.37</v></c>). It also writes strings inline
or shared, merged ranges, and leaves each sheet's XML as bytes a fuzz mutation may change before packing.

    sheet_xml(rows, merged=(), shared=None) -> bytes     one worksheet part
    package({title: xml}, strings=None) -> bytes         the workbook around them
    xlsx({title: rows}, shared_strings=False) -> bytes   both
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


@dataclass(frozen=True)
class Formula:
    """A formula and the value Excel saved with it (None: not saved, as a program that cannot compute writes)."""

    expression: str
    cached: float | int | str | None


def _text(value: str) -> str:
    return escape(value).replace("\r", "&#13;")


def cell_xml(ref: str, value: object, shared: dict[str, int] | None = None) -> str:
    """One cell: a number, a text (inline, or shared when `shared` collects the strings), or a formula."""
    if isinstance(value, Formula):
        if value.cached is None:
            return f'<c r="{ref}"><f>{_text(value.expression)}</f></c>'
        if isinstance(value.cached, str):
            return f'<c r="{ref}" t="str"><f>{_text(value.expression)}</f><v>{_text(value.cached)}</v></c>'
        return f'<c r="{ref}"><f>{_text(value.expression)}</f><v>{value.cached!r}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = str(value)
    if shared is not None:
        index = shared.setdefault(text, len(shared))
        return f'<c r="{ref}" t="s"><v>{index}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_text(text)}</t></is></c>'


def sheet_xml(rows: list[list[object]], merged: tuple[str, ...] = (), shared: dict[str, int] | None = None) -> bytes:
    """A worksheet part: row n of `rows` is Excel's row n + 1; None and '' cells are left out."""
    width = max((len(r) for r in rows), default=1)
    parts = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{_REL}">',
        f'<dimension ref="A1:{get_column_letter(max(1, width))}{max(1, len(rows))}"/><sheetData>',
    ]
    for i, row in enumerate(rows, start=1):
        cells = [
            cell_xml(f"{get_column_letter(j)}{i}", value, shared)
            for j, value in enumerate(row, start=1)
            if value is not None and value != ""
        ]
        if cells:
            parts.append(f'<row r="{i}">' + "".join(cells) + "</row>")
    parts.append("</sheetData>")
    if merged:
        parts.append(f'<mergeCells count="{len(merged)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merged))
        parts.append("</mergeCells>")
    parts.append("</worksheet>")
    return "".join(parts).encode()


def _strings_xml(strings: dict[str, int]) -> bytes:
    items = "".join(f'<si><t xml:space="preserve">{_text(t)}</t></si>' for t in sorted(strings, key=strings.get))
    return f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'.encode()


STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def package(sheets: dict[str, bytes], strings: dict[str, int] | None = None) -> bytes:
    """The workbook around sheet parts given as bytes, in order (sheet n is xl/worksheets/sheet{n}.xml)."""
    overrides = [
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>',
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>',
        *(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_TYPE}.worksheet+xml"/>'
            for n in range(1, len(sheets) + 1)
        ),
    ]
    relations = [
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    ]
    relations.append(f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" Target="styles.xml"/>')
    if strings is not None:
        overrides.append(f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>')
        target = f'Type="{_REL}/sharedStrings" Target="sharedStrings.xml"'
        relations.append(f'<Relationship Id="rId{len(sheets) + 2}" {target}/>')
    sheet_list = "".join(
        f'<sheet name="{_text(title)}" sheetId="{n}" r:id="rId{n}"/>' for n, title in enumerate(sheets, start=1)
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>' + "".join(overrides) + "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{_REL}">'
            f"<sheets>{sheet_list}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG_REL}">'
            + "".join(relations)
            + "</Relationships>"
        ),
        "xl/styles.xml": STYLES,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
        for n, xml in enumerate(sheets.values(), start=1):
            z.writestr(f"xl/worksheets/sheet{n}.xml", xml)
        if strings is not None:
            z.writestr("xl/sharedStrings.xml", _strings_xml(strings))
    return out.getvalue()


def xlsx(sheets: dict[str, list[list[object]]], shared_strings: bool = False) -> bytes:
    """A workbook of sheets given as rows (numbers, texts, Formula), strings inline or shared."""
    strings: dict[str, int] | None = {} if shared_strings else None
    parts = {title: sheet_xml(rows, shared=strings) for title, rows in sheets.items()}
    return package(parts, strings)
