"""Reading a workbook back: each sheet as a CSV file's text, with the loader's checks.

Import reads each sheet into the same shape as a CSV file and runs the very same
validation as :func:`~tongket_lib.dataset.load.load_year`, naming the workbook, the sheet, the
Excel row, the column and the cell; the year folder is written only when everything is
valid, atomically, and an existing year needs ``force`` and is first backed up. The
schema maps the header's Vietnamese labels back to codes (a header of codes is accepted
too), and each cell's labels and Vietnamese numbers to what a CSV file holds
(:mod:`~tongket_lib.dataset.excel.values`); a row added without an id gets one.
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
from tongket_lib.dataset.excel import values as V
from tongket_lib.dataset.excel.metasheet import choice_message, read_meta_sheet
from tongket_lib.dataset.excel.sheets import (
    HELP_SHEET,
    LISTS_SHEET,
    META_LISTS,
    META_SCALARS,
    META_SHEET,
    META_SIGNATORY,
    SYNTHETIC,
)
from tongket_lib.dataset.layout import parse_year, shown
from tongket_lib.dataset.load import check_sections
from tongket_lib.dataset.meta import validate_meta
from tongket_lib.dataset.patterns import check_blocks
from tongket_lib.dataset.readers import CsvTable, nfc
from tongket_lib.dataset.store import write_year_folder, year_files, year_from_workbook
from tongket_lib.dataset.validate import validate_table
from tongket_lib.dataset.workbook import Sheet, read_workbook
from tongket_lib.errors import DataError, Problem
from tongket_lib.period import Period


@dataclass(frozen=True)
class ImportResult:
    """Where an import wrote the year, and what it replaced."""

    year: Period
    folder: Path
    backup: Path | None
    rows: dict[str, int]  # the rows of each data file written (an empty optional one is not)



def import_excel(path: str | os.PathLike, year: int | str | Period, data: str | os.PathLike | None = None,
                 force: bool = False, unit: str | None = None) -> ImportResult:
    """Validate a workbook like a year folder and, when all is valid, write the year.

    ``unit``: the unit whose folder ``data`` is (``--unit``); a workbook whose unit key
    names another unit is refused, as ``collect`` refuses it."""
    path = Path(path)
    year = parse_year(year)
    meta, tables, problems = read_excel(path, year)
    stated = str(meta.get("unit") or "").strip()
    if unit is not None and stated and stated != unit:
        problems.append(Problem(f"{shown(path)} › trang “{S.META_LABEL}”", None, "unit", stated, (
            f"sổ tính ghi mã đơn vị “{stated}” nhưng lệnh nhập vào thư mục của đơn vị “{unit}”"
            f" (--unit {unit}). Nếu sổ tính là của đơn vị {stated}: nhập lại với --unit"
            f" {stated}; nếu là của {unit}: sửa mã đơn vị ở trang “{S.META_LABEL}” thành"
            f" {unit} rồi nhập lại.")))
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
    required = {spec.name for spec in S.CSV_FILES if spec.required}
    return ImportResult(year, target, backup, {k: len(v) for k, v in tables.items()
                                               if len(v) or k in required})  # files written


def read_excel(path: Path, year: Period) -> tuple[dict, dict[str, pd.DataFrame], list[Problem]]:
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
        table = _table(workbook[name], spec, where, problems)
        if table is not None:
            yield spec, table, where


def sheet_meta(path: Path, workbook: dict[str, Sheet], year: Period,
               problems: list[Problem]) -> dict:
    """The meta sheet of a workbook as meta.yaml's content, validated for ``year``."""
    name = _by_name(workbook).get(META_SHEET.lower())
    if name is None:
        problems.append(Problem(path.name, None, None, None, f"thiếu trang “{META_SHEET}”."))
        return {}
    where = f"{path.name} › trang “{name}”"
    raw, lines = read_meta_sheet(workbook[name], where, problems)
    start = len(problems)
    meta = validate_meta(raw, lines, year, problems, where)
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
    field = codes.get(problem.column or "")
    if field is not None and isinstance(problem.value, str):  # a value the cell cannot give
        if field.kind == S.CHOICE and V.choice_code(field, problem.value) is None:
            message = V.choice_message(field, problem.value)
        elif (field.kind in (S.NUMBER, S.INTEGER)
              and V.number_text(field, problem.value) is None):
            message = V.number_message(field, problem.value)
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


