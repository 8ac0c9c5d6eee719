"""What openpyxl decides of a workbook beyond its cells, for the fast read path.

:mod:`~tongket_lib.units.fastsheets` takes a clean workbook's values from python-calamine;
what else openpyxl decides when it reads the workbook is taken from openpyxl itself, and
kept, since the workbooks a collect reads (exported by tongket) share those parts:

- the package, the workbook part and the styles (:func:`book_of`): which sheets there
  are, which styles are dates, durations or percentages, whether those parts load at
  all; once per distinct set of them in a process;
- each sheet's frame, everything of it outside its cells (:func:`frame_ok`): read by
  openpyxl's own sheet parser, once per distinct frame and element;
- the XML both readers parse alike (:func:`plain_xml`): well-formed by the standard
  library's parser (calamine's reader does not match end tags), UTF-8, no document type.

Anything openpyxl fails on, or that is unusual, is a :class:`Doubt`: the workbook is
then read the full way (``dataset.workbook.read_workbook``), which words every problem.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.parsers import expat

from tongket_lib.dataset.workbook import BROKEN

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS = "xl/sharedStrings.xml"  # where calamine takes the shared strings from
_WORKSHEET, _DATA, _MERGES, _ROW, _CELL = (f"{{{MAIN}}}{t}" for t in (
    "worksheet", "sheetData", "mergeCells", "row", "c"))
#: parts of the package openpyxl reads besides the cells, and which decide the sheets
_BOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
               "xl/styles.xml", "docProps/custom.xml")
_CORE, _THEME = "docProps/core.xml", "xl/theme/theme1.xml"
#: parts of a workbook openpyxl opens too, whose content the cache below does not cover
_OTHER_PARTS = (b"externalLink", b"pivotCache", b"chartsheet")
_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
_DECLARATION = re.compile(rb"(?:<\?xml[^>]*?\?>)?\s*<", re.S)
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")


class Doubt(Exception):
    """Something the fast path does not vouch for: the caller reads the file the full way."""


@dataclass(frozen=True)
class Book:
    """What openpyxl makes of a workbook's package, workbook part and styles."""

    key: bytes                                # the digest of those parts
    sheets: tuple[tuple[str, str], ...]       # (title, zip member) as openpyxl lists them
    strings: bool                             # whether the workbook has shared strings
    epoch: dt.datetime
    dates: frozenset[int]                     # style ids read as dates
    timedeltas: frozenset[int]
    percent: frozenset[int]                   # style ids whose number format shows a %
    plain_dates: bool                         # the 1900 date system, as calamine reads it
    #: a cell of a date, duration or percent style: its letters, row and style
    special: re.Pattern[bytes] | None


_BOOKS: dict[bytes, Book] = {}
_ELEMENTS: dict[bytes, bool] = {}      # a sheet's element outside its cells: openpyxl reads it
_FRAMES: dict[bytes, bool] = {}        # a sheet's bytes around its cells: all as above


def book_of(path: Path, archive: zipfile.ZipFile) -> Book:
    """openpyxl's view of the workbook at ``path`` (open as ``archive``), or a doubt."""
    names = archive.namelist()
    digest = hashlib.sha1(repr(sorted(names)).encode())
    for name in _BOOK_PARTS:
        part = archive.read(name) if name in names else b""
        digest.update(b"\0%d\0" % len(part) + part)
    key = digest.digest()
    book = _BOOKS.get(key)
    if book is None:  # only openpyxl's success is kept: one bad file spoils nothing
        book = _book(path, key)
        if book is None:
            raise Doubt("openpyxl does not open this package, or it is unusual")
        if len(_BOOKS) > 5_000:
            _BOOKS.clear()
        _BOOKS[key] = book
    if _CORE in names:  # differs in every file (dates): openpyxl's own reading of it
        from openpyxl.packaging.core import DocumentProperties
        from openpyxl.xml.functions import fromstring

        DocumentProperties.from_tree(fromstring(plain_xml(archive.read(_CORE))))
    if _THEME in names:
        archive.read(_THEME)
    return book


def _book(path: Path, key: bytes) -> Book | None:
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
                    plain_xml(archive.read(name))
            package = Manifest.from_tree(fromstring(archive.read("[Content_Types].xml")))
            rels = archive.read("xl/_rels/workbook.xml.rels")
            book_part = archive.read("xl/workbook.xml")
        if any(kind in rels for kind in _OTHER_PARTS):  # parts openpyxl reads, not keyed here
            return None
        if _find_workbook_part(package).PartName != "/xl/workbook.xml":
            return None
        shared = package.find(SHARED_STRINGS)
        if (shared is not None and shared.PartName != f"/{STRINGS}"
                or shared is None and any(n.lower() == STRINGS.lower() for n in names)):
            return None  # calamine takes the shared strings from that member, openpyxl not
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            percent = frozenset(i for i in range(len(wb._cell_styles))
                                if "%" in number_format(i, wb))
            ids = sorted(wb._date_formats | percent)
            return Book(
                key=key, sheets=tuple((ws.title, ws._worksheet_path) for ws in wb.worksheets),
                strings=shared is not None, epoch=wb.epoch, dates=frozenset(wb._date_formats),
                timedeltas=frozenset(wb._timedelta_formats), percent=percent,
                plain_dates=wb.epoch == _WINDOWS_EPOCH and b"date1904" not in book_part,
                special=re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)" s="0*(%s)"' % b"|".join(
                    b"%d" % i for i in ids)) if ids else None)
        finally:
            wb.close()
    except Exception:  # anything openpyxl fails on is a doubt, not a verdict
        return None


def plain_xml(data: bytes) -> bytes:
    """XML both readers parse alike: UTF-8, no document type, well-formed (with its
    namespaces declared), no comment, no CDATA section, no processing instruction."""
    head = _DECLARATION.match(data[:400])
    if (head is None or b"<!DOCTYPE" in data or b"<!ENTITY" in data or b"<!--" in data
            or b"<![CDATA[" in data or data.count(b"<?") > (data[:5] == b"<?xml")):
        raise Doubt("not plain XML")
    encoding = _ENCODING.search(data[:head.end()])
    if encoding is not None and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
        raise Doubt("an encoding other than UTF-8")
    try:
        expat.ParserCreate("utf-8", " ").Parse(data, True)
    except expat.ExpatError:
        raise Doubt("not well-formed") from None
    return data


def frame_ok(data: bytes, start: int, end: int) -> bool:
    """The sheet with its cells (``data[start:end]``) taken out is a worksheet whose one
    ``sheetData`` is a child of the root, without merged ranges, and openpyxl's sheet
    parser reads each of its other elements without fault (each distinct frame and
    element checked once)."""
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
