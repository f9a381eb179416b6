"""Reading a scores file: an uploaded file's sheets (files.tabular) -> the validated frames the store keeps.

Found from the content, whatever the file's shape (issue 19). In the order a file flows through them:
    context       what every step shares: the file, the analyst's choices, the sheet, the year, what was skipped
    line_targets  what a line is read as: a score, a bound (papi_analysis.bounds), an indicator, a role, ignored, unread
    sheets        step 0: which sheets a reading takes (the one chosen or of the year; era-1 detail sheets with it)
    extras        what is not data: ID, scale, unit, notes, names, separators, summary rows and columns
    axis          step 1: where the units are (the line naming the most units), the header, what else each line is
    years         the year of the rows without a year cell: chosen, sheet name, title rows, file name
    labels        what the label of a row or column means (aggregate, dimension, part, bound, indicator, role)
    mapping       the lines of a file and what each is read as; the file's shape; remembered mappings
    layout        step 1b: every line with its labels read together (the layout's kind follows)
    structure     what a layout must hold before its values are read
    melt          step 2: the source as long cells, one per (unit, line)
    resolve       step 3: units, years and numbers
    assemble      step 3b: scores with their bounds, indicators, the names a year's file gives its parts
    score_checks  step 4: checks across cells (scales, duplicates, totals, sub-dimension sums)
    ingest        the entry point: read_scores runs the steps above and returns a ScoresReading
    plausibility  warnings about a file that reads fine but may not be what the analyst thinks
    isolated      every uploaded file is parsed in a fork-server child held to time and memory limits
The upload itself — read, preview, commit — is one path for the page and the command line: store.scores_upload.
"""
