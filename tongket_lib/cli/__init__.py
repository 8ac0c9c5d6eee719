"""The ``tongket`` command: parses arguments, calls the library, prints, exits.

It only translates: arguments into library calls, results into text, and
:class:`~tongket_lib.errors.TongketError` into a Vietnamese message and an exit code
(0 done, 1 errors found or a render failed, 2 invalid input or usage). Heavy
libraries are imported inside the commands so that ``tongket --help`` and a batch
with nothing to do stay fast.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from tongket_lib._version import __version__
from tongket_lib.cli.options import positive_int
from tongket_lib.cli.summary import add_summary_command
from tongket_lib.cli.units import add_collect_command, add_unit_options, resolve_units
from tongket_lib.cli.vietnamese import Parser
from tongket_lib.errors import ParameterError, TongketError
from tongket_lib.render import names

EPILOG = ("Mã thoát: 0 xong; 1 có lỗi trong số liệu hoặc dựng báo cáo thất bại;"
          " 2 sai dữ liệu đầu vào hoặc sai cách dùng.")
#: a year's report as the help names it: bao-cao-NĂM
REPORT = names.report_name("NĂM")


def _wrap(text: str) -> str:
    """A description paragraph wrapped for the terminal (the raw formatter keeps it)."""
    return textwrap.fill(text, 88)


def _data_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", metavar="THƯ_MỤC",
                   help="thư mục dữ liệu chứa các thư mục năm (mặc định: data/ của dự án)")


#: from this many units on, ``check --units`` runs on the engine's workers
ENGINE_FROM = 8


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


def cmd_report(args: argparse.Namespace) -> int:
    from tongket_lib.render.kernel import booting_kernel

    with booting_kernel() as kernel:  # it boots while this process imports pandas and the rest
        from tongket_lib.paths import reports_dir
        from tongket_lib.render.job import render
        from tongket_lib.render.spec import year_job

        [(unit, data)] = _units_of(args, "report")  # many units: batch --units
        out = reports_dir(args.out) / unit if unit else args.out  # reports/<unit>/<year>/
        job = year_job(args.year, data, out, args.format.split(","),
                       dict(args.param or []), args.timeout, args.max_time, args.notebook,
                       args.template)
        print(f"Đang dựng báo cáo năm {job.year}…", file=sys.stderr)
        result = render(job, kernel=kernel)
    from tongket_lib.vn import format_number

    _print_stages(args, result.stages)
    print(f"Đã dựng báo cáo năm {result.year} trong {format_number(result.seconds, 1)} giây:")
    for path in (result.docx, result.pdf, result.html):
        if path is not None:
            print(f"  {_shown(path)}")
    print(f"  {_shown(result.notebook)} (notebook đã chạy, giữ để đối chiếu)")
    return _data_errors(result.errors, job.year)


def _print_stages(args: argparse.Namespace, stages: tuple[tuple[str, float], ...]) -> None:
    """With -v: where the render's time went, stage by stage (on stderr)."""
    if not getattr(args, "verbose", False):
        return
    from tongket_lib.vn import format_number

    width = max((len(name) for name, _ in stages), default=0)
    for name, seconds in stages:
        print(f"  {name:<{width}}  {format_number(seconds, 2):>6} giây", file=sys.stderr)


def _data_errors(errors: int, year: int | None) -> int:
    """Exit code 1, with a word, when the data has error-level findings (as ``check``)."""
    if not errors:
        return 0
    print(f"Lưu ý: số liệu năm {year} có {errors} lỗi (xem mục “Kiểm tra số liệu” của báo cáo"
          f" HTML hoặc chạy tongket check {year}); báo cáo vẫn được dựng để đối chiếu. Sửa số"
          f" liệu rồi dựng lại.", file=sys.stderr)
    return 1


def cmd_trends(args: argparse.Namespace) -> int:
    from tongket_lib.render.kernel import booting_kernel

    with booting_kernel() as kernel:  # it boots while this process imports pandas and the rest
        from tongket_lib.paths import reports_dir
        from tongket_lib.render.job import render
        from tongket_lib.render.spec import trends_job

        [(unit, data)] = _units_of(args, "trends")
        out = reports_dir(args.out) / unit if unit else args.out
        job = trends_job(args.years, data, out, args.format.split(","), args.timeout,
                         args.max_time)
        print("Đang dựng báo cáo xu hướng…", file=sys.stderr)
        result = render(job, kernel=kernel)
    from tongket_lib.vn import format_number

    print(f"Đã dựng báo cáo xu hướng trong {format_number(result.seconds, 1)} giây:")
    for path in (result.html, result.pdf, result.notebook):
        if path is not None:
            print(f"  {_shown(path)}")
    return 0


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
    return 1 if result.failed else 0  # data errors: in the summary, per year


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


