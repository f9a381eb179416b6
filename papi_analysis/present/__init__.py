"""Presenting results: tables, plotly figures, the tile map, prose and the Word report. Data in, objects out.

In the order they build on each other:
    plotly_vi      every chart's plotly configuration (the 'vi' locale)
    trend_chart    every trend: lines break at 2018 and at the reorganisation
    charts         plotly figure builders
    sparkline      the overview's small line of the aggregate, with its years (HTML/SVG)
    tiles          the tile layouts of data/tiles_*.csv and their checks
    tilemap        the tile map figure
    prose          a summary in Vietnamese words: the plan's paragraph, notes, caveats
    target_text    what it takes in Vietnamese words: the points to the next group or a rank, places per +0,10
    tables         display and export tables
    depth          sub-dimensions and indicators as the dimension page shows them
    static_charts  PNG pictures of the charts for the Word report (matplotlib)
    docx_layout    the administrative document's pieces (Nghị định 30/2020): A4, headings, tables whose rows never split
    report         the results report as a Word draft (python-docx), issued by the body that exists when drafted
    plan_draft     next year's improvement plan as a Word draft, and its tasks file (issue 22)
"""
