"""Bounds (issue 23, item 5, in part): a workbook's external-link cache is never loaded.
Excel keeps the values of every linked workbook inside the file; openpyxl read them all
(13 s and 1,1 GB for a 7,7 MB file against 1,4 s and 160 MB for the clean one). Checked
in a fresh process with a bounded address space and a timeout."""

from __future__ import annotations

import pytest

from .hostile import xlsx
from .hostile.cases import Case, _export
from .test_hostile_inputs import run

SECONDS = 8  # the clean workbook takes about 1,5 s here, the cache alone took 13 s
MEMORY = 1536 * 1024 ** 2  # address space: the cache alone took 1,1 GB of memory


@pytest.mark.slow
def test_an_external_link_cache_costs_nothing(data_copy, tmp_path):
    book = xlsx.external_link_cache(_export(data_copy, tmp_path), tmp_path / "lien-ket.xlsx",
                                    300_000)
    case = Case("external-link-cache", "xlsx", lambda d, t: [], code=0)
    args = ["excel", "import", str(book), "--year", "2024", "--data", str(tmp_path / "moi")]
    result = run(case, args, data_copy, tmp_path, memory=MEMORY, seconds=SECONDS)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    assert (tmp_path / "moi" / "2024" / "indicators.csv").is_file()


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "said"), [
    ("strings", "phần chữ dùng chung của sổ tính quá lớn"),
    ("rows", "thường do hàng trăm nghìn dòng trống đã định dạng"),
])
def test_unused_texts_and_formatted_empty_rows_are_refused_at_once(data_copy, tmp_path, kind,
                                                                   said):
    """Texts no cell uses (they took 139 s and 1,1 GB) and 760.000 formatted empty rows
    (71 s) are refused before any sheet is read, with the fix, and nothing is written."""
    book = _export(data_copy, tmp_path)
    heavy = (xlsx.unused_shared_strings(book, tmp_path / "chu.xlsx", 400_000) if kind == "strings"
             else xlsx.styled_empty_rows(book, tmp_path / "dong.xlsx", "Chỉ tiêu", 760_000))
    case = Case(f"heavy-{kind}", "xlsx", lambda d, t: [], code=2)
    args = ["excel", "import", str(heavy), "--year", "2024", "--data", str(tmp_path / "moi")]
    result = run(case, args, data_copy, tmp_path, memory=MEMORY, seconds=SECONDS)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2 and said in err and "Traceback" not in err, err[-2000:]
    assert not (tmp_path / "moi").exists()
