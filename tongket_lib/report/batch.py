"""Re-rendering every year and the trends report: in parallel, skipping what has not changed.

:func:`run_batch` decides first, without starting anything heavy, which reports are
already current (their inputs' fingerprint equals the one stamped by their last good
render) and skips them. The others run in separate processes, each report's folder
locked while it renders, so two batches on the same output folder wait for each other
instead of mixing files. A failing report does not stop the others. At the end
``OUT/index.html`` lists every year with its verdict counts and links, offline and
escaped like the reports.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from html import escape
from pathlib import Path

from tongket_lib import paths
from tongket_lib._version import __version__
from tongket_lib.dataset.layout import parse_years, shown
from tongket_lib.dataset.store import write_text_atomically
from tongket_lib.errors import DataError, ParameterError, TongketError
from tongket_lib.report.render import (
    DEFAULT_CELL_TIMEOUT,
    FORMATS,
    REPORT_NOTEBOOK,
    TRENDS_NAME,
    TRENDS_NOTEBOOK,
    check_formats,
    is_current,
    read_stamp,
    report_name,
    trends_fingerprint,
    year_fingerprint,
)

RENDERED, SKIPPED, FAILED = "rendered", "skipped", "failed"
INDEX = "index.html"
MAX_PROBLEMS_SHOWN = 8       # problems of a failed year listed on the index page


@dataclass(frozen=True)
class Outcome:
    """What happened to one report of a batch."""

    name: str                  # the year, or "xu-huong"
    state: str                 # rendered, skipped or failed
    seconds: float = 0.0
    message: str = ""
    failed_notebook: str | None = None
    note: str = ""             # e.g. the years a trends report had to leave out


@dataclass
class BatchResult:
    outcomes: list[Outcome]
    index: Path
    seconds: float

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.state == FAILED]

    def summary(self) -> str:
        """The end-of-batch summary, one line a report, in Vietnamese."""
        words = {RENDERED: "đã dựng", SKIPPED: "không đổi, bỏ qua", FAILED: "LỖI"}
        lines = []
        for o in self.outcomes:
            label = "Xu hướng" if o.name == TRENDS_NAME else f"Năm {o.name}"
            line = f"{label}: {words[o.state]}"
            if o.state == RENDERED:
                line += f" ({o.seconds:.1f} giây)".replace(".", ",")
            if o.note:
                line += f"; {o.note}"
            if o.state == FAILED:
                first, *rest = o.message.splitlines() or [""]
                line += f": {first}"
                line += "".join(f"\n    {more}" for more in rest)  # each problem on its own line
                if o.failed_notebook:
                    line += f"\n    Notebook lỗi (ô lỗi được đánh dấu): {o.failed_notebook}"
            lines.append(line)
        counts = {s: sum(o.state == s for o in self.outcomes) for s in words}
        lines.append(f"Tổng cộng: {counts[RENDERED]} dựng mới, {counts[SKIPPED]} bỏ qua,"
                     f" {counts[FAILED]} lỗi; {self.seconds:.1f} giây.".replace(".", ",", 1))
        lines.append(f"Trang tổng hợp: {shown(self.index)}")
        return "\n".join(lines)


def _job(kind: str, key: str, data_dir: str, out_dir: str, formats: tuple[str, ...],
         cell_timeout: int, force: bool) -> Outcome:
    """Render one report in a worker process; never raises."""
    from tongket_lib.report.render import render_report, render_trends

    start = time.perf_counter()
    name = key if kind == "year" else TRENDS_NAME
    note = ""
    try:
        if kind == "year":
            result = render_report(key, data_dir, out_dir, formats, cell_timeout=cell_timeout,
                                   skip_unchanged=not force)
        else:
            try:
                result = render_trends(key, data_dir, out_dir, formats,
                                       cell_timeout=cell_timeout, skip_unchanged=not force)
            except DataError:
                # a year with bad data fails on its own; the trends use the years that load
                good, bad = _loadable(key, data_dir)
                if not good or not bad:
                    raise
                result = render_trends(",".join(good), data_dir, out_dir, formats,
                                       cell_timeout=cell_timeout, skip_unchanged=not force)
                note = (f"chỉ gồm các năm {', '.join(good)}; bỏ năm {', '.join(bad)} vì dữ liệu"
                        " lỗi")
    except TongketError as exc:
        return Outcome(name, FAILED, time.perf_counter() - start, str(exc),
                       getattr(exc, "failed_notebook", None))
    except Exception as exc:
        return Outcome(name, FAILED, time.perf_counter() - start,
                       f"{type(exc).__name__}: {exc}")
    return Outcome(name, SKIPPED if result.skipped else RENDERED, result.seconds, note=note)


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
              cell_timeout: int = DEFAULT_CELL_TIMEOUT, progress: bool = True) -> BatchResult:
    """Render the reports of ``years`` and the trends report; see the module docstring."""
    start = time.perf_counter()
    formats = check_formats(formats)
    data_dir = paths.data_dir(data).resolve()
    out_dir = paths.reports_dir(out).resolve()
    chosen = parse_years(years, data_dir)
    if jobs is not None and jobs < 0:
        raise ParameterError(f"Số tiến trình song song không hợp lệ: {jobs}. Dùng số từ 1 trở lên"
                             " (bỏ trống hoặc 0: bằng số lõi CPU).")
    jobs = max(1, jobs or os.cpu_count() or 1)
    out_dir.mkdir(parents=True, exist_ok=True)

    outcomes: dict[str, Outcome] = {}
    todo: list[tuple[str, str]] = []
    notebooks = paths.notebooks_dir()
    for year in chosen:
        if not (data_dir / str(year)).is_dir():
            outcomes[str(year)] = Outcome(str(year), FAILED,
                                          message=f"không có thư mục dữ liệu {shown(data_dir / str(year))}.")
            continue
        params = {"year": year, "data_dir": str(data_dir)}
        fingerprint = year_fingerprint(year, data_dir, notebooks / REPORT_NOTEBOOK, formats, params)
        if not force and is_current(out_dir / str(year), report_name(year), fingerprint, formats):
            outcomes[str(year)] = Outcome(str(year), SKIPPED)
        else:
            todo.append(("year", str(year)))
    present = [y for y in chosen if (data_dir / str(y)).is_dir()]
    if present:
        spec = ",".join(map(str, present))
        params = {"years": spec, "data_dir": str(data_dir)}
        fingerprint = trends_fingerprint(present, data_dir, notebooks / TRENDS_NOTEBOOK, formats,
                                         params)
        if not force and is_current(out_dir / TRENDS_NAME, TRENDS_NAME, fingerprint, formats):
            outcomes[TRENDS_NAME] = Outcome(TRENDS_NAME, SKIPPED)
        else:
            todo.insert(0, ("trends", spec))  # the longest job first: no idle worker at the end

    if todo:
        outcomes.update(_run(todo, str(data_dir), str(out_dir), formats, cell_timeout, force,
                             min(jobs, len(todo)), progress))
    index = write_index(out_dir, [o for o in outcomes.values() if o.state == FAILED or o.note])
    order = [str(y) for y in chosen] + [TRENDS_NAME]
    return BatchResult([outcomes[k] for k in order if k in outcomes], index,
                       time.perf_counter() - start)


def _run(todo, data_dir, out_dir, formats, cell_timeout, force, workers, progress) -> dict:
    from tqdm import tqdm

    results: dict[str, Outcome] = {}
    bar = tqdm(total=len(todo), desc="Dựng báo cáo", unit="báo cáo", disable=not progress)
    if workers == 1:  # one at a time: no pool, no extra process start
        for kind, key in todo:
            outcome = _job(kind, key, data_dir, out_dir, formats, cell_timeout, force)
            results[outcome.name] = outcome
            bar.update()
    else:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded process
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [pool.submit(_job, kind, key, data_dir, out_dir, formats, cell_timeout,
                                   force) for kind, key in todo]
            for future in as_completed(futures):
                outcome = future.result()
                results[outcome.name] = outcome
                bar.update()
    bar.close()
    return results


# -- the index page ---------------------------------------------------------------------------

def write_index(out_dir: Path, notes: list[Outcome] | None = None) -> Path:
    """Write ``OUT/index.html`` from the stamps of the reports in ``out_dir`` (atomic).

    ``notes``: this batch's failed reports (and reports built with a note), shown beside
    the year: a failed year keeps its earlier good report, marked as not current.
    """
    from filelock import FileLock

    from tongket_lib.vocab import COLOURS, LABELS, TEXT_COLOURS, VERDICTS

    noted = {o.name: o for o in notes or ()}
    years = sorted({p.name for p in out_dir.iterdir() if p.is_dir() and p.name.isdigit()}
                   | {n for n in noted if n.isdigit()}, key=int)
    rows = []
    synthetic = False
    for name in years:
        folder = out_dir / name
        stamp = read_stamp(folder) if folder.is_dir() else {}
        failure = _failure(noted.get(name), out_dir, kept=bool(stamp))
        if not stamp:
            if failure:
                rows.append(f"<tr><td>{escape(name)}</td><td colspan=\"4\">{failure}</td></tr>")
            continue
        synthetic |= bool(stamp.get("synthetic"))
        stem = report_name(folder.name)
        verdicts = " ".join(
            f'<span class="v" style="background:{COLOURS[v]};color:{TEXT_COLOURS[v]}"'
            f' title="{escape(LABELS[v])}">{escape(LABELS[v])}: {int(stamp["verdicts"][v])}</span>'
            for v in VERDICTS if stamp.get("verdicts", {}).get(v))
        links = " · ".join(f'<a href="{escape(folder.name)}/{stem}.{kind}">{kind.upper()}</a>'
                           for kind in ("html", "pdf") if (folder / f"{stem}.{kind}").is_file())
        rows.append(f"<tr><td>{escape(folder.name)}</td><td>{escape(stamp.get('organisation', ''))}"
                    f"<br><small>{escape(stamp.get('title', ''))}</small>"
                    f"{failure}</td><td>{verdicts}</td>"
                    f"<td>{links}</td><td><small>{escape(_when(stamp))}</small></td></tr>")
    trends = read_stamp(out_dir / TRENDS_NAME)
    trend_links = " · ".join(
        f'<a href="{TRENDS_NAME}/{TRENDS_NAME}.{kind}">{kind.upper()}</a>'
        for kind in ("html", "pdf") if (out_dir / TRENDS_NAME / f"{TRENDS_NAME}.{kind}").is_file())
    synthetic |= bool(trends.get("synthetic"))
    page = _INDEX_PAGE.format(
        banner=('<div class="banner">Dữ liệu minh họa – không phải số liệu thật</div>'
                if synthetic else ""),
        rows="".join(rows) or '<tr><td colspan="5">Chưa có báo cáo nào.</td></tr>',
        trends=_trends_line(trends, trend_links, noted.get(TRENDS_NAME), out_dir),
        version=escape(__version__),
        when=escape(dt.datetime.now().strftime("%d/%m/%Y %H:%M")))
    index = out_dir / INDEX
    with FileLock(str(out_dir / ".tongket-index.lock")):
        write_text_atomically(index, page)
    return index


def _failure(outcome: Outcome | None, out_dir: Path, kept: bool = False) -> str:
    """HTML saying this batch failed to render a report, with its problems (escaped), or "".

    ``kept``: an earlier good report of the same year is still there and linked beside.
    """
    if outcome is None or outcome.state != FAILED:
        return ""
    lines = [line.strip() for line in outcome.message.splitlines() if line.strip()]
    shown_lines = lines[:MAX_PROBLEMS_SHOWN]
    if len(lines) > MAX_PROBLEMS_SHOWN:
        shown_lines.append(f"… và {len(lines) - MAX_PROBLEMS_SHOWN} dòng nữa (xem kết quả lệnh).")
    text = ('<span class="fail">Lần dựng gần nhất bị lỗi.</span>'
            + (" <small>Báo cáo bên cạnh là bản tốt trước đó, chưa có số liệu mới.</small>"
               if kept else ""))
    text += "<ul class=\"problems\">" + "".join(f"<li>{escape(line)}</li>"
                                               for line in shown_lines) + "</ul>"
    if outcome.failed_notebook:
        try:
            relative = Path(outcome.failed_notebook).resolve().relative_to(out_dir.resolve())
            text += f'<a href="{escape(relative.as_posix())}">Notebook lỗi (ô lỗi được đánh dấu)</a>'
        except ValueError:
            text += f"<small>Notebook lỗi: {escape(outcome.failed_notebook)}</small>"
    return text


def _trends_line(stamp: dict, links: str, outcome: Outcome | None, out_dir: Path) -> str:
    """The index's line about the trends report: its links, and what this batch noted."""
    kept = bool(stamp and links)
    note = ""
    if outcome is not None and outcome.state == FAILED:
        note = _failure(outcome, out_dir, kept=kept)
    elif outcome is not None and outcome.note:
        note = f" <small>({escape(outcome.note)})</small>"
    if kept:
        years = escape(", ".join(map(str, stamp.get("years", []))))
        return f"<div class=\"trends\">Báo cáo xu hướng các năm {years}: {links} {note}</div>"
    return f"<div class=\"trends\">Báo cáo xu hướng: {note}</div>" if note else ""


