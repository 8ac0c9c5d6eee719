"""How a result is written: its qualifier (“trên 99,7%”) and its parts (done, stopped …).

The one place that puts a row's ``actual_qualifier`` next to its figure, so tables,
checks and charts all show “trên 99,7%” the same way, and that reads a row's ``parts``
(“hoàn thành=11; dừng=3”) into numbers.
"""

from __future__ import annotations

import re
from typing import Any

from tongket_lib import vn
from tongket_lib.errors import ParseError
from tongket_lib.vn import format_quantity

#: qualifiers written after the figure (“87,5% trở lên”); any other goes before it
AFTER = ("trở lên", "trở xuống", "trở lại", "trở đi")


def _text(value: Any) -> str:
    if vn.missing(value):
        return ""
    return " ".join(str(value).split())


def format_actual(value: Any, unit: Any = None, qualifier: Any = None, missing: str = "") -> str:
    """A result as the report writes it: the figure, its unit and its qualifier.

    >>> format_actual(99.7, "%", "trên"), format_actual(87.5, "%", "trở lên")
    ('trên 99,7%', '87,5% trở lên')
    >>> format_actual(450, "người", "khoảng"), format_actual(None, "%", "trên", missing="—")
    ('khoảng 450 người', '—')
    """
    text = format_quantity(value, unit, missing="")
    if not text:
        return missing
    word = _text(qualifier)
    if not word:
        return text
    return f"{text} {word}" if word.lower().startswith(AFTER) else f"{word} {text}"


_PART = re.compile(r"^\s*(?P<name>[^=;]+?)\s*=\s*(?P<n>-?\d+(?:[.,]\d+)?)\s*$")


def parse_parts(text: Any) -> dict[str, float]:
    """The parts of a result, ``name=number`` separated by semicolons, in order.

    >>> parse_parts("hoàn thành=11; dừng=3; bãi bỏ=1; đang thực hiện=15")
    {'hoàn thành': 11.0, 'dừng': 3.0, 'bãi bỏ': 1.0, 'đang thực hiện': 15.0}
    >>> parse_parts(None)
    {}
    >>> parse_parts("hoàn thành 11")
    Traceback (most recent call last):
    ...
    tongket_lib.errors.ParseError: Không đọc được phần “hoàn thành 11”: ...
    """
    parts: dict[str, float] = {}
    for piece in _text(text).split(";"):
        if not piece.strip():
            continue
        m = _PART.match(piece)
        if not m:
            raise ParseError(f"Không đọc được phần “{piece.strip()}”: viết dạng “tên=số”, các"
                             f" phần cách nhau bằng dấu chấm phẩy, ví dụ “hoàn thành=11;"
                             f" dừng=3”.", piece)
        name = m["name"]
        if name in parts:
            raise ParseError(f"Phần “{name}” ghi hai lần.", piece)
        parts[name] = float(m["n"].replace(",", "."))
    return parts
