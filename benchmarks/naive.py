"""The verdict rule written the plain way, one row at a time.

The benchmark's baseline, and the reference the vectorised engine is tested against
(tests/test_status.py): two independent writings of the same rule must agree.
"""

from __future__ import annotations

import math

from tongket_lib import targets as T
from tongket_lib.evaluation.status import TOLERANCE


def _tol(bound: float) -> float:
    return TOLERANCE * max(1.0, abs(bound))


def verdict_for(target: T.Target | None, actual: float | None, direction: str = "higher",
                exceed_at: float | None = None) -> str | None:
    """The computed verdict of one row, or None when it cannot be computed."""
    if target is None or actual is None or math.isnan(actual):
        return None
    lower = direction == "lower"
    lo, hi = target.low, target.high
    if target.kind in (T.BETWEEN, T.EQUAL):
        if actual < lo - _tol(lo):
            return "exceeded" if lower else "not_met"
        if actual > hi + _tol(hi):
            return "not_met" if lower else "exceeded"
        return "met"
    if target.kind in (T.AT_LEAST, T.MORE_THAN):
        reached = actual >= lo - _tol(lo) if target.kind == T.AT_LEAST else actual > lo + _tol(lo)
        if not reached:
            return "not_met"
        if exceed_at is not None and not math.isnan(exceed_at) and actual > exceed_at + _tol(exceed_at):
            return "exceeded"
        return "met"
    within = actual <= hi + _tol(hi) if target.kind == T.AT_MOST else actual < hi - _tol(hi)
    return "met" if within else "not_met"


def evaluate_loop(targets, actuals, directions, exceed_ats) -> list[str | None]:
    """The naive way: parse each row's target and decide its verdict in a Python loop."""
    return [verdict_for(T.parse_target(t) if t else None, a, d, x)
            for t, a, d, x in zip(targets, actuals, directions, exceed_ats, strict=False)]
