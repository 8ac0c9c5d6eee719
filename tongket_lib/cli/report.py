"""``tongket report YEAR``: one year's report, as Word, PDF and HTML."""

from __future__ import annotations

import argparse
import sys

from tongket_lib.cli.options import (
    data_option,
    examples,
    param_option,
    render_options,
    unit_options,
    wrap,
)
from tongket_lib.cli.units import one_unit
from tongket_lib.period import parse_period
from tongket_lib.render import names

#: a year's report as the help names it: bao-cao-KỲ
REPORT = names.report_name("KỲ")


def add_report_command(commands) -> argparse.ArgumentParser:
    p = commands.add_parser(
        "report", help="dựng báo cáo một năm: văn bản Word, PDF và HTML",
        description=wrap("Chạy notebook báo cáo năm bằng papermill rồi ghi vào THƯ_MỤC_RA/KỲ/,"
                         " cùng một lúc: văn bản báo cáo theo thể thức của Công đoàn"
                         f" ({REPORT}.docx, sửa được bằng Word), bản PDF khổ A4 của riêng văn"
                         f" bản để ký gửi ({REPORT}.pdf), trang HTML tự chứa để gửi (văn bản,"
                         f" phụ lục, mục lục và số liệu chính: {REPORT}.html) và trang kiểm"
                         f" tra số liệu dành cho người chuẩn bị ({names.checks_name(REPORT)})."
                         " Phụ lục (bảng, biểu đồ của năm) in thành PDF riêng"
                         f" {names.output_name(REPORT, names.ANNEX)} khi thêm phu-luc vào"
                         " --format. Nếu có lỗi, báo cáo cũ giữ nguyên và notebook lỗi được"
                         f" giữ thành {names.failed_notebook(REPORT)}."),
        epilog=examples("tongket report 2024",
                        "tongket report 2024 --format html,pdf,docx,phu-luc",
                        "tongket report 2024 --format html --out /tmp/bao-cao",
                        "tongket report 2023 --data ~/so-lieu --timeout 600 -v"))
    p.add_argument("year", metavar="KỲ", help="kỳ cần dựng báo cáo: năm (2024) hoặc năm học (2024-2025)")
    data_option(p)
    unit_options(p)
    render_options(p)
    param_option(p)
    p.add_argument("-v", "--verbose", action="store_true",
                   help="in thời gian từng bước dựng (kernel, dữ liệu, notebook, HTML, PDF)")
    p.add_argument("--template", metavar="TỆP_WORD",
                   help=f"tệp Word (.docx) làm mẫu cho {REPORT}.docx: giấy tiêu đề, kiểu chữ"
                        " (mặc định: data/KỲ/mau-bao-cao.docx nếu có)")
    p.add_argument("--notebook", metavar="TỆP", help="dùng notebook khác notebooks/bao_cao_nam.ipynb")
    p.set_defaults(func=cmd_report)
    return p


def cmd_report(args: argparse.Namespace) -> int:
    from tongket_lib.render.execute import skip_unused_imports
    from tongket_lib.render.kernel import booting_kernel

    skip_unused_imports()
    with booting_kernel() as kernel:  # it boots while this process imports the exporters
        from tongket_lib.paths import reports_dir
        from tongket_lib.render.job import render
        from tongket_lib.render.spec import year_job

        unit, data = one_unit(args, "report")  # many units: batch --units
        out = reports_dir(args.out) / unit if unit else args.out  # reports/<unit>/<year>/
        job = year_job(args.year, data, out, args.format.split(","),
                       dict(args.param or []), args.timeout, args.max_time, args.notebook,
                       args.template)
        print(f"Đang dựng báo cáo {parse_period(job.year).label}…", file=sys.stderr)
        result = render(job, kernel=kernel)
    from tongket_lib.dataset.layout import shown
    from tongket_lib.vn import format_number

    _print_stages(args, result.stages)
    print(f"Đã dựng báo cáo {parse_period(result.year).label} trong"
          f" {format_number(result.seconds, 1)} giây:")
    for path, what in ((result.docx, "văn bản, Word"), (result.pdf, "văn bản, để ký gửi"),
                       (result.annex, "phụ lục"), (result.html, "trang gửi đi"),
                       (result.checks, "kiểm tra số liệu, cho người chuẩn bị")):
        if path is not None:
            print(f"  {shown(path)} ({what})")
    print(f"  {shown(result.notebook)} (notebook đã chạy, giữ để đối chiếu)")
    for warning in result.warnings:
        print(f"Cảnh báo: {warning}", file=sys.stderr)
    return _data_errors(result.errors, job.year)


def _print_stages(args: argparse.Namespace, stages: tuple[tuple[str, float], ...]) -> None:
    """With -v: where the render's time went, stage by stage (on stderr)."""
    if not getattr(args, "verbose", False):
        return
    from tongket_lib.vn import format_number

    width = max((len(name) for name, _ in stages), default=0)
    for name, seconds in stages:
        print(f"  {name:<{width}}  {format_number(seconds, 2):>6} giây", file=sys.stderr)


def _data_errors(errors: int, year: object) -> int:
    """Exit code 1, with a word, when the data has error-level findings (as ``check``)."""
    if not errors:
        return 0
    checks = names.checks_name(names.report_name(year))
    print(f"Lưu ý: số liệu {parse_period(year).label} có {errors} lỗi (xem trang {checks}"
          f" hoặc chạy tongket check {year}); báo cáo vẫn được dựng để đối chiếu. Sửa số"
          f" liệu rồi dựng lại.", file=sys.stderr)
    return 1
