"""Executed notebook → one offline HTML file → PDF.

The HTML comes from nbconvert with tongket's own template (``templates/tongket``): no
code, no prompts, no script and no request to the network (stock nbconvert pages load
require.js, MathJax and mermaid from the internet; government networks are often
offline, and a shared report must not call out). A report that is a văn bản (it
holds the document, ``article.vb``) has no table of contents: no văn bản has one;
other pages (the trends report) get one built from their headings. The printed version
also drops the cells tagged ``tk-screen-only`` (the checks, the tool's footer). The PDF
is the same HTML printed by WeasyPrint with the template's print stylesheet (A4 and the
margins, font and page numbers of Nghị định 30/2020/NĐ-CP).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

from tongket_lib import paths
from tongket_lib.errors import RenderError
from tongket_lib.vn import slug

TEMPLATE = "tongket"
REMOVE_TAG = "remove-cell"
#: cells shown on screen (HTML) but never printed (PDF): the checks, the footer
SCREEN_ONLY_TAG = "tk-screen-only"
#: the class of the document's element in the HTML (tongket_lib.document.html)
DOCUMENT_CLASS = "vb"


def warm_up(pdf: bool = True) -> None:
    """Get the exporters ready while a kernel runs (call it in a thread): import them,
    compile the page template of both versions and, with ``pdf``, lay out a tiny printed
    page once, which sets up WeasyPrint's fonts and stylesheets. Any failure here is left
    to the real export, which words it."""
    from bs4 import BeautifulSoup  # noqa: F401

    try:
        import nbformat
        import weasyprint

        tiny = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("tongket")])
        notebook_to_html(tiny, "tongket")
        page = notebook_to_html(tiny, "tongket", printed=True)
        if pdf:
            weasyprint.HTML(string=page, base_url=str(paths.project_root())).write_pdf()
    except Exception:
        pass


@functools.lru_cache(maxsize=2)
def _exporter(printed: bool = False):
    """The HTML exporter of the screen or the printed version, made once a process (its
    page template is compiled on first use)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = (
        {REMOVE_TAG, SCREEN_ONLY_TAG} if printed else {REMOVE_TAG})
    config.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(config=config, template_name=TEMPLATE,
                            extra_template_basedirs=[str(paths.templates_dir())])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.exclude_raw = True
    exporter.exclude_anchor_links = True
    exporter.register_preprocessor(TagRemovePreprocessor(config=config), enabled=True)
    return exporter


def notebook_to_html(nb, title: str, printed: bool = False,
                     properties: Mapping[str, str] | None = None, toc: bool | None = None) -> str:
    """One self-contained HTML page of an executed notebook.

    ``printed``: the version printed to PDF, without the ``tk-screen-only`` cells. A page
    holding the report document gets no table of contents; any other page gets one.
    ``properties``: ``<meta>`` names and values for the page's head, which WeasyPrint
    writes into the PDF's document properties (``keywords``, ``description``,
    ``generator``, ``dcterms.created``): where provenance goes, never into the text.
    ``toc``: force the table of contents on or off (a part of a page: off).
    """
    resources = {"tongket_title": title, "tongket_meta": dict(properties or {})}
    body, _ = _exporter(printed).from_notebook_node(nb, resources=resources)
    if toc is False or (toc is None and f'class="{DOCUMENT_CLASS}"' in body):
        return body
    return add_toc(body)


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
        if not heading.get("id"):
            base = slug(heading.get_text(" ", strip=True)) or "muc"
            ident, n = base, 1
            while ident in used:
                n += 1
                ident = f"{base}-{n}"
            heading["id"] = ident
            used.add(ident)
        entries.append((heading.name, str(heading["id"]), heading.get_text(" ", strip=True)))
    if not entries:
        return str(soup)

    nav = soup.new_tag("nav", attrs={"class": "tk-toc", "aria-label": "Mục lục"})
    caption = soup.new_tag("h2")
    caption.string = "Mục lục"
    nav.append(caption)
    top = soup.new_tag("ol")
    nav.append(top)
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


def html_to_pdf(html: str, path: str | Path) -> None:
    """Print the report's HTML to PDF with WeasyPrint (fonts embedded)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # Pango missing on the machine
        raise RenderError(f"Không tạo được PDF: thiếu thư viện WeasyPrint hoặc Pango ({exc})."
                          " Trên Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0"
                          " fonts-liberation, hoặc chỉ xuất HTML bằng --format html.") from None
    try:
        weasyprint.HTML(string=html, base_url=str(paths.project_root())).write_pdf(str(path))
    except Exception as exc:
        raise RenderError(f"Không tạo được PDF từ HTML: {type(exc).__name__}: {exc}") from None
