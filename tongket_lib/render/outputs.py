"""A job's formats, written from its executed notebook into the staging folder: the
shared HTML page and, beside it, the preparer's checks page
(:mod:`~tongket_lib.render.export`), the document as a PDF and the annex as a PDF of its
own when asked (the job's :class:`~tongket_lib.render.printing.Printer`), and the report
document as a Word file (:mod:`~tongket_lib.document.docx`), each with the tool's
version, the time and the data's checksum in its properties, never in its text.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tongket_lib._version import __version__
from tongket_lib.errors import RenderError
from tongket_lib.render import names
from tongket_lib.render.spec import REPORT_NOTEBOOK, RenderJob


def write_outputs(job: RenderJob, notebook: Any, staging: Path, printer: Any,
                  mark: Callable[[str], None]) -> dict[str, Any]:
    """Write the formats of ``job`` from the executed notebook; return its record (what
    the notebook told the render), with ``warnings`` for the user. ``mark(stage)`` is
    called as each format is done."""
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
    said: list[str] = []
    printer.finish()  # the exporters are ready (and the document's pages laid out)
    if "html" in job.formats:
        shared = names.output_name(job.stem, "html")
        html = export.notebook_to_html(notebook, title, properties=properties)
        (staging / shared).write_text(html, encoding="utf-8")
        checks = export.checks_page(notebook, title, properties, report=shared)
        if checks is not None:
            (staging / names.checks_name(job.stem)).write_text(checks, encoding="utf-8")
        mark("xuất HTML (trang gửi đi, trang kiểm tra)")
    if "pdf" in job.formats:  # printed: the document alone
        printer.write(notebook, title, properties, staging / names.output_name(job.stem, "pdf"))
        mark("in PDF văn bản")
    if names.ANNEX in job.formats:
        if not printer.write_annex(notebook, title, properties,
                                   staging / names.output_name(job.stem, names.ANNEX)):
            said.append(f"Notebook {job.notebook.name} không có phụ lục sau văn bản báo cáo:"
                        f" không tạo tệp {names.output_name(job.stem, names.ANNEX)}.")
        mark("in PDF phụ lục")
    if "docx" in job.formats:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            write_docx(job, notebook, staging / names.output_name(job.stem, "docx"),
                       {"checksum": facts.get("checksum", ""), "version": __version__,
                        "generated": generated})
        said += [str(w.message) for w in caught if _ours(w)]
        mark("ghi Word")
    return {**record, "warnings": said} if said else record


def _ours(caught: warnings.WarningMessage) -> bool:
    """A warning the Word writer gives the user (a template not A4), not a library's."""
    from tongket_lib.document.docx import TemplateWarning

    return issubclass(caught.category, TemplateWarning)


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
