"""Nothing outside, nothing lost, nothing left (issue 23, item 6): no path outside the
data folder is read or written; one run at a time writes a data folder; what killed runs
left is cleaned by the next; the stored tables are a cache, rebuilt when unreadable."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from demo import make_demo
from tongket_lib.dataset.store import data_lock
from tongket_lib.errors import DataError
from tongket_lib.render import zygote
from tongket_lib.units import consolidate
from tongket_lib.units.register import load_units

from .conftest import ROOT
from .test_units import YEAR, exported, inbox, upper  # noqa: F401  (fixtures)
from .test_units import demo as demo


@pytest.fixture()
def units(tmp_path) -> Path:
    root = tmp_path / "units"
    make_demo(root, years=[2024], seed=4, units=3)
    return root


def _cli(*argv: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tongket_lib.cli", *argv], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          **kw)


def test_a_unit_folder_linked_out_of_the_data_folder_is_refused(units, tmp_path):
    unit = load_units(units)["id"].iloc[0]
    outside = tmp_path / "ngoai"
    shutil.move(units / unit, outside)
    (units / unit).symlink_to(outside)
    with pytest.raises(DataError) as info:
        load_units(units)
    assert unit in str(info.value) and "ra ngoài" in str(info.value)
    done = _cli("check", "2024", "--data", str(units), "--units", "all")
    assert done.returncode == 2 and "ra ngoài" in done.stderr, done.stderr


def test_a_register_linked_from_outside_is_refused(units, tmp_path):
    outside = tmp_path / "units.csv"
    shutil.move(units / "units.csv", outside)
    (units / "units.csv").symlink_to(outside)
    with pytest.raises(DataError) as info:
        load_units(units)
    assert "ra ngoài" in str(info.value)


@pytest.mark.slow
def test_a_second_collect_waits_for_the_first_by_name(exported, inbox, upper):  # noqa: F811
    with data_lock(upper, "collect (kiểm thử)"):
        run = subprocess.Popen([sys.executable, "-m", "tongket_lib.cli", "collect", str(inbox),
                                "--year", str(YEAR), "--data", str(upper)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
        waiting = run.stderr.readline()  # before: it wrote at once, beside the other run
        assert "Đang chờ" in waiting and "collect (kiểm thử)" in waiting
        time.sleep(1)
        assert not any(p.is_dir() for p in upper.iterdir()) and run.poll() is None
    out, _ = run.communicate(timeout=300)
    assert run.returncode == 0 and "Đã nhận" in out
    assert len([p for p in upper.iterdir() if p.is_dir()]) == len(exported)


@pytest.mark.slow
def test_collect_cleans_what_a_killed_run_left(exported, inbox, upper):  # noqa: F811
    unit = next(iter(exported))
    left = upper / unit / f".{YEAR}.tmp-dead0000-xyz"
    left.mkdir(parents=True)
    (left / "indicators.csv").write_text("x", encoding="utf-8")
    old = upper / unit / f".{YEAR}.old-abc"
    old.mkdir()
    done = _cli("collect", str(inbox), "--year", str(YEAR), "--data", str(upper))
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in (upper / unit).iterdir()) == [str(YEAR)]


def test_stale_zygote_folders_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    stale = tmp_path / f"{zygote.PREFIX}dead"
    stale.mkdir()
    (stale / "socket").write_text("")
    fresh = tmp_path / f"{zygote.PREFIX}starting"
    fresh.mkdir()
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    assert zygote.clean_stale() == [stale]
    assert not stale.exists() and fresh.exists()


def _ask(address: str, line: bytes) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(address)
        conn.sendall(line)


def test_a_live_zygote_outlives_connections_that_ask_it_nothing(tmp_path, monkeypatch):
    """Another run's clean-up asks a zygote older than two minutes whether it lives (it
    connects and hangs up); neither that nor a garbled request may end the zygote, which
    would take the kernels of this run's renders with it."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    made = zygote.Zygote("")
    try:
        deadline = time.monotonic() + 60
        while not Path(made.address).exists() and made.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        os.utime(made.folder, (time.time() - 3600, time.time() - 3600))
        assert zygote.clean_stale() == []  # connected, found it alive, hung up
        for line in (b"", b"not json\n", b"[1, 2]\n", b'{"argv": ["python"'):
            _ask(made.address, line)
        pid = made.fork([sys.executable, "--version"], dict(os.environ), str(tmp_path))
        assert made.alive() and made.folder.exists()
        assert pid > 0
    finally:
        made.close()
    assert not made.alive()


@pytest.mark.parametrize("damage", ["corrupt", "other-period"])
def test_unreadable_stored_tables_are_rebuilt_with_one_line(units, tmp_path, monkeypatch,
                                                             capsys, damage):
    monkeypatch.setenv("TONGKET_CACHE", str(tmp_path / "cache"))
    first = consolidate.load(units)
    stored = first.folder / "indicators.parquet" / "2024.parquet"
    if damage == "corrupt":
        stored.write_bytes(b"PAR1 not a parquet file PAR1")
    else:  # a file of another period put in its place
        import pyarrow.parquet as pq

        table = pq.read_table(stored)
        table = table.set_column(table.schema.get_field_index("period"), "period",
                                 table.column("period").cast("string")
                                 .to_pandas().replace("2024", "2023").pipe(
                                     lambda s: __import__("pyarrow").array(s).dictionary_encode()))
        pq.write_table(table, stored)
    capsys.readouterr()
    again = consolidate.load(units)  # before: ArrowInvalid, or the other period's rows
    assert "dựng lại" in capsys.readouterr().err
    assert len(again.indicators) == len(first.indicators)
    assert set(again.indicators["period"].astype(str)) == {"2024"}
    assert again.rebuilt
