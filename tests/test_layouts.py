"""The document written from the data: the sentence a report writes for each kind of row,
the layouts unions use (lettered items, the first line on the heading's line, a table,
Roman numerals), one order across a section's rows, and the forms of signature."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from docx import Document as open_docx

from tongket_lib import load_year
from tongket_lib.dataset import schema as S
from tongket_lib.document import build_document, to_html, write_docx

from .test_document import docx_lines, html_lines

META = {"year": 2025, "organisation": "Công ty Cổ phần Cấp nước Minh Phúc",
        "union": "Công đoàn cơ sở Công ty Cổ phần Cấp nước Minh Phúc",
        "title": "Tổng kết phong trào thi đua, khen thưởng năm 2025"}


def write_year(root: Path, tables: dict[str, list[dict]], **meta) -> Path:
    """A year folder 2025 from rows as a person fills them (only the columns given)."""
    folder = root / "2025"
    folder.mkdir(parents=True)
    (folder / "meta.yaml").write_text(yaml.safe_dump({**META, **meta}, allow_unicode=True),
                                      encoding="utf-8")
    base = {"indicators.csv": {"section_title": "", "unit": "", "direction": "higher",
                               "reported_status": "", "note": "", "source": "", "target": "",
                               "actual": ""},
            "awards.csv": {"stream": "union", "decision": "", "count": ""},
            "contributions.csv": {"cases": "", "note": ""}}
    for name in ("indicators.csv", "awards.csv", "contributions.csv"):
        tables.setdefault(name, [])
    for name, rows in tables.items():
        rows = [{**base.get(name, {}), **row} for row in rows]
        spec = next(s for s in S.CSV_FILES if s.name == name)
        columns = list(dict.fromkeys([*spec.required_columns, *(k for row in rows for k in row)]))
        with open(folder / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, columns)
            writer.writeheader()
            writer.writerows(rows)
    return root


def lines_of(root: Path) -> list[str]:
    return build_document(load_year(2025, root)).lines()


def body(lines: list[str]) -> list[str]:
    """The body's lines: after the opening, before the closing."""
    start = next(i for i, line in enumerate(lines) if line.endswith("như sau:"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Trên đây là"))
    return lines[start + 1:end]


SECTIONS = [{"section": "1", "title": "Phong trào thi đua lao động sản xuất"},
            {"section": "2", "title": "Chăm lo đời sống người lao động"},
            {"section": "3", "title": "Công tác khen thưởng"}]


def test_a_sentence_for_every_kind_of_row_without_typing_one(tmp_path):
    root = write_year(tmp_path, {
        "sections.csv": SECTIONS,
        "indicators.csv": [
            {"id": "san_luong", "section": "1", "name": "Sản lượng nước thương phẩm",
             "target": "kế hoạch 9.500.000 m3", "actual": "9862400", "unit": "m3"},
            {"id": "that_thoat", "section": "1", "name": "Tỷ lệ thất thoát nước",
             "target": "không quá 18%", "actual": "16.9", "unit": "%", "direction": "lower"},
            {"id": "sang_kien", "section": "1", "name": "Sáng kiến được công nhận",
             "target": "ít nhất 05 sáng kiến", "actual": "4", "unit": "sáng kiến",
             "note": "Hai sáng kiến chuyển sang đợt xét năm sau"},
            {"id": "tai_nan", "section": "1", "name": "Số vụ tai nạn lao động nặng",
             "target": "không để xảy ra", "actual": "0", "unit": "vụ", "direction": "lower"},
            {"id": "thu_nhap", "section": "2", "name": "Người lao động có việc làm ổn định",
             "target": "100%", "actual": "100", "unit": "%"},
            {"id": "thoa_uoc", "section": "2", "name": "Ký kết Thỏa ước lao động tập thể",
             "kind": "duty", "reported_status": "met",
             "result_text": "đã ký ngày 10/3/2025, có 07 điều khoản có lợi hơn"}],
        "contributions.csv": [
            {"kind": "fund", "name": "Quỹ “Mái ấm Công đoàn”", "amount_vnd": "32400000",
             "section": "2"},
            {"kind": "support", "name": "Thăm hỏi đoàn viên ốm đau", "cases": "64",
             "amount_vnd": "38400000", "section": "2"},
            {"kind": "support", "name": "Quà cho con đoàn viên", "cases": "2",
             "amount_vnd": "6000000", "per_case_vnd": "3000000", "section": "2"}],
        "awards.csv": [
            {"granted_by": "Tổng Liên đoàn Lao động Việt Nam", "title": "Bằng khen",
             "recipient": "collective", "count": "1", "state": "proposed", "block": "3"},
            {"granted_by": "Liên đoàn Lao động tỉnh", "title": "Giấy khen",
             "recipient": "collective", "count": "1", "state": "granted",
             "decision": "512/QĐ-LĐLĐ", "block": "3"},
            {"granted_by": "Liên đoàn Lao động tỉnh", "title": "Giấy khen",
             "recipient": "individual", "count": "3", "state": "granted",
             "decision": "512/QĐ-LĐLĐ", "block": "3"},
            {"granted_by": "Giám đốc Công ty", "title": "Lao động tiên tiến",
             "recipient": "individual", "count": "118", "unit": "người lao động",
             "state": "granted", "block": "3"}],
        "plan.csv": [{"id": "that_thoat", "name": "Tỷ lệ thất thoát nước",
                      "target": "không quá 17%"}],
    }, decisions=[{"number": "512/QĐ-LĐLĐ", "date": "18/11/2025",
                   "issuer": "Liên đoàn Lao động tỉnh", "subject": "Tặng Giấy khen"}])
    assert body(lines_of(root)) == [
        "1. Phong trào thi đua lao động sản xuất:",
        "- Sản lượng nước thương phẩm: kế hoạch 9.500.000 m3, thực hiện 9.862.400 m3"
        " (vượt chỉ tiêu).",
        "- Tỷ lệ thất thoát nước: không quá 18%, thực hiện 16,9% (đạt chỉ tiêu).",
        "- Sáng kiến được công nhận: ít nhất 05 sáng kiến, thực hiện 04 sáng kiến (không đạt"
        " chỉ tiêu: hai sáng kiến chuyển sang đợt xét năm sau).",
        "- Số vụ tai nạn lao động nặng: không để xảy ra (đạt chỉ tiêu).",
        "2. Chăm lo đời sống người lao động:",
        "- Người lao động có việc làm ổn định: 100% (đạt chỉ tiêu).",
        "- Ký kết Thỏa ước lao động tập thể: đã ký ngày 10/3/2025, có 07 điều khoản có lợi"
        " hơn (đạt chỉ tiêu).",
        "- Quỹ “Mái ấm Công đoàn”: 32.400.000 đồng.",
        "- Thăm hỏi đoàn viên ốm đau: 64 trường hợp, tổng số tiền 38.400.000 đồng.",
        "- Quà cho con đoàn viên: 02 trường hợp × 3.000.000 đồng = 6.000.000 đồng.",
        "3. Công tác khen thưởng:",
        "- Tổng Liên đoàn Lao động Việt Nam tặng Bằng khen: 01 tập thể (đang đề nghị).",
        "- Liên đoàn Lao động tỉnh tặng Giấy khen: 01 tập thể, 03 cá nhân (Quyết định số"
        " 512/QĐ-LĐLĐ ngày 18/11/2025).",
        "- Giám đốc Công ty công nhận danh hiệu Lao động tiên tiến: 118 người lao động.",
        "4. Phương hướng, nhiệm vụ năm 2026:",
        "- Tỷ lệ thất thoát nước: không quá 17%."]


def test_lettered_items_inline_heading_table_and_roman_numerals(tmp_path):
    names = ["Một", "Hai", "Ba", "Bốn", "Năm", "Sáu"]
    root = write_year(tmp_path, {
        "sections.csv": [
            {"section": "1", "title": "Kết quả thực hiện các chỉ tiêu", "layout": ""},
            {"section": "1.1", "title": "Phong trào dạy tốt, học tốt", "layout": "letters"},
            {"section": "1.2", "title": "Về cải cách hành chính", "layout": "inline"},
            {"section": "2", "title": "Các chỉ tiêu khác", "layout": "table"}],
        "indicators.csv": [
            *({"id": f"m{i}", "section": "1.1", "name": f"Chỉ tiêu {name}",
               "target": "từ 90% trở lên", "actual": str(90 + i), "unit": "%"}
              for i, name in enumerate(names)),
            {"id": "cchc", "section": "1.2", "name": "Hồ sơ giải quyết đúng hạn",
             "target": "100%", "actual": "100", "unit": "%"},
            {"id": "cchc2", "section": "1.2", "name": "Thủ tục công khai",
             "target": "100%", "actual": "100", "unit": "%"},
            {"id": "bang1", "section": "2", "name": "Tỷ lệ đoàn viên", "target": "98%",
             "actual": "98.76", "unit": "%"},
            {"id": "bang2", "section": "2", "name": "Sáng kiến", "target": "ít nhất 5",
             "actual": "", "unit": "sáng kiến"}]},
        numbering="roman")
    doc = build_document(load_year(2025, root))
    lines = body(doc.lines())
    assert lines[:9] == [
        "I. Kết quả thực hiện các chỉ tiêu:", "1. Phong trào dạy tốt, học tốt:",
        "a. Chỉ tiêu Một: từ 90% trở lên, thực hiện 90% (đạt chỉ tiêu).",
        "b. Chỉ tiêu Hai: từ 90% trở lên, thực hiện 91% (đạt chỉ tiêu).",
        "c. Chỉ tiêu Ba: từ 90% trở lên, thực hiện 92% (đạt chỉ tiêu).",
        "d. Chỉ tiêu Bốn: từ 90% trở lên, thực hiện 93% (đạt chỉ tiêu).",
        "đ. Chỉ tiêu Năm: từ 90% trở lên, thực hiện 94% (đạt chỉ tiêu).",
        "e. Chỉ tiêu Sáu: từ 90% trở lên, thực hiện 95% (đạt chỉ tiêu).",
        "2. Về cải cách hành chính: Hồ sơ giải quyết đúng hạn: 100% (đạt chỉ tiêu)."]
    assert lines[9] == "- Thủ tục công khai: 100% (đạt chỉ tiêu)."
    assert lines[10:] == [  # a table: a cell a line, as a word processor reads it
        "II. Các chỉ tiêu khác:", "STT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Đánh giá",
        "1", "Tỷ lệ đoàn viên", "98%", "98,76%", "Vượt chỉ tiêu",
        "2", "Sáng kiến", "ít nhất 5", "…………", "Chưa đánh giá"]
    # the same text in the Word file, the HTML and the model, line for line
    path = write_docx(doc, tmp_path / "bao-cao.docx")
    assert docx_lines(path) == html_lines(to_html(doc)) == doc.lines()
    word = open_docx(str(path))
    table = word.tables[1]  # the first table is the header block
    assert [c.text for c in table.rows[0].cells] == ["STT", "Chỉ tiêu", "Kế hoạch", "Thực hiện",
                                                      "Đánh giá"]
    inline = next(p for p in word.paragraphs if p.text.startswith("2. Về cải cách"))
    assert inline.runs[0].bold and not inline.runs[-1].bold  # the heading bold, its line not


def test_one_order_across_a_sections_rows(tmp_path):
    root = write_year(tmp_path, {
        "sections.csv": SECTIONS[:1],
        "indicators.csv": [
            {"id": "a", "section": "1", "name": "Chỉ tiêu A", "target": "100%",
             "actual": "100", "unit": "%", "order": "3"},
            {"id": "b", "section": "1", "name": "Chỉ tiêu B", "target": "100%",
             "actual": "100", "unit": "%", "order": "1"}],
        "awards.csv": [{"granted_by": "Công đoàn cơ sở", "title": "Giấy khen",
                        "recipient": "individual", "count": "4", "state": "granted",
                        "block": "1", "order": "2"}],
        "contributions.csv": [{"kind": "fund", "name": "Quỹ xã hội", "amount_vnd": "1000000",
                               "section": "1", "order": "4"}],
        "plan.csv": [{"name": "Chỉ tiêu năm sau", "target": "ít nhất 2", "section": "1",
                      "order": "0"}]})
    assert body(lines_of(root)) == [
        "1. Phong trào thi đua lao động sản xuất:", "- Chỉ tiêu năm sau: ít nhất 2.",
        "- Chỉ tiêu B: 100% (đạt chỉ tiêu).", "- Công đoàn cơ sở tặng Giấy khen: 04 cá nhân.",
        "- Chỉ tiêu A: 100% (đạt chỉ tiêu).", "- Quỹ xã hội: 1.000.000 đồng."]


def test_forms_of_signature_number_and_a_title_on_two_lines(tmp_path):
    root = write_year(tmp_path, {"sections.csv": SECTIONS[:1], "indicators.csv": [
        {"id": "a", "section": "1", "name": "Chỉ tiêu A", "target": "100%", "actual": "100",
         "unit": "%"}]},
        number="27/BC-CĐBV", title="Báo cáo tổng kết phong trào thi đua\nnăm 2025",
        header_issuer="CĐCS BỆNH VIỆN ĐA KHOA\nTỈNH MINH PHÚC",
        signatory={"on_behalf": "TM. BAN CHẤP HÀNH", "authority": "KT. Chủ tịch",
                   "title": "Phó Chủ tịch", "name": "Trần Thị Hoa"})
    doc = build_document(load_year(2025, root))
    lines = doc.lines()
    assert "Số: 27/BC-CĐBV" in lines
    assert lines[-4:] == ["TM. BAN CHẤP HÀNH", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị Hoa"]
    assert "Báo cáo tổng kết phong trào thi đua" in lines and "năm 2025" in lines
    assert "CĐCS BỆNH VIỆN ĐA KHOA" in lines and "TỈNH MINH PHÚC" in lines
    path = write_docx(doc, tmp_path / "bao-cao.docx")
    assert docx_lines(path) == html_lines(to_html(doc)) == lines


@pytest.mark.parametrize("row", [5, 6])  # the two "Trong đó" lines of the seed's awards
def test_seed_rows_that_follow_the_usual_pattern_need_no_sentence(row, data_copy):
    from .test_data import set_cell

    before = build_document(load_year(2024, data_copy)).lines()
    set_cell(data_copy / "2024" / "awards.csv", row, "sentence", "")
    assert build_document(load_year(2024, data_copy)).lines() == before
