"""The printed report: the signable PDF is the document alone, in one serif with every
Vietnamese letter, laid out while the notebook runs; the annex is a PDF of its own,
worded as the union's annex."""

from __future__ import annotations

import copy
import re
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


def fonts(pdf: Path) -> list[str]:
    """The names of the fonts ``pdffonts`` lists (subset prefix removed)."""
    need(shutil.which("pdffonts") is not None, "pdffonts (poppler-utils)")
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    return [line.split()[0].split("+")[-1] for line in out.splitlines()[2:] if line.strip()]


@pytest.fixture(scope="module")
def executed(rendered_2024) -> nbformat.NotebookNode:
    return nbformat.read(rendered_2024.notebook, as_version=4)


@pytest.fixture(scope="module")
def document_alone(executed, tmp_path_factory) -> list[str]:
    """The document's cell printed at once, as the PDF must be."""
    at = next(i for i, c in enumerate(executed.cells) if holds_document(c))
    part = nbformat.v4.new_notebook(cells=[executed.cells[at]])
    path = tmp_path_factory.mktemp("alone") / "alone.pdf"
    export.html_to_pdf(export.notebook_to_html(part, "t", printed=True), path)
    return pages(path)


@pytest.fixture(scope="module")
def annex(executed, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("annex") / "bao-cao-2024-phu-luc.pdf"
    printer = Printer([], pdf=False)
    assert printer.write_annex(executed, "t", {}, path)
    return path


def test_the_signable_pdf_is_the_document_alone(rendered_2024, document_alone):
    got = pages(rendered_2024.pdf)
    assert got == document_alone  # same text on every page, page numbers included
    assert 5 <= len(got) <= 9
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in got[0] and "BÁO CÁO" in got[0]
    assert "TM. BAN CHẤP HÀNH" in got[-1] and "Nơi nhận:" in got[-1]
    text = "".join(got)
    for elsewhere in ("PHỤ LỤC", "Kiểm tra số liệu", "Số liệu chính", "Mục lục", "Tạo bằng"):
        assert elsewhere not in text
    assert got[1].split()[0] == "2"  # page numbers from page 2, as the form asks


def test_one_serif_with_every_vietnamese_letter_no_fallback(rendered_2024, annex):
    """Every glyph of the document's pages (and of the annex) comes from Liberation Serif:
    no DejaVu drawn in the middle of a word for ơ, ư, ạ, ả, ấ …"""
    from tongket_lib.render.fonts import FAMILY, vietnamese_problem

    need(vietnamese_problem() is None, f"{FAMILY} 2 (fonts-liberation2)")
    for pdf in (rendered_2024.pdf, annex):
        names = fonts(pdf)
        assert names and all(n.startswith("Liberation-Serif") for n in names), names
    assert {"Liberation-Serif", "Liberation-Serif-Bold", "Liberation-Serif-Italic"} <= set(
        fonts(rendered_2024.pdf))


def test_printer_uses_the_early_pages_when_the_document_is_unchanged(executed, document_alone,
                                                                     tmp_path):
    printer = print_as_rendered(executed, tmp_path / "a.pdf")
    assert printer.used_early_pages
    assert pages(tmp_path / "a.pdf") == document_alone


def test_the_pdf_written_while_the_notebook_ran_is_kept_when_still_right(executed,
                                                                        document_alone,
                                                                        tmp_path):
    at = next(i for i, c in enumerate(executed.cells) if holds_document(c))
    path = tmp_path / "early.pdf"
    printer = print_as_rendered(executed, path, early=True)
    assert printer.used_early_pages and pages(path) == document_alone
    written = path.stat().st_mtime_ns

    def change(nb):
        html = nb.cells[at].outputs[0].data["text/html"]
        nb.cells[at].outputs[0].data["text/html"] = html.replace("BÁO CÁO", "BÁO CÁO SỬA LẠI", 1)

    again = tmp_path / "again.pdf"
    printer = print_as_rendered(executed, again, change, early=True)
    assert not printer.used_early_pages and "BÁO CÁO SỬA LẠI" in "".join(pages(again))
    assert path.stat().st_mtime_ns == written


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
    assert not Printer([], pdf=False).write_annex(plain, "t", {}, tmp_path / "d.pdf")


def test_the_annex_is_the_unions_annex(annex):
    """Headed PHỤ LỤC with the document's number and date (blanks while unknown), the
    year's tables and charts, and no remark about the report: those are the preparer's."""
    got = pages(annex)
    first = re.sub(r"\s+", " ", got[0])
    assert "PHỤ LỤC" in first
    assert "(Kèm theo Báo cáo số …………/BC-CĐCS ngày …… tháng …… năm 2024)" in first
    text = re.sub(r"\s+", " ", "".join(got))
    for part in ("Kết quả theo từng mục", "Khen thưởng", "Đóng góp và hỗ trợ",
                 "1.1. Công tác tuyên truyền", "486.771.474 đồng"):
        assert part in text
    for remark in ("báo cáo gốc", "Báo cáo gốc", "không giải thích", "theo báo cáo",
                   "Báo cáo ghi", "Kiểm tra số liệu", "Cảnh báo", "Tạo bằng tongket",
                   "Số liệu chính", "CỘNG HÒA XÃ HỘI"):
        assert remark not in text, remark
    assert 8 <= len(got) <= 20


def test_every_badge_of_the_annex_says_its_verdict(executed):
    """A verdict is never told by colour alone: every badge carries its label."""
    from bs4 import BeautifulSoup

    from tongket_lib.vocab import LABELS

    html = export.notebook_to_html(executed, "t", printed=True)
    soup = BeautifulSoup(html[html.find("PHỤ LỤC"):], "html.parser")
    badges = soup.select(".tk-verdict")
    assert len(badges) > 30
    assert all(b.get_text(strip=True) in LABELS.values() for b in badges)


def print_as_rendered(executed, path: Path, change=None, early: bool = False) -> Printer:
    """Feed a Printer the executed cells one by one, as the notebook client does; with
    ``change``, the finished notebook differs from what was seen while it ran; with
    ``early``, the PDF is written while the notebook runs (as a render does)."""
    printer = Printer([copy.deepcopy(c) for c in executed.cells], pdf=True,
                      early_pdf=(path, "t", {}) if early else None)
    for i, cell in enumerate(executed.cells):
        if cell.cell_type == "code":
            printer.on_cell_executed(cell=copy.deepcopy(cell), cell_index=i, execute_reply={})
    final = copy.deepcopy(executed)
    if change:
        change(final)
    printer.write(final, "t", {}, path)
    return printer


def test_printers_share_their_fonts_one_at_a_time_and_print_the_same(executed, document_alone,
                                                                     tmp_path):
    """A process's printers take its font configuration in turn (the fonts Pango loaded
    for one report serve the next), a printer running at the same time gets its own, and
    every one prints the same pages; the printed page carries no stylesheet, yet is
    laid out with the template's (A4, the form's margins and page numbers)."""
    first = print_as_rendered(executed, tmp_path / "1.pdf")
    fonts_used = first._font_config
    first.close()
    second = print_as_rendered(executed, tmp_path / "2.pdf")
    assert second._font_config is fonts_used  # given back, taken again
    alongside = print_as_rendered(executed, tmp_path / "3.pdf")
    assert alongside._font_config is not fonts_used
    second.close()
    alongside.close()
    for name in ("1.pdf", "2.pdf", "3.pdf"):
        assert pages(tmp_path / name) == document_alone, name
    printed = export.notebook_to_html(executed, "t", printed=True)
    assert "<style" not in printed and "<style" in export.notebook_to_html(executed, "t")
    need(shutil.which("pdfinfo") is not None, "pdfinfo (poppler-utils)")
    info = subprocess.run(["pdfinfo", str(tmp_path / "2.pdf")], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info), info
    numbers = [page.split("\n")[0].strip() for page in pages(tmp_path / "2.pdf")]
    assert numbers[1:] == [str(n) for n in range(2, len(numbers) + 1)]  # the @page rules
    assert len(numbers) > 2 and numbers[0] != "1"
