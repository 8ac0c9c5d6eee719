"""The vocabulary: verdicts, severities of findings, award states and the demo banner.

Verdicts: machine codes, Vietnamese labels, colours and order.

Codes are what data and code use; labels are what a person reads. The order is the
one the report's own sentences use: vượt, đạt, ước đạt, đang thực hiện, đang đề nghị,
không đạt, chưa đánh giá.

Every final verdict also has a source (:data:`SOURCES`): computed from the figures,
stated by the report for this item, inherited from its section's overall verdict, or
none. Each source has its own wording (:data:`SOURCE_LABELS`), so an inferred verdict
is never shown as the report's own.
"""

from __future__ import annotations

EXCEEDED = "exceeded"
MET = "met"
EXPECTED = "expected"
IN_PROGRESS = "in_progress"
#: proposed, waiting for a decision above (“đang đề nghị”, “đang đề xuất”); the same code
#: as an award's state :data:`PROPOSED` below
PROPOSED = "proposed"
NOT_MET = "not_met"
#: not carried out (“không thực hiện”): a failure, its reason kept beside it
NOT_DONE = "not_done"
NOT_ASSESSED = "not_assessed"

#: every verdict code, in the report's fixed order
VERDICTS: tuple[str, ...] = (EXCEEDED, MET, EXPECTED, IN_PROGRESS, PROPOSED, NOT_MET,
                               NOT_DONE, NOT_ASSESSED)
#: the verdicts that are a failure (an item not reached, or not carried out)
FAILED: tuple[str, ...] = (NOT_MET, NOT_DONE)

#: label shown to readers
LABELS: dict[str, str] = {
    EXCEEDED: "Vượt chỉ tiêu",
    MET: "Đạt chỉ tiêu",
    EXPECTED: "Ước đạt",
    IN_PROGRESS: "Đang thực hiện",
    PROPOSED: "Đang đề nghị",
    NOT_MET: "Không đạt chỉ tiêu",
    NOT_DONE: "Không thực hiện",
    NOT_ASSESSED: "Chưa đánh giá",
}

#: the word used in a roll-up sentence ("Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu")
SENTENCE_WORDS: dict[str, str] = {
    EXCEEDED: "vượt",
    MET: "đạt",
    EXPECTED: "ước đạt",
    IN_PROGRESS: "đang thực hiện",
    PROPOSED: "đang đề nghị",
    NOT_MET: "không đạt",
    NOT_DONE: "không thực hiện",
    NOT_ASSESSED: "chưa đánh giá",
}

#: one colour per verdict, the same in every chart and label (colour-blind safe
#: enough: blue/green/teal/amber/violet/red/grey differ in lightness too)
COLOURS: dict[str, str] = {
    EXCEEDED: "#1f5fa8",
    MET: "#2e8540",
    EXPECTED: "#5fa8a0",
    IN_PROGRESS: "#d9a400",
    PROPOSED: "#8e6bbf",
    NOT_MET: "#c0392b",
    NOT_DONE: "#6e2c00",
    NOT_ASSESSED: "#9e9e9e",
}

#: text colour that reads on each background
TEXT_COLOURS: dict[str, str] = {
    EXCEEDED: "#ffffff",
    MET: "#ffffff",
    EXPECTED: "#0b2e2b",
    IN_PROGRESS: "#2b2100",
    PROPOSED: "#ffffff",
    NOT_MET: "#ffffff",
    NOT_DONE: "#ffffff",
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
    "đang đề nghị": PROPOSED,
    "đang đề xuất": PROPOSED,
    "không đạt chỉ tiêu": NOT_MET,
    "không đạt": NOT_MET,
    "không thực hiện": NOT_DONE,
    "chưa đánh giá": NOT_ASSESSED,
    "chưa có số liệu": NOT_ASSESSED,
}


def label(code: str | None) -> str:
    """Vietnamese label of a verdict code.

    >>> label("not_met")
    'Không đạt chỉ tiêu'
    """
    return LABELS.get(code or NOT_ASSESSED, LABELS[NOT_ASSESSED])


# -- where a verdict comes from ------------------------------------------------------------

COMPUTED, REPORTED, SECTION, NONE = "computed", "reported", "section", "none"
#: every verdict source: computed from target and actual; stated by the report for the
#: item; inherited from the overall verdict of its section; none
SOURCES: tuple[str, ...] = (COMPUTED, REPORTED, SECTION, NONE)
SOURCE_LABELS: dict[str, str] = {
    COMPUTED: "tính từ số liệu",
    REPORTED: "theo báo cáo",
    SECTION: "theo đánh giá chung của mục",
    NONE: "chưa đánh giá",
}



# -- what a row counts as ------------------------------------------------------------------

INDICATOR, DUTY, RESULT = "indicator", "duty", "result"
#: what a row of indicators.csv is: a measurable indicator (chỉ tiêu), a duty or
#: undertaking (trách nhiệm, giao ước), or a plain result (kết quả: a figure reported
#: without a target, which has no verdict at all); the three are counted apart
ROW_KINDS: dict[str, str] = {INDICATOR: "Chỉ tiêu", DUTY: "Trách nhiệm, giao ước",
                             RESULT: "Kết quả"}
#: the kinds of row that take a verdict
JUDGED: tuple[str, ...] = (INDICATOR, DUTY)
#: the noun a count of each kind takes in a sentence
KIND_NOUNS: dict[str, str] = {INDICATOR: "chỉ tiêu", DUTY: "nội dung", RESULT: "kết quả"}

# -- the organisation's reading of a minimum target --------------------------------------

#: what a result above a minimum target (“90% trở lên”, “ít nhất 4”) is called: the seed
#: calls it “đạt” (MET, the strict reading); many unions call it “vượt” (EXCEEDED)
ABOVE_MINIMUM: dict[str, str] = {MET: "Đạt (chỉ vượt khi qua ngưỡng vượt)",
                                 EXCEEDED: "Vượt"}


# -- findings of the checks ----------------------------------------------------------------

ERROR, WARNING, INFO = "error", "warning", "info"
#: every severity, most serious first
SEVERITIES: tuple[str, ...] = (ERROR, WARNING, INFO)
SEVERITY_LABELS: dict[str, str] = {ERROR: "Lỗi", WARNING: "Cảnh báo", INFO: "Thông tin"}

# -- the state of an award -----------------------------------------------------------------

GRANTED = "granted"
STATES: dict[str, str] = {GRANTED: "Đã khen thưởng, công nhận", PROPOSED: "Đề nghị"}
#: how a count of awards in each state is said (“448 lượt cá nhân đã công nhận, đã khen”)
STATE_WORDS: dict[str, str] = {GRANTED: "đã công nhận, đã khen", PROPOSED: "đang đề nghị"}

# -- made-up data --------------------------------------------------------------------------

#: the line every report and file made from demonstration data carries
BANNER = "Dữ liệu minh họa – không phải số liệu thật"
#: the words that mark a file as demonstration data
BANNER_MARKER = "Dữ liệu minh họa"
