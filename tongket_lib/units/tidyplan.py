"""What a build of the tidy tables reads, and whether it changed since the last one.

:func:`plan` chooses the data root, the units (as every command chooses them) and the
years; :func:`year_prints` makes each year's :class:`YearPrint`: a fingerprint of the
library code the tables depend on (:data:`CODE`), the register, the chosen units and
every file's name, size and time in that year's folders (and each unit's shared rules),
with each unit's own digest, so that a changed year reads again only its changed units
(:func:`unchanged_units`). :func:`scope_name` names the stored scope.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from tongket_lib import paths
from tongket_lib.dataset import schema as S
from tongket_lib.dataset.layout import entries, shown
from tongket_lib.errors import ParameterError
from tongket_lib.period import Period, is_period_id, parse_period, parse_periods
from tongket_lib.units.register import REGISTER_FILE, is_multi_unit, unit_dir
from tongket_lib.units.tidytables import stored_year
from tongket_lib.vn import slug


def cache_of(root: Path) -> Path:
    """The cache folder of one data folder: its name and a short hash of its path."""
    digest = hashlib.sha256(str(root).encode()).hexdigest()[:10]
    return paths.cache_dir() / f"{slug(root.name) or 'du-lieu'}-{digest}"


def unit_ids(root: Path, units: str | list[str] | None = "all",
             period: Any = None) -> pd.DataFrame:
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
    ids = select_units(root, spec, period)  # a ParameterError naming the unit and the fix
    frame = load_units(root).set_index("id").loc[ids].reset_index()
    return (frame[["id", "name", "group", "upper_union"]].astype(object).fillna("")
            .astype(str).reset_index(drop=True))


def _years_of(root: Path, register: pd.DataFrame) -> list[Period]:
    years: set[Period] = set()
    for unit in register["id"]:
        try:
            with os.scandir(unit_dir(root, unit)) as entries:
                years.update(parse_period(e.name) for e in entries
                             if is_period_id(e.name) and e.is_dir())
        except OSError:
            continue
    return sorted(years)


def plan(data: str | os.PathLike | None = None, units: str | list[str] | None = "all",
         years: str | list | None = None) -> tuple[Path, pd.DataFrame, list[Period]]:
    """The data root, the chosen register rows and the years (every year any unit has)."""
    root = paths.data_dir(data).resolve()
    if not root.is_dir():
        raise ParameterError(f"Không có thư mục dữ liệu {shown(root)}. Chỉ đúng thư mục bằng"
                             " --data.")
    register = unit_ids(root, units)
    have = _years_of(root, register)
    chosen = parse_periods(years, have) if years not in (None, "", "all") else have
    if chosen and len({p.kind for p in chosen}) == 1 and is_multi_unit(root):
        # periods of one kind: the units that report by that kind (a school year's schools)
        register = unit_ids(root, units, chosen[0])
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


def year_prints(root: Path, register: pd.DataFrame, years: list[Period]
                ) -> dict[Period, YearPrint]:
    """Each year's :class:`YearPrint`."""
    base = hashlib.sha256(_code_digest().encode())
    register_file = root / REGISTER_FILE
    if register_file.is_file():
        base.update(register_file.read_bytes())
    chosen = json.dumps(list(register["id"])).encode()
    units: dict[Period, dict[str, str]] = {year: {} for year in years}
    names = [str(year) for year in years]
    for unit in register["id"]:
        base_dir = str(unit_dir(root, unit))
        shared = shared_rules(base_dir)
        for year, name in zip(years, names, strict=True):
            try:
                found = entries(os.path.join(base_dir, name))
            except OSError:  # no year folder
                units[year][unit] = unit_digest(None, [])
            else:
                units[year][unit] = unit_digest(shared, found)
    out = {}
    for year in years:
        common = base.copy()
        common.update(f"\n{year}\n".encode())
        whole = common.copy()
        whole.update(chosen + json.dumps(units[year]).encode())
        out[year] = YearPrint(whole.hexdigest(), common.hexdigest(), units[year])
    return out


def unit_digest(shared: tuple | None, found: Sequence[tuple]) -> str:
    """A unit's digest in a year: its shared rules' stamp (:func:`shared_rules`) and its
    year folder's entries (:func:`~tongket_lib.dataset.layout.entries`); ``None`` and
    nothing for a unit without that year."""
    return hashlib.sha1(repr([] if shared is None else [shared, *found]).encode()).hexdigest()[:20]


def shared_rules(unit_folder: str | os.PathLike) -> tuple:
    """The size and time of a unit's shared rules.yaml, ``()`` if it has none."""
    try:
        st = os.stat(os.path.join(unit_folder, S.RULES_FILE))
    except OSError:
        return ()
    return (st.st_size, st.st_mtime_ns)


def register_digest(root: Path) -> str:
    """The register file's content digest (rows made from it say which they used)."""
    return hashlib.sha256((root / REGISTER_FILE).read_bytes()).hexdigest()


def overall_print(fingerprints: dict[Period, str]) -> str:
    """The fingerprint of a whole scope: its periods' fingerprints."""
    return hashlib.sha256(json.dumps(sorted((str(p), f) for p, f in fingerprints.items()))
                          .encode()).hexdigest()


#: the code the tables depend on: a change to a chart or a notebook keeps them
CODE = ("dataset", "units/consolidate.py", "units/tidyplan.py", "units/tidyrows.py",
        "units/tidytables.py", "units/tidycollect.py", "units/folders.py", "units/register.py",
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


def scope_name(register_all: pd.DataFrame, register: pd.DataFrame, years: list[Period],
               years_given: bool) -> str:
    """Folder name of a stored scope: ``tidy-all``, ``tidy-2024``, plus the units' hash."""
    following = all(b == a.next() for a, b in zip(years, years[1:], strict=False))
    name = "tidy-" + ("all" if not years_given else
                      (str(years[0]) if len(years) == 1 else f"{years[0]}..{years[-1]}"
                       if following else "_".join(map(str, years))))
    if list(register["id"]) != list(register_all["id"]):
        name += "-u" + hashlib.sha1(",".join(register["id"]).encode()).hexdigest()[:10]
    return name


def unchanged_units(folder: Path, year: Period, prints: YearPrint) -> list[str]:
    """The units whose rows of ``year`` are stored and still current: same base (library,
    register), same files; their rows are kept, only the others are read again."""
    old = stored_year(folder, year)
    units = old.get("units")
    if old.get("base") != prints.base or not isinstance(units, dict):
        return []
    return [unit for unit, digest in prints.units.items() if units.get(unit) == digest]


def unit_year_jobs(root: Path, register: pd.DataFrame, year: Period,
                   skip: set[str]) -> list[tuple]:
    """What :func:`~tongket_lib.units.tidyrows.load_chunk` takes for each chosen unit of a
    year not in ``skip``."""
    return [(unit, name, group, str(year), str(unit_dir(root, unit) / str(year)))
            for unit, name, group in register[["id", "name", "group"]].itertuples(index=False)
            if unit not in skip]
