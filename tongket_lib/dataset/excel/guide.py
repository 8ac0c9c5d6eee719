"""The sheet “Hướng dẫn”: how to fill the workbook, in plain Vietnamese.

What the colours mean, how to add and delete rows, what the drop-down lists offer and
what else is read, how numbers and targets are typed, then every column of every sheet
with its meaning and the values it takes, all from the schema.
"""

from __future__ import annotations

from typing import Any

from tongket_lib.dataset import schema as S
from tongket_lib.dataset.excel import look
from tongket_lib.dataset.excel.sheets import (
    META_LISTS,
    META_SCALARS,
    META_SHEET,
    META_SIGNATORY,
    SYNTHETIC,
    filled_in,
    sheet_fields,
)

TITLE = "Hướng dẫn điền số liệu tổng kết thi đua, khen thưởng"


def _rules() -> list[tuple[str, str]]:
    """The general rules: (heading, text)."""
    sheets = ", ".join(f"“{s.label}”" for s in S.CSV_FILES)
    essential = ", ".join(S.INDICATORS.field(name).label for name in S.INDICATORS.first)
    to_fill = ", ".join(_meta_label(key) for key in S.META_TO_FILL)
    return [
        ("Sổ tính này", f"Trang “{META_SHEET}” (tên đơn vị, tiêu đề, căn cứ, quyết định, nơi"
         f" nhận, người ký) và các trang số liệu {sheets}. Điền xong, lưu lại (giữ dạng .xlsx)"
         " rồi nhập bằng lệnh: tongket excel import TỆP.xlsx --year KỲ   (KỲ là năm, ví dụ"
         " 2024, hoặc năm học, ví dụ 2024-2025; thêm --force để thay số liệu đã có, bản cũ"
         " được sao lưu), rồi kiểm tra: tongket check KỲ. Đơn vị gửi sổ tính cho cấp trên thì"
         " chỉ điền, lưu và gửi lại, không cần chạy lệnh."),
        ("Màu ô", f"Ô màu {look.INPUT_COLOUR} là ô cần điền. Dòng tiêu đề (màu"
         f" {look.HEADER_COLOUR}) và các ô màu {look.LOCKED_COLOUR} (cột Mã của trang"
         f" “{S.INDICATORS.label}”, cột mã và tên mục của trang “{META_SHEET}”) bị khóa:"
         " tongket tự điền. Các trang được khóa không mật khẩu; nếu thật cần sửa cấu trúc:"
         " Review (Xem lại) → Unprotect Sheet (Bỏ bảo vệ trang)."),
        ("Thêm dòng", "Điền vào dòng trống ngay dưới bảng, hoặc chèn dòng (chuột phải vào số"
         " dòng → Insert/Chèn). Dòng mới để trống cột Mã: khi nhập, tongket tự đặt mã từ tên"
         " (ví dụ “Tỷ lệ đoàn viên …” → ty_le_doan_vien_…). Không cần tự nghĩ ra mã."),
        ("Xóa dòng", "Chọn cả dòng rồi xóa (chuột phải → Delete/Xóa). Nếu Excel không cho xóa"
         " vì dòng có ô khóa, xóa nội dung các ô màu vàng của dòng: dòng chỉ còn mã được bỏ"
         " qua khi nhập."),
        ("Danh sách thả xuống", "Các cột như Loại, Báo cáo đánh giá, Chiều tốt, Đối tượng,"
         " Trạng thái có danh sách để chọn (bấm vào ô, chọn mũi tên). Gõ tay cũng được: tongket"
         " đọc"
         " không phân biệt chữ hoa, chữ thường, có dấu hay không dấu, và cả cách viết của báo"
         " cáo như “đạt chỉ tiêu”, “vượt chỉ tiêu”, “đang đề xuất”. Giá trị không đọc được"
         " được báo khi nhập."),
        ("Số", "Nhập số như thường lệ trong Excel. Ô số gõ dạng chữ được đọc theo cách viết"
         " Việt Nam: dấu chấm ngăn hàng nghìn (“12.000” là mười hai nghìn, “25.000.000” là"
         " hai mươi lăm triệu), dấu phẩy thập phân (“16,9”). Không thêm dấu % hay chữ vào ô"
         " số: đơn vị ghi ở cột “Đơn vị tính”. Ô không đọc được thành số được báo lỗi, nêu"
         " trang, dòng, cột, ô và cách sửa."),
        ("Chỉ tiêu", "Viết như báo cáo viết: “90% trở lên”, “không quá 18%”, “ít nhất 05 sáng"
         " kiến”, “từ 10 - 15%”, “98% trở lên; phấn đấu 99%” (phần phấn đấu chỉ để tham"
         " khảo, không làm “không đạt”). Cách viết được giữ nguyên để in. Cũng dùng được ký"
         " hiệu: >= 90 (từ 90 trở lên), > 80 (trên 80), <= 0 (không quá 0), < 1 (dưới 1),"
         " 10..15 (từ 10 đến 15), = 12 (đúng 12)."),
        ("Kết quả", "Kết quả là một con số: ô “Thực hiện”. Kết quả viết bằng lời (“đã ký ngày"
         " 10/3/2025 …”): ô “Kết quả (ghi bằng lời)”, để trống ô “Thực hiện”. Một con số báo"
         " cáo nêu mà không có chỉ tiêu: chọn Loại “Kết quả” (không đánh giá, đếm riêng)."),
        ("Ô trống", "Ô để trống nghĩa là báo cáo không nêu. Các cột chính đứng trước (trang"
         f" “{S.INDICATORS.label}”: {essential}); các cột sau dành cho cách trình bày văn bản,"
         " thường để trống."),
        (f"Trang “{S.PLAN.label}”", "Các chỉ tiêu đề ra cho kỳ sau, mỗi dòng một chỉ tiêu, viết"
         " như báo cáo (“không quá 17%”). Cột Mã: chọn mã của chỉ tiêu năm nay (trong danh"
         " sách) để “tongket new-year” lấy làm chỉ tiêu của kỳ mới; để trống: chỉ in trong"
         " phần phương hướng. Không có phương hướng thì để trống cả trang."),
        (f"Trang “{META_SHEET}”", "Mỗi dòng một thông tin, điền ở cột C. Căn cứ, Quyết định,"
         " Nơi nhận là các danh sách: mỗi dòng một mục, thêm bằng cách điền dòng trống dưới"
         " danh sách hoặc chèn dòng. Ngày viết dd/mm/yyyy. “Dữ liệu minh họa”: Có/Không."
         " “Ký thay (KT.)”: khi cấp phó ký thay, ví dụ “KT. CHỦ TỊCH”. Cần điền để văn bản"
         f" đầy đủ: {to_fill} (để trống: tongket check nhắc)."),
    ]


