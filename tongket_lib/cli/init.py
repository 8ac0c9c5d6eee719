"""``tongket init THƯ_MỤC --kind KIND --year KỲ``: a new organisation from a blank start."""

from __future__ import annotations

import argparse

from tongket_lib.cli.options import examples, wrap

#: the kinds of organisation (kept here so that ``--help`` imports nothing heavy; the
#: starters in tongket_lib/dataset/starters/ are checked against it by the tests)
KINDS = {"co-quan": "cơ quan hành chính, đơn vị sự nghiệp", "truong-hoc": "trường học (năm học)",
         "y-te": "cơ sở y tế", "doanh-nghiep": "doanh nghiệp"}


def add_init_command(commands) -> argparse.ArgumentParser:
    p = commands.add_parser(
        "init", help="tạo thư mục dữ liệu cho một đơn vị mới từ khung có sẵn",
        description=wrap(
            "Tạo thư mục dữ liệu cho một đơn vị chưa dùng tongket: kỳ báo cáo đầu tiên với các"
            " phần thường có trong báo cáo tổng kết thi đua, khen thưởng của loại đơn vị đó,"
            " vài chỉ tiêu mẫu (kết quả để trống), các quy định dùng chung (rules.yaml) và"
            " meta.yaml có đánh dấu “# cần điền” những chỗ phải điền. Sau đó xuất sổ tính để"
            " điền bằng Excel. Không ghi vào thư mục đã có dữ liệu."),
        epilog=examples("tongket init du-lieu-truong --kind truong-hoc --year 2024-2025"
                        ' --ten "Công đoàn cơ sở Trường THCS Nguyễn Du"',
                        "tongket init du-lieu --kind doanh-nghiep --year 2025"))
    p.add_argument("folder", metavar="THƯ_MỤC", help="thư mục dữ liệu mới (chưa có hoặc trống)")
    p.add_argument("--kind", required=True, choices=tuple(KINDS), metavar="LOẠI",
                   help="loại đơn vị: " + "; ".join(f"{k} ({v})" for k, v in KINDS.items()))
    p.add_argument("--year", required=True, metavar="KỲ",
                   help="kỳ báo cáo đầu tiên: năm (2025) hoặc năm học (2024-2025)")
    p.add_argument("--ten", dest="name", metavar="TÊN",
                   help="tên công đoàn cơ sở, ví dụ “Công đoàn cơ sở Trường THCS Nguyễn Du”")
    p.set_defaults(func=cmd_init)
    return p


def cmd_init(args: argparse.Namespace) -> int:
    from tongket_lib.dataset.starter import start

    print(start(args.folder, args.kind, args.year, args.name).describe())
    return 0
