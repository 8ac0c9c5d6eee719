"""The render pipeline: parameters checked first, atomic writes, failures kept aside."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from tongket_lib import load_year
from tongket_lib.errors import DataError, ParameterError, RenderError
from tongket_lib.render.job import render_report
from tongket_lib.render.names import STAMP
from tongket_lib.render.params import check_parameters

from .conftest import ROOT, need, run_cli
from .test_data import set_cell

FIXTURES = Path(__file__).parent / "fixtures"
NOTEBOOK = ROOT / "notebooks" / "bao_cao_nam.ipynb"


def test_parameters_are_typed_from_the_notebook_defaults():
    # the period: a calendar year or a school year, as text
    assert check_parameters(NOTEBOOK, {"year": "2024-2025"}) == {"year": "2024-2025"}
    assert check_parameters(NOTEBOOK, {"data_dir": "/tmp/x"}) == {"data_dir": "/tmp/x"}


@pytest.mark.parametrize("given, words", [
    ({"nam": 2024}, "Tham số lạ “nam”"),
    ({"year": 2024.5}, "cần kiểu str"),
])
def test_bad_parameters(given, words):
    with pytest.raises(ParameterError, match=words):
        check_parameters(NOTEBOOK, given)


@pytest.mark.slow
def test_bad_input_stops_before_any_cell_runs(tmp_path, data_copy):
    set_cell(data_copy / "2024" / "indicators.csv", 7, "actual", "99,4")
    with pytest.raises(DataError):
        render_report(2024, data_copy, tmp_path / "out")
    assert not (tmp_path / "out" / "2024").exists() or not any((tmp_path / "out" / "2024").iterdir())
    with pytest.raises(DataError):
        render_report(2031, data_copy, tmp_path / "out")
    with pytest.raises(ParameterError, match="Định dạng"):
        render_report(2024, data_copy, tmp_path / "out", formats=("odt",))
    with pytest.raises(ParameterError, match="Tham số lạ"):
        render_report(2024, data_copy, tmp_path / "out", parameters={"colour": "đỏ"})


@pytest.mark.slow
def test_render_writes_its_files_and_a_stamp(rendered_2024):
    folder = rendered_2024.folder
    names = sorted(p.name for p in folder.iterdir())
    assert names == [".tongket-render.json", "bao-cao-2024.docx", "bao-cao-2024.html",
                     "bao-cao-2024.ipynb", "bao-cao-2024.pdf", "kiem-tra-2024.html"]
    assert rendered_2024.annex is None  # the annex PDF only when asked (format phu-luc)
    assert rendered_2024.docx == folder / "bao-cao-2024.docx"
    # the lock sits beside the folder, which a render swaps in whole
    assert (folder.parent / ".2024.tongket.lock").is_file()
    nb = nbformat.read(rendered_2024.notebook, as_version=4)
    assert any(c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert "parameters" in str(nb.cells)  # papermill's injected-parameters cell is kept
    stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    assert stamp["year"] == "2024" and stamp["verdicts"]["not_met"] == 8
    assert len(stamp["fingerprint"]) == 64


@pytest.mark.slow
def test_failure_keeps_the_earlier_report(tmp_path, data_copy):
    folder = tmp_path / "out" / "2024"
    folder.mkdir(parents=True)
    earlier = {name: f"báo cáo cũ {name}".encode() for name in
               ("bao-cao-2024.html", "bao-cao-2024.pdf", "bao-cao-2024.ipynb")}
    for name, content in earlier.items():
        (folder / name).write_bytes(content)

    with pytest.raises(RenderError) as info:
        render_report(2024, data_copy, tmp_path / "out", notebook=FIXTURES / "hong.ipynb")
    message = str(info.value)
    assert "ZeroDivisionError" in message and "chia cho 0" in message
    assert "bao-cao-2024.failed.ipynb" in message and "ô thứ" in message

    for name, content in earlier.items():
        assert (folder / name).read_bytes() == content
    failed = nbformat.read(folder / "bao-cao-2024.failed.ipynb", as_version=4)
    assert "An Exception was encountered" in str(failed.cells)  # papermill's marker
    errors = [o for c in failed.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert errors and errors[0].ename == "ZeroDivisionError"
    assert not [p for p in folder.iterdir() if p.name.startswith(".dang-dung-")]


@pytest.mark.slow
def test_cell_timeout(tmp_path, data_copy):
    with pytest.raises(RenderError, match="quá 2 giây"):
        render_report(2024, data_copy, tmp_path / "out", notebook=FIXTURES / "cham.ipynb",
                      cell_timeout=2)


@pytest.mark.slow
def test_cli_failure_exit_code_and_message(tmp_path, data_copy):
    result = run_cli("report", "2024", "--data", str(data_copy), "--out", str(tmp_path),
                     "--notebook", str(FIXTURES / "hong.ipynb"))
    assert result.returncode == 1
    assert "bao-cao-2024.failed.ipynb" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_cli_usage_errors_exit_2(tmp_path, data_copy):
    for args in (["report", "2024", "-p", "year", "abc"],
                 ["report", "2024", "--format", "odt"],
                 ["report", "2031"],
                 ["report", "2024", "-p", "khong_co", "1"]):
        result = run_cli(*args, "--data", str(data_copy), "--out", str(tmp_path))
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr and "Lỗi:" in result.stderr
        if "odt" in args:
            assert "Đang dựng" not in result.stderr  # refused before any work starts


def test_cli_counts_must_be_positive():
    for args in (["report", "2024", "--timeout", "0"], ["batch", "-j", "-1"],
                 ["batch", "-j", "hai"], ["trends", "--timeout", "1.5"]):
        result = run_cli(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert "lỗi: tham số" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_docx_pdf_and_html_say_the_same_and_pdf_has_no_checks(rendered_2024):
    """The .docx is the document the notebook displayed; the PDF prints the document
    alone, never the annex, the checks or the tool's footer; provenance is in
    properties; the checks and the build details are on the preparer's page only."""
    import subprocess

    from docx import Document as open_docx

    from tongket_lib.document.model import Document

    nb = nbformat.read(rendered_2024.notebook, as_version=4)
    document = Document.from_notebook(nb)
    word = open_docx(str(rendered_2024.docx))
    body = [p.text for p in word.paragraphs if p.text]
    assert "5.2. Công đoàn" in body and document is not None
    assert word.core_properties.identifier == load_year(2024).checksum
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    pdf = subprocess.run(["pdftotext", str(rendered_2024.pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    assert "TM. BAN CHẤP HÀNH" in pdf and "PHỤ LỤC" not in pdf
    assert "Kiểm tra số liệu" not in pdf and "Tạo bằng tongket" not in pdf
    html = rendered_2024.html.read_text(encoding="utf-8")
    assert "PHỤ LỤC" in html and "Kiểm tra số liệu" not in html and "Tạo bằng tongket" not in html
    checks = rendered_2024.checks.read_text(encoding="utf-8")
    assert "Kiểm tra số liệu" in checks and "Tạo bằng tongket" in checks
    info = subprocess.run(["pdfinfo", str(rendered_2024.pdf)], capture_output=True,
                          text=True).stdout
    assert load_year(2024).checksum in info


@pytest.mark.slow
def test_a_school_years_report_is_rendered(tmp_path):
    """A school year (2024-2025) is a period id through the render, from the command."""
    from tongket_lib.dataset.starter import start

    start(tmp_path / "du-lieu", "truong-hoc", "2024-2025", "Công đoàn cơ sở Trường THCS Nguyễn Du")
    result = run_cli("report", "2024-2025", "--data", str(tmp_path / "du-lieu"), "--out",
                     str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "Đã dựng báo cáo năm học 2024 - 2025" in result.stdout
    folder = tmp_path / "out" / "2024-2025"
    for name in ("bao-cao-2024-2025.pdf", "bao-cao-2024-2025.docx", "bao-cao-2024-2025.html",
                 "kiem-tra-2024-2025.html"):
        assert (folder / name).is_file(), name
