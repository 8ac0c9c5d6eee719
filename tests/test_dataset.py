"""data/2024 is a faithful and complete extraction of the seed report."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tongket_lib import load_year, parse_target
from tongket_lib.vn import parse_number

# Spans of the report that hold numbers which are not figures: dates, document and
# section numbers, names ("Chỉ thị số 27"), enumerations. Removed before counting.
NOT_FIGURES = [
    r"\d{1,2}/\d{1,2}/\d{4}",                        # 29/11/2024
    r"\d{1,2} tháng \d{1,2} năm \d{4}",               # 09 tháng 01 năm 2015
    r"\d+/(?:\d{4}/)?[A-ZĐ][\w&-]*",                  # 481/QĐ-STNMT, 04/2015/NĐ-CP
    r"\b\d{1,2}/\d{1,2}\b",                           # 8/3, 01/6 (days of the year)
    r"[Nn]ăm \d{4}", r"Quý [IVX]+/\d{4}",             # years
    r"ISO 9001:2015", r"tiêu chí \d+\.\d+",
    r"Chỉ thị số [\d, ]+ và Chương trình \d+",
    r"“5 không”", r"\b\d\)", r"[Mm]ức độ \d", r"Khối \d+",
    r"(?m)^\s*(?:\d+\.)+\d*\.?", r"(?m)^\s*[a-zđ][.)]",  # section numbering
]
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)(?:\s*(triệu|tỷ))?(?![\w])")


@pytest.fixture(scope="module")
def y2024():
    return load_year(2024)


def sources(frame: pd.DataFrame) -> list[str]:
    return [s for s in frame["source"].dropna() for s in s.split(" … ")]


def test_every_source_is_verbatim_in_the_report(y2024, seed_text):
    frames = [y2024.indicators, y2024.awards, y2024.contributions, y2024.sections]
    missing = [s for f in frames for s in sources(f) if s not in seed_text]
    assert not missing, missing
    assert y2024.indicators["source"].notna().all()


def test_report_wording_of_targets_gives_the_same_target(y2024):
    rows = y2024.indicators.dropna(subset=["target", "target_text"])
    assert len(rows) > 30
    for _, r in rows.iterrows():
        assert str(parse_target(r["target_text"])) == r["target"], r["id"]


def test_reported_verdicts_match_the_words_of_the_source(y2024):
    ind = y2024.indicators
    for _, r in ind.iterrows():
        text = r["source"].lower()
        if r["reported_status"] == "not_met":
            assert "không đạt" in text or "không đạt" in str(r["note"]).lower(), r["id"]
        if r["reported_status"] == "exceeded":
            assert "vượt" in text, r["id"]


def structured_values(yd) -> set[float]:
    ind, aw, co = yd.indicators, yd.awards, yd.contributions
    values: set[float] = set()
    for series in (ind["actual"], ind["exceed_at"], ind["count"], aw["count"],
                   co["cases"], co["amount_vnd"], co["per_case_vnd"]):
        values |= {float(v) for v in series.dropna()}
    for t in ind["target"].dropna():
        target = parse_target(t)
        values |= {b for b in (target.low, target.high) if b is not None}
    return values


def texts(yd) -> str:
    parts = [yd.indicators[c].dropna() for c in ("name", "note", "section_title")]
    parts += [yd.awards[c].dropna() for c in ("title", "part", "note")]
    parts += [yd.contributions[c].dropna() for c in ("name", "note")]
    return "\n".join("\n".join(p) for p in parts) + "\n" + str(yd.meta)


def test_every_figure_of_the_report_is_in_the_data(y2024, seed_text):
    cleaned = seed_text
    for pattern in NOT_FIGURES:
        cleaned = re.sub(pattern, " ", cleaned)
    values, text = structured_values(y2024), texts(y2024)
    missing = []
    for m in NUMBER.finditer(cleaned):
        token, scale = m.group(1), m.group(2)
        value = parse_number(token) * {None: 1, "triệu": 10**6, "tỷ": 10**9}[scale]
        if float(value) in values or re.search(rf"(?<![\d.,]){re.escape(token)}(?![\d])", text):
            continue
        missing.append(m.group(0))
    assert not missing, f"figures of the report not found in data/2024: {missing}"
    assert len(list(NUMBER.finditer(cleaned))) > 80  # the test really looks at the figures


def test_meta_holds_the_years_facts(y2024, seed_text):
    meta = y2024.meta
    for d in meta["decisions"]:
        assert d["number"] in seed_text
        assert d["date"].strftime("%d/%m/%Y") in seed_text or \
            d["date"].strftime("%d/%m/%Y").replace("/06/", "/6/") in seed_text
    assert all(b["text"].split(" ")[0] in seed_text for b in meta["legal_bases"])
    for recipient in meta["recipients"]:
        assert recipient in seed_text
    assert meta["title"] in seed_text
