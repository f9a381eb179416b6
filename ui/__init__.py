"""The Streamlit side of the pages. A page renders; papi_analysis decides.

At this level, what every page shares:
    loaders, depth_data   cached loaders keyed by the database file's write stamp
    view                  the shared view: sidebar (year, focus province, comparison group) and the URL
    url_filters           every page's own filters in the URL, kept while the user looks at other pages
    auth                  who is signed in
    render                page header, group chips, tables, charts, downloads; outside text as text
    html_table, chart_image, copy_text, print_view, phone, uploader, shared, client, streamlit_vi
                          the pieces render builds on: plain HTML tables, chart PNGs, the copy button, the
                          print view, the phone's sidebar, the file uploader, what every viewer shares, the
                          styles and browser code, Vietnamese for Streamlit's own strings

A folder per page holds that page's sections: overview/, dimension/, map/, tasks/, upload/.
"""
