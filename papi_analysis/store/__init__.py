"""The DuckDB file: every read and the one guarded write path.

In the order data flows through them:
    migrations    the schema as small named migrations, recorded as applied
    seed          data/ into the first build
    upload_diff   what an upload would change: cells added, changed and removed against what is stored
    writes        the SQL of every write, inside the transaction the store holds
    reads         the reads a write decides on (reference, scores, cells, mappings, the diff, statuses)
    database      Store: connections, migrations and the first build, reads, transaction(), rollback
    scores_upload a scores upload for the page and the command line alike: read, preview, commit with its signature
"""

from .database import Store, StoreError

__all__ = ["Store", "StoreError"]
