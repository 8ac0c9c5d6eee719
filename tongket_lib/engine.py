"""One small interface over dask.distributed: where parallel work runs.

:func:`cluster` gives a :class:`distributed.Client`: by default a local cluster of
worker processes on this machine (one thread each, no dashboard, quiet logs, nothing
downloaded or installed); with a scheduler address (argument, or the environment
variable ``TONGKET_SCHEDULER``, e.g. ``tcp://HOST:8786``) the same work goes to an
existing cluster. :func:`map_tasks` runs a function over items on it and returns every
result, a failing item recorded beside the others and never stopping them.

Each worker needs the same tongket_lib (same version) importable, and the data and
output paths it is given readable and writable at the same path (a shared folder).

Functions sent to workers must be importable module-level functions (such as
``tongket_lib.render.batch._job``), not lambdas or notebook functions.
"""

from __future__ import annotations

import ast
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from tongket_lib import system
from tongket_lib.errors import ParameterError

#: the cluster's own log level: a task's failure comes back to :func:`map_tasks` and is said
#: there; Dask's messages (a worker's heartbeat failing while the cluster closes under load)
#: are never a user's business, and never a traceback on the terminal
QUIET = logging.CRITICAL

#: a local cluster's own upkeep, paid on the cores the reports need: no statistical
#: profiler in the workers (it samples every thread's stack each 10 ms, for a dashboard a
#: local cluster does not have), and the event loops' health tick (20 ms by default, in
#: the scheduler, nannies and workers) and system monitor at a pace fit for tasks that
#: take seconds; 0,15 CPU s of the 2,4 a report costs on one worker. The nannies' and
#: workers' memory check (100 ms by default) once a second: a report's memory grows over
#: seconds, and the check was more than half of an idle cluster's CPU (0,038 cores on two
#: workers, 0,018 after)
LOCAL_SETTINGS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
}

SCHEDULER_ENV = "TONGKET_SCHEDULER"
#: from this many items on, long work shows a progress bar (where a bar can be seen)
PROGRESS_FROM = 20


@dataclass
class Mapped:
    """What :func:`map_tasks` returns: one result per item (``None`` where it failed) and
    the failures by item position, each a short text ``"TypeName: message"``."""

    results: list[Any]
    failures: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures


def scheduler_address(address: str | None = None) -> str | None:
    """The scheduler to use: ``address``, else ``$TONGKET_SCHEDULER``, else None (local)."""
    chosen = address or os.environ.get(SCHEDULER_ENV) or None
    if chosen and not _valid_address(chosen):
        source = "" if address else f" (biến môi trường {SCHEDULER_ENV})"
        raise ParameterError(f"Địa chỉ bộ điều phối Dask “{chosen}”{source} không hợp lệ: cần"
                             " dạng tcp://MÁY:CỔNG, ví dụ tcp://10.0.0.5:8786. Sửa địa chỉ,"
                             f" hoặc bỏ --scheduler / {SCHEDULER_ENV} để chạy trên máy này.")
    return chosen


def _valid_address(address: str) -> bool:
    """Whether Dask can connect to ``address`` as written: a known scheme (``tcp://``
    when none is given) and, for a network one, a host and a port number."""
    if ":" not in address:
        return False
    from distributed.comm import parse_address, parse_host_port
    from distributed.comm.registry import backends

    try:
        scheme, location = parse_address(address)
        if scheme not in backends:
            return False
        if scheme in ("tcp", "tls", "ws", "wss"):
            host, port = parse_host_port(location)
            return bool(host) and 0 < int(port) < 65536
    except (ValueError, TypeError):
        return False
    return True


def worker_count(jobs: int | None) -> int:
    """What a worker count means, the same for every command and function: ``None`` or 0
    is one worker per CPU core, N is N.

    >>> worker_count(3), worker_count(None) == worker_count(0) >= 1
    (3, True)
    >>> worker_count(-1)
    Traceback (most recent call last):
    ...
    tongket_lib.errors.ParameterError: Số tiến trình song song không hợp lệ: -1. ...
    """
    if jobs is not None and jobs < 0:
        raise ParameterError(f"Số tiến trình song song không hợp lệ: {jobs}. Dùng số từ 1 trở lên"
                             " (bỏ trống hoặc 0: bằng số lõi CPU).")
    return jobs or os.cpu_count() or 1


def runs_here(items: int, jobs: int | None, engine_from: int, scheduler: str | None = None,
              client: Any | None = None) -> bool:
    """Whether ``items`` pieces of work run in this process rather than on the engine.

    On the engine when a client or a scheduler (argument or ``$TONGKET_SCHEDULER``) is
    given, or ``jobs`` asks for more than one worker, or, without ``jobs``, from
    ``engine_from`` items on (below that, starting a cluster costs more than it saves).

    >>> runs_here(5, None, 8), runs_here(50, None, 8), runs_here(50, 1, 8), runs_here(5, 2, 8)
    (True, False, True, False)
    """
    if client is not None or scheduler_address(scheduler):
        return False
    if jobs:
        return worker_count(jobs) == 1
    return items < engine_from


