"""``tongket new-year YEAR``: a new year's data folder made from an earlier year."""

from __future__ import annotations

import argparse

from tongket_lib.cli.options import data_option, examples, force_option, unit_options, wrap
from tongket_lib.cli.units import resolve_units


def add_new_year_command(commands) -> argparse.ArgumentParser:
    p = commands.add_parser(
        "new-year", help="tạo thư mục dữ liệu năm mới từ năm trước",
        description=wrap("Tạo data/KỲ từ năm trước: giữ mã, mục, tên và chỉ tiêu; để trống số"
                         " liệu thực hiện, đánh giá, số khen thưởng, số tiền và quyết định để"
                         " điền. Không ghi đè năm đã có, trừ khi có --force (khi đó năm cũ được"
                         " sao lưu có ghi ngày giờ)."),
        epilog=examples("tongket new-year 2025", "tongket new-year 2025 --from 2023"))
    p.add_argument("year", metavar="KỲ", help="kỳ cần tạo, ví dụ 2025 hoặc 2025-2026")
    p.add_argument("--from", dest="source", metavar="KỲ",
                   help="kỳ làm mẫu (mặc định: kỳ gần nhất trước KỲ, cùng loại)")
    data_option(p)
    unit_options(p)
    force_option(p, "tạo lại năm đã có (năm cũ được sao lưu trước)")
    p.set_defaults(func=cmd_new_year)
    return p


def cmd_new_year(args: argparse.Namespace) -> int:
    from tongket_lib.dataset.newyear import new_year

    targets = resolve_units(args)
    if targets[0][0] is None or getattr(args, "unit", None):  # one organisation, or one unit
        print(new_year(args.year, source=args.source, data=targets[0][1],
                       force=args.force).describe())
        return 0
    from tongket_lib.paths import data_dir
    from tongket_lib.units.years import new_year_units

    result = new_year_units(args.year, data_dir(args.data), [str(u) for u, _ in targets],
                            source=args.source, force=args.force)
    print(result.summary())
    return result.exit_code
