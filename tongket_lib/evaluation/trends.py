"""Several years side by side: one tidy table, indicator series, changes and progress.

:func:`load_years` loads and evaluates several years into one tidy DataFrame (one row
per year and indicator) that a pandas user can filter, group and pivot. Indicators
are matched across years by ``id``; an id that is new, dropped, interrupted or renamed
is reported in :attr:`Years.changes`, never silently dropped.

:func:`progress` classifies each indicator after the Open SDG progress measure
(method 2, quantitative target): the compound growth actually achieved from the first
to the latest year, divided by the growth that was needed to reach the target; at
least 0,95 is on track, 0,6 to 0,95 needs acceleration, 0 to 0,6 is limited progress,
below 0 moves away; an indicator that meets its latest target has reached it.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tongket_lib import targets as T
from tongket_lib.dataset.layout import parse_years
from tongket_lib.dataset.load import YearData, load_year
from tongket_lib.errors import DataError
from tongket_lib.evaluation.status import evaluate_year
from tongket_lib.period import Period
from tongket_lib.vocab import DUTY, VERDICTS

TARGET_REACHED = "target_reached"
ON_TRACK = "on_track"
ACCELERATION_NEEDED = "acceleration_needed"
LIMITED_PROGRESS = "limited_progress"
MOVING_AWAY = "moving_away"
PROGRESS_CLASSES = (TARGET_REACHED, ON_TRACK, ACCELERATION_NEEDED, LIMITED_PROGRESS, MOVING_AWAY)
PROGRESS_LABELS = {
    TARGET_REACHED: "Đã đạt chỉ tiêu",
    ON_TRACK: "Đúng hướng, đủ nhanh",
    ACCELERATION_NEEDED: "Có tiến bộ, cần tăng tốc",
    LIMITED_PROGRESS: "Tiến bộ hạn chế",
    MOVING_AWAY: "Đi ngược chỉ tiêu",
}
PROGRESS_COLOURS = {
    TARGET_REACHED: "#1f5fa8", ON_TRACK: "#2e8540", ACCELERATION_NEEDED: "#d9a400",
    LIMITED_PROGRESS: "#e67e22", MOVING_AWAY: "#c0392b",
}
#: Open SDG's default thresholds for method 2 (ratio of observed to required growth)
THRESHOLDS = {"high": 0.95, "med": 0.6, "low": 0.0}
_ZERO = 0.001  # Open SDG replaces a zero base or target by this to keep growth defined


@dataclass
class Years:
    """Several years' data: tidy tables with a ``year`` column, meta per year."""

    years: list[Period]
    indicators: pd.DataFrame
    awards: pd.DataFrame
    contributions: pd.DataFrame
    meta: dict[Period, dict]
    changes: pd.DataFrame

    @property
    def synthetic(self) -> bool:
        """True when any year is demonstration data."""
        return any(m.get("synthetic") for m in self.meta.values())


def load_years(years: str | list | range | None = None,
               data: str | os.PathLike | None = None) -> Years:
    """Load, validate and evaluate several years; problems of every year in one error."""
    wanted = parse_years(years, data)
    loaded: list[YearData] = []
    problems = []
    for year in wanted:
        try:
            loaded.append(load_year(year, data))
        except DataError as exc:
            problems += exc.problems
    if problems:
        raise DataError(problems, heading=f"Dữ liệu các năm {', '.join(map(str, wanted))} có"
                                          f" {len(problems)} lỗi; sửa rồi chạy lại:")
    # ``year``: the year each period starts in (numbers to compare and plot), ``period``:
    # its identifier ("2024", "2024-2025")
    def dated(frame: pd.DataFrame, y: YearData) -> pd.DataFrame:
        return frame.assign(year=y.year.start, period=y.year.id)

    indicators = pd.concat([dated(evaluate_year(y), y) for y in loaded], ignore_index=True)
    indicators = indicators[["year", *[c for c in indicators.columns if c != "year"]]]
    awards = pd.concat([dated(y.awards, y) for y in loaded], ignore_index=True)
    contributions = pd.concat([dated(y.contributions, y) for y in loaded], ignore_index=True)
    return Years(years=[y.year for y in loaded], indicators=indicators,
                 awards=awards[["year", *[c for c in awards.columns if c != "year"]]],
                 contributions=contributions[["year", *[c for c in contributions.columns
                                                        if c != "year"]]],
                 meta={y.year: y.meta for y in loaded}, changes=id_changes(indicators))


