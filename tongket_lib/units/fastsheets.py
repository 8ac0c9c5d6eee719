"""The sheets of a clean workbook, read by python-calamine: what
:func:`~tongket_lib.dataset.workbook.read_workbook` gives, or nothing.

``read_workbook`` (openpyxl, then a sheet parser that notes formulas, merged ranges and
limits) costs about 80 ms a workbook, most of it openpyxl's objects; collecting 10.000
workbooks needs a few milliseconds each. :func:`read_clean` reads the values with
python-calamine (Rust) for the common case only and returns ``None`` at the first doubt:
the caller then uses ``read_workbook``, which stays the authority and words every
problem. So this reader may refuse more, never accept more, and what it returns equals
what ``read_workbook`` returns (tests compare them).

What calamine cannot tell, and so what is settled before its values are taken:

- which sheets there are, which styles are dates, durations or percentages, whether
  the package loads at all, and everything of a sheet outside its cells: openpyxl
  itself, once per distinct part (:mod:`~tongket_lib.units.fastparts`);
- whether a sheet is well-formed XML (calamine's reader does not match end tags): the
  standard library's XML parser, and the cells' usual structure (rows of cells, each a
  ``<v>`` or an inline string; :data:`_CELLS`);
- formulas, error values, typed dates, rich text, phonetic runs, ``_xHHHH_`` escapes,
  empty strings (calamine gives ``""`` for an empty cell too), text whose edge spaces
  calamine trims, numbers openpyxl types otherwise (``12.0`` stays a float there,
  ``12`` an int, calamine gives 12.0 for both), merged ranges, cells beyond the limits:
  such a sheet is a doubt;
- the cells of a date, duration or percent style: found by their ``s`` attribute and
  typed as openpyxl types them (:func:`_typed`).

Sheet visibility and data validation change no value: hidden sheets are read as
``read_workbook`` reads them, drop-down lists are ignored by both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import zipfile
from pathlib import Path
from typing import Any

from tongket_lib.dataset import limits
from tongket_lib.dataset.workbook import Sheet, check_file, typed_value
from tongket_lib.units.fastparts import MAIN, STRINGS, Book, Doubt, book_of, frame_ok, plain_xml

_LEAP_BUG_ENDS = dt.date(1900, 3, 1)  # before: Excel's 29/02/1900, read differently

#: text both readers give alike: not empty (calamine's empty cell), and without spaces at
#: its edges unless ``xml:space="preserve"`` (calamine trims them, openpyxl does not)
_EDGE = rb"[ \t\r\n]|&#(?:9|10|13|32|x9|x[aA]|x[dD]|x20);"
_TEXT = (rb'(?:<t>(?!' + _EDGE + rb')[^<]++' + b"".join(
    rb"(?<!%s)" % e for e in (rb"[ \t\r\n]", b"&#9;", b"&#10;", b"&#13;", b"&#32;", b"&#x9;",
                              b"&#xa;", b"&#xA;", b"&#xd;", b"&#xD;", b"&#x20;"))
         + rb'</t>|<t xml:space="preserve">[^<]++</t>)')
#: the cells as openpyxl and Excel write them, and nothing else: rows of cells, each in the
#: row its address names (openpyxl takes the row's number, calamine the cell's); a cell's
#: ``r``, then its style, then its type: a number (or no type), a shared string by its
#: index, a boolean 0 or 1, or an inline string of one text (or none: an empty
#: cell); no formula, no error value
_CELLS = re.compile(
    rb'(?:\s*+<row r="([1-9][0-9]{0,8})"(?: (?!xmlns)[A-Za-z][\w:]*+="[^"<>]*+")*+(?:/>|>(?:\s*+'
    rb'<c r="[A-Z]{1,3}\1"(?: s="[0-9]{1,9}")?+'
    rb'(?:(?: t="n")?+(?:/>|>\s*+(?:<v>[^<]*+</v>|<v/>)?+\s*+</c>)'
    rb'| t="s"(?:/>|>\s*+(?:<v>[0-9]{1,9}</v>|<v/>)?+\s*+</c>)'
    rb'| t="b"(?:/>|>\s*+(?:<v>[01]</v>|<v/>)?+\s*+</c>)'
    rb'| t="inlineStr"(?:/>|>\s*+(?:<is>\s*+' + _TEXT + rb'\s*+</is>)?+\s*+</c>))'
    rb')*+\s*+</row>))*+\s*+')
#: the shared strings: each item one text
_ITEMS = re.compile(rb"(?:\s*+<si>\s*+" + _TEXT + rb"\s*+</si>)*+\s*+")
#: what calamine and openpyxl read apart in any text (:func:`_escaped`): ``_xHHHH_``
#: escapes (calamine decodes them, openpyxl drops ``x005F_`` from shared strings), and
#: character references written with leading zeros (the edges above would miss a space)
_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")
_PADDED = re.compile(rb"&#(?:0|x0|X)")
#: a ``<v>`` other than a plain whole number: checked one by one (:func:`_floats`)
_OTHER_NUMBER = re.compile(rb"<v>(?!-?[0-9]{1,15}</v>)([^<]++)</v>")
_NUMBER = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_ROW_NUMBER = re.compile(rb'<row r="([0-9]+)"')
#: a cell beyond the columns a sheet may use (past GR, the 200th), and whether it is empty
_FAR_COLUMN = re.compile(rb'<c r="(?:[A-Z]{3}|G[S-Z]|[H-Z][A-Z])[0-9]+"[^>]*+(?<!/)>(?!</c>)')
_FAR_ROW_VALUE = re.compile(rb"<v>|<is>")
_ADDRESS = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"')

_COLUMNS: dict[bytes, int] = {}        # column letters → column
_SHEETS: dict[bytes, list[list[Any]]] = {}   # sheets seen more than once, by content
_SEEN: set[bytes] = set()


def read_clean(path: Path, repeated: frozenset[str] = frozenset()) -> dict[str, Sheet] | None:
    """Every sheet of a clean workbook, as :func:`workbook.read_workbook` gives it with no
    problem; ``None`` when anything is doubtful (then read it with ``read_workbook``).

    ``repeated``: titles of sheets that many workbooks hold alike (help, lists); such a
    sheet seen again with the same content is not read again."""
    if path.suffix.lower() != ".xlsx":  # openpyxl refuses some other names outright
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            check_file(path, archive)
            return _read(path, archive, repeated)
    except Exception:  # Doubt, DataError, calamine's errors, a broken part: the full reading
        return None


def _read(path: Path, archive: zipfile.ZipFile, repeated: frozenset[str]) -> dict[str, Sheet]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    book = book_of(path, archive)
    table = archive.read(STRINGS) if book.strings else b""
    _check_strings(table)
    with CalamineWorkbook.from_path(path) as workbook:
        found = [(m.name, m.typ) for m in workbook.sheets_metadata]
        if found != [(title, SheetTypeEnum.WorkSheet) for title, _ in book.sheets]:
            raise Doubt("calamine and openpyxl list other sheets")
        context = book.key + hashlib.sha1(table).digest()
        out = {}
        for title, member in book.sheets:
            data = archive.read(member)
            seen = context + hashlib.sha1(data).digest() if title in repeated else None
            rows = _SHEETS.get(seen) if seen else None
            if rows is not None:
                rows = [list(row) for row in rows]
            else:
                rows = _rows(workbook, title, data, book)
                if seen:
                    if seen in _SEEN and len(_SHEETS) < 64:
                        _SHEETS[seen] = [list(row) for row in rows]
                    if len(_SEEN) > 4096:
                        _SEEN.clear()
                    _SEEN.add(seen)
            out[title] = Sheet(title, rows)
        return out


def _check_strings(table: bytes) -> None:
    """The shared strings, each one plain text that both readers give alike."""
    if not table:
        return
    plain_xml(table)
    start = re.match(rb'(?:<\?xml[^>]*\?>)?\s*<sst xmlns="%s"[^<>]*>' % MAIN.encode(), table)
    end = table.rfind(b"</sst>")
    if (start is None or end < 0 or _ITEMS.fullmatch(table, start.end(), end) is None
            or _escaped(table)):
        raise Doubt("shared strings other than plain text")


# -- a sheet ------------------------------------------------------------------------------

def _rows(workbook: Any, title: str, data: bytes, book: Book) -> list[list[Any]]:
    """One sheet's cells as ``workbook._read_sheet`` keeps them, or a doubt."""
    styles, floats = _check_sheet(data, book)
    sheet = workbook.get_sheet_by_name(title)
    if sheet.merged_cell_ranges:
        raise Doubt("merged cells")
    found = sheet.to_python(skip_empty_area=False)  # from A1 to the last cell with a value
    for line, column in styles.keys() | floats:
        if line <= len(found) and column <= len(found[line - 1]):
            row = found[line - 1]
            row[column - 1] = _typed(row[column - 1], styles.get((line, column)),
                                     (line, column) in floats, book)
    longest = limits.MAX_CELL_CHARS
    rows = [[(v if len(v) <= longest else _too_long()) if type(v) is str and v
             else None if type(v) is str else _plain(v) for v in row] for row in found]
    if rows and (all(v is None for v in rows[-1]) or all(row[-1] is None for row in rows)):
        raise Doubt("an empty last row or column: calamine's extent is not openpyxl's")
    return rows


