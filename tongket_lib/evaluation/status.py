"""Verdicts and roll-ups: what each indicator achieved, and each section in one sentence.

:func:`evaluate` computes a verdict wherever an indicator has both a target and a
numeric actual, without a Python loop per row: each distinct target is parsed once
and the comparisons run on whole numpy arrays. The report is the union's own document:
where it states a verdict for an item, that is the item's verdict (what the union
signs), and a computed verdict that differs is shown beside it (``status_agrees``) for
the preparer, never silently put in its place. A plain result (kind ``result``) has no
verdict at all. :func:`evaluate_year` is the one evaluation of a loaded year: its
sections and its organisation's reading of a minimum target.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import numpy as np
import pandas as pd

from tongket_lib import targets as T
from tongket_lib.errors import ParseError
from tongket_lib.vocab import (
    DUTY,
    EXCEEDED,
    INDICATOR,
    KIND_NOUNS,
    MET,
    NOT_ASSESSED,
    NOT_MET,
    RESULT,
    SENTENCE_WORDS,
    SOURCES,
    VERDICTS,
    VIETNAMESE_WORDS,
)

#: relative tolerance for comparing an actual with a bound (99.9999999 counts as 100)
TOLERANCE = 1e-6

_CODE = {v: i for i, v in enumerate(VERDICTS)}


def _factorized(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Each row's code (-1 where missing) and the distinct values the codes stand for.

    Categorical columns (what the loader produces for code columns) cost nothing; other
    columns are factorised, so each distinct value is looked up once.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, pd.Index(uniques)


def _arrow_text(values: pd.Series) -> bool:
    """Whether a column holds strings kept by pyarrow: pandas' ``str`` columns when pyarrow
    is installed, as in a frame an analyst builds by hand from Python strings."""
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype):
        return dtype.storage == "pyarrow"
    return isinstance(dtype, pd.ArrowDtype) and dtype.type is str


def _codes(values: pd.Series | None, categories: tuple[str, ...], n: int) -> np.ndarray:
    """Integer code of each value in ``categories`` (-1 for missing or unknown).

    A column of pyarrow strings (a frame built by hand) is looked up in the few
    categories by pyarrow itself, without factorising it first.
    """
    if values is None:
        return np.full(n, -1, dtype=np.int8)
    if _arrow_text(values):
        import pyarrow as pa
        import pyarrow.compute as pc

        strings = pa.array(values.array)  # the column's own pyarrow data, not a copy
        found = pc.index_in(strings, value_set=pa.array(categories, type=strings.type))
        return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int8)
    codes, uniques = _factorized(values)
    lookup = np.array([categories.index(u) if u in categories else -1 for u in uniques] + [-1],
                      dtype=np.int8)
    return lookup[codes]


def _verdict(kind: str, lower: bool, below: bool, above: bool, over: bool) -> str:
    """The verdict of an actual against a target of ``kind``: ``below`` its low bound,
    ``above`` its high bound (each by more than the tolerance), ``over`` exceed_at, for
    an indicator that should go down (``lower``) or up."""
    if kind in (T.BETWEEN, T.EQUAL):  # inside the band met, outside on the better side exceeded
        if above and not lower or below and lower:
            return EXCEEDED
        return NOT_MET if below or above else MET
    if kind in (T.AT_LEAST, T.MORE_THAN):  # met when reached, exceeded only over exceed_at
        return NOT_MET if below else EXCEEDED if over else MET
    return NOT_MET if above else MET  # at most, less than: met when within


#: the verdict code of every (lower, below, above, over) case of one kind of target
_CASES = {kind: np.array([_CODE[_verdict(kind, *map(bool, case))]
                          for case in itertools.product((0, 1), repeat=4)], dtype=np.int8)
          for kind in T.KINDS}
_NO_VERDICT = np.full(16, -1, dtype=np.int8)


def _target_tables(uniques: pd.Index) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For each distinct target (and last, rows without one): the value under which an
    actual is below it, the value over which it is above it, the verdicts of its 16
    cases (see :func:`_verdict`), and its minimum when it is one (``X trở lên``: the
    bound a result exceeds where the organisation calls any result above it “vượt”).
    Each target is parsed once.

    “Below” and “above” are strict comparisons of the actual with these values. A bound
    is widened or narrowed by the tolerance; where the rule compares the other way
    (``> 80`` is reached only over 80 plus the tolerance), the value is the next float,
    so that ``x < low`` and ``x > high`` say exactly what the rule says.
    """
    k = len(uniques)
    low, high = np.full(k + 1, -np.inf), np.full(k + 1, np.inf)
    minimum = np.full(k + 1, np.nan)
    cases = [_NO_VERDICT] * (k + 1)
    for i, text in enumerate(uniques):
        t = T.parse_target(text)
        cases[i] = _CASES[t.kind]
        if t.kind == T.AT_LEAST:
            minimum[i] = t.low
        if t.low is not None:
            tol = TOLERANCE * max(1.0, abs(t.low))
            low[i] = (np.nextafter(t.low + tol, np.inf) if t.kind == T.MORE_THAN
                      else t.low - tol)
        if t.high is not None:
            tol = TOLERANCE * max(1.0, abs(t.high))
            high[i] = (np.nextafter(t.high - tol, -np.inf) if t.kind == T.LESS_THAN
                       else t.high + tol)
    return low, high, np.concatenate(cases), minimum


