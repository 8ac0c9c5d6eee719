"""A local cluster's own upkeep: the CPU an idle cluster of 2 workers uses with tongket's
settings (:data:`tongket_lib.engine.LOCAL_SETTINGS`) against Dask's defaults.

    python -m benchmarks.bench_cluster [--workers 2] [--seconds 20] [--rounds 3]

A batch pays this on the cores its reports need, on 1 worker while the kernel runs the
notebook and on 2 all the time. Dask's defaults suit a cluster with a dashboard and tasks
of milliseconds: a statistical profiler sampling every thread each 10 ms, an event-loop
tick each 20 ms, a memory check of each worker each 100 ms. Measured: the CPU seconds of
this process (scheduler, nannies) and of its children (workers) over ``--seconds`` of an
idle cluster, started as ``engine.cluster`` starts it, Dask's defaults and tongket's in
turn, ``--rounds`` times; the figure is the median of each. Run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import statistics
import time

import psutil


def _cpu(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def idle_cores(settings: dict[str, object], workers: int, seconds: float) -> float:
    """The cores an idle local cluster of ``workers`` keeps busy with ``settings``."""
    from tongket_lib import engine

    saved = dict(engine.LOCAL_SETTINGS)
    engine.LOCAL_SETTINGS.clear()
    engine.LOCAL_SETTINGS.update(settings)
    try:
        with engine.cluster(workers):
            time.sleep(2)  # the start settles
            me = psutil.Process()
            processes = [me, *me.children(recursive=True)]
            before, start = _cpu(processes), time.perf_counter()
            time.sleep(seconds)
            return (_cpu(processes) - before) / (time.perf_counter() - start)
    finally:
        engine.LOCAL_SETTINGS.clear()
        engine.LOCAL_SETTINGS.update(saved)


def main() -> None:
    from tongket_lib import engine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ours = dict(engine.LOCAL_SETTINGS)
    figures: dict[str, list[float]] = {"Dask's defaults": [], "tongket's settings": []}
    for round_ in range(1, args.rounds + 1):
        for name, settings in (("Dask's defaults", {}), ("tongket's settings", ours)):
            cores = idle_cores(settings, args.workers, args.seconds)
            figures[name].append(cores)
            print(f"round {round_}: idle cluster of {args.workers} workers, {name}:"
                  f" {cores:.4f} cores busy")
    naive = statistics.median(figures["Dask's defaults"])
    tuned = statistics.median(figures["tongket's settings"])
    print(f"idle cluster, median of {args.rounds}: Dask's defaults {naive:.4f} cores,"
          f" tongket's settings {tuned:.4f} cores: {naive / tuned:.1f} x less upkeep"
          f" ({(naive - tuned) * 60:.1f} CPU s a minute of batch saved)")


if __name__ == "__main__":
    main()
