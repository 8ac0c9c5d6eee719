"""A lean reader for clean workbooks: what :func:`workbook.read_workbook` gives, or nothing.

:func:`~tongket_lib.dataset.workbook.read_workbook` (openpyxl, then a sheet parser that
notes formulas, merged ranges and limits) costs about 80 ms a workbook, most of it
openpyxl's objects. Collecting 10.000 workbooks needs a few milliseconds each.
:func:`read_clean` reads the same values with the standard library, for the common
case only: every sheet's cells typed numbers, booleans, shared or inline text; no
formula, no merged range, nothing beyond the limits, nothing unusual. At the first
doubt it returns ``None`` and the caller uses ``read_workbook``, which stays the
authority and words every problem. So this reader may refuse more, never accept more,
and what it returns equals what ``read_workbook`` returns (tests compare them).

A sheet's cells are read by regular expressions when they have the shapes openpyxl and
Excel write, and the expressions account for every byte between ``<sheetData>`` and
``</sheetData>``; otherwise from the XML parser's element tree, the reference the
scanner equals (tests compare them on many sheets). A row already scanned, in a
workbook whose styles openpyxl reads alike, is not read again (the template's
headings and labels come back in every workbook).

What openpyxl decides beyond the cells (the package, the workbook part, the styles:
which sheets there are, which styles are dates or percentages, and whether those parts
load at all) is taken from openpyxl itself, once per distinct set of those parts in a
process (workbooks exported by tongket share them); every element of a sheet outside
its cells is checked by openpyxl's own sheet parser, once per distinct element.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from tongket_lib.dataset import limits
from tongket_lib.dataset.workbook import BROKEN, Sheet, check_file, typed_value

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _CELL, _VALUE, _TEXT = (f"{{{MAIN}}}{t}" for t in ("row", "c", "v", "t"))
_INLINE, _FORMULA, _DATA, _MERGES = (f"{{{MAIN}}}{t}" for t in ("is", "f", "sheetData",
                                                                 "mergeCells"))
_WORKSHEET, _STRINGS, _ITEM = (f"{{{MAIN}}}{t}" for t in ("worksheet", "sst", "si"))
_ADDRESS = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
_DECLARATION = re.compile(rb"\s*(?:<\?xml[^>]*?\?>)?\s*<", re.S)
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")
#: parts of the package openpyxl reads besides the cells, and which decide the sheets
_BOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
               "xl/styles.xml", "docProps/custom.xml")
_CORE, _THEME = "docProps/core.xml", "xl/theme/theme1.xml"
#: parts of a workbook openpyxl opens too, whose content the cache above does not cover
_OTHER_PARTS = (b"externalLink", b"pivotCache", b"chartsheet")


class _Doubt(Exception):
    """Something this reader does not handle: the caller reads the file the full way."""


@dataclass(frozen=True)
class _Book:
    """What openpyxl makes of a workbook's package, workbook part and styles."""

    sheets: tuple[tuple[str, str], ...]       # (title, zip member) as openpyxl lists them
    strings: str | None                       # the shared strings member
    epoch: dt.datetime
    dates: frozenset[int]                     # style ids read as dates
    timedeltas: frozenset[int]
    percent: frozenset[int]                   # style ids whose number format shows a %


_BOOKS: dict[bytes, _Book] = {}
_ELEMENTS: dict[bytes, bool] = {}      # a sheet's element outside its cells: openpyxl reads it
_FRAMES: set[bytes] = set()            # a sheet's bytes around its cells, all read by openpyxl
_COLUMNS: dict[str, int] = {}          # cell address → column
_SHEETS: dict[bytes, list[list[Any]]] = {}   # sheets seen more than once, by content
_SEEN: set[bytes] = set()


def read_clean(path: Path, repeated: frozenset[str] = frozenset()) -> dict[str, Sheet] | None:
    """Every sheet of a clean workbook, as :func:`workbook.read_workbook` gives it with no
    problem; ``None`` when anything is doubtful (then read it with ``read_workbook``).

    ``repeated``: titles of sheets that many workbooks hold alike (help, lists); such a
    sheet seen again with the same content is not parsed again."""
    if path.suffix.lower() != ".xlsx":  # openpyxl refuses some other names outright
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            check_file(path, archive)
            return _read(path, archive, repeated)
    except Exception:  # _Doubt, DataError, a broken part: the full reading decides
        return None