def id_changes(tidy: pd.DataFrame) -> pd.DataFrame:
    """Indicators whose presence or name changes across the years.

    One row per affected id: ``change`` is ``new`` (appears after the first year),
    ``dropped`` (absent from the last year), ``gap`` (missing in a year in between) or
    ``renamed`` (its name differs between years), with a Vietnamese ``description``.
    """
    years = sorted(tidy["year"].unique())
    rows = []
    for ident, group in tidy.groupby("id", sort=False):
        present = sorted(group["year"].unique())
        names = list(dict.fromkeys(group.sort_values("year")["name"]))
        first, last = present[0], present[-1]
        missing = [y for y in years if first < y < last and y not in present]
        found = []
        if first > years[0]:
            found.append(("new", f"mới từ năm {first}"))
        if last < years[-1]:
            found.append(("dropped", f"không còn từ năm {years[years.index(last) + 1]}"))
        if missing:
            found.append(("gap", f"không có số liệu năm {', '.join(map(str, missing))}"))
        if len(names) > 1:
            found.append(("renamed", "đổi tên: " + " → ".join(f"“{n}”" for n in names)))
        for change, description in found:
            rows.append({"id": ident, "change": change, "first_year": int(first),
                         "last_year": int(last), "name": names[-1], "description": description})
    return pd.DataFrame(rows, columns=["id", "change", "first_year", "last_year", "name",
                                       "description"])


def latest_names(tidy: pd.DataFrame, with_section: bool = False) -> pd.Series:
    """Each id's name in the latest year it appears (``id`` → name), optionally
    prefixed with its section number (“1.2.d Tỷ lệ …”)."""
    latest = tidy.sort_values("year").groupby("id", sort=False)[["section", "name"]].last()
    if with_section:
        return latest["section"].astype(str) + " " + latest["name"]
    return latest["name"]


def verdict_matrix(tidy: pd.DataFrame, values: str = "status") -> pd.DataFrame:
    """Final verdict codes, one row per indicator (report order), one column per year;
    ``values="status_source"`` gives where each verdict comes from instead."""
    order = list(dict.fromkeys(tidy.sort_values(["year"], kind="stable")["id"]))
    matrix = tidy.pivot(index="id", columns="year", values=values).reindex(order)
    matrix.columns.name = None
    return matrix.astype(object).where(matrix.notna(), None)


