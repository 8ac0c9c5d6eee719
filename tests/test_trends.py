"""Several years: the tidy table, id changes, year-on-year changes and progress classes."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from tongket_lib.errors import DataError, ParameterError
from tongket_lib.evaluation import trends
from tongket_lib.evaluation.status import evaluate


def tidy_of(rows: list[tuple]) -> pd.DataFrame:
    """A tidy frame from (year, id, target, actual, direction) rows, evaluated."""
    frame = pd.DataFrame(rows, columns=["year", "id", "target", "actual", "direction"])
    frame = frame.assign(section="1", section_title="", name=frame["id"], unit="%",
                         reported_status=None)
    return evaluate(frame)


def classes(rows, **kw) -> dict[str, str]:
    out = trends.progress(tidy_of(rows), **kw)
    return dict(zip(out["id"], out["progress"], strict=False))


def test_progress_classes_after_open_sdg():
    rows = [
        # reached in the latest year
        (2021, "dat", ">= 90", 80, "higher"), (2024, "dat", ">= 90", 91, "higher"),
        # growth needed 80→90 over 3 years, achieved all of it: on track (ratio 1)
        (2021, "kip", "> 90", 80, "higher"), (2024, "kip", "> 90", 90, "higher"),
        # achieved about 80% of the needed growth: acceleration needed
        (2021, "cham", ">= 90", 80, "higher"), (2024, "cham", ">= 90", 87.9, "higher"),
        # a little progress: limited
        (2021, "it", ">= 90", 80, "higher"), (2024, "it", ">= 90", 82, "higher"),
        # going down: moving away
        (2021, "lui", ">= 90", 80, "higher"), (2024, "lui", ">= 90", 75, "higher"),
        # lower is better, coming down fast enough: on track
        (2021, "giam", "<= 2", 10, "lower"), (2024, "giam", "<= 2", 2.2, "lower"),
        # lower is better, going up: moving away
        (2021, "tang", "<= 2", 5, "lower"), (2024, "tang", "<= 2", 6, "lower"),
    ]
    assert classes(rows) == {"dat": "target_reached", "kip": "on_track",
                             "cham": "acceleration_needed", "it": "limited_progress",
                             "lui": "moving_away", "giam": "on_track", "tang": "moving_away"}


def test_progress_ratio_is_observed_over_required_growth():
    out = trends.progress(tidy_of([(2021, "a", ">= 90", 80, "higher"),
                                   (2023, "a", ">= 90", 84, "higher")]))
    r = out.iloc[0]
    observed = (84 / 80) ** (1 / 2) - 1
    required = (90 / 80) ** (1 / 2) - 1
    assert math.isclose(r["ratio"], observed / required)
    assert r["base_year"] == 2021 and r["current_year"] == 2023


def test_target_year_changes_the_growth_needed():
    rows = [(2021, "a", ">= 90", 80, "higher"), (2024, "a", ">= 90", 84, "higher")]
    assert classes(rows) == {"a": "limited_progress"}
    assert classes(rows, target_year=2030) == {"a": "on_track"}  # more time: on track


def test_progress_needs_two_years_and_a_target():
    assert classes([(2024, "a", ">= 90", 80, "higher")]) == {}
    assert classes([(2021, "a", None, 80, "higher"), (2024, "a", None, 85, "higher")]) == {}


def test_zero_base_does_not_divide_by_zero():
    out = classes([(2021, "vu", "<= 0", 0, "lower"), (2024, "vu", "<= 0", 3, "lower")])
    assert out == {"vu": "moving_away"}


def test_year_on_year_largest_first_and_direction():
    tidy = tidy_of([(2023, "a", ">= 90", 80, "higher"), (2024, "a", ">= 90", 88, "higher"),
                    (2023, "b", "<= 2", 4, "lower"), (2024, "b", "<= 2", 5, "lower")])
    yoy = trends.year_on_year(tidy)
    assert list(yoy["id"]) == ["b", "a"]  # +25% before +10%
    assert list(yoy["improved"]) == [False, True]


def test_load_years_tidy_and_changes(two_years):
    history = trends.load_years("2023-2024", two_years)
    tidy = history.indicators
    assert history.years == [2023, 2024] and list(tidy.columns[:2]) == ["year", "id"]
    assert len(tidy) == 67 + 68 and {"status", "computed_status"} <= set(tidy.columns)
    changes = history.changes.set_index("id")
    assert changes.loc["khieu_nai_to_cao", "change"] == "new"
    assert changes.loc["cay_xanh", "change"] == "renamed"
    assert "Cây xanh nơi làm việc" in changes.loc["cay_xanh", "description"]
    # every indicator is kept, the new one too
    assert set(tidy.loc[tidy["year"] == 2024, "id"]) >= {"khieu_nai_to_cao", "cay_xanh"}
    gvn = trends.progress(tidy).set_index("id").loc["gvndvn"]
    assert gvn["progress"] == "moving_away"  # 96% → 93,8% against 100%
    totals = trends.totals_by_year(history)
    assert list(totals["year"]) == [2023, 2024] and totals["money_fund"].iloc[1] == 486_771_474


def test_verdict_matrix(two_years):
    matrix = trends.verdict_matrix(trends.load_years(None, two_years).indicators)
    assert list(matrix.columns) == [2023, 2024]
    assert matrix.loc["khieu_nai_to_cao", 2023] is None
    assert matrix.loc["cstdcs_ty_le", 2024] == "exceeded"


def test_problems_of_every_year_in_one_error(two_years):
    (two_years / "2023" / "awards.csv").write_text("", encoding="utf-8")
    (two_years / "2024" / "contributions.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError) as info:
        trends.load_years(None, two_years)
    files = {Path(p.file).parent.name + "/" + Path(p.file).name for p in info.value.problems}
    assert files == {"2023/awards.csv", "2024/contributions.csv"}


@pytest.mark.parametrize("spec, years", [("2021-2023", [2021, 2022, 2023]),
                                         ("2024,2022", [2022, 2024]), (2024, [2024]),
                                         ("2024,2021..2022", [2021, 2022, 2024]),
                                         ([2023, 2021], [2021, 2023])])
def test_parse_years(spec, years):
    assert trends.parse_years(spec) == years


@pytest.mark.parametrize("spec", ["2024-2021", "hai năm", "20-24", "2021-2022-2023", "20x1"])
def test_bad_years(spec):
    with pytest.raises(ParameterError):
        trends.parse_years(spec)
