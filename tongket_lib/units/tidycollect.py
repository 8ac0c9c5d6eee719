"""``collect`` keeping the stored tidy tables of all units current.

:func:`collect_keeping_tables` is :func:`~tongket_lib.units.collect.collect_workbooks`
(same arguments, same result) whose workers also make each clean workbook's rows
(:func:`collect_reader`), exactly those :func:`~tongket_lib.units.tidyrows.load_chunk`
makes of the year folder written from it; the year's tables are then written once the
workbooks are filed (:func:`refresh`), and ``summary`` finds them current.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tongket_lib import paths
from tongket_lib.period import Period
from tongket_lib.units.consolidate import loader, write_year
from tongket_lib.units.folders import read_the_fast_way
from tongket_lib.units.register import unit_dir
from tongket_lib.units.tidyplan import (
    cache_of,
    register_digest,
    shared_rules,
    unchanged_units,
    unit_digest,
    unit_ids,
    unit_year_jobs,
    year_prints,
)
from tongket_lib.units.tidyrows import PRELOAD, chunk_tables
from tongket_lib.units.tidytables import FRAMES, MANIFEST, RECEIVED, year_fingerprint

if TYPE_CHECKING:
    from tongket_lib.units.collect import CollectResult
    from tongket_lib.units.workbooks import Workbook


def collect_keeping_tables(folder: str | os.PathLike, year: int | str | Period,
                           data: str | os.PathLike | None = None, **options: Any) -> CollectResult:
    """:func:`~tongket_lib.units.collect.collect_workbooks` (same arguments, same result),
    keeping the stored tidy tables of all units current when there are any (``summary``
    made them).

    The workers that read the workbooks also make each clean one's rows, exactly those
    :func:`~tongket_lib.units.tidyrows.load_chunk` makes of the year folder written from
    it (:func:`collect_reader`), so the year is written once collect has filed the
    workbooks: those rows for the units whose year now holds a workbook just read, the
    stored rows of units unchanged since, and ``load_chunk`` for the rest (a year with
    its own ``rules.yaml``, a unit whose rules do not load, a workbook read the full
    way). The tables then need no rebuilding: ``summary`` finds them current.
    """
    from tongket_lib.units.collect import collect_workbooks

    root = paths.data_dir(data).resolve()
    store = cache_of(root) / "tidy-all"
    if not (store / MANIFEST).is_file():
        return collect_workbooks(folder, year, data, **options)
    result = collect_workbooks(folder, year, data, reader=partial(collect_reader, root=str(root)),
                               preload=(*PRELOAD, "tongket_lib.units.tidycollect"), **options)
    try:
        refresh(store, root, result, options.get("jobs"))
    except Exception as exc:  # the tables are a cache: summary rebuilds what is not current
        result.notes.append(
            f"Chưa cập nhật được bảng tổng hợp năm {result.year} ({type(exc).__name__}: {exc});"
            " lệnh summary sẽ dựng lại.")
    return result


def collect_reader(paths: list[str], year: Period, root: str) -> list[Workbook]:
    """Collect's reader on a worker: the workbooks as
    :func:`~tongket_lib.units.workbooks.check_workbooks` reads them and, for each read the
    fast way, ``Workbook.rows``: ``(chunk, position)``, where ``chunk`` (shared by the
    chunk's workbooks) holds the four tables of all of them with each row's position and
    the register they were named from."""
    from tongket_lib.units.workbooks import check_workbooks_typed

    books, typed, fast = check_workbooks_typed(paths, year)
    try:
        _add_rows(books, typed, fast, year, Path(root))
    except Exception:  # the rows are an extra: without them the year is read again later
        for book in books:
            book.rows = None
    return books


def _add_rows(books: list[Workbook], typed: dict[str, pd.DataFrame], good: list[int],
              year: Period, root: Path) -> None:
    """Set ``rows`` of the workbooks read the fast way (positions ``good``)."""
    if not good:
        return
    register = _register_names(root)
    known = [book.unit or "" for book in books]
    keys = pd.DataFrame({"unit_id": known,
                         "unit_name": [register.get(u, ("", ""))[0] for u in known],
                         "unit_group": [register.get(u, ("", ""))[1] for u in known],
                         "year": year.start, "period": year.id})
    organisation = [books[k].meta.get("organisation") for k in good]
    unnamed = keys.loc[good, "unit_name"] == ""
    keys.loc[unnamed[unnamed].index, "unit_name"] = pd.Series(
        organisation, index=good, dtype=object)[unnamed]
    coverage = keys.loc[good].assign(
        state=RECEIVED, n_problems=0, problems=None, organisation=organisation,
        synthetic=[bool(books[k].meta.get("synthetic")) for k in good])
    chunk = {"register": register_digest(root),
             "tables": chunk_tables({name: [typed[name]] for name in FRAMES
                                     if name != "coverage"}, keys, coverage)}
    for k in good:
        books[k].rows = (chunk, k)


def _register_names(root: Path) -> dict[str, tuple[str, str]]:
    """Each registered unit's name and group, as
    :func:`~tongket_lib.units.tidyplan.unit_ids` gives them."""
    from tongket_lib.units.register import load_units

    frame = load_units(root)[["id", "name", "group"]].astype(object).fillna("").astype(str)
    return {u: (n, g) for u, n, g in frame.itertuples(index=False)}


def refresh(store: Path, root: Path, result: CollectResult, workers: int | None) -> None:
    """Write the collected year's tables into ``store`` (see :func:`collect_keeping_tables`)."""
    import pyarrow as pa
    from filelock import FileLock

    year = result.year
    register = unit_ids(root)
    with FileLock(str(store.parent / f".{store.name}.lock")):
        prints = year_prints(root, register, [year])[year]
        if year_fingerprint(store, year) == prints.fingerprint:
            return
        kept = unchanged_units(store, year, prints)
        digest = register_digest(root)
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
        jobs = unit_year_jobs(root, register, year, made)
        with loader(len(jobs), None, workers) as client:
            write_year(store, year, jobs, prints, client, workers, False, None, kept=kept,
                       ready=ready)


def _rows_current(book: Workbook, unit_folder: Path, year: Period, digest: str | None,
                  register: str) -> bool:
    """Whether the rows made while reading ``book`` are its unit's rows now: made from
    this register, the year still as collect filed it (same digest), and read the fast
    way (no rules of its own, shared rules that load)."""
    return (isinstance(book.rows, tuple) and book.filed is not None
            and book.rows[0]["register"] == register
            and digest == unit_digest(shared_rules(unit_folder), book.filed)
            and read_the_fast_way(unit_folder / str(year)))
