"""How fast is evaluate()? 1,000,000 indicator rows, against a plain Python loop.

    python -m benchmarks.bench_evaluate [--rows N] [--repeat K]

Two kinds of frame with the same rows: as ``load_year`` types them (code columns
categorical), and as an analyst builds one by hand in a notebook from Python lists
(pandas' default ``str`` columns, kept by pyarrow). Goal on a 2-core machine, for
both: under 0.5 s for 1,000,000 rows, at least 20× the loop.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from benchmarks.naive import evaluate_loop
from tongket_lib import evaluate
from tongket_lib.vocab import VERDICTS

TARGETS = [">= 90", "> 80", "<= 0", "< 1", "10..15", "= 12", "= 100", ">= 3", "> 99",
           "= 60", "10..15", ">= 50", "= 3500", "<= 5", ">= 20", "= 0.2", None]


def make_rows(n: int, seed: int = 2024) -> pd.DataFrame:
    """Random indicator rows typed as load_year types them (code columns categorical)."""
    rng = np.random.default_rng(seed)
    actual = rng.uniform(0, 110, n).round(2)
    actual[rng.random(n) < 0.2] = np.nan
    return pd.DataFrame({
        "id": np.arange(n).astype(str),
        "section": rng.choice(["1.1", "1.2.a", "2", "3.2"], n),
        "target": pd.Categorical(rng.choice(np.array(TARGETS, dtype=object), n)),
        "actual": actual,
        "direction": pd.Categorical(rng.choice(["higher", "lower"], n, p=[0.85, 0.15]),
                                    categories=["higher", "lower"]),
        "reported_status": pd.Categorical(
            rng.choice(np.array(["met", "not_met", None], dtype=object), n), categories=VERDICTS),
        "exceed_at": np.where(rng.random(n) < 0.1, 95.0, np.nan),
    })


def by_hand(rows: pd.DataFrame) -> pd.DataFrame:
    """The same rows as an analyst builds them: columns of Python strings and floats."""
    return pd.DataFrame({name: rows[name].astype(object).where(rows[name].notna(), None).tolist()
                         if not pd.api.types.is_float_dtype(rows[name]) else rows[name].tolist()
                         for name in rows})


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = make_rows(args.rows)
    frames = {"as loaded (categorical codes)": rows, "built by hand (str columns)": by_hand(rows)}
    columns = [rows["target"].astype(object).where(rows["target"].notna(), None).tolist(),
               rows["actual"].tolist(), rows["direction"].astype(str).tolist(),
               rows["exceed_at"].tolist()]
    loop = timed(lambda: evaluate_loop(*columns), max(1, args.repeat // 2))
    print(f"rows: {args.rows:,}")
    print(f"plain Python loop:               {loop:.3f} s median, {args.rows / loop:,.0f} rows/s")
    for kind, frame in frames.items():
        seconds = timed(lambda frame=frame: evaluate(frame), args.repeat)
        print(f"evaluate(), {kind}: {seconds:.3f} s median, {args.rows / seconds:,.0f} rows/s,"
              f" {loop / seconds:.1f}x the loop (goal >= 20x); under 0.5 s:"
              f" {'yes' if seconds < 0.5 else 'NO'}")


if __name__ == "__main__":
    main()
