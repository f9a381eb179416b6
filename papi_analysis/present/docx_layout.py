"""The pieces of a Word document in the form of a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP):
A4 portrait, Times New Roman 14, page numbers from page 2, justified paragraphs, bordered tables whose rows
never break across pages and whose header row repeats on every page. Shared by the results report and the plan
draft; no content of its own."""

from __future__ import annotations

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from papi_analysis import characters, fmt

FONT = "Times New Roman"
BODY_PT, TABLE_PT = 14, 12
TEXT_WIDTH_CM = 16.5  # A4 (21 cm) less the left (3 cm) and right (1.5 cm) margins


def document() -> Document:
    """An empty A4 document with the decree's margins, font and page numbers (centred at the top, from page 2)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    section.different_first_page_header_footer = True
    _page_number(section.header.paragraphs[0])
    return doc


def _page_number(paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def para(container, text: str = "", *, bold=False, italic=False, size=None, align=None, indent=True, after=6):
    """A paragraph: justified with a first-line indent unless aligned otherwise."""
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(characters.xml_safe(text))  # a stored value Word cannot hold never fails a document
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if align is None else align
    paragraph.paragraph_format.first_line_indent = Cm(1.27) if indent and align is None else None
    paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


def centre(container, text: str, **kwargs):
    return para(container, text, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, **kwargs)


def section_title(doc, text: str) -> None:
    """A heading kept on the page of what follows it."""
    para(doc, text, bold=True, indent=False, after=6).paragraph_format.keep_with_next = True


def caption(doc, text: str) -> None:
    paragraph = centre(doc, text, italic=True, size=12, after=3)
    paragraph.paragraph_format.keep_with_next = True


def lines(cell, rows: list[tuple[str, bool, bool, int]], align=None) -> None:
    """Short lines in a layout cell: (text, bold, italic, size) each, no space between them."""
    for i, (text, bold, italic, size) in enumerate(rows):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        run = paragraph.add_run(characters.xml_safe(text))
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.keep_with_next = True


def widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths: the table grid (what Word and LibreOffice lay a fixed table out by) and the first
    row's cells (python-docx's per-cell access is slow on long tables)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=True):
        column.w = Cm(width)
    for cell, width in zip(table.rows[0].cells, widths_cm, strict=True):
        cell.width = Cm(width)


def layout_table(doc, widths_cm: list[float]):
    """A borderless one-row table that places blocks side by side (the heading, the signature)."""
    table = doc.add_table(rows=1, cols=len(widths_cm))
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)
    margins = OxmlElement("w:tblCellMar")  # no inner margins: the blocks use the whole width
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)
    widths(table, widths_cm)
    keep_rows_whole(table)
    return table


def _row_property(row, name: str) -> None:
    element = OxmlElement(f"w:{name}")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def keep_rows_whole(table) -> None:
    """No row of the table breaks across a page (the row moves to the next page whole)."""
    for row in table.rows:
        _row_property(row, "cantSplit")


def keep_together(table) -> None:
    """The whole table on one page: every row kept with the next (Word and LibreOffice read it so)."""
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def grid(doc, frame: pd.DataFrame, widths_cm: list[float], size: int = TABLE_PT, *, whole: bool = False) -> None:
    """A bordered table of text cells: a bold header row repeated on every page, rows never split; `whole`: a
    short table read as one (a table of results) is kept on one page with its caption."""
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, name in zip(table.rows[0].cells, frame.columns, strict=True):
        _cell(cell, str(name), size, bold=True)
    _row_property(table.rows[0], "tblHeader")
    for values in frame.itertuples(index=False):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            _cell(cell, fmt.MISSING if fmt.is_missing(value) else str(value), size)
    widths(table, widths_cm)
    keep_rows_whole(table)
    if whole:
        keep_together(table)
    para(doc, "", after=3)


def _cell(cell, text: str, size: int, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(characters.xml_safe(text))
    run.bold, run.font.size = bold, Pt(size)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