def _too_long() -> str:
    raise Doubt("a cell too long")


class _Typed:
    """A cell's value already typed as openpyxl types it (:func:`_typed`)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _plain(value: Any) -> Any:
    """A value calamine gives, but text, as openpyxl gives it: a whole number as an int
    (:func:`_floats` found those written as decimals); a date, a time or a duration
    outside a cell of a date style (:func:`_typed`) is a doubt."""
    kind = type(value)
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is bool:
        return value
    if kind is _Typed:
        return value.value
    raise Doubt("a date to calamine, not to openpyxl")


def _typed(value: Any, style: int | None, decimal: bool, book: Book) -> Any:
    """A cell of a date, duration or percent ``style`` as openpyxl types it, or one whose
    whole number is written as a ``decimal`` (a float to openpyxl); or a doubt."""
    from openpyxl.utils.datetime import from_excel

    kind = type(value)
    if kind is str or kind is bool:
        return value  # text or a boolean: no style changes it
    if kind is float and not decimal and value.is_integer():
        value = int(value)
    if style is not None and style in book.dates:
        if style in book.timedeltas:
            raise Doubt("a duration")
        if kind is dt.date:  # a whole day in a date style: calamine's date, openpyxl's datetime
            if not book.plain_dates or value < _LEAP_BUG_ENDS:
                raise Doubt("a date of another date system, or before March 1900")
            value = dt.datetime(value.year, value.month, value.day)
        elif kind is float:
            try:
                value = from_excel(value, book.epoch)
            except (OverflowError, ValueError):
                raise Doubt("a date out of range") from None
        else:
            raise Doubt("a date and time or a time: calamine rounds them its own way")
    elif kind is not float:
        raise Doubt("a date to calamine, not to openpyxl")
    return _Typed(typed_value(value, style is not None and style in book.percent))


def _check_sheet(data: bytes, book: Book) -> tuple[dict[tuple[int, int], int],
                                                     set[tuple[int, int]]]:
    """Raise a doubt unless calamine reads the sheet's cells as openpyxl does; return the
    cells of a date, duration or percent style ((row, column) → style) and those whose
    whole number is written as a decimal (:func:`_floats`)."""
    plain_xml(data)
    start, end = data.find(b"<sheetData>"), data.find(b"</sheetData>")
    if start < 0 or end < start or data.count(b"sheetData") != 2:
        if data.count(b"<sheetData/>") != 1 or data.count(b"sheetData") != 1:
            raise Doubt("no sheetData, or an unusual one")
        start = end = data.index(b"<sheetData/>")
    else:
        start += len(b"<sheetData>")
    if not frame_ok(data, start, end):
        raise Doubt("an element openpyxl does not read, or merged cells")
    cells = data[start:end]
    if (_CELLS.fullmatch(cells) is None or b"<row" in data[:start] or b"<row" in data[end:]
            or _escaped(cells)):
        raise Doubt("cells of an unusual shape")
    floats = _floats(cells)
    _check_places(cells)
    styles = {}
    if book.special is not None:
        for letters, line, style in book.special.findall(cells):
            styles[int(line), _column(letters)] = int(style)
    return styles, floats


def _floats(cells: bytes) -> set[tuple[int, int]]:
    """The cells whose ``<v>`` is a whole number written as a decimal (``14.00``): openpyxl
    reads a float there, an int where no point or exponent is written. Any ``<v>`` not a
    number both read alike is a doubt (an entity, a space, ``inf``, a whole number too
    large for a float)."""
    floats = set()
    for match in _OTHER_NUMBER.finditer(cells):
        text = match.group(1)
        if _NUMBER.fullmatch(text.decode("ascii", "replace")) is None:
            raise Doubt("a value that is not a plain number")
        number = float(text)
        if not math.isfinite(number) or abs(number) >= 2**53:
            raise Doubt("a number too large")
        if number.is_integer() and (b"." in text or b"e" in text or b"E" in text):
            cell = _ADDRESS.match(cells, cells.rfind(b"<c ", 0, match.start()))
            if cell is None:
                raise Doubt("a value outside a cell")
            floats.add((int(cell.group(2)), _column(cell.group(1))))
    return floats


def _escaped(text: bytes) -> bool:
    """Whether ``text`` holds an escape or a padded character reference (above)."""
    return (b"x005F_" in text or _PADDED.search(text) is not None
            or b"_x" in text and _ESCAPE.search(text) is not None)


def _check_places(cells: bytes) -> None:
    """No row number twice (openpyxl keeps the last such row, calamine all their cells),
    and no value beyond the limits (an empty cell far away is no problem to either)."""
    rows = _ROW_NUMBER.findall(cells)
    if len(set(rows)) != len(rows):
        raise Doubt("a row twice")
    if _FAR_COLUMN.search(cells):
        raise Doubt("a value beyond the columns")
    for row in rows if max(map(int, rows), default=0) > limits.MAX_ROWS + 1 else ():
        if int(row) > limits.MAX_ROWS + 1:
            body = re.search(rb'<row r="%s"[^>]*?(?:/>|>(.*?)</row>)' % row, cells, re.S)
            if body is None or _FAR_ROW_VALUE.search(body.group(1) or b""):
                raise Doubt("a value beyond the rows")


def _column(letters: bytes) -> int:
    """The column of letters a cell address begins with (b"AB" → 28), kept."""
    number = _COLUMNS.get(letters)
    if number is None:
        from openpyxl.utils import column_index_from_string

        number = _COLUMNS[letters] = column_index_from_string(letters.decode())
    return number
