"""fastxlsx's sheet scanner against its tree reading, over many sheets.

``fastxlsx`` reads a sheet's cells with regular expressions when the sheet has the usual
shape (``_scanned_rows``) and from the XML parser's element tree otherwise
(``_tree_rows``, the reference). For every sheet here the scanner must give the tree
reading's rows, or raise what the tree reading raises, or step aside (``None``), the
first time and again once it keeps rows it has read; ``_sheet_rows`` must always give
what the tree reading gives. The sheets: every sheet of exported demo workbooks and of
the hostile workbooks of tests/hostile, hand-written sheets for each shape the scanner
reads or refuses, seeded random sheets and seeded mutations of the exported ones.
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
from tongket_lib.units import fastxlsx

from .hostile import cases, xlsx

YEAR = 2024
X14AC = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"
HEAD = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{fastxlsx.MAIN}"'
        f' xmlns:x14ac="{X14AC}"><dimension ref="A1"/><sheetData>')
TAIL = ('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3"'
        ' footer="0.3"/></worksheet>')
ONE = '<row r="1"><c r="A1"><v>1</v></c></row>'
STRINGS = ["một", "hai", "ba"]
OTHER_STRINGS = ["A", "B"]
#: a book whose styles 3 and 4 are dates (4 a duration) and 5 a percentage
BOOK = fastxlsx._Book(sheets=(), strings=None, epoch=dt.datetime(1899, 12, 30),
                      dates=frozenset({3, 4}), timedeltas=frozenset({4}), percent=frozenset({5}))
OTHER_BOOK = fastxlsx._Book(sheets=(), strings=None, epoch=dt.datetime(1904, 1, 1),
                            dates=frozenset({5}), timedeltas=frozenset(), percent=frozenset({3}))


def outcome(read: Callable, data: bytes, strings: list[str], book: fastxlsx._Book) -> tuple | None:
    try:
        rows = read(data, strings, book)
    except Exception as exc:
        return ("raises", type(exc).__name__, str(exc))
    return None if rows is None else ("rows", repr(rows))  # repr: 1 is not 1.0, nor -0.0 0.0


def check(data: bytes, strings: list[str] = STRINGS, book: fastxlsx._Book = BOOK) -> tuple | None:
    """The scanner gives what the tree reading gives, or steps aside; what it gave."""
    tree = outcome(fastxlsx._tree_rows, data, strings, book)
    assert tree is not None
    scanned = outcome(fastxlsx._scanned_rows, data, strings, book)
    if scanned is not None:
        assert scanned == tree, data[:3000]
    assert outcome(fastxlsx._scanned_rows, data, strings, book) == scanned, data[:3000]
    assert outcome(fastxlsx._sheet_rows, data, strings, book) == tree, data[:3000]
    return scanned


def read(data: bytes, strings: list[str] = STRINGS, book: fastxlsx._Book = BOOK) -> bool:
    """The scanner reads the sheet's rows, those of the tree reading."""
    scanned = check(data, strings, book)
    return scanned is not None and scanned[0] == "rows"


def sheet(body: str | bytes, head: str = HEAD, tail: str = TAIL) -> bytes:
    return head.encode() + (body.encode() if isinstance(body, str) else body) + tail.encode()


def members(book: Path) -> list[bytes]:
    with zipfile.ZipFile(book) as archive:
        return [archive.read(n) for n in archive.namelist()
                if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]


def context(book: Path) -> tuple[list[str], fastxlsx._Book]:
    """A workbook's shared strings and openpyxl's view of its styles, as read_clean has them."""
    found = fastxlsx._book(book) or BOOK
    with zipfile.ZipFile(book) as archive:
        table = archive.read(found.strings) if found.strings else b""
    return (fastxlsx._strings(table) if table else []), found


