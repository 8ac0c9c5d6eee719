"""Reading an ``.xlsx`` workbook without trusting it: bounded, lazily, as Excel shows it.

A workbook is a zip of XML files written by Excel, LibreOffice or any program. Before
anything is parsed, the zip's members are checked against the sizes of
:mod:`~tongket_lib.dataset.limits` (a few KB that unzip to gigabytes are refused).
Each sheet is then read row by row from its XML, only the rows and cells it really
holds: the extent a sheet declares (``A1:XFD1048576`` in a 37 KB file) is ignored, so
one stray cell far away costs one cell, not a billion empty ones. Rows, columns and
cell length are bounded; a merged range spanning rows gives each of its rows the
value Excel shows (the top-left one), a merged range spanning columns is reported.
Broken XML is one clear problem, not a traceback.
"""

from __future__ import annotations

import datetime as dt
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tongket_lib.dataset import limits
from tongket_lib.dataset.layout import MISSING, file_problem, shown
from tongket_lib.errors import DataError, Problem
from tongket_lib.vn import format_number

#: the names openpyxl opens (it refuses any other, whatever the file holds)
XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
#: what goes wrong inside a damaged workbook while it is parsed (XML, zip, values)
BROKEN = (SyntaxError, KeyError, ValueError, TypeError, IndexError, AttributeError,
          zipfile.BadZipFile, zlib.error, EOFError, OSError, OverflowError)


@dataclass
class Sheet:
    """One sheet's values as the user typed them; ``rows[0]`` is Excel row 1."""

    title: str
    rows: list[list[Any]] = field(default_factory=list)
    #: (row, column) of each formula cell whose value the file does not hold
    formulas: set[tuple[int, int]] = field(default_factory=set)

    def iter_rows(self, values_only: bool = True) -> Iterator[tuple[Any, ...]]:
        """The rows as tuples of values (as openpyxl's ``values_only`` gives them)."""
        for row in self.rows:
            yield tuple(row)


def read_workbook(path: Path, problems: list[Problem]) -> dict[str, Sheet]:
    """Every sheet of the workbook at ``path``, by title, in the workbook's order.

    Raises :class:`DataError` when the file cannot be read at all (not a workbook, a
    zip bomb, broken XML); appends a problem for each row, column or cell beyond the
    limits and for each merged range across columns.
    """
    check_file(path)
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except (*BROKEN, InvalidFileException) as exc:  # the latter: a name not ending in .xlsx
        raise _unreadable(path, exc) from None
    sheets = {}
    hidden: list[str] = []
    try:
        for ws in book.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":  # Excel does not show it
                hidden.append(ws.title)
                continue
            try:
                sheets[ws.title] = _read_sheet(ws, f"{path.name} › trang “{ws.title}”", problems)
            except BROKEN as exc:
                raise _unreadable(path, exc, ws.title) from None
    finally:
        book.close()
    check_titles(path, list(sheets), hidden, problems)
    return sheets


def _name(title: str) -> str:
    """A sheet's title as names are compared: NFC, no edge spaces, lower case."""
    from tongket_lib.dataset.readers import nfc

    return nfc(title).strip().lower()


def check_titles(path: Path, visible: list[str], hidden: list[str],
                 problems: list[Problem]) -> None:
    """A workbook is what Excel shows: its visible sheets, each by its exact title. A
    title with a space at its edge looks like a data sheet's and is not; a hidden sheet
    (hidden or veryHidden) named like a data sheet, or like a visible one, would be read
    in place of what the preparer sees. Each is a problem naming the sheet and the fix."""
    from tongket_lib.dataset import schema as S

    labels = {_name(s.label): s.label for s in S.CSV_FILES} | {_name(S.META_LABEL): S.META_LABEL}
    for title in visible:
        if title != title.strip():
            problems.append(Problem(path.name, None, None, title, (
                f"tên trang “{title}” có dấu cách ở đầu hoặc cuối: trông như “{title.strip()}”"
                f" nhưng không phải tên ấy. Đổi tên trang thành “{title.strip()}” (bỏ dấu cách)"
                " rồi gửi lại.")))
    shown_names = {_name(t): t for t in visible}
    for title in hidden:
        same = labels.get(_name(title)) or shown_names.get(_name(title))
        if same is not None:
            problems.append(Problem(path.name, None, None, title, (
                f"có trang ẩn “{title}” (Excel không hiển thị) trùng tên trang “{same}”:"
                " tongket chỉ đọc các trang Excel hiển thị, nên không biết số liệu nào là"
                " đúng. Trong Excel: chuột phải vào tên một trang → Bỏ ẩn, xóa trang thừa,"
                " rồi gửi lại.")))


