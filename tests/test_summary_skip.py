"""tongket summary leaves a consolidated report alone when nothing it is made from has
changed, re-renders it when a unit's data changes, and always with --force."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from benchmarks.bench_units import make_units
from tests.conftest import run_cli


def _summary(root: Path, out: Path, *more: str):
    return run_cli("summary", "2024", "--data", str(root), "--out", str(out), "--format", "html",
                   "-j", "1", *more)


@pytest.mark.slow
def test_an_unchanged_summary_is_skipped_until_its_data_changes(tmp_path):
    root = make_units(tmp_path / "data", 5, [2023, 2024], seed=3, groups=2)
    out = tmp_path / "out"
    html = out / "tong-hop-2024" / "tong-hop-2024.html"

    first = _summary(root, out)
    assert first.returncode == 0, first.stderr
    assert "Đã dựng báo cáo tổng hợp năm 2024" in first.stdout and html.is_file()
    made = html.stat().st_mtime_ns

    again = _summary(root, out)
    assert again.returncode == 0, again.stderr
    assert "không đổi" in again.stdout and "--force" in again.stdout
    assert html.stat().st_mtime_ns == made  # not written again

    forced = _summary(root, out, "--force")
    assert forced.returncode == 0 and "Đã dựng" in forced.stdout
    assert html.stat().st_mtime_ns != made

    table = root / "cd-00002" / "2024" / "contributions.csv"  # a unit's amount changes
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"), newline="")))
    column = rows[0].index("amount_vnd")
    rows[1][column] = str(int(rows[1][column]) + 1_000_000)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    table.write_text(buffer.getvalue(), encoding="utf-8")
    changed = _summary(root, out)
    assert changed.returncode == 0, changed.stderr
    assert "Đã dựng báo cáo tổng hợp năm 2024" in changed.stdout
