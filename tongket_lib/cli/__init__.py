"""The ``tongket`` command: parses arguments, calls the library, prints, exits.

It only translates: arguments into library calls, results into text, and
:class:`~tongket_lib.errors.TongketError` into a Vietnamese message and an exit code
(0 done, 1 errors found or a render failed, 2 invalid input or usage). Each command is
a small module holding its parser and its ``cmd_*`` (``check``, ``report``, ``trends``,
``batch``, ``summary``, ``newyear``, ``excel``, ``collect``); the options several
commands share are defined once in :mod:`~tongket_lib.cli.options`. Heavy libraries
are imported inside the commands so that ``tongket --help`` and a batch with nothing to
do stay fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from tongket_lib._version import __version__
from tongket_lib.cli.batch import add_batch_command
from tongket_lib.cli.check import add_check_command
from tongket_lib.cli.collect import add_collect_command
from tongket_lib.cli.excel import add_excel_command
from tongket_lib.cli.init import add_init_command
from tongket_lib.cli.newyear import add_new_year_command
from tongket_lib.cli.options import EPILOG
from tongket_lib.cli.report import add_report_command
from tongket_lib.cli.summary import add_summary_command
from tongket_lib.cli.trends import add_trends_command
from tongket_lib.cli.vietnamese import Parser
from tongket_lib.errors import TongketError

__all__ = ["build_parser", "main", "run"]

#: the commands, in the order ``tongket --help`` lists them
COMMANDS = (add_init_command, add_check_command, add_report_command, add_trends_command, add_batch_command,
            add_summary_command, add_new_year_command, add_excel_command, add_collect_command)


def build_parser() -> argparse.ArgumentParser:
    """The ``tongket`` parser: the program's own options, then every command's parser."""
    parser = Parser(
        prog="tongket",
        description="Báo cáo tổng kết phong trào thi đua, khen thưởng: kiểm tra số liệu,"
                    " dựng báo cáo HTML và PDF.",
        epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"tongket {__version__}",
                        help="hiện số phiên bản rồi thoát")
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", title="các lệnh",
                                    parser_class=Parser)
    commands.required = True
    for add_command in COMMANDS:
        add_command(commands)
    return parser


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
    except OSError as exc:
        if exc.filename is None or os.environ.get("TONGKET_DEBUG"):
            return _unexpected(exc)
        from tongket_lib.errors import os_reason

        # the system refused a path the user gave (too long a name, a file where a folder
        # goes, a full disk), wherever the command met it: the path and the reason
        print(f"Lỗi: không dùng được “{exc.filename}”: {os_reason(exc)}. Sửa đường dẫn (tên"
              f" ngắn hơn, đúng thư mục) hoặc chỗ ghi rồi chạy lại.", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug in tongket, not in the data: say so, briefly
        return _unexpected(exc)


def _unexpected(exc: Exception) -> int:
    """A bug in tongket, not in the data: said briefly (the traceback with TONGKET_DEBUG=1)."""
    if os.environ.get("TONGKET_DEBUG"):
        raise exc
    print(f"Lỗi không mong đợi của tongket (không phải do dữ liệu): {type(exc).__name__}:"
          f" {exc}. Chạy lại với TONGKET_DEBUG=1 để xem chi tiết và báo cho nhóm phát"
          f" triển.", file=sys.stderr)
    return 1
