"""Build the year's report document from its data, in the report's own order and words.

The body follows ``sections.csv`` (the report's numbering as the data gives it; no
invented numbers, a gap kept; Roman numerals for the top level when meta.yaml asks for
``numbering: roman``), each section writing its heading, its own lines (``text``), then
its rows and then its sub-sections. The rows of a section are its indicators, fund drives
and supports, awards and next period's targets, in one order (each row's ``order``, else
the files' order in that sequence), each written by its ``sentence`` pattern or, without
one, by the sentence a report would write from its fields (:mod:`.sentences`), and laid
out as the section's ``layout`` says: list lines, the first line on the heading's line,
lettered items (a., b., c., d., đ., e. …) or a table. Whatever the data does not know (số,
ngày, chức vụ, họ tên) is the dotted blank :data:`~tongket_lib.document.model.BLANK`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tongket_lib import vn
from tongket_lib.dataset.schema import RECIPIENTS, STREAMS
from tongket_lib.document import frame
from tongket_lib.document import sentences as S
from tongket_lib.document.model import (
    BLANK,
    Block,
    Document,
    ListItem,
    Paragraph,
    Section,
    Table,
)
from tongket_lib.period import Period, parse_period
from tongket_lib.vocab import BANNER, LABELS

MARKERS = ("-", "+", "*")


def build_document(year_data: Any, evaluated: pd.DataFrame | None = None) -> Document:
    """The year's report as a :class:`Document`.

    ``evaluated`` is the output of ``evaluate`` (final verdicts in ``status``); without it
    the indicators are evaluated here.
    """
    if evaluated is None:
        from tongket_lib.evaluation.status import evaluate_year

        evaluated = evaluate_year(year_data)
    meta = year_data.meta
    year = parse_period(meta.get("year") or year_data.year)
    cited = _cited(year_data.awards, meta.get("decisions") or [])
    roman = meta.get("numbering") == "roman"
    tree = _tree(year_data.sections, evaluated, year, cited, roman)
    rows: dict[str, list[_Row]] = {}
    _indicator_rows(tree, rows, evaluated, year, year_data.contributions)
    _contribution_rows(tree, rows, year_data.contributions, year)
    unplaced = _award_rows(tree, rows, year_data.awards, year, meta.get("decisions") or [])
    plan = getattr(year_data, "plan", None)
    _plan_rows(tree, rows, plan, year, roman)
    for key, section in tree["by_key"].items():
        _lay_out(section, sorted(rows.get(key, []), key=lambda r: r.key),
                 tree["layouts"].get(key, ""))
    _attach_children(tree)
    body = list(tree["roots"]) + _awards_part(unplaced, year)
    kind = meta.get("document_type") or "Báo cáo"
    bases, opening = frame.bases(meta.get("legal_bases", [])), meta.get("opening") or ""
    if not opening:
        opening = frame.opening(meta, year)
        if len(bases) == 1:  # "Căn cứ Kế hoạch số …, Ban Chấp hành … báo cáo kết quả như sau:"
            bases, opening = [], f"{bases[0].rstrip('.;')}, {opening}"
    return Document(
        header=frame.header(meta, year), kind=kind.upper(),
        title=meta.get("title", ""), bases=bases, opening=opening, body=body,
        closing=meta.get("closing") or frame.closing(meta, kind),
        recipients=frame.recipients(meta.get("recipients", [])),
        signature=frame.signature(meta.get("signatory") or {}), year=year.id,
        banner=BANNER if meta.get("synthetic") else "")


# -- the section tree -------------------------------------------------------------------------

#: labels of lettered items, in the Vietnamese order (đ follows d; no f, j, w, z)
LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q",
           "r", "s", "t", "u", "v", "x", "y")


def letter(i: int) -> str:
    """The ``i``-th label of lettered items (0 → "a", 4 → "đ"; past "y": "aa", "ab" …).

    >>> [letter(i) for i in (0, 3, 4, 5, 22, 23)]
    ['a', 'd', 'đ', 'e', 'y', 'aa']
    """
    n = len(LETTERS)
    return LETTERS[i] if i < n else LETTERS[i // n - 1] + LETTERS[i % n]


def roman(n: int) -> str:
    """ ``roman(4) == "IV"`` """
    out = ""
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _default_label(key: str, roman_top: bool = False) -> str:
    """A section's printed number from its key: "1.2" → "1.2.", "1.2.a" → "a."; with Roman
    numerals for the top level, "1" → "I.", "1.2" → "2." and "1.2.3" → "c."."""
    parts = key.split(".")
    if roman_top and all(p.isdigit() for p in parts):
        if len(parts) == 1:
            return f"{roman(int(parts[0]))}."
        if len(parts) == 2:
            return f"{parts[1]}."
        return f"{letter(int(parts[-1]) - 1)}." if int(parts[-1]) >= 1 else ""
    if all(p.isdigit() for p in parts):
        return key + "."
    last = parts[-1]
    return f"{last}." if len(last) == 1 and last.isalpha() else ""


def _cited(awards: pd.DataFrame | None, decisions: list[Mapping[str, Any]]
           ) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Each award row's block and the decisions it cites (looked up in meta.yaml)."""
    if awards is None or "block" not in awards:
        return []
    known = {str(d.get("number", "")): d for d in decisions}
    out = []
    for block, numbers in awards[["block", "decision"]].astype("object").itertuples(index=False):
        cited = [n.strip() for n in S.text(numbers).split(";") if n.strip()]
        out.append((S.text(block), [known.get(n, {"number": n}) for n in cited]))
    return out


