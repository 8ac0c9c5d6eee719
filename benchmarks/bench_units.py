"""Many units: collecting 10.000 workbooks and the tidy tables of 10.000 units × 4 years,
the consolidated report over them, and report throughput on 1 and 2 Dask workers.

    python -m benchmarks.bench_units [--units 10000] [--years 4] [--reports 48] [--rounds 5]
                                     [--work DIR] [--prepare-only] [--skip-collect]
                                     [--skip-build] [--skip-summary] [--skip-batch]

Goals on a 2-core machine: ``tongket collect`` of one year's 10.000 workbooks plus the
tidy tables rebuilt after it in under 60 s, peak memory under 2 GB; summary of 10.000
units in under 30 s; 2 workers at least 1,7 × the reports per minute of 1 worker.

Reports per minute is a rate, measured over ``--reports`` year reports (48 by default)
on a cluster already started, so that what is not steady weighs little: each worker's
first report, and the end, when one worker renders the last report while the other has
nothing left. When a report took 3 s, that end was a few seconds in 50 over 16 reports;
over 6 it was a few in 20, and the ratio read about 0,1 lower (1,81 against 1,67 on the
same machine). Now that 16 reports take about 15 s on 2 workers, the end is still about
half a second in 15 (the medians of the whole batch's ratio read 1,70 over 16 reports and
1,71 to 1,74 over 48 on the same machine), hence 48 by default: about two minutes a round.
So each run prints two rates: the whole batch's, and the steady rate (:func:`steady_rate`:
each worker from the end of its first report to the end of its last), which leaves both
out and is what a batch of many units runs at; the ratio of each is printed. One pair of
runs moves by a tenth either way on a shared machine, and by a fifth or more when another
load comes and goes (three rounds once read 2,08, 1,94 and 1,50), so ``--rounds`` pairs are
run (5 by default), 1 worker first in odd rounds and 2 first in even ones, and the median of
their ratios is the figure; a round whose two runs differ by more than a tenth in CPU a
report is flagged (:data:`NOISY`). Each run also prints its CPU seconds a report and the
cores busy on average (the machine's busy time while it ran, as ``bench_batch`` counts it:
run it on a quiet machine). The ratio is exactly the
cores busy with 2 workers over those with 1, times the CPU a report with 1 over that with 2;
one worker already keeps more than one core busy (its PDF is laid out and its Word file
written while the notebook runs), so on 2 cores, at the same CPU a report, the ratio is at
most 2 over that, printed as "the most two cores allow" (a run on a faster moment of a
shared machine can pass it). Anything that makes one worker's report cheaper on its
critical path (the kernel) lowers that bound; only CPU taken off the work that runs beside
the kernel (the PDF, the Word file) raises it: HarfBuzz's subsetter in place of fontTools'
(``libharfbuzz-subset0``) took one worker from 1,24 cores busy to 1,14, and the ratio of a
fresh machine's 16-report batch from 1,54 to 1,70.

The collect step (:func:`bench_collect`) needs one workbook a unit for the last year.
Setup, not measured: :func:`make_units` writes every year; :func:`make_inbox` exports
``TEMPLATES`` units' last year with the real ``excel export`` and copies each to the
other units, with the unit key in “Thông tin chung” changed and the numbers of the data
rows varied (:data:`PERTURBED`), so that every workbook is an exported one whose rows are
its own, as real units' are; the last year is then taken out of the
data folder and the tidy tables of the other years are built. Measured: ``tongket
collect`` as its own process, then ``consolidate.build`` without force (only the
collected year is rebuilt), peak memory of every process meanwhile. “Naive” is the
per-workbook path collect had before (``read_excel``, ``year_files``, one write) timed
on a sample and extrapolated. ``--work DIR`` keeps (or reuses) the prepared folders.

Where collect's time went (cProfile, 189 exported demo workbooks, one process), before:
0,30 s a workbook, of which ``validate_table`` 0,22 s (pandera's fixed cost per column
0,12 s, ``convert`` 0,05 s), openpyxl 0,08 s (``load_workbook`` 0,02 s, its sheet parser
0,055 s), writing the year 0,065 s (``DataFrame.to_csv`` per table, PyYAML's emitter). After
(the fast path, a chunk of 250, CPU): about 7 ms, of which the sheets 5 ms (python-calamine
1,8 ms; what calamine cannot tell, checked first: the XML parser 0,7 ms, the cells' usual
structure and the doubts 1 ms, zip members and openpyxl's parts 1 ms), sheets to table
text 1 ms, the chunk's checks (validate's schemas on the stacked rows) and the CSV and
YAML text 1 ms. The tidy rebuild of a year costs about 3 ms a unit-year (reading the CSV
and YAML files, checks, verdicts, Arrow), its fingerprint about 1 s.

:func:`make_units` writes the test folder (also used by tests/test_consolidate.py): one
demonstration agency perturbed per unit (actual values, award counts, amounts), a
units.csv register. A stand-in until ``demo.units.make_demo_units`` lands.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
REGISTER_HEADER = ["id", "name", "upper_union", "group", "members", "contact", "active", "note"]


def _table(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    return rows[0], rows[1:]


def _scaled(cell: str, factor: float, percent: bool, whole: bool) -> str:
    if not cell.strip():
        return cell
    value = float(cell) * factor
    if percent:
        value = min(max(value, 0.0), 100.0)
    value = max(value, 0.0)
    return str(int(round(value))) if whole else f"{value:.2f}".rstrip("0").rstrip(".")


def _csv(header: list[str], rows: list[list[str]]) -> str:
    from tongket_lib.dataset.store import csv_text

    return csv_text(header, rows)


def make_units(root: str | os.PathLike, n: int, years: list[int] | range = range(2021, 2025),
               seed: int = 7, groups: int = 8) -> Path:
    """Write ``n`` fictional units (each a perturbed copy of the demo agency) and units.csv."""
    from demo import ORGANISATION, make_demo

    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    base = Path(tempfile.mkdtemp(prefix="tongket-units-base-")) / "demo"
    make_demo(base, years=list(years), seed=seed)
    rng = np.random.default_rng(seed)
    templates = {}
    for year in years:
        folder = base / str(year)
        templates[year] = {
            "meta": (folder / "meta.yaml").read_text(encoding="utf-8"),
            "sections": ((folder / "sections.csv").read_bytes()
                         if (folder / "sections.csv").exists() else None),
            **{name: _table(folder / name) for name in ("indicators.csv", "awards.csv",
                                                        "contributions.csv")}}
    rules = (base / "rules.yaml").read_bytes()
    register = []
    for i in range(n):
        unit = f"cd-{i:05d}"
        name = f"Công đoàn cơ sở Đơn vị số {i + 1}"
        register.append([unit, name, "Liên đoàn Lao động tỉnh Minh Phúc",
                         f"Khối {i % groups + 1}", str(int(rng.integers(20, 400))), "", "true", ""])
        (root / unit).mkdir(parents=True)
        (root / unit / "rules.yaml").write_bytes(rules)
        skill = rng.normal(1.0, 0.08)  # some units do better than others, every year
        for year in years:
            folder = root / unit / str(year)
            folder.mkdir()
            t = templates[year]
            (folder / "meta.yaml").write_text(t["meta"].replace(ORGANISATION, name),
                                              encoding="utf-8")
            if t["sections"] is not None:
                (folder / "sections.csv").write_bytes(t["sections"])
            header, rows = t["indicators.csv"]
            a, u = header.index("actual"), header.index("unit")
            new = []
            for row in rows:
                row = list(row)
                if row[a].strip():
                    whole = "." not in row[a] and row[u] != "%"
                    row[a] = _scaled(row[a], skill * rng.normal(1.0, 0.06), row[u] == "%", whole)
                new.append(row)
            (folder / "indicators.csv").write_text(_csv(header, new), encoding="utf-8")
            for name_, column in (("awards.csv", "count"), ("contributions.csv", "amount_vnd")):
                header, rows = t[name_]
                c = header.index(column)
                new = [[*r[:c], _scaled(r[c], rng.uniform(0.5, 1.6), False, True), *r[c + 1:]]
                       for r in rows]
                (folder / name_).write_text(_csv(header, new), encoding="utf-8")
    (root / "units.csv").write_text(_csv(REGISTER_HEADER, register), encoding="utf-8")
    shutil.rmtree(base.parent, ignore_errors=True)
    return root


TEMPLATES = 200  # units whose workbook is exported for real; the others are copies re-keyed


def _export_chunk(units: list[str], source: str, year: int, out: str) -> list[str]:
    """Export the workbook of each unit (engine task): the real ``excel export``."""
    from tongket_lib.dataset.excel import export_excel

    return [str(export_excel(year, Path(source) / u, Path(out) / f"{u}.xlsx", force=True, unit=u))
            for u in units]


#: what each copy changes so that its rows are its own, as every unit's are: the sheet,
#: the heading of the column, and how a number in it changes (kept valid: never below 0,
#: a percent never above 100, a count a whole number)
PERTURBED = (("Chỉ tiêu", "Thực hiện", "shrink"), ("Khen thưởng", "Số lượng", "add"),
             ("Đóng góp, hỗ trợ", "Số tiền (đồng)", "add"))


def _clone_chunk(jobs: list[tuple[str, str, str]]) -> int:
    """Copy template workbooks to other units: the unit key in the meta sheet changes,
    and so do the numbers of its data rows (:data:`PERTURBED`), so that no two units send
    the same rows, as in life (a reader that keeps rows it has seen gains nothing here
    that real workbooks would not give it: headings, labels, the sections' list)."""
    from tongket_lib.dataset.excel import META_SHEET

    done = 0
    for template, unit, target in jobs:
        old = Path(template).stem
        rng = np.random.default_rng(zlib.crc32(unit.encode()))
        with zipfile.ZipFile(template) as src:
            names = src.namelist()
            member = _sheet_member(src, META_SHEET)
            changed = {_sheet_member(src, title): (heading, how)
                       for title, heading, how in PERTURBED}
            tmp = Path(target).with_suffix(".tmp")
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
                for info in src.infolist():
                    data = src.read(info.filename)
                    if info.filename == member:
                        key = f"<t>{old}</t>".encode()
                        assert data.count(key) == 1, (template, names)
                        data = data.replace(key, f"<t>{unit}</t>".encode())
                    elif info.filename in changed:
                        data = _perturbed(data, *changed[info.filename], rng)
                    dst.writestr(info, data)
        tmp.replace(target)
        done += 1
    return done


def _perturbed(sheet: bytes, heading: str, how: str, rng: np.random.Generator) -> bytes:
    """The sheet with each number under ``heading`` changed a little (see PERTURBED)."""
    import html
    import re

    header = re.search(rb'<row r="1".*?</row>', sheet, re.S)
    assert header is not None
    column = next(letters for letters, text in re.findall(
        rb'<c r="([A-Z]+)1"[^>]*><is><t>([^<]*)</t>', header.group(0))
        if html.unescape(text.decode()) == heading)

    def change(match: re.Match) -> bytes:
        text = match.group(3).decode()
        value = float(text)
        if how == "add":
            new = str(int(value) + int(rng.integers(0, 3)) * (1000 if value >= 1000 else 1))
        elif value == int(value) and "." not in text:
            new = str(max(0, int(value) - int(rng.integers(0, 2))))
        else:
            new = f"{value * (1 - 0.05 * rng.random()):.2f}"
        return match.group(1) + b"<v>" + new.encode() + b"</v>"

    pattern = rb'(<c r="' + column + rb'([2-9]|[1-9][0-9]+)"[^>]*>)<v>([^<]*)</v>'
    return re.sub(pattern, change, sheet)


def _sheet_member(archive: zipfile.ZipFile, title: str) -> str:
    import re
    from xml.sax.saxutils import escape

    book = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'name="{re.escape(escape(title))}"[^>]*r:id="([^"]+)"', book).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    path = target.group(1) or target.group(2)
    return path.lstrip("/") if path.startswith("/") else f"xl/{path}"


