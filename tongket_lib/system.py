"""Every platform call and every reliance on another library's internals, in one place.

Each function says what it relies on and what happens where that is missing or fails
(its *fallback*); ``tests/test_system.py`` runs each fallback. Nothing here imports
tongket: the rest of the package asks here instead of calling ``ctypes``, ``os.fork``,
pidfds, signals or a library's private names itself.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

# -- the C library ----------------------------------------------------------------------------


def _libc() -> Any | None:
    """This process's C library through ``ctypes``; ``None`` where none can be loaded."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True)
    except (ImportError, OSError, AttributeError):
        return None


def _libc_function(name: str) -> Any | None:
    return getattr(_libc(), name, None)


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> bool:
    """Have this process killed (SIGKILL) when its parent dies, even by SIGKILL; whether
    that was set.

    Relies on Linux's ``prctl(PR_SET_PDEATHSIG)`` through ``ctypes``. Elsewhere, or when
    the call fails: nothing, and the process outlives a killed parent (a local Dask
    cluster's nannies and workers, the zygote's kernels then end when their parent's
    pipe or connection closes, or not at all).
    """
    prctl = _libc_function("prctl")
    if prctl is None:
        return False
    return bool(prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL)) == 0)


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def exchange(a: Path, b: Path) -> bool:
    """Exchange two existing paths in one step; whether it was done.

    Relies on Linux's ``renameat2(RENAME_EXCHANGE)`` (3.15 and later, through
    ``ctypes``; not every file system supports it). Where it is missing or refuses,
    nothing is changed and the caller renames twice
    (:func:`tongket_lib.dataset.store.replace_atomically`), between which the target is
    briefly absent, never mixed.
    """
    renameat2 = _libc_function("renameat2")
    if renameat2 is None:
        return False
    return bool(renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b),
                          _RENAME_EXCHANGE) == 0)


# -- files ------------------------------------------------------------------------------------

#: where Linux tells a process its umask without changing it
_STATUS = Path("/proc/self/status")
_UMASK_LOCK = threading.Lock()


