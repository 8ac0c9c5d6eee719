"""The .docx opens right in Word and in LibreOffice: tables whose grid matches their
cells and the text width, A4, page numbers under a template's own header, the form's
look over Word's default headings, Vietnamese styles, 6 pt between paragraphs, the
closing line on the page of the signature; then the file opened in a real word
processor (LibreOffice, headless) and read back as the PDF it prints."""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from tongket_lib.document import write_docx
from tongket_lib.document.docx import TemplateWarning, text_width
from tongket_lib.document.docxstyle import _names

from .conftest import ROOT, need, run_cli
from .test_document import doc_for

TWIPS_PER_MM = 1440 / 25.4


@pytest.fixture(scope="module")
def doc_2024():
    return doc_for()


@pytest.fixture(scope="module")
def word_2024(doc_2024, tmp_path_factory) -> Path:
    return write_docx(doc_2024, tmp_path_factory.mktemp("w") / "bao-cao-2024.docx")


#: two organisations: the seed's union and the demonstration agency (another name, header,
#: banner, sections and tables)
ORGANISATIONS = {"seed": None, "demo": ROOT / "data" / "demo"}


@pytest.fixture(scope="module", params=list(ORGANISATIONS))
def doc_each(request):
    return doc_for(ORGANISATIONS[request.param])


@pytest.fixture(scope="module")
def word_each(doc_each, tmp_path_factory) -> Path:
    return write_docx(doc_each, tmp_path_factory.mktemp("w") / "bao-cao-2024.docx")


def letterhead_template(path: Path, left_mm: float = 35, right_mm: float = 20) -> Path:
    """A user's template as Word makes one: US Letter, other margins, a letterhead in the
    page header, Word's default (blue, themed) headings, one heading of the office's own."""
    template = open_docx()  # python-docx's default: Letter, themed headings
    section = template.sections[0]
    section.left_margin, section.right_margin = Mm(left_mm), Mm(right_mm)
    section.header.paragraphs[0].text = "CÔNG ĐOÀN CƠ SỞ — GIẤY TIÊU ĐỀ"
    own = template.styles["Heading 3"]
    own.font.name, own.font.italic = "Cambria", True
    rpr = own.element.get_or_add_rPr()
    for el in rpr.findall(qn("w:color")) + rpr.findall(qn("w:rFonts")):
        rpr.remove(el)
    own.font.name = "Cambria"
    template.save(str(path))
    return path


