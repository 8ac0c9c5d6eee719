"""tongket batch: 8 demonstration years with -j 2 against -j 1, then a batch with
nothing changed.

    python -m benchmarks.bench_batch [--years 8] [--runs 1]

Goals on a 2-core machine: -j 2 takes at most 0.6 of -j 1; the unchanged batch (a
whole `tongket batch` process) finishes in under 1 s and starts no kernel.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tongket_lib.demo import make_demo

ROOT = Path(__file__).resolve().parents[1]
TONGKET = str(Path(sys.executable).parent / "tongket")


def batch(data: Path, out: Path, years: str, jobs: int, force: bool = True) -> tuple[float, str]:
    command = [TONGKET, "batch", "--years", years, "--data", str(data), "--out", str(out),
               "-j", str(jobs)] + (["--force"] if force else [])
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"batch failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=int, default=8)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tongket-bench-batch-"))
    years = list(range(2025 - args.years, 2025))
    make_demo(work / "demo", years)
    span = f"{years[0]}-{years[-1]}"
    one = [batch(work / "demo", work / "j1", span, 1)[0] for _ in range(args.runs)]
    two = [batch(work / "demo", work / "j2", span, 2)[0] for _ in range(args.runs)]
    again = [batch(work / "demo", work / "j2", span, 2, force=False) for _ in range(3)]
    j1, j2 = statistics.median(one), statistics.median(two)
    noop = statistics.median(s for s, _ in again)
    skipped_all = all(out.count("không đổi, bỏ qua") == args.years + 1 for _, out in again)
    print(f"{args.years} demo years + the trends report, html and pdf, median of {args.runs}:")
    print(f"  -j 1: {j1:6.1f} s")
    verdict = "met" if j2 / j1 <= 0.6 else "NOT met"
    print(f"  -j 2: {j2:6.1f} s   ratio {j2 / j1:.2f} (goal <= 0.6: {verdict})")
    print(f"  nothing changed: {noop:.2f} s for the whole command (goal < 1 s:"
          f" {'met' if noop < 1 else 'NOT met'}); every report skipped, no kernel:"
          f" {'yes' if skipped_all else 'NO'}")


if __name__ == "__main__":
    main()