def _unreadable(path: Path, exc: BaseException, sheet: str | None = None) -> DataError:
    if _empty(path):
        message = ("tệp rỗng (0 byte): thường do tải về hoặc chép chưa xong. Lấy lại tệp mà"
                   " đơn vị gửi rồi nhập lại.")
    else:
        hint = _fix_for(path.suffix.lower())
        what = f"trang “{sheet}” bị hỏng" if sheet else "tệp hỏng hoặc không phải sổ tính"
        message = f"không mở được như tệp Excel .xlsx ({what}: {type(exc).__name__}).{hint}"
    return DataError([Problem(shown(path), None, None, None, message)],
                     heading=f"Không nhập được {shown(path)}; chưa ghi gì vào dữ liệu.")


def _fix_for(suffix: str) -> str:
    """How to make a workbook with this file name's ``suffix`` readable."""
    if suffix == ".xls":
        return " Tệp .xls (Excel 97-2003) cần mở bằng Excel rồi lưu lại dạng .xlsx."
    if suffix == ".ods":
        return (" Tệp .ods (LibreOffice Calc) cần mở bằng LibreOffice rồi Lưu thành → Excel"
                " 2007-365 (.xlsx).")
    if suffix not in XLSX_SUFFIXES:
        return (" Tên tệp phải có đuôi .xlsx: nếu đây là sổ tính Excel, đổi tên cho đúng"
                " đuôi rồi nhập lại.")
    return (" Tệp phải là sổ tính Excel .xlsx còn nguyên vẹn: mở bằng Excel hoặc"
            " LibreOffice, Lưu thành → Excel Workbook (.xlsx), rồi nhập lại.")


def _empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except OSError:
        return False


def check_file(path: Path, archive: zipfile.ZipFile | None = None) -> None:
    """Refuse a workbook that is missing, too big, or unzips to too much (``archive``: the
    workbook already open, not opened again)."""
    reason = file_problem(path)
    if reason == MISSING:
        reason = "không có tệp này."
    elif reason is None and path.stat().st_size > limits.MAX_WORKBOOK_BYTES:
        reason = (f"tệp quá lớn ({limits.size_text(path.stat().st_size)}; tối đa"
                  f" {limits.size_text(limits.MAX_WORKBOOK_BYTES)}).")
    if reason is None:
        try:
            if archive is not None:
                members = archive.infolist()
            else:
                with zipfile.ZipFile(path) as opened:
                    members = opened.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise _unreadable(path, exc) from None
        total = sum(m.file_size for m in members)
        packed = [m for m in members if m.file_size > 1024 * 1024
                  and m.file_size > limits.MAX_WORKBOOK_RATIO * max(m.compress_size, 1)]
        if total > limits.MAX_WORKBOOK_UNZIPPED_BYTES or packed:
            reason = (f"tệp nén chứa quá nhiều dữ liệu khi giải nén ({limits.size_text(total)};"
                      f" tối đa {limits.size_text(limits.MAX_WORKBOOK_UNZIPPED_BYTES)}, nén không"
                      f" quá {limits.MAX_WORKBOOK_RATIO} lần). Sổ tính số liệu một năm chỉ vài"
                      " trăm KB: kiểm tra lại tệp, hoặc mở bằng Excel và lưu lại.")
        else:
            reason = _heavy_part(members)
    if reason is not None:
        raise DataError([Problem(shown(path), None, None, None, reason)],
                        heading=f"Không nhập được {shown(path)}; chưa ghi gì vào dữ liệu.")


def _heavy_part(members: list[zipfile.ZipInfo]) -> str | None:
    """Why a workbook whose text part or one of whose sheets is too big to read in bounded
    time and memory is refused (unused texts, formatted empty rows), or ``None``."""
    for m in members:
        name = m.filename
        if name == "xl/sharedStrings.xml" and m.file_size > limits.MAX_SHARED_STRINGS_BYTES:
            return (f"phần chữ dùng chung của sổ tính quá lớn ({limits.size_text(m.file_size)};"
                    f" tối đa {limits.size_text(limits.MAX_SHARED_STRINGS_BYTES)}), thường do"
                    " những ô đã xóa mà Excel vẫn giữ chữ. Chép các trang số liệu sang một sổ"
                    " tính mới (hoặc xuất lại bằng tongket excel export), rồi nhập lại.")
        if (name.startswith("xl/worksheets/") and name.endswith(".xml")
                and m.file_size > limits.MAX_SHEET_BYTES):
            return (f"một trang của sổ tính ({name.rsplit('/', 1)[-1]}) quá lớn"
                    f" ({limits.size_text(m.file_size)}; tối đa"
                    f" {limits.size_text(limits.MAX_SHEET_BYTES)}), thường do hàng trăm nghìn"
                    " dòng trống đã định dạng. Xóa các dòng thừa dưới bảng số liệu (chọn từ dòng"
                    " trống đầu tiên đến cuối trang, Xóa dòng), lưu lại rồi nhập lại.")
    return None


def _parser_class():
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class _Parser(WorkSheetParser):
        """openpyxl's streaming sheet parser, noting which cells hold a formula."""

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            cell["formula"] = element.find(FORMULA_TAG) is not None
            return cell

    return _Parser


