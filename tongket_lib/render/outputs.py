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


def provenance(job: RenderJob, facts: dict[str, Any], generated: dt.datetime
               ) -> tuple[str, dict[str, str], dict[str, Any]]:
    """The report's title, the HTML and PDF properties, the Word file's properties."""
    title = " – ".join(t for t in (facts.get("title"), facts.get("organisation")) if t) \
        or job.label.capitalize()
    properties = {"generator": f"tongket {__version__}", "dcterms.created": generated.isoformat()}
    if facts.get("checksum"):  # provenance in the files' properties, never in the text
        properties["keywords"] = f"tongket {__version__}; dữ liệu {facts['checksum']}"
    word = {"checksum": facts.get("checksum", ""), "version": __version__,
            "generated": generated}
    return title, properties, word


class Early:
    """What a render writes while its notebook still runs, as soon as the document's
    cell has run and been laid out (in the :class:`~tongket_lib.render.printing.Printer`'s
    thread, on the core the kernel leaves free): the document's PDF and its Word file,
    with the title and properties known before the run (the year the render loaded).
    :func:`write_outputs` keeps them when the finished notebook says the same."""

    def __init__(self, job: RenderJob, staging: Path, facts: dict[str, Any],
                 generated: dt.datetime) -> None:
        self.job, self.staging, self.facts, self.generated = job, staging, facts, generated
        self.title, self.properties, self.word = provenance(job, facts, generated)
        self.docx: str | None = None  # the document (JSON) the Word file was written from

    def printer_options(self) -> dict[str, Any]:
        """The :class:`~tongket_lib.render.printing.Printer`'s ``early_pdf`` and
        ``on_document``."""
        options: dict[str, Any] = {}
        if "pdf" in self.job.formats:
            options["early_pdf"] = (self.staging / names.output_name(self.job.stem, "pdf"),
                                    self.title, self.properties)
        if "docx" in self.job.formats:
            options["on_document"] = self.write_docx
        return options

    def write_docx(self, cell: Any) -> None:
        from tongket_lib.document.model import Document

        document = Document.from_notebook({"cells": [cell]})
        if document is None:
            return
        with warnings.catch_warnings():  # the write after the notebook says them
            warnings.simplefilter("ignore")
            _write_docx(document, self.job, self.staging / names.output_name(self.job.stem,
                                                                              "docx"), self.word)
        self.docx = _as_json(document)


def _as_json(document: Any) -> str:
    import json

    return json.dumps(document.to_json(), sort_keys=True, ensure_ascii=False)


def write_outputs(job: RenderJob, notebook: Any, staging: Path, printer: Any,
                  mark: Callable[[str], None], early: Early | None = None) -> dict[str, Any]:
    """Write the formats of ``job`` from the executed notebook; return its record (what
    the notebook told the render), with ``warnings`` for the user. ``mark(stage)`` is
    called as each format is done. What ``early`` wrote while the notebook ran is kept
    when it is still right (same document, same facts)."""
    from tongket_lib.render import export
    from tongket_lib.views.record import read_record

    record = read_record(notebook)
    facts = {**job.stamp, **record}
    same_facts = early is not None and all(
        early.facts.get(k) == facts.get(k) for k in ("title", "organisation", "checksum"))
    generated = early.generated if early is not None else dt.datetime.now().replace(
        microsecond=0)
    title, properties, word = provenance(job, facts, generated)
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
            write_docx(job, notebook, staging / names.output_name(job.stem, "docx"), word,
                       written=early.docx if early is not None and same_facts else None)
        said += [str(w.message) for w in caught if _ours(w)]
        mark("ghi Word")
    return {**record, "warnings": said} if said else record


def _ours(caught: warnings.WarningMessage) -> bool:
    """A warning the Word writer gives the user (a template not A4), not a library's."""
    from tongket_lib.document.docx import TemplateWarning

    return issubclass(caught.category, TemplateWarning)


def write_docx(job: RenderJob, notebook: Any, path: Path, properties: dict[str, Any],
               written: str | None = None) -> None:
    """The report document, as the notebook showed it, written as a Word file; left as it
    is when ``written`` (the document the file at ``path`` was written from, as JSON) is
    the same document."""
    from tongket_lib.document.model import Document

    document = Document.from_notebook(notebook)
    if document is None:
        raise RenderError(f"Notebook {job.notebook.name} không hiển thị văn bản báo cáo nên không"
                          f" tạo được tệp .docx. Bỏ docx khỏi --format, hoặc dùng notebook mặc"
                          f" định {REPORT_NOTEBOOK}.")
    if written is not None and path.is_file() and written == _as_json(document):
        if job.template is not None:  # its warnings, said once, after the notebook
            from tongket_lib.document.docx import check_template

            check_template(job.template)
        return
    _write_docx(document, job, path, properties)


def _write_docx(document: Any, job: RenderJob, path: Path, properties: dict[str, Any]) -> None:
    from tongket_lib.document.docx import write_docx as write

    write(document, path, template=job.template, properties=properties)
