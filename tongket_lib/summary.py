"""The year at a glance: the few totals a reader wants first, and their text form."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .checks import SEVERITIES, SEVERITY_LABELS, Finding
from .data import YearData, shown
from .schema import RECIPIENTS
from .status import TOTAL
from .verdicts import VERDICTS
from .vn import format_money, format_number


@dataclass(frozen=True)
class Glance:
    """Headline figures of one year."""

    indicators: int
    sections: int
    verdicts: dict[str, int]
    sentence: str
    granted: dict[str, int]   # recipient → count of awards granted
    proposed: dict[str, int]  # recipient → count of awards proposed
    funds_total: int
    funds_items: int
    support_total: int
    support_items: int
    support_cases: int


def glance(year_data: YearData, rolled: pd.DataFrame) -> Glance:
    """Headline figures from a year's data and its roll-up."""
    total = rolled[rolled["section"] == TOTAL].iloc[0]
    awards = year_data.awards[year_data.awards["part"].isna() & year_data.awards["count"].notna()]

    def by_recipient(state: str) -> dict[str, int]:
        rows = awards[awards["state"] == state]
        sums = rows.groupby("recipient", observed=True)["count"].sum()
        return {r: int(sums[r]) for r in RECIPIENTS if r in sums.index}

    c = year_data.contributions
    funds = c[(c["kind"] == "fund") & c["amount_vnd"].notna()]
    support = c[(c["kind"] == "support") & c["amount_vnd"].notna()]
    return Glance(
        indicators=int(total["total"]), sections=len(rolled) - 1,
        verdicts={v: int(total[v]) for v in VERDICTS}, sentence=str(total["sentence"]),
        granted=by_recipient("granted"), proposed=by_recipient("proposed"),
        funds_total=int(funds["amount_vnd"].sum()), funds_items=len(funds),
        support_total=int(support["amount_vnd"].sum()), support_items=len(support),
        support_cases=int(support["cases"].fillna(0).sum()))


def _counts(counts: dict[str, int]) -> str:
    if not counts:
        return "không có"
    return ", ".join(f"{format_number(n)} lượt {RECIPIENTS[r].lower()}" for r, n in counts.items())


def check_text(year_data: YearData, rolled: pd.DataFrame, findings: list[Finding]) -> str:
    """What ``tongket check`` prints: the year, its roll-ups, awards, money and findings."""
    g = glance(year_data, rolled)
    meta = year_data.meta
    lines = [
        f"Năm {year_data.year}: {meta.get('organisation', '')}",
        f"{meta.get('title', '')}",
        f"Dữ liệu đúng định dạng: {shown(year_data.folder)}"
        + (" (DỮ LIỆU MINH HỌA, không phải số liệu thật)" if year_data.synthetic else ""),
        "",
        f"Chỉ tiêu: {g.indicators} chỉ tiêu trong {g.sections} mục",
    ]
    width = max((len(str(s)) for s in rolled["section"]), default=5)
    for _, r in rolled.iterrows():
        label = "Cả năm" if r["section"] == TOTAL else r["section"]
        lines.append(f"  {label:<{width}}  {int(r['total']):>3} chỉ tiêu  {r['sentence']}")
    lines += [
        "",
        f"Khen thưởng đã có quyết định: {_counts(g.granted)}; đang đề nghị: {_counts(g.proposed)}.",
        f"Vận động quỹ: {g.funds_items} khoản, {format_money(g.funds_total)}.",
        f"Hỗ trợ, thăm hỏi: {g.support_items} khoản, {format_number(g.support_cases)} trường"
        f" hợp, {format_money(g.support_total)}.",
        "",
    ]
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    lines.append("Kết quả kiểm tra: " + ", ".join(
        f"{counts[s]} {SEVERITY_LABELS[s].lower()}" for s in SEVERITIES))
    for severity in SEVERITIES:
        group = [f for f in findings if f.severity == severity]
        if group:
            lines.append(f"{SEVERITY_LABELS[severity]}:")
            lines += [f"  - {f.message}" + (f" [{f.where}]" if f.where else "") for f in group]
    return "\n".join(lines)
