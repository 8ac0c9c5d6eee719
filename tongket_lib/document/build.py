"""Build the year's report document from its data, in the report's own order and words.

The body follows ``sections.csv`` (the report's numbering as the data gives it; no
invented numbers, a gap kept), each section writing its heading, its own lines
(``text``), then its indicators and awards (in file order, each in its ``block`` or
its section) and then its sub-sections. Whatever the data does not know (số, ngày,
chức vụ, họ tên) is the dotted blank :data:`~tongket_lib.document.model.BLANK`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from tongket_lib import vn
from tongket_lib.dataset.schema import RECIPIENTS, STREAMS
from tongket_lib.document import sentences as S
from tongket_lib.document.model import (
    BLANK,
    Block,
    Document,
    Header,
    ListItem,
    Paragraph,
    Section,
    Signature,
)
from tongket_lib.vocab import BANNER

MARKERS = ("-", "+", "*")
#: the shorter dotted blank of an unknown day or month in the date line
DAY_BLANK = "……"


def build_document(year_data: Any, evaluated: pd.DataFrame | None = None) -> Document:
    """The year's report as a :class:`Document`.

    ``evaluated`` is the output of ``evaluate`` (final verdicts in ``status``); without it
    the indicators are evaluated here.
    """
    if evaluated is None:
        from tongket_lib.evaluation.status import evaluate

        evaluated = evaluate(year_data.indicators, year_data.sections)
    meta = year_data.meta
    year = meta.get("year") or year_data.year
    cited = _cited(year_data.awards, meta.get("decisions") or [])
    tree = _tree(year_data.sections, evaluated, year, cited)
    _fill_indicators(tree, evaluated, year, year_data.contributions)
    unplaced = _fill_awards(tree, year_data.awards, year)
    _attach_children(tree)
    body = list(tree["roots"]) + _awards_part(unplaced, year)
    return Document(
        header=_header(meta, year), kind=(meta.get("document_type") or "Báo cáo").upper(),
        title=meta.get("title", ""), bases=_bases(meta.get("legal_bases", [])),
        opening=meta.get("opening") or f"Kết quả thực hiện năm {year} như sau:",
        body=body,
        closing=meta.get("closing") or f"Trên đây là {meta.get('title', 'báo cáo')}./.",
        recipients=_recipients(meta.get("recipients", [])),
        signature=_signature(meta.get("signatory") or {}), year=year,
        banner=BANNER if meta.get("synthetic") else "")


# -- header, opening, closing -----------------------------------------------------------------

def _header(meta: Mapping[str, Any], year: Any) -> Header:
    upper = meta.get("header_upper") or (meta.get("upper_union") or "").upper()
    issuer = meta.get("header_issuer") or (meta.get("union") or "").upper()
    number = meta.get("number") or ""
    if not number:
        number = BLANK
    elif number.startswith("/"):
        number = BLANK + number
    place = meta.get("place") or BLANK
    date = meta.get("date") or ""
    if date:
        day = vn.parse_date(date)
        when = f"ngày {day:%d} tháng {day:%m} năm {day.year}"
    else:
        when = f"ngày {DAY_BLANK} tháng {DAY_BLANK} năm {year}"
    return Header(upper=upper or BLANK, issuer=issuer or BLANK, number=f"Số: {number}",
                  place_date=f"{place}, {when}")


def _bases(bases: list[Mapping[str, Any]]) -> list[str]:
    texts = [str(b.get("text", "")).strip().rstrip(";.") for b in bases if b.get("text")]
    return [f"Căn cứ {t}{'.' if i == len(texts) - 1 else ';'}" for i, t in enumerate(texts)]


def _recipients(recipients: list[str]) -> list[str]:
    texts = [r.strip().rstrip(";.") for r in recipients if r and r.strip()]
    return [f"{t}{'.' if i == len(texts) - 1 else ';'}" for i, t in enumerate(texts)]


def _signature(signatory: Mapping[str, Any]) -> Signature:
    return Signature(on_behalf=signatory.get("on_behalf") or "TM. BAN CHẤP HÀNH",
                     title=(signatory.get("title") or "").upper() or BLANK,
                     name=signatory.get("name") or BLANK)


# -- the section tree -------------------------------------------------------------------------

def _default_label(key: str) -> str:
    parts = key.split(".")
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
          cited: list[tuple[str, list[Mapping[str, Any]]]]) -> dict:
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
    for r in rows:
        key = r["section"]
        values = _section_values(r, evaluated, year, cited)
        heading = S.fill(_heading_pattern(r), values).strip()
        label = r.get("label") or _default_label(key)
        section = Section(label=label, heading=heading, level=len(key.split(".")))
        section.blocks.extend(_lines(S.fill(r.get("text", ""), values)))
        by_key[key] = section
        parent = _parent(key, by_key)
        (children.setdefault(parent, []) if parent else roots).append(section)
    return {"by_key": by_key, "roots": roots, "children": children}


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
            "year": str(year or "")}


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


def _fill_indicators(tree: dict, evaluated: pd.DataFrame, year: Any,
                     contributions: pd.DataFrame | None) -> None:
    funds = "" if contributions is None else "; ".join(
        f"{S.text(r['name'])}: {vn.format_money(r['amount_vnd'])}"
        for r in contributions.to_dict("records") if S.text(r.get("kind")) == "fund")
    total = "" if contributions is None else vn.format_money(
        contributions.loc[contributions["kind"].astype("object") == "fund", "amount_vnd"].sum())
    records = evaluated.astype("object").to_dict("records")
    values = {S.text(r.get("id")): S.indicator_values(r, year, funds, total) for r in records}

    def others(ref: str, name: str) -> str | None:
        return values.get(ref, {}).get(name)

    for r in records:
        v = values[S.text(r.get("id"))]
        pattern = S.text(r.get("sentence"))
        sentence = S.fill(pattern, v, others) if pattern else S.generated_sentence(v)
        container = (tree["by_key"].get(S.text(r.get("block")))
                     or tree["by_key"].get(S.text(r.get("section"))))
        if container is not None:
            _add(container, sentence, S.text(r.get("line")) or "-")


def _fill_awards(tree: dict, awards: pd.DataFrame | None, year: Any) -> list[dict]:
    """Write each award row in its block; return the rows with no place in the tree: all
    rows when none has a block, else those naming a block that does not exist (possible
    only without sections.csv). A row with an empty block among placed rows is left out on
    purpose (the report mentions it elsewhere; it stays in the appendix)."""
    if awards is None or awards.empty:
        return []
    rows = awards.astype("object").to_dict("records")
    if "block" not in awards or not any(S.text(r.get("block")) for r in rows):
        return rows
    unplaced = []
    for r in rows:
        key = S.text(r.get("block"))
        container = tree["by_key"].get(key)
        if container is None:
            if key:
                unplaced.append(r)
            continue
        pattern = S.text(r.get("sentence")) or S.AWARD_DEFAULT
        _add(container, S.fill(pattern, S.award_values(r, year, RECIPIENTS)),
             S.text(r.get("line")) or "-")
    return unplaced


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
    return [Section("", f"Công tác thi đua, khen thưởng năm {year}:", 1, list(groups.values()))]


def _attach_children(tree: dict) -> None:
    """Put each section's sub-sections after its own lines (done once, after filling)."""
    for key, section in tree["by_key"].items():
        section.blocks.extend(tree["children"].get(key, []))
