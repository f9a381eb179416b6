"""The fork server's preload list names modules as strings: a name that no longer exists only makes every
fork slower, silently (issue 18), so each must import."""

import importlib

from papi_analysis.reading import isolated


def test_every_preloaded_parser_module_exists():
    for name in isolated._PARSERS:
        assert importlib.import_module(name).__name__ == name
