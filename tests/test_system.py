"""The platform calls and other libraries' internals tongket relies on
(:mod:`tongket_lib.system`): each does its work here, and where it is missing or fails,
its documented fallback is taken. Fast: no kernel, no cluster."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tongket_lib import engine, system
from tongket_lib.render import zygote

KERNEL = [sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"]
LINUX = sys.platform.startswith("linux")


def python(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh Python (what forks or ends a process runs there, not in
    the test process)."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=60)


@pytest.fixture()
def no_libc(monkeypatch):
    """A platform whose C library ctypes cannot load (or that has none)."""
    monkeypatch.setattr(system, "_libc", lambda: None)


# -- die_with_parent: prctl(PR_SET_PDEATHSIG) -------------------------------------------------

@pytest.mark.skipif(not LINUX, reason="prctl is Linux's")
def test_die_with_parent_sets_the_parent_death_signal():
    done = python("""
        import ctypes
        from tongket_lib import system
        assert system.die_with_parent()
        signal = ctypes.c_int()
        ctypes.CDLL(None).prctl(2, ctypes.byref(signal))  # PR_GET_PDEATHSIG
        print(signal.value)
    """)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == signal.SIGKILL


def test_die_with_parent_without_prctl_does_nothing(no_libc):
    assert system.die_with_parent() is False


# -- exchange: renameat2(RENAME_EXCHANGE) -----------------------------------------------------

def _folders(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        folder.mkdir()
        (folder / "ten.txt").write_text(folder.name)
    return a, b


@pytest.mark.skipif(not LINUX, reason="renameat2 is Linux's")
def test_exchange_swaps_two_folders_in_one_step(tmp_path):
    a, b = _folders(tmp_path)
    assert system.exchange(a, b)
    assert (a / "ten.txt").read_text() == "b" and (b / "ten.txt").read_text() == "a"


def test_exchange_without_renameat2_changes_nothing(tmp_path, no_libc):
    a, b = _folders(tmp_path)
    assert system.exchange(a, b) is False
    assert (a / "ten.txt").read_text() == "a" and (b / "ten.txt").read_text() == "b"


def test_an_exchange_the_system_refuses_changes_nothing(tmp_path):
    a, _ = _folders(tmp_path)
    assert system.exchange(a, tmp_path / "khong-co") is False  # ENOENT
    assert (a / "ten.txt").read_text() == "a" and not (tmp_path / "khong-co").exists()


# -- umask: /proc/self/status -----------------------------------------------------------------

def test_umask_without_proc_is_read_by_setting_it_back(monkeypatch):
    known = system.umask()
    monkeypatch.setattr(system, "_STATUS", Path("/khong-co/proc/self/status"))
    assert system.umask() == known
    assert system.umask() == known  # and it was put back


# -- link_or_copy: hard links ------------------------------------------------------------------

def test_link_or_copy_links_a_file(tmp_path):
    source = tmp_path / "ghi-chu.txt"
    source.write_text("của tôi")
    system.link_or_copy(source, tmp_path / "lien-ket.txt")
    assert (tmp_path / "lien-ket.txt").stat().st_ino == source.stat().st_ino


def test_where_links_are_refused_link_or_copy_copies(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    source, folder = tmp_path / "ghi-chu.txt", tmp_path / "tu-lieu"
    source.write_text("của tôi")
    folder.mkdir()
    (folder / "anh.txt").write_text("ảnh")
    system.link_or_copy(source, tmp_path / "ban-sao.txt")
    system.link_or_copy(folder, tmp_path / "thu-muc-sao")
    assert (tmp_path / "ban-sao.txt").read_text() == "của tôi"
    assert (tmp_path / "ban-sao.txt").stat().st_ino != source.stat().st_ino
    assert (tmp_path / "thu-muc-sao" / "anh.txt").read_text() == "ảnh"


# -- process_alive: kill(pid, 0) --------------------------------------------------------------

def test_process_alive(monkeypatch):
    assert system.process_alive(os.getpid())
    assert not system.process_alive(4_000_000)  # beyond any pid this machine hands out

    def not_ours(pid, signum):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "kill", not_ours)  # another user's process
    assert system.process_alive(1)


# -- pidfds and fork: the zygote --------------------------------------------------------------

@pytest.mark.skipif(not system.can_fork_watched(), reason="no pidfd here")
def test_a_pidfd_process_is_looked_after_as_popen_would():
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        watched = system.PidfdProcess(sleeper.pid)
        assert watched.poll() is None
        with pytest.raises(subprocess.TimeoutExpired):
            watched.wait(timeout=0.05)
        watched.terminate()
        assert watched.wait(timeout=10) == -1 and watched.poll() == -1
        watched.kill()  # ended: nothing is sent
    finally:
        sleeper.kill()
        sleeper.wait()


def test_without_pidfds_no_kernel_is_forked(monkeypatch):
    monkeypatch.delattr(os, "pidfd_open", raising=False)  # Linux before 5.3, or not Linux
    assert not system.can_fork_watched()
    assert not zygote.forkable(KERNEL)
    before = (zygote._zygote, zygote.forked)
    assert zygote.fork_kernel(KERNEL, {}, ".") is None  # for the provisioner's ordinary way
    assert (zygote._zygote, zygote.forked) == before  # no zygote started, no kernel forked
    with pytest.raises(OSError):
        system.PidfdProcess(os.getpid())


@pytest.mark.skipif(not system.can_fork_watched(), reason="no fork here")
def test_fork_session_runs_the_child_in_its_own_session_and_ends_with_its_code():
    done = python("""
        import os, sys
        from tongket_lib import system

        def leads() -> int:
            return 7 if os.getsid(0) == os.getpid() else 1

        def fails() -> int:
            raise ValueError("hỏng")

        def leaves() -> int:
            sys.exit(3)

        codes = [os.waitstatus_to_exitcode(os.waitpid(system.fork_session(child), 0)[1])
                 for child in (leads, fails, leaves)]
        print(*codes)
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["7", "1", "3"]
    assert "ValueError: hỏng" in done.stderr  # a child's traceback is shown


