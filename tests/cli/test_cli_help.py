"""The command line's help and refusals entirely in Vietnamese (issue 21): argparse's own "usage:", "options:",
"show this help message and exit" and its error messages, every option's value named and explained."""

from __future__ import annotations

import argparse
import gettext
import re

import pytest

from papi_analysis.cli.main import main, parser
from papi_analysis.cli.vietnamese import METAVARS

# What argparse writes in English, and words that would betray an untranslated string.
ENGLISH = re.compile(
    r"usage|options|positional|arguments?\b|show this help|message and exit|error|required|invalid|choose from"
    r"|unrecognized|expected|ambiguous|not allowed",
    re.IGNORECASE,
)
CODES = re.compile(r"\b(ci_low|ci_high|std_error)\b")  # what --map values are written as, not words


def english(text: str) -> re.Match | None:
    return ENGLISH.search(CODES.sub("", text))


def parsers() -> dict[str, argparse.ArgumentParser]:
    """The parser and each command's parser."""
    top = parser()
    commands = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    return {"": top, **commands.choices}


def help_of(name: str, capsys) -> str:
    with pytest.raises(SystemExit) as stop:
        main([*([name] if name else []), "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("name", list(parsers()))
def test_every_help_is_in_vietnamese(name, capsys):
    text = help_of(name, capsys)
    assert text.startswith("cách dùng: python -m papi_analysis")
    assert "tùy chọn:" in text and "-h, --help hiện trợ giúp này rồi thoát" in re.sub(r"\s+", " ", text)
    assert not english(text), english(text)


@pytest.mark.parametrize("name", list(parsers()))
def test_every_option_is_explained_and_its_value_named_in_vietnamese(name):
    for action in parsers()[name]._actions:
        assert action.help, f"{name}: {action.option_strings or action.dest} has no help"
        takes_value = action.nargs != 0 and action.choices is None and not isinstance(action, argparse._HelpAction)
        if takes_value and not isinstance(action, argparse._SubParsersAction):
            assert action.metavar in METAVARS.values(), f"{name}: {action.dest} shows as {action.metavar!r}"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["summary"], "thiếu đối số bắt buộc: --province, --year"),
        (["summary", "--province", "Sóc Trăng", "--year", "hai"], "đối số --year: giá trị không hợp lệ: 'hai'"),
        (["tasks", "--role", "boss"], "đối số --role: lựa chọn không hợp lệ: 'boss' (chọn một trong"),
        (["summarise"], "đối số LỆNH: lựa chọn không hợp lệ: 'summarise'"),
        (["build", "--extra"], "đối số không nhận ra: --extra"),
        (["export", "-o"], "đối số -o/--output: cần một giá trị"),
    ],
)
def test_refusals_are_in_vietnamese(args, said, capsys):
    with pytest.raises(SystemExit) as stop:
        main(args)
    error = capsys.readouterr().err
    assert stop.value.code == 2 and ": lỗi: " in error and said in error, error
    assert not ENGLISH.search(error.replace("lỗi", "")), error


def test_argparse_speaks_english_again_outside_our_command_line(capsys):
    help_of("", capsys)
    assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext
    assert "usage:" in argparse.ArgumentParser(prog="x").format_usage()
