"""The report's charts: one function a chart, each returning a matplotlib Figure.

Figures are built with :class:`matplotlib.figure.Figure`, not pyplot: nothing is
registered globally, so a notebook shows each chart once and never needs to close it.
Sized for the text width of an A4 page with the Nghị định 30 margins (165 mm), labels
in Vietnamese (DejaVu Sans, shipped with matplotlib, has every Vietnamese letter),
long labels wrapped so that nothing overlaps, and the same colour for a verdict in
every chart. :func:`figure_html` turns a figure into an embeddable ``<figure>``; in a
notebook a chart left as a cell's last value shows as a picture too (:class:`Chart`).
"""

from __future__ import annotations

import base64
import io
import math
import textwrap
from html import escape
from typing import Any

import matplotlib
import matplotlib.colors
import matplotlib.lines
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from tongket_lib import targets as T
from tongket_lib.dataset.schema import RECIPIENTS, STREAMS
from tongket_lib.evaluation.results import format_actual
from tongket_lib.evaluation.status import TOTAL
from tongket_lib.targets import describe_target
from tongket_lib.views.blocks import Html
from tongket_lib.vn import format_number, format_percent
from tongket_lib.vocab import COLOURS, LABELS, VERDICTS

WIDTH_IN = 165 / 25.4  # A4 text width between 30 mm and 15 mm margins
STYLE: dict[Any, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 8.5,
    "axes.labelsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#666666",
    "xtick.color": "#444444",
    "ytick.color": "#222222",
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 170,
    # glyphs drawn as the font shapes them, not re-hinted: at 170 dpi the letters look
    # the same, and FreeType's autohinter was a fifth of the charts' time
    "text.hinting": "no_hinting",
    # data text is drawn as written: no LaTeX, and "$" is escaped by _literal
    "text.usetex": False,
    "text.parse_math": True,
}
GREY = "#d9d9d9"


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    # constrained layout already keeps labels and outside legends in the figure, so no
    # second drawing pass for a tight bounding box; tick labels made while drawing get
    # the same style as the rest
    with matplotlib.rc_context(STYLE):
        # zlib's fastest level: the picture is the same, the file 2 % larger, and the
        # encoding a third of the time
        fig.savefig(buffer, format="png", dpi=STYLE["savefig.dpi"],
                    pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


class Chart(Figure):
    """A matplotlib Figure that Jupyter shows as a picture, without pyplot or ``%matplotlib``."""

    def _repr_png_(self) -> bytes:
        return _png(self)


def _literal(text: object) -> str:
    r"""Text from the data drawn exactly as written: matplotlib reads a pair of "$" as
    mathematics (where "_" and "^" mean sub- and superscripts, and a stray "\" fails the
    chart); an escaped "\$" is drawn as a plain "$".

    >>> _literal("Quỹ hỗ trợ 5$ cho quỹ_a_b, 7$")
    'Quỹ hỗ trợ 5\\$ cho quỹ_a_b, 7\\$'
    """
    return str(text).replace("$", r"\$")


def _wrap(text: str, width: int = 38, lines: int = 3) -> str:
    return "\n".join(textwrap.wrap(str(text), width, max_lines=lines, placeholder=" …"))


def _vn_axis(ax, axis: str = "x", percent: bool = False) -> None:
    fmt = (lambda v, _: format_percent(v)) if percent else (lambda v, _: format_number(v))
    getattr(ax, f"{axis}axis").set_major_formatter(FuncFormatter(fmt))


def verdicts_by_section(rolled: pd.DataFrame) -> Figure:
    """Stacked bars: how many indicators of each section got each verdict."""
    rows = rolled[rolled["section"] != TOTAL].iloc[::-1]
    present = [v for v in VERDICTS if rows[v].sum()]
    with matplotlib.rc_context(STYLE):
        fig = Chart(figsize=(WIDTH_IN, 0.85 + 0.42 * len(rows)), layout="constrained")
        ax = fig.subplots()
        left = np.zeros(len(rows))
        labels = [_literal(_wrap(f"{s} {t}", 52, 2))
                  for s, t in zip(rows["section"], rows["section_title"], strict=False)]
        for v in present:
            values = rows[v].to_numpy()
            bars = ax.barh(labels, values, left=left, color=COLOURS[v], label=LABELS[v],
                           height=0.66, edgecolor="white", linewidth=0.6)
            for bar, n in zip(bars, values, strict=False):
                if n:
                    ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2,
                            f"{n}", ha="center", va="center", fontsize=7.5,
                            color="white" if v in ("exceeded", "met", "not_met") else "#222222")
            left += values
        ax.set_xlabel("Số chỉ tiêu")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="upper center", bbox_to_anchor=(0.4, -0.5 / max(len(rows), 3) - 0.12),
                  ncol=min(len(present), 3), fontsize=8)
        ax.margins(y=0.02)
    return fig


