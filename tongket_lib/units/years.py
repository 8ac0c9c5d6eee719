"""``new-year --units``: a new year for many units, each made on its own.

A unit that cannot have its year made (the year already there without ``force``, no
earlier year to start from, an earlier year with errors) is reported with why, and the
others go on: one unit's problem never leaves the rest of the group without its year.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tongket_lib.dataset.layout import parse_year, shown
from tongket_lib.dataset.newyear import NewYearResult, new_year
from tongket_lib.errors import TongketError
from tongket_lib.period import Period
from tongket_lib.units.register import more_units, unit_dir, unit_problem_lines
from tongket_lib.vn import format_number

LISTED = 20  # units listed one by one, then a count


@dataclass
class NewYearsResult:
    """The years :func:`new_year_units` made, and the units it could not."""

    year: Period
    data: Path
    made: list[tuple[str, NewYearResult]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # unit, why

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def summary(self) -> str:
        lines = [f"Đã tạo khung dữ liệu năm {self.year} cho {format_number(len(self.made))} đơn"
                 f" vị trong {shown(self.data)}."]
        for unit, made in self.made[:LISTED]:
            backup = f"; dữ liệu cũ giữ tại {shown(made.backup)}" if made.backup else ""
            lines.append(f"  {unit}: từ năm {made.source_year}, {made.indicators} chỉ tiêu,"
                         f" {made.awards} dòng khen thưởng{backup}")
        lines += more_units(len(self.made), LISTED)
        if self.failed:
            lines.append(f"Không tạo được: {format_number(len(self.failed))} đơn vị")
            lines += unit_problem_lines(self.failed, LISTED)
        if self.made:
            lines.append("Mỗi đơn vị cần điền: số liệu thực hiện và đánh giá, khen thưởng, số"
                         " tiền, đánh giá từng mục và các dòng “# cần điền” trong meta.yaml; gửi"
                         " sổ tính cho các đơn vị bằng: tongket excel export"
                         f" {self.year} --data {shown(self.data)} --units all -o THƯ_MỤC")
        return "\n".join(lines)


def new_year_units(year: int | str | Period, data: str | os.PathLike, units: list[str],
                   source: int | str | Period | None = None, force: bool = False) -> NewYearsResult:
    """:func:`~tongket_lib.dataset.newyear.new_year` for each of ``units`` of the
    multi-unit folder ``data``; see the module docstring."""
    result = NewYearsResult(parse_year(year), Path(data))
    for unit in units:
        try:
            result.made.append((unit, new_year(year, source, unit_dir(data, unit), force)))
        except TongketError as exc:
            result.failed.append((unit, str(exc)))
    return result
