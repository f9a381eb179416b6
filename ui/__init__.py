"""The Streamlit side of the pages. A page renders; papi_analysis decides.

At this level, what every page shares:
    loaders, depth_data, target_data   cached loaders keyed by the database file's write stamp
    view                  the shared view: sidebar (year, focus province, comparison group) and the URL
    url_filters           every page's own filters in the URL, kept while the user looks at other pages
    target_rank           the leader's target rank, kept in the URL and across pages (issue 22)
    auth                  who is signed in (an analyst, a department reporter), kept across a reload by a cookie
    sign_in               the one sign-in form, where the user is (the URL and its filters stay)
    session_routes        the server's endpoints that set and clear the HttpOnly session cookie (scripts/papi_asgi.py)
    run_gate, message_batch, per_run
                          how a server process runs the pages: leadership runs take turns, a run's messages
                          reach the event loop in batches, a run keeps what it asks often (issue 18)
    render                page header, group chips, tables, charts, downloads; outside text as text
    html_table, chart_image, copy_text, print_view, phone, uploader, shared, client, streamlit_vi
                          the pieces render builds on: plain HTML tables, chart PNGs, the copy button, the
                          print view, the phone's sidebar, the file uploader, what every viewer shares, the
                          styles and browser code, Vietnamese for Streamlit's own strings

A folder per page holds that page's sections: overview/, dimension/, map/, tasks/, upload/.
"""
