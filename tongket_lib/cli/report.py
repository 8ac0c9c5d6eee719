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
        description=wrap("Chạy notebook báo cáo năm bằng papermill rồi ghi văn bản báo cáo"
                         f" theo thể thức của Công đoàn ({REPORT}.docx, sửa được bằng Word),"
                         " bản PDF khổ A4 (văn bản và phụ lục) và một tệp HTML tự chứa (thêm"
                         " phần kiểm tra số liệu), vào THƯ_MỤC_RA/KỲ/, cùng một lúc. Nếu có"
                         " lỗi, báo cáo cũ giữ nguyên và notebook lỗi được giữ thành"
                         f" {names.failed_notebook(REPORT)}."),
        epilog=examples("tongket report 2024",
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
    from tongket_lib.render.kernel import booting_kernel

    with booting_kernel() as kernel:  # it boots while this process imports pandas and the rest
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
    print(f"Đã dựng báo cáo {parse_period(result.year).label} trong {format_number(result.seconds, 1)} giây:")
    for path in (result.docx, result.pdf, result.html):
        if path is not None:
            print(f"  {shown(path)}")
    print(f"  {shown(result.notebook)} (notebook đã chạy, giữ để đối chiếu)")
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
    print(f"Lưu ý: số liệu {parse_period(year).label} có {errors} lỗi (xem mục “Kiểm tra số liệu” của báo cáo"
          f" HTML hoặc chạy tongket check {year}); báo cáo vẫn được dựng để đối chiếu. Sửa số"
          f" liệu rồi dựng lại.", file=sys.stderr)
    return 1
