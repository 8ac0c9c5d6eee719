"""A batch over the units of a multi-unit folder: each unit's reports in ``OUT/<unit>/``
with its own index page, and ``OUT/don-vi.html`` listing the units.

Each unit's years and trends report are rendered by :mod:`tongket_lib.render.batch` (every
report of every unit goes to the engine in one run); this module adds what is about
units: the register's order and names, and the page that links them.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tongket_lib import paths
from tongket_lib._version import __version__
from tongket_lib.dataset.layout import shown
from tongket_lib.dataset.store import write_text_atomically
from tongket_lib.period import is_period_id, parse_period
from tongket_lib.render import names
from tongket_lib.render.batch import BatchResult, Outcome, counted, run_batches
from tongket_lib.render.cache import read_stamp
from tongket_lib.render.index import page_template, stamp_errors
from tongket_lib.render.spec import DEFAULT_CELL_TIMEOUT, DEFAULT_MAX_SECONDS, FORMATS
from tongket_lib.units.register import load_units, unit_dir
from tongket_lib.vn import format_number
from tongket_lib.vocab import BANNER


@dataclass
class UnitsResult:
    """A batch over the units of a multi-unit folder: each unit's result, and the page
    ``OUT/don-vi.html`` listing the units."""

    units: list[tuple[str, BatchResult]]
    index: Path
    seconds: float

    @property
    def failed(self) -> list[Outcome]:
        return [o for _, result in self.units for o in result.failed]

    def summary(self) -> str:
        """Each unit's summary under its name, then the totals and the units' page."""
        lines = []
        for unit, result in self.units:
            lines += [f"== Đơn vị {unit} ==", result.summary()]
        counts = tuple(map(sum, zip(*(r.counts() for _, r in self.units), strict=True)))
        units_failed = sum(1 for _, result in self.units if result.failed)
        lines.append(f"Cả {format_number(len(self.units))} đơn vị: {counted(counts)}"
                     + (f" (ở {format_number(units_failed)} đơn vị)" if units_failed else "")
                     + f"; {format_number(self.seconds, 1)} giây.")
        lines.append(f"Trang các đơn vị: {shown(self.index)}")
        return "\n".join(lines)


def run_units_batch(units: list[str], data: str | os.PathLike | None = None,
                    out: str | os.PathLike | None = None, years: str | list | None = None,
                    jobs: int | None = None, force: bool = False,
                    formats: tuple[str, ...] = FORMATS,
                    cell_timeout: int = DEFAULT_CELL_TIMEOUT, progress: bool | None = True,
                    max_seconds: int = DEFAULT_MAX_SECONDS,
                    scheduler: str | None = None) -> UnitsResult:
    """:func:`run_batches` for ``units`` of the multi-unit folder ``data``: each unit's
    reports go to ``OUT/<unit>/`` with its own index page, and ``OUT/don-vi.html`` lists
    every unit of the register that has reports there (those of this batch with what it
    did); ``OUT/index.html`` stays the organisation's own reports' page."""
    start = time.perf_counter()
    out_dir = paths.reports_dir(out)
    results = run_batches([(unit_dir(data, u), out_dir / u) for u in units], years, jobs, force,
                          formats, cell_timeout, progress, max_seconds, scheduler)
    done = dict(zip(units, results, strict=True))
    register = load_units(data)
    rows = []
    for record in register.to_dict("records"):
        unit = str(record["id"])
        result = done.get(unit)
        if result is None and not (out_dir / unit).is_dir():
            continue
        rows.append(UnitRow(unit, str(record["name"]), _text(record.get("group")),
                            None if result is None else result.counts()))
    index = write_units_index(out_dir.resolve(), rows)
    return UnitsResult([(u, done[u]) for u in units], index, time.perf_counter() - start)


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value)  # NaN: empty


@dataclass(frozen=True)
class UnitRow:
    """One unit on the page of a multi-unit output folder."""

    unit: str
    name: str
    group: str = ""
    run: tuple[int, int, int] | None = None  # rendered, skipped, failed by this batch


def write_units_index(out_dir: Path, rows: Iterable[UnitRow]) -> Path:
    """Write ``OUT/don-vi.html`` (:data:`~tongket_lib.render.names.UNITS_PAGE`) of a
    multi-unit output folder: one row a unit, linking its own ``OUT/<unit>/index.html``,
    failed units named first (atomically, one writer at a time). Each unit's years,
    trends report and data errors come from its reports' stamps."""
    from filelock import FileLock

    units: list[dict[str, Any]] = []
    synthetic = False
    for row in rows:
        folder = out_dir / row.unit
        stamps = {p.name: read_stamp(p) for p in folder.iterdir()
                  if p.is_dir() and is_period_id(p.name)} if folder.is_dir() else {}
        years = sorted((y for y, stamp in stamps.items() if stamp), key=parse_period)
        synthetic |= any(stamps[y].get("synthetic") for y in years)
        units.append({"unit": row.unit, "name": row.name, "group": row.group, "years": years,
                      "trends": bool(years and read_stamp(folder / names.TRENDS)),
                      "link": f"{row.unit}/{names.INDEX}" if (folder / names.INDEX).is_file()
                      else "",
                      "run": row.run, "errors": sum(stamp_errors(stamps[y]) for y in years)})
    failed = [u for u in units if u["run"] and u["run"][2]]
    page = page_template("units.html.j2").render(
        banner=BANNER if synthetic else "", units=units, failed=failed,
        with_errors=sum(1 for u in units if u["errors"]), version=__version__,
        when=dt.datetime.now().strftime("%d/%m/%Y %H:%M"))
    index = out_dir / names.UNITS_PAGE
    with FileLock(str(out_dir / names.INDEX_LOCK)):
        write_text_atomically(index, page)
    return index