def make_inbox(source: Path, inbox: Path, units: list[str], year: int, workers: int) -> None:
    """One workbook a unit in ``inbox``: ``TEMPLATES`` exported, the others copied."""
    from tongket_lib import engine

    templates = inbox.parent / "mau"
    templates.mkdir(parents=True, exist_ok=True)
    inbox.mkdir(parents=True, exist_ok=True)
    chosen = units[:TEMPLATES]
    with engine.cluster(workers) as client:
        parts = [chosen[i:i + 20] for i in range(0, len(chosen), 20)]
        mapped = engine.map_tasks(_export_chunk, parts, args=(str(source), year, str(templates)),
                                  client=client)
        assert mapped.ok, mapped.failures
        jobs = [(str(templates / f"{chosen[i % len(chosen)]}.xlsx"), u,
                 str(inbox / f"bao-cao-{year}-{u}.xlsx")) for i, u in enumerate(units)]
        parts = [jobs[i:i + 250] for i in range(0, len(jobs), 250)]
        mapped = engine.map_tasks(_clone_chunk, parts, client=client)
        assert mapped.ok, mapped.failures


class PeakMemory:
    """The largest resident memory of a process and of its descendants, sampled."""

    def __init__(self, pid: int | None = None):
        import psutil

        self.process = psutil.Process(pid or os.getpid())
        self.main = self.child = self.total = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                main = self.process.memory_info().rss
                kids = []
                for kid in self.process.children(recursive=True):
                    try:
                        kids.append(kid.memory_info().rss)
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            mb = 1024 * 1024
            self.main = max(self.main, main / mb)
            self.child = max(self.child, max(kids, default=0) / mb)
            self.total = max(self.total, (main + sum(kids)) / mb)
            self._stop.wait(0.1)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def text(self) -> str:
        worst = max(self.main, self.child)
        return (f"peak RSS: main process {self.main:.0f} MB, largest worker {self.child:.0f} MB,"
                f" all processes together {self.total:.0f} MB (goal < 2048 MB a process:"
                f" {'met' if worst < 2048 else 'NOT met'})")


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "tongket_lib.cli", *args]


