"""Many units in one data folder: the register, the demo units and ``collect``."""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import zipfile
from pathlib import Path
from unittest import mock

import openpyxl
import pandas as pd
import pytest

from demo import make_demo
from tongket_lib import engine
from tongket_lib.cli.collect import add_collect_command
from tongket_lib.cli.options import unit_options
from tongket_lib.cli.units import resolve_units
from tongket_lib.dataset.excel import META_SHEET, export_excel
from tongket_lib.dataset.load import load_year
from tongket_lib.errors import DataError, ParameterError, TongketError
from tongket_lib.evaluation.checks import run_checks
from tongket_lib.evaluation.status import evaluate
from tongket_lib.units.collect import collect_workbooks as collect
from tongket_lib.units.register import is_multi_unit, load_units, select_units, unit_dir
from tongket_lib.units.send import export_units
from tongket_lib.units.workbooks import check_workbook
from tongket_lib.views.blocks import BANNER, header

from .conftest import run_cli

N_UNITS = 300
YEARS = (2023, 2024)
YEAR = 2024
SENT = 6  # units whose workbook is exported for the collect tests


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> tuple[Path, list[str]]:
    """A few hundred demo units, two years, made once."""
    root = tmp_path_factory.mktemp("units") / "don-vi"
    return root, [p.name for p in make_demo(root, YEARS, seed=7, units=N_UNITS)]


@pytest.fixture(scope="session")
def exported(demo, tmp_path_factory) -> dict[str, Path]:
    """The 2024 workbook of the first few units that have a 2024."""
    root, ids = demo
    out = tmp_path_factory.mktemp("xuat")
    have = [u for u in ids if (root / u / str(YEAR)).is_dir()][:SENT]
    return {u: export_excel(YEAR, root / u, out / f"tongket-{u}.xlsx") for u in have}


@pytest.fixture()
def inbox(exported, tmp_path) -> Path:
    """The workbooks as units send them: renamed, so only the key inside can match them."""
    folder = tmp_path / "thu-ve"
    folder.mkdir()
    for i, path in enumerate(exported.values(), start=1):
        shutil.copy(path, folder / f"bao-cao-tong-ket-{i}.xlsx")
    return folder


@pytest.fixture()
def upper(demo, tmp_path) -> Path:
    """An upper level's data folder with the register and no unit data yet."""
    root = tmp_path / "cap-tren"
    root.mkdir()
    shutil.copy(demo[0] / "units.csv", root / "units.csv")
    return root


def file_of(inbox: Path, unit: str) -> Path:
    return next(p for p in sorted(inbox.glob("*.xlsx")) if read_key(p) == unit)


def read_key(path: Path) -> str | None:
    sheet = openpyxl.load_workbook(path)[META_SHEET]
    return next((r[2] for r in sheet.iter_rows(values_only=True) if r[0] == "unit"), None)


def edit(path: Path, sheet_name: str, find_a: str | None, column: int | str, value) -> None:
    """Set one cell: in the row whose column A is ``find_a`` (or row 2), column ``column``
    (its number, or its header)."""
    book = openpyxl.load_workbook(path)
    sheet = book[sheet_name]
    row = next((c.row for c in sheet["A"] if c.value == find_a), 2) if find_a else 2
    if isinstance(column, str):
        column = [c.value for c in sheet[1]].index(column) + 1
    sheet.cell(row, column).value = value
    book.save(path)


# -- demo units -------------------------------------------------------------------------------

@pytest.mark.slow
def test_demo_units_are_many_and_varied(demo):
    root, ids = demo
    units = load_units(root)
    assert len(units) == N_UNITS == len(set(ids)) and list(units["id"]) == ids
    assert units["members"].std() > 10 and units["group"].nunique() >= 3
    assert all(root.joinpath(u).is_dir() for u in ids)
    have = {u: [y for y in YEARS if (root / u / str(y)).is_dir()] for u in ids}
    assert any(len(v) < len(YEARS) for v in have.values())  # some units miss a year
    not_met, money = set(), set()
    for unit in ids[:12]:
        for year in have[unit]:
            data = load_year(year, root / unit)
            assert data.synthetic and data.meta["unit"] == unit
            assert BANNER in header(data)
            not_met.add(int((evaluate(data.indicators)["status"] == "not_met").sum()))
            money.add(int(data.contributions["amount_vnd"].sum()))
    assert len(not_met) >= 3 and len(money) >= 10


