"""Re-rendering every year and the trends report: in parallel, skipping what has not changed.

:func:`run_batch` decides first, without starting anything heavy, which reports are
already current (their inputs' fingerprint equals the one stamped by their last good
render) and skips them. The others run in separate processes, each report's folder
locked while it renders, so two batches on the same output folder wait for each other
instead of mixing files; in parallel they run on the Dask engine
(:mod:`~tongket_lib.engine`: a local cluster whose processes die with the
batch, or the cluster at ``scheduler`` / ``$TONGKET_SCHEDULER``). A failing report
does not stop the others. At the end ``OUT/index.html`` lists every year with its
verdict counts and links (:mod:`~tongket_lib.render.index`).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from tongket_lib import paths
from tongket_lib.dataset.layout import parse_years, shown
from tongket_lib.errors import DataError, TongketError
from tongket_lib.period import Period
from tongket_lib.render import names
from tongket_lib.render.index import Failure, stamp_errors, write_index
from tongket_lib.render.job import render
from tongket_lib.render.names import TRENDS
from tongket_lib.render.spec import (
    DEFAULT_CELL_TIMEOUT,
    DEFAULT_MAX_SECONDS,
    FORMATS,
    check_formats,
    check_seconds,
    trends_job,
    unusable_template,
    year_job,
    year_template,
)
from tongket_lib.vn import format_number

RENDERED, SKIPPED, FAILED = "rendered", "skipped", "failed"


@dataclass(frozen=True)
class Outcome:
    """What happened to one report of a batch."""

    name: str                  # the year, or "xu-huong"
    state: str                 # rendered, skipped or failed
    seconds: float = 0.0
    message: str = ""
    failed_notebook: str | None = None
    note: str = ""             # e.g. the years a trends report had to leave out
    errors: int = 0            # error-level findings in the report's data


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    index: Path
    seconds: float

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state == FAILED]

    def counts(self) -> tuple[int, int, int]:
        """How many reports were rendered, skipped, failed."""
        states = [o.state for o in self.outcomes]
        return states.count(RENDERED), states.count(SKIPPED), states.count(FAILED)

    @property
    def data_errors(self) -> int:
        """Error-level findings in the data of the reports (rendered or current)."""
        return sum(o.errors for o in self.outcomes)

    @property
    def exit_code(self) -> int:
        """1 when a report failed or its data has error-level findings (as ``report``
        exits on such data), else 0."""
        return 1 if self.failed or self.data_errors else 0

    def summary(self) -> str:
        """The end-of-batch summary, one line a report, in Vietnamese."""
        words = {RENDERED: "đã dựng", SKIPPED: "không đổi, bỏ qua", FAILED: "LỖI"}
        lines = []
        for o in self.outcomes:
            label = "Xu hướng" if o.name == TRENDS else f"Năm {o.name}"
            line = f"{label}: {words[o.state]}"
            if o.state == RENDERED:
                line += f" ({format_number(o.seconds, 1)} giây)"
            if o.note:
                line += f"; {o.note}"
            if o.errors:
                checks = names.checks_name(names.report_name(o.name))
                line += f"; số liệu có {o.errors} lỗi (xem trang kiểm tra số liệu {checks})"
            if o.state == FAILED:
                first, *rest = o.message.splitlines() or [""]
                line += f": {first}"
                line += "".join(f"\n    {more}" for more in rest)  # each problem on its own line
                if o.failed_notebook:
                    line += f"\n    Notebook lỗi (ô lỗi được đánh dấu): {o.failed_notebook}"
            lines.append(line)
        lines.append(f"Tổng cộng: {counted(self.counts())}; {format_number(self.seconds, 1)}"
                     f" giây.")
        lines.append(f"Trang tổng hợp: {shown(self.index)}")
        return "\n".join(lines)


def _job(kind: str, key: str, data_dir: str, out_dir: str, formats: tuple[str, ...],
         cell_timeout: int, force: bool, max_seconds: int = DEFAULT_MAX_SECONDS) -> Outcome:
    """Render one report in a worker process; never raises."""
    start = time.perf_counter()
    name = key if kind == "year" else TRENDS
    note = ""
    try:
        if kind == "year":
            result = render(year_job(key, data_dir, out_dir, formats, cell_timeout=cell_timeout,
                                     max_seconds=max_seconds),
                            skip_unchanged=not force)
        else:
            try:
                result = render(trends_job(key, data_dir, out_dir, formats, cell_timeout, max_seconds),
                                skip_unchanged=not force)
            except DataError:
                # a year with bad data fails on its own; the trends use the years that load
                good, bad = _loadable(key, data_dir)
                if not good or not bad:
                    raise
                result = render(trends_job(",".join(good), data_dir, out_dir, formats,
                                           cell_timeout, max_seconds), skip_unchanged=not force)
                note = (f"chỉ gồm các năm {', '.join(good)}; bỏ năm {', '.join(bad)} vì dữ liệu"
                        " lỗi")
    except TongketError as exc:
        return Outcome(name, FAILED, time.perf_counter() - start, str(exc),
                       getattr(exc, "failed_notebook", None))
    except Exception as exc:
        return Outcome(name, FAILED, time.perf_counter() - start,
                       f"Lỗi không mong đợi của tongket: {type(exc).__name__}: {exc}")
    errors = result.errors if not result.skipped else _stamped_errors(result.folder)
    note = "; ".join(filter(None, [note, *result.warnings]))  # as report says them
    return Outcome(name, SKIPPED if result.skipped else RENDERED, result.seconds, note=note,
                   errors=errors)


def _stamped_errors(folder: Path) -> int:
    from tongket_lib.render.cache import read_stamp

    return stamp_errors(read_stamp(folder))


def _loadable(spec: str, data_dir: str) -> tuple[list[str], list[str]]:
    """The years of ``spec`` whose data loads, and those whose data does not."""
    from tongket_lib.dataset.load import load_year

    good, bad = [], []
    for year in spec.split(","):
        try:
            load_year(year, data_dir)
            good.append(year)
        except DataError:
            bad.append(year)
    return good, bad


def run_batch(years: str | list | None = None, data: str | os.PathLike | None = None,
              out: str | os.PathLike | None = None, jobs: int | None = None,
              force: bool = False, formats: tuple[str, ...] = FORMATS,
              cell_timeout: int = DEFAULT_CELL_TIMEOUT, progress: bool | None = True,
              max_seconds: int = DEFAULT_MAX_SECONDS,
              scheduler: str | None = None) -> BatchResult:
    """Render the reports of ``years`` and the trends report; see the module docstring."""
    [result] = run_batches([(data, out)], years, jobs, force, formats, cell_timeout, progress,
                           max_seconds, scheduler)
    return result


def run_batches(targets: list[tuple[str | os.PathLike | None, str | os.PathLike | None]],
                years: str | list | None = None, jobs: int | None = None,
                force: bool = False, formats: tuple[str, ...] = FORMATS,
                cell_timeout: int = DEFAULT_CELL_TIMEOUT, progress: bool | None = True,
                max_seconds: int = DEFAULT_MAX_SECONDS,
                scheduler: str | None = None) -> list[BatchResult]:
    """:func:`run_batch` for several (data folder, output folder) pairs at once, such as
    the units of a multi-unit folder: every report of every pair goes to the engine in
    one run, and each output folder gets its own index page."""
    start = time.perf_counter()
    formats = check_formats(formats)
    check_seconds(cell_timeout, "Thời gian chờ mỗi ô")  # said once, not once a year
    check_seconds(max_seconds, "Thời gian dựng tối đa")
    from tongket_lib import engine

    jobs = engine.worker_count(jobs)
    plans = [_plan(data, out, years, formats, cell_timeout, force) for data, out in targets]
    todo = [item for plan in plans for item in plan.todo]
    if todo:
        done = _run(todo, (formats, cell_timeout, force, max_seconds), min(jobs, len(todo)),
                    progress, scheduler)
        for item, outcome in zip(todo, done, strict=True):
            next(p for p in plans if p.out_dir == Path(item[3])).outcomes[outcome.name] = outcome
    results = []
    for plan in plans:
        outcomes = plan.outcomes
        index = write_index(
            plan.out_dir, [Failure(o.name, o.message, o.failed_notebook)
                           for o in outcomes.values() if o.state == FAILED],
            {o.name: o.note for o in outcomes.values() if o.note})
        order = [str(y) for y in plan.years] + [TRENDS]
        results.append(BatchResult([outcomes[k] for k in order if k in outcomes], index,
                                   time.perf_counter() - start))
    return results


def counted(counts: tuple[int, ...]) -> str:
    """``3 dựng mới, 0 bỏ qua, 1 lỗi`` from (rendered, skipped, failed)."""
    rendered, skipped, failed = map(format_number, counts)
    return f"{rendered} dựng mới, {skipped} bỏ qua, {failed} lỗi"


@dataclass
class _Plan:
    """One output folder's part of a batch: what is current already, what is to do."""

    out_dir: Path
    years: list[Period]
    outcomes: dict[str, Outcome]
    todo: list[tuple[str, str, str, str]]  # (kind, key, data folder, output folder)


