"""The upper level's stored tidy tables: what they hold, where, and reading them back.

A scope (``CACHE/<data folder>/tidy-<scope>/``, see :mod:`~tongket_lib.units.consolidate`)
holds each table of :data:`FRAMES` as a folder of one Parquet file a year
(:func:`year_file`), ``years/<year>.json`` (each year's fingerprint, written after its
files: :func:`stored_year`) and ``manifest.json`` (the scope's). :data:`COLUMNS` are
the columns of each table and their Parquet types; :func:`arrow` makes a frame an Arrow
table of that schema; :func:`read` reads the tables back as a :class:`Tidy`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tongket_lib.dataset.layout import shown
from tongket_lib.errors import ParameterError
from tongket_lib.period import Period, parse_period

RECEIVED, MISSING, ERROR = "received", "missing", "error"
STATES = {RECEIVED: "Đã nhận, hợp lệ", ERROR: "Có lỗi", MISSING: "Chưa nộp"}
FRAMES = ("indicators", "awards", "contributions", "coverage")
MANIFEST = "manifest.json"
YEARS = "years"  # the folder of each year's fingerprint

#: columns of each stored table and their Parquet types ("dict": dictionary-encoded text)
COLUMNS: dict[str, dict[str, str]] = {
    "indicators": {
        "unit_id": "dict", "unit_name": "dict", "unit_group": "dict", "year": "int16", "period": "dict",
        "row": "int32", "section": "dict", "section_title": "dict", "id": "dict",
        "name": "dict", "target": "dict", "actual": "float64", "unit": "dict",
        "direction": "dict", "exceed_at": "float64", "count": "int64",
        "reported_status": "dict", "computed_status": "dict", "status": "dict",
        "status_source": "dict", "status_agrees": "bool"},
    "awards": {
        "unit_id": "dict", "unit_name": "dict", "unit_group": "dict", "year": "int16", "period": "dict",
        "row": "int32", "stream": "dict", "level": "dict", "granted_by": "dict",
        "title": "dict", "code": "dict", "recipient": "dict", "state": "dict",
        "count": "int64", "part": "dict"},
    "contributions": {
        "unit_id": "dict", "unit_name": "dict", "unit_group": "dict", "year": "int16", "period": "dict",
        "kind": "dict", "items": "int32", "cases": "int64", "amount_vnd": "int64"},
    "coverage": {
        "unit_id": "dict", "unit_name": "dict", "unit_group": "dict", "year": "int16", "period": "dict",
        "state": "dict", "n_problems": "int32", "problems": "string", "organisation": "dict",
        "synthetic": "bool"},
}


@dataclass
class Tidy:
    """The consolidated tables of many units and years (:mod:`~tongket_lib.units.consolidate`)."""

    indicators: pd.DataFrame
    awards: pd.DataFrame
    contributions: pd.DataFrame
    coverage: pd.DataFrame
    folder: Path
    fingerprint: str = ""
    reused: bool = False
    seconds: float = 0.0
    organisation: str = ""  # the upper-level union (register column upper_union)
    rebuilt: list[Period] = field(default_factory=list)  # the periods this build (re)made

    def of_year(self, year: Any) -> Tidy:
        """The same tables limited to one period (``2024``, ``"2024-2025"``)."""
        wanted = str(parse_period(year))
        parts = {name: getattr(self, name) for name in FRAMES}
        return Tidy(**{n: f[f["period"].astype(object) == wanted].reset_index(drop=True)
                       for n, f in parts.items()},
                    folder=self.folder, fingerprint=self.fingerprint, reused=self.reused,
                    organisation=self.organisation)

    @property
    def units(self) -> int:
        """How many units are covered."""
        return int(self.coverage["unit_id"].nunique())

    @property
    def groups(self) -> int:
        """How many groups (khối) the units belong to."""
        return int(self.coverage["unit_group"].astype(object).replace("", None).nunique())

    @property
    def years(self) -> list[Period]:
        """The periods the tables hold, oldest first (the ``period`` column holds their
        identifiers, ``2024`` or ``2024-2025``; ``year`` the year each starts in)."""
        return sorted(parse_period(p) for p in self.coverage["period"].astype(object).unique())

    @property
    def synthetic(self) -> bool:
        """True when any unit-year is demonstration data."""
        return bool(self.coverage["synthetic"].fillna(False).any())


def read(folder: str | os.PathLike, year: Any = None,
         frames: tuple[str, ...] = FRAMES) -> Tidy:
    """Read stored tidy tables (all years, or one ``year``); text columns are categorical."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if not manifest.get("years") and not (folder / MANIFEST).is_file():
        raise ParameterError(f"Chưa có bảng tổng hợp ở {shown(folder)}. Dựng bằng"
                             " consolidate.build(...) hoặc tongket summary.")
    wanted = None if year is None else str(parse_period(year))
    years = [str(y) for y in manifest.get("years", []) if wanted is None or str(y) == wanted]
    filters = [("period", "==", wanted)] if wanted is not None else None
    tables = {}
    for name in FRAMES:
        files = [str(year_file(folder, name, y)) for y in years]
        if name not in frames:
            tables[name] = pd.DataFrame(columns=list(COLUMNS[name]))
        elif files:
            tables[name] = pd.read_parquet(files, filters=filters)
        else:
            tables[name] = arrow_schema(name).empty_table().to_pandas()
    if not manifest.get("organisation") and tables["coverage"]["organisation"].notna().any():
        manifest["organisation"] = str(tables["coverage"]["organisation"].mode().iat[0])
    return Tidy(**tables, folder=folder, fingerprint=manifest.get("fingerprint", ""),
                organisation=manifest.get("organisation", ""))


