"""Batch re-runs: parallel renders, skipping unchanged years, failure isolation, the index."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tongket_lib.render import batch
from tongket_lib.render.batch import run_batch

from .conftest import ROOT, run_cli
from .test_data import set_cell

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).parent / "fixtures"


def states(result) -> dict[str, str]:
    return {o.name: o.state for o in result.outcomes}


def mtimes(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")
            if p.is_file() and not p.name.endswith(".lock")}


def test_batch_renders_then_skips_then_renders_only_what_changed(two_years, tmp_path,
                                                                  monkeypatch):
    out = tmp_path / "out"
    first = run_batch("2023-2024", two_years, out, jobs=2, formats=("html",), progress=False)
    assert states(first) == {"2023": "rendered", "2024": "rendered", "xu-huong": "rendered"}
    for path in ("2023/bao-cao-2023.html", "2024/bao-cao-2024.html", "xu-huong/xu-huong.html",
                 "index.html"):
        assert (out / path).is_file(), path

    before = mtimes(out)
    with monkeypatch.context() as m:  # nothing changed: no worker, no kernel is started at all
        m.setattr(batch, "_run", lambda *a, **k: pytest.fail("a render was started"))
        second = run_batch("2023-2024", two_years, out, jobs=2, formats=("html",),
                           progress=False)
    assert states(second) == {"2023": "skipped", "2024": "skipped", "xu-huong": "skipped"}
    assert {k: v for k, v in mtimes(out).items() if k != "index.html"} == \
        {k: v for k, v in before.items() if k != "index.html"}

    set_cell(two_years / "2023" / "indicators.csv", 7, "actual", "97.5")
    third = run_batch("2023-2024", two_years, out, jobs=2, formats=("html",), progress=False)
    assert states(third) == {"2023": "rendered", "2024": "skipped", "xu-huong": "rendered"}

    forced = run_batch("2024", two_years, out, jobs=1, formats=("html",), force=True,
                       progress=False)
    assert states(forced) == {"2024": "rendered", "xu-huong": "rendered"}


def test_a_failing_year_does_not_stop_the_others(two_years, tmp_path, monkeypatch):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURES / "hong.ipynb", notebooks / "bao_cao_nam.ipynb")  # fails for every year
    shutil.copy(ROOT / "notebooks" / "xu_huong.ipynb", notebooks / "xu_huong.ipynb")
    set_cell(two_years / "2024" / "awards.csv", 9, "count", "-5")  # 2024: invalid data
    monkeypatch.setenv("TONGKET_NOTEBOOKS", str(notebooks))
    out = tmp_path / "out"
    result = run_batch("2022-2024", two_years, out, jobs=2, formats=("html",), progress=False)
    by_name = {o.name: o for o in result.outcomes}
    assert by_name["2022"].state == "failed" and "không có thư mục" in by_name["2022"].message
    assert by_name["2023"].state == "failed"
    assert by_name["2023"].failed_notebook.endswith("2023/bao-cao-2023.failed.ipynb")
    assert Path(by_name["2023"].failed_notebook).is_file()
    assert by_name["2024"].state == "failed" and "awards.csv" in by_name["2024"].message
    summary = result.summary()
    assert "Năm 2023: LỖI" in summary and "bao-cao-2023.failed.ipynb" in summary


def test_cli_batch_exits_1_on_data_errors_as_report_does(data_copy, tmp_path):
    """A year that renders but whose data has an error-level finding: ``report`` exits 1,
    and so does ``batch`` (it exited 0)."""
    set_cell(data_copy / "2024" / "sections.csv", 3, "stated_rollup", "Đạt 09 chỉ tiêu")
    result = run_cli("batch", "--years", "2024", "--data", str(data_copy),
                     "--out", str(tmp_path), "--format", "html", "-j", "1")
    assert "Năm 2024: đã dựng" in result.stdout and "số liệu có 1 lỗi" in result.stdout
    assert result.returncode == 1, result.stdout
    again = run_cli("batch", "--years", "2024", "--data", str(data_copy),
                    "--out", str(tmp_path), "--format", "html", "-j", "1")
    assert "bỏ qua" in again.stdout and again.returncode == 1, again.stdout


def test_cli_batch_exit_code_and_summary(two_years, tmp_path):
    run_batch("2024", two_years, tmp_path, jobs=1, formats=("html",), progress=False)
    good = (tmp_path / "2024" / "bao-cao-2024.html").read_bytes()
    set_cell(two_years / "2024" / "awards.csv", 9, "count", "-5")
    set_cell(two_years / "2024" / "awards.csv", 10, "count", "<b>x</b>")
    result = run_cli("batch", "--years", "2023-2024", "--data", str(two_years),
                     "--out", str(tmp_path), "--format", "html", "-j", "2")
    assert result.returncode == 1, result.stderr
    assert "Năm 2023: đã dựng" in result.stdout and "Năm 2024: LỖI" in result.stdout
    assert "index.html" in result.stdout and "Traceback" not in result.stderr
    assert "__main__" not in result.stderr  # python -m tongket_lib.cli is not a bare script
    # every problem of the failed year on its own line, not run together
    failed = result.stdout[result.stdout.index("Năm 2024: LỖI"):]
    assert "\n    " in failed and "-5" in failed and "<b>x</b>" in failed
    # the trends report is still built, from the years whose data loads, and says so
    assert "chỉ gồm các năm 2023; bỏ năm 2024 vì dữ liệu lỗi" in result.stdout
    assert (tmp_path / "xu-huong" / "xu-huong.html").is_file()
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    row = page[page.index("<td>2024</td>"):]
    row = row[:row.index("</tr>")]
    assert "Lần dựng gần nhất bị lỗi" in row and "awards.csv" in row
    # the earlier good report is kept, still linked, and marked as not current
    assert (tmp_path / "2024" / "bao-cao-2024.html").read_bytes() == good
    assert 'href="2024/bao-cao-2024.html"' in row and "bản tốt trước đó" in row
    assert "<b>x</b>" not in page  # the bad value is shown escaped, if at all
    assert "bỏ năm 2024" in page


def test_index_page_lists_years_escaped_and_offline(two_years, tmp_path):
    meta = two_years / "2024" / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        "organisation: Sở Tài nguyên và Môi trường tỉnh Trà Vinh",
        "organisation: \"<script>alert(1)</script> Sở A\""), encoding="utf-8")
    run_batch("2023-2024", two_years, tmp_path, jobs=2, formats=("html",), progress=False)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Sở A" in page and "<script" not in page
    assert 'href="2023/bao-cao-2023.html"' in page and 'href="2024/bao-cao-2024.html"' in page
    assert 'href="xu-huong/xu-huong.html"' in page
    assert "Không đạt chỉ tiêu: 8" in page
    assert "http://" not in page and "https://" not in page


def test_two_batches_at_once_on_one_output_folder(two_years, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "tongket_lib.cli", "batch", "--years", "2023-2024",
               "--data", str(two_years), "--out", str(out), "--format", "html", "-j", "2"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=ROOT) for _ in range(2)]
    outputs = [p.communicate(timeout=900) for p in runs]
    # both finish; 2023's data has an error-level finding, so each exits 1, as report does
    assert [p.returncode for p in runs] == [1, 1], outputs
    assert all("Năm 2023" in o and "số liệu có 1 lỗi" in o and "LỖI" not in o
               for o, _ in outputs), outputs
    for year in (2023, 2024):
        html = (out / str(year) / f"bao-cao-{year}.html").read_text(encoding="utf-8")
        assert html.rstrip().endswith("</html>") and f"năm {year}" in html  # the date line
    leftovers = [p for p in out.rglob("*") if ".dang-dung-" in str(p) or p.name.endswith(".tmp")]
    assert not leftovers
    # whichever came second found the reports current and skipped them
    assert sum(o[0].count("không đổi, bỏ qua") for o in outputs) >= 1


def test_batch_over_units_each_in_its_folder_and_one_page_for_them_all(tmp_path):
    """batch --units: every unit's reports in reports/<unit>/ with its page, and
    reports/don-vi.html listing the units, the failed one named first, opened in Chromium;
    reports/index.html, the organisation's own page, is left alone."""
    from demo import make_demo

    from .browser import chromium_path, open_in_chromium
    from .conftest import need

    root = tmp_path / "don-vi"
    ids = [p.name for p in make_demo(root, years=[2023, 2024], seed=3, units=3)]
    register = (root / "units.csv").read_text(encoding="utf-8")
    name = register.splitlines()[1].split(",")[1]
    (root / "units.csv").write_text(register.replace(name, "<script>alert(1)</script> Đơn vị A"),
                                    encoding="utf-8")
    for unit in ids:
        shutil.rmtree(root / unit / "2023", ignore_errors=True)
        if not (root / unit / "2024").is_dir():
            shutil.copytree(root / ids[0] / "2024", root / unit / "2024")
    broken = ids[2]
    set_cell(root / broken / "2024" / "awards.csv", 2, "count", "-4")
    out = tmp_path / "bao-cao"
    result = run_cli("batch", "--units", "all", "--years", "2024", "--data", str(root), "--out",
                     str(out), "--format", "html", "-j", "2")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert [line for line in result.stdout.splitlines() if line.startswith("== Đơn vị")] == \
        [f"== Đơn vị {u} ==" for u in ids]
    assert "Cả 3 đơn vị: 4 dựng mới, 0 bỏ qua, 2 lỗi (ở 1 đơn vị)" in result.stdout
    assert f"Trang các đơn vị: {out / 'don-vi.html'}" in result.stdout
    assert not (out / "index.html").exists()
    for unit in ids:
        assert (out / unit / "index.html").is_file()
    assert (out / ids[0] / "2024" / "bao-cao-2024.html").is_file()
    page = (out / "don-vi.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Đơn vị A" in page
    failed_line = page[page.index('<p class="fail">'):]
    assert f'<a href="{broken}/index.html">{broken}</a>' in failed_line[:failed_line.index("</p>")]

    again = run_cli("batch", "--units", ids[0], "--years", "2024", "--data", str(root), "--out",
                    str(out), "--format", "html")
    assert again.returncode == 0, again.stderr
    assert "Cả 1 đơn vị: 0 dựng mới, 2 bỏ qua, 0 lỗi" in again.stdout
    page = (out / "don-vi.html").read_text(encoding="utf-8")
    assert page.count("không có trong lần chạy này") == 2 and '<p class="fail">' not in page

    need(chromium_path() is not None, "Debian chromium")
    shown = open_in_chromium(out / "don-vi.html")
    assert not shown.page_errors and not shown.dialogs and not shown.outside_requests
    assert "3 đơn vị" in shown.text and "Dữ liệu minh họa" in shown.text
    for unit in ids:
        assert unit in shown.text