def _read(path: Path, archive: zipfile.ZipFile, repeated: frozenset[str]) -> dict[str, Sheet]:
    names = archive.namelist()
    parts = {name: archive.read(name) for name in _BOOK_PARTS if name in names}
    digest = hashlib.sha1(repr(sorted(names)).encode())
    for name in _BOOK_PARTS:
        digest.update(b"\0%d\0" % len(parts.get(name, b"")) + parts.get(name, b""))
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
    table = archive.read(book.strings) if book.strings else b""
    strings = _strings(table) if table else []
    strings_key = hashlib.sha1(table).digest()
    return {title: _sheet(title, archive.read(member), strings, book,
                          key + strings_key if title in repeated else None)
            for title, member in book.sheets}


def _xml(data: bytes) -> bytes:
    """XML this reader parses the way openpyxl does: UTF-8, no document type."""
    head = _DECLARATION.match(data[:400])
    if head is None or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _Doubt("not plain UTF-8 XML")
    encoding = _ENCODING.search(data[:head.end()])
    if encoding is not None and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
        raise _Doubt("an encoding other than UTF-8")
    return data


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
            for name in _BOOK_PARTS:
                if name in archive.namelist():
                    _xml(archive.read(name))
            package = Manifest.from_tree(fromstring(archive.read("[Content_Types].xml")))
            rels = archive.read("xl/_rels/workbook.xml.rels")
        if any(kind in rels for kind in _OTHER_PARTS):  # parts openpyxl reads, not keyed here
            return None
        if _find_workbook_part(package).PartName != "/xl/workbook.xml":
            return None
        shared = package.find(SHARED_STRINGS)
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            styles = range(len(wb._cell_styles))
            return _Book(
                sheets=tuple((ws.title, ws._worksheet_path) for ws in wb.worksheets),
                strings=shared.PartName[1:] if shared is not None else None,
                epoch=wb.epoch, dates=frozenset(wb._date_formats),
                timedeltas=frozenset(wb._timedelta_formats),
                percent=frozenset(i for i in styles if "%" in number_format(i, wb)))
        finally:
            wb.close()
    except Exception:  # anything openpyxl fails on is a doubt, not a verdict
        return None


def _strings(data: bytes) -> list[str]:
    """The shared strings, as openpyxl's ``read_string_table`` reads them."""
    root = ET.fromstring(_xml(data))
    if root.tag != _STRINGS:
        raise _Doubt("not a shared strings table")
    out = []
    for item in root:
        if item.tag != _ITEM:
            raise _Doubt("something besides strings")
        if len(item) != 1 or item[0].tag != _TEXT or len(item[0]) or item.text and item.text.strip():
            raise _Doubt("rich text or phonetic runs")  # openpyxl's Text joins the runs
        out.append((item[0].text or "").replace("x005F_", ""))
    return out


def _column(address: str) -> int:
    """The column of a cell address ("B2" → 2); a doubt if it is not a plain address."""
    number = _COLUMNS.get(address)
    if number is None:
        from openpyxl.utils import column_index_from_string

        match = _ADDRESS.fullmatch(address)
        if match is None:
            raise _Doubt("a cell without a plain address")
        number = column_index_from_string(match.group(1))
        if len(_COLUMNS) < 200_000:
            _COLUMNS[address] = number
    return number


def _sheet(title: str, data: bytes, strings: list[str], book: _Book,
           context: bytes | None) -> Sheet:
    """One sheet's cells as ``workbook._read_sheet`` keeps them, or a doubt. With a
    ``context`` (the workbook's parts and strings), the same sheet seen again is read once."""
    if context is None:
        return Sheet(title, _sheet_rows(data, strings, book))
    key = context + hashlib.sha1(data).digest()
    rows = _SHEETS.get(key)
    if rows is None:
        rows = _sheet_rows(data, strings, book)
        if key in _SEEN and len(_SHEETS) < 64:
            _SHEETS[key] = rows
        if len(_SEEN) > 4096:
            _SEEN.clear()
        _SEEN.add(key)
    return Sheet(title, rows)


