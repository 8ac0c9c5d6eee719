"""The printed report (PDF), laid out while the notebook still runs.

WeasyPrint's layout takes seconds and the render process waits idle while the kernel
runs the notebook, so a :class:`Printer` uses that time on the second core: a thread
gets the exporters ready (:func:`~tongket_lib.render.export.warm_up`), and as soon as
the cell showing the report document (the văn bản, ``article.vb``) has run, it lays out
the document's pages. After the notebook, only what follows the document (the appendix)
is laid out, its pages numbered on from the document's, and the two are written as one
PDF.

The split is exact because the printed document always ends with a page break
(``article.vb { break-after: page }`` in the template's print stylesheet): nothing after
it can share a page with it. The early pages are used only when the document part,
made again from the finished notebook, is the same HTML the thread laid out; otherwise,
and for a report without a document, the whole printed page is laid out at once, as
:func:`~tongket_lib.render.export.html_to_pdf` does.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tongket_lib import paths
from tongket_lib.errors import RenderError
from tongket_lib.render import export


def holds_document(cell: Any) -> bool:
    """Whether an executed cell shows the report document (the văn bản)."""
    marker = f'class="{export.DOCUMENT_CLASS}"'
    return any(marker in str(output.get("data", {}).get("text/html", ""))
               for output in cell.get("outputs", []))


def _body(html: str) -> str:
    """The page without its head: the title and properties differ, the content must not."""
    return html[html.find("<body"):]


def _numbered_from(html: str, first: int) -> str:
    """``html`` whose first printed page is numbered ``first`` (it follows other pages)."""
    rule = (f"<style>@page :first {{ counter-reset: page {first};"
            " @top-center { content: counter(page); } }</style>")
    return html.replace("</head>", f"{rule}</head>", 1)


class Printer:
    """Lays out a report's PDF in two parts, the first while the notebook runs.

    Give :meth:`on_cell_executed` to the notebook client (nbclient's hook of that name)
    and ``cells`` the notebook as it will be executed (parameters injected), then call
    :meth:`write` with the executed notebook.
    """

    def __init__(self, cells: list[Any], pdf: bool) -> None:
        self._cells = cells
        self._pdf = pdf
        self._executed: dict[int, Any] = {}
        self._document_at: int | None = None
        self._first_cells: Any = None  # the notebook up to the document, once it has run
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
        if cell is None:
            return
        self._executed[cell_index] = cell
        if not self._pdf or self._document_at is not None or not holds_document(cell):
            return
        self._document_at = cell_index
        self._first_cells = self._part(cell_index)  # the exporters are the thread's until it ends
        self._ready.set()

    def _part(self, through: int) -> Any:
        """The notebook's cells up to ``through``, as executed so far."""
        import nbformat

        cells = [copy.deepcopy(self._executed.get(i, cell))
                 for i, cell in enumerate(self._cells[:through + 1])]
        return nbformat.v4.new_notebook(cells=cells)

    def _work(self) -> None:
        export.warm_up(pdf=self._pdf)
        if not self._pdf:
            return
        self._ready.wait()
        if self._first_cells is None:
            return
        try:
            import weasyprint
            from weasyprint.text.fonts import FontConfiguration

            self._first_html = export.notebook_to_html(self._first_cells, "", printed=True,
                                                       toc=False)
            self._font_config = FontConfiguration()
            self._first = weasyprint.HTML(string=self._first_html,
                                          base_url=str(paths.project_root())).render(
                font_config=self._font_config)
        except Exception:
            self._first = None

    # -- after the notebook ----------------------------------------------------------

    def finish(self) -> None:
        """Wait for the thread (a notebook without a document releases it)."""
        self._ready.set()
        self._thread.join()

    def write(self, notebook: Any, title: str, properties: Mapping[str, str], path: Path) -> None:
        """Write the PDF of the executed ``notebook`` to ``path``; ``title`` and
        ``properties`` become the PDF's document properties."""
        self.finish()
        self.used_early_pages = False
        at = self._document_at
        if at is None or self._first is None or at >= len(notebook.cells) or _body(
                export.notebook_to_html(_cells(notebook, 0, at + 1), "", printed=True,
                                        toc=False)) != _body(self._first_html or ""):
            export.html_to_pdf(export.notebook_to_html(notebook, title, printed=True,
                                                       properties=properties), path)
            return
        rest = _cells(notebook, at + 1, len(notebook.cells))
        html = _numbered_from(export.notebook_to_html(rest, title, printed=True,
                                                      properties=properties, toc=False),
                              len(self._first.pages) + 1)
        try:
            import weasyprint

            second = weasyprint.HTML(string=html, base_url=str(paths.project_root())).render(
                font_config=self._font_config)
            # the properties and title of the whole report: those of the part made last
            second.copy([*self._first.pages, *second.pages]).write_pdf(str(path))
        except Exception as exc:
            raise RenderError(f"Không tạo được PDF từ HTML: {type(exc).__name__}: {exc}") from None
        self.used_early_pages = True


def _cells(notebook: Any, start: int, stop: int) -> Any:
    """A notebook of ``notebook``'s cells ``start:stop`` (same metadata)."""
    import nbformat

    part = nbformat.v4.new_notebook(cells=notebook.cells[start:stop])
    part.metadata = notebook.metadata
    return part
