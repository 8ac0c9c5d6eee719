"""What a year folder holds: its files, their columns, and what each column accepts.

The single description the loader, the validator, the Excel workbook and the new-year
scaffold all read. Column names are English snake_case; ``label`` is the Vietnamese
header a person sees in Excel and in messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tongket_lib.vocab import INDICATOR, LABELS, ROW_KINDS, STATES, VERDICTS

TEXT, NUMBER, INTEGER, CHOICE, TARGET = "text", "number", "integer", "choice", "target"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = TEXT
    required: bool = False  # the column must be present
    nonempty: bool = False  # every row needs a value
    unique: bool = False
    choices: tuple[str, ...] = ()
    choice_labels: dict[str, str] = field(default_factory=dict)
    minimum: float | None = None
    help: str = ""


@dataclass(frozen=True)
class FileSpec:
    name: str
    label: str  # Vietnamese name (Excel sheet)
    fields: tuple[Field, ...]
    required: bool = True
    help: str = ""

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def required_columns(self) -> list[str]:
        return [f.name for f in self.fields if f.required]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


DIRECTIONS = {"higher": "Càng cao càng tốt", "lower": "Càng thấp càng tốt"}
STREAMS = {"government": "Chính quyền", "union": "Công đoàn"}
RECIPIENTS = {"individual": "Cá nhân", "collective": "Tập thể", "mixed": "Tập thể và cá nhân"}
LEVELS = {"central": "Trung ương", "province": "Tỉnh", "agency": "Cơ quan, đơn vị"}
KINDS = {"fund": "Vận động quỹ", "support": "Hỗ trợ, thăm hỏi"}
#: how a line of the report document starts (see tongket_lib.document)
LINES = {"-": "Gạch đầu dòng “-”", "+": "Dấu “+”", "*": "Dấu “*”",
         "paragraph": "Đoạn văn (không dấu đầu dòng)", "join": "Viết nối vào dòng trên"}
#: the placeholders a sentence pattern may use (kept in tongket_lib.document.sentences)
SENTENCE_HELP = (
    "Câu viết trong văn bản báo cáo, có thể chứa chỗ điền trong ngoặc nhọn: {name} tên,"
    " {target} chỉ tiêu (như báo cáo viết), {actual} kết quả kèm đơn vị (“99,4%”, “trên"
    " 99,7%”), {value} kết quả không đơn vị, {unit}, {count} số lượng ({count:02} viết hai"
    " chữ số: 09), {remainder} phần còn lại đến 100%, {note} giải thích, {verdict} đánh giá"
    " trong ngoặc “(đạt chỉ tiêu)”, {verdict_text} đánh giá không ngoặc, {funds} các quỹ vận"
    " động (“Quỹ …: 39.030.000 đồng; …”), {funds_total}, {year}. Viết hoa chữ đầu tên chỗ"
    " điền ({Verdict_text}) để viết hoa chữ đầu giá trị; {ma_chi_tieu.actual} lấy giá trị"
    " của chỉ tiêu khác. Xuống dòng trong ô để viết thêm dòng; dòng bắt đầu bằng “- ”, “+ ”,"
    " “* ” là một gạch đầu dòng. Viết {{ và }} để có dấu ngoặc nhọn. Để trống: văn bản tự"
    " viết một câu từ tên, chỉ tiêu, kết quả và đánh giá.")

_VERDICT: dict[str, Any] = {"kind": CHOICE, "choices": VERDICTS, "choice_labels": LABELS}
#: how the rows of one section are laid out in the document
LAYOUTS = {"list": "Gạch đầu dòng (mặc định)", "inline": "Dòng đầu viết liền tiêu đề mục",
           "letters": "Đánh chữ a., b., c. từng dòng", "table": "Bảng chỉ tiêu"}


def _order() -> Field:
    return Field("order", "Thứ tự trong mục", NUMBER,
                 help="Thứ tự dòng này trong mục của nó, chung cho chỉ tiêu, khen thưởng, đóng góp"
                      " và phương hướng (1, 2, 3 …). Để trống: theo thứ tự trong tệp, chỉ tiêu"
                      " trước, rồi đóng góp, hỗ trợ, rồi khen thưởng.")


def _line(what: str = "chỉ tiêu") -> Field:
    return Field("line", "Cách xuống dòng", CHOICE, choices=tuple(LINES), choice_labels=LINES,
                 help=f"Dòng này bắt đầu thế nào trong văn bản: -, +, *, paragraph (đoạn văn),"
                      f" join (viết nối vào dòng {what} trên). Để trống: “-” (hoặc theo cách"
                      f" trình bày của mục).")


def _block() -> Field:
    return Field("block", "Viết trong khối",
                 help="Mục hoặc khối con (cột Mục của sections.csv) nơi dòng này được viết, ví"
                      " dụ 1.2.f.co_quan; để trống: viết trong mục của dòng.")

INDICATORS = FileSpec(
    "indicators.csv", "Chỉ tiêu",
    help="Mỗi dòng một chỉ tiêu (một con số đo được) của báo cáo.",
    fields=(
        Field("id", "Mã", required=True, nonempty=True, unique=True,
              help="Mã ngắn, không dấu, ổn định qua các năm, ví dụ tthc_dung_han."),
        Field("section", "Mục", required=True, nonempty=True,
              help="Số mục như trong báo cáo, ví dụ 1.2.d."),
        Field("section_title", "Tên mục", required=True, help="Tên mục như trong báo cáo."),
        Field("name", "Tên chỉ tiêu", required=True, nonempty=True),
        Field("target", "Chỉ tiêu", TARGET, required=True,
              help="Ký hiệu: >= 90, > 80, <= 0, < 1, 10..15, = 12 (số viết dấu chấm thập phân)."
                   " Để trống nếu báo cáo không nêu."),
        Field("actual", "Thực hiện", NUMBER, required=True,
              help="Một con số, dấu chấm thập phân (99.4), không dấu phân cách hàng nghìn."
                   " Để trống nếu báo cáo không nêu."),
        Field("unit", "Đơn vị tính", required=True, help="Ví dụ %, văn bản, hồ sơ, cuộc."),
        Field("direction", "Chiều tốt", CHOICE,
              choices=tuple(DIRECTIONS), choice_labels=DIRECTIONS,
              help="higher: càng cao càng tốt; lower: càng thấp càng tốt. Để trống: suy ra từ"
                   " chỉ tiêu (“không quá”, “dưới”, “không để xảy ra”: thấp hơn là tốt; còn lại:"
                   " cao hơn là tốt)."),
        Field("reported_status", "Báo cáo đánh giá", required=True, **_VERDICT,
              help="Đánh giá báo cáo ghi; để trống nếu báo cáo không ghi."),
        Field("note", "Giải thích", required=True, help="Lời giải thích của báo cáo."),
        Field("source", "Nguồn", required=True, help="Câu trong báo cáo mà dòng này lấy ra."),
        Field("target_text", "Chỉ tiêu (nguyên văn)",
              help="Cách báo cáo viết chỉ tiêu, ví dụ “90% trở lên”."),
        Field("exceed_at", "Ngưỡng vượt", NUMBER,
              help="Với chỉ tiêu “từ … trở lên”: trên ngưỡng này thì tính là vượt; bằng chỉ tiêu:"
                   " mọi kết quả cao hơn chỉ tiêu là vượt (cả cơ quan đọc như vậy thì đặt"
                   " above_minimum: exceeded trong thông tin chung)."),
        Field("count", "Số lượng", INTEGER, minimum=0,
              help="Số người/đơn vị ứng với tỷ lệ ở cột Thực hiện, ví dụ 448."),
        Field("group", "Nhóm tính tỷ lệ",
              help="Tỷ lệ tính trên nhóm nào, ví dụ “đoàn viên”; các dòng cùng nhóm phải"
                   " suy ra cùng một tổng số."),
        Field("award", "Mã danh hiệu", help="Danh hiệu mà tỷ lệ này đo, ví dụ cstdcs, ldtt."),
        Field("stretch_target", "Chỉ tiêu phấn đấu", TARGET,
              help="Mức phấn đấu (“phấn đấu”, “hướng tới”, “tiến đến”), cùng ký hiệu với cột"
                   " Chỉ tiêu, ví dụ >= 60. Chưa tới mức này không phải là “không đạt”: đánh"
                   " giá theo cột Chỉ tiêu hoặc theo báo cáo; khoảng cách chỉ để tham khảo."),
        Field("actual_qualifier", "Từ kèm số thực hiện",
              help="Từ báo cáo viết kèm con số thực hiện, giữ nguyên khi trình bày: “trên”,"
                   " “khoảng”, “gần” (đứng trước số) hoặc “trở lên”, “trở xuống” (đứng sau số),"
                   " ví dụ “trên” cho “trên 99,7%”."),
        Field("kind", "Loại", CHOICE, choices=tuple(ROW_KINDS), choice_labels=ROW_KINDS,
              help=f"indicator: chỉ tiêu; duty: trách nhiệm, giao ước; result: kết quả (một con"
                   f" số báo cáo nêu, không có chỉ tiêu, không đánh giá). Ba loại được đếm riêng."
                   f" Để trống là {INDICATOR}."),
        Field("parts", "Chi tiết kết quả",
              help="Kết quả chia thành các phần, dạng “tên=số” cách nhau bằng dấu chấm phẩy,"
                   " ví dụ “hoàn thành=11; dừng=3; bãi bỏ=1; đang thực hiện=15”."),
        Field("sentence", "Câu trong văn bản", help=SENTENCE_HELP),
        _line(),
        _block(),
        Field("result_text", "Kết quả (ghi bằng lời)",
              help="Kết quả viết bằng lời khi không phải một con số, ví dụ “đã ký ngày"
                   " 10/3/2025, có 07 điều khoản có lợi hơn quy định của pháp luật”."),
        _order(),
    ),
)

AWARDS = FileSpec(
    "awards.csv", "Khen thưởng",
    help="Mỗi dòng một số lượng khen thưởng: ai tặng, danh hiệu gì, cho ai, bao nhiêu.",
    fields=(
        Field("stream", "Khối", CHOICE, required=True, nonempty=True,
              choices=tuple(STREAMS), choice_labels=STREAMS),
        Field("granted_by", "Cấp tặng", required=True, nonempty=True,
              help="Người/cơ quan tặng hoặc công nhận, ví dụ Chủ tịch UBND tỉnh."),
        Field("title", "Danh hiệu, hình thức", required=True, nonempty=True),
        Field("recipient", "Đối tượng", CHOICE, required=True, nonempty=True,
              choices=tuple(RECIPIENTS), choice_labels=RECIPIENTS),
        Field("count", "Số lượng", INTEGER, required=True, minimum=0,
              help="Để trống nếu chưa có số liệu."),
        Field("state", "Trạng thái", CHOICE, required=True, nonempty=True,
              choices=tuple(STATES), choice_labels=STATES),
        Field("decision", "Quyết định", required=True,
              help="Số quyết định, nhiều số cách nhau bằng dấu chấm phẩy."),
        Field("level", "Cấp", CHOICE, choices=tuple(LEVELS), choice_labels=LEVELS,
              help="Để trống thì suy ra từ cột Cấp tặng."),
        Field("code", "Mã danh hiệu", help="Ví dụ cstdcs, ldtt; để trống thì suy ra từ tên."),
        Field("part", "Trong đó",
              help="Dòng chi tiết của một dòng tổng cùng danh hiệu, ví dụ “Phòng, đơn vị thuộc Sở”."),
        Field("note", "Ghi chú"),
        Field("source", "Nguồn"),
        Field("block", "Viết trong khối",
              help="Mục hoặc khối (cột Mục của sections.csv) nơi dòng khen thưởng này được viết"
                   " trong văn bản, ví dụ 5.1.a; để trống: không viết vào văn bản (chỉ có ở phụ"
                   " lục)."),
        _line("khen thưởng"),
        Field("sentence", "Câu trong văn bản",
              help="Câu viết trong văn bản, chỗ điền: {title} danh hiệu, {granted_by} cấp tặng,"
                   " {count} số lượng ({count:02}: hai chữ số), {recipient} (cá nhân/tập thể),"
                   " {part}, {decision}, {note}, {year}. Để trống: văn bản tự viết “Cấp tặng"
                   " tặng Danh hiệu: 01 tập thể, 03 cá nhân (Quyết định số …)”, gộp các dòng"
                   " liền nhau cùng cấp tặng, danh hiệu và quyết định."),
        Field("unit", "Gọi đối tượng là",
              help="Cách báo cáo gọi người hoặc tập thể được khen, ví dụ “đoàn viên”, “tổ công"
                   " đoàn”, “nữ đoàn viên”; để trống: “cá nhân” hoặc “tập thể”."),
        _order(),
    ),
)

CONTRIBUTIONS = FileSpec(
    "contributions.csv", "Đóng góp, hỗ trợ",
    help="Các đợt vận động quỹ và các khoản hỗ trợ, thăm hỏi.",
    fields=(
        Field("kind", "Loại", CHOICE, required=True, nonempty=True,
              choices=tuple(KINDS), choice_labels=KINDS),
        Field("name", "Nội dung", required=True, nonempty=True),
        Field("cases", "Số trường hợp", INTEGER, required=True, minimum=0),
        Field("amount_vnd", "Số tiền (đồng)", INTEGER, required=True, minimum=0,
              help="Số tiền bằng đồng, viết liền: 39030000."),
        Field("note", "Ghi chú", required=True),
        Field("per_case_vnd", "Mức mỗi trường hợp (đồng)", INTEGER, minimum=0),
        Field("source", "Nguồn"),
        Field("section", "Mục",
              help="Mục (cột Mục của sections.csv) nơi dòng này được viết trong văn bản; để"
                   " trống: không viết vào văn bản (chỉ có ở phụ lục và trong {funds})."),
        _line("đóng góp"),
        Field("sentence", "Câu trong văn bản",
              help="Câu viết trong văn bản, chỗ điền: {name}, {amount} số tiền (“39.030.000"
                   " đồng”), {cases} số trường hợp ({cases:02}), {per_case} mức mỗi trường hợp,"
                   " {note}, {year}. Để trống: “Quỹ …: 39.030.000 đồng”, hoặc với hỗ trợ “…: 02"
                   " trường hợp × 3.000.000 đồng = 6.000.000 đồng”."),
        _order(),
    ),
)

SECTIONS = FileSpec(
    "sections.csv", "Mục", required=False,
    help="Các mục của báo cáo và đánh giá chung mà báo cáo ghi ở tiêu đề mục (không bắt buộc).",
    fields=(
        Field("section", "Mục", required=True, nonempty=True, unique=True),
        Field("title", "Tên mục", required=True, nonempty=True),
        Field("reported_status", "Báo cáo đánh giá", **_VERDICT),
        Field("stated_rollup", "Câu tổng hợp của báo cáo",
              help="Ví dụ “Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu”."),
        Field("source", "Nguồn"),
        Field("label", "Số mục in trong văn bản",
              help="Số hoặc dấu đầu mục đúng như văn bản in: “1.”, “1.2.”, “a.”, “a)”, “-”, “*”;"
                   " để trống: lấy từ cột Mục (1.2 → “1.2.”, 1.2.a → “a.”)."),
        Field("heading", "Tiêu đề mục trong văn bản",
              help="Tiêu đề đúng như văn bản viết, có thể chứa {title} tên mục, {rollup} câu"
                   " tổng hợp tính từ các chỉ tiêu (“Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu”),"
                   " {verdict_text} đánh giá chung của mục, {year}; viết hoa chữ đầu tên chỗ điền"
                   " ({Verdict_text}) để viết hoa. Để trống: tên mục và dấu hai chấm."),
        Field("text", "Đoạn văn của mục",
              help="Các dòng viết ngay dưới tiêu đề; xuống dòng trong ô để tách dòng, dòng bắt"
                   " đầu bằng “- ”, “+ ”, “* ” là một gạch đầu dòng."),
        Field("layout", "Cách trình bày", CHOICE, choices=tuple(LAYOUTS), choice_labels=LAYOUTS,
              help="list: mỗi dòng một gạch đầu dòng; inline: dòng đầu tiên viết liền sau tiêu"
                   " đề mục (“a. Tiêu đề: kết quả …”); letters: mỗi dòng đánh chữ a., b., c.;"
                   " table: các chỉ tiêu của mục thành bảng STT, Chỉ tiêu, Kế hoạch, Thực hiện,"
                   " Đánh giá. Để trống: list."),
    ),
)

PLAN = FileSpec(
    "plan.csv", "Phương hướng", required=False,
    help="Phương hướng, nhiệm vụ kỳ sau (không bắt buộc): các chỉ tiêu đề ra cho năm sau. In"
         " thành phần phương hướng của văn bản; “tongket new-year” lấy làm chỉ tiêu của năm mới.",
    fields=(
        Field("id", "Mã", unique=True,
              help="Mã của chỉ tiêu năm nay mà dòng này đặt chỉ tiêu cho năm sau (cột Mã của"
                   " trang Chỉ tiêu); mã mới: một chỉ tiêu mới của năm sau. Để trống: chỉ in."),
        Field("section", "Mục",
              help="Mục nơi dòng được in (cột Mục của sections.csv); để trống: phần “Phương"
                   " hướng, nhiệm vụ” ở cuối văn bản."),
        Field("name", "Nội dung", required=True, nonempty=True,
              help="Tên chỉ tiêu như phần phương hướng viết, ví dụ “Tỷ lệ thất thoát nước”."),
        Field("target", "Chỉ tiêu", TARGET, required=True,
              help="Chỉ tiêu năm sau, viết như báo cáo: “không quá 17%”, “ít nhất 05 sáng kiến”,"
                   " “10.000.000 m3”; hoặc ký hiệu >= 90."),
        Field("target_text", "Chỉ tiêu (nguyên văn)",
              help="Cách báo cáo viết chỉ tiêu, nếu khác cột Chỉ tiêu."),
        Field("unit", "Đơn vị tính"),
        Field("note", "Ghi chú"),
        Field("sentence", "Câu trong văn bản",
              help="Câu in trong văn bản, chỗ điền: {name}, {target}, {unit}, {year}; để trống:"
                   " “Tên: chỉ tiêu.”."),
        _line("phương hướng"),
        _order(),
    ),
)

#: the CSV files of a year folder, in the order they are read and shown
CSV_FILES: tuple[FileSpec, ...] = (INDICATORS, AWARDS, CONTRIBUTIONS, SECTIONS, PLAN)

# -- meta.yaml: the year's facts ------------------------------------------------------------

META_FILE = "meta.yaml"
#: free-text keys and what each holds, as messages and the Excel sheet name them
META_TEXT_KEYS: dict[str, str] = {
    "organisation": "tên cơ quan",
    "union": "tên công đoàn",
    "title": "tiêu đề báo cáo",
    "document_type": "loại văn bản",
    "issuer": "nơi ban hành",
    "notes": "ghi chú",
    "unit": "mã đơn vị",
    "upper_union": "công đoàn cấp trên",
    "header_upper": "dòng 1 góc trái văn bản (công đoàn cấp trên, chữ in hoa)",
    "header_issuer": "dòng 2 góc trái văn bản (đơn vị ban hành, chữ in hoa)",
    "number": "số, ký hiệu văn bản",
    "place": "địa danh",
    "date": "ngày ban hành (dd/mm/yyyy, để trống nếu chưa có)",
    "opening": "câu mở đầu",
    "closing": "câu kết thúc",
}
META_REQUIRED: tuple[str, ...] = ("year", "title")
#: what the document needs a person to fill: empty, each is a warning of ``check`` (the
#: document prints a dotted blank meanwhile)
META_TO_FILL: tuple[str, ...] = ("organisation", "union", "header_upper", "header_issuer",
                                 "place")
#: every top-level key, in the order meta.yaml is written
META_KEYS: tuple[str, ...] = (
    "year", "unit", "organisation", "union", "upper_union", "header_upper", "header_issuer",
    "document_type", "number", "place", "date", "title", "issuer", "synthetic", "opening",
    "closing", "numbering", "above_minimum", "legal_bases", "decisions", "recipients", "signatory", "notes")
#: the meta key of the organisation's reading of a minimum target (vocab.ABOVE_MINIMUM)
ABOVE_MINIMUM_KEY = "above_minimum"
#: how the document numbers its top-level parts
NUMBERINGS = {"arabic": "1., 2., 3. (như dữ liệu ghi)", "roman": "I., II., III., mục con 1., 2."}
#: the keys of each list entry, with the column headings of the Excel meta sheet
META_LISTS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "legal_bases": ("Căn cứ", (("kind", "Loại văn bản"), ("number", "Số hiệu"), ("date", "Ngày"),
                               ("issuer", "Cơ quan ban hành"), ("text", "Nội dung căn cứ"))),
    "decisions": ("Quyết định", (("number", "Số quyết định"), ("date", "Ngày"),
                                 ("issuer", "Người ký"), ("subject", "Trích yếu"))),
    "recipients": ("Nơi nhận", (("value", "Nơi nhận"),)),
}
#: the signature block's keys, with their Excel labels
META_SIGNATORY: tuple[tuple[str, str], ...] = (
    ("on_behalf", "Thay mặt (TM.)"), ("authority", "Ký thay (KT.), nếu có"),
    ("title", "Chức vụ người ký"), ("name", "Họ tên người ký"))

# -- rules.yaml: rules that constrain the figures --------------------------------------------

RULES_FILE = "rules.yaml"
#: the checks a rule can ask for
RULE_CHECKS: dict[str, str] = {
    "ratio_at_most": "tỷ lệ tối đa",
    "ratio_at_least": "tỷ lệ tối thiểu",
}
RULE_KEYS: tuple[str, ...] = (
    "id", "title", "source", "quote", "quote_verified", "in_force_from", "in_force_until",
    "applies_to", "check", "numerator", "denominator", "limit_percent", "states", "severity")
RULE_REQUIRED: tuple[str, ...] = (
    "id", "title", "source", "in_force_from", "check", "numerator", "denominator",
    "limit_percent")
