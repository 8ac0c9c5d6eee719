"""Shared fixtures: the real 2024 data, a scratch copy to break, the seed report."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import settings

# Every Hypothesis test: no deadline. A run's time says nothing about a property, and on a
# loaded machine (two cores shared, xdist workers, a kernel booting beside) a healthy
# example can take longer than Hypothesis's default 200 ms and fail as "flaky".
settings.register_profile("tongket", deadline=None)
settings.load_profile("tongket")

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


@pytest.fixture(scope="session")
def rendered_2024(tmp_path_factory):
    """The 2024 report rendered once (HTML and PDF) into a scratch folder."""
    from tongket_lib.render.job import render_report

    return render_report(2024, DATA, tmp_path_factory.mktemp("reports"))


@pytest.fixture()
def two_years(data_copy: Path) -> Path:
    """2023 as a copy of 2024 with lower actuals, one indicator renamed, one missing."""
    src = data_copy / "2024"
    dst = data_copy / "2023"
    dst.mkdir()
    for f in src.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    meta = dst / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("year: 2024", "year: 2023"),
                    encoding="utf-8")
    path = dst / "indicators.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    h = rows[0]
    for r in rows[1:]:
        if r[h.index("id")] == "gvndvn":
            r[h.index("actual")] = "96"
        if r[h.index("id")] == "cay_xanh":
            r[h.index("name")] = "Cây xanh nơi làm việc"
    rows = [r for r in rows if r[0] != "khieu_nai_to_cao"]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return data_copy


def pytest_configure(config) -> None:
    """What the tests rebuild (the stored tidy tables) goes to a temporary folder, not the
    project's .tongket-cache/ (kernels started by papermill inherit the variable)."""
    import os
    import tempfile

    os.environ.setdefault("TONGKET_CACHE", tempfile.mkdtemp(prefix="tongket-test-cache-"))
