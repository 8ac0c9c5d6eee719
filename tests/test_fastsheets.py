"""fastsheets (python-calamine) against openpyxl's reading, on the same workbooks.

``fastsheets.read_clean`` reads a clean workbook's sheets with python-calamine and
returns ``None`` at any doubt; ``dataset.workbook.read_workbook`` (openpyxl) is the
authority. For every workbook here, whatever the fast reader returns the full one must
give too, value for value and type for type, without a problem; and it must read the
usual workbooks itself rather than step aside. The workbooks: exported demo workbooks,
the hostile ones of tests/hostile, a small workbook (dates, durations, percentages,
shared strings) holding hand-written sheets for each shape that is read or refused,
seeded random sheets and seeded mutations of the exported ones.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from demo import make_demo
from tongket_lib.dataset.excel import export_excel
from tongket_lib.dataset.workbook import read_workbook
from tongket_lib.errors import DataError
from tongket_lib.units import fastsheets

from .hostile import cases, xlsx
from .test_collect_fast import with_strings

YEAR = 2024
MAIN = fastsheets.MAIN
REPEATED = frozenset({"Hướng dẫn", "Danh mục"})
HEAD = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}"'
        ' xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
        '<dimension ref="A1"/><sheetData>')
TAIL = ('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3"'
        ' footer="0.3"/></worksheet>')
ONE = '<row r="1"><c r="A1"><v>1</v></c></row>'
STRINGS = ["một", "hai", "ba"]
#: the small workbook's styles: 1 a date, 2 a duration, 3 a percentage (see ``small``)
DATE, DURATION, PERCENT = "1", "2", "3"


def outcome(path: Path, repeated: frozenset[str] = frozenset()) -> tuple[str, str | None]:
    """What both readers make of a workbook: ("fast", rows) when the fast reader reads it
    (then openpyxl reads the same, without a problem), else ("full", its reading)."""
    fast = fastsheets.read_clean(path, repeated)
    problems: list = []
    try:
        full = read_workbook(path, problems)
    except DataError as exc:
        assert fast is None, path
        return "full", str(exc)
    shown = repr({title: sheet.rows for title, sheet in full.items()})
    if fast is None:
        return "full", shown
    assert not problems and not any(sheet.formulas for sheet in full.values()), problems
    assert repr({title: sheet.rows for title, sheet in fast.items()}) == shown, path
    again = fastsheets.read_clean(path, repeated)  # the same from what it keeps
    assert again is not None and repr({t: s.rows for t, s in again.items()}) == shown
    return "fast", shown


def fast(path: Path) -> bool:
    return outcome(path)[0] == "fast"


# -- a small workbook to hold any sheet ------------------------------------------------------

@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """One sheet; its styles a date, a duration and a percentage; shared strings."""
    folder = tmp_path_factory.mktemp("nho")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"] = 1
    for cell, value, shown in (("A2", dt.datetime(2024, 1, 2), "DD/MM/YYYY"),
                               ("A3", dt.timedelta(hours=5), "[h]:mm"), ("A4", 0.5, "0.0%")):
        ws[cell] = value
        ws[cell].number_format = shown
    wb.save(folder / "nho.xlsx")
    read = openpyxl.load_workbook(folder / "nho.xlsx", read_only=True)
    assert (read._date_formats, read._timedelta_formats) == ({1, 2}, {2})
    items = "".join(f"<si><t>{t}</t></si>" for t in STRINGS)
    sst = f'<sst xmlns="{MAIN}" count="3" uniqueCount="3">{items}</sst>'.encode()
    return with_strings(folder / "nho.xlsx", folder / "co-chuoi.xlsx", lambda: sst)


class Books:
    """Copies of the small workbook, each with one sheet (and shared strings) replaced."""

    def __init__(self, small: Path, folder: Path):
        self.small, self.folder, self.made = small, folder, 0

    def __call__(self, sheet: bytes, sst: bytes | None = None, book: bytes | None = None) -> Path:
        self.made += 1
        out = self.folder / f"b{self.made}.xlsx"
        replace = {"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": sst,
                   "xl/workbook.xml": book}
        with zipfile.ZipFile(self.small) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                new = replace.get(info.filename)
                dst.writestr(info, new if new is not None else src.read(info.filename))
        return out


@pytest.fixture()
def books(small, tmp_path) -> Books:
    return Books(small, tmp_path)


def sheet(body: str | bytes, head: str = HEAD, tail: str = TAIL) -> bytes:
    return head.encode() + (body.encode() if isinstance(body, str) else body) + tail.encode()


# -- exported and hostile workbooks ------------------------------------------------------------

@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("scan") / "don-vi"
    ids = [p.name for p in make_demo(root, [2023, YEAR], seed=11, units=4)
           if (p / str(YEAR)).is_dir()]
    out = tmp_path_factory.mktemp("xuat")
    return [export_excel(YEAR, root / u, out / f"{u}.xlsx") for u in ids[:3]]


def test_exported_workbooks_are_read_fast_as_openpyxl_reads_them(exported):
    for book in exported:
        assert outcome(book, REPEATED)[0] == "fast", book
        assert outcome(book, REPEATED)[0] == "fast", book  # help and lists sheets kept


def test_hostile_workbooks(exported, tmp_path):
    book = exported[0]
    resaved = openpyxl.load_workbook(book)
    resaved["Chỉ tiêu"]["F3"] = 12.5
    resaved.save(tmp_path / "luu-lai.xlsx")  # openpyxl's own writer
    read = {
        xlsx.far_cell(book, tmp_path / "xa-trong.xlsx", "Chỉ tiêu"): True,
        tmp_path / "luu-lai.xlsx": True,
        xlsx.far_cell(book, tmp_path / "xa.xlsx", "Chỉ tiêu", value="x"): False,
        xlsx.far_cell(book, tmp_path / "dong-xa.xlsx", "Khen thưởng", "B9999999", "x"): False,
        xlsx.far_cell(book, tmp_path / "cot-xa.xlsx", "Thông tin chung", "XFD3", "x"): False,
        xlsx.far_cell(book, tmp_path / "dai.xlsx", "Chỉ tiêu", "J3", "y" * 40000): False,
        xlsx.broken_xml(book, tmp_path / "hong.xlsx", "Chỉ tiêu"): False,
        cases._many_sheet_rows(book, tmp_path): False,
        cases._merge_across(book, tmp_path): False,
        xlsx.zip_bomb(tmp_path / "bom.xlsx"): False,
        xlsx.not_a_zip(tmp_path / "gia.xlsx"): False,
    }
    for path, read_fast in read.items():
        assert (outcome(path, REPEATED)[0] == "fast") is read_fast, path.name


# -- hand-written sheets -----------------------------------------------------------------------

INLINE = '<c r="{0}" t="inlineStr"><is><t>{1}</t></is></c>'
#: rows the fast reader reads, as openpyxl does
READ = [
    "",
    '<row r="1"/>',
    '<row r="1"></row><row r="2"><c r="A2" s="2"/></row>',
    '<row r="3"><c r="A3" s="3" t="inlineStr"><is><t>ng&#432;&#7901;i</t></is></c>'
    '<c r="B3" t="n"><v>12</v></c><c r="C3"><v>12.5</v></c><c r="D3"><v>-7</v></c></row>',
    '<row r="1" spans="1:3" ht="20" customHeight="1" x14ac:dyDescent="0.25">'
    '<c r="A1" t="s"><v>1</v></c><c r="C1" s="1"><v>45000</v></c><c r="D1" s="1"><v>45000.0</v></c></row>',
    '\n  <row r="1">\n    <c r="A1" t="inlineStr">\n <is>\n <t xml:space="preserve"> a </t> </is> </c>\n'
    '  </row>\n',
    '<row r="2"><c r="D2"><v></v></c><c r="E2"><v/></c><c r="F2"></c><c r="G2" t="s"/></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&lt;&gt;&amp;&quot;&apos;&#x1EA1;&#65;a&#13;b</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>a\r\nb\rc</t></is></c></row>',
    '<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c><c r="C1" s="3"><v>0.994</v></c>'
    '<c r="D1" s="3"><v>1</v></c><c r="E1" s="3"><v>1.00</v></c><c r="F1"><v>14.00</v></c>'
    '<c r="G1"><v>1E3</v></c><c r="H1"><v>2.5e-1</v></c><c r="I1"><v>007</v></c></row>',
    '<row r="1"><c r="C1" s="1" t="s"><v>0</v></c><c r="D1" s="1" t="b"><v>1</v></c></row>',
    '<row r="2"><c r="B2" t="inlineStr"><is><t>b</t></is></c></row>'
    '<row r="1"><c r="C1" t="inlineStr"><is><t>c</t></is></c><c r="C1"><v>3</v></c></row>',
    f'<row r="5001">{INLINE.format("A5001", "last")}</row><row r="5002"><c r="A5002"/></row>'
    '<row r="99999999"><c r="XFD99999999" s="1"/></row>',
    f'<row r="1">{INLINE.format("GR1", "y" * 32767)}<c r="XFD1"/></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>\ufdd0\u0085\x7f người\u00a0</t></is></c></row>',
]
#: rows the fast reader leaves to openpyxl (which reads them, or finds the file broken)
ASIDE = [
    '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>',
    '<row r="1"><c r="A1" t="e"><v>#N/A</v></c></row>',
    '<row r="1"><c r="A1" t="str"><v>x</v></c></row>',
    '<row r="1"><c r="A1" t="d"><v>2024-01-01</v></c></row>',
    '<row r="1"><c r="A1" s="2"><v>1.5</v></c></row>',
    '<row r="1"><c r="A1" s="1"><v>45000.25</v></c></row>',
    '<row r="1"><c r="A1" s="1"><v>0.5</v></c></row>',
    '<row r="1"><c r="A1" s="1"><v>20</v></c></row>',
    '<row r="1"><c r="A1" s="1"><v>2.0</v></c></row>',
    '<row r="1"><c r="A1" t="s"><v>7</v></c></row>',
    '<row r="1"><c r="A1" t="s"><v>-1</v></c></row>',
    '<row r="1"><c r="A1" t="s"><v>x</v></c></row>',
    '<row r="1"><c r="A1" t="b"><v>2</v></c></row>',
    '<row r="1"><c r="A1"><v>abc</v></c></row>',
    '<row r="1"><c r="A1"><v> 7</v></c></row>',
    '<row r="1"><c r="A1"><v>+7</v></c></row>',
    '<row r="1"><c r="A1"><v>1_000</v></c></row>',
    '<row r="1"><c r="A1"><v>inf</v></c></row>',
    '<row r="1"><c r="A1"><v>&#49;</v></c></row>',
    '<row r="1"><c r="A1"><v>12345678901234567890</v></c></row>',
    '<row r="1"><c r="A1"><v>12.0</v></c></row>'.replace("12.0", "1e400"),
    f'<row r="5002">{INLINE.format("A5002", "x")}</row>',
    f'<row r="1">{INLINE.format("GS1", "x")}</row>',
    f'<row r="1">{INLINE.format("A1", "y" * 32768)}</row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is/></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t/></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t></t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t> a</t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a&#10;</t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a_x0041_</t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><v>7</v></c></row>',
    '<row r="1"><c r="A1"><is><t>x</t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t><t>b</t></is></c></row>',
    '<row r="1"><c t="n" r="A1"><v>1</v></c></row>',
    '<row r="1"><c t="n"><v>1</v></c></row>',
    '<row r="1"><c r="a1"><v>1</v></c></row>',
    '<row r="1"><c r="A1" s=" 3"><v>1</v></c></row>',
    "<row r=\"1\"><c r='A1'><v>1</v></c></row>",
    '<row r="1"><c r="A1" xmlns="urn:x"><v>1</v></c></row>',
    '<row r="1" xmlns="urn:x"><c r="A1"><v>1</v></c></row>',
    '<row r="1" ht="1" ht="2"><c r="A1"><v>1</v></c></row>',
    '<row><c r="A1"><v>1</v></c></row>',
    '<row r="2"><c r="A1"><v>1</v></c></row>',
    '<row r="1"><c r="A1"><v>1</v></c></row><row r="1"><c r="B1"><v>2</v></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[a<b]]></t></is></c></row>',
    '<row r="1"><!-- a comment --><c r="A1"><v>1</v></c></row>',
    '<row r="1"><c r="A1"><v>1</v></c>text</row>',
    '<row r="1"><c r="A1"><v>1</v><v>2</v></c></row>',
    '<row r="1"><x><v>5</v></x></row>',
    '<row r="1"><row r="2"/></row>',
    '<c r="A1"><v>1</v></c>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&#0;</t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a&#0032;</t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a & b</t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>]]></t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>\x01</t></is></c></row>',
    '<row r="1"><c r="A1"><v>1</v></c>',
    '<row r="1"><c r="A1"><v>1</c></v></row>',
]
#: sheets whose frame (the bytes around the cells) the fast reader leaves to openpyxl
FRAMES = [
    sheet(ONE, tail=TAIL.replace("<pageMargins", '<mergeCells count="1"><mergeCell ref="A1:A2"/>'
                                                 "</mergeCells><pageMargins")),
    sheet('<row r="1" x14ac:dyDescent="0.25"/>', HEAD.replace(' xmlns:x14ac="', ' xmlns:y="')),
    sheet(ONE, HEAD.replace("<sheetData>", '<sheetData xmlns="urn:x">')),
    sheet(ONE, HEAD.replace("<sheetData>", "<x><sheetData>"),
          TAIL.replace("</sheetData>", "</sheetData></x>")),
    sheet(ONE, tail=TAIL.replace("<pageMargins", '<foo><row r="2"/></foo><pageMargins')),
    sheet(ONE, tail=TAIL.replace("</worksheet>", "</worksheet>junk")),
    sheet(ONE, HEAD.replace("<worksheet", '<!DOCTYPE w [<!ENTITY e "x">]><worksheet')),
    sheet(ONE, HEAD.replace('encoding="UTF-8"', 'encoding="latin-1"')),
    sheet(ONE, tail=TAIL.replace("<pageMargins", "<sheetData/><pageMargins")),
    sheet(ONE, tail=TAIL.replace("<pageMargins", "<pageMargins bad")),
    sheet(ONE, tail=TAIL.replace('left="0.7"', 'left="x"')),
    sheet(b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xff\xfe</t></is></c></row>'),
    f'<worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c>'
    '</x:row></x:sheetData></worksheet>'.encode(),
    f'<worksheet xmlns="{MAIN}"><sheetData>{ONE}</sheetData>'.encode(),
    b"\xef\xbb\xbf" + sheet(ONE),
]
#: shared strings tables the fast reader reads (``t="s"`` cells 0 to 2 of each)
SST = f'<sst xmlns="{MAIN}" count="3" uniqueCount="3">' + "{}</sst>"
STRINGS_READ = [
    "<si><t>một</t></si><si><t>hai</t></si><si><t>ba</t></si>",
    '<si><t xml:space="preserve"> a </t></si><si><t>&amp;&#x1EA1;</t></si><si><t>c\r\nd</t></si>',
]
STRINGS_ASIDE = [
    "<si><r><t>a</t></r><r><t>b</t></r></si><si><t>x</t></si><si><t>y</t></si>",
    "<si><t>a</t><rPh sb=\"0\" eb=\"1\"><t>A</t></rPh></si><si><t>x</t></si><si><t>y</t></si>",
    "<si><t/></si><si><t>x</t></si><si><t>y</t></si>",
    "<si><t> a</t></si><si><t>x</t></si><si><t>y</t></si>",
    "<si><t>a_x005F_b</t></si><si><t>x</t></si><si><t>y</t></si>",
    "<si><t>ax005F_b</t></si><si><t>x</t></si><si><t>y</t></si>",
    "<si></si><si><t>x</t></si><si><t>y</t></si>",
    "<si><t>a</t></si>",
]
SHARED = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
          '<c r="C1" t="s"><v>2</v></c></row>')


@pytest.mark.parametrize("body", READ)
def test_the_usual_cells_are_read_fast(books, body):
    assert fast(books(sheet(body)))


@pytest.mark.parametrize("body", ASIDE)
def test_anything_else_is_left_to_openpyxl(books, body):
    assert not fast(books(sheet(body)))


@pytest.mark.parametrize("data", FRAMES)
def test_an_unusual_frame_is_left_to_openpyxl(books, data):
    assert not fast(books(data))


@pytest.mark.parametrize("items", STRINGS_READ)
def test_plain_shared_strings_are_read_fast(books, items):
    assert fast(books(sheet(SHARED), (SST.format(items)).encode()))


@pytest.mark.parametrize("items", STRINGS_ASIDE)
def test_other_shared_strings_are_left_to_openpyxl(books, items):
    assert not fast(books(sheet(SHARED), (SST.format(items)).encode()))


def test_dates_of_the_1904_system_are_left_to_openpyxl(books, small):
    with zipfile.ZipFile(small) as archive:
        part = archive.read("xl/workbook.xml")
    later = part.replace(b"<workbookPr/>", b'<workbookPr date1904="1"/>')
    assert later != part
    dated = sheet('<row r="1"><c r="A1" s="1"><v>45000</v></c></row>')
    assert fast(books(dated)) and not fast(books(dated, book=later))
    assert fast(books(sheet(ONE), book=later))  # no date in it: nothing to doubt


# -- random sheets -----------------------------------------------------------------------------

TEXTS = ["", "x", "người", "ng&#432;&#7901;i", "&#x1EA1;", "a &amp; b", "&lt;b&gt;", "&quot;",
         " lead", "trail ", "  ", "\t", "a\nb", "a\r\nb", "&#13;", "&#10;&#9;", "&#65;", "a]]b", ">",
         "\x7f", "12", "1.5", "-3", "1E3", "2.5e-1", " 7 ", "abc", "0", "1", "2", "-1", "#N/A",
         "inf", "4500000", "14.00", "-0", "45000", "0.25", "_x0041_"]
BAD_TEXTS = ["&#0;", "&#xD800;", "&nbsp;", "&", "]]>", "\x01", "<![CDATA[x]]>", "<!-- c -->"]
STYLES = [None, None, None, None, "", "0", DATE, PERCENT, "001"]
KINDS = [None, None, "n", "s", "b", "inlineStr", "inlineStr", "inlineStr"]
ODD_STYLES, ODD_KINDS = [DURATION, "x", " 3", "9"], ["e", "str", "d", "", "N"]
ROW_EXTRAS = [""] * 10 + [' spans="1:5"', ' ht="20" customHeight="1"', ' x14ac:dyDescent="0.25"']
BAD_ROW_EXTRAS = [' ht="1" ht="2"', ' r="3"', ' xmlns="urn:x"', " foo='1'", ' y:z="1"']


def random_text(rng: random.Random) -> str:
    if rng.random() < 0.005:
        return "y" * rng.choice([32767, 32768])
    return "".join(rng.choice(BAD_TEXTS if rng.random() < 0.01 else TEXTS)
                   for _ in range(rng.choice([1, 1, 1, 2])))


def random_cell(rng: random.Random, row: int) -> str:
    column = rng.choice(["A", "B", "C", "AB", "GR", "GS", "XFD"] + ["A", "B", "C", "D", "E"] * 4)
    address: str | None = f"{column}{row if rng.random() < 0.95 else rng.randint(1, 9)}"
    if rng.random() < 0.01:
        address = rng.choice([None, "", "a1", "A0", f"{column}{row} "])
    style = rng.choice(ODD_STYLES if rng.random() < 0.03 else STYLES)
    kind = rng.choice(ODD_KINDS if rng.random() < 0.03 else KINDS)
    attributes = [f'{n}="{v}"' for n, v in (("r", address), ("s", style), ("t", kind)) if v is not None]
    if rng.random() < 0.02:
        rng.shuffle(attributes)
    head = "<c " + " ".join(attributes)
    text = random_text(rng)
    if kind == "s" and rng.random() < 0.9:
        text = rng.choice(["0", "1", "2"])
    inner = rng.choice([
        None, "", f"<v>{text}</v>", f"<v>{text}</v>", "<v/>", f"<is><t>{text}</t></is>",
        f'<is><t xml:space="preserve">{text}</t></is>', f" <v>{text}</v>\n",
    ] if rng.random() < 0.95 else [
        "<is/>", f"<is><r><t>{text}</t></r></is>", f"<f>A1</f><v>{text}</v>",
        f"<is><t>{text}</t></is><v>{text}</v>", "<!--x-->", f"<v>{text}</v>x",
    ])
    return head + "/>" if inner is None else f"{head}>{inner}</c>"


def random_row(rng: random.Random, number: int) -> str:
    r = rng.choice([str(number)] * 40 + ["0", "007", "99999999", "", None, "a", "5001", "5002"])
    head = "<row" + ("" if r is None else f' r="{r}"') + rng.choice(
        BAD_ROW_EXTRAS if rng.random() < 0.02 else ROW_EXTRAS)
    cells = [random_cell(rng, number) for _ in range(rng.choice([0, 1, 2, 3, 4, 6]))]
    if not cells and rng.random() < 0.5:
        return head + "/>"
    space = rng.choice(["", "", "\n  ", " "])
    return f"{head}>{space}{space.join(cells)}{space}</row>"


def random_sheet(rng: random.Random) -> bytes:
    numbers = sorted(rng.sample(range(1, 30), rng.randint(0, 6)))
    if rng.random() < 0.1:
        rng.shuffle(numbers)
    data = sheet("".join(random_row(rng, n) for n in numbers))
    return mutate_bytes(rng, data) if rng.random() < 0.1 else data


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """A byte or two deleted, inserted or changed inside the cells."""
    start, end = data.find(b"<sheetData>"), data.find(b"</sheetData>") + 12
    for _ in range(rng.choice([1, 2])):
        at = rng.randint(start, max(start, end - 1))
        new = rng.choice([b"", b"<", b">", b"&", b'"', b"'", b"\r", b" ", b"/", b"=", b"x", b"1", b"\xc3"])
        data = data[:at] + new + data[at + rng.choice([0, 1]):]
    return data


def test_random_sheets(books):
    rng = random.Random(20240611)
    read = sum(fast(books(random_sheet(rng))) for _ in range(400))
    assert read > 60  # the fast reader did read many of them, not only step aside


# -- mutated exported sheets -------------------------------------------------------------------

def _reorder(match: re.Match) -> bytes:
    attributes = re.findall(rb' \w+="[^"]*"', match.group(1))
    return b"<c" + b"".join(reversed(attributes)) + b">"


MUTATIONS: list[tuple[bytes, Callable[[re.Match], bytes]]] = [
    (rb"<c( [^>]*[^/])>", _reorder),
    (rb"><", lambda m: b">\n  <"),
    (rb"<t>([^<]*)</t>", lambda m: b"<t>" + m.group(1) + b" &amp; &#x1EA1;&#13;&lt;</t>"),
    (rb"<t>([^<]*)</t>", lambda m: b'<t xml:space="preserve"> ' + m.group(1) + b" </t>"),
    (rb"<t>([^<]*)</t>", lambda m: b"<t>" + b"z" * 32768 + b"</t>"),
    (rb'<c r="([A-Z]+\d+)"[^>]*>.*?</c>', lambda m: b'<c r="' + m.group(1) + b'"><f>1+1</f><v>2</v></c>'),
    (rb'<c r="([A-Z]+\d+)"[^>]*>.*?</c>', lambda m: b'<c r="' + m.group(1) + b'" t="b"><v>1</v></c>'),
    (rb'<c r="([A-Z]+\d+)"[^>]*>.*?</c>', lambda m: b'<c r="' + m.group(1) + b'" s="3"><v>0.5</v></c>'),
    (rb'<c r="([A-Z]+\d+)"[^>]*>.*?</c>', lambda m: b'<c r="' + m.group(1) + b'" s="1"><v>45000</v></c>'),
    (rb'<c r="([A-Z]+\d+)"[^>]*>.*?</c>', lambda m: b'<c r="' + m.group(1) + b'"><v>3.0</v></c>'),
    (rb'<row r="\d+"', lambda m: b'<row r="99999999"'),
    (rb'<row r="\d+"', lambda m: m.group(0) + b' spans="1:9" ht="20" customHeight="1"'),
    (rb'<row r="\d+"', lambda m: b'<row r="2"'),
]


def mutated(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.choice([1, 1, 2, 3])):
        pattern, change = rng.choice(MUTATIONS)
        start, end = data.find(b"<sheetData>"), data.find(b"</sheetData>")
        found = list(re.finditer(pattern, data[start:end], re.S))
        if found:
            m = rng.choice(found)
            data = data[:start + m.start()] + change(m) + data[start + m.end():]
    return mutate_bytes(rng, data) if rng.random() < 0.1 else data


def test_mutated_exported_sheets(exported, books):
    """Sheets of exported workbooks, changed, in the small workbook."""
    rng = random.Random(7)
    sheets = []
    for book in exported:
        with zipfile.ZipFile(book) as archive:
            sheets += [archive.read(n) for n in archive.namelist()
                       if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
    small = [s for s in sheets if len(s) < 12_000]
    read = sum(fast(books(mutated(rng, rng.choice(small)))) for _ in range(120))
    assert read > 20