def year_file(folder: Path, name: str, year: Any) -> Path:
    """Where a table's rows of one year are stored."""
    return folder / f"{name}.parquet" / f"{year}.parquet"


def stored_year(folder: Path, year: Any) -> dict:
    """What ``years/<year>.json`` says of a year whose tables are all stored, else {}."""
    if not all(year_file(folder, name, year).is_file() for name in FRAMES):
        return {}
    return _json(folder / YEARS / f"{year}.json")


def year_fingerprint(folder: Path, year: Any) -> str | None:
    """The fingerprint of a year whose tables are all stored, else None."""
    return stored_year(folder, year).get("fingerprint")


def read_manifest(folder: Path) -> dict:
    """The scope's ``manifest.json``, {} if there is none (or it is broken)."""
    return _json(folder / MANIFEST)


def _json(path: Path) -> dict:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def arrow_schema(name: str):
    """The Arrow schema a table is stored with (:data:`COLUMNS`)."""
    import pyarrow as pa

    types = {"dict": pa.dictionary(pa.int32(), pa.string()), "string": pa.string(),
             "int16": pa.int16(), "int32": pa.int32(), "int64": pa.int64(),
             "float64": pa.float64(), "bool": pa.bool_()}
    return pa.schema([(c, types[t]) for c, t in COLUMNS[name].items()])


def arrow(frame: pd.DataFrame, name: str):
    """A frame as an Arrow table of the stored schema (missing columns empty)."""
    import pyarrow as pa

    stored = arrow_schema(name)
    arrays = []
    for column, kind in COLUMNS[name].items():
        values = frame[column] if column in frame else pd.Series([None] * len(frame), dtype=object)
        if kind in ("dict", "string"):
            plain = values.astype(object).where(values.notna(), None)
            array = pa.array(plain.tolist(), type=pa.string())
            arrays.append(array.dictionary_encode() if kind == "dict" else array)
        elif kind == "bool":
            arrays.append(pa.array(values.astype("boolean"), type=pa.bool_(), from_pandas=True))
        else:
            numbers = pd.to_numeric(values, errors="coerce")
            if kind != "float64":
                numbers = numbers.astype("Int64")
            arrays.append(pa.array(numbers, type=stored.field(column).type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=stored)
