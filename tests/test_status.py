"""Verdicts and roll-ups: every branch on made-up rows, then the 2024 data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongket_lib import evaluate, load_year, rollup
from tongket_lib.errors import ParseError
from tongket_lib.evaluation.status import compute_verdicts, parse_rollup_sentence, rollup_sentence
from tongket_lib.vocab import VERDICTS


def verdict(target, actual, direction="higher", exceed_at=None):
    return compute_verdicts(pd.Series([target]), pd.Series([actual]), pd.Series([direction]),
                            pd.Series([exceed_at], dtype="float64"))[0]


@pytest.mark.parametrize("target, actual, direction, expected", [
    # between
    ("10..15", 9.99, "higher", "not_met"), ("10..15", 10, "higher", "met"),
    ("10..15", 12.5, "higher", "met"), ("10..15", 15, "higher", "met"),
    ("10..15", 16, "higher", "exceeded"),
    ("10..15", 16, "lower", "not_met"), ("10..15", 9, "lower", "exceeded"),
    # at least / more than
    (">= 90", 92.76, "higher", "met"), (">= 90", 90, "higher", "met"),
    (">= 90", 89.9999999999, "higher", "met"), (">= 90", 89.9, "higher", "not_met"),
    ("> 80", 80, "higher", "not_met"), ("> 80", 80.5, "higher", "met"),
    ("> 99", 98.61, "higher", "not_met"),
    # at most / less than
    ("<= 0", 0, "lower", "met"), ("<= 0", 3, "lower", "not_met"),
    ("<= 5", 5.0000000001, "lower", "met"),
    ("< 1", 1, "lower", "not_met"), ("< 1", 0.99, "lower", "met"),
    # equal
    ("= 100", 99.9999999, "higher", "met"), ("= 100", 93.8, "higher", "not_met"),
    ("= 12", 11, "higher", "not_met"), ("= 12", 13, "higher", "exceeded"),
    ("= 12", 11, "lower", "exceeded"), ("= 12", 13, "lower", "not_met"),
])
def test_computed_verdicts(target, actual, direction, expected):
    assert verdict(target, actual, direction) == expected


def test_exceed_at_only_above_threshold():
    assert verdict(">= 90", 95, exceed_at=95) == "met"
    assert verdict(">= 90", 95.5, exceed_at=95) == "exceeded"
    assert verdict("> 80", 85, exceed_at=None) == "met"


def test_no_target_or_no_actual_is_not_computed():
    assert pd.isna(verdict(None, 5))
    assert pd.isna(verdict(">= 5", None))


def test_evaluate_columns_and_sources():
    df = pd.DataFrame({
        "section": ["1", "1", "1", "2", "2"],
        "target": ["10..15", ">= 90", None, None, "= 60"],
        "actual": [16, None, 5, None, 55],
        "direction": ["higher"] * 5,
        "reported_status": ["exceeded", "met", None, "in_progress", "met"],
    })
    ev = evaluate(df)
    # the report's own verdict first (row 5 states "met": the figures say not met, beside it)
    assert list(ev["status"]) == ["exceeded", "met", "not_assessed", "in_progress", "met"]
    assert list(ev["status_source"]) == ["reported", "reported", "none", "reported", "reported"]
    assert list(ev["computed_status"])[4] == "not_met"
    assert ev["status_agrees"].tolist() == [True, pd.NA, pd.NA, pd.NA, False]
    assert list(df.columns) == ["section", "target", "actual", "direction", "reported_status"]


def test_evaluate_many_rows_matches_row_by_row():
    rows = [("10..15", v) for v in (5, 10, 12, 15, 20)] + [("> 80", v) for v in (79, 80, 81)]
    df = pd.DataFrame(rows * 200, columns=["target", "actual"]).assign(reported_status=None)
    ev = evaluate(df)
    assert list(ev["status"][:8]) == [verdict(t, a) for t, a in rows]
    assert len(ev) == 1600


def test_rollup_sentence_rules():
    assert rollup_sentence({"met": 3, "not_met": 1}) == "Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu"
    assert rollup_sentence({"not_met": 2, "exceeded": 1, "not_assessed": 12}) == (
        "Vượt 01 chỉ tiêu, không đạt 02 chỉ tiêu, chưa đánh giá 12 chỉ tiêu")
    assert rollup_sentence({"in_progress": 1, "expected": 1}) == (
        "Ước đạt 01 chỉ tiêu, đang thực hiện 01 chỉ tiêu")
    assert rollup_sentence({"met": 120}) == "Đạt 120 chỉ tiêu"
    assert rollup_sentence({}) == "Không có chỉ tiêu"


@given(st.dictionaries(st.sampled_from(VERDICTS), st.integers(1, 500), min_size=1))
@settings(max_examples=200)
def test_sentence_round_trip(counts):
    assert parse_rollup_sentence(rollup_sentence(counts)) == counts


def test_unreadable_sentence():
    with pytest.raises(ParseError, match="Đạt 03"):
        parse_rollup_sentence("tốt cả")


@pytest.fixture(scope="module")
def evaluated_2024():
    year = load_year(2024)
    return evaluate(year.indicators, year.sections)


def test_2024_verdicts(evaluated_2024):
    ev = evaluated_2024.set_index("id")
    assert ev.loc["cstdcs_ty_le", "computed_status"] == "exceeded"  # 16% against 10 - 15%
    assert ev.loc["doan_vien_xuat_sac", "status"] == "met"
    assert ev.loc["gvndvn", "status"] == "not_met"
    assert ev.loc["tthc_dung_han", "status"] == "not_met"
    assert ev.loc["thu_nhap", "status"] == "not_assessed"
    assert ev.loc["bang_khen", "status_source"] == "reported"


def test_2024_rollup(evaluated_2024):
    r = rollup(evaluated_2024).set_index("section")
    assert r.loc["1.1", "sentence"] == "Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu"
    assert list(r.index[:3]) == ["1.1", "1.2.a", "1.2.b"]  # the report's order
    assert r.index[-1] == "Tổng cộng"
    assert r.loc["Tổng cộng", "total"] == len(evaluated_2024)
    assert r.loc["Tổng cộng", list(VERDICTS)].sum() == len(evaluated_2024)
    assert r.loc["Tổng cộng", "indicators"] + r.loc["Tổng cộng", "duties"] == len(evaluated_2024)


bounds = st.one_of(st.integers(-1000, 1000).map(float),
                   st.floats(-1000, 1000, allow_nan=False).map(lambda v: round(v, 3)))


@st.composite
def targets(draw):
    kind = draw(st.sampled_from(["at_least", "more_than", "at_most", "less_than", "between",
                                 "equal"]))
    a, b = sorted([draw(bounds), draw(bounds)])
    from tongket_lib.targets import Target
    if kind == "between":
        return Target(kind, a, b)
    if kind == "equal":
        return Target(kind, a, a)
    return Target(kind, a, None) if kind in ("at_least", "more_than") else Target(kind, None, a)


@pytest.mark.slow
@given(st.lists(st.tuples(st.one_of(st.none(), targets()),
                          st.one_of(st.none(), bounds),
                          st.sampled_from(["higher", "lower"]),
                          st.one_of(st.none(), bounds)), min_size=1, max_size=40))
@settings(max_examples=300, deadline=None)
def test_vectorised_verdicts_equal_the_row_by_row_rule(rows):
    """Two independent writings of the rule agree, edges and tolerance included."""
    from benchmarks.naive import verdict_for

    # probe the exact bounds too: that is where tolerance matters
    probes = []
    for target, actual, direction, exceed in rows:
        probes.append((target, actual, direction, exceed))
        if target is not None:
            for bound in (target.low, target.high):
                if bound is not None:
                    probes += [(target, bound, direction, exceed),
                               (target, bound * (1 + 1e-9) + 1e-12, direction, exceed)]
    vectorised = compute_verdicts(
        pd.Series([str(t) if t else None for t, *_ in probes], dtype="object"),
        pd.Series([a for _, a, _, _ in probes], dtype="float64"),
        pd.Series([d for _, _, d, _ in probes]),
        pd.Series([x for *_, x in probes], dtype="float64"))
    expected = [verdict_for(t, a if a is not None else float("nan"), d, x)
                for t, a, d, x in probes]
    assert [None if pd.isna(v) else v for v in vectorised] == expected


def test_verdicts_at_the_tolerance_edge_to_the_last_bit():
    """An actual one float below, at and above each bound's tolerance edge: the table of
    thresholds says exactly what the rule row by row says."""
    from benchmarks.naive import verdict_for
    from tongket_lib.evaluation.status import TOLERANCE
    from tongket_lib.targets import parse_target

    probes = []
    for text in (">= 90", "> 80", "<= 5", "< 1", "10..15", "= 12", "> -3", "< 0", ">= 1e-07",
                 "= 1e300"):
        target = parse_target(text)
        for bound in {target.low, target.high} - {None}:
            tol = TOLERANCE * max(1.0, abs(bound))
            for edge in (bound - tol, bound, bound + tol):
                for x in (np.nextafter(edge, -np.inf), edge, np.nextafter(edge, np.inf)):
                    probes += [(text, float(x), d) for d in ("higher", "lower")]
    vectorised = compute_verdicts(pd.Series([t for t, _, _ in probes]),
                                  pd.Series([x for _, x, _ in probes]),
                                  pd.Series([d for *_, d in probes]))
    expected = [verdict_for(parse_target(t), x, d) for t, x, d in probes]
    assert list(vectorised) == expected


def test_same_verdicts_whatever_the_columns_types():
    """A frame built by hand (str columns kept by pyarrow, or objects) gets the verdicts
    of the same rows typed as the loader types them (categorical codes)."""
    rng = np.random.default_rng(7)
    n = 5000
    frame = pd.DataFrame({
        "section": rng.choice(["1", "1.1", "2", "3.2"], n),
        "target": rng.choice(np.array([">= 90", "> 80", "<= 0", "< 1", "10..15", "= 12", None],
                                      dtype=object), n),
        "actual": np.where(rng.random(n) < 0.2, np.nan, rng.uniform(-5, 110, n).round(1)),
        "direction": rng.choice(np.array(["higher", "lower", None, "ngang"], dtype=object), n),
        "reported_status": rng.choice(np.array(["met", "not_met", "exceeded", None, "tốt"],
                                               dtype=object), n),
        "exceed_at": np.where(rng.random(n) < 0.2, 95.0, np.nan),
        "stretch_target": rng.choice(np.array([None, ">= 60", "= 5"], dtype=object), n)})
    sections = pd.DataFrame({"section": ["1", "2"], "reported_status": ["met", None]})
    text = ["section", "target", "direction", "reported_status", "stretch_target"]
    expected = evaluate(frame.astype(dict.fromkeys(text, "category")), sections)
    for kind in ("str", "object", "string[pyarrow]"):
        pd.testing.assert_frame_equal(
            evaluate(frame.astype(dict.fromkeys(text, kind)), sections).drop(columns=text),
            expected.drop(columns=text), obj=kind)


def test_a_level_to_exceed_may_equal_the_target_and_the_organisations_reading():
    """“98% trở lên”: 98,6 is “đạt” by the strict reading, “vượt” where exceed_at equals the
    target or where the organisation calls any result above a minimum “vượt”; never a fake
    threshold such as 98.01 (issue 21)."""
    df = pd.DataFrame({"target": [">= 98"] * 3, "actual": [98.6, 98, 97],
                       "reported_status": [None] * 3})
    assert list(evaluate(df)["status"]) == ["met", "met", "not_met"]
    assert list(evaluate(df.assign(exceed_at=98))["status"]) == ["exceeded", "met", "not_met"]
    assert list(evaluate(df, above_minimum="exceeded")["status"]) == [
        "exceeded", "met", "not_met"]
    # a row's own level still rules where the organisation reads minimums as “vượt”
    own = evaluate(df.assign(exceed_at=99), above_minimum="exceeded")
    assert list(own["status"]) == ["met", "met", "not_met"]
