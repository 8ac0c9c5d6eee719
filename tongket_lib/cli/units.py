"""What ``--unit``/``--units`` select: the (unit, data folder) pairs a command works on.

The options themselves are :func:`tongket_lib.cli.options.unit_options`; every command
that reads a year turns them into data folders with :func:`resolve_units`, and a command
that works on one unit with :func:`one_unit`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tongket_lib.errors import ParameterError

#: what a one-unit command's user does for many units
MANY_UNITS = {"report": "báo cáo của nhiều đơn vị một lượt: tongket batch --units all",
              "trends": "xu hướng của nhiều đơn vị một lượt: tongket batch --units all",
              "excel export": "sổ tính cho nhiều đơn vị một lượt: tongket excel export KỲ"
                              " --units all -o THƯ_MỤC",
              "excel import": "sổ tính của nhiều đơn vị: tongket collect THƯ_MỤC --year KỲ"}


def resolve_units(args: argparse.Namespace,
                  one: str | None = None) -> list[tuple[str | None, Path]]:
    """The (unit id, data folder) pairs a command works on.

    A single-organisation data folder gives ``[(None, data)]``; a multi-unit one needs
    ``--unit`` or ``--units`` and gives each unit with its own folder. ``one``: what to
    say instead of ``--units all`` to a command that works on one unit.
    """
    from tongket_lib import paths
    from tongket_lib.dataset.layout import shown
    from tongket_lib.units.register import is_multi_unit, load_units, select_units, unit_dir

    data = getattr(args, "data", None)
    unit, units = getattr(args, "unit", None), getattr(args, "units", None)
    if unit is not None and "," in unit:
        raise ParameterError(f"--unit nhận một mã đơn vị; với nhiều đơn vị dùng --units {unit}.")
    spec = unit if unit is not None else units
    if spec is None:
        root = paths.data_dir(data)
        if is_multi_unit(data):
            count = len(load_units(data))
            raise ParameterError(
                f"Thư mục dữ liệu {shown(root)} có {count} đơn vị (units.csv). Chọn đơn vị bằng"
                f" --unit MÃ" + (f"; {one}." if one else ", hoặc --units all cho mọi đơn vị."))
        return [(None, root)]
    if unit is not None and unit.strip().lower() == "all":
        raise ParameterError("--unit nhận một mã đơn vị; với mọi đơn vị dùng --units all.")
    period = getattr(args, "year", None)  # a command of one period: its kind of units
    return [(u, unit_dir(data, u)) for u in select_units(data, spec, period)]


def one_unit(args: argparse.Namespace, command: str) -> tuple[str | None, Path]:
    """The one (unit, data folder) of a command that acts on one unit: it takes --unit,
    not --units with several."""
    targets = resolve_units(args, one=MANY_UNITS[command])
    if len(targets) > 1:
        raise ParameterError(f"“tongket {command}” làm cho một đơn vị: dùng --unit MÃ;"
                             f" {MANY_UNITS[command]}.")
    [target] = targets
    return target
