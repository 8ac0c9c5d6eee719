"""Two other unions' reports entered as a new user would: `tongket init`, then the workbook
(labels in Vietnamese, numbers typed the Vietnamese way, no sentence typed, no code or CSV
edited), then `excel import`, `check` and the document. The document must carry the
report's lines (at least 90% at a similarity of 0.85 or more), every figure in it must come
from a cell the user filled, and the verdict counts, implied totals, money totals and the
period must come out as the union wrote them, also after `new-year`. What each union then
sends is opened in its readers' tools, as the 2024 report is: the shared page in Chromium at
390 and 1280 px, the PDF with poppler, the .docx printed by LibreOffice.

The reports are `../shared/examples/` (an enterprise union, calendar year 2025) and
`tests/fixtures/` (a school union, school year 2024-2025: lettered items, a stretch goal
inside an item, a plain result, an item not done, a proposed award, money lines)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from tongket_lib import evaluate_year, load_year, rollup, run_checks
from tongket_lib.dataset import schema as S
from tongket_lib.dataset.excel import META_SHEET
from tongket_lib.document import build_document

from .conftest import ROOT, need, run_cli
from .linematch import coverage, source_lines

pytestmark = pytest.mark.slow  # each union runs init, excel export and import as commands

EXAMPLES = ROOT.parent / "shared" / "examples"
FIXTURES = Path(__file__).parent / "fixtures"

#: what a person types in the workbook, sheet by sheet, by the headers they see
SCHOOL = {
    "kind": "truong-hoc", "period": "2024-2025", "next": "2025-2026",
    "name": "Công đoàn cơ sở Trường THCS Nguyễn Du",
    "report": FIXTURES / "bao-cao-cdcs-truong-thcs-2024-2025.txt",
    "meta": {
        "organisation": "Trường THCS Nguyễn Du",
        "upper_union": "Công đoàn Giáo dục huyện Đông Hải",
        "header_upper": "CÔNG ĐOÀN GIÁO DỤC HUYỆN ĐÔNG HẢI",
        "header_issuer": "CĐCS TRƯỜNG THCS NGUYỄN DU", "number": "09/BC-CĐCS",
        "place": "Đông Hải", "date": "28/05/2025",
        "numbering": "I., II., III., mục con 1., 2.",
        "signatory.authority": "KT. CHỦ TỊCH", "signatory.title": "PHÓ CHỦ TỊCH",
        "signatory.name": "Nguyễn Văn Bình"},
    "lists": {
        "Căn cứ": [["Kế hoạch", "03/KH-CĐCS", "20/09/2024", "Ban Chấp hành Công đoàn cơ sở",
                    "về phát động phong trào thi đua năm học 2024 - 2025"]],
        "Quyết định": [["15/QĐ-THCSND", "25/05/2025", "Hiệu trưởng",
                        "Công nhận danh hiệu Lao động tiên tiến"]],
        "Nơi nhận": [["Công đoàn Giáo dục huyện"], ["Chi bộ, Ban Giám hiệu"], ["Lưu: VT"]]},
    S.SECTIONS.label: [
        {"Mục": "1", "Tên mục": "Kết quả thực hiện các chỉ tiêu thi đua"},
        {"Mục": "1.1", "Tên mục": "Phong trào thi đua “Dạy tốt - Học tốt”",
         "Cách trình bày": "Đánh chữ a., b., c. từng dòng"},
        {"Mục": "1.2", "Tên mục": "Phong trào “Giỏi việc nước, đảm việc nhà” và xây dựng"
                                  " tổ chức công đoàn"},
        {"Mục": "1.3", "Tên mục": "Công tác chăm lo, hỗ trợ đoàn viên"},
        {"Mục": "2", "Tên mục": "Công tác khen thưởng"}],
    S.INDICATORS.label: [
        {"Mục": "1.1", "Tên chỉ tiêu": "Tỷ lệ học sinh lên lớp",
         "Chỉ tiêu": "98% trở lên, phấn đấu 99%", "Thực hiện": "98,6", "Đơn vị tính": "%"},
        {"Mục": "1.1", "Tên chỉ tiêu": "Tỷ lệ học sinh tốt nghiệp trung học cơ sở",
         "Chỉ tiêu": "100%", "Thực hiện": 100, "Đơn vị tính": "%"},
        {"Mục": "1.1", "Tên chỉ tiêu": "Giáo viên đạt danh hiệu giáo viên dạy giỏi cấp huyện",
         "Chỉ tiêu": "ít nhất 03 giáo viên", "Thực hiện": 5, "Đơn vị tính": "giáo viên",
         "Báo cáo đánh giá": "Vượt"},
        {"Mục": "1.1", "Tên chỉ tiêu": "Tỷ lệ giáo viên có sáng kiến được Hội đồng khoa học"
                                       " huyện công nhận",
         "Chỉ tiêu": "từ 30% trở lên", "Thực hiện": "27,5", "Đơn vị tính": "%",
         "Giải thích": "Hai sáng kiến chưa được Hội đồng xếp loại"},
        {"Mục": "1.1", "Tên chỉ tiêu": "Tỷ lệ học sinh đạt giải học sinh giỏi cấp huyện",
         "Chỉ tiêu": "15% trở lên", "Thực hiện": "16,2", "Đơn vị tính": "%",
         "Báo cáo đánh giá": "vượt chỉ tiêu"},
        {"Mục": "1.2", "Tên chỉ tiêu": "Đoàn viên công đoàn xuất sắc", "Loại": "Kết quả",
         "Thực hiện": "86,67", "Đơn vị tính": "%", "Số lượng": 52,
         "Nhóm tính tỷ lệ": "đoàn viên"},
        {"Mục": "1.2", "Tên chỉ tiêu": "Nữ đoàn viên đạt danh hiệu “Giỏi việc nước, đảm việc"
                                       " nhà”",
         "Chỉ tiêu": "100%", "Thực hiện": "100", "Đơn vị tính": "%"},
        {"Mục": "1.2", "Tên chỉ tiêu": "Tổ chức Hội thao chào mừng ngày Nhà giáo Việt Nam"
                                       " 20/11",
         "Loại": "Trách nhiệm, giao ước", "Báo cáo đánh giá": "Không thực hiện",
         "Giải thích": "Trùng lịch kiểm tra học kỳ I"}],
    S.CONTRIBUTIONS.label: [
        {"Mục": "1.3", "Loại": "Vận động quỹ", "Nội dung": "Quỹ “Tấm lòng vàng”",
         "Số tiền (đồng)": "12.500.000"},
        {"Mục": "1.3", "Loại": "Hỗ trợ, thăm hỏi", "Nội dung": "Thăm hỏi đoàn viên ốm đau",
         "Số trường hợp": 8, "Mức mỗi trường hợp (đồng)": "500.000",
         "Số tiền (đồng)": 4000000},
        {"Mục": "1.3", "Loại": "Hỗ trợ, thăm hỏi",
         "Nội dung": "Hỗ trợ học sinh có hoàn cảnh khó khăn", "Số trường hợp": 15,
         "Số tiền (đồng)": "7.500.000"}],
    S.AWARDS.label: [
        {"Viết trong khối": "2", "Khối": "Công đoàn", "Cấp tặng": "Công đoàn Giáo dục huyện",
         "Danh hiệu, hình thức": "Giấy khen", "Đối tượng": "Tập thể", "Số lượng": 1,
         "Trạng thái": "Đang đề nghị"},
        {"Viết trong khối": "2", "Khối": "Công đoàn", "Cấp tặng": "Công đoàn Giáo dục huyện",
         "Danh hiệu, hình thức": "Giấy khen", "Đối tượng": "Cá nhân", "Số lượng": 2,
         "Trạng thái": "đang đề xuất"},
        {"Viết trong khối": "2", "Khối": "Chính quyền", "Cấp tặng": "Hiệu trưởng",
         "Danh hiệu, hình thức": "Lao động tiên tiến", "Đối tượng": "Cá nhân",
         "Số lượng": 41, "Trạng thái": "Đã công nhận", "Quyết định": "15/QĐ-THCSND"}],
    S.PLAN.label: [
        {"Nội dung": "Tỷ lệ học sinh lên lớp", "Chỉ tiêu": "98,5% trở lên",
         "Đơn vị tính": "%"},
        {"Nội dung": "Giáo viên đạt danh hiệu giáo viên dạy giỏi cấp huyện",
         "Chỉ tiêu": "ít nhất 04 giáo viên", "Đơn vị tính": "giáo viên"}],
    # what the figures must come out as
    "verdicts": {"exceeded": 2, "met": 3, "not_met": 1, "not_done": 1},
    "results": 1, "implied": {"Đoàn viên công đoàn xuất sắc": 60},
    "funds": 12_500_000, "support": 11_500_000, "support_cases": 23,
    "stretch": ["còn cách mức phấn đấu 99% là 0,4 điểm phần trăm"],
}

ENTERPRISE = {
    "kind": "doanh-nghiep", "period": "2025", "next": "2026",
    "name": "Công đoàn cơ sở Công ty Cổ phần Nước sạch Hà Nam",
    "report": EXAMPLES / "bao-cao-cdcs-cong-ty-cap-nuoc-2025.txt",
    "meta": {
        "organisation": "Công ty Cổ phần Nước sạch Hà Nam",
        "upper_union": "Liên đoàn Lao động tỉnh Hà Nam",
        "header_upper": "LIÊN ĐOÀN LAO ĐỘNG TỈNH HÀ NAM",
        "header_issuer": "CĐCS CÔNG TY CỔ PHẦN NƯỚC SẠCH HÀ NAM", "number": "18/BC-CĐCS",
        "place": "Phủ Lý", "date": "22/12/2025", "signatory.title": "CHỦ TỊCH",
        "signatory.name": "Phạm Thị Lan"},
    "lists": {
        "Căn cứ": [["Kế hoạch", "05/KH-CĐCS", "15/01/2025", "Ban Chấp hành Công đoàn cơ sở",
                    "về tổ chức phong trào thi đua năm 2025"]],
        "Quyết định": [["512/QĐ-LĐLĐ", "18/11/2025", "Liên đoàn Lao động tỉnh",
                        "Tặng Giấy khen"]],
        "Nơi nhận": [["Liên đoàn Lao động tỉnh"], ["Ban Giám đốc Công ty"], ["Lưu: VT"]]},
    S.SECTIONS.label: [
        {"Mục": "1", "Tên mục": "Phong trào thi đua lao động sản xuất, kinh doanh"},
        {"Mục": "2", "Tên mục": "Chăm lo đời sống, bảo vệ quyền lợi người lao động"},
        {"Mục": "3", "Tên mục": "Phát triển đoàn viên"},
        {"Mục": "4", "Tên mục": "Công tác khen thưởng"},
        {"Mục": "5", "Tên mục": "Phương hướng năm 2026"}],
    S.INDICATORS.label: [
        {"Mục": "1", "Tên chỉ tiêu": "Sản lượng nước thương phẩm",
         "Chỉ tiêu": "kế hoạch 9.500.000 m3", "Thực hiện": "9.862.400", "Đơn vị tính": "m3"},
        {"Mục": "1", "Tên chỉ tiêu": "Tỷ lệ thất thoát nước", "Chỉ tiêu": "không quá 18%",
         "Thực hiện": "16,9", "Đơn vị tính": "%"},
        {"Mục": "1", "Tên chỉ tiêu": "Sáng kiến, cải tiến kỹ thuật được Hội đồng công nhận",
         "Chỉ tiêu": "ít nhất 05 sáng kiến", "Thực hiện": 4, "Đơn vị tính": "sáng kiến"},
        {"Mục": "1", "Tên chỉ tiêu": "Số vụ tai nạn lao động nặng",
         "Chỉ tiêu": "không để xảy ra", "Thực hiện": 0, "Đơn vị tính": "vụ"},
        {"Mục": "2", "Tên chỉ tiêu": "Ký kết Thỏa ước lao động tập thể",
         "Loại": "Trách nhiệm, giao ước", "Báo cáo đánh giá": "Đạt chỉ tiêu",
         "Kết quả (ghi bằng lời)": "đã ký ngày 10/3/2025, có 07 điều khoản có lợi hơn quy"
                                   " định của pháp luật"},
        {"Mục": "2", "Tên chỉ tiêu": "Tỷ lệ người lao động có thu nhập bình quân từ"
                                     " 9.000.000 đồng/tháng trở lên",
         "Chỉ tiêu": "100%", "Thực hiện": 100, "Đơn vị tính": "%"},
        {"Mục": "2", "Tên chỉ tiêu": "Tổ chức khám sức khỏe định kỳ cho 100% người lao động",
         "Loại": "Trách nhiệm, giao ước", "Báo cáo đánh giá": "Đạt"},
        {"Mục": "3", "Tên chỉ tiêu": "Tỷ lệ đoàn viên trên tổng số người lao động",
         "Chỉ tiêu": "98%", "Thực hiện": "98,76", "Đơn vị tính": "%", "Số lượng": 318,
         "Nhóm tính tỷ lệ": "đoàn viên", "Báo cáo đánh giá": "Đạt"}],
    S.CONTRIBUTIONS.label: [
        {"Mục": "2", "Loại": "Vận động quỹ", "Nội dung": "Quỹ “Mái ấm Công đoàn”",
         "Số tiền (đồng)": "32.400.000"},
        {"Mục": "2", "Loại": "Hỗ trợ, thăm hỏi", "Nội dung": "Thăm hỏi đoàn viên ốm đau,"
                                                           " hiếu, hỷ",
         "Số trường hợp": 64, "Số tiền (đồng)": "38.400.000"}],
    S.AWARDS.label: [
        {"Viết trong khối": "4", "Khối": "Công đoàn",
         "Cấp tặng": "Tổng Liên đoàn Lao động Việt Nam", "Danh hiệu, hình thức": "Bằng khen",
         "Đối tượng": "Tập thể", "Số lượng": 1, "Trạng thái": "Đang đề nghị"},
        {"Viết trong khối": "4", "Khối": "Công đoàn", "Cấp tặng": "Liên đoàn Lao động tỉnh",
         "Danh hiệu, hình thức": "Giấy khen", "Đối tượng": "Tập thể", "Số lượng": 1,
         "Trạng thái": "Đã công nhận", "Quyết định": "512/QĐ-LĐLĐ"},
        {"Viết trong khối": "4", "Khối": "Công đoàn", "Cấp tặng": "Liên đoàn Lao động tỉnh",
         "Danh hiệu, hình thức": "Giấy khen", "Đối tượng": "Cá nhân", "Số lượng": 3,
         "Trạng thái": "Đã công nhận", "Quyết định": "512/QĐ-LĐLĐ"},
        {"Viết trong khối": "4", "Khối": "Công đoàn", "Cấp tặng": "Công đoàn cơ sở",
         "Danh hiệu, hình thức": "Giấy khen", "Đối tượng": "Tập thể", "Số lượng": 8,
         "Gọi đối tượng là": "tổ công đoàn", "Trạng thái": "Đã công nhận"},
        {"Viết trong khối": "4", "Khối": "Công đoàn", "Cấp tặng": "Công đoàn cơ sở",
         "Danh hiệu, hình thức": "Giấy khen", "Đối tượng": "Cá nhân", "Số lượng": 25,
         "Gọi đối tượng là": "đoàn viên", "Trạng thái": "Đã công nhận"}],
    S.PLAN.label: [
        {"Mục": "5", "Nội dung": "Sản lượng nước thương phẩm", "Chỉ tiêu": "10.000.000 m3",
         "Đơn vị tính": "m3"},
        {"Mục": "5", "Nội dung": "Tỷ lệ thất thoát nước", "Chỉ tiêu": "không quá 17%",
         "Đơn vị tính": "%"},
        {"Mục": "5", "Nội dung": "Sáng kiến, cải tiến kỹ thuật",
         "Chỉ tiêu": "ít nhất 05 sáng kiến", "Đơn vị tính": "sáng kiến"}],
    "verdicts": {"exceeded": 1, "met": 6, "not_met": 1},
    "results": 0, "implied": {"Tỷ lệ đoàn viên trên tổng số người lao động": 322},
    "funds": 32_400_000, "support": 38_400_000, "support_cases": 64, "stretch": [],
}

UNIONS = {"truong-thcs": SCHOOL, "cong-ty-nuoc": ENTERPRISE}


# -- typing into the workbook as a person does ------------------------------------------------

def _header(sheet) -> list:
    return [c.value for c in sheet[1]]


def fill_sheet(sheet, rows: list[dict]) -> None:
    """The sheet's rows replaced by ``rows``, each typed under the headers it names."""
    header = _header(sheet)
    if sheet.max_row > 1:
        sheet.delete_rows(2, sheet.max_row - 1)
    for r, row in enumerate(rows, start=2):
        for label, value in row.items():
            sheet.cell(r, header.index(label) + 1, value)


