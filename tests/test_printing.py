"""The printed report laid out in two parts (the document while the notebook runs, the
rest after it) is page for page the PDF of one layout of the whole page."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from tests.conftest import need
from tongket_lib.render import export
from tongket_lib.render.printing import Printer, holds_document

# every test prints the 2024 report rendered once (a notebook run)
pytestmark = pytest.mark.slow


def pages(pdf: Path) -> list[str]:
    """The text of every page, laid out (the page number at the top included)."""
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def executed(rendered_2024) -> nbformat.NotebookNode:
    return nbformat.read(rendered_2024.notebook, as_version=4)


@pytest.fixture(scope="module")
def whole(executed, tmp_path_factory) -> list[str]:
    """The printed page laid out at once, as any report without a document is printed."""
    path = tmp_path_factory.mktemp("whole") / "whole.pdf"
    export.html_to_pdf(export.notebook_to_html(executed, "t", printed=True), path)
    return pages(path)


def print_as_rendered(executed, path: Path, change=None) -> Printer:
    """Feed a Printer the executed cells one by one, as the notebook client does; with
    ``change``, the finished notebook differs from what was seen while it ran."""
    printer = Printer([copy.deepcopy(c) for c in executed.cells], pdf=True)
    for i, cell in enumerate(executed.cells):
        if cell.cell_type == "code":
            printer.on_cell_executed(cell=copy.deepcopy(cell), cell_index=i, execute_reply={})
    final = copy.deepcopy(executed)
    if change:
        change(final)
    printer.write(final, "t", {}, path)
    return printer


def test_the_2024_report_is_printed_in_two_parts(rendered_2024, executed, whole):
    assert any(holds_document(c) for c in executed.cells)
    got = pages(rendered_2024.pdf)
    assert len(got) == len(whole) > 20
    assert got == whole  # same text on every page, page numbers included
    assert got[8].split()[0] == "9"  # the appendix's first page is numbered on from the document


def test_printer_uses_the_early_pages_when_the_document_is_unchanged(executed, whole, tmp_path):
    printer = print_as_rendered(executed, tmp_path / "a.pdf")
    assert printer.used_early_pages
    assert pages(tmp_path / "a.pdf") == whole


def test_a_document_changed_after_it_was_laid_out_is_laid_out_again(executed, tmp_path):
    at = next(i for i, c in enumerate(executed.cells) if holds_document(c))

    def change(nb):
        html = nb.cells[at].outputs[0].data["text/html"]
        nb.cells[at].outputs[0].data["text/html"] = html.replace("BÁO CÁO", "BÁO CÁO SỬA LẠI", 1)

    printer = print_as_rendered(executed, tmp_path / "b.pdf", change)
    assert not printer.used_early_pages
    assert "BÁO CÁO SỬA LẠI" in "".join(pages(tmp_path / "b.pdf"))


def test_a_notebook_without_a_document_is_printed_whole(executed, tmp_path):
    plain = copy.deepcopy(executed)
    plain.cells = [c for c in plain.cells if not holds_document(c)]
    printer = print_as_rendered(plain, tmp_path / "c.pdf")
    assert not printer.used_early_pages
    text = pages(tmp_path / "c.pdf")
    assert text and "PHỤ LỤC" in text[0]
