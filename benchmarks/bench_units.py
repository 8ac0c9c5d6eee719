"""Many units: the tidy tables of 10.000 units × 4 years, the consolidated report over
them, and report throughput on 1 and 2 Dask workers.

    python -m benchmarks.bench_units [--units 10000] [--years 4] [--reports 6]
                                     [--skip-build] [--skip-summary] [--skip-batch]

Goals on a 2-core machine: tidy tables in under 60 s with peak memory under 2 GB
(the issue's budget is collect plus tidy); summary of 10.000 units in under 30 s;
2 workers at least 1,7 × the reports per minute of 1 worker.

:func:`make_units` writes the test folder (also used by tests/test_consolidate.py): one
demonstration agency perturbed per unit (actual values, award counts, amounts), a
units.csv register. A stand-in until ``tongket_lib.demo.units.make_demo_units`` lands.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
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
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def make_units(root: str | os.PathLike, n: int, years: list[int] | range = range(2021, 2025),
               seed: int = 7, groups: int = 8) -> Path:
    """Write ``n`` fictional units (each a perturbed copy of the demo agency) and units.csv."""
    from tongket_lib.demo import ORGANISATION, make_demo

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


def _peak_mb() -> float:
    """Peak resident memory of this process and of finished children (workers), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024, children / 1024


def bench_tidy(root: Path, workers: int) -> None:
    from tongket_lib.evaluation import consolidate

    start = time.perf_counter()
    tidy = consolidate.build(root, workers=workers, force=True)
    built = time.perf_counter() - start
    own, children = _peak_mb()
    start = time.perf_counter()
    consolidate.build(root, workers=workers)
    reused = time.perf_counter() - start
    rows = len(tidy.indicators)
    unit_years = len(tidy.coverage)
    print(f"tidy tables: {unit_years:,} unit-years, {rows:,} indicator rows,"
          f" {workers} workers: {built:.1f} s ({1000 * built / unit_years:.2f} ms a unit-year)"
          f" (goal < 60 s incl. collect: {'met' if built < 60 else 'NOT met'})")
    print(f"  peak RSS: main process {own:.0f} MB, largest worker {children:.0f} MB"
          f" (goal < 2048 MB: {'met' if max(own, children) < 2048 else 'NOT met'})")
    print(f"  unchanged, reused: {reused:.2f} s")


#: ``tongket summary`` as its own process, whether or not the main CLI lists it yet
SUMMARY_CLI = ("import argparse, sys; from tongket_lib.cli.summary import add_summary_command;"
               " p = argparse.ArgumentParser(); a = p.add_subparsers();"
               " add_summary_command(a); n = p.parse_args(sys.argv[1:]); sys.exit(n.func(n))")


def bench_summary(root: Path, year: int, out: Path) -> None:
    command = [sys.executable, "-c", SUMMARY_CLI, "summary", str(year), "--data", str(root),
               "--out", str(out)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        print(f"summary FAILED ({done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}")
        return
    print(f"summary {year} (tidy tables reused), html and pdf: {seconds:.1f} s"
          f" (goal < 30 s: {'met' if seconds < 30 else 'NOT met'})")


def bench_batch(reports: int, work: Path) -> None:
    from tongket_lib import engine
    from tongket_lib.demo import make_demo
    from tongket_lib.report.render import render_report

    years = list(range(2025 - reports, 2025))
    make_demo(work / "demo", years)
    rates = {}
    for workers in (1, 2):
        out = work / f"reports-{workers}"
        with engine.cluster(workers) as client:
            start = time.perf_counter()
            mapped = engine.map_tasks(render_report, years, args=(str(work / "demo"), str(out)),
                                      client=client)
            seconds = time.perf_counter() - start
        if mapped.failures:
            print(f"  {workers} worker(s): failures {mapped.failures}")
        rates[workers] = 60 * len(years) / seconds
        print(f"batch through the engine, {workers} worker(s): {len(years)} year reports in"
              f" {seconds:.1f} s = {rates[workers]:.1f} reports a minute")
    ratio = rates[2] / rates[1]
    verdict = "met" if ratio >= 1.7 else "NOT met"
    print(f"  2 workers / 1 worker: {ratio:.2f} (goal >= 1,7: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--reports", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", help="reuse this units folder instead of writing a new one")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--skip-summary", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tongket-bench-units-"))
    years = list(range(2025 - args.years, 2025))
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
        bench_batch(args.reports, work)
    print(f"(files in {work}; remove when done)")


if __name__ == "__main__":
    main()