def write_guide(sheet) -> None:
    """Fill the help sheet."""
    from openpyxl.styles import Font

    rows: list[tuple[list[Any], str]] = [([TITLE], "title"), ([], "")]
    for heading, text in _rules():
        rows.append(([heading, text], "rule"))
    rows.append(([], ""))
    rows.append((["Màu", "Ý nghĩa"], "head"))
    rows.append((["", f"Ô cần điền ({look.INPUT_COLOUR})"], "input"))
    rows.append((["", f"Tiêu đề cột ({look.HEADER_COLOUR}), khóa"], "header"))
    rows.append((["", f"tongket tự điền ({look.LOCKED_COLOUR}), khóa"], "locked"))
    rows.append(([], ""))
    for spec in S.CSV_FILES:
        optional = "" if spec.required else ", không bắt buộc"
        rows.append(([f"Trang “{spec.label}” ({spec.name}{optional}): {spec.help}"], "sheet"))
        rows.append((["Cột", "Mã cột", "Ý nghĩa", "Giá trị"], "head"))
        for f in sheet_fields(spec):
            rows.append(([f.label, f.name, f.help, _values(f)], ""))
        rows.append(([], ""))
    rows.append(([f"Trang “{META_SHEET}” (meta.yaml): thông tin chung của kỳ báo cáo."], "sheet"))
    rows.append((["Mục", "Mã", "Ý nghĩa", "Giá trị"], "head"))
    for key, label in META_SCALARS:
        rows.append(([label, key, _meta_help(key), _meta_values(key)], ""))
    for key, label in META_SIGNATORY:
        rows.append(([label, key, _meta_help(key), ""], ""))
    for key, (title, fields) in META_LISTS.items():
        rows.append(([title, key, _meta_help(key), "danh sách, mỗi dòng một mục: "
                      + ", ".join(label for _, label in fields)], ""))

    bold = Font(bold=True)
    for values, kind in rows:
        sheet.append(values)
        number = sheet.max_row
        for cell in sheet[number]:
            look.style(cell, "plain")
            if kind in ("head", "sheet", "rule"):
                cell.font = bold if kind != "rule" or cell.column == 1 else Font()
        if kind in ("input", "header", "locked"):
            look.style(sheet.cell(number, 1), kind)
    sheet["A1"].font = Font(bold=True, size=14)
    for letter, width in zip("ABCD", (30, 80, 70, 50), strict=False):
        sheet.column_dimensions[letter].width = width
    look.protect(sheet)


def _values(field: S.Field) -> str:
    """What a column takes, as the help sheet says it."""
    if field.kind == S.CHOICE:
        return "Chọn: " + "; ".join(field.choice_labels.values())
    need = ("tongket tự điền nếu để trống" if not filled_in(field) else
            "bắt buộc có giá trị" if field.nonempty else "")
    kind = {S.NUMBER: "số", S.INTEGER: "số nguyên", S.TARGET: "chỉ tiêu"}.get(field.kind, "")
    return "; ".join(x for x in (kind, need) if x)


def _meta_help(key: str) -> str:
    if key in S.META_HELP:
        return S.META_HELP[key]
    what = S.META_CHOICES[key][0] if key in S.META_CHOICES else S.META_TEXT_KEYS.get(key, "")
    return what[:1].upper() + what[1:]


def _meta_label(key: str) -> str:
    """A meta key's label as its row of the meta sheet shows it."""
    return next(label for k, label in META_SCALARS if k == key)


def _meta_values(key: str) -> str:
    if key == "synthetic":
        return "Chọn: " + "; ".join(SYNTHETIC.values())
    if key in S.META_CHOICES:
        return "Chọn: " + "; ".join(S.META_CHOICES[key][1].values())
    if key in S.META_REQUIRED:
        return "bắt buộc"
    return "cần điền (để trống: tongket check nhắc)" if key in S.META_TO_FILL else ""
