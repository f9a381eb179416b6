"""Who may do what. Viewing needs no account. An *analyst* uploads scores, loads tasks, rolls back and records
any task's status. A *department reporter* (báo cáo viên, an account of one unit: "Sở Nội vụ") records, undoes and
imports the statuses of the tasks its unit leads by name — and nothing else (issue 21). The command line is the
*operator*: whoever runs it holds the database file itself.

The store checks every write against these rules (Store.record_status, undo_status, commit_status_import,
commit_scores, commit_tasks, rollback), so a hidden button is never the only guard. Why only the tasks a unit leads
by name: a task's status is one per task and quarter; a task of "Các sở, ban, ngành tỉnh" belongs to every
department at once, and a partner (phối hợp) reports to the lead, so neither is one department's to declare done.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

import pandas as pd

from papi_analysis.plan.agencies import Role, role_in


class AccountRole(Enum):
    OPERATOR = "operator"  # the command line, the first build, benchmarks and tests
    ANALYST = "analyst"
    REPORTER = "reporter"


@dataclass(frozen=True)
class Account:
    """A signed-in user (or the command line) as the store's writes see it."""

    name: str
    role: AccountRole
    unit: str | None = None  # the unit a reporter reports for

    @classmethod
    def analyst(cls, name: str) -> Account:
        return cls(name, AccountRole.ANALYST)

    @classmethod
    def reporter(cls, name: str, unit: str) -> Account:
        return cls(name, AccountRole.REPORTER, unit)

    @classmethod
    def operator(cls, name: str) -> Account:
        return cls(name, AccountRole.OPERATOR)

    @property
    def is_reporter(self) -> bool:
        return self.role is AccountRole.REPORTER

    @property
    def recorded_as(self) -> str:
        """How the history names who did something: 'lan'; a reporter with its unit, 'hoa (Sở Nội vụ)'."""
        return f"{self.name} ({self.unit})" if self.is_reporter else self.name

    @property
    def title(self) -> str:
        """What the account is, as the page says it: 'cán bộ phân tích', 'báo cáo viên của Sở Nội vụ'."""
        return f"báo cáo viên của {self.unit}" if self.is_reporter else "cán bộ phân tích"


class Action(Enum):
    UPLOAD_SCORES = "tải điểm số lên"
    LOAD_TASKS = "nạp danh sách nhiệm vụ"
    ROLLBACK = "hoàn tác một lượt tải lên"
    RECORD_STATUS = "ghi tình trạng nhiệm vụ"
    UNDO_STATUS = "hoàn tác tình trạng nhiệm vụ"
    IMPORT_STATUSES = "nhập tình trạng từ tệp báo cáo"


REPORTER_ACTIONS = frozenset({Action.RECORD_STATUS, Action.UNDO_STATUS, Action.IMPORT_STATUSES})
REPORTABLE_ROLES = (Role.LEAD,)  # a reporter's unit leads the task by name (see the module's docstring)


class NotAllowed(PermissionError):
    """An account tried what it may not do; the message says what and why, in Vietnamese."""


def as_account(user: str | Account) -> Account:
    """A write's author: an Account as given; a bare name is the command line's (an operator)."""
    return user if isinstance(user, Account) else Account.operator(str(user))


def may(account: Account, action: Action) -> bool:
    """Whether the account may do this kind of thing at all (a reporter: only for its own tasks)."""
    return account.role is not AccountRole.REPORTER or action in REPORTER_ACTIONS


def require(account: Account, action: Action) -> None:
    if not may(account, action):
        raise NotAllowed(
            f"Tài khoản {account.name} ({account.title}) không được {action.value}; việc này dành cho cán bộ phân "
            "tích. Chưa có gì được ghi."
        )


def reports_on(account: Account, lead_units: Iterable[str], coordinating_units: Iterable[str]) -> bool:
    """Whether the account may record the status of a task with these units."""
    if not account.is_reporter:
        return True
    return role_in(list(lead_units), list(coordinating_units), str(account.unit)) in REPORTABLE_ROLES


def reportable(tasks: pd.DataFrame, account: Account) -> pd.Series:
    """Per task (a tasks frame with lead_units, coordinating_units): whether the account records its status."""
    pairs = zip(tasks.lead_units, tasks.coordinating_units, strict=True)
    return pd.Series([reports_on(account, leads, partners) for leads, partners in pairs], index=tasks.index, dtype=bool)


def units_of(tasks: pd.DataFrame, task_ids: Iterable[str]) -> dict[str, tuple[list[str], list[str]]]:
    """task code -> (lead units, coordinating units), from a tasks frame, for require_tasks."""
    by_code = tasks.set_index("task_id")
    return {code: (list(by_code.lead_units[code]), list(by_code.coordinating_units[code])) for code in task_ids}


def require_tasks(account: Account, action: Action, units: dict[str, tuple[list[str], list[str]]]) -> None:
    """units: task code -> (lead units, coordinating units) of the tasks the action touches."""
    require(account, action)
    others = sorted(code for code, (leads, partners) in units.items() if not reports_on(account, leads, partners))
    if others:
        raise NotAllowed(
            f"Tài khoản {account.name} ({account.title}) chỉ được {action.value} của các nhiệm vụ {account.unit} chủ "
            f"trì; {', '.join(others)} không thuộc {account.unit}. Chưa có gì được ghi."
        )