def _cli_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def prepare_collect(work: Path, n: int, years: list[int], workers: int) -> tuple[Path, Path]:
    """The data folder (every year, the last one kept aside) and the inbox of workbooks."""
    source, inbox = work / "units", work / "thu-ve"
    if not (work / ".units-done").exists():
        start = time.perf_counter()
        make_units(source, n, years)
        (work / ".units-done").touch()
        print(f"wrote {n:,} units × {len(years)} years in {time.perf_counter() - start:.0f} s:"
              f" {source}")
    if not (work / ".inbox-own-rows-done").exists():  # copies with their own numbers
        shutil.rmtree(inbox, ignore_errors=True)
        start = time.perf_counter()
        units = sorted(p.name for p in source.iterdir() if p.is_dir())
        make_inbox(source, inbox, units, years[-1], workers)
        (work / ".inbox-own-rows-done").touch()
        print(f"wrote {len(units):,} workbooks of {years[-1]} ({TEMPLATES} exported, the others"
              f" copies with their own key and numbers) in {time.perf_counter() - start:.0f} s:"
              f" {inbox}")
    return source, inbox


def _take_out(root: Path, year: int) -> None:
    """Remove the collected year (and any backup of it) from every unit: as before collect."""
    for unit in root.iterdir():
        if unit.is_dir():
            for folder in unit.glob(f"{year}*"):
                shutil.rmtree(folder)


