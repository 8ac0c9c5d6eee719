"""The printed report (PDF): the document on its own, laid out while the notebook still
runs; the annex on its own when asked.

The signable PDF of a year's report is the văn bản alone: what the union signs and
sends. WeasyPrint's layout takes a second or two and the render process waits idle
while the kernel runs the notebook, so a :class:`Printer` uses that time on the second
core: a thread gets the exporters ready (:func:`~tongket_lib.render.export.warm_up`),
and as soon as the cell showing the report document (``article.vb``) has run, it lays
out that cell's printed page. After the notebook, the pages are written as they are when
the document, made again from the finished notebook, is the same HTML the thread laid
out; otherwise it is laid out again. The annex (everything after the document but the
cells tagged ``tk-screen-only`` and ``tk-checks``) is laid out only for the format
:data:`~tongket_lib.render.names.ANNEX`, after the notebook. A report without a document
(the trends report) is printed whole, as :func:`~tongket_lib.render.export.html_to_pdf`
does.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping
from html import escape
from pathlib import Path
from typing import Any

from tongket_lib import paths
from tongket_lib.errors import RenderError
from tongket_lib.render import export


def holds_document(cell: Any) -> bool:
    """Whether an executed cell shows the report document (the văn bản)."""
    return any(export.holds_document(str(output.get("data", {}).get("text/html", "")))
               for output in cell.get("outputs", []))


def _body(html: str) -> str:
    """The page without its head: the title and properties differ, the content must not."""
    return html[html.find("<body"):]


class Printer:
    """Lays out a report's PDF, the document while the notebook runs.

    Give :meth:`on_cell_executed` to the notebook client (nbclient's hook of that name)
    and ``cells`` the notebook as it will be executed (parameters injected), then call
    :meth:`write` (and :meth:`write_annex`) with the executed notebook.
    """

    def __init__(self, cells: list[Any], pdf: bool,
                 early_pdf: tuple[Path, str, Mapping[str, str]] | None = None,
                 on_document: Callable[[Any], None] | None = None) -> None:
        """``early_pdf``: the path, title and properties the document's PDF is written
        with as soon as it is laid out, while the notebook still runs (:meth:`write`
        leaves that file when it is still right). ``on_document``: called in the thread
        with the document's cell once it is laid out (the render writes the Word file
        then)."""
        self._cells = cells
        self._pdf = pdf
        self._early_pdf = early_pdf
        self._early_written: tuple[str, dict[str, str]] | None = None
        self._on_document = on_document
        self._document: Any = None  # the document's cell, once it has run
        self._first_html: str | None = None
        self._first: Any = None  # the document's laid-out pages (a weasyprint Document)
        self._font_config: Any = None
        #: whether the last :meth:`write` used the pages laid out while the notebook ran
        self.used_early_pages = False
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._work, daemon=True)
        self._thread.start()

    # -- while the notebook runs (the client's event loop, this process's main thread) --

    def on_cell_executed(self, cell: Any = None, cell_index: int = 0, **_: Any) -> None:
        if cell is None or not (self._pdf or self._on_document) \
                or self._document is not None or not holds_document(cell):
            return
        self._document = copy.deepcopy(cell)  # the exporters are the thread's until it ends
        self._ready.set()

    def _work(self) -> None:
        export.warm_up(pdf=self._pdf)
        if not self._pdf and not self._on_document:
            return
        self._ready.wait()
        if self._document is None:
            return
        if self._pdf:
            try:
                self._font_config = _FONTS.take()
                self._first_html = export.notebook_to_html(_notebook([self._document]), "",
                                                           printed=True)
                self._first = self._layout(self._first_html)
                if self._early_pdf is not None:
                    path, title, properties = self._early_pdf
                    self._write(self._first, title, properties, path)
                    self._early_written = (title, dict(properties))
            except Exception:  # the write after the notebook lays it out and words it
                self._first = None
        if self._on_document is not None:
            try:
                self._on_document(self._document)
            except Exception:
                pass  # written again after the notebook, where a failure is worded

    def _write(self, pages: Any, title: str, properties: Mapping[str, str], path: Path) -> None:
        """The document's pages with the title and properties of the whole report (read
        from a page head as WeasyPrint reads any, without laying out an empty page)."""
        import weasyprint
        from weasyprint.html import get_html_metadata
        from weasyprint.pdf.metadata import DocumentMetadata

        head = weasyprint.HTML(string=_properties_page(title, properties),
                               base_url=str(paths.project_root()))
        document = pages.copy(pages.pages)
        document.metadata = DocumentMetadata(**get_html_metadata(head))
        document.write_pdf(str(path))

    def _layout(self, html: str) -> Any:
        import weasyprint

        return weasyprint.HTML(string=html, base_url=str(paths.project_root())).render(
            font_config=self._font_config, stylesheets=[export.print_stylesheet()])

    # -- after the notebook ----------------------------------------------------------

    def finish(self) -> None:
        """Wait for the thread (a notebook without a document releases it)."""
        self._ready.set()
        self._thread.join()

    def close(self) -> None:
        """Wait for the thread, and give the fonts back for the next report of this
        process; nothing is written after this."""
        self.finish()
        self._first = None
        if self._font_config is not None:
            _FONTS.give(self._font_config)
            self._font_config = None

    def write(self, notebook: Any, title: str, properties: Mapping[str, str], path: Path) -> None:
        """Write the PDF of the executed ``notebook`` to ``path``: its document alone, or
        the whole printed page when it has none. ``title`` and ``properties`` become the
        PDF's document properties."""
        self.finish()
        self.used_early_pages = False
        at = _document_at(notebook)
        if at is None:
            export.html_to_pdf(export.notebook_to_html(notebook, title, printed=True,
                                                       properties=properties), path)
            return
        html = export.notebook_to_html(_notebook([notebook.cells[at]], notebook), "",
                                       printed=True)
        try:
            if self._first is not None and _body(html) == _body(self._first_html or ""):
                self.used_early_pages = True
                if self._early_pdf is not None and self._early_pdf[0] == path \
                        and self._early_written == (title, dict(properties)) and path.is_file():
                    return  # written while the notebook ran, and still right
                pages = self._first
            else:
                pages = self._layout(html)
            self._write(pages, title, properties, path)
        except Exception as exc:
            raise RenderError(f"Không tạo được PDF từ HTML: {type(exc).__name__}: {exc}") from None

    def write_annex(self, notebook: Any, title: str, properties: Mapping[str, str],
                    path: Path) -> bool:
        """Write the annex of the executed ``notebook`` (what follows its document, as
        printed) to ``path``; ``False`` when the notebook has no document or nothing
        after it."""
        self.finish()
        at = _document_at(notebook)
        if at is None or at + 1 >= len(notebook.cells):
            return False
        annex = _notebook(notebook.cells[at + 1:], notebook)
        export.html_to_pdf(export.notebook_to_html(annex, f"Phụ lục – {title}", printed=True,
                                                   properties=properties), path)
        return True


