"""The reporting period: a calendar year (``2024``) or a school year (``2024-2025``).

A union reports on a calendar year ("năm 2024") or, in schools, on a school year ("năm
học 2024 - 2025"). :class:`Period` is that value: its identifier names folders and files
(``data/2024-2025/``, ``bao-cao-2024-2025.pdf``), its words are what the text prints, and
periods of one kind follow each other (:meth:`Period.next`). :func:`parse_period` reads
what a person or a file writes and says clearly what is wrong otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tongket_lib.errors import ParameterError

#: the two kinds of period, as ``units.csv`` and the command line name them
CALENDAR, SCHOOL = "nam", "nam-hoc"
KINDS: dict[str, str] = {CALENDAR: "năm", SCHOOL: "năm học"}

_ID = re.compile(r"(?:năm\s+học\s+|năm\s+)?(\d{4})(?:\s*[-–—/]\s*(\d{4}))?", re.IGNORECASE)
_EXAMPLE = "viết năm bằng 4 chữ số (2024), hoặc năm học dạng 2024-2025"


@dataclass(frozen=True, order=True)
class Period:
    """A calendar year or a school year, ordered by when it starts.

    >>> p = parse_period("2024 - 2025")
    >>> str(p), p.words, p.label, p.kind, str(p.next())
    ('2024-2025', '2024 - 2025', 'năm học 2024 - 2025', 'nam-hoc', '2025-2026')
    >>> y = parse_period(2024)
    >>> str(y), y.label, str(y.next()), y.end, y < parse_period("2025")
    ('2024', 'năm 2024', '2025', 2024, True)
    """

    start: int
    school: bool = False

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

    def next(self) -> Period:
        return Period(self.start + 1, self.school)

    def previous(self) -> Period:
        return Period(self.start - 1, self.school)


def parse_period(value: object) -> Period:
    """A period from ``2024``, ``"2024"``, ``"2024-2025"``, ``"2024 - 2025"``, ``"năm học
    2024 - 2025"`` or a :class:`Period`; a clear :class:`ParameterError` otherwise.

    >>> parse_period("năm học 2023–2024"), parse_period(2021)
    (Period(start=2023, school=True), Period(start=2021, school=False))
    >>> parse_period("2024-2026")
    Traceback (most recent call last):
    ...
    tongket_lib.errors.ParameterError: Năm học “2024-2026” không hợp lệ: năm sau phải liền năm ...
    """
    if isinstance(value, Period):
        return value
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