def umask() -> int:
    """The process's umask.

    Relies on Linux's ``/proc/self/status`` (its ``Umask:`` line). Elsewhere the only
    portable way: set it and set it back, which changes it for a moment for every thread
    of the process (a Dask worker stages year folders beside its own threads), so it is
    done under a lock.
    """
    try:
        with open(_STATUS, encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` made the same file as ``source`` (a hard link: no bytes copied).

    Where the file system refuses a hard link (a folder, FAT, some network shares, a
    link across file systems): a copy, a folder with its contents, symbolic links kept
    as links.
    """
    try:
        os.link(source, target)
    except OSError:
        if source.is_dir():
            shutil.copytree(source, target, symlinks=True)
        else:
            shutil.copy2(source, target, follow_symlinks=False)


# -- processes --------------------------------------------------------------------------------

def process_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (POSIX ``kill(pid, 0)``, which sends nothing).

    A process of another user (``PermissionError``) counts as alive.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def can_fork_watched() -> bool:
    """Whether this platform can fork a process (:func:`fork_session`) and look after it
    through a pidfd (:class:`PidfdProcess`): Linux 5.3 and later, Python 3.9 and later.
    Where it cannot, callers start their process the ordinary way (the zygote's kernels:
    by jupyter_client's own ``Popen``)."""
    return all(hasattr(os, name) for name in ("fork", "setsid", "pidfd_open")) and hasattr(
        signal, "pidfd_send_signal")


def fork_session(child: Callable[[], int]) -> int:
    """Fork this process; return the child's pid. The child leads a session of its own,
    dies with this process (:func:`die_with_parent`), runs ``child`` and ends with the
    code it returns (or a ``SystemExit``'s; 1 and a traceback on any other exception)
    without running this process's exit handlers: it never returns here.

    Relies on POSIX ``fork`` (call it only in a single-threaded process) and ``setsid``;
    callers check :func:`can_fork_watched` first.
    """
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        die_with_parent()
        code = child()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:
        import traceback

        traceback.print_exc()
    exit_now(code)


def reap_children() -> None:
    """From now on, collect the exit status of this process's children as they end (a
    SIGCHLD handler calling ``waitpid``), so that none stays a zombie. POSIX; where there
    is no SIGCHLD, nothing (the children are collected when this process ends)."""
    if hasattr(signal, "SIGCHLD"):
        signal.signal(signal.SIGCHLD, _reap)


def _reap(signum: int, frame: Any) -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


class PidfdProcess:
    """A process this one did not start (another process forked it and reaps it),
    looked after as :class:`subprocess.Popen` would be: through a pidfd (Linux), which
    names that process and no other even after it has ended, never a pid that may be
    reused. Check :func:`can_fork_watched` first; where there are no pidfds it raises
    ``OSError``, for the caller to do without."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        if not hasattr(os, "pidfd_open"):
            raise OSError(f"no pidfd on this platform for process {pid}")
        self._fd = os.pidfd_open(pid)

    def poll(self) -> int | None:
        if self.returncode is None and select.select([self._fd], [], [], 0)[0]:
            self.returncode = -1  # ended; its exit status is its parent's to know
            os.close(self._fd)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            ready, _, _ = select.select([self._fd], [], [], timeout)
            if not ready:
                import subprocess

                raise subprocess.TimeoutExpired(f"process {self.pid}", timeout or 0)
        return self.poll() or -1

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self._fd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def exit_now(code: int) -> NoReturn:
    """End this process at once with ``code`` (``os._exit``), after flushing the standard
    streams: no exit handlers, no interpreter teardown (about half a second after a
    report, freeing pandas, matplotlib, WeasyPrint and ZeroMQ one object at a time).
    A stream that is closed or cannot be flushed (a closed pipe) is skipped."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except Exception:  # closed, a closed pipe, a kernel's stream whose socket is gone
            pass
    os._exit(code)


@contextlib.contextmanager
def time_limit(seconds: float, error: type[BaseException]) -> Iterator[bool]:
    """Raise ``error`` in the block once it has run ``seconds``; yields whether a limit
    is set.

    Relies on ``SIGALRM`` and ``setitimer`` (POSIX), which only the main thread can
    receive. In another thread, or where there is no ``setitimer``: no limit (yields
    ``False``) and the block runs to its end. The previous SIGALRM handler is put back.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(
            signal, "setitimer"):
        yield False
        return

    def expire(signum: int, frame: Any) -> None:
        raise error

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- other libraries' internals ---------------------------------------------------------------

def forkserver_preload(modules: Sequence[str]) -> bool:
    """Have Dask's local workers forked from one server process that imported
    ``modules`` (and ``distributed``) once; whether that was arranged (then set Dask's
    ``distributed.worker.multiprocessing-method`` to ``forkserver``).

    Relies on multiprocessing's ``forkserver`` start method (Linux here) and on
    distributed's private flag ``distributed.utils._forkserver_preload_set``, which
    stops distributed from replacing the preload list with its own. Where either is
    missing: nothing is changed (``False``), and the workers start the way Dask starts
    them, each importing what it needs itself.
    """
    import multiprocessing

    if not modules or not sys.platform.startswith("linux") or \
            "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    import distributed.utils

    if not hasattr(distributed.utils, "_forkserver_preload_set"):
        return False
    multiprocessing.get_context("forkserver").set_forkserver_preload(
        [*modules, "distributed"])  # ours first: what they start works while it imports
    distributed.utils._forkserver_preload_set = True  # keep this list, not Dask's own
    return True


def jupyter_output(stream: Any) -> bool:
    """Whether ``stream`` is the output of a Jupyter kernel (ipykernel's ``OutStream``,
    which a person sees in a notebook as it is written).

    Relies on the stream's class coming from the ``ipykernel`` package (recognised by
    its module, without importing ipykernel). A stream of any other kind: ``False``.
    """
    return type(stream).__module__.split(".")[0] == "ipykernel"


def skip_optional_import(name: str) -> bool:
    """Make ``import name`` fail in this process (``sys.modules[name] = None``), for a
    module a library imports only if it can; whether it is now skipped.

    Used for ``rfc3987_syntax``, which jsonschema (under nbformat, under papermill)
    imports when installed to check IRI formats, building a grammar for about a second;
    no notebook schema uses that format. Relies on jsonschema treating the import as
    optional. A module already imported is left as it is (``False``).
    """
    sys.modules.setdefault(name, None)  # type: ignore[arg-type]
    return sys.modules[name] is None
