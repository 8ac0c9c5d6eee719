"""Charts of the consolidated view: readable at 30, 300 or 10.000 units.

Nothing here draws one mark a unit: units are shown as distributions (histograms),
as the top and bottom N, or summed; indicators and years as small multiples. Same
page width, fonts and verdict colours as :mod:`tongket_lib.views.charts`.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from tongket_lib import targets as T
from tongket_lib.dataset.schema import LEVELS
from tongket_lib.period import parse_period
from tongket_lib.units.consolidate import ERROR, MISSING, RECEIVED, STATES
from tongket_lib.views.charts import (
    GREY,
    STYLE,
    WIDTH_IN,
    Chart,
    _vn_axis,
    _wrap,
    small_multiples,
)
from tongket_lib.vn import format_number, format_percent
from tongket_lib.vocab import COLOURS, LABELS, MET, NOT_ASSESSED, NOT_MET, VERDICTS

#: a report received, with errors, missing: the colours of met, not met, not assessed
STATE_COLOURS = {RECEIVED: COLOURS[MET], ERROR: COLOURS[NOT_MET], MISSING: COLOURS[NOT_ASSESSED]}


def coverage_chart(counts: pd.DataFrame) -> Figure | None:
    """One stacked bar a year: units received, with errors, missing."""
    if counts.empty:
        return None
    with matplotlib.rc_context(STYLE):
        fig = Chart(figsize=(WIDTH_IN, 0.5 + 0.42 * len(counts) + 0.6), layout="constrained")
        ax = fig.subplots()
        labels = [parse_period(p).words for p in counts["period"]]
        left = np.zeros(len(counts))
        for state, colour in STATE_COLOURS.items():
            values = counts[state].to_numpy(dtype=float)
            bars = ax.barh(labels, values, left=left, color=colour, label=STATES[state],
                           height=0.6)
            total = counts["total"].to_numpy(dtype=float)
            for bar, v, t in zip(bars, values, total, strict=True):
                if v and v / max(t, 1) > 0.06:
                    ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2,
                            format_number(int(v)), ha="center", va="center", color="white",
                            fontsize=7.5)
            left += values
        ax.set_xlabel("Số đơn vị")
        _vn_axis(ax, "x")
        ax.invert_yaxis()
        fig.legend(loc="outside lower center", ncol=3)
    return fig


def verdict_spread_chart(spread: pd.DataFrame, per_figure: int = 20) -> list[Figure]:
    """Each indicator as one 100% bar of how many units got each verdict."""
    figures: list[Figure] = []
    for start in range(0, len(spread), per_figure):
        rows = spread.iloc[start:start + per_figure].iloc[::-1]
        present = [v for v in VERDICTS if rows[v].sum()]
        with matplotlib.rc_context(STYLE):
            fig = Chart(figsize=(WIDTH_IN, 0.9 + 0.34 * len(rows)), layout="constrained")
            ax = fig.subplots()
            left = np.zeros(len(rows))
            units = rows["units"].clip(lower=1).to_numpy(dtype=float)
            labels = [_wrap(f"{s} · {n}", 60, 1) for s, n in zip(rows["section"], rows["name"],
                                                                    strict=True)]
            for v in present:
                share = 100 * rows[v].to_numpy(dtype=float) / units
                ax.barh(labels, share, left=left, color=COLOURS[v], label=LABELS[v], height=0.7)
                left += share
            ax.set_xlim(0, 100)
            ax.set_xlabel("Tỷ lệ đơn vị (%)")
            _vn_axis(ax, "x")
            ax.tick_params(axis="y", labelsize=6.8)
            fig.legend(loc="outside lower center", ncol=min(len(present), 3), fontsize=7.5)
        figures.append(fig)
    return figures


def _target_band(ax, target: str | None, unit: str | None) -> None:
    if not isinstance(target, str):
        return
    try:
        t = T.parse_target(target)
    except Exception:
        return
    lo, hi = ax.get_xlim()
    low = t.low if t.low is not None else lo
    high = t.high if t.high is not None else hi
    if t.kind == T.EQUAL:
        ax.axvline(t.low, color="#333333", linewidth=1.4)
    else:
        ax.axvspan(low, high, color="#cfe3cf", zorder=0)
        for b in (t.low, t.high):
            if b is not None:
                ax.axvline(b, color="#333333", linewidth=1.2)
    ax.set_xlim(lo, hi)


def actual_distributions(indicators: pd.DataFrame, spread: pd.DataFrame,
                         per_figure: int = 12) -> list[Figure]:
    """Small multiples: for each numeric indicator, the histogram of the units' actual
    values, with the accepted range (green) and the target's bounds (dark lines)."""
    numeric = indicators[indicators["actual"].notna()]
    values = {k: g["actual"].to_numpy(dtype=float)
              for k, g in numeric.groupby(numeric["id"].astype(object), sort=False)}
    ids = [i for i in spread["id"] if i in values and len(np.unique(values[i])) >= 1]
    info = spread.set_index("id")

    def draw(ax: Any, ident: str) -> None:
        row = info.loc[ident]
        x = values[ident]
        low, high = float(np.min(x)), float(np.max(x))
        pad = (high - low) * 0.08 or max(abs(high) * 0.05, 1.0)
        ax.hist(x, bins=min(30, max(5, int(math.sqrt(len(x))))),
                range=(low - pad, high + pad), color="#1f5fa8", alpha=0.85, zorder=2)
        ax.set_xlim(low - pad, high + pad)
        _target_band(ax, row["target"], row["unit"])
        _vn_axis(ax, "x", percent=row["unit"] == "%")
        _vn_axis(ax, "y")
        ax.tick_params(labelsize=6.5)
        ax.set_title(_wrap(row["name"], 40, 2), loc="left", fontsize=6.8)

    legend = [Patch(color="#1f5fa8", label="Số đơn vị theo mức thực hiện"),
              Patch(color="#cfe3cf", label="Khoảng đạt chỉ tiêu"),
              Patch(color="#333333", label="Mức chỉ tiêu")]
    return small_multiples(ids, draw, per_figure, columns=3, row_height=1.55, legend=legend,
                           legend_size=7.2)