def grid_and_cells(table) -> tuple[list[int], list[list[int]], int]:
    """Grid column widths, each row's cell widths (twips) and the table's own width."""
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    rows = [[int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in tr.findall(qn("w:tc"))]
            for tr in table._tbl.findall(qn("w:tr"))]
    width = int(table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")))
    return grid, rows, width


def test_tables_grid_matches_cells_and_text_width(word_each):
    word = open_docx(str(word_each))
    text = round(text_width(word) / 635)  # EMU → twips
    assert abs(text - 165 * TWIPS_PER_MM) < 2
    for table in word.tables:
        grid, rows, width = grid_and_cells(table)
        assert all(row == grid for row in rows), (grid, rows[:2])  # what LibreOffice reads
        assert abs(sum(grid) - text) <= len(grid) and abs(width - sum(grid)) <= len(grid)
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"


def test_a_template_keeps_its_margins_gets_a4_page_numbers_and_the_forms_headings(doc_each,
                                                                                  tmp_path):
    template = letterhead_template(tmp_path / "mau-bao-cao.docx")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = write_docx(doc_each, tmp_path / "out.docx", template=template)
    said = [str(w.message) for w in caught if issubclass(w.category, TemplateWarning)]
    assert len(said) == 1 and "không phải A4" in said[0] and "mau-bao-cao.docx" in said[0]
    word = open_docx(str(path))
    s = word.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert (round(s.left_margin.mm), round(s.right_margin.mm)) == (35, 20)  # the template's
    text = round(text_width(word) / 635)
    assert abs(text - 155 * TWIPS_PER_MM) < 2
    for table in word.tables:
        grid, rows, _ = grid_and_cells(table)
        assert abs(sum(grid) - text) <= len(grid) and all(row == grid for row in rows)
    # the letterhead stays, the page number comes under it; none on the first page
    assert "GIẤY TIÊU ĐỀ" in s.header._element.xml and "PAGE" in s.header._element.xml
    assert s.different_first_page_header_footer
    assert "GIẤY TIÊU ĐỀ" in s.first_page_header._element.xml
    assert "PAGE" not in s.first_page_header._element.xml
    # Word's default headings get the form's look; a heading of the office's own stays
    for name in ("Heading 1", "Heading 2"):
        style = word.styles[name]
        xml = style.element.xml
        assert "themeColor" not in xml and "asciiTheme" not in xml
        assert style.font.name == "Times New Roman" and style.font.bold
        assert str(style.font.color.rgb) == "000000"
    assert word.styles["Heading 3"].font.name == "Cambria" and word.styles["Heading 3"].font.italic
    assert all_text_styles_vietnamese(word)


def all_text_styles_vietnamese(word) -> bool:
    """Every paragraph and character style says vi-VN, a template's own as well; table and
    numbering styles, which hold no run properties of their own, are left as they were."""
    for style in word.styles:
        lang = style.element.find(f"{qn('w:rPr')}/{qn('w:lang')}")
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            assert lang is not None and lang.get(qn("w:val")) == "vi-VN", style.name
        else:
            assert lang is None, style.name
    return True


def test_the_styles_names_read_from_the_xml_are_those_word_shows(tmp_path):
    template = open_docx(str(letterhead_template(tmp_path / "mau-bao-cao.docx")))
    template.styles.add_style("Trích yếu của cơ quan", WD_STYLE_TYPE.PARAGRAPH)
    names = _names(template)
    assert names == {s.name for s in template.styles}
    assert {"Heading 1", "Normal", "Table Grid", "Trích yếu của cơ quan"} <= names


def test_vietnamese_styles_spacing_and_the_signature_kept_whole(word_each):
    word = open_docx(str(word_each))
    defaults = word.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "vi-VN"
    assert all_text_styles_vietnamese(word)
    for name in ("Normal", "Body Text", "List Paragraph", "Heading 1", "Heading 2"):
        style = word.styles[name]
        assert style.element.rPr.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
        assert style.paragraph_format.space_after >= Pt(6), name
    closing = next(p for p in word.paragraphs if p.text.startswith("Trên đây là"))
    assert closing.paragraph_format.keep_with_next
    end = word.tables[-1]
    assert end._tbl.find(f".//{qn('w:cantSplit')}") is not None
    lines = [p for cell in end.rows[0].cells for p in cell.paragraphs]
    assert all(p.paragraph_format.keep_with_next for p in lines)


@pytest.mark.parametrize("organisation", list(ORGANISATIONS))
def test_a_line_break_in_the_issuers_name_is_kept(organisation, tmp_path):
    doc = doc_for(ORGANISATIONS[organisation])
    doc.header.issuer = "CĐCS SỞ TÀI NGUYÊN\nVÀ MÔI TRƯỜNG"
    word = open_docx(str(write_docx(doc, tmp_path / "x.docx")))
    issuer = word.tables[0].rows[0].cells[0].paragraphs[1]
    assert issuer.runs[0].bold and "<w:br/>" in issuer._p.xml
    assert issuer.text == "CĐCS SỞ TÀI NGUYÊN\nVÀ MÔI TRƯỜNG"


# -- in a real word processor ---------------------------------------------------------------

def office_pdf(docx: Path, out: Path) -> list[str]:
    """``docx`` printed by LibreOffice (headless, a profile of its own), as pages of text."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    need(office is not None, "LibreOffice (libreoffice-writer-nogui)")
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{out / 'profile'}",
                    "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   capture_output=True, check=True, timeout=180)
    pdf = out / f"{docx.stem}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]


def form_header_on_one_line(page: str) -> None:
    """The quốc hiệu and the tiêu ngữ each on one line of ``page`` (LibreOffice's print
    laid out as text), beside the header's left column."""
    first = [line.strip() for line in page.splitlines() if line.strip()]
    assert any(line.endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") for line in first), first[:4]
    assert any(line.endswith("Độc lập - Tự do - Hạnh phúc") for line in first), first[:4]


def signature_on_one_page(pages: list[str], doc) -> None:
    """The closing line, "Nơi nhận:", its last entry, the signature's lines and the signer's
    blank on the same page, the last."""
    last = re.sub(r"\s+", " ", pages[-1])
    for line in ("Trên đây là", "Nơi nhận:", "- Lưu: VT.", *doc.signature.lines()):
        assert line in last, line
    assert last.count("…………") >= 1
    assert not any("TM. BAN CHẤP HÀNH" in p for p in pages[:-1])


@pytest.mark.slow
def test_libreoffice_prints_the_docx_as_the_form(doc_2024, word_2024, rendered_2024, tmp_path):
    pages = office_pdf(word_2024, tmp_path / "office")
    printed = subprocess.run(["pdfinfo", str(rendered_2024.pdf)], capture_output=True,
                             text=True).stdout
    ours = int(re.search(r"Pages:\s+(\d+)", printed)[1])
    assert 5 <= len(pages) <= 10 and abs(len(pages) - ours) <= 1, (len(pages), ours)
    form_header_on_one_line(pages[0])
    assert pages[1].strip().splitlines()[0].strip() == "2"  # page numbers from page 2
    assert not pages[0].strip().splitlines()[0].strip().isdigit()
    signature_on_one_page(pages, doc_2024)


@pytest.mark.slow
def test_libreoffice_prints_a_template_with_a_letterhead_numbered(doc_2024, tmp_path):
    doc = doc_for()
    doc.header.issuer = "CĐCS SỞ TÀI NGUYÊN\nVÀ MÔI TRƯỜNG"
    template = letterhead_template(tmp_path / "mau-bao-cao.docx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TemplateWarning)
        path = write_docx(doc, tmp_path / "bao-cao-2024.docx", template=template)
    pages = office_pdf(path, tmp_path / "office")
    first = [line.strip() for line in pages[0].splitlines() if line.strip()]
    assert "GIẤY TIÊU ĐỀ" in first[0]
    assert any(line.startswith("CĐCS SỞ TÀI NGUYÊN") and "MÔI" not in line for line in first)
    assert any(line.startswith("VÀ MÔI TRƯỜNG") for line in first)
    for number, page in enumerate(pages[1:], start=2):
        top = [line.strip() for line in page.splitlines() if line.strip()][:2]
        assert "GIẤY TIÊU ĐỀ" in top[0] and top[1] == str(number), top
    signature_on_one_page(pages, doc)


def test_the_word_file_written_while_the_notebook_ran_is_kept_only_if_still_right(doc_2024,
                                                                                  tmp_path):
    """The render writes the .docx as soon as the document's cell has run; after the
    notebook it is kept when the finished notebook shows the same document, else written
    again."""
    import datetime as dt

    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from tongket_lib.render.outputs import Early
    from tongket_lib.render.outputs import write_docx as write_from_notebook
    from tongket_lib.render.spec import year_job

    def notebook(doc):
        nb = new_notebook(cells=[new_code_cell("document", outputs=[
            new_output("display_data", data=doc._repr_mimebundle_())])])
        return nbformat.reads(nbformat.writes(nb), as_version=4)

    job = year_job(2024, out=tmp_path / "out")
    early = Early(job, tmp_path, {"checksum": "abc"}, dt.datetime(2024, 12, 4, 8, 0))
    first = notebook(doc_2024)
    early.write_docx(first.cells[0])
    path = tmp_path / "bao-cao-2024.docx"
    written = path.stat().st_mtime_ns
    write_from_notebook(job, first, path, early.word, written=early.docx)
    assert path.stat().st_mtime_ns == written  # the same document: kept
    changed = doc_for()
    changed.title = "Tổng kết đã sửa"
    write_from_notebook(job, notebook(changed), path, early.word, written=early.docx)
    assert "Tổng kết đã sửa" in [p.text for p in open_docx(str(path)).paragraphs]


# -- a Word template that is no Word document --------------------------------------------------

DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_TYPES = {
    "dotx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "docm": b"application/vnd.ms-word.document.macroEnabled.main+xml",
}


def not_word(kind: str, path: Path, good: Path) -> Path:
    """A file named .docx that Word would not open as one: text renamed, an old .doc
    (an OLE file), a zip without a document, or a .docx whose styles were cut in half."""
    import zipfile

    if kind in WORD_TYPES:  # Word's template or macro file, renamed
        base = path.with_name("word.docx")
        open_docx().save(str(base))
        with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w") as package:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    data = data.replace(DOCUMENT_TYPE, WORD_TYPES[kind])
                package.writestr(item, data)
    elif kind == "text":
        path.write_text("Mẫu báo cáo của đơn vị", encoding="utf-8")
    elif kind == "doc":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    elif kind == "zip":
        with zipfile.ZipFile(path, "w") as package:
            package.writestr("noi-dung.txt", "không phải văn bản Word")
    else:
        with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as package:
            for item in source.infolist():
                data = source.read(item.filename)
                package.writestr(item, data[:len(data) // 2] if item.filename ==
                                 "word/styles.xml" else data)
    return path


def year_copy(organisation: str, tmp_path: Path) -> Path:
    """A writable copy of an organisation's data folder (its 2024 and its rules)."""
    source = ORGANISATIONS[organisation] or ROOT / "data"
    target = tmp_path / "data"
    shutil.copytree(source / "2024", target / "2024")
    shutil.copy(source / "rules.yaml", target / "rules.yaml")
    return target


@pytest.mark.parametrize("organisation", list(ORGANISATIONS))
@pytest.mark.parametrize("kind", ["text", "doc", "zip", "dotx", "docm"])
def test_a_template_that_is_no_word_document_is_refused_before_anything_starts(
        organisation, kind, tmp_path):
    from tongket_lib.errors import ParameterError
    from tongket_lib.render.spec import year_job

    data = year_copy(organisation, tmp_path)
    given = not_word(kind, tmp_path / "mau-cua-toi.docx", Path())
    with pytest.raises(ParameterError) as said:
        year_job(2024, data, tmp_path / "out", template=given)
    assert "mau-cua-toi.docx" in str(said.value) and "lưu" in str(said.value)
    assert "lại dạng Word (.docx)" in str(said.value)
    if kind in WORD_TYPES:  # said for what it is, not as a broken file
        assert f"(.{kind})" in str(said.value) and "hỏng" not in str(said.value)
    # the year folder's own template: refused when a .docx is written, ignored otherwise
    not_word(kind, data / "2024" / "mau-bao-cao.docx", Path())
    with pytest.raises(ParameterError, match="2024/mau-bao-cao.docx"):
        year_job(2024, data, tmp_path / "out")
    assert year_job(2024, data, tmp_path / "out", formats=("html", "pdf")).template \
        == data / "2024" / "mau-bao-cao.docx"
    assert not (tmp_path / "out").exists()  # nothing was started


def test_a_template_broken_inside_is_said_when_the_word_file_is_written(doc_each, word_each,
                                                                       tmp_path):
    from tongket_lib.errors import TongketError

    broken = not_word("styles", tmp_path / "mau-bao-cao.docx", word_each)
    with pytest.raises(TongketError) as said:
        write_docx(doc_each, tmp_path / "out.docx", template=broken)
    assert "mau-bao-cao.docx" in str(said.value) and "hỏng, không mở được" in str(said.value)
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.slow
def test_a_batch_builds_the_years_whose_template_is_fine_and_names_the_one_that_is_not(
        tmp_path):
    """Two organisations' years in one batch: the demonstration agency's 2023 with an old
    .doc as its template fails on its own, its 2024 (no template) is built; the seed's
    2024 with --template of a text file is refused before a kernel starts."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "demo", data)
    not_word("doc", data / "2023" / "mau-bao-cao.docx", Path())
    result = run_cli("batch", "--years", "2023-2024", "--data", str(data),
                     "--out", str(tmp_path / "out"), "-j", "1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Năm 2023: LỖI: Tệp mẫu Word" in result.stdout
    assert "2023/mau-bao-cao.docx" in result.stdout and "tệp .doc cũ" in result.stdout
    assert "Năm 2024: đã dựng" in result.stdout and "Traceback" not in result.stderr
    assert (tmp_path / "out" / "2024" / "bao-cao-2024.docx").is_file()
    assert not (tmp_path / "out" / "2023").exists()
    text = not_word("text", tmp_path / "mau.docx", Path())
    refused = run_cli("report", "2024", "--template", str(text), "--out", str(tmp_path / "r"))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "mau.docx" in refused.stderr and "không phải tệp Word .docx" in refused.stderr
    assert not (tmp_path / "r" / "2024").exists()
