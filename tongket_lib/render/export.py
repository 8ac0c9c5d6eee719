"""Executed notebook → offline HTML pages → PDF.

The HTML comes from nbconvert with tongket's own template (``templates/tongket``): no
code, no prompts, no script and no request to the network (stock nbconvert pages load
require.js, MathJax and mermaid from the internet; government networks are often
offline, and a shared report must not call out).

A year's report makes three pages from one executed notebook:

- the *shared* page, what colleagues receive: everything but the cells tagged
  ``tk-checks``, with a short table of contents (:func:`report_toc`: the key figures,
  the document, the annex and its parts);
- the *checks* page, the preparer's (:func:`checks_page`): only the ``tk-checks`` cells
  (the checks, the verdicts' sources, the build details);
- the *printed* page (PDF): without the ``tk-screen-only`` cells either (the key figures
  box), printed by WeasyPrint with the template's print stylesheet (A4 and the margins,
  font and page numbers of Nghị định 30/2020/NĐ-CP). The signable PDF is the document
  alone; the annex is printed on its own when asked (:mod:`~tongket_lib.render.printing`).

A page without the document (the trends report) gets a table of contents built from its
headings (:func:`add_toc`).
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
import types
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from tongket_lib import paths
from tongket_lib.errors import RenderError
from tongket_lib.render.toc import add_toc, report_toc

TEMPLATE = "tongket"
REMOVE_TAG = "remove-cell"
#: cells shown on screen (HTML) but never printed (PDF): the key figures box
SCREEN_ONLY_TAG = "tk-screen-only"
#: cells of the preparer's checks page only: the checks, the build details
CHECKS_TAG = "tk-checks"
#: the class of the document's element in the HTML (tongket_lib.document.html)
DOCUMENT_CLASS = "vb"


def warm_up(pdf: bool = True) -> None:
    """Get the exporters ready while a kernel runs (call it in a thread): import them
    (WeasyPrint with ``pdf``) and compile the page template of the versions a render
    uses. Nothing is laid out here: the document's own layout follows in the same thread
    as soon as its cell has run. Any failure here is left to the real export, which
    words it. Done once a process: a second call waits for the first."""
    with _WARMING:
        try:
            if not _PAGES_READY.is_set():
                import nbformat

                tiny = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("tongket")])
                notebook_to_html(tiny, "tongket")
                notebook_to_html(tiny, "tongket", printed=True)
                _PAGES_READY.set()
            if pdf:
                import_weasyprint()  # once a process too
                print_stylesheet()
        except Exception:
            pass


_WARMING = threading.Lock()
_PAGES_READY = threading.Event()  # set once the page templates are compiled


_IMPORTING = threading.Lock()


def import_weasyprint() -> Any:
    """WeasyPrint, imported without running the C compiler for each library name it tries.

    WeasyPrint opens GObject, Pango, HarfBuzz and fontconfig through cffi under several
    names each (``libgobject-2.0-0``, …, ``libgobject-2.0.so.0``), and cffi looks up each
    name it cannot open with :func:`ctypes.util.find_library`, which on Linux runs gcc and
    ld every time: about fifteen compiler runs, a second of wall time and a third of a CPU
    second a render. The names that open at once (``libgobject-2.0.so.0``,
    ``libpango-1.0.dylib``) are among those it tries, so it is imported first with that
    look-up switched off, and again the ordinary way if a library was not found so.
    """
    with _IMPORTING:
        if "weasyprint" in sys.modules:
            return sys.modules["weasyprint"]
        import ctypes.util

        find = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            _font_tools_on_demand()
            import weasyprint

            return weasyprint
        except OSError:  # a library only the compiler's search finds: as WeasyPrint does
            for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
                del sys.modules[name]
        finally:
            ctypes.util.find_library = find
        import weasyprint

        return weasyprint


@functools.lru_cache(maxsize=4)
def _exporter(removed: frozenset[str]):
    """The page exporter that leaves out the cells tagged ``removed``, made once a
    process (its page template is compiled on first use)."""
    from nbconvert.preprocessors import TagRemovePreprocessor
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = set(removed)
    config.TagRemovePreprocessor.enabled = True
    exporter = _page_exporter_class()(config=config, template_name=TEMPLATE,
                                      extra_template_basedirs=[str(paths.templates_dir())])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.exclude_raw = True
    exporter.register_preprocessor(TagRemovePreprocessor(config=config), enabled=True)
    _compiled_once(exporter.environment)
    return exporter


def _compiled_once(environment: Any) -> None:
    """Keep the page templates compiled (Jinja's bytecode cache, in
    :func:`~tongket_lib.paths.cache_dir`): Jinja compiles them again in every process
    otherwise, a twentieth of a second a report. Jinja checks each cached template
    against its source and its own version, and writes it atomically; where the cache
    cannot be made or written (a read-only project, another user's folder), the
    templates are compiled as before."""
    import jinja2

    class Cache(jinja2.FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    folder = paths.cache_dir() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    environment.bytecode_cache = Cache(str(folder))


@functools.cache
def _page_exporter_class() -> Any:
    """nbconvert's :class:`~nbconvert.exporters.TemplateExporter` for tongket's page
    template: markdown as nbconvert's HTML exporter renders it (without the “¶” anchor
    links). Not the HTML exporter itself: that one parses every page it made again with
    BeautifulSoup to give images an alt text and code cells a tab stop, which tongket's
    template needs neither of (its pictures carry their alt text, it has no code), and
    that second pass was a third of the time of making the pages."""
    import jinja2
    from nbconvert.exporters import TemplateExporter
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
    from traitlets import default

    @jinja2.pass_context
    def markdown2html(context: Any, source: str) -> str:
        cell = context.get("cell", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        renderer = IPythonRenderer(escape=False, exclude_anchor_links=True, path=path,
                                   attachments=cell.get("attachments", {}))
        return MarkdownWithMath(renderer=renderer).render(source)

    class PageExporter(TemplateExporter):
        output_mimetype = "text/html"

        @default("file_extension")
        def _file_extension_default(self) -> str:  # names the page template, index.html.j2
            return ".html"

        def default_filters(self) -> Any:
            yield from super().default_filters()
            yield ("markdown2html", markdown2html)

    return PageExporter


def holds_document(html: str) -> bool:
    """Whether a page or an output shows the report document (the văn bản)."""
    return f'class="{DOCUMENT_CLASS}"' in html


def notebook_to_html(nb, title: str, printed: bool = False,
                     properties: Mapping[str, str] | None = None, toc: bool | None = None,
                     checks: bool = False) -> str:
    """One self-contained HTML page of an executed notebook.

    ``printed``: the version printed to PDF, without the ``tk-screen-only`` cells.
    ``checks``: the checks page's cells only are kept (the caller picks them; see
    :func:`checks_page`); otherwise the ``tk-checks`` cells are left out. A page on
    screen gets a table of contents (:func:`report_toc` when it holds the document,
    else :func:`add_toc`); a printed page none. ``properties``: ``<meta>`` names and
    values for the page's head, which WeasyPrint writes into the PDF's document
    properties (``keywords``, ``description``, ``generator``, ``dcterms.created``): where
    provenance goes, never into the text. ``toc``: force the table of contents on or off.
    """
    removed = {REMOVE_TAG} | (set() if checks else {CHECKS_TAG}) | (
        {SCREEN_ONLY_TAG} if printed else set())
    resources = {"tongket_title": title, "tongket_meta": dict(properties or {}),
                 "tongket_printed": printed}  # printed: the stylesheet is print_stylesheet()
    body, _ = _exporter(frozenset(removed)).from_notebook_node(nb, resources=resources)
    if toc is False or (toc is None and (printed or checks)):
        return body
    return report_toc(body) if holds_document(body) else add_toc(body)


def checks_page(nb, title: str, properties: Mapping[str, str] | None = None,
                report: str = "") -> str | None:
    """The preparer's page: the notebook's ``tk-checks`` cells under a line naming the
    report (``report``: the shared page's file name, linked), or ``None`` when the
    notebook has none."""
    import nbformat

    cells = [c for c in nb.cells if CHECKS_TAG in c.get("metadata", {}).get("tags", [])]
    if not cells:
        return None
    link = (f' Trang gửi đi: <a href="{escape(report)}">{escape(report)}</a>.' if report else "")
    head = (f'<p class="tk-checks-head"><strong>{escape(title)}</strong><br>Trang dành cho người'
            f" chuẩn bị báo cáo: kiểm tra số liệu và thông tin lần dựng.{link}</p>")
    intro = nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": head})])
    page = nbformat.v4.new_notebook(cells=[intro, *cells])
    page.metadata = nb.metadata
    return notebook_to_html(page, f"Kiểm tra số liệu – {title}", properties=properties,
                            checks=True)


#: what WeasyPrint imports of fontTools for the rare fonts HarfBuzz cannot subset and for
#: variable fonts; a third of WeasyPrint's import
_SUBSET, _INSTANCER = "fontTools.subset", "fontTools.varLib.instancer"


def _font_tools_on_demand() -> None:
    """Have WeasyPrint import fontTools' subsetter and variable-font instancer when it
    first uses them, not when it is imported: it subsets fonts with HarfBuzz and only
    instantiates variable fonts, and the two modules (with the OpenType tables they
    define) were a tenth of a CPU second of every report. While WeasyPrint's font module
    is imported, each is a stand-in (:class:`_OnDemand`) that imports the real module on
    the first name asked of it (the instancer's one function, which WeasyPrint takes at
    import, imports it when called); then the stand-ins leave ``sys.modules``, so any
    other import of them gets the real modules. Where either is already imported, nothing
    changes."""
    if _SUBSET in sys.modules or _INSTANCER in sys.modules:
        return
    stand_ins = {name: _OnDemand(name) for name in (_SUBSET, _INSTANCER)}

    def instantiateVariableFont(*args: Any, **kwargs: Any) -> Any:  # fontTools' name
        from fontTools.varLib.instancer import instantiateVariableFont as real

        return real(*args, **kwargs)

    # WeasyPrint takes this name from the module as it is imported: a function that
    # imports the real one when called
    stand_ins[_INSTANCER].instantiateVariableFont = instantiateVariableFont  # type: ignore[attr-defined]
    sys.modules.update(stand_ins)
    try:
        import weasyprint.pdf.fonts  # noqa: F401 (takes them now)
    except ImportError:
        pass  # words itself in the real import that follows
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]


class _OnDemand(types.ModuleType):
    """A module's stand-in that imports the module itself on the first name asked of it
    (its own attributes, ``__spec__`` among them, and the dunder names the import system
    looks for, such as ``__path__``, load nothing)."""

    def __getattr__(self, name: str) -> Any:
        import importlib

        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


@functools.cache
def print_stylesheet() -> Any:
    """The page template's stylesheet (``tongket.css``) as WeasyPrint reads it, parsed
    once a process: a printed page (``notebook_to_html(printed=True)``) leaves it out of
    its head and is laid out with this one, the same rules, instead of WeasyPrint parsing
    twelve kilobytes of CSS for every page it prints."""
    return import_weasyprint().CSS(
        string=(paths.templates_dir() / TEMPLATE / "tongket.css").read_text(encoding="utf-8"),
        base_url=str(paths.project_root()))


def html_to_pdf(html: str, path: str | Path) -> None:
    """Print the report's HTML to PDF with WeasyPrint (fonts embedded)."""
    try:
        weasyprint = import_weasyprint()
    except (ImportError, OSError) as exc:  # Pango missing on the machine
        raise RenderError(f"Không tạo được PDF: thiếu thư viện WeasyPrint hoặc Pango ({exc})."
                          " Trên Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0"
                          " libharfbuzz-subset0 fonts-liberation2, hoặc chỉ xuất HTML bằng"
                          " --format html.") from None
    try:
        weasyprint.HTML(string=html, base_url=str(paths.project_root())).write_pdf(
            str(path), stylesheets=[print_stylesheet()])
    except Exception as exc:
        raise RenderError(f"Không tạo được PDF từ HTML: {type(exc).__name__}: {exc}") from None
