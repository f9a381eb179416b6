"""The Streamlit side shared by the pages: data (cached loaders), view (sidebar, URL, the current
view), auth (sign-in) and render (chips, tables, charts, downloads). A page renders; papi_analysis
decides."""
