"""Sentence patterns: the report's own wording with placeholders for this year's figures.

An office writes a new year's report by copying last year's and changing the numbers.
A pattern keeps last year's sentence with the figures replaced by placeholders in
braces, for example::

    Tỷ lệ hồ sơ trả đúng hạn: trên 99% trở lên (đạt {actual}) {verdict}.

:func:`fill` writes it with the row's current values and its final verdict, so a
changed actual changes the sentence and its verdict phrase. ``{{`` and ``}}`` are
literal braces. A placeholder written with a capital first letter (``{Verdict_text}``)
gives its value with a capital first letter; ``{count:02}`` writes at least two digits
(``09``); ``{other_id.actual}`` takes a value of another indicator.

:func:`check_patterns` finds unknown placeholders and unbalanced braces as
:class:`~tongket_lib.errors.Problem` s naming file, row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tongket_lib import vn
from tongket_lib.errors import Problem
from tongket_lib.vocab import LABELS

#: the verdict as a sentence in the report says it ("(đạt chỉ tiêu)")
PHRASES: dict[str, str] = {
    "exceeded": "vượt chỉ tiêu",
    "met": "đạt chỉ tiêu",
    "expected": "ước đạt chỉ tiêu",
    "in_progress": "đang thực hiện",
    "not_met": "không đạt chỉ tiêu",
    "not_assessed": "chưa đánh giá",
    "proposed": "đang đề nghị",
}

#: placeholders of an indicator pattern
INDICATOR_FIELDS: tuple[str, ...] = (
    "name", "target", "actual", "value", "unit", "count", "remainder", "note", "verdict",
    "verdict_text", "funds", "funds_total", "year")
#: placeholders whose missing value is written as the dotted blank (a figure not known yet)
FIGURES: frozenset[str] = frozenset(
    {"target", "actual", "value", "count", "remainder", "funds", "funds_total", "verdict_text",
     "decisions", "rollup"})
#: the dotted blank (as in tongket_lib.document.model, which imports this module's users)
BLANK = "…………"
#: placeholders of an award pattern
AWARD_FIELDS: tuple[str, ...] = (
    "title", "granted_by", "count", "recipient", "part", "decision", "note", "year")
#: placeholders of a section's heading and text
HEADING_FIELDS: tuple[str, ...] = ("title", "rollup", "verdict_text", "decisions", "year")

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"(?:(?P<ref>[A-Za-z0-9_.-]+?)\.)?(?P<field>[A-Za-z_]\w*)(?::(?P<spec>0\d))?")


@dataclass(frozen=True)
class Placeholder:
    ref: str | None  # another row's id, or None for this row
    field: str  # lower-case field name
    capital: bool
    width: int  # at least this many digits (0: as it is)


def phrase(code: Any) -> str:
    """The verdict as a sentence says it: ``phrase("met") == "đạt chỉ tiêu"``."""
    if not isinstance(code, str) or not code:
        return PHRASES["not_assessed"]
    return PHRASES.get(code) or LABELS.get(code, code).lower()


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


def fill(pattern: str, values: Mapping[str, str],
         others: Callable[[str, str], str | None] | None = None) -> str:
    """Write a pattern with its values; unknown names are left as written (checked on load)."""
    out: list[str] = []
    for piece in parse(pattern):
        if isinstance(piece, str):
            out.append(piece)
            continue
        if piece.ref is not None:
            value = others(piece.ref, piece.field) if others else None
        else:
            value = values.get(piece.field)
        if value is None:
            out.append("{" + piece.field + "}")
            continue
        if not value and piece.field in FIGURES:
            value = BLANK
        if piece.width and value.isdigit():
            value = value.zfill(piece.width)
        if piece.capital and value:
            value = value[0].upper() + value[1:]
        out.append(value)
    return "".join(out)


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
    elif file == "sections.csv":
        check_patterns(frame, "heading", HEADING_FIELDS, name, problems)
        check_patterns(frame, "text", HEADING_FIELDS, name, problems)


# -- values of a row ---------------------------------------------------------------------------

def text(value: Any) -> str:
    """A cell as text; "" when missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def number(value: Any) -> str:
    """A figure written the Vietnamese way ("99,4", "3.500"); "" when missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return vn.format_number(value)


def indicator_values(row: Mapping[str, Any], year: int | None,
                     funds: str = "", funds_total: str = "") -> dict[str, str]:
    """The placeholder values of one evaluated indicator row."""
    unit = text(row.get("unit"))
    value = number(row.get("actual"))
    qualifier = text(row.get("actual_qualifier"))
    actual = vn.format_quantity(row.get("actual"), unit) if value else ""
    if actual and qualifier:
        actual = f"trên {actual}" if qualifier == "trên" else f"{actual} {qualifier}"
    remainder = ""
    if value and unit == "%":
        remainder = vn.format_percent(100 - float(row["actual"]))
    verdict = phrase(text(row.get("status")) or text(row.get("reported_status")))
    target = text(row.get("target_text")) or _target_words(text(row.get("target")), unit)
    return {
        "name": text(row.get("name")), "target": target, "actual": actual, "value": value,
        "unit": unit, "count": number(row.get("count")), "remainder": remainder,
        "note": text(row.get("note")).rstrip("."), "verdict": f"({verdict})",
        "verdict_text": verdict, "funds": funds, "funds_total": funds_total,
        "year": str(year or ""),
    }


def _target_words(notation: str, unit: str) -> str:
    """A target notation in words: ">= 90" → "90% trở lên"; "" when there is none."""
    m = re.fullmatch(r"\s*(>=|<=|>|<|=)?\s*([-0-9.]+)\s*(?:\.\.\s*([-0-9.]+))?\s*", notation)
    if not m:
        return notation
    low = vn.format_quantity(float(m[2]), unit)
    if m[3]:
        return f"từ {vn.format_number(float(m[2]))} - {vn.format_quantity(float(m[3]), unit)}"
    words = {">=": f"{low} trở lên", ">": f"trên {low}", "<=": f"không quá {low}",
             "<": f"dưới {low}", "=": low, None: low}
    return words[m[1]]


def generated_sentence(values: Mapping[str, str]) -> str:
    """The plain sentence for a row without a pattern: name, target, actual, verdict."""
    parts = [values["name"]]
    if values["target"]:
        parts.append(f": chỉ tiêu {values['target']}")
    if values["actual"]:
        parts.append(f"; thực hiện {values['actual']}")
    return "".join(parts) + f" {values['verdict']}."


def award_values(row: Mapping[str, Any], year: int | None,
                 recipients: Mapping[str, str]) -> dict[str, str]:
    """The placeholder values of one award row."""
    recipient = text(row.get("recipient"))
    return {
        "title": text(row.get("title")), "granted_by": text(row.get("granted_by")),
        "count": number(row.get("count")),
        "recipient": recipients.get(recipient, recipient).lower(),
        "part": text(row.get("part")), "decision": text(row.get("decision")),
        "note": text(row.get("note")), "year": str(year or ""),
    }


AWARD_DEFAULT = "{title}: {count:02} {recipient}"


def rollup(counts: Mapping[str, int]) -> str:
    """The roll-up sentence of verdict counts ("Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu");
    "" when there is nothing to count."""
    from tongket_lib.evaluation.status import rollup_sentence

    counts = {k: int(v) for k, v in counts.items() if v}
    return rollup_sentence(counts) if counts else ""


def decisions_text(decisions: Iterable[Mapping[str, Any]], said: str = "") -> str:
    """Decisions cited the way the report cites them: "Quyết định số 481/QĐ-STNMT ngày
    29/11/2024; Quyết định số 490/QĐ-STNMT ngày 04/12/2024 về việc Điều chỉnh, … của Giám
    đốc Sở …". A decision's subject is written unless ``said`` (the line around it) already
    says it; the signer is written once at the end when all share it. "" when none."""
    seen: dict[str, Mapping[str, Any]] = {}
    for d in decisions:
        seen.setdefault(str(d.get("number", "")), d)
    if not seen:
        return ""
    parts = []
    lowered = said.lower()
    for number, d in seen.items():
        text = f"Quyết định số {number}"
        day = d.get("date")
        if day is not None and hasattr(day, "strftime"):
            text += f" ngày {day.strftime('%d/%m/%Y')}"
        subject = str(d.get("subject") or "").strip()
        text_subject = re.sub(r"\s+năm\s+\d{4}$", "", subject).lower()
        if subject and text_subject not in lowered:
            text += f" về việc {subject}"
        parts.append(text)
    issuers = {str(d.get("issuer") or "") for d in seen.values()}
    issuer = issuers.pop() if len(issuers) == 1 else ""
    return "; ".join(parts) + (f" của {issuer}" if issuer else "")


def check_blocks(indicators: pd.DataFrame, awards: pd.DataFrame, sections: pd.DataFrame,
                 names: Mapping[str, str], problems: list[Problem]) -> None:
    """Every ``block`` named by an indicator or an award row must be a section of
    sections.csv (the document writes the row there). ``names`` maps ``indicators.csv``
    and ``awards.csv`` to how messages show their paths. Like the sections of the
    indicators, checked only when sections.csv exists (is not empty)."""
    if sections is None or sections.empty or "section" not in sections:
        return
    known = set(sections["section"].dropna().astype(str))
    for file, frame in (("indicators.csv", indicators), ("awards.csv", awards)):
        if "block" not in frame:
            continue
        for row, block in frame["block"].dropna().astype(str).items():
            if block.strip() and block.strip() not in known:
                problems.append(Problem(
                    names[file], int(row), "block", block,
                    f"khối “{block}” không có trong sections.csv (cột section). Thêm một dòng"
                    f" cho khối này vào sections.csv, hoặc sửa lại tên khối."))
