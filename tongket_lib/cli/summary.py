"""``tongket summary YEAR``: the upper level's consolidated report of many units.

Wired into the main parser by ``add_summary_command(subparsers)``; errors are raised as
:class:`~tongket_lib.errors.TongketError` and turned into messages and exit codes by
``tongket_lib.cli.main`` like every other command.
"""

from __future__ import annotations

import argparse
import sys

from tongket_lib.cli.options import (
    data_option,
    examples,
    force_option,
    format_option,
    jobs_option,
    out_option,
    scheduler_option,
    wrap,
)
from tongket_lib.period import parse_period
from tongket_lib.render.names import summary_name

EPILOG = ("Mã thoát: 0 xong; 1 dựng báo cáo thất bại; 2 sai dữ liệu đầu vào hoặc sai cách"
          " dùng.")


def add_summary_command(commands) -> argparse.ArgumentParser:
    """Add ``summary`` to the ``tongket`` subcommands; return its parser."""
    p = commands.add_parser(
        "summary", help="dựng báo cáo tổng hợp của nhiều đơn vị: HTML và PDF",
        description=wrap(
            "Đọc số liệu của mọi đơn vị trong thư mục dữ liệu (units.csv và"
            " <mã đơn vị>/<năm>/), kiểm tra từng đơn vị, lưu bảng tổng hợp dạng Parquet"
            " (dùng lại khi số liệu không đổi) rồi dựng báo cáo tổng hợp: tình hình nộp báo"
            " cáo, tổng khen thưởng và đóng góp, từng chỉ tiêu qua các đơn vị, so sánh và"
            f" xếp hạng đơn vị, xu hướng cả khối. Ghi vào THƯ_MỤC_RA/{summary_name('KỲ')}/."),
        epilog=examples("tongket summary 2024 --data du-lieu-cac-don-vi",
                        "tongket summary 2024 --units cd-so-y-te,cd-so-gddt --format html",
                        "tongket summary 2024 --scheduler tcp://10.0.0.5:8786", epilog=EPILOG))
    p.add_argument("year", metavar="KỲ", help="kỳ tổng hợp: năm (2024) hoặc năm học (2024-2025)")
    p.add_argument("--units", default="all", metavar="ĐƠN_VỊ",
                   help="all (mặc định: mọi đơn vị đang hoạt động trong units.csv) hoặc các mã"
                        " cách nhau bằng dấu phẩy")
    data_option(p, "thư mục chứa units.csv và các thư mục đơn vị (mặc định: data/)")
    out_option(p)
    format_option(p, "html,pdf", "html, pdf hoặc html,pdf (mặc định: html,pdf)")
    jobs_option(p, "đọc số liệu trên máy này")
    scheduler_option(p, "việc đọc số liệu")
    force_option(p, "dựng lại cả khi số liệu, notebook và định dạng không đổi kể từ lần dựng"
                    " trước (mặc định: giữ nguyên báo cáo đó)")
    p.set_defaults(func=cmd_summary)
    return p


def cmd_summary(args: argparse.Namespace) -> int:
    from tongket_lib.dataset.layout import shown
    from tongket_lib.render.spec import check_formats
    from tongket_lib.units.summary import render_summary
    from tongket_lib.vn import format_number

    formats = check_formats(args.format.split(","))
    print(f"Đang dựng báo cáo tổng hợp {parse_period(args.year).label}…", file=sys.stderr)
    result = render_summary(args.year, args.units, args.data, args.out, formats,
                            workers=args.jobs, scheduler=args.scheduler,
                            progress=None, force=args.force)
    if result.skipped:
        print(f"Báo cáo tổng hợp {parse_period(result.year).label} không đổi (cùng số liệu,"
              f" notebook và định dạng như lần dựng trước), giữ nguyên: {shown(result.folder)}."
              " Dựng lại bằng --force.")
        return 0
    reused = " (dùng lại bảng tổng hợp đã lưu)" if result.tidy_reused else ""
    print(f"Đã dựng báo cáo tổng hợp {parse_period(result.year).label} của"
          f" {format_number(result.units)} đơn vị trong {format_number(result.seconds, 1)} giây{reused}:")
    for path in (result.html, result.pdf):
        if path is not None:
            print(f"  {shown(path)}")
    print(f"  {shown(result.notebook)} (notebook đã chạy, giữ để đối chiếu)")
    return 0
