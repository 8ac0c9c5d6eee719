"""Knowing that a kernel is ready, without waiting for nothing.

jupyter_client's ``wait_for_ready`` asks the kernel for its info, and then, to be sure the
client hears the kernel's broadcasts (IOPub), waits until they have been silent for
0,2 seconds. A render asks three times (its warm-up, the data it has the kernel load, the
notebook's own client): the kernel sits idle for those waits, about half a second of
every report. The clients here are ready as soon as they have heard, on IOPub, the end
of their own info request: proof that the broadcasts reach them, with no wait beyond it.
A kernel that does not answer in a second is asked again, as jupyter_client does, until
the timeout; one whose answer is not heard on IOPub at once, too. The render's first
client connects once the kernel has bound its sockets (:func:`bound`), not before.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import cache
from queue import Empty
from typing import Any

#: how often a starting kernel's sockets are looked for (:func:`bound`)
BIND_POLL_SECONDS = 0.002
#: a kernel's channels, as their ports are named in its connection info
CHANNELS = ("shell", "iopub", "stdin", "control", "hb")
#: how long one ask waits for the kernel's answer
ASK_SECONDS = 1.0
#: how long it then waits to hear the broadcast of that answer before asking again: a
#: client's IOPub subscription reaches a kernel just started a moment after its first
#: broadcasts (zmq retries the connection every 0,1 s), and a broadcast before it is lost
HEAR_SECONDS = 0.05


def bound(info: dict[str, Any], alive: Callable[[], bool], timeout: float) -> None:
    """Wait until a kernel started a moment ago has bound its sockets (for the IPC
    transport: the files of its endpoints exist), so that a client made now connects at
    once. zmq tries a connection made before that again only a tenth of a second later:
    a forked kernel binds within a few hundredths, and the rest of that tenth was spent
    with nothing running, in every report of a batch. Returns at once for another
    transport, as soon as ``alive()`` is false, or after ``timeout`` seconds; the
    client's own waiting then tells what is wrong."""
    if info.get("transport") != "ipc" or not info.get("ip"):
        return
    endpoints = [f"{info['ip']}-{info[f'{channel}_port']}" for channel in CHANNELS
                 if info.get(f"{channel}_port")]
    deadline = time.monotonic() + timeout
    while not all(os.path.exists(endpoint) for endpoint in endpoints):
        if not alive() or time.monotonic() > deadline:
            return
        time.sleep(BIND_POLL_SECONDS)


async def _ready(client: Any, timeout: float | None) -> None:
    """Ask ``client``'s kernel for its info until it answers on the shell channel and
    the end of that request is heard on IOPub; :class:`RuntimeError` after ``timeout``
    seconds, or when the kernel has died."""
    from jupyter_core.utils import ensure_async

    deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
    answered = None  # when the kernel first answered
    while True:
        asked = client.kernel_info()
        if await _heard(client.shell_channel, deadline, _answer(asked, "kernel_info_reply"),
                        ASK_SECONDS):
            if await _heard(client.iopub_channel, deadline, _answer(asked, "status"),
                            HEAR_SECONDS):
                return
            answered = answered or time.monotonic()
            if time.monotonic() - answered > ASK_SECONDS:
                return  # a kernel that broadcasts no status: as ready as jupyter_client says
            continue  # not subscribed yet: ask again (the kernel answers in a millisecond)
        if not await ensure_async(client.is_alive()):
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")


def _answer(asked: str, kind: str) -> Any:
    """Whether a message is the ``kind`` answer to the request ``asked``: its reply, or
    (``status``) the broadcast that the kernel is done with it."""
    def wanted(message: dict) -> bool:
        return (message["parent_header"].get("msg_id") == asked and message["msg_type"] == kind
                and (kind != "status" or message["content"].get("execution_state") == "idle"))

    return wanted


async def _heard(channel: Any, deadline: float, wanted: Any, seconds: float) -> dict | None:
    """The first message on ``channel`` that is ``wanted``, within ``seconds`` (and the
    deadline); ``None`` otherwise. Other messages are passed over."""
    from jupyter_core.utils import ensure_async

    until = min(time.monotonic() + seconds, deadline)
    while (left := until - time.monotonic()) > 0:
        try:
            message = await ensure_async(channel.get_msg(timeout=left))
        except Empty:
            return None
        if wanted(message):
            return message
    return None


@cache
def async_client_class() -> Any:
    """jupyter_client's asynchronous client (nbclient's, under papermill), ready at once."""
    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyAsyncClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            await _ready(self, timeout)

    return ReadyAsyncClient


@cache
def blocking_client_class() -> Any:
    """jupyter_client's blocking client, ready at once."""
    from jupyter_client.blocking import BlockingKernelClient
    from jupyter_core.utils import run_sync

    class ReadyBlockingClient(BlockingKernelClient):
        def wait_for_ready(self, timeout: float | None = None) -> None:
            run_sync(_ready)(self, timeout)

    return ReadyBlockingClient