def year_on_year(tidy: pd.DataFrame) -> pd.DataFrame:
    """Change of every numeric indicator between consecutive years with data, largest
    relative change first. ``improved`` says whether the change goes the good way."""
    numeric = tidy[tidy["actual"].notna()].sort_values(["id", "year"])
    prev = numeric.groupby("id", sort=False)[["year", "actual"]].shift()
    out = pd.DataFrame({
        "id": numeric["id"], "name": numeric["name"], "unit": numeric["unit"],
        "from_year": prev["year"], "to_year": numeric["year"],
        "from_value": prev["actual"], "to_value": numeric["actual"],
    }).dropna(subset=["from_year"])
    out["from_year"] = out["from_year"].astype(int)
    out["change"] = out["to_value"] - out["from_value"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["change_pct"] = np.where(out["from_value"] != 0,
                                     out["change"] / out["from_value"].abs() * 100,
                                     np.where(out["change"] == 0, 0.0, np.inf))
    lower = (numeric.loc[out.index, "direction"].astype(object) == "lower").to_numpy()
    out["improved"] = np.where(out["change"] == 0, None,
                               np.where(lower, out["change"] < 0, out["change"] > 0))
    order = out["change_pct"].abs().sort_values(ascending=False, kind="stable").index
    return out.loc[order].reset_index(drop=True)


def _goal(target: T.Target, lower: bool) -> float | None:
    """The value an indicator must reach: the bound on the side it moves towards."""
    if target.kind == T.EQUAL:
        return target.low
    if lower:
        return target.high if target.high is not None else target.low
    return target.low if target.low is not None else target.high


def _growth(value: float, base: float, years: float) -> float:
    return (value / base) ** (1 / years) - 1


def progress(tidy: pd.DataFrame, target_year: int | None = None) -> pd.DataFrame:
    """Progress class of every indicator with at least two years of numbers and a
    target in its latest year (Open SDG method 2; see the module docstring). Without a
    binding target, the stretch goal (``stretch_target``) is the goal progress is
    measured against; reaching it is judged by the final verdict all the same.

    ``target_year`` is when the target is due; by default the latest year with data.
    """
    rows = []
    numeric = tidy[tidy["actual"].notna()].sort_values("year")
    for ident, group in numeric.groupby("id", sort=False):
        latest = group.iloc[-1]
        aim = latest["target"]
        if pd.isna(aim) and "stretch_target" in group:  # no binding target: the stretch goal
            aim = latest["stretch_target"]
        if len(group) < 2 or pd.isna(aim):
            continue
        base, current = group.iloc[0], latest
        lower = str(current["direction"]) == "lower"
        goal = _goal(T.parse_target(str(aim)), lower)
        row = {"id": ident, "name": current["name"], "unit": current["unit"],
               "base_year": int(base["year"]), "base_value": float(base["actual"]),
               "current_year": int(current["year"]), "current_value": float(current["actual"]),
               "target": str(aim), "goal": goal, "ratio": np.nan,
               "observed_growth": np.nan, "required_growth": np.nan}
        # the figures decide a trend: their own verdict where they have one (the report's
        # word may differ, and is shown as such in the year's report)
        reached = current.get("computed_status")
        if reached is None or pd.isna(reached):
            reached = current["status"]
        if str(reached) in ("met", "exceeded"):
            row["progress"] = TARGET_REACHED
        else:
            row.update(_classify(row, target_year or row["current_year"], lower))
        if row.get("progress"):
            rows.append(row)
    out = pd.DataFrame(rows, columns=["id", "name", "unit", "base_year", "base_value",
                                      "current_year", "current_value", "target", "goal",
                                      "observed_growth", "required_growth", "ratio", "progress"])
    out["progress_label"] = out["progress"].map(PROGRESS_LABELS)
    return out


def _classify(row: dict, target_year: int, lower: bool) -> dict:
    base = row["base_value"] or _ZERO
    current, goal = row["current_value"], row["goal"] or _ZERO
    if (base > 0) != (current > 0) and current != 0 or (base > 0) != (goal > 0):
        return {"progress": None}  # growth is undefined across a sign change (as in Open SDG)
    current = current or _ZERO
    span = row["current_year"] - row["base_year"]
    due = target_year - row["base_year"]
    if span <= 0 or due <= 0:
        return {"progress": None}
    observed, required = _growth(current, base, span), _growth(goal, base, due)
    sign, direction = (-1 if base < 0 else 1), (-1 if lower else 1)
    if required == 0:
        ratio = math.inf if direction * observed >= 0 else -math.inf
    else:
        ratio = sign * direction * observed / abs(required)
    return {"observed_growth": observed, "required_growth": required, "ratio": ratio,
            "progress": progress_class(ratio)}


def progress_class(ratio: float) -> str:
    """The class of a ratio of observed to required growth.

    >>> [progress_class(r) for r in (1.2, 0.8, 0.3, -0.5)]
    ['on_track', 'acceleration_needed', 'limited_progress', 'moving_away']
    """
    if ratio >= THRESHOLDS["high"]:
        return ON_TRACK
    if ratio >= THRESHOLDS["med"]:
        return ACCELERATION_NEEDED
    if ratio >= THRESHOLDS["low"]:
        return LIMITED_PROGRESS
    return MOVING_AWAY


def totals_by_year(years: Years) -> pd.DataFrame:
    """Per year: indicators (duties and undertakings apart, in ``duties``), the verdict
    counts of the indicators, awards granted, money raised and spent."""
    tidy = years.indicators
    duty = (tidy["kind"].astype(object) == DUTY) if "kind" in tidy else pd.Series(False, tidy.index)
    ind = tidy[~duty]
    verdicts = pd.crosstab(ind["year"], ind["status"].astype(object))
    verdicts = verdicts.reindex(columns=[v for v in VERDICTS if v in verdicts.columns])
    aw = years.awards[years.awards["part"].isna() & (years.awards["state"] == "granted")]
    granted = aw.pivot_table(index="year", columns="recipient", values="count", aggfunc="sum",
                             observed=True).reindex(columns=["individual", "collective"])
    c = years.contributions
    money = c.pivot_table(index="year", columns="kind", values="amount_vnd", aggfunc="sum",
                          observed=True).reindex(columns=["fund", "support"])
    out = pd.DataFrame(index=pd.Index(years.years, name="year"))
    out["indicators"] = ind.groupby("year").size()
    out["duties"] = tidy[duty].groupby("year").size()
    out = out.join(verdicts).join(granted.add_prefix("awards_")).join(money.add_prefix("money_"))
    return out.fillna(0).astype("int64").reset_index()