def _when(stamp: dict) -> str:
    try:
        return dt.datetime.fromisoformat(stamp["generated"]).strftime("%d/%m/%Y %H:%M")
    except (KeyError, ValueError):
        return ""


_INDEX_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Báo cáo tổng kết thi đua, khen thưởng</title>
<style>
body {{ font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; max-width: 62em;
  margin: 2em auto; padding: 0 1em; color: #111; line-height: 1.45; }}
h1 {{ font-size: 1.6em; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #bbb; padding: .4em .6em; text-align: left; vertical-align: top; }}
th {{ background: #eee; }}
.v {{ display: inline-block; padding: .05em .45em; margin: .1em; border-radius: .6em;
  font-size: .85em; font-weight: bold; white-space: nowrap; }}
.fail {{ color: #b03a2e; font-weight: bold; }}
.trends {{ margin: 1em 0; }}
.problems {{ margin: .3em 0; padding-left: 1.2em; font-size: .85em; }}
.banner {{ border: 3px solid #c0392b; color: #c0392b; font-weight: bold; padding: .6em 1em;
  margin: 1em 0; text-align: center; font-size: 1.15em; }}
footer {{ color: #666; font-size: .85em; margin-top: 2em; border-top: 1px solid #ccc; }}
@media print {{ * {{ print-color-adjust: exact; -webkit-print-color-adjust: exact; }} }}
</style></head>
<body>
{banner}
<h1>Báo cáo tổng kết phong trào thi đua, khen thưởng</h1>
<table><thead><tr><th>Năm</th><th>Cơ quan, báo cáo</th><th>Đánh giá chỉ tiêu</th>
<th>Tệp</th><th>Dựng lúc</th></tr></thead><tbody>{rows}</tbody></table>
{trends}
<footer>Tạo bằng tongket {version} lúc {when}.</footer>
</body></html>
"""
