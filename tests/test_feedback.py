"""Scripts and signs of life on long work (issue 23, item 7): a plain script builds on
a local cluster with or without ``if __name__ == "__main__":``; ``new-year --units all``
and a build of the stored tables in this process show a progress bar where a person
watches (a terminal), by the one policy of :func:`tongket_lib.engine.progress_bar`, and
none in a pipe."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import textwrap
from pathlib import Path

import pytest

from demo import make_demo
from tongket_lib import engine

ROOT = Path(__file__).resolve().parent.parent


def _on_a_terminal(argv: list[str], cache: Path) -> tuple[int, str]:
    """Run ``argv`` with its stderr on a pseudo-terminal (100 columns wide); its exit
    code and what it drew there."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {**os.environ, "TONGKET_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=child,
                            stdin=subprocess.DEVNULL)
    os.close(child)
    drawn = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        drawn += chunk
    os.close(main)
    return proc.wait(timeout=300), drawn.decode("utf-8", "replace")


CLI = [sys.executable, "-m", "tongket_lib.cli"]


def _run(script: Path, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TONGKET_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    env.pop(engine.SCHEDULER_ENV, None)
    return subprocess.run([sys.executable, str(script)], cwd=script.parent, env=env,
                          capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("feedback") / "units"
    make_demo(root, years=[2024], seed=9, units=24)
    return root


@pytest.mark.slow
def test_new_year_for_all_units_shows_its_progress(many, tmp_path):
    code, drawn = _on_a_terminal([*CLI, "new-year", "2025", "--data", str(many), "--units",
                                  "all"], tmp_path / "cache")
    assert code == 0, drawn
    assert "Tạo năm 2025 cho các đơn vị" in drawn and "24/24" in drawn
    piped = subprocess.run([*CLI, "new-year", "2026",
                            "--data", str(many), "--units", "all"], capture_output=True,
                           text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert piped.returncode == 0 and "Tạo năm" not in piped.stderr  # no bar in a pipe


@pytest.mark.slow
def test_a_build_in_this_process_shows_its_progress(many, tmp_path):
    script = tmp_path / "s.py"
    script.write_text("import sys\nfrom tongket_lib.units import consolidate\n"
                      f"consolidate.load({str(many)!r}, force=True)\n", encoding="utf-8")
    code, drawn = _on_a_terminal([sys.executable, str(script)], tmp_path / "cache")
    assert code == 0, drawn
    assert "Đọc dữ liệu các đơn vị, năm 2024" in drawn and "24/24" in drawn


@pytest.mark.slow
@pytest.mark.parametrize("guarded", [False, True])
def test_a_script_builds_on_a_cluster_with_or_without_the_main_guard(many, tmp_path, guarded):
    """Without the guard, workers started by spawn or forkserver would run the script again
    and the build would hang for good; now it runs in this process and says why."""
    call = (f'tidy = consolidate.load({str(many)!r}, workers=2, force=True)\n'
            'print("đơn vị:", tidy.units)\n')
    body = ('if __name__ == "__main__":\n' + textwrap.indent(call, "    ")) if guarded else call
    script = tmp_path / "tong_hop.py"
    script.write_text("from tongket_lib.units import consolidate\n" + body, encoding="utf-8")
    done = _run(script, tmp_path / "cache")  # before: TimeoutExpired, the build hung
    assert done.returncode == 0, done.stderr
    assert "đơn vị: 24" in done.stdout
    assert ("if __name__" in done.stderr) is not guarded  # the fallback says why, once


def test_the_guard_is_recognised_either_way_round(tmp_path):
    script = tmp_path / "s.py"
    script.write_text("from tongket_lib import engine\n"
                      "print(engine.unguarded_script())\n"
                      "if '__main__' == __name__:\n"
                      "    print(engine.unguarded_script())\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.split() == ["True", "False"]
    assert not engine.unguarded_script()  # pytest's own main is not a script calling us
