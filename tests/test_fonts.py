"""The report's typeface is checked for Vietnamese before it is used: a font file that
lacks letters is named, with the letters and the package that has them."""

from __future__ import annotations

from pathlib import Path

from tongket_lib.render import fonts

from .conftest import need


def a_font_without(letters: str, path: Path) -> Path:
    """The installed Liberation Serif (or DejaVu Serif) less ``letters``: a real font file,
    as an old font package would have it."""
    from fontTools.subset import Options, Subsetter
    from fontTools.ttLib import TTFont

    found = fonts.font_file("Liberation Serif") or fonts.font_file("DejaVu Serif")
    need(found is not None, "fontconfig (fc-match) và một phông serif")
    font = TTFont(found[1])
    keep = [c for c in font.getBestCmap() if chr(c) not in letters]
    subsetter = Subsetter(Options())
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    font.save(str(path))
    return path


def test_every_vietnamese_letter_counted():
    letters = fonts.vietnamese_letters()
    assert len(letters) == 134 and len(set(letters)) == 134
    assert all(c in letters for c in "ơưạảấếệốởủứđƠƯẠẢẤẾỆỐỞỦỨĐỳỹỵ")
    assert not any(c.isascii() for c in letters)


def test_a_font_without_some_letters_is_named(tmp_path, monkeypatch):
    lacking = a_font_without("ơưỞở", tmp_path / "LiberationSerif-Regular.ttf")
    assert sorted(fonts.missing_letters(str(lacking))) == sorted("ơưỞở")
    monkeypatch.setattr(fonts, "font_file", lambda family: (family, str(lacking)))
    fonts.vietnamese_problem.cache_clear()
    try:
        said = fonts.vietnamese_problem()
    finally:
        fonts.vietnamese_problem.cache_clear()
    assert said is not None
    assert "thiếu 4 chữ tiếng Việt" in said and "ơ" in said and str(lacking) in said
    assert "apt-get install fonts-liberation2" in said


def test_another_family_in_its_place_is_named(monkeypatch):
    monkeypatch.setattr(fonts, "font_file", lambda family: ("DejaVu Serif", "/x/DejaVuSerif.ttf"))
    fonts.vietnamese_problem.cache_clear()
    try:
        said = fonts.vietnamese_problem()
    finally:
        fonts.vietnamese_problem.cache_clear()
    assert said is not None and "Liberation Serif" in said and "DejaVu Serif" in said


def test_the_installed_serif_covers_vietnamese():
    """On a machine set up by dev.sh (fonts-liberation2) nothing is said."""
    family = fonts.FAMILY
    found = fonts.font_file(family)
    need(found is not None and found[0] == family, f"{family} (fonts-liberation2)")
    assert fonts.missing_letters(found[1]) == ""
    fonts.vietnamese_problem.cache_clear()
    assert fonts.vietnamese_problem() is None


def test_weasyprint_imports_fonttools_subsetter_and_instancer_only_when_it_uses_them(tmp_path):
    """WeasyPrint imported for a render loads neither fontTools' subsetter nor its
    variable-font instancer; each is the real one when used (WeasyPrint's fallback
    subsetter, a variable font), and any later import gets the real modules."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent("""
        import sys
        from tongket_lib.render import export
        export.import_weasyprint()
        loaded = [m for m in ("fontTools.subset", "fontTools.varLib.instancer",
                              "fontTools.varLib") if m in sys.modules]
        print("loaded at import:", loaded)
        import weasyprint.pdf.fonts as pdf_fonts
        print("subsetter:", pdf_fonts.subset.Subsetter.__module__)
        try:
            pdf_fonts.instantiateVariableFont(None, {})
        except Exception as exc:  # the real instancer, given no font
            import traceback
            files = [f.filename for f in traceback.extract_tb(exc.__traceback__)]
            print("instancer reached:", any(f.endswith("varLib/instancer/__init__.py")
                                            or f.endswith("varLib/instancer.py") for f in files))
        import fontTools.varLib.instancer as instancer
        print("later import:", type(instancer).__name__, instancer.__file__.endswith(".py"))
        export.html_to_pdf("<p>Tổng kết thi đua</p>", sys.argv[1])
    """)
    pdf = tmp_path / "x.pdf"
    done = subprocess.run([sys.executable, "-c", script, str(pdf)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "loaded at import: []"
    assert lines[1] == "subsetter: fontTools.subset"
    assert lines[2] == "instancer reached: True"
    assert lines[3] == "later import: module True"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_weasyprint_subsets_the_fonts_with_harfbuzz(tmp_path):
    """On a machine set up by dev.sh (libharfbuzz-subset0), a PDF embeds its letters with
    HarfBuzz's subsetter: WeasyPrint's fallback, fontTools, never loads (a quarter of a
    CPU second more for every report, and a later WeasyPrint will refuse to run without
    it). The PDF is printed for the seed's words and a school's."""
    import shutil
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent("""
        import sys
        from tongket_lib.render import export
        export.import_weasyprint()  # as a render imports it: fontTools' subsetter on demand
        from weasyprint.text import ffi
        print("harfbuzz-subset:", ffi.harfbuzz_subset is not None)
        export.html_to_pdf("<p>Tổng kết phong trào thi đua, khen thưởng năm 2024</p>"
                           "<p><b>Năm học 2024–2025</b> <i>Trường Tiểu học Ước Lễ</i></p>",
                           sys.argv[1])
        print("fontTools subsetter used:", "fontTools.subset" in sys.modules)
    """)
    pdf = tmp_path / "x.pdf"
    done = subprocess.run([sys.executable, "-c", script, str(pdf)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    need(lines[0] == "harfbuzz-subset: True", "libharfbuzz-subset0 (HarfBuzz's subsetter)")
    assert lines[1] == "fontTools subsetter used: False"
    need(shutil.which("pdffonts") is not None, "pdffonts (poppler-utils)")
    rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    # name, type, encoding, emb, sub, uni, object: three faces, each embedded as a subset
    assert len(rows) == 3 and all(row.split()[-5:-2] == ["yes", "yes", "yes"] for row in rows)
    assert all(row.split("+")[1].replace("-", "").startswith("LiberationSerif") for row in rows)
