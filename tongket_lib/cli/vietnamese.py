"""argparse in Vietnamese, through its public extension points only.

A :class:`HelpFormatter` subclass names the help sections and the usage line; a
:class:`Parser` subclass adds a Vietnamese ``-h``, and translates argparse's error
messages (which it builds from fixed English templates) before printing them. Nothing
of argparse is replaced for the rest of the process.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

_SECTIONS = {"positional arguments": "tham số", "options": "tùy chọn",
             "optional arguments": "tùy chọn"}

#: argparse's error templates (Python 3.11–3.13) and their Vietnamese, most specific first
_ERRORS: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (?P<x>.*)", "thiếu tham số bắt buộc: {x}"),
    (r"unrecognized arguments: (?P<x>.*)", "tham số không nhận ra: {x}"),
    (r"ambiguous option: (?P<x>\S+) could match (?P<y>.*)",
     "tùy chọn mơ hồ: {x} có thể là {y}"),
    (r"argument (?P<x>[^:]+): (?P<y>.*)", "tham số {x}: {y}"),
    (r"invalid choice: (?P<x>.*) \(choose from (?P<y>.*)\)",
     "lựa chọn không hợp lệ: {x} (chọn một trong {y})"),
    (r"expected one argument", "cần một giá trị"),
    (r"expected (?P<x>\d+) arguments", "cần {x} giá trị"),
    (r"expected at least one argument", "cần ít nhất một giá trị"),
    (r"invalid \S+ value: (?P<x>.*)", "giá trị không hợp lệ: {x}"),
    (r"not allowed with argument (?P<x>.*)", "không dùng cùng tham số {x}"),
    (r"ignored explicit argument (?P<x>.*)", "bỏ qua giá trị {x}"),
)


def translate(message: str) -> str:
    """An argparse error message in Vietnamese (unknown ones unchanged).

    >>> translate("argument --format: expected one argument")
    'tham số --format: cần một giá trị'
    >>> translate("the following arguments are required: NĂM")
    'thiếu tham số bắt buộc: NĂM'
    """
    for pattern, words in _ERRORS:
        match = re.fullmatch(pattern, message, flags=re.S)
        if match:
            parts = {k: translate(v) if k == "y" and pattern.startswith("argument") else v
                     for k, v in match.groupdict().items()}
            return words.format(**parts)
    return message


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the description's own line breaks; Vietnamese section names and usage."""

    def start_section(self, heading: str | None) -> None:
        super().start_section(_SECTIONS.get(heading or "", heading))

    def add_usage(self, usage: str | None, actions: Any, groups: Any,
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "cách dùng: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Vietnamese (help, usage and errors)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="hiện trợ giúp này rồi thoát")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {translate(message)}\n")