def _tree(sections: pd.DataFrame, evaluated: pd.DataFrame, year: Any,
          cited: list[tuple[str, list[Mapping[str, Any]]]], roman_top: bool = False) -> dict:
    """Sections by key, each with its parent; indicator sections missing from
    sections.csv are added from the indicators' own section titles."""
    rows: list[dict] = [] if sections is None else [
        {k: S.text(v) for k, v in r.items()} for r in sections.to_dict("records")]
    listed = {r["section"] for r in rows}
    for key, title in evaluated[["section", "section_title"]].astype("object").itertuples(
            index=False):
        key = S.text(key)
        if key and key not in listed:
            rows.append({"section": key, "title": S.text(title)})
            listed.add(key)
    by_key: dict[str, Section] = {}
    roots: list[Section] = []
    children: dict[str, list[Section]] = {}
    layouts: dict[str, str] = {}
    for r in rows:
        key = r["section"]
        values = _section_values(r, evaluated, year, cited)
        heading = S.fill(_heading_pattern(r), values).strip()
        label = r.get("label") or _default_label(key, roman_top)
        section = Section(label=label, heading=heading, level=len(key.split(".")))
        section.blocks.extend(_lines(S.fill(r.get("text", ""), values)))
        by_key[key] = section
        layouts[key] = r.get("layout", "")
        parent = _parent(key, by_key)
        (children.setdefault(parent, []) if parent else roots).append(section)
    return {"by_key": by_key, "roots": roots, "children": children, "layouts": layouts}


def _parent(key: str, by_key: Mapping[str, Section]) -> str | None:
    parts = key.split(".")
    for n in range(len(parts) - 1, 0, -1):
        candidate = ".".join(parts[:n])
        if candidate in by_key:
            return candidate
    return None


def _heading_pattern(row: Mapping[str, str]) -> str:
    if row.get("heading"):
        return row["heading"]
    if row.get("stated_rollup"):
        return "{title}: {rollup}"
    if row.get("reported_status"):
        return "{title}: {verdict_text} đề ra"
    return "{title}:"


def _section_values(row: Mapping[str, str], evaluated: pd.DataFrame, year: Any,
                    cited: list[tuple[str, list[Mapping[str, Any]]]]) -> dict[str, str]:
    """The placeholder values of a section's heading and text."""
    key = row["section"]
    mine = evaluated.loc[evaluated["section"].astype("object") == key, "status"]
    counts = mine.astype("object").value_counts().to_dict()
    status = row.get("reported_status")
    decisions = [d for block, ds in cited if block == key or block.startswith(key + ".")
                 for d in ds]
    return {"title": row.get("title", ""), "rollup": S.rollup(counts),
            "verdict_text": S.phrase(status) if status else "",
            "decisions": S.decisions_text(decisions, " ".join(
                (row.get("title", ""), _heading_pattern(row), row.get("text", "")))),
            **S.period_values(year)}


def _lines(text: str, first: str = "paragraph") -> list[Block]:
    """Lines of text as blocks: a line starting with "- ", "+ " or "* " is a list item."""
    out: list[Block] = []
    for i, line in enumerate(t for t in (text or "").splitlines() if t.strip()):
        line = line.strip()
        marker = first if i == 0 else "paragraph"
        if line[:2] in ("- ", "+ ", "* "):
            marker, line = line[0], line[2:].strip()
        out.append(ListItem(marker, line) if marker in MARKERS else Paragraph(line))
    return out


def _add(container: Section, pattern_text: str, line: str) -> None:
    """Write one row's filled sentence into a container, joining or starting a line."""
    blocks = _lines(pattern_text, first=line if line != "join" else "paragraph")
    if line == "join" and blocks and container.blocks:
        last = container.blocks[-1]
        if isinstance(last, (Paragraph, ListItem)):
            last.text = f"{last.text} {blocks[0].text}".strip()  # type: ignore[union-attr]
            blocks = blocks[1:]
    container.blocks.extend(blocks)


