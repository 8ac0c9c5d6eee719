"""Consistency and rule findings: what a careful reader would check before signing.

:func:`run_checks` looks at one year and returns :class:`Finding` objects, each with a
severity (``error``, ``warning``, ``info``), a Vietnamese message, the figures it used
and where they come from in the data files:

- reported verdicts that disagree with the computed ones;
- roll-ups and section verdicts the report states against the computed counts;
- totals implied by a percentage and a count (448 at 92,76% → about 483 members), all
  the totals of one group reconciled in one finding; a rounding slip of at most 0,01
  point is information;
- the base of a ratio target (``ratio_bases`` in ``rules.yaml``) against the other
  totals the figures imply; titles claimed while only proposed; one count under two
  titles; results broken into parts (see :mod:`tongket_lib.evaluation.audit`);
- award counts against each other and against the percentages the report states;
- legal and agency rules (``rules.yaml``) in force in that year;
- contribution sums and per-case support figures (an average that does not divide
  evenly is not reported).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tongket_lib.dataset.load import YearData
from tongket_lib.dataset.rules import Rule
from tongket_lib.dataset.schema import ABOVE_MINIMUM_KEY
from tongket_lib.dataset.titles import title_name
from tongket_lib.errors import ParseError
from tongket_lib.evaluation import audit
from tongket_lib.evaluation.findings import Finding, decimals, where_in
from tongket_lib.evaluation.status import (
    evaluate_year,
    parse_rollup_sentence,
    rollup,
    rollup_sentence,
)
from tongket_lib.period import parse_period
from tongket_lib.targets import describe_target
from tongket_lib.vn import format_money, format_number, format_percent, format_quantity
from tongket_lib.vocab import (
    ERROR,
    EXCEEDED,
    INFO,
    LABELS,
    MET,
    NOT_MET,
    SEVERITIES,
    SOURCE_LABELS,
    SOURCES,
    VERDICTS,
    WARNING,
)


def run_checks(year_data: YearData, evaluated: pd.DataFrame | None = None) -> list[Finding]:
    """All findings for one year, errors first, then warnings, then information.

    >>> from tongket_lib.dataset.load import load_year
    >>> findings = run_checks(load_year(2024))
    >>> [f.severity for f in findings if f.check == "rule"]
    ['info']
    """
    ev = evaluate_year(year_data) if evaluated is None else evaluated
    findings: list[Finding] = []
    findings += _verdicts(ev)
    findings += _stretch(ev)
    findings += _stated_rollups(ev, year_data.sections)
    facts = audit.implied_totals(ev)
    findings += audit.implied_total_findings(facts)
    findings += _awards(year_data.awards, ev)
    bases, problems = audit.ratio_bases(year_data.ratio_bases)
    findings += problems
    findings += audit.ratio_base_findings(ev, year_data.awards, bases, facts,
                                          _award_counts(year_data.awards))
    findings += audit.claimed_titles(ev, year_data.awards)
    findings += audit.repeated_counts(year_data.awards)
    findings += audit.parts_findings(ev)
    findings += _rules(year_data)
    findings += _contributions(year_data.contributions)
    findings += _unfilled(year_data.meta)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: order[f.severity])


def _unfilled(meta: dict) -> list[Finding]:
    """The facts of the document a person has yet to fill (a new organisation's start)."""
    from tongket_lib.dataset.schema import META_TEXT_KEYS, META_TO_FILL

    empty = [key for key in META_TO_FILL if not meta.get(key)]
    signatory = meta.get("signatory") or {}
    missing = [f"{META_TEXT_KEYS[k]} ({k})" for k in empty]
    if not signatory.get("name"):
        missing.append("họ tên người ký (signatory › name)")
    if not missing:
        return []
    return [Finding(WARNING, "meta_unfilled",
                    "Chưa điền: " + "; ".join(missing) + ". Văn bản in dấu chấm “…………” ở những"
                    " chỗ này; điền trong meta.yaml (trang “Thông tin chung” của sổ tính) trước"
                    " khi ký.", {"missing": missing}, "meta.yaml")]


def has_errors(findings: list[Finding]) -> bool:
    """Whether any finding is an error."""
    return any(f.severity == ERROR for f in findings)


# -- helpers ------------------------------------------------------------------------------

def _value(x: float, unit: Any) -> str:
    return format_quantity(x, unit)


def _target_words(r: pd.Series) -> str:
    return describe_target(r["target"], r["unit"])


# -- 1. reported against computed -----------------------------------------------------

def _verdicts(ev: pd.DataFrame) -> list[Finding]:
    out = []
    both = ev[ev["status_agrees"].notna()]
    for row, r in both.iterrows():  # a handful of rows: the loop is over findings, not data
        figures = {"actual": float(r["actual"]), "target": r["target"],
                   "reported": r["reported_status"], "computed": str(r["computed_status"])}
        where = where_in("indicators.csv", row, r["id"])
        if r["status_agrees"]:
            continue
        pair = {r["reported_status"], str(r["computed_status"])}
        hint = ""
        if pair == {MET, EXCEEDED}:  # often the organisation's reading of a minimum target
            hint = (" Nếu đơn vị gọi mọi kết quả cao hơn mức tối thiểu (“… trở lên”) là “vượt”,"
                    f" ghi {ABOVE_MINIMUM_KEY}: exceeded trong meta.yaml (trang “Thông tin chung”"
                    " của sổ tính).")
        out.append(Finding(
            WARNING, "reported_vs_computed",
            f"Chỉ tiêu “{r['name']}” (mục {r['section']}): báo cáo ghi"
            f" “{LABELS[r['reported_status']]}” nhưng số liệu (thực hiện"
            f" {_value(r['actual'], r['unit'])}, chỉ tiêu {_target_words(r)}) cho kết quả"
            f" “{LABELS[str(r['computed_status'])]}”. Văn bản in đánh giá của báo cáo"
            f" (“{LABELS[r['reported_status']]}”), phụ lục nêu cả hai; xem lại số liệu hoặc"
            f" lời đánh giá trước khi ký.{hint}", figures, where))
    agreed = int(both["status_agrees"].sum())
    if agreed:
        out.append(Finding(INFO, "reported_vs_computed",
                           f"{agreed} chỉ tiêu có cả số liệu và lời đánh giá của báo cáo: hai bên"
                           f" khớp nhau.", {"agreed": agreed}, "indicators.csv"))
    if "status_source" in ev and len(ev):
        counts = ev["status_source"].astype(object).value_counts()
        sources = {s: int(counts.get(s, 0)) for s in SOURCES if counts.get(s, 0)}
        out.append(Finding(INFO, "verdict_sources",
                           "Nguồn của các đánh giá: " + ", ".join(
                               f"{format_number(n)} {SOURCE_LABELS[s]}" for s, n in sources.items())
                           + ".", {"sources": sources}, "indicators.csv"))
    return out


def _stretch(ev: pd.DataFrame) -> list[Finding]:
    """How far each result with a stretch goal is from it: information, never a verdict."""
    if "stretch_gap" not in ev:
        return []
    out = []
    for row, r in ev[ev["stretch_gap"].notna()].iterrows():
        lower = str(r.get("direction")) == "lower"
        gap, unit = float(r["stretch_gap"]), str(r["unit"]) if pd.notna(r["unit"]) else ""
        goal = describe_target(r["stretch_target"], unit)
        reached = gap <= 0 if lower else gap >= 0
        said = (f"đạt cả mức phấn đấu {goal}" if reached else
                f"còn cách mức phấn đấu {goal} là"
                f" {format_number(abs(gap), decimals(abs(gap)))}"
                f" {'điểm phần trăm' if unit == '%' else unit}".rstrip())
        binding = (f" Đánh giá theo phần bắt buộc ({_target_words(r)}); mức phấn đấu không"
                   " làm thay đổi đánh giá." if pd.notna(r["target"]) else "")
        out.append(Finding(INFO, "stretch",
                           f"“{r['name']}” (mục {r['section']}): thực hiện"
                           f" {_value(r['actual'], r['unit'])}, {said}.{binding}",
                           {"gap": gap, "reached": bool(reached)},
                           where_in("indicators.csv", row, r["id"])))
    return out


# -- 2. stated roll-ups and section verdicts --------------------------------------------

def _stated_rollups(ev: pd.DataFrame, sections: pd.DataFrame) -> list[Finding]:
    out: list[Finding] = []
    if sections.empty:
        return out
    computed = rollup(ev).set_index("section")
    for row, s in sections.iterrows():
        section = s["section"]
        where = where_in("sections.csv", row, f"mục {section}")
        stated = s["stated_rollup"]
        if pd.notna(stated) and str(stated).strip():
            if section not in computed.index:
                out.append(Finding(WARNING, "stated_rollup",
                                   f"Mục {section} ghi “{stated}” nhưng không có chỉ tiêu nào"
                                   f" thuộc mục này.", {"stated": stated}, where))
            else:
                out.append(_compare_rollup(section, str(stated), computed.loc[section], where))
        status = s["reported_status"]
        if pd.notna(status) and section in computed.index:
            out += _section_verdict(section, str(status), computed.loc[section], where)
    return out


def _compare_rollup(section: str, stated: str, computed: pd.Series, where: str) -> Finding:
    counts = {v: int(computed[v]) for v in VERDICTS if int(computed[v])}
    figures = {"stated": stated, "computed": computed["sentence"]}
    try:
        stated_counts = parse_rollup_sentence(stated)
    except ParseError as exc:
        return Finding(WARNING, "stated_rollup", f"Mục {section}: {exc}", figures, where)
    if stated_counts == counts:
        return Finding(INFO, "stated_rollup",
                       f"Mục {section}: câu tổng hợp của báo cáo “{stated}” khớp với số chỉ"
                       f" tiêu tính được.", figures, where)
    return Finding(ERROR, "stated_rollup",
                   f"Mục {section}: báo cáo ghi “{stated}” nhưng đếm theo từng chỉ tiêu là"
                   f" “{rollup_sentence(counts)}”. Sửa câu tổng hợp hoặc đánh giá từng chỉ tiêu.",
                   figures, where)


def _section_verdict(section: str, status: str, computed: pd.Series, where: str) -> list[Finding]:
    figures = {"stated": status, "computed": computed["sentence"]}
    if status not in (MET, EXCEEDED):
        return []
    if int(computed[NOT_MET]):
        return [Finding(WARNING, "section_verdict",
                        f"Mục {section} được báo cáo đánh giá chung là “{LABELS[status]}” nhưng"
                        f" trong mục có {int(computed[NOT_MET]):02d} chỉ tiêu không đạt"
                        f" ({computed['sentence']}).", figures, where)]
    pending = sum(int(computed[v]) for v in VERDICTS if v not in (MET, EXCEEDED))
    if pending:
        return [Finding(INFO, "section_verdict",
                        f"Mục {section} được đánh giá chung là “{LABELS[status]}”; trong mục còn"
                        f" chỉ tiêu chưa hoàn thành hẳn ({computed['sentence']}).", figures, where)]
    return []


# -- 4. awards ------------------------------------------------------------------------------

def _award_counts(awards: pd.DataFrame, states: tuple[str, ...] = ("granted",)) -> dict[str, int]:
    main = awards[awards["part"].isna() & awards["state"].isin(states) & awards["count"].notna()]
    return {str(k): int(v) for k, v in main.groupby("code")["count"].sum().items()}


def _award_rows(awards: pd.DataFrame, code: str) -> str:
    rows = awards.index[(awards["code"] == code) & awards["part"].isna()]
    return "awards.csv, dòng " + ", ".join(str(int(r)) for r in rows) if len(rows) else "awards.csv"


def _awards(awards: pd.DataFrame, ev: pd.DataFrame) -> list[Finding]:
    out = []
    granted = _award_counts(awards)
    every = _award_counts(awards, ("granted", "proposed"))
    cstdcs, ldtt = granted.get("cstdcs"), granted.get("ldtt")
    if cstdcs is not None and ldtt:
        share = cstdcs * 100 / ldtt
        where = f"{_award_rows(awards, 'cstdcs')}; {_award_rows(awards, 'ldtt')}"
        figures = {"cstdcs": cstdcs, "ldtt": ldtt, "percent": share}
        stated = ev[(ev["award"] == "cstdcs") & (ev["unit"] == "%") & ev["actual"].notna()]
        for row, r in stated.iterrows():
            d = decimals(float(r["actual"]))
            here = f"{where}; {where_in('indicators.csv', row, r['id'])}"
            if round(share, d) == round(float(r["actual"]), d):
                out.append(Finding(INFO, "award_share",
                                   f"CSTĐCS / LĐTT = {cstdcs} / {ldtt} = {format_percent(share, 2)};"
                                   f" báo cáo ghi {format_percent(r['actual'])}: khớp khi làm tròn.",
                                   figures, here))
            else:
                out.append(Finding(WARNING, "award_share",
                                   f"CSTĐCS / LĐTT = {cstdcs} / {ldtt} = {format_percent(share, 2)}"
                                   f" nhưng báo cáo ghi {format_percent(r['actual'])}. Kiểm tra lại"
                                   f" tỷ lệ hoặc số lượng.", figures, here))
    for small, big, law in (("cstdcs", "ldtt", "cá nhân đạt Chiến sĩ thi đua cơ sở phải đạt"
                                                " tiêu chuẩn Lao động tiên tiến"),
                            ("ttldxs", "ttldtt", "tập thể lao động xuất sắc được chọn trong số"
                                                 " tập thể lao động tiên tiến")):
        n_small = every.get(small)
        n_big = every.get(big)
        if n_small is None or n_big is None:
            continue
        where = f"{_award_rows(awards, small)}; {_award_rows(awards, big)}"
        figures = {small: n_small, big: n_big}
        label = f"{title_name(small)} ({format_number(n_small)}) ≤ {title_name(big)} ({format_number(n_big)})"
        if n_small > n_big:
            out.append(Finding(ERROR, "award_order",
                               f"Số {title_name(small)} ({format_number(n_small)}) lớn hơn số"
                               f" {title_name(big)} ({format_number(n_big)}), trong khi {law}."
                               f" Kiểm tra lại số lượng (tính cả số đang đề nghị).", figures, where))
        else:
            out.append(Finding(INFO, "award_order", f"{label}: hợp lệ (tính cả số đang đề nghị).",
                               figures, where))
    out += _award_parts(awards)
    return out


def _award_parts(awards: pd.DataFrame) -> list[Finding]:
    """Detail rows (“Trong đó”) must add up to their total row."""
    out: list[Finding] = []
    keys = ["stream", "granted_by", "title", "recipient", "state"]
    parts = awards[awards["part"].notna()]
    if parts.empty:
        return out
    totals = awards[awards["part"].isna()]
    for key, group in parts.groupby(keys, dropna=False, observed=True):
        match = totals
        for k, v in zip(keys, key, strict=False):
            match = match[match[k] == v] if pd.notna(v) else match[match[k].isna()]
        rows = ", ".join(str(int(r)) for r in group.index)
        if match.empty:
            out.append(Finding(WARNING, "award_parts",
                               f"Các dòng chi tiết “{key[2]}” (dòng {rows}) không có dòng tổng"
                               f" tương ứng (cùng cấp tặng, danh hiệu, đối tượng, trạng thái).",
                               {}, f"awards.csv, dòng {rows}"))
            continue
        total = match["count"].iloc[0]
        summed = group["count"].sum()
        where = f"awards.csv, dòng {int(match.index[0])}; dòng {rows}"
        figures = {"total": None if pd.isna(total) else int(total), "parts": int(summed)}
        if pd.isna(total):
            continue
        if int(summed) != int(total):
            out.append(Finding(ERROR, "award_parts",
                               f"“{key[2]}”: tổng {format_number(total)} nhưng các dòng “Trong đó”"
                               f" cộng lại {format_number(summed)}.", figures, where))
        else:
            out.append(Finding(INFO, "award_parts",
                               f"“{key[2]}”: các dòng “Trong đó” cộng lại đúng tổng"
                               f" {format_number(total)}.", figures, where))
    return out


# -- 5. rules -------------------------------------------------------------------------------

def _rules(year_data: YearData) -> list[Finding]:
    out = []
    organisation = year_data.meta.get("organisation", "")
    for rule in year_data.rules:
        if not rule.in_force(year_data.year):
            out.append(Finding(INFO, "rule",
                               f"Không áp dụng “{rule.title}” ({rule.source}) cho"
                               f" {parse_period(year_data.year).label}: quy định"
                               f" {rule.period()}.",
                               {"rule": rule.id}, rule.file))
            continue
        if not rule.applies(year_data.year, organisation):
            continue
        out.append(_apply_rule(rule, year_data.awards))
    return out


def _apply_rule(rule: Rule, awards: pd.DataFrame) -> Finding:
    counts = _award_counts(awards, rule.states)
    num, den = counts.get(rule.numerator), counts.get(rule.denominator)
    where = f"{rule.file} ({rule.id}); {_award_rows(awards, rule.numerator)}"
    cite = f"{rule.source}, {rule.period()}" + (f": “{rule.quote}”" if rule.quote else "")
    if not rule.quote_verified and rule.quote:
        cite += " (trích dẫn chưa đối chiếu nguyên văn)"
    if num is None or not den:
        return Finding(INFO, "rule", f"Chưa kiểm tra được “{rule.title}”: thiếu số"
                                     f" {title_name(rule.numerator)} hoặc"
                                     f" {title_name(rule.denominator)}. ({cite})",
                       {"rule": rule.id}, where)
    share = num * 100 / den
    figures = {"rule": rule.id, "numerator": num, "denominator": den, "percent": share,
               "limit_percent": rule.limit_percent}
    ratio = (f"{title_name(rule.numerator)} / {title_name(rule.denominator)} = {num} / {den}"
             f" = {format_percent(share, 2)}")
    broken = share > rule.limit_percent + 1e-9 if rule.check == "ratio_at_most" \
        else share < rule.limit_percent - 1e-9
    bound = "tối đa" if rule.check == "ratio_at_most" else "tối thiểu"
    if broken:
        return Finding(rule.severity, "rule",
                       f"Vi phạm “{rule.title}”: {ratio}, vượt giới hạn {bound}"
                       f" {format_percent(rule.limit_percent)}. Căn cứ: {cite}.", figures, where)
    return Finding(INFO, "rule", f"Đúng “{rule.title}”: {ratio} (giới hạn {bound}"
                                 f" {format_percent(rule.limit_percent)}). Căn cứ: {cite}.",
                   figures, where)


# -- 6. contributions -----------------------------------------------------------------------

def _contributions(contrib: pd.DataFrame) -> list[Finding]:
    out = []
    for kind, label in (("fund", "vận động quỹ"), ("support", "hỗ trợ, thăm hỏi")):
        rows = contrib[(contrib["kind"] == kind) & contrib["amount_vnd"].notna()]
        if rows.empty:
            continue
        total = int(rows["amount_vnd"].sum())
        out.append(Finding(INFO, "contribution_total",
                           f"Tổng {label} ({len(rows)} khoản): {format_money(total)}.",
                           {"kind": kind, "total": total, "items": len(rows)},
                           "contributions.csv, dòng " + ", ".join(str(int(r)) for r in rows.index)))
    for row, r in contrib.iterrows():
        cases, amount, per = r["cases"], r["amount_vnd"], r["per_case_vnd"]
        if pd.isna(cases) or pd.isna(amount) or int(cases) == 0:
            continue
        where = where_in("contributions.csv", row, r["name"])
        figures = {"cases": int(cases), "amount_vnd": int(amount)}
        if pd.notna(per):
            figures["per_case_vnd"] = int(per)
            if int(cases) * int(per) != int(amount):
                out.append(Finding(ERROR, "per_case",
                                   f"“{r['name']}”: {int(cases)} trường hợp × {format_money(per)}"
                                   f" = {format_money(int(cases) * int(per))}, nhưng số tiền ghi"
                                   f" {format_money(amount)}.", figures, where))
            continue
        each = int(amount) / int(cases)
        if not each.is_integer():
            continue  # an average that does not divide evenly tells the reader nothing
        out.append(Finding(INFO, "per_case",
                           f"“{r['name']}”: {format_money(amount)} cho {int(cases)} trường hợp,"
                           f" mỗi trường hợp {format_money(int(each))}.",
                           figures, where))
    return out
