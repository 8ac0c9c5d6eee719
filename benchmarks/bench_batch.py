"""tongket batch: 8 demonstration years with -j 2 against -j 1, then a batch with
nothing changed.

    python -m benchmarks.bench_batch [--years 8] [--runs 1]

Goals on a 2-core machine: -j 2 takes at most 0.6 of -j 1 (throughput at least 1,7x);
the unchanged batch (a whole `tongket batch` process) finishes in under 1 s and starts
no kernel. Also prints the CPU seconds of each batch (the machine's busy time while it
ran: run it on a quiet machine) and the cores busy on average: -j 1 already keeps more than one core
busy (the kernel boots while the data loads, the PDF is laid out while the notebook
runs), which bounds what a second worker can add on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from demo import make_demo

ROOT = Path(__file__).resolve().parents[1]
TONGKET = str(Path(sys.executable).parent / "tongket")


CPU = {"last": 0.0}  # CPU seconds of the last batch, all its processes (kernels, workers)


def busy_seconds() -> float:
    """CPU seconds this machine has been busy (all cores, /proc/stat): the batch's own CPU
    when the machine is otherwise quiet, workers forked from a server included (their
    usage never reaches this process's RUSAGE_CHILDREN). Elsewhere: this process's children."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime


def batch(data: Path, out: Path, years: str, jobs: int, force: bool = True) -> tuple[float, str]:
    command = [TONGKET, "batch", "--years", years, "--data", str(data), "--out", str(out),
               "-j", str(jobs)] + (["--force"] if force else [])
    before = busy_seconds()
    start, start_wall = time.perf_counter(), time.time()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    CPU["last"] = busy_seconds() - before
    first, last = (int(y) for y in years.split("-"))
    stale = [y for y in range(first, last + 1) if not _written(out / str(y) / f"bao-cao-{y}.html",
                                                               start_wall if force else 0)]
    # exit 1 also says that a year's data has error-level findings (the demo's years
    # carry some on purpose): the reports are made all the same, and that is what counts
    if done.returncode not in (0, 1) or stale:
        sys.exit(f"batch failed (exit {done.returncode}; not written: {stale}):\n"
                 f"{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


def _written(path: Path, since: float) -> bool:
    """Whether ``path`` is there, written at ``since`` (a wall-clock time) or later."""
    try:
        return path.stat().st_mtime >= since - 1
    except OSError:
        return False


def timed(data: Path, out: Path, years: str, jobs: int) -> tuple[float, float]:
    """Wall seconds and CPU seconds of one forced batch."""
    seconds, _ = batch(data, out, years, jobs)
    return seconds, CPU["last"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=int, default=8)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tongket-bench-batch-"))
    years = list(range(2025 - args.years, 2025))
    make_demo(work / "demo", years)
    span = f"{years[0]}-{years[-1]}"
    runs1 = [timed(work / "demo", work / "j1", span, 1) for _ in range(args.runs)]
    runs2 = [timed(work / "demo", work / "j2", span, 2) for _ in range(args.runs)]
    again = [batch(work / "demo", work / "j2", span, 2, force=False) for _ in range(3)]
    j1, j2 = statistics.median(w for w, _ in runs1), statistics.median(w for w, _ in runs2)
    cpu1, cpu2 = statistics.median(c for _, c in runs1), statistics.median(c for _, c in runs2)
    noop = statistics.median(s for s, _ in again)
    skipped_all = all(out.count("không đổi, bỏ qua") == args.years + 1 for _, out in again)
    print(f"{args.years} demo years + the trends report, html and pdf, median of {args.runs}:")
    reports = args.years + 1
    print(f"  -j 1: {j1:6.1f} s = {60 * reports / j1:4.1f} reports a minute;"
          f" CPU {cpu1:5.1f} s, {cpu1 / j1:.2f} cores busy on average")
    verdict = "met" if j2 / j1 <= 0.6 else "NOT met"
    print(f"  -j 2: {j2:6.1f} s = {60 * reports / j2:4.1f} reports a minute;"
          f" CPU {cpu2:5.1f} s, {cpu2 / j2:.2f} cores busy on average")
    print(f"  -j 2 / -j 1: time ratio {j2 / j1:.2f} (goal <= 0.6: {verdict}), throughput"
          f" {j1 / j2:.2f}x (goal >= 1,7x: {'met' if j1 / j2 >= 1.7 else 'NOT met'})")
    cores = os.cpu_count() or 1
    print(f"  on {cores} cores the most -j 2 can gain is {cores} / {cpu1 / j1:.2f} cores busy"
          f" at -j 1 = {cores / (cpu1 / j1):.2f}x (and less its extra CPU:"
          f" {cpu2 - cpu1:+.1f} s)")
    print(f"  nothing changed: {noop:.2f} s for the whole command (goal < 1 s:"
          f" {'met' if noop < 1 else 'NOT met'}); every report skipped, no kernel:"
          f" {'yes' if skipped_all else 'NO'}")


if __name__ == "__main__":
    main()