#: the rank of each kind of row in a section when no row gives an ``order``
INDICATOR, CONTRIBUTION, AWARD, PLAN = range(4)


@dataclass
class _Row:
    """One row's line in its section: its place in the order, its filled sentence, how the
    line starts, and (for an indicator) the cells of a table layout."""

    key: tuple[float, int, int]
    text: str
    line: str
    cells: list[str] = field(default_factory=list)


def _order(row: Mapping[str, Any], rank: int, position: int) -> tuple[float, int, int]:
    order = row.get("order")
    if isinstance(order, (int, float)) and not math.isnan(order):
        return (float(order), rank, position)
    return (math.inf, rank, position)


def _place(tree: dict, *keys: Any) -> str | None:
    """The first of ``keys`` that names a section of the document."""
    return next((k for k in map(S.text, keys) if k and k in tree["by_key"]), None)


def _indicator_rows(tree: dict, rows: dict[str, list[_Row]], evaluated: pd.DataFrame,
                    year: Any, contributions: pd.DataFrame | None) -> None:
    funds = "" if contributions is None else "; ".join(
        f"{S.text(r['name'])}: {vn.format_money(r['amount_vnd'])}"
        for r in contributions.to_dict("records") if S.text(r.get("kind")) == "fund")
    total = "" if contributions is None else vn.format_money(
        contributions.loc[contributions["kind"].astype("object") == "fund", "amount_vnd"].sum())
    records = evaluated.astype("object").to_dict("records")
    values = {S.text(r.get("id")): S.indicator_values(r, year, funds, total) for r in records}

    def others(ref: str, name: str) -> str | None:
        return values.get(ref, {}).get(name)

    for i, r in enumerate(records):
        v = values[S.text(r.get("id"))]
        pattern = S.text(r.get("sentence"))
        sentence = S.fill(pattern, v, others) if pattern else S.generated_sentence(v)
        key = _place(tree, r.get("block"), r.get("section"))
        if key is not None:
            cells = [v["name"], v["target"], v["result"],
                     LABELS.get(S.text(r.get("status")), "") if v["kind"] != "result" else ""]
            rows.setdefault(key, []).append(
                _Row(_order(r, INDICATOR, i), sentence, S.text(r.get("line")), cells))


def _contribution_rows(tree: dict, rows: dict[str, list[_Row]],
                       contributions: pd.DataFrame | None, year: Any) -> None:
    """Fund drives and supports whose ``section`` places them in the document."""
    if contributions is None or contributions.empty or "section" not in contributions:
        return
    for i, r in enumerate(contributions.astype("object").to_dict("records")):
        key = _place(tree, r.get("section"))
        if key is None:
            continue
        values = S.contribution_values(r, year)
        pattern = S.text(r.get("sentence"))
        sentence = S.fill(pattern, values) if pattern else S.contribution_sentence(values)
        rows.setdefault(key, []).append(_Row(_order(r, CONTRIBUTION, i), sentence,
                                             S.text(r.get("line"))))


def _award_rows(tree: dict, rows: dict[str, list[_Row]], awards: pd.DataFrame | None,
                year: Any, decisions: list[Mapping[str, Any]]) -> list[dict]:
    """Each award row's line in its block; return the rows with no place in the tree: all
    rows when none has a block, else those naming a block that does not exist (possible
    only without sections.csv). A row with an empty block among placed rows is left out on
    purpose (the report mentions it elsewhere; it stays in the appendix). Rows without a
    pattern of their own, next to each other in the same block, of the same grantor,
    title, state and decisions, make one line ("01 tập thể, 03 cá nhân")."""
    if awards is None or awards.empty:
        return []
    records = awards.astype("object").to_dict("records")
    if "block" not in awards or not any(S.text(r.get("block")) for r in records):
        return records
    known = {str(d.get("number", "")): d for d in decisions}
    unplaced: list[dict] = []
    group: list[dict] = []
    where: tuple[str, int] | None = None

    def flush() -> None:
        if group and where is not None:
            rows.setdefault(where[0], []).append(_Row(
                _order(group[0], AWARD, where[1]), S.award_sentence(group, RECIPIENTS, known),
                S.text(group[0].get("line"))))
        group.clear()

    for i, r in enumerate(records):
        block = S.text(r.get("block"))
        key = _place(tree, block)
        if key is None:
            flush()
            if block:
                unplaced.append(r)
            continue
        pattern = S.text(r.get("sentence"))
        if pattern or S.text(r.get("part")):
            flush()
            text = S.fill(pattern, S.award_values(r, year, RECIPIENTS)) if pattern \
                else S.part_sentence(r, RECIPIENTS)
            rows.setdefault(key, []).append(_Row(_order(r, AWARD, i), text,
                                                 S.text(r.get("line"))))
            continue
        same = group and where is not None and where[0] == key and all(
            S.text(r.get(c)) == S.text(group[0].get(c))
            for c in ("granted_by", "title", "state", "decision", "order"))
        if not same:
            flush()
            where = (key, i)
        group.append(r)
    flush()
    return unplaced


