"""The upper level's tidy tables: every unit × year, built once, stored as Parquet.

A multi-unit data folder ``ROOT`` has ``ROOT/units.csv`` (the register) and one folder
per unit, ``ROOT/<unit_id>/<year>/``, each a normal year folder. A folder without
``units.csv`` is one organisation (``ROOT/<year>/``) and becomes a single unit.

:func:`build` loads and evaluates every selected unit-year in parallel through
:mod:`tongket_lib.engine` and writes four tables into
``CACHE/<data folder>/tidy-<scope>/`` (Parquet, one file each; ``CACHE`` is
:func:`tongket_lib.paths.cache_dir`, outside the data: code never writes into raw data):

- ``indicators``: one row per unit, year and indicator: ``unit_id``, ``unit_name``,
  ``unit_group``, ``year``, ``row`` (its line in indicators.csv), ``section``,
  ``section_title``, ``id``, ``name``, ``target``, ``actual``, ``unit`` (of measure),
  ``direction``, ``exceed_at``, ``count``, ``reported_status``, and the verdict columns
  of :func:`tongket_lib.evaluation.status.evaluate` (``computed_status``, ``status``,
  ``status_source``, ``status_agrees``);
- ``awards``: every award row with ``unit_id``, ``year``;
- ``contributions``: per unit, year and kind (fund, support): items, cases, amount;
- ``coverage``: per unit and year: ``received``, ``missing`` or ``error`` with the
  problems (the same Vietnamese lines ``tongket check`` prints).

Each table is a folder of one Parquet file a year (``<scope>/indicators.parquet/2024.parquet``:
``pd.read_parquet(<scope>/"indicators.parquet", filters=...)`` reads the whole table, as
DuckDB or Power Query read a folder), and each year is reused while its inputs are
unchanged: a fingerprint of the register, the chosen units, every data file's name,
size and modification time in that year's folders (and the units' shared rules), and
the library code the tables depend on (:data:`CODE`), kept in ``<scope>/years/<year>.json``
and written after the year's files. So after one year is collected only that year is
rebuilt; :attr:`Tidy.rebuilt` says which. Within a changed year, the stored rows of each
unit whose own files are unchanged are kept (the year's json keeps each unit's digest)
and only the other units are read again. The scope's ``manifest.json`` holds the
fingerprint of all of it. :func:`collect` keeps the stored ``tidy-all`` current while
filing workbooks: its workers make the rows of each workbook as they read it.

Rows are stored in no fixed order (kept, collected and loaded rows in turn, chunks as
they arrive): sort them, as every reader in tongket does.

Loading is the cost at scale (10.000 units × 4 years): a worker reads a chunk of
unit-years with :class:`tongket_lib.units.folders.BulkRead` (the same readers and rules
as ``load_year``, checked together); anything doubtful goes to
:func:`~tongket_lib.dataset.load.load_year` itself, which words every problem.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tongket_lib import paths
from tongket_lib.dataset import schema as S
from tongket_lib.dataset.layout import entries, parse_years, shown
from tongket_lib.dataset.store import replace_atomically, staging_folder, write_text_atomically
from tongket_lib.errors import DataError, ParameterError
from tongket_lib.units.folders import BulkRead, read_the_fast_way
from tongket_lib.units.register import REGISTER_FILE, unit_dir
from tongket_lib.vn import slug

if TYPE_CHECKING:
    from tongket_lib.units.collect import CollectResult
    from tongket_lib.units.workbooks import Workbook

RECEIVED, MISSING, ERROR = "received", "missing", "error"
#: what a chunk of unit-years needs, loaded once for the local workers (engine.cluster)
PRELOAD = ("pyarrow", "tongket_lib.dataset.load", "tongket_lib.evaluation.status",
           "tongket_lib.units.consolidate")
STATES = {RECEIVED: "Đã nhận, hợp lệ", ERROR: "Có lỗi", MISSING: "Chưa nộp"}


def _cache_of(root: Path) -> Path:
    """The cache folder of one data folder: its name and a short hash of its path."""
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:10]
    return paths.cache_dir() / f"{slug(root.name) or 'du-lieu'}-{digest}"
FRAMES = ("indicators", "awards", "contributions", "coverage")
MANIFEST = "manifest.json"

#: columns of each stored table and their Parquet types ("dict": dictionary-encoded text)
COLUMNS: dict[str, dict[str, str]] = {
    "indicators": {
        "unit_id": "dict", "unit_name": "dict", "unit_group": "dict", "year": "int16",
        "row": "int32", "section": "dict", "section_title": "dict", "id": "dict",
        "name": "dict", "target": "dict", "actual": "float64", "unit": "dict",
        "direction": "dict", "exceed_at": "float64", "count": "int64",
        "reported_status": "dict", "computed_status": "dict", "status": "dict",
        "status_source": "dict", "status_agrees": "bool"},
    "awards": {
        "unit_id": "dict", "unit_name": "dict", "unit_group": "dict", "year": "int16",
        "row": "int32", "stream": "dict", "level": "dict", "granted_by": "dict",
        "title": "dict", "code": "dict", "recipient": "dict", "state": "dict",
        "count": "int64", "part": "dict"},
    "contributions": {
        "unit_id": "dict", "unit_name": "dict", "unit_group": "dict", "year": "int16",
        "kind": "dict", "items": "int32", "cases": "int64", "amount_vnd": "int64"},
    "coverage": {
        "unit_id": "dict", "unit_name": "dict", "unit_group": "dict", "year": "int16",
        "state": "dict", "n_problems": "int32", "problems": "string", "organisation": "dict",
        "synthetic": "bool"},
}


@dataclass
class Tidy:
    """The consolidated tables of many units and years (see the module docstring)."""

    indicators: pd.DataFrame
    awards: pd.DataFrame
    contributions: pd.DataFrame
    coverage: pd.DataFrame
    folder: Path
    fingerprint: str = ""
    reused: bool = False
    seconds: float = 0.0
    organisation: str = ""  # the upper-level union (register column upper_union)
    rebuilt: list[int] = field(default_factory=list)  # the years this build (re)made

    def of_year(self, year: int) -> Tidy:
        """The same tables limited to one year."""
        year = int(year)
        parts = {name: getattr(self, name) for name in FRAMES}
        return Tidy(**{n: f[f["year"] == year].reset_index(drop=True) for n, f in parts.items()},
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
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.coverage["year"].unique())

    @property
    def synthetic(self) -> bool:
        """True when any unit-year is demonstration data."""
        return bool(self.coverage["synthetic"].fillna(False).any())


# -- the register ------------------------------------------------------------------------------



def _unit_ids(root: Path, units: str | list[str] | None = "all") -> pd.DataFrame:
    """The chosen units of ``root``: ``id``, ``name``, ``group``, ``upper_union``, chosen as
    every command chooses them (:func:`tongket_lib.units.register.select_units`: ``"all"``
    is every active unit in register order, named units come in the order given, inactive
    ones too). A folder without ``units.csv`` is one organisation: one unit, id ``""``, its
    year folders directly in ``root``.
    """
    from tongket_lib.units.register import is_multi_unit, load_units, select_units

    spec = units if units is None or isinstance(units, str) else ",".join(units)
    if not is_multi_unit(root) and (spec is None or spec.strip().lower() in ("", "all")):
        return pd.DataFrame({"id": [""], "name": [""], "group": [""], "upper_union": [""]})
    ids = select_units(root, spec)  # a ParameterError that names the unit and the fix
    frame = load_units(root).set_index("id").loc[ids].reset_index()
    return (frame[["id", "name", "group", "upper_union"]].astype(object).fillna("")
            .astype(str).reset_index(drop=True))



# -- what to load ------------------------------------------------------------------------------

def _years_of(root: Path, register: pd.DataFrame) -> list[int]:
    years: set[int] = set()
    for unit in register["id"]:
        try:
            with os.scandir(unit_dir(root, unit)) as entries:
                years.update(int(e.name) for e in entries
                             if len(e.name) == 4 and e.name.isdigit() and e.is_dir())
        except OSError:
            continue
    return sorted(years)


def plan(data: str | os.PathLike | None = None, units: str | list[str] | None = "all",
         years: str | list | None = None) -> tuple[Path, pd.DataFrame, list[int]]:
    """The data root, the chosen register rows and the years (every year any unit has)."""
    root = paths.data_dir(data).resolve()
    if not root.is_dir():
        raise ParameterError(f"Không có thư mục dữ liệu {shown(root)}. Chỉ đúng thư mục bằng"
                             " --data.")
    register = _unit_ids(root, units)
    chosen = (parse_years(years) if years not in (None, "", "all")
              else _years_of(root, register))
    if not chosen:
        raise ParameterError(f"Không đơn vị nào trong {shown(root)} có thư mục năm.")
    return root, register, chosen


@dataclass(frozen=True)
class YearPrint:
    """What a year's tables are made from: ``fingerprint`` (all of it: the library, the
    register, the chosen units, and every file's name, size and time in that year's
    folders and each unit's shared rules); ``base`` (what every unit's rows depend on:
    the library, the register and the year); ``units`` (each unit's own files)."""

    fingerprint: str
    base: str
    units: dict[str, str]


def _fingerprints(root: Path, register: pd.DataFrame, years: list[int]) -> dict[int, YearPrint]:
    """Each year's :class:`YearPrint`."""
    base = hashlib.sha256(_code_digest().encode())
    register_file = root / REGISTER_FILE
    if register_file.is_file():
        base.update(register_file.read_bytes())
    chosen = json.dumps(list(register["id"])).encode()
    units: dict[int, dict[str, str]] = {year: {} for year in years}
    names = [str(year) for year in years]
    for unit in register["id"]:
        base_dir = str(unit_dir(root, unit))
        shared = _shared_rules(base_dir)
        for year, name in zip(years, names, strict=True):
            try:
                found = entries(os.path.join(base_dir, name))
            except OSError:  # no year folder
                units[year][unit] = _unit_digest(None, [])
            else:
                units[year][unit] = _unit_digest(shared, found)
    out = {}
    for year in years:
        common = base.copy()
        common.update(f"\n{year}\n".encode())
        whole = common.copy()
        whole.update(chosen + json.dumps(units[year]).encode())
        out[year] = YearPrint(whole.hexdigest(), common.hexdigest(), units[year])
    return out


def _unit_digest(shared: tuple | None, found: Sequence[tuple]) -> str:
    """A unit's digest in a year: its shared rules' stamp (:func:`_shared_rules`) and its
    year folder's entries (:func:`~tongket_lib.dataset.layout.entries`); ``None`` and
    nothing for a unit without that year."""
    return hashlib.sha1(repr([] if shared is None else [shared, *found]).encode()).hexdigest()[:20]


def _shared_rules(unit_folder: str | os.PathLike) -> tuple:
    """The size and time of a unit's shared rules.yaml, ``()`` if it has none."""
    try:
        st = os.stat(os.path.join(unit_folder, S.RULES_FILE))
    except OSError:
        return ()
    return (st.st_size, st.st_mtime_ns)


def _register_digest(root: Path) -> str:
    """The register file's content digest (rows made from it say which they used)."""
    return hashlib.sha256((root / REGISTER_FILE).read_bytes()).hexdigest()


def _overall(fingerprints: dict[int, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(fingerprints.items())).encode()).hexdigest()


#: the code the tables depend on: a change to a chart or a notebook keeps them
CODE = ("dataset", "units/consolidate.py", "units/folders.py", "units/register.py",
        "evaluation/status.py", "targets.py", "evaluation/results.py", "vocab.py", "vn.py",
        "_version.py")


def _code_digest() -> str:
    """Hash of the library files that decide the tables' content."""
    digest = hashlib.sha256()
    for name in CODE:
        base = paths.PACKAGE_DIR / name
        for path in sorted(base.rglob("*.py")) if base.is_dir() else [base]:
            digest.update(str(path.relative_to(paths.PACKAGE_DIR)).encode() + path.read_bytes())
    return digest.hexdigest()


def scope_name(register_all: pd.DataFrame, register: pd.DataFrame, years: list[int],
               years_given: bool) -> str:
    """Folder name of a stored scope: ``tidy-all``, ``tidy-2024``, plus the units' hash."""
    name = "tidy-" + ("all" if not years_given else
                      (str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
                       if years == list(range(years[0], years[-1] + 1))
                       else "_".join(map(str, years))))
    if list(register["id"]) != list(register_all["id"]):
        name += "-u" + hashlib.sha1(",".join(register["id"]).encode()).hexdigest()[:10]
    return name


# -- build and load ------------------------------------------------------------------------------

def build(data: str | os.PathLike | None = None, units: str | list[str] | None = "all",
          years: str | list | None = None, out: str | os.PathLike | None = None, *,
          force: bool = False, client: Any = None, workers: int | None = None,
          scheduler: str | None = None, progress: bool | None = None,
          chunk: int | None = None, frames: tuple[str, ...] = FRAMES) -> Tidy:
    """The tidy tables of the chosen units and years: stored ones if the inputs are
    unchanged, else built in parallel (engine) and stored atomically first.

    ``frames``: the tables to read back (``("coverage",)`` only makes sure they are
    stored and current, cheaply)."""
    start = time.perf_counter()
    root, register, chosen = plan(data, units, years)
    folder = (Path(out) if out else _cache_of(root)) / scope_name(
        _unit_ids(root), register, chosen, years not in (None, "", "all"))
    prints = _fingerprints(root, register, chosen)
    fingerprint = _overall({year: p.fingerprint for year, p in prints.items()})
    from filelock import FileLock

    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder.parent / f".{folder.name}.lock")):  # two builds: one waits
        if not force and _manifest(folder).get("fingerprint") == fingerprint and all(
                _year_fingerprint(folder, y) == prints[y].fingerprint for y in chosen):
            tidy = read(folder, frames=frames)
            tidy.fingerprint, tidy.reused = fingerprint, True
            tidy.seconds = time.perf_counter() - start
            return tidy
        todo = [y for y in chosen
                if force or _year_fingerprint(folder, y) != prints[y].fingerprint]
        uppers = register["upper_union"].replace("", None).dropna()
        organisation = str(uppers.mode().iat[0]) if len(uppers) else ""
        _clean(folder, chosen)
        kept = {year: [] if force else _unchanged_units(folder, year, prints[year])
                for year in todo}
        loads = sum(len(register) - len(kept[year]) for year in todo)
        with _loader(loads, client, workers, scheduler) as c:
            for year in todo:
                _write(folder, year, _jobs(root, register, year, set(kept[year])), prints[year],
                       c, workers, progress, chunk, kept=kept[year])
        write_text_atomically(folder / MANIFEST, json.dumps(
            {"fingerprint": fingerprint, "years": chosen, "organisation": organisation,
             "unit_years": len(register) * len(chosen)}, ensure_ascii=False))
        tidy = read(folder, frames=frames)
    tidy.fingerprint, tidy.rebuilt = fingerprint, todo
    tidy.seconds = time.perf_counter() - start
    return tidy


