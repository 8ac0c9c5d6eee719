"""The year at a glance: the few totals a reader wants first, and their text form."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from tongket_lib.dataset.load import YearData
from tongket_lib.dataset.schema import RECIPIENTS
from tongket_lib.evaluation.status import TOTAL
from tongket_lib.vocab import VERDICTS


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
