"""The workbook an office worker fills: labels and drop-down lists, cells to fill marked
and the rest protected, rows added anywhere read back (with ids made), Vietnamese
numbers, targets in the union's words, and every value that cannot be read named."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter, range_boundaries

from tongket_lib import load_year
from tongket_lib.dataset import schema as S
from tongket_lib.dataset.excel import HELP_SHEET, LISTS_SHEET, META_SHEET, export_excel, import_excel
from tongket_lib.dataset.excel.look import INPUT_FILL, LIST_ROWS, LOCKED_FILL
from tongket_lib.dataset.excel.sheets import sheet_fields
from tongket_lib.dataset.excel.values import choice_code, fold
from tongket_lib.dataset.store import write_year
from tongket_lib.errors import DataError
from tongket_lib.vocab import VIETNAMESE_WORDS

from .conftest import DATA, run_cli
from .test_excel import column, edit

ESSENTIAL = ["Mục", "Tên chỉ tiêu", "Loại", "Chỉ tiêu", "Thực hiện", "Đơn vị tính",
             "Kết quả (ghi bằng lời)", "Báo cáo đánh giá", "Giải thích"]


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory) -> Path:
    return export_excel(2024, DATA, tmp_path_factory.mktemp("xuat") / "tongket-2024.xlsx")


@pytest.fixture()
def book(seed_book, tmp_path) -> Path:
    return Path(shutil.copy(seed_book, tmp_path / "so-lieu.xlsx"))


def put(sheet, row: int, values: dict[str, object]) -> None:
    """Type ``values`` (by header label) into ``row``."""
    for label, value in values.items():
        sheet.cell(row, column(sheet, label), value)


def next_row(sheet) -> int:
    """The first empty row under a data sheet's table, where a person types a new one."""
    return max((r for r, row in enumerate(sheet.iter_rows(values_only=True), start=1)
                if any(v is not None for v in row)), default=1) + 1


def listed(book, formula: str) -> list[str]:
    """The values a drop-down list's range holds."""
    sheet, cells = formula.split("!")
    ws = book[sheet.strip("'")]
    lo_col, lo_row, hi_col, hi_row = range_boundaries(cells.replace("$", ""))
    return [ws.cell(r, lo_col).value for r in range(lo_row, hi_row + 1)]


def validations(sheet) -> dict[str, object]:
    """Each data validation by the column letter of its range."""
    out = {}
    for dv in sheet.data_validations.dataValidation:
        for ref in str(dv.sqref).split():
            out[re.sub(r"\d", "", ref.split(":")[0])] = dv
    return out


# -- how it looks, what is protected ------------------------------------------------------------