# -- workbooks ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("scan") / "don-vi"
    ids = [p.name for p in make_demo(root, [2023, YEAR], seed=11, units=4) if (p / str(YEAR)).is_dir()]
    out = tmp_path_factory.mktemp("xuat")
    return [export_excel(YEAR, root / u, out / f"{u}.xlsx") for u in ids[:3]]


@pytest.fixture(scope="module")
def hostile(exported, tmp_path_factory) -> list[Path]:
    out, book = tmp_path_factory.mktemp("hostile"), exported[0]
    resaved = openpyxl.load_workbook(book)
    resaved["Chỉ tiêu"]["F3"] = 12.5
    resaved.save(out / "luu-lai.xlsx")  # openpyxl's own writer: shared strings
    return [
        xlsx.far_cell(book, out / "xa-trong.xlsx", "Chỉ tiêu"),
        xlsx.far_cell(book, out / "xa.xlsx", "Chỉ tiêu", value="x"),
        xlsx.far_cell(book, out / "dong-xa.xlsx", "Khen thưởng", "B9999999", "x"),
        xlsx.far_cell(book, out / "cot-xa.xlsx", "Thông tin chung", "XFD3", "x"),
        xlsx.far_cell(book, out / "dai.xlsx", "Chỉ tiêu", "J3", "y" * 40000),
        xlsx.broken_xml(book, out / "hong.xlsx", "Chỉ tiêu"),
        cases._many_sheet_rows(book, out),
        cases._merge_across(book, out),
        out / "luu-lai.xlsx",
    ]


@pytest.mark.slow
def test_every_exported_sheet_is_scanned(exported):
    """The workbooks tongket exports are read by the scanner alone, as the tree reads them."""
    for book in exported:
        strings, found = context(book)
        for data in members(book):
            assert read(data, strings, found)


@pytest.mark.slow
def test_hostile_workbooks(hostile):
    scanned = 0
    for book in hostile:
        strings, found = context(book)
        for data in members(book):
            scanned += check(data, strings, found) is not None
    assert scanned > len(hostile) * 6  # all but the broken sheet and the merged one


# -- hand-written sheets -----------------------------------------------------------------------

