"""Reading data files as text: encodings, CSV shape and YAML, with row and line numbers.

Every problem is collected as a :class:`~tongket_lib.errors.Problem` and returned, so
a caller can report all of a folder's problems in one pass. Text is normalised to
Unicode NFC: Vietnamese typed on some systems (and parts of the 2024 report) uses
combining accents, which would otherwise never compare equal to the same word typed
elsewhere.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tongket_lib.errors import Problem, os_reason

RESAVE_CSV = ("Mở tệp trong Excel, chọn Lưu thành (Save As) → “CSV UTF-8 (phân cách bằng dấu phẩy)”"
              " (CSV UTF-8 (Comma delimited)), rồi chạy lại.")


RESAVE_YAML = ("Mở tệp bằng một trình soạn thảo văn bản (Notepad, VS Code), lưu lại với bảng mã"
               " UTF-8, rồi chạy lại.")


def nfc(text: str) -> str:
    """Normalise text to Unicode NFC (precomposed Vietnamese letters)."""
    return unicodedata.normalize("NFC", text)


def read_text(path: Path, problems: list[Problem], shown_name: str | None = None) -> str | None:
    """Read a data file as UTF-8 text (a BOM is accepted), or record why it cannot be read."""
    name = shown_name or path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(name, None, None, None, f"không đọc được tệp ({os_reason(exc)})."))
        return None
    is_yaml = path.suffix.lower() in (".yaml", ".yml")
    resave = RESAVE_YAML if is_yaml else RESAVE_CSV
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(raw):
        problems.append(Problem(
            name, None, None, None,
            "tệp được lưu dạng UTF-16 (Excel gọi là “Unicode Text”), không phải UTF-8. " + resave))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        problems.append(Problem(
            name, line, None, raw[exc.start:exc.start + 1].hex(),
            f"tệp không phải UTF-8 (byte 0x{raw[exc.start]:02x} không hợp lệ). Có lẽ tệp được lưu"
            " bằng bảng mã Windows-1258 (tiếng Việt) hoặc Windows-1252. " + resave))
        return None
    if not text.strip():
        problems.append(Problem(name, None, None, None, (
            "tệp rỗng. Điền nội dung (xem tệp cùng tên của một năm khác), hoặc xóa tệp nếu"
            " không dùng." if is_yaml else
            "tệp rỗng. Tệp phải có ít nhất dòng tiêu đề (tên các cột).")))
        return None
    return nfc(text)


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a BOM: many NUL bytes in the first kilobyte."""
    head = raw[:1024]
    return len(head) >= 4 and head.count(0) >= len(head) // 4


@dataclass
class CsvTable:
    """A CSV file as strings: its header and its rows with their spreadsheet row numbers."""

    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    delimiter: str


def parse_csv(text: str, name: str, problems: list[Problem]) -> CsvTable | None:
    """Split CSV text into header and rows; a comma or (Excel in Vietnamese) a semicolon."""
    first = text.split("\n", 1)[0]
    # a comma, or what Excel writes in other locales: ";" (Vietnamese) or a tab (Unicode text)
    delimiter = max((",", ";", "\t"), key=first.count)  # a tie keeps the comma
    csv.field_size_limit(max(csv.field_size_limit(), 2**30))  # long notes are not an error
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, None, None,
                                f"không đọc được dạng CSV ({exc}). Kiểm tra dấu ngoặc kép"
                                " quanh ô có dấu phẩy hoặc xuống dòng."))
        return None
    if not records or not any(c.strip() for c in records[0]):
        problems.append(Problem(name, 1, None, None,
                                "dòng 1 phải là dòng tiêu đề (tên các cột), nhưng đang trống."))
        return None
    header = [c.strip() for c in records[0]]
    rows, numbers = [], []
    for i, record in enumerate(records[1:], start=2):
        cells = [c.strip() for c in record]
        if not any(cells):
            continue  # blank line or an Excel row of empty cells
        if len(cells) > len(header):
            extra = cells[len(header):]
            if any(extra):
                problems.append(Problem(
                    name, i, None, delimiter.join(extra),
                    f"dòng có {len(cells)} ô nhưng tiêu đề chỉ có {len(header)} cột. Ô có dấu"
                    f" “{delimiter}” phải đặt trong ngoặc kép, hoặc bỏ các ô thừa ở cuối dòng."))
                continue
            cells = cells[:len(header)]
        cells += [""] * (len(header) - len(cells))
        rows.append(cells)
        numbers.append(i)
    return CsvTable(header, rows, numbers, delimiter)