def _read_sheet(ws, where: str, problems: list[Problem]) -> Sheet:
    """The cells ``ws`` really holds (its declared dimension ignored), within limits."""
    from openpyxl.utils import get_column_letter

    sheet = Sheet(ws.title)
    book = ws.parent
    found: dict[int, dict[int, Any]] = {}
    with ws._get_source() as source:
        parser = _parser_class()(source, ws._shared_strings, data_only=True, epoch=book.epoch,
                                 date_formats=book._date_formats,
                                 timedelta_formats=book._timedelta_formats)
        for number, cells in parser.parse():
            values: dict[int, Any] = {}
            for cell in cells:
                value = _typed(cell, book)
                column = cell["column"]
                if value is None:
                    if cell.get("formula"):
                        sheet.formulas.add((number, column))
                    continue
                address = f"{get_column_letter(column)}{number}"
                if number > limits.MAX_ROWS + 1:
                    problems.append(Problem(where, number, None, None,
                                            f"ô {address} có dữ liệu nhưng một trang chỉ được tối"
                                            f" đa {format_number(limits.MAX_ROWS)} dòng số liệu."
                                            " Xóa các dòng thừa (cả những ô ở rất xa bảng số"
                                            " liệu), rồi nhập lại."))
                    return sheet
                if column > limits.MAX_COLUMNS:
                    problems.append(Problem(where, number, None, None,
                                            f"ô {address} có dữ liệu nhưng một trang chỉ được tối"
                                            f" đa {limits.MAX_COLUMNS} cột. Xóa các ô thừa ở bên"
                                            " phải bảng số liệu, rồi nhập lại."))
                    return sheet
                if isinstance(value, str) and len(value) > limits.MAX_CELL_CHARS:
                    problems.append(Problem(where, number, None, None,
                                            f"ô {address} dài quá"
                                            f" {format_number(limits.MAX_CELL_CHARS)} ký tự (giới"
                                            " hạn của một ô Excel). Rút gọn nội dung ô."))
                    continue
                values[column] = value
            if values:
                found[number] = values
        merged = parser.merged_cells
    last = max(found, default=0)
    width = max((max(v) for v in found.values()), default=0)
    if merged is not None:
        for ref in merged.mergeCell:
            _fill_merged(str(ref.ref), found, last, where, problems)
    sheet.rows = [[found.get(r, {}).get(c) for c in range(1, width + 1)]
                  for r in range(1, last + 1)]
    sheet.formulas = {(r, c) for r, c in sheet.formulas if r <= last and c <= width
                      and sheet.rows[r - 1][c - 1] is None}
    return sheet


def _fill_merged(ref: str, found: dict[int, dict[int, Any]], last: int, where: str,
                 problems: list[Problem]) -> None:
    """A merged range as Excel shows it: its top-left value in each of its rows."""
    from openpyxl.utils import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return
    if min_col is None or min_row is None or max_col is None or max_row is None:
        return
    value = found.get(min_row, {}).get(min_col)
    others = any(found.get(r, {}).get(c) is not None
                 for r in range(min_row, min(max_row, last) + 1)
                 for c in range(min_col, min(max_col, limits.MAX_COLUMNS) + 1)
                 if (r, c) != (min_row, min_col))
    if max_col > min_col and (value is not None or others):
        problems.append(Problem(where, min_row, None, value,
                                f"các ô {ref} được gộp (merge) qua nhiều cột; mỗi cột là một thông"
                                " tin riêng. Bỏ gộp ô (Merge & Center → Unmerge Cells) và ghi giá"
                                " trị vào đúng cột, rồi nhập lại."))
        return
    if value is None:
        return
    for r in range(min_row + 1, min(max_row, last) + 1):
        found.setdefault(r, {})[min_col] = value


def _typed(cell: dict, book) -> Any:
    """A parsed cell's value as its user typed it (see :func:`typed_value`)."""
    value = cell["value"]
    if cell.get("data_type") == "e":  # "#N/A", "#DIV/0!": an error Excel shows, kept as text
        return value
    return typed_value(value, "%" in number_format(cell.get("style_id") or 0, book))


def typed_value(value: Any, percent: bool) -> Any:
    """A cell's value as its user typed it: "99,4%" in a percent-formatted cell is
    stored by Excel as 0.994 but means 99.4 (the unit % lives in its own column)."""
    if percent and isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(value * 100, 10)
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def number_format(style_id: int, book) -> str:
    """The number format of a cell style of an openpyxl workbook ("General" if none)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    try:
        number = book._cell_styles[style_id].numFmtId
    except (IndexError, KeyError, AttributeError):
        return "General"
    if number < BUILTIN_FORMATS_MAX_SIZE:
        return BUILTIN_FORMATS.get(number, "General")
    try:
        return str(book._number_formats[number - BUILTIN_FORMATS_MAX_SIZE])
    except IndexError:
        return "General"
