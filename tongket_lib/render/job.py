"""Rendering a report: a :class:`RenderJob` run in a kernel, exported, published as one set.

:func:`render_report` and :func:`render_trends` describe their report as a
:class:`RenderJob` (which notebook, which parameters, which data files, where to, in
which formats) and :func:`render` runs any job the same way: the kernel boots (or was
started earlier by the command) while the data is loaded and checked, once, here, and
handed to the kernel; papermill executes the notebook into a staging folder while a
:class:`~tongket_lib.render.printing.Printer` lays out the document's PDF pages; the
executed notebook is exported to one offline HTML file, its printed version to PDF, and
the report document to Word; the stamp records what went in; then the staging folder
replaces ``OUT/NAME`` in one step (:mod:`~tongket_lib.render.publish`). The notebook's
hidden record tells the render its title, verdict counts and findings.

If anything fails, the earlier good report stays as it was and the failed notebook is
kept beside it as ``bao-cao-YEAR.failed.ipynb`` (when it is whole), its failing cell
marked. A whole render, export included, is bounded by ``max_seconds``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tongket_lib import paths
from tongket_lib._version import __version__
from tongket_lib.dataset import shared
from tongket_lib.dataset.layout import data_files, missing_year, parse_year, parse_years, shown
from tongket_lib.errors import DataError, ParameterError, Problem, RenderError
from tongket_lib.render import cache, publish
from tongket_lib.render.params import check_parameters, refuse_owned

REPORT_NOTEBOOK = "bao_cao_nam.ipynb"
TRENDS_NOTEBOOK = "xu_huong.ipynb"
TRENDS_NAME = "xu-huong"
#: every output format, and the default of a year's report: all of them
ALL_FORMATS = ("html", "pdf", "docx")
FORMATS = ALL_FORMATS
#: a Word file in the year's folder used as the .docx template (letterhead, styles)
TEMPLATE_NAME = "mau-bao-cao.docx"
#: seconds a single notebook cell may run before the render is stopped
DEFAULT_CELL_TIMEOUT = 300
#: seconds a whole render (notebook and export) may take
DEFAULT_MAX_SECONDS = 1800
#: the parameters a command sets itself; -p cannot change them
OWNED = {"year": "đổi năm bằng NĂM của lệnh (tongket report NĂM)",
         "years": "chọn các năm bằng --years",
         "data_dir": "đổi thư mục dữ liệu bằng --data"}
STAMP = cache.STAMP


@dataclass(frozen=True)
class RenderJob:
    """One report to render: everything :func:`render` needs, decided up front."""

    kind: str                      # "year" or "trends"
    name: str                      # the folder under OUT: "2024", "xu-huong"
    stem: str                      # the files' name: "bao-cao-2024", "xu-huong"
    label: str                     # for messages: "báo cáo năm 2024"
    notebook: Path
    parameters: dict[str, Any]
    inputs: tuple[Path, ...]       # the data files the report is made from
    out: Path                      # OUT
    formats: tuple[str, ...] = FORMATS
    cell_timeout: int = DEFAULT_CELL_TIMEOUT
    max_seconds: int = DEFAULT_MAX_SECONDS
    year: int | None = None
    stamp: dict[str, Any] = field(default_factory=dict)  # known before the run
    template: Path | None = None   # the user's Word file for the .docx

    @property
    def folder(self) -> Path:
        return self.out / self.name

    def outputs(self) -> set[str]:
        """The names of every file a render of this job can make, in any format."""
        return {f"{self.stem}.{kind}" for kind in ("ipynb", *ALL_FORMATS)} | {
            f"{self.stem}.failed.ipynb", cache.STAMP}

    def fingerprint(self) -> str:
        template = [self.template] if self.template and "docx" in self.formats else []
        return cache.fingerprint([*self.inputs, *template], self.notebook,
                                 {"formats": list(self.formats), "parameters": self.parameters})

    def is_current(self) -> bool:
        return cache.is_current(self.folder, self.stem, self.fingerprint(), self.formats)



@dataclass(frozen=True)
class RenderResult:
    """Where a render put its files, how long it took, and what the report found."""

    year: int | None  # None for the trends report
    folder: Path
    notebook: Path
    html: Path | None
    pdf: Path | None
    seconds: float
    skipped: bool = False
    docx: Path | None = None
    findings: dict[str, int] = field(default_factory=dict)  # severity → count
    stages: tuple[tuple[str, float], ...] = ()  # (stage, seconds): where the time went

    @property
    def errors(self) -> int:
        """Error-level findings in the data the report was made from."""
        return int(self.findings.get("error", 0))


def report_name(year: int | str) -> str:
    """File name stem of a year's report, e.g. ``bao-cao-2024``."""
    return f"bao-cao-{year}"



