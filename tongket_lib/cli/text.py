"""What ``tongket check`` prints: the year, its roll-ups, awards, money and findings."""

from __future__ import annotations

import pandas as pd

from tongket_lib.dataset.layout import shown
from tongket_lib.dataset.load import YearData
from tongket_lib.dataset.schema import RECIPIENTS
from tongket_lib.evaluation.checks import Finding
from tongket_lib.evaluation.glance import glance
from tongket_lib.evaluation.status import TOTAL
from tongket_lib.vn import format_money, format_number
from tongket_lib.vocab import GRANTED, PROPOSED, SEVERITIES, SEVERITY_LABELS, STATE_WORDS


def _counts(counts: dict[str, int]) -> str:
    if not counts:
        return "không có"
    return ", ".join(f"{format_number(n)} lượt {RECIPIENTS[r].lower()}" for r, n in counts.items())


def check_year(year: int | str, data: str) -> tuple[str, int]:
    """``tongket check`` of one year folder as text and its exit code (2: the data does
    not load, 1: error-level findings, 0: none). A plain function of its arguments, so
    that the units of a multi-unit folder can be checked on the engine's workers."""
    from tongket_lib.dataset.load import load_year
    from tongket_lib.errors import DataError

    try:
        year_data = load_year(year, data)
    except DataError as exc:
        return f"Lỗi: {exc}", exc.exit_code
    return check_loaded(year_data)


def check_loaded(year_data: YearData) -> tuple[str, int]:
    """``tongket check`` of a loaded year: its text and exit code (1: error findings)."""
    from tongket_lib.evaluation.checks import has_errors, run_checks
    from tongket_lib.evaluation.status import evaluate_year, rollup

    evaluated = evaluate_year(year_data)
    findings = run_checks(year_data, evaluated)
    return check_text(year_data, rollup(evaluated), findings), 1 if has_errors(findings) else 0


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def check_text(year_data: YearData, rolled: pd.DataFrame, findings: list[Finding]) -> str:
    """What ``tongket check`` prints: the year, its roll-ups, awards, money and findings."""
    g = glance(year_data, rolled)
    meta = year_data.meta
    lines = [
        f"{_capital(year_data.year.label)}: {meta['organisation']}" if meta.get('organisation')
        else _capital(year_data.year.label),
        f"{meta.get('title', '')}",
        f"Dữ liệu đúng định dạng: {shown(year_data.folder)}"
        + (" (DỮ LIỆU MINH HỌA, không phải số liệu thật)" if year_data.synthetic else ""),
        "",
        f"Chỉ tiêu: {g.indicators} chỉ tiêu; trách nhiệm, giao ước: {g.duties} nội dung;"
        + (f" kết quả (không đánh giá): {g.results};" if g.results else "")
        + f" trong {g.sections} mục",
    ]
    width = max((len(str(s)) for s in rolled["section"]), default=5)
    for _, r in rolled.iterrows():
        label = "Cả năm" if r["section"] == TOTAL else r["section"]
        duties, indicators = r.get("duties", 0), r.get("indicators", 1)
        noun = "nội dung" if duties and not indicators else "chỉ tiêu"
        if r["section"] == TOTAL or (duties and indicators):
            noun = "dòng"
        lines.append(f"  {label:<{width}}  {int(r['total']):>3} {noun:<8}  {r['sentence']}")
    lines += [
        "",
        f"Khen thưởng {STATE_WORDS[GRANTED]}: {_counts(g.granted)}"
        + (f" (trong đó có số quyết định: {_counts(g.granted_with_decision)})"
           if g.granted_with_decision != g.granted else "")
        + f"; {STATE_WORDS[PROPOSED]}: {_counts(g.proposed)}.",
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
