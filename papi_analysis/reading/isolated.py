"""Parse an uploaded file in a child process held to time and memory limits (limits.py), so that no file
can stall or kill the dashboard or the command line that received it (issue 10).

The children come from multiprocessing's fork server: one clean process, started on first use, that
has already imported the parsers; each parse is a fork of it (tens of milliseconds, bench/hostile.py),
never a fork of the multi-threaded Streamlit server. A child sets its own rlimits (address space
beyond what it starts with, CPU seconds, no core file) and the caller waits at most PARSE_SECONDS,
then kills it. Whatever happens in the child — a refusal, MemoryError, a crash, a kill — the caller
gets the parser's value or InvalidFile with a Vietnamese message; nothing else.

The functions here have the signatures of the in-process parsers they wrap (ingest.read_scores and
ingest.parse_scores, plan_tasks.parse_tasks, status_file.parse_status_file, tabular.excel_sheets): every uploaded
file, whatever the door it comes through, is parsed here (issue 20; tests/behaviour/test_doors.py drives every
upload path with the readers broken in the caller's process). The seed build parses data/ in-process: those files
are ours.
"""

from __future__ import annotations

import ast
import dataclasses
import logging
import multiprocessing
import resource
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from papi_analysis import limits
from papi_analysis.files import tabular
from papi_analysis.plan import plan_tasks, status_file
from papi_analysis.plan.task_status import Period
from papi_analysis.problems import InvalidFile, Problem
from papi_analysis.reading import ingest
from papi_analysis.reading.context import Choices
from papi_analysis.reading.mapping import Remembered
from papi_analysis.reference import Reference

_PARSERS = [
    "papi_analysis.reading.ingest",
    "papi_analysis.plan.plan_tasks",
    "papi_analysis.plan.status_file",
    "papi_analysis.files.tabular",
]
_context_lock = threading.Lock()
_context: Any = None
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Usage:
    seconds: float  # wall time, as the caller waited
    child_peak_mb: float | None  # the child's peak resident memory (None: it did not report)
    child_cpu_seconds: float | None


@dataclass
class Outcome:
    usage: Usage
    value: Any = None
    problems: list[Problem] | None = None  # set when the file was refused

    def result(self) -> Any:
        if self.problems is not None:
            raise InvalidFile(self.problems)
        return self.value


def _preload() -> list[str]:
    """The modules the fork server imports once, so that a fork costs milliseconds.

    Python 3.11 re-runs a main *script* (`streamlit run` is one: .venv/bin/streamlit) in every child, and
    ignores a '__main__' preload (the fork server looks for a 'main_path' key that
    spawn.get_preparation_data never sets). Re-running the script is cheap once what it imports is
    loaded, so the modules it imports are preloaded too. A main run as a module (python -m …) is not re-run.
    """
    return sorted(set(_PARSERS) | set(_imported_by_main_script()))


def _imported_by_main_script() -> list[str]:
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or getattr(main, "__spec__", None) is not None or not path:
        return []
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return []
    names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
    return [name for name in names if name in sys.modules]


def _forkserver():
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_preload())
            _context = context
        return _context


def _lower(kind: int, wanted: int) -> None:
    """Set a limit, never above the hard limit this process was started with (systemd, ulimit)."""
    _, hard = resource.getrlimit(kind)
    value = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    resource.setrlimit(kind, (value, value))


def _limit_myself() -> None:
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * resource.getpagesize()
    _lower(resource.RLIMIT_AS, mapped + limits.PARSE_MEMORY_BYTES)
    _lower(resource.RLIMIT_CPU, limits.PARSE_CPU_SECONDS)
    _lower(resource.RLIMIT_CORE, 0)


def _child(sender, function: Callable, args: tuple, kwargs: dict) -> None:
    """Runs in the child: the function's value or refusal, and what the child used, sent back once."""
    try:
        _limit_myself()
        try:
            message: tuple = ("value", function(*args, **kwargs))
        except InvalidFile as error:
            message = ("invalid", error.problems)
        except MemoryError:
            message = ("memory", None)
        except Exception:
            message = ("error", traceback.format_exc(limit=-10))
        used = resource.getrusage(resource.RUSAGE_SELF)
        sender.send((*message, used.ru_maxrss / 1024, used.ru_utime + used.ru_stime))
    except MemoryError:
        sender.send(("memory", None, None, None))
    finally:
        sender.close()


def _wait(receiver, process) -> tuple:
    try:
        if receiver.poll(limits.PARSE_SECONDS):
            return receiver.recv()
        return ("timeout", None, None, None)
    except (EOFError, OSError):
        return ("died", process.exitcode, None, None)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()


