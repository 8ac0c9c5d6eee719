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

from . import targets as T
from .errors import ParseError
from .verdicts import (EXCEEDED, MET, NOT_ASSESSED, NOT_MET, SENTENCE_WORDS, VERDICTS,
                       VIETNAMESE_WORDS)

#: relative tolerance for comparing an actual with a bound (99.9999999 counts as 100)
TOLERANCE = 1e-6

COMPUTED, REPORTED, NONE = "computed", "reported", "none"
_CODE = {v: i for i, v in enumerate(VERDICTS)}
_KINDS = (T.AT_LEAST, T.MORE_THAN, T.AT_MOST, T.LESS_THAN, T.BETWEEN, T.EQUAL)


def _target_arrays(targets: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kind code (-1 for none), low and high bound of every row, each target parsed once."""
    codes, uniques = pd.factorize(targets, use_na_sentinel=True)
    kind_u = np.full(len(uniques) + 1, -1, dtype=np.int8)
    low_u = np.full(len(uniques) + 1, np.nan)
    high_u = np.full(len(uniques) + 1, np.nan)
    for i, text in enumerate(uniques):
        target = T.parse_target(text)
        kind_u[i] = _KINDS.index(target.kind)
        low_u[i] = np.nan if target.low is None else target.low
        high_u[i] = np.nan if target.high is None else target.high
    return kind_u[codes], low_u[codes], high_u[codes]  # code -1 picks the last (empty) slot


def compute_verdicts(target: pd.Series, actual: pd.Series, direction: pd.Series | None = None,
                     exceed_at: pd.Series | None = None) -> pd.Categorical:
    """The computed verdict of every row (missing where target or actual is missing).

    >>> list(compute_verdicts(pd.Series(["10..15", ">= 90", "<= 0"]), pd.Series([16, 92.76, 3])))
    ['exceeded', 'met', 'not_met']
    """
    n = len(target)
    kind, low, high = _target_arrays(target.reset_index(drop=True))
    x = pd.to_numeric(actual, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lower = (np.zeros(n, dtype=bool) if direction is None
             else (direction.fillna("higher").to_numpy(dtype=object) == "lower"))
    extra = (np.full(n, np.nan) if exceed_at is None
             else pd.to_numeric(exceed_at, errors="coerce").to_numpy(dtype=float, na_value=np.nan))

    def tol(bound: np.ndarray) -> np.ndarray:
        return TOLERANCE * np.maximum(1.0, np.abs(np.nan_to_num(bound)))

    with np.errstate(invalid="ignore"):
        below_low = x < low - tol(low)           # clearly under the low bound
        above_low = x > low + tol(low)           # clearly over the low bound
        below_high = x < high - tol(high)
        above_high = x > high + tol(high)
        over_extra = x > extra + tol(extra)      # NaN exceed_at compares False

    K = {k: kind == i for i, k in enumerate(_KINDS)}
    met_lower_range = ~below_low & ~above_high
    conditions = [
        np.isnan(x) | (kind < 0),
        # between: direction decides which side of the band is better
        K[T.BETWEEN] & met_lower_range,
        K[T.BETWEEN] & (above_high & ~lower | below_low & lower),
        K[T.BETWEEN],
        # at least / more than: met when reached, exceeded only over exceed_at
        (K[T.AT_LEAST] & ~below_low | K[T.MORE_THAN] & above_low) & over_extra,
        K[T.AT_LEAST] & ~below_low | K[T.MORE_THAN] & above_low,
        K[T.AT_LEAST] | K[T.MORE_THAN],
        # at most / less than
        K[T.AT_MOST] & ~above_high | K[T.LESS_THAN] & below_high,
        K[T.AT_MOST] | K[T.LESS_THAN],
        # equal: at the value met; the better side exceeded
        K[T.EQUAL] & met_lower_range,
        K[T.EQUAL] & (above_high & ~lower | below_low & lower),
    ]
    choices = [-1, _CODE[MET], _CODE[EXCEEDED], _CODE[NOT_MET], _CODE[EXCEEDED], _CODE[MET],
               _CODE[NOT_MET], _CODE[MET], _CODE[NOT_MET], _CODE[MET], _CODE[EXCEEDED]]
    codes = np.select(conditions, choices, default=_CODE[NOT_MET]).astype(np.int8)
    return pd.Categorical.from_codes(codes, categories=list(VERDICTS))


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
    out = indicators.copy()
    computed = compute_verdicts(
        out["target"], out["actual"], out.get("direction"), out.get("exceed_at"))
    reported = pd.Categorical(out["reported_status"].astype("object").where(
        out["reported_status"].notna(), None), categories=list(VERDICTS))
    has_computed = computed.codes >= 0
    has_reported = reported.codes >= 0
    final = np.where(has_computed, computed.codes,
                     np.where(has_reported, reported.codes, _CODE[NOT_ASSESSED]))
    out["computed_status"] = pd.Categorical.from_codes(computed.codes, categories=list(VERDICTS))
    out["status"] = pd.Categorical.from_codes(final.astype(np.int8), categories=list(VERDICTS))
    out["status_source"] = pd.Categorical(
        np.where(has_computed, COMPUTED, np.where(has_reported, REPORTED, NONE)),
        categories=[COMPUTED, REPORTED, NONE])
    agrees = pd.array(computed.codes == reported.codes, dtype="boolean")
    agrees[~(has_computed & has_reported)] = pd.NA
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
