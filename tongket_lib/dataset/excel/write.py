"""Writing a year as one workbook to fill: a sheet a data file, drop-down lists, help.

Each data file is a sheet named by its Vietnamese label, its header row the Vietnamese
column labels (the column code sits in a comment), the essential columns first. Cells
of a few codes show their labels and offer them in drop-down lists kept in a hidden
sheet (“Danh mục”), because labels such as “Tập thể và cá nhân” or “Hỗ trợ, thăm hỏi”
contain commas that an inline list cannot hold. The cells to fill are marked and every
sheet is protected without a password (:mod:`~tongket_lib.dataset.excel.look`). Every
text cell stays text, never a formula.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from tongket_lib.dataset import schema as S
from tongket_lib.dataset.excel import look
from tongket_lib.dataset.excel.guide import write_guide
from tongket_lib.dataset.excel.look import LIST_ROWS
from tongket_lib.dataset.excel.metasheet import choice_lists, write_meta_sheet
from tongket_lib.dataset.excel.sheets import (
    HELP_SHEET,
    LISTS_SHEET,
    META_SHEET,
    filled_in,
    sheet_fields,
)
from tongket_lib.dataset.layout import shown
from tongket_lib.dataset.limits import MAX_CELL_CHARS
from tongket_lib.dataset.load import YearData, load_year
from tongket_lib.dataset.store import replace_atomically
from tongket_lib.errors import DataError, ParameterError, Problem, os_reason
from tongket_lib.period import Period
from tongket_lib.vn import format_number, missing

COMMON_UNITS = ("%", "người", "văn bản", "hồ sơ", "cuộc", "cá nhân", "tập thể", "đơn vị")
#: columns of long text: wide, their lines wrapped
WRAPPED = {"name", "note", "source", "target_text", "section_title", "title", "granted_by",
           "sentence", "result_text", "text", "heading", "stated_rollup", "parts", "decision"}


def export_excel(year: int | str | Period, data: str | os.PathLike | None = None,
                 path: str | os.PathLike | None = None, force: bool = False,
                 unit: str | None = None) -> Path:
    """Write one year (validated first) as a workbook; return its path.

    Every data sheet is written, an empty one too (its header and its rows to fill), so
    that a new organisation fills the plan and the sections as well. An existing
    workbook (perhaps one already filled in) is never replaced unless ``force``, which
    first keeps it as a dated copy beside it. ``unit`` (a unit id of a multi-unit data
    folder) is written as the meta key ``unit`` that ``collect`` matches.

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
    write_guide(workbook.create_sheet(HELP_SHEET))
    meta_sheet = workbook.create_sheet(META_SHEET)
    data_sheets = {spec.name: workbook.create_sheet(spec.label) for spec in S.CSV_FILES}
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    ranges = _lists(lists, year_data)
    for spec in S.CSV_FILES:
        frame = getattr(year_data, spec.name.removesuffix(".csv"))
        _data_sheet(data_sheets[spec.name], spec, frame, ranges)
    meta = {**year_data.meta, "unit": unit} if unit else year_data.meta  # collect's key
    write_meta_sheet(meta_sheet, meta, ranges)
    workbook.active = workbook.sheetnames.index(S.INDICATORS.label)
    for sheet in workbook.worksheets:  # one sheet selected: the active one
        sheet.sheet_view.tabSelected = sheet.title == S.INDICATORS.label
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


