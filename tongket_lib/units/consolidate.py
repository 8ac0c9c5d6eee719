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
the library code the tables depend on (:data:`~tongket_lib.units.tidyplan.CODE`), kept in
``<scope>/years/<year>.json``
and written after the year's files. So after one year is collected only that year is
rebuilt; :attr:`Tidy.rebuilt` says which. Within a changed year, the stored rows of each
unit whose own files are unchanged are kept (the year's json keeps each unit's digest)
and only the other units are read again. The scope's ``manifest.json`` holds the
fingerprint of all of it. :func:`~tongket_lib.units.tidycollect.collect_keeping_tables`
keeps the stored ``tidy-all`` current while filing workbooks: its workers make the rows
of each workbook as they read it.

Rows are stored in no fixed order (kept, collected and loaded rows in turn, chunks as
they arrive): sort them, as every reader in tongket does.

Loading is the cost at scale (10.000 units × 4 years): a worker reads a chunk of
unit-years with :class:`tongket_lib.units.folders.BulkRead` (the same readers and rules
as ``load_year``, checked together); anything doubtful goes to
:func:`~tongket_lib.dataset.load.load_year` itself, which words every problem.

This module builds and stores the tables (:func:`build`, :func:`load`); the others of the
set: :mod:`~tongket_lib.units.tidyplan` (what a build reads, fingerprints),
:mod:`~tongket_lib.units.tidyrows` (a chunk's rows, on a worker),
:mod:`~tongket_lib.units.tidytables` (the stored tables, :class:`Tidy`, :func:`read`),
:mod:`~tongket_lib.units.tidycollect` (collect's rows).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from tongket_lib.dataset.store import replace_atomically, staging_folder, write_text_atomically
from tongket_lib.period import Period
from tongket_lib.units.tidyplan import (
    YearPrint,
    cache_of,
    overall_print,
    plan,
    scope_name,
    unchanged_units,
    unit_ids,
    unit_year_jobs,
    year_prints,
)
from tongket_lib.units.tidyrows import PRELOAD, load_chunk
from tongket_lib.units.tidytables import (
    COLUMNS,
    ERROR,
    FRAMES,
    MANIFEST,
    MISSING,
    RECEIVED,
    STATES,
    YEARS,
    Tidy,
    arrow_schema,
    read,
    read_manifest,
    year_file,
    year_fingerprint,
)

__all__ = ["COLUMNS", "ERROR", "FRAMES", "MISSING", "RECEIVED", "STATES", "Tidy", "build", "load",
           "plan", "read"]


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
    folder = (Path(out) if out else cache_of(root)) / scope_name(
        unit_ids(root), register, chosen, years not in (None, "", "all"))
    prints = year_prints(root, register, chosen)
    fingerprint = overall_print({year: p.fingerprint for year, p in prints.items()})
    from filelock import FileLock

    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder.parent / f".{folder.name}.lock")):  # two builds: one waits
        if not force and read_manifest(folder).get("fingerprint") == fingerprint and all(
                year_fingerprint(folder, y) == prints[y].fingerprint for y in chosen):
            tidy = read(folder, frames=frames)
            tidy.fingerprint, tidy.reused = fingerprint, True
            tidy.seconds = time.perf_counter() - start
            return tidy
        todo = [y for y in chosen
                if force or year_fingerprint(folder, y) != prints[y].fingerprint]
        uppers = register["upper_union"].replace("", None).dropna()
        organisation = str(uppers.mode().iat[0]) if len(uppers) else ""
        _clean(folder, chosen)
        kept = {year: [] if force else unchanged_units(folder, year, prints[year])
                for year in todo}
        loads = sum(len(register) - len(kept[year]) for year in todo)
        with loader(loads, client, workers, scheduler) as c:
            for year in todo:
                jobs = unit_year_jobs(root, register, year, set(kept[year]))
                write_year(folder, year, jobs, prints[year], c, workers, progress, chunk,
                           kept=kept[year])
        write_text_atomically(folder / MANIFEST, json.dumps(
            {"fingerprint": fingerprint, "years": [str(y) for y in chosen],
             "organisation": organisation, "unit_years": len(register) * len(chosen)},
            ensure_ascii=False))
        tidy = read(folder, frames=frames)
    tidy.fingerprint, tidy.rebuilt = fingerprint, todo
    tidy.seconds = time.perf_counter() - start
    return tidy


def load(data: str | os.PathLike | None = None, units: str | list[str] | None = "all",
         years: str | list | None = None, out: str | os.PathLike | None = None,
         **options: Any) -> Tidy:
    """The tidy tables for a notebook or an analyst: :func:`build` (reused when unchanged)."""
    return build(data, units, years, out, **options)


#: unit-years to load from here on go to the engine; fewer are read in this process
LOCAL_UP_TO = 300


def loader(loads: int, client: Any, workers: int | None,
           scheduler: str | None = None) -> contextlib.AbstractContextManager[Any]:
    """Where ``loads`` unit-years are read: the given or named cluster, a new local one
    from :data:`LOCAL_UP_TO` on, else this process (``None``, see :func:`write_year`)."""
    from tongket_lib import engine

    if not engine.runs_here(loads, workers, LOCAL_UP_TO, scheduler, client):
        return engine.client_or(client, workers, scheduler, preload=PRELOAD)
    return contextlib.nullcontext()


def _one_of(stem: str, years: list[Period]) -> bool:
    """Whether a stored file's stem is one of ``years``."""
    return stem in {str(y) for y in years}


def _clean(folder: Path, years: list[Period]) -> None:
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


def _chunks(jobs: list, size: int) -> list[list]:
    """``jobs`` in chunks of ``size``."""
    return [jobs[i:i + size] for i in range(0, len(jobs), size)]


def write_year(folder: Path, year: Period, jobs: list, prints: YearPrint, client: Any,
               workers: int | None, progress: bool | None, chunk: int | None, *,
               kept: Sequence[str] = (), ready: Sequence[dict] = ()) -> None:
    """Write one year's tables: the stored rows of the ``kept`` units, the ``ready`` ones
    (Arrow tables by name, made elsewhere: :mod:`~tongket_lib.units.tidycollect`), and
    those of ``jobs`` (:func:`~tongket_lib.units.tidyrows.load_chunk`) loaded
    on the engine (``client``) or, without one, here. Each replaces that year's file of
    its table, then the year's fingerprint is written."""
    import pyarrow.parquet as pq

    from tongket_lib import engine

    def fill(staging: Path) -> dict:
        writers = {name: pq.ParquetWriter(staging / f"{name}.parquet", arrow_schema(name))
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
            replace_atomically(year_file(folder, name, year), partial(os.replace, staged),
                               keep_backup=False)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    (folder / YEARS).mkdir(exist_ok=True)
    write_text_atomically(folder / YEARS / f"{year}.json", json.dumps(manifest, ensure_ascii=False))


def _stored_rows(folder: Path, year: Period, units: Sequence[str]) -> dict:
    """The stored rows of ``units`` in ``year``, as Arrow tables of the stored schema."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    wanted = pa.array(units, type=pa.string())
    out = {}
    for name in FRAMES:
        table = pq.read_table(year_file(folder, name, year))
        keep = pc.is_in(table["unit_id"].cast(pa.string()), value_set=wanted)
        out[name] = table.filter(keep).select(list(COLUMNS[name])).cast(arrow_schema(name))
    return out
