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

- which sheets there are, which styles are dates, durations or percentages, and whether
  the package, the workbook part and the styles load at all: openpyxl itself, once per
  distinct set of those parts in a process (workbooks exported by tongket share them);
- whether a sheet is well-formed XML (calamine's reader does not match end tags):
  the standard library's XML parser, and the cells' usual structure (rows of cells, each
  a ``<v>`` or an inline string; :data:`_STRUCTURE`); everything of a sheet outside its
  cells is read by openpyxl's own sheet parser, once per distinct element;
- formulas, error values, typed dates, rich text, phonetic runs, ``_xHHHH_`` escapes,
  empty strings (calamine gives ``""`` for an empty cell too), text whose edge spaces
  calamine trims, numbers openpyxl types otherwise (``12.0`` stays a float there,
  ``12`` an int, calamine gives 12.0 for both), merged ranges, cells beyond the limits:
  such a sheet is a doubt;
- the cells of a date, duration or percent style: found by their ``s`` attribute and
  typed as openpyxl types them (:func:`_special`).

Sheet visibility and data validation change no value: hidden sheets are read as
``read_workbook`` reads them, drop-down lists are ignored by both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.parsers import expat

from tongket_lib.dataset import limits
from tongket_lib.dataset.workbook import BROKEN, Sheet, check_file, typed_value

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_WORKSHEET, _DATA, _MERGES, _ROW, _CELL = (f"{{{MAIN}}}{t}" for t in (
    "worksheet", "sheetData", "mergeCells", "row", "c"))
#: parts of the package openpyxl reads besides the cells, and which decide the sheets
_BOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
               "xl/styles.xml", "docProps/custom.xml")
_CORE, _THEME, _STRINGS = "docProps/core.xml", "xl/theme/theme1.xml", "xl/sharedStrings.xml"
#: parts of a workbook openpyxl opens too, whose content the cache below does not cover
_OTHER_PARTS = (b"externalLink", b"pivotCache", b"chartsheet")
_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
_LEAP_BUG_ENDS = dt.date(1900, 3, 1)  # before: Excel's 29/02/1900, read differently

_DECLARATION = re.compile(rb"(?:<\?xml[^>]*?\?>)?\s*<", re.S)
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")
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
#: what calamine and openpyxl read apart in any text: ``_xHHHH_`` escapes (calamine
#: decodes them, openpyxl drops ``x005F_`` from shared strings), character references
#: written with leading zeros (the edges above would miss a space written so)
_ESCAPES = (b"x005F_", b"&#0", b"&#x0", b"&#X")
_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")
#: a ``<v>`` other than a plain whole number: checked one by one (:func:`_floats`)
_OTHER_NUMBER = re.compile(rb"<v>(?!-?[0-9]{1,15}</v>)([^<]++)</v>")
_NUMBER = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_ROW_NUMBER = re.compile(rb'<row r="([0-9]+)"')
#: a cell beyond the columns a sheet may use (past GR, the 200th), and whether it is empty
_FAR_COLUMN = re.compile(rb'<c r="(?:[A-Z]{3}|G[S-Z]|[H-Z][A-Z])[0-9]+"[^>]*+(?<!/)>(?!</c>)')
_FAR_ROW_VALUE = re.compile(rb"<v>|<is>")
_ADDRESS = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"')


class _Doubt(Exception):
    """Something this reader does not vouch for: the caller reads the file the full way."""


@dataclass(frozen=True)
class _Book:
    """What openpyxl makes of a workbook's package, workbook part and styles."""

    sheets: tuple[tuple[str, str], ...]       # (title, zip member) as openpyxl lists them
    strings: bool                             # whether the workbook has shared strings
    epoch: dt.datetime
    dates: frozenset[int]                     # style ids read as dates
    timedeltas: frozenset[int]
    percent: frozenset[int]                   # style ids whose number format shows a %
    plain_dates: bool                         # the 1900 date system, as calamine reads it

    @property
    def special(self) -> re.Pattern[bytes] | None:
        """A cell of a date, duration or percent style: its letters, row and style."""
        ids = sorted(self.dates | self.percent)
        return re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)" s="0*(%s)"'
                          % b"|".join(b"%d" % i for i in ids)) if ids else None


