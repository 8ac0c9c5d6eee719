"""The typeface of the printed report and of the HTML: a Times-metric serif that covers
Vietnamese, checked once a process.

The form (Nghị định 30/2020/NĐ-CP) asks for Times New Roman; Debian's metric twin is
Liberation Serif, and only its version 2 (``fonts-liberation2``) has ơ, ư and the
precomposed letters (ạ, ả, ấ, ế, ệ, ố, ở, ủ, ứ …). With version 1.07 Pango draws those
letters in another font (DejaVu Serif), wider and heavier, in the middle of words. The
stylesheet names :data:`FAMILY` first; :func:`vietnamese_problem` finds the file
fontconfig gives for it (``fc-match``) and reads its character map with fontTools
(which matplotlib brings), and words what is missing.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import unicodedata

#: the family the stylesheets name first (tongket.css): Times New Roman's metric twin
FAMILY = "Liberation Serif"
#: the Debian package that has it with Vietnamese
PACKAGE = "fonts-liberation2"
_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # huyền, sắc, hỏi, ngã, nặng


def vietnamese_letters() -> str:
    """The 134 letters of Vietnamese beyond ASCII, lower and upper case.

    >>> letters = vietnamese_letters()
    >>> len(letters), "ơ" in letters, "Ự" in letters, "đ" in letters, "a" in letters
    (134, True, True, True, False)
    """
    lower = {unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES} | {"đ"}
    lower = {c for c in lower if ord(c) > 127}
    return "".join(sorted(lower | {c.upper() for c in lower}))


def missing_letters(path: str) -> str:
    """The Vietnamese letters the font file at ``path`` has no glyph for."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=0) as font:
        cmap = font.getBestCmap() or {}
    return "".join(c for c in vietnamese_letters() if ord(c) not in cmap)


def font_file(family: str = FAMILY) -> tuple[str, str] | None:
    """``(family found, file)`` fontconfig gives for ``family``, or ``None`` without
    fontconfig's ``fc-match``."""
    tool = shutil.which("fc-match")
    if tool is None:
        return None
    try:
        out = subprocess.run([tool, "--format", "%{family[0]}\n%{file}", family],
                             capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found, _, path = out.partition("\n")
    return (found, path) if path else None


@functools.cache
def vietnamese_problem(family: str = FAMILY) -> str | None:
    """What is wrong with the report's typeface for Vietnamese, in Vietnamese, or
    ``None`` when it covers every letter (or cannot be checked: no fontconfig, which
    WeasyPrint then reports itself). Asked once a process."""
    found = font_file(family)
    if found is None:
        return None
    name, path = found
    if name != family:
        return (f"Máy chưa có phông {family} (phông cùng cỡ chữ với Times New Roman), nên bản"
                f" PDF và HTML dùng phông “{name}” thay thế. Trên Debian: apt-get install"
                f" {PACKAGE}.")
    try:
        missing = missing_letters(path)
    except Exception:  # an unreadable font file: the layout words its own problem
        return None
    if not missing:
        return None
    shown = " ".join(missing[:12]) + (" …" if len(missing) > 12 else "")
    return (f"Phông {family} trên máy ({path}) thiếu {len(missing)} chữ tiếng Việt ({shown}):"
            f" bản PDF sẽ vẽ các chữ đó bằng phông khác, lẫn hai kiểu chữ trong một từ. Cài"
            f" phiên bản 2 của phông (Debian: apt-get install {PACKAGE}).")
