"""Every command that reads files meets every hostile file (issue 23, item 4).

Each case of the corpus (:mod:`tests.hostile.cases`) that breaks the data folder is run
through ``check``, ``report``, ``new-year`` and ``summary``; each hostile workbook through
``excel import`` and ``collect`` (keyed to a registered unit). Every run ends within the
corpus's bounds of time and memory with its exit code and a clear message: never a
traceback, never the bug message, never a secret it must not print.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .hostile.cases import CASES, Case
from .test_hostile_inputs import run

UNIT = "don-vi-a"
#: the summary renders its notebook in a kernel (pyarrow, matplotlib, threads): its address
#: space is bounded higher than a reading command's
SUMMARY_MEMORY = 8 * 1024 ** 3
#: what a refused data folder gives each command (check's own code where the data loads)
DATA_COMMANDS = ("check", "report", "new-year", "summary")
BOOK_COMMANDS = ("excel-import", "collect")


def _is_data_case(case: Case) -> bool:
    return case.kind in ("yaml", "csv", "file") or case.id.startswith("escape-in-error")


def _is_book_case(case: Case) -> bool:
    return case.kind == "xlsx"


PAIRS = ([(c, cmd) for c in CASES if _is_data_case(c) for cmd in DATA_COMMANDS]
         + [(c, cmd) for c in CASES if _is_book_case(c) for cmd in BOOK_COMMANDS])


def _args(command: str, data: Path, tmp: Path) -> list[str]:
    out = str(tmp / "bao-cao")
    return {"check": ["check", "2024", "--data", str(data)],
            "report": ["report", "2024", "--data", str(data), "--out", out, "--format", "html"],
            "new-year": ["new-year", "2025", "--data", str(data)],
            "summary": ["summary", "2024", "--data", str(data), "--out", out, "--format",
                        "html"]}[command]


def _collect_args(book: Path, data: Path, tmp: Path) -> list[str]:
    """A multi-unit folder registering the workbook's unit, and an inbox holding it."""
    upper, inbox = tmp / "cap-tren", tmp / "thu-ve"
    upper.mkdir()
    inbox.mkdir()
    (upper / "units.csv").write_text(
        "id,name,upper_union,group,members,contact,active,note\n"
        f"{UNIT},Sở Tài nguyên và Môi trường tỉnh Trà Vinh,Công đoàn Viên chức tỉnh,Khối 1,"
        "100,,true,\n", encoding="utf-8")
    shutil.copy(book, inbox / book.name)
    return ["collect", str(inbox), "--year", "2024", "--data", str(upper)]


@pytest.mark.slow
@pytest.mark.parametrize(("case", "command"), PAIRS,
                         ids=[f"{c.id}×{cmd}" for c, cmd in PAIRS])
def test_every_reading_command_meets_every_hostile_file(case: Case, command: str,
                                                        data_copy: Path, tmp_path: Path):
    meta = data_copy / "2024" / "meta.yaml"
    if meta.is_file() and not meta.is_symlink():  # the workbook is keyed to a unit
        meta.write_text(meta.read_text(encoding="utf-8") + f"unit: {UNIT}\n", encoding="utf-8")
    args = case.build(data_copy, tmp_path)
    if command == "collect":
        args = _collect_args(Path(args[2]), data_copy, tmp_path)
    elif command != "excel-import":
        args = _args(command, data_copy, tmp_path)
    result = run(case, args, data_copy, tmp_path, memory=SUMMARY_MEMORY if command == "summary"
                 else None)
    both = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert "Traceback" not in both and "Lỗi không mong đợi" not in both, both[-3000:]
    for text in case.absent:
        assert text not in both, (text, both[-3000:])
    if case.code == 0:  # harmless to this case's own command: any clean outcome
        assert result.returncode in (0, 1, 2), both[-3000:]
    elif command == "collect":  # the workbook is reported, the run says so (exit 1)
        assert result.returncode == 1, both[-3000:]
    elif command == "summary":  # the unit is listed with its problems, or refused outright
        assert result.returncode in (0, 2), both[-3000:]
    else:
        assert result.returncode == case.code, both[-3000:]
