"""A render's kernel: ipykernel as ``python -m ipykernel_launcher`` starts it, without its
debugger.

ipykernel imports debugpy at start, when it is installed, so that a front end can attach
a debugger; nobody attaches one to a notebook that papermill runs, and the import is a
fifth of the kernel's start. :func:`command` turns jupyter_client's command for a kernel
of this very Python into this module's; any other kernel's command is left as it is.

    python -m tongket_lib.render.launcher -f CONNECTION_FILE [options]
"""

from __future__ import annotations

import os
import sys

#: how jupyter_client starts the python3 kernel, and how a render starts it
IPYKERNEL = ["-m", "ipykernel_launcher"]
RENDER = ["-m", "tongket_lib.render.launcher"]


def ours(argv: list[str], how: list[str]) -> bool:
    """Whether ``argv`` runs ``how`` (``-m module``) in this very Python."""
    try:
        return os.path.samefile(argv[0], sys.executable) and argv[1:3] == how
    except (OSError, IndexError):
        return False


def command(argv: list[str]) -> list[str]:
    """A kernel command of this Python's ipykernel made this module's; others unchanged."""
    return [argv[0], *RENDER, *argv[3:]] if ours(argv, IPYKERNEL) else list(argv)


def main() -> None:
    from tongket_lib import system

    system.skip_optional_import("debugpy")
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
