"""``tongket check YEAR``: read and check one year's data, print what it holds."""

from __future__ import annotations

import argparse

from tongket_lib.cli.options import data_option, examples, unit_options, wrap
from tongket_lib.cli.units import resolve_units

#: from this many units on, ``check --units`` runs on the engine's workers
ENGINE_FROM = 8


def add_check_command(commands) -> argparse.ArgumentParser:
    p = commands.add_parser(
        "check", help="kiểm tra số liệu một năm và tóm tắt kết quả",
        description=wrap("Đọc và kiểm tra dữ liệu một năm: in tóm tắt theo mục, khen thưởng,"
                         " đóng góp và các phát hiện (lỗi, cảnh báo, thông tin)."),
        epilog=examples("tongket check 2024", "tongket check 2023 --data ~/so-lieu"))
    p.add_argument("year", metavar="KỲ", help="kỳ báo cáo cần kiểm tra: năm (2024) hoặc năm học (2024-2025)")
    data_option(p)
    unit_options(p)
    p.set_defaults(func=cmd_check)
    return p


def cmd_check(args: argparse.Namespace) -> int:
    from tongket_lib.cli.text import check_loaded, check_year
    from tongket_lib.dataset.load import load_year

    targets = resolve_units(args)
    if len(targets) == 1:  # one organisation or one unit: bad data is the command's error
        text, code = check_loaded(load_year(args.year, targets[0][1]))
        print(text)
        return code
    items = [(args.year, str(data)) for _, data in targets]
    from tongket_lib import engine

    if engine.runs_here(len(targets), None, ENGINE_FROM):
        results: list[tuple[str, int] | None] = [check_year(*item) for item in items]
        failures: dict[int, str] = {}
    else:  # many units: checked in parallel on the engine, printed in register order
        mapped = engine.map_tasks(check_year, items, star=True, progress=None,
                                  desc="Kiểm tra đơn vị", unit="đơn vị")
        results, failures = mapped.results, mapped.failures
    worst = 0
    for i, (unit, _) in enumerate(targets):
        print(f"\n== Đơn vị {unit} ==")
        result = results[i]
        if result is None:
            print(f"Lỗi: không kiểm tra được đơn vị này ({failures.get(i, '')}).")
            worst = max(worst, 1)
            continue
        text, code = result
        print(text)
        worst = max(worst, code)
    return worst
