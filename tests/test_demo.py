"""The demonstration dataset: reproducible, valid, and shaped to show every feature."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from demo import (
    DEFAULT_SEED,
    DEFAULT_YEARS,
    DESIGNED_TRENDS,
    DISAGREEMENTS,
    DROPPED,
    NEW,
    NOTE,
    ORGANISATION,
    RENAMED,
    make_demo,
)
from tongket_lib import targets as T
from tongket_lib.dataset.load import load_year
from tongket_lib.errors import ParameterError
from tongket_lib.evaluation.checks import run_checks
from tongket_lib.evaluation.status import evaluate

from .conftest import DATA, ROOT

YEARS = list(DEFAULT_YEARS)


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "demo"
    make_demo(out)
    return out


@pytest.fixture(scope="module")
def loaded(demo):
    return {y: load_year(y, demo) for y in YEARS}


def granted(year_data, code: str, states=("granted",)) -> int:
    a = year_data.awards
    return int(a.loc[(a["code"] == code) & a["part"].isna() & a["state"].isin(states),
                     "count"].sum())


# -- reproducible -------------------------------------------------------------------------

@pytest.mark.slow
def test_same_seed_gives_identical_bytes(demo, tmp_path):
    make_demo(tmp_path / "again")
    assert files(tmp_path / "again") == files(demo)


@pytest.mark.slow
def test_another_seed_gives_other_numbers(demo, tmp_path):
    make_demo(tmp_path / "other", seed=DEFAULT_SEED + 1)
    other, base = files(tmp_path / "other"), files(demo)
    assert other.keys() == base.keys()
    assert other["2024/indicators.csv"] != base["2024/indicators.csv"]


def test_committed_demo_is_what_the_script_generates(demo):
    committed = DATA / "demo"
    assert committed.is_dir(), "chạy: python scripts/make_demo.py"
    assert files(committed) == files(demo), "data/demo cũ: chạy lại python scripts/make_demo.py"


# -- valid and marked as made up -------------------------------------------------------------

def test_every_year_loads_and_is_marked_synthetic(loaded, demo):
    for year, yd in loaded.items():
        assert yd.synthetic and yd.meta["year"] == year
        assert NOTE in yd.meta["notes"]
        assert yd.meta["organisation"] == ORGANISATION
        assert 25 <= len(yd.indicators) <= 40
    every = "".join(p.read_text(encoding="utf-8") for p in demo.rglob("*") if p.is_file())
    assert "Trà Vinh" not in every and "STNMT" not in every
    assert "không phải số liệu thật" in (demo / "README.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_any_range_of_years(tmp_path):
    written = make_demo(tmp_path / "long", years=range(2017, 2025), seed=7)
    assert [p.name for p in written] == [str(y) for y in range(2017, 2025)]
    for year in range(2017, 2025):
        assert load_year(year, tmp_path / "long").synthetic
    assert [p.name for p in make_demo(tmp_path / "one", years=[2030], seed=7)] == ["2030"]


# -- shaped like the real data ---------------------------------------------------------------

def test_ids_stable_except_the_designed_rename_new_and_dropped(loaded):
    ids = {y: yd.indicators["id"].tolist() for y, yd in loaded.items()}
    everywhere = set.intersection(*map(set, ids.values()))
    anywhere = set.union(*map(set, ids.values()))
    assert anywhere - everywhere == {NEW, DROPPED}
    assert [NEW in ids[y] for y in YEARS] == [False, False, True, True]
    assert [DROPPED in ids[y] for y in YEARS] == [True, True, False, False]
    names = pd.concat([yd.indicators.assign(year=y) for y, yd in loaded.items()])
    renamed = names.groupby("id")["name"].nunique()
    assert renamed[renamed > 1].index.tolist() == [RENAMED]
    assert names.groupby("id")["section"].nunique().max() == 1
    # the order of the sections is the report's, every year
    for yd in loaded.values():
        order = yd.sections["section"].tolist()
        assert order[:4] == ["1", "1.1", "1.2", "1.2.a"] and order[-2:] == ["3.1", "3.2"]


def test_target_kinds_units_directions_and_reported_only_rows(loaded):
    ind = pd.concat([yd.indicators for yd in loaded.values()])
    kinds = {T.parse_target(t).kind for t in ind["target"].dropna().astype(str)}
    assert kinds == set(T.KINDS)
    assert {"%", "văn bản", "hồ sơ", "cuộc", "người"} <= set(ind["unit"].dropna())
    assert set(ind["direction"].dropna()) == {"higher", "lower"}
    reported_only = ind[ind["actual"].isna()]["reported_status"].astype(object)
    assert {"met", "in_progress", "expected", "not_assessed"} <= set(reported_only.dropna())


def test_reported_verdicts_agree_except_the_deliberate_ones(loaded):
    disagreements = []
    for year, yd in loaded.items():
        ev = evaluate(yd.indicators)
        off = ev[ev["status_agrees"].eq(False).fillna(False).astype(bool)]
        disagreements += [(i, year) for i in off["id"]]
    designed = {(i, YEARS[p]) for i, p in DISAGREEMENTS}
    assert set(disagreements) == designed and len(disagreements) == len(designed)


def test_stated_rollup_matches_the_data(loaded):
    for yd in loaded.values():
        stated = [f for f in run_checks(yd) if f.check == "stated_rollup"]
        assert len(stated) == 1 and stated[0].severity == "info", stated


def test_counts_and_groups_follow_a_slowly_changing_membership(loaded):
    totals = {}
    for _year, yd in loaded.items():
        ind = yd.indicators.set_index("id")
        for ident, group in (("doan_vien_xuat_sac", "đoàn viên"), ("gvndvn", "đoàn viên nữ")):
            row = ind.loc[ident]
            assert row["group"] == group and pd.notna(row["count"])
            total = round(int(row["count"]) * 100 / row["actual"])
            assert round(int(row["count"]) * 100 / total, 2) == row["actual"]
            totals.setdefault(ident, []).append(total)
            assert int(row["count"]) == granted(yd, row["award"])
        assert not any(f.severity != "info" for f in run_checks(yd) if f.check == "implied_total")
    for series in totals.values():
        assert all(abs(b - a) <= 6 for a, b in zip(series, series[1:], strict=False)), totals


def test_award_orders_parts_and_the_15_percent_cap(loaded):
    shares = []
    for yd in loaded.values():
        cstdcs, ldtt = granted(yd, "cstdcs"), granted(yd, "ldtt")
        assert 0 < cstdcs <= ldtt
        both = ("granted", "proposed")
        assert granted(yd, "ttldxs", both) <= granted(yd, "ttldtt", both)
        shares.append(cstdcs / ldtt)
        assert set(yd.awards["stream"]) == {"government", "union"}
        assert {"central", "province", "agency"} <= set(yd.awards["level"])
        findings = run_checks(yd)
        assert not [f for f in findings if f.check in ("award_order", "award_parts")
                    and f.severity != "info"]
        assert any(f.check == "award_parts" for f in findings)
    assert all(0.12 <= s <= 0.165 for s in shares), shares
    assert any(s > 0.15 for s in shares) and any(s <= 0.15 for s in shares)
    fired = [y for y, yd in loaded.items()
             if any(f.check == "rule" and "Vi phạm" in f.message for f in run_checks(yd))]
    assert fired and len(fired) < len(YEARS)


def test_decisions_numbered_dated_and_listed(loaded):
    for year, yd in loaded.items():
        listed = {d["number"]: d["date"] for d in yd.meta["decisions"]}
        assert any(n.endswith("/QĐ-SKHCN") for n in listed)
        for date in listed.values():
            assert date.year == year and (date.month == 12 or date.month == 11 and date.day >= 15)
        used = {n.strip() for cell in yd.awards["decision"].dropna() for n in cell.split(";")}
        assert used and used <= set(listed)
        assert yd.awards.loc[yd.awards["state"] == "granted", "decision"].notna().all()


def test_contributions(loaded):
    for yd in loaded.values():
        c = yd.contributions
        funds, support = c[c["kind"] == "fund"], c[c["kind"] == "support"]
        assert 3 <= len(funds) <= 6 and 2 <= len(support) <= 4
        assert (funds["amount_vnd"] >= 10**6).all()
        assert (support["cases"] * support["per_case_vnd"] == support["amount_vnd"]).all()
        assert not [f for f in run_checks(yd) if f.check == "per_case" and f.severity == "error"]


@pytest.mark.slow
def test_designed_trend_classes(tmp_path):
    trends = pytest.importorskip("tongket_lib.evaluation.trends")
    for years, seed in ((YEARS, DEFAULT_SEED), (range(2017, 2025), 3), (range(2023, 2025), 11)):
        out = tmp_path / f"d{seed}"
        make_demo(out, years, seed)
        progress = trends.progress(trends.load_years(list(years), out).indicators)
        got = progress.set_index("id")["progress"].to_dict()
        assert {i: got.get(i) for i in DESIGNED_TRENDS} == DESIGNED_TRENDS
        assert set(DESIGNED_TRENDS.values()) == set(trends.PROGRESS_CLASSES)


# -- refusing real data, regenerating -----------------------------------------------------------

def test_refuses_a_folder_with_real_data(data_copy):
    before = files(data_copy)
    with pytest.raises(ParameterError, match="không phải minh họa"):
        make_demo(data_copy)
    assert files(data_copy) == before


@pytest.mark.slow
def test_regenerating_replaces_the_demo_and_removes_other_years(tmp_path):
    out = tmp_path / "demo"
    make_demo(out, years=range(2017, 2025), seed=1)
    make_demo(out)
    assert sorted(p.name for p in out.iterdir()) == [*map(str, YEARS), "README.md", "rules.yaml"]
    assert files(out) == files(DATA / "demo")



# -- many units: the same generator -------------------------------------------------------------

@pytest.mark.slow
def test_units_are_derived_from_the_organisations_years(tmp_path):
    root = tmp_path / "don-vi"
    folders = make_demo(root, [2023, 2024], seed=3, units=4)
    register = pd.read_csv(root / "units.csv", dtype=str, keep_default_na=False)
    assert folders == [root / unit for unit in register["id"]]
    make_demo(tmp_path / "demo", [2023, 2024], seed=3)
    organisation = load_year(2024, tmp_path / "demo")
    for folder in folders:
        for year in (2023, 2024):
            if (folder / str(year)).is_dir():
                unit = load_year(year, folder)
                assert unit.synthetic and unit.meta["unit"] == folder.name
    first = load_year(2024, folders[0])  # the first unit reports every year
    assert list(first.indicators["id"]) == list(organisation.indicators["id"])
    assert first.meta["organisation"] == register["name"][0].removeprefix("Công đoàn cơ sở ")
    again = tmp_path / "again"
    make_demo(again, [2023, 2024], seed=3, units=4)
    assert files(again) == files(root)
    make_demo(root, [2024], seed=3, units=2)  # regenerated in place
    assert (root / "units.csv").read_text(encoding="utf-8").count("\n") == 3


def test_units_refuse_a_folder_with_other_data(data_copy):
    before = files(data_copy)
    with pytest.raises(ParameterError, match="không phải các đơn vị minh họa"):
        make_demo(data_copy, [2024], units=2)
    with pytest.raises(ParameterError, match="một đơn vị và một năm"):
        make_demo(data_copy, [2024], units=0)
    assert files(data_copy) == before


@pytest.mark.slow
def test_the_script(tmp_path, data_copy):
    script = ROOT / "scripts" / "make_demo.py"
    done = subprocess.run([sys.executable, str(script), "--out", str(tmp_path / "d"), "--years",
                           "2022-2023", "--seed", "5"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Đã tạo dữ liệu minh họa (2 năm" in done.stdout
    assert load_year(2023, tmp_path / "d").synthetic
    refused = subprocess.run([sys.executable, str(script), "--out", str(data_copy)],
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2 and refused.stderr.startswith("Lỗi:")
    units = subprocess.run([sys.executable, str(script), "--units", "2", "--years", "2024",
                            "--out", str(tmp_path / "u")], capture_output=True, text=True,
                           timeout=300)
    assert units.returncode == 0, units.stderr
    assert units.stdout.startswith("Đã tạo 2 đơn vị minh họa")
    assert (tmp_path / "u" / "units.csv").is_file()
