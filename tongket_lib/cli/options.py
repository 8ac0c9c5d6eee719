"""What several commands share, defined once: the help's shape and the options themselves.

Every command module builds its parser from these: :func:`wrap` for the description,
:func:`examples` for the epilog (examples, then the exit codes), and one function an
option (``--data``, ``--unit``/``--units``, ``-j``, ``--scheduler``, ``--format``,
``--timeout``, ``--max-time``, ``--force``, ``--out``, ``-o``, ``-p``, ``--years``).
Where a command words an option its own way, it passes the words; the flags, types and
defaults stay the same everywhere.
"""

from __future__ import annotations

import argparse
import textwrap

EPILOG = ("Mã thoát: 0 xong; 1 có lỗi trong số liệu hoặc dựng báo cáo thất bại;"
          " 2 sai dữ liệu đầu vào hoặc sai cách dùng.")


def wrap(text: str) -> str:
    """A description paragraph wrapped for the terminal (the raw formatter keeps it)."""
    return textwrap.fill(text, 88)


def examples(*lines: str, notes: tuple[str, ...] = (), epilog: str = EPILOG) -> str:
    """A command's epilog: its examples, then paragraphs of ``notes``, then the exit codes."""
    shown = "".join(f"  {line}\n" for line in lines)
    return f"Ví dụ:\n{shown}\n" + "".join(f"{wrap(note)}\n\n" for note in notes) + epilog


def positive_int(text: str) -> int:
    """An option's whole number from 1 up (``-j``, ``--timeout``), or a usage error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” không phải số nguyên; ví dụ: 2") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} không hợp lệ: phải từ 1 trở lên")
    return value


def folder(text: str) -> str:
    """A folder or file path given to an option, or a usage error when it is empty (a
    variable that was not set, ``--out "$OUT"``): tongket would otherwise take its
    default, the project's own data/ or reports/, and write there."""
    if not text.strip():
        raise argparse.ArgumentTypeError("đường dẫn trống: ghi đường dẫn (thư mục, hoặc tệp"
                                         " với -o), hoặc bỏ hẳn tùy chọn này để dùng mặc định")
    return text


def data_option(p: argparse.ArgumentParser,
                help: str = "thư mục dữ liệu chứa các thư mục năm (mặc định: data/ của dự án)",
                metavar: str = "THƯ_MỤC") -> None:
    """``--data FOLDER``: the data folder (a single organisation's or many units')."""
    p.add_argument("--data", metavar=metavar, help=help, type=folder)


def unit_options(p: argparse.ArgumentParser) -> None:
    """``--unit ID`` or ``--units all|ID,ID`` (one of them), for a multi-unit data folder;
    :func:`tongket_lib.cli.units.resolve_units` turns them into data folders."""
    group = p.add_mutually_exclusive_group()
    group.add_argument("--unit", metavar="MÃ",
                       help="một đơn vị trong units.csv của thư mục dữ liệu, ví dụ cdcs-so-tnmt")
    group.add_argument("--units", metavar="all|MÃ,MÃ",
                       help="nhiều đơn vị: all (mọi đơn vị đang hoạt động) hoặc các mã cách"
                            " nhau bằng dấu phẩy")


def years_option(p: argparse.ArgumentParser) -> None:
    """``--years 2021-2024``: the years of a trends report or a batch."""
    p.add_argument("--years", metavar="KỲ",
                   help="các kỳ, ví dụ 2021-2024 hoặc 2022,2024; năm học: 2021-2022..2023-2024"
                        " (mặc định: mọi kỳ có dữ liệu)")


def out_option(p: argparse.ArgumentParser) -> None:
    """``--out FOLDER``: where reports are written."""
    p.add_argument("--out", metavar="THƯ_MỤC_RA", type=folder,
                   help="thư mục ghi báo cáo (mặc định: reports/ của dự án)")


def output_option(p: argparse.ArgumentParser, help: str, metavar: str = "TỆP") -> None:
    """``-o/--output FILE``: the one file (or folder) a command writes."""
    p.add_argument("-o", "--output", metavar=metavar, help=help, type=folder)


def format_option(p: argparse.ArgumentParser, default: str, help: str) -> None:
    """``--format html,pdf,…``: the formats of a report."""
    p.add_argument("--format", default=default, metavar="DẠNG", help=help)


def time_options(p: argparse.ArgumentParser) -> None:
    """``--timeout SECONDS`` (each notebook cell) and ``--max-time SECONDS`` (a render)."""
    p.add_argument("--timeout", type=positive_int, default=300, metavar="GIÂY",
                   help="thời gian tối đa cho mỗi ô của notebook (mặc định: 300 giây; tối"
                        " đa 604800 giây, 7 ngày)")
    p.add_argument("--max-time", type=positive_int, default=1800, metavar="GIÂY",
                   help="thời gian tối đa cho cả một lần dựng, kể cả xuất HTML, PDF"
                        " (mặc định: 1800 giây; tối đa 604800 giây, 7 ngày)")


def render_options(p: argparse.ArgumentParser) -> None:
    """What every command that renders a notebook report takes: ``--out``, ``--format``,
    ``--timeout``, ``--max-time``."""
    out_option(p)
    format_option(p, "html,pdf,docx",
                  "một hoặc nhiều trong html, pdf, docx, phu-luc, cách nhau bằng dấu phẩy"
                  " (mặc định: html,pdf,docx; phu-luc: thêm phụ lục in riêng thành"
                  " bao-cao-KỲ-phu-luc.pdf; báo cáo xu hướng không có docx và phu-luc)")
    time_options(p)


def param_option(p: argparse.ArgumentParser) -> None:
    """``-p NAME VALUE``, repeatable: a notebook parameter, as papermill takes it."""
    p.add_argument("-p", "--param", nargs=2, action="append", metavar=("TÊN", "GIÁ_TRỊ"),
                   help="thêm một tham số cho notebook (như papermill), có thể lặp lại")


def jobs_option(p: argparse.ArgumentParser, what: str, default: str = "số lõi CPU") -> None:
    """``-j N``: how many worker processes (the engine's meaning: one per core if not given)."""
    p.add_argument("-j", "--jobs", type=positive_int, default=None, metavar="N",
                   help=f"số tiến trình {what} (mặc định: {default})")


def scheduler_option(p: argparse.ArgumentParser, what: str, default: str | None = None) -> None:
    """``--scheduler ADDRESS``: a running Dask cluster to send ``what`` to."""
    p.add_argument("--scheduler", metavar="ĐỊA_CHỈ",
                   help=f"gửi {what} tới cụm Dask đang chạy, ví dụ tcp://MÁY:8786 (hoặc biến"
                        f" môi trường TONGKET_SCHEDULER)" + (f"; mặc định: {default}" if default
                                                            else ""))


def force_option(p: argparse.ArgumentParser, help: str) -> None:
    """``--force``: do it even where the command would keep what is there."""
    p.add_argument("--force", action="store_true", help=help)
