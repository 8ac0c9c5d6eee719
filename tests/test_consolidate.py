"""Many units: the tidy tables against load_year + evaluate, reuse and rebuild of the
stored Parquet, coverage of missing and broken units, the Dask engine, the summary
notebook over a few hundred demo units."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from benchmarks.bench_units import make_units
from tongket_lib import engine
from tongket_lib.dataset.load import load_year
from tongket_lib.errors import DataError, ParameterError
from tongket_lib.evaluation.status import evaluate
from tongket_lib.units import compare, consolidate

YEARS = [2023, 2024]


@pytest.fixture(scope="module")
def client():
    """One local cluster of 2 workers for the whole module."""
    with engine.cluster(2) as c:
        yield c


@pytest.fixture(scope="module")
def units_template(tmp_path_factory) -> Path:
    return make_units(tmp_path_factory.mktemp("units") / "data", 6, YEARS, seed=11, groups=3)


@pytest.fixture()
def units(units_template, tmp_path) -> Path:
    """A writable copy of six perturbed demo units, two years each."""
    target = tmp_path / "data"
    shutil.copytree(units_template, target)
    return target


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for c in out:
        if isinstance(out[c].dtype, pd.CategoricalDtype) or out[c].dtype == "string":
            out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out


@pytest.mark.slow
def test_tidy_matches_load_year_and_evaluate(units, client):
    tidy = consolidate.build(units, client=client)
    assert sorted(tidy.coverage["state"].unique()) == ["received"]
    for unit in ("cd-00000", "cd-00004"):
        for year in YEARS:
            yd = load_year(year, units / unit)
            want = _plain(evaluate(yd.indicators).reset_index())
            got = _plain(tidy.indicators[(tidy.indicators["unit_id"] == unit)
                                         & (tidy.indicators["year"] == year)])
            got = got.sort_values("row").reset_index(drop=True)
            assert len(got) == len(want)
            for column in ("row", "id", "section", "name", "target", "unit", "direction",
                           "reported_status", "computed_status", "status", "status_source"):
                expected = [None if pd.isna(v) else v for v in want[column]]
                assert list(got[column]) == expected, column
            pd.testing.assert_series_equal(got["actual"], want["actual"], check_names=False)
            assert list(got["status_agrees"].astype(object)) == [
                None if pd.isna(v) else bool(v) for v in want["status_agrees"].astype(object)]
            assert set(got["unit_name"]) == {f"Công đoàn cơ sở Đơn vị số {int(unit[3:]) + 1}"}

            awards = tidy.awards[(tidy.awards["unit_id"] == unit) & (tidy.awards["year"] == year)]
            assert int(awards["count"].sum()) == int(yd.awards["count"].sum())
            assert sorted(awards["code"].astype(str)) == sorted(yd.awards["code"].astype(str))
            money = tidy.contributions[(tidy.contributions["unit_id"] == unit)
                                       & (tidy.contributions["year"] == year)]
            for kind, group in yd.contributions.groupby("kind", observed=True):
                row = money[money["kind"] == kind].iloc[0]
                assert int(row["amount_vnd"]) == int(group["amount_vnd"].sum())
                assert int(row["items"]) == len(group)


@pytest.mark.slow
def test_stored_tables_are_reused_until_a_file_changes(units, client):
    first = consolidate.build(units, client=client)
    assert not first.reused
    again = consolidate.build(units, client=client)
    assert again.reused and again.fingerprint == first.fingerprint
    pd.testing.assert_frame_equal(again.indicators, first.indicators)

    path = units / "cd-00002" / "2024" / "indicators.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = table.index[(table["unit"] == "%") & (table["actual"] != "")][0]
    table.loc[row, "actual"] = "12.5"
    table.to_csv(path, index=False)
    changed = consolidate.build(units, client=client)
    assert not changed.reused and changed.fingerprint != first.fingerprint
    ind = changed.indicators
    mask = ((ind["unit_id"] == "cd-00002") & (ind["year"] == 2024)
            & (ind["row"] == row + 2))
    assert ind.loc[mask, "actual"].tolist() == [12.5]


def _set_cell(path: Path, column: str, value: str) -> int:
    """Write ``value`` into ``column`` of the first row that has a value there; return
    that row's number as a spreadsheet shows it."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = table.index[table[column] != ""][0]
    table.loc[row, column] = value
    table.to_csv(path, index=False)
    return int(row) + 2


