"""Where a verdict comes from, stretch goals, qualifiers and what is counted as what:
each rule on small datasets of its own."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from tongket_lib import load_year
from tongket_lib.cli.text import check_text
from tongket_lib.errors import ParseError
from tongket_lib.evaluation.glance import glance
from tongket_lib.evaluation.results import format_actual, parse_parts
from tongket_lib.evaluation.status import evaluate, parse_rollup_sentence, rollup
from tongket_lib.views import blocks
from tongket_lib.vocab import (
    LABELS,
    PROPOSED,
    SOURCE_LABELS,
    SOURCES,
    VERDICTS,
    VIETNAMESE_WORDS,
)


def frame(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {"section": ["1"] * n, "target": [None] * n, "actual": [None] * n,
            "direction": ["higher"] * n, "reported_status": [None] * n}
    return pd.DataFrame({**base, **columns})


SECTIONS = pd.DataFrame({"section": ["1", "1.2", "1.2.a", "2", "2.1"],
                         "reported_status": ["met", None, None, None, "exceeded"]})


def test_vocabulary_contract():
    assert VERDICTS == ("exceeded", "met", "expected", "in_progress", "proposed", "not_met",
                        "not_done", "not_assessed")
    assert LABELS["not_done"] == "Không thực hiện" and VIETNAMESE_WORDS["không thực hiện"] == "not_done"
    assert LABELS[PROPOSED] == "Đang đề nghị"
    assert VIETNAMESE_WORDS["đang đề xuất"] == VIETNAMESE_WORDS["đang đề nghị"] == PROPOSED
    assert SOURCES == ("computed", "reported", "section", "none")
    assert SOURCE_LABELS["section"] == "theo đánh giá chung của mục"


def test_sources_in_order_of_priority():
    df = frame(section=["1.2.a", "1.2.a", "1.2.a", "2", "2.1.x"],
               target=[">= 90", None, None, None, None],
               actual=[95, None, None, None, None],
               reported_status=["not_met", "in_progress", None, None, None])
    ev = evaluate(df, SECTIONS)
    # the report's own word beats the figures (the figures' verdict stays beside it);
    # reported beats the section; 1.2.a inherits from 1 (1.2 and 1.2.a say nothing);
    # section 2 has no verdict; 2.1.x inherits from 2.1
    assert ev["status_source"].tolist() == ["reported", "reported", "section", "none", "section"]
    assert ev["status"].tolist() == ["not_met", "in_progress", "met", "not_assessed", "exceeded"]
    assert ev["computed_status"].tolist()[0] == "met"
    assert ev["status_agrees"].tolist()[0] is False
    computed_only = evaluate(df.assign(reported_status=None), SECTIONS)
    assert computed_only["status_source"].tolist()[0] == "computed"


def test_without_sections_nothing_is_inherited():
    ev = evaluate(frame(reported_status=[None]))
    assert ev["status_source"].tolist() == ["none"] and ev["status"].tolist() == ["not_assessed"]


def test_nearest_section_wins():
    sections = pd.DataFrame({"section": ["1", "1.1"], "reported_status": ["exceeded", "not_met"]})
    ev = evaluate(frame(section=["1.1", "1.2"], reported_status=[None, None]), sections)
    assert ev["status"].tolist() == ["not_met", "exceeded"]


def test_a_result_without_target_stays_a_result():
    ev = evaluate(frame(actual=[3500.0], unit=["hồ sơ"]), pd.DataFrame(
        {"section": ["1"], "reported_status": [None]}))
    assert ev["status_source"].tolist() == ["none"] and pd.isna(ev["computed_status"][0])


def test_stretch_goal_never_makes_a_failure():
    df = frame(target=[None, ">= 50", None, None], actual=[55.0, 55.0, 3.0, 70.0],
               stretch_target=[">= 60", "= 60", "<= 1", None],
               direction=["higher", "higher", "lower", "higher"],
               reported_status=["met", None, None, None])
    ev = evaluate(df)
    # no binding target: the report's verdict; a binding target: computed from it
    assert ev["status"].tolist()[:2] == ["met", "met"]
    assert ev["status_source"].tolist()[:2] == ["reported", "computed"]
    gaps = ev["stretch_gap"].tolist()
    assert gaps[:3] == [-5.0, -5.0, 2.0] and math.isnan(gaps[3])


def test_proposed_is_its_own_status():
    ev = evaluate(frame(reported_status=["proposed"]))
    assert ev["status"].tolist() == ["proposed"]
    assert parse_rollup_sentence("Đạt 02 chỉ tiêu, đang đề nghị 01 chỉ tiêu") == {
        "met": 2, "proposed": 1}


def test_rollup_counts_indicators_and_duties_apart():
    df = frame(section=["1", "1", "2", "2"], reported_status=["met", "not_met", "met", "met"],
               kind=["indicator", None, "duty", "duty"])
    r = rollup(evaluate(df)).set_index("section")
    assert r.loc["Tổng cộng", ["total", "indicators", "duties"]].tolist() == [4, 2, 2]
    assert r.loc["2", "sentence"] == "Đạt 02 nội dung"
    assert r.loc["Tổng cộng", "sentence"] == (
        "Đạt 01 chỉ tiêu, không đạt 01 chỉ tiêu; trách nhiệm, giao ước: đạt 02 nội dung")
    only = rollup(evaluate(df), kind="duty")
    assert list(only["section"]) == ["2", "Tổng cộng"]


@pytest.mark.parametrize("value, unit, qualifier, expected", [
    (99.7, "%", "trên", "trên 99,7%"), (87.5, "%", "trở lên", "87,5% trở lên"),
    (450, "người", "khoảng", "khoảng 450 người"), (12, "văn bản", None, "12 văn bản"),
    (12, "văn bản", "  ", "12 văn bản"),
])
def test_actual_with_its_qualifier(value, unit, qualifier, expected):
    assert format_actual(value, unit, qualifier) == expected


def test_parts_are_read_and_checked():
    assert parse_parts("a=1; b = 2,5;") == {"a": 1.0, "b": 2.5}
    for bad in ("a=1; a=2", "a=x", "chỉ có chữ"):
        with pytest.raises(ParseError):
            parse_parts(bad)


def test_verdict_label_says_its_source():
    assert "(theo báo cáo)" in blocks.verdict("met", "reported")
    assert "(theo đánh giá chung của mục)" in blocks.verdict("met", "section")
    assert "theo báo cáo" not in blocks.verdict("met", "section")
    assert "theo" not in blocks.verdict("met", "computed")
    assert "Đang đề nghị" in blocks.verdict("proposed", "reported")


# -- a year folder of its own --------------------------------------------------------------

INDICATORS = ("id,section,section_title,name,target,actual,unit,direction,reported_status,note,"
              "source,kind,stretch_target,actual_qualifier\n") + """\