ROW_IN = 0.66  # the height of one indicator's row in the bullet chart, in inches
ROW_STEP = 1.45  # rows apart, in the units of the bar (its band is 0.6 high)


def _bullet_row(ax, y: float, r: pd.Series) -> None:
    """One indicator's row of the bullet chart at height ``y`` (0 at the top), on a scale
    of its own from 0 to 1 (its unit and size differ from the others'): the grey scale,
    the green band counted as met, the dark target line(s), the bar of the actual in its
    verdict's colour, the figure at the bar's end; above it the name and, in words, the
    actual, the target and the verdict (never told by colour alone)."""
    target = T.parse_target(r["target"])
    actual = float(r["actual"])
    bounds = [b for b in (target.low, target.high) if b is not None]
    top = max([actual, *bounds, 0]) * 1.18 or 1.0
    if r["unit"] == "%":
        top = max(min(top, 100.0), *bounds, actual)
    top = top or 1.0
    low = target.low if target.low is not None else 0.0
    high = target.high if target.high is not None else top
    if target.kind in (T.AT_MOST, T.LESS_THAN):
        low = 0.0
    ax.add_patch(Rectangle((0, y - 0.3), 1, 0.6, color="#f2f2f2", zorder=0, linewidth=0))
    if target.kind == T.EQUAL and target.low is not None:
        ax.plot([target.low / top] * 2, [y - 0.3, y + 0.3], color="#333333", linewidth=2.2,
                zorder=3)
    else:
        ax.add_patch(Rectangle((low / top, y - 0.24), (high - low) / top, 0.48,
                               color="#cfe3cf", zorder=1, linewidth=0))
        for b in bounds:
            ax.plot([b / top] * 2, [y - 0.3, y + 0.3], color="#333333", linewidth=1.6, zorder=3)
    status = str(r["status"])
    ax.add_patch(Rectangle((0, y - 0.12), actual / top, 0.24,
                           color=COLOURS.get(status, GREY), zorder=2, linewidth=0))
    shown = format_actual(actual, r["unit"], r.get("actual_qualifier"))
    ax.text(min(actual / top, 1) + 0.008, y, _literal(shown), va="center", ha="left",
            fontsize=7.2, zorder=4, clip_on=False)
    target_words = describe_target(target, r["unit"])
    ax.text(0, y + 0.36, _literal(f"{_wrap(r['name'], 120, 1)}\nThực hiện {shown} · chỉ tiêu"
                                  f" {target_words} · {LABELS.get(status, '')}"),
            va="bottom", ha="left", fontsize=7.6, linespacing=1.15)


def bullet_charts(evaluated: pd.DataFrame) -> Figure | None:
    """Bullet charts: each numeric indicator's actual (bar, verdict colour, its figure)
    against its target (dark line at a bound, green band for the accepted range), one
    row each in a single drawing; ``None`` if no indicator has both a target and an
    actual."""
    rows = evaluated[evaluated["target"].notna() & evaluated["actual"].notna()]
    if rows.empty:
        return None
    n = len(rows)
    height = ROW_IN * n + 0.6
    with matplotlib.rc_context(STYLE):
        fig = Chart(figsize=(WIDTH_IN, height))
        ax = fig.add_axes((0.01, 0.45 / height, 0.9, 1 - 0.5 / height))
        for i, (_, r) in enumerate(rows.iterrows()):
            _bullet_row(ax, (n - 1 - i) * ROW_STEP, r)
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.4, (n - 1) * ROW_STEP + 1.05)
        ax.set_axis_off()
        handles = [Patch(color="#cfe3cf", label="Khoảng đạt chỉ tiêu"),
                   Patch(color="#333333", label="Mức chỉ tiêu")]
        handles += [Patch(color=COLOURS[v], label=LABELS[v]) for v in VERDICTS
                    if v in set(rows["status"].astype(str))]
        fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=7.6,
                   bbox_to_anchor=(0.5, 0.0))
    return fig