def compute_verdicts(target: pd.Series, actual: pd.Series, direction: pd.Series | None = None,
                     exceed_at: pd.Series | None = None,
                     above_minimum: str = MET) -> pd.Categorical:
    """The computed verdict of every row (missing where target or actual is missing).

    Each row's case (below its target's low bound, above its high bound, over exceed_at,
    direction) picks its verdict from its target's small table: a few passes over whole
    arrays, whatever the number of rows. A result above a minimum target (``>= X``) is
    “đạt” unless it is over the row's ``exceed_at``; where the organisation calls any
    result above the minimum “vượt” (``above_minimum="exceeded"``), the minimum itself is
    the threshold of rows without their own.

    >>> list(compute_verdicts(pd.Series(["10..15", ">= 90", "<= 0"]), pd.Series([16, 92.76, 3])))
    ['exceeded', 'met', 'not_met']
    >>> list(compute_verdicts(pd.Series([">= 90", ">= 90"]), pd.Series([92.76, 90]),
    ...                       above_minimum="exceeded"))
    ['exceeded', 'met']
    """
    n = len(target)
    codes, uniques = _factorized(target)
    low, high, cases, minimum = _target_tables(uniques)
    codes = codes.astype(np.intp)  # -1 (no target) takes the tables' last entry
    x = pd.to_numeric(actual, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    case = (_codes(direction, ("higher", "lower"), n) == 1).view(np.uint8) << 3
    case |= (x < low.take(codes)).view(np.uint8) << 2  # NaN compares False
    case |= (x > high.take(codes)).view(np.uint8) << 1
    extra = (np.full(n, np.nan) if exceed_at is None else
             pd.to_numeric(exceed_at, errors="coerce").to_numpy(dtype=float, na_value=np.nan))
    if above_minimum == EXCEEDED:  # the organisation's reading: the minimum is the threshold
        extra = np.where(np.isnan(extra), minimum.take(codes), extra)
    with np.errstate(invalid="ignore"):
        case |= (x > extra + TOLERANCE * np.maximum(1.0, np.abs(extra))).view(np.uint8)
    verdicts = cases.take(codes * 16 + case)
    verdicts[np.isnan(x)] = -1
    return pd.Categorical.from_codes(verdicts, categories=list(VERDICTS), validate=False)


def _goals(stretch: pd.Series, direction: pd.Series | None) -> np.ndarray:
    """Per row, the value a stretch goal asks for (NaN without one): the bound on the side
    the indicator moves towards; each distinct goal is parsed once."""
    n = len(stretch)
    codes, uniques = _factorized(stretch)
    table = np.full((2, len(uniques) + 1), np.nan)  # rows: moving up, moving down
    for i, text in enumerate(uniques):
        t = T.parse_target(str(text))
        up = t.low if t.low is not None else t.high
        down = t.high if t.high is not None else t.low
        table[0, i], table[1, i] = (t.low, t.low) if t.kind == T.EQUAL else (up, down)
    lower = (_codes(direction, ("higher", "lower"), n) == 1).astype(np.int8)
    return table[lower, codes]


def _section_verdicts(sections: pd.DataFrame | None, wanted: pd.Series) -> pd.Series:
    """Each section's inherited verdict: its own overall verdict in ``sections``, else
    the nearest ancestor's (1.2.d → 1.2 → 1), else missing.

    Walking up is right because a section's overall verdict (“f. … vượt chỉ tiêu đề ra”,
    “3. … Đạt chỉ tiêu đề ra”) speaks for everything written under it, subsections
    included; a subsection's own verdict, when it has one, is nearer and wins.
    """
    if sections is None or sections.empty or "reported_status" not in sections:
        return pd.Series(dtype=object)
    own = {str(k): str(v) for k, v in zip(sections["section"], sections["reported_status"],
                                      strict=True) if pd.notna(k) and pd.notna(v)}
    found = {}
    for name in pd.unique(wanted.dropna().astype(str)):
        key = name
        while key not in own and "." in key:
            key = key.rsplit(".", 1)[0]
        if key in own:
            found[name] = own[key]
    return pd.Series(found, dtype=object)


def evaluate(indicators: pd.DataFrame, sections: pd.DataFrame | None = None,
             above_minimum: str = MET) -> pd.DataFrame:
    """Indicators with their verdicts: a copy with these columns added.

    - ``computed_status``: the verdict from the binding target and the actual (missing
      if either is). A stretch goal (``stretch_target``) never makes a verdict;
      ``above_minimum`` is the organisation's reading of a result above a minimum target
      (see :func:`compute_verdicts`);
    - ``status``: the final verdict, from the first source that has one;
    - ``status_source``, one of :data:`~tongket_lib.vocab.SOURCES`: ``reported`` when the
      report states a verdict for this item (``reported_status``: the union's own word,
      what the signed document prints); else ``computed`` from target and actual; else
      ``section`` when its section, or the nearest section above it, states an overall
      verdict (``sections.reported_status``; a section's verdict speaks for what is
      written under it); else ``none``, and the status is ``not_assessed``: no verdict is
      made up. A plain result (``kind`` ``result``: a figure reported without a target)
      has no verdict: its status and source are missing, never “chưa đánh giá”;
    - ``status_agrees``: whether computed and reported agree (missing unless both exist:
      where they differ, the checks warn the preparer);
    - ``stretch_gap``: actual minus the stretch goal (NaN without both).

    >>> df = pd.DataFrame({"section": ["a", "a", "b", "c", "c"],
    ...                    "target": ["10..15", None, None, None, None],
    ...                    "actual": [16, None, 55, None, 52],
    ...                    "stretch_target": [None, None, ">= 60", None, None],
    ...                    "reported_status": ["met", "met", None, None, None],
    ...                    "kind": ["indicator", "indicator", "indicator", "duty", "result"]})
    >>> sections = pd.DataFrame({"section": ["a", "b", "c"],
    ...                          "reported_status": [None, "met", None]})
    >>> ev = evaluate(df, sections)
    >>> ev["status"].tolist(), ev["status_source"].tolist()
    (['met', 'met', 'met', 'not_assessed', nan], ['reported', 'reported', 'section', 'none', nan])
    >>> ev["computed_status"].tolist()[0], ev["status_agrees"].tolist()
    ('exceeded', [False, <NA>, <NA>, <NA>, <NA>])
    >>> ev["stretch_gap"].tolist()
    [nan, nan, -5.0, nan, nan]
    """
    out = indicators.copy(deep=False)  # copy-on-write: the caller's frame is never changed
    n = len(out)
    computed = compute_verdicts(
        out["target"], out["actual"], out.get("direction"), out.get("exceed_at"),
        above_minimum).codes.copy()
    reported = _codes(out["reported_status"], VERDICTS, n)
    inherited = np.full(n, -1, dtype=np.int8)
    if sections is not None and "section" in out:
        codes, uniques = _factorized(out["section"])
        names = pd.Series(uniques, dtype=object)
        by_section = _section_verdicts(sections, names)
        lookup = np.array([_CODE.get(by_section.get(str(u)), -1) for u in names] + [-1],
                          dtype=np.int8)
        inherited = lookup[codes]
    results = _kinds(out) == RESULT  # a plain result takes no verdict from anywhere
    computed[results] = -1
    reported = np.where(results, -1, reported).astype(np.int8)
    inherited = np.where(results, -1, inherited).astype(np.int8)
    has_computed, has_reported, has_inherited = computed >= 0, reported >= 0, inherited >= 0
    # first source that has a verdict; int8 throughout (np.select would widen to int64)
    final = np.where(has_reported, reported, computed)
    final = np.where(final >= 0, final, inherited)
    final[final < 0] = _CODE[NOT_ASSESSED]
    final[results] = -1
    source = np.full(n, 3, dtype=np.int8)
    source[has_inherited] = 2
    source[has_computed] = 0
    source[has_reported] = 1
    source[results] = -1
    verdicts = list(VERDICTS)
    out["computed_status"] = pd.Categorical.from_codes(computed, categories=verdicts,
                                                       validate=False)
    out["status"] = pd.Categorical.from_codes(final, categories=verdicts, validate=False)
    out["status_source"] = pd.Categorical.from_codes(source, categories=list(SOURCES),
                                                     validate=False)
    agrees = pd.arrays.BooleanArray(computed == reported, ~(has_computed & has_reported))
    out["status_agrees"] = agrees
    stretch = out.get("stretch_target")
    if stretch is not None and results.any():
        stretch = stretch.where(~results)
    if stretch is None or not stretch.notna().any():
        out["stretch_gap"] = np.full(n, np.nan)
    else:
        x = pd.to_numeric(out["actual"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        out["stretch_gap"] = x - _goals(stretch.reset_index(drop=True), out.get("direction"))
    return out


def rollup_sentence(counts: dict[str, int], noun: str = KIND_NOUNS[INDICATOR]) -> str:
    """The report's own roll-up sentence for verdict counts.

    Two digits, only the verdicts present, in the fixed order vượt, đạt, ước đạt,
    đang thực hiện, đang đề nghị, không đạt, chưa đánh giá; ``noun`` is what is counted
    (“chỉ tiêu”, or “nội dung” for duties and undertakings).

    >>> rollup_sentence({"met": 3, "not_met": 1})
    'Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu'
    >>> rollup_sentence({"met": 5}, "nội dung")
    'Đạt 05 nội dung'
    """
    parts = [f"{SENTENCE_WORDS[v]} {counts[v]:02d} {noun}" for v in VERDICTS if counts.get(v)]
    if not parts:
        return f"Không có {noun}"
    text = ", ".join(parts)
    return text[0].upper() + text[1:]


_SENTENCE_PART = re.compile(
    r"(?P<word>vượt|ước đạt|đang thực hiện|đang đề nghị|đang đề xuất|không đạt|không thực hiện"
    r"|chưa đánh giá|đạt)"
    r"\s+(?P<n>\d+)\s+(?:chỉ tiêu|nội dung)",
    re.IGNORECASE)


def parse_rollup_sentence(text: str) -> dict[str, int]:
    """Verdict counts stated by a sentence such as “Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu”.

    >>> parse_rollup_sentence("Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu")
    {'met': 3, 'not_met': 1}
    """
    counts: dict[str, int] = {}
    for m in _SENTENCE_PART.finditer(text or ""):
        code = VIETNAMESE_WORDS[m["word"].lower()]
        counts[code] = counts.get(code, 0) + int(m["n"])
    if not counts:
        raise ParseError(f"Không đọc được câu tổng hợp “{text}”: cần dạng “Đạt 03 chỉ tiêu,"
                         f" không đạt 01 chỉ tiêu”.", text)
    return counts


TOTAL = "Tổng cộng"


def _kinds(evaluated: pd.DataFrame) -> np.ndarray:
    """Each row's kind: ``duty`` or ``result`` where the ``kind`` column says so, else
    ``indicator``."""
    kind = evaluated.get("kind")
    if kind is None:
        return np.full(len(evaluated), INDICATOR, dtype=object)
    values = kind.astype(object).to_numpy()
    return np.where(values == DUTY, DUTY, np.where(values == RESULT, RESULT, INDICATOR))


def evaluate_year(year_data: Any) -> pd.DataFrame:
    """The one evaluation of a loaded year (a :class:`~tongket_lib.dataset.load.YearData`):
    its indicators with their sections' verdicts and its organisation's reading of a
    minimum target (meta ``above_minimum``). Its report, ``check``, the stored tables and
    the summary all evaluate a year through here."""
    meta = getattr(year_data, "meta", None) or {}
    out = evaluate(year_data.indicators, year_data.sections, meta.get("above_minimum") or MET)
    sections = getattr(year_data, "sections", None)
    if sections is not None and len(sections) and {"section", "title"} <= set(sections):
        # a row entered without its section's title (a workbook's row) takes sections.csv's
        titles = dict(zip(sections["section"].astype(str), sections["title"], strict=True))
        mapped = out["section"].astype(str).map(titles).astype(object)
        have = (out["section_title"].astype(object) if "section_title" in out
                else pd.Series(None, index=out.index, dtype=object))
        out["section_title"] = have.where(have.notna() & (have.astype(str) != ""), mapped)
    return out


def rollup(evaluated: pd.DataFrame, kind: str | None = None) -> pd.DataFrame:
    """Counts by verdict per section (in the report's order) and overall, with the sentence.

    One row per section plus a last row whose ``section`` is ``"Tổng cộng"``; columns
    ``section``, ``section_title``, ``total``, ``indicators`` and ``duties`` (how many
    of the total are indicators, and duties or undertakings), one column per verdict
    code, ``sentence``, and ``results``: the plain results of the section, which take no
    verdict and are counted apart from the total. ``kind`` (``indicator`` or ``duty``)
    keeps only rows of that kind. A section of duties only counts “nội dung”; the
    overall sentence gives indicators and duties apart; a section of plain results only
    has no sentence.

    >>> ev = evaluate(pd.DataFrame({"section": ["1", "2", "3", "4", "4"],
    ...     "target": [None] * 5, "actual": [None, None, 52, None, None],
    ...     "reported_status": ["met", "met", None, "met", "not_done"],
    ...     "kind": ["indicator", "duty", "result", "indicator", "duty"]}))
    >>> table = rollup(ev)
    >>> for sentence in table["sentence"]:
    ...     print(repr(sentence))
    'Đạt 01 chỉ tiêu'
    'Đạt 01 nội dung'
    ''
    'Đạt 01 chỉ tiêu; trách nhiệm, giao ước: không thực hiện 01 nội dung'
    'Đạt 02 chỉ tiêu; trách nhiệm, giao ước: đạt 01 nội dung, không thực hiện 01 nội dung'
    >>> table["total"].tolist(), table["results"].tolist()
    ([1, 1, 0, 2, 4], [0, 0, 1, 0, 1])
    """
    kinds = _kinds(evaluated)
    results = pd.Series(kinds == RESULT).groupby(
        evaluated["section"].astype("object").to_numpy(), sort=False).sum()
    if kind is not None:
        evaluated, kinds = evaluated[kinds == kind], kinds[kinds == kind]
    status = evaluated["status"].astype("object")
    frame = pd.DataFrame({"section": evaluated["section"].astype("object").to_numpy(),
                          "status": status.to_numpy(), "kind": kinds})
    order = list(dict.fromkeys(frame["section"]))
    judged = frame["kind"] != RESULT
    frame = frame[judged]
    counts = (pd.crosstab(frame["section"], frame["status"])
              .reindex(index=order, columns=list(VERDICTS), fill_value=0))
    by_kind = (pd.crosstab(frame["section"], frame["kind"])
               .reindex(index=order, columns=[INDICATOR, DUTY], fill_value=0))
    totals = {k: frame.loc[frame["kind"] == k, "status"].value_counts() for k in (INDICATOR, DUTY)}
    counts.loc[TOTAL] = counts.sum()
    by_kind.loc[TOTAL] = by_kind.sum()
    counts = counts.astype(int)
    counts.insert(0, "total", counts.sum(axis=1))
    counts.insert(1, "indicators", by_kind[INDICATOR].astype(int))
    counts.insert(2, "duties", by_kind[DUTY].astype(int))
    counts["results"] = [int(results.get(s, 0)) if s != TOTAL else int(results.sum())
                         for s in counts.index]
    titles = (evaluated.drop_duplicates("section").set_index("section")["section_title"]
              .astype("object") if "section_title" in evaluated else pd.Series(dtype=object))
    counts.insert(0, "section_title", [titles.get(s, "") if s != TOTAL else "Cả năm"
                                       for s in counts.index])
    sentences = []
    for section, row in counts[list(VERDICTS)].iterrows():
        n_duties, n_indicators = counts.at[section, "duties"], counts.at[section, "indicators"]
        only_duties = n_duties and not n_indicators
        if not (n_duties or n_indicators) and counts.at[section, "results"]:
            sentences.append("")  # plain results only: nothing is judged
            continue
        if not (n_duties and n_indicators):
            sentences.append(rollup_sentence(row.to_dict(), KIND_NOUNS[DUTY if only_duties
                                                                      else INDICATOR]))
            continue
        mine = totals if section == TOTAL else {  # indicators and duties said apart
            k: frame.loc[(frame["kind"] == k) & (frame["section"] == section), "status"]
            .value_counts() for k in (INDICATOR, DUTY)}
        duties = rollup_sentence(mine[DUTY].to_dict(), KIND_NOUNS[DUTY])
        sentences.append(f"{rollup_sentence(mine[INDICATOR].to_dict())}; trách nhiệm, giao"
                         f" ước: {duties[0].lower()}{duties[1:]}")
    counts["sentence"] = sentences
    counts.index.name = "section"
    counts.columns.name = None
    out = counts.reset_index()
    #: the year's verdict counts of each kind, for the glance and the CLI
    out.attrs["by_kind"] = {k: {v: int(totals[k].get(v, 0)) for v in VERDICTS}
                            for k in (INDICATOR, DUTY)}
    return out
