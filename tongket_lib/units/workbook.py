"""Reading one unit's workbook without writing anything: the checks of ``excel import``.

:func:`read_workbook` runs exactly the reading and validation of
:func:`tongket_lib.dataset.excel.import_excel` (it calls its helpers) but returns what
it found instead of writing the year, and never raises for a bad file: a file that is
not a workbook, a broken one or an empty one comes back with its problems. It is a
plain function of a path, so that many workbooks can be read in parallel processes.

TODO(integrator): once excel.py has a read-only ``read_excel(path, year)`` (the first
half of ``import_excel``), the body of :func:`_validate` is a call to it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tongket_lib.dataset import excel as X
from tongket_lib.dataset import schema as S
from tongket_lib.dataset.layout import parse_year, shown
from tongket_lib.dataset.load import check_sections
from tongket_lib.dataset.meta import validate_meta
from tongket_lib.dataset.readers import nfc
from tongket_lib.dataset.validate import validate_table
from tongket_lib.errors import DataError, Problem

UNIT_KEY = "unit"


@dataclass
class Workbook:
    """What one workbook holds: its unit key, and its data or its problems."""

    path: Path
    unit: str | None = None        # the key in the meta sheet, None when absent or unreadable
    unit_cell: str | None = None   # where that key sits ("C10"), for messages
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
        workbook = X._open(path)
    except DataError as exc:
        result.readable, result.problems = False, list(exc.problems)
        return result
    except Exception as exc:  # a hostile file can upset openpyxl in many ways
        result.readable = False
        result.problems = [Problem(shown(path), None, None, None,
                                   f"không đọc được như tệp Excel .xlsx ({type(exc).__name__})."
                                   " Mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx"
                                   " rồi gửi lại.")]
        return result
    try:
        _validate(result, workbook, year)
    except Exception as exc:  # defensive: a malformed sheet must not stop a whole collect
        result.problems.append(Problem(path.name, None, None, None,
                                       f"không đọc được nội dung sổ tính ({type(exc).__name__}:"
                                       f" {exc}). Mở bằng Excel, lưu lại rồi gửi lại."))
    return result


def _validate(result: Workbook, workbook, year: int) -> None:
    """The reading and checks of ``import_excel``, step by step (see excel.py)."""
    path = result.path
    formulas = X._formula_cells(path)
    problems = result.problems
    by_name = {nfc(name).strip().lower(): name for name in workbook.sheetnames}
    known = {s.label.lower() for s in S.CSV_FILES} | {X.META_SHEET.lower(), X.HELP_SHEET.lower(),
                                                      X.LISTS_SHEET.lower()}
    for lowered, name in by_name.items():
        if lowered not in known:
            problems.append(Problem(path.name, None, None, name,
                                    f"trang lạ “{name}”. Các trang dùng được: "
                                    + ", ".join(s.label for s in S.CSV_FILES)
                                    + f", {X.META_SHEET}. Xóa hoặc đổi tên trang này."))
    tables: dict[str, pd.DataFrame] = {}
    for spec in S.CSV_FILES:
        name = by_name.get(spec.label.lower())
        if name is None:
            if spec.required:
                problems.append(Problem(path.name, None, None, None,
                                        f"thiếu trang “{spec.label}” ({spec.name})."))
            continue
        where = f"{path.name} › trang “{name}”"
        table = X._table(workbook[name], formulas.get(name), where, problems)
        if table is not None:
            start = len(problems)
            tables[spec.name] = validate_table(table, spec, where, problems)
            problems[start:] = [X._as_excel_shows(p, table.header, spec) for p in problems[start:]]
    if S.INDICATORS.name in tables and S.SECTIONS.name in tables:
        check_sections(tables[S.INDICATORS.name], tables[S.SECTIONS.name],
                       f"{path.name} › trang “{S.INDICATORS.label}”", problems)

    name = by_name.get(X.META_SHEET.lower())
    if name is None:
        problems.append(Problem(path.name, None, None, None, f"thiếu trang “{X.META_SHEET}”."))
        return
    raw, lines = X._read_meta(workbook[name])
    key = raw.get(UNIT_KEY)
    if key not in (None, ""):
        result.unit = nfc(str(key)).strip().lower()  # register ids are lower-case
        row = lines.get((UNIT_KEY,))
        result.unit_cell = f"C{row}" if row else None
    start = len(problems)
    meta = validate_meta(raw, lines, year, problems, f"{path.name} › trang “{name}”")
    problems[start:] = [X._meta_as_excel_shows(p, year) for p in problems[start:]]
    result.meta, result.tables = meta, tables