def test_essential_columns_first_choices_as_labels_with_their_lists(seed_book):
    wb = openpyxl.load_workbook(seed_book)
    ind = wb[S.INDICATORS.label]
    assert [c.value for c in ind[1]][:len(ESSENTIAL)] == ESSENTIAL
    assert ind.freeze_panes == "A2"
    lists = wb[LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    total = 0
    for spec in S.CSV_FILES:
        sheet = wb[spec.label]
        assert [c.value for c in sheet[1]] == [f.label for f in sheet_fields(spec)]
        rules = validations(sheet)
        for col, field in enumerate(sheet_fields(spec), start=1):
            letter = get_column_letter(col)
            if field.kind != S.CHOICE:
                continue
            rule = rules[letter]
            assert rule.type == "list" and str(rule.sqref) == f"{letter}2:{letter}{LIST_ROWS}"
            assert rule.showErrorMessage and LISTS_SHEET in rule.formula1
            assert listed(wb, rule.formula1) == list(field.choice_labels.values()), field.name
            for cell in sheet[letter][1:]:  # every cell shows a label, never a code
                assert cell.value is None or cell.value in field.choice_labels.values()
            total += 1
    assert total == sum(f.kind == S.CHOICE for s in S.CSV_FILES for f in s.fields)
    status = ind[get_column_letter(column(ind, "Báo cáo đánh giá"))]
    assert {c.value for c in status[1:]} - {None} <= {"Vượt", "Đạt", "Không đạt", "Ước đạt",
                                                        "Đang thực hiện", "Đang đề nghị",
                                                        "Chưa đánh giá", "Không thực hiện"}
    assert listed(wb, validations(ind)[get_column_letter(column(ind, "Báo cáo đánh giá"))]
                  .formula1) == ["Vượt", "Đạt", "Không đạt", "Không thực hiện", "Ước đạt",
                                 "Đang thực hiện", "Đang đề nghị", "Chưa đánh giá"]
    direction = validations(ind)[get_column_letter(column(ind, "Chiều tốt"))]
    assert listed(wb, direction.formula1) == ["Cao hơn là tốt", "Thấp hơn là tốt"]
    state = validations(wb[S.AWARDS.label])[
        get_column_letter(column(wb[S.AWARDS.label], "Trạng thái"))]
    assert listed(wb, state.formula1) == ["Đã công nhận", "Đang đề nghị"]
    codes = {"met", "higher", "granted", "collective", "paragraph", "indicator", "fund"}
    for spec in S.CSV_FILES:  # no code in any cell a person reads
        for row in wb[spec.label].iter_rows(min_row=2, values_only=True):
            assert not codes & set(row), (spec.label, row)
    # the plan offers the indicators' ids, the unit column the units used
    plan = wb[S.PLAN.label]
    ids = listed(wb, validations(plan)[get_column_letter(column(plan, "Mã"))].formula1)
    assert "doan_vien_xuat_sac" in ids and len(ids) == 68


def test_cells_to_fill_are_marked_ids_and_headers_locked_sheets_protected(seed_book):
    wb = openpyxl.load_workbook(seed_book)
    for sheet in wb.worksheets:
        assert sheet.protection.sheet and not sheet.protection.password, sheet.title
        assert sheet.protection.insertRows is False and sheet.protection.deleteRows is False
    for spec in S.CSV_FILES:
        sheet = wb[spec.label]
        for col, field in enumerate(sheet_fields(spec), start=1):
            letter = get_column_letter(col)
            assert sheet.cell(1, col).protection.locked, (spec.label, field.name)
            made = bool(field.made_from)
            dimension = sheet.column_dimensions[letter]  # rows added later: the column's look
            assert dimension.protection.locked == made, (spec.label, field.name)
            assert dimension.fill.fgColor.rgb.endswith(LOCKED_FILL if made else INPUT_FILL)
            assert 10 <= dimension.width <= 50
            for cell in sheet[letter][1:]:
                assert cell.protection.locked == made, cell.coordinate
                assert cell.fill.fgColor.rgb.endswith(LOCKED_FILL if made else INPUT_FILL)
    ind = wb[S.INDICATORS.label]
    assert [c.value for c in ind[1]].index("Mã") >= len(ESSENTIAL)  # advanced, at the back
    meta = wb[META_SHEET]
    for row in meta.iter_rows(min_row=2):
        key, label, value = row[:3]
        assert key.protection.locked and label.protection.locked
        if key.value and key.value in ("year", "organisation", "numbering", "signatory.name"):
            assert not value.protection.locked and value.fill.fgColor.rgb.endswith(INPUT_FILL)
    rules = {str(dv.sqref): listed(wb, dv.formula1) for dv in meta.data_validations.dataValidation}
    rows = {c.value: c.row for c in meta["A"] if c.value}
    assert rules[f"C{rows['numbering']}"] == list(S.NUMBERINGS.values())
    assert rules[f"C{rows['above_minimum']}"] == ["Đạt (chỉ vượt khi qua ngưỡng vượt)", "Vượt"]
    assert rules[f"C{rows['synthetic']}"] == ["Có", "Không"]
    assert meta.cell(rows["numbering"], 3).value == S.NUMBERINGS["arabic"]
    assert "signatory.authority" in rows
    assert wb.active.title == S.INDICATORS.label


def test_the_guide_explains_colours_lists_numbers_targets_and_every_column(seed_book):
    wb = openpyxl.load_workbook(seed_book)
    text = " ".join(str(c) for row in wb[HELP_SHEET].iter_rows(values_only=True) for c in row if c)
    for words in ("vàng nhạt", "khóa", "Thêm dòng", "tự đặt mã", "danh sách", "không dấu",
                  "“12.000” là mười hai nghìn", "“16,9”", "không quá 18%", "ít nhất 05 sáng kiến",
                  "phấn đấu", "tongket excel import", "2024-2025", "Ký thay (KT.)"):
        assert words in text, words
    for spec in S.CSV_FILES:
        assert f"Trang “{spec.label}”" in text
        for field in spec.fields:
            assert field.name in text and field.label in text, field.name
            for label in field.choice_labels.values():
                assert label in text
    fills = {c.fill.fgColor.rgb[-6:] for row in wb[HELP_SHEET].iter_rows() for c in row[:1]}
    assert {INPUT_FILL, LOCKED_FILL} <= fills
    assert "tongket check" in text and "tongket new-year" in text
    # every field of the meta sheet is explained, beyond repeating its label
    rows = list(wb[HELP_SHEET].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if str(row[0]).startswith(f"Trang “{META_SHEET}” ("))
    meta_rows = {row[1]: row for row in rows[start + 2:] if row[1]}
    assert set(meta_rows) >= {*S.META_KEYS} - {"signatory"}
    for key, (label, _, meaning, values) in meta_rows.items():
        assert meaning and meaning.lower().rstrip(".") != str(label).lower(), key
        if key in S.META_TO_FILL:
            assert values.startswith("cần điền"), key
    for spec in S.CSV_FILES:
        assert all(f.help for f in spec.fields), spec.label


# -- round trips --------------------------------------------------------------------------------

def canonical(year_data, folder: Path) -> dict[str, bytes]:
    folder.mkdir(parents=True)
    write_year(folder, year_data.meta, {s.name: getattr(year_data, s.name.removesuffix(".csv"))
                                        for s in S.CSV_FILES})
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.slow
@pytest.mark.parametrize("data, year", [(DATA, 2024), (DATA / "demo", 2021),
                                        (DATA / "demo", 2024)])
def test_round_trip_gives_the_same_files(data, year, tmp_path):
    before = load_year(year, data)
    path = export_excel(year, data, tmp_path / "x.xlsx")
    result = import_excel(path, year, tmp_path / "back")
    written = {p.name: p.read_bytes() for p in result.folder.iterdir()}
    assert written == canonical(before, tmp_path / "chuan")
    again = export_excel(year, tmp_path / "back", tmp_path / "y.xlsx")  # and once more
    second = import_excel(again, year, tmp_path / "back2").folder
    assert {p.name: p.read_bytes() for p in second.iterdir()} == written


# -- what a person types ------------------------------------------------------------------------

def test_labels_words_and_codes_are_all_read(book, tmp_path):
    typed = {2: "đạt chỉ tiêu", 3: "VƯỢT CHỈ TIÊU", 4: "met", 5: "Dang de xuat",
             6: "(Không đạt chỉ tiêu)", 7: "khong thuc hien"}
    want = {2: "met", 3: "exceeded", 4: "met", 5: "proposed", 6: "not_met", 7: "not_done"}
    rows: list[int] = []

    def changes(wb):
        ind = wb[S.INDICATORS.label]
        for row, text in typed.items():
            ind.cell(row, column(ind, "Báo cáo đánh giá"), text)
        higher = [r for r in range(2, ind.max_row + 1)
                  if ind.cell(r, column(ind, "Chiều tốt")).value == "Cao hơn là tốt"]
        ind.cell(higher[0], column(ind, "Chiều tốt"), "cao hon la tot")
        ind.cell(higher[1], column(ind, "Chiều tốt"), "higher")
        rows.extend(higher[:2])
        ind.cell(2, column(ind, "Loại"), "trach nhiem, giao uoc")
        aw = wb[S.AWARDS.label]
        aw.cell(2, column(aw, "Trạng thái"), "granted")
        aw.cell(3, column(aw, "Đối tượng"), "tap the")
        co = wb[S.CONTRIBUTIONS.label]
        co.cell(2, column(co, "Loại"), "vận động quỹ")
    edit(book, changes)
    year = load_year(2024, import_excel(book, 2024, tmp_path / "moi").folder.parent)
    ind = year.indicators
    for row, code in want.items():
        assert ind.loc[row, "reported_status"] == code, row
    assert list(ind.loc[rows, "direction"]) == ["higher", "higher"]
    assert ind.loc[2, "kind"] == "duty"
    assert year.awards.loc[2, "state"] == "granted" and year.awards.loc[3, "recipient"] == "collective"
    assert year.contributions.loc[2, "kind"] == "fund"


def test_every_label_and_word_names_one_code():
    for spec in S.CSV_FILES:
        for field in spec.fields:
            for code in field.choices:
                assert choice_code(field, code) == code
            for code, label in field.choice_labels.items():
                assert choice_code(field, label) == code
                assert choice_code(field, fold(label).upper()) == code, label  # no diacritics
    status = S.INDICATORS.field("reported_status")
    for word, code in VIETNAMESE_WORDS.items():  # the report's own words
        assert choice_code(status, word) == code
        assert choice_code(status, f"({word})") == code


def test_rows_added_by_a_person_are_read_with_ids_made(book, tmp_path):
    def changes(wb):
        ind = wb[S.INDICATORS.label]
        first = next_row(ind)
        put(ind, first, {"Mục": "1.1", "Tên chỉ tiêu": "Tỷ lệ đoàn viên tham gia tập huấn",
                         "Loại": "Chỉ tiêu", "Chỉ tiêu": "98% trở lên; phấn đấu 99%",
                         "Thực hiện": "98,5", "Đơn vị tính": "%", "Báo cáo đánh giá": "Đạt",
                         "Tên mục": "Công tác tuyên truyền", "Chiều tốt": "Cao hơn là tốt"})
        put(ind, first + 1, {"Mục": "1.1", "Tên chỉ tiêu": "Tỷ lệ đoàn viên tham gia tập huấn",
                             "Loại": "Kết quả", "Thực hiện": 52, "Đơn vị tính": "đoàn viên",
                             "Chiều tốt": "Cao hơn là tốt"})
        put(ind, first + 2, {"Mục": "1.1", "Tên chỉ tiêu": "Sáng kiến được công nhận",
                             "Chỉ tiêu": "ít nhất 05 sáng kiến", "Thực hiện": "7",
                             "Đơn vị tính": "sáng kiến", "Chiều tốt": "Cao hơn là tốt"})
        put(ind, first + 3, {"Mục": "1.1", "Tên chỉ tiêu": "Tỷ lệ thất thoát nước",
                             "Chỉ tiêu": "không quá 18%", "Thực hiện": "16,9",
                             "Đơn vị tính": "%", "Chiều tốt": "Thấp hơn là tốt",
                             "Kết quả (ghi bằng lời)": "giảm 1,1% so với năm trước"})
        aw = wb[S.AWARDS.label]
        put(aw, next_row(aw), {"Khối": "Công đoàn", "Cấp tặng": "Công đoàn Viên chức tỉnh",
                               "Danh hiệu, hình thức": "Giấy khen", "Đối tượng": "Cá nhân",
                               "Số lượng": 2, "Trạng thái": "Đang đề nghị", "Quyết định": "",
                               "Gọi đối tượng là": "đoàn viên"})
        co = wb[S.CONTRIBUTIONS.label]
        put(co, next_row(co), {"Loại": "Hỗ trợ, thăm hỏi", "Nội dung": "Thăm hỏi ốm đau",
                               "Số trường hợp": 4, "Mức mỗi trường hợp (đồng)": "500.000",
                               "Số tiền (đồng)": "2.000.000", "Ghi chú": ""})
        se = wb[S.SECTIONS.label]
        put(se, next_row(se), {"Mục": "6", "Tên mục": "Phương hướng năm 2025",
                               "Cách trình bày": "Đánh chữ a., b., c. từng dòng"})
        pl = wb[S.PLAN.label]
        put(pl, 2, {"Nội dung": "Tỷ lệ thất thoát nước", "Chỉ tiêu": "không quá 17%",
                    "Đơn vị tính": "%", "Mã": "doan_vien_xuat_sac"})
        put(pl, 3, {"Nội dung": "Sáng kiến", "Chỉ tiêu": "ít nhất 06 sáng kiến"})
    edit(book, changes)
    before = load_year(2024, DATA)
    result = import_excel(book, 2024, tmp_path / "moi")
    after = load_year(2024, result.folder.parent)
    ind = after.indicators.set_index("id")
    assert len(ind) == len(before.indicators) + 4
    added = ind.iloc[-4:]
    assert list(added.index) == ["ty_le_doan_vien_tham_gia_tap_huan",
                                 "ty_le_doan_vien_tham_gia_tap_huan_2",
                                 "sang_kien_duoc_cong_nhan", "ty_le_that_thoat_nuoc"]
    first = added.iloc[0]
    assert first["actual"] == 98.5 and first["target"] == ">= 98"
    assert first["stretch_target"].endswith(" 99") and first["reported_status"] == "met"
    assert first["target_text"] == "98% trở lên; phấn đấu 99%"
    assert added.iloc[1]["kind"] == "result" and added.iloc[1]["actual"] == 52
    assert added.iloc[2]["target"] == ">= 5" and added.iloc[2]["target_text"] == "ít nhất 05 sáng kiến"
    water = added.iloc[3]
    assert water["target"] == "<= 18" and water["actual"] == 16.9 and water["direction"] == "lower"
    assert water["result_text"] == "giảm 1,1% so với năm trước"
    award = after.awards.iloc[-1]
    assert award["state"] == "proposed" and award["unit"] == "đoàn viên" and award["count"] == 2
    money = after.contributions.iloc[-1]
    assert money["amount_vnd"] == 2_000_000 and money["per_case_vnd"] == 500_000
    assert after.sections.iloc[-1]["layout"] == "letters"
    assert list(after.plan["target"]) == ["<= 17", ">= 6"]
    assert list(after.plan["target_text"]) == ["không quá 17%", "ít nhất 06 sáng kiến"]
    assert list(after.plan["id"].fillna("")) == ["doan_vien_xuat_sac", ""]
    text = (result.folder / "indicators.csv").read_text(encoding="utf-8")
    assert ",met," in text and "Đạt" not in text.split("\n")[1]  # the CSV keeps the codes


def meta_rows(sheet, heading: str) -> tuple[int, int]:
    """The heading row of a list of the meta sheet and its first empty row."""
    start = next(c.row for c in sheet["B"] if str(c.value or "").startswith(heading))
    row = start + 1
    while sheet.cell(row, 3).value is not None:
        row += 1
    return start, row


def test_rows_added_under_each_list_of_the_meta_sheet_are_read(book, tmp_path):
    def changes(wb):
        meta = wb[META_SHEET]
        _, row = meta_rows(meta, "Quyết định")
        put_meta(meta, row, ["99/QĐ-CĐ", "20/12/2024", "Chủ tịch Công đoàn", "Khen thưởng"])
        _, row = meta_rows(meta, "Căn cứ")
        put_meta(meta, row, ["Kế hoạch", "12/KH-CĐ", "15/01/2024", "Công đoàn", "Kế hoạch số 12"])
        _, row = meta_rows(meta, "Nơi nhận")
        put_meta(meta, row, ["Ban Thường vụ"])
        rows = {c.value: c.row for c in meta["A"] if c.value}
        meta.cell(rows["signatory.authority"], 3, "KT. CHỦ TỊCH")
        meta.cell(rows["numbering"], 3, "I., II., III., mục con 1., 2.")
        meta.cell(rows["above_minimum"], 3, "vượt")
        meta.cell(rows["synthetic"], 3, "không")
    edit(book, changes)
    meta = load_year(2024, import_excel(book, 2024, tmp_path / "moi").folder.parent).meta
    before = load_year(2024, DATA).meta
    assert meta["decisions"][-1]["number"] == "99/QĐ-CĐ"
    assert len(meta["decisions"]) == len(before["decisions"]) + 1
    assert meta["legal_bases"][-1]["number"] == "12/KH-CĐ"
    assert meta["recipients"][-1] == "Ban Thường vụ"
    assert meta["signatory"]["authority"] == "KT. CHỦ TỊCH"
    assert meta["numbering"] == "roman" and meta["above_minimum"] == "exceeded"
    assert meta["synthetic"] is False


def put_meta(sheet, row: int, values: list) -> None:
    for i, value in enumerate(values, start=3):
        sheet.cell(row, i, value)


def test_a_value_typed_where_nothing_reads_it_is_named(book, tmp_path):
    def changes(wb):
        meta = wb[META_SHEET]
        rows = {c.value: c.row for c in meta["A"] if c.value}
        meta.cell(rows["place"], 4, "Trà Vinh")          # beside the value
        _, row = meta_rows(meta, "Nơi nhận")
        meta.cell(row, 4, "Lưu")                          # past the list's one column
        meta.insert_rows(3)                               # a row without a key above the lists
        meta.cell(3, 3, "Sở Tài nguyên")
    edit(book, changes)
    with pytest.raises(DataError) as info:
        import_excel(book, 2024, tmp_path / "moi")
    cells = {p.cell: p for p in info.value.problems}
    assert {"C3", f"D{row_of(book, 'place')}"} <= set(cells), cells
    assert any(c and c.startswith("D") and "1 cột" in p.message for c, p in cells.items())
    assert all(META_SHEET in p.file for p in info.value.problems)
    assert not (tmp_path / "moi").exists()


def row_of(path: Path, key: str) -> int:
    sheet = openpyxl.load_workbook(path)[META_SHEET]
    return next(c.row for c in sheet["A"] if c.value == key)


def test_vietnamese_numbers_typed_as_text(book, tmp_path):
    def changes(wb):
        ind = wb[S.INDICATORS.label]
        ind.cell(2, column(ind, "Thực hiện"), "99,4")
        ind.cell(2, column(ind, "Số lượng"), "1.200")
        co = wb[S.CONTRIBUTIONS.label]
        co.cell(2, column(co, "Số tiền (đồng)"), "25.000.000")
        co.cell(3, column(co, "Số tiền (đồng)"), "12.000")
    edit(book, changes)
    year = load_year(2024, import_excel(book, 2024, tmp_path / "moi").folder.parent)
    assert year.indicators.loc[2, "actual"] == 99.4 and year.indicators.loc[2, "count"] == 1200
    assert list(year.contributions.loc[[2, 3], "amount_vnd"]) == [25_000_000, 12_000]


def test_values_that_cannot_be_read_are_named_by_sheet_row_column_and_cell(book, tmp_path):
    def changes(wb):
        ind = wb[S.INDICATORS.label]
        ind.cell(4, column(ind, "Thực hiện"), "khoảng chín mươi")
        ind.cell(5, column(ind, "Thực hiện"), "92,5%")
        ind.cell(6, column(ind, "Báo cáo đánh giá"), "Dat chi tieu lam")
        co = wb[S.CONTRIBUTIONS.label]
        co.cell(2, column(co, "Số trường hợp"), "2,5")
        wb[META_SHEET].cell(row_of_sheet(wb[META_SHEET], "numbering"), 3, "La Mã")
        wb[META_SHEET].cell(row_of_sheet(wb[META_SHEET], "synthetic"), 3, "có lẽ")
    edit(book, changes)
    with pytest.raises(DataError) as info:
        import_excel(book, 2024, tmp_path / "moi")
    found = {(p.file.split("“")[-1].rstrip("”"), p.row, p.column): p for p in info.value.problems}
    ind = openpyxl.load_workbook(book)[S.INDICATORS.label]
    words = found[(S.INDICATORS.label, 4, "Thực hiện")]
    letter = get_column_letter(column(ind, "Thực hiện"))
    assert words.cell == f"{letter}4" and "không đọc được thành số" in words.message
    assert "99,4" in words.message and "Kết quả (ghi bằng lời)" in words.message
    assert f"trang “{S.INDICATORS.label}”, dòng 4, cột “Thực hiện” (ô {letter}4)" in str(words)
    percent = found[(S.INDICATORS.label, 5, "Thực hiện")]
    assert "dấu %" in percent.message and "(92,5)" in percent.message
    verdict = found[(S.INDICATORS.label, 6, "Báo cáo đánh giá")]
    assert "“Vượt”, “Đạt”" in verdict.message and "met" not in verdict.message.split("(")[0]
    cases = found[(S.CONTRIBUTIONS.label, 2, "Số trường hợp")]
    assert "số nguyên" in cases.message and cases.cell
    numbering = next(p for p in info.value.problems if p.column == "Cách đánh số các phần của"
                     " văn bản")  # named by its label, as the sheet shows it, not its key
    assert numbering.cell and "I., II., III." in numbering.message
    flag = next(p for p in info.value.problems if p.column == "Dữ liệu minh họa (Có/Không)")
    assert flag.cell and flag.message == "“có lẽ” không đọc được. Chọn “Có” hoặc “Không”."
    assert len(info.value.problems) == 6, info.value.problems


def row_of_sheet(sheet, key: str) -> int:
    return next(c.row for c in sheet["A"] if c.value == key)


def test_a_row_cleared_but_for_its_id_is_no_row(book, tmp_path):
    cleared = []

    def changes(wb):
        ind = wb[S.INDICATORS.label]
        cleared.append(ind.cell(5, column(ind, "Mã")).value)
        for col in range(1, ind.max_column + 1):
            if ind.cell(1, col).value != "Mã":
                ind.cell(5, col).value = None
    edit(book, changes)
    after = load_year(2024, import_excel(book, 2024, tmp_path / "moi").folder.parent)
    assert len(after.indicators) == 67 and cleared[0] not in set(after.indicators["id"])


# -- a blank start, a school year ---------------------------------------------------------------

@pytest.mark.slow
def test_a_new_organisation_fills_the_workbook_from_a_blank_start(tmp_path):
    from tongket_lib.dataset.starter import start

    started = start(tmp_path / "du-lieu", "doanh-nghiep", 2025, "Công đoàn cơ sở Công ty X")
    path = export_excel(2025, started.folder, tmp_path / "so-lieu.xlsx")
    wb = openpyxl.load_workbook(path)
    assert {s.label for s in S.CSV_FILES} <= set(wb.sheetnames)  # empty ones too

    def fill(wb):
        meta = wb[META_SHEET]
        rows = {c.value: c.row for c in meta["A"] if c.value}
        for key, value in {"organisation": "Công ty X", "upper_union": "Công đoàn KCN",
                           "header_upper": "CĐ KCN", "header_issuer": "CĐCS CÔNG TY X",
                           "place": "Bình Dương", "signatory.name": "Nguyễn Văn A"}.items():
            meta.cell(rows[key], 3, value)
        ind = wb[S.INDICATORS.label]
        for row in range(2, ind.max_row + 1):
            if ind.cell(row, column(ind, "Tên chỉ tiêu")).value:
                ind.cell(row, column(ind, "Thực hiện"), 1)
        pl = wb[S.PLAN.label]
        put(pl, 2, {"Nội dung": "Tỷ lệ đoàn viên", "Chỉ tiêu": "95% trở lên", "Đơn vị tính": "%"})
    edit(path, fill)
    result = import_excel(path, 2025, started.folder, force=True)
    year = load_year(2025, result.folder.parent)
    assert year.meta["organisation"] == "Công ty X" and len(year.plan) == 1
    assert year.indicators["actual"].notna().any()


@pytest.mark.slow
def test_a_school_year_from_tongket_init_goes_round_the_workbook(tmp_path):
    """A school's first year (2024-2025) as a new user enters it: tongket init, excel export
    at once, every value picked or typed in the workbook (lettered items, a stretch goal
    inside an item, a proposed award, a plain result, money lines, a row without an id),
    imported back; exported and imported once more, the same files byte for byte."""
    from tongket_lib.evaluation.status import evaluate_year, rollup

    data, out = tmp_path / "truong", tmp_path / "so-lieu.xlsx"
    done = run_cli("init", str(data), "--kind", "truong-hoc", "--year", "2024-2025")
    assert done.returncode == 0, done.stderr
    done = run_cli("excel", "export", "2024-2025", "--data", str(data), "-o", str(out))
    assert done.returncode == 0, done.stderr
    wb = openpyxl.load_workbook(out)
    meta = wb[META_SHEET]
    assert meta.cell(row_of_sheet(meta, "year"), 3).value == "2024-2025"
    assert "năm học 2024 - 2025" in meta.cell(row_of_sheet(meta, "title"), 3).value
    names = list(load_year("2024-2025", data).indicators["name"])
    results = {"Tỷ lệ học sinh lên lớp": ("98% trở lên; phấn đấu 99%", "98,6"),
               "Tỷ lệ học sinh tốt nghiệp": (None, "99,5"),
               "Giáo viên đạt danh hiệu giáo viên dạy giỏi cấp huyện": (None, "4"),
               "Tỷ lệ giáo viên có sáng kiến được công nhận": (None, 32.5),
               "Nữ đoàn viên đạt danh hiệu “Giỏi việc nước, đảm việc nhà”": (None, 100),
               "Đoàn viên công đoàn xuất sắc": (None, "85,2")}

    def fill(wb):
        meta = wb[META_SHEET]
        for key, value in {"organisation": "Trường THCS Long Đức", "place": "Trà Vinh",
                           "signatory.name": "Trần Thị B"}.items():
            meta.cell(row_of_sheet(meta, key), 3, value)
        ind = wb[S.INDICATORS.label]
        for row in range(2, next_row(ind)):
            target, actual = results[ind.cell(row, column(ind, "Tên chỉ tiêu")).value]
            if target:
                ind.cell(row, column(ind, "Chỉ tiêu"), target)
            ind.cell(row, column(ind, "Thực hiện"), actual)
        ind.cell(2, column(ind, "Báo cáo đánh giá"), "dat chi tieu")
        put(ind, next_row(ind), {"Mục": "1", "Tên chỉ tiêu": "Giáo viên dạy giỏi cấp tỉnh",
                                 "Chỉ tiêu": "ít nhất 01 giáo viên", "Thực hiện": "2",
                                 "Đơn vị tính": "giáo viên"})
        se = wb[S.SECTIONS.label]
        se.cell(2, column(se, "Cách trình bày"), "Đánh chữ a., b., c. từng dòng")
        aw = wb[S.AWARDS.label]
        aw.cell(2, column(aw, "Số lượng"), 1)
        aw.cell(3, column(aw, "Số lượng"), "12")
        co = wb[S.CONTRIBUTIONS.label]
        co.cell(2, column(co, "Số tiền (đồng)"), "15.000.000")
        put(co, 3, {"Số trường hợp": 4, "Mức mỗi trường hợp (đồng)": "500.000",
                    "Số tiền (đồng)": "2.000.000"})
    edit(out, fill)
    done = run_cli("excel", "import", str(out), "--year", "2024-2025", "--data", str(data),
                   "--force")
    assert done.returncode == 0 and "sao-luu" in done.stdout, done.stderr
    year = load_year("2024-2025", data)
    assert str(year.meta["year"]) == "2024-2025" and year.meta["place"] == "Trà Vinh"
    ind = year.indicators.set_index("name")
    assert list(ind.index) == [*names, "Giáo viên dạy giỏi cấp tỉnh"]
    first = ind.loc["Tỷ lệ học sinh lên lớp"]
    assert (first["actual"], first["target"], first["reported_status"]) == (98.6, ">= 98", "met")
    assert first["stretch_target"].endswith(" 99")
    assert ind.iloc[-1]["id"] == "giao_vien_day_gioi_cap_tinh" and ind.iloc[-1]["target"] == ">= 1"
    assert year.sections.iloc[0]["layout"] == "letters"
    assert list(year.awards["state"]) == ["proposed", "granted"]
    assert list(year.awards["count"]) == [1, 12]
    assert list(year.contributions["amount_vnd"]) == [15_000_000, 2_000_000]
    total = rollup(evaluate_year(year)).iloc[-1]  # the verdicts the report will count
    assert (total["total"], total["met"], total["not_met"]) == (6, 5, 1)
    assert total["results"] == 1 and total["sentence"] == "Đạt 05 chỉ tiêu, không đạt 01 chỉ tiêu"
    folder = data / "2024-2025"
    written = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert written == canonical(year, tmp_path / "chuan")
    again = export_excel("2024-2025", data, tmp_path / "lai.xlsx")
    back = import_excel(again, "2024-2025", tmp_path / "lai").folder
    assert back.name == "2024-2025"
    assert {p.name: p.read_bytes() for p in back.iterdir()} == written


# -- what collect receives ----------------------------------------------------------------------

@pytest.mark.slow
def test_collect_reads_a_filled_unit_workbook_as_import_does(tmp_path):
    from demo.generate import make_demo
    from tongket_lib.dataset.store import year_files
    from tongket_lib.units import fastbooks
    from tongket_lib.units import workbooks as W

    root = tmp_path / "don-vi"
    unit = [p.name for p in make_demo(root, [2024], seed=3, units=3)][0]
    path = export_excel(2024, root / unit, tmp_path / f"{unit}.xlsx", unit=unit)

    def fill(wb):
        ind = wb[S.INDICATORS.label]
        row = next_row(ind)
        put(ind, row, {"Mục": ind.cell(2, 1).value, "Tên chỉ tiêu": "Chỉ tiêu thêm",
                       "Chỉ tiêu": "ít nhất 05 lượt", "Thực hiện": "7", "Đơn vị tính": "lượt",
                       "Chiều tốt": "cao hơn là tốt", "Báo cáo đánh giá": "vượt chỉ tiêu",
                       "Tên mục": ind.cell(2, column(ind, "Tên mục")).value})
        ind.cell(2, column(ind, "Báo cáo đánh giá"), "đạt")
        co = wb[S.CONTRIBUTIONS.label]
        co.cell(2, column(co, "Số tiền (đồng)"), "1.500.000")
    edit(path, fill)
    full = W.check_workbook(path, 2024)
    assert full.ok, full.problems
    files = year_files(W._keyed(full.meta, full.unit), full.tables)
    [combined] = W.check_workbooks([str(path)], 2024)
    assert combined.ok and combined.files == files and combined.unit == unit
    ind = full.tables[S.INDICATORS.name]
    assert ind.iloc[-1]["id"] == "chi_tieu_them" and ind.iloc[-1]["reported_status"] == "exceeded"
    [clean], _ = fastbooks.read_clean_books([path], 2024)
    assert clean is not None  # the fast path takes it, and reads the same
    assert clean.tables == {k: v for k, v in files.items() if k != S.META_FILE}
    pd.testing.assert_series_equal(ind["reported_status"].iloc[:1].astype(str),
                                   pd.Series(["met"], index=ind.index[:1], name="reported_status"))


def test_a_meta_sheet_of_an_earlier_version_is_read_the_same(book, tmp_path):
    """Earlier workbooks: list headings “… (mỗi dòng một mục)”, no empty rows under them."""
    def earlier(wb):
        meta = wb[META_SHEET]
        for row in range(meta.max_row, 1, -1):
            heading = meta.cell(row, 2).value
            if isinstance(heading, str) and "; thêm dòng ở dưới" in heading:
                meta.cell(row, 2).value = heading.replace("; thêm dòng ở dưới", "")
            elif all(c.value is None for c in meta[row]):
                meta.delete_rows(row)
    edit(book, earlier)
    meta = load_year(2024, import_excel(book, 2024, tmp_path / "moi").folder.parent).meta
    assert meta == load_year(2024, DATA).meta
