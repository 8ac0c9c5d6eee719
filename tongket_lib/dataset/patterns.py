"""Sentence patterns as data: their notation, and the checks a year's files must pass.

A pattern is a sentence of the report with this year's figures as placeholders in
braces (``{actual}``, ``{count:02}``, ``{other_id.actual}``; ``{{`` and ``}}`` are
literal braces). This module reads the notation and checks, when a year is loaded or
a workbook imported, that every placeholder is known and every brace balanced, and
that every ``block`` a row names exists; :mod:`tongket_lib.document.sentences` fills
the patterns in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tongket_lib.errors import Problem

if TYPE_CHECKING:
    import pandas as pd

#: placeholders of an indicator pattern
INDICATOR_FIELDS: tuple[str, ...] = (
    "name", "target", "actual", "value", "unit", "count", "remainder", "note", "verdict",
    "verdict_text", "funds", "funds_total", "year", "period", "next_period")
#: placeholders of an award pattern
AWARD_FIELDS: tuple[str, ...] = (
    "title", "granted_by", "count", "recipient", "part", "decision", "note", "year", "period",
    "next_period")
#: placeholders of a contribution pattern (a fund drive or a support)
CONTRIBUTION_FIELDS: tuple[str, ...] = ("name", "amount", "cases", "per_case", "note", "year",
                                        "period", "next_period")
#: placeholders of a plan row's pattern (next period's target)
PLAN_FIELDS: tuple[str, ...] = ("name", "target", "unit", "year", "period", "next_period")
#: placeholders of a section's heading and text
HEADING_FIELDS: tuple[str, ...] = ("title", "rollup", "verdict_text", "decisions", "year",
                                   "period", "next_period")

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"(?:(?P<ref>[A-Za-z0-9_.-]+?)\.)?(?P<field>[A-Za-z_]\w*)(?::(?P<spec>0\d))?")


@dataclass(frozen=True)
class Placeholder:
    ref: str | None  # another row's id, or None for this row
    field: str  # lower-case field name
    capital: bool
    width: int  # at least this many digits (0: as it is)


def parse(pattern: str) -> list[str | Placeholder]:
    """A pattern as literal pieces and placeholders; :class:`ValueError` (Vietnamese) when
    a brace is unbalanced or a placeholder is not a name."""
    pieces: list[str | Placeholder] = []
    pos = 0
    for m in _TOKEN.finditer(pattern):
        if m.start() > pos:
            pieces.append(pattern[pos:m.start()])
        token = m.group(0)
        if token in ("{{", "}}"):
            pieces.append(token[0])
        elif token in ("{", "}"):
            raise ValueError(f"dấu “{token}” không có dấu đóng/mở tương ứng (ký tự thứ"
                             f" {m.start() + 1}). Viết {{{{ hoặc }}}} nếu muốn in dấu ngoặc nhọn.")
        else:
            inner = (m.group(1) or "").strip()
            nm = _NAME.fullmatch(inner)
            if not nm:
                raise ValueError(f"chỗ điền “{{{inner}}}” không hợp lệ: viết dạng {{actual}}.")
            name = nm["field"]
            pieces.append(Placeholder(nm["ref"], name.lower(), name[:1].isupper(),
                                      int(nm["spec"]) if nm["spec"] else 0))
        pos = m.end()
    if pos < len(pattern):
        pieces.append(pattern[pos:])
    return pieces


def check_patterns(frame: pd.DataFrame, column: str, fields: Iterable[str], name: str,
                   problems: list[Problem], ids: Iterable[str] | None = None) -> None:
    """Append a problem for each pattern with an unbalanced brace or an unknown placeholder.

    ``frame`` is indexed by spreadsheet row; ``ids`` are the row ids other rows may refer to.
    """
    if column not in frame:
        return
    allowed = set(fields)
    known = set(ids) if ids is not None else set()
    for row, pattern in frame[column].dropna().items():
        try:
            pieces = parse(str(pattern))
        except ValueError as error:
            problems.append(Problem(name, int(row), column, pattern, str(error)))
            continue
        for p in pieces:
            if not isinstance(p, Placeholder):
                continue
            if p.field not in allowed:
                problems.append(Problem(
                    name, int(row), column, pattern,
                    f"chỗ điền “{{{p.field}}}” không có. Dùng một trong: "
                    + ", ".join("{" + f + "}" for f in sorted(allowed)) + "."))
            elif p.ref is not None and (ids is None or p.ref not in known):
                problems.append(Problem(
                    name, int(row), column, pattern,
                    f"chỗ điền “{{{p.ref}.{p.field}}}” nhắc tới mã “{p.ref}” không có trong"
                    f" tệp. Sửa lại mã (cột id)."))


def check_table(frame: pd.DataFrame, file: str, name: str, problems: list[Problem]) -> None:
    """The patterns of one validated table (``file`` is its spec name, e.g. ``indicators.csv``;
    ``name`` is how messages show its path)."""
    if file == "indicators.csv":
        ids = frame["id"].dropna().astype(str).tolist() if "id" in frame else []
        check_patterns(frame, "sentence", INDICATOR_FIELDS, name, problems, ids=ids)
    elif file == "awards.csv":
        check_patterns(frame, "sentence", AWARD_FIELDS, name, problems)
    elif file == "contributions.csv":
        check_patterns(frame, "sentence", CONTRIBUTION_FIELDS, name, problems)
    elif file == "plan.csv":
        check_patterns(frame, "sentence", PLAN_FIELDS, name, problems)
    elif file == "sections.csv":
        check_patterns(frame, "heading", HEADING_FIELDS, name, problems)
        check_patterns(frame, "text", HEADING_FIELDS, name, problems)


#: the columns of each table that name a place in the document (a row of sections.csv)
PLACES: dict[str, tuple[str, ...]] = {
    "indicators.csv": ("block",), "awards.csv": ("block",),
    "contributions.csv": ("section",), "plan.csv": ("section",)}


def check_blocks(tables: Mapping[str, pd.DataFrame], sections: pd.DataFrame | None,
                 names: Mapping[str, str], problems: list[Problem]) -> None:
    """Every place a row names (an indicator's or an award's ``block``, a contribution's or
    a plan row's ``section``) must be a section of sections.csv: the document writes the
    row there. ``tables`` maps file names to validated tables, ``names`` to how messages
    show their paths. Like the sections of the indicators, checked only when sections.csv
    exists (is not empty)."""
    if sections is None or sections.empty or "section" not in sections:
        return
    known = set(sections["section"].dropna().astype(str))
    for file, columns in PLACES.items():
        frame = tables.get(file)
        for column in columns:
            if frame is None or column not in frame:
                continue
            for row, block in frame[column].dropna().astype(str).items():
                if block.strip() and block.strip() not in known:
                    problems.append(Problem(
                        names[file], int(row), column, block,
                        f"mục hoặc khối “{block}” không có trong sections.csv (cột section)."
                        f" Thêm một dòng cho nó vào sections.csv, hoặc sửa lại cho đúng."))