def awards_chart(awards: pd.DataFrame) -> Figure | None:
    """Award counts by stream and title: solid bars granted, hatched bars proposed."""
    main = awards[awards["part"].isna() & awards["count"].notna()].copy()
    if main.empty:
        return None
    main["label"] = [_literal(f"{_wrap(t, 34, 2)}\n({RECIPIENTS.get(r, r).lower()}; {g})")
                     for t, r, g in zip(main["title"], main["recipient"], main["granted_by"], strict=False)]
    streams = [s for s in STREAMS if s in set(main["stream"])]
    heights = [len(main[main["stream"] == s]) for s in streams]
    with matplotlib.rc_context(STYLE):
        fig = Chart(figsize=(WIDTH_IN, 0.45 * sum(heights) + 1.0), layout="constrained")
        axes = fig.subplots(len(streams), 1, squeeze=False,
                            gridspec_kw={"height_ratios": heights})
        top = float(main["count"].max())
        for ax, stream in zip(axes[:, 0], streams, strict=False):
            rows = main[main["stream"] == stream].sort_values("count")
            colours = ["#1f5fa8" if s == "granted" else "#ffffff" for s in rows["state"]]
            bars = ax.barh(rows["label"], rows["count"].astype(float), color=colours,
                           edgecolor="#1f5fa8", hatch=None, height=0.6)
            for bar, state in zip(bars, rows["state"], strict=False):
                if state != "granted":
                    bar.set_hatch("///")
            for bar, n in zip(bars, rows["count"], strict=False):
                ax.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2,
                        format_number(int(n)), va="center", fontsize=7.8)
            ax.set_xlim(0, top * 1.12)
            ax.set_title(f"Khối {STREAMS[stream].lower()}", loc="left", fontweight="bold")
            ax.tick_params(axis="y", labelsize=7.5)
        axes[-1, 0].set_xlabel("Số lượng")
        fig.legend(handles=[Patch(facecolor="#1f5fa8", label="Đã khen thưởng, công nhận"),
                            Patch(facecolor="white", edgecolor="#1f5fa8", hatch="///",
                                  label="Đang đề nghị")],
                   loc="outside lower center", ncol=2)
    return fig


def contributions_chart(contributions: pd.DataFrame) -> Figure | None:
    """Money raised by each fund drive and spent on each support item, in triệu đồng."""
    rows = contributions[contributions["amount_vnd"].notna()].iloc[::-1]
    if rows.empty:
        return None
    colours = {"fund": "#2e8540", "support": "#d9a400"}
    with matplotlib.rc_context(STYLE):
        fig = Chart(figsize=(WIDTH_IN, 0.45 * len(rows) + 1.0), layout="constrained")
        ax = fig.subplots()
        millions = rows["amount_vnd"].astype(float) / 1e6
        bars = ax.barh([_literal(_wrap(n, 44, 2)) for n in rows["name"]], millions,
                       color=[colours.get(k, GREY) for k in rows["kind"]], height=0.6)
        top = float(millions.max())
        for bar, value in zip(bars, millions, strict=False):
            ax.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2,
                    f"{format_number(value)} triệu", va="center", fontsize=7.8)
        ax.set_xlim(0, top * 1.2)
        ax.set_xlabel("Triệu đồng")
        _vn_axis(ax, "x")
        ax.tick_params(axis="y", labelsize=7.5)
        fig.legend(handles=[Patch(color=colours["fund"], label="Vận động quỹ"),
                            Patch(color=colours["support"], label="Hỗ trợ, thăm hỏi")],
                   loc="outside lower center", ncol=2)
    return fig


def figure_html(fig: Figure | None, caption: str, alt: str | None = None) -> Html:
    """A figure as an embeddable ``<figure>`` with a PNG data URI and a caption."""
    if fig is None:
        return Html(f'<p class="tk-note">{escape(caption)}: không có số liệu để vẽ.</p>')
    data = base64.b64encode(_png(fig)).decode("ascii")
    return Html(f'<figure class="tk-chart"><img src="data:image/png;base64,{data}"'
                f' alt="{escape(alt or caption)}"><figcaption>{escape(caption)}</figcaption></figure>')