def _break(units: Path) -> dict:
    """Damage some unit-years in ways load_year rejects (and one it accepts)."""
    shutil.rmtree(units / "cd-00001" / "2024")                         # missing
    row = _set_cell(units / "cd-00002" / "2024" / "indicators.csv", "actual", "99,4")  # comma
    meta = units / "cd-00003" / "2023" / "meta.yaml"                    # a key twice
    meta.write_text(meta.read_text(encoding="utf-8") + "title: lần hai\n", encoding="utf-8")
    _set_cell(units / "cd-00004" / "2023" / "awards.csv", "count", "-5")  # a negative count
    # accepted by load_year: columns in another order and a Vietnamese header
    contributions = units / "cd-00005" / "2024" / "contributions.csv"
    frame = pd.read_csv(contributions, dtype=str, keep_default_na=False)
    frame = frame[list(reversed(frame.columns))].rename(columns={"name": "Nội dung"})
    frame.to_csv(contributions, index=False)
    return {"row": row, "cd-00001/2024": "missing", "cd-00002/2024": "error",
            "cd-00003/2023": "error", "cd-00004/2023": "error", "cd-00005/2024": "received"}


@pytest.mark.slow
def test_coverage_names_missing_and_broken_units(units, client):
    expected = _break(units)
    row = expected.pop("row")
    tidy = consolidate.build(units, client=client)
    cov = tidy.coverage.assign(
        key=lambda f: f["unit_id"].astype(str) + "/" + f["year"].astype(str))
    states = dict(zip(cov["key"], cov["state"], strict=True))
    for key, state in expected.items():
        assert states[key] == state, key
    assert sum(s == "received" for s in states.values()) == len(states) - 4
    # the same verdict as load_year for every unit-year, and its own problem lines
    for key, state in states.items():
        unit, year = key.split("/")
        if state == "missing":
            continue
        try:
            load_year(int(year), units / unit)
            assert state == "received", key
        except DataError as exc:
            assert state == "error", key
            problems = cov.loc[cov["key"] == key, "problems"].iloc[0]
            assert problems.splitlines() == [str(p) for p in exc.problems]
    comma = cov.loc[cov["key"] == "cd-00002/2024", "problems"].iloc[0]
    assert "indicators.csv" in comma and f"dòng {row}," in comma and "actual" in comma
    broken = set(tidy.indicators.loc[tidy.indicators["year"] == 2024, "unit_id"].astype(str))
    assert "cd-00002" not in broken and "cd-00005" in broken
    counts = compare.coverage_counts(tidy.coverage).set_index("year")
    assert counts.loc[2024, ["received", "error", "missing"]].tolist() == [4, 1, 1]


@pytest.mark.slow
def test_unit_selection_and_single_organisation(units, tmp_path, client):
    chosen = consolidate.build(units, "cd-00003,cd-00001", client=client)
    assert sorted(chosen.coverage["unit_id"].astype(str).unique()) == ["cd-00001", "cd-00003"]
    with pytest.raises(ParameterError, match="cd-99999"):
        consolidate.build(units, "cd-00001,cd-99999", client=client)

    from demo import make_demo

    make_demo(tmp_path / "one", years=[2023, 2024], seed=2)
    one = consolidate.build(tmp_path / "one", client=client)
    assert one.units == 1 and one.years == [2023, 2024]
    assert set(one.coverage["state"]) == {"received"} and one.synthetic
    assert len(one.indicators) == sum(len(load_year(y, tmp_path / "one").indicators)
                                      for y in (2023, 2024))


@pytest.mark.slow
def test_units_are_chosen_as_every_command_chooses_them(units, tmp_path, client):
    """"all" is every active unit; a unit named is taken even when inactive (as check,
    report and batch take it); a single organisation has no units to name."""
    from tongket_lib.units.register import select_units

    register = units / "units.csv"
    text = register.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    row = next(i for i, line in enumerate(text) if line.startswith("cd-00002,"))
    cells = text[row].split(",")
    cells[header.index("active")] = "false"
    text[row] = ",".join(cells)
    register.write_text("\n".join(text) + "\n", encoding="utf-8")

    everyone = consolidate.build(units, client=client)
    assert list(everyone.coverage.drop_duplicates("unit_id")["unit_id"].astype(str)) == \
        select_units(units, "all")
    assert "cd-00002" not in set(everyone.coverage["unit_id"].astype(str))
    named = consolidate.build(units, "cd-00002,cd-00001", client=client)
    assert list(named.coverage.drop_duplicates("unit_id")["unit_id"].astype(str)) == \
        ["cd-00002", "cd-00001"] == select_units(units, "cd-00002,cd-00001")
    assert named.folder != everyone.folder

    from demo import make_demo

    make_demo(tmp_path / "one", years=[2024], seed=2)
    with pytest.raises(ParameterError, match="units.csv"):
        consolidate.build(tmp_path / "one", "cd-00001", client=client)