def share_histogram(scores: pd.DataFrame, threshold: float | None = None) -> Figure | None:
    """How the units' shares of indicators met are distributed, with the median and the
    watch threshold."""
    shares = scores["share_met"].dropna().to_numpy(dtype=float)
    if not len(shares):
        return None
    with matplotlib.rc_context(STYLE):
        fig = Chart(figsize=(WIDTH_IN, 2.6), layout="constrained")
        ax = fig.subplots()
        ax.hist(shares, bins=list(np.linspace(0, 100, 21)), color="#2e8540", edgecolor="white")
        median = float(np.median(shares))
        ax.axvline(median, color="#1f5fa8", linewidth=1.6,
                   label=f"Trung vị {format_percent(median, 1)}")
        if threshold is not None:
            ax.axvline(threshold, color="#c0392b", linewidth=1.4, linestyle="--",
                       label=f"Ngưỡng cần theo dõi {format_percent(threshold, 0)}")
        ax.set_xlim(0, 100)
        ax.set_xlabel("Tỷ lệ chỉ tiêu đạt hoặc vượt của đơn vị")
        ax.set_ylabel("Số đơn vị")
        _vn_axis(ax, "x", percent=True)
        _vn_axis(ax, "y")
        fig.legend(loc="outside lower center", ncol=2)
    return fig


