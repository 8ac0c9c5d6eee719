"""Loading and validating a year folder: the real 2024 data and every kind of bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest

from tongket_lib.dataset.layout import available_years
from tongket_lib.dataset.load import load_year
from tongket_lib.errors import DataError, ParameterError

# -- helpers ------------------------------------------------------------------------------

def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set a cell by spreadsheet row number (header = 1) and column name."""
    rows = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def problems_of(year: int, data: Path) -> list:
    with pytest.raises(DataError) as info:
        load_year(year, data)
    return info.value.problems


def one(problems: list, file: str, row: int | None, column: str | None):
    """The problem at file/row/column; fails listing all problems if there is none."""
    found = [p for p in problems
             if p.file.endswith(file) and p.row == row and p.column == column]
    assert found, "không thấy lỗi ở " + f"{file}/{row}/{column}:\n" + "\n".join(map(str, problems))
    return found[0]


# -- the real data --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def y2024():
    return load_year(2024)


def test_real_2024_loads_with_types(y2024):
    ind = y2024.indicators
    assert y2024.year == 2024 and len(ind) > 50
    assert ind["actual"].dtype == "float64"
    assert str(y2024.awards["count"].dtype) == "Int64"
    assert str(y2024.contributions["amount_vnd"].dtype) == "Int64"
    assert ind["id"].is_unique
    assert ind.index.name == "row" and ind.index[0] == 2  # spreadsheet rows


def test_real_2024_spot_checks(y2024):
    ind = y2024.indicators.set_index("id")
    assert ind.loc["cstdcs_ty_le", "actual"] == 16
    assert ind.loc["cstdcs_ty_le", "target"] == "10..15"
    assert ind.loc["doan_vien_xuat_sac", "actual"] == 92.76
    assert ind.loc["gvndvn", "actual"] == 93.8
    assert ind.loc["tthc_dung_han", "section"] == "1.2.d"
    assert ind.loc["khong_vi_pham_ky_luat", "actual"] == 3
    assert (ind["section"] == "1.1").sum() == 4

    aw = y2024.awards
    main = aw[aw["part"].isna()]
    assert int(main.loc[main["code"] == "cstdcs", "count"].sum()) == 72
    assert int(main.loc[main["code"] == "ldtt", "count"].sum()) == 448
    assert int(aw.loc[(aw["code"] == "ttldtt") & aw["part"].isna(), "count"].iloc[0]) == 34
    assert int(aw.loc[aw["code"] == "gvndvn", "count"].iloc[0]) == 198
    assert set(aw["stream"]) == {"government", "union"}

    c = y2024.contributions
    assert int(c.loc[c["kind"] == "fund", "amount_vnd"].sum()) == 486_771_474
    assert len(c[c["kind"] == "fund"]) == 5

    meta = y2024.meta
    assert meta["organisation"] == "Sở Tài nguyên và Môi trường tỉnh Trà Vinh"
    numbers = {d["number"]: d["date"] for d in meta["decisions"]}
    assert numbers["481/QĐ-STNMT"] == dt.date(2024, 11, 29)
    assert numbers["491/QĐ-STNMT"] == dt.date(2024, 12, 4)
    assert "Công đoàn Viên chức tỉnh" in meta["recipients"]
    assert meta["signatory"]["on_behalf"] == "TM. BAN CHẤP HÀNH"
    assert len(y2024.checksum) == 64


def test_available_years():
    assert 2024 in available_years()


# -- bad input: one test per case ---------------------------------------------------------

def test_year_folder_missing(data_copy):
    [p] = problems_of(2031, data_copy)
    assert "2031" in p.file and "2024" in p.message and "new-year" in p.message


def test_data_folder_missing(tmp_path):
    [p] = problems_of(2024, tmp_path / "khong-co")
    assert "khong-co" in p.file


def test_bad_year_argument():
    with pytest.raises(ParameterError, match="4 chữ số"):
        load_year("hai-không-hai-tư")


