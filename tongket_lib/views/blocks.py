"""The report's HTML pieces: header, key figures, section tables, awards, money, findings.

Each function returns :class:`Html`, a string that Jupyter displays as HTML, so a
notebook cell shows it as it will print. Every piece of data is escaped with
:func:`html.escape`: a name such as ``<script>…`` shows as text and runs nothing.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import pandas as pd

from tongket_lib._version import __version__
from tongket_lib.dataset.load import YearData
from tongket_lib.dataset.schema import LEVELS, RECIPIENTS, STREAMS
from tongket_lib.evaluation.checks import Finding
from tongket_lib.evaluation.glance import Glance
from tongket_lib.evaluation.results import format_actual
from tongket_lib.targets import describe_target
from tongket_lib.vn import (
    format_date,
    format_money,
    format_number,
    format_percent,
    format_quantity,
    missing,
)
from tongket_lib.vocab import (
    BANNER,
    COLOURS,
    COMPUTED,
    GRANTED,
    LABELS,
    NONE,
    REPORTED,
    SECTION,
    SEVERITIES,
    SEVERITY_LABELS,
    SOURCE_LABELS,
    STATE_WORDS,
    STATES,
    TEXT_COLOURS,
)


class Html(str):
    """HTML text; Jupyter displays it as HTML."""

    def _repr_html_(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # short text/plain twin
        printer.text(f"<HTML: {len(self)} ký tự>")


def e(value) -> str:
    """Escaped text of a value; empty for missing values."""
    if missing(value):
        return ""
    return escape(str(value))


def table(headers: list[str], rows: str, lead: str = "", after: str = "") -> Html:
    """A report table: ``headers`` (text, escaped here) over ``rows`` (the body's ``<tr>``
    HTML, values already escaped), with HTML ``lead`` before it and ``after`` it."""
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    return Html(f'{lead}<table class="tk-table"><thead><tr>{head}</tr></thead>'
                f"<tbody>{rows}</tbody></table>{after}")


def banner() -> Html:
    """The warning shown at the top of every report built from demonstration data."""
    return Html(f'<div class="tk-banner" role="alert">{escape(BANNER)}</div>')


def header(year_data: YearData) -> Html:
    """Organisation, union, title and year, with the legal bases; the banner first for
    demonstration data."""
    m = year_data.meta
    bases = "".join(f"<li>Căn cứ {e(b.get('text'))};</li>" for b in m.get("legal_bases", []))
    parts: list[str] = [banner()] if year_data.synthetic else []
    parts.append(
        '<div class="tk-header">'
        f'<div class="tk-org">{e(m.get("organisation"))}</div>'
        f'<div class="tk-union">{e(m.get("union"))}</div>'
        f'<h1 class="tk-title">{e(m.get("document_type") or "Báo cáo")}<br>'
        f'<small>{e(m.get("title"))}</small></h1>'
        f'<div class="tk-year">Năm {year_data.year}</div>'
        + (f'<ul class="tk-bases">{bases}</ul>' if bases else "")
        + (f'<p class="tk-opening">{e(m.get("issuer"))} báo cáo kết quả như sau:</p>'
           if bases and m.get("issuer") else "") + "</div>")
    return Html("".join(parts))



def glance(g: Glance) -> Html:
    """Key figures as cards, then the year's roll-up sentence. Indicators are counted
    apart from duties and undertakings; awards say “đã công nhận, đã khen” and cite a
    decision only for the awards whose rows cite one."""
    done = g.verdicts.get("met", 0) + g.verdicts.get("exceeded", 0)
    share = done * 100 / g.indicators if g.indicators else 0
    granted = [f"{format_number(n)} lượt {RECIPIENTS[r].lower()}" for r, n in g.granted.items()]
    decided = sum(g.granted_with_decision.values())
    award_label = f"khen thưởng {STATE_WORDS[GRANTED]}" + (
        "" if not g.granted else
        " (có số quyết định)" if g.granted_with_decision == g.granted else
        f" (trong đó {format_number(decided)} lượt có số quyết định)" if decided else
        " (báo cáo không nêu số quyết định)")
    cards = [  # (lines of the value, label)
        ([format_number(g.indicators)], "chỉ tiêu được theo dõi"
         + (f" (không kể {format_number(g.duties)} nội dung trách nhiệm, giao ước)"
            if g.duties else "")),
        ([f"{format_number(done)} ({format_percent(share, 1)})"], "chỉ tiêu đạt hoặc vượt"),
        ([format_number(g.verdicts.get("not_met", 0))], "chỉ tiêu không đạt"),
        (granted or ["0"], award_label),
        ([format_money(g.funds_total, short=True)], f"vận động {g.funds_items} quỹ"),
        ([format_money(g.support_total, short=True)],
         f"hỗ trợ, thăm hỏi {format_number(g.support_cases)} trường hợp"),
    ]
    body = "".join(
        f'<div class="tk-card"><div class="tk-card-value{" tk-card-lines" if len(v) > 1 else ""}">'
        f'{"<br>".join(map(fig, v))}</div><div class="tk-card-label">{e(label)}</div></div>'
        for v, label in cards)
    return Html(f'<div class="tk-cards">{body}</div>'
                f'<p class="tk-sentence">Cả năm: {e(g.sentence)}.</p>')


def verdict(code: str, source: str = COMPUTED, reported: str | None = None,
            computed: str | None = None) -> Html:
    """A coloured verdict label with where it comes from: nothing added when computed from
    the figures, “(theo báo cáo)” only when the report states it for this item, “(theo
    đánh giá chung của mục)” when inherited from the section, “(báo cáo không đánh giá)”
    when there is none; a red note with the other verdict when the report's and the
    figures' differ (the report's is the item's verdict: both are shown). A plain result
    (no verdict: ``code`` missing) is labelled as one."""
    if code not in COLOURS:
        return Html('<span class="tk-reported">kết quả, không đánh giá</span>')
    style = f"background:{COLOURS[code]};color:{TEXT_COLOURS[code]}"
    out = (f'<span class="tk-verdict tk-v-{code}" style="{style}">'
           f"{escape(LABELS[code])}</span>")
    if source in (REPORTED, SECTION):
        out += f' <span class="tk-reported">({escape(SOURCE_LABELS[source])})</span>'
    elif source == NONE:
        out += ' <span class="tk-reported">(báo cáo không đánh giá)</span>'
    if reported and source == COMPUTED and reported != code:
        out += f' <span class="tk-disagree">Báo cáo ghi: {escape(LABELS[reported])}</span>'
    if computed in COLOURS and source == REPORTED and computed != code:
        out += f' <span class="tk-disagree">Số liệu cho: {escape(LABELS[computed])}</span>'
    return Html(out)


def _money(value) -> str:
    return format_money(value) if pd.notna(value) else "—"


def quantity_text(value, unit, qualifier=None) -> str:
    return format_actual(value, unit, qualifier, missing="—")


def _stretch(r: pd.Series) -> str:
    """“Mức phấn đấu ≥ 60%: còn cách 5 điểm” under the target, as information."""
    goal = r.get("stretch_target")
    if goal is None or pd.isna(goal):
        return ""
    text = f"Phấn đấu: {describe_target(goal, r['unit'])}"
    gap = r.get("stretch_gap")
    if gap is not None and pd.notna(gap):
        unit = "điểm %" if r["unit"] == "%" else r["unit"]
        way = "vượt" if gap > 0 else "còn cách" if gap < 0 else "đúng mức"
        text += f" ({way} {format_quantity(abs(gap), unit)})" if gap else f" ({way})"
    return f'<br><small class="tk-stretch">{e(text)}</small>'


def target_text(text, unit) -> str:
    return describe_target(text, unit, missing="—")


#: a quantity up to this long never breaks at all ("trên 55%", "3 người")
SHORT_FIGURE = 12


def fig(text: str) -> str:
    """A quantity as non-breaking text (escaped): "83,25%" or "486.771.474" never breaks
    across lines, even in a narrow column on a phone. A short quantity stays whole; in a
    longer one each number stays whole and the words around it ("triệu đồng") wrap.

    >>> fig("trên 83,25%")
    '<span class="tk-fig">trên 83,25%</span>'
    >>> fig("486,77 triệu đồng")
    '<span class="tk-fig">486,77</span> triệu đồng'
    """
    text = str(text)
    if len(text) <= SHORT_FIGURE:
        return f'<span class="tk-fig">{e(text)}</span>' if text else ""
    return " ".join(f'<span class="tk-fig">{e(word)}</span>' if any(c.isdigit() for c in word)
                    else e(word) for word in text.split(" "))


#: the columns of a section's table of indicators: (class of its <col>, header)
INDICATOR_COLUMNS = (("tk-c-name", "Chỉ tiêu"), ("tk-c-target", "Chỉ tiêu đề ra"),
                     ("tk-c-actual", "Thực hiện"), ("tk-c-verdict", "Đánh giá"),
                     ("tk-c-note", "Ghi chú"))


def section(evaluated: pd.DataFrame, rolled: pd.DataFrame, sections: pd.DataFrame,
            number: str, audit: bool = False) -> Html:
    """One section: heading, the verdict it is given, and the table of its indicators.

    Without ``audit`` it is the union's annex: each row's verdict as the document gives
    it (a row under its section's overall verdict has none of its own: the document
    states that verdict once, on the section's heading). With ``audit`` it is the
    preparer's check of the same rows: where each verdict comes from, what the report
    stated beside what the figures give, and whether the section's sentence matches."""
    rows = evaluated[evaluated["section"] == number]
    summary = rolled[rolled["section"] == number].iloc[0]
    stated = sections[sections["section"] == number] if not sections.empty else sections
    s = stated.iloc[0] if not stated.empty else None
    notes = []
    overall = _opt(s["reported_status"]) if s is not None else None
    if audit and s is not None:
        if pd.notna(s["stated_rollup"]):
            same = _plain(s["stated_rollup"]) == _plain(summary["sentence"])
            notes.append("Khớp với câu tổng hợp của báo cáo gốc." if same
                         else f"Báo cáo gốc ghi: “{e(s['stated_rollup'])}”.")
        if overall:
            notes.append(f"Báo cáo đánh giá chung cả mục: “{e(LABELS[overall])}”.")
    inherited = (rows["status_source"].astype(str) == SECTION).any()
    sentence = (f"Đánh giá chung của mục: {LABELS[overall]}." if not audit and overall
                and inherited else str(summary["sentence"]))

    def judged(r: pd.Series) -> str:
        source, status = str(r["status_source"]), str(r["status"])
        if audit:
            return _verdict_of(r)
        if source == SECTION:  # said once, on the section's heading
            return '<span class="tk-reported">(đánh giá chung của mục)</span>'
        computed = _opt(r.get("computed_status"))
        if source == REPORTED and computed in COLOURS and computed != status:
            # the union's verdict is the item's; the annex also gives what the figures give
            return Html(f'{verdict(status)} <span class="tk-reported">(theo số liệu:'
                        f" {escape(LABELS[computed].lower())})</span>")
        return verdict(status)

    # the notes explain the figures to the preparer ("Báo cáo ghi …"): the checks page's;
    # the union's reasons are in the document's own sentences
    columns = INDICATOR_COLUMNS if audit else INDICATOR_COLUMNS[:-1]
    labels = [h for _, h in columns]
    body = "".join(
        "<tr>"
        f'<td data-label="{labels[0]}">{e(r["name"])}</td>'
        f'<td data-label="{labels[1]}">{e(target_text(r["target"], r["unit"]))}{_stretch(r)}</td>'
        f'<td class="tk-num" data-label="{labels[2]}">'
        f'{fig(quantity_text(r["actual"], r["unit"], r.get("actual_qualifier")))}</td>'
        f'<td data-label="{labels[3]}">{judged(r)}</td>'
        + (f'<td class="tk-explain" data-label="{labels[4]}">{e(r["note"])}</td>' if audit else "")
        + "</tr>" for _, r in rows.iterrows())
    title = f"{number}. {summary['section_title']}" if summary["section_title"] else number
    ident = f"{'doi-chieu' if audit else 'muc'}-{e(number)}"
    cols = "".join(f'<col class="{c}">' for c, _ in columns)
    head = "".join(f"<th>{h}</th>" for h in labels)
    kind = "tk-table tk-indicators" + (" tk-audit" if audit else "")
    return Html(
        '<div class="tk-keep">'  # the heading stays on the page of the table's first rows
        f'<h3 id="{ident}">{e(title)}</h3>'
        f'<p class="tk-sentence">{e(sentence)}</p>'
        + "".join(f'<p class="tk-note">{n}</p>' for n in notes) + "</div>"
        + f'<div class="tk-out"><table class="{kind}"><colgroup>{cols}</colgroup>'
          f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def sections(evaluated: pd.DataFrame, rolled: pd.DataFrame, sections: pd.DataFrame,
             audit: bool = False) -> Html:
    """Every section of the year (:func:`section`), in the report's order."""
    from tongket_lib.evaluation.status import TOTAL

    numbers = [n for n in rolled["section"] if n != TOTAL]
    return Html("".join(section(evaluated, rolled, sections, n, audit) for n in numbers))


def key_figures(year_data: YearData, rolled: pd.DataFrame) -> Html:
    """The box of the year's key figures at the top of the shared page."""
    from tongket_lib.evaluation.glance import glance as year_glance

    return Html('<section class="tk-key" id="so-lieu-chinh" aria-labelledby="so-lieu-chinh-h">'
                '<h2 id="so-lieu-chinh-h">Số liệu chính</h2>'
                f"{glance(year_glance(year_data, rolled))}</section>")


def _plain(text) -> str:
    return " ".join(str(text).lower().rstrip(" .").split())


def _verdict_of(r: pd.Series) -> Html:
    """A row's verdict label, with the other verdict where the report's and the figures'
    differ."""
    return verdict(str(r["status"]), str(r["status_source"]), _opt(r["reported_status"]),
                   _opt(r.get("computed_status")))


def _opt(value) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def awards(awards: pd.DataFrame) -> Html:
    """Awards by stream, level and title, detail rows (“Trong đó”) under their total."""
    rows = []
    for stream, by_stream in awards.groupby("stream", sort=False, observed=True):
        rows.append(f'<tr class="tk-group"><th colspan="6">Khối {e(STREAMS.get(stream, stream).lower())}'
                    "</th></tr>")
        ordered = by_stream.assign(_level=by_stream["level"].map(list(LEVELS).index))
        for _, r in ordered.sort_values("_level", kind="stable").iterrows():
            part = pd.notna(r["part"])
            title = f"Trong đó: {e(r['part'])}" if part else e(r["title"])
            cells = [
                e(LEVELS.get(r["level"], r["level"])),
                e(r["granted_by"]),
                title,
                e(RECIPIENTS.get(r["recipient"], r["recipient"])),
            ]
            decision = (f"<br><small>QĐ {e(r['decision'])}</small>"
                        if pd.notna(r["decision"]) else "")
            rows.append(('<tr class="tk-part">' if part else "<tr>")
                        + "".join(f"<td>{c}</td>" for c in cells)
                        + f'<td class="tk-num">{fig(quantity_text(r["count"], ""))}</td>'
                        + f"<td>{e(STATES.get(r['state'], r['state']))}{decision}</td></tr>")
    return Html('<table class="tk-table tk-awards"><thead><tr><th>Cấp</th><th>Cấp tặng</th>'
                '<th>Danh hiệu, hình thức</th><th>Đối tượng</th><th>Số lượng</th>'
                f'<th>Trạng thái</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')



def decisions(meta: dict) -> Html:
    """The decisions the report cites, with number, date, signer and subject."""
    items = "".join(
        f"<li>Quyết định số {e(d.get('number'))}"
        + (f" ngày {e(format_date(d['date']))}" if d.get("date") else "")
        + (f" của {e(d.get('issuer'))}" if d.get("issuer") else "")
        + (f": {e(d.get('subject'))}" if d.get("subject") else "") + ".</li>"
        for d in meta.get("decisions", []))
    return Html(f'<ul class="tk-decisions">{items}</ul>' if items else
                '<p class="tk-note">Báo cáo không nêu số quyết định.</p>')


def contributions(contributions: pd.DataFrame) -> Html:
    """Fund drives and support items, each kind with its own total.

    Money raised for funds and money paid out as support are different things, so they
    are never added into one grand total."""
    from tongket_lib.dataset.schema import KINDS

    rows = []
    for kind, group in contributions.groupby("kind", sort=False, observed=True):
        for _, r in group.iterrows():
            rows.append(f"<tr><td>{e(KINDS.get(kind, kind))}</td><td>{e(r['name'])}</td>"
                        f'<td class="tk-num">{fig(quantity_text(r["cases"], ""))}</td>'
                        f'<td class="tk-num">{fig(_money(r["amount_vnd"]))}</td>'
                        f"<td>{e(r['note'])}</td></tr>")
        total = format_money(int(group["amount_vnd"].sum()))
        rows.append(f'<tr class="tk-total"><td colspan="3">Cộng {e(KINDS.get(kind, kind).lower())}'
                    f'</td><td class="tk-num">{fig(total)}</td><td></td></tr>')
    return table(["Loại", "Nội dung", "Số trường hợp", "Số tiền", "Ghi chú"], "".join(rows))


def findings(found: list[Finding]) -> Html:
    """Findings grouped by severity, in plain words."""
    parts = []
    for severity in SEVERITIES:
        group = [f for f in found if f.severity == severity]
        parts.append(f"<h3>{e(SEVERITY_LABELS[severity])} ({len(group)})</h3>")
        if not group:
            parts.append('<p class="tk-note">Không có.</p>')
            continue
        items = "".join(
            f'<li class="tk-finding tk-f-{severity}"><span class="tk-f-label">'
            f"{e(SEVERITY_LABELS[severity])}</span> {e(f.message)}"
            + (f' <span class="tk-where">{e(f.where)}</span>' if f.where else "") + "</li>"
            for f in group)
        parts.append(f'<ul class="tk-findings">{items}</ul>')
    return Html("".join(parts))


def footer(year_data: YearData, generated: dt.datetime | None = None) -> Html:
    """Data checksum, tool version and the date the report was generated."""
    when = format_date(generated or dt.datetime.now(), with_time=True)
    return Html(
        '<div class="tk-footer">'
        f"Dữ liệu: thư mục {e(year_data.folder.name)}, mã kiểm tra SHA-256"
        f" <code>{e(year_data.checksum)}</code>.<br>"
        f"Tạo bằng tongket {e(__version__)} lúc {e(when)}."
        + (f"<br><strong>{escape(BANNER)}.</strong>" if year_data.synthetic else "")
        + "</div>")
