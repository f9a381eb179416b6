"""ui.loaders.stamped: one cache per loader, keyed by its arguments and the database's write stamp."""

from __future__ import annotations

import pytest

from ui import loaders


@pytest.fixture
def stamp(monkeypatch):
    current = {"value": ("db", "1")}
    monkeypatch.setattr(loaders, "stamp", lambda: current["value"])
    return current


def test_a_loader_runs_once_per_arguments_and_write_stamp(stamp):
    calls = []

    @loaders.stamped(loaders.PER_VIEW)
    def doubled(x: int) -> int:
        calls.append(x)
        return 2 * x

    assert [doubled(2), doubled(2), doubled(3)] == [4, 4, 6]
    assert calls == [2, 3]
    stamp["value"] = ("db", "2")  # a write from any process
    assert doubled(2) == 4 and calls == [2, 3, 2]


def test_two_loaders_with_the_same_arguments_do_not_share_a_cache(stamp):
    @loaders.stamped(loaders.SHARED)
    def first(x: int) -> str:
        return f"first {x}"

    @loaders.stamped(loaders.SHARED)
    def second(x: int) -> str:
        return f"second {x}"

    assert (first(1), second(1)) == ("first 1", "second 1")
    assert second.__name__ == "second"