def suggest(word: str, options: list[str]) -> str:
    """A “có phải … không?” hint for a misspelt name, or an empty string."""
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" Có phải “{match[0]}”?" if match else ""


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that keeps the line of every mapping key."""


# What PyYAML's (English) problem means, and how to fix it; the first phrase found wins.
_YAML_REASONS = (
    ("'\\t'", "có ký tự Tab. YAML chỉ thụt lề bằng dấu cách: thay mỗi Tab bằng dấu cách."),
    ("mapping values are not allowed",
     "có dấu “:” ở chỗ không được phép, thường do thụt lề sai hoặc một giá trị có dấu “:”"
     " (đặt giá trị đó trong ngoặc kép)."),
    ("quoted scalar", "thiếu dấu ngoặc kép đóng của một giá trị."),
    ("another document", "tệp có nhiều phần ngăn bởi dòng “---”; chỉ giữ một phần."),
    ("constructor", "có thẻ “!…” không được dùng; bỏ thẻ đó, chỉ ghi giá trị."),
    ("undefined alias", "có ký hiệu “*” hoặc “&” của YAML; nếu đó là chữ, đặt giá trị trong"
                        " ngoặc kép."),
    ("flow sequence", "danh sách trong ngoặc vuông […] chưa đóng hoặc thiếu dấu phẩy."),
    ("flow mapping", "nhóm trong ngoặc nhọn {…} chưa đóng hoặc thiếu dấu phẩy."),
    ("could not find expected ':'", "thiếu dấu “:” sau tên khóa."),
    ("block ", "thụt lề không đều: các dòng cùng cấp phải thẳng cột với nhau."),
)


def yaml_reason(exc: yaml.YAMLError) -> str:
    """A Vietnamese reason for a YAML error, with PyYAML's own words only as a detail."""
    detail = " ".join(str(x) for x in (getattr(exc, "context", None),
                                       getattr(exc, "problem", None)) if x) or str(exc)
    for phrase, reason in _YAML_REASONS:
        if phrase in detail:
            return reason
    return f"kiểm tra thụt lề (chỉ dùng dấu cách) và dấu “:” (chi tiết: {detail})."


def read_yaml(text: str, name: str, problems: list[Problem]) -> tuple[Any, dict[tuple, int]]:
    """Parse YAML; return the data and the 1-based line of each key path."""
    try:
        node = yaml.compose(text, Loader=_LineLoader)
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problems.append(Problem(name, line, None, None,
                                f"không đọc được YAML: {yaml_reason(exc)}"))
        return None, {}
    lines: dict[tuple, int] = {}
    twice: list[tuple[tuple, int, int]] = []
    _walk(node, (), lines, twice)
    for path, first, again in twice:  # PyYAML would silently keep the last one
        problems.append(Problem(name, again, " › ".join(map(str, path)), path[-1],
                                f"khóa “{path[-1]}” xuất hiện hai lần (dòng {first} và dòng"
                                f" {again}); chỉ giữ một."))
    return (None, {}) if twice else (data, lines)


def _walk(node: yaml.Node | None, path: tuple, lines: dict[tuple, int],
          twice: list[tuple[tuple, int, int]]) -> None:
    if node is None:
        return
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key, value in node.value:
            child = path + (key.value,)
            line = key.start_mark.line + 1
            if key.value in seen:
                twice.append((child, seen[key.value], line))
            seen[key.value] = line
            lines[child] = line
            _walk(value, child, lines, twice)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, twice)
