"""Shared fixtures: the real 2024 data, a scratch copy to break, the seed report."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEED = ROOT.parent / "shared" / "seed" / "bao-cao-tong-ket-2024.txt"
IN_CI = os.environ.get("CI") == "true"


def need(condition: bool, reason: str) -> None:
    """Skip loudly when a system tool is missing, but never in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true nhưng thiếu: {reason}")
    pytest.skip(f"BỎ QUA vì thiếu {reason} (cài bằng: bash dev.sh test với quyền root)")


@pytest.fixture(scope="session")
def seed_text() -> str:
    need(SEED.is_file(), f"báo cáo gốc {SEED}")
    return unicodedata.normalize("NFC", SEED.read_text(encoding="utf-8"))


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (2024 and the shared rules) to break in a test."""
    target = tmp_path / "data"
    shutil.copytree(DATA / "2024", target / "2024")
    shutil.copy(DATA / "rules.yaml", target / "rules.yaml")
    return target


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None
            ) -> subprocess.CompletedProcess:
    """Run the ``tongket`` command as a user would, in a fresh process."""
    return subprocess.run([sys.executable, "-m", "tongket_lib.cli", *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=900)