def fill_meta(sheet, values: dict, lists: dict) -> None:
    """Thông tin chung: each value beside its field, each list's rows under its heading."""
    keys = {c.value: c.row for c in sheet["A"] if c.value}
    for key, value in values.items():
        sheet.cell(keys[key], 3, value)
    for heading, rows in lists.items():
        start = next(c.row for c in sheet["B"] if str(c.value or "").startswith(heading))
        row = start + 1
        while any(sheet.cell(row, c).value for c in range(3, 8)):  # clear what the start had
            for c in range(3, 8):
                sheet.cell(row, c).value = None
            row += 1
        for i, values_of_row in enumerate(rows):
            for j, value in enumerate(values_of_row):
                sheet.cell(start + 1 + i, 3 + j, value)


def enter(union: dict, tmp_path: Path) -> Path:
    """init, excel export, the workbook filled, excel import: the data folder."""
    root, book = tmp_path / "du-lieu", tmp_path / "so-lieu.xlsx"
    period = union["period"]
    done = run_cli("init", str(root), "--kind", union["kind"], "--year", period,
                   "--ten", union["name"])
    assert done.returncode == 0, done.stderr
    done = run_cli("excel", "export", period, "--data", str(root), "-o", str(book))
    assert done.returncode == 0, done.stderr
    wb = openpyxl.load_workbook(book)
    fill_meta(wb[META_SHEET], union["meta"], union["lists"])
    for sheet in (S.SECTIONS, S.INDICATORS, S.CONTRIBUTIONS, S.AWARDS, S.PLAN):
        fill_sheet(wb[sheet.label], union[sheet.label])
    wb.save(book)
    done = run_cli("excel", "import", str(book), "--year", period, "--data", str(root),
                   "--force")
    assert done.returncode == 0, done.stdout + done.stderr
    return root