def _meta_as_excel_shows(problem: Problem, year: Period) -> Problem:
    """A problem of the meta sheet: its value sits in column C of the key's row."""
    if problem.cell is not None:  # already named as Excel shows it
        return problem
    message = problem.message
    if problem.column in S.META_CHOICES:
        message = choice_message(problem.column, problem.value)
    if problem.column == "year" and isinstance(problem.value, int) and problem.value != year:
        message = (f"năm trong trang “{META_SHEET}” là {problem.value} nhưng lệnh nhập cho năm"
                   f" {year} (--year {year}). Sửa ô C{problem.row} thành {year}, hoặc nhập với"
                   f" --year {problem.value}.")
    if problem.column == "synthetic":
        message = (f"“{problem.value}” không đọc được. Chọn "
                   + " hoặc ".join(f"“{word}”" for word in SYNTHETIC.values()) + ".")
    column = "C"
    parts = [p.strip() for p in (problem.column or "").split("›")]
    if len(parts) == 3 and parts[0] in META_LISTS:  # "decisions › mục 1 › date": its own column
        fields = [f for f, _ in META_LISTS[parts[0]][1]]
        if parts[2] in fields:
            column = chr(ord("C") + fields.index(parts[2]))
    cell = f"{column}{problem.row}" if problem.row and problem.column else None
    if cell is not None:  # the key's code is not what a person sees: its cell is
        message = message.replace(f"khóa “{parts[-1]}”", f"ô {cell}")
    message = message.replace("“year: ", "“")
    return Problem(problem.file, problem.row, _meta_label(parts), problem.value, message, cell)


def _meta_label(parts: list[str]) -> str | None:
    """A meta key as the meta sheet labels it: “Tiêu đề báo cáo”, “Quyết định › mục 2 ›
    Ngày” (``None``: the sheet as a whole)."""
    if not parts[0]:
        return None
    if parts[0] in META_LISTS:
        title, fields = META_LISTS[parts[0]]
        return " › ".join([title, *(dict(fields).get(p, p) for p in parts[1:])])
    labels = dict(META_SCALARS) | dict(META_SIGNATORY)
    return labels.get(".".join(parts), " › ".join(parts))


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


def _table(sheet: Sheet, spec: S.FileSpec, where: str,
           problems: list[Problem]) -> CsvTable | None:
    """A data sheet as a CSV file's text: labels read as codes, numbers typed as text
    read the Vietnamese way, an id made for each row added without one; a row whose only
    values are in the columns tongket fills (an id left after its cells were cleared) is
    no row."""
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
    fields = V.header_fields(header, spec)
    readers = [V.cell_reader(f) for f in fields]
    typed = [i for i, r in enumerate(readers) if r is not None]
    made = V.made_columns(fields)
    kept = [i for i, f in enumerate(fields) if f is None or not f.made_from]
    seen: dict[tuple[int, str], str] = {}  # (column, text) → its reading: labels repeat
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
        if made and not extra and not any(cells[i] for i in kept):
            continue  # only what tongket filled is left: the row was cleared
        for i in typed:
            value = row[i] if i < len(row) else None
            if cells[i] and type(value) is str:  # text typed: a label, a number as text
                key = (i, cells[i])
                if key not in seen:
                    seen[key] = readers[i](cells[i])  # type: ignore[misc]
                cells[i] = seen[key]
        body.append(cells)
        numbers.append(number)
    for column, source in made:
        V.make_ids(body, column, source)
    return CsvTable(header, body, numbers, ",")
