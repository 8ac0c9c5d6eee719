"""Writing a year as one workbook to fill: a sheet a data file, drop-down lists, help.

Each data file is a sheet named by its Vietnamese label, its header row the Vietnamese
column labels (the column code sits in a comment). Code columns get drop-down lists
kept in a hidden sheet (“Danh mục”), because units such as “tập thể, cá nhân” contain
commas that an inline list cannot hold. Every text cell stays text, never a formula.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pandas as pd

from tongket_lib.dataset import schema as S
from tongket_lib.dataset.excel.sheets import (
    HELP_SHEET,
    LISTS_SHEET,
    META_LISTS,
    META_SCALARS,
    META_SHEET,
    META_SIGNATORY,
)
from tongket_lib.dataset.layout import shown
from tongket_lib.dataset.limits import MAX_CELL_CHARS
from tongket_lib.dataset.load import YearData, load_year
from tongket_lib.dataset.store import replace_atomically
from tongket_lib.errors import DataError, ParameterError, Problem, os_reason
from tongket_lib.period import Period
from tongket_lib.vn import format_number

LIST_ROWS = 1000  # drop-downs reach this far below the header, for rows added later
COMMON_UNITS = ("%", "người", "văn bản", "hồ sơ", "cuộc", "cá nhân", "tập thể", "đơn vị")
WRAPPED = {"name", "note", "source", "target_text", "section_title", "title", "granted_by"}


def export_excel(year: int | str | Period, data: str | os.PathLike | None = None,
                 path: str | os.PathLike | None = None, force: bool = False,
                 unit: str | None = None) -> Path:
    """Write one year (validated first) as a workbook; return its path.

    An existing workbook (perhaps one already filled in) is never replaced unless
    ``force``, which first keeps it as a dated copy beside it. ``unit`` (a unit id of a
    multi-unit data folder) is written as the meta key ``unit`` that ``collect`` matches.

    >>> import tempfile
    >>> p = export_excel(2024, path=Path(tempfile.mkdtemp()) / "nam-2024.xlsx")
    >>> p.suffix
    '.xlsx'
    """
    from openpyxl import Workbook

    year_data = load_year(year, data)
    target = Path(path) if path else Path.cwd() / f"tongket-{year_data.year}.xlsx"
    if target.suffix.lower() != ".xlsx":
        raise ParameterError(f"Tệp xuất phải có đuôi .xlsx: {target}.")
    if target.is_dir():
        raise ParameterError(f"“{target}” là một thư mục. Ghi -o với tên tệp, ví dụ"
                             f" -o {target / f'tongket-{year_data.year}.xlsx'}.")
    if target.exists() and not force:
        raise ParameterError(f"Tệp {target} đã có (có thể là sổ tính đã điền số liệu) nên"
                             " không ghi đè. Chọn tên khác bằng -o, hoặc thêm --force để thay"
                             " (tệp cũ được giữ thành bản sao có ghi ngày giờ).")
    _check_lengths(year_data)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _help_sheet(workbook.create_sheet(HELP_SHEET))
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    ranges = _lists(lists, year_data.indicators)
    for spec in S.CSV_FILES:
        frame = getattr(year_data, spec.name.removesuffix(".csv"))
        if spec.required or not frame.empty:
            _data_sheet(workbook.create_sheet(spec.label), spec, frame, ranges)
    meta = {**year_data.meta, "unit": unit} if unit else year_data.meta  # collect's key
    _meta_sheet(workbook.create_sheet(META_SHEET), meta)
    workbook.active = 1 if len(workbook.sheetnames) > 2 else 0
    _as_data(workbook)

    try:  # an existing workbook (only with force) is kept as a dated copy first
        replace_atomically(target, workbook.save)
    except OSError as exc:
        raise ParameterError(f"Không ghi được vào thư mục {target.parent}"
                             f" ({os_reason(exc)}). Chọn nơi khác bằng -o.") from None
    return target


#: first characters that make Excel read typed text as a formula (or a DDE command)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def _as_data(workbook) -> None:
    """Every text cell of every sheet stays text: never a formula, not even once edited.

    openpyxl stores a string starting with "=" as a formula; the cell's type is forced
    back to text. Text that Excel would turn into a formula when the user edits the cell
    (“=HYPERLINK(…)”, “+1”, “-1”, “@SUM(…)”) also gets Excel's quote prefix (what typing
    ' first does): shown as written, kept as text after editing, read back unchanged.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    if len(cell.value) > MAX_CELL_CHARS:  # _check_lengths names the data
                        raise ParameterError(
                            f"Ô {cell.coordinate} của trang “{sheet.title}” dài"
                            f" {format_number(len(cell.value))} ký tự, quá giới hạn"
                            f" {format_number(MAX_CELL_CHARS)} ký tự của một ô Excel; không xuất"
                            " để khỏi cắt mất nội dung.")
                    cell.data_type = "s"
                    if cell.value.startswith(FORMULA_START):
                        cell.quotePrefix = True


