"""Award titles and levels: short codes the checks use, read from the Vietnamese names.

``awards.csv`` may give a ``code`` (cstdcs, ldtt, …) and a ``level``; where it leaves
them empty they are inferred from ``title`` and ``granted_by``.
"""

from __future__ import annotations

import re

#: code → (Vietnamese name, patterns looked for in the lower-cased title), most specific first
TITLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "ttldxs": ("Tập thể lao động xuất sắc", ("tập thể lao động xuất sắc",)),
    "ttldtt": ("Tập thể lao động tiên tiến", ("tập thể lao động tiên tiến",)),
    "cstdcs": ("Chiến sĩ thi đua cơ sở", ("chiến sĩ thi đua cơ sở",)),
    "cstd_tinh": ("Chiến sĩ thi đua cấp tỉnh, ngành", ("chiến sĩ thi đua cấp", "chiến sĩ thi đua ngành",
                                                       "chiến sĩ thi đua toàn quốc")),
    "ldtt": ("Lao động tiên tiến", ("lao động tiên tiến",)),
    "dvcd_xs": ("Đoàn viên công đoàn xuất sắc", ("đoàn viên công đoàn xuất sắc",)),
    "gvndvn": ("Giỏi việc nước, đảm việc nhà", ("giỏi việc nước",)),
    "to_cd_xs": ("Tập thể Công đoàn xuất sắc", ("tổ công đoàn xuất sắc", "tập thể công đoàn xuất sắc",
                                                "công đoàn bộ phận xuất sắc")),
    "co_quan_van_minh": ("Cơ quan văn minh", ("cơ quan văn minh",)),
    "ky_niem_chuong": ("Kỷ niệm chương", ("kỷ niệm chương",)),
    "bang_khen": ("Bằng khen", ("bằng khen",)),
    "giay_khen": ("Giấy khen", ("giấy khen", "khen thưởng", "hoàn thành tốt nhiệm vụ")),
}

_LEVEL_PATTERNS = (
    ("agency", ("giám đốc", "công đoàn cơ sở", "cđcs", "thủ trưởng")),
    ("central", ("thủ tướng", "chính phủ", "bộ trưởng", "chủ tịch nước", "tổng liên đoàn",
                 "trung ương")),
    ("province", ("tỉnh", "thành phố")),
)


def _normal(text: str) -> str:
    text = re.sub(r"\s+", " ", str(text).lower())
    return text.replace("sỹ", "sĩ").replace("thiđua", "thi đua")


def infer_code(title: str) -> str:
    """Short code of an award title, or ``""`` when it is not a known title.

    >>> infer_code("Đạt danh hiệu “Chiến sỹ thi đua cơ sở”")
    'cstdcs'
    >>> infer_code("Tập thể lao động tiên tiến")
    'ttldtt'
    """
    text = _normal(title)
    for code, (_, patterns) in TITLES.items():
        if any(p in text for p in patterns):
            return code
    return ""


def infer_level(granted_by: str) -> str:
    """Level of whoever grants an award: central, province or agency.

    >>> infer_level("Chủ tịch UBND tỉnh")
    'province'
    >>> infer_level("Giám đốc Sở Tài nguyên và Môi trường tỉnh Trà Vinh")
    'agency'
    """
    text = _normal(granted_by)
    for level, patterns in _LEVEL_PATTERNS:
        if any(p in text for p in patterns):
            return level
    return "agency"


def title_name(code: str) -> str:
    """Vietnamese name of a title code (the code itself when unknown)."""
    return TITLES.get(code, (code, ()))[0]