#: unit-years to load from here on go to the engine; fewer are read in this process
LOCAL_UP_TO = 300


def _loader(loads: int, client: Any, workers: int | None,
            scheduler: str | None = None) -> contextlib.AbstractContextManager[Any]:
    """Where ``loads`` unit-years are read: the given or named cluster, a new local one
    from :data:`LOCAL_UP_TO` on, else this process (``None``, see :func:`_write`)."""
    from tongket_lib import engine

    if not engine.runs_here(loads, workers, LOCAL_UP_TO, scheduler, client):
        return engine.client_or(client, workers, scheduler, preload=PRELOAD)
    return contextlib.nullcontext()


def _jobs(root: Path, register: pd.DataFrame, year: int, skip: set[str]) -> list[tuple]:
    """What :func:`load_chunk` takes for each chosen unit of a year not in ``skip``."""
    return [(unit, name, group, year, str(unit_dir(root, unit) / str(year)))
            for unit, name, group in register[["id", "name", "group"]].itertuples(index=False)
            if unit not in skip]


def _unchanged_units(folder: Path, year: int, prints: YearPrint) -> list[str]:
    """The units whose rows of ``year`` are stored and still current: same base (library,
    register), same files; their rows are kept, only the others are read again."""
    old = _stored_year(folder, year)
    units = old.get("units")
    if old.get("base") != prints.base or not isinstance(units, dict):
        return []
    return [unit for unit, digest in prints.units.items() if units.get(unit) == digest]


