"""The report's data is loaded and checked once, by the kernel that runs the notebook.

Before any cell runs the kernel loads the years (``dataset.shared.prepare``) and tells the
render what their files say, or every problem with its file, row and column; the
notebook's ``load_year`` then takes the year from there, once. The render's own process
never imports pandas; when the kernel cannot tell, the render loads the data itself and
says the same. On the seed and on another organisation (the demo agency)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tongket_lib import load_year
from tongket_lib.dataset import shared
from tongket_lib.errors import DataError
from tongket_lib.render import kernel as kernel_module
from tongket_lib.render.job import render_report

from .conftest import DATA, ROOT
from .test_data import set_cell
from .test_zygote import text


@pytest.fixture(params=["seed", "demo"])
def organisation(request, tmp_path) -> tuple[Path, str]:
    """A writable data folder and its period: the seed's 2024, or the demo agency's 2023."""
    if request.param == "seed":
        root = tmp_path / "data"
        shutil.copytree(DATA / "2024", root / "2024")
        shutil.copy(DATA / "rules.yaml", root / "rules.yaml")
        return root, "2024"
    from demo import make_demo

    make_demo(tmp_path / "demo", [2023])
    return tmp_path / "demo", "2023"


def test_prepare_tells_what_the_files_say_and_gives_the_year_once(organisation):
    root, year = organisation
    fresh = load_year(year, root)  # loaded from the files, as a process without prepare
    told = json.loads(shared.prepare([year], str(root)))
    assert told == {year: {"title": fresh.meta.get("title", ""),
                           "organisation": fresh.meta.get("organisation", ""),
                           "checksum": fresh.checksum}}
    first = load_year(year, root)  # the one prepare loaded
    again = load_year(year, root)  # loaded from the files: the notebook's two copies differ
    assert first is not again
    for name in ("indicators", "awards", "contributions", "sections", "plan"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(fresh, name))
        pd.testing.assert_frame_equal(getattr(again, name), getattr(fresh, name))


def test_a_year_changed_after_prepare_is_read_from_its_files(organisation):
    root, year = organisation
    told = json.loads(shared.prepare([year], str(root)))[year]
    meta = root / year / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "\n# sửa sau khi nạp\n", encoding="utf-8")
    loaded = load_year(year, root)  # the new bytes, not the year prepare loaded
    assert loaded.checksum != told["checksum"]
    assert loaded.meta == load_year(year, root).meta


def test_prepare_tells_each_problem_with_its_file_row_and_column(organisation):
    root, year = organisation
    set_cell(root / year / "indicators.csv", 3, "actual", "99,4")
    set_cell(root / year / "indicators.csv", 4, "direction", "tang-len")
    told = json.loads(shared.prepare([year, "2031"], str(root)))
    problems = told[year]["problems"]
    assert {(Path(p["file"]).name, p["row"], p["column"]) for p in problems} == {
        ("indicators.csv", 3, "actual"), ("indicators.csv", 4, "direction")}
    assert "2 lỗi" in told[year]["heading"]
    assert "Không tìm thấy dữ liệu" in told["2031"]["heading"]
    with pytest.raises(DataError) as raised:  # what the notebook's own load would raise
        load_year(year, root)
    assert [(p.row, p.column) for p in raised.value.problems] == [
        (p["row"], p["column"]) for p in problems]


@pytest.mark.slow
def test_bad_data_stops_the_render_with_each_place_whoever_loads_it(organisation, tmp_path,
                                                                     monkeypatch):
    root, year = organisation
    set_cell(root / year / "indicators.csv", 3, "actual", "99,4")
    out = tmp_path / "out"
    with pytest.raises(DataError) as by_kernel:
        render_report(year, root, out)
    # a kernel that cannot tell (tongket not importable there, say): the render loads it
    monkeypatch.setattr(kernel_module.Booted, "evaluate", lambda self, *a, **k: None)
    with pytest.raises(DataError) as by_render:
        render_report(year, root, out)
    assert str(by_kernel.value) == str(by_render.value)
    assert [(p.row, p.column) for p in by_kernel.value.problems] == [(3, "actual")]
    assert not (out / year).exists() or not any((out / year).iterdir())


@pytest.mark.slow
def test_a_report_is_the_same_when_the_render_loads_the_data_itself(organisation, tmp_path,
                                                                    monkeypatch):
    root, year = organisation
    by_kernel = render_report(year, root, tmp_path / "a", formats=("html",))
    monkeypatch.setattr(kernel_module.Booted, "evaluate", lambda self, *a, **k: None)
    by_render = render_report(year, root, tmp_path / "b", formats=("html",))
    assert by_kernel.findings == by_render.findings
    page = text(by_kernel.html)
    assert page == text(by_render.html)
    facts = shared.facts(load_year(year, root))
    assert facts["title"] and facts["title"] in page  # the year's own report, whole


@pytest.mark.slow
def test_the_report_command_never_imports_pandas(organisation, tmp_path):
    root, year = organisation
    probe = ("import sys\n"
             "from tongket_lib.cli import main\n"
             f"code = main(['report', {year!r}, '--data', {str(root)!r}, '--out',"
             f" {str(tmp_path / 'out')!r}])\n"
             "print('PANDAS' if 'pandas' in sys.modules else 'NO-PANDAS', code)\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["NO-PANDAS", "0"], done.stdout
    assert (tmp_path / "out" / year / f"bao-cao-{year}.pdf").is_file()