def _naive(inbox: Path, year: int, sample: int = 40) -> float:
    """Seconds a workbook took before: read_excel (openpyxl, pandera), then one write."""
    from tongket_lib.dataset.store import write_year_folder, year_files
    from tongket_lib.units.workbooks import check_workbook

    files = sorted(inbox.glob("*.xlsx"))[:sample]
    scratch = Path(tempfile.mkdtemp(prefix="tongket-naive-"))
    start = time.perf_counter()
    for path in files:
        book = check_workbook(path, year)
        files_ = year_files({**book.meta, "unit": book.unit}, book.tables)
        write_year_folder(scratch / str(book.unit) / str(year),
                          lambda tmp, f=files_: [(tmp / k).write_bytes(v) for k, v in f.items()])
    seconds = (time.perf_counter() - start) / len(files)
    shutil.rmtree(scratch, ignore_errors=True)
    return seconds


def bench_collect(work: Path, n: int, years: list[int], workers: int) -> None:
    """``tongket collect`` of one year's workbooks, then the tidy tables rebuilt after it."""
    from tongket_lib.units import consolidate

    year = years[-1]
    root, inbox = prepare_collect(work, n, years, workers)
    _take_out(root, year)
    before = consolidate.build(root, workers=workers)  # setup: the other years' tables
    print(f"before collect: tidy tables of {before.years} ({len(before.coverage):,} unit-years)")

    command = _cli("collect", str(inbox), "--year", str(year), "--data", str(root))
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=_cli_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    with PeakMemory(process.pid) as collect_memory:
        out, err = process.communicate()
    collected = time.perf_counter() - start
    if process.returncode != 0:
        print(f"collect FAILED ({process.returncode}):\n{out[-3000:]}\n{err[-3000:]}")
        return
    files = len(list(inbox.glob("*.xlsx")))
    print(out.splitlines()[1] if len(out.splitlines()) > 1 else out)
    print(f"collect of {files:,} workbooks, {workers} workers: {collected:.1f} s"
          f" ({1000 * collected / files:.2f} ms a workbook)")
    print(f"  {collect_memory.text()}")

    start = time.perf_counter()
    with PeakMemory() as tidy_memory:
        tidy = consolidate.build(root, workers=workers)
    rebuilt = time.perf_counter() - start
    print(f"tidy tables after collect (no force): {rebuilt:.1f} s; rebuilt years"
          f" {tidy.rebuilt}, reused {[y for y in tidy.years if y not in tidy.rebuilt]}"
          f" ({len(tidy.coverage):,} unit-years)")
    print(f"  {tidy_memory.text()}")
    total = collected + rebuilt
    print(f"collect + tidy: {total:.1f} s (goal < 60 s: {'met' if total < 60 else 'NOT met'})")

    naive = _naive(inbox, year)
    print(f"naive (the per-workbook path before, on a sample of 40): {1000 * naive:.0f} ms a"
          f" workbook, {naive * files:.0f} s for {files:,}: collect is"
          f" {naive * files / collected:.0f} × faster")