YEARS = "years"  # the folder of each year's fingerprint


def _year_file(folder: Path, name: str, year: int) -> Path:
    return folder / f"{name}.parquet" / f"{year}.parquet"


def _stored_year(folder: Path, year: int) -> dict:
    """What ``years/<year>.json`` says of a year whose tables are all stored, else {}."""
    if not all(_year_file(folder, name, year).is_file() for name in FRAMES):
        return {}
    return _json(folder / YEARS / f"{year}.json")


def _year_fingerprint(folder: Path, year: int) -> str | None:
    return _stored_year(folder, year).get("fingerprint")


def _one_of(stem: str, years: list[int]) -> bool:
    return stem.isdigit() and int(stem) in years


def _clean(folder: Path, years: list[int]) -> None:
    """Remove what a killed build left behind, the single files of the layout before
    tables had a file a year, and the years no unit has any more."""
    folder.mkdir(parents=True, exist_ok=True)
    leftovers = [*folder.parent.glob(f".{folder.name}.tmp-*"),
                 *folder.parent.glob(f".{folder.name}.old-*"), *folder.glob(".*.tmp-*")]
    for name in FRAMES:
        table = folder / f"{name}.parquet"
        if table.is_file():
            table.unlink()
        table.mkdir(exist_ok=True)
        leftovers += table.glob(".*.tmp")
        leftovers += [p for p in table.glob("*.parquet") if not _one_of(p.stem, years)]
    leftovers += [p for p in (folder / YEARS).glob("*.json") if not _one_of(p.stem, years)]
    for path in leftovers:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def read(folder: str | os.PathLike, year: int | None = None,
         frames: tuple[str, ...] = FRAMES) -> Tidy:
    """Read stored tidy tables (all years, or one ``year``); text columns are categorical."""
    folder = Path(folder)
    manifest = _manifest(folder)
    if not manifest.get("years") and not (folder / MANIFEST).is_file():
        raise ParameterError(f"Chưa có bảng tổng hợp ở {shown(folder)}. Dựng bằng"
                             " consolidate.build(...) hoặc tongket summary.")
    years = [int(y) for y in manifest.get("years", []) if year is None or int(y) == int(year)]
    filters = [("year", "==", int(year))] if year is not None else None
    tables = {}
    for name in FRAMES:
        files = [str(_year_file(folder, name, y)) for y in years]
        if name not in frames:
            tables[name] = pd.DataFrame(columns=list(COLUMNS[name]))
        elif files:
            tables[name] = pd.read_parquet(files, filters=filters)
        else:
            tables[name] = _schema(name).empty_table().to_pandas()
    if not manifest.get("organisation") and tables["coverage"]["organisation"].notna().any():
        manifest["organisation"] = str(tables["coverage"]["organisation"].mode().iat[0])
    return Tidy(**tables, folder=folder, fingerprint=manifest.get("fingerprint", ""),
                organisation=manifest.get("organisation", ""))


