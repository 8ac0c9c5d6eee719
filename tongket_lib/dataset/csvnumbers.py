"""How a number is written in a CSV file tongket reads: ASCII digits, a dot as the decimal
mark (``99.4``), integers written without grouping. A count or an amount written the
Vietnamese way with thousands dots (“12.000”, “3.500”) could be read two ways, so it is
refused with both readings and the fix, never read as 12. The checks are vectorised
(pandas string matching) for :mod:`~tongket_lib.dataset.validate`."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from tongket_lib.vn import format_number

# ASCII digits only: "３４" or "٣٤" look like numbers but are not read as such by pandas
NUMBER_RE = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
#: Vietnamese thousands grouping (“12.000”, “25.000.000”): in a CSV file it could be read
#: two ways (twelve thousand, or 12), so a whole number written so is refused, never guessed
GROUPED_RE = r"[-+]?[0-9]{1,3}(?:\.[0-9]{3})+"
INTEGER_RE = rf"(?!{GROUPED_RE}$)[-+]?[0-9]+(?:\.0*)?"
LARGEST = 10**15  # a count or an amount in đồng beyond this is a typing mistake


def is_number(series: pd.Series) -> pd.Series:
    ok = series.str.fullmatch(NUMBER_RE)
    values = pd.to_numeric(series.where(ok), errors="coerce")
    return ok & np.isfinite(values.astype(float)) & (values.abs() < LARGEST)


def is_integer(series: pd.Series) -> pd.Series:
    ok = series.str.fullmatch(INTEGER_RE)
    values = pd.to_numeric(series.where(ok), errors="coerce")
    return ok & (values.abs() < LARGEST)


def _too_large(value: str) -> bool:
    try:
        number = float(value)
    except ValueError:
        return False
    return not np.isfinite(number) or abs(number) >= LARGEST


def number_problem(value: str) -> str:
    """Why a cell is not a plain number, and how to write it."""
    v = value.strip()
    if re.fullmatch(NUMBER_RE, v) and _too_large(v):
        return (f"“{v}” quá lớn (từ {format_number(LARGEST)} trở lên, hoặc vô hạn). Kiểm tra"
                " lại số: có thể gõ thừa chữ số.")
    if any(c.isdigit() and not c.isascii() for c in v):
        return (f"“{v}” có chữ số không phải chữ số thường 0–9 (chữ số toàn khổ hoặc của"
                " bảng chữ khác). Gõ lại bằng bàn phím tiếng Việt/tiếng Anh thông thường.")
    if re.fullmatch(r"[-+]?\d{1,3}(?:\.\d{3})+(?:,\d+)?", v):
        plain = v.replace(".", "").replace(",", ".")
        return (f"“{v}” viết theo kiểu Việt Nam (dấu chấm ngăn hàng nghìn). Trong tệp CSV hãy"
                f" viết số liền, dấu chấm thập phân: {plain}.")
    if re.fullmatch(r"[-+]?\d+,\d+", v):
        return (f"“{v}” dùng dấu phẩy thập phân. Trong tệp CSV hãy viết dấu chấm: "
                f"{v.replace(',', '.')} (tongket không tự đổi để tránh nhầm với 3.500 = ba nghìn năm trăm).")
    if v.endswith("%"):
        return f"“{v}” có dấu %. Chỉ ghi con số ({v.rstrip('% ')}); đơn vị % ghi ở cột unit."
    return f"“{v}” không phải là một con số. Viết số liền, dấu chấm thập phân, ví dụ 99.4 hoặc 448."


def integer_problem(value: str) -> str:
    """Why a cell is not a whole number, and how to write it."""
    v = value.strip()
    if re.fullmatch(GROUPED_RE, v):
        plain = v.replace(".", "")
        if v.count(".") == 1 and float(v).is_integer():
            return (f"“{v}” đọc được hai cách: {plain} (dấu chấm ngăn hàng nghìn, kiểu Việt"
                    f" Nam) hoặc {int(float(v))} (dấu chấm thập phân). Trong tệp CSV số nguyên"
                    f" viết liền, không dấu chấm: viết {plain} hoặc {int(float(v))}.")
        return (f"“{v}” viết kiểu Việt Nam (dấu chấm ngăn hàng nghìn). Trong tệp CSV số"
                f" nguyên viết liền, không dấu chấm: {plain}.")
    if re.fullmatch(r"[0-9]{1,3}(?:([., ])[0-9]{3})(?:\1[0-9]{3})*", v):
        plain = re.sub(r"[., ]", "", v)
        return (f"“{v}” có dấu ngăn hàng nghìn. Số nguyên viết liền, không dấu chấm, phẩy hay"
                f" dấu cách: {plain}.")
    if re.fullmatch(NUMBER_RE, v) and not _too_large(v):
        return f"“{v}” phải là số nguyên (số người, số trường hợp, số đồng), ví dụ 448."
    return number_problem(v).replace("ví dụ 99.4 hoặc 448", "ví dụ 448")
