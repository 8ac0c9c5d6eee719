"""Checks a careful auditor makes across figures: totals a percentage implies, the
base of a ratio, titles claimed before they are granted, counts repeated under two
titles, and results broken into parts.

All are driven by the data (``group``, ``award``, ``parts``, ``count`` columns,
``awards.csv``) and by the ``ratio_bases`` of ``rules.yaml``, never by a year's ids.

``ratio_bases`` (a top-level list in ``<data>/rules.yaml`` or ``<data>/<year>/rules.yaml``)
declares what a ratio target is measured against, e.g.::

    ratio_bases:
      - award: cstdcs          # indicators whose award column is cstdcs …
        base: ldtt             # … are a share of the Lao động tiên tiến granted
        source: Khoản 3 Điều 9 Nghị định 91/2017/NĐ-CP
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tongket_lib.dataset.titles import title_name
from tongket_lib.errors import ParseError
from tongket_lib.evaluation.findings import Finding, decimals, where_in
from tongket_lib.evaluation.results import parse_parts
from tongket_lib.evaluation.status import compute_verdicts
from tongket_lib.targets import describe_target, parse_target
from tongket_lib.vn import format_number, format_percent, format_quantity
from tongket_lib.vocab import EXCEEDED, GRANTED, INFO, LABELS, MET, PROPOSED, WARNING

#: a figure off by at most this many percentage points is a rounding slip, not an error
ROUNDING_SLIP = 0.01


# -- totals implied by a percentage and a count ---------------------------------------------

@dataclass(frozen=True)
class Implied:
    """The totals one row implies: ``count`` is ``percent`` % of them."""

    row: int
    id: str
    name: str
    group: str
    count: int
    percent: float
    low: float           # bounds of the total from the rounding of the percent
    high: float
    totals: range        # whole totals within the bounds (lazy: may be huge)
    nearest: int         # the whole total closest to count / percent
    slip: float | None   # when no whole total fits: how far the nearest one's percent is off

    @property
    def where(self) -> str:
        return where_in("indicators.csv", self.row, self.id)

    @property
    def usable(self) -> range:
        """Totals to reconcile: the fitting ones, or the nearest for a rounding slip."""
        if self.totals:
            return self.totals
        return range(self.nearest, self.nearest + 1) if self.slip is not None else self.totals

    @property
    def approx(self) -> int:
        t = self.usable
        return min(max(self.nearest, t.start), t.stop - 1) if t else self.nearest


def implied_totals(ev: pd.DataFrame) -> list[Implied]:
    """Every row with a percentage and a count, with the totals it implies."""
    rows = ev[(ev["unit"] == "%") & ev["actual"].notna() & ev["count"].notna()
              & (ev["actual"] > 0)]
    out = []
    for row, r in rows.iterrows():
        count, pct = int(r["count"]), float(r["actual"])
        d = decimals(pct)
        half = 0.5 * 10 ** -d
        low = count * 100 / min(pct + half, 100.0)
        high = count * 100 / max(pct - half, 1e-12)
        whole = range(math.ceil(low - 1e-9), math.floor(high + 1e-9) + 1)
        nearest = max(round(count * 100 / pct), count, 1)
        slip = None
        if not whole:
            off = abs(round(count * 100 / nearest, d) - pct)
            slip = off if off <= ROUNDING_SLIP + 1e-9 else None
        group = str(r["group"]) if "group" in r and pd.notna(r["group"]) else ""
        out.append(Implied(int(row), str(r["id"]), str(r["name"]), group, count, pct, low, high,
                           whole, nearest, slip))
    return out


def implied_total_findings(facts: list[Implied]) -> list[Finding]:
    """One finding per row, then one per group of rows that must share a total."""
    out = []
    for f in facts:
        who = f" {f.group}" if f.group else ""
        d = decimals(f.percent)
        figures = {"count": f.count, "percent": f.percent, "total_low": f.low,
                   "total_high": f.high, "totals": list(f.totals[:20])}
        head = f"{format_number(f.count)}{who} ứng với {format_percent(f.percent, d)} (“{f.name}”)"
        if f.totals:
            span = (f"là {format_number(f.totals.start)}" if len(f.totals) == 1 else
                    f"khoảng {format_number(f.approx)} (từ {format_number(f.totals.start)} đến"
                    f" {format_number(f.totals.stop - 1)})")
            out.append(Finding(INFO, "implied_total", f"{head} ⇒ tổng số {span}.", figures,
                               f.where))
            continue
        shown = format_percent(round(f.count * 100 / f.nearest, d), d)
        if f.slip is not None:
            out.append(Finding(INFO, "implied_total",
                               f"{head} ⇒ tổng số khoảng {format_number(f.nearest)}:"
                               f" {format_number(f.count)} / {format_number(f.nearest)} ="
                               f" {shown}, lệch {format_number(f.slip, 2)} điểm phần trăm so"
                               f" với số báo cáo ghi, do làm tròn.", figures, f.where))
        else:
            out.append(Finding(
                WARNING, "implied_total",
                f"{head}: không có tổng số nguyên nào cho đúng tỷ lệ này khi làm tròn đến {d}"
                f" chữ số thập phân. Tổng gần nhất là {format_number(f.nearest)}, cho {shown}."
                f" Kiểm tra lại số lượng hoặc tỷ lệ.", figures, f.where))
    groups: dict[str, list[Implied]] = {}
    for f in facts:
        if f.group:
            groups.setdefault(f.group, []).append(f)
    for group, members in groups.items():
        if len(members) > 1:
            out.append(_reconcile(group, members))
    return out


def _reconcile(group: str, facts: list[Implied]) -> Finding:
    """All the totals of one group in one finding, with their spread."""
    def one(f: Implied) -> str:
        t = f.usable
        span = (f"{format_number(f.approx)}" if len(t) <= 1 else
                f"khoảng {format_number(f.approx)} (từ {format_number(t.start)} đến"
                f" {format_number(t.stop - 1)})")
        return (f"{span} từ {format_number(f.count)} ở mức"
                f" {format_percent(f.percent, decimals(f.percent))} (“{f.name}”)")
    listed = "; ".join(one(f) for f in facts)
    approx = [f.approx for f in facts]
    spread = max(approx) - min(approx)
    usable = [f.usable for f in facts if f.usable]
    common = (range(max(t.start for t in usable), min(t.stop for t in usable)) if usable
              else range(0))
    figures = {"group": group, "totals": approx, "spread": spread,
               "common": [common.start, common.stop - 1] if common else []}
    where = "; ".join(f.where for f in facts)
    if common and len(usable) == len(facts):
        span = (format_number(common.start) if len(common) == 1 else
                f"từ {format_number(common.start)} đến {format_number(common.stop - 1)}")
        return Finding(INFO, "implied_total",
                       f"Tổng số {group} suy ra từ các số liệu: {listed}. Các số liệu khớp nhau:"
                       f" tổng số chung {span}.", figures, where)
    return Finding(WARNING, "implied_total",
                   f"Các số liệu về nhóm “{group}” suy ra những tổng số khác nhau: {listed};"
                   f" chênh lệch {format_number(spread)} (từ {format_number(min(approx))} đến"
                   f" {format_number(max(approx))}). Không có một tổng số chung nào khớp với"
                   f" tất cả: xác định lại tổng số {group} và các tỷ lệ.", figures, where)


# -- the base of a ratio target ------------------------------------------------------------

def ratio_bases(declared: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Finding]]:
    """The usable ``ratio_bases`` among those the rules files declared (read with the
    rules, :attr:`YearData.ratio_bases`), and a warning for each entry that is not."""
    bases: list[dict[str, Any]] = []
    problems: list[Finding] = []
    numbers: dict[str, int] = {}
    for entry in declared:
        item, file = entry["item"], entry["file"]
        numbers[file] = numbers.get(file, 0) + 1
        if not isinstance(item, dict) or not item.get("award") or not item.get("base"):
            problems.append(Finding(WARNING, "ratio_base",
                                    f"{file}: mục thứ {numbers[file]} của “ratio_bases” cần có"
                                    f" “award” (mã danh hiệu) và “base” (mã danh hiệu làm"
                                    f" mẫu số).", {}, str(file)))
            continue
        bases.append({**item, "file": file})
    return bases, problems


def ratio_base_findings(ev: pd.DataFrame, awards: pd.DataFrame, bases: list[dict[str, Any]],
                        facts: list[Implied], granted: dict[str, int]) -> list[Finding]:
    """A ratio target measured against its declared base and against the other totals the
    year's figures imply for its group; both ratios and the verdict each gives."""
    out = []
    for base in bases:
        code, den_code = str(base["award"]), str(base["base"])
        rows = ev[(ev["award"] == code) & (ev["unit"] == "%") & ev["target"].notna()]
        for row, r in rows.iterrows():
            num = int(r["count"]) if pd.notna(r["count"]) else granted.get(code)
            if not num:
                continue
            candidates = []
            if granted.get(den_code):
                rule = base.get("source", base["file"])
                candidates.append((granted[den_code],
                                   f"số {title_name(den_code)} (mẫu số khai báo: {rule})"))
            group = str(r["group"]) if pd.notna(r["group"]) else ""
            for f in facts:
                if (group and f.group == group and f.row != row and f.usable
                        and all(f.approx != c[0] for c in candidates)):
                    candidates.append((f.approx, f"tổng số {group} suy ra từ"
                                                 f" {format_number(f.count)} ở mức"
                                                 f" {format_percent(f.percent)} (“{f.name}”)"))
            if len(candidates) < 2:
                continue
            ratios = [num * 100 / c for c, _ in candidates]
            verdicts = compute_verdicts(pd.Series([r["target"]] * len(ratios)), pd.Series(ratios),
                                        pd.Series([r["direction"]] * len(ratios)),
                                        pd.Series([r.get("exceed_at")] * len(ratios),
                                                  dtype="float64"))
            parts = [f"{format_number(num)} / {format_number(c)} {what} ="
                     f" {format_percent(x, 2)} → {LABELS[str(v)].lower()}"
                     for (c, what), x, v in zip(candidates, ratios, verdicts, strict=True)]
            figures = {"id": r["id"], "numerator": num, "bases": [c for c, _ in candidates],
                       "ratios": ratios, "verdicts": [str(v) for v in verdicts]}
            same = len(set(map(str, verdicts))) == 1
            target = describe_target(r["target"], r["unit"])
            out.append(Finding(
                INFO if same else WARNING, "ratio_base",
                f"“{r['name']}” (chỉ tiêu {target}, báo cáo ghi"
                f" {format_quantity(r['actual'], r['unit'], missing='không ghi tỷ lệ')}): "
                + "; ".join(parts) + "."
                + ("" if same else " Hai cách tính cho hai kết quả khác nhau: báo cáo cần ghi"
                                   " rõ tỷ lệ tính trên số nào."),
                figures, where_in("indicators.csv", row, r["id"])))
    return out


