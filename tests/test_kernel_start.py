"""A render's kernel: started without its debugger or IPython's history, known to be ready
as soon as its clients hear their own request end (no wait for silence), stopped and
reaped at once; and a rendering command's process skips the imports it never uses."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tongket_lib import paths
from tongket_lib.render import kernel, launcher, ready, zygote

from .conftest import ROOT


def test_only_this_pythons_ipykernel_is_started_by_the_launcher():
    ours = [sys.executable, "-m", "ipykernel_launcher", "-f", "k.json", "--x=1"]
    assert launcher.command(ours) == [sys.executable, "-m", "tongket_lib.render.launcher",
                                      "-f", "k.json", "--x=1"]
    other = ["/usr/bin/python3-autre", "-m", "ipykernel_launcher", "-f", "k.json"]
    assert launcher.command(other) == other
    assert launcher.command(["julia", "-i", "k.json"]) == ["julia", "-i", "k.json"]
    # the zygote forks kernels started either way
    assert zygote.forkable(launcher.command(ours)) == zygote.forkable(ours)


@pytest.mark.slow
def test_ready_clients_hear_a_kernel_from_its_first_moment(monkeypatch):
    """Clients made while the kernel is still starting, and after: each, once ready, gets
    the output of what it runs (its IOPub subscription is live), every time."""
    monkeypatch.setitem(kernel._FORKED, "on", False)  # started, not forked from a zygote
    with kernel.running_kernel(paths.project_root()) as manager:
        pid = manager.provisioner.process.pid
        for n in range(6):
            client = ready.blocking_client_class()()
            client.load_connection_info(manager.get_connection_info())
            client.start_channels()
            try:
                client.wait_for_ready(timeout=60)
                heard: list[str] = []
                client.execute_interactive(
                    f"print('tongket {n}')", timeout=60,
                    output_hook=lambda m, into=heard: into.append(m["content"].get("text", "")))
                assert f"tongket {n}\n" in heard
            finally:
                client.stop_channels()
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        assert b"tongket_lib.render.launcher" in cmd and b"--HistoryManager.enabled=False" in cmd
    assert not Path(f"/proc/{pid}").exists() or \
        Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    assert not list(Path(tempfile.gettempdir()).glob(f"{kernel.SOCKET_PREFIX}{os.getpid()}-*"))


def test_bound_waits_for_every_socket_file_and_no_longer(tmp_path):
    """:func:`ready.bound`: a kernel's IPC endpoints are files (``IP-PORT``); it returns
    once all five exist, at once for TCP, as soon as the kernel has ended, and after its
    timeout when they never come."""
    import threading
    import time

    info = {"transport": "ipc", "ip": str(tmp_path / "k"), "shell_port": 1, "iopub_port": 2,
            "stdin_port": 3, "control_port": 4, "hb_port": 5}
    files = [tmp_path / f"k-{n}" for n in range(1, 6)]

    def bind_later() -> None:
        for path in files:
            time.sleep(0.03)
            path.touch()

    binding = threading.Thread(target=bind_later)
    binding.start()
    ready.bound(info, lambda: True, timeout=30)
    assert all(path.exists() for path in files)  # it did not return before the last one
    binding.join()
    files[2].unlink()
    asked: list[bool] = []
    ready.bound(info, lambda: asked.append(True) and False, timeout=30)  # ended: returns
    assert asked == [True]
    started = time.monotonic()
    ready.bound(info, lambda: True, timeout=0.2)  # never bound: gives up after the timeout
    assert 0.2 <= time.monotonic() - started < 20
    ready.bound({**info, "transport": "tcp", "ip": "127.0.0.1"}, lambda: asked.append(True),
                timeout=30)
    assert asked == [True]  # nothing to look for


@pytest.mark.slow
@pytest.mark.parametrize("forked", [False, True])
def test_the_renders_first_client_connects_once_the_kernel_has_bound(forked, monkeypatch):
    """The render's first client of its kernel (the data it has the kernel load) connects
    after the kernel has bound its sockets, so zmq never puts its connection off by a
    tenth of a second; started or forked, the kernel answers as before."""
    monkeypatch.setitem(kernel._FORKED, "on", forked)
    seen: list[bool] = []
    request = kernel._silent_request

    def checked(connection, code, expressions, timeout):
        if expressions:  # the render's own request, not the warm-up's
            seen.append(all(Path(f"{connection['ip']}-{connection[f'{c}_port']}").exists()
                            for c in ready.CHANNELS))
        return request(connection, code, expressions, timeout)

    monkeypatch.setattr(kernel, "_silent_request", checked)
    try:
        with kernel.booting_kernel() as booted:
            assert booted.evaluate("'ơ ư'") == "ơ ư"
    finally:
        zygote.stop()
    assert seen == [True]


@pytest.mark.slow
@pytest.mark.parametrize("forked", [False, True])
def test_only_a_kernel_started_the_ordinary_way_is_warmed_up(forked, monkeypatch):
    """A kernel started the ordinary way imports the notebook's modules at once, asked by
    a client of its own; a fork of the zygote has them (the zygote ran the same code), so
    it is not asked again: no extra client, no extra request."""
    monkeypatch.setitem(kernel._FORKED, "on", forked)
    codes: list[str] = []
    request = kernel._silent_request

    def recorded(connection, code, expressions, timeout):
        codes.append(code)
        return request(connection, code, expressions, timeout)

    monkeypatch.setattr(kernel, "_silent_request", recorded)
    try:
        with kernel.booting_kernel() as booted:
            loaded = booted.evaluate("str('pandas' in __import__('sys').modules)")
    finally:
        zygote.stop()
    assert sorted(codes) == sorted(["", *([] if forked else [kernel.KERNEL_WARM_UP])])
    assert loaded == "True" or not forked  # a fork has them from the start


@pytest.mark.slow
@pytest.mark.parametrize("forked", [False, True])
def test_a_render_kernel_has_no_debugger_and_keeps_no_history(forked, monkeypatch):
    monkeypatch.setitem(kernel._FORKED, "on", forked)  # started, or forked from the zygote
    before = zygote.forked
    try:
        _no_debugger_no_history()
    finally:
        zygote.stop()
    assert zygote.forked == before + forked


def _no_debugger_no_history() -> None:
    with kernel.booting_kernel() as booted:
        said = booted.evaluate("repr(__import__('sys').modules.get('debugpy', 'absent'))"
                               " + ' ' + str(get_ipython().history_manager.enabled)")
        assert said == "None False"  # debugpy skipped (None), not just absent
        assert booted.evaluate("1/0") is None  # a failing expression: nothing, no exception
        assert booted.evaluate("'ơ\\n' * 2") == "ơ\nơ\n"


SKIPPED = ("soupsieve", "pyarrow.fs", "rfc3987_syntax", "isoduration", "webcolors")
PROBE = """
import sys, warnings
{before}
from tongket_lib.render.execute import skip_unused_imports
skip_unused_imports()
import papermill, nbconvert, bs4
from tongket_lib.render import export
export.warm_up(pdf=False)
print(" ".join(m for m in {skipped!r} if sys.modules.get(m) is not None))
"""


@pytest.mark.parametrize("before, kept", [("", ""), ("import pyarrow", "pyarrow.fs")])
def test_a_rendering_process_skips_what_it_never_uses(before, kept):
    """papermill, nbconvert and BeautifulSoup work without them, and nothing is printed;
    a process that has loaded pyarrow keeps its file systems."""
    done = subprocess.run([sys.executable, "-W", "default", "-c",
                           PROBE.format(before=before, skipped=SKIPPED)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == kept.split()
    assert "soupsieve" not in done.stderr and "Warning" not in done.stderr, done.stderr


@pytest.mark.parametrize("cache", ["writable", "a file", "unwritable"])
def test_pages_are_the_same_whatever_becomes_of_the_template_cache(cache, tmp_path,
                                                                   monkeypatch):
    """The compiled page templates are kept in the cache folder when it can be written;
    when it cannot (its place taken by a file, a folder that refuses the write), the pages
    are made all the same, and the same."""
    import jinja2
    import nbformat

    from tongket_lib.render import export

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("### Khen thưởng\n\nCác danh hiệu *năm 2024*."),
        nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
            "display_data", data={"text/html": '<p class="x">Đạt chỉ tiêu</p>'})])])
    monkeypatch.setenv("TONGKET_CACHE", str(tmp_path / "fresh"))
    export._exporter.cache_clear()
    expected = export.notebook_to_html(notebook, "Tiêu đề", toc=False)
    target = tmp_path / "cache"
    if cache == "a file":
        target.write_text("")
    if cache == "unwritable":
        def refuse(self, bucket):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", refuse)
    monkeypatch.setenv("TONGKET_CACHE", str(target))
    export._exporter.cache_clear()
    try:
        page = export.notebook_to_html(notebook, "Tiêu đề", toc=False)
        export._exporter.cache_clear()
        again = export.notebook_to_html(notebook, "Tiêu đề", toc=False)  # from the cache
    finally:
        export._exporter.cache_clear()
    assert page == again == expected
    assert "Đạt chỉ tiêu" in page and "<em>năm 2024</em>" in page
    kept = list((target / "jinja").glob("*.cache")) if target.is_dir() else []
    assert bool(kept) == (cache == "writable")