def top_bottom_chart(scores: pd.DataFrame, n: int = 10) -> Figure | None:
    """The N best and N last units by share met (the ranking), side by side."""
    ranked = scores[scores["share_met"].notna()]
    if ranked.empty:
        return None
    n = min(n, max(1, len(ranked) // 2)) if len(ranked) > 1 else 1
    parts = [("Cao nhất", ranked.head(n), "#2e8540"), ("Thấp nhất", ranked.tail(n), "#c0392b")]
    with matplotlib.rc_context(STYLE):
        fig = Chart(figsize=(WIDTH_IN, 0.8 + 0.3 * n), layout="constrained")
        axes = fig.subplots(1, 2, squeeze=False)[0]
        for ax, (title, rows, colour) in zip(axes, parts, strict=True):
            rows = rows.iloc[::-1]
            labels = [_wrap(f"{r} · {name}", 30, 1) for r, name in
                      zip(rows["rank"], rows["unit_name"].astype(str), strict=True)]
            ax.barh(labels, rows["share_met"], color=colour, height=0.65)
            for y, v in enumerate(rows["share_met"]):
                ax.text(v + 1, y, format_percent(v, 1), va="center", fontsize=6.8)
            ax.set_xlim(0, 115)
            ax.set_title(title, loc="left", fontweight="bold")
            _vn_axis(ax, "x", percent=True)
            ax.tick_params(axis="y", labelsize=6.8)
    return fig


def group_trends(years: pd.DataFrame) -> Figure | None:
    """Small multiples over the years: units received, share met, awards, money."""
    if years.empty:
        return None
    x = years["year"].to_numpy()
    panels = [
        ("Số đơn vị đã nộp, hợp lệ", years["received"], False, "#2e8540"),
        ("Tỷ lệ chỉ tiêu đạt hoặc vượt (mọi đơn vị)", years["share_met"], True, "#1f5fa8"),
        ("Khen thưởng đã có quyết định (lượt)", years["awards_granted"], False, "#5fa8a0"),
        ("Vận động quỹ và hỗ trợ (triệu đồng)", None, False, None),
    ]
    with matplotlib.rc_context(STYLE):
        fig = Chart(figsize=(WIDTH_IN, 4.2), layout="constrained")
        axes = fig.subplots(2, 2)
        for ax, (title, values, percent, colour) in zip(axes.flat, panels, strict=True):
            if values is None:
                for column, label, c in (("fund_vnd", "Vận động quỹ", "#2e8540"),
                                         ("support_vnd", "Hỗ trợ, thăm hỏi", "#d9a400")):
                    ax.plot(x, years[column].fillna(0) / 1e6, marker="o", color=c, label=label)
                ax.legend(fontsize=6.8)
            else:
                ax.plot(x, values, marker="o", color=colour or GREY)
            ax.set_title(title, loc="left", fontsize=7.8)
            ax.set_xticks(x, [str(y) for y in x])
            _vn_axis(ax, "y", percent=percent)
            ax.margins(y=0.25)
    return fig


def awards_totals_chart(totals: pd.DataFrame, top: int = 12) -> Figure | None:
    """Granted awards summed over units: the most given titles, by level."""
    granted = totals[totals["state"] == "granted"]
    if granted.empty:
        return None
    by_title = granted.groupby(["code", "title"], dropna=False)["count"].sum()
    order = by_title.sort_values(ascending=False).head(top).index
    levels = [lv for lv in LEVELS if lv in set(granted["level"])]
    colours = {"central": "#1f5fa8", "province": "#5fa8a0", "agency": "#2e8540"}
    with matplotlib.rc_context(STYLE):
        fig = Chart(figsize=(WIDTH_IN, 0.8 + 0.36 * len(order)), layout="constrained")
        ax = fig.subplots()
        labels = [_wrap(t, 50, 1) for _, t in order][::-1]
        left = np.zeros(len(order))
        for level in levels:
            rows = granted[granted["level"] == level].groupby(["code", "title"],
                                                             dropna=False)["count"].sum()
            values = np.array([rows.get(k, 0) for k in order][::-1], dtype=float)
            ax.barh(labels, values, left=left, color=colours.get(level, GREY),
                    label=LEVELS.get(level, level), height=0.65)
            left += values
        for y, v in enumerate(left):
            ax.text(v, y, " " + format_number(int(v)), va="center", fontsize=7)
        ax.set_xlim(0, left.max() * 1.15 if left.max() else 1)
        ax.set_xlabel("Số lượt đã khen thưởng, công nhận")
        _vn_axis(ax, "x")
        fig.legend(loc="outside lower center", ncol=3)
    return fig
