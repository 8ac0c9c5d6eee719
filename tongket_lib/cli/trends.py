"""``tongket trends``: the report of several years side by side."""

from __future__ import annotations

import argparse
import sys

from tongket_lib.cli.options import (
    data_option,
    examples,
    render_options,
    unit_options,
    wrap,
    years_option,
)
from tongket_lib.cli.units import one_unit
from tongket_lib.render import names


def add_trends_command(commands) -> argparse.ArgumentParser:
    p = commands.add_parser(
        "trends", help="dựng báo cáo xu hướng nhiều năm",
        description=wrap("Chạy notebook xu hướng (notebooks/xu_huong.ipynb) cho nhiều năm:"
                         " bản đồ màu đánh giá, diễn biến từng chỉ tiêu so với chỉ tiêu đề ra,"
                         " thay đổi so với năm trước, tiến độ theo phương pháp Open SDG."
                         f" Ghi vào THƯ_MỤC_RA/{names.TRENDS}/."),
        epilog=examples("tongket trends", "tongket trends --years 2021-2024 --data data/demo"))
    years_option(p)
    data_option(p)
    unit_options(p)
    render_options(p)
    p.set_defaults(func=cmd_trends)
    return p


def cmd_trends(args: argparse.Namespace) -> int:
    from tongket_lib.render.execute import skip_unused_imports
    from tongket_lib.render.kernel import booting_kernel

    skip_unused_imports()
    with booting_kernel() as kernel:  # it boots while this process imports the exporters
        from tongket_lib.paths import reports_dir
        from tongket_lib.render.job import render
        from tongket_lib.render.spec import trends_job

        unit, data = one_unit(args, "trends")
        out = reports_dir(args.out) / unit if unit else args.out
        job = trends_job(args.years, data, out, args.format.split(","), args.timeout,
                         args.max_time)
        print("Đang dựng báo cáo xu hướng…", file=sys.stderr)
        result = render(job, kernel=kernel)
    from tongket_lib.dataset.layout import shown
    from tongket_lib.vn import format_number

    print(f"Đã dựng báo cáo xu hướng trong {format_number(result.seconds, 1)} giây:")
    for path in (result.html, result.pdf, result.notebook):
        if path is not None:
            print(f"  {shown(path)}")
    return 0
