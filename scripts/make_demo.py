#!/usr/bin/env python3
"""Regenerate the demonstration data (a fictional agency, synthetic numbers).

    python scripts/make_demo.py [--out data/demo] [--years 2021-2024] [--seed N]
    python scripts/make_demo.py --units 300 --out data/don-vi [--years 2021-2024]

Only parses the arguments and calls :func:`demo.make_demo`, the one generator (with
``--units N``: a register and N units).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the demo package beside it

from demo import DEFAULT_SEED, DEFAULT_YEARS, make_demo
from tongket_lib import paths
from tongket_lib.dataset.layout import parse_years
from tongket_lib.errors import TongketError


def main(argv: list[str] | None = None) -> int:
    default_out = paths.project_root() / "data" / "demo"
    years = f"{DEFAULT_YEARS[0]}-{DEFAULT_YEARS[-1]}"
    parser = argparse.ArgumentParser(
        prog="make_demo.py",
        description="Tạo lại bộ dữ liệu minh họa (cơ quan hư cấu, số liệu không có thật)."
                    " Không ghi vào thư mục có dữ liệu thật.")
    units_out = paths.project_root() / "data" / "don-vi"
    parser.add_argument("--out", default=None, metavar="THƯ_MỤC",
                        help=f"thư mục ghi dữ liệu minh họa (mặc định: {default_out}; với"
                             f" --units: {units_out})")
    parser.add_argument("--years", default=years, metavar="NĂM",
                        help=f"các năm, ví dụ 2021-2024 hoặc 2021,2023 (mặc định: {years})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="SỐ",
                        help=f"hạt giống ngẫu nhiên; cùng hạt giống cho cùng dữ liệu"
                             f" (mặc định: {DEFAULT_SEED})")
    parser.add_argument("--units", type=int, default=None, metavar="N",
                        help="tạo danh sách units.csv và N đơn vị hư cấu (mỗi đơn vị một thư mục"
                             " năm) thay cho một cơ quan; nên chỉ --out tới thư mục riêng")
    args = parser.parse_args(argv)
    if args.units is not None:
        args.out = args.out or str(units_out)
        return _units(args)
    args.out = args.out or str(default_out)
    try:
        written = make_demo(Path(args.out), parse_years(args.years), args.seed)
    except TongketError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"Đã tạo dữ liệu minh họa ({len(written)} năm, hạt giống {args.seed}):")
    for path in written:
        print(f"  {path}")
    return 0


def _units(args: argparse.Namespace) -> int:
    import time

    if args.units < 1:
        print("Lỗi: --units cần một số nguyên từ 1 trở lên, ví dụ --units 300.", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        units = make_demo(Path(args.out), parse_years(args.years), args.seed, units=args.units)
    except TongketError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    seconds = f"{time.perf_counter() - start:.1f}".replace(".", ",")
    print(f"Đã tạo {len(units)} đơn vị minh họa trong {args.out} (units.csv và mỗi đơn vị một thư"
          f" mục, các năm {args.years}, hạt giống {args.seed}) trong {seconds} giây.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
