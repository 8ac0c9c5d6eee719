"""The ``tongket`` command: parses arguments, calls the library, prints, exits.

It only translates: arguments into library calls, results into text, and
:class:`~tongket_lib.errors.TongketError` into a Vietnamese message and an exit code
(0 done, 1 errors found or a render failed, 2 invalid input or usage). Heavy
libraries are imported inside the commands so that ``tongket --help`` and a batch
with nothing to do stay fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from . import __version__
from .errors import TongketError

_VI = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện trợ giúp này rồi thoát",
    "show program's version number and exit": "hiện số phiên bản rồi thoát",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "expected one argument": "cần một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s":
        "tùy chọn mơ hồ: %(option)s có thể là %(matches)s",
}
argparse._ = lambda text: _VI.get(text, text)  # argparse's own words, in Vietnamese

EPILOG = "Mã thoát: 0 xong; 1 có lỗi trong số liệu hoặc dựng báo cáo thất bại; 2 sai dữ liệu đầu vào hoặc sai cách dùng."


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)


def _data_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", metavar="THƯ_MỤC",
                   help="thư mục dữ liệu chứa các thư mục năm (mặc định: data/ của dự án)")


def cmd_check(args: argparse.Namespace) -> int:
    from .checks import has_errors, run_checks
    from .data import load_year
    from .status import evaluate, rollup
    from .summary import check_text

    year_data = load_year(args.year, args.data)
    evaluated = evaluate(year_data.indicators)
    findings = run_checks(year_data, evaluated)
    print(check_text(year_data, rollup(evaluated), findings))
    return 1 if has_errors(findings) else 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tongket",
        description="Báo cáo tổng kết phong trào thi đua, khen thưởng: kiểm tra số liệu,"
                    " dựng báo cáo HTML và PDF.",
        epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"tongket {__version__}",
                        help="hiện số phiên bản rồi thoát")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", title="các lệnh")
    sub.required = True

    p = sub.add_parser(
        "check", help="kiểm tra số liệu một năm và tóm tắt kết quả",
        description="Đọc và kiểm tra dữ liệu một năm: in tóm tắt theo mục, khen thưởng, đóng"
                    " góp và các phát hiện (lỗi, cảnh báo, thông tin).",
        epilog="Ví dụ:\n  tongket check 2024\n  tongket check 2023 --data ~/so-lieu\n\n" + EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("year", metavar="NĂM", help="năm cần kiểm tra, ví dụ 2024")
    _data_option(p)
    p.set_defaults(func=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
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


if __name__ == "__main__":
    sys.exit(main())
