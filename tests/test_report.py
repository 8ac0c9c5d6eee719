"""What colleagues receive: the 2024 HTML and PDF, checked in a browser and as text."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from tongket_lib import load_year
from tongket_lib._version import __version__
from tongket_lib.render.job import render_report, render_trends
from tongket_lib.views.blocks import BANNER

from .browser import chromium_path, open_in_chromium
from .conftest import DATA, ROOT, need
from .test_data import set_cell

pytestmark = pytest.mark.slow
ARTIFACTS = ROOT / "test-artifacts"
MALICIOUS = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>"]


@pytest.fixture(scope="module")
def html(rendered_2024) -> str:
    return rendered_2024.html.read_text(encoding="utf-8")


def text_of(html: str) -> str:
    from bs4 import BeautifulSoup
    return BeautifulSoup(html, "html.parser").get_text(" ")


@pytest.fixture(scope="module")
def checks(rendered_2024) -> str:
    assert rendered_2024.checks == rendered_2024.folder / "kiem-tra-2024.html"
    return rendered_2024.checks.read_text(encoding="utf-8")


def test_report_content_in_the_readers_order(html):
    """The shared page: a short table of contents and the key figures, the document,
    then the annex; never the preparer's checks or the build details."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    toc = [a.get_text(strip=True) for a in soup.select("nav.tk-toc a")]
    assert toc[:3] == ["Số liệu chính", "Văn bản báo cáo", "Phụ lục"] and len(toc) <= 10
    assert all(soup.select_one(a["href"]) for a in soup.select("nav.tk-toc a"))  # no dead link
    text = re.sub(r"\s+", " ", soup.get_text(" "))
    order = ["Mục lục", "Số liệu chính", "chỉ tiêu đạt hoặc vượt", "486,77 triệu đồng",
             "CĐ VIÊN CHỨC TỈNH TRÀ VINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO",
             "Căn cứ Nghị định số 04/2015/NĐ-CP", "1.1. Công tác tuyên truyền",
             "f. Thực hiện phong trào thi đua: vượt chỉ tiêu đề ra", "3.2. Trách nhiệm",
             "5.2. Công đoàn", "Trên đây là Tổng kết phong trào thi đua", "Nơi nhận:",
             "- Công đoàn Viên chức tỉnh;", "- Lưu: VT.", "TM. BAN CHẤP HÀNH", "PHỤ LỤC",
             "(Kèm theo Báo cáo số …………/BC-CĐCS ngày …… tháng …… năm 2024)",
             "Kết quả theo từng mục", "1.2.a.", "Kết quả thực hiện so với chỉ tiêu",
             "Khen thưởng", "Đóng góp và hỗ trợ"]
    at = text.find(order[0])
    assert at >= 0
    for before, item in zip(order, order[1:], strict=False):  # each part found after the one before it
        found = text.find(item, at + 1)
        assert found > at, f"“{item}” không đứng sau “{before}”"
        at = found
    assert "Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu" in text
    assert "92,76%" in text and "486.771.474 đồng" in text and "16%" in text
    assert "trên 99,7%" in text and "87,5% trở lên" in text and "Phấn đấu" in text
    assert "Quyết định số 481/QĐ-STNMT ngày 29/11/2024" in text
    assert "đã nỗ lực thi đua, kết quả như sau:" in text
    # money raised and money paid out each have their own total, never one sum of both
    assert "Cộng vận động quỹ 486.771.474 đồng" in text
    assert "Cộng hỗ trợ, thăm hỏi 123.440.000 đồng" in text and "Tổng cộng" not in text
    # the preparer's business is on the checks page, and the shared page does not link it
    for theirs in ("Kiểm tra số liệu", "Dành cho người chuẩn bị", "Cảnh báo (", "báo cáo gốc",
                   "(theo báo cáo)", "Báo cáo ghi", "Tạo bằng tongket", load_year(2024).checksum):
        assert theirs not in text, theirs
    assert "kiem-tra-2024" not in html