def _grid(found: dict[int, dict[int, Any]]) -> list[list[Any]]:
    """Rows 1 to the last found, each a new list of columns 1 to the widest (None where
    nothing was found); a row's values are taken by ``map`` in C, not cell by cell."""
    last = max(found, default=0)
    width = max((max(v) for v in found.values()), default=0)
    columns = range(1, width + 1)
    return [list(map(row.get, columns)) if (row := found.get(r)) is not None else [None] * width
            for r in range(1, last + 1)]


def _value(text: str, kind: str, style_id: int, strings: list[str], book: _Book) -> Any:
    """What a cell's non-empty ``<v>`` text means, as ``workbook._read_sheet`` keeps it: a
    number (a date in a date style, a percent style's number as typed), a shared string,
    a boolean; a doubt for an error value, a formula's text, a typed date or a duration."""
    from openpyxl.utils.datetime import from_excel
    from openpyxl.worksheet._reader import _cast_number

    value: Any
    if kind == "n":
        value = _cast_number(text)
        if style_id in book.dates:
            if style_id in book.timedeltas:
                raise _Doubt("a duration")
            value = from_excel(value, book.epoch)
    elif kind == "s":
        value = strings[int(text)]
    elif kind == "b":
        value = bool(int(text))
    else:
        raise _Doubt("an error value, a formula's text or a typed date")
    if style_id in book.percent or type(value) is dt.time:
        value = typed_value(value, style_id in book.percent)
    return value


def _sheet_rows(data: bytes, strings: list[str], book: _Book) -> list[list[Any]]:
    """One sheet's cells as ``workbook._read_sheet`` keeps them, or a doubt: scanned when
    the sheet has the usual shape, else read from its element tree (the same result)."""
    rows = _scanned_rows(data, strings, book)
    return rows if rows is not None else _tree_rows(data, strings, book)


# -- the scanner: the usual sheet's cells by regular expressions ---------------------------
#
# Parsing a sheet into elements and walking them costs most of a workbook's reading.
# openpyxl and Excel write the cells in a few fixed shapes; regular expressions (run in C)
# read those, and prove they read every byte of ``sheetData``. Anything else, down to a
# comment, a formula or an attribute in another order, goes to the tree reading, which
# stays the reference: tests run both over many sheets and compare.

_ANY_SPACE, _SOME_SPACE = rb"[ \t\n\r]*+", rb"[ \t\n\r]++"   # XML's white space
#: a cell: its column letters, style, type, then the text of its ``<v>`` or, after a
#: marker, of its inline ``<is><t>``
_CELL_XML = (
    rb'<c' + _SOME_SPACE + rb'r="([A-Z]{1,3})[1-9][0-9]{0,6}"'
    rb'(?:' + _SOME_SPACE + rb's="([0-9]{0,9})")?(?:' + _SOME_SPACE + rb't="([A-Za-z]{1,12})")?'
    + _ANY_SPACE + rb'(?:/>|>' + _ANY_SPACE + rb'(?:<v>([^<]*+)</v>|<v/>|(<is>)' + _ANY_SPACE
    + rb'<t(?:' + _SOME_SPACE + rb'xml:space="preserve")?' + _ANY_SPACE + rb'(?:>([^<]*+)</t>|/>)'
    + _ANY_SPACE + rb'</is>)?' + _ANY_SPACE + rb'</c>)')
_VALUE_TEXT, _INLINE_TEXT = 3, 5   # where a scanned cell holds its texts
_CELL_SCAN = re.compile(_CELL_XML)
#: a row's cells and nothing else
_CELLS_SCAN = re.compile(_ANY_SPACE + rb"(?:" + re.sub(rb"\((?!\?)", b"(?:", _CELL_XML) + _ANY_SPACE
                         + rb")*+")
#: attributes of a row besides ``r``, which the tree reading ignores (not ``xmlns``)
_ROW_ATTRIBUTE = (rb'(?!xml)(?:[A-Za-z][A-Za-z0-9]{0,30}|x14ac:dyDescent)'
                  rb'="[\x20\x21\x23-\x25\x27-\x3b\x3d-\x7e]{0,200}"')
