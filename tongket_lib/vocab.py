"""The vocabulary: verdicts, severities of findings, award states and the demo banner.

Verdicts: machine codes, Vietnamese labels, colours and order.

Codes are what data and code use; labels are what a person reads. The order is the
one the report's own sentences use: vượt, đạt, ước đạt, đang thực hiện, không đạt,
chưa đánh giá.
"""

from __future__ import annotations

EXCEEDED = "exceeded"
MET = "met"
EXPECTED = "expected"
IN_PROGRESS = "in_progress"
NOT_MET = "not_met"
NOT_ASSESSED = "not_assessed"

#: every verdict code, in the report's fixed order
VERDICTS: tuple[str, ...] = (EXCEEDED, MET, EXPECTED, IN_PROGRESS, NOT_MET, NOT_ASSESSED)

#: label shown to readers
LABELS: dict[str, str] = {
    EXCEEDED: "Vượt chỉ tiêu",
    MET: "Đạt chỉ tiêu",
    EXPECTED: "Ước đạt",
    IN_PROGRESS: "Đang thực hiện",
    NOT_MET: "Không đạt chỉ tiêu",
    NOT_ASSESSED: "Chưa đánh giá",
}

#: the word used in a roll-up sentence ("Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu")
SENTENCE_WORDS: dict[str, str] = {
    EXCEEDED: "vượt",
    MET: "đạt",
    EXPECTED: "ước đạt",
    IN_PROGRESS: "đang thực hiện",
    NOT_MET: "không đạt",
    NOT_ASSESSED: "chưa đánh giá",
}

#: one colour per verdict, the same in every chart and label (colour-blind safe
#: enough: blue/green/teal/amber/red/grey differ in lightness too)
COLOURS: dict[str, str] = {
    EXCEEDED: "#1f5fa8",
    MET: "#2e8540",
    EXPECTED: "#5fa8a0",
    IN_PROGRESS: "#d9a400",
    NOT_MET: "#c0392b",
    NOT_ASSESSED: "#9e9e9e",
}

#: text colour that reads on each background
TEXT_COLOURS: dict[str, str] = {
    EXCEEDED: "#ffffff",
    MET: "#ffffff",
    EXPECTED: "#0b2e2b",
    IN_PROGRESS: "#2b2100",
    NOT_MET: "#ffffff",
    NOT_ASSESSED: "#1a1a1a",
}

#: how the CSV may also spell a verdict (the report's own words), for hints
VIETNAMESE_WORDS: dict[str, str] = {
    "vượt chỉ tiêu": EXCEEDED,
    "vượt": EXCEEDED,
    "đạt chỉ tiêu": MET,
    "đạt": MET,
    "ước đạt": EXPECTED,
    "đang thực hiện": IN_PROGRESS,
    "đang đề xuất": IN_PROGRESS,
    "không đạt chỉ tiêu": NOT_MET,
    "không đạt": NOT_MET,
    "chưa đánh giá": NOT_ASSESSED,
    "chưa có số liệu": NOT_ASSESSED,
}


def label(code: str | None) -> str:
    """Vietnamese label of a verdict code.

    >>> label("not_met")
    'Không đạt chỉ tiêu'
    """
    return LABELS.get(code or NOT_ASSESSED, LABELS[NOT_ASSESSED])


# -- findings of the checks ----------------------------------------------------------------

ERROR, WARNING, INFO = "error", "warning", "info"
#: every severity, most serious first
SEVERITIES: tuple[str, ...] = (ERROR, WARNING, INFO)
SEVERITY_LABELS: dict[str, str] = {ERROR: "Lỗi", WARNING: "Cảnh báo", INFO: "Thông tin"}

# -- the state of an award -----------------------------------------------------------------

GRANTED, PROPOSED = "granted", "proposed"
STATES: dict[str, str] = {GRANTED: "Đã khen thưởng, công nhận", PROPOSED: "Đề nghị"}

# -- made-up data --------------------------------------------------------------------------

#: the line every report and file made from demonstration data carries
BANNER = "Dữ liệu minh họa – không phải số liệu thật"
#: the words that mark a file as demonstration data
BANNER_MARKER = "Dữ liệu minh họa"