def _peak_mb() -> float:
    """Peak resident memory of this process and of finished children (workers), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024, children / 1024


def bench_tidy(root: Path, workers: int) -> None:
    from tongket_lib.units import consolidate

    start = time.perf_counter()
    tidy = consolidate.build(root, workers=workers, force=True)
    built = time.perf_counter() - start
    own, children = _peak_mb()
    start = time.perf_counter()
    consolidate.build(root, workers=workers)
    reused = time.perf_counter() - start
    rows = len(tidy.indicators)
    unit_years = len(tidy.coverage)
    print(f"tidy tables, full rebuild (force): {unit_years:,} unit-years, {rows:,} indicator"
          f" rows, {workers} workers: {built:.1f} s ({1000 * built / unit_years:.2f} ms a"
          f" unit-year)")
    print(f"  peak RSS: main process {own:.0f} MB, largest worker {children:.0f} MB"
          f" (goal < 2048 MB: {'met' if max(own, children) < 2048 else 'NOT met'})")
    print(f"  unchanged, reused: {reused:.2f} s")


#: ``tongket summary`` as its own process, whether or not the main CLI lists it yet
SUMMARY_CLI = ("import argparse, sys; from tongket_lib.cli.summary import add_summary_command;"
               " p = argparse.ArgumentParser(); a = p.add_subparsers();"
               " add_summary_command(a); n = p.parse_args(sys.argv[1:]); sys.exit(n.func(n))")


def bench_summary(root: Path, year: int, out: Path) -> None:
    command = [sys.executable, "-c", SUMMARY_CLI, "summary", str(year), "--data", str(root),
               "--out", str(out), "--force"]  # a render: an unchanged summary would be kept
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        print(f"summary FAILED ({done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}")
        return
    print(f"summary {year} (tidy tables reused), html and pdf: {seconds:.1f} s"
          f" (goal < 30 s: {'met' if seconds < 30 else 'NOT met'})")


#: a round whose two runs differ by more than this in CPU a report is flagged as noisy:
#: two workers on two cores cost a few hundredths more CPU a report than one (shared
#: caches), not a tenth, and not less
NOISY = 0.10


def timed_report(year: int, data: str, out: str) -> tuple[int, float, float]:
    """A year's report rendered on a worker, as ``tongket batch`` renders it: the worker's
    process id and when the render started and ended (wall clock)."""
    from tongket_lib.render.job import render_report

    start = time.time()
    render_report(year, data, out)
    return os.getpid(), start, time.time()


def steady_rate(timings: list[tuple[int, float, float]]) -> float | None:
    """Reports a minute at steady state: each worker's reports after its first over the
    time from the end of its first to the end of its last, summed over the workers. Left
    out: each worker's first report (imports and fonts loaded, the zygote warming) and the
    end of the batch, when a worker with nothing left waits for the other's last report.
    ``None`` when a worker rendered fewer than two reports."""
    ends: dict[int, list[float]] = {}
    for pid, _start, end in timings:
        ends.setdefault(pid, []).append(end)
    rate = 0.0
    for times in ends.values():
        times.sort()
        if len(times) < 2 or times[-1] <= times[0]:
            return None
        rate += 60 * (len(times) - 1) / (times[-1] - times[0])
    return rate


def _shown(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def bench_batch(reports: int, work: Path, rounds: int = 5) -> None:
    """Reports a minute on 1 worker, then on 2, ``rounds`` times; each round's ratio, and
    the median of them against the goal (one pair of runs moves by a tenth either way on
    a shared two-core machine, as ``bench_report`` pairs the floor and the report). Two
    ratios: of the whole batch's rates, and of the steady rates (:func:`steady_rate`)."""
    from benchmarks.bench_batch import busy_seconds
    from demo import make_demo
    from tongket_lib import engine

    years = list(range(2025 - reports, 2025))
    make_demo(work / "demo", years)
    ratios, steady_ratios, ceilings = [], [], []
    for round_ in range(1, rounds + 1):
        rates, steady, busy, cpu = {}, {}, {}, {}
        # 1 worker first in odd rounds, 2 first in even ones: a machine that gets faster or
        # slower while the benchmark runs favours neither
        for workers in ((1, 2) if round_ % 2 else (2, 1)):
            out = work / f"reports-{round_}-{workers}"
            with engine.cluster(workers, preload=("tongket_lib.render.worker",)) as client:
                before = busy_seconds()
                start = time.perf_counter()
                mapped = engine.map_tasks(timed_report, years,
                                          args=(str(work / "demo"), str(out)), client=client)
                seconds = time.perf_counter() - start
                cpu[workers] = (busy_seconds() - before) / len(years)
            if mapped.failures:
                print(f"  {workers} worker(s): failures {mapped.failures}")
            rates[workers] = 60 * len(years) / seconds
            steady[workers] = steady_rate([r for r in mapped.results if r is not None])
            busy[workers] = cpu[workers] * len(years) / seconds
            print(f"round {round_}, batch through the engine, {workers} worker(s):"
                  f" {len(years)} year reports in {seconds:.1f} s ="
                  f" {rates[workers]:.1f} reports a minute (steady: {_shown(steady[workers])});"
                  f" {cpu[workers]:.2f} CPU s a report, {busy[workers]:.2f} cores busy")
        ratios.append(rates[2] / rates[1])
        steady_ratios.append(steady[2] / steady[1] if steady[1] and steady[2] else None)
        ceilings.append(2 / busy[1])
        # rates[2] / rates[1] = busy[2] / busy[1] * cpu[1] / cpu[2], exactly
        print(f"  round {round_}: 2 workers / 1 worker: {ratios[-1]:.2f} = cores busy"
              f" {busy[2]:.2f} / {busy[1]:.2f} × CPU a report {cpu[1]:.2f} / {cpu[2]:.2f};"
              f" at most 2 / {busy[1]:.2f} = {ceilings[-1]:.2f} with both cores always busy"
              f" and the same CPU a report; steady rates: {_shown(steady_ratios[-1], 2)}")
        if abs(cpu[1] / cpu[2] - 1) > NOISY:
            print(f"  round {round_}: the CPU a report differs by more than"
                  f" {NOISY:.0%} between its two runs, more than two workers sharing the"
                  f" machine explain: another load changed its speed, and this round's ratio"
                  f" says more about that than about the workers")
    for what, values in (("whole batch", ratios), ("steady rate", steady_ratios)):
        if None in values:  # a worker rendered a single report: no steady rate to tell
            print(f"2 workers / 1 worker, {what}: not measured (a worker rendered fewer than"
                  f" two reports; give --reports at least 4)")
            continue
        ratio = statistics.median(values)
        verdict = "met" if ratio >= 1.7 else "NOT met"
        print(f"2 workers / 1 worker, {what}, median of {rounds} rounds: {ratio:.2f}"
              f" ({', '.join(f'{r:.2f}' for r in values)}; goal >= 1,7: {verdict})")
    print(f"the most two cores allow, median: {statistics.median(ceilings):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--reports", type=int, default=48)
    parser.add_argument("--rounds", type=int, default=5,
                        help="pairs of batch runs (1 worker and 2, in turn first); the median"
                             " ratio counts")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", help="reuse this units folder instead of writing a new one")
    parser.add_argument("--work", help="keep (or reuse) the prepared folders here")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--skip-collect", action="store_true")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--skip-summary", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="tongket-bench-units-"))
    work.mkdir(parents=True, exist_ok=True)
    years = list(range(2025 - args.years, 2025))
    if args.prepare_only:
        prepare_collect(work, args.units, years, args.workers)
        return
    if not args.skip_collect:
        bench_collect(work, args.units, years, args.workers)
        args.data = args.data or str(work / "units")
    root = Path(args.data) if args.data else work / "units"
    if not args.data:
        start = time.perf_counter()
        make_units(root, args.units, years)
        print(f"wrote {args.units:,} units × {args.years} years in"
              f" {time.perf_counter() - start:.0f} s: {root}")
    if not args.skip_build:
        bench_tidy(root, args.workers)
    if not args.skip_summary:
        bench_summary(root, years[-1], work / "out")
    if not args.skip_batch:
        bench_batch(args.reports, work, args.rounds)
    print(f"(files in {work}; remove when done)")


if __name__ == "__main__":
    main()