@pytest.mark.slow
def test_demo_units_pass_the_data_checks(demo):
    root, ids = demo
    for unit in ids[-8:]:
        for year in YEARS:
            if (root / unit / str(year)).is_dir():
                found = run_checks(load_year(year, root / unit))
                assert not [f for f in found if f.severity == "error"], unit


def test_make_demo_units_refuses_real_data(tmp_path):
    (tmp_path / "2024").mkdir()
    with pytest.raises(ParameterError, match="không phải các đơn vị minh"):
        make_demo(tmp_path, [2024], units=2)


# -- the register ------------------------------------------------------------------------------

def register(tmp_path: Path, text: str) -> Path:
    (tmp_path / "units.csv").write_text(text, encoding="utf-8")
    return tmp_path


def problems(root: Path) -> list:
    with pytest.raises(DataError) as info:
        load_units(root)
    return info.value.problems


def test_register_reports_every_problem_with_row_and_column(tmp_path):
    root = register(tmp_path, "id,name,upper_union,active,members\n"
                              "cdcs-a,Công đoàn A,CĐVC tỉnh,true,12\n"
                              "cdcs-a,Công đoàn B,CĐVC tỉnh,có,\n"
                              "CĐ C,Công đoàn C,CĐVC tỉnh,maybe,-3\n")
    found = {(p.row, p.column): p.message for p in problems(root)}
    assert "bị trùng (cũng có ở dòng 3)" in found[(2, "id")]
    assert "“có” viết bằng mã là true" in found[(3, "active")]
    assert "maybe" in found[(4, "active")]
    assert "số âm" in found[(4, "members")]
    assert "ví dụ cd-c" in found[(4, "id")]


def test_register_missing_column_and_empty_register(tmp_path):
    root = register(tmp_path, "id,name\ncdcs-a,Công đoàn A\n")
    [p] = problems(root)
    assert p.column == "upper_union" and "thiếu cột bắt buộc" in p.message
    register(tmp_path, "id,name,upper_union\n")
    assert "chưa có đơn vị nào" in problems(tmp_path)[0].message


def test_register_takes_excel_headers_and_true_false_in_any_case(tmp_path):
    root = register(tmp_path, "Mã đơn vị,Tên đơn vị,Công đoàn cấp trên,Còn hoạt động\n"
                              "cdcs-a,Công đoàn A,CĐVC tỉnh,TRUE\n"
                              "cdcs-b,Công đoàn B,CĐVC tỉnh,False\n"
                              "cdcs-c,Công đoàn C,CĐVC tỉnh,\n")
    units = load_units(root)
    assert list(units["active"]) == [True, False, True]
    assert select_units(root, "all") == ["cdcs-a", "cdcs-c"]
    assert select_units(root, None) == ["cdcs-a", "cdcs-c"]
    assert select_units(root, "cdcs-b, cdcs-a") == ["cdcs-b", "cdcs-a"]
    with pytest.raises(ParameterError, match="Có phải “cdcs-c”"):
        select_units(root, "cdcs-a,cdcs-cc")


def test_single_layout_is_not_multi_unit(data_copy):
    assert not is_multi_unit(data_copy)
    with pytest.raises(ParameterError, match="không có units.csv"):
        select_units(data_copy, "all")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data")
    unit_options(parser)
    return parser.parse_args(argv)


@pytest.mark.slow
def test_resolve_units(demo, data_copy):
    root, ids = demo
    assert resolve_units(parse(["--data", str(data_copy)])) == [(None, data_copy)]
    with pytest.raises(ParameterError, match=f"có {N_UNITS} đơn vị"):
        resolve_units(parse(["--data", str(root)]))
    assert resolve_units(parse(["--data", str(root), "--unit", ids[3]])) == [
        (ids[3], unit_dir(root, ids[3]))]
    active = load_units(root)["active"]
    assert len(resolve_units(parse(["--data", str(root), "--units", "all"]))) == active.sum()
    with pytest.raises(ParameterError, match="--units"):
        resolve_units(parse(["--data", str(root), "--unit", f"{ids[0]},{ids[1]}"]))
    with pytest.raises(ParameterError, match="không có units.csv"):
        resolve_units(parse(["--data", str(data_copy), "--unit", ids[0]]))
    with pytest.raises(SystemExit):  # one or the other
        parse(["--unit", "a", "--units", "all"])


