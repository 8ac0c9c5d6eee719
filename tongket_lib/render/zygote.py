"""Kernels forked from a warm process, for a process that renders report after report.

A render's kernel is a new Python that imports ipykernel, IPython, pandas, matplotlib
and the report's modules before the notebook's first cell can run: about a second of
CPU, a sixth of a report. A process that renders several reports (a batch's worker, or
``batch -j 1``) therefore starts one *zygote* the first time it needs a kernel: a Python
that has imported all of that (the warm-up code it is given: the kernel's
:data:`~tongket_lib.render.kernel.KERNEL_WARM_UP`), has no thread and no socket but its
own, and waits on a Unix socket. Each kernel is then a fork of it, in milliseconds: a
fresh process (its own session, environment and working folder, as the render asks) in
which ipykernel starts exactly as ``ipykernel_launcher`` would, on the connection file
jupyter_client wrote. The zygote freezes its heap before its first fork, so a kernel's
garbage collector never walks, and so never copies, the pages it inherited.

A batch's workers share one zygote: the server they are forked from starts it before it
loads the render's modules (:func:`start`, from :mod:`~tongket_lib.render.worker`), so it
warms while the server imports and the workers start, and each worker asks it for
kernels; it ends with the last of those processes.

jupyter_client still manages the kernel: its provisioner
(:class:`~tongket_lib.render.provisioner.ZygoteProvisioner`) asks here for the fork and
looks after it through a pidfd (:class:`tongket_lib.system.PidfdProcess`), which names
that process and no other even after it has ended. The zygote ends when the process
that started it does, and the processes forked from that one (it watches a pipe whose
other end only they hold), and a kernel ends when its zygote does. If the zygote cannot
start or answer, or this platform cannot fork and watch a kernel
(:func:`tongket_lib.system.can_fork_watched`), the kernel is started the ordinary way.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from tongket_lib import system
from tongket_lib.render import launcher

#: seconds a render waits for a new zygote to be ready before starting its kernel the
#: ordinary way
READY_SECONDS = 60.0
#: seconds the zygote waits for a request's line before it drops the connection
REQUEST_SECONDS = 10.0

_lock = threading.Lock()
_zygote: Zygote | None = None
_failed = False
#: kernels forked so far by this process's zygotes
forked = 0


class Zygote:
    """A zygote process started by this process, and how to ask it for a kernel.
    ``warm_up``: Python code the zygote runs once, before its first fork."""

    def __init__(self, warm_up: str) -> None:
        clean_stale()
        self.owner = os.getpid()  # a process forked from this one shares the zygote
        self.folder = Path(tempfile.mkdtemp(prefix=PREFIX))
        self.address = str(self.folder / "socket")
        alive_r, self._alive_w = os.pipe()  # the zygote's EOF when this process is gone
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1"}  # no native thread pools in a process that forks
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tongket_lib.render.zygote", self.address, str(alive_r),
             warm_up],
            stdin=subprocess.DEVNULL, pass_fds=(alive_r,), env=env)
        os.close(alive_r)

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """A kernel forked with ``argv``, ``env`` and ``cwd``; its pid."""
        deadline = time.monotonic() + READY_SECONDS
        while True:
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                    conn.settimeout(READY_SECONDS)  # a zygote that never answers: fall back
                    conn.connect(self.address)
                    request = {"argv": argv, "env": env, "cwd": cwd, "parent": os.getpid()}
                    conn.sendall(json.dumps(request).encode() + b"\n")
                    return int(json.loads(_read_line(conn))["pid"])
            except (FileNotFoundError, ConnectionRefusedError):
                if not self.alive() or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)  # still importing

    def alive(self) -> bool:
        """Whether the zygote has not ended: asked of the process itself by the process
        that started it, by its pid in a process forked from that one (a batch's worker,
        forked from the server that started the zygote its workers share)."""
        if os.getpid() == self.owner:
            return self.process.poll() is None
        return system.process_alive(self.process.pid)

    def close(self) -> None:
        if os.getpid() != self.owner:  # shared: it ends with the process that started it
            return
        os.close(self._alive_w)  # the zygote sees the end of the pipe and leaves
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


PREFIX = "tongket-zygote-"


def clean_stale(older_than: float = 2 * READY_SECONDS) -> list[Path]:
    """Remove the socket folders that killed runs left in the temporary folder (their
    zygote gone: nothing answers on the socket), older than ``older_than`` seconds (a
    zygote starting in another process has no socket yet); return those removed."""
    removed = []
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            if not folder.is_dir() or folder.is_symlink() or folder.stat().st_uid != os.getuid() \
                    or now - folder.stat().st_mtime < older_than:
                continue
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.settimeout(1)
                conn.connect(str(folder / "socket"))
            continue  # a live zygote answers
        except OSError:  # refused, no socket, unreadable: nothing lives there
            pass
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _read_line(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError("the zygote closed the connection")
        data += chunk
    return data


def fork_kernel(argv: list[str], env: dict[str, str], cwd: str, warm_up: str = "") -> int | None:
    """A kernel forked from this process's zygote (started on first use, running
    ``warm_up`` once); ``None`` when the zygote cannot start or answer, or ``argv`` is
    not this Python's ipykernel, for the caller to start the kernel itself."""
    global _failed, forked
    if not forkable(argv):
        return None
    with _lock:
        if _failed:
            return None
        try:
            pid = _running(warm_up).fork(argv, env, cwd)
        except (OSError, ValueError, KeyError):
            _failed = True  # once is enough: the ordinary way from now on
            return None
        forked += 1
        return pid


