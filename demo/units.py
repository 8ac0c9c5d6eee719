"""Many fictional units derived from the organisation's years, for the upper level's view.

:func:`write_units` derives every unit from one organisation's years (written by
:func:`demo.make_demo`) by vectorised perturbation, all units of a year at once: a
size (members, award counts and money scale with it), a level of performance (actuals
move up or down, verdicts follow), some fund drives left out, and some units missing a
year. Counts and rates stay consistent (a rate is its count over an integer total), so
the loader's checks pass. Every unit's year is ``synthetic: true`` and carries its
``unit`` key. The CSV files of all units of a year are formatted in one pandas call and
cut per unit: 300 units × 2 years take about 2 s, 10,000 units × 4 years about 70 s
(38 s of CPU, 0,9 GB peak memory, 1,3 GB on disk), measured on a shared 2-core machine.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from demo.design import MARKER, ORGANISATION, SHORT
from tongket_lib.dataset import schema as S
from tongket_lib.dataset.load import load_year
from tongket_lib.evaluation.status import compute_verdicts
from tongket_lib.vn import slug

UPPER = "Công đoàn Viên chức tỉnh Minh Phúc"
PLACES = ("Xuân An", "Hòa Bình", "Phú Lộc", "Tân Thạnh", "Long Hưng", "Bình Minh", "An Phú",
          "Vĩnh Lợi", "Thạnh Mỹ", "Đông Hải", "Tây Sơn", "Mỹ Hòa")
PEOPLE = ("Lê Lợi", "Nguyễn Du", "Trần Phú", "Lý Thường Kiệt", "Nguyễn Trãi", "Hùng Vương",
          "Quang Trung", "Lê Quý Đôn", "Chu Văn An", "Phan Bội Châu", "Võ Thị Sáu",
          "Nguyễn Đình Chiểu", "Trần Hưng Đạo", "Hai Bà Trưng", "Ngô Quyền", "Lê Hồng Phong")
DEPARTMENTS = ("Tư pháp", "Tài chính", "Tài nguyên và Môi trường", "Giao thông vận tải",
               "Xây dựng", "Nội vụ", "Công Thương", "Y tế", "Giáo dục và Đào tạo",
               "Văn hóa, Thể thao và Du lịch", "Lao động - Thương binh và Xã hội", "Kế hoạch và"
               " Đầu tư", "Nông nghiệp và Phát triển nông thôn", "Thông tin và Truyền thông",
               "Khoa học và Công nghệ", "Ngoại vụ")
#: kinds of unit: (khối, name pattern, id prefix, typical members)
KINDS = (
    ("Khối quản lý nhà nước", "Sở {dept} tỉnh Minh Phúc", "so", 120),
    ("Khối giáo dục", "Trường Trung học phổ thông {person} huyện {place}", "thpt", 70),
    ("Khối giáo dục", "Trường Trung học cơ sở {person} huyện {place}", "thcs", 45),
    ("Khối y tế", "Trung tâm Y tế huyện {place}", "ttyt", 160),
    ("Khối sự nghiệp", "Trung tâm Dịch vụ nông nghiệp huyện {place}", "ttdvnn", 30),
    ("Khối quản lý nhà nước", "Ủy ban nhân dân huyện {place}", "ubnd", 90),
)
#: award codes whose count is an indicator's count (a rate over a whole number)
RATE_AWARDS = ("cstdcs", "ldtt", "dvcd_xs", "gvndvn")


def write_units(stage: Path, base: Path, n: int, years: list[int], seed: int) -> pd.DataFrame:
    """Derive ``n`` units from the organisation's ``years`` in ``base``; write each unit's
    years into ``stage/<unit id>/<year>`` (a unit may miss a year); return the register."""
    rng = np.random.default_rng(seed)
    register = _register(rng, n)
    ids = list(register["id"])
    size = register["members"].to_numpy() / 100.0           # scale against the base (~100)
    level = rng.normal(0.0, 1.0, n)                         # how well each unit does
    present = rng.random((n, len(years))) > 0.06            # some units miss a year
    present[0] = True
    for j, year in enumerate(years):
        keep = np.flatnonzero(present[:, j])
        _write_year(stage, load_year(year, base), [ids[k] for k in keep], register.iloc[keep],
                    size[keep], level[keep], rng)
    return register


def _register(rng: np.random.Generator, n: int) -> pd.DataFrame:
    rows, seen = [], set()
    kinds = rng.integers(0, len(KINDS), n)
    for i in range(n):
        group, pattern, prefix, typical = KINDS[kinds[i]]
        dept = DEPARTMENTS[i % len(DEPARTMENTS)]
        person = PEOPLE[int(rng.integers(len(PEOPLE)))]
        place = PLACES[int(rng.integers(len(PLACES)))]
        name = pattern.format(dept=dept, person=person, place=place)
        base = f"cdcs-{prefix}-{slug(dept if prefix == 'so' else person + ' ' + place)}"
        if prefix in ("ttyt", "ttdvnn", "ubnd"):
            base = f"cdcs-{prefix}-{slug(place)}"
        unit, k = base, 1
        while unit in seen:
            k += 1
            unit = f"{base}-{k}"
            name_k = f"{name} (cơ sở {k})"
        seen.add(unit)
        members = max(8, int(rng.lognormal(np.log(typical), 0.45)))
        rows.append({"id": unit, "name": f"Công đoàn cơ sở {name if k == 1 else name_k}",
                     "upper_union": UPPER, "group": group, "members": members,
                     "contact": "", "active": "true" if rng.random() > 0.01 else "false",
                     "note": MARKER})
    frame = pd.DataFrame(rows)
    frame.loc[frame.index[0], "active"] = "true"
    return frame


def _write_year(stage: Path, base, ids: list[str], register: pd.DataFrame, size: np.ndarray,
                level: np.ndarray, rng: np.random.Generator) -> None:
    m = len(ids)
    if m == 0:
        return
    indicators = _indicators(_kinds(base.indicators, base.sections), m, size, level, rng)
    awards = _awards(base.awards, indicators, m, size, rng)
    contributions = _contributions(base.contributions, m, size, rng)
    sections = base.sections.assign(stated_rollup=pd.NA)
    texts = {S.INDICATORS.name: _csv_by_unit(indicators, S.INDICATORS, m),
             S.AWARDS.name: _csv_by_unit(awards, S.AWARDS, m),
             S.CONTRIBUTIONS.name: _csv_by_unit(contributions, S.CONTRIBUTIONS, m),
             S.SECTIONS.name: [_csv_by_unit(sections.assign(_u=0), S.SECTIONS, 1)[0]] * m}
    meta = _meta_template(base.meta)
    for k, unit in enumerate(ids):
        folder = stage / unit / str(base.year)
        folder.mkdir(parents=True)
        organisation = register["name"].iloc[k].removeprefix("Công đoàn cơ sở ")
        (folder / S.META_FILE).write_text(
            meta.replace("ZZUNITZZ", unit).replace("ZZORGZZ", organisation), encoding="utf-8")
        for name, chunks in texts.items():
            (folder / name).write_text(chunks[k], encoding="utf-8")


def _kinds(base: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """The base rows with what a real unit's report has besides indicators: its
    undertakings without a target or a figure are duties (trách nhiệm, giao ước), stated
    met; the last duty of a section whose heading states a verdict takes that verdict
    (its own left empty); the last row of the report, a plain result (kết quả: a figure
    without a target, never judged)."""
    frame = base.reset_index(drop=True).copy()
    duty = (frame["target"].isna() & frame["actual"].isna()
            & (frame["reported_status"].astype(object) == "met")).to_numpy()
    kind = np.where(duty, "duty", "indicator").astype(object)
    status = frame["reported_status"].astype(object).to_numpy().copy()
    stated = set(sections.loc[sections["reported_status"].notna(), "section"].astype(str))
    section = frame["section"].astype(str).to_numpy()
    last = len(frame) - 1
    for name in stated:
        rows = np.flatnonzero(duty & (section == name))
        if len(rows) > 1:  # one keeps its own verdict, the last inherits the heading's
            status[rows[-1]] = None
    if duty[last]:
        kind[last], status[last] = "result", None
        frame.loc[last, "actual"] = float(1 + len(stated))
        frame.loc[last, "count"] = pd.NA
    frame["kind"] = kind
    frame["reported_status"] = status
    return frame


def _indicators(base: pd.DataFrame, m: int, size: np.ndarray, level: np.ndarray,
                rng: np.random.Generator) -> pd.DataFrame:
    r = len(base)
    frame = pd.concat([base.reset_index(drop=True)] * m, ignore_index=True)
    unit = np.repeat(np.arange(m), r)
    frame["_u"] = unit
    actual = frame["actual"].to_numpy(dtype=float)
    count = frame["count"].to_numpy(dtype="float64", na_value=np.nan)
    percent = (frame["unit"].fillna("") == "%").to_numpy(dtype=bool)
    sign = np.where(frame["direction"].astype(str) == "lower", -1.0, 1.0)
    rate = ~np.isnan(count) & ~np.isnan(actual) & (actual > 0)
    plain = ~np.isnan(actual) & ~rate & frame["award"].isna().to_numpy()
    shift = level[unit] + rng.normal(0.0, 0.8, r * m)
    # a percentage moves by a few points, a number of things by a share of itself
    moved = np.where(percent, actual + sign * 2.5 * shift,
                     np.round(actual * (1 + sign * 0.12 * shift)))
    moved = np.where(percent, np.clip(np.round(moved, 1), 0, 100), np.maximum(moved, 0))
    actual = np.where(plain, moved, actual)
    # a rate: its count over a whole total, both scaled with the unit's size
    total = np.where(rate, np.round(count * 100 / np.where(rate, actual, 1)), np.nan)
    s = size[unit]
    new_total = np.maximum(1, np.round(total * s))
    new_count = np.minimum(new_total, np.round(count * s))
    actual = np.where(rate, np.round(new_count / new_total * 100, 2), actual)
    frame["actual"] = actual
    frame["count"] = pd.array(np.where(rate, new_count, count), dtype="Int64")
    computed = compute_verdicts(frame["target"], frame["actual"], frame["direction"],
                                frame["exceed_at"])
    has = ~np.isnan(actual)
    status = frame["reported_status"].astype(object).to_numpy().copy()
    status[has] = np.asarray(computed.astype(object))[has]
    unstated = has & (rng.random(r * m) < 0.25)  # the verdict left to the figures
    status[unstated] = None
    weak = ~has & (rng.random(r * m) < np.clip(0.05 - 0.05 * level[unit], 0, 0.3)) \
        & pd.notna(status)
    status[weak] = "not_met"
    frame["reported_status"] = status
    frame.loc[has, ["note", "source"]] = pd.NA  # their words quoted the base's numbers
    return frame


def _awards(base: pd.DataFrame, indicators: pd.DataFrame, m: int, size: np.ndarray,
            rng: np.random.Generator) -> pd.DataFrame:
    r = len(base)
    frame = pd.concat([base.reset_index(drop=True)] * m, ignore_index=True)
    unit = np.repeat(np.arange(m), r)
    frame["_u"] = unit
    count = frame["count"].to_numpy(dtype="float64", na_value=np.nan)
    individual = (frame["recipient"].astype(str) == "individual").to_numpy()
    scaled = np.round(count * size[unit] * rng.uniform(0.8, 1.2, r * m))
    count = np.where(individual, np.maximum(scaled, 0), count)
    rates = indicators[indicators["award"].isin(RATE_AWARDS) & indicators["count"].notna()]
    by_code = {(u, a): c for u, a, c in
               zip(rates["_u"], rates["award"], rates["count"], strict=True)}
    states = frame["state"].astype(str)
    linked = [by_code.get((u, c)) if s == "granted" else None
              for u, c, s in zip(frame["_u"], frame["code"], states, strict=True)]
    frame["count"] = pd.array([c if c is not None else (None if np.isnan(x) else int(x))
                               for c, x in zip(linked, count, strict=True)], dtype="Int64")
    return frame


def _contributions(base: pd.DataFrame, m: int, size: np.ndarray,
                   rng: np.random.Generator) -> pd.DataFrame:
    r = len(base)
    frame = pd.concat([base.reset_index(drop=True)] * m, ignore_index=True)
    unit = np.repeat(np.arange(m), r)
    frame["_u"] = unit
    fund = (frame["kind"].astype(str) == "fund").to_numpy()
    amount = frame["amount_vnd"].to_numpy(dtype="float64", na_value=np.nan)
    factor = size[unit] * rng.uniform(0.6, 1.4, r * m)
    cases = frame["cases"].to_numpy(dtype="float64", na_value=np.nan)
    each = frame["per_case_vnd"].to_numpy(dtype="float64", na_value=np.nan)
    new_cases = np.maximum(1, np.round(cases * factor))
    amount = np.where(fund, np.round(amount * factor / 1000) * 1000,
                      np.where(np.isnan(each), amount, new_cases * each))
    frame["amount_vnd"] = pd.array(amount, dtype="Int64")
    frame["cases"] = pd.array(np.where(np.isnan(cases), np.nan, new_cases), dtype="Int64")
    frame[["note", "source"]] = pd.NA
    keep = ~fund | (rng.random(r * m) > 0.2)                # some drives not joined
    return frame[keep].reset_index(drop=True)


def _csv_by_unit(frame: pd.DataFrame, spec: S.FileSpec, m: int) -> list[str]:
    """The canonical CSV text (as store.write_table writes it) of each unit's rows."""
    columns = [f.name for f in spec.fields if f.required or frame[f.name].notna().any()]
    out = pd.DataFrame(index=frame.index)
    for name in columns:
        kind = spec.field(name).kind
        series = frame[name]
        if kind == S.NUMBER:
            values = series.astype("float64")
            whole = values.notna() & (values == values.round())
            text = values.map(repr).where(values.notna(), "")
            out[name] = text.where(~whole, values.fillna(0).astype("int64").astype(str))
        elif kind == S.INTEGER:
            out[name] = series.astype("Int64").astype(str).replace("<NA>", "")
        else:
            out[name] = series.astype(object).where(series.notna(), "").astype(str)
    body = out.to_csv(index=False, header=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    header = ",".join(columns) + "\n"
    rows = body.split("\n")[:-1]
    if len(rows) != len(frame):
        raise ValueError("a cell holds a line break; the demo text must not")
    bounds = np.searchsorted(frame["_u"].to_numpy(), np.arange(m + 1))
    return [header + "\n".join(rows[a:b]) + ("\n" if b > a else "")
            for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _meta_template(meta: dict) -> str:
    """The base year's meta.yaml with placeholders for the unit's key and organisation."""
    from tongket_lib.dataset.store import yaml_ready

    data = yaml_ready({**meta, "unit": "ZZUNITZZ", "synthetic": True})
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
    return text.replace(ORGANISATION, "ZZORGZZ").replace(SHORT, "ZZORGZZ")