def cmd_excel_export(args: argparse.Namespace) -> int:
    from tongket_lib.dataset.excel import export_excel

    if getattr(args, "units", None) is not None:  # one workbook a unit, into a folder
        from tongket_lib.paths import data_dir
        from tongket_lib.units.send import export_units

        units = [str(unit) for unit, _ in resolve_units(args)]
        result = export_units(args.year, data_dir(args.data), args.output
                              or f"tongket-{args.year}", units, force=args.force)
        print(result.summary())
        return result.exit_code
    [(unit, data)] = _units_of(args, "excel export")
    path = export_excel(args.year, data, args.output, force=args.force, unit=unit)
    print(f"Đã xuất dữ liệu năm {args.year} ra {_shown(path)}. Điền số liệu trong Excel rồi nhập"
          f" lại: tongket excel import {_shown(path)} --year {args.year} --force")
    return 0


def cmd_excel_import(args: argparse.Namespace) -> int:
    from tongket_lib.dataset.excel import import_excel

    [(unit, data)] = _units_of(args, "excel import")
    result = import_excel(args.file, args.year, data, force=args.force)
    rows = ", ".join(f"{n} dòng {name}" for name, n in result.rows.items())
    print(f"Đã nhập {_shown(args.file)} vào {_shown(result.folder)} ({rows}).")
    if result.backup is not None:
        print(f"Dữ liệu cũ của năm {result.year} được giữ ở {_shown(result.backup)}.")
    data = f" --data {shlex.quote(args.data)}" if args.data else ""
    print(f"Kiểm tra lại: tongket check {result.year}{data}")
    return 0


#: what a one-unit command's user does for many units
MANY_UNITS = {"report": "báo cáo của nhiều đơn vị một lượt: tongket batch --units all",
              "trends": "xu hướng của nhiều đơn vị một lượt: tongket batch --units all",
              "excel export": "sổ tính cho nhiều đơn vị một lượt: tongket excel export NĂM"
                              " --units all -o THƯ_MỤC",
              "excel import": "sổ tính của nhiều đơn vị: tongket collect THƯ_MỤC --year NĂM"}


def _units_of(args: argparse.Namespace, command: str) -> list:
    """The one (unit, data folder) of a command that acts on one unit: it takes --unit,
    not --units with several."""
    targets = resolve_units(args, one=MANY_UNITS[command])
    if len(targets) > 1:
        raise ParameterError(f"“tongket {command}” làm cho một đơn vị: dùng --unit MÃ;"
                             f" {MANY_UNITS[command]}.")
    return targets