@pytest.mark.slow
def test_one_unit_commands_point_to_the_many_unit_ones(demo):
    root, ids = demo
    alone = run_cli("report", "2024", "--data", str(root))
    several = run_cli("report", "2024", "--data", str(root), "--units", f"{ids[0]},{ids[1]}")
    both = alone.stderr + several.stderr
    assert (alone.returncode, several.returncode) == (2, 2) and "Traceback" not in both
    assert "--unit MÃ" in alone.stderr and "--units all cho mọi đơn vị" not in alone.stderr
    assert both.count("tongket batch --units all") == 2
    imported = run_cli("excel", "import", "x.xlsx", "--year", "2024", "--data", str(root))
    assert imported.returncode == 2 and "tongket collect THƯ_MỤC --year KỲ" in imported.stderr


# -- collect -----------------------------------------------------------------------------------

def run_collect(*argv: str) -> int:
    """``tongket collect`` as the command line runs it (errors become an exit code)."""
    parser = argparse.ArgumentParser()
    add_collect_command(parser.add_subparsers())
    args = parser.parse_args(["collect", *argv])
    try:
        return args.func(args)
    except TongketError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return exc.exit_code


@pytest.mark.slow
def test_collect_files_good_workbooks_by_the_key_inside(demo, exported, inbox, upper, capsys):
    root, ids = demo
    assert run_collect(str(inbox), "--year", str(YEAR), "--data", str(upper)) == 0
    out = capsys.readouterr().out
    assert f"Đã nhận: {SENT} đơn vị" in out
    active = int(load_units(upper)["active"].sum())
    assert f"Chưa gửi: {active - SENT} đơn vị" in out and "… và" in out
    for unit in exported:
        got, sent = load_year(YEAR, upper / unit), load_year(YEAR, root / unit)
        pd.testing.assert_frame_equal(got.indicators, sent.indicators)
        assert got.meta == sent.meta and got.meta["unit"] == unit
    assert sorted(p.name for p in upper.iterdir()) == sorted([*exported, "units.csv"])


@pytest.mark.slow
def test_collect_again_is_unchanged_and_needs_force_to_replace(exported, inbox, upper, capsys):
    assert collect(inbox, YEAR, upper).exit_code == 0
    again = collect(inbox, YEAR, upper)
    assert len(again.unchanged) == SENT and not again.written and again.exit_code == 0
    unit = next(iter(exported))
    path = file_of(inbox, unit)
    edit(path, "Đóng góp, hỗ trợ", None, "Số tiền (đồng)", 123_456_000)   # a new amount, still valid
    before = (upper / unit / str(YEAR) / "contributions.csv").read_bytes()
    third = collect(inbox, YEAR, upper)
    [(failed, file, [problem])] = third.failed
    assert failed == unit and file == path and "--force" in problem.message
    assert third.exit_code == 1
    assert (upper / unit / str(YEAR) / "contributions.csv").read_bytes() == before
    forced = collect(inbox, YEAR, upper, force=True)
    [(written, _, backup)] = forced.written  # the others are unchanged: no needless backup
    assert written == unit and len(forced.unchanged) == SENT - 1
    assert backup is not None and (backup / "contributions.csv").read_bytes() == before
    assert "123456000" in (upper / unit / str(YEAR) / "contributions.csv").read_text()


@pytest.mark.slow
def test_collect_never_writes_a_bad_workbook(exported, inbox, upper):
    bad, good = list(exported)[:2]
    edit(file_of(inbox, bad), "Khen thưởng", None, "Số lượng", -5)
    result = collect(inbox, YEAR, upper)
    [(unit, path, found)] = result.failed
    assert unit == bad and path.parent == inbox
    assert any("số âm" in p.message and "Khen thưởng" in p.file for p in found)
    assert not (upper / bad).exists() and (upper / good / str(YEAR)).is_dir()
    assert result.exit_code == 1
    text = result.summary()
    assert f"Có lỗi, chưa ghi: 1 đơn vị\n  {bad}" in text and path.name in text
    leftovers = [p for p in upper.rglob(".*") if ".tmp-" in p.name or ".cmp-" in p.name]
    assert not leftovers


