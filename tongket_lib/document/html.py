"""The report document as HTML: every text escaped, CSS classes for the union's form
(the classes are styled by the report template's ``tongket.css``). One element per
paragraph of the .docx, with the same text.
"""

from __future__ import annotations

from html import escape
from typing import Any  # blocks are told by their kind: the model imports this module


def _p(text: str, cls: str) -> str:
    """A paragraph; a line break the data holds (a title on two lines) is kept."""
    return f'<p class="{cls}">{"<br/>".join(escape(t) for t in text.split(chr(10)))}</p>'


def to_html(doc: Any) -> str:
    """The document as one ``<article class="vb">`` fragment."""
    h = doc.header
    out = ['<article class="vb" id="van-ban" lang="vi">', _p(doc.banner, "tk-banner") if doc.banner else "",
           '<table class="vb-header" role="presentation"><tr>',
           '<td class="vb-left">', _p(h.upper, "vb-upper"), _p(h.issuer, "vb-issuer"),
           '<p class="vb-rule-short"></p>', _p(h.number, "vb-number"), "</td>",
           '<td class="vb-right">', _p(h.country, "vb-country"), _p(h.motto, "vb-motto"),
           '<p class="vb-rule"></p>', _p(h.place_date, "vb-place-date"), "</td>",
           "</tr></table>",
           _p(doc.kind, "vb-kind"), _p(doc.title, "vb-title"), '<p class="vb-title-rule"></p>']
    out += [_p(b, "vb-body vb-basis") for b in doc.bases]
    out.append(_p(doc.opening, "vb-body"))
    _blocks(doc.body, out)
    out.append(_p(doc.closing, "vb-body vb-closing"))
    out.append('<table class="vb-end" role="presentation"><tr><td class="vb-recipients">')
    out.append(_p("Nơi nhận:", "vb-recipients-head"))
    out += [_p(f"- {r}", "vb-recipient") for r in doc.recipients]
    s = doc.signature
    out.append('</td><td class="vb-signature">')
    out += [_p(line, "vb-on-behalf" if i == 0 else "vb-sign-title")
            for i, line in enumerate(s.lines())]
    out += ['<p class="vb-sign-space"></p>', _p(s.name, "vb-sign-name"),
            "</td></tr></table></article>"]
    return "\n".join(out)


def _blocks(blocks: list[Any], out: list[str]) -> None:
    for b in blocks:
        if b.kind == "section":
            if b.lead:  # the heading and its first line on one line: a paragraph
                out.append(f'<p class="vb-body vb-lead vb-level-{b.level}"><strong>'
                           f'{escape(b.title_line)}</strong> {escape(b.lead)}</p>')
            elif b.heading or b.label:
                tag = f"h{min(b.level + 1, 6)}" if b.is_heading else "p"
                cls = "vb-heading" if b.is_heading else "vb-body vb-item vb-subhead"
                out.append(f'<{tag} class="{cls} vb-level-{b.level}">'
                           f'{escape(b.title_line)}</{tag}>')
            _blocks(b.blocks, out)
        elif b.kind == "item":
            out.append(_p(f"{b.marker} {b.text}", "vb-body vb-item"))
        elif b.kind == "paragraph":
            out.append(_p(b.text, "vb-body"))
        elif b.kind == "table":
            rows = []
            for i, r in enumerate(b.rows):
                cell = "th" if b.header and i == 0 else "td"
                rows.append("<tr>" + "".join(f"<{cell}>{escape(c)}</{cell}>" for c in r) + "</tr>")
            out.append('<table class="vb-table">' + "".join(rows) + "</table>")


class AppendixTitle:
    """The annex's heading, displayed in a notebook: "PHỤ LỤC", the document it goes
    with ("Kèm theo Báo cáo số …/BC-… ngày …", dotted blanks where not known yet) and
    what it holds."""

    def __init__(self, doc: Any):
        self.doc = doc

    def _repr_html_(self) -> str:
        return (f'<section class="tk-annex-head" id="phu-luc">'
                f'<h2 class="tk-appendix-title tk-appendix-start">PHỤ LỤC</h2>'
                f'<p class="tk-annex-ref">{escape(annex_reference(self.doc))}</p>'
                f'<p class="tk-annex-name">{escape(annex_name(self.doc))}</p></section>')


def annex_reference(doc: Any) -> str:
    """ "(Kèm theo Báo cáo số 15/BC-CĐCS ngày 04/12/2024)": the document's kind, number
    and date as its header gives them, dotted blanks where they are not known yet.

    >>> from tongket_lib.document.model import Header
    >>> class D:  # the two fields read here
    ...     kind, header = "BÁO CÁO", Header(number="Số: …………/BC-CĐCS",
    ...                                      place_date="Trà Vinh, ngày …… tháng …… năm 2024")
    >>> annex_reference(D())
    '(Kèm theo Báo cáo số …………/BC-CĐCS ngày …… tháng …… năm 2024)'
    >>> D.header = Header(number="Số: 15/BC-CĐCS", place_date="Trà Vinh, ngày 04 tháng 12 năm 2024")
    >>> annex_reference(D())
    '(Kèm theo Báo cáo số 15/BC-CĐCS ngày 04/12/2024)'
    """
    import re

    from tongket_lib.document.sentences import BLANK

    h = doc.header
    number = re.sub(r"^\s*Số\s*:?\s*", "", h.number or "") or BLANK
    when = re.search(r"ngày\s+(\S+)\s+tháng\s+(\S+)\s+năm\s+(\S+)", h.place_date or "")
    if when is None:
        date = BLANK
    elif all(part.isdigit() for part in when.groups()):
        date = "/".join(when.groups())
    else:
        date = when[0].removeprefix("ngày").strip()
    kind = " ".join((doc.kind or "Báo cáo").split()).capitalize()
    return f"(Kèm theo {kind} số {number} ngày {date})"


def annex_name(doc: Any) -> str:
    """What the annex holds: "Số liệu, biểu đồ năm 2024" (the period as the document
    names it)."""
    from tongket_lib.period import parse_period

    try:
        period = parse_period(doc.year).label
    except Exception:
        period = ""
    return f"Bảng số liệu và biểu đồ {period}".strip()


def appendix_title(doc: Any) -> AppendixTitle:
    """What the notebook shows at the start of the appendix."""
    return AppendixTitle(doc)