def test_missing_file(data_copy):
    (data_copy / "2024" / "awards.csv").unlink()
    p = one(problems_of(2024, data_copy), "awards.csv", None, None)
    assert "thiếu tệp" in p.message and "stream" in p.message


def test_missing_meta(data_copy):
    (data_copy / "2024" / "meta.yaml").unlink()
    assert "meta.yaml" in one(problems_of(2024, data_copy), "meta.yaml", None, None).message


def test_missing_column(data_copy):
    path = data_copy / "2024" / "indicators.csv"
    rows = read_rows(path)
    i = rows[0].index("unit")
    write_rows(path, [r[:i] + r[i + 1:] for r in rows])
    p = one(problems_of(2024, data_copy), "indicators.csv", 1, "unit")
    assert "thiếu cột bắt buộc" in p.message


def test_direction_left_empty_comes_from_the_target(data_copy):
    path = data_copy / "2024" / "indicators.csv"
    rows = read_rows(path)
    i = rows[0].index("direction")
    write_rows(path, [r[:i] + r[i + 1:] for r in rows])  # no direction column at all
    ind = load_year(2024, data_copy).indicators
    assert ind.loc[3, "direction"] == "lower"  # "<= 0": no violation
    assert ind.loc[2, "direction"] == "higher"  # "= 100"


def test_unknown_column_suggests(data_copy):
    path = data_copy / "2024" / "awards.csv"
    rows = read_rows(path)
    rows[0][rows[0].index("count")] = "cuont"
    write_rows(path, rows)
    problems = problems_of(2024, data_copy)
    p = one(problems, "awards.csv", 1, "cuont")
    assert "cột lạ" in p.message and "count" in p.message
    one(problems, "awards.csv", 1, "count")  # and the required one is missing


def test_empty_required_value(data_copy):
    set_cell(data_copy / "2024" / "indicators.csv", 5, "name", "")
    p = one(problems_of(2024, data_copy), "indicators.csv", 5, "name")
    assert "thiếu giá trị" in p.message


def test_decimal_comma_is_rejected_with_the_fix(data_copy):
    set_cell(data_copy / "2024" / "indicators.csv", 7, "actual", "99,4")
    p = one(problems_of(2024, data_copy), "indicators.csv", 7, "actual")
    assert p.value == "99,4" and "99.4" in p.message


def test_grouped_thousands_are_rejected_with_the_fix(data_copy):
    set_cell(data_copy / "2024" / "contributions.csv", 2, "amount_vnd", "39.030.000")
    p = one(problems_of(2024, data_copy), "contributions.csv", 2, "amount_vnd")
    assert "39030000" in p.message


def test_not_a_number(data_copy):
    set_cell(data_copy / "2024" / "awards.csv", 9, "count", "bảy mươi hai")
    p = one(problems_of(2024, data_copy), "awards.csv", 9, "count")
    assert "bảy mươi hai" in p.message


@pytest.mark.parametrize("file, row, column, value, words", [
    ("awards.csv", 4, "count", "３４", "chữ số thường 0–9"),           # fullwidth digits
    ("contributions.csv", 2, "amount_vnd", "٣٩٠٣٠٠٠٠", "chữ số thường 0–9"),  # Arabic-Indic
    ("contributions.csv", 2, "amount_vnd", "99999999999999999999", "quá lớn"),
    ("indicators.csv", 6, "actual", "1e400", "quá lớn"),
    ("indicators.csv", 6, "actual", "inf", "không phải là một con số"),
])
def test_numbers_that_only_look_like_numbers(data_copy, file, row, column, value, words):
    set_cell(data_copy / "2024" / file, row, column, value)
    p = one(problems_of(2024, data_copy), file, row, column)
    assert words in p.message and value in p.message