@pytest.mark.skipif(not system.can_fork_watched(), reason="no fork here")
def test_reaped_children_leave_no_zombie():
    done = python("""
        import os, time
        from tongket_lib import system
        system.reap_children()
        pid = system.fork_session(lambda: 0)
        deadline = time.monotonic() + 10
        while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
            time.sleep(0.02)  # a zombie stays in /proc until it is collected
        print("chưa thu" if os.path.exists(f"/proc/{pid}") else "đã thu")
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "đã thu"


def test_reap_children_without_sigchld_does_nothing(monkeypatch):
    calls = []
    monkeypatch.delattr(signal, "SIGCHLD", raising=False)
    monkeypatch.setattr(signal, "signal", lambda *args: calls.append(args))
    system.reap_children()
    assert calls == []


# -- exit_now: os._exit -----------------------------------------------------------------------

def test_exit_now_flushes_what_was_written_and_ends_with_the_code():
    done = python("""
        import sys
        from tongket_lib import system
        print("đã ghi", end="")
        sys.stderr.write("lỗi")
        system.exit_now(3)
    """)
    assert (done.returncode, done.stdout, done.stderr) == (3, "đã ghi", "lỗi")


def test_exit_now_with_a_closed_stream_still_ends_with_the_code():
    done = python("""
        import sys
        from tongket_lib import system
        sys.stdout.close()
        system.exit_now(4)
    """)
    assert (done.returncode, done.stderr) == (4, "")


# -- time_limit: SIGALRM ----------------------------------------------------------------------

def test_time_limit_stops_the_block_in_the_main_thread():
    done = python("""
        import time
        from tongket_lib import system

        class Late(BaseException):
            pass

        try:
            with system.time_limit(0.1, Late) as limited:
                time.sleep(5)
        except Late:
            print("dừng", limited)
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["dừng", "True"]


class Late(BaseException):
    pass


def test_time_limit_in_another_thread_sets_no_limit():
    seen: list[bool] = []

    def work() -> None:
        with system.time_limit(0.01, Late) as limited:
            time.sleep(0.1)
            seen.append(limited)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [False]


def test_time_limit_without_setitimer_sets_no_limit(monkeypatch):
    monkeypatch.delattr(signal, "setitimer", raising=False)
    with system.time_limit(0.01, Late) as limited:
        time.sleep(0.05)
    assert limited is False


# -- forkserver_preload: distributed's private flag -------------------------------------------

def test_without_distributeds_flag_workers_start_the_way_dask_starts_them(monkeypatch):
    import distributed.utils

    monkeypatch.delattr(distributed.utils, "_forkserver_preload_set", raising=False)
    assert system.forkserver_preload(["tongket_lib.render.worker"]) is False
    assert engine._forkserver(["tongket_lib.render.worker"]) == {}
    assert not hasattr(distributed.utils, "_forkserver_preload_set")


def test_nothing_to_preload_or_no_linux_no_fork_server(monkeypatch):
    assert engine._forkserver([]) == {}
    monkeypatch.setattr(sys, "platform", "darwin")
    assert engine._forkserver(["tongket_lib.render.worker"]) == {}


# -- skip_optional_import ---------------------------------------------------------------------

def test_skip_optional_import(monkeypatch):
    name = "tongket_mo_dun_tuy_chon"
    monkeypatch.delitem(sys.modules, name, raising=False)
    assert system.skip_optional_import(name)
    with pytest.raises(ImportError):
        __import__(name)
    monkeypatch.delitem(sys.modules, name)
    assert system.skip_optional_import("json") is False  # already imported: left as it is
    assert sys.modules["json"].dumps([1]) == "[1]"


# -- jupyter_output: ipykernel's stream class -------------------------------------------------

def test_a_kernels_output_is_recognised_by_its_class():
    import io

    kernel_stream = type("OutStream", (io.StringIO,), {"__module__": "ipykernel.iostream"})()
    assert system.jupyter_output(kernel_stream)
    assert not system.jupyter_output(io.StringIO())  # a pipe, a log: no progress bar
    assert not system.jupyter_output(type("S", (io.StringIO,), {"__module__": "ipykernelx"})())


def test_a_variable_gone_from_the_environment_is_gone_from_the_next_clusters_workers(tmp_path):
    """Workers are forked from a server that keeps the environment it started with: a
    variable the process had then (a notebook folder set for one batch) and has no longer
    is not seen by the next cluster's workers; one it still has, or has since set, is."""
    script = tmp_path / "env.py"
    script.write_text(textwrap.dedent("""
        import os
        from tongket_lib import engine

        def seen(name):
            return os.environ.get(name)

        def run():
            with engine.cluster(1, preload=("tongket_lib.vn",)) as client:
                return engine.map_tasks(seen, ["TK_GONE", "TK_KEPT", "TK_NEW"],
                                        client=client).results

        if __name__ == "__main__":
            os.environ["TK_GONE"] = os.environ["TK_KEPT"] = "1"
            first = run()
            del os.environ["TK_GONE"]
            os.environ["TK_NEW"] = "2"
            print(first, run())
    """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "['1', '1', None] [None, '1', '2']", done.stdout


def test_a_local_clusters_servers_keep_their_upkeep_light(tmp_path):
    """The workers of a local cluster run no statistical profiler, and the event loops of
    the scheduler, nannies and workers check their health every half second, not every
    20 ms: CPU the reports on both cores would otherwise share. The settings hold for the
    cluster only: the process's own Dask configuration is as it was after it."""
    script = tmp_path / "upkeep.py"
    script.write_text(textwrap.dedent("""
        import dask
        from tongket_lib import engine

        def upkeep(dask_worker):
            return sorted(dask_worker.periodic_callbacks), dask_worker._tick_interval

        def tick(dask_scheduler):
            return dask_scheduler._tick_interval

        if __name__ == "__main__":
            with engine.cluster(1, preload=("tongket_lib.vn",)) as client:
                (callbacks, worker_tick), = client.run(upkeep).values()
                nanny_tick, = client.run(lambda dask_worker: dask_worker._tick_interval,
                                         nanny=True).values()
                print("profile" in callbacks, "profile-cycle" in callbacks, "heartbeat" in callbacks,
                      worker_tick, nanny_tick, client.run_on_scheduler(tick))
            print(dask.config.get("distributed.worker.profile.enabled"),
                  dask.config.get("distributed.admin.tick.interval"))
    """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["False False True 0.5 0.5 0.5", "True 20ms"], done.stdout