def _refusal(kind: str, detail: Any, file: str) -> list[Problem]:
    if kind == "timeout":
        message = f"Đọc tệp quá {limits.PARSE_SECONDS:g} giây nên đã dừng: tệp quá lớn hoặc có cấu trúc bất thường."
    elif kind == "memory":
        message = f"Đọc tệp cần hơn {limits.megabytes(limits.PARSE_MEMORY_BYTES)} bộ nhớ nên đã dừng."
    elif kind == "died":
        message = "Quá trình đọc tệp bị dừng (vượt giới hạn thời gian xử lý hoặc bộ nhớ)."
    else:
        log.error("parsing %s failed:\n%s", file, detail)
        message = "Không đọc được tệp do một lỗi của chương trình (đã ghi vào nhật ký để sửa)."
    return [Problem(file=file, message=message + " Chưa ghi gì.")]


def run(function: Callable, *args: Any, file: str, **kwargs: Any) -> Outcome:
    """function(*args, **kwargs) in a limited child process; the caller's own memory stays flat."""
    context = _forkserver()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, function, args, kwargs), daemon=True)
    started = time.perf_counter()
    process.start()
    sender.close()
    kind, detail, peak_mb, cpu = _wait(receiver, process)
    usage = Usage(seconds=time.perf_counter() - started, child_peak_mb=peak_mb, child_cpu_seconds=cpu)
    if kind == "value":
        return Outcome(usage=usage, value=detail)
    if kind == "invalid":
        return Outcome(usage=usage, problems=detail)
    return Outcome(usage=usage, problems=_refusal(kind, detail, file))


# The parsers, without sending the file's bytes back: the caller has them already.
def _scores_without_bytes(content: bytes, file: str, ref: Reference, **options: Any) -> ingest.ScoresReading:
    reading = ingest.read_scores(content, file, ref, **options)
    if reading.parsed is not None:
        reading.parsed = dataclasses.replace(reading.parsed, content=b"")
    return reading


def _tasks_without_bytes(content: bytes, file: str, ref: Reference, plans: dict) -> plan_tasks.LoadedTasks:
    return dataclasses.replace(plan_tasks.parse_tasks(content, file, ref, plans), content=b"")


def read_scores(
    content: bytes, file: str, ref: Reference, choices: Choices | None = None, remembered: Remembered | None = None
) -> ingest.ScoresReading:
    """ingest.read_scores in a limited child process: the file read, or refused with what was understood of it
    (a file that stops the child is refused with the reason, and nothing understood)."""
    outcome = run(_scores_without_bytes, content, file, ref, file=file, choices=choices, remembered=remembered)
    if outcome.problems is not None:
        return ingest.ScoresReading(None, outcome.problems)
    reading = outcome.value
    if reading.parsed is not None:
        reading.parsed = dataclasses.replace(reading.parsed, content=content)
    return reading


def parse_scores(content: bytes, file: str, ref: Reference, **options: Any) -> ingest.ParsedScores:
    """ingest.parse_scores in a limited child process (same arguments, same InvalidFile)."""
    choices = options.pop("choices", None) or Choices(
        year=options.pop("year", None),
        unit_set=options.pop("unit_set", None),
        sheet=options.pop("sheet", None),
        lines=dict(options.pop("mapping", None) or {}),
    )
    return read_scores(content, file, ref, choices, options.pop("remembered", None)).value()


def parse_tasks(content: bytes, file: str, ref: Reference, plans: dict) -> plan_tasks.LoadedTasks:
    """plan_tasks.parse_tasks in a limited child process."""
    loaded = run(_tasks_without_bytes, content, file, ref, plans, file=file).result()
    return dataclasses.replace(loaded, content=content)


def _status_without_bytes(content: bytes, file: str, *args: Any) -> status_file.StatusImport:
    return dataclasses.replace(status_file.parse_status_file(content, file, *args), content=b"")


def parse_status_file(
    content: bytes, file: str, plan_id: str, tasks: pd.DataFrame, history: pd.DataFrame, period: Period
) -> status_file.StatusImport:
    """status_file.parse_status_file (the quarterly report) in a limited child process."""
    imported = run(_status_without_bytes, content, file, plan_id, tasks, history, period, file=file).result()
    return dataclasses.replace(imported, content=content)


def excel_sheets(content: bytes, file: str) -> list[str]:
    """tabular.excel_sheets in a limited child process."""
    return run(tabular.excel_sheets, content, file, file=file).result()