def _check_lengths(year_data: YearData) -> None:
    """Refuse a value Excel would cut (over 32,767 characters), naming where it is."""
    problems: list[Problem] = []
    for spec in S.CSV_FILES:
        frame = getattr(year_data, spec.name.removesuffix(".csv"))
        for name in frame.columns:
            for row, value in frame[name].items():
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    problems.append(Problem(shown(year_data.folder / spec.name), int(row), name,
                                            None, _too_long(len(value))))

    def walk(value: Any, path: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value, start=1):
                walk(item, (*path, f"mục {i}"))
        elif isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            problems.append(Problem(shown(year_data.folder / S.META_FILE), None,
                                    " › ".join(map(str, path)), None, _too_long(len(value))))

    walk(year_data.meta, ())
    if problems:
        raise DataError(problems, heading=f"Không xuất được năm {year_data.year} ra Excel:"
                                          f" {len(problems)} giá trị dài quá một ô Excel.")


def _too_long(n: int) -> str:
    return (f"dài {format_number(n)} ký tự, quá giới hạn {format_number(MAX_CELL_CHARS)} ký tự"
            " của một ô Excel. tongket không xuất để khỏi cắt mất nội dung: rút gọn giá trị"
            " (hoặc chuyển phần dài sang tài liệu kèm theo), rồi xuất lại.")