@pytest.mark.slow
def test_ranking_and_watch_list_follow_the_stated_criteria(units, client):
    scores = compare.unit_scores(consolidate.build(units, client=client).of_year(2024).indicators)
    shares = scores["share_met"].tolist()
    assert shares == sorted(shares, reverse=True)
    assert scores["rank"].tolist() == list(range(1, len(scores) + 1))
    watch = compare.watch_list(scores, threshold=float(scores["share_met"].median()))
    assert (watch["share_met"] < scores["share_met"].median()).all()


def _fails_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("ba là số xấu")
    time.sleep(0.05)
    return x * x


@pytest.mark.slow
def test_engine_isolates_a_failing_item(client):
    assert len(client.scheduler_info()["workers"]) == 2
    mapped = engine.map_tasks(_fails_on_three, range(8), client=client)
    assert mapped.failures == {3: "ValueError: ba là số xấu"}
    assert [r for i, r in enumerate(mapped.results) if i != 3] == [0, 1, 4, 16, 25, 36, 49]
    # the items ran in the cluster's worker processes, wherever the scheduler put them
    workers = set(client.run(os.getpid).values())
    pids = engine.map_tasks(os.getpid, [()] * 6, star=True, client=client).results
    assert set(pids) <= workers and os.getpid() not in workers


def test_engine_rejects_a_malformed_scheduler_address(monkeypatch):
    monkeypatch.setenv(engine.SCHEDULER_ENV, "may-chu")
    with pytest.raises(ParameterError, match="tcp://"):
        engine.scheduler_address()


@pytest.mark.slow
def test_summary_notebook_over_hundreds_of_units(tmp_path):
    import papermill as pm

    from tongket_lib import paths

    root = make_units(tmp_path / "data", 300, YEARS, seed=5, groups=12)
    shutil.rmtree(root / "cd-00007" / "2024")
    (root / "cd-00011" / "2024" / "awards.csv").write_text("stream,title\n", encoding="utf-8")
    out = tmp_path / "tong_hop.ipynb"
    pm.execute_notebook(str(paths.notebooks_dir() / "tong_hop.ipynb"), str(out),
                        parameters={"year": 2024, "units": "all", "data_dir": str(root)},
                        cwd=str(paths.project_root()), progress_bar=False, kernel_name="python3")
    html = out.read_text(encoding="utf-8")
    assert "Dữ liệu minh họa – không phải số liệu thật" in html
    assert "cd-00011" in html and "cd-00007" in html  # listed: with errors, missing
    assert "298/300 đơn vị đã nộp báo cáo hợp lệ" in html
    assert html.count("data:image/png;base64") >= 6


def _edit(path: Path, change) -> None:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    changed = change(table)
    (table if changed is None else changed).to_csv(path, index=False)


def _row_where(table: pd.DataFrame, column: str, test) -> int:
    return int(table.index[table[column].map(test)][0])


def _set(table: pd.DataFrame, where: tuple, column: str, value: str) -> None:
    table.loc[_row_where(table, *where), column] = value


HOSTILE = {  # each damages one unit-year; load_year decides which are errors
    "direction code": ("indicators.csv", lambda t: t.__setitem__("direction", "cao")),
    "missing column": ("indicators.csv", lambda t: t.drop(columns="unit")),
    "duplicate id": ("indicators.csv", lambda t: t.loc.__setitem__((1, "id"), t.loc[0, "id"])),
    "bad target": ("indicators.csv", lambda t: t.loc.__setitem__((0, "target"), "chín mươi")),
    "percent over 100": ("indicators.csv", lambda t: _set(
        t, ("unit", lambda u: u == "%"), "actual", "120")),
    "direction against target": ("indicators.csv", lambda t: _set(
        t, ("target", lambda s: s.startswith(">=")), "direction", "lower")),
    "exceed_at under target": ("indicators.csv", lambda t: _set(
        t, ("target", lambda s: s.startswith(">=")), "exceed_at", "0.5")),
    "unknown section": ("indicators.csv", lambda t: t.loc.__setitem__((0, "section"), "9.9")),
    "id with accents": ("indicators.csv", lambda t: t.loc.__setitem__((0, "id"), "mã_số")),
    "empty name": ("indicators.csv", lambda t: t.loc.__setitem__((0, "name"), "")),
    "no indicators": ("indicators.csv", lambda t: t.drop(index=t.index)),
    "unknown column": ("awards.csv", lambda t: t.insert(0, "ghi_chu_them", "x")),
    "decimal count": ("awards.csv", lambda t: _set(t, ("count", bool), "count", "3.5")),
    "negative amount": ("contributions.csv", lambda t: _set(
        t, ("amount_vnd", bool), "amount_vnd", "-1")),
    "Vietnamese headers": ("contributions.csv", lambda t: t.rename(
        columns={"name": "Nội dung", "cases": "Số trường hợp"})),
}