a,1,Một,Chỉ tiêu A,>= 90,95,%,higher,,,,indicator,,
b,1,Một,Chỉ tiêu B,,55,%,higher,,,,,>= 60,trên
c,2,Hai,Trách nhiệm C,,,,higher,,,,duty,,
d,2,Hai,Trách nhiệm D,,,,higher,in_progress,,,duty,,
"""
SECTIONS_CSV = """section,title,reported_status,stated_rollup,source
1,Một,met,,
2,Hai,met,,
"""
AWARDS = """stream,granted_by,title,recipient,count,state,decision,level,code,part,note,source
government,Giám đốc Sở,Lao động tiên tiến,individual,40,granted,12/QĐ-S,agency,ldtt,,,
union,Công đoàn cơ sở,Đoàn viên công đoàn xuất sắc,individual,30,granted,,agency,dvcd_xs,,,
government,Chủ tịch UBND tỉnh,Bằng khen,individual,2,proposed,,province,bang_khen,,,
"""
CONTRIBUTIONS = "kind,name,cases,amount_vnd,note\n"
META = "year: 2030\norganisation: Cơ quan thử\ntitle: Báo cáo thử\n"


@pytest.fixture()
def tiny_year(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "2030"
    folder.mkdir(parents=True)
    for name, text in (("indicators.csv", INDICATORS), ("sections.csv", SECTIONS_CSV),
                       ("awards.csv", AWARDS), ("contributions.csv", CONTRIBUTIONS),
                       ("meta.yaml", META)):
        (folder / name).write_text(text, encoding="utf-8")
    return tmp_path / "data"


def test_tiny_year_glance_and_check_text(tiny_year: Path):
    year = load_year(2030, tiny_year)
    ev = evaluate(year.indicators, year.sections)
    assert ev["status_source"].tolist() == ["computed", "section", "section", "reported"]
    rolled = rollup(ev)
    g = glance(year, rolled)
    assert (g.indicators, g.duties) == (2, 2)
    assert g.verdicts["met"] == 2 and g.duty_verdicts == {**dict.fromkeys(VERDICTS, 0),
                                                          "met": 1, "in_progress": 1}
    assert g.granted == {"individual": 70} and g.granted_with_decision == {"individual": 40}
    text = check_text(year, rolled, [])
    assert "Chỉ tiêu: 2 chỉ tiêu; trách nhiệm, giao ước: 2 nội dung" in text
    assert "đã công nhận, đã khen: 70 lượt cá nhân (trong đó có số quyết định: 40 lượt" in text
    assert "đã có quyết định" not in text
    html = blocks.glance(g)
    assert "trong đó 40 lượt có số quyết định" in html and "không kể 2 nội dung" in html
    table = blocks.section(ev, rolled, year.sections, "1", audit=True)  # the preparer's
    assert "trên 55%" in table and "Phấn đấu" in table and "còn cách 5 điểm %" in table
    assert "(theo đánh giá chung của mục)" in table and "(theo báo cáo)" not in table


@pytest.mark.slow
def test_trends_carry_sources_and_kinds(tiny_year: Path):
    import shutil

    from tongket_lib.evaluation import trends

    shutil.copytree(tiny_year / "2030", tiny_year / "2031")
    meta = tiny_year / "2031" / "meta.yaml"
    meta.write_text(META.replace("2030", "2031"), encoding="utf-8")
    years = trends.load_years("2030-2031", tiny_year)
    sources = trends.verdict_matrix(years.indicators, "status_source")
    assert sources.loc["b"].tolist() == ["section", "section"]   # inherited, both years
    totals = trends.totals_by_year(years)
    assert totals["indicators"].tolist() == [2, 2] and totals["duties"].tolist() == [2, 2]
    assert totals["met"].tolist() == [2, 2]   # the duties' verdicts are not counted here