def test_unknown_verdict_code(data_copy):
    set_cell(data_copy / "2024" / "indicators.csv", 2, "reported_status", "đạt")
    p = one(problems_of(2024, data_copy), "indicators.csv", 2, "reported_status")
    assert "met" in p.message and "not_met" in p.message


def test_unknown_choice_in_awards(data_copy):
    set_cell(data_copy / "2024" / "awards.csv", 3, "recipient", "group")
    p = one(problems_of(2024, data_copy), "awards.csv", 3, "recipient")
    assert "individual" in p.message


def test_target_that_does_not_parse(data_copy):
    set_cell(data_copy / "2024" / "indicators.csv", 2, "target", "khoảng chừng")
    p = one(problems_of(2024, data_copy), "indicators.csv", 2, "target")
    assert "khoảng chừng" in p.message


def test_target_phrase_is_accepted_as_notation(data_copy):
    set_cell(data_copy / "2024" / "indicators.csv", 2, "target", "90% trở lên")
    yd = load_year(2024, data_copy)
    assert yd.indicators.loc[2, "target"] == ">= 90"


def test_duplicate_id(data_copy):
    path = data_copy / "2024" / "indicators.csv"
    set_cell(path, 4, "id", read_rows(path)[4][0])
    problems = problems_of(2024, data_copy)
    p = one(problems, "indicators.csv", 4, "id")
    assert "trùng" in p.message and "5" in p.message
    one(problems, "indicators.csv", 5, "id")


def test_negative_count(data_copy):
    set_cell(data_copy / "2024" / "awards.csv", 9, "count", "-72")
    p = one(problems_of(2024, data_copy), "awards.csv", 9, "count")
    assert "âm" in p.message


def test_negative_amount(data_copy):
    set_cell(data_copy / "2024" / "contributions.csv", 3, "amount_vnd", "-5")
    one(problems_of(2024, data_copy), "contributions.csv", 3, "amount_vnd")


def test_percent_outside_range(data_copy):
    set_cell(data_copy / "2024" / "indicators.csv", 8, "actual", "120")
    p = one(problems_of(2024, data_copy), "indicators.csv", 8, "actual")
    assert "0–100" in p.message


def test_percent_target_outside_range(data_copy):
    set_cell(data_copy / "2024" / "indicators.csv", 2, "target", ">= 150")
    one(problems_of(2024, data_copy), "indicators.csv", 2, "target")


@pytest.mark.parametrize("changes, column, words", [
    ({"target": "<= 0", "direction": "higher"}, "direction", "Sửa thành lower"),
    ({"target": ">= 90", "direction": "lower"}, "direction", "Sửa thành higher"),
    ({"target": ">= 90", "exceed_at": "80"}, "exceed_at", "thấp hơn chỉ tiêu >= 90"),
    ({"target": "10..15", "exceed_at": "20"}, "exceed_at", "chỉ dùng với chỉ tiêu dạng"),
])
def test_direction_and_exceed_at_must_fit_the_target(data_copy, changes, column, words):
    path = data_copy / "2024" / "indicators.csv"
    for name, value in changes.items():
        set_cell(path, 42, name, value)
    p = one(problems_of(2024, data_copy), "indicators.csv", 42, column)
    assert words in p.message


def test_id_without_accents_or_spaces(data_copy):
    set_cell(data_copy / "2024" / "indicators.csv", 5, "id", "học tập quán triệt")
    p = one(problems_of(2024, data_copy), "indicators.csv", 5, "id")
    assert "hoc_tap_quan_triet" in p.message


@pytest.mark.parametrize("file, row, column, value, words", [
    ("awards.csv", 4, "recipient", "Tập thể", "mã là collective"),  # the label, not the code
    ("awards.csv", 4, "count", "3.500", ": 3500"),  # thousands grouped in a whole number
    ("contributions.csv", 2, "amount_vnd", "39 030 000", ": 39030000"),
])
def test_hints_for_vietnamese_ways_of_writing(data_copy, file, row, column, value, words):
    set_cell(data_copy / "2024" / file, row, column, value)
    p = one(problems_of(2024, data_copy), file, row, column)
    assert words in p.message


