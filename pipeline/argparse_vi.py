"""argparse in Vietnamese: its own texts (usage, group titles, error phrases) translated.

argparse looks its texts up through ``gettext`` (module-level ``_`` and ``ngettext``). The
``vietnamese()`` context swaps those two for a lookup in ``WORDS`` while a parser is built, prints
help or parses, and puts them back after, so nothing else in the process is affected.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: argparse's English texts (Python 3.11–3.13) → Vietnamese. %-placeholders are kept as they are.
WORDS: dict[str, str] = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "Tham số",
    "options": "Tùy chọn",
    "optional arguments": "Tùy chọn",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "the following arguments are required: %s": "còn thiếu tham số bắt buộc: %s",
    "one of the arguments %s is required": "cần ghi một trong các tham số %s",
    "not allowed with argument %s": "không dùng cùng lúc với tham số %s",
    "expected one argument": "cần ghi một giá trị sau tham số này",
    "expected at most one argument": "chỉ được ghi nhiều nhất một giá trị",
    "expected at least one argument": "cần ghi ít nhất một giá trị",
    "expected %s argument": "cần ghi %s giá trị",
    "expected %s arguments": "cần ghi %s giá trị",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "không có lựa chọn %(value)r (chọn một trong: %(choices)s)",
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)":
        "không có lựa chọn %(value)r, có phải là %(closest)r? (chọn một trong: %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s":
        "tùy chọn %(option)s chưa rõ, có thể là %(matches)s",
    "ignored explicit argument %r": "tham số %r không dùng được ở đây",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "không có lệnh %(parser_name)r (các lệnh: %(choices)s)",
    "argument '%(argument_name)s' is deprecated": "tham số '%(argument_name)s' không còn dùng",
    "command '%(parser_name)s' is deprecated": "lệnh '%(parser_name)s' không còn dùng",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
}


def translate(text: str) -> str:
    return WORDS.get(text, text)


def ntranslate(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


@contextmanager
def vietnamese() -> Iterator[None]:
    """argparse speaks Vietnamese inside this block (build the parser and parse inside it)."""
    # argparse's module-level ``_`` and ``ngettext`` are not in its stubs: the module seen untyped.
    module: Any = argparse
    saved = module._, module.ngettext
    module._, module.ngettext = translate, ntranslate
    try:
        yield
    finally:
        module._, module.ngettext = saved


class HelpFormatter(argparse.HelpFormatter):
    """Wider help column, so the Vietnamese descriptions are not broken after a few words."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30, width=100)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Vietnamese even outside ``vietnamese()``."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        with vietnamese():
            super().__init__(*args, **kwargs)

    def add_argument_group(self, *args, **kwargs):
        with vietnamese():
            return super().add_argument_group(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):
        with vietnamese():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with vietnamese():
            return super().parse_known_args(args, namespace)

    def format_help(self) -> str:
        with vietnamese():
            return super().format_help()

    def format_usage(self) -> str:
        with vietnamese():
            return super().format_usage()

    def error(self, message: str):
        with vietnamese():
            self.print_usage(sys.stderr)
            self.exit(2, translate("%(prog)s: error: %(message)s\n")
                      % {"prog": self.prog, "message": message}
                      + "Xem hướng dẫn: " + self.prog + " -h\n")