_ATTRIBUTE_NAME = re.compile(rb'([A-Za-z0-9:]+)="[^"]*"')
#: a row: its number, its other attributes, its cells' bytes up to ``</row>`` (checked
#: cell by cell when not seen before); or any other byte but a space
_ROWS_SCAN = re.compile(
    rb'<row' + _SOME_SPACE + rb'r="([0-9]{1,9})"((?:' + _SOME_SPACE + _ROW_ATTRIBUTE + rb')*+)'
    + _ANY_SPACE + rb'(?:/>|>([^<]*+(?:<(?!/row>)[^<]*+)*+)</row>)|([^ \t\n\r])')
#: a private-use character put between texts parsed together
_SEPARATOR = "\ue000"
_SCANNABLE: dict[tuple[bytes, bool], bool] = {}   # a sheet's frame → the scanner may read inside
_ROW_ATTRIBUTES: set[bytes] = set()               # row attributes without a duplicate
_LETTERS: dict[bytes, int] = {}                   # column letters → column
_Cell = tuple[bytes, ...]
#: a scanned row: its number, its cells' bytes, its values if known, else its cells
_Row = tuple[bytes, bytes, dict[int, Any] | None, list[_Cell]]


def _scanned_rows(data: bytes, strings: list[str], book: _Book) -> list[list[Any]] | None:
    """A sheet's cells as :func:`_tree_rows` reads them, scanned; ``None`` when the sheet
    is not in the usual shape. Nothing is raised before every byte of ``sheetData`` is
    known well-formed, so a doubt raised here is raised by the tree reading too."""
    _xml(data)
    start, end = data.find(b"<sheetData>"), data.find(b"</sheetData>")
    if start < 0 or end < start or data.count(b"sheetData") != 2:
        return None
    first = start + len(b"<sheetData>")
    if not _frame_scannable(data, start, end, data.find(b"x14ac:", first, end) >= 0):
        return None
    rows: list[_Row] = []
    cells: list[_Cell] = []   # those of the rows not known, all their texts parsed at once
    known = _KEPT.rows(book)
    for number, attributes, body, stray in _ROWS_SCAN.findall(data, first, end):
        if stray or attributes and not _row_attributes_ok(attributes):
            return None
        values = known.get(body)
        row_cells = [] if values is not None else _row_cells(body)
        if row_cells is None:
            return None
        rows.append((number, body, values, row_cells))
        cells += row_cells
    texts = _texts([cell[_VALUE_TEXT] or cell[_INLINE_TEXT] for cell in cells])
    if texts is None:
        return None
    return _grid(_rows_found(rows, iter(texts), strings, book))