def test_data_option_pointing_at_a_year_folder(data_copy):
    with pytest.raises(DataError) as info:
        load_year(2024, data_copy / "2024")
    assert f"--data {data_copy}" in str(info.value)


def test_meta_year_mismatch(data_copy):
    meta = data_copy / "2024" / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("year: 2024", "year: 2023"),
                    encoding="utf-8")
    p = one(problems_of(2024, data_copy), "meta.yaml", 3, "year")
    assert "2023" in p.message and "2024" in p.message


def test_meta_not_yaml(data_copy):
    meta = data_copy / "2024" / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "garbage: [\n", encoding="utf-8")
    [p] = problems_of(2024, data_copy)  # one problem: the YAML, not its consequences
    assert p.file.endswith("meta.yaml") and p.row and "YAML" in p.message


@pytest.mark.parametrize("text, words", [
    ("title: a\n\tissuer: b\n", "Tab"),
    ("title: a: b\n", "ngoặc kép"),
    ("title: \"a\n", "ngoặc kép đóng"),
    ("title: a\n---\ntitle: b\n", "“---”"),
])
def test_yaml_mistakes_are_explained_in_vietnamese(data_copy, text, words):
    meta = data_copy / "2024" / "meta.yaml"
    meta.write_text(text, encoding="utf-8")
    [p] = problems_of(2024, data_copy)
    assert words in p.message and "found" not in p.message and "expected" not in p.message


def test_a_missing_meta_key_is_one_problem(data_copy):
    meta = data_copy / "2024" / "meta.yaml"
    meta.write_text("".join(line for line in meta.read_text(encoding="utf-8").splitlines(True)
                            if not line.startswith("title:")), encoding="utf-8")
    [p] = problems_of(2024, data_copy)
    assert "thiếu khóa bắt buộc “title”" in p.message


def test_a_yaml_key_given_twice(data_copy):
    meta = data_copy / "2024" / "meta.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text + "title: Tiêu đề thứ hai\n", encoding="utf-8")
    [p] = problems_of(2024, data_copy)
    assert "“title” xuất hiện hai lần" in p.message and p.row == len(text.splitlines()) + 1


def test_yaml_in_another_encoding_gets_yaml_advice(data_copy):
    meta = data_copy / "2024" / "meta.yaml"
    meta.write_bytes(meta.read_text(encoding="utf-8").encode("utf-16"))
    [p] = problems_of(2024, data_copy)
    assert "UTF-16" in p.message and "trình soạn thảo" in p.message and "CSV" not in p.message
    meta.write_text("", encoding="utf-8")
    [p] = problems_of(2024, data_copy)
    assert "tệp rỗng" in p.message and "tiêu đề" not in p.message


def test_meta_bad_date(data_copy):
    meta = data_copy / "2024" / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("29/11/2024", "31/02/2024", 1),
                    encoding="utf-8")
    problems = problems_of(2024, data_copy)
    assert any("31/02/2024" in p.message and p.row for p in problems)


@pytest.mark.parametrize("codec, words", [("utf-16", "UTF-16"), ("cp1258", "Windows-1258")])
def test_not_utf8(data_copy, codec, words):
    path = data_copy / "2024" / "indicators.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode(codec, errors="replace"))
    p = one(problems_of(2024, data_copy), "indicators.csv",
            None if codec == "utf-16" else 2, None)
    assert words in p.message and "CSV UTF-8" in p.message


def test_utf8_bom_is_accepted(data_copy):
    path = data_copy / "2024" / "awards.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    yd = load_year(2024, data_copy)
    assert "stream" in yd.awards.columns


