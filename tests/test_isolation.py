"""Isolation (issue 23, item 4): one bad file never stops the others in ``collect``, and
every crash the issue found is a clear message with the right exit code."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from tongket_lib.dataset.load import load_year
from tongket_lib.errors import DataError
from tongket_lib.units import charts
from tongket_lib.units.collect import collect_workbooks
from tongket_lib.vocab import VERDICTS

from .conftest import ROOT
from .hostile import xlsx
from .test_data import set_cell
from .test_units import YEAR, exported, inbox, upper  # noqa: F401  (fixtures)
from .test_units import demo as demo

matplotlib.use("Agg")


def _cli(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tongket_lib.cli", *argv], capture_output=True,
                          text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def _huge_number(book: Path, out: Path) -> Path:
    """A copy whose first number cell holds 4.301 digits (past Python's int limit)."""
    member = xlsx.sheet_member(book, "Chỉ tiêu")
    return xlsx.rewrite_member(book, out, member, lambda x: re.sub(
        rb"<v>[0-9.]+</v>", b"<v>" + b"9" * 4301 + b"</v>", x, count=1))


@pytest.mark.slow
def test_one_bad_file_never_stops_the_others(exported, inbox, upper):  # noqa: F811
    books = sorted(inbox.glob("*.xlsx"))
    _huge_number(books[0], inbox / "so-qua-dai.xlsx")
    books[0].unlink()
    undecodable = os.path.join(os.fsencode(inbox), b"b\xe1o-c\xe1o.xlsx")  # a Windows zip's
    os.rename(books[1], undecodable)
    result = collect_workbooks(inbox, YEAR, upper)
    assert len(result.written) == len(books) - 2  # the rest are filed
    reasons = {p.name: why for p, why in result.keyless}
    assert "không phải UTF-8" in reasons["b�o-c�o.xlsx"]
    assert "so-qua-dai.xlsx" in reasons and "Tệp phải là sổ tính" in reasons["so-qua-dai.xlsx"]
    result.summary().encode("utf-8")  # printable
    assert result.exit_code == 1


def test_a_unit_id_too_long_for_a_folder_is_refused(demo, tmp_path):
    root = tmp_path / "cap-tren"
    root.mkdir()
    register = pd.read_csv(demo[0] / "units.csv", dtype=str, keep_default_na=False)
    register.loc[0, "id"] = "a" * 300
    register.to_csv(root / "units.csv", index=False)
    (tmp_path / "thu-ve").mkdir()
    (tmp_path / "thu-ve" / "x.xlsx").write_bytes(b"")
    done = _cli("collect", str(tmp_path / "thu-ve"), "--year", str(YEAR), "--data", str(root))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "quá 100" in done.stderr and "units.csv" in done.stderr


@pytest.mark.parametrize("address", ["tcp://", "tcp://host:abc", "foo:bar", "http://a:1"])
def test_a_malformed_scheduler_is_a_usage_error(data_copy, tmp_path, address):
    done = _cli("batch", "--years", "2024", "--data", str(data_copy), "--out",
                str(tmp_path / "out"), "--format", "html", env={"TONGKET_SCHEDULER": address})
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("Lỗi:") and "TONGKET_SCHEDULER" in done.stderr
    assert "không mong đợi" not in done.stderr


def test_a_noncharacter_in_the_title_or_a_table_is_refused(data_copy):
    meta = data_copy / "2024" / "meta.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(re.sub(r"^title: .*$", 'title: "BÁO CÁO \\\\uFFFE NĂM"', text, count=1,
                           flags=re.M), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_year(2024, data_copy)
    [problem] = info.value.problems
    assert "U+FFFE" in problem.message and problem.file.endswith("meta.yaml") and problem.row
    meta.write_text(text, encoding="utf-8")
    set_cell(data_copy / "2024" / "indicators.csv", 3, "name", "Tên \ufffe lạ")
    with pytest.raises(DataError) as info:
        load_year(2024, data_copy)
    [problem] = info.value.problems
    assert "U+FFFE" in problem.message and problem.row == 3


@pytest.mark.slow
def test_report_refuses_a_noncharacter_in_the_title_cleanly(data_copy, tmp_path):
    meta = data_copy / "2024" / "meta.yaml"
    meta.write_text(re.sub(r"^title: .*$", 'title: "BÁO CÁO \\\\uFFFE NĂM"',
                           meta.read_text(encoding="utf-8"), count=1, flags=re.M),
                    encoding="utf-8")
    done = _cli("report", "2024", "--data", str(data_copy), "--out", str(tmp_path / "out"),
                "--format", "docx")
    assert done.returncode == 2 and "U+FFFE" in done.stderr, done.stderr
    assert "không mong đợi" not in done.stderr


def test_dollars_in_a_unit_name_are_drawn_as_written(tmp_path):
    scores = pd.DataFrame({"unit_id": ["a", "b"], "rank": [1, 2], "share_met": [90.0, 40.0],
                           "unit_name": ["Đơn vị $\\frac{$ A", "Quỹ 5$ và 7$"]})
    figure = charts.top_bottom_chart(scores)
    figure.savefig(tmp_path / "x.png")  # before: ValueError from mathtext
    spread = pd.DataFrame({"id": ["x"], "section": ["1"], "name": ["Chỉ tiêu $x_1$ lạ $"],
                           "units": [2], **{v: [1 if v == "met" else 0] for v in VERDICTS}})
    for fig in charts.verdict_spread_chart(spread):
        fig.savefig(tmp_path / "y.png")
