"""The command line's own words in Vietnamese: argparse writes "usage:", "options:", "show this help message and
exit" and its error messages through gettext (`argparse._`, `argparse.ngettext`); the parser class here gives it
a Vietnamese catalogue while it builds, formats and parses (issue 21), and names every value in Vietnamese
("--province TỈNH", not "PROVINCE"). Option names and commands stay as they are: they are a public contract.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

# argparse's messages (Python 3.11) that a user can meet; any other string is left as it is.
MESSAGES = {
    "usage: ": "cách dùng: ",
    "positional arguments": "đối số",
    "options": "tùy chọn",
    "subcommands": "lệnh",
    "show this help message and exit": "hiện trợ giúp này rồi thoát",
    "argument %(argument_name)s: %(message)s": "đối số %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "đối số không nhận ra: %s",
    "not allowed with argument %s": "không dùng cùng đối số %s",
    "ignored explicit argument %r": "bỏ qua giá trị %r (tùy chọn này không nhận giá trị)",
    "the following arguments are required: %s": "thiếu đối số bắt buộc: %s",
    "one of the arguments %s is required": "cần một trong các đối số %s",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s chưa rõ: có thể là %(matches)s",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)"
    ),
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
}
PLURALS = {"expected %s argument": "cần %s giá trị"}

# What each option's value is, in the help's "--province TỈNH".
METAVARS = {
    "province": "TỈNH",
    "year": "NĂM",
    "region": "VÙNG",
    "plan": "KẾ_HOẠCH",
    "dimension": "CHỈ_SỐ",
    "measure": "CHỈ_SỐ",
    "unit": "ĐƠN_VỊ",
    "search": "TỪ_KHÓA",
    "as_of": "NGÀY",
    "task_id": "MÃ_NHIỆM_VỤ",
    "period": "KỲ",
    "status": "TÌNH_TRẠNG",
    "note": "KẾT_QUẢ",
    "evidence": "MINH_CHỨNG",
    "user": "TÊN",
    "name": "TÊN",
    "output": "TỆP",
    "file": "TỆP",
    "secrets": "TỆP",
    "sheet": "TRANG_TÍNH",
    "upload_id": "SỐ_LƯỢT",
    "target_rank": "HẠNG",
    "target_group": "MÃ=NHÓM",
    "tasks_file": "TỆP",
    "map": "VỊ_TRÍ=CHỈ_SỐ",
    "skip": "VỊ_TRÍ",
    "confirm_deletions": "SỐ",
}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    return PLURALS.get(singular, singular if count == 1 else plural)


@contextmanager
def vietnamese() -> Iterator[None]:
    """argparse speaks Vietnamese meanwhile (nested uses restore what was there)."""
    before = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _gettext, _ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = before


class VietnameseParser(argparse.ArgumentParser):
    """An ArgumentParser whose help, usage and errors are in Vietnamese; its sub-parsers are too."""

    def __init__(self, *args, **kwargs) -> None:
        with vietnamese():
            super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):
        action = super().add_argument(*args, **kwargs)
        takes_value = action.nargs != 0 and action.choices is None
        if takes_value and action.metavar is None and action.dest in METAVARS:
            action.metavar = METAVARS[action.dest]
        return action

    def add_subparsers(self, **kwargs):
        with vietnamese():
            return super().add_subparsers(**kwargs)

    def parse_args(self, args=None, namespace=None):
        with vietnamese():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with vietnamese():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with vietnamese():
            return super().format_usage()

    def format_help(self) -> str:
        with vietnamese():
            return super().format_help()

    def error(self, message: str):
        with vietnamese():
            super().error(message)
