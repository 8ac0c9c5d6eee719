"""Figures across many units from the tidy tables of :mod:`consolidate`: coverage,
totals, each indicator's spread, each unit's share of indicators met, the watch list,
and the group's years.

Every function takes the stored tables (categorical text columns) and returns a small
DataFrame, sized by the number of indicators, titles or years, never by the number of
units, except :func:`unit_scores` (one row a unit) which the charts summarise.
"""

from __future__ import annotations

import pandas as pd

from tongket_lib.vocab import EXCEEDED, MET, NOT_ASSESSED, NOT_MET, VERDICTS

#: a unit whose share of indicators met is under this is on the watch list
WATCH_SHARE = 50.0
#: the ranking, as the report states it
RANKING_CRITERIA = ("tỷ lệ chỉ tiêu đạt hoặc vượt trên số chỉ tiêu đã đánh giá (cao xếp trước);"
                    " bằng nhau thì xét số chỉ tiêu vượt (nhiều xếp trước), rồi số chỉ tiêu"
                    " không đạt (ít xếp trước), rồi mã đơn vị")


def _plain(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Copy of ``columns`` with categoricals as plain objects (no empty-category rows)."""
    out = frame[columns].copy()
    for c in columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(object)
    return out


def coverage_counts(coverage: pd.DataFrame) -> pd.DataFrame:
    """Per period (``period``: "2024", "2024-2025"; ``year``: the year it starts in): units
    received, with errors, missing, and the total expected."""
    states = ("received", "error", "missing")
    table = (_plain(coverage, ["year", "period", "state"]).groupby(["year", "period", "state"])
             .size().unstack(fill_value=0).reindex(columns=list(states), fill_value=0))
    table["total"] = table.sum(axis=1)
    return table.reset_index()


def problem_units(coverage: pd.DataFrame, state: str = "error") -> pd.DataFrame:
    """Units of one state (``error`` or ``missing``), with their problems, by unit id."""
    rows = coverage[coverage["state"] == state]
    return _plain(rows, ["unit_id", "unit_name", "unit_group", "year", "n_problems",
                         "problems"]).sort_values(["year", "unit_id"]).reset_index(drop=True)


def award_totals(awards: pd.DataFrame) -> pd.DataFrame:
    """Awards summed by title code, title, level and state (detail rows “Trong đó” left
    out: they are part of their total row), with the number of units reporting each."""
    main = awards[awards["part"].isna() & awards["count"].notna()]
    main = _plain(main, ["code", "title", "level", "state", "recipient", "count", "unit_id"])
    if main.empty:
        return pd.DataFrame(columns=["code", "title", "level", "state", "count", "units"])
    main["code"] = main["code"].fillna("")
    grouped = main.groupby(["code", "level", "state"], dropna=False)
    out = pd.DataFrame({
        "title": grouped["title"].agg(lambda s: s.mode().iat[0]),
        "count": grouped["count"].sum().astype("int64"),
        "units": grouped["unit_id"].nunique()}).reset_index()
    return out.sort_values(["state", "count"], ascending=[True, False]).reset_index(drop=True)


def money_totals(contributions: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Fund drives and support per kind (optionally per ``by``, e.g. ``unit_group``):
    items, cases, amount in đồng and the number of units."""
    keys = [k for k in (by, "kind") if k]
    frame = _plain(contributions, [*keys, "items", "cases", "amount_vnd", "unit_id"])
    if frame.empty:
        return pd.DataFrame(columns=[*keys, "items", "cases", "amount_vnd", "units"])
    grouped = frame.groupby(keys)
    return pd.DataFrame({"items": grouped["items"].sum(), "cases": grouped["cases"].sum(),
                         "amount_vnd": grouped["amount_vnd"].sum(),
                         "units": grouped["unit_id"].nunique()}).reset_index()


def verdict_spread(indicators: pd.DataFrame) -> pd.DataFrame:
    """Per indicator (``id``): its name, section, target most used, the number of units
    with each verdict and the units' actual values summarised (median, quartiles)."""
    frame = _plain(indicators, ["id", "name", "section", "target", "unit", "status", "actual",
                                "unit_id"])
    if frame.empty:
        return pd.DataFrame(columns=["id", "name", "units", *VERDICTS])
    counts = (frame.groupby(["id", "status"]).size().unstack(fill_value=0)
              .reindex(columns=list(VERDICTS), fill_value=0))
    first = frame.groupby("id", sort=False)
    info = pd.DataFrame({
        "name": first["name"].agg(lambda s: s.mode().iat[0]),
        "section": first["section"].first(),
        "target": first["target"].agg(lambda s: s.mode().iat[0] if s.notna().any() else None),
        "unit": first["unit"].agg(lambda s: s.mode().iat[0] if s.notna().any() else None),
        "units": first["unit_id"].nunique(),
        "q1": first["actual"].quantile(0.25), "median": first["actual"].median(),
        "q3": first["actual"].quantile(0.75)})
    out = info.join(counts)
    out["share_met"] = 100 * (out[MET] + out[EXCEEDED]) / out["units"].clip(lower=1)
    return out.reset_index().sort_values(["section", "id"], kind="stable").reset_index(drop=True)


def unit_scores(indicators: pd.DataFrame) -> pd.DataFrame:
    """One row a unit (of one year): verdict counts, share met (đạt or vượt over the
    indicators with a verdict), disagreements with its own report, and its rank."""
    frame = _plain(indicators, ["unit_id", "unit_name", "unit_group", "status",
                                "status_agrees"])
    if frame.empty:
        return pd.DataFrame(columns=["unit_id", "unit_name", "unit_group", "share_met", "rank"])
    counts = (frame.groupby(["unit_id", "status"]).size().unstack(fill_value=0)
              .reindex(columns=list(VERDICTS), fill_value=0))
    names = frame.groupby("unit_id")[["unit_name", "unit_group"]].first()
    out = names.join(counts)
    out["indicators"] = counts.sum(axis=1)
    assessed = (out["indicators"] - out[NOT_ASSESSED]).clip(lower=0)
    out["assessed"] = assessed
    out["share_met"] = (100 * (out[MET] + out[EXCEEDED]) / assessed.where(assessed > 0))
    out["disagreements"] = (frame.assign(d=frame["status_agrees"].eq(False))
                            .groupby("unit_id")["d"].sum())
    out = out.reset_index()
    out = out.sort_values(["share_met", EXCEEDED, NOT_MET, "unit_id"],
                          ascending=[False, False, True, True], na_position="last")
    out["rank"] = range(1, len(out) + 1)
    return out.reset_index(drop=True)


def watch_list(scores: pd.DataFrame, threshold: float = WATCH_SHARE) -> pd.DataFrame:
    """Units to watch: share met under ``threshold``, or no indicator assessed; worst first."""
    rows = scores[(scores["share_met"] < threshold) | scores["share_met"].isna()]
    return rows.sort_values(["share_met", NOT_MET], ascending=[True, False],
                            na_position="first").reset_index(drop=True)


def yearly(tidy) -> pd.DataFrame:
    """The whole group per year: units received, share of indicators met (all units'
    indicators pooled), median unit share, awards granted, money raised and spent
    (``tidy``: a :class:`~tongket_lib.units.consolidate.Tidy`)."""
    indicators, awards, contributions, coverage = (
        tidy.indicators, tidy.awards, tidy.contributions, tidy.coverage)
    cov = coverage_counts(coverage).set_index("year")
    ind = _plain(indicators, ["year", "status", "unit_id"])
    assessed = ind[ind["status"] != NOT_ASSESSED]
    met = assessed["status"].isin([MET, EXCEEDED])
    pooled = 100 * met.groupby(assessed["year"]).mean()
    per_unit = (100 * met.groupby([assessed["year"], assessed["unit_id"]]).mean()
                ).groupby(level=0).median()
    granted = awards[(awards["state"] == "granted") & awards["part"].isna()]
    award_sum = granted.groupby("year")["count"].sum()
    money = _plain(contributions, ["year", "kind", "amount_vnd"]).pivot_table(
        index="year", columns="kind", values="amount_vnd", aggfunc="sum")
    out = pd.DataFrame({"received": cov["received"], "error": cov["error"],
                        "missing": cov["missing"], "share_met": pooled,
                        "median_unit_share": per_unit, "awards_granted": award_sum,
                        "fund_vnd": money.get("fund"), "support_vnd": money.get("support")})
    out.index.name = "year"
    return out.reset_index()
