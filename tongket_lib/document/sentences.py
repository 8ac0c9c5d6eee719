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
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from tongket_lib import vn
from tongket_lib.dataset.patterns import (
    parse,
)
from tongket_lib.period import parse_period
from tongket_lib.vocab import EXPECTED, FAILED, LABELS, VERDICTS

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

def period_values(period: Any) -> dict[str, str]:
    """The placeholders that name the period: {year} ("2024", "2024 - 2025"), {period}
    ("năm 2024", "năm học 2024 - 2025") and {next_period} (the one after)."""
    if period is None or period == "":
        return {"year": "", "period": "", "next_period": ""}
    p = parse_period(period)
    return {"year": p.words, "period": p.label, "next_period": p.next().label}


def text(value: Any) -> str:
    """A cell as text; "" when missing."""
    if vn.missing(value):
        return ""
    return str(value).strip()


def lower_first(words: str) -> str:
    """A word in a sentence: the first letter in lower case, unless the word is an
    abbreviation ("Tổng kết" → "tổng kết", "CĐCS" stays).

    >>> lower_first("Tổng kết"), lower_first("CĐCS Sở"), lower_first("")
    ('tổng kết', 'CĐCS Sở', '')
    """
    if len(words) > 1 and words[0].isupper() and not words[1].islower():
        return words
    return words[:1].lower() + words[1:]


def number(value: Any) -> str:
    """A figure written the Vietnamese way ("99,4", "3.500"); "" when missing."""
    if vn.missing(value):
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
    status = text(row.get("status")) or text(row.get("reported_status"))
    verdict = phrase(status)
    notation = text(row.get("target"))
    target = text(row.get("target_text")) or _target_words(notation, unit)
    note = text(row.get("note")).rstrip(".")
    said = counted(row.get("actual"), unit) if value else ""
    if said and qualifier:
        said = f"trên {said}" if qualifier == "trên" else f"{said} {qualifier}"
    kind = text(row.get("kind")) or "indicator"
    members = counted(row.get("count"), text(row.get("group")))
    if kind == "result" and unit == "%" and said and members and text(row.get("group")):
        said = f"{members}, {said}"  # a plain share with its count: "52 đoàn viên, 86,67%"
    return {
        "name": text(row.get("name")), "target": target, "actual": actual, "value": value,
        "unit": unit, "count": number(row.get("count")), "remainder": remainder,
        "note": note, "verdict": f"({verdict})",
        "verdict_text": verdict, "funds": funds, "funds_total": funds_total,
        **period_values(year),
        # for the generated sentence only (not placeholders of a pattern)
        "kind": kind,
        "result": text(row.get("result_text")) or said,
        "why": note if status in FAILURES else "",
        # a verdict the section's heading states is not said again on each line
        "said_above": "yes" if text(row.get("status_source")) == "section" else "",
        "as_target": _said_by_target(notation, row.get("actual")),
    }


#: verdicts whose reason a report gives in the same bracket
FAILURES = frozenset(FAILED)


def _said_by_target(notation: str, actual: Any) -> str:
    """How a result that is exactly its target is said once: "none" (``<= 0``) and none
    happened by the target's words ("target": "không để xảy ra"), a point target reached
    by the result ("actual": "100%"); "" when the result is not exactly its target."""
    m = re.fullmatch(r"\s*(=|<=)\s*([-0-9.]+)\s*", notation or "")
    if not m or vn.missing(actual):
        return ""
    bound = float(m[2])
    if float(actual) != bound:
        return ""
    return "target" if m[1] == "<=" and bound == 0 else "actual" if m[1] == "=" else ""


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


#: units a figure is measured in, not counted in: never written with a leading zero
MEASURES = frozenset({"%", "đồng", "m", "m2", "m3", "km", "kg", "tấn", "ha", "lít", "kwh",
                      "giờ", "ngày", "tháng", "năm", "triệu đồng", "tỷ đồng"})


def counted(value: Any, unit: str = "") -> str:
    """A figure as a report writes it: a count under ten of people or things with two
    digits (“05 sáng kiến”, “01 tập thể”), any other figure as it is (“9.862.400 m3”).

    >>> counted(4, "sáng kiến"), counted(448, "cá nhân"), counted(3, "m3"), counted(2.5, "lần")
    ('04 sáng kiến', '448 cá nhân', '3 m3', '2,5 lần')
    """
    text = number(value)
    if not text:
        return ""
    if text.isdigit() and len(text) == 1 and unit.lower() not in MEASURES:
        text = "0" + text
    return text + "%" if unit == "%" else f"{text} {unit}".strip()


