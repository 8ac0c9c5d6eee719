"""Excel round trip: a year as one workbook to fill, and back, with the loader's checks.

openpyxl writes and reads the workbook. Each data file is a sheet named by its
Vietnamese label, its header row the Vietnamese column labels (the column code sits in
a comment); the schema maps labels back to codes, and a header of codes is accepted
too. Code columns get drop-down lists kept in a hidden sheet (“Danh mục”), because
units such as “tập thể, cá nhân” contain commas that an inline list cannot hold.

Import reads each sheet into the same shape as a CSV file and runs the very same
validation as :func:`~tongket_lib.dataset.load.load_year`, naming the workbook, the sheet, the
Excel row and the column; the year folder is written only when everything is valid,
atomically, and an existing year needs ``force`` and is first backed up.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from tongket_lib import paths
from tongket_lib.dataset import schema as S
from tongket_lib.dataset.layout import parse_year, shown
from tongket_lib.dataset.limits import MAX_CELL_CHARS
from tongket_lib.dataset.load import YearData, check_sections, load_year
from tongket_lib.dataset.meta import validate_meta
from tongket_lib.dataset.patterns import check_blocks
from tongket_lib.dataset.readers import CsvTable, nfc
from tongket_lib.dataset.store import replace_atomically, write_year_folder, year_files, year_from_workbook
from tongket_lib.dataset.validate import validate_table
from tongket_lib.dataset.workbook import Sheet, read_workbook
from tongket_lib.errors import DataError, ParameterError, Problem, os_reason
from tongket_lib.vn import format_number

HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
META_SHEET = "Thông tin chung"
LIST_ROWS = 1000  # drop-downs reach this far below the header, for rows added later
COMMON_UNITS = ("%", "người", "văn bản", "hồ sơ", "cuộc", "cá nhân", "tập thể", "đơn vị")
WRAPPED = {"name", "note", "source", "target_text", "section_title", "title", "granted_by"}

META_SCALARS = [("year", "Năm"), *S.META_TEXT_KEYS.items(),
                ("synthetic", "Dữ liệu minh họa (TRUE/FALSE)")]
META_SIGNATORY = [(f"signatory.{key}", label) for key, label in S.META_SIGNATORY]
META_LISTS = S.META_LISTS


@dataclass(frozen=True)
class ImportResult:
    """Where an import wrote the year, and what it replaced."""

    year: int
    folder: Path
    backup: Path | None
    rows: dict[str, int]


# -- export ---------------------------------------------------------------------------------

def export_excel(year: int | str, data: str | os.PathLike | None = None,
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


# -- import ---------------------------------------------------------------------------------

def import_excel(path: str | os.PathLike, year: int | str, data: str | os.PathLike | None = None,
                 force: bool = False) -> ImportResult:
    """Validate a workbook like a year folder and, when all is valid, write the year."""
    path = Path(path)
    year = parse_year(year)
    meta, tables, problems = read_excel(path, year)
    if problems:
        raise DataError(problems, heading=f"Tệp {shown(path)} có {len(problems)} lỗi; chưa ghi"
                                          f" gì vào dữ liệu. Sửa rồi nhập lại:")

    root = paths.data_dir(data)
    target = root / str(year)
    write, problem = year_from_workbook(target, year_files(meta, tables), root)
    if problem is not None:  # the year's own rules are kept: never a foreign file
        raise DataError([problem], heading=f"Chưa nhập {shown(path)}: quy định riêng của năm"
                                           f" {year} không đọc được.")
    backup = write_year_folder(target, write, force=force)
    return ImportResult(year, target, backup, {k: len(v) for k, v in tables.items()})


def read_excel(path: Path, year: int) -> tuple[dict, dict[str, pd.DataFrame], list[Problem]]:
    """Read and validate a workbook as :func:`import_excel` does, writing nothing: its
    meta, its tables and every problem found (an unreadable file is one problem)."""
    problems: list[Problem] = []
    workbook = read_workbook(path, problems)
    tables: dict[str, pd.DataFrame] = {}
    for spec, table, where in sheet_tables(path, workbook, problems):
        start = len(problems)
        tables[spec.name] = validate_table(table, spec, where, problems)
        problems[start:] = [_as_excel_shows(p, table.header, spec) for p in problems[start:]]
    if S.INDICATORS.name in tables and S.SECTIONS.name in tables:
        check_sections(tables[S.INDICATORS.name], tables[S.SECTIONS.name],
                       f"{path.name} › trang “{S.INDICATORS.label}”", problems)
        check_blocks(tables, tables[S.SECTIONS.name],
                     {s.name: f"{path.name} › trang “{s.label}”" for s in S.CSV_FILES}, problems)
    return sheet_meta(path, workbook, year, problems), tables, problems


def _by_name(workbook: dict[str, Sheet]) -> dict[str, str]:
    """The sheets' titles by the name they are looked up with."""
    return {nfc(name).strip().lower(): name for name in workbook}