@pytest.fixture(scope="module", params=list(UNIONS))
def entered(request, tmp_path_factory):
    union = UNIONS[request.param]
    need(union["report"].is_file(), f"báo cáo mẫu {union['report']}")
    return union, enter(union, tmp_path_factory.mktemp(request.param))


# -- what comes out ---------------------------------------------------------------------------

def test_the_document_carries_the_reports_lines(entered):
    union, root = entered
    made = build_document(load_year(union["period"], root)).lines()
    text = union["report"].read_text(encoding="utf-8")
    share, rows = coverage(source_lines(text), made)
    missed = [f"{r:.2f} {line}" for r, line, _ in rows if r < 0.85]
    assert share >= 0.90, "\n".join(missed)


FIGURE = re.compile(r"\d[\d.,]*\d|\d")


def _typed_figures(union: dict) -> set[str]:
    """Every figure the person typed anywhere, in the digits they typed and as numbers."""
    cells = [v for key in (S.SECTIONS.label, S.INDICATORS.label, S.CONTRIBUTIONS.label,
                           S.AWARDS.label, S.PLAN.label) for row in union[key]
             for v in row.values()]
    cells += list(union["meta"].values())
    cells += [v for rows in union["lists"].values() for row in rows for v in row]
    found = set()
    for cell in cells:
        for figure in FIGURE.findall(str(cell)):
            digits = figure.replace(".", "").replace(",", "")
            found |= {figure, digits.lstrip("0") or "0"}
    return found