@pytest.mark.slow
def test_collect_wrong_year_is_an_error_of_that_unit(exported, inbox, upper):
    unit = next(iter(exported))
    edit(file_of(inbox, unit), META_SHEET, "year", 3, 2023)
    result = collect(inbox, YEAR, upper)
    [(failed, _, found)] = result.failed
    assert failed == unit and any("là 2023" in p.message for p in found)
    assert not (upper / unit).exists()


@pytest.mark.slow
def test_collect_refuses_a_workbook_of_a_unit_that_reports_by_school_year(demo, exported,
                                                                          inbox, upper):
    """A unit the register marks as reporting by school year gets no calendar year's
    folder from collect (excel import --unit refuses it too, and check would not see it),
    and is not listed as not having sent one; the other units are filed."""
    school, other = list(exported)[:2]
    register = pd.read_csv(upper / "units.csv", dtype=str, keep_default_na=False)
    register["period"] = ["nam-hoc" if u == school else "nam" for u in register["id"]]
    register.to_csv(upper / "units.csv", index=False)
    result = collect(inbox, YEAR, upper)
    [(unit, _, [problem])] = result.failed
    assert unit == school and "báo cáo theo năm học" in problem.message
    assert "cột period" in problem.message and not (upper / school).exists()
    assert (upper / other / str(YEAR)).is_dir() and school not in result.missing
    assert result.exit_code == 1


@pytest.mark.slow
def test_collect_foreign_duplicate_unknown_and_missing_keys(demo, exported, inbox, upper):
    root, ids = demo
    a, b, c, d = list(exported)[:4]
    edit(file_of(inbox, a), META_SHEET, "unit", 3, b)             # A's file says it is B's
    edit(file_of(inbox, c), META_SHEET, "unit", 3, c + "x")       # a typo
    d_file = file_of(inbox, d)
    edit(d_file, META_SHEET, "unit", 3, None)                     # no key at all
    named = inbox / f"{ids[-1]}.xlsx"                             # named after another unit
    file_of(inbox, list(exported)[4]).rename(named)
    result = collect(inbox, YEAR, upper)
    assert set(result.duplicated) == {b} and len(result.duplicated[b]) == 2
    assert [(k, h) for _, k, h in result.unknown] == [(c + "x", f" Có phải “{c}”?")]
    assert [p for p, _ in result.keyless] == [d_file]
    for unit in (a, b, c, d):
        assert not (upper / unit).exists()
    assert any(named.name in n for n in result.notes)
    assert result.exit_code == 1 and b not in result.missing and a in result.missing
    text = result.summary()
    assert "Sổ tính không xác định được đơn vị, chưa ghi: 4 tệp" in text
    assert "không có mã đơn vị" in text