# -- titles claimed before they are granted ------------------------------------------------

#: words that make a row measure proposals, not titles received (“được đề nghị công nhận”)
PROPOSAL_WORDS = ("đề nghị", "đề xuất", "được trình")


def claimed_titles(ev: pd.DataFrame, awards: pd.DataFrame) -> list[Finding]:
    """Rows reached (đạt, vượt) for a title that awards.csv has only as proposed; a row
    that itself counts proposals (its name says “đề nghị”, “đề xuất”) claims nothing."""
    out = []
    main = awards[awards["part"].isna()]
    names = ev["name"].astype(str).str.lower()
    proposing = names.str.contains("|".join(PROPOSAL_WORDS), regex=True)
    claimed = ev[ev["award"].notna() & ev["status"].astype(object).isin([MET, EXCEEDED])
                 & ~proposing]
    for row, r in claimed.iterrows():
        rows = main[main["code"] == r["award"]]
        states = set(rows["state"].astype(object))
        if rows.empty or GRANTED in states or PROPOSED not in states:
            continue
        lines = ", ".join(str(int(i)) for i in rows.index)
        out.append(Finding(
            WARNING, "claimed_title",
            f"“{r['name']}” (mục {r['section']}) được đánh giá"
            f" “{LABELS[str(r['status'])]}” như đã đạt danh hiệu {title_name(str(r['award']))},"
            f" nhưng bảng khen thưởng chỉ ghi danh hiệu này ở dạng đang đề nghị"
            f" ({format_number(int(rows['count'].fillna(0).sum()))} lượt). Ghi rõ đã được công"
            f" nhận (số quyết định) hoặc sửa thành đang đề nghị.",
            {"id": r["id"], "award": r["award"]},
            f"{where_in('indicators.csv', row, r['id'])}; awards.csv, dòng {lines}"))
    return out