INLINE = '<c r="{0}" t="inlineStr"><is><t>{1}</t></is></c>'
#: rows the scanner reads (the tree reads them the same)
READ = [
    "",
    '<row r="1"/>',
    '<row r="1"></row><row r="2"><c r="A2" s="2"/></row>',
    '<row r="3"><c r="A3" s="5" t="inlineStr"><is><t>ng&#432;&#7901;i</t></is></c>'
    '<c r="B3" t="n"><v>12</v></c></row>',
    '<row r="1" spans="1:3" ht="20" customHeight="1" x14ac:dyDescent="0.25">'
    '<c r="A1" s="1" t="s"><v>1</v></c><c r="C1" s="3"><v>45000.5</v></c></row>',
    '\n  <row r="1">\n    <c r="A1" t="inlineStr">\n <is>\n <t xml:space="preserve"> a </t> </is> </c>\n'
    '  </row>\n',
    '<row r="2"><c r="B2" t="inlineStr"><is><t/></is></c><c r="C2" t="inlineStr"><is><t></t></is></c>'
    '<c r="D2"><v></v></c><c r="E2"><v/></c><c r="F2"></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&lt;&gt;&amp;&quot;&apos;&#x1EA1;&#0065;&#13;</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>a\r\nb\rc</t></is></c></row>',
    '<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c><c r="C1" s="5"><v>0.994</v></c>'
    '<c r="D1" s="3"><v>0.5</v></c><c r="E1" t="inlineStr"><v>7</v></c><c r="F1"><is><t>x</t></is></c></row>',
    '<row r="2"><c r="A2" t="inlineStr"><is><t>old</t></is></c></row>'
    '<row r="2"><c r="B2" t="inlineStr"><is><t>new</t></is></c></row><row r="2"><c r="A2"/></row>'
    '<row r="1"><c r="C1" t="inlineStr"><is><t>late</t></is></c><c r="C1"><v>3</v></c></row>',
    f'<row r="5001">{INLINE.format("A5001", "last")}</row><row r="5002"><c r="A5002"/></row>'
    '<row r="99999999"><c r="XFD9999999" s="1"/></row>',
    f'<row r="1">{INLINE.format("GR1", "y" * 32767)}</row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>\ufdd0\u0085\x7f người</t></is></c></row>',
]
#: sheets of unusual frames the scanner reads
READ_FRAMES = [
    sheet(ONE, HEAD.replace("<dimension", "<!-- x --><dimension")),
    sheet(ONE, HEAD.replace("<dimension", "<?pi x?><dimension")),
    sheet('<row r="1" x14ac:dyDescent="1"><c r="A1"><v>1</v></c></row>', HEAD.replace(X14AC, "urn:other")),
    sheet(f"\n{ONE}\n", tail=TAIL.replace("<pageMargins", "<mergeCells/><pageMargins")),
    f'<worksheet xmlns="{fastxlsx.MAIN}"><sheetData>{ONE}</sheetData></worksheet>'.encode(),
]
#: rows the scanner raises on, as the tree does
RAISED = [
    '<row r="1"><c r="A1" t="e"><v>#N/A</v></c></row>',
    '<row r="1"><c r="A1" t="str"><v>x</v></c></row>',
    '<row r="1"><c r="A1" t="d"><v>2024-01-01</v></c></row>',
    '<row r="1"><c r="A1" s="4"><v>1.5</v></c></row>',
    '<row r="1"><c r="A1" t="s"><v>7</v></c></row>',
    '<row r="1"><c r="A1" t="s"><v>x</v></c></row>',
    '<row r="1"><c r="A1"><v>abc</v></c></row>',
    '<row r="1"><c r="A1" s="3"><v>1E300</v></c></row>',
    f'<row r="5002">{INLINE.format("A5002", "x")}</row>',
    f'<row r="1">{INLINE.format("GS1", "x")}</row>',
    f'<row r="1">{INLINE.format("A1", "y" * 32768)}</row>',
    f'{ONE}<row r="6000"><c r="A6000"><v>1</v></c></row>',
]
#: rows the scanner leaves to the tree reading (which reads them, raises or fails to parse)
ASIDE = [
    '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is/></c></row>',
    '<row r="1"><c t="n" r="A1"><v>1</v></c><c r="B1" t="n" s="3"><v>1</v></c></row>',
    '<row r="1"><c t="n"><v>1</v></c></row>',
    '<row r="1"><c r="a1"><v>1</v></c></row>',
    '<row r="1"><c r="A0"><v>1</v></c></row>',
    '<row r="1"><c r="AAAA1"><v>1</v></c></row>',
    '<row r="1"><c r="A1" t=""><v>1</v></c></row>',
    "<row r=\"1\"><c r='A1'><v>1</v></c></row>",
    '<row r="1"><c r="A1" cm="1"><v>1</v></c></row>',
    '<row r="1"><c r="A1" xmlns="urn:x"><v>1</v></c></row>',
    '<row r="1" xmlns="urn:x"><c r="A1"><v>1</v></c></row>',
    '<row r="1" ht="1" ht="2"><c r="A1"><v>1</v></c></row>',
    '<row r="1" r="2"><c r="A1"><v>1</v></c></row>',
    '<row r="1" y:z="1"><c r="A1"><v>1</v></c></row>',
    '<row><c r="A1"><v>1</v></c></row>',
    '<row r="x"><c r="A1"><v>1</v></c></row>',
    '<row spans="1:2" r="1"><c r="A1"><v>1</v></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[a<b]]></t></is></c></row>',
    '<row r="1"><!-- a comment --><c r="A1"><v>1</v></c></row>',
    '<row r="1"><c r="A1"><v>1</v></c>text</row>',
    '<row r="1"><c r="A1"><v>1</v><v>2</v></c></row>',
    '<row r="1"><row r="2"/></row>',
    '<c r="A1"><v>1</v></c>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&#0;</t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&#xD800;</t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a & b</t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>]]></t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>\x01</t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>\ue000</t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&#57344;</t></is></c></row>',
    '<row r="1"><c r="A1"><v>1</v></c>',
    f"{ONE}</row>",
    '<row r="1"><c r="A1"><v>1</v></c></row >',
    f"{ONE}<extLst/>",
]
#: sheets whose frame (the bytes around the cells) the scanner does not trust
FRAMES = [
    sheet(ONE, tail=TAIL.replace("<pageMargins", '<mergeCells count="1"><mergeCell ref="A1:B1"/>'
                                                 "</mergeCells><pageMargins")),
    sheet('<row r="1" x14ac:dyDescent="0.25"/>', HEAD.replace(f' xmlns:x14ac="{X14AC}"', "")),
    sheet(ONE, HEAD.replace("<sheetData>", '<sheetData xmlns="urn:x">')),
    sheet(ONE, HEAD.replace("<sheetData>", '<foo xmlns="urn:x"><sheetData>'),
          TAIL.replace("</sheetData>", "</sheetData></foo>")),
    sheet(ONE, HEAD.replace("<sheetData>", "<x><sheetData>"),
          TAIL.replace("</sheetData>", "</sheetData></x>")),
    sheet(ONE, tail=TAIL.replace("<pageMargins", '<foo><row r="2"/></foo><pageMargins')),
    sheet(ONE, tail=TAIL.replace("</worksheet>", "</worksheet>junk")),
    sheet(ONE, HEAD.replace("<worksheet", '<!DOCTYPE w [<!ENTITY e "x">]><worksheet')),
    sheet(ONE, HEAD.replace('encoding="UTF-8"', 'encoding="latin-1"')),
    sheet(ONE, HEAD.replace("worksheet", "chartsheet"), TAIL.replace("worksheet", "chartsheet")),
    sheet(ONE, tail=TAIL.replace("<pageMargins", "<sheetData/><pageMargins")),
    sheet(ONE, tail=TAIL.replace("</sheetData>", "</sheetData><sheetData></sheetData>")),
    sheet(ONE, tail=TAIL.replace("<pageMargins", "<pageMargins bad")),
    sheet(ONE, tail=TAIL.replace('left="0.7"', 'left="x"')),
    sheet(b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xff\xfe</t></is></c></row>'),
    sheet(b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xed\xa0\x80</t></is></c></row>'),
    f'<worksheet xmlns:x="{fastxlsx.MAIN}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c>'
    '</x:row></x:sheetData></worksheet>'.encode(),
    f'<worksheet xmlns="{fastxlsx.MAIN}"><sheetData/></worksheet>'.encode(),
    f'<worksheet xmlns="{fastxlsx.MAIN}"><sheetData>{ONE}</sheetData>'.encode(),
    b"\xef\xbb\xbf" + sheet(ONE),
]


@pytest.mark.parametrize("data", [sheet(b) for b in READ] + READ_FRAMES)
def test_the_scanner_reads_the_usual_shapes(data):
    for strings, book in ((STRINGS, BOOK), (OTHER_STRINGS, OTHER_BOOK)):
        assert read(data, strings, book)


@pytest.mark.parametrize("body", RAISED)
def test_the_scanner_raises_what_the_tree_raises(body):
    assert check(sheet(body))[0] == "raises"


@pytest.mark.parametrize("data", [sheet(b) for b in ASIDE] + FRAMES)
def test_the_scanner_steps_aside_for_anything_else(data):
    """Left to the tree reading, or the same doubt before any cell (not UTF-8 XML)."""
    scanned = check(data)
    assert scanned is None or scanned[0] == "raises" and b"<sheetData>" in data


def test_a_row_kept_by_its_bytes_is_read_again_in_its_context():
    """Rows are kept per book (their dates and percentages differ), never when they use
    the shared strings, and a kept row is read again beyond the limits as a doubt."""
    dated = '<c r="A{0}" s="3"><v>2</v></c><c r="B{0}" s="5"><v>0.5</v></c>'
    shared = '<row r="2"><c r="A2" t="s"><v>1</v></c></row>'
    data = sheet(f'<row r="1">{dated.format(1)}</row>{shared}')
    for _ in range(2):
        for strings, book in ((STRINGS, BOOK), (OTHER_STRINGS, OTHER_BOOK)):
            assert read(data, strings, book)
            assert dated.format(1).encode() in fastxlsx._KEPT.rows(book)
            assert b'<c r="A2" t="s"><v>1</v></c>' not in fastxlsx._KEPT.rows(book)
    assert fastxlsx._scanned_rows(data, STRINGS, BOOK)[:2] == [[dt.datetime(1900, 1, 2), 50.0], ["hai", None]]
    assert fastxlsx._scanned_rows(data, OTHER_STRINGS, OTHER_BOOK)[:2] == [
        [200, "12:00:00"], ["B", None]]
    far = sheet(f'<row r="5002">{dated.format(5002)}</row>')
    assert read(sheet(f'<row r="5001">{dated.format(5002)}</row>'))
    assert check(far) == ("raises", "_Doubt", "beyond the limits")


# -- random sheets -----------------------------------------------------------------------------

TEXTS = ["", "x", "người", "ng&#432;&#7901;i", "&#x1EA1;&#x1ea1;", "a &amp; b", "&lt;b&gt;", "&quot;&apos;",
         " lead", "trail ", "  ", "\t", "a\nb", "a\r\nb", "a\rb", "&#13;", "&#10;&#9;", "&#65;&#0065;",
         "a]]b", ">", "\x7f", "\ufdd0", "12", "1.5", "-3", "1E3", "2.5e-1", " 7 ", "abc", "0", "1", "2",
         "-1", "#N/A", "inf", "1_000", "٣", "1e400", "4500000"]
#: texts the XML parser refuses, or the scanner does not read
BAD_TEXTS = ["&#X1ea1;", "&#0;", "&#1;", "&#xD800;", "&#x110000;", "&#xFFFE;", "&#x;", "&nbsp;", "&",
             "]]>", "\x01", "\ue000", "&#57344;", "<![CDATA[x]]>", "<!-- c -->"]
STYLES = [None, None, None, None, "", "0", "3", "5", "007"]
KINDS = [None, None, "n", "s", "b", "inlineStr", "inlineStr", "inlineStr", "inlineStr"]
#: rarer: a duration's style, styles int() refuses, types the scanner raises on or leaves
ODD_STYLES, ODD_KINDS = ["4", "x", " 5", "1" * 10], ["e", "str", "d", "", "N"]
ROW_EXTRAS = [""] * 10 + [' spans="1:5"', ' ht="20" customHeight="1"', ' x14ac:dyDescent="0.25"',
                          ' spans="1:5" x14ac:dyDescent="0.25"', ' s="1" customFormat="1"']
BAD_ROW_EXTRAS = [' ht="1" ht="2"', ' r="3"', ' xmlns="urn:x"', " foo='1'", ' y:z="1"', ' xmlfoo="1"']


def random_text(rng: random.Random) -> str:
    if rng.random() < 0.005:
        return "y" * rng.choice([32767, 32768])
    return "".join(rng.choice(BAD_TEXTS if rng.random() < 0.01 else TEXTS)
                   for _ in range(rng.choice([1, 1, 1, 2, 3])))


def random_address(rng: random.Random, row: int) -> str | None:
    column = rng.choice(["A", "B", "C", "AB", "GR", "GS", "XFD"] + ["A", "B", "C", "D", "E"] * 4)
    if rng.random() < 0.01:
        return rng.choice([None, "", "a1", "A0", "AAAA1", "A12345678", "$A$1", f"{column}{row} "])
    return f"{column}{row if rng.random() < 0.9 else rng.randint(1, 9)}"


def random_cell(rng: random.Random, row: int) -> str:
    address = random_address(rng, row)
    style = rng.choice(ODD_STYLES if rng.random() < 0.02 else STYLES)
    kind = rng.choice(ODD_KINDS if rng.random() < 0.03 else KINDS)
    attributes = [f'{n}="{v}"' for n, v in (("r", address), ("s", style), ("t", kind)) if v is not None]
    if rng.random() < 0.02:
        rng.shuffle(attributes)
    space = rng.choice([" ", " ", " ", " ", "\n ", "  "])
    head = "<c " + space.join(attributes) + rng.choice(["", "", "", " "])
    text = random_text(rng)
    inner = rng.choice([
        None, "", f"<v>{text}</v>", f"<v>{text}</v>", "<v/>", f"<is><t>{text}</t></is>",
        f"<is><t>{text}</t></is>", f"<is><t>{text}</t></is>", f'<is><t xml:space="preserve">{text}</t></is>',
        "<is><t/></is>", f" <v>{text}</v>\n", f"<is> <t>{text}</t>\n</is>",
    ] if rng.random() < 0.95 else [
        "<is/>", f"<is><r><t>{text}</t></r></is>", f"<f>A1</f><v>{text}</v>", f"<v>{text}</v><f>A1</f>",
        f"<is><t>{text}</t></is><v>{text}</v>", "<!--x-->", f"<v>{text}</v>x",
    ])
    return head + "/>" if inner is None else f"{head}>{inner}</c>"


def random_row(rng: random.Random, number: int) -> str:
    r = rng.choice([str(number)] * 40 + ["0", "007", "99999999", "", None, "1.5", "a", "5001", "5002"])
    head = "<row" + ("" if r is None else f' r="{r}"') + rng.choice(
        BAD_ROW_EXTRAS if rng.random() < 0.02 else ROW_EXTRAS)
    cells = [random_cell(rng, number) for _ in range(rng.choice([0, 1, 2, 3, 4, 6]))]
    if not cells and rng.random() < 0.5:
        return head + "/>"
    space = rng.choice(["", "", "", "\n  ", " "])
    return f"{head}>{space}{space.join(cells)}{space}</row>"


def random_sheet(rng: random.Random) -> bytes:
    numbers = sorted(rng.sample(range(1, 40), rng.randint(0, 7)))
    if rng.random() < 0.1:
        rng.shuffle(numbers)
    space = rng.choice(["", "", "", "\n", "\r\n"])
    data = sheet(space + space.join(random_row(rng, n) for n in numbers) + space)
    return mutate_bytes(rng, data) if rng.random() < 0.1 else data


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """A byte or two deleted, inserted or changed inside the cells."""
    start, end = data.find(b"<sheetData>"), data.find(b"</sheetData>") + 12
    for _ in range(rng.choice([1, 2])):
        at = rng.randint(start, max(start, end - 1))
        new = rng.choice([b"", b"<", b">", b"&", b'"', b"'", b"\r", b" ", b"/", b"=", b"x", b"1", b"\xc3"])
        data = data[:at] + new + data[at + rng.choice([0, 1]):]
    return data


@pytest.mark.slow
def test_random_sheets():
    rng = random.Random(20240611)
    scanned = 0
    for i in range(2500):
        strings, book = (STRINGS, BOOK) if i % 3 else (OTHER_STRINGS, OTHER_BOOK)
        scanned += check(random_sheet(rng), strings, book) is not None
    assert scanned > 250  # the scanner did read many of them, not only step aside


# -- mutated exported sheets -------------------------------------------------------------------

def _reorder(match: re.Match) -> bytes:
    attributes = re.findall(rb' \w+="[^"]*"', match.group(1))
    return b"<c" + b"".join(reversed(attributes)) + b">"


MUTATIONS: list[tuple[bytes, Callable[[re.Match], bytes]]] = [
    (rb"<c( [^>]*[^/])>", _reorder),
    (rb"><", lambda m: b">\n  <"),
    (rb"<t>([^<]*)</t>", lambda m: b"<t>" + m.group(1) + b" &amp; &#x1EA1;&#13;&lt;</t>"),
    (rb"<t>([^<]*)</t>", lambda m: b"<t>" + m.group(1) + b"\r\n\r</t>"),
    (rb"<t>([^<]*)</t>", lambda m: b'<t xml:space="preserve"> ' + m.group(1) + b" </t>"),
    (rb"<t>([^<]*)</t>", lambda m: b"<t><![CDATA[" + m.group(1) + b"]]></t>"),
    (rb"<t>([^<]*)</t>", lambda m: b"<t>" + b"z" * 32768 + b"</t>"),
    (rb"<c ", lambda m: b"<!-- c --><c "),
    (rb'<c r="([A-Z]+\d+)"[^>]*>.*?</c>', lambda m: b'<c r="' + m.group(1) + b'"><f>1+1</f><v>2</v></c>'),
    (rb'<c r="([A-Z]+\d+)"[^>]*>.*?</c>', lambda m: b'<c r="' + m.group(1) + b'" t="e"><v>#DIV/0!</v></c>'),
    (rb'<c r="([A-Z]+\d+)"[^>]*>.*?</c>', lambda m: b'<c r="' + m.group(1) + b'" t="str"><v>x</v></c>'),
    (rb'<c r="([A-Z]+\d+)"[^>]*>.*?</c>', lambda m: b'<c r="' + m.group(1) + b'" t="s"><v>1</v></c>'),
    (rb'<c r="([A-Z]+\d+)"[^>]*>.*?</c>', lambda m: b'<c r="' + m.group(1) + b'" t="b"><v>1</v></c>'),
    (rb'<c r="([A-Z]+\d+)"[^>]*>.*?</c>', lambda m: b'<c r="' + m.group(1) + b'" s="2"/>'),
    (rb'<c r="([A-Z]+\d+)"[^>]*>.*?</c>', lambda m: b'<c r="' + m.group(1) + b'" s="4"><v>3</v></c>'),
    (rb'<c r="[A-Z]+\d+"', lambda m: b"<c"),
    (rb'<c r="([A-Z]+\d+)"[^>]*>.*?</c>',
     lambda m: b'<c r="' + m.group(1) + b'" t="inlineStr"><is><r><t>a</t></r></is></c>'),
    (rb'<row r="\d+"', lambda m: b'<row r="99999999"'),
    (rb'<row r="\d+"', lambda m: m.group(0) + b' spans="1:9" ht="20" customHeight="1"'),
    (rb'<row r="\d+"', lambda m: m.group(0) + b' x14ac:dyDescent="0.25"'),
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


@pytest.mark.slow
def test_mutated_exported_sheets(exported):
    rng = random.Random(7)
    sheets = [(data, *context(book)) for book in exported for data in members(book)]
    small = [s for s in sheets if len(s[0]) < 12_000]
    scanned = 0
    for i in range(400):
        data, strings, book = rng.choice(small if i % 4 else sheets)
        scanned += check(mutated(rng, data), strings, book) is not None
    assert scanned > 40


def test_grid_is_every_row_and_column():
    """_grid: rows 1 to the last, columns 1 to the widest, None where nothing; new lists."""
    rng = random.Random(3)
    for _ in range(2000):
        found = {rng.randint(1, 12): {rng.randint(1, 9): rng.choice([0, "", "x", 1.5, False])
                                      for _ in range(rng.randint(1, 4))}
                 for _ in range(rng.randint(0, 6))}
        last, width = max(found, default=0), max((max(v) for v in found.values()), default=0)
        grid = fastxlsx._grid(found)
        assert grid == [[found.get(r, {}).get(c) for c in range(1, width + 1)] for r in range(1, last + 1)]
        assert len({id(row) for row in grid}) == len(grid)
