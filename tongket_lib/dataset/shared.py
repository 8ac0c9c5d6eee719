"""Years loaded once, by the kernel that runs the report's notebook.

A render has its notebook's kernel load and validate the report's years (:func:`prepare`)
before any cell runs: bad data stops the render with the full list of problems, and the
render's own process never imports pandas, the loader or the validation. The notebook's
own ``load_year`` then finds the year already loaded in its process (:func:`shared`) rather
than parsing and validating the same files again: only when it is the same folder with
the same bytes (the data checksum), and only once, so that a notebook that loads a year
twice still gets two separate copies.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

#: the years :func:`prepare` loaded in this process, by (period id, folder)
_LOADED: dict[tuple[str, str], Any] = {}


def get_ready() -> None:
    """Import what :func:`prepare` needs beyond the notebook's own modules (the loader,
    pandera): part of a render kernel's warm-up, so that the kernels a batch forks from
    its zygote find it loaded. pandera imports Hypothesis when it is installed, for
    synthesising data, which a render never does: it is skipped here, in the kernel, a
    tenth of a second a report."""
    from tongket_lib import system

    system.skip_optional_import("hypothesis")
    import pandera.pandas  # noqa: F401

    from tongket_lib.dataset import load  # noqa: F401


def prepare(years: list[str], data: str) -> str:
    """Load and validate ``years`` of the data folder ``data`` for the notebook about to
    run in this process (a render's kernel), keep them for it, and tell the render what
    :func:`tell` says, as JSON."""
    get_ready()
    return json.dumps(tell(years, data, keep=True), ensure_ascii=False, default=str)


def tell(years: list[str], data: str, keep: bool = False) -> dict[str, Any]:
    """For each period id of ``years``: what its files say of it (:func:`facts`), or what
    is wrong with them (``heading`` and ``problems``, each with the fields of
    :class:`~tongket_lib.errors.Problem`). With ``keep``, the years loaded are kept for
    :func:`shared`."""
    from tongket_lib.dataset.load import load_year
    from tongket_lib.errors import DataError

    told: dict[str, Any] = {}
    for year in years:
        try:
            loaded = load_year(year, data)
        except DataError as exc:
            told[year] = {"heading": exc.heading,
                          "problems": [dataclasses.asdict(p) for p in exc.problems]}
            continue
        if keep:
            _LOADED[(str(loaded.year), str(loaded.folder))] = loaded
        told[year] = facts(loaded)
    return told


def facts(year_data: Any) -> dict[str, str]:
    """What a report's files say of it before its notebook runs, as its record will:
    the title, the organisation and the data's checksum."""
    meta = year_data.meta
    return {"title": meta.get("title", ""), "organisation": meta.get("organisation", ""),
            "checksum": year_data.checksum}


def shared(year: object, folder: Path, checksum: str) -> Any | None:
    """The year :func:`prepare` loaded in this process, if it is this folder with this
    checksum and not given out yet, else ``None``."""
    key = (str(year), str(folder))
    loaded = _LOADED.get(key)
    if loaded is None or getattr(loaded, "checksum", None) != checksum:
        return None
    return _LOADED.pop(key)
