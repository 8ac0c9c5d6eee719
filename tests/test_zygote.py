"""Kernels forked from a warm zygote (batch workers): the same reports, the same failures,
no process left behind; without the zygote (switched off, or unable to start) the
ordinary kernel, and the same reports again."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tongket_lib import system
from tongket_lib.errors import RenderError
from tongket_lib.render import kernel, zygote
from tongket_lib.render.job import render_report

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture()
def forking():
    kernel.fork_kernels()
    try:
        yield
    finally:
        kernel.fork_kernels(False)
        zygote.stop()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def still_alive(pids: list[int], seconds: float = 10) -> list[int]:
    """The processes of ``pids`` still alive once they all ended, or ``seconds`` passed."""
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [pid for pid in pids if alive(pid)]


def text(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for footer in soup.select(".tk-footer"):  # the time of the render
        footer.decompose()
    return soup.get_text(" ", strip=True)


def test_forked_kernels_render_the_same_reports(data_copy, tmp_path, forking):
    before = zygote.forked
    first = render_report(2024, data_copy, tmp_path / "a", formats=("html", "docx"))
    second = render_report(2024, data_copy, tmp_path / "b", formats=("html",))
    assert zygote.forked - before == 2
    kernel.fork_kernels(False)
    ordinary = render_report(2024, data_copy, tmp_path / "c", formats=("html",))
    assert zygote.forked - before == 2
    assert text(first.html) == text(second.html) == text(ordinary.html)
    stamps = [json.loads((r.folder / ".tongket-render.json").read_text(encoding="utf-8"))
              for r in (first, ordinary)]
    assert stamps[0]["verdicts"] == stamps[1]["verdicts"] and stamps[0]["verdicts"]["not_met"] == 8
    assert first.docx is not None and first.docx.stat().st_size > 20_000


def _open_kernel_sockets() -> list[str]:
    """The render kernels' endpoints that zmq sockets of this process still hold open."""
    import gc

    import zmq

    held = []
    for thing in gc.get_objects():
        if isinstance(thing, zmq.Socket) and not thing.closed:
            try:
                endpoint = thing.getsockopt(zmq.LAST_ENDPOINT).decode()
            except zmq.ZMQError:
                continue
            if kernel.SOCKET_PREFIX in endpoint:
                held.append(endpoint)
    return held


def test_report_after_report_keeps_nothing_of_the_ended_kernels(data_copy, tmp_path, forking):
    """A process that renders report after report (a batch's worker) keeps no socket,
    heartbeat thread or zmq context of the kernels it has ended: nbclient leaves open the
    client it makes of the kernel manager it is given, which tried every tenth of a
    second to reach its ended kernel, so a worker piled up sockets, threads and file
    descriptors report after report (5 sockets and a context each). The seed's year and
    a demonstration agency's."""
    import threading

    from demo import make_demo

    make_demo(tmp_path / "demo", [2023])
    for year, data in ((2024, data_copy), (2023, tmp_path / "demo")):
        render_report(year, data, tmp_path / "out", formats=("html",))
        assert _open_kernel_sockets() == []
        assert [t.name for t in threading.enumerate() if type(t).__name__ == "HBChannel"] == []


def test_a_forked_kernel_starts_with_the_zygotes_objects_frozen(forking):
    """The zygote freezes its heap (the notebook's modules) before it forks: a kernel's
    garbage collector never walks those objects, so it does not copy their pages (4.000
    of 32.000 page faults a report); an ordinary kernel freezes nothing."""
    before = zygote.forked
    with kernel.booting_kernel() as booted:
        frozen = booted.evaluate("str(__import__('gc').get_freeze_count())")
    assert zygote.forked - before == 1
    assert frozen is not None and int(frozen) > 50_000, frozen
    kernel.fork_kernels(False)
    with kernel.booting_kernel() as booted:
        assert booted.evaluate("str(__import__('gc').get_freeze_count())") == "0"


def _pids(monkeypatch) -> list[int]:
    """The pids of the forked kernels looked after from now on."""
    pids: list[int] = []
    made = system.PidfdProcess.__init__

    def init(self, pid: int) -> None:
        pids.append(pid)
        made(self, pid)

    monkeypatch.setattr(system.PidfdProcess, "__init__", init)
    return pids


def test_without_the_zygote_kernels_start_the_ordinary_way_and_reports_are_the_same(
        data_copy, tmp_path, forking, monkeypatch):
    pids = _pids(monkeypatch)
    forked = render_report(2024, data_copy, tmp_path / "a", formats=("html",))
    assert len(pids) == 1
    monkeypatch.setenv(kernel.ZYGOTE_ENV, "0")  # switched off
    switched_off = render_report(2024, data_copy, tmp_path / "b", formats=("html",))
    assert len(pids) == 1 and not kernel.forking()
    monkeypatch.delenv(kernel.ZYGOTE_ENV)
    zygote.stop()  # the next kernel asks a new zygote, which cannot start
    monkeypatch.setattr(kernel, "KERNEL_WARM_UP", "import tongket_khong_co_mo_dun_nay")
    assert kernel.forking()
    unstarted = render_report(2024, data_copy, tmp_path / "c", formats=("html",))
    assert len(pids) == 1 and zygote._failed
    assert text(forked.html) == text(switched_off.html) == text(unstarted.html)