def _shown(path) -> str:
    from tongket_lib.dataset.layout import shown

    return shown(path)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="tongket",
        description="Báo cáo tổng kết phong trào thi đua, khen thưởng: kiểm tra số liệu,"
                    " dựng báo cáo HTML và PDF.",
        epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"tongket {__version__}",
                        help="hiện số phiên bản rồi thoát")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", title="các lệnh",
                               parser_class=Parser)
    sub.required = True

    p = sub.add_parser(
        "check", help="kiểm tra số liệu một năm và tóm tắt kết quả",
        description=_wrap("Đọc và kiểm tra dữ liệu một năm: in tóm tắt theo mục, khen thưởng,"
                          " đóng góp và các phát hiện (lỗi, cảnh báo, thông tin)."),
        epilog="Ví dụ:\n  tongket check 2024\n  tongket check 2023 --data ~/so-lieu\n\n" + EPILOG)
    p.add_argument("year", metavar="NĂM", help="năm cần kiểm tra, ví dụ 2024")
    _data_option(p)
    add_unit_options(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "report", help="dựng báo cáo một năm: văn bản Word, PDF và HTML",
        description=_wrap("Chạy notebook báo cáo năm bằng papermill rồi ghi văn bản báo cáo"
                          f" theo thể thức của Công đoàn ({REPORT}.docx, sửa được bằng Word),"
                          " bản PDF khổ A4 (văn bản và phụ lục) và một tệp HTML tự chứa (thêm"
                          " phần kiểm tra số liệu), vào THƯ_MỤC_RA/NĂM/, cùng một lúc. Nếu có"
                          " lỗi, báo cáo cũ giữ nguyên và notebook lỗi được giữ thành"
                          f" {names.failed_notebook(REPORT)}."),
        epilog="Ví dụ:\n  tongket report 2024\n"
               "  tongket report 2024 --format html --out /tmp/bao-cao\n"
               "  tongket report 2023 --data ~/so-lieu --timeout 600 -v\n\n" + EPILOG)
    p.add_argument("year", metavar="NĂM", help="năm cần dựng báo cáo, ví dụ 2024")
    _data_option(p)
    add_unit_options(p)
    _render_options(p)
    p.add_argument("-p", "--param", nargs=2, action="append", metavar=("TÊN", "GIÁ_TRỊ"),
                   help="thêm một tham số cho notebook (như papermill), có thể lặp lại")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="in thời gian từng bước dựng (kernel, dữ liệu, notebook, HTML, PDF)")
    p.add_argument("--template", metavar="TỆP_WORD",
                   help=f"tệp Word (.docx) làm mẫu cho {REPORT}.docx: giấy tiêu đề, kiểu chữ"
                        " (mặc định: data/NĂM/mau-bao-cao.docx nếu có)")
    p.add_argument("--notebook", metavar="TỆP", help="dùng notebook khác notebooks/bao_cao_nam.ipynb")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "trends", help="dựng báo cáo xu hướng nhiều năm",
        description=_wrap("Chạy notebook xu hướng (notebooks/xu_huong.ipynb) cho nhiều năm:"
                          " bản đồ màu đánh giá, diễn biến từng chỉ tiêu so với chỉ tiêu đề ra,"
                          " thay đổi so với năm trước, tiến độ theo phương pháp Open SDG."
                          f" Ghi vào THƯ_MỤC_RA/{names.TRENDS}/."),
        epilog="Ví dụ:\n  tongket trends\n  tongket trends --years 2021-2024 --data data/demo\n\n"
               + EPILOG)
    _years_option(p)
    _data_option(p)
    add_unit_options(p)
    _render_options(p)
    p.set_defaults(func=cmd_trends)

    p = sub.add_parser(
        "batch", help="dựng lại báo cáo mọi năm và báo cáo xu hướng",
        description=_wrap("Dựng báo cáo từng năm và báo cáo xu hướng, song song nhiều tiến"
                          " trình. Năm nào có dữ liệu, notebook và thư viện không đổi kể từ lần"
                          " dựng tốt gần nhất thì bỏ qua (trừ khi có --force). Một năm lỗi không"
                          f" làm dừng các năm khác. Cuối cùng ghi THƯ_MỤC_RA/{names.INDEX} liệt kê"
                          " mọi năm."),
        epilog="Ví dụ:\n  tongket batch\n  tongket batch --years 2021-2024 --data data/demo -j 2\n"
               "  tongket batch --force\n\n" + EPILOG)
    _years_option(p)
    _data_option(p)
    add_unit_options(p)
    _render_options(p)
    p.add_argument("-j", "--jobs", type=positive_int, default=None, metavar="N",
                   help="số tiến trình chạy song song (mặc định: số lõi CPU)")
    p.add_argument("--force", action="store_true", help="dựng lại cả những năm không đổi")
    p.add_argument("--scheduler", metavar="ĐỊA_CHỈ",
                   help="gửi việc dựng tới cụm Dask đang chạy, ví dụ tcp://MÁY:8786 (hoặc biến"
                        " môi trường TONGKET_SCHEDULER); mặc định: cụm cục bộ trên máy này")
    p.set_defaults(func=cmd_batch)

    add_summary_command(sub)

    p = sub.add_parser(
        "new-year", help="tạo thư mục dữ liệu năm mới từ năm trước",
        description=_wrap("Tạo data/NĂM từ năm trước: giữ mã, mục, tên và chỉ tiêu; để trống số"
                          " liệu thực hiện, đánh giá, số khen thưởng, số tiền và quyết định để"
                          " điền. Không ghi đè năm đã có, trừ khi có --force (khi đó năm cũ được"
                          " sao lưu có ghi ngày giờ)."),
        epilog="Ví dụ:\n  tongket new-year 2025\n  tongket new-year 2025 --from 2023\n\n" + EPILOG)
    p.add_argument("year", metavar="NĂM", help="năm cần tạo, ví dụ 2025")
    p.add_argument("--from", dest="source", metavar="NĂM",
                   help="năm làm mẫu (mặc định: năm gần nhất trước NĂM)")
    _data_option(p)
    add_unit_options(p)
    p.add_argument("--force", action="store_true",
                   help="tạo lại năm đã có (năm cũ được sao lưu trước)")
    p.set_defaults(func=cmd_new_year)

    excel = sub.add_parser(
        "excel", help="xuất hoặc nhập dữ liệu một năm qua Excel",
        description=_wrap("Trao đổi dữ liệu một năm với Excel: export ghi một sổ tính có danh"
                          " sách thả xuống và trang hướng dẫn; import kiểm tra sổ tính như khi đọc"
                          " thư mục dữ liệu và chỉ ghi khi mọi thứ hợp lệ."),
        epilog="Ví dụ:\n  tongket excel export 2024\n"
               "  tongket excel import tongket-2025.xlsx --year 2025\n\n" + EPILOG)
    actions = excel.add_subparsers(dest="action", metavar="VIỆC", title="các việc",
                                   parser_class=Parser)
    actions.required = True
    p = actions.add_parser(
        "export", help="ghi dữ liệu một năm ra tệp .xlsx",
        description=_wrap("Ghi dữ liệu đã kiểm tra của một năm ra một sổ tính Excel: mỗi tệp dữ"
                          " liệu một trang, tiêu đề tiếng Việt, danh sách thả xuống cho các mã,"
                          " trang “Hướng dẫn” giải thích từng cột."),
        epilog="Ví dụ:\n  tongket excel export 2024\n  tongket excel export 2024 -o ~/nam-2024.xlsx\n"
               "  tongket excel export 2025 --data data/don-vi --units all -o gui-don-vi\n\n"
               + EPILOG)
    p.add_argument("year", metavar="NĂM", help="năm cần xuất, ví dụ 2024")
    _data_option(p)
    add_unit_options(p)
    p.add_argument("-o", "--output", metavar="TỆP",
                   help="tệp .xlsx ghi ra (mặc định: tongket-NĂM.xlsx ở thư mục hiện tại); với"
                        " --units: thư mục nhận mỗi đơn vị một tệp MÃ.xlsx (mặc định:"
                        " tongket-NĂM/)")
    p.add_argument("--force", action="store_true",
                   help="thay tệp đã có (tệp cũ được giữ thành bản sao có ghi ngày giờ)")
    p.set_defaults(func=cmd_excel_export)
    p = actions.add_parser(
        "import", help="nhập tệp .xlsx vào thư mục dữ liệu một năm",
        description=_wrap("Kiểm tra sổ tính (mọi lỗi nêu trang, dòng, cột) rồi ghi data/NĂM khi"
                          " mọi thứ hợp lệ. Năm đã có cần --force và được sao lưu trước."),
        epilog="Ví dụ:\n  tongket excel import tongket-2025.xlsx --year 2025\n"
               "  tongket excel import sua-lai.xlsx --year 2024 --force\n\n" + EPILOG)
    p.add_argument("file", metavar="TỆP", help="sổ tính .xlsx cần nhập")
    p.add_argument("--year", required=True, metavar="NĂM", help="năm của dữ liệu")
    _data_option(p)
    add_unit_options(p)
    p.add_argument("--force", action="store_true",
                   help="thay năm đã có (năm cũ được sao lưu trước)")
    p.set_defaults(func=cmd_excel_import)
    add_collect_command(sub)
    return parser


