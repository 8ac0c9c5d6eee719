"""The Jupyter kernel a render runs its notebook in: started early, warmed up, shut down.

The kernel talks over local (IPC) sockets in the temporary folder rather than TCP on
localhost: ipykernel would otherwise print an encryption warning on every run, and
IPC sockets stay on this machine. Sockets a killed render left behind are removed by
the next one.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tongket_lib import paths, system
from tongket_lib.render import launcher, ready

SOCKET_PREFIX = "tongket-kernel-"

#: imported in a new kernel before the notebook runs, silently (no output, no execution
#: count): the notebook's cells are unchanged, its first cell just finds them loaded
KERNEL_WARM_UP = (
    "import pandas, matplotlib.figure, IPython.display\n"
    "import tongket_lib.views.blocks, tongket_lib.views.charts\n"
    "import tongket_lib.evaluation.checks, tongket_lib.evaluation.trends\n"
    "__import__('tongket_lib.dataset.shared', fromlist=['get_ready']).get_ready()")


#: the render kernel's options: no command history (IPython would write every cell of
#: every report into the user's history database, in a thread of the kernel)
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]

#: whether this process's kernels are forked from its zygote (:mod:`.zygote`): set by
#: a process that renders report after report (:func:`fork_kernels`)
_FORKED = {"on": False}
#: ``TONGKET_ZYGOTE=0`` in the environment: kernels are never forked, always started
#: the ordinary way
ZYGOTE_ENV = "TONGKET_ZYGOTE"
#: the kernel provisioner of forked kernels (:mod:`.provisioner`), as its entry point
#: in ``pyproject.toml`` names it
PROVISIONER = "tongket-zygote"
_PROVISIONERS = "jupyter_client.kernel_provisioners"


def fork_kernels(on: bool = True) -> None:
    """From now on, start this process's kernels as forks of a warm zygote process
    (:mod:`tongket_lib.render.zygote`): for a process that renders several reports.
    Without effect when ``$TONGKET_ZYGOTE`` is ``0``."""
    _FORKED["on"] = on


def forking() -> bool:
    """Whether this process's next kernel is to be forked from its zygote: asked for
    (:func:`fork_kernels`), not switched off (``TONGKET_ZYGOTE=0``), and the zygote's
    provisioner installed (tongket installed with its entry points, not only on the
    path). Otherwise, and when the zygote cannot give a kernel, the kernel starts the
    ordinary way."""
    if not _FORKED["on"] or os.environ.get(ZYGOTE_ENV, "").strip().lower() in (
            "0", "false", "no", "off"):
        return False
    return _provisioner_installed()


@functools.cache
def _provisioner_installed() -> bool:
    from importlib.metadata import entry_points

    return bool(entry_points(group=_PROVISIONERS, name=PROVISIONER))


@functools.cache
def _kernel_manager_class() -> Any:
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import List, default

    class IpcKernelManager(AsyncKernelManager):
        transport = "ipc"
        #: the clients made of this kernel (:meth:`client`), closed with it
        made_clients: Any = List()

        def client(self, **kwargs: Any) -> Any:
            """A client of this kernel, its channels stopped when the kernel is shut
            down (:func:`_shut_down`): nbclient leaves open the client it makes of a
            kernel manager it is given, and each would keep its sockets, its heartbeat
            thread and its zmq context in this process for good, trying every tenth of
            a second to reach the ended kernel (a batch's worker renders report after
            report)."""
            made = super().client(**kwargs)
            self.made_clients.append(made)
            return made

        @default("client_factory")
        def _default_client_factory(self) -> Any:  # nbclient's client: ready at once
            return ready.async_client_class()

        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            # this Python's ipykernel started without its debugger (render/launcher.py)
            return launcher.command(super().format_kernel_cmd(extra_arguments))

        @default("ip")
        def _default_ip(self) -> str:  # one name a kernel: two in one process never share
            token = secrets.token_hex(4)
            return str(Path(tempfile.gettempdir()) / f"{SOCKET_PREFIX}{os.getpid()}-{token}")

    return IpcKernelManager


@functools.cache
def _forking_specs_class() -> Any:
    from jupyter_client.kernelspec import KernelSpecManager

    class ForkingSpecs(KernelSpecManager):
        """The kernel specs jupyter finds, each naming the zygote's provisioner."""

        def get_kernel_spec(self, kernel_name: str) -> Any:
            spec = super().get_kernel_spec(kernel_name)
            spec.metadata = {**spec.metadata, "kernel_provisioner": {
                "provisioner_name": PROVISIONER, "config": {"warm_up": KERNEL_WARM_UP}}}
            return spec

    return ForkingSpecs


