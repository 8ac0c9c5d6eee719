"""The hostile-input corpus (issue 13) through the real command line, in a fresh process
with bounded time and memory: every case ends with its documented exit code and a
Vietnamese message naming the file, never a traceback or the bug message."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT
from .hostile.cases import CASES, Case

SECONDS = 60                # a bound, not a speed assertion
MEMORY = 2 * 1024 ** 3      # address space of the command: 2 GB

STREAMS = ("import sys; from tongket_lib.cli.terminal import setup_streams; setup_streams();"
           " from tongket_lib.cli import main; sys.exit(main())")
# The data folder behaves as a read-only disk: creating anything in it fails with EROFS.
READ_ONLY = """
import errno, os, sys, tempfile
root = os.environ["HOSTILE_DATA"]
def guard(path):
    if str(path).startswith(root):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
real_mkdtemp, real_mkdir = tempfile.mkdtemp, os.mkdir
def mkdtemp(suffix=None, prefix=None, dir=None):
    guard(dir or "")
    return real_mkdtemp(suffix, prefix, dir)
def mkdir(path, *args, **kwargs):
    guard(path)
    return real_mkdir(path, *args, **kwargs)
tempfile.mkdtemp, os.mkdir = mkdtemp, mkdir
from tongket_lib.cli import main
sys.exit(main())
"""
RUNNERS = {"cli": ["-m", "tongket_lib.cli"], "streams": ["-c", STREAMS],
           "readonly": ["-c", READ_ONLY], "unreadable": ["-m", "tongket_lib.cli"]}
#: tests run as root, who may read anything: on the path of the "unreadable" runner, a
#: sitecustomize makes every process of the command (the kernel too) see "no access"
UNREADABLE_PATH = Path(__file__).parent / "hostile" / "unreadable"


def _bounded(memory: int = MEMORY) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def run(case: Case, args: list[str], data: Path, cwd: Path, memory: int | None = None,
        seconds: int = SECONDS) -> subprocess.CompletedProcess:
    path = [str(UNREADABLE_PATH)] if case.runner == "unreadable" else []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*path, str(ROOT)]),
           "HOSTILE_DATA": str(data), **dict(case.env)}
    env.pop("TONGKET_DEBUG", None)
    return subprocess.run([sys.executable, *RUNNERS[case.runner], *args], cwd=cwd, env=env,
                          capture_output=True, timeout=seconds,
                          preexec_fn=lambda: _bounded(memory or MEMORY))


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_is_refused_clearly(case: Case, data_copy: Path, tmp_path: Path):
    args = case.build(data_copy, tmp_path)
    result = run(case, args, data_copy, tmp_path)
    out = result.stdout.decode("utf-8", "replace")
    err = result.stderr.decode("utf-8", "replace")
    both = out + err
    assert result.returncode == case.code, both[-3000:]
    assert "Traceback" not in both and "Lỗi không mong đợi" not in both, both[-3000:]
    if case.code == 2:
        assert err.startswith(("Lỗi:", "Loi:")), err[-3000:]  # Vietnamese, or its ASCII form
        assert case.names in err, err[-3000:]
    for text in case.absent:
        assert text not in both, (text, both[-3000:])


def test_hostile_cases_cover_every_class():
    kinds = {c.kind for c in CASES}
    assert kinds == {"yaml", "csv", "file", "xlsx", "export", "terminal", "readonly"}
    assert len({c.id for c in CASES}) == len(CASES)


# -- what the cases above cannot see from the exit code ----------------------------------------

def _case(id: str) -> Case:
    return next(c for c in CASES if c.id == id)


@pytest.mark.slow
def test_far_away_empty_cell_imports_the_real_rows(data_copy, tmp_path):
    from tongket_lib import load_year

    case = _case("xlsx-empty-cell-at-XFD1048576")
    result = run(case, case.build(data_copy, tmp_path), data_copy, tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert len(load_year(2024, data_copy).indicators) == 68


@pytest.mark.slow
def test_exported_formula_text_stays_text(data_copy, tmp_path):
    case = _case("export-formula-text-in-units")
    result = run(case, case.build(data_copy, tmp_path), data_copy, tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    with zipfile.ZipFile(tmp_path / "ra.xlsx") as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name), name


@pytest.mark.slow
def test_escapes_are_shown_not_played(data_copy, tmp_path):
    case = _case("escape-in-check-output")
    result = run(case, case.build(data_copy, tmp_path), data_copy, tmp_path)
    out = result.stdout.decode()
    assert "Hỗ trợ \\x1b[2J\\x1b]0;gia-mao\\x07" in out and "\\u202eabc\\x0dĐạt" in out


@pytest.mark.slow
def test_read_only_data_folder_loses_nothing(data_copy, tmp_path):
    before = {p.name: p.read_bytes() for p in (data_copy / "2024").iterdir()}
    case = _case("read-only-excel-import")
    result = run(case, case.build(data_copy, tmp_path), data_copy, tmp_path)
    assert result.returncode == 2
    assert {p.name: p.read_bytes() for p in (data_copy / "2024").iterdir()} == before
    assert sorted(p.name for p in data_copy.iterdir()) == ["2024", "rules.yaml"]


def test_chart_text_from_data_is_literal():
    import pandas as pd

    from tongket_lib.views import charts

    names = ["Quỹ hỗ trợ 5$ cho quỹ_a_b, 7$ và \\frac{", "$x^2$ \\$ a$b$c_"]
    rows = pd.DataFrame({"kind": ["fund", "support"], "name": names, "amount_vnd": [1e6, 2e6]})
    png = charts._png(charts.contributions_chart(rows))
    assert png.startswith(b"\x89PNG")
    awards = pd.DataFrame({"part": [None], "count": [3], "title": ["Danh hiệu $a_b$"],
                           "recipient": ["individual"], "granted_by": ["Sở $1_2$"],
                           "stream": [next(iter(charts.STREAMS))], "state": ["granted"]})
    assert charts._png(charts.awards_chart(awards)).startswith(b"\x89PNG")


@pytest.mark.slow
@pytest.mark.parametrize("id", ["escape-in-check-output", "escape-in-error-message",
                                "ascii-console-help", "cp1252-console-error"])
def test_the_tongket_command_itself_sets_up_its_streams(id, data_copy, tmp_path):
    case = _case(id)
    plain = Case(case.id, case.kind, case.build, case.code, case.names, "cli", case.env,
                 case.absent)
    result = run(plain, plain.build(data_copy, tmp_path), data_copy, tmp_path)
    both = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert result.returncode == case.code and "Traceback" not in both, both[-3000:]
    for text in case.absent:
        assert text not in both