def _years_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--years", metavar="NĂM",
                   help="các năm, ví dụ 2021-2024 hoặc 2022,2024 (mặc định: mọi năm có dữ liệu)")


def _render_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", metavar="THƯ_MỤC_RA",
                   help="thư mục ghi báo cáo (mặc định: reports/ của dự án)")
    p.add_argument("--format", default="html,pdf,docx", metavar="DẠNG",
                   help="một hoặc nhiều trong html, pdf, docx, cách nhau bằng dấu phẩy (mặc định:"
                        " cả ba; báo cáo xu hướng không có docx)")
    p.add_argument("--timeout", type=positive_int, default=300, metavar="GIÂY",
                   help="thời gian tối đa cho mỗi ô của notebook (mặc định: 300 giây)")
    p.add_argument("--max-time", type=positive_int, default=1800, metavar="GIÂY",
                   help="thời gian tối đa cho cả một lần dựng, kể cả xuất HTML, PDF"
                        " (mặc định: 1800 giây)")


def run() -> None:
    """The ``tongket`` program: :func:`main`, then the process ends at once with its code.

    By then every file the command writes is closed, its kernel shut down and its
    cluster closed; what is left is the interpreter freeing pandas, matplotlib,
    WeasyPrint and ZeroMQ one object at a time, about half a second after a report
    that nobody needs to wait for. The streams are flushed first, so no output is lost.
    """
    from tongket_lib.system import exit_now

    exit_now(main())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    from tongket_lib.cli.terminal import setup_streams

    setup_streams()  # first: --help already prints Vietnamese; data text is shown visibly
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except TongketError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader left early (`tongket check 2024 | head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the exit flush does not fail again
        return 141
    except Exception as exc:  # a bug in tongket, not in the data: say so, briefly
        if os.environ.get("TONGKET_DEBUG"):
            raise
        print(f"Lỗi không mong đợi của tongket (không phải do dữ liệu): {type(exc).__name__}:"
              f" {exc}. Chạy lại với TONGKET_DEBUG=1 để xem chi tiết và báo cho nhóm phát"
              f" triển.", file=sys.stderr)
        return 1