#: words that make a figure read as a target on its own ("15% trở lên", "98%; phấn đấu 99%")
TARGET_WORDS = ("trở lên", "trở xuống", "tối thiểu", "tối đa", "phấn đấu", "hướng tới", "trên",
                "dưới", "ít nhất", "không quá", "không vượt")


def _bare(target: str) -> bool:
    """A target that is only a figure, which a sentence names as the target.

    >>> _bare("10 văn bản"), _bare("15% trở lên"), _bare("ít nhất 03 giáo viên")
    (True, False, False)
    """
    lowered = target.lower()
    return target[:1].isdigit() and not any(word in lowered for word in TARGET_WORDS)


def generated_sentence(values: Mapping[str, str]) -> str:
    """The sentence a report writes for a row that has no pattern of its own, from the
    row's fields: an indicator "Tên: chỉ tiêu, thực hiện kết quả (đánh giá).", a duty "Tên
    (đánh giá).", a plain result "Tên: kết quả." (no verdict); a row that did not reach
    its target says why in the same bracket: "(không đạt chỉ tiêu: lý do)".

    >>> generated_sentence({"name": "Tỷ lệ thất thoát nước", "target": "không quá 18%",
    ...     "actual": "16,9%", "verdict_text": "đạt chỉ tiêu", "kind": "indicator"})
    'Tỷ lệ thất thoát nước: không quá 18%, thực hiện 16,9% (đạt chỉ tiêu).'
    >>> generated_sentence({"name": "Đoàn viên xuất sắc", "actual": "52 đoàn viên",
    ...     "kind": "result"})
    'Đoàn viên xuất sắc: 52 đoàn viên.'
    """
    name = values["name"].rstrip(".:;, ")
    kind = values.get("kind") or "indicator"
    target, actual = values.get("target", ""), values.get("result") or values.get("actual", "")
    if kind == "result":
        return f"{name}: {actual}." if actual else f"{name}."
    verdict = values.get("verdict_text") or phrase(None)
    why = values.get("why", "")
    why = lower_first(why)  # "(không đạt chỉ tiêu: một …)"
    bracket = f"({verdict}: {why})" if why else f"({verdict})"
    if values.get("said_above") or (kind == "duty" and verdict == phrase(None)):
        bracket = ""
    if kind == "duty" or not target:
        said = actual
    elif values.get("as_target") == "target":  # "không để xảy ra", and none happened
        said = target
    elif values.get("as_target") == "actual":  # "100%" reached: said once
        said = actual
    else:
        if _bare(target):  # a bare figure: "chỉ tiêu 10 văn bản", not "10 văn bản"
            target = f"chỉ tiêu {target}"
        said = f"{target}, thực hiện {actual}" if actual else target
    return f"{name}: {said} {bracket}".rstrip() + "." if said else f"{name} {bracket}".rstrip() + "."


def award_values(row: Mapping[str, Any], year: int | None,
                 recipients: Mapping[str, str]) -> dict[str, str]:
    """The placeholder values of one award row."""
    recipient = text(row.get("recipient"))
    return {
        "title": text(row.get("title")), "granted_by": text(row.get("granted_by")),
        "count": number(row.get("count")),
        "recipient": recipients.get(recipient, recipient).lower(),
        "part": text(row.get("part")), "decision": text(row.get("decision")),
        "note": text(row.get("note")), **period_values(year),
    }


AWARD_DEFAULT = "{title}: {count:02} {recipient}"

#: titles given as a thing (“tặng Bằng khen”); any other title is recognised (“công nhận
#: danh hiệu Lao động tiên tiến”)
GIVEN = ("bằng khen", "giấy khen", "kỷ niệm chương", "cờ thi đua", "huân chương", "huy chương",
         "giấy chứng nhận", "thư khen")


