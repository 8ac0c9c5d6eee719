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
rebuilt; :attr:`Tidy.rebuilt` says which. The scope's ``manifest.json`` holds the
fingerprint of all of it.

Loading is the cost at scale (10.000 units × 4 years): a worker reads a chunk of
unit-years with :class:`tongket_lib.dataset.bulk.BulkRead` (the same readers and rules
as ``load_year``, checked together); anything doubtful goes to
:func:`~tongket_lib.dataset.load.load_year` itself, which words every problem.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from tongket_lib import paths
from tongket_lib.dataset import schema as S
from tongket_lib.dataset.bulk import BulkRead
from tongket_lib.dataset.layout import parse_years, shown
from tongket_lib.dataset.store import replace_atomically, staging_folder, write_text_atomically
from tongket_lib.errors import DataError, ParameterError
from tongket_lib.units.register import REGISTER_FILE, unit_dir
from tongket_lib.vn import slug

RECEIVED, MISSING, ERROR = "received", "missing", "error"
#: what a chunk of unit-years needs, loaded once for the local workers (engine.cluster)
PRELOAD = ("pyarrow", "tongket_lib.dataset.load", "tongket_lib.evaluation.status",
           "tongket_lib.evaluation.consolidate")
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


def _fingerprints(root: Path, register: pd.DataFrame, years: list[int]) -> dict[int, str]:
    """Each year's fingerprint: register, chosen units, library, and every file's name,
    size and time in that year's folders and the units' shared rules."""
    common = hashlib.sha256(_code_digest().encode())
    register_file = root / REGISTER_FILE
    if register_file.is_file():
        common.update(register_file.read_bytes())
    common.update(json.dumps(list(register["id"])).encode())
    shared: list[tuple] = []
    parts: dict[int, list[tuple]] = {year: [] for year in years}
    names = [str(year) for year in years]
    stat = os.stat
    for unit in register["id"]:
        base = str(unit_dir(root, unit))
        try:
            st = stat(os.path.join(base, S.RULES_FILE))
            shared.append((unit, st.st_size, st.st_mtime_ns))
        except OSError:
            pass
        for year, name in zip(years, names, strict=True):
            folder = os.path.join(base, name)
            try:
                files = sorted(os.listdir(folder))
            except OSError:
                parts[year].append((unit,))
                continue
            found = parts[year]
            for file in files:
                st = stat(os.path.join(folder, file))
                found.append((unit, file, st.st_size, st.st_mtime_ns))
    common.update(repr(shared).encode())
    out = {}
    for year in years:
        digest = common.copy()
        digest.update(f"\n{year}\n{parts[year]!r}".encode())
        out[year] = digest.hexdigest()
    return out


def _overall(fingerprints: dict[int, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(fingerprints.items())).encode()).hexdigest()


#: the code the tables depend on: a change to a chart or a notebook keeps them
CODE = ("dataset", "evaluation/consolidate.py", "evaluation/status.py", "targets.py",
        "evaluation/results.py", "vocab.py", "vn.py", "_version.py")


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
          scheduler: str | None = None, progress: bool = False,
          chunk: int | None = None, frames: tuple[str, ...] = FRAMES) -> Tidy:
    """The tidy tables of the chosen units and years: stored ones if the inputs are
    unchanged, else built in parallel (engine) and stored atomically first.

    ``frames``: the tables to read back (``("coverage",)`` only makes sure they are
    stored and current, cheaply)."""
    start = time.perf_counter()
    root, register, chosen = plan(data, units, years)
    folder = (Path(out) if out else _cache_of(root)) / scope_name(
        _unit_ids(root), register, chosen, years not in (None, "", "all"))
    fingerprints = _fingerprints(root, register, chosen)
    fingerprint = _overall(fingerprints)
    from filelock import FileLock

    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder.parent / f".{folder.name}.lock")):  # two builds: one waits
        if not force and _manifest(folder).get("fingerprint") == fingerprint and all(
                _year_fingerprint(folder, y) == fingerprints[y] for y in chosen):
            tidy = read(folder, frames=frames)
            tidy.fingerprint, tidy.reused = fingerprint, True
            tidy.seconds = time.perf_counter() - start
            return tidy
        todo = [y for y in chosen
                if force or _year_fingerprint(folder, y) != fingerprints[y]]
        uppers = register["upper_union"].replace("", None).dropna()
        organisation = str(uppers.mode().iat[0]) if len(uppers) else ""
        _clean(folder, chosen)
        if todo:
            from tongket_lib import engine

            with engine.client_or(client, workers, scheduler, preload=PRELOAD) as c:
                for year in todo:
                    jobs = [(unit, name, group, year, str(unit_dir(root, unit) / str(year)))
                            for unit, name, group in register[["id", "name", "group"]]
                            .itertuples(index=False)]
                    _write(folder, year, jobs, fingerprints[year], c, workers, progress, chunk)
        write_text_atomically(folder / MANIFEST, json.dumps(
            {"fingerprint": fingerprint, "years": chosen, "organisation": organisation,
             "unit_years": len(register) * len(chosen)}, ensure_ascii=False))
        tidy = read(folder, frames=frames)
    tidy.fingerprint, tidy.rebuilt = fingerprint, todo
    tidy.seconds = time.perf_counter() - start
    return tidy


YEARS = "years"  # the folder of each year's fingerprint


def _year_file(folder: Path, name: str, year: int) -> Path:
    return folder / f"{name}.parquet" / f"{year}.parquet"


def _year_fingerprint(folder: Path, year: int) -> str | None:
    if not all(_year_file(folder, name, year).is_file() for name in FRAMES):
        return None
    return _json(folder / YEARS / f"{year}.json").get("fingerprint")


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


def _write(folder: Path, year: int, jobs: list, fingerprint: str, client: Any,
           workers: int | None, progress: bool, chunk: int | None) -> None:
    """Build one year's tables on the engine; each replaces that year's file of its table,
    then the year's fingerprint is written."""
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
            n = workers or os.cpu_count() or 1
            size = chunk or max(20, min(500, math.ceil(len(jobs) / (n * 6))))
            parts = _chunks(jobs, size)
            mapped = engine.map_tasks(load_chunk, parts, client=client, progress=progress,
                                      desc=f"Đọc dữ liệu các đơn vị, năm {year}",
                                      unit="phần", on_result=write)
            for i, why in mapped.failures.items():  # a crashed chunk: its unit-years one by one
                for job in parts[i]:
                    write(i, load_chunk([job]))
                failures.append(why)
        finally:
            for w in writers.values():
                w.close()
        return {"fingerprint": fingerprint, "unit_years": len(jobs), "chunk_failures": failures}

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
    from tongket_lib.evaluation.status import evaluate

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

    out = {}
    for name, frames in parts.items():
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"_k": []})
        if name == "indicators" and len(frame):
            frame = evaluate(frame)
        elif name == "contributions":
            frame = _money(frame)
        frame = _with_keys(frame, keys)
        out[name] = _arrow(frame, name)
    out["coverage"] = _arrow(coverage, "coverage")
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
