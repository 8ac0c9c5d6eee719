"""Reading one unit's workbook without writing anything: the checks of ``excel import``.

:func:`read_workbook` runs exactly the reading and validation of
:func:`tongket_lib.dataset.excel.import_excel` (its
:func:`~tongket_lib.dataset.excel.read_excel`) but returns what
it found instead of writing the year, and never raises for a bad file: a file that is
not a workbook, a broken one or an empty one comes back with its problems. It is a
plain function of a path, so that many workbooks can be read in parallel processes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tongket_lib.dataset import excel as X
from tongket_lib.dataset.layout import parse_year, shown
from tongket_lib.dataset.readers import nfc
from tongket_lib.errors import DataError, Problem

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

    @property
    def ok(self) -> bool:
        return self.readable and not self.problems


def read_workbook(path: str | os.PathLike, year: int | str) -> Workbook:
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
    key = meta.get(UNIT_KEY)
    if key:
        result.unit = nfc(str(key)).strip().lower()  # register ids are lower-case
    result.meta, result.tables, result.problems = meta, tables, problems
    return result
