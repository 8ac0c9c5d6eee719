"""``excel export --units``: one workbook a unit, to send out; ``collect`` takes them back.

Each workbook is the unit's year as ``excel export`` writes it (validated first), with the
unit's id in “Thông tin chung” (meta key ``unit``) so that ``collect`` files it under the
right unit whatever the file is renamed to. The units with no folder for the year are
named together, with the ``new-year`` command that makes it; a unit that cannot be
exported (data with errors, a workbook already there without ``force``) is reported with
its problems; the others go on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tongket_lib.dataset.layout import parse_year, shown
from tongket_lib.errors import ParameterError, TongketError
from tongket_lib.period import Period
from tongket_lib.units.register import unit_dir, unit_problem_lines
from tongket_lib.vn import format_number

FAILED_SHOWN = 20  # failed units listed one by one, then a count
ENGINE_FROM = 40  # from this many units on, the workbooks are written on the engine


@dataclass
class SendResult:
    """What ``export_units`` wrote, and which units it could not."""

    year: Period
    folder: Path
    data: Path
    written: list[tuple[str, Path]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # unit, why
    without_year: list[str] = field(default_factory=list)  # no folder for the year

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or self.without_year else 0

    def summary(self) -> str:
        lines = [f"Đã xuất sổ tính năm {self.year} cho {format_number(len(self.written))} đơn vị"
                 f" vào {shown(self.folder)}: mỗi đơn vị một tệp MÃ.xlsx, mã đơn vị ghi sẵn"
                 f" trong trang “Thông tin chung”."]
        if self.without_year:
            some = self.without_year[:FAILED_SHOWN]
            more = len(self.without_year) - len(some)
            lines.append(f"Chưa có thư mục năm {self.year}: {format_number(len(self.without_year))}"
                         f" đơn vị. Tạo từ năm trước rồi xuất lại cho các đơn vị đó:")
            lines.append(f"  tongket new-year {self.year} --data {shown(self.data)} --units"
                         f" {','.join(some)}" + (f"  (và {format_number(more)} đơn vị khác)"
                                                 if more else ""))
        if self.failed:
            lines.append(f"Không xuất được: {format_number(len(self.failed))} đơn vị")
            lines += unit_problem_lines(self.failed, FAILED_SHOWN)
        if self.written:
            lines.append(f"Gửi mỗi tệp cho đơn vị của nó; khi nhận về, chép các tệp vào một thư"
                         f" mục rồi: tongket collect THƯ_MỤC --year {self.year} --data"
                         f" {shown(self.data)}")
        return "\n".join(lines)


def export_one(unit: str, year: Period, data: str, folder: str, force: bool) -> str | None:
    """Export one unit's workbook to ``folder/<unit>.xlsx``; ``None``, or why it could not
    (never raises: it runs on the engine's workers too)."""
    from tongket_lib.dataset.excel import export_excel

    path = Path(folder) / f"{unit}.xlsx"
    try:
        export_excel(year, unit_dir(data, unit), path, force=force, unit=unit)
    except TongketError as exc:
        return str(exc)
    except OSError as exc:
        return (f"không ghi được {shown(path)} ({exc.strerror or exc}). Kiểm tra thư mục -o còn"
                f" chỗ trống và ghi được.")
    return None


def export_units(year: int | str | Period, data: str | os.PathLike, folder: str | os.PathLike,
                 units: list[str], force: bool = False, progress: bool | None = None,
                 jobs: int | None = None, scheduler: str | None = None) -> SendResult:
    """Write ``folder/<unit>.xlsx`` for each of ``units`` of the multi-unit folder
    ``data``; see the module docstring. From :data:`ENGINE_FROM` units on, the workbooks
    are written on the engine (``jobs`` workers, or ``scheduler``'s cluster), else here.
    ``progress``: a bar on stderr (:func:`tongket_lib.engine.progress_bar`)."""
    from tongket_lib import engine

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
    result.without_year = [u for u in units if not (unit_dir(data, u) / str(year)).is_dir()]
    without = set(result.without_year)
    units = [u for u in units if u not in without]
    where = (str(Path(data).resolve()), str(target.resolve()))
    whys: list[str | None]
    if not engine.runs_here(len(units), jobs, ENGINE_FROM, scheduler):
        mapped = engine.map_tasks(export_one, units, args=(year, *where, force),
                                  workers=jobs, scheduler=scheduler, progress=progress,
                                  desc="Xuất sổ tính", unit="đơn vị")
        whys = [f"tiến trình xuất bị dừng giữa chừng ({mapped.failures[i]}); chạy lại lệnh."
                if i in mapped.failures else mapped.results[i] for i in range(len(units))]
    else:
        bar = engine.progress_bar(len(units), "Xuất sổ tính", "đơn vị", progress)
        whys = []
        for unit in units:
            whys.append(export_one(unit, year, *where, force))
            bar.update()
        bar.close()
    for unit, why in zip(units, whys, strict=True):
        if why is None:
            result.written.append((unit, target / f"{unit}.xlsx"))
        else:
            result.failed.append((unit, why))
    return result
