"""One fictional organisation's years, drawn from the design (:mod:`~demo.design`).

:func:`organisation_years` gives each year's ``meta.yaml`` content and tables, drawn
in order from one ``numpy.random.default_rng(seed)``; :func:`demo.make_demo` writes
them, and derives many units from them (:mod:`~demo.units`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pandas as pd

from demo.design import (
    CSTDCS_SHARES,
    DIRECTOR,
    DISAGREEMENTS,
    DROPPED,
    FUNDS,
    GOV_SUFFIX,
    INDICATORS,
    NEW,
    NOTE,
    ORGANISATION,
    REASONS,
    SECTIONS,
    SHORT,
    SUBUNITS,
    UNION,
    UNION_SUFFIX,
    UNITS,
    Ind,
)
from tongket_lib.dataset import schema as S
from tongket_lib.evaluation.status import compute_verdicts, evaluate, rollup_sentence
from tongket_lib.targets import describe_target
from tongket_lib.vn import format_date, format_money, format_quantity
from tongket_lib.vocab import LABELS, NOT_MET


def organisation_years(years: list[int], seed: int
                       ) -> Iterator[tuple[int, dict, dict[str, pd.DataFrame]]]:
    """Each of ``years`` (sorted) with its meta and its tables, drawn from ``seed``.

    >>> [(year, meta["synthetic"], sorted(tables)) for year, meta, tables
    ...  in organisation_years([2024], seed=1)]  # doctest: +NORMALIZE_WHITESPACE
    [(2024, True, ['awards.csv', 'contributions.csv', 'indicators.csv', 'sections.csv'])]
    """
    rng = np.random.default_rng(seed)
    people = _people(rng, len(years))
    for i, year in enumerate(years):
        meta, tables = _year(rng, year, i, len(years), people[i])
        yield year, meta, tables


def _position(i: int, n: int) -> float:
    """Where year ``i`` of ``n`` lies between the first (0) and the last (1)."""
    return 1.0 if n == 1 else i / (n - 1)


def _pct(part: int, whole: int) -> float:
    return round(part * 100 / whole, 2)


def _people(rng: np.random.Generator, n: int) -> list[dict]:
    """Staff, union members and women members for each of ``n`` years: a membership that
    changes by a few people a year (the implied-total checks rely on it)."""
    staff = int(rng.integers(176, 190))
    members = staff - int(rng.integers(3, 8))
    women = int(round(members * rng.uniform(0.40, 0.46)))
    people = []
    for _ in range(n):
        people.append({"staff": staff, "members": members, "women": women})
        step = int(rng.integers(-3, 3))
        staff += step
        members = min(staff, members + step + int(rng.integers(-1, 2)))
        women += int(rng.integers(-2, 3))
    return people


# -- one year ---------------------------------------------------------------------------------

def _year(rng: np.random.Generator, year: int, i: int, n: int, people: dict
          ) -> tuple[dict, dict[str, pd.DataFrame]]:
    split = n // 2  # the year position where the rename, the new and the dropped happen
    awards, figures, decisions = _awards(rng, year, i, people)
    contributions = _contributions(rng)
    rows = []
    for ind in INDICATORS:
        if ind.id == NEW and i < split or ind.id == DROPPED and i >= split:
            continue
        actual, count = _actual(rng, ind, i, n, figures)
        name = ind.old_name if ind.old_name and i < split else ind.name
        rows.append({
            "id": ind.id, "section": ind.section,
            "section_title": SECTIONS[ind.section].format(year=year), "name": name,
            "target": ind.target, "actual": actual, "unit": ind.unit,
            "direction": ind.direction,
            "reported_status": None if actual is not None else ind.reported[i % len(ind.reported)],
            "target_text": ind.target_text or _target_words(ind), "exceed_at": ind.exceed_at,
            "count": count, "group": ind.group, "award": ind.award,
        })
    indicators = pd.DataFrame(rows)
    computed = compute_verdicts(indicators["target"], indicators["actual"],
                                indicators["direction"], indicators["exceed_at"])
    computed = pd.Series(computed.astype(object), index=indicators.index)
    has_actual = indicators["actual"].notna()
    indicators.loc[has_actual, "reported_status"] = computed[has_actual]
    for (ind_id, pos), verdict in DISAGREEMENTS.items():
        if (pos if pos >= 0 else n + pos) == i:
            indicators.loc[indicators["id"] == ind_id, "reported_status"] = verdict
    indicators["note"] = [_note(r, c, figures, contributions)
                          for r, c in zip(indicators.to_dict("records"), computed, strict=False)]
    indicators["source"] = [_source(r) for r in indicators.to_dict("records")]

    sections = _sections(indicators, year, figures)
    meta = _meta(year, decisions)
    return meta, {S.INDICATORS.name: indicators, S.AWARDS.name: awards,
                  S.CONTRIBUTIONS.name: contributions, S.SECTIONS.name: sections}


def _actual(rng: np.random.Generator, ind: Ind, i: int, n: int, figures: dict
            ) -> tuple[float | None, int | None]:
    if ind.derived:
        return figures[ind.id]
    if ind.pattern:
        return float(ind.pattern[i % len(ind.pattern)]), None
    if ind.path is None:
        return None, None
    u = _position(i, n)
    f = 1 - (1 - u) ** 2 if ind.shape == "ease_out" else u
    start, end = ind.path
    value = start + (end - start) * f + (rng.uniform(-ind.noise, ind.noise) if ind.noise else 0.0)
    if ind.unit == "%":
        value = min(100.0, max(0.0, value))
    value = round(value, ind.decimals)
    return (float(int(value)) if ind.decimals == 0 else float(value)), None


def _target_words(ind: Ind) -> str | None:
    if ind.target is None:
        return None
    return describe_target(ind.target, ind.unit)


def _value(x: float, unit: str) -> str:
    return format_quantity(x, unit)


def _note(r: dict, computed, figures: dict, contributions: pd.DataFrame) -> str | None:
    if r["id"] == "van_dong_quy":
        funds = contributions[contributions["kind"] == "fund"]
        return (f"Vận động {len(funds):02d} quỹ, tổng số tiền"
                f" {format_money(int(funds['amount_vnd'].sum()))}; chi tiết ở bảng đóng góp và"
                f" hỗ trợ.")
    notes = []
    if r["actual"] is not None and pd.notna(r["actual"]) and r["reported_status"] != computed:
        notes.append(f"Báo cáo ghi “{LABELS[r['reported_status']].lower()}” dù thực hiện"
                     f" {_value(r['actual'], r['unit'])} (làm tròn theo cách của đơn vị).")
    elif computed == NOT_MET and r["id"] in REASONS:
        x = r["actual"]
        notes.append(REASONS[r["id"]].format(x=f"{int(x):02d}" if x is not None else ""))
    if r["id"] == "ttldtt_phong":
        notes.append(f"Có {figures['units_ttldtt']:02d}/{UNITS:02d} phòng, đơn vị thuộc Sở đạt"
                     f" Tập thể lao động tiên tiến.")
    return " ".join(notes) or None


def _source(r: dict) -> str:
    words = LABELS[r["reported_status"]].lower() if r["reported_status"] else ""
    target = f" ({r['target_text']})" if isinstance(r["target_text"], str) else ""
    if r["actual"] is not None and pd.notna(r["actual"]):
        return f"{r['name']}{target}: thực hiện {_value(r['actual'], r['unit'])} ({words})."
    return f"{r['name']}{target} ({words})."


# -- awards -------------------------------------------------------------------------------------

def _date(rng: np.random.Generator, year: int, month: int, low: int, high: int) -> dt.date:
    return dt.date(year, month, int(rng.integers(low, high + 1)))


def _awards(rng: np.random.Generator, year: int, i: int, people: dict
            ) -> tuple[pd.DataFrame, dict, list[dict]]:
    """Award rows, the derived indicator figures and the decisions, for one year."""
    staff, members, women = people["staff"], people["members"], people["women"]
    ldtt = int(round(staff * rng.uniform(0.84, 0.90)))
    share = CSTDCS_SHARES[i % len(CSTDCS_SHARES)] + rng.uniform(-0.002, 0.002)
    cstdcs = int(round(ldtt * share))
    units_ok = UNITS - 1 if i % 4 == 2 else UNITS
    ttldtt = units_ok + SUBUNITS
    ttldxs = int(rng.integers(2, 4))
    dvcd = int(round(members * rng.uniform(0.905, 0.955)))
    gvndvn = women if i % 4 == 1 else int(round(women * rng.uniform(0.90, 0.985)))
    cstd_tinh = (1, 2, 0, 3)[i % 4]
    figures = {
        "ttldtt_phong": (_pct(units_ok, UNITS), None),
        "ttldxs_phong": (_pct(ttldxs, UNITS), None),
        "cstdcs_ty_le": (_pct(cstdcs, ldtt), cstdcs),
        "ldtt_ty_le": (_pct(ldtt, staff), ldtt),
        "cstd_cap_tinh": (float(cstd_tinh), None),
        "doan_vien_xuat_sac": (_pct(dvcd, members), dvcd),
        "gvndvn": (_pct(gvndvn, women), gvndvn),
        "units_ttldtt": units_ok,
        "cstdcs_exceeded": cstdcs * 100 / ldtt > 15,
    }

    d1 = int(rng.integers(300, 520))
    d2 = d1 + int(rng.integers(1, 6))
    day = _date(rng, year, 11, 20, 30)
    amended = i % 2 == 1
    d3 = d1 + int(rng.integers(10, 30))
    day3 = _date(rng, year, 12, 3, 12)
    u1 = int(rng.integers(20, 60))
    day_u = _date(rng, year, 12, 10, 20)
    titles = f"{d1}/{GOV_SUFFIX}" + (f"; {d3}/{GOV_SUFFIX}" if amended else "")
    merit = f"{d2}/{GOV_SUFFIX}"
    union = f"{u1}/{UNION_SUFFIX}"
    decisions = [{"number": f"{d1}/{GOV_SUFFIX}", "date": day, "issuer": DIRECTOR,
                  "subject": f"Công nhận danh hiệu thi đua năm {year}"}]
    if amended:
        decisions.append({"number": f"{d3}/{GOV_SUFFIX}", "date": day3, "issuer": DIRECTOR,
                          "subject": f"Điều chỉnh, bổ sung Điều 1 Quyết định số {d1}/{GOV_SUFFIX}"
                                     f" ngày {format_date(day)}"})
    decisions += [
        {"number": merit, "date": day, "issuer": DIRECTOR, "subject": f"Tặng giấy khen năm {year}"},
        {"number": union, "date": day_u, "issuer": "Ban Chấp hành Công đoàn cơ sở",
         "subject": f"Công nhận Đoàn viên công đoàn xuất sắc, “Giỏi việc nước, đảm việc nhà” và"
                    f" khen thưởng năm {year}"},
    ]

    province = "Chủ tịch UBND tỉnh"
    rows = [
        ("government", province, "Tập thể lao động xuất sắc", "collective", ttldxs, "proposed",
         None, "province", "ttldxs", None),
        ("government", province, "Bằng khen", "collective", int(rng.integers(1, 3)), "proposed",
         None, "province", "bang_khen", None),
        ("government", DIRECTOR, "Tập thể lao động tiên tiến", "collective", ttldtt, "granted",
         titles, "agency", "ttldtt", None),
        ("government", DIRECTOR, "Tập thể lao động tiên tiến", "collective", units_ok, "granted",
         titles, "agency", "ttldtt", "Phòng, đơn vị thuộc Sở"),
        ("government", DIRECTOR, "Tập thể lao động tiên tiến", "collective", SUBUNITS, "granted",
         titles, "agency", "ttldtt", "Phòng trực thuộc các đơn vị của Sở"),
    ]
    if i % 2 == 1:
        rows.append(("government", "Thủ tướng Chính phủ", "Bằng khen", "individual", 1,
                     "proposed", None, "central", "bang_khen", None))
    rows += [
        ("government", province, "Bằng khen", "individual", int(rng.integers(1, 4)), "proposed",
         None, "province", "bang_khen", None),
        ("government", province, "Chiến sĩ thi đua cấp tỉnh", "individual", cstd_tinh,
         "proposed", None, "province", "cstd_tinh", None),
        ("government", DIRECTOR, "Chiến sĩ thi đua cơ sở", "individual", cstdcs, "granted",
         titles, "agency", "cstdcs", None),
        ("government", DIRECTOR, "Lao động tiên tiến", "individual", ldtt, "granted", titles,
         "agency", "ldtt", None),
        ("government", DIRECTOR, "Giấy khen tập thể hoàn thành tốt nhiệm vụ", "collective",
         int(rng.integers(6, 10)), "granted", merit, "agency", "giay_khen", None),
        ("government", DIRECTOR, "Giấy khen cá nhân hoàn thành tốt nhiệm vụ", "individual",
         int(rng.integers(25, 41)), "granted", merit, "agency", "giay_khen", None),
        ("government", "Bộ trưởng Bộ Khoa học và Công nghệ", "Bằng khen", "mixed",
         int(rng.integers(4, 9)), "proposed", None, "central", "bang_khen", None),
        ("union", "Công đoàn Viên chức tỉnh", "Khen thưởng của Công đoàn Viên chức tỉnh",
         "individual", int(rng.integers(3, 6)), "proposed", None, "province", "giay_khen", None),
        ("union", "Công đoàn cơ sở", "Khen thưởng của Công đoàn cơ sở", "individual",
         int(rng.integers(15, 26)), "granted", union, "agency", "giay_khen", None),
        ("union", "Công đoàn cơ sở", "Tập thể Tổ công đoàn xuất sắc", "collective",
         int(rng.integers(2, 5)), "granted", union, "agency", "to_cd_xs", None),
        ("union", "Công đoàn cơ sở", "Đoàn viên công đoàn xuất sắc", "individual", dvcd,
         "granted", union, "agency", "dvcd_xs", None),
        ("union", "Công đoàn cơ sở", "Giỏi việc nước, đảm việc nhà", "individual", gvndvn,
         "granted", union, "agency", "gvndvn", None),
    ]
    columns = ["stream", "granted_by", "title", "recipient", "count", "state", "decision",
               "level", "code", "part"]
    frame = pd.DataFrame(rows, columns=columns).astype(object)
    frame["source"] = [
        f"{r['granted_by']}: {'đề nghị ' if r['state'] == 'proposed' else ''}{r['title']}"
        + (f" ({r['part']})" if r["part"] else "")
        + f": {int(r['count']):02d} {_who(r['recipient'])}."
        for r in frame.to_dict("records")]
    return frame, figures, decisions


def _who(recipient: str) -> str:
    return {"individual": "cá nhân", "collective": "tập thể",
            "mixed": "tập thể, cá nhân"}[recipient]


# -- contributions --------------------------------------------------------------------------------

def _contributions(rng: np.random.Generator) -> pd.DataFrame:
    k = int(rng.integers(3, 7))
    chosen = sorted(int(j) for j in rng.choice(len(FUNDS), size=k, replace=False))
    rows = []
    for j in chosen:
        name, low, high = FUNDS[j]
        amount = int(rng.integers(low * 10**6, high * 10**6))
        rows.append({"kind": "fund", "name": name, "cases": None, "amount_vnd": amount,
                     "per_case_vnd": None, "note": None,
                     "source": f"{name}: {format_money(amount)}"})

    def support(name: str, cases: int, each: int, note: str | None = None) -> None:
        rows.append({"kind": "support", "name": name, "cases": cases, "amount_vnd": cases * each,
                     "per_case_vnd": each, "note": note,
                     "source": f"{name}: {cases:02d} trường hợp, {format_money(cases * each)}."})

    support("Hỗ trợ đoàn viên có hoàn cảnh đặc biệt khó khăn", int(rng.integers(3, 8)),
            int(rng.choice([2, 3, 5])) * 10**6)
    if rng.random() < 0.5:
        support("Hỗ trợ đoàn viên khó khăn về nhà ở", 1, int(rng.choice([40, 50])) * 10**6)
    if rng.random() < 0.6:
        n = int(rng.integers(2, 5))
        support("Chương trình “chia sẻ yêu thương, cùng em đến trường”", n, 3 * 10**6,
                f"{n:02d} cháu, 03 triệu đồng/cháu.")
    support("Tặng quà cho các cháu thiếu nhi nhân ngày Quốc tế thiếu nhi 01/6",
            int(rng.integers(90, 141)), int(rng.choice([200, 250, 300])) * 10**3)
    return pd.DataFrame(rows).astype(object)


# -- sections and meta ------------------------------------------------------------------------------

def _sections(indicators: pd.DataFrame, year: int, figures: dict) -> pd.DataFrame:
    evaluated = evaluate(indicators.astype({"reported_status": object}))
    counts = evaluated[evaluated["section"] == "1.1"]["status"].astype(str).value_counts()
    sentence = rollup_sentence({k: int(v) for k, v in counts.items()})
    verdicts = {"2": "met", "3.1": "met", "3.2": "met",
                "1.2.f": "exceeded" if figures["cstdcs_exceeded"] else "met"}
    rows = []
    for section, title in SECTIONS.items():
        title = title.format(year=year)
        label = section.split(".")[-1] + "." if section.startswith("1.2.") else section + "."
        stated = sentence if section == "1.1" else None
        verdict = verdicts.get(section)
        tail = (f": {stated}" if stated else
                f": {LABELS[verdict].lower()} đề ra" if verdict else ":")
        rows.append({"section": section, "title": title, "reported_status": verdict,
                     "stated_rollup": stated, "source": f"{label} {title}{tail}"})
    return pd.DataFrame(rows).astype(object)


def _meta(year: int, decisions: list[dict]) -> dict:
    bases = []
    if year >= 2024:
        bases.append({"kind": "Luật", "number": "06/2022/QH15", "date": dt.date(2022, 6, 15),
                      "issuer": "Quốc hội",
                      "text": "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022"
                              " của Quốc hội"})
    elif year >= 2018:
        bases.append({"kind": "Nghị định", "number": "91/2017/NĐ-CP",
                      "date": dt.date(2017, 7, 31), "issuer": "Chính phủ",
                      "text": "Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ"
                              " quy định chi tiết thi hành một số điều của Luật Thi đua, khen"
                              " thưởng"})
    eve = dt.date(year - 1, 12, 28)
    bases += [
        {"kind": "Nghị quyết", "number": "01/NQ-HNCCVC", "date": eve,
         "issuer": f"Hội nghị công chức, viên chức, người lao động {ORGANISATION}",
         "text": f"Nghị quyết số 01/NQ-HNCCVC ngày {format_date(eve)} của Hội nghị công chức,"
                 f" viên chức, người lao động {ORGANISATION} năm {year}"},
        {"kind": "Giao ước thi đua", "number": "", "date": eve,
         "issuer": f"Lãnh đạo {SHORT} và Ban Chấp hành Công đoàn cơ sở",
         "text": f"Giao ước thi đua ngày {format_date(eve)} giữa Lãnh đạo {SHORT} và Ban Chấp"
                 f" hành Công đoàn cơ sở"},
    ]
    return {
        "year": year,
        "organisation": ORGANISATION,
        "union": UNION,
        "document_type": "Báo cáo",
        "title": f"Tổng kết phong trào thi đua, khen thưởng trong CCVCNLĐ năm {year}",
        "issuer": "Ban Chấp hành Công đoàn cơ sở",
        "synthetic": True,
        "legal_bases": bases,
        "decisions": decisions,
        "recipients": ["Công đoàn Viên chức tỉnh Minh Phúc", f"Đảng ủy {SHORT}",
                       "Các đ/c ủy viên Ban Chấp hành CĐCS",
                       "Ủy ban kiểm tra, Ban TTND, Ban nữ công quần chúng",
                       "Các Công đoàn bộ phận", "Lưu: VT"],
        "signatory": {"on_behalf": "TM. BAN CHẤP HÀNH", "title": "CHỦ TỊCH",
                      "name": "Trần Thị Minh Thư"},
        "notes": f"{NOTE}: cơ quan hư cấu, số liệu sinh ngẫu nhiên có kiểm soát bằng"
                 f" scripts/make_demo.py.",
    }