# -- several years ---------------------------------------------------------------------------

def verdict_heatmaps(matrix: pd.DataFrame, labels: pd.Series, per_figure: int = 30) -> list[Figure]:
    """Indicator × year, each cell coloured by its verdict (the annual report's colours);
    a few dozen indicators per figure so that each fits on a page."""
    return [_heatmap(matrix.iloc[i:i + per_figure], labels)
            for i in range(0, len(matrix), per_figure)]


def _heatmap(matrix: pd.DataFrame, labels: pd.Series) -> Figure:
    codes = {v: i for i, v in enumerate(VERDICTS)}
    grid = np.array([[codes.get(v, np.nan) if v else np.nan for v in row]
                     for row in matrix.to_numpy()], dtype=float)
    cmap = matplotlib.colors.ListedColormap([COLOURS[v] for v in VERDICTS]).with_extremes(
        bad="#ffffff")
    years = [str(c) for c in matrix.columns]
    with matplotlib.rc_context(STYLE):
        fig = Chart(figsize=(WIDTH_IN, 0.24 * len(matrix) + 1.2), layout="constrained")
        ax = fig.subplots()
        ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=-0.5, vmax=len(VERDICTS) - 0.5,
                  aspect="auto", interpolation="nearest")
        ax.set_xticks(range(len(years)), years)
        ax.xaxis.tick_top()
        ax.set_yticks(range(len(matrix)),
                      [_literal(_wrap(labels.get(i, i), 72, 1)) for i in matrix.index],
                      fontsize=6.8)
        ax.set_xticks(np.arange(-0.5, len(years)), minor=True)
        ax.set_yticks(np.arange(-0.5, len(matrix)), minor=True)
        ax.grid(which="minor", color="white", linewidth=1.2)
        ax.tick_params(which="minor", length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        present = [v for v in VERDICTS if (matrix == v).to_numpy().any()]
        handles = [Patch(color=COLOURS[v], label=LABELS[v]) for v in present]
        handles.append(Patch(facecolor="white", edgecolor="#999999", label="Không có chỉ tiêu"))
        fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=7.5)
    return fig


def _series_axis(ax, rows: pd.DataFrame) -> None:
    rows = rows.sort_values("year")
    unit = rows["unit"].dropna().iloc[-1] if rows["unit"].notna().any() else ""
    years = rows["year"].to_numpy()
    lows: list[float] = []
    highs: list[float] = []
    for t in rows["target"]:
        target = T.parse_target(str(t)) if pd.notna(t) else None
        lows.append(np.nan if target is None or target.low is None else target.low)
        highs.append(np.nan if target is None or target.high is None else target.high)
    low_values, high_values = np.array(lows, float), np.array(highs, float)
    if not np.isnan(low_values).all():
        ax.step(years, low_values, where="mid", color="#333333", linewidth=1.2, linestyle="--")
    # an upper bound of its own (not an "= x" target)
    upper_only = ~np.isnan(high_values) & (np.isnan(low_values) | (high_values != low_values))
    if upper_only.any():
        ax.step(years, high_values, where="mid", color="#333333", linewidth=1.2, linestyle=":")
    ax.plot(years, rows["actual"], color="#1f5fa8", linewidth=1.6, zorder=2)
    ax.scatter(years, rows["actual"], c=[COLOURS.get(str(s), GREY) for s in rows["status"]],
               s=28, zorder=3, edgecolors="white", linewidths=0.6)
    ax.set_xticks(years, [str(y) for y in years])
    _vn_axis(ax, "y", percent=unit == "%")
    name = rows["name"].iloc[-1]
    ax.set_title(_literal(_wrap(name, 48, 2) + (f" ({unit})" if unit and unit != "%" else "")),
                 loc="left", fontsize=7.6)
    ax.margins(x=0.15, y=0.2)


