"""Targets: what an indicator must reach, as data files write it and as people do.

A :class:`Target` is a kind and one or two bounds. Data files hold its canonical
notation (``">= 90"``, ``"10..15"``, ``"= 12"``, dot decimals); plans and reports
hold Vietnamese phrases ("từ 90% trở lên", "không quá 5 ngày"). :func:`parse_target`
reads both, and raises :class:`~tongket_lib.errors.TargetError` for anything else.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tongket_lib import vn
from tongket_lib.errors import ParseError, TargetError

AT_LEAST = "at_least"
MORE_THAN = "more_than"
AT_MOST = "at_most"
LESS_THAN = "less_than"
BETWEEN = "between"
EQUAL = "equal"

#: every target kind
KINDS: tuple[str, ...] = (AT_LEAST, MORE_THAN, AT_MOST, LESS_THAN, BETWEEN, EQUAL)

# which bounds each kind uses: (low, high)
_USES = {
    AT_LEAST: (True, False),
    MORE_THAN: (True, False),
    AT_MOST: (False, True),
    LESS_THAN: (False, True),
    BETWEEN: (True, True),
    EQUAL: (True, True),
}
_OPERATORS = {">=": AT_LEAST, ">": MORE_THAN, "<=": AT_MOST, "<": LESS_THAN, "=": EQUAL}
_SYMBOLS = {kind: op for op, kind in _OPERATORS.items()}

_HELP = (
    "Hãy viết như: “>= 90”, “10..15”, “100%”, “90% trở lên”, “trên 80%”, “không quá 5%”,"
    " “từ 10 đến 15%”, “ít nhất 3 cuộc/năm”, “không có vi phạm”."
)

# --- the notation -----------------------------------------------------------
_FLOAT = r"[+-]?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?"
_COMPARISON = re.compile(rf"(?P<op>>=|<=|>|<|=)\s*(?P<value>{_FLOAT})", re.IGNORECASE)
_RANGE = re.compile(rf"(?P<low>{_FLOAT})\s*\.\.\s*(?P<high>{_FLOAT})", re.IGNORECASE)

# --- the phrases ------------------------------------------------------------
# Numbers that are not the quantity: years, months, quarters, dates.
_NOT_QUANTITY = re.compile(
    r"(?<!\w)(?:năm|tháng|quý|ngày|giai\s+đoạn)\s+[0-9ivx]+(?:\s*[-/]\s*[0-9]+)*(?!\w)"
    r"|(?<![\w.,])[0-9]+(?:/[0-9]+)+(?!\w)"
    r"|(?<!\w)[ivx]+/[0-9]+(?!\w)",
    re.IGNORECASE,
)
# A Vietnamese-written number (vn.parse_number reads it) that is not part of a word.
_NUMBER = r"-?[0-9]+(?:[.,][0-9]+)*(?![\w/]|[.,][0-9])"
_QUANTITY = re.compile(
    rf"(?<![\w.,/-])(?P<low>{_NUMBER})(?:\s*(?P<percent>%))?"
    rf"(?:\s*(?:-|\.\.|đến|tới)\s*(?P<high>{_NUMBER})(?:\s*(?P<high_percent>%))?)?",
    re.IGNORECASE,
)
_DANGLING = re.compile(r"\s*(?:-|\.\.|đến|tới)\s*", re.IGNORECASE)
_CUES = {
    AT_LEAST: ("từ", "ít nhất", "tối thiểu", "không thấp hơn", "không dưới", "không ít hơn",
               "không nhỏ hơn", ">="),
    MORE_THAN: ("trên", "hơn", "lớn hơn", "cao hơn", "nhiều hơn", ">"),
    AT_MOST: ("không quá", "không vượt quá", "không vượt", "tối đa", "không nhiều hơn",
              "không lớn hơn", "không cao hơn", "không trên", "<="),
    LESS_THAN: ("dưới", "nhỏ hơn", "ít hơn", "thấp hơn", "<"),
}
_CUE_KIND = {cue: kind for kind, cues in _CUES.items() for cue in cues}


def _words(words: Iterable[str]) -> str:
    """Regex alternation of ``words``, longest first, any spaces between syllables."""
    longest_first = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in longest_first)


# The cue word right before the number, maybe with "đạt", "là"… or "(" in between.
_CUE = re.compile(
    rf"(?<!\w)(?P<cue>{_words(_CUE_KIND)})?\s*(?:(?:đạt|là|bằng|được|có|=|:)\s*)*\(?\s*$",
    re.IGNORECASE,
)
# "tăng 10%", "giảm thêm 5%", "vượt 10%": a change against a baseline the phrase lacks
_RELATIVE = re.compile(
    r"(?<!\w)(?P<word>tăng|giảm|vượt)(?:\s+(?:thêm|ít\s+nhất|tối\s+thiểu|trên|dưới))*\s*$",
    re.IGNORECASE,
)
# units written with a digit (m2, m3, km2): the digit is read as part of the unit
_POWER_UNIT = re.compile(r"(?<=[^\W\d_])([23])(?!\w)")
_POWERS = {"2": "²", "3": "³"}
_UP = re.compile(r"(?<!\w)trở\s+lên(?!\w)", re.IGNORECASE)
_DOWN = re.compile(r"(?<!\w)trở\s+xuống(?!\w)", re.IGNORECASE)
_NEGATION = re.compile(r"(?<!\w)không(?!\w)", re.IGNORECASE)
_NONE_AT_ALL = re.compile(
    r"(?:phấn\s+đấu\s+)?không\s+(?:có|để\s+xảy\s+ra|để\s+phát\s+sinh|phát\s+sinh|xảy\s+ra)(?!\w)",
    re.IGNORECASE,
)
# A unit: up to three words ("hồ sơ", "cuộc/năm"), or two such joined by a comma
# ("tập thể, cá nhân") when the unit ends there.
_STOP = r"(?:trở\s+lên|trở\s+xuống|đạt|được|trong)(?!\w)"
_WORD = rf"(?!{_STOP})[^\W\d_]+(?:/[^\W\d_]+)*"
_WORD_GROUP = rf"{_WORD}(?:\s+{_WORD}){{0,2}}"
_UNIT = re.compile(
    rf"\s+(?P<unit>{_WORD_GROUP}(?:,\s*{_WORD_GROUP}(?=\s*(?:$|[();.]|{_STOP})))?)",
    re.IGNORECASE,
)
# "trở lên" / "trở xuống" after the number turn the cue before it into this kind
_WITH_UP = {None: AT_LEAST, AT_LEAST: AT_LEAST, MORE_THAN: MORE_THAN}
_WITH_DOWN = {None: AT_MOST, AT_MOST: AT_MOST, LESS_THAN: LESS_THAN}


@dataclass(frozen=True)
class Target:
    """What an indicator must reach: a kind and its bounds (floats).

    ``at_least``/``more_than`` use ``low``; ``at_most``/``less_than`` use
    ``high``; ``between`` uses both; ``equal`` has ``low == high``. ``unit`` is
    for reading only and takes no part in equality.

    >>> Target(AT_LEAST, 90, unit="%")
    Target(kind='at_least', low=90.0, high=None, unit='%')
    >>> str(Target(BETWEEN, 10, 15)), Target(EQUAL, 12, 12) == Target(EQUAL, 12, 12, "văn bản")
    ('10..15', True)
    """

    kind: str
    low: float | None = None
    high: float | None = None
    unit: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise TargetError(
                f"Loại chỉ tiêu “{self.kind}” không có; các loại là: {', '.join(KINDS)}.", None
            )
        for name, used in zip(("low", "high"), _USES[self.kind], strict=False):
            value = getattr(self, name)
            if used:
                object.__setattr__(self, name, _bound(self.kind, name, value))
            elif value is not None:
                raise TargetError(
                    f"Chỉ tiêu dạng “{_KIND_WORDS[self.kind]}” không có {_BOUND_WORDS[name]}"
                    f" (đang là {value!r}).", None
                )
        if self.kind == BETWEEN and _num(self.low) > _num(self.high):
            raise TargetError(
                f"Khoảng {self} sai: cận dưới {_plain(_num(self.low))} lớn hơn"
                f" cận trên {_plain(_num(self.high))}.",
                None,
            )
        if self.kind == EQUAL and self.low != self.high:
            raise TargetError(
                f"Chỉ tiêu dạng “{_KIND_WORDS[EQUAL]}” cần cận dưới bằng cận trên (đang là"
                f" {self.low} và {self.high}).", None
            )

    def __str__(self) -> str:
        if self.kind == BETWEEN:
            return f"{_plain(_num(self.low))}..{_plain(_num(self.high))}"
        return f"{_SYMBOLS[self.kind]} {_plain(_num(self.high if self.low is None else self.low))}"

    def describe(self) -> str:
        """The target in Vietnamese words, numbers and unit.

        >>> Target(AT_LEAST, 90, unit="%").describe(), Target(BETWEEN, 10, 15, "%").describe()
        ('từ 90% trở lên', 'từ 10 đến 15%')
        >>> Target(AT_LEAST, 3, unit="cuộc/năm").describe(), Target(AT_MOST, high=0).describe()
        ('ít nhất 3 cuộc/năm', 'không có (0)')
        """
        low = None if self.low is None else _with_unit(_vietnamese(self.low), self.unit)
        high = None if self.high is None else _with_unit(_vietnamese(self.high), self.unit)
        if self.kind == AT_LEAST:
            return f"từ {low} trở lên" if self.unit in (None, "%") else f"ít nhất {low}"
        if self.kind == MORE_THAN:
            return f"trên {low}"
        if self.kind == AT_MOST:
            return f"không có ({high})" if self.high == 0 else f"không quá {high}"
        if self.kind == LESS_THAN:
            return f"dưới {high}"
        if self.kind == BETWEEN:
            return f"từ {_vietnamese(_num(self.low))} đến {high}"
        return low or ""


def parse_target(text: Any) -> Target:
    """Read a target from its notation or from a Vietnamese phrase.

    The notation uses dot decimals: ``">= 90"``, ``"< 1"``, ``"10..15"``,
    ``"= 12"``, ``">= 1e-07"``. A phrase reads its numbers the Vietnamese way
    (see :func:`tongket_lib.vn.parse_number`) and must hold exactly one quantity
    or one range; years and dates in it are skipped.

    >>> parse_target(">= 90")
    Target(kind='at_least', low=90.0, high=None, unit=None)
    >>> parse_target("từ 90% trở lên")
    Target(kind='at_least', low=90.0, high=None, unit='%')
    >>> parse_target("tối thiểu 3 cuộc/năm")
    Target(kind='at_least', low=3.0, high=None, unit='cuộc/năm')
    >>> parse_target("từ 10 - 15 tập thể, cá nhân trở lên")
    Target(kind='between', low=10.0, high=15.0, unit='tập thể, cá nhân')
    """
    if not isinstance(text, str):
        raise TargetError(f"Chỉ tiêu phải là văn bản, không phải {text!r}. {_HELP}", None)
    cleaned = " ".join(unicodedata.normalize("NFC", text).split())
    for dash, plain in (("–", "-"), ("—", "-"), ("\u2212", "-"), ("≥", ">="), ("≤", "<=")):
        cleaned = cleaned.replace(dash, plain)
    try:
        return _read_notation(cleaned) or _read_phrase(cleaned)
    except TargetError as error:
        raise TargetError(f"Không đọc được chỉ tiêu “{text}”. {error} {_HELP}", text) from None


#: words that turn what follows into a stretch goal, not a binding target
STRETCH_CUES = ("phấn đấu", "hướng tới", "tiến tới", "tiến đến")
_STRETCH = re.compile(rf"\s*[;,(]?\s*(?<!\w)(?:{_words(STRETCH_CUES)})(?!\w)\s*(?:đạt\s+)?",
                      re.IGNORECASE)


def split_stretch(text: str) -> tuple[str, str | None]:
    """A target written with its stretch goal, as two: the binding part and the stretch
    part (``None`` when there is none). A phrase that is only a stretch goal ("phấn đấu
    100%") is left whole: it is all the target there is.

    >>> split_stretch("98% trở lên; phấn đấu 99%")
    ('98% trở lên', '99%')
    >>> split_stretch("từ 55%, hướng tới 60%"), split_stretch("phấn đấu đạt 100%")
    (('từ 55%', '60%'), ('phấn đấu đạt 100%', None))
    """
    cleaned = " ".join(str(text).split())
    match = _STRETCH.search(cleaned)
    if match is None or not cleaned[:match.start()].strip(" ;,("):
        return cleaned, None
    stretch = cleaned[match.end():].strip(" );.")
    return cleaned[:match.start()].strip(" ;,("), stretch or None


def describe_target(target: Any, unit: Any = None, missing: str = "") -> str:
    """A target (notation, phrase or :class:`Target`) in words with the row's unit:
    ``missing`` when there is no target.

    >>> describe_target(">= 90", "%"), describe_target("10..15", "%")
    ('từ 90% trở lên', 'từ 10 đến 15%')
    >>> describe_target(None, "%", missing="—")
    '—'
    """
    if target is None or (not isinstance(target, Target) and _missing(target)) or target == "":
        return missing
    parsed = target if isinstance(target, Target) else parse_target(target)
    unit = unit if isinstance(unit, str) and unit else parsed.unit
    return Target(parsed.kind, parsed.low, parsed.high, unit).describe()


def _missing(value: Any) -> bool:
    """True for None and NaN-like missing values, without importing pandas."""
    try:
        return bool(value != value)  # NaN, pd.NA raise or compare unequal
    except (TypeError, ValueError):
        return True


def _read_notation(text: str) -> Target | None:
    """The target ``text`` writes in the canonical notation, or None."""
    if match := _COMPARISON.fullmatch(text):
        return _single(_OPERATORS[match["op"]], float(match["value"]))
    if match := _RANGE.fullmatch(text):
        return Target(BETWEEN, float(match["low"]), float(match["high"]))
    return None


def _read_phrase(text: str) -> Target:
    """The target a Vietnamese phrase states; TargetError saying why it cannot."""
    if not text:
        raise TargetError("Chỉ tiêu đang để trống.", None)
    masked = _POWER_UNIT.sub(lambda m: _POWERS[m[1]], _NOT_QUANTITY.sub(";", text))
    found = list(_QUANTITY.finditer(masked))
    if not found:
        if _NONE_AT_ALL.match(masked):
            return Target(AT_MOST, high=0)
        raise TargetError("Không thấy con số nào là chỉ tiêu.", None)
    if len(found) > 1:
        numbers = ", ".join(match[0] for match in found)
        raise TargetError(f"Có nhiều con số ({numbers}), không rõ số nào là chỉ tiêu.", None)
    match = found[0]
    before, after = masked[: match.start()], masked[match.end() :]
    if leftover := re.search(r"[-+.,]*[0-9][0-9.,]*", before + " " + after):
        raise TargetError(f"Có phần số thừa “{leftover[0]}” không đọc được.", None)
    _check_symbols(before, after)
    if relative := _RELATIVE.search(before):
        raise TargetError(
            f"“{relative['word']} {match[0]}” là mức thay đổi so với một mốc không ghi ở đây,"
            " chưa phải mức cần đạt: hãy ghi con số cần đạt (năm trước 80%, tăng 10 điểm"
            " phần trăm thì ghi “>= 90”).",
            None,
        )
    unit = "%" if match["percent"] or match["high_percent"] else _unit(after)
    if match["high"]:
        return Target(BETWEEN, _number(match["low"]), _number(match["high"]), unit)
    if _DANGLING.fullmatch(after):
        raise TargetError("Khoảng thiếu cận trên.", None)
    return _single(_kind(before, after), _number(match["low"]), unit)


_SYMBOL_RUN = re.compile(r"[<>=!≠]+")


def _check_symbols(before: str, after: str) -> None:
    """Comparison signs in a phrase: at most one, a known one, right before the number."""
    runs = _SYMBOL_RUN.findall(before + " " + after)
    if not runs:
        return
    ends_before = bool(re.search(r"[<>=]\s*$", before))  # the sign right before the number
    if len(runs) > 1 or runs[0] not in _OPERATORS or not ends_before:
        raise TargetError(f"Ký hiệu so sánh “{' '.join(runs)}” không đúng cách viết: dùng một"
                          " trong >=, >, <=, <, = ngay trước con số, ví dụ “>= 90”.", None)


def _kind(before: str, after: str) -> str:
    """The kind the cue words around the quantity give."""
    found = _CUE.search(before)
    cue = found["cue"] if found else None
    kind = _CUE_KIND[cue.lower()] if cue else None
    if kind is None and _NEGATION.search(before):
        raise TargetError("Có chữ “không” trước con số mà không rõ nghĩa là gì.", None)
    up, down = _UP.search(after), _DOWN.search(after)
    if up and down:
        raise TargetError("Có cả “trở lên” lẫn “trở xuống”.", None)
    if up or down:
        turned = (_WITH_UP if up else _WITH_DOWN).get(kind)
        if turned is None:
            raise TargetError(f"“{cue}” mâu thuẫn với “{_num_words(up or down)}”.", None)
        kind = turned
    return kind or EQUAL


def _unit(after: str) -> str | None:
    """The unit words right after the quantity, if any ("m3" as written)."""
    match = _UNIT.match(after)
    return match["unit"].replace("²", "2").replace("³", "3") if match else None


def _number(spelled: str) -> float:
    """A number of a phrase, read the Vietnamese way."""
    try:
        return vn.parse_number(spelled)
    except ParseError:
        message = f"Không đọc được số “{spelled}” (viết 1.234,5 hoặc 99,5)."
        raise TargetError(message, None) from None


def _single(kind: str, value: float, unit: str | None = None) -> Target:
    """A one-number target of ``kind``."""
    low = value if _USES[kind][0] else None
    high = value if _USES[kind][1] else None
    return Target(kind, low, high, unit)


#: how a message names a kind of target and its bounds
_KIND_WORDS = {AT_LEAST: "từ … trở lên (>=)", MORE_THAN: "trên … (>)", AT_MOST: "không quá … (<=)",
               LESS_THAN: "dưới … (<)", BETWEEN: "từ … đến … (..)", EQUAL: "đúng bằng … (=)"}
_BOUND_WORDS = {"low": "cận dưới", "high": "cận trên"}


def _bound(kind: str, name: str, value: Any) -> float:
    """``value`` as a finite float; TargetError otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if not math.isfinite(number):
        raise TargetError(
            f"Chỉ tiêu dạng “{_KIND_WORDS.get(kind, kind)}” cần {_BOUND_WORDS.get(name, name)}"
            f" là một con số (đang là {value!r}). Viết một số, ví dụ >= 90 hoặc 10..15.", None
        )
    return number


def _plain(value: float) -> str:
    """A bound in the notation: an int when integral, else the shortest exact repr."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)


def _num(value: float | None) -> float:
    """A bound that the target's kind guarantees is there."""
    if value is None:
        raise TargetError("Chỉ tiêu thiếu cận (lỗi nội bộ).", None)
    return value


def _num_words(match: re.Match[str] | None) -> str:
    return match[0] if match else ""


def _vietnamese(value: float) -> str:
    """A bound written the Vietnamese way with every decimal it has (0,125 stays)."""
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return vn.format_number(value, places)


def _with_unit(number: str, unit: str | None) -> str:
    """``number`` followed by its unit ("90%", "3 cuộc/năm")."""
    if not unit:
        return number
    return number + unit if unit == "%" else f"{number} {unit}"
