"""The year's facts in ``meta.yaml``: organisation, title, legal bases, decisions,
recipients, signatory, and the document's form (header lines, number, place, date,
opening and closing sentences). Validated here, with the line of each problem.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tongket_lib.dataset import schema as S
from tongket_lib.dataset.readers import suggest
from tongket_lib.errors import ParameterError, ParseError, Problem
from tongket_lib.period import parse_period
from tongket_lib.vn import parse_date
from tongket_lib.vocab import ABOVE_MINIMUM, MET

NAME = S.META_FILE
TEXT_KEYS = S.META_TEXT_KEYS
REQUIRED = S.META_REQUIRED
KEY_LABELS = {"year": "năm", **TEXT_KEYS}
KEYS = S.META_KEYS
LEGAL_BASIS_KEYS = tuple(key for key, _ in S.META_LISTS["legal_bases"][1])
DECISION_KEYS = tuple(key for key, _ in S.META_LISTS["decisions"][1])
SIGNATORY_KEYS = tuple(key for key, _ in S.META_SIGNATORY)


class _Checker:
    def __init__(self, lines: dict[tuple, int], problems: list[Problem], name: str):
        self.lines = lines
        self.problems = problems
        self.name = name

    def add(self, path: tuple, value: Any, message: str) -> None:
        line = self.lines.get(path)
        while line is None and path:
            path = path[:-1]
            line = self.lines.get(path)
        key = " › ".join(f"mục {p + 1}" if isinstance(p, int) else str(p) for p in path) or None
        self.problems.append(Problem(self.name, line, key, value, message))

    def text(self, path: tuple, value: Any, what: str, required: bool = False) -> str:
        if value is None or value == "":
            if required:
                where = "mục này" if isinstance(path[-1], int) else f"khóa “{path[-1]}”"
                self.add(path, value, f"thiếu {what}. Điền giá trị cho {where}.")
            return ""
        if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.add(path, value, f"{what} phải là một dòng chữ.")
            return ""
        return value.strip()

    def date(self, path: tuple, value: Any, required: bool) -> dt.date | None:
        if value in (None, ""):
            if required:
                self.add(path, value, "thiếu ngày. Viết dạng dd/mm/yyyy, ví dụ 29/11/2024.")
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):  # a date cell of a workbook
            if value.year < 1000:  # dd/mm/yyyy cannot write it: meta.yaml would not load
                self.add(path, value, f"ngày {value.day:02d}/{value.month:02d}/{value.year} có"
                                      f" năm {value.year}, không đủ 4 chữ số (thường do gõ"
                                      " thiếu số của năm). Viết dạng dd/mm/yyyy, ví dụ"
                                      " 29/11/2024.")
                return None
            return value
        try:
            return parse_date(str(value))
        except ParseError:
            self.add(path, value, f"ngày “{value}” không hợp lệ. Viết dạng dd/mm/yyyy, ví dụ 29/11/2024.")
            return None

    def mapping_keys(self, path: tuple, item: dict, allowed: tuple[str, ...]) -> None:
        for key in item:
            if key not in allowed:
                self.add(path + (key,), key,
                         f"khóa lạ “{key}”.{suggest(str(key), list(allowed))} Dùng: {', '.join(allowed)}.")


def validate_meta(data: Any, lines: dict[tuple, int], folder_year: Any,
                  problems: list[Problem], name: str = NAME) -> dict:
    """Check parsed ``meta.yaml`` data; return it normalised (dates as ``datetime.date``)."""
    c = _Checker(lines, problems, name)
    if not isinstance(data, dict):
        c.add((), None, "meta.yaml phải là các cặp “khóa: giá trị”, ví dụ “year: 2024”.")
        return {}
    c.mapping_keys((), data, KEYS)
    for key in REQUIRED:
        if key not in data:
            c.add((), None, f"thiếu khóa bắt buộc “{key}” ({KEY_LABELS.get(key, key)})."
                            f" Thêm một dòng “{key}: …”.")

    meta: dict[str, Any] = {}
    year = data.get("year")
    period = None
    if "year" in data:
        if year is None or year == "":
            c.add(("year",), year, f"thiếu năm. Điền năm của báo cáo, ví dụ {folder_year or 2024}"
                                   " (năm học: 2024-2025).")
        else:
            try:
                period = parse_period(year)
            except ParameterError as exc:
                c.add(("year",), year, f"{exc} Ví dụ “year: 2024”, hoặc “year: 2024-2025”.")
            if period is not None and folder_year is not None and period != parse_period(
                    folder_year):
                c.add(("year",), year,
                      f"kỳ ghi trong meta.yaml là {period} nhưng thư mục là {folder_year}. Sửa"
                      f" “year: {folder_year}” hoặc đặt dữ liệu vào đúng thư mục {period}.")
    if period is None and folder_year is not None:
        period = parse_period(folder_year)
    # as meta.yaml writes it: a calendar year a number, a school year its identifier
    meta["year"] = None if period is None else period.id if period.school else period.start
    for key, what in TEXT_KEYS.items():
        # a missing key is already reported above: one problem, not two
        meta[key] = c.text((key,), data.get(key), what, required=key in REQUIRED and key in data)
    if meta.get("date"):  # the document's date: kept as written, checked as dd/mm/yyyy
        day = c.date(("date",), data.get("date"), required=False)
        meta["date"] = day.strftime("%d/%m/%Y") if day else ""
    synthetic = data.get("synthetic", False)
    if not isinstance(synthetic, bool):
        c.add(("synthetic",), synthetic, "“synthetic” phải là true hoặc false.")
        synthetic = False
    meta["synthetic"] = synthetic
    numbering = data.get("numbering") or "arabic"
    if numbering not in S.NUMBERINGS:
        c.add(("numbering",), numbering,
              f"cách đánh số “{numbering}” không có. Dùng arabic (1., 2., 3. như dữ liệu ghi)"
              " hoặc roman (I., II., III., mục con 1., 2.).")
        numbering = "arabic"
    meta["numbering"] = numbering
    reading = data.get(S.ABOVE_MINIMUM_KEY) or MET
    if reading not in ABOVE_MINIMUM:
        c.add((S.ABOVE_MINIMUM_KEY,), reading,
              f"“{reading}” không có. Kết quả cao hơn mức tối thiểu (“90% trở lên”, “ít nhất 4”)"
              " được gọi là: met (đạt, chỉ vượt khi qua ngưỡng vượt của chỉ tiêu) hoặc exceeded"
              " (vượt).")
        reading = MET
    meta[S.ABOVE_MINIMUM_KEY] = reading
    meta["legal_bases"] = [_legal_basis(c, i, item)
                           for i, item in enumerate(_list(c, data, "legal_bases"))]
    meta["decisions"] = [_decision(c, i, item)
                         for i, item in enumerate(_list(c, data, "decisions"))]
    meta["recipients"] = [c.text(("recipients", i), item, "nơi nhận", required=True)
                          for i, item in enumerate(_list(c, data, "recipients"))]
    meta["signatory"] = _signatory(c, data.get("signatory"))
    return meta


def _list(c: _Checker, data: dict, key: str) -> list:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        c.add((key,), value, f"“{key}” phải là một danh sách (mỗi mục một dòng bắt đầu bằng “- ”).")
        return []
    return value


def _legal_basis(c: _Checker, i: int, item: Any) -> dict:
    path = ("legal_bases", i)
    if isinstance(item, str):
        return {"kind": "", "number": "", "date": None, "issuer": "", "text": item.strip()}
    if not isinstance(item, dict):
        c.add(path, item, "mỗi căn cứ là một dòng chữ hoặc các khóa kind, number, date, issuer, text.")
        return {}
    c.mapping_keys(path, item, LEGAL_BASIS_KEYS)
    named = bool(str(item.get("kind") or "").strip() and str(item.get("number") or "").strip())
    return {  # the document is named by its kind and number, or its whole text is written
        "kind": c.text(path + ("kind",), item.get("kind"), "loại văn bản"),
        "number": c.text(path + ("number",), item.get("number"), "số hiệu"),
        "date": c.date(path + ("date",), item.get("date"), required=False),
        "issuer": c.text(path + ("issuer",), item.get("issuer"), "cơ quan ban hành"),
        "text": c.text(path + ("text",), item.get("text"), "nội dung căn cứ",
                       required=not named),
    }


def _decision(c: _Checker, i: int, item: Any) -> dict:
    path = ("decisions", i)
    if not isinstance(item, dict):
        c.add(path, item, "mỗi quyết định cần các khóa number, date, issuer, subject.")
        return {}
    c.mapping_keys(path, item, DECISION_KEYS)
    return {
        "number": c.text(path + ("number",), item.get("number"), "số quyết định", required=True),
        "date": c.date(path + ("date",), item.get("date"), required=True),
        "issuer": c.text(path + ("issuer",), item.get("issuer"), "người ký quyết định"),
        "subject": c.text(path + ("subject",), item.get("subject"), "trích yếu"),
    }


def _signatory(c: _Checker, item: Any) -> dict:
    if item is None:
        return dict.fromkeys(SIGNATORY_KEYS, "")
    if not isinstance(item, dict):
        c.add(("signatory",), item, "“signatory” cần các khóa on_behalf, title, name.")
        return dict.fromkeys(SIGNATORY_KEYS, "")
    c.mapping_keys(("signatory",), item, SIGNATORY_KEYS)
    return {key: c.text(("signatory", key), item.get(key), "người ký") for key in SIGNATORY_KEYS}
