"""Files in and out, below any meaning: an uploaded file's bytes -> a bounded grid of cells, and tables -> bytes.

In the order bytes flow through them:
    decoding      bytes -> text in the encodings Vietnamese offices produce; a bad byte located by line
    csv_records   text -> numbered records, bounded; signs of a file cut short
    xlsx_guard    an XLSX checked against the limits before openpyxl builds anything from it
    xlsx_book     the workbook opened step by step; one sheet read at a time
    xlsx_sheet    a sheet's cells as Excel wrote them: ASCII numbers, formulas' saved values, order and merges
    tabular       any uploaded file (CSV or XLSX) -> its sheets, each a grid of cells with where each came from
    export        tables -> CSV (UTF-8 BOM, formula-safe), CSV for Vietnamese Excel, XLSX; file names
"""