def check_formats(formats: Any) -> tuple[str, ...]:
    """The chosen output formats, checked and without repeats (``ParameterError`` if unknown)."""
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in chosen if f not in ALL_FORMATS]
    if unknown or not chosen:
        raise ParameterError(f"Định dạng không hợp lệ: {', '.join(unknown) or '(trống)'}."
                             f" Chọn trong: {', '.join(ALL_FORMATS)} (ví dụ --format html,pdf).")
    return chosen


def check_seconds(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ParameterError(f"{what} phải là số giây lớn hơn 0 (nhận {value!r}).")
    return value


# -- the jobs ---------------------------------------------------------------------------------

def year_job(year: int | str, data: str | os.PathLike | None = None,
             out: str | os.PathLike | None = None, formats: Any = FORMATS,
             parameters: dict[str, Any] | None = None,
             cell_timeout: int = DEFAULT_CELL_TIMEOUT, max_seconds: int = DEFAULT_MAX_SECONDS,
             notebook: str | os.PathLike | None = None,
             template: str | os.PathLike | None = None) -> RenderJob:
    """The job of one year's report; raises before anything starts if it cannot run.

    ``template``: a Word file for the .docx (letterhead, styles); without it,
    ``data/YEAR/mau-bao-cao.docx`` when that file exists.
    """
    year = parse_year(year)
    formats = check_formats(formats)
    notebook_path = Path(notebook) if notebook else paths.notebooks_dir() / REPORT_NOTEBOOK
    data_dir = paths.data_dir(data).resolve()
    refuse_owned(parameters or {}, OWNED)
    params = check_parameters(notebook_path, {**(parameters or {}), "year": year,
                                              "data_dir": str(data_dir)})
    if not (data_dir / str(year)).is_dir():
        raise DataError([missing_year(year, data_dir)],
                        heading=f"Không tìm thấy dữ liệu năm {year}.")
    return RenderJob("year", str(year), report_name(year), f"báo cáo năm {year}",
                     notebook_path, params, tuple(data_files(data_dir / str(year))),
                     paths.reports_dir(out).resolve(), formats,
                     check_seconds(cell_timeout, "Thời gian chờ mỗi ô"),
                     check_seconds(max_seconds, "Thời gian dựng tối đa"), year,
                     {"kind": "year", "year": year}, _template(template, data_dir / str(year)))


def _template(template: str | os.PathLike | None, year_folder: Path) -> Path | None:
    """The Word template: the one given, else the year folder's mau-bao-cao.docx."""
    if template is None:
        found = year_folder / TEMPLATE_NAME
        return found if found.is_file() else None
    path = Path(template)
    if not path.is_file() or path.suffix.lower() != ".docx":
        raise ParameterError(f"Không tìm thấy tệp mẫu Word “{path}” (cần một tệp .docx)."
                             f" Sửa đường dẫn --template, hoặc đặt tệp {TEMPLATE_NAME} vào"
                             f" thư mục dữ liệu của năm.")
    return path


def trends_job(years: str | list | None = None, data: str | os.PathLike | None = None,
               out: str | os.PathLike | None = None, formats: Any = FORMATS,
               cell_timeout: int = DEFAULT_CELL_TIMEOUT, max_seconds: int = DEFAULT_MAX_SECONDS,
               notebook: str | os.PathLike | None = None) -> RenderJob:
    """The job of the trends report over ``years`` (HTML, PDF: it is not a văn bản, so
    no .docx)."""
    formats = tuple(f for f in check_formats(formats) if f != "docx") or ("html",)
    notebook_path = Path(notebook) if notebook else paths.notebooks_dir() / TRENDS_NOTEBOOK
    data_dir = paths.data_dir(data).resolve()
    chosen = parse_years(years, data_dir)
    params = check_parameters(notebook_path, {"years": ",".join(map(str, chosen)),
                                              "data_dir": str(data_dir)})
    missing = [y for y in chosen if not (data_dir / str(y)).is_dir()]
    if missing:
        raise DataError(_missing_years(missing, data_dir), heading="Thiếu dữ liệu của một số năm.")
    inputs = tuple(f for y in chosen for f in data_files(data_dir / str(y)))
    return RenderJob("trends", TRENDS_NAME, TRENDS_NAME, "báo cáo xu hướng", notebook_path,
                     params, inputs, paths.reports_dir(out).resolve(), formats,
                     check_seconds(cell_timeout, "Thời gian chờ mỗi ô"),
                     check_seconds(max_seconds, "Thời gian dựng tối đa"), None,
                     {"kind": "trends", "years": chosen})


def _missing_years(missing: list[int], data_dir: Path, shown_at_most: int = 5) -> list:
    """One problem a missing year, the first few; the rest summed up in one line."""
    problems = [missing_year(y, data_dir) for y in missing[:shown_at_most]]
    if len(missing) > shown_at_most:
        rest = missing[shown_at_most:]
        problems.append(Problem(shown(data_dir), None, None, None,
                                f"và {len(rest)} năm khác không có thư mục dữ liệu"
                                f" ({rest[0]}–{rest[-1]})."))
    return problems


def render_report(year: int | str, data: str | os.PathLike | None = None,
                  out: str | os.PathLike | None = None, formats: Any = FORMATS,
                  parameters: dict[str, Any] | None = None,
                  cell_timeout: int = DEFAULT_CELL_TIMEOUT,
                  notebook: str | os.PathLike | None = None,
                  skip_unchanged: bool = False,
                  max_seconds: int = DEFAULT_MAX_SECONDS,
                  template: str | os.PathLike | None = None) -> RenderResult:
    """Render one year's report into ``OUT/YEAR/``; see the module docstring.

    With ``skip_unchanged``, a folder whose last good render had exactly the same inputs
    is left as it is (``RenderResult.skipped``). Raises :class:`ParameterError` or
    :class:`DataError` (nothing published) or :class:`RenderError` (the earlier report
    is untouched, the failed notebook kept).
    """
    return render(year_job(year, data, out, formats, parameters, cell_timeout, max_seconds,
                           notebook, template), skip_unchanged)


def render_trends(years: str | list | None = None, data: str | os.PathLike | None = None,
                  out: str | os.PathLike | None = None, formats: Any = FORMATS,
                  cell_timeout: int = DEFAULT_CELL_TIMEOUT,
                  notebook: str | os.PathLike | None = None,
                  skip_unchanged: bool = False,
                  max_seconds: int = DEFAULT_MAX_SECONDS) -> RenderResult:
    """Render the trends report of several years into ``OUT/xu-huong/``."""
    return render(trends_job(years, data, out, formats, cell_timeout, max_seconds, notebook),
                  skip_unchanged)


# -- running a job ----------------------------------------------------------------------------

def render(job: RenderJob, skip_unchanged: bool = False, kernel: Any = None) -> RenderResult:
    """Run ``job``: see the module docstring.

    ``kernel``: a :class:`~tongket_lib.render.kernel.Booted` kernel started earlier by
    :func:`~tongket_lib.render.kernel.booting_kernel` (its caller shuts it down); without
    it the render starts its own.
    """
    from tongket_lib.render.kernel import booting_kernel

    _skip_iri_grammar()  # before anything here imports nbformat
    start = time.perf_counter()
    clock = Clock()
    if job.folder.exists() and not job.folder.is_dir():
        raise ParameterError(f"{shown(job.folder)} là một tệp, không phải thư mục; tongket cần ghi"
                             f" báo cáo vào thư mục đó. Đổi tên tệp hoặc chọn --out khác.")
    fingerprint = job.fingerprint()

    def current() -> bool:
        return cache.is_current(job.folder, job.stem, fingerprint, job.formats)

    if skip_unchanged and current():
        return _result(job, start, skipped=True)
    with publish.locked(job.folder):
        if skip_unchanged and current():
            return _result(job, start, skipped=True)
        publish.clean_leftovers(job.folder)
        staging = publish.staging_folder(job.folder)
        clock.mark("chuẩn bị (tham số, khóa, thư mục tạm)")
        try:
            with _deadline(job.max_seconds), (
                    contextlib.nullcontext(kernel) if kernel else booting_kernel()) as booted:
                clock.mark("khởi động kernel")
                _load_and_share(job, booted.share_dir)  # while the kernel boots
                clock.mark("nạp và kiểm tra dữ liệu (song song với kernel)")
                printer = _printer(job)  # lays out the document's pages while the notebook runs
                try:
                    notebook = _execute(job, staging, booted.manager, printer)
                    clock.mark("chạy notebook")
                    record = _export(job, notebook, staging, clock, printer)
                finally:
                    printer.finish()
            cache.write_stamp(staging, {**job.stamp, **record, "fingerprint": fingerprint,
                                        "formats": list(job.formats)})
            publish.publish(staging, job.folder, job.outputs())
            clock.mark("tắt kernel, công bố")
        except _Deadline:
            raise RenderError(f"Dựng {job.label} thất bại: quá thời gian dựng tối đa"
                              f" {job.max_seconds} giây (cả chạy notebook và xuất tệp). Báo cáo"
                              f" cũ (nếu có) vẫn giữ nguyên.") from None
        except OSError as exc:
            raise publish.output_error(job.out, exc) from None
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    return _result(job, start, skipped=False, findings=record.get("findings") or {},
                   stages=clock.stages)


class Clock:
    """Where a render's time goes: the seconds since the previous mark, by stage."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, float]] = []
        self._last = time.perf_counter()

    def mark(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages.append((stage, now - self._last))
        self._last = now


def _load_and_share(job: RenderJob, share_dir: Path) -> None:
    """Load and validate the job's years once, here, and leave them for the kernel: bad
    data stops the render with every problem listed before any cell runs."""
    from tongket_lib.dataset.load import load_year

    if job.kind not in ("year", "trends"):  # the summary reads its stored tables
        return
    data_dir = job.parameters["data_dir"]
    years: list[int] = list(job.stamp.get("years", [])) if job.kind == "trends" else [
        int(job.parameters["year"])]
    problems = []
    for year in years:
        try:
            shared.share(load_year(year, data_dir), share_dir)
        except DataError as exc:
            if job.kind == "year":
                raise
            problems += exc.problems
    if problems:
        raise DataError(problems, heading=f"Dữ liệu các năm {', '.join(map(str, years))} có"
                                          f" {len(problems)} lỗi; sửa rồi chạy lại:")


def _result(job: RenderJob, start: float, skipped: bool,
            findings: dict[str, int] | None = None,
            stages: list[tuple[str, float]] | None = None) -> RenderResult:
    folder, stem = job.folder, job.stem
    return RenderResult(job.year, folder, folder / f"{stem}.ipynb",
                        folder / f"{stem}.html" if "html" in job.formats else None,
                        folder / f"{stem}.pdf" if "pdf" in job.formats else None,
                        time.perf_counter() - start, skipped,
                        folder / f"{stem}.docx" if "docx" in job.formats else None,
                        dict(findings or {}),
                        tuple(stages or ()))


def preload() -> None:
    """Import what a render needs (the notebook runner, the exporters with their page
    templates compiled, the data loader) and have the kernels forked from a warm zygote
    (:func:`~tongket_lib.render.kernel.fork_kernels`): :mod:`tongket_lib.render.worker`
    does it once for a batch's local workers (:func:`tongket_lib.engine.cluster`)."""
    _skip_iri_grammar()
    import nbformat  # noqa: F401
    import papermill  # noqa: F401
    from jupyter_client.blocking import BlockingKernelClient  # noqa: F401

    from tongket_lib.dataset import load  # noqa: F401
    from tongket_lib.document import docx  # noqa: F401
    from tongket_lib.render import export, kernel
    from tongket_lib.views import record  # noqa: F401

    export.warm_up(pdf=False)  # the page templates compiled, inherited by every worker
    kernel.fork_kernels()  # each worker renders report after report


def _skip_iri_grammar() -> None:
    """papermill imports nbformat, whose jsonschema imports ``rfc3987_syntax`` (when
    installed) to check IRI formats, building a grammar for about a second; no notebook
    schema uses that format, so the import is skipped for this process."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _printer(job: RenderJob) -> Any:
    """The job's :class:`~tongket_lib.render.printing.Printer`, given the notebook as
    papermill will run it (its parameters injected, so the cells line up)."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from tongket_lib.render.printing import Printer

    cells = parameterize_notebook(load_notebook_node(str(job.notebook)), job.parameters).cells
    return Printer(cells, pdf="pdf" in job.formats)


def _execute(job: RenderJob, staging: Path, kernel: Any, printer: Any) -> Any:
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
    return publish.keep_failed(staged, job.folder / f"{job.stem}.failed.ipynb") \
        if staged.exists() else None


def _kept_words(kept: Path | None) -> str:
    if kept is None:
        return " Notebook lỗi không được giữ (không có, hoặc không ghi trọn được, ví dụ vì đĩa đầy)."
    return f" Notebook lỗi, có đánh dấu ô lỗi, được giữ ở {shown(kept)}."


def _str(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def _export(job: RenderJob, notebook: Any, staging: Path, clock: Clock,
            printer: Any) -> dict[str, Any]:
    """Write the formats of ``job`` from the executed notebook; return its record."""
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
        clock.mark("xuất HTML")
    if "pdf" in job.formats:  # printed: the document and its appendix, no checks, no footer
        printer.write(notebook, title, properties, staging / f"{job.stem}.pdf")
        clock.mark("in PDF")
    if "docx" in job.formats:
        _write_docx(job, notebook, staging / f"{job.stem}.docx",
                    {"checksum": facts.get("checksum", ""), "version": __version__,
                     "generated": generated})
        clock.mark("ghi Word")
    return record


def _write_docx(job: RenderJob, notebook: Any, path: Path, properties: dict[str, Any]) -> None:
    """The report document, as the notebook showed it, written as a Word file."""
    from tongket_lib.document.docx import write_docx
    from tongket_lib.document.model import Document

    document = Document.from_notebook(notebook)
    if document is None:
        raise RenderError(f"Notebook {job.notebook.name} không hiển thị văn bản báo cáo nên không"
                          f" tạo được tệp .docx. Bỏ docx khỏi --format, hoặc dùng notebook mặc"
                          f" định {REPORT_NOTEBOOK}.")
    write_docx(document, path, template=job.template, properties=properties)


class _Deadline(BaseException):
    """Raised in the main thread when a whole render runs out of time."""


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Stop the block after ``seconds`` (main thread only; elsewhere no bound)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal,
                                                                                "setitimer"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise _Deadline

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
