"""Year folders without pandas: which years exist, which files a year has, their
checksum, how paths are shown. Kept light so that deciding whether anything needs to
be rendered (a batch with nothing changed) starts no heavy import.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from tongket_lib import paths
from tongket_lib.dataset import schema as S
from tongket_lib.errors import ParameterError, Problem


def parse_year(year: int | str) -> int:
    """A year as an int, or a clear error."""
    if isinstance(year, bool):
        raise ParameterError(f"Năm “{year}” không hợp lệ: viết năm bằng 4 chữ số, ví dụ 2024.")
    try:
        value = int(str(year).strip())
    except ValueError:
        raise ParameterError(f"Năm “{year}” không hợp lệ: viết năm bằng 4 chữ số, ví dụ 2024.") from None
    if not 1900 <= value <= 2200:
        raise ParameterError(f"Năm {value} không hợp lệ: viết năm bằng 4 chữ số, ví dụ 2024.")
    return value


def parse_years(spec: str | int | list | range | None = None,
                data: str | os.PathLike | None = None) -> list[int]:
    """Years from ``None`` (every year with data), ``"2021-2024"`` (or ``2021..2024``),
    ``"2021,2023"``, one year, or a list.

    >>> parse_years("2021-2023")
    [2021, 2022, 2023]
    >>> parse_years("2024, 2022")
    [2022, 2024]
    """
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        years = available_years(data)
        if not years:
            raise ParameterError("Chưa có năm nào trong thư mục dữ liệu.")
        return years
    if isinstance(spec, bool):
        return [parse_year(spec)]  # refused there: True is not a year
    if isinstance(spec, (int, str)):
        text = str(spec)
        chosen: list[int] = []
        for part in re.split(r"\s*,\s*", text.strip()):
            m = re.fullmatch(r"(\d{4})\s*(?:-|–|\.\.)\s*(\d{4})", part)
            if m:
                start, end = int(m[1]), int(m[2])
                if end < start:
                    raise ParameterError(f"Khoảng năm “{part}” bị ngược: viết năm nhỏ trước,"
                                         f" ví dụ {end}-{start}.")
                chosen += range(start, end + 1)
            else:
                chosen.append(parse_year(part))
        return sorted(set(chosen))
    return sorted({parse_year(y) for y in spec})


def available_years(data: str | os.PathLike | None = None) -> list[int]:
    """Years that have a folder in the data folder, oldest first."""
    root = paths.data_dir(data)
    if not root.is_dir():
        return []
    return sorted(int(p.name) for p in root.iterdir()
                  if p.is_dir() and p.name.isdigit() and len(p.name) == 4)


def data_files(folder: Path) -> list[Path]:
    """Existing data files of a year folder (and the shared rules file), in a fixed order."""
    names = [S.META_FILE, *(s.name for s in S.CSV_FILES), S.RULES_FILE]
    found = [folder / n for n in names if (folder / n).is_file()]
    shared = folder.parent / S.RULES_FILE
    return found + ([shared] if shared.is_file() else [])


def checksum(files: list[Path]) -> str:
    """SHA-256 over the names and bytes of ``files``: changes when any input changes."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def shown(path: str | os.PathLike) -> str:
    """A path as messages show it: relative to the current folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)




def missing_year(year: int, root: Path) -> Problem:
    """The problem of a year (or data folder) that does not exist, with the way out."""
    if not root.is_dir():
        return Problem(shown(root), None, None, None,
                       f"không có thư mục dữ liệu “{shown(root)}”. Chỉ đúng thư mục bằng --data.")
    years = available_years(root)
    have = ", ".join(map(str, years)) if years else "chưa có năm nào"
    hint = f" Tạo năm mới từ năm trước: tongket new-year {year}." if years else ""
    if not years and (root / "meta.yaml").is_file():  # --data points at one year's folder
        hint = (f" “{shown(root)}” là thư mục của một năm; --data cần thư mục chứa các năm:"
                f" --data {shown(root.parent)}.")
    return Problem(shown(root / str(year)), None, None, year,
                   f"không có thư mục dữ liệu năm {year}. Các năm có trong {shown(root)}: {have}.{hint}")
