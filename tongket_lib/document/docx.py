"""Write the report document as a Word file (.docx) in the union's form.

Built with python-docx rather than docxtpl: the document's structure (how many
sections, headings, list lines) comes from the data and changes from year to year,
which python-docx builds paragraph by paragraph with real Word styles (Heading 1–4,
List Paragraph, tables), while docxtpl fills a fixed Jinja template inside a Word file
(a template author would have to loop over a tree in Word's XML, and any ``{{ }}`` in
the data would be read as template code). A user's own Word file can still serve as
the starting point (letterhead, styles): :func:`write_docx` opens it, keeps its styles
and first-page letterhead, and writes the body after its content.

The form (Nghị định 30/2020/NĐ-CP Phụ lục I, Quyết định 933/QĐ-TLĐ): A4; margins top
and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 14 pt, black; body justified
with a first-line indent and at least 6 pt between paragraphs; page numbers centred at
the top from page 2; the closing line kept on the page of the signature. Text is always
added as runs of plain text, so ``<w:p>`` or ``{{ x }}`` in the data stays literal text.

Word and LibreOffice read a table differently: Word goes by the cells' widths, LibreOffice
by the table's grid (``w:tblGrid``). Every table here gets both, equal, and its width is
the section's text width (page width minus the margins, the template's own margins
included). Styles carry ``w:lang`` vi-VN, so spelling and hyphenation are Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import os
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docx import Document as open_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from tongket_lib.document.docxstyle import (  # noqa: F401  (TemplateWarning, check_template: API)
    FONT,
    HEADINGS,
    INDENT,
    SIZE,
    SPACE,
    TemplateWarning,
    _a4,
    _language,
    _page,
    _page_numbers,
    _styles,
    check_template,
    open_template,
    text_width,
)
from tongket_lib.document.model import Document, ListItem, Paragraph, Section, Table

SMALL = Pt(12)
#: the header block's left column, of the text width (the right one has the rest: the
#: quốc hiệu, 88 mm in 12 pt bold, stays on one line in 165 mm of text)
HEADER_LEFT = 0.44
#: the closing block's "Nơi nhận:" column, of the text width
CLOSING_LEFT = 0.48



def write_docx(document: Document, path: str | os.PathLike,
               template: str | os.PathLike | None = None,
               properties: Mapping[str, Any] | None = None) -> Path:
    """Write ``document`` to ``path`` (the caller makes it atomic); return the path.

    ``template``: a user's .docx (e.g. ``mau-bao-cao.docx`` in the year's folder) whose
    content (a letterhead), page setup, styles and page header are kept; the document is
    written after its content, and styles it lacks are added in the form's look; one that
    is no Word document raises :class:`~tongket_lib.errors.ParameterError` naming it.
    ``properties``: ``checksum``, ``version``, ``generated`` (a datetime) and ``title``
    go into the file's core properties, never into its text.
    """
    doc = open_template(template) if template else open_docx()
    if template is None:  # a user's template keeps its own margins, styles and header
        _page(doc)
    else:
        _a4(doc, Path(template).name)
    _styles(doc, keep=template is not None)
    _language(doc)
    _page_numbers(doc)
    if document.banner:
        banner = _centred(doc, document.banner, bold=True)
        banner.runs[0].font.color.rgb = RGBColor(0xC0, 0x39, 0x2B)
    _header_block(doc, document)
    _centred(doc, document.kind, bold=True, space_before=Pt(12))
    _centred(doc, document.title, bold=True)
    _rule(doc)
    for basis in document.bases:
        _body(doc, basis, italic=True)
    _body(doc, document.opening)
    _blocks(doc, document.body)
    closing = _body(doc, document.closing)
    closing.paragraph_format.keep_with_next = True  # on the page of the signature
    _closing_block(doc, document)
    _properties(doc, document, properties or {})
    doc.save(str(path))
    return Path(path)


# -- paragraphs ---------------------------------------------------------------------------------

#: each document's paragraph styles, by name: the id written, ``None`` for the default
_STYLE_IDS: weakref.WeakKeyDictionary[Any, dict[str, str | None]] = weakref.WeakKeyDictionary()


def _styled(doc: Any, name: str) -> Any:
    """A new paragraph in the paragraph style ``name``, as ``add_paragraph(style=name)``
    makes it, the style's id looked up once a document: python-docx looks for the
    default style among all of them for every paragraph, 60 % of writing the file."""
    ids = _STYLE_IDS.setdefault(doc.part, {})
    if name not in ids:
        style = doc.styles[name]
        ids[name] = None if style == doc.styles.default(WD_STYLE_TYPE.PARAGRAPH) \
            else style.style_id
    p = doc.add_paragraph()
    if ids[name] is not None:
        p._p.get_or_add_pPr().style = ids[name]
    return p


def _run(p: Any, text: str, bold: bool = False, italic: bool = False, size: Any = None) -> Any:
    """A run of plain text; a line break the data holds (a title on two lines) is kept."""
    first, *more = text.split("\n")
    run = p.add_run(first)
    for line in more:
        run.add_break()
        run.add_text(line)
    run.bold, run.italic = bold or None, italic or None
    if size is not None:
        run.font.size = size
    return run


def _centred(doc: Any, text: str, bold: bool = False, space_before: Any = None) -> Any:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Mm(0)
    if space_before is not None:
        p.paragraph_format.space_before = space_before
    _run(p, text, bold=bold)
    return p


def _body(doc: Any, text: str, italic: bool = False, style: str = "Body Text") -> Any:
    p = _styled(doc, style)
    if text:
        _run(p, text, italic=italic)
    return p


def _rule(doc: Any, width_mm: int = 40) -> None:
    """A short centred line (the bottom border of an empty, narrow paragraph)."""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    side = max(text_width(doc) - Mm(width_mm), 0) // 2
    fmt.left_indent, fmt.right_indent = side, side
    fmt.first_line_indent = Mm(0)
    fmt.space_after = Pt(6)
    _border(p)


def _border(p: Any) -> None:
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    ppr.append(borders)
    size = OxmlElement("w:sz")  # keep the empty line small
    size.set(qn("w:val"), "8")
    rpr = OxmlElement("w:rPr")
    rpr.append(size)
    ppr.append(rpr)


def _blocks(doc: Any, blocks: list[Any]) -> None:
    for b in blocks:
        if isinstance(b, Section):
            if b.lead:  # the heading and its first line on one line, the heading in bold
                p = _body(doc, "", style="Body Text")
                _run(p, b.title_line, bold=True)
                _run(p, f" {b.lead}")
            elif b.heading or b.label:
                if b.is_heading:
                    p = _styled(doc, HEADINGS[min(b.level, len(HEADINGS)) - 1])
                    _run(p, b.title_line)
                else:
                    _body(doc, b.title_line, style="List Paragraph")
            _blocks(doc, b.blocks)
        elif isinstance(b, ListItem):
            _body(doc, f"{b.marker} {b.text}", style="List Paragraph")
        elif isinstance(b, Paragraph):
            _body(doc, b.text)
        elif isinstance(b, Table):
            _table(doc, b)


def _table(doc: Any, block: Table) -> None:
    """A table of the document, as wide as the text; each column's share follows the
    length of its longest cell (a number column narrow, a name column wide)."""
    if not block.rows:
        return
    columns = max(len(r) for r in block.rows)
    table = doc.add_table(rows=0, cols=columns)
    try:  # looked up by name, without making an object of each of the template's styles
        table.style = doc.styles["Table Grid"]
    except KeyError:
        table.style = None
    for i, row in enumerate(block.rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            p = cell.paragraphs[0]
            p.paragraph_format.first_line_indent = Mm(0)
            p.paragraph_format.space_after = Pt(0)
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            _run(p, text, bold=block.header and i == 0)
        if block.header and i == 0:
            _repeat_header(table.rows[0])
    longest = [max((len(r[c]) for r in block.rows if c < len(r)), default=1)
               for c in range(columns)]
    shares = [min(max(n, 4), 40) for n in longest]
    _widths(table, [text_width(doc) * s // sum(shares) for s in shares])


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _widths(table: Any, widths: list[int]) -> None:
    """Give ``table`` its columns' widths three ways, equal: the grid LibreOffice reads,
    each cell's width Word reads, and the table's own width and fixed layout."""
    from docx.shared import Emu

    table.autofit = False
    tbl = table._tbl
    grid = tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    for width in widths:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(Emu(width).twips))
        grid.append(col)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Emu(width)
    tblpr = tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:w"), str(Emu(sum(widths)).twips))
    tblw.set(qn("w:type"), "dxa")
    layout = tblpr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tblpr.append(layout)
    layout.set(qn("w:type"), "fixed")


def _no_borders(table: Any) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def _cell_line(cell: Any, text: str, first: bool = False, bold: bool = False,
               italic: bool = False, size: Any = None, rule: bool = False) -> Any:
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Mm(0)
    p.paragraph_format.space_after = Pt(0)
    if text:
        _run(p, text, bold=bold, italic=italic, size=size)
    return p


def _header_block(doc: Any, document: Document) -> None:
    """The two-column block: upper-level union over the issuing union (bold; a line
    break where the data puts one), the number; quốc hiệu over tiêu ngữ with the short
    rule, then place and date in italics."""
    h = document.header
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    width = text_width(doc)
    left_width = int(width * HEADER_LEFT)
    _widths(table, [left_width, width - left_width])
    left, right = table.rows[0].cells
    _cell_line(left, h.upper, first=True, size=Pt(12))
    issuer = _cell_line(left, h.issuer, bold=True, size=Pt(12))
    issuer.paragraph_format.space_after = Pt(0)
    _short_rule(left, 25)
    _cell_line(left, h.number, size=Pt(13))
    _cell_line(right, h.country, first=True, bold=True, size=Pt(12))
    _cell_line(right, h.motto, bold=True, size=Pt(13))
    _short_rule(right, 60)
    _cell_line(right, h.place_date, italic=True, size=Pt(13))


def _short_rule(cell: Any, width_mm: int) -> None:
    p = cell.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    inner = (cell.width or Mm(80)) - Mm(4)  # less the cell's default side margins
    side = max(inner - Mm(width_mm), 0) // 2
    fmt.left_indent, fmt.right_indent = side, side
    fmt.first_line_indent = Mm(0)
    fmt.space_after = Pt(6)
    _border(p)


def _closing_block(doc: Any, document: Document) -> None:
    """"Nơi nhận:" bottom left (entries 12 pt), the signature bottom right; one row that
    does not split across pages, every line kept with the next so the block stays whole."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    width = text_width(doc)
    left_width = int(width * CLOSING_LEFT)
    _widths(table, [left_width, width - left_width])
    row = table.rows[0]
    cant_split = OxmlElement("w:cantSplit")
    row._tr.get_or_add_trPr().append(cant_split)
    left, right = row.cells
    p = left.paragraphs[0]
    p.paragraph_format.first_line_indent = Mm(0)
    _run(p, "Nơi nhận:", bold=True, italic=True, size=SMALL)
    for r in document.recipients:
        q = left.add_paragraph()
        q.paragraph_format.first_line_indent = Mm(0)
        q.paragraph_format.space_after = Pt(0)
        _run(q, f"- {r}", size=Pt(11))
    s = document.signature
    for i, line in enumerate(s.lines()):
        _cell_line(right, line, first=i == 0, bold=True)
    for _ in range(4):  # room to sign
        _cell_line(right, "")
    _cell_line(right, s.name, bold=True)
    for cell in (left, right):
        for q in cell.paragraphs:
            q.paragraph_format.keep_with_next = True
            q.paragraph_format.keep_together = True


def _properties(doc: Any, document: Document, properties: Mapping[str, Any]) -> None:
    core = doc.core_properties
    core.title = f"{document.kind.capitalize()} {document.title}".strip()
    core.language = "vi-VN"
    core.author = "tongket"
    core.comments = "; ".join(f"{k}: {properties[k]}" for k in ("checksum", "version")
                              if properties.get(k))
    if properties.get("checksum"):
        core.identifier = str(properties["checksum"])
    if properties.get("version"):
        core.version = str(properties["version"])
    generated = properties.get("generated")
    if isinstance(generated, dt.datetime):
        core.created = core.modified = generated
    core.last_modified_by = "tongket"