def indicator_series(tidy: pd.DataFrame, per_figure: int = 8) -> list[Figure]:
    """Each numeric indicator's actual over the years (dots in verdict colours) against
    its target (dashed: the lower bound or value; dotted: the upper bound), a few per
    figure so that each figure fits on a page."""
    numeric = tidy[tidy["actual"].notna()]
    ids = [i for i, n in numeric.groupby("id", sort=False).size().items() if n >= 1]
    handles = [matplotlib.lines.Line2D([], [], color="#1f5fa8", marker="o", label="Thực hiện"),
               matplotlib.lines.Line2D([], [], color="#333333", linestyle="--",
                                       label="Chỉ tiêu (mức dưới hoặc mức đề ra)"),
               matplotlib.lines.Line2D([], [], color="#333333", linestyle=":",
                                       label="Chỉ tiêu (mức trên)")]
    return small_multiples(ids, lambda ax, ident: _series_axis(ax, numeric[numeric["id"] == ident]),
                           per_figure, columns=2, row_height=1.85, legend=handles)


def small_multiples(items: list, draw: Any, per_figure: int, columns: int, row_height: float,
                    legend: list | None = None, legend_size: float = 7.5) -> list[Figure]:
    """One small chart an item, ``columns`` across and ``per_figure`` a figure (so that a
    figure fits on a page); ``draw(ax, item)`` draws one; one legend under each figure."""
    figures: list[Figure] = []
    for start in range(0, len(items), per_figure):
        chunk = items[start:start + per_figure]
        rows_n = math.ceil(len(chunk) / columns)
        with matplotlib.rc_context(STYLE):
            fig = Chart(figsize=(WIDTH_IN, row_height * rows_n + 0.4), layout="constrained")
            axes = fig.subplots(rows_n, columns, squeeze=False)
            for ax, item in zip(axes.flat, chunk, strict=False):
                draw(ax, item)
            for ax in list(axes.flat)[len(chunk):]:
                ax.set_visible(False)
            if legend:
                fig.legend(handles=legend, loc="outside lower center", ncol=len(legend),
                           fontsize=legend_size)
        figures.append(fig)
    return figures


def awards_over_years(awards: pd.DataFrame) -> Figure | None:
    """Granted awards per title code over the years (lines), the most frequent titles."""
    granted = awards[awards["part"].isna() & (awards["state"] == "granted") & awards["count"].notna()]
    if granted.empty:
        return None
    table = granted.pivot_table(index="year", columns="code", values="count", aggfunc="sum")
    table = table[table.sum().sort_values(ascending=False).index[:8]]
    from tongket_lib.dataset.titles import title_name
    with matplotlib.rc_context(STYLE):
        fig = Chart(figsize=(WIDTH_IN, 3.2), layout="constrained")
        ax = fig.subplots()
        for code in table.columns:
            ax.plot(table.index, table[code], marker="o",
                    label=_literal(title_name(code) or "(khác)"))
        ax.set_xticks(table.index, [str(y) for y in table.index])
        ax.set_ylabel("Số lượng đã khen thưởng, công nhận")
        _vn_axis(ax, "y")
        fig.legend(loc="outside right upper", fontsize=7.5)
    return fig


def money_over_years(contributions: pd.DataFrame) -> Figure | None:
    """Money raised by fund drives and spent on support, per year (triệu đồng)."""
    c = contributions[contributions["amount_vnd"].notna()]
    if c.empty:
        return None
    table = (c.pivot_table(index="year", columns="kind", values="amount_vnd", aggfunc="sum",
                           observed=True).reindex(columns=["fund", "support"]).fillna(0) / 1e6)
    with matplotlib.rc_context(STYLE):
        fig = Chart(figsize=(WIDTH_IN, 3.0), layout="constrained")
        ax = fig.subplots()
        x = np.arange(len(table))
        ax.bar(x - 0.2, table["fund"], width=0.4, color="#2e8540", label="Vận động quỹ")
        ax.bar(x + 0.2, table["support"], width=0.4, color="#d9a400", label="Hỗ trợ, thăm hỏi")
        for xs, values in ((x - 0.2, table["fund"]), (x + 0.2, table["support"])):
            for xi, v in zip(xs, values, strict=False):
                ax.text(xi, v, format_number(round(v)), ha="center", va="bottom", fontsize=7)
        ax.set_xticks(x, [str(y) for y in table.index])
        ax.set_ylabel("Triệu đồng")
        _vn_axis(ax, "y")
        fig.legend(loc="outside lower center", ncol=2)
    return fig
