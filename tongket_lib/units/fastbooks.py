"""Reading many workbooks at once, as ``excel import`` reads each: collect's fast path.

:func:`~tongket_lib.dataset.excel.read_excel` costs about 0,3 s a workbook, mostly
openpyxl and pandera's fixed cost per table. :func:`read_clean_books` reads a chunk of
workbooks with python-calamine (:func:`~tongket_lib.units.fastsheets.read_clean`), turns
their sheets into tables and the meta sheet into meta exactly as ``read_excel`` does
(:func:`~tongket_lib.dataset.excel.sheet_tables`, :func:`~tongket_lib.dataset.excel.sheet_meta`),
checks every table's rows of the whole chunk together with
:class:`~tongket_lib.units.folders.BulkRead` (the rules of ``validate_table``, vectorised)
and formats the CSV files of all of them column by column, as
:func:`~tongket_lib.dataset.store.table_text` does for one table. A workbook with any
doubt or any problem comes back as ``None``: the caller reads it with ``read_excel``,
which stays the authority and words every problem. So this path may only accept less
than ``read_excel``, never more, and what it returns is what ``read_excel`` then
:func:`~tongket_lib.dataset.store.year_files` would give (tests compare the bytes).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tongket_lib.dataset import schema as S
from tongket_lib.dataset.excel import HELP_SHEET, LISTS_SHEET, sheet_meta, sheet_tables
from tongket_lib.dataset.store import cell_texts, csv_text
from tongket_lib.errors import Problem
from tongket_lib.period import Period
from tongket_lib.units.fastsheets import read_clean
from tongket_lib.units.folders import BulkRead, table_rows

#: every column is typed: all of them are written
_ALL = {f.name for spec in S.CSV_FILES for f in spec.fields}
#: sheets every exported workbook holds alike
_REPEATED = frozenset({HELP_SHEET, LISTS_SHEET})


@dataclass
class CleanBook:
    """A workbook read without any problem: its meta and its CSV files' bytes."""

    meta: dict
    tables: dict[str, bytes]


class _Workbooks(BulkRead):
    """:class:`BulkRead` over workbooks instead of year folders."""

    def __init__(self, paths: list[Path], year: Period):
        self.paths = paths
        self.present_files: dict[int, set[str]] = {}  # the data sheets each workbook has
        keys = pd.DataFrame({"folder": [str(p) for p in paths], "year": year})
        super().__init__(keys, list(range(len(paths))), _ALL)

    def _read(self, k: int, raw: dict) -> bool:
        path = self.paths[k]
        sheets = read_clean(path, _REPEATED)
        if sheets is None:
            return False
        problems: list[Problem] = []
        rows: dict[str, list] = {}
        for spec, table, _ in sheet_tables(path, sheets, problems):
            found = None if problems else table_rows(table, spec, k)
            if found is None:
                return False
            rows[spec.name] = found
        if problems:
            return False
        meta = sheet_meta(path, sheets, self.keys.at[k, "year"], problems)
        if problems:
            return False
        self.meta[k] = meta
        self.present_files[k] = set(rows)
        for name, found in rows.items():
            raw[name].extend(found)
        return True


def read_clean_books(paths: list[Path], year: Period) -> tuple[list[CleanBook | None],
                                                           dict[str, pd.DataFrame]]:
    """Each workbook read and checked as ``read_excel`` does, with the CSV files it gives,
    ``None`` for any workbook with a doubt or a problem (read it with ``read_excel``); and
    the typed rows of the clean workbooks as ``load_year`` types a year folder's
    (:attr:`BulkRead.tables`: ``indicators``, ``awards`` with codes and levels inferred,
    ``contributions``; column ``_k`` is the workbook's position)."""
    if not paths:
        return [], {}
    bulk = _Workbooks(paths, year)
    out: list[CleanBook | None] = [None] * len(paths)
    good = sorted(k for k in bulk.meta if k not in bulk.slow)
    tables: dict[int, dict[str, bytes]] = {k: {} for k in good}
    for spec in S.CSV_FILES:
        frame = bulk.files[spec.name].sort_values("_k", kind="stable")
        keys = frame["_k"].to_numpy()
        texts = {f.name: cell_texts(frame[f.name], f.kind) for f in spec.fields}
        filled = {f.name: frame[f.name].notna().to_numpy() for f in spec.fields}
        starts = np.searchsorted(keys, good, side="left")
        ends = np.searchsorted(keys, good, side="right")
        for k, lo, hi in zip(good, starts, ends, strict=True):
            if spec.name not in bulk.present_files[k] or (hi == lo and not spec.required):
                continue  # as store.year_files: an absent sheet or an empty optional one
            columns = [f.name for f in spec.fields if f.required or filled[f.name][lo:hi].any()]
            rows = zip(*(texts[c][lo:hi] for c in columns), strict=True)
            tables[k][spec.name] = csv_text(columns, rows).encode("utf-8")
    for k in good:
        out[k] = CleanBook(bulk.meta[k], tables[k])
    return out, bulk.tables
