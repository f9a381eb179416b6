"""Following a plan through the year: the status of each task per reporting period (quarter), what is
overdue, and the progress of a set of tasks.

A status is recorded for a task and a period ("2023-Q3") as a change row (see migration 004_task_status);
changes are never edited, only marked undone. The status of a task *as of* a period is its latest change
in effect for that period or, if none, for the latest earlier period with one. A task is *quá hạn*
(overdue) on a day when it has a due date before that day and its status as of that day is neither
Hoàn thành nor Không thực hiện được (a task declared not feasible is closed, with its reason in the note).
Times are stored in UTC and shown in Vietnam's time zone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum

import pandas as pd

from papi_analysis import characters, fmt
from papi_analysis.names import nfc, plain

MAX_NOTE = 2000  # characters of a "kết quả" note
MAX_EVIDENCE = 500  # characters of a "minh chứng" reference
NO_STATUS = "Chưa báo cáo"
ROMAN = ("I", "II", "III", "IV")
_PERIOD = re.compile(r"^\s*(\d{4})\s*-\s*[Qq]([1-4])\s*$")
_PERIOD_VI = re.compile(r"^\s*Quý\s+(IV|III|II|I)\s*/\s*(\d{4})\s*$", re.IGNORECASE)
STATUS_COLUMNS = ["status", "status_period", "note", "evidence", "recorded_by", "recorded_at", "change_id"]


class TaskStatus(Enum):
    NOT_STARTED = "Chưa triển khai"
    IN_PROGRESS = "Đang triển khai"
    DONE = "Hoàn thành"
    NOT_FEASIBLE = "Không thực hiện được"

    @property
    def closed(self) -> bool:
        return self in (TaskStatus.DONE, TaskStatus.NOT_FEASIBLE)


STATUSES = tuple(s.value for s in TaskStatus)
_STATUS_KEYS = {plain(s.value): s for s in TaskStatus}


def parse_status(text: object) -> TaskStatus:
    """A status by its name in any case, with or without diacritics; ValueError naming the four otherwise."""
    found = _STATUS_KEYS.get(plain(str(text or "")))
    if found is None:
        raise ValueError(f"Tình trạng '{text}' không hợp lệ; chọn một trong: {', '.join(STATUSES)}.")
    return found


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: a quarter of a year."""

    year: int
    quarter: int

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def label(self) -> str:
        """As official documents write it: 'Quý III/2023'."""
        return f"Quý {ROMAN[self.quarter - 1]}/{self.year}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        return date.fromordinal(self.next().start.toordinal() - 1)

    def next(self) -> Period:
        return Period(self.year + self.quarter // 4, self.quarter % 4 + 1)


def parse_period(text: str) -> Period:
    """'2023-Q3' (or 'Quý III/2023') -> Period; ValueError otherwise."""
    if match := _PERIOD.match(str(text)):
        return Period(int(match.group(1)), int(match.group(2)))
    if match := _PERIOD_VI.match(str(text)):
        return Period(int(match.group(2)), ROMAN.index(match.group(1).upper()) + 1)
    raise ValueError(f"Kỳ báo cáo '{text}' không hợp lệ (cần dạng 2023-Q3: năm, quý 1–4).")


def period_of(day: date) -> Period:
    return Period(day.year, (day.month - 1) // 3 + 1)


def plan_periods(issued_on: object, target_year: int, today: date, recorded: list[str] = ()) -> list[Period]:
    """The periods a plan reports on, latest first: from the quarter it was issued (or the target year's first)
    to the end of the year after its target year, not beyond today's quarter; plus any period already recorded."""
    first = period_of(pd.Timestamp(issued_on).date()) if not fmt.is_missing(issued_on) else Period(target_year, 1)
    last = min(Period(target_year + 1, 4), max(period_of(today), first))
    periods, current = set(), first
    while current <= last:
        periods.add(current)
        current = current.next()
    periods.update(parse_period(p) for p in recorded)
    return sorted(periods, reverse=True)


def default_period(periods: list[Period], target_year: int, today: date) -> Period:
    """The period a plan is looked at by default: today's quarter while the target year runs, its last quarter
    once it is over (later quarters stay available for tasks that go on)."""
    wanted = min(period_of(today), Period(target_year, 4))
    return wanted if wanted in periods else periods[0]


def as_of_day(period: Period, today: date) -> date:
    """The day a period's view is computed for: its last day, or today while the period is running."""
    return min(period.end, today)


def utc_now() -> datetime:
    """Now in UTC, without a zone (how the database stores times)."""
    return datetime.now(UTC).replace(tzinfo=None)


# --- one change ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StatusChange:
    """A status to record for a task and a period, validated (see status_change)."""

    plan_id: str
    task_id: str
    period: Period
    status: TaskStatus
    note: str | None = None
    evidence: str | None = None

    def row(self) -> dict[str, object]:
        return {
            "plan_id": self.plan_id,
            "task_id": self.task_id,
            "period": str(self.period),
            "status": self.status.value,
            "note": self.note,
            "evidence": self.evidence,
        }

    def same_as(self, record: dict | None) -> bool:
        """Whether a recorded change (a history row) already says exactly this."""
        if not record:
            return False
        recorded = tuple(
            None if fmt.is_missing(record.get(k)) else record.get(k) for k in ("status", "note", "evidence")
        )
        return recorded == (self.status.value, self.note, self.evidence)


def clean_text(value: object, limit: int, what: str, one_line: bool = False) -> str | None:
    """A note or an evidence reference as stored: NFC, trimmed, whitespace tidied, empty -> None; ValueError when
    longer than the limit or holding a character Word and Excel cannot (characters.py: refused, never dropped)."""
    if fmt.is_missing(value):
        return None
    if message := characters.problem(str(value)):
        raise ValueError(f"{what}: {message}")
    text = nfc(str(value)).replace("\r\n", "\n")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")
    text = " ".join(text.split()) if one_line else "\n".join(" ".join(line.split()) for line in text.split("\n"))
    text = text.strip()
    if len(text) > limit:
        raise ValueError(f"{what} dài {len(text)} ký tự, vượt giới hạn {limit} ký tự.")
    return text or None


def status_change(
    plan_id: str, task_id: str, period: str | Period, status: str, note: object = None, evidence: object = None
) -> StatusChange:
    """Validate a status to record; ValueError with a message for the user."""
    return StatusChange(
        plan_id=plan_id,
        task_id=task_id,
        period=period if isinstance(period, Period) else parse_period(period),
        status=parse_status(status),
        note=clean_text(note, MAX_NOTE, "Kết quả"),
        evidence=clean_text(evidence, MAX_EVIDENCE, "Minh chứng", one_line=True),
    )


# --- statuses of tasks ------------------------------------------------------------------------------
def in_effect(history: pd.DataFrame) -> pd.DataFrame:
    """The changes not undone."""
    return history[history.undone_at.isna()]


def latest(history: pd.DataFrame, period: Period | None = None, exact: bool = False) -> pd.DataFrame:
    """Each task's status as of a period (None: the latest recorded), one row per plan_id, task_id with
    STATUS_COLUMNS; exact=True keeps only changes of that very period."""
    rows = in_effect(history)
    if period is not None:
        rows = rows[rows.period == str(period)] if exact else rows[rows.period <= str(period)]
    rows = rows.sort_values(["period", "change_id"]).drop_duplicates(["plan_id", "task_id"], keep="last")
    rows = rows.rename(columns={"period": "status_period"})
    return rows[["plan_id", "task_id", *STATUS_COLUMNS]].reset_index(drop=True)


def with_status(tasks: pd.DataFrame, history: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Tasks with their status as of the day's period (STATUS_COLUMNS; status None: nothing recorded) and
    'overdue' on that day."""
    current = latest(history, period_of(as_of))
    out = tasks.drop(columns=[c for c in STATUS_COLUMNS if c in tasks.columns]).merge(
        current, on=["plan_id", "task_id"], how="left"
    )
    out.index = tasks.index
    out["status"] = out.status.astype(object).where(out.status.notna(), None)
    out["overdue"] = [is_overdue(d, s, as_of) for d, s in zip(out.due_date, out.status, strict=True)]
    return out


def with_status_filter(tasks: pd.DataFrame, status: str | None) -> pd.DataFrame:
    """with_status output kept to one status (NO_STATUS: nothing recorded yet); None keeps all."""
    if not status:
        return tasks
    return tasks[tasks.status.map(status_display) == status]


def is_overdue(due_date: object, status: str | None, as_of: date) -> bool:
    if fmt.is_missing(due_date) or pd.Timestamp(due_date).date() >= as_of:
        return False
    return status is None or not parse_status(status).closed


def status_display(status: str | None) -> str:
    return status or NO_STATUS


@dataclass(frozen=True)
class Progress:
    """How far a set of tasks has got as of a day."""

    total: int
    counts: dict[str, int]  # by status name, plus NO_STATUS
    overdue: int

    @property
    def done(self) -> int:
        return self.counts.get(TaskStatus.DONE.value, 0)

    @property
    def done_share(self) -> float | None:
        return self.done / self.total if self.total else None

    def sentence(self) -> str:
        """'3/7 nhiệm vụ hoàn thành (43%); 2 đang triển khai; 1 quá hạn.'"""
        if not self.total:
            return "Không có nhiệm vụ."
        parts = [f"{self.done}/{self.total} nhiệm vụ hoàn thành ({fmt.number(100 * self.done_share, 0)}%)"]
        for name in (*STATUSES[:2], STATUSES[3], NO_STATUS):
            if self.counts.get(name):
                parts.append(f"{self.counts[name]} {name.lower()}")
        if self.overdue:
            parts.append(f"{self.overdue} quá hạn")
        return "; ".join(parts) + "."


def progress(tasks: pd.DataFrame) -> Progress:
    """tasks: with_status output."""
    counts = tasks.status.map(status_display).value_counts().to_dict()
    return Progress(total=len(tasks), counts={k: int(v) for k, v in counts.items()}, overdue=int(tasks.overdue.sum()))
