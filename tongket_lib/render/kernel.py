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
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tongket_lib import paths, system
from tongket_lib.dataset import shared

SOCKET_PREFIX = "tongket-kernel-"

#: imported in a new kernel before the notebook runs, silently (no output, no execution
#: count): the notebook's cells are unchanged, its first cell just finds them loaded
KERNEL_WARM_UP = (
    "import pandas, matplotlib.figure, IPython.display\n"
    "import tongket_lib.views.blocks, tongket_lib.views.charts\n"
    "import tongket_lib.evaluation.checks, tongket_lib.evaluation.trends")


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
    from traitlets import default

    class IpcKernelManager(AsyncKernelManager):
        transport = "ipc"

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
    """A manager for one kernel: forked from the zygote when :func:`forking`."""
    if forking():
        return _kernel_manager_class()(kernel_name="python3",
                                       kernel_spec_manager=_forking_specs_class()())
    return _kernel_manager_class()(kernel_name="python3")


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
    from jupyter_client.blocking import BlockingKernelClient

    client = BlockingKernelClient()
    client.load_connection_info(connection)
    try:
        client.start_channels()
        client.wait_for_ready(timeout=60)
        client.execute(KERNEL_WARM_UP, silent=True, store_history=False, reply=True,
                       timeout=120)
    except Exception:
        pass
    finally:
        client.stop_channels()


@contextlib.contextmanager
def running_kernel(cwd: Path, env: dict[str, str] | None = None) -> Iterator[Any]:
    """A kernel started now, booting and loading pandas, matplotlib and tongket_lib in
    its own process while this one prepares the render; shut down when the block ends."""
    from jupyter_core.utils import run_sync

    remove_stale_sockets()
    manager = _kernel_manager()
    run_sync(manager.start_kernel)(cwd=str(cwd), env={**os.environ, **(env or {})})
    warm = threading.Thread(target=_warm, args=(manager.get_connection_info(),), daemon=True)
    warm.start()
    try:
        yield manager
    except BaseException:  # the command failed (its input, say): no wait for the warm-up,
        _shut_down(manager)  # whose client stops when the kernel's heartbeat does
        raise
    warm.join(timeout=5)
    _shut_down(manager)


def _shut_down(manager: Any) -> None:
    from jupyter_core.utils import run_sync

    try:
        run_sync(manager.shutdown_kernel)(now=True)
    except Exception:
        pass


@dataclass(frozen=True)
class Booted:
    """A kernel booting for a render, and the folder the render leaves its loaded data in
    for that kernel (:mod:`tongket_lib.dataset.shared`)."""

    manager: Any
    share_dir: Path


@contextlib.contextmanager
def booting_kernel() -> Iterator[Booted]:
    """A kernel for one render, started now: ``tongket report`` starts it before its own
    heavy imports (pandas, the exporters), so the two boot side by side."""
    share_dir = Path(tempfile.mkdtemp(prefix="tongket-shared-"))
    try:
        with running_kernel(paths.project_root(), {shared.ENV: str(share_dir)}) as manager:
            yield Booted(manager, share_dir)
    finally:
        shutil.rmtree(share_dir, ignore_errors=True)
