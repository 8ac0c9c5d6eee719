"""HTML pieces of the consolidated view (``tong_hop.ipynb``): header, coverage, totals,
the indicator table, ranking and watch list, the years; every value escaped.

Lists that grow with the number of units are cut at ``limit`` rows with a line saying
how many more there are and where to find them (the stored Parquet tables).
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

import pandas as pd

from tongket_lib._version import __version__
from tongket_lib.dataset.schema import KINDS, LEVELS, STATES
from tongket_lib.period import parse_period
from tongket_lib.views.blocks import BANNER, Html, banner, e, table
from tongket_lib.vn import format_date, format_money, format_number, format_percent
from tongket_lib.vocab import EXCEEDED, LABELS, MET, NOT_MET

#: rows listed before "… và N đơn vị khác"
LIMIT = 25


def _pct(value) -> str:
    return "—" if value is None or pd.isna(value) else format_percent(float(value), 1)


def _more(total: int, shown: int, what: str, where: str) -> str:
    if total <= shown:
        return ""
    return (f'<p class="tk-note">… và {format_number(total - shown)} {e(what)} khác (đủ danh sách:'
            f" {e(where)}).</p>")


def header(organisation: str, year: int, units: int, groups: int, synthetic: bool) -> Html:
    """Title of the consolidated report; the demo banner first for synthetic data."""
    parts: list[str] = [banner()] if synthetic else []
    parts.append(
        '<div class="tk-header">'
        f'<div class="tk-org">{e(organisation)}</div>'
        '<h1 class="tk-title">Báo cáo tổng hợp<br><small>Kết quả thi đua, khen thưởng của các'
        f" công đoàn cơ sở {parse_period(year).label}</small></h1>"
        f'<div class="tk-year">{format_number(units)} đơn vị'
        + (f" trong {format_number(groups)} khối" if groups > 1 else "") + "</div></div>")
    return Html("".join(parts))


def coverage_cards(counts: pd.DataFrame, year: Any) -> Html:
    """Received, with errors and missing in the period ``year``, as cards and one sentence."""
    period = parse_period(year)
    row = counts[counts["period"].astype(str) == period.id]
    if row.empty:
        return Html(f'<p class="tk-note">Không có đơn vị nào có số liệu {period.label}.</p>')
    r = row.iloc[0]
    total = int(r["total"])
    cards = [(r["received"], "đơn vị đã nộp, số liệu hợp lệ"), (r["error"], "đơn vị nộp có lỗi"),
             (r["missing"], "đơn vị chưa nộp")]
    body = "".join(f'<div class="tk-card"><div class="tk-card-value">{format_number(int(v))}'
                   f' ({_pct(100 * v / max(total, 1))})</div><div class="tk-card-label">'
                   f"{e(label)}</div></div>" for v, label in cards)
    return Html(f'<div class="tk-cards">{body}</div><p class="tk-sentence">'
                f'{period.label[:1].upper()}{period.label[1:]}:'
                f" {format_number(int(r['received']))}/{format_number(total)} đơn vị đã nộp báo"
                " cáo hợp lệ.</p>")


def problem_list(rows: pd.DataFrame, state: str, limit: int = LIMIT,
                 problems_each: int = 3) -> Html:
    """Units with errors (each with its first problems) or missing units (names only)."""
    if rows.empty:
        word = "có lỗi" if state == "error" else "chưa nộp"
        return Html(f'<p class="tk-note">Không có đơn vị nào {word}.</p>')
    items = []
    for _, r in rows.head(limit).iterrows():
        name = f"<strong>{e(r['unit_name'])}</strong> (<code>{e(r['unit_id'])}</code>)"
        if state == "error":
            lines = [x for x in str(r["problems"] or "").splitlines() if x.strip()]
            shown = "".join(f"<li>{e(x)}</li>" for x in lines[:problems_each])
            if len(lines) > problems_each:
                shown += f"<li>… và {len(lines) - problems_each} lỗi nữa</li>"
            items.append(f"<li>{name}: {format_number(int(r['n_problems']))} lỗi"
                         f'<ul class="tk-problems">{shown}</ul></li>')
        else:
            items.append(f"<li>{name}</li>")
    what = "đơn vị có lỗi" if state == "error" else "đơn vị chưa nộp"
    return Html(f'<ul class="tk-units">{"".join(items)}</ul>'
                + _more(len(rows), min(limit, len(rows)), what,
                        "bảng coverage trong các tệp Parquet tổng hợp"))


def awards_table(totals: pd.DataFrame, limit: int = 20) -> Html:
    """Awards summed over units: title, level, state, count and how many units."""
    if totals.empty:
        return Html('<p class="tk-note">Không có số liệu khen thưởng.</p>')
    rows = "".join(
        f"<tr><td>{e(r['title'])}</td><td>{e(LEVELS.get(r['level'], r['level']))}</td>"
        f"<td>{e(STATES.get(r['state'], r['state']))}</td>"
        f'<td class="tk-num">{format_number(int(r["count"]))}</td>'
        f'<td class="tk-num">{format_number(int(r["units"]))}</td></tr>'
        for _, r in totals.head(limit).iterrows())
    more = (f'<p class="tk-note">Bảng nêu {limit} dòng lớn nhất trong {len(totals)} dòng.</p>'
            if len(totals) > limit else "")
    return table(["Danh hiệu, hình thức", "Cấp", "Trạng thái", "Số lượt", "Số đơn vị"], rows,
                 after=more)


def money_table(money: pd.DataFrame) -> Html:
    """Fund drives and support summed over units, each kind on its own (never added)."""
    if money.empty:
        return Html('<p class="tk-note">Không có số liệu vận động quỹ, hỗ trợ.</p>')
    rows = "".join(
        f"<tr><td>{e(KINDS.get(r['kind'], r['kind']))}</td>"
        f'<td class="tk-num">{format_number(int(r["items"]))}</td>'
        f'<td class="tk-num">{format_number(int(r["cases"]) if pd.notna(r["cases"]) else 0)}</td>'
        f'<td class="tk-num">{e(format_money(int(r["amount_vnd"])))}</td>'
        f'<td class="tk-num">{format_number(int(r["units"]))}</td></tr>'
        for _, r in money.iterrows())
    return table(["Loại", "Số khoản", "Số trường hợp", "Số tiền", "Số đơn vị"], rows)


def spread_table(spread: pd.DataFrame) -> Html:
    """Per indicator: units, share met, units not met, and the middle half of the values."""
    def quantity(v, unit) -> str:
        if v is None or pd.isna(v):
            return "—"
        return format_percent(v, 1) if unit == "%" else format_number(round(float(v), 2))

    rows = "".join(
        f"<tr><td>{e(r['section'])}</td><td>{e(r['name'])}</td><td>{e(r['target'])}</td>"
        f'<td class="tk-num">{format_number(int(r["units"]))}</td>'
        f'<td class="tk-num">{_pct(r["share_met"])}</td>'
        f'<td class="tk-num">{format_number(int(r[NOT_MET]))}</td>'
        f'<td class="tk-num">{e(quantity(r["median"], r["unit"]))}'
        + (f"<br><small>{e(quantity(r['q1'], r['unit']))} – {e(quantity(r['q3'], r['unit']))}"
           "</small>" if pd.notna(r["q1"]) else "") + "</td></tr>"
        for _, r in spread.iterrows())
    return table(["Mục", "Chỉ tiêu", "Chỉ tiêu đề ra", "Số đơn vị", f"{LABELS[MET]} hoặc vượt",
                  f"{LABELS[NOT_MET]} (số đơn vị)", "Trung vị (khoảng giữa)"], rows)


def ranking_table(scores: pd.DataFrame, criteria: str, n: int = 10) -> Html:
    """The first and last ``n`` units of the ranking, the criteria stated above."""
    def rows_of(frame: pd.DataFrame) -> str:
        return "".join(
            f'<tr><td class="tk-num">{int(r["rank"])}</td><td>{e(r["unit_name"])}'
            f' <small>(<code>{e(r["unit_id"])}</code>)</small></td><td>{e(r["unit_group"])}</td>'
            f'<td class="tk-num">{_pct(r["share_met"])}</td>'
            f'<td class="tk-num">{format_number(int(r[EXCEEDED]))}</td>'
            f'<td class="tk-num">{format_number(int(r[NOT_MET]))}</td></tr>'
            for _, r in frame.iterrows())

    if len(scores) <= 2 * n:
        body = rows_of(scores)
    else:
        gap = (f'<tr><td colspan="6" class="tk-note">… {format_number(len(scores) - 2 * n)}'
               " đơn vị ở giữa …</td></tr>")
        body = rows_of(scores.head(n)) + gap + rows_of(scores.tail(n))
    return table(["Hạng", "Đơn vị", "Khối", "Tỷ lệ đạt hoặc vượt", "Số chỉ tiêu vượt",
                  "Số chỉ tiêu không đạt"], body,
                 lead=f'<p class="tk-note">Cách xếp hạng: {e(criteria)}.</p>')


def watch_table(watch: pd.DataFrame, threshold: float, limit: int = LIMIT) -> Html:
    """Units under the threshold (worst first), with what pulls them down."""
    intro = (f"<p>Đơn vị cần theo dõi: tỷ lệ chỉ tiêu đạt hoặc vượt dưới"
             f" {format_percent(threshold, 0)}, hoặc không có chỉ tiêu nào được đánh giá:"
             f" <strong>{format_number(len(watch))}</strong> đơn vị.</p>")
    if watch.empty:
        return Html(intro)
    rows = "".join(
        f"<tr><td>{e(r['unit_name'])} <small>(<code>{e(r['unit_id'])}</code>)</small></td>"
        f"<td>{e(r['unit_group'])}</td><td class='tk-num'>{_pct(r['share_met'])}</td>"
        f"<td class='tk-num'>{format_number(int(r[NOT_MET]))}</td>"
        f"<td class='tk-num'>{format_number(int(r['disagreements']))}</td></tr>"
        for _, r in watch.head(limit).iterrows())
    return table(["Đơn vị", "Khối", "Tỷ lệ đạt hoặc vượt", "Số chỉ tiêu không đạt",
                  "Đánh giá khác báo cáo"], rows, lead=intro,
                 after=_more(len(watch), min(limit, len(watch)), "đơn vị cần theo dõi",
                             "compare.watch_list trên bảng tổng hợp, xem notebook kham_pha"))


def years_table(years: pd.DataFrame) -> Html:
    """The group per year: units, share met, awards and money."""
    rows = "".join(
        f"<tr><td>{int(r['year'])}</td><td class='tk-num'>{format_number(int(r['received']))}</td>"
        f"<td class='tk-num'>{format_number(int(r['error']))}</td>"
        f"<td class='tk-num'>{_pct(r['share_met'])}</td>"
        f"<td class='tk-num'>{format_number(_zero(r['awards_granted']))}</td>"
        f"<td class='tk-num'>{e(format_money(_zero(r['fund_vnd']), short=True))}</td>"
        f"<td class='tk-num'>{e(format_money(_zero(r['support_vnd']), short=True))}</td></tr>"
        for _, r in years.iterrows())
    return table(["Năm", "Đơn vị hợp lệ", "Đơn vị có lỗi", "Tỷ lệ chỉ tiêu đạt hoặc vượt",
                  "Khen thưởng (lượt)", "Vận động quỹ", "Hỗ trợ, thăm hỏi"], rows)


def _zero(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def footer(fingerprint: str, synthetic: bool, generated: dt.datetime | None = None) -> Html:
    """Where the figures come from, tool version, time; the demo note for synthetic data."""
    when = format_date(generated or dt.datetime.now(), with_time=True)
    return Html('<div class="tk-footer">Số liệu: bảng tổng hợp, mã kiểm tra'
                f" <code>{e(fingerprint[:16])}</code>. Tạo bằng tongket {e(__version__)} lúc"
                f" {e(when)}." + (f"<br><strong>{escape(BANNER)}.</strong>" if synthetic else "")
                + "</div>")