_BOOKS: dict[bytes, _Book] = {}
_SPECIAL: dict[_Book, re.Pattern[bytes] | None] = {}
_ELEMENTS: dict[bytes, bool] = {}      # a sheet's element outside its cells: openpyxl reads it
_FRAMES: dict[bytes, bool] = {}        # a sheet's bytes around its cells: all as above
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
    except Exception:  # _Doubt, DataError, calamine's errors, a broken part: the full reading
        return None


def _read(path: Path, archive: zipfile.ZipFile, repeated: frozenset[str]) -> dict[str, Sheet]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    names = archive.namelist()
    digest = hashlib.sha1(repr(sorted(names)).encode())
    for name in _BOOK_PARTS:
        part = archive.read(name) if name in names else b""
        digest.update(b"\0%d\0" % len(part) + part)
    key = digest.digest()
    book = _BOOKS.get(key)
    if book is None:  # only openpyxl's success is kept: one bad file spoils nothing
        book = _book(path)
        if book is None:
            raise _Doubt("openpyxl does not open this package, or it is unusual")
        if len(_BOOKS) > 5_000:
            _BOOKS.clear()
        _BOOKS[key] = book
    if _CORE in names:  # differs in every file (dates): openpyxl's own reading of it
        from openpyxl.packaging.core import DocumentProperties
        from openpyxl.xml.functions import fromstring

        DocumentProperties.from_tree(fromstring(_xml(archive.read(_CORE))))
    if _THEME in names:
        archive.read(_THEME)
    table = archive.read(_STRINGS) if book.strings else b""
    _check_strings(table)
    with CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes())) as workbook:
        found = [(m.name, m.typ) for m in workbook.sheets_metadata]
        if found != [(title, SheetTypeEnum.WorkSheet) for title, _ in book.sheets]:
            raise _Doubt("calamine and openpyxl list other sheets")
        context = key + hashlib.sha1(table).digest()
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
                        _SHEETS[seen] = rows
                    if len(_SEEN) > 4096:
                        _SEEN.clear()
                    _SEEN.add(seen)
            out[title] = Sheet(title, rows)
        return out


def _book(path: Path) -> _Book | None:
    """openpyxl's view of the package; None if it fails or is not the usual one."""
    from openpyxl import load_workbook
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.reader.excel import _find_workbook_part
    from openpyxl.xml.constants import SHARED_STRINGS
    from openpyxl.xml.functions import fromstring

    from tongket_lib.dataset.workbook import number_format

    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            for name in _BOOK_PARTS:
                if name in names:
                    _xml(archive.read(name))
            package = Manifest.from_tree(fromstring(archive.read("[Content_Types].xml")))
            rels = archive.read("xl/_rels/workbook.xml.rels")
            book_part = archive.read("xl/workbook.xml")
        if any(kind in rels for kind in _OTHER_PARTS):  # parts openpyxl reads, not keyed here
            return None
        if _find_workbook_part(package).PartName != "/xl/workbook.xml":
            return None
        shared = package.find(SHARED_STRINGS)
        if (shared is not None and shared.PartName != f"/{_STRINGS}"
                or shared is None and any(n.lower() == _STRINGS.lower() for n in names)):
            return None  # calamine takes the shared strings from that member, openpyxl not
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            styles = range(len(wb._cell_styles))
            return _Book(
                sheets=tuple((ws.title, ws._worksheet_path) for ws in wb.worksheets),
                strings=shared is not None, epoch=wb.epoch, dates=frozenset(wb._date_formats),
                timedeltas=frozenset(wb._timedelta_formats),
                percent=frozenset(i for i in styles if "%" in number_format(i, wb)),
                plain_dates=wb.epoch == _WINDOWS_EPOCH and b"date1904" not in book_part)
        finally:
            wb.close()
    except Exception:  # anything openpyxl fails on is a doubt, not a verdict
        return None


