"""PAPI analysis core: everything the dashboard and the command line know. Never imports streamlit.

Data flows one way through its packages: files -> reading -> store -> results -> present, with plan beside
results and cli on top. The shared leaves at this level are imported by every package:

    domain      fixed facts of the index (dimensions, scales, groups, the 2018 break, the 2025 reorganisation)
    reference   units, regions, measures and their names, as one object every module looks things up in
    names       names as people type them (diacritics, aliases, suggestions)
    fmt         Vietnamese display of numbers, ranks, changes and dates
    times       Vietnam's time and today
    paths       where the project's files and the database live
    limits      every limit an uploaded file is held to
    problems    a located problem in an uploaded file, and the refusal that carries them
    bounds      the confidence bounds and standard error: their keys, columns, names and spellings, in one table
    characters  the characters text from outside may hold (XML 1.0, Word): refused at the door, replaced at the exit
    faults      a full disk, a read-only folder, a locked file: said in Vietnamese, never a traceback

    files/      bytes -> a grid of cells (CSV, XLSX, bounded); tables -> downloadable bytes
    reading/    an uploaded scores file -> validated frames, parsed in a bounded child process
    store/      the DuckDB file: schema, first build, reads, the one write path, the upload diff
    results/    ranks, groups, changes, comparison groups, lineage, trends, a province's summary
    plan/       the improvement plan: tasks, agencies, statuses, the status file, the plan's effect
    present/    tables, charts, the map, prose and the Word report built from results
    access/     analyst passwords, the sign-in throttle, the accounts file
    cli/        python -m papi_analysis …
"""