def test_the_checks_page_is_the_preparers(checks, rendered_2024):
    from bs4 import BeautifulSoup

    from tongket_lib.render.index import write_index

    text = re.sub(r"\s+", " ", BeautifulSoup(checks, "html.parser").get_text(" "))
    assert "Kiểm tra số liệu" in text and "Dành cho người chuẩn bị báo cáo" in text
    # six about the figures, one about the signer's name the seed leaves blank
    assert "Lỗi (0)" in text and "Cảnh báo (7)" in text and "Thông tin (19)" in text
    assert "(theo báo cáo)" in text and "(theo đánh giá chung của mục)" in text
    assert "Báo cáo gốc ghi" in text or "Khớp với câu tổng hợp của báo cáo gốc" in text
    assert load_year(2024).checksum in text and f"tongket {__version__}" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text  # not the document again
    assert 'href="bao-cao-2024.html"' in checks
    index = write_index(rendered_2024.folder.parent).read_text(encoding="utf-8")
    assert 'href="2024/kiem-tra-2024.html"' in index and "Kiểm tra số liệu" in index
    assert 'href="2024/bao-cao-2024.pdf"' in index


def no_code_no_prompts(page: str) -> None:
    """No line of the notebook's code, no prompt, in what a reader sees of ``page``."""
    text = text_of(page)
    for code in ("import tongket_lib", "year_data", "blocks.header", "In [", "data_dir ="):
        assert code not in text, code


def one_offline_file(page: str, shared: str) -> None:
    """``page`` needs nothing outside itself: no script, and no link or source but data:
    URIs, its own anchors and the shared page ``shared`` (which the checks page links)."""
    assert "<script" not in page.lower()
    urls = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', page) + re.findall(
        r"url\(([^)]*)\)", page)
    outside = [u for u in urls if not u.startswith(("data:", "#", shared))]
    assert not outside, outside[:5]


def test_no_code_no_prompts(html, checks):
    for page in (html, checks):
        no_code_no_prompts(page)


def test_one_offline_file(html, checks):
    for page in (html, checks):
        one_offline_file(page, "bao-cao-2024.html")
    assert html.count('<figure class="tk-chart">') >= 4


def test_opens_in_chromium_without_errors_or_requests(rendered_2024):
    need(chromium_path() is not None, "Debian chromium")
    page = open_in_chromium(rendered_2024.html, ARTIFACTS / "bao-cao-2024.png")
    assert page.console_errors == [] and page.page_errors == []
    assert page.outside_requests == []
    assert page.images >= 4 and page.broken_images == 0
    assert "PHỤ LỤC" in page.headings and "Kiểm tra số liệu" not in page.headings
    assert (ARTIFACTS / "bao-cao-2024.png").stat().st_size > 10_000
    checks = open_in_chromium(rendered_2024.checks)
    assert checks.console_errors == [] and checks.outside_requests == []
    assert "Kiểm tra số liệu" in checks.headings


HEAD = (".vb-country", ".vb-motto", ".vb-title", ".vb-kind")


@pytest.mark.parametrize("width", [390, 1280])
def test_readable_on_a_phone_and_a_desktop(rendered_2024, width):
    readable_at(rendered_2024.html, width, ARTIFACTS / f"bao-cao-2024-{width}.png")


def readable_at(path: Path, width: int, screenshot: Path | None = None):
    """The shared page ``path`` in Chromium at ``width`` px: no figure broken across lines
    ("83,2" / "5%"), nothing wider than the screen, no console error or broken image; at
    desktop width the quốc hiệu, the tiêu ngữ, "BÁO CÁO" and the title each on one line.
    Returns what Chromium reported."""
    need(chromium_path() is not None, "Debian chromium")
    page = open_in_chromium(path, screenshot, width=width, lines=HEAD)
    assert page.broken_numbers == []
    assert page.page_width <= width
    assert page.console_errors == [] and page.broken_images == 0
    if width >= 1280:
        assert page.lines == dict.fromkeys(HEAD, 1)
    else:
        assert page.lines[".vb-country"] <= 2 and page.lines[".vb-kind"] == 1
    return page


