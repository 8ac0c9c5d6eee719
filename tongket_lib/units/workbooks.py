"""Checking units' workbooks without writing anything: the checks of ``excel import``.

:func:`check_workbook` runs exactly the reading and validation of
:func:`tongket_lib.dataset.excel.import_excel` (its
:func:`~tongket_lib.dataset.excel.read_excel`) but returns what
it found instead of writing the year, and never raises for a bad file: a file that is
not a workbook, a broken one or an empty one comes back with its problems.
:func:`check_workbooks` checks many at once: the clean ones through the fast path
(:func:`tongket_lib.units.fastbooks.read_clean_books`), any other through
:func:`check_workbook`; each comes back with the year files it gives its unit
(:attr:`Workbook.files`). Both are plain functions, so that chunks of workbooks can be
read on the engine's workers.

The reading modules of the many-unit feature, from one workbook up: ``fastsheets`` (a
clean workbook's sheets, by python-calamine), ``fastbooks`` (clean workbooks' tables and
files, checked together), ``workbooks`` (each workbook the fast way or the full one).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tongket_lib.dataset import excel as X
from tongket_lib.dataset import schema as S
from tongket_lib.dataset.layout import parse_year, shown
from tongket_lib.dataset.readers import nfc
from tongket_lib.dataset.store import meta_text, year_files
from tongket_lib.errors import DataError, Problem
from tongket_lib.period import Period

UNIT_KEY = "unit"


@dataclass
class Workbook:
    """What one workbook holds: its unit key, and its data or its problems."""

    path: Path
    unit: str | None = None        # the key in the meta sheet, None when absent or unreadable
    readable: bool = True          # False: not a workbook at all (wrong format, broken)
    meta: dict = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: what the unit's year folder gets (file name → bytes), its key as ``unit``; only when ok
    files: dict[str, bytes] = field(default_factory=dict)
    #: what a caller's reader made of its typed rows (collect's tidy rows)
    rows: Any = None
    #: its unit's year already written beside the year folder, to be renamed into place
    staged: Path | None = None
    #: its unit's year as filed: each file's name, size and time (collect, when it filed it)
    filed: tuple | None = None

    @property
    def ok(self) -> bool:
        return self.readable and not self.problems


def check_workbook(path: str | os.PathLike, year: int | str | Period) -> Workbook:
    """Read and validate a workbook as ``excel import --year YEAR`` would; write nothing."""
    path = Path(path)
    year = parse_year(year)
    result = Workbook(path)
    try:
        meta, tables, problems = X.read_excel(path, year)
    except DataError as exc:  # not a workbook at all: wrong format, broken, a zip bomb
        result.readable, result.problems = False, list(exc.problems)
        return result
    except Exception as exc:
        result.readable = False
        result.problems = [Problem(shown(path), None, None, None,
                                   f"không đọc được như tệp Excel .xlsx ({type(exc).__name__})."
                                   " Mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx"
                                   " rồi gửi lại.")]
        return result
    result.unit = unit_key(meta)
    result.meta, result.tables, result.problems = meta, tables, problems
    return result


def unit_key(meta: dict) -> str | None:
    """The unit key of a workbook's meta, as the register writes ids (lower-case)."""
    key = meta.get(UNIT_KEY)
    return nfc(str(key)).strip().lower() if key else None


def check_workbooks(paths: list[str], year: int | str | Period) -> list[Workbook]:
    """Check many workbooks as :func:`check_workbook` checks each, with the files each
    gives its unit's year (:attr:`Workbook.files`, its key normalised as ``unit``); the
    tables themselves are not kept (this is what a worker sends back)."""
    return check_workbooks_typed(paths, year)[0]


def check_workbooks_typed(paths: list[str], year: int | str | Period) -> tuple[
        list[Workbook], dict[str, pd.DataFrame], list[int]]:
    """:func:`check_workbooks`, the typed rows of the workbooks read the fast way
    (:func:`tongket_lib.units.fastbooks.read_clean_books`; column ``_k``: the position in
    ``paths``), and those positions; a workbook read the full way has no rows there."""
    from tongket_lib.units.fastbooks import read_clean_books

    year = parse_year(year)
    books = [Path(p) for p in paths]
    out, fast = [], []
    clean_books, typed = read_clean_books(books, year)
    for k, (path, clean) in enumerate(zip(books, clean_books, strict=True)):
        if clean is not None:
            fast.append(k)
            unit = unit_key(clean.meta)
            book = Workbook(path, unit, meta=clean.meta)
            book.files = {S.META_FILE: meta_text(_keyed(clean.meta, unit)).encode("utf-8"),
                          **clean.tables}
        else:  # anything doubtful or wrong: the full reading, which words every problem
            book = check_workbook(path, year)
            if book.ok:
                book.files = year_files(_keyed(book.meta, book.unit), book.tables)
            book.tables = {}
        out.append(book)
    return out, typed, fast


def _keyed(meta: dict, unit: str | None) -> dict:
    """The meta a collected year is written with: its unit key as the register has it."""
    return {**meta, UNIT_KEY: unit} if unit else meta