def _xml(data: bytes) -> bytes:
    """XML both readers parse alike: UTF-8, no document type, well-formed (with its
    namespaces declared), no comment, no CDATA section, no processing instruction."""
    head = _DECLARATION.match(data[:400])
    if (head is None or b"<!DOCTYPE" in data or b"<!ENTITY" in data or b"<!--" in data
            or b"<![CDATA[" in data or data.count(b"<?") > (data[:5] == b"<?xml")):
        raise _Doubt("not plain XML")
    encoding = _ENCODING.search(data[:head.end()])
    if encoding is not None and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
        raise _Doubt("an encoding other than UTF-8")
    try:
        expat.ParserCreate("utf-8", " ").Parse(data, True)
    except expat.ExpatError:
        raise _Doubt("not well-formed") from None
    return data


def _check_strings(table: bytes) -> None:
    """The shared strings, each one plain text that both readers give alike."""
    if not table:
        return
    _xml(table)
    start = re.match(rb'(?:<\?xml[^>]*\?>)?\s*<sst xmlns="%s"[^<>]*>' % MAIN.encode(), table)
    end = table.rfind(b"</sst>")
    if (start is None or end < 0 or _ITEMS.fullmatch(table, start.end(), end) is None
            or _escaped(table)):
        raise _Doubt("shared strings other than plain text")


# -- a sheet ------------------------------------------------------------------------------

def _rows(workbook: Any, title: str, data: bytes, book: _Book) -> list[list[Any]]:
    """One sheet's cells as ``workbook._read_sheet`` keeps them, or a doubt."""
    styles, floats = _check_sheet(data, book)
    sheet = workbook.get_sheet_by_name(title)
    if sheet.merged_cell_ranges:
        raise _Doubt("merged cells")
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
        raise _Doubt("an empty last row or column: calamine's extent is not openpyxl's")
    return rows


def _too_long() -> str:
    raise _Doubt("a cell too long")


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
    raise _Doubt("a date to calamine, not to openpyxl")


def _typed(value: Any, style: int | None, decimal: bool, book: _Book) -> Any:
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
            raise _Doubt("a duration")
        if kind is dt.date:  # a whole day in a date style: calamine's date, openpyxl's datetime
            if not book.plain_dates or value < _LEAP_BUG_ENDS:
                raise _Doubt("a date of another date system, or before March 1900")
            value = dt.datetime(value.year, value.month, value.day)
        elif kind is float:
            try:
                value = from_excel(value, book.epoch)
            except (OverflowError, ValueError):
                raise _Doubt("a date out of range") from None
        else:
            raise _Doubt("a date and time or a time: calamine rounds them its own way")
    elif kind is not float:
        raise _Doubt("a date to calamine, not to openpyxl")
    return _Typed(typed_value(value, style is not None and style in book.percent))


def _check_sheet(data: bytes, book: _Book) -> tuple[dict[tuple[int, int], int],
                                                     set[tuple[int, int]]]:
    """Raise a doubt unless calamine reads the sheet's cells as openpyxl does; return the
    cells of a date, duration or percent style ((row, column) → style) and those whose
    whole number is written as a decimal (:func:`_floats`)."""
    _xml(data)
    start, end = data.find(b"<sheetData>"), data.find(b"</sheetData>")
    if start < 0 or end < start or data.count(b"sheetData") != 2:
        if data.count(b"<sheetData/>") != 1 or data.count(b"sheetData") != 1:
            raise _Doubt("no sheetData, or an unusual one")
        start = end = data.index(b"<sheetData/>")
    else:
        start += len(b"<sheetData>")
    if not _frame_ok(data, start, end):
        raise _Doubt("an element openpyxl does not read, or merged cells")
    cells = data[start:end]
    if (_CELLS.fullmatch(cells) is None or b"<row" in data[:start] or b"<row" in data[end:]
            or _escaped(cells)):
        raise _Doubt("cells of an unusual shape")
    floats = _floats(cells)
    _check_places(cells)
    pattern = _SPECIAL[book] if book in _SPECIAL else _SPECIAL.setdefault(book, book.special)
    styles = {}
    if pattern is not None:
        for letters, line, style in pattern.findall(cells):
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
            raise _Doubt("a value that is not a plain number")
        number = float(text)
        if not math.isfinite(number) or abs(number) >= 2**53:
            raise _Doubt("a number too large")
        if number.is_integer() and (b"." in text or b"e" in text or b"E" in text):
            cell = _ADDRESS.match(cells, cells.rfind(b"<c ", 0, match.start()))
            if cell is None:
                raise _Doubt("a value outside a cell")
            floats.add((int(cell.group(2)), _column(cell.group(1))))
    return floats