@pytest.mark.slow
def test_collect_hostile_files_give_messages(inbox, upper, capsys):
    (inbox / "van-ban.xlsx").write_text("đây là văn bản, không phải sổ tính", encoding="utf-8")
    openpyxl.Workbook().save(inbox / "trong.xlsx")
    (inbox / "cu.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    good = inbox / "bao-cao-tong-ket-1.xlsx"
    (inbox / "hong.xlsx").write_bytes(good.read_bytes()[:3000])
    with zipfile.ZipFile(inbox / "zip-la.xlsx", "w") as z:
        z.writestr("xl/workbook.xml", "<khong-phai-xml")
    (inbox / "ghi-chu.txt").write_text("ảnh chụp", encoding="utf-8")
    (inbox / "~$bao-cao-tong-ket-1.xlsx").write_bytes(b"lock")
    shutil.copy(good, inbox / "bao-cao.sao-luu-20241204-093000.xlsx")  # export --force's copy
    code = run_collect(str(inbox), "--year", str(YEAR), "--data", str(upper))
    captured = capsys.readouterr()
    assert code == 1 and "Traceback" not in captured.out + captured.err
    out = captured.out
    for name in ("van-ban.xlsx", "trong.xlsx", "cu.xls", "hong.xlsx", "zip-la.xlsx"):
        assert f"  {name}: " in out, name
    assert "Excel 97-2003" in out and "Bỏ qua 2 tệp" in out and "~$" not in out
    assert f"Đã nhận: {SENT} đơn vị" in out


@pytest.mark.slow
def test_collect_in_rounds_names_subfolders_empty_files_and_units_in_before(
        exported, inbox, upper, tmp_path):
    first, second, *_ = exported
    later = inbox / "tuan-sau"  # a subfolder is not read: its workbook is not taken
    later.mkdir()
    file_of(inbox, first).rename(later / "ban-gui-lai.xlsx")
    (inbox / "tai-do.xlsx").write_bytes(b"")
    result = collect(inbox, YEAR, upper)
    assert result.subfolders == ["tuan-sau"] and first in result.missing
    assert len(result.written) == SENT - 1 and not result.earlier
    text = result.summary()
    assert "Không đọc 1 thư mục con (tuan-sau)" in text
    assert "tai-do.xlsx: tệp rỗng (0 byte)" in text and "BadZipFile" not in text

    round_two = tmp_path / "dot-2"  # the late unit's workbook, on its own
    round_two.mkdir()
    shutil.copy(later / "ban-gui-lai.xlsx", round_two)
    again = collect(round_two, YEAR, upper)
    assert [u for u, _, _ in again.written] == [first]
    assert second in again.earlier and first not in again.missing + again.earlier
    assert set(again.earlier) == {u for u, _, _ in result.written}
    assert not set(again.missing) & set(exported)
    assert f"Đã có số liệu năm {YEAR} từ trước, không gửi lần này: {SENT - 1} đơn vị." \
        in again.summary()

    only_inside = tmp_path / "chi-thu-muc-con"
    (only_inside / "thang-12").mkdir(parents=True)
    with pytest.raises(ParameterError, match="thư mục con \\(thang-12\\) không được đọc"):
        collect(only_inside, YEAR, upper)


@pytest.mark.slow
def test_excel_export_for_units_then_collect_takes_them_back(tmp_path):
    root = tmp_path / "don-vi"
    ids = [p.name for p in make_demo(root, YEARS, seed=11, units=5)]
    shutil.rmtree(root / ids[4] / str(YEAR), ignore_errors=True)  # this one has no 2024
    sent = tmp_path / "gui-don-vi"
    result = run_cli("excel", "export", str(YEAR), "--data", str(root), "--units", "all",
                     "-o", str(sent))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    have = [u for u in ids if (root / u / str(YEAR)).is_dir()]
    files = sorted(sent.glob("*.xlsx"))
    assert [p.stem for p in files] == sorted(have) and all(read_key(p) == p.stem for p in files)
    assert f"cho {len(have)} đơn vị" in result.stdout
    missing = [u for u in ids if u not in have]
    assert f"Chưa có thư mục năm {YEAR}: {len(missing)} đơn vị" in result.stdout
    assert f"tongket new-year {YEAR} --data {root} --units {','.join(missing)}" in result.stdout
    assert f"tongket collect THƯ_MỤC --year {YEAR} --data {root}" in result.stdout

    before = {p.name: p.read_bytes() for p in files}
    again = run_cli("excel", "export", str(YEAR), "--data", str(root), "--units", have[0],
                    "-o", str(sent))
    assert again.returncode == 1 and "--force" in again.stdout
    assert {p.name: p.read_bytes() for p in sent.glob("*.xlsx")} == before  # never replaced

    upper = tmp_path / "cap-tren"  # the upper level gets them back, renamed by the units
    upper.mkdir()
    shutil.copy(root / "units.csv", upper)
    inbox = tmp_path / "nhan-ve"
    inbox.mkdir()
    for i, path in enumerate(files):
        shutil.copy(path, inbox / f"bao-cao-{i}.xlsx")
    back = collect(inbox, YEAR, upper)
    assert sorted(u for u, _, _ in back.written) == sorted(have) and back.exit_code == 0
    for unit in have:
        pd.testing.assert_frame_equal(load_year(YEAR, upper / unit).indicators,
                                      load_year(YEAR, root / unit).indicators)
    on_engine = export_units(YEAR, root, tmp_path / "gui-2", ids, jobs=2)  # 2 workers
    assert sorted(u for u, _ in on_engine.written) == sorted(have) and not on_engine.failed
    assert on_engine.without_year == missing
    assert all(read_key(p) == u for u, p in on_engine.written)
    file = tmp_path / "mot-tep.xlsx"
    file.write_bytes(b"")
    wrong = run_cli("excel", "export", str(YEAR), "--data", str(root), "--units", "all",
                    "-o", str(file))
    assert wrong.returncode == 2 and "là một tệp" in wrong.stderr

    # the command the export printed makes the missing year; a unit that has it is reported
    kept = {p.name: p.read_bytes() for p in (root / have[0] / str(YEAR)).iterdir()}
    made = run_cli("new-year", str(YEAR), "--data", str(root), "--units",
                   ",".join([*missing, have[0]]))
    assert made.returncode == 1 and "Traceback" not in made.stderr, made.stderr
    assert f"Đã tạo khung dữ liệu năm {YEAR} cho {len(missing)} đơn vị" in made.stdout
    assert f"  {have[0]}: Đã có dữ liệu năm {YEAR}" in made.stdout
    assert all((root / unit / str(YEAR) / "meta.yaml").is_file() for unit in missing)
    assert {p.name: p.read_bytes() for p in (root / have[0] / str(YEAR)).iterdir()} == kept


@pytest.mark.slow
def test_collect_bad_usage_exits_2(inbox, upper, data_copy, tmp_path, capsys):
    assert run_collect(str(tmp_path / "khong-co"), "--year", "2024", "--data", str(upper)) == 2
    assert run_collect(str(inbox), "--year", "2024", "--data", str(data_copy)) == 2
    empty = tmp_path / "trong"
    empty.mkdir()
    assert run_collect(str(empty), "--year", "2024", "--data", str(upper)) == 2
    assert run_collect(str(inbox), "--year", "20x4", "--data", str(upper)) == 2
    err = capsys.readouterr().err
    assert "không có units.csv" in err and "không có sổ tính .xlsx" in err
    assert "Traceback" not in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.slow
def test_collect_shows_progress_on_a_terminal_never_in_a_pipe(inbox, upper, monkeypatch):
    for stream, wanted, drawn in ((_Terminal(), True, True), (io.StringIO(), True, False),
                                  (_Terminal(), False, False)):
        monkeypatch.setattr(sys, "stderr", stream)
        collect(inbox, YEAR, upper, progress=wanted, force=True)
        assert ("Đọc sổ tính" in stream.getvalue()) is drawn, (stream, wanted)


def test_one_progress_policy():
    """A bar from PROGRESS_FROM items on unless asked, and only where a person watches."""
    for total, wanted, stream, drawn in ((engine.PROGRESS_FROM, None, _Terminal(), True),
                                         (engine.PROGRESS_FROM - 1, None, _Terminal(), False),
                                         (1, True, _Terminal(), True),
                                         (500, True, io.StringIO(), False)):
        with mock.patch.object(sys, "stderr", stream):
            bar = engine.progress_bar(total, "Việc", "việc", wanted)
            bar.update()
            bar.close()
        assert bool(stream.getvalue()) is drawn, (total, wanted, stream)


@pytest.mark.slow
def test_read_workbook_is_excel_import_without_writing(exported, tmp_path):
    path = next(iter(exported.values()))
    book = check_workbook(path, YEAR)
    assert book.ok and book.unit == next(iter(exported))
    assert len(book.tables["indicators.csv"]) > 10
    assert not any(tmp_path.iterdir())


@pytest.mark.slow
def test_collect_takes_the_same_file_sent_twice_once(exported, inbox, upper):
    unit = next(iter(exported))
    first = file_of(inbox, unit)
    shutil.copy(first, inbox / "gui-lai.xlsx")
    result = collect(inbox, YEAR, upper)
    assert result.exit_code == 0 and not result.duplicated
    assert unit in [w[0] for w in result.written]
    assert any("gửi nhiều lần" in n and "gui-lai.xlsx" in n for n in result.notes)


@pytest.mark.slow
def test_collect_in_parallel_processes_gives_the_same_result(exported, inbox, upper, tmp_path):
    serial = tmp_path / "tuan-tu"
    serial.mkdir()
    shutil.copy(upper / "units.csv", serial)
    edit(file_of(inbox, next(iter(exported))), "Khen thưởng", None, "Số lượng", -5)
    one, two = collect(inbox, YEAR, serial), collect(inbox, YEAR, upper, jobs=2)
    assert one.summary().replace(str(serial), "X") == two.summary().replace(str(upper), "X")
    assert len(two.written) == SENT - 1 and two.exit_code == 1


def test_a_register_of_tens_of_thousands_of_units_loads(tmp_path):
    """A national federation's register is far longer than a year's files may be."""
    from tongket_lib.units.register import load_units

    lines = ["id,name,upper_union"] + [f"cd-{i:05d},Công đoàn cơ sở số {i},Liên đoàn tỉnh"
                                       for i in range(12_000)]
    (tmp_path / "units.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(load_units(tmp_path)) == 12_000


@pytest.mark.slow
def test_check_many_units_on_the_engine_each_in_register_order(demo, tmp_path):
    """check --units: every unit checked (on the engine's workers from ENGINE_FROM units on),
    printed in the register's order; one unit's bad data does not hide the others."""
    from tongket_lib.cli.check import ENGINE_FROM

    root = tmp_path / "cap-tren"
    shutil.copytree(demo[0], root)
    ids = [u for u in demo[1] if (root / u / str(YEAR)).is_dir()][:ENGINE_FROM + 2]
    broken = root / ids[1] / str(YEAR) / "awards.csv"
    broken.write_text(broken.read_text(encoding="utf-8").replace("\n", "\nxx,,,,-5\n", 1),
                      encoding="utf-8")
    result = run_cli("check", str(YEAR), "--data", str(root), "--units", ",".join(ids))
    assert result.returncode == 2, result.stderr  # one unit's data does not load
    out = result.stdout
    positions = [out.index(f"== Đơn vị {u} ==") for u in ids]
    assert positions == sorted(positions)
    assert out.count("Dữ liệu đúng định dạng") == len(ids) - 1
    assert "awards.csv" in out and "Traceback" not in result.stderr + out


@pytest.mark.slow
def test_collect_never_copies_a_rules_file_linked_from_outside(exported, inbox, upper, tmp_path):
    """A unit's year keeps its own rules.yaml when collected, but never one that is a link
    leading out of the data folder (as excel import refuses it)."""
    unit = next(iter(exported))
    secret = tmp_path / "ngoai" / "rules.yaml"
    secret.parent.mkdir()
    secret.write_text("rules: []\n", encoding="utf-8")
    year = upper / unit / str(YEAR)
    year.mkdir(parents=True)
    (year / "rules.yaml").symlink_to(secret)
    result = collect(inbox, YEAR, upper, force=True)
    assert [u for u, _, _ in result.failed] == [unit]
    assert "rules.yaml" in str(result.failed[0][2][0])
    assert (year / "rules.yaml").is_symlink() and not (year / "meta.yaml").exists()


@pytest.mark.slow
def test_excel_import_for_a_unit_refuses_another_units_workbook(demo, exported, upper):
    """``excel import --unit B`` of A's workbook would write A's figures into B's folder
    (and with --force, over B's own): refused as collect refuses it, naming both units
    and both fixes; A's workbook for A is imported."""
    a, b = list(exported)[:2]
    shutil.copy(demo[0] / "units.csv", upper / "units.csv")
    wrong = run_cli("excel", "import", str(exported[a]), "--year", str(YEAR),
                    "--data", str(upper), "--unit", b, "--force")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert f"sổ tính ghi mã đơn vị “{a}”" in wrong.stderr and f"--unit {a}" in wrong.stderr
    assert not (upper / b / str(YEAR)).exists()
    right = run_cli("excel", "import", str(exported[a]), "--year", str(YEAR),
                    "--data", str(upper), "--unit", a)
    assert right.returncode == 0, right.stderr
    assert load_year(YEAR, upper / a).meta["unit"] == a


def test_a_summary_refuses_the_formats_of_a_document_it_is_not(demo, tmp_path):
    """The summary is no văn bản: docx and phu-luc are refused before anything is built
    (phu-luc was taken, built nothing and replaced the earlier summary's pages)."""
    from tongket_lib.units.summary import render_summary

    for formats, said in ((("html", "phu-luc"), "phu-luc"), (("docx",), "docx")):
        with pytest.raises(ParameterError, match=f"không có {said}"):
            render_summary(YEAR, None, demo[0], tmp_path / "out", formats)
    assert not (tmp_path / "out").exists()
