"""Every chart draws the names from the data exactly as written: a "$…$" in a name is
neither read as mathematics (where it would lose its "$", set "_" as a subscript or fail
on a stray "\\") nor a crash."""

from __future__ import annotations

import pandas as pd
import pytest

from tongket_lib.dataset.load import load_year
from tongket_lib.evaluation import trends
from tongket_lib.evaluation.status import evaluate_year, rollup
from tongket_lib.views import charts

from .conftest import DATA

NAME = "Quỹ $x^2$ hỗ trợ a_b \\frac{"


def named(frame: pd.DataFrame, column: str, rows: int) -> pd.DataFrame:
    frame = frame.copy()
    frame[column] = frame[column].astype(object)
    frame.loc[frame.index[:rows], column] = NAME
    return frame


def figures():
    year = load_year(2024, DATA)
    evaluated = named(evaluate_year(year), "name", 40)
    rolled = named(rollup(evaluated), "section_title", 1)
    tidy = named(trends.load_years("2024", DATA).indicators, "name", 40)
    awards = year.awards.copy()
    for column in ("title", "granted_by", "code"):
        awards = named(awards, column, 3)
    contributions = named(year.contributions.assign(year=2024), "name", 2)
    return {
        "verdicts_by_section": charts.verdicts_by_section(rolled),
        "bullet_charts": charts.bullet_charts(evaluated),
        "awards_chart": charts.awards_chart(awards),
        "contributions_chart": charts.contributions_chart(contributions),
        "verdict_heatmaps": charts.verdict_heatmaps(trends.verdict_matrix(tidy),
                                                    trends.latest_names(tidy))[0],
        "indicator_series": charts.indicator_series(tidy)[0],
        "awards_over_years": charts.awards_over_years(awards.assign(year=2024)),
    }


@pytest.mark.slow
def test_every_chart_draws_a_name_with_dollars_as_written():
    from matplotlib import cbook
    from matplotlib.text import Text

    for which, fig in figures().items():
        assert fig is not None, which
        assert charts._png(fig).startswith(b"\x89PNG"), which  # drawn, no crash
        texts = [t.get_text() for t in fig.findobj(Text) if "$" in t.get_text()]
        assert texts, which
        for text in texts:
            assert not cbook.is_math_text(text), (which, text)  # drawn as text
            assert NAME in text.replace(r"\$", "$"), (which, text)  # the name as written
