"""The report document (văn bản): its .docx form, the same text in the HTML (and a PDF
printed from it), the seed's wording, live sentences, literal hostile text."""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docx import Document as open_docx
from docx.shared import Mm

from tongket_lib import evaluate_year, load_year
from tongket_lib.document import MIME, Document, build_document, to_html, write_docx
from tongket_lib.document.docxstyle import TemplateWarning
from tongket_lib.document.model import BLANK
from tongket_lib.errors import DataError

from .conftest import DATA, SEED, need
from .test_data import set_cell

HOSTILE = ["<w:p>", "{{ x }}", "=cmd|' /C calc'!A0", "<script>alert(1)</script>"]
SEED_HEADINGS = [
    "1. Về thực hiện các nhiệm vụ chính trị:",
    "1.1. Công tác tuyên truyền, giáo dục chính trị và công tác tư tưởng: Đạt 03 chỉ tiêu,"
    " không đạt 01 chỉ tiêu",
    "1.2. Về thực hiện nhiệm vụ chuyên môn:", "a. Về xây dựng văn bản quy phạm, pháp luật:",
    "b. Về tỷ lệ thu gom, xử lý rác thải, chất thải:",
    "c. Về xây dựng nông thôn mới (tiêu chí 7.4 - tiêu chí môi trường):",
    "d. Thực hiện cải cách hành chính:", "đ. Về chăm lo đời sống vật chất, tinh thần:",
    "e. Thực hiện các nhiệm vụ sự nghiệp năm 2024:",
    "f. Thực hiện phong trào thi đua: vượt chỉ tiêu đề ra",
    "2. Giao ước chung trong năm 2024. Đạt chỉ tiêu đề ra",
    "3. Trách nhiệm các bên trong quá trình tổ chức thực hiện:",
    "3.1. Trách nhiệm của Thủ trưởng cơ quan: Có thực hiện. Đạt chỉ tiêu đề ra",
    "3.2. Trách nhiệm của Ban chấp hành Công đoàn: Đạt chỉ tiêu đề ra",
    "5. Công tác thi đua khen thưởng năm 2024:", "5.1. Chính quyền",
    "a) Danh hiệu tập thể:", "b) Danh hiệu cá nhân:", "5.2. Công đoàn"]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def doc_for(data: Path | None = None) -> Document:
    year_data = load_year(2024, data)
    return build_document(year_data, evaluate_year(year_data))


@pytest.fixture(scope="module")
def doc_2024() -> Document:
    return doc_for()