def test_combining_accents_are_normalised(data_copy):
    import unicodedata
    path = data_copy / "2024" / "awards.csv"
    path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")),
                    encoding="utf-8")
    aw = load_year(2024, data_copy).awards
    assert "Giỏi việc nước, đảm việc nhà" in set(aw["title"])  # NFC
    assert int(aw.loc[aw["code"] == "gvndvn", "count"].iloc[0]) == 198


def test_empty_file(data_copy):
    (data_copy / "2024" / "contributions.csv").write_text("", encoding="utf-8")
    p = one(problems_of(2024, data_copy), "contributions.csv", None, None)
    assert "rỗng" in p.message


def test_header_only_file_is_valid(data_copy):
    path = data_copy / "2024" / "contributions.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert load_year(2024, data_copy).contributions.empty


def test_indicators_with_only_a_header_is_an_error(data_copy):
    path = data_copy / "2024" / "indicators.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    p = one(problems_of(2024, data_copy), "indicators.csv", 2, None)
    assert "chưa có chỉ tiêu nào" in p.message


def test_trailing_unnamed_empty_columns_are_ignored(data_copy):
    path = data_copy / "2024" / "awards.csv"  # what Excel's "used range" leaves behind
    path.write_text("".join(line + ",,\n" for line in
                            path.read_text(encoding="utf-8").splitlines()), encoding="utf-8")
    assert len(load_year(2024, data_copy).awards) > 10
    rows = read_rows(path)
    rows[2][-1] = "x"  # an unnamed column that holds data is reported, the empty one is not
    write_rows(path, rows)
    problems = problems_of(2024, data_copy)
    p = one(problems, "awards.csv", 1, f"cột thứ {len(rows[0])}")
    assert "không có tên" in p.message and len(problems) == 1


