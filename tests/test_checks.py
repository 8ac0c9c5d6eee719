"""Findings: on the 2024 data, and on copies broken one way at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from tongket_lib import evaluate_year, load_year, run_checks
from tongket_lib.evaluation.checks import has_errors

from .test_data import read_rows, set_cell, write_rows

AGENCY_CAP = """rules:
  - id: quy-che-rieng-cstdcs-15
    title: Số CSTĐCS không quá 15% số LĐTT (quy chế của cơ quan)
    source: Quy chế thi đua, khen thưởng của Sở
    quote: CSTĐCS không quá 15% LĐTT.
    in_force_from: 01/01/2024
    check: ratio_at_most
    numerator: cstdcs
    denominator: ldtt
    limit_percent: 15
    severity: error
"""


def by_check(findings, check):
    return [f for f in findings if f.check == check]


@pytest.fixture(scope="module")
def findings_2024():
    return run_checks(load_year(2024))


def test_2024_has_no_error_but_real_warnings(findings_2024):
    assert not has_errors(findings_2024)
    warnings = [f for f in findings_2024 if f.severity == "warning"]
    assert not any("ntm_xa_moi_truong" in f.where for f in warnings)   # 60% is a stretch goal
    assert any("1.2.f" in f.message for f in warnings)                 # "vượt" with not_met
    # 450 members from 72 at 16% against 483 from 448 at 92,76%: one finding, both totals
    [members] = [f for f in warnings if f.check == "implied_total"]
    assert "450" in members.message and "483" in members.message
    assert members.figures["spread"] == 33


def test_2024_implied_totals(findings_2024):
    totals = by_check(findings_2024, "implied_total")
    gvn = next(f for f in totals if "198" in f.message)
    assert gvn.severity == "info" and gvn.figures["totals"] == [211]
    dv = next(f for f in totals if f.message.startswith("448"))
    # 448 / 483 = 92,75%: a slip of 0,01 point in the rounding is information only
    assert dv.severity == "info" and dv.figures["totals"] == [] and "0,01 điểm" in dv.message
    assert 482.9 < dv.figures["total_low"] < 483 < 483.1


def test_2024_award_checks(findings_2024):
    share = by_check(findings_2024, "award_share")[0]
    assert share.severity == "info" and "16,07%" in share.message
    assert abs(share.figures["percent"] - 72 / 448 * 100) < 1e-9
    order = by_check(findings_2024, "award_order")
    assert len(order) == 2 and all(f.severity == "info" for f in order)
    assert by_check(findings_2024, "award_parts")[0].figures == {"total": 34, "parts": 34}


def test_2024_old_cap_does_not_fire(findings_2024):
    [rule] = by_check(findings_2024, "rule")
    assert rule.severity == "info" and "31/12/2023" in rule.message


def test_2024_sums(findings_2024):
    funds = next(f for f in by_check(findings_2024, "contribution_total")
                 if f.figures["kind"] == "fund")
    assert funds.figures["total"] == 486_771_474 and "486.771.474 đồng" in funds.message


def test_2024_stated_rollup_agrees(findings_2024):
    [f] = [f for f in by_check(findings_2024, "stated_rollup") if "1.1" in f.message]
    assert f.severity == "info"


def test_agency_cap_fires(data_copy: Path):
    (data_copy / "2024" / "rules.yaml").write_text(AGENCY_CAP, encoding="utf-8")
    findings = run_checks(load_year(2024, data_copy))
    fired = [f for f in by_check(findings, "rule") if f.severity == "error"]
    assert fired and "16,07%" in fired[0].message and "15%" in fired[0].message


def test_agency_cap_applies_to_its_organisation_only(data_copy: Path):
    (data_copy / "2024" / "rules.yaml").write_text(
        AGENCY_CAP + "    applies_to: Sở Nội vụ\n", encoding="utf-8")
    findings = run_checks(load_year(2024, data_copy))
    assert not [f for f in by_check(findings, "rule") if f.severity == "error"]


def test_old_cap_fires_on_2023(data_copy: Path):
    (data_copy / "2024").rename(data_copy / "2023")
    meta = data_copy / "2023" / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("year: 2024", "year: 2023"),
                    encoding="utf-8")
    findings = run_checks(load_year(2023, data_copy))
    [rule] = by_check(findings, "rule")
    assert rule.severity == "error" and "91/2017" in rule.message


def test_stated_rollup_mismatch_is_an_error(data_copy: Path):
    set_cell(data_copy / "2024" / "sections.csv", 3, "stated_rollup", "Đạt 04 chỉ tiêu")
    findings = run_checks(load_year(2024, data_copy))
    [f] = [f for f in by_check(findings, "stated_rollup") if "1.1" in f.message]
    assert f.severity == "error" and "Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu" in f.message


def test_more_cstdcs_than_ldtt_is_an_error(data_copy: Path):
    set_cell(data_copy / "2024" / "awards.csv", 9, "count", "500")
    findings = run_checks(load_year(2024, data_copy))
    assert [f for f in by_check(findings, "award_order") if f.severity == "error"]
    share = by_check(findings, "award_share")[0]
    assert share.severity == "warning"  # 500/448 is not the 16% the report states


def test_more_ttldxs_than_ttldtt_is_an_error(data_copy: Path):
    set_cell(data_copy / "2024" / "awards.csv", 2, "count", "40")
    findings = run_checks(load_year(2024, data_copy))
    errors = [f for f in by_check(findings, "award_order") if f.severity == "error"]
    assert errors and "Tập thể lao động xuất sắc" in errors[0].message


def test_parts_must_add_up(data_copy: Path):
    set_cell(data_copy / "2024" / "awards.csv", 5, "count", "10")
    [f] = by_check(run_checks(load_year(2024, data_copy)), "award_parts")
    assert f.severity == "error" and f.figures == {"total": 34, "parts": 35}


def test_per_case_must_multiply(data_copy: Path):
    set_cell(data_copy / "2024" / "contributions.csv", 9, "amount_vnd", "7000000")
    errors = [f for f in by_check(run_checks(load_year(2024, data_copy)), "per_case")
              if f.severity == "error"]
    assert errors and "6.000.000 đồng" in errors[0].message


def test_two_facts_implying_different_totals(data_copy: Path):
    path = data_copy / "2024" / "indicators.csv"
    rows = read_rows(path)
    h = rows[0]
    gvn = next(i for i, r in enumerate(rows) if r[0] == "gvndvn")
    rows[gvn][h.index("group")] = "đoàn viên"  # 198 at 93,8% → 211, not 483
    write_rows(path, rows)
    findings = by_check(run_checks(load_year(2024, data_copy)), "implied_total")
    assert any("đoàn viên" in f.message and "tổng số khác nhau" in f.message for f in findings)


def test_a_tiny_percentage_implies_a_huge_range_without_listing_it(data_copy: Path):
    # 448 at 0,0001% allows hundreds of millions of totals: described by its bounds,
    # never enumerated (that once ran the machine out of memory)
    path = data_copy / "2024" / "indicators.csv"
    rows = read_rows(path)
    h = rows[0]
    dv = next(i for i, r in enumerate(rows) if r[0] == "doan_vien_xuat_sac")
    rows[dv][h.index("actual")] = "0.0001"
    other = next(i for i, r in enumerate(rows) if r[0] == "gvndvn")
    rows[other][h.index("group")] = rows[dv][h.index("group")]  # two facts, one group
    write_rows(path, rows)
    totals = by_check(run_checks(load_year(2024, data_copy)), "implied_total")
    tiny = next(f for f in totals if "0,0001%" in f.message and "total_low" in f.figures)
    assert tiny.figures["total_low"] > 2.9e8 and len(tiny.figures["totals"]) == 20
    assert "448.000.000" in tiny.message
    assert any("tổng số khác nhau" in f.message for f in totals)  # 211 is not in that range


def test_a_stated_verdict_the_figures_contradict_is_a_warning(data_copy: Path):
    """The union's word is what the document prints; the preparer is warned, naming both
    (issue 21: it was information only, and the document printed the computed one)."""
    set_cell(data_copy / "2024" / "indicators.csv", 6, "actual", "13")  # 13 against = 12
    set_cell(data_copy / "2024" / "indicators.csv", 6, "reported_status", "met")
    year = load_year(2024, data_copy)
    [f] = [f for f in by_check(run_checks(year), "reported_vs_computed") if "qppl" in f.where]
    assert f.severity == "warning"
    assert "“Đạt chỉ tiêu”" in f.message and "“Vượt chỉ tiêu”" in f.message
    assert "above_minimum" in f.message  # đạt against vượt: the organisation's reading
    row = evaluate_year(year).loc[6]
    assert (row["status"], row["status_source"], row["computed_status"]) == (
        "met", "reported", "exceeded")
