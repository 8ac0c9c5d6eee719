"""Running a job's notebook in its kernel: papermill writes the executed notebook into
the staging folder, a :class:`~tongket_lib.render.printing.Printer` sees each cell as it
finishes, and every failure becomes a message; a failed notebook is kept beside the
earlier report as ``bao-cao-YEAR.failed.ipynb`` (when it is whole), its failing cell
marked.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

from tongket_lib import paths, system
from tongket_lib.dataset.layout import shown
from tongket_lib.errors import DataError, RenderError
from tongket_lib.render import names, publish
from tongket_lib.render.spec import RenderJob


def skip_iri_grammar() -> None:
    """papermill imports nbformat, whose jsonschema imports ``rfc3987_syntax`` (when
    installed) to check IRI formats, building a grammar for about a second; no notebook
    schema uses that format, so the import is skipped for this process (call it before
    anything imports nbformat)."""
    system.skip_optional_import("rfc3987_syntax")


#: the format checkers jsonschema imports when they are installed (nbformat validates
#: notebooks with fastjsonschema, and its schema checks none of these formats)
FORMAT_CHECKERS = ("fqdn", "rfc3987", "rfc3986_validator", "rfc3339_validator", "webcolors",
                   "jsonpointer", "uri_template", "isoduration")


def skip_unused_imports() -> None:
    """For a process that only renders (``tongket report``, ``tongket trends``), before
    anything imports papermill: :func:`skip_iri_grammar` and the other
    :data:`FORMAT_CHECKERS`, and pyarrow's file systems, which papermill imports when
    pyarrow is installed to offer ``hdfs://`` notebook paths (pyarrow and numpy, a sixth
    of a second). Nothing here reads Parquet or loads pandas (the kernel does); a module
    this process has loaded already is left alone. And soupsieve, the CSS selectors
    BeautifulSoup (under nbconvert) offers and tongket's pages never use: it compiles
    its grammar on import, and BeautifulSoup's warning that it is missing is silenced."""
    skip_iri_grammar()
    for name in FORMAT_CHECKERS:
        system.skip_optional_import(name)
    if "pyarrow" not in sys.modules:
        system.skip_optional_import("pyarrow.fs")
    if "bs4" not in sys.modules and system.skip_optional_import("soupsieve"):
        warnings.filterwarnings("ignore", message="The soupsieve package is not installed",
                                category=UserWarning)


def printer_for(job: RenderJob, early: Any = None) -> Any:
    """The job's :class:`~tongket_lib.render.printing.Printer`, given the notebook as
    papermill will run it (its parameters injected, so the cells line up); ``early``: an
    :class:`~tongket_lib.render.outputs.Early`, what to write while the notebook runs."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from tongket_lib.render.printing import Printer

    cells = parameterize_notebook(load_notebook_node(str(job.notebook)), job.parameters).cells
    return Printer(cells, pdf="pdf" in job.formats,
                   **(early.printer_options() if early is not None else {}))


def execute(job: RenderJob, staging: Path, kernel: Any, printer: Any) -> Any:
    """Run the notebook with papermill into ``staging``; map every failure to a message.
    ``printer`` sees each cell as it finishes."""
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    staged = staging / f"{job.stem}.ipynb"
    try:
        notebook = papermill.execute_notebook(
            str(job.notebook), str(staged), parameters=job.parameters, progress_bar=False,
            request_save_on_cell_execute=False, cwd=str(paths.project_root()),
            execution_timeout=job.cell_timeout, log_output=False, km=kernel,
            on_cell_executed=printer.on_cell_executed)
    except PapermillExecutionError as exc:
        if exc.ename == "DataError":  # the data did not load: a data problem, not a failure
            raise DataError.from_text(str(exc.evalue)) from None
        kept = _keep_failed(job, staged)
        raise RenderError(
            f"Dựng {job.label} thất bại ở ô In [{exc.exec_count}] (ô thứ {exc.cell_index + 1})"
            f" của {job.notebook.name}: {exc.ename}: {exc.evalue}.{_kept_words(kept)}"
            f" Báo cáo cũ (nếu có) vẫn giữ nguyên.", _str(kept), exc.cell_index) from None
    except CellTimeoutError:
        kept = _keep_failed(job, staged)
        raise RenderError(f"Dựng {job.label} thất bại: một ô chạy quá {job.cell_timeout} giây"
                          f" (tăng bằng --timeout).{_kept_words(kept)} Báo cáo cũ (nếu có) vẫn"
                          f" giữ nguyên.", _str(kept)) from None
    except DeadKernelError:
        kept = _keep_failed(job, staged)
        raise RenderError(f"Dựng {job.label} thất bại: tiến trình Python chạy notebook dừng đột"
                          f" ngột (thường do hết bộ nhớ hoặc bị dừng từ bên ngoài).{_kept_words(kept)}"
                          f" Báo cáo cũ (nếu có) vẫn giữ nguyên.", _str(kept)) from None
    return notebook


def _keep_failed(job: RenderJob, staged: Path) -> Path | None:
    return publish.keep_failed(staged, job.folder / names.failed_notebook(job.stem)) \
        if staged.exists() else None


def _kept_words(kept: Path | None) -> str:
    if kept is None:
        return " Notebook lỗi không được giữ (không có, hoặc không ghi trọn được, ví dụ vì đĩa đầy)."
    return f" Notebook lỗi, có đánh dấu ô lỗi, được giữ ở {shown(kept)}."


def _str(path: Path | None) -> str | None:
    return str(path) if path is not None else None
