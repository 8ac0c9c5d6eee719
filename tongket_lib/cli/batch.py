"""``tongket batch``: every year's report and the trends, rebuilt where something changed."""

from __future__ import annotations

import argparse
from typing import Any

from tongket_lib.cli.options import (
    data_option,
    examples,
    force_option,
    jobs_option,
    render_options,
    scheduler_option,
    unit_options,
    wrap,
    years_option,
)
from tongket_lib.cli.units import resolve_units
from tongket_lib.render import names


def add_batch_command(commands) -> argparse.ArgumentParser:
    p = commands.add_parser(
        "batch", help="dựng lại báo cáo mọi năm và báo cáo xu hướng",
        description=wrap("Dựng báo cáo từng năm và báo cáo xu hướng, song song nhiều tiến"
                         " trình. Năm nào có dữ liệu, notebook và thư viện không đổi kể từ lần"
                         " dựng tốt gần nhất thì bỏ qua (trừ khi có --force). Một năm lỗi không"
                         f" làm dừng các năm khác. Cuối cùng ghi THƯ_MỤC_RA/{names.INDEX} liệt kê"
                         " mọi năm."),
        epilog=examples("tongket batch", "tongket batch --years 2021-2024 --data data/demo -j 2",
                        "tongket batch --force"))
    years_option(p)
    data_option(p)
    unit_options(p)
    render_options(p)
    jobs_option(p, "chạy song song")
    force_option(p, "dựng lại cả những năm không đổi")
    scheduler_option(p, "việc dựng", default="cụm cục bộ trên máy này")
    p.set_defaults(func=cmd_batch)
    return p


def cmd_batch(args: argparse.Namespace) -> int:
    from tongket_lib.render.batch import run_batch
    from tongket_lib.units.batch import run_units_batch

    targets = resolve_units(args)
    options = {"years": args.years, "jobs": args.jobs, "force": args.force,
               "formats": tuple(args.format.split(",")), "cell_timeout": args.timeout,
               "max_seconds": args.max_time, "scheduler": args.scheduler}
    result: Any
    if targets[0][0] is None:  # one organisation
        result = run_batch(data=targets[0][1], out=args.out, **options)
    else:  # reports/<unit>/ for each unit, and reports/don-vi.html listing them
        result = run_units_batch([str(unit) for unit, _ in targets], args.data, args.out,
                                 **options)
    print(result.summary())
    return result.exit_code  # 1: a report failed or a year's data has errors, as report