def start(warm_up: str) -> None:
    """Start this process's zygote now, running ``warm_up``, without waiting for it to be
    ready: for a batch's fork server (:mod:`~tongket_lib.render.worker`), so that its
    workers share one zygote, warm before their first report, instead of each starting
    its own then. Nothing happens where a zygote runs already or could not start."""
    with _lock:
        if _failed:
            return
        try:
            _running(warm_up)
        except (OSError, ValueError):
            pass  # the first kernel tries again, and falls back if it must


def _running(warm_up: str) -> Zygote:
    """This process's zygote, started now if it has none or it has ended (hold ``_lock``)."""
    global _zygote
    if _zygote is None or not _zygote.alive():
        _zygote = Zygote(warm_up)
    return _zygote


def stop() -> None:
    """End this process's zygote now (it would end with this process anyway); the next
    kernel starts a new one, even after one that could not start."""
    global _zygote, _failed
    with _lock:
        if _zygote is not None:
            _zygote.close()
            _zygote = None
        _failed = False


def forkable(argv: list[str]) -> bool:
    """Whether ``argv`` starts ipykernel in this very Python, which the zygote is (as
    jupyter_client or :mod:`~tongket_lib.render.launcher` starts it), on a platform that
    can fork a kernel and look after it."""
    return (launcher.ours(argv, launcher.IPYKERNEL) or launcher.ours(argv, launcher.RENDER)) \
        and system.can_fork_watched()


# -- the zygote itself ------------------------------------------------------------------------

def serve(address: str, alive: int, warm_up: str) -> None:
    """Import what a kernel needs (ipykernel, then ``warm_up``), then fork a kernel for
    each request until the process that started this one is gone. Its kernels have no
    debugger, as :mod:`~tongket_lib.render.launcher`'s."""
    system.skip_optional_import("debugpy")
    import ipykernel.kernelapp  # noqa: F401

    exec(warm_up, {})  # the notebook's modules, loaded before any fork
    gc.collect()  # what is left is every kernel's: frozen, a kernel's garbage collector
    gc.freeze()  # never walks it, so never copies its pages (4.000 of 32.000 page faults)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(address + ".tmp")
    server.listen(16)
    os.rename(address + ".tmp", address)  # ready: connecting never meets a half-made socket
    system.reap_children()
    while True:
        ready, _, _ = select.select([server.fileno(), alive], [], [])
        if alive in ready:  # the starting process is gone: so are this and its kernels
            system.exit_now(0)
        try:
            conn, _ = server.accept()
        except OSError:  # the asker hung up before it was accepted
            continue
        with conn:
            _answer(conn, server, alive)


def _answer(conn: socket.socket, server: socket.socket, alive: int) -> None:
    """Fork the kernel ``conn`` asks for and send its pid back. A connection that sends
    no request (:func:`clean_stale` asking whether a zygote lives here), a stalled or
    malformed one, or a fork the system refuses costs that connection, never the
    zygote and the kernels it runs for other renders."""
    try:
        conn.settimeout(REQUEST_SECONDS)
        request = json.loads(_read_line(conn))
        if not isinstance(request, dict):
            raise ValueError("a request is a JSON object")
        pid = system.fork_session(functools.partial(_kernel, request, (server, conn), alive))
    except (OSError, ValueError):  # the asker sees a closed connection and falls back
        return
    try:
        conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
    except OSError:  # the asker is gone: nobody would look after this kernel
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _kernel(request: dict[str, Any], inherited: tuple[socket.socket, ...], alive: int) -> int:
    """In the forked child: close what it inherited from the zygote, become the kernel
    jupyter_client asked for; its exit code."""
    for sock in inherited:
        sock.close()
    os.close(alive)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    argv = list(request["argv"])
    args = argv[argv.index("-f"):] if "-f" in argv else argv[1:]
    sys.argv = [argv[0], *args]
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance(parent_handle=int(request.get("parent") or 0))
    app.initialize(args)
    app.start()
    return 0


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), sys.argv[3])