def _forkserver(preload: Sequence[str]) -> dict[str, str]:
    """Dask's setting for local workers forked from a server that imported ``preload``
    once (:func:`tongket_lib.system.forkserver_preload`; Linux), instead of each worker
    starting Python and importing everything again; ``{}`` where that cannot be arranged.

    The server is a fresh single-threaded process, so forking from it is safe (forking
    this process, whose other threads may hold locks, is not). It starts with the first
    local cluster of this process and keeps that cluster's list.
    """
    if not system.forkserver_preload(preload):
        return {}
    return {"distributed.worker.multiprocessing-method": "forkserver"}


@contextlib.contextmanager
def cluster(workers: int | None = None, scheduler: str | None = None,
            memory_limit: str | float | None = "auto",
            preload: Sequence[str] = ()) -> Iterator[Any]:
    """A Dask client for the duration of the block.

    ``scheduler`` (or ``$TONGKET_SCHEDULER``): connect to that running cluster.
    Otherwise start a local cluster of ``workers`` processes (default: CPU count), one
    thread each, closed when the block ends.

    ``preload``: the modules the tasks will need. On Linux a local cluster's workers are
    forked from one server process that imported them once (:func:`_forkserver`), so each
    starts with them loaded instead of importing them again (seconds of CPU a worker).
    """
    import dask
    from distributed import Client, LocalCluster

    address = scheduler_address(scheduler)
    n = worker_count(workers)
    if address:
        try:
            client = Client(address, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise ParameterError(
                f"Không kết nối được bộ điều phối Dask {address} ({type(exc).__name__}: {exc})."
                " Kiểm tra “dask scheduler” đang chạy trên máy đó và cổng mở, hoặc bỏ"
                f" --scheduler / biến {SCHEDULER_ENV} để chạy trên máy này.") from None
        try:
            yield client
        finally:
            client.close()
        return
    if unguarded_script():  # its workers would run the script again: work in this process
        print(UNGUARDED, file=sys.stderr)
        with dask.config.set(LOCAL_SETTINGS), \
                LocalCluster(n_workers=1, threads_per_worker=n, processes=False,
                             dashboard_address=None, silence_logs=QUIET,
                             scheduler_kwargs={"dashboard": False}) as local, \
                Client(local) as client:
            yield client
        return
    with contextlib.ExitStack() as stack:
        forkserver = _forkserver(preload)
        if forkserver:
            _SERVER_ENVIRONMENT.setdefault("at start", dict(os.environ))  # it starts now
        stack.enter_context(dask.config.set({**LOCAL_SETTINGS, **forkserver}))
        local = stack.enter_context(LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
            # no dashboard; the scheduler's small HTTP server (health) on a free local port,
            # not on 8787, which another cluster may hold
            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
            silence_logs=QUIET, memory_limit=memory_limit, worker_dashboard_address=None))
        client = stack.enter_context(Client(local))
        client.run(system.die_with_parent, nanny=True)  # a killed batch leaves no process behind
        client.run(system.die_with_parent)
        if forkserver:  # the server's environment is the one it started with: use today's
            gone = sorted(set(_SERVER_ENVIRONMENT["at start"]) - set(os.environ))
            client.run(_use_environment, dict(os.environ), gone)
        yield client


UNGUARDED = ("Tệp lệnh Python này gọi tongket ngay ở cấp ngoài cùng, không nằm dưới"
             " “if __name__ == \"__main__\":”: các tiến trình con sẽ chạy lại cả tệp, nên"
             " việc song song chạy trong tiến trình này (chậm hơn). Để chạy song song, đặt lời"
             " gọi dưới dòng “if __name__ == \"__main__\":”.")


def unguarded_script() -> bool:
    """Whether this process runs a Python script (``python tep.py`` or ``python -m``) whose
    top-level code, outside ``if __name__ == "__main__":``, is what called tongket.

    A local cluster's workers start by the spawn or forkserver method, which import the
    main script again: its top-level code would start a cluster in every worker, and the
    work hang for good. A notebook, a REPL or ``python -c`` has no script to import again.
    """
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if not path:
        return False
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name.endswith("__main__"):
        return False  # a package's __main__ (python -m tongket_lib.cli): never imported again
    frame: Any = sys._getframe()
    while frame is not None and not (frame.f_code.co_name == "<module>"
                                     and frame.f_globals.get("__name__") == "__main__"):
        frame = frame.f_back
    if frame is None:
        return False
    try:
        if not os.path.samefile(frame.f_code.co_filename, path):
            return False
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
    except (OSError, ValueError, SyntaxError):
        return False
    line = frame.f_lineno
    return not any(isinstance(node, ast.If) and _tests_main(node.test)
                   and node.lineno <= line <= (node.end_lineno or node.lineno)
                   for node in ast.walk(tree))