def test_data_text_is_escaped(data_copy, tmp_path):
    path = data_copy / "2024" / "indicators.csv"
    set_cell(path, 2, "name", MALICIOUS[0])
    set_cell(path, 3, "note", MALICIOUS[1])
    set_cell(data_copy / "2024" / "awards.csv", 2, "granted_by", MALICIOUS[1])
    meta = data_copy / "2024" / "meta.yaml"  # the header and the closing block too
    meta.write_text(meta.read_text(encoding="utf-8")
                    .replace("  - Các Công đoàn bộ phận", f"  - \"{MALICIOUS[0]}\"")
                    .replace('  name: ""', f'  name: "{MALICIOUS[1]}"')
                    .replace("issuer: Ban Chấp hành Công đoàn cơ sở",
                             f'issuer: "{MALICIOUS[1]}"'), encoding="utf-8")
    result = render_report(2024, data_copy, tmp_path, formats=("html",))
    html = result.html.read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    need(chromium_path() is not None, "Debian chromium")
    page = open_in_chromium(result.html)
    assert page.dialogs == [] and page.page_errors == []
    assert MALICIOUS[0] in page.text and MALICIOUS[1] in page.text  # shown as text


def pdftotext(pdf: Path, *args: str) -> str:
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    out = subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return unicodedata.normalize("NFC", out)


def test_pdf_text_fonts_and_page_numbers(rendered_2024):
    pdf = rendered_2024.pdf
    text = re.sub(r"\s+", " ", pdftotext(pdf))
    assert "Giỏi việc nước, đảm việc nhà" in text
    assert "154.188.368 đồng" in text and "Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu" in text
    assert "PHỤ LỤC" not in text  # the document alone: the annex is a file of its own
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    assert pages >= 5
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(r[-5] == "yes" for r in rows), fonts  # every font embedded
    assert any("Liberation-Serif" in r[0] or "Times" in r[0] for r in rows), fonts
    first = [line for line in pdftotext(pdf, "-f", "1", "-l", "1", "-layout").splitlines()
             if line.strip()]
    second = [line for line in pdftotext(pdf, "-f", "2", "-l", "2", "-layout").splitlines()
              if line.strip()]
    assert first[0].strip() != "1"               # no number on page 1
    assert second[0].strip() == "2"              # centred number at the top of page 2


def test_pdf_margins_after_decree_30(rendered_2024):
    """Text starts about 30 mm from the left edge and 20 mm from the top."""
    margins_after_decree_30(rendered_2024.pdf, 3)


def margins_after_decree_30(pdf: Path, page: int) -> None:
    """On ``page`` of ``pdf``: text from 30 mm on the left to 15 mm from the right, below
    20 mm from the top but the page number, centred above the text in the top margin."""
    bbox = pdftotext(pdf, "-f", str(page), "-l", str(page), "-bbox")
    words = [tuple(float(v) for v in m) for m in
             re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', bbox)]
    mm = 72 / 25.4
    body = [w for w in words if w[1] > 20 * mm - 1]          # below the top margin
    assert min(w[0] for w in body) == pytest.approx(30 * mm, abs=2)
    assert max(w[2] for w in words) <= (210 - 15) * mm + 1  # right margin 15 mm
    number = [w for w in words if w[1] < 20 * mm]             # the page number in the margin
    assert number and all(abs((w[0] + w[2]) / 2 - (30 * mm + (210 - 45) * mm / 2)) < 15
                          for w in number)


def test_demo_reports_carry_the_banner(tmp_path):
    result = render_report(2024, DATA / "demo", tmp_path, formats=("html",))
    html = result.html.read_text(encoding="utf-8")
    body = html[html.find("<main"):]
    assert BANNER in body and body.find(BANNER) < body.find("vb-header")
    trends = render_trends(None, DATA / "demo", tmp_path, formats=("html",))
    trend_html = trends.html.read_text(encoding="utf-8")
    assert BANNER in trend_html and "Tiến độ đạt chỉ tiêu" in trend_html


def test_trends_with_one_year_says_so_and_renders(tmp_path):
    result = render_trends("2024", DATA, tmp_path, formats=("html",))
    text = text_of(result.html.read_text(encoding="utf-8"))
    assert "ít nhất hai năm" in text and "2024" in text
