"""What a year folder holds: its files, their columns, and what each column accepts.

The single description the loader, the validator, the Excel workbook and the new-year
scaffold all read. Column names are English snake_case; ``label`` is the Vietnamese
header a person sees in Excel and in messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tongket_lib.vocab import (
    EXCEEDED,
    EXPECTED,
    GRANTED,
    IN_PROGRESS,
    INDICATOR,
    LABELS,
    MET,
    NOT_ASSESSED,
    NOT_DONE,
    NOT_MET,
    PROPOSED,
    ROW_KINDS,
    STATES,
    VERDICTS,
    VIETNAMESE_WORDS,
)

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
    #: the label a person reads and picks in the workbook for each code, in the order the
    #: drop-down list offers them
    choice_labels: dict[str, str] = field(default_factory=dict)
    #: other words a person may write for a code in the workbook (the report's own words,
    #: earlier labels); read in any case, with or without diacritics, as the labels are
    choice_words: dict[str, str] = field(default_factory=dict)
    minimum: float | None = None
    help: str = ""
    #: a row of the workbook that leaves this column empty gets a value made from that
    #: column on import (a slug of it, unique in the sheet): a person never invents an id
    made_from: str = ""


@dataclass(frozen=True)
class FileSpec:
    name: str
    label: str  # Vietnamese name (Excel sheet)
    fields: tuple[Field, ...]
    required: bool = True
    help: str = ""
    #: the columns the workbook shows first, in this order (the essential ones); the
    #: others follow in the order of ``fields``
    first: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def required_columns(self) -> list[str]:
        return [f.name for f in self.fields if f.required]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


DIRECTIONS = {"higher": "Cao hơn là tốt", "lower": "Thấp hơn là tốt"}
STREAMS = {"government": "Chính quyền", "union": "Công đoàn"}
RECIPIENTS = {"individual": "Cá nhân", "collective": "Tập thể", "mixed": "Tập thể và cá nhân"}
LEVELS = {"central": "Trung ương", "province": "Tỉnh", "agency": "Cơ quan, đơn vị"}
KINDS = {"fund": "Vận động quỹ", "support": "Hỗ trợ, thăm hỏi"}
#: how a line of the report document starts (see tongket_lib.document)
LINES = {"-": "Gạch đầu dòng “-”", "+": "Dấu “+”", "*": "Dấu “*”",
         "paragraph": "Đoạn văn (không dấu đầu dòng)", "join": "Viết nối vào dòng trên"}
LINE_WORDS = {"gạch đầu dòng": "-", "đoạn văn": "paragraph", "viết nối": "join", "nối": "join"}
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

#: a verdict as the workbook offers it, in the order a person weighs them
VERDICT_LABELS = {EXCEEDED: "Vượt", MET: "Đạt", NOT_MET: "Không đạt", NOT_DONE: "Không thực hiện",
                  EXPECTED: "Ước đạt", IN_PROGRESS: "Đang thực hiện", PROPOSED: "Đang đề nghị",
                  NOT_ASSESSED: "Chưa đánh giá"}
_VERDICT: dict[str, Any] = {
    "kind": CHOICE, "choices": VERDICTS, "choice_labels": VERDICT_LABELS,
    "choice_words": {**{label: code for code, label in LABELS.items()}, **VIETNAMESE_WORDS,
                     "đề nghị": PROPOSED, "đề xuất": PROPOSED}}
#: an award's state as the workbook offers it
AWARD_STATES = {GRANTED: "Đã công nhận", PROPOSED: "Đang đề nghị"}
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
                 choice_words=LINE_WORDS,
                 help=f"Dòng này bắt đầu thế nào trong văn bản: gạch đầu dòng “-” (-), dấu “+”"
                      f" (+), dấu “*” (*), đoạn văn không dấu đầu dòng (paragraph), hay viết nối"
                      f" vào dòng {what} trên (join). Để trống: “-” (hoặc theo cách trình bày"
                      f" của mục).")


def _block() -> Field:
    return Field("block", "Viết trong khối",
                 help="Mục hoặc khối con (cột Mục của sections.csv) nơi dòng này được viết, ví"
                      " dụ 1.2.f.co_quan; để trống: viết trong mục của dòng.")

INDICATORS = FileSpec(
    "indicators.csv", "Chỉ tiêu",
    help="Mỗi dòng một chỉ tiêu (một con số đo được), một trách nhiệm hay một kết quả của báo"
         " cáo.",
    first=("section", "name", "kind", "target", "actual", "unit", "result_text",
           "reported_status", "note"),
    fields=(
        Field("id", "Mã", required=True, nonempty=True, unique=True, made_from="name",
              help="Mã ngắn, không dấu, ổn định qua các năm, ví dụ tthc_dung_han. Trong Excel"
                   " cột này khóa: dòng thêm mới để trống, khi nhập tongket tự đặt mã từ tên."),
        Field("section", "Mục", required=True, nonempty=True,
              help="Số mục như trong báo cáo, ví dụ 1.2.d."),
        Field("section_title", "Tên mục", required=True, help="Tên mục như trong báo cáo."),
        Field("name", "Tên chỉ tiêu", required=True, nonempty=True,
              help="Tên chỉ tiêu, trách nhiệm hay kết quả, như báo cáo viết."),
        Field("target", "Chỉ tiêu", TARGET, required=True,
              help="Viết như báo cáo: “90% trở lên”, “không quá 18%”, “ít nhất 05 sáng kiến”,"
                   " “từ 10 - 15%”, “98% trở lên; phấn đấu 99%” (cách viết được giữ để in); hoặc"
                   " ký hiệu >= 90, > 80, <= 0, < 1, 10..15, = 12 (số viết dấu chấm thập phân)."
                   " Để trống nếu báo cáo không nêu."),
        Field("actual", "Thực hiện", NUMBER, required=True,
              help="Một con số: trong Excel nhập số (99,4); trong tệp CSV viết dấu chấm thập"
                   " phân (99.4), không dấu phân cách hàng nghìn. Để trống nếu báo cáo không"
                   " nêu hoặc kết quả ghi bằng lời."),
        Field("unit", "Đơn vị tính", required=True, help="Ví dụ %, văn bản, hồ sơ, cuộc."),
        Field("direction", "Chiều tốt", CHOICE,
              choices=tuple(DIRECTIONS), choice_labels=DIRECTIONS,
              choice_words={"càng cao càng tốt": "higher", "càng thấp càng tốt": "lower",
                            "cao": "higher", "thấp": "lower"},
              help="Cao hơn là tốt (higher) hay thấp hơn là tốt (lower). Để trống: suy ra từ"
                   " chỉ tiêu (“không quá”, “dưới”, “không để xảy ra”: thấp hơn là tốt; còn lại:"
                   " cao hơn là tốt)."),
        Field("reported_status", "Báo cáo đánh giá", required=True, **_VERDICT,
              help="Đánh giá báo cáo ghi cho dòng này (Vượt, Đạt, Không đạt …; viết như báo"
                   " cáo “đạt chỉ tiêu” cũng được); để trống nếu báo cáo không ghi."),
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
              choice_words={"trách nhiệm": "duty", "giao ước": "duty", "nhiệm vụ": "duty",
                            "kết quả đạt được": "result"},
              help=f"Chỉ tiêu ({INDICATOR}); trách nhiệm, giao ước (duty); kết quả (result: một"
                   f" con số báo cáo nêu, không có chỉ tiêu, không đánh giá). Ba loại được đếm"
                   f" riêng. Để trống là chỉ tiêu."),
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
    first=("block", "stream", "granted_by", "title", "recipient", "count", "unit", "state",
           "decision", "note"),
    fields=(
        Field("stream", "Khối", CHOICE, required=True, nonempty=True,
              choices=tuple(STREAMS), choice_labels=STREAMS,
              help="Khen thưởng của chính quyền (UBND, thủ trưởng cơ quan) hay của công đoàn."),
        Field("granted_by", "Cấp tặng", required=True, nonempty=True,
              help="Người/cơ quan tặng hoặc công nhận, ví dụ Chủ tịch UBND tỉnh."),
        Field("title", "Danh hiệu, hình thức", required=True, nonempty=True,
              help="Như quyết định ghi, ví dụ “Lao động tiên tiến”, “Giấy khen”."),
        Field("recipient", "Đối tượng", CHOICE, required=True, nonempty=True,
              choices=tuple(RECIPIENTS), choice_labels=RECIPIENTS,
              choice_words={"tập thể, cá nhân": "mixed", "cá nhân và tập thể": "mixed",
                            "cá nhân, tập thể": "mixed"},
              help="Khen cho cá nhân, cho tập thể, hay một dòng gộp cả hai."),
        Field("count", "Số lượng", INTEGER, required=True, minimum=0,
              help="Để trống nếu chưa có số liệu."),
        Field("state", "Trạng thái", CHOICE, required=True, nonempty=True,
              choices=tuple(STATES), choice_labels=AWARD_STATES,
              choice_words={**{label: code for code, label in STATES.items()},
                            "đã khen thưởng": GRANTED, "đã khen": GRANTED, "đã tặng": GRANTED,
                            "đề nghị": PROPOSED, "đề xuất": PROPOSED, "đang đề xuất": PROPOSED},
              help="Đã công nhận (đã có quyết định) hay đang đề nghị cấp trên."),
        Field("decision", "Quyết định", required=True,
              help="Số quyết định, nhiều số cách nhau bằng dấu chấm phẩy."),
        Field("level", "Cấp", CHOICE, choices=tuple(LEVELS), choice_labels=LEVELS,
              help="Để trống thì suy ra từ cột Cấp tặng."),
        Field("code", "Mã danh hiệu", help="Ví dụ cstdcs, ldtt; để trống thì suy ra từ tên."),
        Field("part", "Trong đó",
              help="Dòng chi tiết của một dòng tổng cùng danh hiệu, ví dụ “Phòng, đơn vị thuộc Sở”."),
        Field("note", "Ghi chú", help="Ghi chú thêm, không in trong câu (trừ khi câu có {note})."),
        Field("source", "Nguồn", help="Câu trong báo cáo mà dòng này lấy ra (để đối chiếu)."),
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
    first=("section", "kind", "name", "cases", "per_case_vnd", "amount_vnd", "note"),
    fields=(
        Field("kind", "Loại", CHOICE, required=True, nonempty=True,
              choices=tuple(KINDS), choice_labels=KINDS,
              choice_words={"quỹ": "fund", "vận động": "fund", "hỗ trợ": "support",
                            "thăm hỏi": "support"},
              help="Vận động quỹ (tiền đóng góp) hay hỗ trợ, thăm hỏi (tiền chi cho người"
                   " được hỗ trợ)."),
        Field("name", "Nội dung", required=True, nonempty=True,
              help="Tên quỹ hoặc khoản hỗ trợ, ví dụ “Quỹ Vì người nghèo”, “Thăm hỏi ốm đau”."),
        Field("cases", "Số trường hợp", INTEGER, required=True, minimum=0,
              help="Số người hoặc lượt được hỗ trợ; để trống với quỹ."),
        Field("amount_vnd", "Số tiền (đồng)", INTEGER, required=True, minimum=0,
              help="Số tiền bằng đồng: trong Excel nhập số (39.030.000 hay 39030000); trong tệp"
                   " CSV viết liền: 39030000."),
        Field("note", "Ghi chú", required=True, help="Ghi chú thêm của báo cáo."),
        Field("per_case_vnd", "Mức mỗi trường hợp (đồng)", INTEGER, minimum=0,
              help="Số tiền cho mỗi trường hợp, khi mọi trường hợp như nhau."),
        Field("source", "Nguồn", help="Câu trong báo cáo mà dòng này lấy ra (để đối chiếu)."),
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
    first=("section", "title", "layout", "reported_status", "text", "heading"),
    fields=(
        Field("section", "Mục", required=True, nonempty=True, unique=True,
              help="Số mục, mỗi mục một dòng, ví dụ 1, 1.2, 1.2.a; các trang khác ghi số này ở"
                   " cột Mục."),
        Field("title", "Tên mục", required=True, nonempty=True,
              help="Tên mục như báo cáo viết, ví dụ “Công tác tuyên truyền”."),
        Field("reported_status", "Báo cáo đánh giá", **_VERDICT,
              help="Đánh giá chung báo cáo ghi cho cả mục; để trống nếu báo cáo không ghi."),
        Field("stated_rollup", "Câu tổng hợp của báo cáo",
              help="Ví dụ “Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu”."),
        Field("source", "Nguồn", help="Câu trong báo cáo mà dòng này lấy ra (để đối chiếu)."),
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
              choice_words={"gạch đầu dòng": "list", "viết liền": "inline",
                            "đánh chữ": "letters", "a., b., c.": "letters", "bảng": "table"},
              help="Gạch đầu dòng (list): mỗi dòng một gạch đầu dòng; dòng đầu viết liền tiêu đề"
                   " (inline): dòng đầu tiên viết liền sau tiêu đề mục (“a. Tiêu đề: kết quả"
                   " …”); đánh chữ (letters): mỗi dòng đánh chữ a., b., c.; bảng (table): các"
                   " chỉ tiêu của mục thành bảng STT, Chỉ tiêu, Kế hoạch, Thực hiện, Đánh giá."
                   " Để trống: gạch đầu dòng."),
    ),
)

PLAN = FileSpec(
    "plan.csv", "Phương hướng", required=False,
    help="Phương hướng, nhiệm vụ kỳ sau (không bắt buộc): các chỉ tiêu đề ra cho năm sau. In"
         " thành phần phương hướng của văn bản; “tongket new-year” lấy làm chỉ tiêu của năm mới.",
    first=("section", "name", "target", "unit", "id", "note"),
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
        Field("unit", "Đơn vị tính", help="Ví dụ %, sáng kiến, đoàn viên."),
        Field("note", "Ghi chú", help="Ghi chú thêm, không in."),
        Field("sentence", "Câu trong văn bản",
              help="Câu in trong văn bản, chỗ điền: {name}, {target}, {unit}, {year}; để trống:"
                   " “Tên: chỉ tiêu.”."),
        _line("phương hướng"),
        _order(),
    ),
)

#: the CSV files of a year folder, in the order they are read and shown
CSV_FILES: tuple[FileSpec, ...] = (INDICATORS, AWARDS, CONTRIBUTIONS, SECTIONS, PLAN)

# -- meta.yaml and rules.yaml: their keys live in metakeys, named here too -----------------

from tongket_lib.dataset.metakeys import (  # noqa: E402, F401  (re-exported: schema is the one description)
    ABOVE_MINIMUM_KEY,
    META_CHOICES,
    META_FILE,
    META_HELP,
    META_KEYS,
    META_LABEL,
    META_LISTS,
    META_REQUIRED,
    META_SIGNATORY,
    META_TEXT_KEYS,
    META_TO_FILL,
    NUMBERINGS,
    RULE_CHECKS,
    RULE_KEYS,
    RULE_REQUIRED,
    RULES_FILE,
)
