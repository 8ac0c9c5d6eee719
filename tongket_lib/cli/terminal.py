"""What the command line writes to a terminal: data text made visible, never a crash.

Data files are untrusted: a unit or a name can hold terminal escape sequences (clear
the screen, set the window title, write the clipboard with OSC 52) or bidi overrides
that hide or fake what ``tongket check`` prints. :func:`visible` shows every such
character as an escape (ESC as ``\\x1b``), keeping new lines and tabs.
:func:`setup_streams` installs it on stdout and stderr for everything the command
prints, and makes the streams degrade instead of crash on a console that cannot show
Vietnamese (``PYTHONIOENCODING=ascii``, a Windows cp1252 console): letters lose their
accents (“Lỗi” → “Loi”), anything else becomes a ``\\u…`` escape.
"""

from __future__ import annotations

import codecs
import io
import re
import sys
import unicodedata
from typing import Any, TextIO

#: C0 controls except tab and new line, DEL, C1 controls, and the Unicode format
#: characters that reorder or hide text (bidi embeddings, overrides, isolates, marks)
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                     "\u2060-\u2069\ufeff\ufff9-\ufffb]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    r"""``text`` with control and bidi characters written as escapes; ``\n`` and ``\t`` kept.

    >>> visible("Đạt\x1b[2J\x1b]52;c;ZWNobw==\x07 ok\n")
    'Đạt\\x1b[2J\\x1b]52;c;ZWNobw==\\x07 ok\n'
    >>> visible("abc\u202eedcba")
    'abc\\u202eedcba'
    """
    return _HIDDEN.sub(_escape, text)


_PLAIN = {"đ": "d", "Đ": "D", "“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-",
          "…": "...", "›": ">", "‹": "<", "·": ".", "→": "->", "×": "x", "≥": ">=", "≤": "<=",
          "\u00a0": " "}


def plain(char: str) -> str:
    """One character in ASCII: its letter without accents, a look-alike, or an escape.

    >>> "".join(plain(c) for c in "Lỗi: “Đạt” – 92,76%")
    'Loi: "Dat" - 92,76%'
    """
    if char.isascii():
        return char
    if char in _PLAIN:
        return _PLAIN[char]
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    if base.isascii() and base:
        return base
    return _escape(re.match(".", char, re.S))  # type: ignore[arg-type]


def _transliterate(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start:error.end]
    return "".join(plain(c) for c in text), error.end


ERRORS = "tongket-ascii"
codecs.register_error(ERRORS, _transliterate)


class VisibleStream:
    """A text stream that writes :func:`visible` text to the stream it wraps.

    Everything else (``fileno``, ``flush``, ``isatty``, ``buffer``, ``encoding``) is the
    wrapped stream's; :attr:`raw` is the wrapped stream itself, for a tool that draws
    with control characters on purpose (a progress bar's ``\\r``).
    """

    def __init__(self, raw: TextIO):
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(visible(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


def raw(stream: Any) -> Any:
    """The stream under a :class:`VisibleStream` (or ``stream`` itself)."""
    return stream.raw if isinstance(stream, VisibleStream) else stream


def setup_streams() -> None:
    """Make stdout and stderr safe for untrusted text and for any console encoding.

    Call first thing in ``main()``, before arguments are parsed (``--help`` prints
    Vietnamese). Idempotent.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or isinstance(stream, VisibleStream):
            continue
        if isinstance(stream, io.TextIOWrapper):
            try:
                stream.reconfigure(errors=ERRORS)
            except (ValueError, OSError):  # closed, or a stream that cannot change
                pass
        setattr(sys, name, VisibleStream(stream))
