"""The sheet “Thông tin chung”: meta.yaml as rows a person fills, and back.

One value a row (its key in column A, its label in B, its value in C): the year, the
text keys, the choices (shown by their labels, with a drop-down list), the signatory.
Then one block a list (legal bases, decisions, recipients): a heading row, one row an
item, and empty rows to type more in. A row typed anywhere under a list's heading
belongs to that list, whatever its column A holds, so a person adds items by simply
filling a row or inserting one. A value typed where nothing reads it (a row without a
key above the lists, a column beyond the value's) is a problem, never dropped.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from tongket_lib.dataset import schema as S
from tongket_lib.dataset.excel import look
from tongket_lib.dataset.excel.sheets import (
    LIST_HEADING,
    META_LISTS,
    META_SCALARS,
    META_SHEET,
    META_SIGNATORY,
    SPARE_ROWS,
    SYNTHETIC,
    SYNTHETIC_WORDS,
)
from tongket_lib.dataset.excel.values import fold
from tongket_lib.dataset.readers import nfc
from tongket_lib.errors import Problem

#: the columns of the values: C and those after it (a list's fields)
FIRST_VALUE = 3
WIDEST_LIST = max(len(fields) for _, fields in META_LISTS.values())


def choice_lists() -> dict[str, list[str]]:
    """The drop-down lists of the meta sheet, by key: the labels of each choice key."""
    lists = {"synthetic": list(SYNTHETIC.values())}
    for key, (_, labels) in S.META_CHOICES.items():
        lists[key] = list(labels.values())
    return lists


# -- writing -------------------------------------------------------------------------------

def write_meta_sheet(sheet, meta: dict, ranges: dict[Any, str]) -> None:
    """Write ``meta`` (as :func:`~tongket_lib.dataset.meta.validate_meta` returns it);
    ``ranges``: the range of each drop-down list of :func:`choice_lists`, by (sheet, key)."""
    from openpyxl.utils import get_column_letter

    last = FIRST_VALUE + WIDEST_LIST - 1
    sheet.append(["Mã", "Mục", "Giá trị"])
    _row_style(sheet, 1, "header", 3)
    for key, label in META_SCALARS:
        sheet.append([key, label, _shown(key, meta.get(key))])
        _row_style(sheet, sheet.max_row, "input", last)
        if (META_SHEET, key) in ranges:
            look.drop_down(sheet, ranges[META_SHEET, key], f"C{sheet.max_row}")
    for key, label in META_SIGNATORY:
        sheet.append([key, label, meta.get("signatory", {}).get(key.split(".")[1], "")])
        _row_style(sheet, sheet.max_row, "input", last)
    names = list(META_LISTS)
    for key, (title, fields) in META_LISTS.items():
        sheet.append([])
        sheet.append(["", LIST_HEADING.format(title=title), *[label for _, label in fields]])
        _row_style(sheet, sheet.max_row, "header", FIRST_VALUE + len(fields) - 1)
        items = meta.get(key) or []
        for i, item in enumerate(items, start=1):
            values = [item] if key == "recipients" else [item.get(f) for f, _ in fields]
            sheet.append([key, i, *values])
            _row_style(sheet, sheet.max_row, "input", FIRST_VALUE + len(fields) - 1)
        for _ in range(SPARE_ROWS if key != names[-1] or not items else 0):
            sheet.append([None])
            _row_style(sheet, sheet.max_row, "input", FIRST_VALUE + len(fields) - 1)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "C2"
    for index, width in enumerate((22, 40, 60, 22, 16, 40, 60), start=1):
        kind = "input" if index >= FIRST_VALUE else "locked"
        look.column(sheet, get_column_letter(index), kind, width)
    look.protect(sheet)


def _shown(key: str, value: Any) -> Any:
    """A scalar as the sheet shows it: a choice by its label, the flag as Có/Không."""
    if key == "synthetic":
        return SYNTHETIC[bool(value)]
    if key in S.META_CHOICES:
        return S.META_CHOICES[key][1].get(value, value)
    return value


def _row_style(sheet, number: int, kind: str, last: int) -> None:
    """Style a row: columns A and B are keys and labels (locked); C to ``last`` take
    ``kind``, and the columns after it are plain (locked, not to fill)."""
    top = FIRST_VALUE + WIDEST_LIST - 1
    for index in range(1, top + 1):
        cell = sheet.cell(number, index)
        if kind == "header":
            look.style(cell, "header" if index <= last else "plain")
        elif index < FIRST_VALUE:
            look.style(cell, "locked")
        else:
            look.style(cell, kind if index <= last else "plain")


# -- reading -------------------------------------------------------------------------------

def read_meta_sheet(sheet, where: str, problems: list[Problem]
                    ) -> tuple[dict, dict[tuple, int]]:
    """The meta sheet back into meta.yaml's shape, with the Excel row of every key; a
    value typed where nothing reads it is a problem."""
    from openpyxl.utils import get_column_letter

    scalars, signatory, headings = _keys()
    data: dict[str, Any] = {"signatory": {}}
    lines: dict[tuple, int] = {}
    current: str | None = None  # the list whose rows these are
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_value(v) for v in row]
        if number == 1 or not any(v not in (None, "") for v in cells):
            continue
        key = str(cells[0]).strip() if cells[0] not in (None, "") else ""
        label = cells[1] if len(cells) > 1 else None
        if not key and isinstance(label, str) and fold(label) in headings:
            current = headings[fold(label)]
            continue
        if key in scalars or key in signatory:
            _extra(cells, FIRST_VALUE + 1, number, where, problems,
                   "chỉ ô ở cột C (Giá trị) được đọc")
            value = cells[2] if len(cells) > 2 else None
            place: tuple[str, ...] = (("signatory", key.split(".")[1]) if key in signatory
                                      else (key,))
            if place in lines:  # one would silently replace the other
                problems.append(Problem(where, number, None, key, (
                    f"mã “{key}” ở cột A có ở hai dòng ({lines[place]} và {number}): chỉ đọc"
                    f" được một giá trị. Giữ một dòng với giá trị đúng, xóa dòng kia."),
                    f"A{number}"))
                continue
            if key in signatory:
                data["signatory"][place[1]] = "" if value is None else value
            else:
                data[key] = value
            lines[place] = number
        elif key in META_LISTS or (not key and current is not None):
            _item(data, lines, key or str(current), cells, number, where, problems)
        elif key:
            data[key] = cells[2] if len(cells) > 2 else None  # validate_meta names the key
            lines[(key,)] = number
        else:
            first = next(i for i, v in enumerate(cells, start=1) if v not in (None, ""))
            cell = f"{get_column_letter(first)}{number}"
            problems.append(Problem(where, number, None, cells[first - 1],
                                    f"ô {cell} có giá trị nhưng dòng này không có mã ở cột A nên"
                                    " không được đọc. Ghi giá trị vào cột C của dòng có mục"
                                    " tương ứng, hoặc thêm vào một danh sách (dưới dòng tiêu đề"
                                    " Căn cứ, Quyết định, Nơi nhận).", cell))
    _normalise(data)
    return data, lines


@functools.cache
def _keys() -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    """The keys of the rows of one value, of the signatory's rows, and the list each
    heading (folded) starts."""
    headings = {fold(LIST_HEADING.format(title=title)): key
                for key, (title, _) in META_LISTS.items()}
    headings.update({fold(f"{title} (mỗi dòng một mục)"): key  # workbooks of earlier versions
                     for key, (title, _) in META_LISTS.items()})
    return (frozenset(key for key, _ in META_SCALARS),
            frozenset(key for key, _ in META_SIGNATORY), headings)


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        value = nfc(value).strip()
        return value or None
    return value


def _extra(cells: list, start: int, number: int, where: str, problems: list[Problem],
           why: str) -> None:
    """A value from column ``start`` on is one nothing reads: a problem."""
    from openpyxl.utils import get_column_letter

    for index in range(start, len(cells) + 1):
        value = cells[index - 1]
        if value not in (None, ""):
            letter = get_column_letter(index)
            problems.append(Problem(where, number, None, value,
                                    f"ô {letter}{number} có giá trị nhưng {why}, nên ô này không"
                                    " được đọc. Chuyển nội dung sang đúng ô, hoặc xóa ô này.",
                                    f"{letter}{number}"))


def _item(data: dict, lines: dict, key: str, cells: list, number: int, where: str,
          problems: list[Problem]) -> None:
    """One row of a list: its values from column C on."""
    fields = META_LISTS[key][1]
    _extra(cells, FIRST_VALUE + len(fields), number, where, problems,
           f"danh sách “{META_LISTS[key][0]}” chỉ có {len(fields)} cột")
    values = (list(cells[FIRST_VALUE - 1:FIRST_VALUE - 1 + len(fields)]) + [None] * len(fields))
    values = values[:len(fields)]
    if all(v is None for v in values):
        return  # the key and the item's number only: an empty item
    items = data.setdefault(key, [])
    index = len(items)
    if key == "recipients":
        items.append(values[0])
    else:
        items.append({f: ("" if v is None and f != "date" else v)
                      for (f, _), v in zip(fields, values, strict=True)})
        for f, _ in fields:
            lines[(key, index, f)] = number
    lines[(key, index)] = number


def _normalise(data: dict) -> None:
    """Values as meta.yaml holds them: the year a number (or a school year's text), the
    flag a boolean, choices by their code, text keys never missing."""
    year = data.get("year")
    if isinstance(year, float) and year.is_integer():
        data["year"] = int(year)
    elif isinstance(year, str) and year.isdigit():
        data["year"] = int(year)  # a year typed into a text-formatted cell
    synthetic = data.get("synthetic")
    if isinstance(synthetic, str):
        data["synthetic"] = SYNTHETIC_WORDS.get(fold(synthetic), synthetic)
    elif synthetic is None:
        data["synthetic"] = False
    for key in S.META_CHOICES:
        value = data.get(key)
        if isinstance(value, str):
            data[key] = meta_choice(key, value) or value
    for key in S.META_TEXT_KEYS:
        if data.get(key) is None:
            data[key] = ""


def meta_choice(key: str, text: str) -> str | None:
    """The code a meta choice's cell names (its code, its label or a word of it)."""
    labels = S.META_CHOICES[key][1]
    for code, label in labels.items():
        if text == code or fold(text) in (fold(code), fold(label), fold(label.split(" (")[0])):
            return code
    return None


def choice_message(key: str, value: Any) -> str:
    """What to write instead of ``value`` for a meta choice."""
    what, labels = S.META_CHOICES[key]
    return (f"“{value}” không có trong danh sách ({what}). Chọn trong danh sách thả xuống của"
            " ô: " + ", ".join(f"“{label}”" for label in labels.values()) + ".")
