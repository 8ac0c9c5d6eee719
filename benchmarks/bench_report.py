"""tongket report 2024 against the floor, and against the naive chain.

    python -m benchmarks.bench_report [--runs 5] [--year 2024] [--naive]

floor: one process that imports pandas and matplotlib and starts (and stops) one kernel:
no report can be faster than that.
tongket report: the default formats (the document as .docx and PDF, the shared HTML page
and the checks page beside it).
naive chain (``--naive``): the papermill command, then `jupyter nbconvert --to html
--no-input`, then the `weasyprint` command, on the same notebook and data.

Each command is measured in wall time and in CPU seconds: the user and system time of
the command's whole process tree (the kernel included), read with psutil every 10 ms
while it runs. The runs are paired: floor and report one after the other, each run,
so that whatever else the machine does weighs on both alike; the ratio is the median of
the runs' ratios. Goals: tongket report at most 2x the floor in wall time and 3x in CPU
seconds. Say the machine's load (printed) with the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

FLOOR = """
import pandas, matplotlib.pyplot
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="python3")
kc.stop_channels(); km.shutdown_kernel(now=True)
"""
WALL_GOAL, CPU_GOAL = 2.0, 3.0


def measure(commands: list[list[str]]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, every process of the tree) of running
    ``commands`` one after the other."""
    import psutil

    wall = cpu = 0.0
    for command in commands:
        start = time.perf_counter()
        proc = psutil.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
        seen: dict[tuple[int, float], float] = {}
        while proc.poll() is None:
            try:
                tree = [proc, *proc.children(recursive=True)]
            except psutil.Error:
                tree = []
            for p in tree:
                try:
                    times = p.cpu_times()
                    seen[(p.pid, p.create_time())] = times.user + times.system
                except psutil.Error:
                    pass
            time.sleep(0.01)
        if proc.returncode:
            raise SystemExit(f"{' '.join(command)} thất bại (mã {proc.returncode})")
        wall += time.perf_counter() - start
        cpu += sum(seen.values())
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--year", default="2024")
    parser.add_argument("--naive", action="store_true", help="the naive chain too")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tongket-bench-"))
    nb = work / "naive.ipynb"
    data = str(ROOT / "data")
    chains = {
        "floor (imports + one kernel)": [[sys.executable, "-c", FLOOR]],
        "tongket report": [[str(BIN / "tongket"), "report", args.year, "--out",
                            str(work / "out")]],
    }
    if args.naive:
        chains["naive chain"] = [
            [str(BIN / "papermill"), str(ROOT / "notebooks" / "bao_cao_nam.ipynb"), str(nb),
             "-p", "year", args.year, "-p", "data_dir", data, "--no-progress-bar"],
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)],
            [str(BIN / "weasyprint"), str(work / "naive.html"), str(work / "naive.pdf")],
        ]
    # tongket's modules compiled as `bash dev.sh` leaves them (and pip, for an installed
    # package): a machine that forbids writing bytecode would compile them in every run
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", str(ROOT / "tongket_lib")],
                   check=False, stdout=subprocess.DEVNULL)
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    measure(chains["tongket report"])  # warm the file caches once
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in chains}
    for _ in range(args.runs):
        for name, commands in chains.items():  # paired: one of each, each run
            runs[name].append(measure(commands))
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    floor = runs["floor (imports + one kernel)"]
    print(f"runs: {args.runs} (median wall s, median CPU s; median of the paired ratios to"
          " the floor)")
    for name, got in runs.items():
        wall = statistics.median(w for w, _ in got)
        cpu = statistics.median(c for _, c in got)
        wall_ratio = statistics.median(w / f for (w, _), (f, _) in zip(got, floor, strict=True))
        cpu_ratio = statistics.median(c / f for (_, c), (_, f) in zip(got, floor, strict=True))
        print(f"  {name:30s} {wall:6.2f} s  {cpu:6.2f} CPU s   {wall_ratio:5.2f}x wall"
              f"  {cpu_ratio:5.2f}x CPU")
    report = runs["tongket report"]
    wall_ratio = statistics.median(w / f for (w, _), (f, _) in zip(report, floor, strict=True))
    cpu_ratio = statistics.median(c / f for (_, c), (_, f) in zip(report, floor, strict=True))
    print(f"goal: tongket report <= {WALL_GOAL:g}x the floor in wall time: {wall_ratio:.2f}x, "
          f"{'met' if wall_ratio <= WALL_GOAL else 'NOT met'}")
    print(f"goal: tongket report <= {CPU_GOAL:g}x the floor in CPU seconds: {cpu_ratio:.2f}x, "
          f"{'met' if cpu_ratio <= CPU_GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
