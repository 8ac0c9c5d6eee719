"""``tongket excel export|import``: one year's data as a workbook to fill, and back."""

from __future__ import annotations

import argparse
import shlex

from tongket_lib.cli.options import (
    data_option,
    examples,
    force_option,
    output_option,
    unit_options,
    wrap,
)
from tongket_lib.cli.units import one_unit, resolve_units
from tongket_lib.cli.vietnamese import Parser


def add_excel_command(commands) -> argparse.ArgumentParser:
    excel = commands.add_parser(
        "excel", help="xuất hoặc nhập dữ liệu một năm qua Excel",
        description=wrap("Trao đổi dữ liệu một năm với Excel: export ghi một sổ tính có danh"
                         " sách thả xuống và trang hướng dẫn; import kiểm tra sổ tính như khi đọc"
                         " thư mục dữ liệu và chỉ ghi khi mọi thứ hợp lệ."),
        epilog=examples("tongket excel export 2024",
                        "tongket excel import tongket-2025.xlsx --year 2025"))
    actions = excel.add_subparsers(dest="action", metavar="VIỆC", title="các việc",
                                   parser_class=Parser)
    actions.required = True
    p = actions.add_parser(
        "export", help="ghi dữ liệu một năm ra tệp .xlsx",
        description=wrap("Ghi dữ liệu đã kiểm tra của một năm ra một sổ tính Excel: mỗi tệp dữ"
                         " liệu một trang, tiêu đề tiếng Việt, danh sách thả xuống cho các mã,"
                         " trang “Hướng dẫn” giải thích từng cột."),
        epilog=examples("tongket excel export 2024", "tongket excel export 2024 -o ~/nam-2024.xlsx",
                        "tongket excel export 2025 --data data/don-vi --units all -o gui-don-vi"))
    p.add_argument("year", metavar="KỲ", help="kỳ báo cáo cần xuất: năm (2024) hoặc năm học (2024-2025)")
    data_option(p)
    unit_options(p)
    output_option(p, "tệp .xlsx ghi ra (mặc định: tongket-KỲ.xlsx ở thư mục hiện tại); với"
                     " --units: thư mục nhận mỗi đơn vị một tệp MÃ.xlsx (mặc định: tongket-KỲ/)")
    force_option(p, "thay tệp đã có (tệp cũ được giữ thành bản sao có ghi ngày giờ)")
    p.set_defaults(func=cmd_excel_export)
    p = actions.add_parser(
        "import", help="nhập tệp .xlsx vào thư mục dữ liệu một năm",
        description=wrap("Kiểm tra sổ tính (mọi lỗi nêu trang, dòng, cột) rồi ghi data/KỲ khi"
                         " mọi thứ hợp lệ. Năm đã có cần --force và được sao lưu trước."),
        epilog=examples("tongket excel import tongket-2025.xlsx --year 2025",
                        "tongket excel import sua-lai.xlsx --year 2024 --force"))
    p.add_argument("file", metavar="TỆP", help="sổ tính .xlsx cần nhập")
    p.add_argument("--year", required=True, metavar="KỲ",
                   help="kỳ báo cáo của dữ liệu: năm (2024) hoặc năm học (2024-2025)")
    data_option(p)
    unit_options(p)
    force_option(p, "thay năm đã có (năm cũ được sao lưu trước)")
    p.set_defaults(func=cmd_excel_import)
    return excel


def cmd_excel_export(args: argparse.Namespace) -> int:
    from tongket_lib.dataset.excel import export_excel
    from tongket_lib.dataset.layout import shown

    if getattr(args, "units", None) is not None:  # one workbook a unit, into a folder
        from tongket_lib.paths import data_dir
        from tongket_lib.units.send import export_units

        units = [str(unit) for unit, _ in resolve_units(args)]
        result = export_units(args.year, data_dir(args.data), args.output
                              or f"tongket-{args.year}", units, force=args.force)
        print(result.summary())
        return result.exit_code
    unit, data = one_unit(args, "excel export")
    path = export_excel(args.year, data, args.output, force=args.force, unit=unit)
    from tongket_lib.period import parse_period

    period = parse_period(args.year)
    data_flag = f" --data {shlex.quote(args.data)}" if args.data else ""
    print(f"Đã xuất dữ liệu {period.label} ra {shown(path)}. Điền số liệu trong Excel rồi nhập"
          f" lại: tongket excel import {shlex.quote(shown(path))} --year {period.id}{data_flag}"
          " --force")
    return 0


def cmd_excel_import(args: argparse.Namespace) -> int:
    from tongket_lib.dataset.excel import import_excel
    from tongket_lib.dataset.layout import shown
    from tongket_lib.period import parse_period

    unit, data = one_unit(args, "excel import")
    result = import_excel(args.file, args.year, data, force=args.force, unit=unit)
    rows = ", ".join(f"{n} dòng {name}" for name, n in result.rows.items())
    print(f"Đã nhập {shown(args.file)} vào {shown(result.folder)} ({rows}).")
    if result.backup is not None:
        print(f"Dữ liệu cũ của {parse_period(result.year).label} được giữ ở"
              f" {shown(result.backup)}.")
    data_flag = f" --data {shlex.quote(args.data)}" if args.data else ""
    print(f"Kiểm tra lại: tongket check {result.year}{data_flag}")
    return 0