class _Fonts:
    """This process's WeasyPrint font configurations, each used by one printer at a
    time: Pango's font map keeps the faces and glyph metrics it loaded, so a process's
    second report is laid out without loading them again (a tenth of its layout); two
    renders at once (a batch's threads) each get their own."""

    def __init__(self) -> None:
        self._free: list[Any] = []
        self._lock = threading.Lock()

    def take(self) -> Any:
        with self._lock:
            if self._free:
                return self._free.pop()
        from weasyprint.text.fonts import FontConfiguration

        return FontConfiguration()

    def give(self, config: Any) -> None:
        with self._lock:
            if len(self._free) < 4:
                self._free.append(config)


_FONTS = _Fonts()


def _document_at(notebook: Any) -> int | None:
    return next((i for i, c in enumerate(notebook.cells) if holds_document(c)), None)


def _notebook(cells: list[Any], like: Any = None) -> Any:
    """A notebook of ``cells`` (with the metadata of ``like``)."""
    import nbformat

    part = nbformat.v4.new_notebook(cells=list(cells))
    if like is not None:
        part.metadata = like.metadata
    return part


def _properties_page(title: str, properties: Mapping[str, str]) -> str:
    """An empty page whose head carries the PDF's title and properties (WeasyPrint reads
    them from ``<title>`` and ``<meta>``)."""
    metas = "".join(f'<meta name="{escape(k)}" content="{escape(v)}">'
                    for k, v in properties.items())
    return f'<html lang="vi"><head><title>{escape(title)}</title>{metas}</head><body></body></html>'