# -- the same count under two titles -------------------------------------------------------

def repeated_counts(awards: pd.DataFrame, smallest: int = 10) -> list[Finding]:
    """Two different titles granted to exactly as many recipients (at least ``smallest``):
    possibly one list counted twice; information, to be confirmed."""
    main = awards[awards["part"].isna() & awards["count"].notna()
                  & (awards["state"] == GRANTED) & (awards["count"] >= smallest)]
    out = []
    for (_, count), group in main.groupby(["recipient", "count"], observed=True):
        titles = list(dict.fromkeys(group["title"].astype(str)))
        if len(set(group["code"].astype(str))) < 2:
            continue
        out.append(Finding(
            INFO, "repeated_count",
            f"Cùng một số {format_number(int(count))} cho hai danh hiệu khác nhau: "
            + " và ".join(f"“{t}”" for t in titles)
            + ". Có thể đúng, nhưng nên xác nhận đây không phải một danh sách ghi hai lần.",
            {"count": int(count), "titles": titles},
            "awards.csv, dòng " + ", ".join(str(int(i)) for i in group.index)))
    return out


# -- results broken into parts -------------------------------------------------------------

def parts_findings(ev: pd.DataFrame) -> list[Finding]:
    """Rows whose ``parts`` cannot be read, do not add up to the actual (when the actual
    is not itself one of the parts), or add up to more than an exact or upper target
    (“12 văn bản” with 30 in hand); going past a floor (“ít nhất 3”) is no question."""
    if "parts" not in ev:
        return []
    out = []
    for row, r in ev[ev["parts"].notna()].iterrows():
        where = where_in("indicators.csv", row, r["id"])
        try:
            parts = parse_parts(r["parts"])
        except ParseError as exc:
            out.append(Finding(WARNING, "parts", f"“{r['name']}”, cột Chi tiết kết quả: {exc}",
                               {"parts": r["parts"]}, where))
            continue
        if not parts:
            continue
        total = sum(parts.values())
        unit = r["unit"]
        listed = ", ".join(f"{k} {format_quantity(v, unit)}" for k, v in parts.items())
        figures = {"parts": parts, "sum": total}
        actual = r["actual"]
        if pd.notna(actual) and all(abs(v - actual) > 1e-9 for v in parts.values()) \
                and abs(total - actual) > 1e-9:
            out.append(Finding(WARNING, "parts",
                               f"“{r['name']}”: các phần ({listed}) cộng lại"
                               f" {format_quantity(total, unit)}, không bằng số thực hiện"
                               f" {format_quantity(actual, unit)}.", figures, where))
        if pd.notna(r["target"]) and unit != "%":
            t = parse_target(str(r["target"]))
            bound = t.high  # only a ceiling or an exact figure can be exceeded
            if bound is not None and total > bound + 1e-9:
                out.append(Finding(
                    WARNING, "parts",
                    f"“{r['name']}”: các phần ({listed}) cộng lại {format_quantity(total, unit)},"
                    f" nhiều hơn chỉ tiêu {describe_target(r['target'], unit)}; báo cáo không"
                    f" nói phần vượt ra là gì (giao thêm, chuyển từ năm trước …).",
                    {**figures, "target": bound}, where))
    return out
