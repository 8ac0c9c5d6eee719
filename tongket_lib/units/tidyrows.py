"""The tidy tables' rows of a chunk of unit-years: what a worker of a build does.

:func:`load_chunk` reads a chunk of year folders with
:class:`~tongket_lib.units.folders.BulkRead` (the readers and rules of ``load_year``,
checked together); anything doubtful goes to :func:`~tongket_lib.dataset.load.load_year`
itself, which words every problem (the ``coverage`` table keeps them). :func:`chunk_tables`
evaluates the verdicts and sums the money of such rows, as Arrow tables of the stored
schema (:mod:`~tongket_lib.units.tidytables`); collect makes its rows with it too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tongket_lib.dataset.layout import shown
from tongket_lib.errors import DataError
from tongket_lib.period import parse_period
from tongket_lib.units.folders import BulkRead
from tongket_lib.units.tidytables import COLUMNS, ERROR, MISSING, RECEIVED, arrow

#: what a chunk of unit-years needs, loaded once for the local workers (engine.cluster)
PRELOAD = ("pyarrow", "pandera.pandas", "tongket_lib.dataset.load", "tongket_lib.evaluation.status",
           "tongket_lib.units.tidyrows")


def load_chunk(jobs: list[tuple[str, str, str, int, str]]) -> dict:
    """Load, check and evaluate unit-years ``(unit_id, name, group, year, folder)``;
    return the four tables of the chunk as Arrow tables."""
    keys = pd.DataFrame(jobs, columns=["unit_id", "unit_name", "unit_group", "period", "folder"])
    keys.insert(3, "year", [parse_period(p).start for p in keys["period"]])
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
    coverage = keys[["unit_id", "unit_name", "unit_group", "year", "period"]].assign(
        state=state, n_problems=n_problems, problems=problems, organisation=organisation,
        synthetic=synthetic)
    return {name: table for name, (table, _) in chunk_tables(parts, keys, coverage).items()}


def chunk_tables(parts: dict[str, list[pd.DataFrame]], keys: pd.DataFrame,
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
        out[name] = (arrow(frame, name), positions)
    out["coverage"] = (arrow(coverage, "coverage"), coverage.index.to_numpy(dtype="int64"))
    return out


def _with_keys(frame: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    if "_k" not in frame or frame.empty:
        return pd.DataFrame(columns=["unit_id", "unit_name", "unit_group", "year", "period"])
    k = frame["_k"].to_numpy(dtype=int)
    for column in ("unit_id", "unit_name", "unit_group", "year", "period"):
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
        yd = load_year(job["period"], folder.parent)
    except DataError as exc:
        return {}, {}, [str(p) for p in exc.problems] or [exc.heading]
    except Exception as exc:  # unreadable in a way the loader did not foresee
        return {}, {}, [f"{shown(folder)}: {type(exc).__name__}: {exc}"]
    tables = {"indicators": yd.indicators.reset_index(), "awards": yd.awards.reset_index(),
              "contributions": yd.contributions.reset_index()}
    return tables, yd.meta, []