def sheet_tables(path: Path, workbook: dict[str, Sheet],
                 problems: list[Problem]) -> Iterator[tuple[S.FileSpec, CsvTable, str]]:
    """Each data sheet of a workbook as text (a :class:`CsvTable`), with its spec and how
    messages name it; an unknown sheet, a missing one, a sheet that is no table are
    problems (a lazy generator: what the caller adds in between stays in order)."""
    by_name = _by_name(workbook)
    known = {s.label.lower() for s in S.CSV_FILES} | {META_SHEET.lower(), HELP_SHEET.lower(),
                                                      LISTS_SHEET.lower()}
    for lowered, title in by_name.items():
        if lowered not in known:
            problems.append(Problem(path.name, None, None, title,
                                    f"trang lạ “{title}”. Các trang dùng được: "
                                    + ", ".join(s.label for s in S.CSV_FILES) + f", {META_SHEET}."
                                    " Xóa hoặc đổi tên trang này."))
    for spec in S.CSV_FILES:
        name = by_name.get(spec.label.lower())
        if name is None:
            if spec.required:
                problems.append(Problem(path.name, None, None, None,
                                        f"thiếu trang “{spec.label}” ({spec.name})."))
            continue
        where = f"{path.name} › trang “{name}”"
        table = _table(workbook[name], where, problems)
        if table is not None:
            yield spec, table, where


def sheet_meta(path: Path, workbook: dict[str, Sheet], year: int,
               problems: list[Problem]) -> dict:
    """The meta sheet of a workbook as meta.yaml's content, validated for ``year``."""
    name = _by_name(workbook).get(META_SHEET.lower())
    if name is None:
        problems.append(Problem(path.name, None, None, None, f"thiếu trang “{META_SHEET}”."))
        return {}
    raw, lines = _read_meta(workbook[name])
    start = len(problems)
    meta = validate_meta(raw, lines, year, problems, f"{path.name} › trang “{name}”")
    problems[start:] = [_meta_as_excel_shows(p, year) for p in problems[start:]]
    return meta


def _as_excel_shows(problem: Problem, header: list[str], spec: S.FileSpec) -> Problem:
    """A problem of a sheet named as Excel shows it: the header's text and the cell ("F3")."""
    from openpyxl.utils import get_column_letter

    codes = {f.name: f for f in spec.fields}
    position: dict[str, tuple[int, str]] = {}
    for index, text in enumerate(header, start=1):
        code = text if text in codes else next(
            (f.name for f in spec.fields if f.label.lower() == text.lower()), None)
        if code is not None:
            position.setdefault(code, (index, text))
    message = problem.message.replace("Trong tệp CSV hãy viết", "Trong Excel hãy nhập ô này là"
                                      " số (không phải văn bản), hoặc viết")
    for code, (_, text) in position.items():  # "cột unit" in a hint: the header the user sees
        message = message.replace(f"cột {code}", f"cột “{text}”")
    if problem.column not in position:
        cell = None
        if problem.row == 1 and problem.column in header:  # an unknown or repeated header
            cell = f"{get_column_letter(header.index(problem.column) + 1)}1"
        return Problem(problem.file, problem.row, problem.column, problem.value, message, cell)
    index, text = position[problem.column]
    cell = f"{get_column_letter(index)}{problem.row}" if problem.row and problem.row > 1 else None
    return Problem(problem.file, problem.row, text, problem.value, message, cell)


def _meta_as_excel_shows(problem: Problem, year: int) -> Problem:
    """A problem of the meta sheet: its value sits in column C of the key's row."""
    message = problem.message
    if problem.column == "year" and isinstance(problem.value, int) and problem.value != year:
        message = (f"năm trong trang “{META_SHEET}” là {problem.value} nhưng lệnh nhập cho năm"
                   f" {year} (--year {year}). Sửa ô C{problem.row} thành {year}, hoặc nhập với"
                   f" --year {problem.value}.")
    column = "C"
    parts = [p.strip() for p in (problem.column or "").split("›")]
    if len(parts) == 3 and parts[0] in META_LISTS:  # "decisions › mục 1 › date": its own column
        fields = [f for f, _ in META_LISTS[parts[0]][1]]
        if parts[2] in fields:
            column = chr(ord("C") + fields.index(parts[2]))
    cell = f"{column}{problem.row}" if problem.row and problem.column else None
    return Problem(problem.file, problem.row, problem.column, problem.value, message, cell)


