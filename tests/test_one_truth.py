"""One evaluation: a unit's own report, ``check``, the stored tables and the summary give
the same verdicts, sources, kinds and shares (issue 23, item 1).

Compared four ways on ``data/2024`` as a unit (inherited section verdicts, stated
verdicts, duties) and on demo units, which carry stated verdicts, inherited verdicts,
duties and plain results.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from demo import make_demo
from tongket_lib.cli.text import check_loaded
from tongket_lib.dataset.load import load_year
from tongket_lib.evaluation.glance import glance
from tongket_lib.evaluation.status import evaluate_year, rollup
from tongket_lib.units import compare, consolidate
from tongket_lib.vocab import DUTY, EXCEEDED, INDICATOR, MET, NOT_ASSESSED, RESULT, VERDICTS

SEED = Path(__file__).resolve().parent.parent / "data"
COMPARED = ("status", "status_source", "computed_status", "kind")


def _text(series: pd.Series) -> list:
    return [None if pd.isna(v) else str(v) for v in series.astype(object)]


def _report(yd) -> pd.DataFrame:
    """The unit's own evaluation, as its report and ``check`` make it, one row per id."""
    ev = evaluate_year(yd).reset_index()
    ev["kind"] = ev["kind"].astype(object).where(ev["kind"].isin([DUTY, RESULT]), INDICATOR) \
        if "kind" in ev else INDICATOR
    return ev.set_index("id")


def differing_rows(report: pd.DataFrame, stored: pd.DataFrame) -> int:
    """How many of a unit-year's rows the stored tables evaluate otherwise than its report."""
    stored = stored.set_index(stored["id"].astype(str))
    differ = pd.Series(False, index=report.index)
    for column in COMPARED:
        mine = pd.Series(_text(report[column]), index=report.index)
        theirs = pd.Series(_text(stored[column]) if column in stored else [None] * len(stored),
                           index=stored.index).reindex(report.index)
        differ |= mine.fillna("-") != theirs.fillna("-")
    return int(differ.sum())


def _four_ways(root: Path, units: dict[str, Path], year: int) -> None:
    tidy = consolidate.load(root).of_year(year)
    scores = compare.unit_scores(tidy.indicators).set_index("unit_id")
    spread = compare.verdict_spread(tidy.indicators).set_index("id")
    for unit, folder in units.items():
        yd = load_year(year, folder)
        report = _report(yd)
        stored = tidy.indicators[tidy.indicators["unit_id"].astype(str) == unit]
        # the stored tables: every row as its own report evaluates it
        assert differing_rows(report, stored) == 0, unit
        # check: the sentences it prints are those of the stored rows
        text, _ = check_loaded(yd)
        rolled = rollup(stored.assign(section=stored["section"].astype(object)))
        for sentence in rolled["sentence"]:
            assert sentence in text, (unit, sentence)
        # the report's section sentences (its headings) are those of the stored rows
        own = rollup(evaluate_year(yd))
        assert own["sentence"].tolist() == rolled["sentence"].tolist()
        # the summary: the unit's indicator counts and share, as in its own glance
        g = glance(yd, own)
        row = scores.loc[unit]
        assert {v: int(row[v]) for v in VERDICTS} == g.verdicts, unit
        assert int(row["indicators"]) == g.indicators
        assessed = g.indicators - g.verdicts[NOT_ASSESSED]
        share = 100 * (g.verdicts[MET] + g.verdicts[EXCEEDED]) / assessed
        assert row["share_met"] == pytest.approx(share)
        indicator_ids = set(report.index[report["kind"] == INDICATOR])
        assert indicator_ids <= set(spread.index)
        assert not set(report.index[report["kind"] != INDICATOR]) & set(spread.index)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TONGKET_CACHE", str(tmp_path / "cache"))


def test_seed_year_as_a_unit_four_ways(tmp_path):
    root = tmp_path / "org"
    shutil.copytree(SEED / "2024", root / "2024")
    shutil.copy(SEED / "rules.yaml", root / "rules.yaml")
    report = _report(load_year(2024, root))
    assert {DUTY, INDICATOR} <= set(report["kind"])
    assert (report["status_source"].astype(object) == "section").any()
    _four_ways(root, {"": root}, 2024)


def test_demo_units_four_ways(tmp_path):
    root = tmp_path / "units"
    folders = make_demo(root, years=[2024], seed=5, units=4)
    yd = load_year(2024, folders[0])
    report = _report(yd)
    # the demo units carry what a real unit's report has
    assert {DUTY, RESULT, INDICATOR} <= set(report["kind"])
    sources = set(report["status_source"].astype(object).dropna())
    assert {"reported", "computed", "section"} <= sources
    _four_ways(root, {f.name: f for f in folders}, 2024)
