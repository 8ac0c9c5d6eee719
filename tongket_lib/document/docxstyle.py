"""The page and the styles of the report's Word file: A4 and the form's margins, Times New
Roman 14 pt black over any template's heading styles (no theme colour), at least 6 pt
between paragraphs, ``w:lang`` vi-VN, page numbers from page 2 even under a template's own
header, and a warning for a template that is not A4 (:mod:`~tongket_lib.document.docx`
writes the content)."""

from __future__ import annotations

import copy
import os
import warnings
from pathlib import Path
from typing import Any

from docx import Document as open_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from tongket_lib.document.template import template_message, template_problem
from tongket_lib.errors import ParameterError

FONT = "Times New Roman"
SIZE = Pt(14)
INDENT = Mm(10)
HEADINGS = ("Heading 1", "Heading 2", "Heading 3", "Heading 4")
#: at least this much space after a paragraph (the form asks for 6 pt or more)
SPACE = Pt(6)
LANGUAGE = "vi-VN"
A4 = (Mm(210), Mm(297))


class TemplateWarning(UserWarning):
    """Said to the user about their Word template; the file is written all the same."""


def _page(doc: Any) -> None:
    for section in doc.sections:
        section.page_width, section.page_height = A4
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        section.header_distance = Mm(10)


def _a4(doc: Any, name: str) -> None:
    """A template's page made A4 (its margins kept), with a word when it was not."""
    for section in doc.sections:
        width, height = section.page_width, section.page_height
        if width is None or height is None:
            section.page_width, section.page_height = A4
            continue
        portrait = width <= height
        want = A4 if portrait else (A4[1], A4[0])
        if abs(width - want[0]) > Mm(1) or abs(height - want[1]) > Mm(1):
            warnings.warn(TemplateWarning(
                f"Tệp mẫu Word {name} có khổ giấy {width.mm:.0f} × {height.mm:.0f} mm, không"
                f" phải A4 (210 × 297 mm) như thể thức văn bản quy định: tệp .docx được đặt"
                f" lại khổ A4, giữ lề của mẫu. Sửa khổ giấy của tệp mẫu để hết cảnh báo này."),
                stacklevel=3)
            section.page_width, section.page_height = want


def check_template(template: str | os.PathLike) -> None:
    """Say (:class:`TemplateWarning`) what :func:`write_docx` changes in a user's
    template: a page that is not A4."""
    _a4(open_template(template), Path(template).name)


def open_template(template: str | os.PathLike) -> Any:
    """The user's Word template opened by python-docx, or a
    :class:`~tongket_lib.errors.ParameterError` saying which file and how to fix it."""
    problem = template_problem(template)
    if problem is None:
        try:
            return open_docx(str(template))
        except Exception as exc:  # python-docx's own: a broken part, XML that does not parse
            problem = f"hỏng, không mở được ({type(exc).__name__}: {exc})"
    raise ParameterError(template_message(template, problem))


def text_width(doc: Any) -> Any:
    """The width text runs in: the last section's page width minus its margins."""
    section = doc.sections[-1]
    width = (section.page_width or A4[0]) - (section.left_margin or 0) - (
        section.right_margin or 0)
    return width if width > Mm(40) else Mm(165)


def _font(style: Any, size: Any = SIZE, bold: bool | None = None) -> None:
    style.font.name = FONT
    style.font.size = size
    style.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold
    style.font.italic = False
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    colour = rpr.find(qn("w:color"))
    if colour is not None:  # black, not a shade of the theme's accent
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            colour.attrib.pop(qn(attr), None)


def _themed(style: Any) -> bool:
    """Whether a style takes its font or colour from the document's theme: the default
    look of Word's headings (Calibri Light, blue), not one a person chose."""
    rpr = style.element.rPr
    if rpr is None:
        return False
    fonts, colour = rpr.find(qn("w:rFonts")), rpr.find(qn("w:color"))
    return (fonts is not None and any(qn(a) in fonts.attrib for a in (
        "w:asciiTheme", "w:hAnsiTheme"))) or (colour is not None and (
            qn("w:themeColor") in colour.attrib or colour.get(qn("w:val")) not in (
                None, "000000", "auto")))


def _styles(doc: Any, keep: bool = False) -> None:
    """The form's styles. With ``keep`` (a user's template) the template's own Normal,
    lists and headings stay, except headings in Word's default look (theme font and
    colour), which get the form's: black Times New Roman, bold. Paragraphs are at least
    :data:`SPACE` apart either way."""
    styles = doc.styles
    names = _names(doc)
    normal = styles["Normal"]
    if not keep:
        _font(normal)
        normal.paragraph_format.line_spacing = 1.1
    _space(normal)
    for name in HEADINGS:
        exists = name in names
        if keep and exists and not _themed(styles[name]):
            _space(styles[name])
            continue
        style = styles[name] if exists else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        _font(style, bold=True)
        linked = f"{name} Char"
        if linked in names and _themed(styles[linked]):
            _font(styles[linked], bold=True)
        fmt = style.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = INDENT
        fmt.space_before, fmt.space_after = Pt(6), SPACE
        fmt.keep_with_next = True
    for name in ("List Paragraph", "Body Text"):
        if keep and name in names:
            _space(styles[name])
            continue
        style = styles[name] if name in names else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _font(style)
        fmt = style.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = INDENT
        fmt.left_indent = Mm(0)
        fmt.space_after = SPACE


def _space(style: Any) -> None:
    """At least :data:`SPACE` after the style's paragraphs."""
    fmt = style.paragraph_format
    if fmt.space_after is None or fmt.space_after < SPACE:
        fmt.space_after = SPACE


def _language(doc: Any) -> None:
    """``w:lang`` vi-VN in the document's default run properties and on every paragraph
    and character style that names a language or is one tongket writes with."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    _lang(rpr)
    for style in styles.style_lst:  # a style without w:type is a paragraph style
        if style.get(qn("w:type"), "paragraph") in ("paragraph", "character"):
            _lang(style.get_or_add_rPr())


def _names(doc: Any) -> set[str]:
    """The names of the document's styles as Word shows them ("Heading 1"), read from
    the XML: python-docx makes an object of each style it lists (about 160 in its default
    template), each looking its type up in a new dictionary."""
    from docx.styles import BabelFish

    return {BabelFish.internal2ui(style.name_val) for style in doc.styles.element.style_lst
            if style.name_val is not None}


def _lang(rpr: Any) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def _page_numbers(doc: Any) -> None:
    """Page number centred in the top margin, none on the first page. A template's page
    header keeps its content (on the first page too) and gets the number under it."""
    section = doc.sections[0]
    header = section.header
    if 'instr="PAGE' in header._element.xml or ">PAGE<" in header._element.xml \
            or " PAGE " in header._element.xml:
        return  # the template numbers its pages itself
    had_text = any(p.text.strip() for p in header.paragraphs)
    if had_text and not section.different_first_page_header_footer:
        first = section.first_page_header
        first.is_linked_to_previous = False
        for p in list(first._element):
            first._element.remove(p)
        for p in header._element:  # the letterhead on the first page too, with no number
            first._element.append(copy.deepcopy(p))
    section.different_first_page_header_footer = True
    empty = header.paragraphs[0] if header.paragraphs and not had_text else None
    p = empty or header.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    run.font.name, run.font.size = FONT, SIZE
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
