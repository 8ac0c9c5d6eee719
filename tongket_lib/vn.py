"""Vietnamese numbers, percents, money and dates: writing them and reading them back.

Vietnamese writes "." between thousands and "," before decimals (486.771.474;
92,76%), money in đồng, and dates as dd/mm/yyyy. Formatting goes through Babel's
``vi`` locale; reading is strict and raises :class:`~tongket_lib.errors.ParseError`
with a Vietnamese message for anything it cannot read.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import unicodedata
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from tongket_lib.errors import ParseError

LOCALE = "vi"

# Rounds half up as people and spreadsheets do (0,125 -> 0,13), with room for
# numbers longer than the default context's 28 digits.
_CONTEXT = decimal.Context(prec=1000, rounding=decimal.ROUND_HALF_UP)

_NUMBER = re.compile(
    r"(?P<sign>[-+]?)(?:"
    # thousands grouped with dots, maybe a decimal comma: 1.234.567,89
    r"(?P<grouped>[1-9][0-9]{0,2}(?:\.[0-9]{3})+)(?:,(?P<grouped_fraction>[0-9]+))?"
    # digits alone, maybe one decimal comma or (pasted) decimal point: 1234,5 / 99.5
    r"|(?P<plain>[0-9]+)(?:[.,](?P<fraction>[0-9]+))?"
    r")"
)
_MONEY = re.compile(
    r"(?P<number>\S+?)\s*(?P<scale>nghìn|ngàn|triệu|tỷ|tỉ)?\s*(?:đồng|vnđ|vnd|đ|₫)?",
    re.IGNORECASE,
)
_SCALES = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_DATES = (
    re.compile(r"(?P<day>[0-9]{1,2})([/.-])(?P<month>[0-9]{1,2})\2(?P<year>[0-9]{4})"),
    re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"),
    re.compile(
        r"(?:ngày\s+)?(?P<day>[0-9]{1,2})\s+tháng\s+(?P<month>[0-9]{1,2})"
        r"\s+năm\s+(?P<year>[0-9]{4})",
        re.IGNORECASE,
    ),
)
# No report number is longer; longer ones would overflow a float.
_MAX_LENGTH = 300
# Money of at least this many đồng rounds to 1.000 triệu, so it is shown in tỷ.
_SHOWN_IN_TY = 999_995_000


def missing(value: Any) -> bool:
    """Whether a single value is missing as pandas sees it (``None``, NaN, ``pd.NA``,
    ``NaT``), without importing pandas: the command line's own process writes numbers
    too, and never loads it.

    >>> import numpy as np, pandas as pd
    >>> [missing(v) for v in (None, float("nan"), np.nan, pd.NA, pd.NaT, Decimal("NaN"))]
    [True, True, True, True, True, True]
    >>> [missing(v) for v in (0, 1.5, "", "x", Decimal("2"), np.int64(3), dt.date(2024, 1, 1))]
    [False, False, False, False, False, False, False]
    """
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NaT differ from themselves
    except TypeError:  # pd.NA: its comparison is NA, which is neither true nor false
        return True


def format_number(value: Any, decimals: int | None = None) -> str:
    """Write a number the Vietnamese way; ``""`` for a missing value.

    ``decimals=None`` shows up to two decimals and drops trailing zeros; a
    number gives exactly that many decimals. Rounding is half up.

    >>> format_number(486771474), format_number(16.0714), format_number(16.0, 2)
    ('486.771.474', '16,07', '16,00')
    """
    if missing(value):
        return ""
    places = 2 if decimals is None else decimals
    pattern = "#,##0" + ("." + ("#" if decimals is None else "0") * places if places else "")
    with decimal.localcontext(_CONTEXT):
        text = format_decimal(value, format=pattern, locale=LOCALE)
    # a small negative number rounded to zero keeps its sign ("-0"); drop it
    return text[1:] if text.startswith("-") and not text.strip("-0,") else text


def format_percent(value: Any, decimals: int | None = None) -> str:
    """Write percentage points (not a fraction) with a "%"; ``""`` when missing.

    >>> format_percent(92.76), format_percent(16), format_percent(99.4)
    ('92,76%', '16%', '99,4%')
    """
    text = format_number(value, decimals)
    return text + "%" if text else ""


def format_quantity(value: Any, unit: Any = None, missing: str = "") -> str:
    """A figure with its unit as a reader sees it: ``92,76%``, ``3 người``, ``12``;
    ``missing`` when there is no figure.

    >>> format_quantity(92.76, "%"), format_quantity(3, "người"), format_quantity(12, None)
    ('92,76%', '3 người', '12')
    >>> format_quantity(None, "%", missing="—")
    '—'
    """
    text = format_number(value)
    if not text:
        return missing
    unit = unit if isinstance(unit, str) else ""
    return text + "%" if unit == "%" else f"{text} {unit}".strip()


def format_money(value: Any, short: bool = False) -> str:
    """Write an amount in đồng; ``short`` uses triệu or tỷ from one million up.

    The short form shows up to two decimals (rounded half up); the full form
    rounds to the đồng.

    >>> format_money(486771474)
    '486.771.474 đồng'
    >>> format_money(31440000, short=True), format_money(1200000000, short=True)
    ('31,44 triệu đồng', '1,2 tỷ đồng')
    """
    if missing(value):
        return ""
    if short and abs(value) >= 10**6:
        factor, word = (10**9, "tỷ") if abs(value) >= _SHOWN_IN_TY else (10**6, "triệu")
        return f"{format_number(Decimal(str(value)) / factor)} {word} đồng"
    return f"{format_number(value, 0)} đồng"


def format_date(value: Any, with_time: bool = False) -> str:
    """Write a date (or datetime, or ISO string) as dd/mm/yyyy; ``""`` when missing.

    ``with_time=True`` adds hh:mm for a value that has a time of day.

    >>> format_date(dt.date(2024, 12, 4))
    '04/12/2024'
    >>> format_date("2024-12-04T10:05", with_time=True)
    '04/12/2024 10:05'
    """
    if missing(value):
        return ""
    if isinstance(value, str):
        try:
            stamp = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            example = "theo ISO, ví dụ 2024-12-04 hoặc 2024-12-04T10:05"
            raise _error("ngày", value, example) from None
        # "2024-12-04" has no time of day; longer ISO strings do
        value = stamp if len(value.strip()) > 10 else stamp.date()
    if not isinstance(value, dt.date):
        raise TypeError(f"format_date needs a date, datetime or ISO string, not {value!r}")
    text = f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if with_time and isinstance(value, dt.datetime):
        text += f" {value.hour:02d}:{value.minute:02d}"
    return text


def parse_number(text: str) -> int | float:
    """Read a number written the Vietnamese way: an int unless it has decimals.

    Dots group thousands only when every group after the first has three
    digits; otherwise a single dot is a decimal point ("99.5" pasted as is).

    >>> parse_number("486.771.474"), parse_number("92,76"), parse_number("99.5")
    (486771474, 92.76, 99.5)
    >>> parse_number("-1.234,5"), parse_number(" 01 ")
    (-1234.5, 1)
    """
    example = "1.234,5 hoặc 1234.5"
    spelled = _spell(_clean(text, "số", example))
    if spelled is None:
        raise _error("số", text, example)
    return float(spelled) if "." in spelled else int(spelled)


def parse_percent(text: str) -> float:
    """Read a percentage, with or without "%", as percentage points.

    >>> parse_percent("92,76%"), parse_percent("16 %"), parse_percent("99,5")
    (92.76, 16.0, 99.5)
    """
    example = "92,76% hoặc 92,76"
    try:
        return float(parse_number(_clean(text, "tỷ lệ phần trăm", example).removesuffix("%")))
    except ParseError:
        raise _error("tỷ lệ phần trăm", text, example) from None


def parse_money(text: str) -> int:
    """Read an amount of money (đồng, triệu, tỷ; đ, VNĐ, VND), rounded to the đồng.

    >>> parse_money("486.771.474 đồng"), parse_money("36 triệu đồng")
    (486771474, 36000000)
    >>> parse_money("1,2 tỷ đồng"), parse_money("31.440.000")
    (1200000000, 31440000)
    """
    example = "486.771.474 đồng, 36 triệu đồng hoặc 1,2 tỷ đồng"
    match = _MONEY.fullmatch(_clean(text, "số tiền", example))
    spelled = _spell(match["number"]) if match else None
    if match is None or spelled is None:
        raise _error("số tiền", text, example)
    scale = _SCALES[match["scale"].lower()] if match["scale"] else 1
    amount = _CONTEXT.multiply(Decimal(spelled), scale)
    return int(amount.to_integral_value(rounding=decimal.ROUND_HALF_UP))


def parse_date(text: str) -> dt.date:
    """Read a date: dd/mm/yyyy (or with "-" or "."), ISO yyyy-mm-dd, or the long form.

    >>> parse_date("4/12/2024"), parse_date("2024-12-04")
    (datetime.date(2024, 12, 4), datetime.date(2024, 12, 4))
    >>> parse_date("ngày 09 tháng 01 năm 2015")
    datetime.date(2015, 1, 9)
    """
    example = "04/12/2024, 2024-12-04 hoặc ngày 04 tháng 12 năm 2024"
    cleaned = _clean(text, "ngày", example)
    match = next(filter(None, (form.fullmatch(cleaned) for form in _DATES)), None)
    if match is None:
        raise _error("ngày", text, example)
    try:
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise ParseError(
            f"Ngày “{text}” không có trên lịch: hãy kiểm tra lại ngày, tháng, năm"
            " (viết dd/mm/yyyy, ví dụ 04/12/2024).",
            text,
        ) from None


def slug(text: str, sep: str = "-") -> str:
    """Vietnamese text folded to lower-case ASCII words joined by ``sep``.

    >>> slug("Kết quả theo từng mục: 1.2.đ")
    'ket-qua-theo-tung-muc-1-2-d'
    >>> slug("Học tập quán triệt", "_")
    'hoc_tap_quan_triet'
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", sep, ascii_text.lower()).strip(sep)


def _spell(text: str) -> str | None:
    """Python spelling ("-1234.5") of a Vietnamese-written number, or None."""
    match = _NUMBER.fullmatch(text)
    if match is None or len(text) > _MAX_LENGTH:
        return None
    whole = (match["grouped"] or match["plain"]).replace(".", "")
    fraction = match["grouped_fraction"] or match["fraction"]
    return match["sign"] + whole + (f".{fraction}" if fraction else "")


def _clean(text: Any, what: str, example: str) -> str:
    """``text`` in NFC with single spaces and a plain minus; ParseError if not a str."""
    if not isinstance(text, str):
        raise _error(what, text, example)
    return " ".join(unicodedata.normalize("NFC", text).replace("\u2212", "-").split())


def _error(what: str, text: Any, example: str) -> ParseError:
    """The error for unreadable ``text``: what was expected, with an example."""
    shown = f"“{text}”" if isinstance(text, str) else f"{text!r} (không phải văn bản)"
    return ParseError(
        f"Không đọc được {what} {shown}: hãy viết {example}.",
        text if isinstance(text, str) else None,
    )
