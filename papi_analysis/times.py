"""Times as users read them: always Vietnam's (Asia/Ho_Chi_Minh), and said so.

The database keeps naive times: a task status change in UTC (task_status.utc_now), an upload or a rollback in
the server's local time (uploads.uploaded_at, rolled_back_at, as written since the first release). Both are
shown here in Vietnam time; the server's zone is read from the machine, as when the times were written.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from papi_analysis import fmt

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
LABEL = "giờ Việt Nam"


def vietnam_today() -> date:
    """Today's date in Vietnam, whatever the server's zone (a dashboard run from a UTC server at 23:00 UTC is
    already the next day in Vietnam)."""
    return datetime.now(VIETNAM).date()


def from_server_time(moment: object) -> str:
    """A naive time written in the server's local zone, shown in Vietnam time: 'dd/mm/yyyy HH:MM'."""
    if fmt.is_missing(moment):
        return fmt.MISSING
    local = pd.Timestamp(moment).to_pydatetime().astimezone()  # naive: read as the machine's local time
    return fmt.moment(local.astimezone(VIETNAM).replace(tzinfo=None))


def from_utc(moment: object) -> str:
    """A naive UTC time shown in Vietnam time: 'dd/mm/yyyy HH:MM'."""
    if fmt.is_missing(moment):
        return fmt.MISSING
    stamp = pd.Timestamp(moment).to_pydatetime().replace(tzinfo=UTC)
    return fmt.moment(stamp.astimezone(VIETNAM).replace(tzinfo=None))