def _kernel_manager() -> Any:
    """A manager for one kernel: forked from the zygote when :func:`forking`.

    Its kernel specs are looked for in Jupyter's own folders (``jupyter --paths``), as
    jupyter_client does, without the old ``~/.ipython/kernels``: jupyter_client imports
    IPython to find that one, the only reason a render's own process would."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_core.paths import jupyter_path

    specs = _forking_specs_class() if forking() else KernelSpecManager
    return _kernel_manager_class()(kernel_name="python3",
                                   kernel_spec_manager=specs(kernel_dirs=jupyter_path("kernels")))


def remove_stale_sockets(folder: str | None = None) -> int:
    """Remove kernel socket files of renders whose process no longer runs; return how many."""
    removed = 0
    for path in Path(folder or tempfile.gettempdir()).glob(f"{SOCKET_PREFIX}*"):
        match = re.match(rf"{SOCKET_PREFIX}(\d+)", path.name)
        if not match or system.process_alive(int(match[1])):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed


def _warm(connection: Any) -> None:
    """Load the heavy modules in the kernel over a separate client; errors are harmless
    (the notebook imports them anyway)."""
    _silent_request(connection, KERNEL_WARM_UP, {}, timeout=120)


def _silent_request(connection: Any, code: str, expressions: dict[str, str],
                    timeout: float) -> dict[str, Any] | None:
    """Run ``code`` in the kernel at ``connection`` as a silent request (no history, no
    output, nothing in the notebook's count), once the kernel is ready, from a client of
    its own; the values of ``expressions`` as the kernel gives them, or ``None`` when it
    could not (not ready in ``timeout`` seconds, the code failed)."""
    client = ready.blocking_client_class()()
    client.load_connection_info(connection)
    try:
        client.start_channels()
        client.wait_for_ready(timeout=timeout)
        reply = client.execute(code, silent=True, store_history=False, reply=True,
                               user_expressions=expressions, timeout=timeout)
        return reply["content"].get("user_expressions", {})
    except Exception:
        return None
    finally:
        client.stop_channels()


@contextlib.contextmanager
def running_kernel(cwd: Path, env: dict[str, str] | None = None) -> Iterator[Any]:
    """A kernel started now, booting and loading pandas, matplotlib and tongket_lib in
    its own process while this one prepares the render (a kernel forked from the zygote
    has them loaded already); shut down when the block ends."""
    from jupyter_core.utils import run_sync

    remove_stale_sockets()
    manager = _kernel_manager()
    run_sync(manager.start_kernel)(cwd=str(cwd), env={**os.environ, **(env or {})},
                                   extra_arguments=KERNEL_ARGUMENTS)
    warm = None
    if not getattr(manager.provisioner, "forked", False):  # a fork has the zygote's modules
        warm = threading.Thread(target=_warm, args=(manager.get_connection_info(),),
                                daemon=True)
        warm.start()
    try:
        yield manager
    except BaseException:  # the command failed (its input, say): no wait for the warm-up,
        _shut_down(manager)  # whose client stops when the kernel's heartbeat does
        raise
    if warm is not None:
        warm.join(timeout=5)
    _shut_down(manager)


def _shut_down(manager: Any) -> None:
    """Stop the kernel now, and the clients made of it first. Its provisioner kills it
    and this process waits for it to end: jupyter_client's own forced shutdown looks
    every 0,1 seconds whether it has, a tenth of a second at the end of every report.
    Then the shutdown finds it gone and removes its files and sockets."""
    from jupyter_core.utils import run_sync

    for client in getattr(manager, "made_clients", ()):
        with contextlib.suppress(Exception):
            client.stop_channels()
    with contextlib.suppress(Exception):
        run_sync(manager.provisioner.kill)()
        manager.provisioner.process.wait(timeout=5)
    with contextlib.suppress(Exception):
        run_sync(manager.shutdown_kernel)(now=True)


@dataclass(frozen=True)
class Booted:
    """A kernel booting for a render."""

    manager: Any

    def evaluate(self, expression: str, timeout: float = 300) -> str | None:
        """The value of ``expression`` (a ``str``) evaluated in the kernel once it is
        ready, without touching its history or the notebook's namespace; ``None`` when it
        could not be had (the kernel not ready in ``timeout`` seconds, the expression
        failed)."""
        import ast

        connection = self.manager.get_connection_info()
        ready.bound(connection, self._alive, timeout)  # its first client: not too early
        values = _silent_request(connection, "", {"tongket": expression}, timeout)
        value = (values or {}).get("tongket", {})
        if value.get("status") != "ok":
            return None
        try:
            told = ast.literal_eval(value["data"]["text/plain"])  # the repr of a str
        except (KeyError, ValueError, SyntaxError):
            return None
        return told if isinstance(told, str) else None

    def _alive(self) -> bool:
        """Whether the kernel's process has not ended (as far as this process can tell)."""
        process = getattr(self.manager.provisioner, "process", None)
        return process is None or process.poll() is None


@contextlib.contextmanager
def booting_kernel() -> Iterator[Booted]:
    """A kernel for one render, started now: ``tongket report`` starts it before its own
    imports (the runner, the exporters), so the two boot side by side."""
    with running_kernel(paths.project_root()) as manager:
        yield Booted(manager)