def test_every_figure_of_the_body_comes_from_a_cell_typed(entered):
    union, root = entered
    lines = build_document(load_year(union["period"], root)).lines()
    start = next(i for i, line in enumerate(lines) if line.endswith("như sau:"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Trên đây là"))
    typed = _typed_figures(union)
    period_digits = set(re.findall(r"\d{4}", union["period"] + union["next"]))
    for line in lines[start:end]:
        number = re.match(r"^(?:[IVX]+|\d+(?:\.\d+)*)\.\s", line)  # the part's own number
        body = line[number.end():] if number else line
        for figure in FIGURE.findall(body):
            plain = figure.replace(".", "").replace(",", "").lstrip("0") or "0"
            assert (figure in typed or plain in typed or figure in period_digits
                    or re.fullmatch(r"0?\d", figure)), (figure, line)


def test_verdicts_results_totals_and_money_as_the_union_counts_them(entered):
    union, root = entered
    year = load_year(union["period"], root)
    evaluated = evaluate_year(year)
    table = rollup(evaluated)
    total = table.iloc[-1]
    counts = {code: int(total[code]) for code in ("exceeded", "met", "not_met", "not_done",
                                                   "expected", "in_progress", "proposed",
                                                   "not_assessed") if total[code]}
    assert counts == union["verdicts"]
    assert int(total["results"]) == union["results"]
    findings = run_checks(year, evaluated)
    implied = {f.message.split("“")[1].split("”")[0]: f.figures["totals"]
               for f in findings if f.check == "implied_total"}
    for name, whole in union["implied"].items():
        assert whole in implied[name], implied
    contributions = year.contributions
    by_kind = contributions.groupby("kind")["amount_vnd"].sum()
    assert by_kind.get("fund", 0) == union["funds"]
    assert by_kind.get("support", 0) == union["support"]
    assert contributions.loc[contributions["kind"] == "support", "cases"].sum() == \
        union["support_cases"]
    said = [f.message for f in findings if f.check == "stretch"]
    assert all(any(part in m for m in said) for part in union["stretch"]), said
    assert not [f for f in findings if f.severity == "error"]


def test_the_period_is_printed_as_the_union_names_it_and_follows_new_year(entered, tmp_path):
    union, root = entered
    period, after = union["period"], union["next"]
    year = load_year(period, root)
    label = year.year.label  # "năm học 2024 - 2025" or "năm 2025"
    lines = build_document(year).lines()
    assert lines[7].endswith(label)  # the title
    assert any(line.startswith("Trên đây là") and label in line for line in lines)
    checked = run_cli("check", period, "--data", str(root))
    assert checked.returncode == 0 and label[0].upper() + label[1:] in checked.stdout

    made = run_cli("new-year", after, "--data", str(root))
    assert made.returncode == 0, made.stdout + made.stderr
    assert (root / after / "meta.yaml").is_file()
    later = load_year(after, root)
    new_label = later.year.label
    assert later.meta["title"].endswith(new_label)
    text = "\n".join(build_document(later).lines())
    assert new_label in text and f"{label} " not in text.replace(new_label, "")
    # next period's targets are the plan the union set
    planned = {row["Nội dung"]: row["Chỉ tiêu"] for row in union[S.PLAN.label]}
    have = dict(zip(later.indicators["name"], later.indicators["target_text"], strict=False))
    for name, target in planned.items():
        if name in have:
            assert have[name] == target


def _visible(path: Path) -> str:
    """An HTML page's text as a reader sees it (scripts and styles left out)."""
    import html

    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", path.read_text(encoding="utf-8"),
                  flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture(scope="module")
def sent(entered, tmp_path_factory) -> Path:
    """`tongket report` of the entered period, default formats: the folder of what the
    union sends."""
    union, root = entered
    period = union["period"]
    out = tmp_path_factory.mktemp("bao-cao")
    done = run_cli("report", period, "--data", str(root), "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    return out / period


def test_the_report_the_union_sends_names_its_period_and_its_kinds_of_row(entered, sent):
    """`tongket report` of the entered period: the files named by the period, the period in
    words in the shared page, the Word file and the PDF; a plain result labelled as one,
    never “chưa đánh giá”; the union's verdict with what the figures give beside it."""
    import shutil
    import subprocess

    from docx import Document as open_docx

    union, root = entered
    period = union["period"]
    for name in (f"bao-cao-{period}.html", f"bao-cao-{period}.pdf", f"bao-cao-{period}.docx",
                 f"kiem-tra-{period}.html"):
        assert (sent / name).is_file(), name
    label = load_year(period, root).year.label
    page = (sent / f"bao-cao-{period}.html").read_text(encoding="utf-8")
    toc = re.search(r'<nav class="tk-toc tk-toc-short"[^>]*>(.*?)</nav>', page, re.S)
    assert toc, "trang gửi đi không có mục lục"
    targets = re.findall(r'href="#([^"]+)"', toc.group(1))
    assert targets[:3] == ["so-lieu-chinh", "van-ban", "phu-luc"] and len(targets) > 3
    for target in targets:  # every entry leads to exactly one place on the page
        assert len(re.findall(rf'\sid="{re.escape(target)}"', page)) == 1, target
    shared = _visible(sent / f"bao-cao-{period}.html")
    assert f"khen thưởng {label}" in shared and "nan" not in shared.split()
    assert "Chưa đánh giá" not in shared
    results = [row["Tên chỉ tiêu"] for row in union[S.INDICATORS.label]
               if row.get("Loại") == "Kết quả"]
    for name in results:
        assert re.search(re.escape(name) + r" .{0,40}kết quả, không đánh giá", shared), name
    stated = [row for row in union[S.INDICATORS.label]
              if str(row.get("Báo cáo đánh giá", "")).lower().startswith("vượt")]
    if stated:  # the union says "vượt" where the figures say "đạt": the annex gives both
        assert "(theo số liệu: đạt chỉ tiêu)" in shared
    word = open_docx(str(sent / f"bao-cao-{period}.docx"))
    words = "\n".join([p.text for p in word.paragraphs] + [  # the signature block is a table
        cell.text for table in word.tables for row in table.rows for cell in row.cells])
    assert f"khen thưởng {label}" in words and union["meta"]["signatory.name"] in words
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    printed = subprocess.run(["pdftotext", str(sent / f"bao-cao-{period}.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
    assert label in " ".join(printed.split()) and union["meta"]["signatory.name"] in printed


# -- what the union sends, in its readers' own tools ------------------------------------------

@pytest.mark.parametrize("width", [390, 1280])
def test_the_shared_page_reads_right_on_a_phone_and_a_desktop(entered, sent, width):
    """The page colleagues receive, in headless Chromium: no figure broken across lines,
    nothing wider than the screen, no error, nothing fetched; the annex there and the
    preparer's checks not; at desktop width the quốc hiệu, the tiêu ngữ, the kind and the
    title each on one line; the checks page opens on its own."""
    from .browser import open_in_chromium
    from .test_report import readable_at

    period = entered[0]["period"]
    page = readable_at(sent / f"bao-cao-{period}.html", width)
    assert page.page_errors == [] and page.outside_requests == [] and page.images >= 1
    assert "PHỤ LỤC" in page.headings and "Kiểm tra số liệu" not in page.headings
    checks = open_in_chromium(sent / f"kiem-tra-{period}.html", width=width)
    assert checks.console_errors == [] and checks.outside_requests == []
    assert "Kiểm tra số liệu" in checks.headings and checks.page_width <= width


def test_the_signable_pdf_and_the_word_file_print_as_the_form(entered, sent, tmp_path):
    """The PDF: the document alone, in one serif with every Vietnamese letter, signed on
    its last page. The .docx printed by LibreOffice: A4, the quốc hiệu and the tiêu ngữ on
    one line each beside the issuer, the page count of the PDF give or take one, and the
    closing line, "Nơi nhận:" and the signature together on the last page."""
    from tongket_lib.render.fonts import FAMILY, vietnamese_problem

    from .test_docx import form_header_on_one_line, office_pdf
    from .test_printing import fonts, pages
    from .test_report import margins_after_decree_30

    union, root = entered
    period = union["period"]
    need(vietnamese_problem() is None, f"{FAMILY} 2 (fonts-liberation2)")
    printed = pages(sent / f"bao-cao-{period}.pdf")
    names = fonts(sent / f"bao-cao-{period}.pdf")
    assert names and all(n.startswith("Liberation-Serif") for n in names), names
    text = " ".join(" ".join(printed).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in printed[0] and "BÁO CÁO" in printed[0]
    assert len(printed) >= 2 and printed[1].split()[0] == "2"  # numbered from page 2
    assert not printed[0].split()[0].isdigit()
    margins_after_decree_30(sent / f"bao-cao-{period}.pdf", 2)
    for elsewhere in ("PHỤ LỤC", "Kiểm tra số liệu", "Số liệu chính", "Mục lục"):
        assert elsewhere not in text, elsewhere
    year = load_year(period, root)
    signature = build_document(year, evaluate_year(year)).signature.lines()
    office = office_pdf(sent / f"bao-cao-{period}.docx", tmp_path / "office")
    assert abs(len(office) - len(printed)) <= 1, (len(office), len(printed))
    form_header_on_one_line(office[0])
    for where in (printed, office):
        last = " ".join(where[-1].split())
        for line in ("Trên đây là", "Nơi nhận:", *signature):
            assert line in last, line
        assert not any(signature[0] in " ".join(page.split()) for page in where[:-1])


def test_the_annex_asked_for_is_the_unions_annex(entered, tmp_path):
    """`--format phu-luc` prints the annex on its own: headed PHỤ LỤC with the number and
    date the union typed, the period's tables, every verdict in words, and no remark about
    the report (those are the preparer's checks); the signable PDF beside it stays the
    document alone."""
    from tongket_lib.vocab import LABELS

    from .test_printing import pages

    union, root = entered
    period, meta = union["period"], union["meta"]
    out = tmp_path / "bao-cao"
    done = run_cli("report", period, "--data", str(root), "--out", str(out),
                   "--format", "pdf,phu-luc")
    assert done.returncode == 0, done.stdout + done.stderr
    annex = pages(out / period / f"bao-cao-{period}-phu-luc.pdf")
    first = " ".join(annex[0].split())
    assert "PHỤ LỤC" in first
    assert f"(Kèm theo Báo cáo số {meta['number']} ngày {meta['date']})" in first
    text = " ".join(" ".join(annex).split())
    assert "Khen thưởng" in text and load_year(period, root).year.label in text
    for verdict in union["verdicts"]:  # each verdict the union counts, in words
        assert LABELS[verdict] in text, LABELS[verdict]
    for remark in ("báo cáo gốc", "không giải thích", "Kiểm tra số liệu", "Cảnh báo",
                   "Tạo bằng tongket", "Số liệu chính", "CỘNG HÒA XÃ HỘI"):
        assert remark not in text, remark
    document = " ".join(" ".join(pages(out / period / f"bao-cao-{period}.pdf")).split())
    assert "PHỤ LỤC" not in document and "Nơi nhận:" in document


def test_the_shared_page_is_for_colleagues_and_the_checks_page_for_the_preparer(entered, sent):
    """The shared page: a short table of contents, the key figures, the document in its
    order, then the annex; one offline file with no code, no script and no link to the
    checks; the checks page carries what the preparer needs and links back."""
    from bs4 import BeautifulSoup

    from .test_report import no_code_no_prompts, one_offline_file

    union, root = entered
    period = union["period"]
    page = (sent / f"bao-cao-{period}.html").read_text(encoding="utf-8")
    checks = (sent / f"kiem-tra-{period}.html").read_text(encoding="utf-8")
    toc = [a.get_text(strip=True) for a in BeautifulSoup(page, "html.parser")
           .select("nav.tk-toc a")]
    assert toc[:3] == ["Số liệu chính", "Văn bản báo cáo", "Phụ lục"] and len(toc) <= 10
    text = _visible(sent / f"bao-cao-{period}.html")
    at = -1
    for item in ("Mục lục", "Số liệu chính", union["meta"]["header_issuer"],
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "Trên đây là", "Nơi nhận:",
                 union["meta"]["signatory.name"], "PHỤ LỤC", "Khen thưởng"):
        found = text.find(item, at + 1)
        assert found > at, f"“{item}” không đứng đúng chỗ"
        at = found
    checksum = load_year(period, root).checksum
    for theirs in ("Kiểm tra số liệu", "Dành cho người chuẩn bị", "Tạo bằng tongket", checksum):
        assert theirs not in text, theirs
    assert f"kiem-tra-{period}" not in page
    preparers = _visible(sent / f"kiem-tra-{period}.html")
    assert "Kiểm tra số liệu" in preparers and checksum in preparers
    assert f'href="bao-cao-{period}.html"' in checks
    for html in (page, checks):
        one_offline_file(html, f"bao-cao-{period}.html")
        no_code_no_prompts(html)
