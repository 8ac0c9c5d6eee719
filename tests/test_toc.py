"""The shared page's short table of contents, read in one pass and written into the page."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tongket_lib.render.toc import report_toc
from tongket_lib.vn import slug

DOCUMENT = ('<section id="so-lieu-chinh"><h2>Số liệu chính</h2></section>'
            '<article class="vb" id="van-ban"><h3>1. Trong văn bản</h3></article>'
            '<h2 id="phu-luc">PHỤ LỤC</h2>')


def page(main: str, wrap: bool = True) -> str:
    """A page as nbconvert's template makes one: a heading outside <main> (not the
    annex's) when there is a <main>."""
    inner = f"<header><h3>Ngoài trang</h3></header>\n<main>{main}</main>" if wrap else main
    return (f'<!DOCTYPE html>\n<html lang="vi">\n<head><style>h3 {{ color: red }}\n'
            f'</style></head>\n<body class="tk">\n{inner}\n</body>\n</html>\n')


def entries(html: str) -> list[tuple[str, str]]:
    nav = BeautifulSoup(html, "html.parser").select_one("nav.tk-toc-short")
    return [(a["href"], a.get_text()) for a in nav.select("a")]


def test_the_parts_and_the_annexs_headings_in_the_pages_order():
    """Key figures, document, annex, then the annex's h3 headings, but those of the
    document and of each section's table or check; nothing else of the page changes."""
    annex = ('<h3 id="Kết-quả-theo-từng-mục">Kết quả theo từng <em>mục</em> </h3>'
             '<div><h3 id="muc-1">1. Mục một</h3><h3 id="doi-chieu-1">Đối chiếu</h3></div>'
             '<h3>Khen thưởng &amp; tôn vinh</h3>'
             '<h3 class="x">Khen thưởng &amp; tôn vinh</h3>')
    html = page(DOCUMENT + annex)
    out = report_toc(html)
    assert entries(out) == [
        ("#so-lieu-chinh", "Số liệu chính"), ("#van-ban", "Văn bản báo cáo"),
        ("#phu-luc", "Phụ lục"), ("#Kết-quả-theo-từng-mục", "Kết quả theo từng mục"),
        ("#khen-thuong-ton-vinh", "Khen thưởng & tôn vinh"),
        ("#khen-thuong-ton-vinh-2", "Khen thưởng & tôn vinh")]
    soup = BeautifulSoup(out, "html.parser")
    for href, _ in entries(out):  # every entry leads to exactly one place
        assert len(soup.select(f'[id="{href[1:]}"]')) == 1, href
    # the nav opens the main part; the only other changes are the two ids given
    assert out.index("<main>") + len("<main>") == out.index('<nav class="tk-toc tk-toc-short"')
    rest = re.sub(r'<nav class="tk-toc tk-toc-short".*?</nav>', "", out, flags=re.S)
    assert rest == html.replace('<h3>Khen', '<h3 id="khen-thuong-ton-vinh">Khen', 1).replace(
        '<h3 class="x">', '<h3 id="khen-thuong-ton-vinh-2" class="x">')


def test_only_the_parts_the_page_has():
    """A page without the key figures (a printed one, say) lists the other parts; one
    with none of them is left as it was; without <main> the body takes the list."""
    html = page('<article class="vb" id="van-ban"></article><h2 id="phu-luc">PHỤ LỤC</h2>'
                '<h3>Khen thưởng</h3>', wrap=False)
    out = report_toc(html)
    assert [text for _, text in entries(out)] == ["Văn bản báo cáo", "Phụ lục", "Khen thưởng"]
    assert out.index('<body class="tk">') + len('<body class="tk">') == out.index("<nav")
    bare = page("<h3>Một tiêu đề</h3>")
    assert report_toc(bare) == bare


@pytest.mark.parametrize("annex", [
    '<h3>Đóng góp và hỗ trợ</h3><table><tr><td>1</td></tr></table><h3>Đóng góp và hỗ trợ</h3>',
    '<h3 id="co-san">Có sẵn</h3><h3>Có sẵn</h3><img src="data:image/png;base64,AAAA" alt="x">',
])
def test_the_same_tree_beautifulsoup_would_make(annex):
    """The page read as a tree: the same as the rules applied with BeautifulSoup, the way
    the page was made before (an oracle written here, not the code under test)."""
    html = page(DOCUMENT + annex)
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main")
    used = {t["id"] for t in soup.find_all(id=True)}
    expected = ["so-lieu-chinh", "van-ban", "phu-luc"]
    for heading in main.find_all("h3"):
        if heading.find_parent("article"):
            continue
        if not heading.get("id"):
            base = ident = slug(heading.get_text(" ", strip=True))
            n = 1
            while ident in used:
                n += 1
                ident = f"{base}-{n}"
            heading["id"] = ident
            used.add(ident)
        expected.append(heading["id"])
    got = BeautifulSoup(report_toc(html), "html.parser")
    assert [a["href"][1:] for a in got.select("nav a")] == expected
    got.select_one("nav").decompose()
    assert str(got) == str(soup)