def _hostile_files(folder: Path, case: str) -> None:
    if case == "meta without organisation":
        meta = folder / "meta.yaml"
        lines = meta.read_text(encoding="utf-8").splitlines()
        meta.write_text("\n".join(x for x in lines if not x.startswith("organisation:")) + "\n",
                        encoding="utf-8")
    elif case == "meta of another year":
        meta = folder / "meta.yaml"
        text = meta.read_text(encoding="utf-8")
        meta.write_text(text.replace(f"year: {folder.name}", "year: 1999"), encoding="utf-8")
    elif case == "broken rules.yaml":
        (folder / "rules.yaml").write_text("rules: [\n", encoding="utf-8")
    elif case == "UTF-16 awards":
        text = (folder / "awards.csv").read_text(encoding="utf-8")
        (folder / "awards.csv").write_bytes(text.encode("utf-16"))
    elif case == "BOM and semicolons":
        text = (folder / "sections.csv").read_text(encoding="utf-8")
        table = pd.read_csv(folder / "sections.csv", dtype=str, keep_default_na=False)
        text = table.to_csv(index=False, sep=";")
        (folder / "sections.csv").write_text("\ufeff" + text, encoding="utf-8")
    else:
        name, change = HOSTILE[case]
        _edit(folder / name, change)


CASES = [*HOSTILE, "meta without organisation", "meta of another year", "broken rules.yaml",
         "UTF-16 awards", "BOM and semicolons"]


@pytest.mark.slow
def test_fast_path_never_accepts_what_load_year_rejects(tmp_path, client):
    root = make_units(tmp_path / "data", len(CASES) // 2 + 1, YEARS, seed=13)
    damaged = {}
    for i, case in enumerate(CASES):
        unit, year = f"cd-{i // 2:05d}", YEARS[i % 2]
        _hostile_files(root / unit / str(year), case)
        damaged[f"{unit}/{year}"] = case
    tidy = consolidate.build(root, client=client)
    cov = tidy.coverage.assign(
        key=lambda f: f["unit_id"].astype(str) + "/" + f["year"].astype(str))
    errors = 0
    for key, state, problems in zip(cov["key"], cov["state"], cov["problems"], strict=True):
        unit, year = key.split("/")
        try:
            yd = load_year(int(year), root / unit)
        except DataError as exc:
            errors += 1
            assert state == "error", (key, damaged.get(key))
            assert problems.splitlines() == [str(p) for p in exc.problems]
            continue
        assert state == "received", (key, damaged.get(key))
        got = tidy.indicators[(tidy.indicators["unit_id"] == unit)
                              & (tidy.indicators["year"] == int(year))]
        assert len(got) == len(yd.indicators), key
    assert errors >= len(CASES) - 3  # only the harmless spellings load
    # and the fast path itself took every untouched unit-year (not load_year)
    from tongket_lib.units.folders import BulkRead

    keys = cov[["key"]].assign(year=cov["year"].astype(int), folder=[
        str(root / k) for k in cov["key"]]).reset_index(drop=True)
    fast = BulkRead(keys, list(range(len(keys))), set())
    clean = {i for i, k in enumerate(keys["key"]) if k not in damaged}
    assert clean and not (clean & fast.slow)
    assert {i for i, k in enumerate(keys["key"]) if cov["state"].iloc[i] == "error"} <= fast.slow


def _summary_args(*argv: str):
    import argparse

    from tongket_lib.cli.summary import add_summary_command

    parser = argparse.ArgumentParser()
    add_summary_command(parser.add_subparsers())
    return parser.parse_args(["summary", *argv])


@pytest.mark.slow
def test_summary_command_refuses_bad_input_before_any_kernel(units, tmp_path):
    from tongket_lib.cli.summary import cmd_summary

    out = tmp_path / "out"
    for argv, words in ((["2024", "--units", "cd-00001,khong-co"], "khong-co"),
                        (["2019"], "2023, 2024"),
                        (["2024", "--format", "docx"], "docx")):
        args = _summary_args(*argv, "--data", str(units), "--out", str(out), "-j", "1") \
            if "-j" not in argv else _summary_args(*argv, "--data", str(units), "--out", str(out))
        with pytest.raises(ParameterError, match=words) as caught:
            cmd_summary(args)
        assert caught.value.exit_code == 2
    with pytest.raises(SystemExit) as usage:  # -j as every command reads it: from 1 up
        _summary_args("2024", "--data", str(units), "-j", "0")
    assert usage.value.code == 2
    assert not (out / "tong-hop-2024").exists() and not (out / "tong-hop-2019").exists()
