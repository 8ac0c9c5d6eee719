"""How the workbook looks and what a person may change in it: the colours of the cells to
fill, the locked ids and headers, drop-down lists, column widths, sheet protection.

Sheets are protected without a password: a person fills the cells marked with
:data:`INPUT_FILL`, adds and deletes rows, widens columns; headers and the ids tongket
makes stay as they are. A column's own style marks it too, so that rows added below the
data are cells to fill as well.
"""

from __future__ import annotations

from typing import Any

#: the colour of a cell to fill (light yellow), of a header (grey-blue), of a cell
#: tongket fills itself (grey): the “Hướng dẫn” sheet names them
INPUT_FILL, HEADER_FILL, LOCKED_FILL = "FFF2CC", "DDE5EE", "E7E6E6"
INPUT_COLOUR, HEADER_COLOUR, LOCKED_COLOUR = "vàng nhạt", "xanh xám", "xám"
#: drop-down lists reach this far below the header, for rows added later
LIST_ROWS = 1000


def _styles() -> dict[str, dict[str, Any]]:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    top = Alignment(wrap_text=True, vertical="top")
    return {
        "header": {"font": Font(bold=True), "fill": PatternFill("solid", fgColor=HEADER_FILL),
                   "alignment": top, "protection": Protection(locked=True)},
        "input": {"fill": PatternFill("solid", fgColor=INPUT_FILL), "alignment": top,
                  "protection": Protection(locked=False)},
        "locked": {"fill": PatternFill("solid", fgColor=LOCKED_FILL), "alignment": top,
                   "protection": Protection(locked=True)},
        "plain": {"alignment": top, "protection": Protection(locked=True)},
    }


def style(target, kind: str) -> None:
    """Give a cell or a column (``kind``: header, input, locked, plain) its look."""
    for name, value in _styles()[kind].items():
        setattr(target, name, value)


def column(sheet, letter: str, kind: str, width: float, number_format: str | None = None) -> None:
    """A column's own style (what its empty cells, and rows added later, look like)."""
    dimension = sheet.column_dimensions[letter]
    style(dimension, kind)
    dimension.width = width
    if number_format:
        dimension.number_format = number_format


def drop_down(sheet, formula: str, cells: str, open_list: bool = False) -> None:
    """A drop-down list on ``cells`` from the range ``formula``. A value not in the list
    brings a warning that lets it be (import reads the report's own words too, and says
    what it cannot read); an ``open_list`` (units, section numbers) takes any value
    without a word."""
    from openpyxl.worksheet.datavalidation import DataValidation

    rule = DataValidation(
        type="list", formula1=formula, allow_blank=True, showErrorMessage=not open_list,
        errorStyle="warning", errorTitle="Giá trị không có trong danh sách",
        error=None if open_list else (
            "Giá trị này không có trong danh sách. Vẫn giữ? (tongket đọc cả cách viết của báo"
            " cáo, như “đạt chỉ tiêu”; giá trị không đọc được sẽ được báo khi nhập.)"),
        showInputMessage=False)
    rule.add(cells)
    sheet.add_data_validation(rule)


def protect(sheet) -> None:
    """Protect the sheet without a password: locked cells stay, the cells to fill are
    filled; rows may be added and deleted, columns and rows resized, filters used."""
    protection = sheet.protection
    protection.sheet = True
    for allowed in ("insertRows", "deleteRows", "formatColumns", "formatRows", "autoFilter"):
        setattr(protection, allowed, False)  # openpyxl: True means “forbidden”


def width(texts: list[str], least: int, most: int) -> int:
    """A column's width for its longest text (its first lines), between two bounds."""
    longest = max((len(line) for text in texts for line in text.split("\n")[:2]), default=0)
    return min(max(least, longest + 2), most)
