#!/usr/bin/env python3
"""Regenerate the demonstration data (a fictional agency, synthetic numbers).

    python scripts/make_demo.py [--out data/demo] [--years 2021-2024] [--seed N]

Only parses the arguments and calls :func:`tongket_lib.demo.make_demo`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tongket_lib import paths
from tongket_lib.dataset.layout import parse_years
from tongket_lib.demo import DEFAULT_SEED, DEFAULT_YEARS, make_demo
from tongket_lib.errors import TongketError


def main(argv: list[str] | None = None) -> int:
    default_out = paths.project_root() / "data" / "demo"
    years = f"{DEFAULT_YEARS[0]}-{DEFAULT_YEARS[-1]}"
    parser = argparse.ArgumentParser(
        prog="make_demo.py",
        description="Tạo lại bộ dữ liệu minh họa (cơ quan hư cấu, số liệu không có thật)."
                    " Không ghi vào thư mục có dữ liệu thật.")
    parser.add_argument("--out", default=str(default_out), metavar="THƯ_MỤC",
                        help=f"thư mục ghi dữ liệu minh họa (mặc định: {default_out})")
    parser.add_argument("--years", default=years, metavar="NĂM",
                        help=f"các năm, ví dụ 2021-2024 hoặc 2021,2023 (mặc định: {years})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="SỐ",
                        help=f"hạt giống ngẫu nhiên; cùng hạt giống cho cùng dữ liệu"
                             f" (mặc định: {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    try:
        written = make_demo(Path(args.out), parse_years(args.years), args.seed)
    except TongketError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"Đã tạo dữ liệu minh họa ({len(written)} năm, hạt giống {args.seed}):")
    for path in written:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
