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
from typing import Any

import pandas as pd

from tongket_lib import vn
from tongket_lib.dataset.patterns import (
    parse,
)
from tongket_lib.vocab import EXPECTED, LABELS, VERDICTS

#: the verdict as a sentence in the report says it ("(đạt chỉ tiêu)"): its label in
#: lower case, but "ước đạt chỉ tiêu"
PHRASES: dict[str, str] = {**{code: LABELS[code].lower() for code in VERDICTS},
                           EXPECTED: "ước đạt chỉ tiêu"}

#: placeholders whose missing value is written as the dotted blank (a figure not known yet)
FIGURES: frozenset[str] = frozenset(
    {"target", "actual", "value", "count", "remainder", "funds", "funds_total", "verdict_text",
     "decisions", "rollup"})
#: the dotted blank (as in tongket_lib.document.model, which imports this module's users)
BLANK = "…………"


def phrase(code: Any) -> str:
    """The verdict as a sentence says it: ``phrase("met") == "đạt chỉ tiêu"``."""
    if not isinstance(code, str) or not code:
        return PHRASES["not_assessed"]
    return PHRASES.get(code) or LABELS.get(code, code).lower()


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


