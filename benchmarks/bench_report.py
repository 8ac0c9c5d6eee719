"""tongket report 2024 against the naive chain and against the floor.

    python -m benchmarks.bench_report [--runs 5] [--year 2024]

naive chain: the papermill command, then `jupyter nbconvert --to html --no-input`,
then the `weasyprint` command, on the same notebook and data.
floor: one process that imports pandas and matplotlib and starts (and stops) one kernel:
no report can be faster than that.
Goals: tongket report (HTML and PDF, as the naive chain makes) at most 0.8x the naive
chain, and tongket report (all three formats, the .docx too) at most 2x the floor.
Prints medians and ratios.
"""

from __future__ import annotations

import argparse
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


def run(commands: list[list[str]]) -> float:
    start = time.perf_counter()
    for command in commands:
        subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--year", default="2024")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tongket-bench-"))
    nb = work / "naive.ipynb"
    data = str(ROOT / "data")
    chains = {
        "tongket report": [[str(BIN / "tongket"), "report", args.year, "--out", str(work / "out"),
                            "--format", "html,pdf"]],
        "tongket report + docx": [[str(BIN / "tongket"), "report", args.year, "--out",
                                   str(work / "out2")]],
        "naive chain": [
            [str(BIN / "papermill"), str(ROOT / "notebooks" / "bao_cao_nam.ipynb"), str(nb),
             "-p", "year", args.year, "-p", "data_dir", data, "--no-progress-bar"],
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)],
            [str(BIN / "weasyprint"), str(work / "naive.html"), str(work / "naive.pdf")],
        ],
        "floor (imports + one kernel)": [[sys.executable, "-c", FLOOR]],
    }
    times: dict[str, list[float]] = {name: [] for name in chains}
    run(chains["tongket report"])  # warm the file caches once
    for _ in range(args.runs):
        for name, commands in chains.items():  # interleaved, so drift hits all alike
            times[name].append(run(commands))
    medians = {name: statistics.median(t) for name, t in times.items()}
    naive, floor = medians["naive chain"], medians["floor (imports + one kernel)"]
    print(f"runs: {args.runs} (median seconds; ratio to the naive chain; ratio to the floor)")
    for name, m in medians.items():
        print(f"  {name:30s} {m:6.2f} s   {m / naive:5.2f}x naive   {m / floor:5.2f}x floor")
    ratio = medians["tongket report"] / naive
    print(f"goal: tongket report <= 0.8x the naive chain: {ratio:.2f}x, "
          f"{'met' if ratio <= 0.8 else 'NOT met'}")
    ratio = medians["tongket report + docx"] / floor
    print(f"goal: tongket report (docx, pdf, html) <= 2x the floor: {ratio:.2f}x, "
          f"{'met' if ratio <= 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
