"""Verdicts and roll-ups: what each indicator achieved, and each section in one sentence.

:func:`evaluate` computes a verdict wherever an indicator has both a target and a
numeric actual, without a Python loop per row: each distinct target is parsed once
and the comparisons run on whole numpy arrays. Where a verdict cannot be computed,
the report's own verdict is used and marked as such; where both exist and differ,
the table says so (``status_agrees``) and never silently picks one.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from tongket_lib import targets as T
from tongket_lib.errors import ParseError
from tongket_lib.vocab import (
    EXCEEDED,
    MET,
    NOT_ASSESSED,
    NOT_MET,
    SENTENCE_WORDS,
    VERDICTS,
    VIETNAMESE_WORDS,
)

#: relative tolerance for comparing an actual with a bound (99.9999999 counts as 100)
TOLERANCE = 1e-6

COMPUTED, REPORTED, NONE = "computed", "reported", "none"
_CODE = {v: i for i, v in enumerate(VERDICTS)}
_KINDS = (T.AT_LEAST, T.MORE_THAN, T.AT_MOST, T.LESS_THAN, T.BETWEEN, T.EQUAL)


def _codes(values: pd.Series | None, categories: tuple[str, ...], n: int) -> np.ndarray:
    """Integer code of each value in ``categories`` (-1 for missing or unknown).

    Categorical columns (what the loader produces for code columns) cost nothing;
    other columns are factorised, so each distinct value is looked up once.
    """
    if values is None:
        return np.full(n, -1, dtype=np.int8)
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    lookup = np.array([categories.index(u) if u in categories else -1 for u in uniques] + [-1],
                      dtype=np.int8)
    return lookup[codes]


def _target_arrays(targets: pd.Series) -> tuple[np.ndarray, ...]:
    """Per row: kind code (-1 for none) and the bounds widened/narrowed by the tolerance.

    Each distinct target is parsed once and its tolerances computed once; rows then
    only gather from these small tables.
    """
    if isinstance(targets.dtype, pd.CategoricalDtype):
        codes, uniques = targets.cat.codes.to_numpy(), targets.cat.categories
    else:
        codes, uniques = pd.factorize(targets, use_na_sentinel=True)
    table = np.full((5, len(uniques) + 1), np.nan)  # last column: rows without a target
    table[0, -1] = -1
    for i, text in enumerate(uniques):
        t = T.parse_target(text)
        table[0, i] = _KINDS.index(t.kind)
        for row, bound in ((1, t.low), (3, t.high)):
            if bound is not None:
                tol = TOLERANCE * max(1.0, abs(bound))
                table[row, i], table[row + 1, i] = bound - tol, bound + tol
    kind, low_minus, low_plus, high_minus, high_plus = table[:, codes]
    return kind.astype(np.int8), low_minus, low_plus, high_minus, high_plus


def compute_verdicts(target: pd.Series, actual: pd.Series, direction: pd.Series | None = None,
                     exceed_at: pd.Series | None = None) -> pd.Categorical:
    """The computed verdict of every row (missing where target or actual is missing).

    >>> list(compute_verdicts(pd.Series(["10..15", ">= 90", "<= 0"]), pd.Series([16, 92.76, 3])))
    ['exceeded', 'met', 'not_met']
    """
    n = len(target)
    kind, low_minus, low_plus, high_minus, high_plus = _target_arrays(target.reset_index(drop=True))
    x = pd.to_numeric(actual, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lower = _codes(direction, ("higher", "lower"), n) == 1
    if exceed_at is None:
        over_extra = np.zeros(n, dtype=bool)
    else:
        extra = pd.to_numeric(exceed_at, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        over_extra = x > extra + TOLERANCE * np.maximum(1.0, np.abs(extra))  # NaN: False

    with np.errstate(invalid="ignore"):
        below_low = x < low_minus    # clearly under the low bound (NaN compares False)
        above_low = x > low_plus     # clearly over the low bound
        below_high = x < high_minus
        above_high = x > high_plus
    better = above_high & ~lower | below_low & lower  # outside a band, on the good side
    ranged = (kind == _KINDS.index(T.BETWEEN)) | (kind == _KINDS.index(T.EQUAL))
    floor = kind == _KINDS.index(T.AT_LEAST)
    strict_floor = kind == _KINDS.index(T.MORE_THAN)
    ceiling = kind == _KINDS.index(T.AT_MOST)
    strict_ceiling = kind == _KINDS.index(T.LESS_THAN)

    codes = np.full(n, _CODE[NOT_MET], dtype=np.int8)
    # between / equal: inside the band met, outside on the better side exceeded
    codes[ranged & ~below_low & ~above_high] = _CODE[MET]
    codes[ranged & better] = _CODE[EXCEEDED]
    # at least / more than: met when reached, exceeded only over exceed_at
    reached = floor & ~below_low | strict_floor & above_low
    codes[reached] = _CODE[MET]
    codes[reached & over_extra] = _CODE[EXCEEDED]
    # at most / less than: met when within
    codes[ceiling & ~above_high | strict_ceiling & below_high] = _CODE[MET]
    codes[np.isnan(x) | (kind < 0)] = -1
    return pd.Categorical.from_codes(codes, categories=list(VERDICTS), validate=False)


def evaluate(indicators: pd.DataFrame) -> pd.DataFrame:
    """Indicators with their verdicts: a copy with four columns added.

    - ``computed_status``: the verdict from target and actual (missing if either is);
    - ``status``: the final verdict: computed where possible, else the reported one,
      else ``not_assessed``;
    - ``status_source``: ``computed``, ``reported`` or ``none``;
    - ``status_agrees``: whether computed and reported agree (missing unless both exist).

    >>> df = pd.DataFrame({"target": ["10..15", None, None],
    ...                    "actual": [16, None, None],
    ...                    "reported_status": ["exceeded", "met", None]})
    >>> evaluate(df)[["status", "status_source", "status_agrees"]].to_dict("list")
    {'status': ['exceeded', 'met', 'not_assessed'], 'status_source': ['computed', 'reported', 'none'], 'status_agrees': [True, None, None]}
    """
    out = indicators.copy(deep=False)  # copy-on-write: the caller's frame is never changed
    computed = compute_verdicts(
        out["target"], out["actual"], out.get("direction"), out.get("exceed_at")).codes
    reported = _codes(out["reported_status"], VERDICTS, len(out))
    has_computed, has_reported = computed >= 0, reported >= 0
    final = np.where(has_computed, computed,
                     np.where(has_reported, reported, _CODE[NOT_ASSESSED])).astype(np.int8)
    source = np.where(has_computed, 0, np.where(has_reported, 1, 2)).astype(np.int8)
    verdicts = list(VERDICTS)
    out["computed_status"] = pd.Categorical.from_codes(computed, categories=verdicts,
                                                       validate=False)
    out["status"] = pd.Categorical.from_codes(final, categories=verdicts, validate=False)
    out["status_source"] = pd.Categorical.from_codes(source, categories=[COMPUTED, REPORTED, NONE],
                                                     validate=False)
    agrees = pd.arrays.BooleanArray(computed == reported, ~(has_computed & has_reported))
    out["status_agrees"] = agrees
    return out


def rollup_sentence(counts: dict[str, int]) -> str:
    """The report's own roll-up sentence for verdict counts.

    Two digits, only the verdicts present, in the fixed order vượt, đạt, ước đạt,
    đang thực hiện, không đạt, chưa đánh giá.

    >>> rollup_sentence({"met": 3, "not_met": 1})
    'Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu'
    """
    parts = [f"{SENTENCE_WORDS[v]} {counts[v]:02d} chỉ tiêu" for v in VERDICTS if counts.get(v)]
    if not parts:
        return "Không có chỉ tiêu"
    text = ", ".join(parts)
    return text[0].upper() + text[1:]


_SENTENCE_PART = re.compile(
    r"(?P<word>vượt|ước đạt|đang thực hiện|không đạt|chưa đánh giá|đạt)\s+(?P<n>\d+)\s+chỉ tiêu",
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


def rollup(evaluated: pd.DataFrame) -> pd.DataFrame:
    """Counts by verdict per section (in the report's order) and overall, with the sentence.

    One row per section plus a last row whose ``section`` is ``"Tổng cộng"``; columns
    ``section``, ``section_title``, ``total``, one column per verdict code, ``sentence``.
    """
    status = evaluated["status"].astype("object")
    frame = pd.DataFrame({"section": evaluated["section"].astype("object").to_numpy(),
                          "status": status.to_numpy()})
    order = list(dict.fromkeys(frame["section"]))
    counts = (pd.crosstab(frame["section"], frame["status"])
              .reindex(index=order, columns=list(VERDICTS), fill_value=0))
    counts.loc[TOTAL] = counts.sum()
    counts = counts.astype(int)
    counts.insert(0, "total", counts.sum(axis=1))
    titles = (evaluated.drop_duplicates("section").set_index("section")["section_title"]
              .astype("object") if "section_title" in evaluated else pd.Series(dtype=object))
    counts.insert(0, "section_title", [titles.get(s, "") if s != TOTAL else "Cả năm"
                                       for s in counts.index])
    counts["sentence"] = [rollup_sentence(row) for row in
                          counts[list(VERDICTS)].to_dict(orient="records")]
    counts.index.name = "section"
    counts.columns.name = None
    return counts.reset_index()
