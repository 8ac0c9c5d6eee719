"""The demonstration data's one generator: one organisation's years, or N units.

:func:`make_demo` writes the fictional agency's years (:mod:`~demo.organisation`), or
with ``units=N`` a register (``units.csv``) and N fictional units derived from those
years (:mod:`~demo.units`). It owns the folder: a folder holding anything that is not
demonstration data is refused, and what it writes replaces the demonstration data there.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from demo.design import DEFAULT_SEED, DEFAULT_YEARS, MARKER, ORGANISATION, README, RULES
from demo.organisation import organisation_years
from demo.units import write_units
from tongket_lib.dataset import schema as S
from tongket_lib.dataset.layout import parse_year, shown
from tongket_lib.dataset.load import load_year
from tongket_lib.dataset.readers import read_text, read_yaml
from tongket_lib.dataset.store import replace_atomically, write_year
from tongket_lib.errors import ParameterError, Problem
from tongket_lib.units.register import REGISTER_FILE


def make_demo(folder: str | os.PathLike, years: Iterable[int] = DEFAULT_YEARS,
              seed: int = DEFAULT_SEED, *, units: int | None = None,
              validate: bool = True) -> list[Path]:
    """Write demonstration data into ``folder``; return the folders written.

    Without ``units``: the fictional agency's years, one folder a year (returned), with
    its README.md and rules.yaml. ``folder`` is regenerated: the year folders of
    ``years`` are replaced, other demonstration years are removed; ``validate`` loads
    each year written.

    With ``units=N``: ``units.csv`` and N fictional units, one folder each (returned, in
    the register's order) holding the years it reports. ``folder`` must be empty or hold
    only demonstration units.

    A folder holding anything that is not demonstration data is refused with a
    :class:`~tongket_lib.errors.ParameterError`. The same seed gives the same bytes.

    >>> out = Path(tempfile.mkdtemp())
    >>> [p.name for p in make_demo(out / "demo", years=[2023, 2024], seed=1)]
    ['2023', '2024']
    >>> load_year(2024, out / "demo").synthetic
    True
    >>> units = make_demo(out / "don-vi", years=[2023, 2024], seed=1, units=3)
    >>> load_year(2024, units[0]).meta["unit"] == units[0].name
    True
    """
    folder = Path(folder)
    years = sorted({int(parse_year(y)) for y in years})  # the demonstration: calendar years
    if units is not None:
        return _units(folder, units, years, seed)
    if not years:
        raise ParameterError("Cần ít nhất một năm để tạo dữ liệu minh họa.")
    return _organisation(folder, years, int(seed), validate)


# -- one organisation ------------------------------------------------------------------------

def _organisation(folder: Path, years: list[int], seed: int, validate: bool) -> list[Path]:
    stale = _check_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = [_replace_year(folder, year, meta, tables)
               for year, meta, tables in organisation_years(years, seed)]
    for year in stale - set(years):
        shutil.rmtree(folder / str(year))
    (folder / S.RULES_FILE).write_text(RULES.format(organisation=ORGANISATION), encoding="utf-8")
    (folder / "README.md").write_text(
        README.format(organisation=ORGANISATION, first=years[0], last=years[-1], seed=seed),
        encoding="utf-8")
    if validate:
        for year in years:
            load_year(year, folder)
    return written


def _check_folder(folder: Path) -> set[int]:
    """Refuse a folder with real data; return the demonstration years already there."""
    if folder.exists() and not folder.is_dir():
        raise ParameterError(f"{shown(folder)} là một tệp, không phải thư mục.")
    if not folder.is_dir():
        return set()
    years: set[int] = set()
    for path in sorted(folder.iterdir()):
        if path.is_dir() and path.name.isdigit() and len(path.name) == 4:
            if not _is_synthetic(path / S.META_FILE):
                raise ParameterError(
                    f"Thư mục {shown(folder)} có dữ liệu không phải minh họa (năm {path.name}:"
                    f" {S.META_FILE} không ghi “synthetic: true”). Không ghi dữ liệu minh họa"
                    f" vào đó; chọn thư mục khác bằng --out.")
            years.add(int(path.name))
    for name in ("README.md", S.RULES_FILE):
        path = folder / name
        if path.is_file() and MARKER not in path.read_text(encoding="utf-8", errors="replace"):
            raise ParameterError(
                f"{shown(path)} không phải tệp của dữ liệu minh họa; không ghi đè. Chọn thư mục"
                f" khác bằng --out.")
    return years


def _is_synthetic(meta_path: Path) -> bool:
    problems: list[Problem] = []
    if not meta_path.is_file():
        return False
    text = read_text(meta_path, problems)
    data, _ = read_yaml(text or "", meta_path.name, problems)
    return isinstance(data, dict) and data.get("synthetic") is True


def _replace_year(folder: Path, year: int, meta: dict, tables: dict) -> Path:
    """Write one year into a temporary folder, then swap it in place of the old one."""
    target = folder / str(year)
    replace_atomically(target, lambda tmp: write_year(tmp, meta, tables), folder=True,
                       keep_backup=False)
    return target


# -- many units ------------------------------------------------------------------------------

def _units(root: Path, n: int, years: list[int], seed: int) -> list[Path]:
    """The organisation's years made in a temporary folder, the units derived from them
    into a staging folder beside their place, then each unit's folder moved into it."""
    if n < 1 or not years:
        raise ParameterError("Cần ít nhất một đơn vị và một năm để tạo dữ liệu minh họa.")
    _check_root(root)
    with tempfile.TemporaryDirectory() as tmp:
        _organisation(Path(tmp), years, int(seed), validate=False)
        root.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".don-vi.tmp-", dir=root))
        try:
            register = write_units(stage, Path(tmp), n, years, seed)
            ids = list(register["id"])
            for unit in ids:
                old = root / unit
                if old.exists():
                    shutil.rmtree(old)
                if (stage / unit).exists():
                    os.rename(stage / unit, old)
                else:
                    old.mkdir()
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    register.to_csv(root / REGISTER_FILE, index=False, encoding="utf-8", lineterminator="\n")
    (root / "README.md").write_text(
        f"# {MARKER}: {n} đơn vị hư cấu\n\nTạo bằng `python scripts/make_demo.py --units {n}"
        f" --years {years[0]}-{years[-1]} --seed {seed}`; đừng sửa tay. Mọi số liệu, tên đơn vị"
        f" đều không có thật (không có tỉnh Minh Phúc).\n", encoding="utf-8")
    return [root / unit for unit in ids]


def _check_root(root: Path) -> None:
    """Refuse a folder holding anything but demonstration units."""
    if root.exists() and not root.is_dir():
        raise ParameterError(f"{shown(root)} là một tệp, không phải thư mục.")
    if not root.is_dir() or not any(root.iterdir()):
        return
    readme = root / "README.md"
    if not (readme.is_file() and MARKER in readme.read_text(encoding="utf-8", errors="replace")
            and (root / REGISTER_FILE).is_file()):
        raise ParameterError(f"Thư mục {shown(root)} đã có dữ liệu không phải các đơn vị minh"
                             f" họa. Chọn thư mục khác (trống) bằng --out.")
