"""The year at a glance: the few totals a reader wants first, and their text form."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from tongket_lib.dataset.load import YearData
from tongket_lib.dataset.schema import RECIPIENTS
from tongket_lib.evaluation.status import TOTAL
from tongket_lib.vocab import DUTY, INDICATOR, VERDICTS


@dataclass(frozen=True)
class Glance:
    """Headline figures of one year."""

    indicators: int           # rows that are indicators (chỉ tiêu), duties not counted
    sections: int
    verdicts: dict[str, int]  # verdicts of the indicators
    sentence: str             # the year's sentence, indicators and duties apart
    granted: dict[str, int]   # recipient → count of awards granted (đã công nhận, đã khen)
    proposed: dict[str, int]  # recipient → count of awards proposed (đang đề nghị)
    funds_total: int
    funds_items: int
    support_total: int
    support_items: int
    support_cases: int
    duties: int = 0           # duties and undertakings (trách nhiệm, giao ước)
    results: int = 0          # plain results (kết quả): figures without a verdict
    duty_verdicts: dict[str, int] = field(default_factory=dict)
    #: of the awards granted, those whose row cites a decision
    granted_with_decision: dict[str, int] = field(default_factory=dict)


def glance(year_data: YearData, rolled: pd.DataFrame) -> Glance:
    """Headline figures from a year's data and its roll-up.

    Indicators and duties are counted apart (the roll-up's ``indicators`` and ``duties``
    columns); awards granted are counted with, and apart, those that cite a decision.
    """
    total = rolled[rolled["section"] == TOTAL].iloc[0]
    awards = year_data.awards[year_data.awards["part"].isna() & year_data.awards["count"].notna()]

    def by_recipient(state: str, decided: bool = False) -> dict[str, int]:
        rows = awards[awards["state"] == state]
        if decided:
            cited = rows["decision"].astype(object)
            rows = rows[cited.notna() & (cited.astype(str).str.strip() != "")]
        sums = rows.groupby("recipient", observed=True)["count"].sum()
        return {r: int(sums[r]) for r in RECIPIENTS if r in sums.index}

    c = year_data.contributions
    funds = c[(c["kind"] == "fund") & c["amount_vnd"].notna()]
    support = c[(c["kind"] == "support") & c["amount_vnd"].notna()]
    by_kind = rolled.attrs.get("by_kind")
    verdicts = {v: int(total[v]) for v in VERDICTS}
    duty_verdicts: dict[str, int] = {}
    if by_kind:  # indicators and duties apart
        verdicts, duty_verdicts = dict(by_kind[INDICATOR]), dict(by_kind[DUTY])
    return Glance(
        indicators=int(total["indicators"]) if "indicators" in rolled else int(total["total"]),
        sections=len(rolled) - 1, verdicts=verdicts, sentence=str(total["sentence"]),
        granted=by_recipient("granted"), proposed=by_recipient("proposed"),
        funds_total=int(funds["amount_vnd"].sum()), funds_items=len(funds),
        support_total=int(support["amount_vnd"].sum()), support_items=len(support),
        support_cases=int(support["cases"].fillna(0).sum()),
        duties=int(total["duties"]) if "duties" in rolled else 0, duty_verdicts=duty_verdicts,
        results=int(total["results"]) if "results" in rolled else 0,
        granted_with_decision=by_recipient("granted", decided=True))