def load(data: str | os.PathLike | None = None, units: str | list[str] | None = "all",
         years: str | list | None = None, out: str | os.PathLike | None = None,
         **options: Any) -> Tidy:
    """The tidy tables for a notebook or an analyst: :func:`build` (reused when unchanged)."""
    return build(data, units, years, out, **options)


def _manifest(folder: Path) -> dict:
    return _json(folder / MANIFEST)


def _json(path: Path) -> dict:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _chunks(jobs: list, size: int) -> list[list]:
    return [jobs[i:i + size] for i in range(0, len(jobs), size)]


def _write(folder: Path, year: int, jobs: list, prints: YearPrint, client: Any,
           workers: int | None, progress: bool | None, chunk: int | None, *,
           kept: Sequence[str] = (), ready: Sequence[dict] = ()) -> None:
    """Write one year's tables: the stored rows of the ``kept`` units, the ``ready`` ones
    (Arrow tables by name, made elsewhere: :func:`collect`), and those of ``jobs`` loaded
    on the engine (``client``) or, without one, here. Each replaces that year's file of
    its table, then the year's fingerprint is written."""
    import pyarrow.parquet as pq

    from tongket_lib import engine

    def fill(staging: Path) -> dict:
        writers = {name: pq.ParquetWriter(staging / f"{name}.parquet", _schema(name))
                   for name in FRAMES}
        failures: list[str] = []

        def write(_: int, tables: dict) -> None:
            for name, table in tables.items():
                writers[name].write_table(table)

        try:
            if kept:
                write(0, _stored_rows(folder, year, kept))
            for tables in ready:
                write(0, tables)
            n = engine.worker_count(workers)
            size = chunk or max(20, min(500, math.ceil(len(jobs) / (n * 6))))
            parts = _chunks(jobs, size)
            if client is None:
                for part in parts:
                    write(0, load_chunk(part))
            elif parts:
                mapped = engine.map_tasks(load_chunk, parts, client=client, progress=progress,
                                          desc=f"Đọc dữ liệu các đơn vị, năm {year}",
                                          unit="phần", on_result=write)
                for i, why in mapped.failures.items():  # a crashed chunk: one by one, here
                    for job in parts[i]:
                        write(i, load_chunk([job]))
                    failures.append(why)
        finally:
            for w in writers.values():
                w.close()
        return {"fingerprint": prints.fingerprint, "base": prints.base, "units": prints.units,
                "unit_years": len(jobs), "kept": len(kept), "chunk_failures": failures}

    staging = staging_folder(folder, f".{year}.tmp-")
    try:
        manifest = fill(staging)
        for name in FRAMES:
            staged = staging / f"{name}.parquet"
            replace_atomically(_year_file(folder, name, year), partial(os.replace, staged),
                               keep_backup=False)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    (folder / YEARS).mkdir(exist_ok=True)
    write_text_atomically(folder / YEARS / f"{year}.json", json.dumps(manifest, ensure_ascii=False))


