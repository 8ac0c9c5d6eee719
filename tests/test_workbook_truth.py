"""A workbook is what Excel shows (issue 23, item 3): only visible sheets are read, by
their exact name; a hidden sheet of a data sheet's name, or a sheet whose name has a
space at its edge, is refused; and the unit's name in the workbook is checked against
the register for its key."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tongket_lib.dataset.excel import META_SHEET, export_excel, import_excel
from tongket_lib.errors import DataError
from tongket_lib.units.collect import collect_workbooks
from tongket_lib.units.workbooks import check_workbooks

from .test_units import YEAR, edit, exported, inbox, upper  # noqa: F401  (fixtures)
from .test_units import demo as demo

SHEET = "Chỉ tiêu"


@pytest.fixture()
def workbook(tmp_path, data_copy) -> Path:
    return export_excel(2024, data_copy, tmp_path / "tongket-2024.xlsx")


def _actual_column(sheet) -> int:
    return [c.value for c in sheet[1]].index("Thực hiện") + 1


def _hidden_copy(path: Path, title: str, state: str) -> None:
    """A copy of the indicators sheet named ``title`` in ``state``, its first actual 1
    (where Excel shows the visible sheet's own value)."""
    book = openpyxl.load_workbook(path)
    copy = book.copy_worksheet(book[SHEET])
    copy.title = title
    copy.cell(2, _actual_column(copy)).value = 1
    copy.sheet_state = state
    book.save(path)


def _refused(path: Path) -> str:
    with pytest.raises(DataError) as info:
        import_excel(path, 2024, path.parent / "moi")
    assert not (path.parent / "moi").exists()
    [book] = check_workbooks([str(path)], 2024)  # collect's reader: refused alike
    assert not book.ok
    return " ".join(p.message for p in info.value.problems)


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
@pytest.mark.parametrize("title", [SHEET + " ", SHEET])
def test_a_hidden_sheet_of_a_data_sheets_name_is_refused(workbook, state, title):
    if title == SHEET:  # the same name: the visible one renamed away, the hidden one left
        _hidden_copy(workbook, "tmp", state)
        book = openpyxl.load_workbook(workbook)
        book[SHEET].title = "Chỉ tiêu cũ"
        book["tmp"].title = SHEET
        book.save(workbook)
    else:
        _hidden_copy(workbook, title, state)
    message = _refused(workbook)
    assert "ẩn" in message and f"“{title}”" in message


def test_a_sheet_name_with_a_space_at_its_edge_is_refused(workbook):
    book = openpyxl.load_workbook(workbook)
    book[SHEET].title = SHEET + " "
    book.save(workbook)
    message = _refused(workbook)
    assert f"“{SHEET} ”" in message and "dấu cách" in message


def test_a_hidden_sheet_of_another_name_is_not_read(workbook, tmp_path):
    _hidden_copy(workbook, "Nháp", "hidden")
    import_excel(workbook, 2024, tmp_path / "moi")  # no problem: Excel does not show it
    [book] = check_workbooks([str(workbook)], 2024)
    assert book.ok, book.problems


@pytest.mark.slow
def test_a_key_edited_to_another_units_is_refused_naming_both(exported, inbox, upper):  # noqa: F811
    a, b = list(exported)[:2]
    path = next(p for p in inbox.glob("*.xlsx") if _key(p) == a)
    edit(path, META_SHEET, "unit", 3, b)  # A's workbook now says it is B's
    for other in inbox.glob("*.xlsx"):
        if other != path and _key(other) == b:
            other.unlink()  # B did not send its own
    result = collect_workbooks(inbox, YEAR, upper)
    assert not (upper / b).exists() and not (upper / a).exists()
    [(unit, file, problems)] = [f for f in result.failed if f[0] == b]
    text = " ".join(p.message for p in problems)
    assert file == path and a in text and b in text
    assert result.exit_code == 1


def _key(path: Path) -> str | None:
    sheet = openpyxl.load_workbook(path)[META_SHEET]
    return next((r[2] for r in sheet.iter_rows(values_only=True) if r[0] == "unit"), None)


