"""``excel export --units``: one workbook a unit, to send out; ``collect`` takes them back.

Each workbook is the unit's year as ``excel export`` writes it (validated first), with the
unit's id in “Thông tin chung” (meta key ``unit``) so that ``collect`` files it under the
right unit whatever the file is renamed to. A unit that cannot be exported (no folder
for the year, data with errors, a workbook already there without ``force``) is reported
and the others go on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tongket_lib.dataset.layout import parse_year, shown
from tongket_lib.errors import ParameterError, TongketError
from tongket_lib.units.register import unit_dir
from tongket_lib.vn import format_number

FAILED_SHOWN = 20  # failed units listed one by one, then a count
PROGRESS_FROM = 20  # a progress bar from this many units on


@dataclass
class SendResult:
    """What ``export_units`` wrote, and which units it could not."""

    year: int
    folder: Path
    data: Path
    written: list[tuple[str, Path]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # unit, why

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def summary(self) -> str:
        lines = [f"Đã xuất sổ tính năm {self.year} cho {format_number(len(self.written))} đơn vị"
                 f" vào {shown(self.folder)}: mỗi đơn vị một tệp MÃ.xlsx, mã đơn vị ghi sẵn"
                 f" trong trang “Thông tin chung”."]
        if self.failed:
            lines.append(f"Không xuất được: {format_number(len(self.failed))} đơn vị")
            for unit, why in self.failed[:FAILED_SHOWN]:
                first, *rest = why.splitlines() or [""]
                lines.append(f"  {unit}: {first}")
                lines += [f"    {more.strip()}" for more in rest if more.strip()]
            if len(self.failed) > FAILED_SHOWN:
                lines.append(f"  … và {format_number(len(self.failed) - FAILED_SHOWN)} đơn vị"
                             f" khác.")
        if self.written:
            lines.append(f"Gửi mỗi tệp cho đơn vị của nó; khi nhận về, chép các tệp vào một thư"
                         f" mục rồi: tongket collect THƯ_MỤC --year {self.year} --data"
                         f" {shown(self.data)}")
        return "\n".join(lines)


def export_units(year: int | str, data: str | os.PathLike, folder: str | os.PathLike,
                 units: list[str], force: bool = False,
                 progress: bool | None = None) -> SendResult:
    """Write ``folder/<unit>.xlsx`` for each of ``units`` of the multi-unit folder
    ``data``; see the module docstring. ``progress``: a bar on stderr (default: from
    :data:`PROGRESS_FROM` units on)."""
    from tongket_lib import engine
    from tongket_lib.dataset.excel import export_excel

    year = parse_year(year)
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise ParameterError(f"{shown(target)} là một tệp; với nhiều đơn vị, -o là thư mục"
                             f" nhận các sổ tính (mỗi đơn vị một tệp). Chọn một thư mục.")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError(f"Không tạo được thư mục {shown(target)} ({exc.strerror})."
                             f" Chọn thư mục khác bằng -o.") from None
    result = SendResult(year, target, Path(data))
    shown_bar = len(units) >= PROGRESS_FROM if progress is None else progress
    bar = engine.progress_bar(len(units), "Xuất sổ tính", "đơn vị", shown_bar)
    for unit in units:
        path = target / f"{unit}.xlsx"
        try:
            export_excel(year, unit_dir(data, unit), path, force=force, unit=unit)
        except TongketError as exc:
            result.failed.append((unit, str(exc)))
        else:
            result.written.append((unit, path))
        bar.update()
    bar.close()
    return result
