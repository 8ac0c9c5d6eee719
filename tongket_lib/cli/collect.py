"""``tongket collect FOLDER --year YEAR``: the workbooks units sent, into their folders."""

from __future__ import annotations

import argparse
import shlex

from tongket_lib.cli.options import data_option, examples, force_option, jobs_option, wrap

COLLECT_EXIT = ("Mã thoát của collect: 0 mọi sổ tính đều nhận được (kể cả khi còn đơn vị chưa"
                " gửi); 1 có sổ tính lỗi hoặc không xác định được đơn vị; 2 sai cách dùng.")


def add_collect_command(commands) -> argparse.ArgumentParser:
    """``tongket collect FOLDER --year YEAR [--data ROOT] [--force] [-j N]``."""
    p = commands.add_parser(
        "collect", help="nhận sổ tính các đơn vị gửi lên vào thư mục dữ liệu nhiều đơn vị",
        description=wrap(
            "Đọc mọi sổ tính .xlsx trong THƯ_MỤC (mỗi đơn vị một tệp, xuất bằng “tongket excel"
            " export”), nhận ra đơn vị theo mã đơn vị ghi trong trang “Thông tin chung” (không"
            " theo tên tệp), kiểm tra như “tongket excel import” rồi ghi các sổ tính hợp lệ vào"
            " DỮ_LIỆU/<mã đơn vị>/KỲ. Sổ tính có lỗi không được ghi. Năm đã có của một đơn vị"
            " chỉ được thay khi có --force (bản cũ được sao lưu). Cuối cùng in một bản tóm tắt:"
            " đơn vị đã nhận, đơn vị có lỗi (tệp và từng lỗi), đơn vị chưa gửi, sổ tính không"
            " xác định được đơn vị."),
        epilog=examples("tongket collect bao-cao-gui-len --year 2024 --data data/don-vi",
                        "tongket collect ~/thu-dien-tu/2024 --year 2024 --force",
                        notes=(COLLECT_EXIT,)))
    p.add_argument("folder", metavar="THƯ_MỤC", help="thư mục chứa các sổ tính .xlsx đơn vị gửi")
    p.add_argument("--year", required=True, metavar="KỲ",
                   help="kỳ của các báo cáo: năm (2024) hoặc năm học (2024-2025)")
    data_option(p, "thư mục dữ liệu nhiều đơn vị, có units.csv (mặc định: data/ của dự án)",
                metavar="DỮ_LIỆU")
    force_option(p, "thay năm đã có của đơn vị (bản cũ được sao lưu có ghi ngày giờ)")
    jobs_option(p, "đọc sổ tính song song",
                default="mọi lõi CPU khi có từ 400 sổ tính, 1 khi ít hơn")
    p.set_defaults(func=cmd_collect)
    return p


def cmd_collect(args: argparse.Namespace) -> int:
    from tongket_lib.units.tidycollect import collect_keeping_tables

    result = collect_keeping_tables(args.folder, args.year, args.data, force=args.force,
                     jobs=getattr(args, "jobs", None))
    print(result.summary())
    if result.written:
        data = f" --data {shlex.quote(args.data)}" if args.data else ""
        print(f"Xem lại từng đơn vị, ví dụ: tongket check {result.year}{data}"
              f" --unit {result.written[0][0]}")
    return result.exit_code