def test_a_forked_kernel_that_dies_or_hangs_fails_its_render_and_is_gone(
        data_copy, tmp_path, forking, monkeypatch):
    pids = _pids(monkeypatch)
    notebook = json.loads((FIXTURES / "cham.ipynb").read_text(encoding="utf-8"))
    notebook["cells"][1]["source"] = "import os\n\nos._exit(3)"
    dies = tmp_path / "chet.ipynb"
    dies.write_text(json.dumps(notebook), encoding="utf-8")
    with pytest.raises(RenderError, match="dừng đột ngột"):
        render_report(2024, data_copy, tmp_path / "out", notebook=dies, formats=("html",))
    with pytest.raises(RenderError, match="quá 2 giây"):
        render_report(2024, data_copy, tmp_path / "out", notebook=FIXTURES / "cham.ipynb",
                      cell_timeout=2, formats=("html",))
    assert len(pids) == 2
    assert not still_alive(pids)


def test_only_this_pythons_ipykernel_is_forked():
    assert zygote.forkable([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not zygote.forkable(["/bin/sh", "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not zygote.forkable([sys.executable, "-m", "other_kernel", "-f", "k.json"])


def test_the_zygote_and_its_kernels_end_with_the_process_that_started_them():
    code = ("import os, sys, time\n"
            "from tongket_lib.render import kernel, zygote\n"
            "kernel.fork_kernels()\n"
            "with kernel.booting_kernel() as booted:\n"
            "    km = booted.manager\n"
            "    print(zygote._zygote.process.pid, km.provisioner.pid, flush=True)\n"
            "    os._exit(0)  # killed as a batch can be: no shutdown, no clean-up\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    pids = [int(p) for p in done.stdout.split()]
    assert not still_alive(pids)


SHARED = """
import json, os, signal, sys, time
from tongket_lib import engine
from tongket_lib.render import zygote
from tongket_lib.render.job import render_report


def which():
    return [zygote._zygote.process.pid if zygote._zygote else None, zygote.forked]


def run(client, out, n):
    jobs = [(2024, sys.argv[1], f"{out}/{i}") for i in range(n)]
    mapped = engine.map_tasks(render_report, jobs, star=True, kwargs={"formats": ("html",)},
                              client=client)
    return sorted(r.html.name for r in mapped.results), mapped.failures


if __name__ == "__main__":
    with engine.cluster(2, preload=("tongket_lib.render.worker",)) as client:
        first = run(client, sys.argv[2] + "/a", 4)
        shared = client.run(which)
        os.kill(next(iter(shared.values()))[0], signal.SIGKILL)  # the shared zygote dies
        time.sleep(0.5)
        again = run(client, sys.argv[2] + "/b", 2)
        print(json.dumps({"first": first, "shared": list(shared.values()), "again": again,
                          "after": list(client.run(which).values()),
                          "here": zygote._zygote is None}))
"""


def test_a_batchs_workers_share_one_zygote_and_start_their_own_if_it_dies(data_copy,
                                                                           tmp_path):
    """The workers of a batch fork their kernels from one zygote, started by the server
    they were forked from (not by this process); if it dies, a worker starts its own and
    its reports still render."""
    script = tmp_path / "shared.py"
    script.write_text(SHARED, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(data_copy), str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["first"] == [["bao-cao-2024.html"] * 4, {}]
    (one, forked_one), (other, forked_other) = got["shared"]
    assert one == other and one is not None  # the same zygote for both workers
    assert forked_one + forked_other == 4 and got["here"]
    assert got["again"] == [["bao-cao-2024.html"] * 2, {}]
    assert all(pid != one for pid, _ in got["after"] if pid is not None)


STARTS_FIRST = """
import sys
from tongket_lib.render import zygote

seen = []
made = zygote.Zygote.__init__


def init(self, warm_up):
    seen.append(sorted(m for m in ("papermill", "nbformat", "weasyprint", "docx")
                       if m in sys.modules))
    made(self, warm_up)


zygote.Zygote.__init__ = init
import tongket_lib.render.worker  # noqa: E402

print(seen, all(m in sys.modules for m in ("papermill", "nbformat", "docx")))
zygote.stop()
"""


def test_a_batchs_fork_server_starts_the_zygote_before_its_own_imports(tmp_path):
    """The server a batch's workers are forked from starts their zygote first, so that it
    warms (a CPU-second and a half) on the other core while the server imports the
    render's modules: each worker's first kernel waits the less for it."""
    script = tmp_path / "first.py"
    script.write_text(STARTS_FIRST, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[[]] True", done.stdout