def _escaped(text: bytes) -> bool:
    """Whether ``text`` holds what :data:`_ESCAPES` and :data:`_ESCAPE` name."""
    return any(mark in text for mark in _ESCAPES) or _ESCAPE.search(text) is not None


def _check_places(cells: bytes) -> None:
    """No row number twice (openpyxl keeps the last such row, calamine all their cells),
    and no value beyond the limits (an empty cell far away is no problem to either)."""
    rows = _ROW_NUMBER.findall(cells)
    if len(set(rows)) != len(rows):
        raise _Doubt("a row twice")
    if _FAR_COLUMN.search(cells):
        raise _Doubt("a value beyond the columns")
    for row in rows if max(map(int, rows), default=0) > limits.MAX_ROWS + 1 else ():
        if int(row) > limits.MAX_ROWS + 1:
            body = re.search(rb'<row r="%s"[^>]*?(?:/>|>(.*?)</row>)' % row, cells, re.S)
            if body is None or _FAR_ROW_VALUE.search(body.group(1) or b""):
                raise _Doubt("a value beyond the rows")


def _column(letters: bytes) -> int:
    """The column of letters a cell address begins with (b"AB" → 28), kept."""
    number = _COLUMNS.get(letters)
    if number is None:
        from openpyxl.utils import column_index_from_string

        number = _COLUMNS[letters] = column_index_from_string(letters.decode())
    return number


# -- what openpyxl reads around the cells ---------------------------------------------------

def _frame_ok(data: bytes, start: int, end: int) -> bool:
    """The sheet with its cells taken out is a worksheet whose one ``sheetData`` is a
    child of the root, without merged ranges, and openpyxl's sheet parser reads each of
    its other elements without fault (each distinct frame and element checked once)."""
    frame = data[:start] + data[end:]
    ok = _FRAMES.get(frame)
    if ok is None:
        ok = _frame_read(frame)
        if len(_FRAMES) >= 1024:
            _FRAMES.clear()
        _FRAMES[frame] = ok
    return ok


def _frame_read(frame: bytes) -> bool:
    try:
        root = ET.fromstring(frame)
        if (root.tag != _WORKSHEET or sum(1 for e in root if e.tag == _DATA) != 1
                or next(root.iter(_ROW), None) is not None
                or next(root.iter(_CELL), None) is not None):
            return False
        for element in root:
            if element.tag == _MERGES and len(element):
                return False
            if element.tag != _DATA and not _element_ok(element):
                return False
    except Exception:  # whatever it is, the full reading meets it and decides
        return False
    return True


def _element_ok(element: ET.Element) -> bool:
    """An element of a sheet outside its cells: openpyxl's sheet parser reads it alone."""
    text = ET.tostring(element)
    ok = _ELEMENTS.get(text)
    if ok is None:
        from openpyxl.worksheet._reader import WorkSheetParser

        wrapped = b'<worksheet xmlns="%s">%s</worksheet>' % (MAIN.encode(), text)
        try:
            ok = not any(True for _ in WorkSheetParser(io.BytesIO(wrapped), [],
                                                       data_only=True).parse())
        except (*BROKEN, RecursionError):
            ok = False
        if len(_ELEMENTS) > 50_000:  # bounded: a worker reads tens of thousands of files
            _ELEMENTS.clear()
        _ELEMENTS[text] = ok
    return ok
