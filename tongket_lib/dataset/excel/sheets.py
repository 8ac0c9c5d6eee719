"""The workbook's layout, shared by writing it and reading it back: sheet names, the
order of each data sheet's columns, which cells a person fills, and the rows of the
meta sheet."""

from __future__ import annotations

from tongket_lib.dataset import schema as S

HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
META_SHEET = S.META_LABEL

#: the meta sheet's rows of one value each: (key, label), the key in column A, the value
#: in column C
META_SCALARS = [("year", "Năm (2024) hoặc năm học (2024-2025)"),
                *((key, what[0].upper() + what[1:]) for key, what in S.META_TEXT_KEYS.items()),
                ("synthetic", "Dữ liệu minh họa (Có/Không)"),
                *((key, what[0].upper() + what[1:]) for key, (what, _) in S.META_CHOICES.items())]
META_SIGNATORY = [(f"signatory.{key}", label) for key, label in S.META_SIGNATORY]
META_LISTS = S.META_LISTS
#: how the meta sheet writes the flag ``synthetic``, and the words it reads for it
SYNTHETIC = {True: "Có", False: "Không"}
SYNTHETIC_WORDS = {"true": True, "false": False, "có": True, "không": False, "co": True,
                   "khong": False, "1": True, "0": False}
#: the heading of a list's block in the meta sheet (column B), before its column labels
LIST_HEADING = "{title} (mỗi dòng một mục; thêm dòng ở dưới)"
#: empty rows left under each list but the last, to type more in
SPARE_ROWS = 3


def sheet_fields(spec: S.FileSpec) -> list[S.Field]:
    """The fields of a data sheet in the workbook's order: the essential ones first."""
    first = [spec.field(name) for name in spec.first]
    return first + [f for f in spec.fields if f.name not in spec.first]


def filled_in(field: S.Field) -> bool:
    """Whether a person fills this column (a column tongket makes, such as an id, is
    locked)."""
    return not field.made_from