@pytest.fixture(scope="module")
def docx_2024(doc_2024, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "bao-cao-2024.docx"
    write_docx(doc_2024, path, properties={"checksum": "abc123", "version": "9.9"})
    return path


def docx_lines(path: Path) -> list[str]:
    """Every paragraph's text, in order, tables (header, closing) included."""
    word = open_docx(str(path))
    body = word.element.body
    out = []
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for p in body.iter(f"{w}p"):
        text = "".join("\n" if el.tag == f"{w}br" else el.text or ""
                       for el in p.iter(f"{w}t", f"{w}br"))
        out += [norm(line) for line in text.split("\n") if line.strip()]
    return out


def html_lines(html: str) -> list[str]:
    """Every paragraph's text, in order; a cell of a data table (no paragraph inside) is one;
    a line break in a paragraph (a title on two lines) starts a new line."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article.vb")
    for br in article.find_all("br"):
        br.replace_with("\n")
    out = []
    for el in article.find_all(["p", "h2", "h3", "h4", "h5", "h6", "td", "th"]):
        if el.name in ("td", "th") and el.find("p"):
            continue
        out += [norm(line) for line in el.get_text().split("\n") if line.strip()]
    return out


def test_docx_page_margins_fonts(docx_2024):
    word = open_docx(str(docx_2024))
    s = word.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(1) and abs(s.page_height - Mm(297)) < Mm(1)
    def between(value, low, high):  # Word stores twips: allow 0.1 mm of rounding
        return Mm(low - 0.1) <= value <= Mm(high + 0.1)
    assert between(s.top_margin, 20, 25) and between(s.bottom_margin, 20, 25)
    assert between(s.left_margin, 30, 35) and between(s.right_margin, 15, 20)
    normal = word.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    assert word.styles["Body Text"].paragraph_format.first_line_indent > 0
    # page numbers: a PAGE field in the header, none on the first page
    assert s.different_first_page_header_footer
    assert "PAGE" in s.header._element.xml and "PAGE" not in s.first_page_header._element.xml
    assert word.core_properties.identifier == "abc123" and word.core_properties.version == "9.9"
    assert "abc123" not in " ".join(docx_lines(docx_2024))  # provenance not in the text


def test_docx_header_block_and_blanks(docx_2024):
    word = open_docx(str(docx_2024))
    left, right = word.tables[0].rows[0].cells
    left_lines = [p.text for p in left.paragraphs if p.text]
    assert left_lines == ["CĐ VIÊN CHỨC TỈNH TRÀ VINH", "CĐCS SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
                          f"Số: {BLANK}/BC-CĐCS"]
    assert left.paragraphs[1].runs[0].bold
    right_lines = [p for p in right.paragraphs if p.text]
    assert right_lines[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right_lines[1].text == "Độc lập - Tự do - Hạnh phúc"
    assert right_lines[2].text == "Trà Vinh, ngày …… tháng …… năm 2024"
    assert right_lines[2].runs[0].italic
    assert "w:pBdr" in right._tc.xml  # the short rule under the motto
    lines = docx_lines(docx_2024)
    assert lines.index("BÁO CÁO") < lines.index(
        "Tổng kết phong trào thi đua, khen thưởng trong CNCVLĐ năm 2024")
    sign = [p.text for p in word.tables[-1].rows[0].cells[1].paragraphs if p.text]
    assert sign == ["TM. BAN CHẤP HÀNH", BLANK, BLANK]  # title and name unknown: blanks
    recipients = [p.text for p in word.tables[-1].rows[0].cells[0].paragraphs if p.text]
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu: VT."


def test_docx_numbered_headings_in_the_seeds_order(docx_2024):
    word = open_docx(str(docx_2024))
    headings = [norm(p.text) for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [h for h in SEED_HEADINGS if not h.startswith(("a)", "b)"))] or \
        headings == SEED_HEADINGS
    assert not any(re.match(r"[IVX]+\.", h) for h in headings)  # no Roman numerals
    assert not any(h.startswith("4.") for h in headings)  # the gap is kept
    items = [p for p in word.paragraphs if p.text.startswith(("- ", "+ ", "* "))]
    assert items and all(p.style.name == "List Paragraph" for p in items)


def test_blanks_and_meta_filled(data_copy, tmp_path):
    meta = data_copy / "2024" / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8")
                    .replace('  title: ""', "  title: Chủ tịch")
                    .replace('  name: ""', "  name: Nguyễn Văn A")
                    .replace('date: ""', "date: 04/12/2024")
                    .replace("number: /BC-CĐCS", "number: 15/BC-CĐCS"), encoding="utf-8")
    doc = doc_for(data_copy)
    assert doc.header.place_date == "Trà Vinh, ngày 04 tháng 12 năm 2024"
    assert doc.header.number == "Số: 15/BC-CĐCS"
    assert (doc.signature.title, doc.signature.name) == ("CHỦ TỊCH", "Nguyễn Văn A")
    assert BLANK not in " ".join(doc.lines())


def test_same_text_in_docx_and_html(doc_2024, docx_2024):
    assert docx_lines(docx_2024) == html_lines(to_html(doc_2024)) == [
        norm(line) for line in doc_2024.lines()]


@pytest.mark.slow
def test_same_text_in_a_printed_pdf(doc_2024, tmp_path):
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    from tongket_lib.render.export import html_to_pdf

    css = (Path(__file__).resolve().parents[1] / "tongket_lib" / "render" / "templates"
           / "tongket" / "tongket.css").read_text(encoding="utf-8")
    pdf = tmp_path / "vb.pdf"
    html_to_pdf(f"<html><head><style>{css}</style></head><body>{to_html(doc_2024)}</body></html>",
                pdf)
    text = norm(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout)
    ours = norm(" ".join(doc_2024.lines())).split()
    printed = [w for w in text.split() if not w.isdigit() or w in ours]  # page numbers
    ratio = difflib.SequenceMatcher(None, ours, printed, autojunk=False).ratio()
    assert ratio > 0.99, ratio


def test_2024_reads_as_the_seed(doc_2024):
    path = SEED if SEED.is_file() else Path(os.environ.get("TONGKET_SEED", "/nonexistent"))
    need(path.is_file(), f"báo cáo gốc {SEED}")
    seed = [norm(line.replace("[bookmark: _GoBack]", "")) for line in
            path.read_text(encoding="utf-8").splitlines()]
    seed = [line for line in seed if line]
    ours = [norm(line) for line in doc_2024.lines()]
    # a seed line may be one of our lines, or one heading and its first paragraph
    joined = ours + [f"{a} {b}" for a, b in zip(ours, ours[1:], strict=False)]
    found, exact, at = 0, 0, 0
    for line in seed:
        quick = sorted(range(len(joined)), key=lambda i: -difflib.SequenceMatcher(
            None, line, joined[i], autojunk=False).quick_ratio())[:5]  # then the exact ratio
        ratios = {i: difflib.SequenceMatcher(None, line, joined[i], autojunk=False).ratio()
                  for i in quick}
        best = max(ratios, key=ratios.__getitem__)
        if ratios[best] >= 0.95:
            found += 1
            exact += ratios[best] == 1.0
            position = best if best < len(ours) else best - len(ours)
            assert position >= at - 1, f"“{line[:60]}” không đúng thứ tự"
            at = max(at, position)
    print(f"\nVăn bản 2024 chứa {found}/{len(seed)} dòng của báo cáo gốc ({found / len(seed):.0%},"
          f" giống ≥ 95%), trong đó {exact} dòng giống hệt (đã sửa lỗi chính tả của bản gốc).")
    assert found / len(seed) >= 0.95 and exact / len(seed) >= 0.75


def test_changed_actual_changes_the_sentence(data_copy):
    before = " ".join(doc_for(data_copy).lines())
    assert "(không đạt chỉ tiêu, có 3 lao động bị kỷ luật" in before
    assert "(Không đạt chỉ tiêu về hồ sơ giải quyết đúng hạn, trễ hẹn 1,39%)" in before
    # new figures, and the verdict left to them (the report's own word would be printed)
    for row, actual in ((3, "0"), (18, "99.5")):  # khong_vi_pham_ky_luat, tthc_dung_han
        set_cell(data_copy / "2024" / "indicators.csv", row, "actual", actual)
        set_cell(data_copy / "2024" / "indicators.csv", row, "reported_status", "")
    after = " ".join(doc_for(data_copy).lines())
    assert "(đạt chỉ tiêu, có 0 lao động bị kỷ luật" in after
    assert "(Đạt chỉ tiêu về hồ sơ giải quyết đúng hạn, trễ hẹn 0,5%)" in after
    assert "Đạt 04 chỉ tiêu" in after  # the section's roll-up follows


def test_row_without_pattern_gets_a_plain_sentence(data_copy):
    set_cell(data_copy / "2024" / "indicators.csv", 18, "sentence", "")
    text = " ".join(doc_for(data_copy).lines())
    # name, the target as the report words it, the result, and the verdict with its reason
    assert ("Tỷ lệ hồ sơ thủ tục hành chính trả đúng hoặc trước hạn: trên 99% trở lên, thực"
            " hiện 98,61% (không đạt chỉ tiêu: báo cáo ghi trễ hẹn 1,39%" in text)


def test_hostile_text_stays_literal(data_copy, tmp_path):
    set_cell(data_copy / "2024" / "indicators.csv", 2, "sentence",
             f"{HOSTILE[0]} {HOSTILE[1].replace('{', '{{').replace('}', '}}')} {{verdict}}")
    set_cell(data_copy / "2024" / "indicators.csv", 3, "note", HOSTILE[2])
    set_cell(data_copy / "2024" / "indicators.csv", 3, "sentence", "{note} {verdict}")
    meta = data_copy / "2024" / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        '  name: ""', f'  name: "{HOSTILE[3]}"'), encoding="utf-8")
    doc = doc_for(data_copy)
    path = write_docx(doc, tmp_path / "x.docx")
    lines = docx_lines(path)
    assert f"- {HOSTILE[0]} {HOSTILE[1]} (đạt chỉ tiêu)" in lines
    assert f"- {HOSTILE[2]} (không đạt chỉ tiêu)" in lines and HOSTILE[3] in lines
    html = to_html(doc)
    assert "<script>" not in html and "<w:p>" not in html
    assert html_lines(html) == lines
    assert Document.from_json(doc.to_json()) == doc


def test_unknown_placeholder_is_a_data_error(data_copy):
    set_cell(data_copy / "2024" / "indicators.csv", 5, "sentence", "Hoàn thành {thuc_hien}")
    set_cell(data_copy / "2024" / "indicators.csv", 6, "sentence", "Tỷ lệ {actual")
    with pytest.raises(DataError) as info:
        load_year(2024, data_copy)
    problems = [(p.file, p.row, p.column) for p in info.value.problems]
    assert ("data/2024/indicators.csv", 5, "sentence") in problems or any(
        f.endswith("indicators.csv") and r == 5 and c == "sentence" for f, r, c in problems)
    assert any(f.endswith("indicators.csv") and r == 6 and c == "sentence"
               for f, r, c in problems)
    assert "{thuc_hien}" in str(info.value)


def test_json_round_trip_and_notebook_bundle(doc_2024):
    again = Document.from_json(doc_2024.to_json())
    assert again == doc_2024
    bundle = doc_2024._repr_mimebundle_()
    assert bundle[MIME] == doc_2024.to_json() and 'class="vb"' in bundle["text/html"]


def test_demo_data_carries_the_banner():
    doc = doc_for(DATA / "demo")
    assert doc.banner and doc.banner in to_html(doc)


@pytest.mark.slow
def test_notebook_output_carries_the_document_and_prints_without_the_checks(doc_2024, tmp_path):
    """The render reads the document back from the executed notebook; the printed HTML
    drops the cells tagged tk-screen-only and has no table of contents."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from tongket_lib.render.export import html_to_pdf, notebook_to_html

    bundle = doc_2024._repr_mimebundle_()
    nb = new_notebook(cells=[
        new_code_cell("document", outputs=[new_output("display_data", data=bundle)]),
        new_markdown_cell("## Phụ lục ví dụ"),
        new_markdown_cell("## Kiểm tra số liệu", metadata={"tags": ["tk-screen-only"]}),
    ])
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)  # as saved by papermill
    assert Document.from_notebook(nb) == doc_2024
    screen = notebook_to_html(nb, "t")
    printed = notebook_to_html(nb, "t", printed=True,
                               properties={"keywords": "checksum abc123; tongket 9.9"})
    assert "Kiểm tra số liệu" in screen and "Kiểm tra số liệu" not in printed
    assert '<nav class="tk-toc"' not in screen and "Phụ lục ví dụ" in printed
    assert html_lines(printed) == docx_lines_of(doc_2024, tmp_path)
    need(shutil.which("pdfinfo") is not None, "pdfinfo (poppler-utils)")
    html_to_pdf(printed, tmp_path / "x.pdf")
    info = subprocess.run(["pdfinfo", str(tmp_path / "x.pdf")], capture_output=True,
                          text=True).stdout
    assert "checksum abc123; tongket 9.9" in info


