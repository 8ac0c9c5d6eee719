"""The keys of meta.yaml (the period's facts: who reports, the document's form, the
signature, the lists of bases, decisions and recipients, with their labels, help and
choices) and of rules.yaml. Part of the one description :mod:`~tongket_lib.dataset.schema`
gives (which names them all); the loader, the validator, the workbook and new-year read
them there."""

from __future__ import annotations

from tongket_lib.vocab import ABOVE_MINIMUM

# -- meta.yaml: the period's facts ----------------------------------------------------------

META_FILE = "meta.yaml"
#: the sheet that holds meta.yaml in the workbook (as a CSV file's ``label`` names its sheet)
META_LABEL = "Thông tin chung"
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
#: what a person writes for each key, with an example (the workbook's guide says it)
META_HELP: dict[str, str] = {
    "year": "Năm (2024) hoặc năm học (2024-2025) của báo cáo; đúng kỳ ghi khi nhập (--year).",
    "organisation": "Tên đầy đủ của cơ quan, đơn vị, ví dụ “Sở Tài nguyên và Môi trường tỉnh"
                    " Trà Vinh”, “Trường THCS Long Đức”.",
    "union": "Tên công đoàn ra báo cáo, ví dụ “Công đoàn cơ sở Sở Tài nguyên và Môi trường”;"
             " in ở câu mở đầu và câu kết thúc.",
    "title": "Tiêu đề in dưới chữ BÁO CÁO, ví dụ “Tổng kết phong trào thi đua, khen thưởng năm"
             " 2024”.",
    "document_type": "Loại văn bản, in chữ hoa trên tiêu đề; để trống: “Báo cáo”.",
    "issuer": "Người báo cáo, ví dụ “Ban Chấp hành Công đoàn cơ sở”; trang phân tích in"
              " “… báo cáo kết quả như sau:”.",
    "notes": "Ghi chú cho người làm báo cáo (không in).",
    "unit": "Mã đơn vị trong danh sách đơn vị của cấp trên: sổ tính gửi cho đơn vị đã ghi sẵn,"
            " giữ nguyên; để trống nếu không gửi cho cấp trên.",
    "upper_union": "Công đoàn cấp trên trực tiếp, ví dụ “Công đoàn Viên chức tỉnh Trà Vinh”.",
    "header_upper": "Dòng 1 góc trái văn bản, chữ in hoa, ví dụ “CĐ VIÊN CHỨC TỈNH TRÀ VINH”;"
                    " để trống: tên công đoàn cấp trên viết hoa.",
    "header_issuer": "Dòng 2 góc trái văn bản, chữ in hoa, ví dụ “CĐCS SỞ TÀI NGUYÊN VÀ MÔI"
                     " TRƯỜNG”; để trống: tên công đoàn viết hoa.",
    "number": "Số, ký hiệu văn bản, ví dụ “15/BC-CĐCS”; chưa có số: chỉ ghi “/BC-CĐCS”, văn"
              " bản in dấu chấm để điền tay.",
    "place": "Địa danh ghi trước ngày tháng, ví dụ “Trà Vinh”.",
    "date": "Ngày ban hành dd/mm/yyyy, ví dụ 20/12/2024; để trống: văn bản in “ngày … tháng …"
            " năm …” để điền tay.",
    "opening": "Câu mở đầu, sau phần căn cứ; để trống: “Ban Chấp hành … báo cáo kết quả như"
               " sau:”.",
    "closing": "Câu kết thúc; để trống: “Trên đây là báo cáo … của …./.”.",
    "synthetic": "Có: số liệu minh họa, không phải số liệu thật (mỗi trang báo cáo ghi rõ).",
    "numbering": "Các phần lớn của văn bản đánh số 1., 2., 3. như cột Mục ghi, hay I., II.,"
                 " III. (mục con 1., 2.).",
    "above_minimum": "Với chỉ tiêu tối thiểu (“90% trở lên”, “ít nhất 4”), kết quả cao hơn chỉ"
                     " tiêu là Đạt (Vượt chỉ khi qua cột Ngưỡng vượt), hay là Vượt: chọn như"
                     " cơ quan vẫn đánh giá.",
    "signatory.on_behalf": "Dòng thay mặt trên chữ ký, ví dụ “TM. BAN CHẤP HÀNH”.",
    "signatory.authority": "Khi cấp phó ký thay, ví dụ “KT. CHỦ TỊCH”; để trống khi chủ tịch"
                           " ký.",
    "signatory.title": "Chức vụ người ký, ví dụ “Chủ tịch”, “Phó Chủ tịch”.",
    "signatory.name": "Họ tên người ký, ví dụ “Nguyễn Văn A”.",
    "legal_bases": "Các văn bản làm căn cứ, in “Căn cứ …;” ở đầu báo cáo (cột Nội dung căn"
                   " cứ, ví dụ “Kế hoạch số 12/KH-CĐ ngày 15/01/2024 của Công đoàn …”).",
    "decisions": "Các quyết định khen thưởng; cột Quyết định của trang Khen thưởng ghi số"
                 " quyết định ở đây.",
    "recipients": "Nơi nhận in cuối văn bản, ví dụ “Công đoàn cấp trên”, “Lưu: VT”.",
}
#: every top-level key, in the order meta.yaml is written
META_KEYS: tuple[str, ...] = (
    "year", "unit", "organisation", "union", "upper_union", "header_upper", "header_issuer",
    "document_type", "number", "place", "date", "title", "issuer", "synthetic", "opening",
    "closing", "numbering", "above_minimum", "legal_bases", "decisions", "recipients", "signatory", "notes")
#: the meta key of the organisation's reading of a minimum target (vocab.ABOVE_MINIMUM)
ABOVE_MINIMUM_KEY = "above_minimum"
#: how the document numbers its top-level parts
NUMBERINGS = {"arabic": "1., 2., 3. (như dữ liệu ghi)", "roman": "I., II., III., mục con 1., 2."}
#: the keys whose value is one of a few codes: what each holds, and the label of each code
#: (the workbook offers the labels, in this order, as a drop-down list)
META_CHOICES: dict[str, tuple[str, dict[str, str]]] = {
    "numbering": ("cách đánh số các phần của văn bản", NUMBERINGS),
    ABOVE_MINIMUM_KEY: ("kết quả cao hơn chỉ tiêu tối thiểu (“90% trở lên”, “ít nhất 4”) gọi là",
                        ABOVE_MINIMUM),
}
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