class _Kept:
    """Rows already scanned, by book (their dates and percentages) and by their bytes:
    the values they gave. At most ``limit`` bytes of rows in all, then all are forgotten
    at once (a template's rows come back with the next workbooks)."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size = limit, 0
        self.books: dict[_Book, dict[bytes, dict[int, Any]]] = {}

    def rows(self, book: _Book) -> dict[bytes, dict[int, Any]]:
        return self.books.get(book) or {}

    def keep(self, book: _Book, body: bytes, values: dict[int, Any]) -> None:
        if self.size + len(body) > self.limit:
            self.books.clear()
            self.size = 0
        self.books.setdefault(book, {})[body] = values
        self.size += len(body)


_KEPT = _Kept(8 * 1024 * 1024)


def _rows_found(rows: list[_Row], texts: Iterator[str], strings: list[str],
                book: _Book) -> dict[int, dict[int, Any]]:
    """The scanned rows' values by row number, in the tree reading's order: a later row of
    the same number replaces an earlier one, a row beyond the limits is a doubt."""
    found: dict[int, dict[int, Any]] = {}
    for number, body, known, cells in rows:
        line = int(number)
        values = known
        if values is None:
            values, own = _row_values(cells, texts, line, strings, book)
            if own:
                _KEPT.keep(book, body, values)
        if values:
            if line > limits.MAX_ROWS + 1:
                raise _Doubt("beyond the limits")
            found[line] = values
    return found


def _row_values(cells: list[_Cell], texts: Iterator[str], line: int,
                strings: list[str], book: _Book) -> tuple[dict[int, Any], bool]:
    """One row's values by column, each cell read as the tree reading reads it; and
    whether they owe nothing to the shared strings (then the row's bytes alone say them)."""
    values: dict[int, Any] = {}
    own = True
    # texts: the rows' texts in turn; zip takes one a cell, none beyond the row's cells
    for (letters, style, kind, number, inline, _), text in zip(cells, texts, strict=False):
        value: Any
        if kind == b"inlineStr":
            if not inline:
                continue
            value = text
        elif inline or not number:
            continue
        else:
            own = own and kind != b"s"
            value = _value(text, kind.decode() if kind else "n", int(style) if style else 0,
                           strings, book)
        column = _LETTERS.get(letters) or _letters_column(letters)
        if line > limits.MAX_ROWS + 1 or column > limits.MAX_COLUMNS:
            raise _Doubt("beyond the limits")
        if type(value) is str and len(value) > limits.MAX_CELL_CHARS:
            raise _Doubt("a cell too long")
        values[column] = value
    return values, own


def _row_cells(body: bytes) -> list[_Cell] | None:
    """A row's cells (letters, style, type, ``<v>`` text, inline marker, inline text), or
    ``None`` unless the row is cells of the usual shape and nothing else."""
    if _CELLS_SCAN.fullmatch(body) is None:
        return None
    return _CELL_SCAN.findall(body)


def _letters_column(letters: bytes) -> int:
    """The column of letters a cell address begins with (b"AB" → 28), kept."""
    from openpyxl.utils import column_index_from_string

    number = _LETTERS[letters] = column_index_from_string(letters.decode())
    return number


def _row_attributes_ok(attributes: bytes) -> bool:
    """A row's attributes besides ``r`` name none twice (the XML parser refuses that)."""
    if attributes not in _ROW_ATTRIBUTES:
        names = _ATTRIBUTE_NAME.findall(attributes)
        if b"r" in names or len(set(names)) != len(names):
            return False
        if len(_ROW_ATTRIBUTES) < 1024:
            _ROW_ATTRIBUTES.add(attributes)
    return True


def _texts(raw: list[bytes]) -> list[str] | None:
    """Cells' texts as the XML parser reads them (character references, entities, line
    ends, forbidden characters), all in one parse; ``None`` if the parser refuses one, or
    one holds the separator."""
    if not raw:
        return []
    try:
        root = ET.fromstring(b"<t>" + _SEPARATOR.encode().join(raw) + b"</t>")
    except ET.ParseError:
        return None
    texts = (root.text or "").split(_SEPARATOR)
    return texts if len(texts) == len(raw) else None


def _frame_scannable(data: bytes, start: int, end: int, prefixed: bool) -> bool:
    """Whether the scanner may read what lies between ``<sheetData>`` (at ``start``) and
    ``</sheetData>`` (at ``end``): checked once per distinct frame, the sheet's bytes around."""
    key = (data[:start] + data[end:], prefixed)
    scannable = _SCANNABLE.get(key)
    if scannable is None:
        scannable = _frame_ok(data, start, end, prefixed)
        if len(_SCANNABLE) >= 1024:
            _SCANNABLE.clear()
        _SCANNABLE[key] = scannable
    return scannable


def _frame_ok(data: bytes, start: int, end: int, prefixed: bool) -> bool:
    """The sheet with an empty ``sheetData`` in place of its cells parses; it is a
    worksheet whose one ``sheetData`` (of the main namespace) is a child of the root; it
    holds no row; :func:`_check_frame` accepts it; and, when the rows carry
    ``x14ac:dyDescent``, that prefix is declared. Then the whole sheet parses as its
    frame does with the scanned cells inside, and the tree reading sees those cells."""
    empty = b'<sheetData x14ac:dyDescent="0"/>' if prefixed else b"<sheetData/>"
    try:
        root = ET.fromstring(data[:start] + empty + data[end + len(b"</sheetData>"):])
        if (root.tag != _WORKSHEET or sum(1 for e in root if e.tag == _DATA) != 1
                or next(root.iter(_ROW), None) is not None):
            return False
        _check_frame(root, data)
    except Exception:  # whatever it is, the tree reading meets it and decides
        return False
    return True


# -- the tree reading ----------------------------------------------------------------------

def _tree_rows(data: bytes, strings: list[str], book: _Book) -> list[list[Any]]:
    """One sheet's cells from its element tree: the reference the scanner equals."""
    root = ET.fromstring(_xml(data))
    if root.tag != _WORKSHEET:
        raise _Doubt("not a worksheet")
    _check_frame(root, data)
    body = [e for e in root if e.tag == _DATA]
    rows = list(body[0]) if body else []
    if sum(1 for _ in root.iter(_ROW)) != len(rows):
        raise _Doubt("rows outside the sheet's data")
    found: dict[int, dict[int, Any]] = {}
    for row in rows:
        number = row.get("r")
        if row.tag != _ROW or number is None or not number.isdigit():
            raise _Doubt("a row without its number")
        line = int(number)
        values: dict[int, Any] = {}
        for cell in row:
            if cell.tag != _CELL:
                raise _Doubt("not a cell")
            column = _column(cell.get("r") or "")
            kind = cell.get("t", "n")
            style = cell.get("s")
            style_id = int(style) if style else 0
            value: Any = None
            for child in cell:
                tag = child.tag
                if tag == _FORMULA:
                    raise _Doubt("a formula")
                if tag == _VALUE and value is None and kind != "inlineStr":
                    value = child.text or None
                    if value is None:
                        break
                    value = _value(value, kind, style_id, strings, book)
                elif tag == _INLINE and kind == "inlineStr" and value is None:
                    if len(child) != 1 or child[0].tag != _TEXT or len(child[0]):
                        raise _Doubt("rich inline text")
                    value = child[0].text or ""
            if value is None:
                continue
            if line > limits.MAX_ROWS + 1 or column > limits.MAX_COLUMNS:
                raise _Doubt("beyond the limits")
            if type(value) is str and len(value) > limits.MAX_CELL_CHARS:
                raise _Doubt("a cell too long")
            values[column] = value
        if values:
            found[line] = values
    return _grid(found)


def _check_frame(root: ET.Element, data: bytes) -> None:
    """Everything of a sheet besides its cells is what openpyxl reads without fault, and
    no merged range. Checked once per distinct frame (the bytes around ``sheetData``,
    when that is sure to be the one element), else element by element."""
    for element in root:
        if element.tag == _MERGES and len(element):
            raise _Doubt("merged cells")
    frame = None
    if (data.count(b"<sheetData") == 1 and data.count(b"</sheetData>") == 1
            and b"<!--" not in data and b"<![CDATA[" not in data and data.count(b"<?") <= 1):
        start, end = data.index(b"<sheetData"), data.index(b"</sheetData>")
        frame = data[:start] + data[end:]
        if frame in _FRAMES:
            return
    for element in root:
        if element.tag != _DATA:
            _check_element(element)
    if frame is not None and len(_FRAMES) < 1024:
        _FRAMES.add(frame)


def _check_element(element: ET.Element) -> None:
    """An element of a sheet outside its cells: openpyxl's sheet parser reads it without
    fault, and it holds no rows (checked once per distinct element)."""
    text = ET.tostring(element)
    if text not in _ELEMENTS:
        if len(_ELEMENTS) > 50_000:  # bounded: a worker reads tens of thousands of files
            _ELEMENTS.clear()
        _ELEMENTS[text] = _element_ok(element, text)
    if not _ELEMENTS[text]:
        raise _Doubt("an element openpyxl does not read")


def _element_ok(element: ET.Element, text: bytes) -> bool:
    import io

    from openpyxl.worksheet._reader import WorkSheetParser

    if element.find(f".//{_ROW}") is not None or element.find(f".//{_CELL}") is not None:
        return False
    wrapped = b'<worksheet xmlns="%s">%s</worksheet>' % (MAIN.encode(), text)
    try:
        for _ in WorkSheetParser(io.BytesIO(wrapped), [], data_only=True).parse():
            return False
    except (*BROKEN, RecursionError):
        return False
    return True
