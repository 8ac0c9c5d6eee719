"""A job's formats, written from its executed notebook into the staging folder: the
offline HTML (:mod:`~tongket_lib.render.export`), the printed PDF (the job's
:class:`~tongket_lib.render.printing.Printer`) and the report document as a Word file
(:mod:`~tongket_lib.document.docx`), each with the tool's version, the time and the
data's checksum in its properties, never in its text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tongket_lib._version import __version__
from tongket_lib.errors import RenderError
from tongket_lib.render.spec import REPORT_NOTEBOOK, RenderJob


def write_outputs(job: RenderJob, notebook: Any, staging: Path, printer: Any,
                  mark: Callable[[str], None]) -> dict[str, Any]:
    """Write the formats of ``job`` from the executed notebook; return its record (what
    the notebook told the render). ``mark(stage)`` is called as each format is done."""
    from tongket_lib.render import export
    from tongket_lib.views.record import read_record

    record = read_record(notebook)
    facts = {**job.stamp, **record}
    title = " – ".join(t for t in (facts.get("title"), facts.get("organisation")) if t) \
        or job.label.capitalize()
    generated = dt.datetime.now().replace(microsecond=0)
    properties = {"generator": f"tongket {__version__}", "dcterms.created": generated.isoformat()}
    if facts.get("checksum"):  # provenance in the files' properties, never in the text
        properties["keywords"] = f"tongket {__version__}; dữ liệu {facts['checksum']}"
    printer.finish()  # the exporters are ready (and the document's pages laid out)
    if "html" in job.formats:
        html = export.notebook_to_html(notebook, title, properties=properties)
        (staging / f"{job.stem}.html").write_text(html, encoding="utf-8")
        mark("xuất HTML")
    if "pdf" in job.formats:  # printed: the document and its appendix, no checks, no footer
        printer.write(notebook, title, properties, staging / f"{job.stem}.pdf")
        mark("in PDF")
    if "docx" in job.formats:
        write_docx(job, notebook, staging / f"{job.stem}.docx",
                   {"checksum": facts.get("checksum", ""), "version": __version__,
                    "generated": generated})
        mark("ghi Word")
    return record


def write_docx(job: RenderJob, notebook: Any, path: Path, properties: dict[str, Any]) -> None:
    """The report document, as the notebook showed it, written as a Word file."""
    from tongket_lib.document.docx import write_docx as write
    from tongket_lib.document.model import Document

    document = Document.from_notebook(notebook)
    if document is None:
        raise RenderError(f"Notebook {job.notebook.name} không hiển thị văn bản báo cáo nên không"
                          f" tạo được tệp .docx. Bỏ docx khỏi --format, hoặc dùng notebook mặc"
                          f" định {REPORT_NOTEBOOK}.")
    write(document, path, template=job.template, properties=properties)