def docx_lines_of(doc: Document, tmp_path: Path) -> list[str]:
    return docx_lines(write_docx(doc, tmp_path / "lines.docx"))


def test_report_notebook_shows_the_document_first_and_tags_the_checks():
    """The key figures (screen only), the văn bản, PHỤ LỤC; the checks and the build
    details last, tagged for the preparer's page; one library call a code cell."""
    import nbformat

    from .conftest import ROOT

    nb = nbformat.read(ROOT / "notebooks" / "bao_cao_nam.ipynb", as_version=4)
    shown = [c for c in nb.cells if "remove-cell" not in c.metadata.get("tags", [])
             and "parameters" not in c.metadata.get("tags", [])]
    assert shown[0].source.startswith("blocks.key_figures(")
    assert shown[0].metadata["tags"] == ["tk-screen-only"]  # never printed
    assert shown[1].source.startswith("document")  # the văn bản
    assert shown[2].source.startswith("appendix_title(")  # then PHỤ LỤC
    checks = [c for c in shown if "tk-checks" in c.metadata.get("tags", [])]
    assert checks == shown[-len(checks):] and len(checks) == 5  # the preparer's, last
    assert "Kiểm tra số liệu" in checks[0].source and "findings" in checks[1].source
    assert "audit=True" in checks[3].source and "footer" in checks[4].source
    annex = "\n".join(c.source for c in shown[2:-len(checks)])
    for remark in ("báo cáo gốc", "mà báo cáo không giải thích", "theo báo cáo"):
        assert remark not in annex  # the preparer's business: on the checks page
    sources = "\n".join(c.source for c in nb.cells)
    for gone in ("blocks.glance", "blocks.header", "blocks.closing", "Mục lục"):
        assert gone not in sources
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    calls = [c.source.split("#")[0].strip() for c in shown if c.cell_type == "code"]
    assert all("\n" not in call.replace(",\n", ",") for call in calls), calls