def _plan_rows(tree: dict, rows: dict[str, list[_Row]], plan: pd.DataFrame | None,
               year: Any, roman_top: bool) -> None:
    """Next period's targets: each in its section, or in a part of their own at the end
    ("Phương hướng, nhiệm vụ năm …", numbered after the last numbered part)."""
    if plan is None or plan.empty:
        return
    for i, r in enumerate(plan.astype("object").to_dict("records")):
        key = _place(tree, r.get("section"))
        if key is None:
            key = _plan_part(tree, year, roman_top)
        values = S.plan_values(r, year)
        pattern = S.text(r.get("sentence"))
        sentence = S.fill(pattern, values) if pattern else S.plan_sentence(values)
        rows.setdefault(key, []).append(_Row(_order(r, PLAN, i), sentence,
                                             S.text(r.get("line"))))


PLAN_KEY = "phuong-huong"


def _plan_part(tree: dict, year: Period, roman_top: bool) -> str:
    """The key of the plan's own part, made the first time it is needed."""
    if PLAN_KEY not in tree["by_key"]:
        numbers = [int(k) for k in tree["by_key"] if k.isdigit()]
        n = max(numbers, default=0) + 1
        section = Section(label=f"{roman(n)}." if roman_top else f"{n}.",
                          heading=f"Phương hướng, nhiệm vụ {year.next().label}:", level=1)
        tree["by_key"][PLAN_KEY] = section
        tree["roots"].append(section)
        tree["layouts"][PLAN_KEY] = ""
    return PLAN_KEY


TABLE_HEADER = ["STT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Đánh giá"]


def _lay_out(section: Section, rows: list[_Row], layout: str) -> None:
    """Write a section's rows as its layout says (see the module docstring)."""
    if layout == "table":
        table = [r for r in rows if r.cells]
        if table:
            section.blocks.append(Table([TABLE_HEADER] + [
                [str(i), *(c or BLANK if j < 3 else c for j, c in enumerate(r.cells))]
                for i, r in enumerate(table, start=1)]))
        rows = [r for r in rows if not r.cells]
    lettered = 0
    for i, r in enumerate(rows):
        if layout == "inline" and i == 0 and not section.blocks and r.line != "join":
            first, *more = _lines(r.text)
            section.lead = first.text  # type: ignore[union-attr]
            section.blocks.extend(more)
        elif layout == "letters" and r.line != "join":
            first, *more = _lines(r.text)
            section.blocks.append(ListItem(f"{letter(lettered)}.", first.text))  # type: ignore[union-attr]
            section.blocks.extend(more)
            lettered += 1
        else:
            line = r.line or "-"
            if line == "join" and layout == "inline" and not section.blocks and section.lead:
                section.lead = f"{section.lead} {r.text}"
                continue
            _add(section, r.text, line)


def _awards_part(rows: list[dict], year: Any) -> list[Section]:
    """Awards the data does not place are still listed: an unnumbered part (no invented
    number), one group per stream."""
    if not rows:
        return []
    groups: dict[str, Section] = {}
    for r in rows:
        stream = S.text(r.get("stream"))
        group = groups.setdefault(stream, Section("-", f"{STREAMS.get(stream, stream)}:", 2))
        values = S.award_values(r, year, RECIPIENTS)
        pattern = (S.AWARD_DEFAULT if not values["part"]
                   else "Trong đó {part}: {count:02} {recipient}")
        if S.text(r.get("state")) == "proposed":
            pattern = "Đề nghị {granted_by}: " + pattern
        elif not values["part"]:
            pattern = "{granted_by}: " + pattern
        group.blocks.append(ListItem("+" if values["part"] else "-", S.fill(pattern, values)))
    return [Section("", f"Công tác thi đua, khen thưởng {year.label}:", 1,
                    list(groups.values()))]


def _attach_children(tree: dict) -> None:
    """Put each section's sub-sections after its own lines (done once, after filling)."""
    for key, section in tree["by_key"].items():
        section.blocks.extend(tree["children"].get(key, []))