def award_sentence(rows: Sequence[Mapping[str, Any]], recipients: Mapping[str, str],
                   decisions: Mapping[str, Mapping[str, Any]]) -> str:
    """One line for award rows of the same grantor, title, state and decisions, as a
    report writes it: "Liên đoàn Lao động tỉnh tặng Giấy khen: 01 tập thể, 03 cá nhân
    (Quyết định số 512/QĐ-LĐLĐ ngày 18/11/2025)." or "… (đang đề nghị)."

    >>> award_sentence([{"granted_by": "Công đoàn cơ sở", "title": "Giấy khen", "count": 8,
    ...     "recipient": "collective", "unit": "tổ công đoàn", "state": "granted"},
    ...     {"granted_by": "Công đoàn cơ sở", "title": "Giấy khen", "count": 25,
    ...      "recipient": "individual", "unit": "đoàn viên", "state": "granted"}],
    ...     {"collective": "Tập thể", "individual": "Cá nhân"}, {})
    'Công đoàn cơ sở tặng Giấy khen: 08 tổ công đoàn, 25 đoàn viên.'
    """
    first = rows[0]
    title = text(first.get("title"))
    verb = "tặng" if title.lower().startswith(GIVEN) else "công nhận danh hiệu"
    granted_by = text(first.get("granted_by"))
    counts = ", ".join(
        counted(row.get("count"), text(row.get("unit"))
                or recipients.get(text(row.get("recipient")), "").lower()) or BLANK
        for row in rows)
    line = f"{granted_by} {verb} {title}: {counts}" if granted_by else f"{title}: {counts}"
    if text(first.get("state")) == "proposed":
        return f"{line} (đang đề nghị)."
    cited = decision_refs(text(first.get("decision")), decisions)
    return f"{line} ({cited})." if cited else f"{line}."


def part_sentence(row: Mapping[str, Any], recipients: Mapping[str, str]) -> str:
    """A "Trong đó" line of an award: "Phòng, đơn vị thuộc Sở: 09 tập thể"."""
    noun = text(row.get("unit")) or recipients.get(text(row.get("recipient")), "").lower()
    return f"{text(row.get('part'))}: {counted(row.get('count'), noun) or BLANK}"


def decision_refs(numbers: str, decisions: Mapping[str, Mapping[str, Any]]) -> str:
    """Decision numbers as a line cites them: "Quyết định số 512/QĐ-LĐLĐ ngày 18/11/2025"
    (the date from meta.yaml's decisions when listed there), several joined by "; "."""
    out = []
    for number in (n.strip() for n in numbers.split(";")):
        if not number:
            continue
        day: Any = (decisions.get(number) or {}).get("date")
        when = f" ngày {day.strftime('%d/%m/%Y')}" if hasattr(day, "strftime") else ""
        out.append(f"Quyết định số {number}{when}")
    return "; ".join(out)


def contribution_values(row: Mapping[str, Any], year: Any) -> dict[str, str]:
    """The placeholder values of one row of contributions.csv."""
    return {"name": text(row.get("name")), "amount": vn.format_money(row.get("amount_vnd"))
            if number(row.get("amount_vnd")) else "", "cases": number(row.get("cases")),
            "per_case": vn.format_money(row.get("per_case_vnd"))
            if number(row.get("per_case_vnd")) else "",
            "note": text(row.get("note")).rstrip("."), **period_values(year),
            "kind": text(row.get("kind"))}


def contribution_sentence(values: Mapping[str, str]) -> str:
    """A fund drive "Quỹ …: 39.030.000 đồng." or a support "…: 02 trường hợp × 3.000.000
    đồng = 6.000.000 đồng." (without the amount a case: "…: 64 trường hợp, tổng số tiền
    38.400.000 đồng.").

    >>> contribution_sentence({"name": "Thăm hỏi đoàn viên ốm đau", "kind": "support",
    ...     "cases": "64", "amount": "38.400.000 đồng", "per_case": ""})
    'Thăm hỏi đoàn viên ốm đau: 64 trường hợp, tổng số tiền 38.400.000 đồng.'
    """
    name, amount = values["name"].rstrip(".:;, "), values["amount"] or BLANK
    cases = values.get("cases", "")
    if values.get("kind") != "support" or not cases:
        return f"{name}: {amount}."
    cases = cases.zfill(2) if cases.isdigit() else cases
    if values.get("per_case"):
        return f"{name}: {cases} trường hợp × {values['per_case']} = {amount}."
    return f"{name}: {cases} trường hợp, tổng số tiền {amount}."


def plan_values(row: Mapping[str, Any], year: Any) -> dict[str, str]:
    """The placeholder values of one row of plan.csv (next period's targets)."""
    unit = text(row.get("unit"))
    return {"name": text(row.get("name")), "unit": unit, **period_values(year),
            "target": text(row.get("target_text")) or _target_words(text(row.get("target")), unit)}


def plan_sentence(values: Mapping[str, str]) -> str:
    """ "Tỷ lệ thất thoát nước: không quá 17%." """
    name = values["name"].rstrip(".:;, ")
    return f"{name}: {values['target']}." if values["target"] else f"{name}."


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


