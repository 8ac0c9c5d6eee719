"""The auditor's checks on small datasets of their own: each fires where the figures
contradict each other and stays quiet where they agree."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tongket_lib.dataset.rules import load_rules
from tongket_lib.evaluation import audit
from tongket_lib.evaluation.checks import _contributions
from tongket_lib.evaluation.status import evaluate


def rows(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {"id": [f"r{i}" for i in range(n)], "name": [f"Dòng {i}" for i in range(n)],
            "section": ["1"] * n, "target": [None] * n, "actual": [None] * n,
            "unit": ["%"] * n, "direction": ["higher"] * n, "reported_status": [None] * n,
            "count": [None] * n, "group": [None] * n, "award": [None] * n,
            "exceed_at": [None] * n, "parts": [None] * n}
    frame = pd.DataFrame({**base, **columns})
    frame["count"] = frame["count"].astype("Int64")
    frame["exceed_at"] = frame["exceed_at"].astype("float64")
    frame.index = pd.RangeIndex(2, n + 2, name="row")
    return evaluate(frame)


def awards(*items) -> pd.DataFrame:
    return pd.DataFrame(
        [{"code": c, "title": t, "recipient": "individual", "count": n, "state": s,
          "part": None, "decision": None} for c, t, n, s in items],
        columns=["code", "title", "recipient", "count", "state", "part", "decision"],
        index=pd.RangeIndex(2, len(items) + 2, name="row")).astype({"count": "Int64"})


def findings(ev, check="implied_total"):
    return [f for f in audit.implied_total_findings(audit.implied_totals(ev))
            if f.check == check]


# -- implied totals -------------------------------------------------------------------------

def test_one_group_one_finding_with_its_spread():
    ev = rows(actual=[16.0, 92.76], count=[72, 448], group=["đoàn viên", "đoàn viên"])
    group = [f for f in findings(ev) if "group" in f.figures]
    assert len(group) == 1
    [f] = group
    assert f.severity == "warning" and f.figures["spread"] == 33
    assert "450" in f.message and "483" in f.message


def test_a_consistent_group_is_information():
    ev = rows(actual=[50.0, 25.0], count=[100, 50], group=["x", "x"])
    [f] = [f for f in findings(ev) if "group" in f.figures]
    low, high = f.figures["common"]
    assert f.severity == "info" and low <= 200 <= high and f.figures["spread"] == 0


def test_rounding_slip_of_a_hundredth_is_information():
    ev = rows(actual=[92.76], count=[448])
    [f] = findings(ev)
    assert f.severity == "info" and "0,01 điểm" in f.message


def test_a_bigger_slip_is_a_warning():
    ev = rows(actual=[33.34], count=[1])   # 1/3 = 33,33: off by 0,01 → information
    assert findings(ev)[0].severity == "info"
    ev = rows(actual=[33.36], count=[1])   # nearest 1/3 = 33,33: off by 0,03
    assert findings(ev)[0].severity == "warning"


# -- the base of a ratio ----------------------------------------------------------------------

BASES = [{"award": "cstdcs", "base": "ldtt", "source": "quy định thử", "file": "rules.yaml"}]


def test_two_bases_two_verdicts():
    ev = rows(target=["10..15", ">= 90"], actual=[16.0, 92.76], count=[72, 448],
              group=["đoàn viên", "đoàn viên"], award=["cstdcs", "dvcd_xs"])
    facts = audit.implied_totals(ev)
    [f] = audit.ratio_base_findings(ev, awards(), BASES, facts, {"cstdcs": 72, "ldtt": 448})
    assert f.severity == "warning"
    assert f.figures["bases"] == [448, 483] and f.figures["verdicts"] == ["exceeded", "met"]
    assert "16,07%" in f.message and "14,91%" in f.message


def test_bases_giving_the_same_verdict_are_information():
    ev = rows(target=["10..15", ">= 90"], actual=[12.0, 92.0], count=[60, 460],
              group=["đoàn viên", "đoàn viên"], award=["cstdcs", "dvcd_xs"])
    facts = audit.implied_totals(ev)
    [f] = audit.ratio_base_findings(ev, awards(), BASES, facts, {"cstdcs": 60, "ldtt": 480})
    assert f.severity == "info"


def test_no_declared_base_no_finding():
    ev = rows(target=["10..15"], actual=[16.0], count=[72], award=["cstdcs"])
    assert audit.ratio_base_findings(ev, awards(), [], audit.implied_totals(ev),
                                     {"cstdcs": 72, "ldtt": 448}) == []


def test_ratio_bases_read_from_rules_files(tmp_path: Path):
    year = tmp_path / "2030"
    year.mkdir()
    (tmp_path / "rules.yaml").write_text(
        "rules: []\nratio_bases:\n  - award: cstdcs\n    base: ldtt\n  - award: x\n",
        encoding="utf-8")
    declared: list = []
    read_problems: list = []
    load_rules([(tmp_path / "rules.yaml", "rules.yaml"), (year / "rules.yaml", "2030/rules.yaml")],
               read_problems, tmp_path, declared)  # read with the rules, bounded like them
    assert read_problems == []
    bases, problems = audit.ratio_bases(declared)
    assert [b["base"] for b in bases] == ["ldtt"]
    assert len(problems) == 1 and "base" in problems[0].message


# -- titles claimed while proposed --------------------------------------------------------------

def test_claimed_title_only_proposed():
    ev = rows(reported_status=["met", "met", "not_met"], award=["ttldxs", "ldtt", "ttldxs"],
              unit=["", "", ""])
    found = audit.claimed_titles(ev, awards(("ttldxs", "Tập thể lao động xuất sắc", 5,
                                             "proposed"),
                                            ("ldtt", "Lao động tiên tiến", 40, "granted")))
    assert [f.figures["id"] for f in found] == ["r0"]  # not the granted one, not the failure
    assert found[0].severity == "warning"


def test_a_row_counting_proposals_claims_nothing():
    ev = rows(reported_status=["met"], award=["ttldxs"], unit=[""],
              name=["Phòng được đề nghị công nhận Tập thể lao động xuất sắc"])
    assert audit.claimed_titles(ev, awards(("ttldxs", "TTLĐXS", 5, "proposed"))) == []


def test_claimed_title_granted_is_quiet():
    ev = rows(reported_status=["met"], award=["ttldxs"], unit=[""])
    assert audit.claimed_titles(ev, awards(("ttldxs", "TTLĐXS", 5, "proposed"),
                                           ("ttldxs", "TTLĐXS", 1, "granted"))) == []


# -- one count under two titles -----------------------------------------------------------------

def test_same_count_two_titles_is_information():
    [f] = audit.repeated_counts(awards(("ldtt", "Lao động tiên tiến", 448, "granted"),
                                       ("dvcd_xs", "Đoàn viên công đoàn xuất sắc", 448, "granted"),
                                       ("cstdcs", "CSTĐCS", 72, "granted")))
    assert f.severity == "info" and f.figures["count"] == 448


def test_small_or_proposed_counts_are_quiet():
    assert audit.repeated_counts(awards(("a", "A", 2, "granted"), ("b", "B", 2, "granted"),
                                        ("c", "C", 50, "granted"), ("d", "D", 50, "proposed"),
                                        )) == []


# -- parts ----------------------------------------------------------------------------------------

def test_parts_beyond_the_target():
    ev = rows(target=["= 12"], actual=[11.0], unit=["văn bản"],
              parts=["hoàn thành=11; dừng=3; bãi bỏ=1; đang thực hiện=15"])
    [f] = audit.parts_findings(ev)
    assert f.severity == "warning" and f.figures["sum"] == 30 and "12 văn bản" in f.message


def test_parts_not_adding_up_to_the_actual():
    ev = rows(actual=[10.0], unit=["cuộc"], parts=["xong=4; dở=5"])
    [f] = audit.parts_findings(ev)
    assert "không bằng số thực hiện" in f.message


def test_consistent_parts_are_quiet():
    ev = rows(target=[">= 8"], actual=[9.0], unit=["cuộc"], parts=["xong=6; dở=3"])
    assert audit.parts_findings(ev) == []
    ev = rows(target=["= 12"], actual=[11.0], unit=["văn bản"], parts=["xong=11; dở=1"])
    assert audit.parts_findings(ev) == []


def test_unreadable_parts_are_a_finding():
    [f] = audit.parts_findings(rows(actual=[3.0], unit=["cuộc"], parts=["ba cuộc"]))
    assert f.severity == "warning" and "tên=số" in f.message


# -- per-case averages ----------------------------------------------------------------------------

def test_uneven_average_is_not_reported():
    contrib = pd.DataFrame({"kind": ["support", "support"], "name": ["a", "b"],
                            "cases": [133, 6], "amount_vnd": [31_440_000, 36_000_000],
                            "per_case_vnd": [None, None]}).astype(
        {"cases": "Int64", "amount_vnd": "Int64", "per_case_vnd": "Int64"})
    per_case = [f for f in _contributions(contrib) if f.check == "per_case"]
    assert [f.figures["cases"] for f in per_case] == [6]


# -- a section's overall verdict --------------------------------------------------------------

def test_section_verdict_notes_only_what_is_still_pending():
    from tongket_lib.evaluation.checks import _stated_rollups

    ev = rows(section=["2", "2", "3", "3"], reported_status=["met", "met", "met", "in_progress"],
              kind=["duty"] * 4)
    sections = pd.DataFrame({"section": ["2", "3"], "reported_status": ["met", "met"],
                             "stated_rollup": [None, None]})
    found = _stated_rollups(ev, sections)
    assert [f.message.split(" ")[1] for f in found] == ["3"]   # 2 is all met: nothing to say