def _plan(data: str | os.PathLike | None, out: str | os.PathLike | None,
          years: str | list | None, formats: tuple[str, ...], cell_timeout: int,
          force: bool) -> _Plan:
    """Decide, without starting anything heavy, which reports of one folder are current."""
    data_dir = paths.data_dir(data).resolve()
    out_dir = paths.reports_dir(out).resolve()
    chosen = parse_years(years, data_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from tongket_lib.render.publish import output_error

        raise output_error(out_dir, exc) from None
    plan = _Plan(out_dir, chosen, {}, [])
    for year in chosen:
        if not (data_dir / str(year)).is_dir():
            plan.outcomes[str(year)] = Outcome(str(year), FAILED, message="không có thư mục dữ"
                                               f" liệu {shown(data_dir / str(year))}.")
            continue
        template = year_template(data_dir, year)
        problem = unusable_template(template, formats) if template.is_file() else None
        if problem is not None:  # this year fails on its own; the others are built
            plan.outcomes[str(year)] = Outcome(str(year), FAILED, message=problem)
            continue
        job = year_job(year, data_dir, out_dir, formats, cell_timeout=cell_timeout)
        if not force and job.is_current():
            plan.outcomes[str(year)] = Outcome(str(year), SKIPPED,
                                               errors=_stamped_errors(job.folder))
        else:
            plan.todo.append(("year", str(year), str(data_dir), str(out_dir)))
    present = [y for y in chosen if (data_dir / str(y)).is_dir()]
    if present:
        spec = ",".join(map(str, present))
        if not force and trends_job(spec, data_dir, out_dir, formats, cell_timeout).is_current():
            plan.outcomes[TRENDS] = Outcome(TRENDS, SKIPPED)
        else:  # the longest job first: no idle worker at the end
            plan.todo.insert(0, ("trends", spec, str(data_dir), str(out_dir)))
    return plan


def _run(todo: list[tuple[str, str, str, str]], options: tuple, workers: int, progress: bool | None,
         scheduler: str | None = None) -> list[Outcome]:
    """Run ``_job(kind, key, data, out, *options)`` for each of ``todo`` (outcomes in the
    same order): one after the other for a single worker, else on the Dask engine (a
    local cluster, or ``scheduler``)."""
    from tongket_lib import engine

    if engine.runs_here(len(todo), workers, 2, scheduler):
        if len(todo) > 1:  # report after report here: kernels forked from a warm zygote
            from tongket_lib.render.kernel import fork_kernels

            fork_kernels()
        bar = engine.progress_bar(len(todo), "Dựng báo cáo", "báo cáo", progress)
        results = []
        for item in todo:  # one at a time: no cluster, no extra process start
            results.append(_job(*item, *options))
            bar.update()
        bar.close()
        return results
    mapped = engine.map_tasks(_job, todo, star=True, args=options, workers=workers,
                              scheduler=scheduler, progress=progress, desc="Dựng báo cáo",
                              unit="báo cáo", preload=("tongket_lib.render.worker",))
    outcomes = []
    for i, (kind, key, _, _) in enumerate(todo):
        outcome = mapped.results[i]
        if outcome is None:  # _job never raises: the worker itself was lost
            name = key if kind == "year" else TRENDS
            outcome = Outcome(name, FAILED, message="tiến trình dựng bị dừng giữa chừng:"
                                                    f" {mapped.failures.get(i, '')}")
        outcomes.append(outcome)
    return outcomes
