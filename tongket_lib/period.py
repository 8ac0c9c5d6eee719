"""The reporting period: a calendar year (``2024``) or a school year (``2024-2025``).

A union reports on a calendar year ("năm 2024") or, in schools, on a school year ("năm
học 2024 - 2025"). :class:`Period` is that value: its identifier names folders and files
(``data/2024-2025/``, ``bao-cao-2024-2025.pdf``), its words are what the text prints, and
periods of one kind follow each other (:meth:`Period.next`). :func:`parse_period` reads
what a person or a file writes and says clearly what is wrong otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from tongket_lib.errors import ParameterError

#: the two kinds of period, as ``units.csv`` and the command line name them
CALENDAR, SCHOOL = "nam", "nam-hoc"
KINDS: dict[str, str] = {CALENDAR: "năm", SCHOOL: "năm học"}

_ID = re.compile(r"(?:năm\s+học\s+|năm\s+)?(\d{4})(?:\s*[-–—/]\s*(\d{4}))?", re.IGNORECASE)
_EXAMPLE = "viết năm bằng 4 chữ số (2024), hoặc năm học dạng 2024-2025"


@dataclass(frozen=True, eq=False)
class Period:
    """A calendar year or a school year, ordered by when it starts.

    >>> p = parse_period("2024 - 2025")
    >>> str(p), p.words, p.label, p.kind, str(p.next())
    ('2024-2025', '2024 - 2025', 'năm học 2024 - 2025', 'nam-hoc', '2025-2026')
    >>> y = parse_period(2024)
    >>> str(y), y.label, str(y.next()), y.end, y < parse_period("2025")
    ('2024', 'năm 2024', '2025', 2024, True)

    A calendar year is equal to its number and hashes like it, so code and notebooks that
    hold years as numbers keep working (``2024 in available_years()``); ``int()`` of any
    period is the year it starts in.

    >>> y == 2024, {2024: "x"}[y], p == 2024, int(p), sorted([2025, y, p])
    (True, 'x', False, 2024, [Period('2024'), Period('2024-2025'), 2025])
    """

    start: int
    school: bool = False

    def _key(self) -> tuple[int, bool]:
        return (self.start, self.school)

    @staticmethod
    def _other(other: object) -> tuple[int, bool] | None:
        if isinstance(other, Period):
            return other._key()
        if isinstance(other, int) and not isinstance(other, bool):
            return (other, False)
        return None

    def __eq__(self, other: object) -> bool:
        key = self._other(other)
        return NotImplemented if key is None else self._key() == key

    def __hash__(self) -> int:
        return hash(self.id) if self.school else hash(self.start)

    def __lt__(self, other: object) -> bool:
        key = self._other(other)
        return NotImplemented if key is None else self._key() < key

    def __le__(self, other: object) -> bool:
        key = self._other(other)
        return NotImplemented if key is None else self._key() <= key

    def __gt__(self, other: object) -> bool:
        key = self._other(other)
        return NotImplemented if key is None else self._key() > key

    def __ge__(self, other: object) -> bool:
        key = self._other(other)
        return NotImplemented if key is None else self._key() >= key

    def __int__(self) -> int:
        return self.start

    def __repr__(self) -> str:
        return f"Period({self.id!r})"

    def __str__(self) -> str:
        return f"{self.start}-{self.start + 1}" if self.school else str(self.start)

    @property
    def id(self) -> str:
        """The period as folders, files and commands name it: ``2024``, ``2024-2025``."""
        return str(self)

    @property
    def words(self) -> str:
        """The period as text prints it after “năm” or “năm học”: ``2024 - 2025``."""
        return f"{self.start} - {self.start + 1}" if self.school else str(self.start)

    @property
    def label(self) -> str:
        """ "năm 2024", "năm học 2024 - 2025" """
        return f"{KINDS[self.kind]} {self.words}"

    @property
    def kind(self) -> str:
        return SCHOOL if self.school else CALENDAR

    @property
    def end(self) -> int:
        """The calendar year the period ends in (a school year's report is dated then)."""
        return self.start + 1 if self.school else self.start

    @property
    def first_day(self) -> dt.date:
        """The period's first day: 1 January, or 1 September of a school year's first year."""
        return dt.date(self.start, 9, 1) if self.school else dt.date(self.start, 1, 1)

    @property
    def last_day(self) -> dt.date:
        """The period's last day: 31 December, or 31 August of a school year's second year."""
        return dt.date(self.start + 1, 8, 31) if self.school else dt.date(self.start, 12, 31)

    def next(self) -> Period:
        return Period(self.start + 1, self.school)

    def previous(self) -> Period:
        return Period(self.start - 1, self.school)


def parse_period(value: object) -> Period:
    """A period from ``2024``, ``"2024"``, ``"2024-2025"``, ``"2024 - 2025"``, ``"năm học
    2024 - 2025"`` or a :class:`Period`; a clear :class:`ParameterError` otherwise.

    >>> parse_period("năm học 2023–2024"), parse_period(2021)
    (Period('2023-2024'), Period('2021'))
    >>> parse_period("2024-2026")
    Traceback (most recent call last):
    ...
    tongket_lib.errors.ParameterError: Năm học “2024-2026” không hợp lệ: năm sau phải liền năm ...
    """
    if isinstance(value, Period):
        return value
    if hasattr(value, "item") and not isinstance(value, (str, bool)):  # a numpy scalar
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ParameterError(f"Kỳ báo cáo “{value}” không hợp lệ: {_EXAMPLE}.")
    text = " ".join(str(value).split())
    match = _ID.fullmatch(text)
    if match is None:
        raise ParameterError(f"Kỳ báo cáo “{value}” không hợp lệ: {_EXAMPLE}.")
    start = int(match[1])
    if not 1900 <= start <= 2200:
        raise ParameterError(f"Năm {start} không hợp lệ: {_EXAMPLE}.")
    if match[2] is None:
        if text.lower().startswith("năm học"):
            raise ParameterError(f"Năm học “{value}” thiếu năm sau: viết dạng {start}-{start + 1}.")
        return Period(start)
    if int(match[2]) != start + 1:
        raise ParameterError(f"Năm học “{value}” không hợp lệ: năm sau phải liền năm trước, ví dụ"
                             f" {start}-{start + 1}.")
    return Period(start, school=True)


def is_period_id(name: str) -> bool:
    """Whether a folder name is a period's identifier (``2024``, ``2024-2025``).

    >>> [is_period_id(n) for n in ("2024", "2024-2025", "2024-2026", "du-lieu", "2024.sao-luu")]
    [True, True, False, False, False]
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", name)
    if match is None:
        return False
    return match[2] is None or int(match[2]) == int(match[1]) + 1


def parse_periods(spec: object, known: Iterable[Period] = ()) -> list[Period]:
    """Periods from a list the way a command takes it: ``"2021-2024"`` (calendar years 2021
    to 2024), ``"2021..2024"``, ``"2021,2023"``, ``"2023-2024"`` (a school year when the
    data has that school year or any school year, else calendar years 2023 and 2024),
    ``"2021-2022..2023-2024"`` (school years; the other parts of the list are then read as
    school years too), one period, or a list; sorted, each once. ``known`` are the periods
    the data has.

    >>> [str(p) for p in parse_periods("2021-2023")]
    ['2021', '2022', '2023']
    >>> [str(p) for p in parse_periods("2023-2024", [Period(2022, True)])]
    ['2023-2024']
    >>> [str(p) for p in parse_periods("2021-2022..2023-2024, 2020-2021")]
    ['2020-2021', '2021-2022', '2022-2023', '2023-2024']
    """
    if isinstance(spec, (list, tuple, range, set)):
        return sorted({parse_period(p) for p in spec})
    if isinstance(spec, (int, Period)) and not isinstance(spec, bool):
        return [parse_period(spec)]
    if not isinstance(spec, str):
        raise ParameterError(f"Kỳ báo cáo “{spec}” không hợp lệ: {_EXAMPLE}.")
    # school years when the data has them, or the list names a range of them elsewhere
    school_data = any(p.school for p in known) or bool(
        re.search(r"\d{4}\s*[-–]\s*\d{4}\s*\.\.", spec))
    chosen: set[Period] = set()
    for part in (x.strip() for x in spec.split(",")):
        if not part:
            continue
        ends = re.split(r"\s*\.\.\s*", part)
        if len(ends) == 2 and all(re.fullmatch(r"\d{4}\s*[-–]\s*\d{4}", e) for e in ends):
            first, last = parse_period(ends[0]), parse_period(ends[1])  # school years
            chosen.update(Period(y, True) for y in _span(first.start, last.start, part))
            continue
        m = re.fullmatch(r"(\d{4})\s*(?:-|–|\.\.)\s*(\d{4})", part)
        if m and int(m[2]) == int(m[1]) + 1 and ".." not in part and (
                school_data or Period(int(m[1]), True) in set(known)):
            chosen.add(Period(int(m[1]), True))
        elif m:
            chosen.update(Period(y) for y in _span(int(m[1]), int(m[2]), part))
        else:
            chosen.add(parse_period(part))
    return sorted(chosen)


def _span(first: int, last: int, written: str) -> range:
    if last < first:
        raise ParameterError(f"Khoảng “{written}” bị ngược: viết kỳ trước trước, ví dụ"
                             f" {last}-{first}.")
    return range(first, last + 1)