def _lists(sheet, year_data: YearData) -> dict[Any, str]:
    """Write the drop-down lists into the hidden sheet; return the range of each, by
    (file, column) for a data sheet's choices, (meta sheet, key) for the meta sheet's, and
    ``"unit"``, ``"ids"``, ``"sections"`` for the open lists (units, indicator ids and
    section numbers already used)."""
    from openpyxl.utils import get_column_letter

    indicators = year_data.indicators
    units = list(dict.fromkeys([*indicators["unit"].dropna().astype(str), *COMMON_UNITS]))
    sections = [*year_data.sections["section"].dropna().astype(str),
                *indicators["section"].dropna().astype(str)]
    wanted: dict[Any, tuple[str, list[str]]] = {
        "unit": ("Đơn vị tính", units),
        "ids": ("Mã chỉ tiêu", list(indicators["id"].dropna().astype(str))),
        "sections": ("Mục", list(dict.fromkeys(sections))),
    }
    for spec in S.CSV_FILES:
        for f in spec.fields:
            if f.kind == S.CHOICE:
                wanted[spec.name, f.name] = (f"{spec.label} › {f.label}",
                                             list(f.choice_labels.values()))
    for key, values in choice_lists().items():
        wanted[META_SHEET, key] = (f"{META_SHEET} › {key}", values)
    ranges: dict[Any, str] = {}
    placed: dict[tuple[str, ...], str] = {}  # one column for each distinct list
    for key, (title, values) in wanted.items():
        if not values:
            continue  # nothing to offer (no indicator yet): no list
        if tuple(values) in placed:
            ranges[key] = placed[tuple(values)]
            continue
        index = len(placed) + 1
        letter = get_column_letter(index)
        sheet.cell(1, index, title)
        for j, value in enumerate(values, start=2):
            sheet.cell(j, index, value)
        sheet.column_dimensions[letter].width = 30
        ranges[key] = placed[tuple(values)] = (
            f"'{LISTS_SHEET}'!${letter}$2:${letter}${max(len(values), 1) + 1}")
    look.protect(sheet)
    return ranges


def _data_sheet(sheet, spec: S.FileSpec, frame: pd.DataFrame, ranges: dict[Any, str]) -> None:
    """One data sheet: the header (its column code and help in a comment), the rows with
    choices by their labels, the cells to fill marked, drop-down lists, protection."""
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter

    fields = sheet_fields(spec)
    last = max(LIST_ROWS, len(frame) + 200)  # drop-downs reach the rows added later
    records = frame.to_dict("records")
    for col, field in enumerate(fields, start=1):
        header = sheet.cell(1, col, field.label)
        header.comment = Comment(f"Mã cột: {field.name}\n{field.help}".strip(), "tongket",
                                 width=320, height=160)
        look.style(header, "header")
        kind = "input" if filled_in(field) else "locked"
        number_format = _NUMBER_FORMATS.get(field.name)
        shown_texts: list[str] = []
        for row, record in enumerate(records, start=2):
            value = _cell_value(record.get(field.name), field)
            cell = sheet.cell(row, col, value)
            look.style(cell, kind)
            if isinstance(value, str):
                cell.data_type = "s"  # "= 100" is a target, not a formula
                shown_texts.append(value)
            elif value is not None:
                cell.number_format = number_format or "General"
                shown_texts.append(format_number(value))
        letter = get_column_letter(col)
        least, most = (30, 50) if field.name in WRAPPED else _WIDTHS.get(field.kind, (12, 24))
        look.column(sheet, letter, kind, look.width([field.label[:20], *shown_texts], least, most),
                    number_format)
        listed = _list_of(spec, field)
        if listed in ranges:
            look.drop_down(sheet, ranges[listed], f"{letter}2:{letter}{last}",
                           open_list=field.kind != S.CHOICE)
    sheet.row_dimensions[1].height = 45
    sheet.freeze_panes = "A2"
    look.protect(sheet)


def _list_of(spec: S.FileSpec, field: S.Field) -> Any:
    """The drop-down list a column offers (a key of :func:`_lists`' ranges), if any."""
    if field.kind == S.CHOICE:
        return spec.name, field.name
    if field.name == "unit" and spec in (S.INDICATORS, S.PLAN):
        return "unit"
    if field.name == "id" and spec is S.PLAN:
        return "ids"
    if field.name in ("section", "block") and spec is not S.SECTIONS:
        return "sections"
    return None


#: width bounds of a column by the kind of its values
_WIDTHS = {S.NUMBER: (11, 16), S.INTEGER: (11, 16), S.TARGET: (14, 30), S.CHOICE: (14, 30)}
#: how the numbers of a column are shown (money with thousands grouped)
_NUMBER_FORMATS = {"amount_vnd": "#,##0", "per_case_vnd": "#,##0", "count": "0", "cases": "0"}


def _cell_value(value: Any, field: S.Field) -> Any:
    if missing(value):
        return None
    if field.kind == S.INTEGER:
        return int(value)
    if field.kind == S.NUMBER:
        number = float(value)
        return int(number) if number.is_integer() else number
    if field.kind == S.CHOICE:
        return field.choice_labels.get(str(value), str(value))
    return str(value)