def test_tab_separated_and_long_cells_up_to_excels_limit_are_read(data_copy):
    path = data_copy / "2024" / "indicators.csv"
    rows = read_rows(path)
    rows[5][rows[0].index("note")] = ("dài " * 9000)[:32767]  # Excel's limit for one cell
    buf = io.StringIO()
    csv.writer(buf, delimiter="\t", lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    assert load_year(2024, data_copy).indicators.loc[6, "note"].startswith("dài dài")


def test_a_cell_longer_than_excel_allows_is_refused_with_its_line(data_copy):
    path = data_copy / "2024" / "indicators.csv"
    rows = read_rows(path)
    rows[5][rows[0].index("note")] = "x" * 32768
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    p = one(problems_of(2024, data_copy), "indicators.csv", 6, None)
    assert "32.767 ký tự" in p.message


def test_a_folder_where_a_file_should_be(data_copy):
    path = data_copy / "2024" / "awards.csv"
    path.unlink()
    path.mkdir()
    p = one(problems_of(2024, data_copy), "awards.csv", None, None)
    assert "là một thư mục" in p.message


def test_ragged_row(data_copy):
    path = data_copy / "2024" / "contributions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] += ",thừa,thừa nữa"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = one(problems_of(2024, data_copy), "contributions.csv", 3, None)
    assert "ngoặc kép" in p.message


def test_all_problems_in_one_pass(data_copy):
    set_cell(data_copy / "2024" / "indicators.csv", 7, "actual", "99,4")
    set_cell(data_copy / "2024" / "awards.csv", 9, "count", "-1")
    set_cell(data_copy / "2024" / "contributions.csv", 2, "kind", "quỹ")
    problems = problems_of(2024, data_copy)
    assert {Path(p.file).name for p in problems} >= {"indicators.csv", "awards.csv",
                                                     "contributions.csv"}


def test_unknown_section(data_copy):
    set_cell(data_copy / "2024" / "indicators.csv", 2, "section", "9.9")
    p = one(problems_of(2024, data_copy), "indicators.csv", 2, "section")
    assert "sections.csv" in p.message


def test_minimal_year_without_optional_files(tmp_path):
    """Only the four required files with only the required columns: valid."""
    year = tmp_path / "2030"
    year.mkdir()
    (year / "meta.yaml").write_text("year: 2030\norganisation: Cơ quan A\ntitle: Tổng kết\n",
                                    encoding="utf-8")
    (year / "indicators.csv").write_text(
        "id,section,section_title,name,target,actual,unit,direction,reported_status,note,source\n"
        "a,1,Mục 1,Tỷ lệ A,>= 90,95,%,higher,,,\n", encoding="utf-8")
    (year / "awards.csv").write_text(
        "stream,granted_by,title,recipient,count,state,decision\n"
        "union,Công đoàn cơ sở,Lao động tiên tiến,individual,10,granted,\n", encoding="utf-8")
    (year / "contributions.csv").write_text("kind,name,cases,amount_vnd,note\n", encoding="utf-8")
    yd = load_year(2030, tmp_path)
    assert yd.indicators.loc[2, "actual"] == 95
    assert yd.sections.empty and yd.rules == []
    assert pd.isna(yd.indicators.loc[2, "exceed_at"])


def test_rules_file_problems_are_reported(data_copy):
    (data_copy / "2024" / "rules.yaml").write_text(
        "rules:\n  - id: x\n    title: T\n    source: S\n    in_force_from: 32/13/2024\n"
        "    check: ratio_at_most\n    numerator: cstdcs\n    denominator: ldtt\n"
        "    limit_percent: 15\n", encoding="utf-8")
    problems = problems_of(2024, data_copy)
    assert any("rules.yaml" in p.file and p.column == "in_force_from" for p in problems)


def test_write_then_load_gives_the_same_year(tmp_path, y2024):
    from tongket_lib.dataset.schema import CSV_FILES
    from tongket_lib.dataset.store import save_year

    tables = {s.name: getattr(y2024, s.name.removesuffix(".csv")) for s in CSV_FILES}
    assert save_year(2024, y2024.meta, tables, tmp_path) is None
    again = load_year(2024, tmp_path)
    for spec in CSV_FILES:
        name = spec.name.removesuffix(".csv")
        pd.testing.assert_frame_equal(getattr(again, name), getattr(y2024, name))
    assert again.meta == y2024.meta


def test_save_year_never_overwrites_without_force(tmp_path, y2024):
    from tongket_lib.dataset.store import save_year

    tables = {"indicators.csv": y2024.indicators, "awards.csv": y2024.awards,
              "contributions.csv": y2024.contributions}
    save_year(2024, y2024.meta, tables, tmp_path)
    with pytest.raises(ParameterError, match="--force"):
        save_year(2024, y2024.meta, tables, tmp_path)
    backup = save_year(2024, y2024.meta, tables, tmp_path, force=True)
    assert backup is not None and backup.name.startswith("2024.sao-luu-")
    assert (backup / "indicators.csv").is_file() and load_year(2024, tmp_path)


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_folder_replaced_without_a_backup_is_replaced_whole(tmp_path, monkeypatch, exchange):
    from tongket_lib import system
    from tongket_lib.dataset import store

    if not exchange:  # no renameat2 (not Linux, an old kernel): renamed aside, then removed
        monkeypatch.setattr(system, "_libc", lambda: None)
    target = tmp_path / "2024"
    target.mkdir()
    (target / "cu.csv").write_text("cũ")

    def write(folder: Path) -> None:
        (folder / "moi.csv").write_text("mới")

    assert store.replace_atomically(target, write, folder=True, keep_backup=False) is None
    assert [p.name for p in target.iterdir()] == ["moi.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["2024"]  # nothing left beside
    assert store.leftovers(target) == []

    def fail(folder: Path) -> None:
        (folder / "nua-chung.csv").write_text("…")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        store.replace_atomically(target, fail, folder=True, keep_backup=False)
    assert [p.name for p in target.iterdir()] == ["moi.csv"]  # the good folder is intact
    assert [p.name for p in tmp_path.iterdir()] == ["2024"]