def _tests_main(test: ast.expr) -> bool:
    """Whether an ``if`` tests ``__name__ == "__main__"`` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1
            and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    return (any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
            and any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides))


#: the environment of this process when its cluster's fork server started (the first
#: local cluster): the server and every worker forked from it keep it
_SERVER_ENVIRONMENT: dict[str, dict[str, str]] = {}


def _use_environment(environment: dict[str, str], gone: Sequence[str] = ()) -> None:
    """Set a worker's environment variables to those of the process that started the
    cluster, as a spawned worker would have them: ``gone``, the variables that process
    had when the fork server started and has no longer, are removed (a notebook folder
    set for one batch is not the next one's), the worker's own additions stay."""
    for name in gone:
        os.environ.pop(name, None)
    os.environ.update(environment)


@contextlib.contextmanager
def client_or(client: Any | None, workers: int | None = None, scheduler: str | None = None,
              preload: Sequence[str] = ()) -> Iterator[Any]:
    """``client`` itself if given (left open), else a new :func:`cluster`."""
    if client is not None:
        yield client
        return
    with cluster(workers, scheduler, preload=preload) as new:
        yield new


def map_tasks(fn: Callable[..., Any], items: Iterable[Any], *, args: Sequence[Any] = (),
              kwargs: dict[str, Any] | None = None, star: bool = False,
              client: Any | None = None, workers: int | None = None,
              scheduler: str | None = None, progress: bool | None = False,
              desc: str = "Đang xử lý", unit: str = "việc",
              on_result: Callable[[int, Any], None] | None = None,
              preload: Sequence[str] = ()) -> Mapped:
    """Run ``fn(item, *args, **kwargs)`` (``fn(*item, *args, **kwargs)`` with ``star``)
    for every item on the cluster; return every result in the items' order.

    A failing item is caught where it runs and recorded in ``Mapped.failures``; the
    others go on. ``on_result(position, result)`` is called in this process as each
    result arrives (to write it out without keeping all of them), and the result is
    then not kept (``None`` in ``Mapped.results``). ``progress``: see :func:`progress_bar`.
    ``preload``: see :func:`cluster` (used when a new local cluster is started).

    A batch submits its per-report function unchanged::

        map_tasks(_job, todo, star=True, args=(data_dir, out_dir, formats, timeout, force))
    """
    from distributed import as_completed

    todo = list(items)
    mapped = Mapped([None] * len(todo))
    if not todo:
        return mapped
    with client_or(client, workers, scheduler, preload) as c:
        futures = [c.submit(_guarded, fn, item, tuple(args), dict(kwargs or {}), star,
                            pure=False, key=f"tongket-{i}-{os.urandom(6).hex()}")
                   for i, item in enumerate(todo)]
        position = {f.key: i for i, f in enumerate(futures)}
        bar = progress_bar(len(todo), desc, unit, progress)
        try:
            for future in as_completed(futures):
                i = position[future.key]
                try:
                    ok, value = future.result()
                except Exception as exc:  # the worker itself died, or the result did not arrive
                    ok, value = False, f"{type(exc).__name__}: {exc}"
                future.release()
                if not ok:
                    mapped.failures[i] = value
                elif on_result is not None:
                    on_result(i, value)
                else:
                    mapped.results[i] = value
                bar.update()
        finally:
            bar.close()
    return mapped


def progress_bar(total: int, desc: str, unit: str, wanted: bool | None = None,
                 leave: bool = True) -> Any:
    """A tqdm bar for long work, the one policy of every command and function.

    ``wanted``: ``None`` draws it from :data:`PROGRESS_FROM` items on, ``False`` never,
    ``True`` always; but only where a person watches: a terminal, or a notebook's
    output. A bar is never written into a pipe or a log file, where its ``\r`` frames
    would be text. It goes to the real stderr, not the command line's stream (which shows
    control characters in data visibly).
    """
    from tqdm import tqdm

    stream = getattr(sys.stderr, "raw", sys.stderr)
    shown = (total >= PROGRESS_FROM if wanted is None else wanted) and _watched(stream)
    return tqdm(total=total, desc=desc, unit=unit, disable=not shown, leave=leave, file=stream)


def _watched(stream: Any) -> bool:
    """Whether a person sees ``stream`` as it is written: a terminal, or the output of a
    Jupyter kernel (IPython's stream object)."""
    try:
        if stream.isatty():
            return True
    except (AttributeError, ValueError):
        return False
    return system.jupyter_output(stream)


def _guarded(fn: Callable[..., Any], item: Any, args: tuple, kwargs: dict,
             star: bool) -> tuple[bool, Any]:
    """Run one item on a worker; an exception becomes ``(False, text)``, never a raise."""
    try:
        return True, (fn(*item, *args, **kwargs) if star else fn(item, *args, **kwargs))
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"
