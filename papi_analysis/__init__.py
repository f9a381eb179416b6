"""PAPI analysis core: store, ingest, metrics, tasks, exports. Never imports streamlit."""