def _stored_rows(folder: Path, year: int, units: Sequence[str]) -> dict:
    """The stored rows of ``units`` in ``year``, as Arrow tables of the stored schema."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    wanted = pa.array(units, type=pa.string())
    out = {}
    for name in FRAMES:
        table = pq.read_table(_year_file(folder, name, year))
        keep = pc.is_in(table["unit_id"].cast(pa.string()), value_set=wanted)
        out[name] = table.filter(keep).select(list(COLUMNS[name])).cast(_schema(name))
    return out


def _schema(name: str):
    import pyarrow as pa

    types = {"dict": pa.dictionary(pa.int32(), pa.string()), "string": pa.string(),
             "int16": pa.int16(), "int32": pa.int32(), "int64": pa.int64(),
             "float64": pa.float64(), "bool": pa.bool_()}
    return pa.schema([(c, types[t]) for c, t in COLUMNS[name].items()])


def _arrow(frame: pd.DataFrame, name: str):
    """A frame as an Arrow table of the stored schema (missing columns empty)."""
    import pyarrow as pa

    schema = _schema(name)
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
            arrays.append(pa.array(numbers, type=schema.field(column).type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=schema)


# -- on a worker: a chunk of unit-years -----------------------------------------------------------

def load_chunk(jobs: list[tuple[str, str, str, int, str]]) -> dict:
    """Load, check and evaluate unit-years ``(unit_id, name, group, year, folder)``;
    return the four tables of the chunk as Arrow tables."""
    keys = pd.DataFrame(jobs, columns=["unit_id", "unit_name", "unit_group", "year", "folder"])
    n = len(keys)
    present = [k for k, f in enumerate(keys["folder"]) if os.path.isdir(f)]
    state = [MISSING] * n
    for k in present:
        state[k] = RECEIVED
    n_problems = [0] * n
    problems: list[str | None] = [None] * n
    organisation: list[Any] = [None] * n
    synthetic = [False] * n
    kept = {c for table in COLUMNS.values() for c in table} | {"section"}
    fast = BulkRead(keys, present, kept)
    parts: dict[str, list[pd.DataFrame]] = {"indicators": [], "awards": [], "contributions": []}
    if fast.good:
        for name in parts:
            parts[name].append(fast.tables[name])
    for k, meta in fast.meta.items():
        organisation[k], synthetic[k] = meta.get("organisation"), bool(meta.get("synthetic"))
    for k in sorted(fast.slow):  # load_year decides, and words every problem
        tables, meta, found = _slow(keys.loc[k])
        if found:
            state[k], n_problems[k], problems[k] = ERROR, len(found), "\n".join(found)
            continue
        organisation[k], synthetic[k] = meta.get("organisation"), bool(meta.get("synthetic"))
        for name, frame in tables.items():
            parts[name].append(frame.assign(_k=k))
    unnamed = keys["unit_name"].isin(["", None])  # a unit without a name: its organisation
    keys.loc[unnamed, "unit_name"] = pd.Series(organisation, dtype=object)[unnamed]
    coverage = keys[["unit_id", "unit_name", "unit_group", "year"]].assign(
        state=state, n_problems=n_problems, problems=problems, organisation=organisation,
        synthetic=synthetic)
    return {name: table for name, (table, _) in _tables(parts, keys, coverage).items()}


def _tables(parts: dict[str, list[pd.DataFrame]], keys: pd.DataFrame,
            coverage: pd.DataFrame) -> dict[str, tuple[Any, Any]]:
    """The four stored tables of a chunk (verdicts evaluated, money summed per kind), each
    as an Arrow table and the position in ``keys`` of each of its rows."""
    from tongket_lib.evaluation.status import evaluate

    out = {}
    for name, frames in parts.items():
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"_k": []})
        if name == "indicators" and len(frame):
            frame = evaluate(frame)
        elif name == "contributions":
            frame = _money(frame)
        frame = _with_keys(frame, keys)
        positions = frame["_k"].to_numpy(dtype="int64") if "_k" in frame else np.zeros(0, "int64")
        out[name] = (_arrow(frame, name), positions)
    out["coverage"] = (_arrow(coverage, "coverage"), coverage.index.to_numpy(dtype="int64"))
    return out


def _with_keys(frame: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    if "_k" not in frame or frame.empty:
        return pd.DataFrame(columns=["unit_id", "unit_name", "unit_group", "year"])
    k = frame["_k"].to_numpy(dtype=int)
    for column in ("unit_id", "unit_name", "unit_group", "year"):
        frame[column] = keys[column].to_numpy()[k]
    return frame


def _money(frame: pd.DataFrame) -> pd.DataFrame:
    """Contribution rows summed per unit-year and kind: items, cases, amount."""
    if frame.empty:
        return frame
    frame = frame.assign(kind=frame["kind"].astype(str))
    grouped = frame.groupby(["_k", "kind"], sort=True)
    return pd.DataFrame({"items": grouped.size(),
                         "cases": grouped["cases"].sum(min_count=1),
                         "amount_vnd": grouped["amount_vnd"].sum(min_count=1)}).reset_index()


def _slow(job: pd.Series) -> tuple[dict, dict, list[str]]:
    from tongket_lib.dataset.load import load_year

    folder = Path(job["folder"])
    try:
        yd = load_year(int(job["year"]), folder.parent)
    except DataError as exc:
        return {}, {}, [str(p) for p in exc.problems] or [exc.heading]
    except Exception as exc:  # unreadable in a way the loader did not foresee
        return {}, {}, [f"{shown(folder)}: {type(exc).__name__}: {exc}"]
    tables = {"indicators": yd.indicators.reset_index(), "awards": yd.awards.reset_index(),
              "contributions": yd.contributions.reset_index()}
    return tables, yd.meta, []


# -- collect: the year's tables from the workbooks just read --------------------------------------

def collect(folder: str | os.PathLike, year: int | str, data: str | os.PathLike | None = None,
            **options: Any) -> CollectResult:
    """:func:`tongket_lib.units.collect.collect` (same arguments, same result), keeping the
    stored tidy tables of all units current when there are any (``summary`` made them).

    The workers that read the workbooks also make each clean one's rows, exactly those
    :func:`load_chunk` makes of the year folder written from it (:func:`collect_reader`),
    so the year is written once collect has filed the workbooks: those rows for the units
    whose year now holds a workbook just read, the stored rows of units unchanged since,
    and :func:`load_chunk` for the rest (a year with its own ``rules.yaml``, a unit whose
    rules do not load, a workbook read the full way). The tables then need no rebuilding:
    ``summary`` finds them current.
    """
    from tongket_lib.units.collect import collect as collect_workbooks

    root = paths.data_dir(data).resolve()
    store = _cache_of(root) / "tidy-all"
    if not (store / MANIFEST).is_file():
        return collect_workbooks(folder, year, data, **options)
    result = collect_workbooks(folder, year, data, reader=partial(collect_reader, root=str(root)),
                               preload=PRELOAD, **options)
    try:
        _refresh(store, root, result, options.get("jobs"))
    except Exception as exc:  # the tables are a cache: summary rebuilds what is not current
        result.notes.append(
            f"Chưa cập nhật được bảng tổng hợp năm {result.year} ({type(exc).__name__}: {exc});"
            " lệnh summary sẽ dựng lại.")
    return result


def collect_reader(paths: list[str], year: int, root: str) -> list[Workbook]:
    """Collect's reader on a worker: the workbooks as
    :func:`~tongket_lib.units.workbooks.read_workbooks` reads them and, for each read the
    fast way, ``Workbook.rows``: ``(chunk, position)``, where ``chunk`` (shared by the
    chunk's workbooks) holds the four tables of all of them with each row's position and
    the register they were named from."""
    from tongket_lib.units.workbooks import read_workbooks_typed

    books, typed, fast = read_workbooks_typed(paths, year)
    try:
        _add_rows(books, typed, fast, year, Path(root))
    except Exception:  # the rows are an extra: without them the year is read again later
        for book in books:
            book.rows = None
    return books


def _add_rows(books: list[Workbook], typed: dict[str, pd.DataFrame], good: list[int],
              year: int, root: Path) -> None:
    """Set ``rows`` of the workbooks read the fast way (positions ``good``)."""
    if not good:
        return
    register = _register_names(root)
    known = [book.unit or "" for book in books]
    keys = pd.DataFrame({"unit_id": known,
                         "unit_name": [register.get(u, ("", ""))[0] for u in known],
                         "unit_group": [register.get(u, ("", ""))[1] for u in known],
                         "year": int(year)})
    organisation = [books[k].meta.get("organisation") for k in good]
    unnamed = keys.loc[good, "unit_name"] == ""
    keys.loc[unnamed[unnamed].index, "unit_name"] = pd.Series(
        organisation, index=good, dtype=object)[unnamed]
    coverage = keys.loc[good].assign(
        state=RECEIVED, n_problems=0, problems=None, organisation=organisation,
        synthetic=[bool(books[k].meta.get("synthetic")) for k in good])
    chunk = {"register": _register_digest(root),
             "tables": _tables({name: [typed[name]] for name in FRAMES if name != "coverage"},
                               keys, coverage)}
    for k in good:
        books[k].rows = (chunk, k)


def _register_names(root: Path) -> dict[str, tuple[str, str]]:
    """Each registered unit's name and group, as :func:`_unit_ids` gives them."""
    from tongket_lib.units.register import load_units

    frame = load_units(root)[["id", "name", "group"]].astype(object).fillna("").astype(str)
    return {u: (n, g) for u, n, g in frame.itertuples(index=False)}


def _refresh(store: Path, root: Path, result: CollectResult, workers: int | None) -> None:
    """Write the collected year's tables into ``store`` (see :func:`collect`)."""
    import pyarrow as pa
    from filelock import FileLock

    year = result.year
    register = _unit_ids(root)
    with FileLock(str(store.parent / f".{store.name}.lock")):
        prints = _fingerprints(root, register, [year])[year]
        if _year_fingerprint(store, year) == prints.fingerprint:
            return
        kept = _unchanged_units(store, year, prints)
        digest = _register_digest(root)
        chosen: dict[int, tuple[dict, list[int]]] = {}
        made = set(kept)
        for unit in register["id"]:
            book = result.accepted.get(unit)
            if unit not in made and book is not None and _rows_current(
                    book, unit_dir(root, unit), year, prints.units.get(unit), digest):
                chunk, k = book.rows
                chosen.setdefault(id(chunk), (chunk, []))[1].append(k)
                made.add(unit)
        ready = [{name: table.filter(pa.array(np.isin(positions, ks)))
                  for name, (table, positions) in chunk["tables"].items()}
                 for chunk, ks in chosen.values()]
        jobs = _jobs(root, register, year, made)
        with _loader(len(jobs), None, workers) as client:
            _write(store, year, jobs, prints, client, workers, False, None, kept=kept,
                   ready=ready)


def _rows_current(book: Workbook, unit_folder: Path, year: int, digest: str | None,
                  register: str) -> bool:
    """Whether the rows made while reading ``book`` are its unit's rows now: made from
    this register, the year still as collect filed it (same digest), and read the fast
    way (no rules of its own, shared rules that load)."""
    return (isinstance(book.rows, tuple) and book.filed is not None
            and book.rows[0]["register"] == register
            and digest == _unit_digest(_shared_rules(unit_folder), book.filed)
            and read_the_fast_way(unit_folder / str(year)))