def _text(value: Any) -> str:
    """A cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return nfc(str(value)).strip()


def _table(sheet: Sheet, where: str, problems: list[Problem]) -> CsvTable | None:
    rows = sheet.rows
    for line, column in sorted(sheet.formulas):
        if line <= len(rows) and column <= len(rows[line - 1]) and rows[line - 1][column - 1] is None:
            from openpyxl.utils import get_column_letter

            title = _text(rows[0][column - 1]) if column <= len(rows[0]) else ""
            problems.append(Problem(
                where, line, title or None, None,
                f"ô {get_column_letter(column)}{line} có công thức nhưng tệp không lưu kết quả của"
                " công thức (tệp do một chương trình khác tạo). Mở tệp bằng Excel hoặc"
                " LibreOffice, lưu lại rồi nhập lại; hoặc thay công thức bằng giá trị."))
    if not rows or not any(v not in (None, "") for v in rows[0]):
        problems.append(Problem(where, 1, None, None,
                                "dòng 1 phải là dòng tiêu đề (tên các cột), nhưng đang trống."))
        return None
    header = [_text(v) for v in rows[0]]
    while header and header[-1] == "":
        header.pop()
    body: list[list[str]] = []
    numbers: list[int] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = ["" if v is None else nfc(v).strip() if type(v) is str else _text(v) for v in row]
        if not any(cells):
            continue
        extra = [c for c in cells[len(header):] if c]
        if extra:
            problems.append(Problem(where, number, None, extra[0],
                                    "dòng có ô dữ liệu ở cột không có tiêu đề; xóa ô đó hoặc đặt"
                                    " tên cột."))
        cells = (cells + [""] * len(header))[:len(header)]
        body.append(cells)
        numbers.append(number)
    return CsvTable(header, body, numbers, ",")


def _read_meta(sheet: Sheet) -> tuple[dict, dict[tuple, int]]:
    """The meta sheet back into meta.yaml's shape, with the Excel row of every key."""
    scalars = {key for key, _ in META_SCALARS}
    signatory = {key for key, _ in META_SIGNATORY}
    data: dict[str, Any] = {"signatory": {}}
    lines: dict[tuple, int] = {}
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number == 1 or not row or row[0] in (None, ""):
            continue
        key = str(row[0]).strip()
        value = row[2] if len(row) > 2 else None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str):
            value = nfc(value).strip()
        if key in scalars:
            data[key] = value
            lines[(key,)] = number
        elif key in signatory:
            sub = key.split(".")[1]
            data["signatory"][sub] = "" if value is None else value
            lines[("signatory", sub)] = number
        elif key in META_LISTS:
            fields = META_LISTS[key][1]
            values = list(row[2:2 + len(fields)]) + [None] * len(fields)
            values = [v.date() if isinstance(v, dt.datetime) else
                      (nfc(v).strip() if isinstance(v, str) else v) for v in values]
            items = data.setdefault(key, [])
            index = len(items)
            if key == "recipients":
                items.append(values[0])
            else:
                items.append({f: ("" if v is None and f not in ("date",) else v)
                              for (f, _), v in zip(fields, values, strict=False)})
                for f, _ in fields:
                    lines[(key, index, f)] = number
            lines[(key, index)] = number
        else:
            data[key] = value  # validate_meta names unknown keys
            lines[(key,)] = number
    if isinstance(data.get("year"), float) and data["year"].is_integer():
        data["year"] = int(data["year"])
    if isinstance(data.get("year"), str) and data["year"].strip().isdigit():
        data["year"] = int(data["year"])  # a year typed into a text-formatted cell
    if isinstance(data.get("synthetic"), str):  # TRUE/FALSE typed as text
        word = data["synthetic"].strip().lower()
        data["synthetic"] = {"true": True, "false": False, "có": True, "không": False}.get(
            word, data["synthetic"])
    for key in S.META_TEXT_KEYS:
        if data.get(key) is None:
            data[key] = ""
    if data.get("synthetic") is None:
        data["synthetic"] = False
    return data, lines