def _lists(sheet, indicators: pd.DataFrame) -> dict[str, str]:
    """Write the drop-down lists into the hidden sheet; return column → range formula."""
    from openpyxl.utils import get_column_letter

    units = list(dict.fromkeys([*indicators["unit"].dropna().astype(str), *COMMON_UNITS]))
    columns: dict[str, list[str]] = {"unit": units}
    for spec in S.CSV_FILES:
        for f in spec.fields:
            if f.kind == S.CHOICE:
                columns[f.name] = list(f.choices)
    ranges = {}
    for i, (name, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(i)
        sheet.cell(1, i, name)
        for j, value in enumerate(values, start=2):
            sheet.cell(j, i, value)
        ranges[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _style_header(sheet, ncols: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for cell in sheet[1][:ncols]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5EE")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _data_sheet(sheet, spec: S.FileSpec, frame: pd.DataFrame, ranges: dict[str, str]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for col, field in enumerate(spec.fields, start=1):
        cell = sheet.cell(1, col, field.label)
        cell.comment = Comment(f"Mã cột: {field.name}\n{field.help}".strip(), "tongket")
    for row, record in enumerate(frame.itertuples(index=False), start=2):
        values = record._asdict()
        for col, field in enumerate(spec.fields, start=1):
            value = _cell_value(values.get(field.name), field)
            if value is not None:
                cell = sheet.cell(row, col, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # "= 100" is a target, not a formula
                elif field.kind == S.INTEGER:
                    cell.number_format = "0"
    _style_header(sheet, len(spec.fields))
    for col, field in enumerate(spec.fields, start=1):
        letter = get_column_letter(col)
        longest = max([len(field.label)] + [len(str(v)) for v in frame[field.name].dropna()]
                      if field.name in frame else [len(field.label)])
        sheet.column_dimensions[letter].width = min(max(10, longest + 2), 60)
        if field.name in WRAPPED:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if field.name in ranges and (field.kind == S.CHOICE or field.name == "unit"):
            strict = field.kind == S.CHOICE
            rule = DataValidation(
                type="list", formula1=ranges[field.name], allow_blank=True,
                showErrorMessage=strict, errorStyle="stop" if strict else "warning",
                errorTitle="Giá trị không hợp lệ",
                error="Chọn một giá trị trong danh sách." if strict else None)
            rule.add(f"{letter}2:{letter}{LIST_ROWS}")
            sheet.add_data_validation(rule)


def _cell_value(value: Any, field: S.Field) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if field.kind == S.INTEGER:
        return int(value)
    if field.kind == S.NUMBER:
        number = float(value)
        return int(number) if number.is_integer() else number
    return str(value)


def _meta_sheet(sheet, meta: dict) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append(["Mã", "Mục", "Giá trị"])
    for key, label in META_SCALARS:
        sheet.append([key, label, meta.get(key)])
    for key, label in META_SIGNATORY:
        sheet.append([key, label, meta.get("signatory", {}).get(key.split(".")[1], "")])
    for key, (title, fields) in META_LISTS.items():
        sheet.append([])
        header = sheet.max_row + 1
        sheet.append(["", f"{title} (mỗi dòng một mục)", *[label for _, label in fields]])
        for cell in sheet[header]:
            cell.font = Font(bold=True)
        for i, item in enumerate(meta.get(key, []), start=1):
            values = [item] if key == "recipients" else [item.get(f) for f, _ in fields]
            sheet.append([key, i, *values])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _style_header(sheet, 3)
    for letter, width in zip("ABCDEFG", (20, 34, 60, 22, 16, 40, 60), strict=False):
        sheet.column_dimensions[letter].width = width


def _help_sheet(sheet) -> None:
    from openpyxl.styles import Alignment, Font

    lines: list[list[Any]] = [
        ["Hướng dẫn điền số liệu tổng kết thi đua, khen thưởng"],
        [],
        ["Mỗi trang là một tệp dữ liệu của năm. Điền hoặc sửa số liệu rồi nhập lại bằng lệnh:"],
        ["tongket excel import TỆP.xlsx --year NĂM   (thêm --force để thay năm đã có; bản cũ được sao lưu)"],
        [],
        ["Quy ước"],
        ["Số: nhập dạng số của Excel (99,4 hay 99.4 tùy máy); đừng gõ thành chữ, đừng thêm dấu %"
         " (đơn vị ghi ở cột “Đơn vị tính”)."],
        ["Chỉ tiêu: ký hiệu >= 90 (từ 90 trở lên), > 80 (trên 80), <= 0 (không quá 0), < 1 (dưới 1),"
         " 10..15 (từ 10 đến 15), = 12 (đúng 12); hoặc cách viết của báo cáo: “90% trở lên”,"
         " “từ 10 - 15%”, “không có vi phạm”."],
        ["Ô để trống nghĩa là báo cáo không nêu. Các cột có danh sách thả xuống chỉ nhận mã trong"
         " danh sách."],
        [],
    ]
    for spec in S.CSV_FILES:
        lines.append([f"Trang “{spec.label}” ({spec.name}{'' if spec.required else ', không bắt buộc'}):"
                      f" {spec.help}"])
        lines.append(["Cột", "Mã cột", "Ý nghĩa", "Giá trị hợp lệ"])
        for f in spec.fields:
            allowed = "; ".join(f"{c} = {f.choice_labels.get(c, c)}" for c in f.choices)
            need = "bắt buộc có giá trị" if f.nonempty else ("bắt buộc có cột" if f.required else "")
            lines.append([f.label, f.name, f.help, allowed or need])
        lines.append([])
    lines.append([f"Trang “{META_SHEET}”: thông tin chung của năm (meta.yaml): cơ quan, tiêu đề,"
                  " căn cứ, quyết định, nơi nhận, người ký. Ngày viết dd/mm/yyyy."])
    for line in lines:
        sheet.append(line)
    sheet["A1"].font = Font(bold=True, size=14)
    for row in sheet.iter_rows():
        if row[0].value in ("Cột", "Quy ước") or str(row[0].value or "").startswith("Trang “"):
            for cell in row:
                cell.font = Font(bold=True)
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (34, 18, 70, 50), strict=False):
        sheet.column_dimensions[letter].width = width
