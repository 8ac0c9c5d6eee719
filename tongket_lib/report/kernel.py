"""The Jupyter kernel a render runs its notebook in: started early, warmed up, shut down.

The kernel talks over local (IPC) sockets in the temporary folder rather than TCP on
localhost: ipykernel would otherwise print an encryption warning on every run, and
IPC sockets stay on this machine. Sockets a killed render left behind are removed by
the next one.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SOCKET_PREFIX = "tongket-kernel-"

#: imported in a new kernel before the notebook runs, silently (no output, no execution
#: count): the notebook's cells are unchanged, its first cell just finds them loaded
KERNEL_WARM_UP = (
    "import pandas, matplotlib.figure, IPython.display\n"
    "import tongket_lib.report.blocks, tongket_lib.report.charts\n"
    "import tongket_lib.evaluation.checks, tongket_lib.evaluation.trends")


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


def remove_stale_sockets(folder: str | None = None) -> int:
    """Remove kernel socket files of renders whose process no longer runs; return how many."""
    removed = 0
    for path in Path(folder or tempfile.gettempdir()).glob(f"{SOCKET_PREFIX}*"):
        match = re.match(rf"{SOCKET_PREFIX}(\d+)", path.name)
        if not match or _alive(int(match[1])):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


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
    manager = _kernel_manager_class()(kernel_name="python3")
    run_sync(manager.start_kernel)(cwd=str(cwd), env={**os.environ, **(env or {})})
    warm = threading.Thread(target=_warm, args=(manager.get_connection_info(),), daemon=True)
    warm.start()
    try:
        yield manager
    finally:
        warm.join(timeout=5)
        try:
            run_sync(manager.shutdown_kernel)(now=True)
        except Exception:
            pass
