"""A page's table of contents (“Mục lục”), added to the HTML nbconvert made.

A page holding the report document gets a short one (:func:`report_toc`): the key
figures, the document, the annex and the annex's parts. It is read in one pass of the
standard library's HTML parser and written into the page where it belongs: the page is
otherwise left exactly as nbconvert made it, and a report's page (close to a megabyte,
mostly its charts) is never built into a tree and written out again, which took a tenth
of a second a report. A page without the document (the trends report) gets one built
from all its headings (:func:`add_toc`), with BeautifulSoup.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser
from typing import Any

from tongket_lib.vn import slug

#: the short table of contents of a page holding the document: (id, entry); the
#: annex's parts follow as sub-entries
REPORT_PARTS = (("so-lieu-chinh", "Số liệu chính"), ("van-ban", "Văn bản báo cáo"),
                ("phu-luc", "Phụ lục"))
#: the ids of headings that are not parts of the annex: a section's table, a check
NOT_PARTS = ("muc-", "doi-chieu-")
CAPTION = "Mục lục"


class _Heading:
    """An ``h3`` of the page: where its start tag is, its id (if it has one), its text."""

    def __init__(self, start: int, ident: str | None, in_main: bool,
                 in_article: bool) -> None:
        self.start, self.ident = start, ident
        self.in_main, self.in_article = in_main, in_article
        self.strings: list[str] = []

    @property
    def text(self) -> str:
        """Its text as BeautifulSoup's ``get_text(" ", strip=True)`` gives it."""
        return " ".join(s.strip() for s in self.strings if s.strip())


class _Outline(HTMLParser):
    """What :func:`report_toc` needs of a page, in one pass: every id on it, where the
    first ``<main>`` (else the ``<body>``) opens, and its ``h3`` headings."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self._line_starts = [0]
        at = html.find("\n")
        while at >= 0:
            self._line_starts.append(at + 1)
            at = html.find("\n", at + 1)
        self.ids: set[str] = set()
        self.main_at: int | None = None  # just after <main ...>
        self.body_at: int | None = None  # just after <body ...>
        self.headings: list[_Heading] = []
        self._depth = {"main": 0, "article": 0}
        self._main_done = False
        self._heading: _Heading | None = None
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ident = self._collect(attrs)
        if tag in ("main", "body"):
            end = self._offset() + len(self.get_starttag_text() or "")
            if tag == "main" and self.main_at is None:
                self.main_at = end
            if tag == "body" and self.body_at is None:
                self.body_at = end
        if tag in self._depth:
            self._depth[tag] += 1
        elif tag == "h3":
            self._heading = _Heading(self._offset(), ident,
                                     in_main=self._depth["main"] > 0 and not self._main_done,
                                     in_article=self._depth["article"] > 0)
            self.headings.append(self._heading)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._collect(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._depth and self._depth[tag]:
            self._depth[tag] -= 1
            if tag == "main" and not self._depth["main"]:
                self._main_done = True  # only the first <main> is the page's
        elif tag == "h3":
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.strings.append(data)

    def _collect(self, attrs: list[tuple[str, str | None]]) -> str | None:
        ident = next((value for name, value in attrs if name == "id"), None)
        if ident is not None:
            self.ids.add(ident)
        return ident


def report_toc(html: str) -> str:
    """A short “Mục lục” at the top of a page holding the document: the key figures, the
    document, the annex and the annex's parts (its ``h3`` headings but those of the
    document and of each section's table). Parts the page lacks are left out; a heading
    listed without an id is given one made from its text."""
    outline = _Outline(html)
    at = outline.main_at if outline.main_at is not None else outline.body_at
    if at is None:
        return html
    within = [h for h in outline.headings if h.in_main] if outline.main_at is not None \
        else outline.headings
    used = set(outline.ids)
    entries, given = [], []  # given: (offset of a start tag, the id written into it)
    for ident, text in REPORT_PARTS:
        if ident not in outline.ids:
            continue
        subs = []
        if ident == "phu-luc":
            for heading in within:
                if heading.in_article or str(heading.ident or "").startswith(NOT_PARTS):
                    continue
                if not heading.ident:
                    heading.ident = _new_id(heading.text, used)
                    given.append((heading.start, heading.ident))
                subs.append(_item(heading.ident, heading.text))
        entries.append(_item(ident, text, "".join(subs)))
    if not entries:
        return html
    nav = (f'<nav class="tk-toc tk-toc-short" aria-label="{CAPTION}"><h2>{CAPTION}</h2>'
           f'<ol>{"".join(entries)}</ol></nav>')
    inserts = sorted([(at, nav), *((start + 3, f' id="{escape(ident)}"')
                                   for start, ident in given)])
    parts, last = [], 0
    for offset, text in inserts:
        parts += [html[last:offset], text]
        last = offset
    parts.append(html[last:])
    return "".join(parts)


def _item(ident: str, text: str, subs: str = "") -> str:
    sub = f"<ol>{subs}</ol>" if subs else ""
    return f'<li><a href="#{escape(ident)}">{escape(text, quote=False)}</a>{sub}</li>'


def _new_id(text: str, used: set) -> str:
    """An id made from ``text``, unique on the page (and now used)."""
    base = slug(text) or "muc"
    ident, n = base, 1
    while ident in used:
        n += 1
        ident = f"{base}-{n}"
    used.add(ident)
    return ident


def _toc_nav(soup: Any, classes: str) -> tuple[Any, Any]:
    """An empty table of contents: its ``<nav>`` captioned “Mục lục”, and the list in it."""
    nav = soup.new_tag("nav", attrs={"class": classes, "aria-label": CAPTION})
    caption = soup.new_tag("h2")
    caption.string = CAPTION
    nav.append(caption)
    top = soup.new_tag("ol")
    nav.append(top)
    return nav, top


def _give_id(heading: Any, used: set) -> None:
    """Give ``heading`` an id made from its text, unique on the page, unless it has one."""
    if not heading.get("id"):
        heading["id"] = _new_id(heading.get_text(" ", strip=True), used)


def add_toc(html: str) -> str:
    """Give every h2/h3 an id and insert a “Mục lục” after the report's header block."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup.body
    if main is None:
        return html
    used = {tag["id"] for tag in soup.find_all(id=True)}
    entries = []
    for heading in main.find_all(["h2", "h3"]):
        if heading.find_parent("nav"):
            continue
        _give_id(heading, used)
        entries.append((heading.name, str(heading["id"]), heading.get_text(" ", strip=True)))
    if not entries:
        return str(soup)

    nav, top = _toc_nav(soup, "tk-toc")
    current = None
    for level, ident, text in entries:
        item = soup.new_tag("li")
        link = soup.new_tag("a", href=f"#{ident}")
        link.string = text  # BeautifulSoup escapes it on output
        item.append(link)
        if level == "h3" and current is not None:
            sub = current.find("ol")
            if sub is None:
                sub = soup.new_tag("ol")
                current.append(sub)
            sub.append(item)
        else:
            top.append(item)
            current = item
    header = main.find(class_="tk-header")
    anchor = header.find_parent(class_="tk-out") or header if header else None
    if anchor is not None:
        anchor.insert_after(nav)
    else:
        main.insert(0, nav)
    return str(soup)
