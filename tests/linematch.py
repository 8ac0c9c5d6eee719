"""Line-by-line comparison of a report as a union wrote it with the document tongket makes
(tests of the document written from the data: a line matches at a similarity ratio)."""
from __future__ import annotations

import difflib
import re
import unicodedata

QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})


def norm(line: str) -> str:
    return " ".join(unicodedata.normalize("NFC", line).translate(QUOTES).split())


def source_lines(text: str) -> list[str]:
    """A report's lines; a line with two columns (the header, the signature) is two."""
    out = []
    for line in text.splitlines():
        for part in re.split(r"\s{3,}", line.strip()):
            if norm(part):
                out.append(norm(part))
    return out


def coverage(source: list[str], made: list[str], at: float = 0.85):
    made = [norm(m) for m in made if norm(m)]
    rows = []
    for line in source:
        best = max(made, key=lambda m: difflib.SequenceMatcher(None, line, m).ratio(), default="")
        ratio = difflib.SequenceMatcher(None, line, best).ratio() if best else 0.0
        rows.append((ratio, line, best))
    covered = sum(1 for r, _, _ in rows if r >= at)
    return covered / len(rows), rows
