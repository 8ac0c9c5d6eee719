"""What the several-years (trends) notebook shows, as HTML pieces: its header, the totals,
each indicator's progress towards its target, the largest changes between two years and
the ids that changed; built with the helpers of :mod:`~tongket_lib.views.blocks`."""

from __future__ import annotations

import datetime as dt
from html import escape

import pandas as pd

from tongket_lib._version import __version__
from tongket_lib.views.blocks import Html, banner, e, quantity_text, table, target_text
from tongket_lib.vn import format_date, format_money, format_number, format_percent
from tongket_lib.vocab import (
    BANNER,
    LABELS,
    VERDICTS,
)


def trends_header(years) -> Html:
    """Header of the trends report: organisation, the years covered, banner for demo data."""
    latest = years.meta[years.years[-1]]
    span = (f"{years.years[0]}–{years.years[-1]}" if len(years.years) > 1
            else str(years.years[0]))
    parts: list[str] = [banner()] if years.synthetic else []
    parts.append(
        '<div class="tk-header">'
        f'<div class="tk-org">{e(latest.get("organisation"))}</div>'
        f'<div class="tk-union">{e(latest.get("union"))}</div>'
        f'<h1 class="tk-title">Xu hướng thi đua, khen thưởng<br><small>Các năm {e(span)}</small></h1>'
        f'<div class="tk-year">Số liệu các năm: {e(", ".join(map(str, years.years)))}</div>'
        "</div>")
    return Html("".join(parts))


def single_year_notice(years) -> Html:
    """Said plainly when there is only one year: trends need two."""
    if len(years.years) > 1:
        return Html("")
    return Html('<div class="tk-banner tk-notice">Cần số liệu của ít nhất hai năm để xem xu'
                f' hướng; hiện chỉ có năm {years.years[0]}. Báo cáo dưới đây chỉ trình bày năm'
                " này.</div>")


def totals_table(totals: pd.DataFrame) -> Html:
    """Per year: indicators by verdict, awards granted and money."""
    headers = ["Năm", "Chỉ tiêu", "Trách nhiệm, giao ước",
               *(LABELS[v] for v in VERDICTS if v in totals),
               "Khen thưởng cá nhân", "Khen thưởng tập thể", "Vận động quỹ", "Hỗ trợ, thăm hỏi"]
    body = "".join(
        f"<tr><td>{r['year']}</td><td class='tk-num'>{format_number(r['indicators'])}</td>"
        f"<td class='tk-num'>{format_number(r.get('duties', 0))}</td>"
        + "".join(f"<td class='tk-num'>{format_number(r[v])}</td>" for v in VERDICTS if v in totals)
        + f"<td class='tk-num'>{format_number(r.get('awards_individual', 0))}</td>"
          f"<td class='tk-num'>{format_number(r.get('awards_collective', 0))}</td>"
          f"<td class='tk-num'>{e(format_money(r.get('money_fund', 0), short=True))}</td>"
          f"<td class='tk-num'>{e(format_money(r.get('money_support', 0), short=True))}</td></tr>"
        for _, r in totals.iterrows())
    return table(headers, body)


def progress_table(prog: pd.DataFrame) -> Html:
    """Progress class of each indicator with the figures it is computed from."""
    from tongket_lib.evaluation.trends import PROGRESS_COLOURS

    if prog.empty:
        return Html('<p class="tk-note">Chưa có chỉ tiêu nào có số liệu ít nhất hai năm và'
                    " chỉ tiêu đề ra để đánh giá tiến độ.</p>")
    rows = []
    for _, r in prog.iterrows():
        colour = PROGRESS_COLOURS[r["progress"]]
        ratio = "" if pd.isna(r["ratio"]) else (
            "—" if abs(r["ratio"]) == float("inf") else format_number(r["ratio"]))
        rows.append(
            f"<tr><td>{e(r['name'])}</td>"
            f"<td class='tk-num'>{e(quantity_text(r['base_value'], r['unit']))} ({r['base_year']})</td>"
            f"<td class='tk-num'>{e(quantity_text(r['current_value'], r['unit']))} ({r['current_year']})</td>"
            f"<td>{e(target_text(r['target'], r['unit']))}</td>"
            f"<td class='tk-num'>{e(ratio)}</td>"
            f'<td><span class="tk-verdict" style="background:{colour};color:#ffffff">'
            f"{e(r['progress_label'])}</span></td></tr>")
    return table(["Chỉ tiêu", "Năm đầu", "Năm gần nhất", "Chỉ tiêu đề ra",
                  "Tăng trưởng đạt / cần", "Tiến độ"], "".join(rows))


def changes_table(yoy: pd.DataFrame, top: int = 15) -> Html:
    """The largest year-on-year changes, whether each goes the good way."""
    if yoy.empty:
        return Html('<p class="tk-note">Chưa có chỉ tiêu nào có số liệu hai năm liền nhau.</p>')
    rows = []
    for _, r in yoy.head(top).iterrows():
        pct = "" if abs(r["change_pct"]) == float("inf") else format_percent(r["change_pct"], 1)
        way = {True: "tốt lên", False: "xấu đi"}.get(r["improved"], "không đổi")
        rows.append(
            f"<tr><td>{e(r['name'])}</td><td>{r['from_year']}–{r['to_year']}</td>"
            f"<td class='tk-num'>{e(quantity_text(r['from_value'], r['unit']))}</td>"
            f"<td class='tk-num'>{e(quantity_text(r['to_value'], r['unit']))}</td>"
            f"<td class='tk-num'>{e(pct)}</td><td>{e(way)}</td></tr>")
    return table(["Chỉ tiêu", "Giai đoạn", "Từ", "Đến", "Thay đổi", "Chiều"], "".join(rows))


def id_changes(changes: pd.DataFrame) -> Html:
    """Indicators that are new, dropped, interrupted or renamed across the years."""
    if changes.empty:
        return Html('<p class="tk-note">Các chỉ tiêu giống nhau qua các năm (cùng mã, cùng tên).</p>')
    items = "".join(f"<li><code>{e(r['id'])}</code> {e(r['name'])}: {e(r['description'])}</li>"
                    for _, r in changes.iterrows())
    return Html(f'<ul class="tk-changes">{items}</ul>')


def trends_footer(years, generated: dt.datetime | None = None) -> Html:
    """Tool version and generation date of the trends report."""
    when = format_date(generated or dt.datetime.now(), with_time=True)
    return Html('<div class="tk-footer">'
                f"Số liệu các năm {e(', '.join(map(str, years.years)))}. Tạo bằng tongket"
                f" {e(__version__)} lúc {e(when)}."
                + (f"<br><strong>{escape(BANNER)}.</strong>" if years.synthetic else "")
                + "</div>")