def test_a_users_word_template_keeps_its_letterhead_and_styles(doc_2024, tmp_path):
    template = open_docx()
    template.add_paragraph("GIẤY TIÊU ĐỀ CỦA ĐƠN VỊ")
    template.styles["Heading 1"].font.all_caps = True  # the office's own heading look
    template.styles["Normal"].font.name = "Arial"
    template.save(str(tmp_path / "mau-bao-cao.docx"))
    with pytest.warns(TemplateWarning, match="216 × 279 mm, không phải A4"):  # python-docx's Letter
        path = write_docx(doc_2024, tmp_path / "out.docx", template=tmp_path / "mau-bao-cao.docx")
    word = open_docx(str(path))
    assert word.paragraphs[0].text == "GIẤY TIÊU ĐỀ CỦA ĐƠN VỊ"
    assert word.styles["Heading 1"].font.all_caps and word.styles["Normal"].font.name == "Arial"
    assert docx_lines(path)[1:] == docx_lines_of(doc_2024, tmp_path)


def test_a_block_missing_from_sections_is_a_problem(data_copy):
    from tongket_lib.dataset.patterns import check_blocks

    year_data = load_year(2024, data_copy)
    awards = year_data.awards.copy()
    awards.loc[3, "block"] = "5.9"  # row 3 as a spreadsheet numbers it
    money = year_data.contributions.copy()
    money.loc[4, "section"] = "3.9"  # a fund drive placed in a section that is not there
    problems: list = []
    tables = {"indicators.csv": year_data.indicators, "awards.csv": awards,
              "contributions.csv": money}
    check_blocks(tables, year_data.sections, {name: name for name in tables}, problems)
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        ("awards.csv", 3, "block", "5.9"), ("contributions.csv", 4, "section", "3.9")]
    assert all("sections.csv" in p.message for p in problems)


def test_demo_banner_is_in_every_output(tmp_path):
    doc = doc_for(DATA / "demo")
    lines = [norm(line) for line in doc.lines()]
    assert lines[0] == doc.banner
    assert docx_lines(write_docx(doc, tmp_path / "demo.docx")) == html_lines(to_html(doc)) == lines


def test_without_sections_csv_every_award_is_still_written(data_copy):
    (data_copy / "2024" / "sections.csv").unlink()
    text = " ".join(doc_for(data_copy).lines())
    assert "Công tác thi đua, khen thưởng năm 2024:" in text
    assert "Giám đốc Sở Tài nguyên và Môi trường: Lao động tiên tiến: 448 cá nhân" in text
    assert "1.2.f. Thực hiện phong trào thi đua:" not in text  # labels from the data only
    assert "f. Thực hiện phong trào thi đua:" in text
