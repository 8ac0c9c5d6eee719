"""The workbook's layout, shared by writing it and reading it back: sheet names and the
rows of the meta sheet."""

from __future__ import annotations

from tongket_lib.dataset import schema as S

HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
META_SHEET = "Thông tin chung"

META_SCALARS = [("year", "Năm"), *S.META_TEXT_KEYS.items(),
                ("synthetic", "Dữ liệu minh họa (TRUE/FALSE)")]
META_SIGNATORY = [(f"signatory.{key}", label) for key, label in S.META_SIGNATORY]
META_LISTS = S.META_LISTS
