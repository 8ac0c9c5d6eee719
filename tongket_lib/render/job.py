"""Rendering a report: a :class:`~tongket_lib.render.spec.RenderJob` run in a kernel,
exported, published as one set.

:func:`render_report` and :func:`render_trends` describe their report as a job
(:mod:`~tongket_lib.render.spec`) and :func:`render` runs any job the same way: the
kernel boots (or was started earlier by the command), then loads and checks the data,
once, before any cell runs (:mod:`tongket_lib.dataset.shared`), while this process gets
the runner and the exporters ready; papermill executes the notebook into a
staging folder (:mod:`~tongket_lib.render.execute`) while a
:class:`~tongket_lib.render.printing.Printer` lays out the document's PDF pages; the
executed notebook is exported to one offline HTML file, its printed version to PDF, and
the report document to Word (:mod:`~tongket_lib.render.outputs`); the stamp records what
went in; then the staging folder replaces ``OUT/NAME`` in one step
(:mod:`~tongket_lib.render.publish`). The notebook's hidden record tells the render its
title, verdict counts and findings.

If anything fails, the earlier good report stays as it was and the failed notebook is
kept beside it as ``bao-cao-YEAR.failed.ipynb`` (when it is whole), its failing cell
marked. A whole render, export included, is bounded by ``max_seconds``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from tongket_lib import system
from tongket_lib.dataset import shared
from tongket_lib.dataset.layout import shown
from tongket_lib.errors import DataError, ParameterError, Problem, RenderError
from tongket_lib.render import cache, execute, names, publish
from tongket_lib.render.index import refresh_index
from tongket_lib.render.outputs import Early, write_outputs
from tongket_lib.render.spec import (
    DEFAULT_CELL_TIMEOUT,
    DEFAULT_MAX_SECONDS,
    FORMATS,
    RenderJob,
    RenderResult,
    trends_job,
    year_job,
)


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

    execute.skip_iri_grammar()  # before anything here imports nbformat
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
            with system.time_limit(job.max_seconds, _Deadline), (
                    contextlib.nullcontext(kernel) if kernel else booting_kernel()) as booted:
                clock.mark("khởi động kernel")
                threading.Thread(target=_get_ready, args=(job,), daemon=True).start()
                facts = _load_in_kernel(job, booted)  # meanwhile the exporters get ready
                said = _font_problem(job)
                clock.mark("kernel nạp và kiểm tra dữ liệu (song song: công cụ xuất tệp)")
                early = Early(job, staging, {**job.stamp, **facts},
                              dt.datetime.now().replace(microsecond=0))
                # lays out the document's pages and writes its PDF and Word file meanwhile
                printer = execute.printer_for(job, early)
                try:
                    notebook = execute.execute(job, staging, booted.manager, printer)
                    clock.mark("chạy notebook (văn bản in PDF, ghi Word song song)")
                    record = write_outputs(job, notebook, staging, printer, clock.mark, early)
                finally:
                    printer.close()
            docx = staging / names.output_name(job.stem, "docx")
            digest = {publish.DOCX_DIGEST: publish.file_digest(docx)} if docx.is_file() else {}
            cache.write_stamp(staging, {**job.stamp, **record, "fingerprint": fingerprint,
                                        "formats": list(job.formats), **digest})
            kept = publish.keep_edited(job.folder, staging, job.stem)
            if kept is not None:
                said.append(edited_word_file(job, kept))
            publish.publish(staging, job.folder, job.outputs())
            with contextlib.suppress(OSError):  # the page is a convenience: the report stands
                refresh_index(job.out, job.name)  # a batch's page links only what is there now
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
                   stages=clock.stages, warnings=[*said, *record.get("warnings", [])])


def edited_word_file(job: RenderJob, kept: str) -> str:
    """What a render says when the Word file it replaces had been edited."""
    word = names.output_name(job.stem, "docx")
    return (f"Tệp {word} đã được sửa sau lần dựng trước nên được giữ lại là {kept} (cùng thư"
            f" mục); {word} bây giờ là bản mới dựng từ số liệu. Chép phần đã sửa sang bản mới"
            " nếu cần.")


class Clock:
    """Where a render's time goes: the seconds since the previous mark, by stage."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, float]] = []
        self._last = time.perf_counter()

    def mark(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages.append((stage, now - self._last))
        self._last = now


def _get_ready(job: RenderJob) -> None:
    """Import the notebook runner and get the exporters ready (in a thread, while the
    kernel boots and loads the data); a failure is left to the real use, which words it."""
    try:
        import papermill  # noqa: F401

        from tongket_lib.render import export

        export.warm_up(pdf=bool({"pdf", names.ANNEX} & set(job.formats)))
    except Exception:
        pass


def _load_in_kernel(job: RenderJob, booted: Any) -> dict[str, Any]:
    """Have the kernel load and validate the job's years before any cell runs
    (:func:`tongket_lib.dataset.shared.prepare`): bad data stops the render with every
    problem listed, and this process never loads pandas. Returns what the year's files
    say of it (title, organisation, checksum) for a year's report, else nothing. When
    the kernel cannot tell (tongket not importable there, say), the years are loaded
    here, and told the same way."""
    if job.kind not in ("year", "trends"):  # the summary reads its stored tables
        return {}
    data_dir = str(job.parameters["data_dir"])
    # period ids: "2024", or a school year "2024-2025"
    years: list[str] = [str(y) for y in job.stamp.get("years", [])] if job.kind == "trends" \
        else [str(job.parameters["year"])]
    told = booted.evaluate(f"__import__('tongket_lib.dataset.shared', fromlist=['prepare'])"
                           f".prepare({years!r}, {data_dir!r})")
    try:
        answers = json.loads(told) if told is not None else None
    except ValueError:
        answers = None
    if not isinstance(answers, dict) or set(answers) != set(years):
        answers = shared.tell(years, data_dir)
    problems: list[Problem] = []
    for year in years:
        answer = answers[year]
        if "problems" in answer:
            found = [Problem(**p) for p in answer["problems"]]
            if job.kind == "year":
                raise DataError(found, heading=answer["heading"])
            problems += found
    if problems:
        raise DataError(problems, heading=f"Dữ liệu các năm {', '.join(years)} có"
                                          f" {len(problems)} lỗi; sửa rồi chạy lại:")
    return answers[years[0]] if job.kind == "year" else {}


def _font_problem(job: RenderJob) -> list[str]:
    """What is wrong with the typeface for Vietnamese, for a job that prints or makes
    HTML (:mod:`~tongket_lib.render.fonts`; asked once a process)."""
    from tongket_lib.render.fonts import vietnamese_problem

    if not {"html", "pdf", names.ANNEX} & set(job.formats):
        return []
    problem = vietnamese_problem()
    return [problem] if problem else []


def _result(job: RenderJob, start: float, skipped: bool,
            findings: dict[str, int] | None = None,
            stages: list[tuple[str, float]] | None = None,
            warnings: list[str] | None = None) -> RenderResult:
    folder, stem = job.folder, job.stem

    def made(kind: str) -> Path | None:
        return folder / names.output_name(stem, kind) if kind in job.formats else None

    checks = folder / names.checks_name(stem)
    return RenderResult(job.year, folder, folder / f"{stem}.ipynb", made("html"), made("pdf"),
                        time.perf_counter() - start, skipped, made("docx"),
                        dict(findings or {}), tuple(stages or ()), made(names.ANNEX),
                        checks if "html" in job.formats and checks.is_file() else None,
                        tuple(warnings or ()))


class _Deadline(BaseException):
    """Raised in the main thread when a whole render runs out of time."""
