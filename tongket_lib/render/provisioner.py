"""The kernel provisioner that starts a render's kernel as a fork of the zygote.

jupyter_client's public extension point for how a kernel is started: a provisioner
(``jupyter_client.provisioning``), registered under the entry point group
``jupyter_client.kernel_provisioners`` (``pyproject.toml``: ``tongket-zygote``) and
chosen by a kernel spec's ``metadata.kernel_provisioner``, which
:mod:`~tongket_lib.render.kernel` gives the kernels of a process that renders report
after report. It is jupyter_client's :class:`LocalProvisioner` in everything but the
launch: the kernel comes from :func:`tongket_lib.render.zygote.fork_kernel`, or, when
the zygote cannot give one, from the local provisioner's own ``Popen``.
"""

from __future__ import annotations

import os
from typing import Any

from jupyter_client.provisioning import LocalProvisioner
from traitlets import Unicode

from tongket_lib import system
from tongket_lib.render import zygote

#: the provisioner's name in kernel specs and in the entry point group
NAME = "tongket-zygote"


class ZygoteProvisioner(LocalProvisioner):
    """Kernels forked from this process's zygote, looked after through a pidfd."""

    warm_up = Unicode("", config=True,
                      help="Python code the zygote runs once, before it forks kernels.")
    #: whether the kernel is a fork of the zygote (it has then run ``warm_up`` already),
    #: not started the ordinary way
    forked = False

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        cwd = str(kwargs.get("cwd") or os.getcwd())
        env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        pid = zygote.fork_kernel(cmd, env, cwd, self.warm_up)
        if pid is None:  # the ordinary way
            return await super().launch_kernel(cmd, **kwargs)
        self.forked = True
        self.process = system.PidfdProcess(pid)  # type: ignore[assignment]
        self.pid = self.pgid = pid  # it leads its own session
        self.cwd = cwd
        return self.connection_info
