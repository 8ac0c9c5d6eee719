"""Command-line pieces for many units: ``--unit``/``--units`` and the ``collect`` command.

Wired into the parser by :mod:`tongket_lib.cli`: :func:`add_unit_options` on every
command that reads a year, :func:`resolve_units` to turn the options into the data
folders to work on, and :func:`add_collect_command` for ``tongket collect``.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from tongket_lib.errors import ParameterError

COLLECT_EXAMPLES = ("Ví dụ:\n  tongket collect bao-cao-gui-len --year 2024 --data data/don-vi\n"
                    "  tongket collect ~/thu-dien-tu/2024 --year 2024 --force\n")
COLLECT_EXIT = ("Mã thoát của collect: 0 mọi sổ tính đều nhận được (kể cả khi còn đơn vị chưa"
                " gửi); 1 có sổ tính lỗi hoặc không xác định được đơn vị; 2 sai cách dùng.")


def add_unit_options(parser: argparse.ArgumentParser) -> None:
    """``--unit ID`` or ``--units all|ID,ID`` (one of them), for a multi-unit data folder."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--unit", metavar="MÃ",
                       help="một đơn vị trong units.csv của thư mục dữ liệu, ví dụ cdcs-so-tnmt")
    group.add_argument("--units", metavar="all|MÃ,MÃ",
                       help="nhiều đơn vị: all (mọi đơn vị đang hoạt động) hoặc các mã cách"
                            " nhau bằng dấu phẩy")


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
    return [(u, unit_dir(data, u)) for u in select_units(data, spec)]


def add_collect_command(subparsers) -> argparse.ArgumentParser:
    """``tongket collect FOLDER --year YEAR [--data ROOT] [--force] [-j N]``."""
    from tongket_lib.cli import EPILOG, _wrap
    from tongket_lib.cli.options import positive_int

    p = subparsers.add_parser(
        "collect", help="nhận sổ tính các đơn vị gửi lên vào thư mục dữ liệu nhiều đơn vị",
        description=_wrap(
            "Đọc mọi sổ tính .xlsx trong THƯ_MỤC (mỗi đơn vị một tệp, xuất bằng “tongket excel"
            " export”), nhận ra đơn vị theo mã đơn vị ghi trong trang “Thông tin chung” (không"
            " theo tên tệp), kiểm tra như “tongket excel import” rồi ghi các sổ tính hợp lệ vào"
            " DỮ_LIỆU/<mã đơn vị>/NĂM. Sổ tính có lỗi không được ghi. Năm đã có của một đơn vị"
            " chỉ được thay khi có --force (bản cũ được sao lưu). Cuối cùng in một bản tóm tắt:"
            " đơn vị đã nhận, đơn vị có lỗi (tệp và từng lỗi), đơn vị chưa gửi, sổ tính không"
            " xác định được đơn vị."),
        epilog=COLLECT_EXAMPLES + "\n" + _wrap(COLLECT_EXIT) + "\n\n" + EPILOG)
    p.add_argument("folder", metavar="THƯ_MỤC", help="thư mục chứa các sổ tính .xlsx đơn vị gửi")
    p.add_argument("--year", required=True, metavar="NĂM", help="năm của các báo cáo, ví dụ 2024")
    p.add_argument("--data", metavar="DỮ_LIỆU",
                   help="thư mục dữ liệu nhiều đơn vị, có units.csv (mặc định: data/ của dự án)")
    p.add_argument("--force", action="store_true",
                   help="thay năm đã có của đơn vị (bản cũ được sao lưu có ghi ngày giờ)")
    p.add_argument("-j", "--jobs", type=positive_int, default=None, metavar="N",
                   help="số tiến trình đọc sổ tính song song (mặc định: mọi lõi CPU khi có từ"
                        " 400 sổ tính, 1 khi ít hơn)")
    p.set_defaults(func=cmd_collect)
    return p


def cmd_collect(args: argparse.Namespace) -> int:
    from tongket_lib.units.tidycollect import collect_keeping_tables as collect

    result = collect(args.folder, args.year, args.data, force=args.force,
                     jobs=getattr(args, "jobs", None))
    print(result.summary())
    if result.written:
        data = f" --data {shlex.quote(args.data)}" if args.data else ""
        print(f"Xem lại từng đơn vị, ví dụ: tongket check {result.year}{data}"
              f" --unit {result.written[0][0]}")
    return result.exit_code
