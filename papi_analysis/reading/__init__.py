"""Reading a scores file: a grid of cells (files.tabular) -> the validated frames the store keeps.

In the order a file flows through them:
    labels        what the label of a row or column means (aggregate, dimension, bound, indicator, role)
    mapping       the lines of a file and what each is read as; the file's shape; remembered mappings
    layout        step 1: recognise the layout (provinces in rows or columns, title rows), read each line's label
    structure     what a layout must hold before its values are read
    melt          step 2: the source as long cells, one per (unit, line)
    resolve       step 3: units, years and numbers
    assemble      step 3b: scores with their bounds, indicators, the names a year's file gives its parts
    score_checks  step 4: checks across cells (scales, duplicates, totals, sub-dimension sums)
    ingest        the entry point: parse_scores runs the steps above and returns ParsedScores
    plausibility  warnings about a file that reads fine but may not be what the analyst thinks
    isolated      every uploaded file is parsed in a fork-server child held to time and memory limits
"""
